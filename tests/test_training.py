"""Training: the course's loops use the reference blocks, the fast trainer agrees with them,
and the models learn."""

import inspect

import numpy as np
import pytest

import dl_utils
from dl_utils import (
    ACTIVATIONS,
    GradientDescent,
    L_layer_model,
    L_model_backward,
    L_model_forward,
    fast_L_layer_model,
    initialize_parameters_deep,
    predict,
    training,
    two_layer_model,
)
from dl_utils.datasets import make_circles, make_xor

COSTS_ATOL = 1e-12  # the costs of the two implementations, after hundreds of iterations
PARAMETERS_RTOL, PARAMETERS_ATOL = 1e-9, 1e-12


def assert_same_training(result, expected, costs_atol=COSTS_ATOL, rtol=PARAMETERS_RTOL):
    """(parameters, costs) of one implementation against the other's."""
    (parameters, costs), (parameters_expected, costs_expected) = result, expected
    assert len(costs) == len(costs_expected)
    assert np.allclose(costs, costs_expected, rtol=0, atol=costs_atol)
    assert sorted(parameters) == sorted(parameters_expected)
    for name, value in parameters_expected.items():
        assert parameters[name].shape == value.shape, name
        assert np.allclose(parameters[name], value, rtol=rtol, atol=PARAMETERS_ATOL), name


# --- the fast trainer against the course's loops -------------------------------------------


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("dims", [[2, 1], [2, 5, 1], [2, 6, 4, 3, 1]])
def test_fast_L_layer_model_agrees_with_L_layer_model(activation, dims):
    X, Y = make_circles(n_samples=60, noise=0.1, seed=1)
    # The two round differently (dZ[L] = AL - Y against dAL * sigmoid'(ZL)). At
    # alpha = 0.5 the deep tanh network on this set goes through an unstable stretch
    # near iteration 100 that turns a 1e-16 difference into 1e-7, so alpha = 0.3
    # keeps the comparison about the code, not about chaos.
    settings = dict(
        learning_rate=0.3,
        num_iterations=201,
        init="xavier",
        seed=2,
        hidden_activation=activation,
        progress=False,
    )
    expected = L_layer_model(X, Y, dims, **settings)
    assert len(expected[1]) == 3
    assert_same_training(fast_L_layer_model(X, Y, dims, **settings), expected)


@pytest.mark.parametrize(
    "dims, learning_rate, num_iterations", [((2, 4, 1), 0.5, 300), ((2, 10, 1), 1.0, 250)]
)
def test_the_fast_trainer_agrees_with_two_layer_model(dims, learning_rate, num_iterations):
    X, Y = make_xor(n_samples=80, noise=0.1, seed=2)
    expected = two_layer_model(
        X, Y, dims, learning_rate=learning_rate, num_iterations=num_iterations, progress=False
    )
    # two_layer_model starts from initialize_parameters(n_x, n_h, n_y), seed 1, x0.01
    result = fast_L_layer_model(
        X,
        Y,
        list(dims),
        learning_rate=learning_rate,
        num_iterations=num_iterations,
        init="random",
        seed=1,
        progress=False,
    )
    assert expected[1][-1] < expected[1][0] - 0.01, "the network should learn something"
    assert_same_training(result, expected)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_wide_data_shortcut_agrees_with_L_layer_model(activation):
    """More features than examples: W1 X is updated through X.T X, not recomputed."""
    rng = np.random.default_rng(0)
    X = rng.random((300, 40))
    Y = (X[:3].sum(axis=0, keepdims=True) > 1.5).astype(float)
    settings = dict(
        learning_rate=0.05, num_iterations=250, seed=4, hidden_activation=activation, progress=False
    )
    expected = L_layer_model(X, Y, [300, 6, 3, 1], **settings)
    assert expected[1][-1] < expected[1][0] - 0.05, "the network should learn something"
    assert_same_training(
        fast_L_layer_model(X, Y, [300, 6, 3, 1], **settings), expected, 1e-10, 1e-8
    )


def test_wide_data_shortcut_keeps_Z1_equal_to_W1_X_plus_b1():
    rng = np.random.default_rng(1)
    X = rng.random((300, 40))
    Y = (X[:3].sum(axis=0, keepdims=True) > 1.5).astype(float)
    trainer = GradientDescent(X, Y, initialize_parameters_deep([300, 6, 1], seed=4, init="he"), 0.1)
    assert trainer.gram is not None, "the shortcut should be on for n_x > m"
    trainer.run(250)  # the last exact recomputation was at iteration 200
    assert np.allclose(trainer.Z1, trainer.W[1] @ X + trainer.b[1], rtol=0, atol=1e-12)


def test_the_two_models_take_the_same_arguments():
    assert inspect.signature(fast_L_layer_model) == inspect.signature(L_layer_model)


def test_both_print_the_same_costs(capsys):
    X, Y = make_xor(n_samples=40, seed=0)
    L_layer_model(X, Y, [2, 3, 1], learning_rate=0.5, num_iterations=250, print_cost=True)
    textbook = capsys.readouterr().out
    fast_L_layer_model(X, Y, [2, 3, 1], learning_rate=0.5, num_iterations=250, print_cost=True)
    fast = capsys.readouterr().out
    lines = textbook.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        f"Cost after iteration {i}" for i in (0, 100, 200, 249)
    ]
    assert [float(line.split(": ")[1]) for line in fast.splitlines()] == pytest.approx(
        [float(line.split(": ")[1]) for line in lines], rel=0, abs=COSTS_ATOL
    )


def test_gradients_match_the_reference_backward_pass():
    X, Y = make_xor(n_samples=50, seed=3)
    start = initialize_parameters_deep([2, 5, 4, 1], seed=1, init="he")
    AL, caches = L_model_forward(X, start, "leaky_relu")
    expected = L_model_backward(AL, Y, caches, "leaky_relu")
    gradients = GradientDescent(X, Y, start, 0.1, "leaky_relu").gradients()
    for l in (1, 2, 3):
        assert np.allclose(gradients[l][0], expected[f"dW{l}"], rtol=1e-12, atol=1e-15)
        assert np.allclose(gradients[l][1], expected[f"db{l}"], rtol=1e-12, atol=1e-15)


# --- the course's loops are made of the reference's blocks ---------------------------------


def counting(monkeypatch, module, names):
    """Count the calls that ``module`` makes to each of ``names`` (still calling them)."""
    calls = dict.fromkeys(names, 0)
    for name in names:
        original = getattr(module, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return calls


def test_L_layer_model_is_the_loop_of_the_four_functions(monkeypatch):
    names = ["L_model_forward", "compute_cost", "L_model_backward", "update_parameters"]
    calls = counting(monkeypatch, training, names + ["initialize_parameters_deep"])
    X, Y = make_xor(n_samples=30, seed=0)
    _, costs = L_layer_model(X, Y, [2, 3, 1], num_iterations=250, progress=False)
    assert calls == {
        "initialize_parameters_deep": 1,
        "L_model_forward": 250,
        "compute_cost": 3,  # at iterations 0, 100 and 200, the ones kept
        "L_model_backward": 250,
        "update_parameters": 250,
    }
    assert len(costs) == 3


def test_two_layer_model_is_the_loop_of_the_layer_functions(monkeypatch):
    names = ["linear_activation_forward", "compute_cost", "linear_activation_backward"]
    calls = counting(monkeypatch, training, names + ["initialize_parameters", "update_parameters"])
    X, Y = make_xor(n_samples=30, seed=0)
    two_layer_model(X, Y, (2, 3, 1), num_iterations=120, progress=False)
    assert calls == {
        "initialize_parameters": 1,
        "linear_activation_forward": 240,
        "compute_cost": 2,
        "linear_activation_backward": 240,
        "update_parameters": 120,
    }


def test_the_fast_trainer_uses_the_activations_of_the_registry():
    X, Y = make_xor(n_samples=20, seed=0)
    start = initialize_parameters_deep([2, 3, 1], seed=0)
    for name, activation in ACTIVATIONS.items():
        assert GradientDescent(X, Y, start, 0.1, name).g is activation
    assert not hasattr(dl_utils.fast_training, "_sigmoid")


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_the_fast_kernels_agree_with_the_activations(name):
    activation = ACTIVATIONS[name]
    rng = np.random.RandomState(0)
    Z = rng.randn(4, 50) * 5
    Z[0, :3] = [0.0, 800.0, -800.0]
    A, cache = activation.forward(Z)
    out = np.empty_like(Z)
    assert activation.forward_into(Z, out) is out
    assert np.array_equal(out, A)
    dA = rng.randn(*Z.shape)
    dZ = dA * activation.derivative_from_output(A)
    assert np.allclose(dZ, activation.backward(dA, cache), rtol=1e-12, atol=1e-15)


# --- behaviour -----------------------------------------------------------------------------


def test_trainer_leaves_the_starting_parameters_alone():
    X, Y = make_xor(n_samples=40, seed=0)
    start = initialize_parameters_deep([2, 4, 1], seed=0, init="he")
    for v in (X, Y, *start.values()):
        v.flags.writeable = False
    trainer = GradientDescent(X, Y, start, 0.1)
    trainer.run(5)
    assert trainer.iteration == 5
    assert not np.array_equal(trainer.parameters["W1"], start["W1"])


def test_L_layer_model_learns_xor():
    X, Y = make_xor(n_samples=300, noise=0.1, seed=0)
    parameters, costs = L_layer_model(
        X, Y, [2, 8, 8, 1], learning_rate=0.5, num_iterations=2000, init="he"
    )
    assert len(costs) == 20, "one cost every 100 iterations"
    assert costs[-1] < costs[0] / 4
    p = predict(X, Y, parameters, print_accuracy=False)
    assert np.mean(p == Y) > 0.95


def test_two_layer_model_learns_circles(capsys):
    X, Y = make_circles(n_samples=300, noise=0.05, seed=0)
    parameters, costs = two_layer_model(
        X, Y, (2, 10, 1), learning_rate=1.0, num_iterations=3000, print_cost=True
    )
    assert sorted(parameters) == ["W1", "W2", "b1", "b2"]
    assert parameters["W1"].shape == (10, 2) and parameters["W2"].shape == (1, 10)
    assert np.mean(predict(X, Y, parameters, print_accuracy=False) == Y) > 0.95
    printed = capsys.readouterr().out
    assert "Cost after iteration 0:" in printed and "Cost after iteration 2999:" in printed


def test_small_init_stalls_a_deep_relu_network():
    """The lesson behind L_layer_model's default: x0.01 weights barely learn when deep."""
    X, Y = make_xor(n_samples=200, noise=0.1, seed=1)
    dims = [2, 8, 8, 8, 8, 1]
    _, small = L_layer_model(X, Y, dims, learning_rate=0.5, num_iterations=1000, init="random")
    _, he = L_layer_model(X, Y, dims, learning_rate=0.5, num_iterations=1000, init="he")
    assert abs(small[-1] - small[0]) < 1e-3, "the 0.01 network hardly moves"
    assert he[-1] < 0.5 * he[0]


@pytest.mark.parametrize("model", [L_layer_model, fast_L_layer_model])
def test_divergence_is_reported(model):
    X, Y = make_circles(n_samples=100, seed=0)
    X = X * 1e150
    with pytest.raises(ValueError, match="diverged at iteration .*lower the learning rate"):
        model(X, Y, [2, 5, 1], learning_rate=1e150, num_iterations=300, init="large")


def test_a_saturated_output_is_divergence_only_when_it_is_wrong():
    Y = np.array([[1.0, 0.0, 0.5]])
    training.stop_if_diverged(7, np.array([[1.0, 0.0, 0.5]]), Y, 0.1)  # right and sure
    for AL in ([[0.0, 0.0, 0.5]], [[1.0, 1.0, 0.5]], [[0.9, 0.1, 1.0]]):
        with pytest.raises(ValueError, match="diverged at iteration 7 .*exactly 0 or 1"):
            training.stop_if_diverged(7, np.array(AL), Y, 0.1)
    with pytest.raises(ValueError, match="diverged at iteration 3 .the cost is nan"):
        training.stop_if_diverged(3, np.array([[0.5, 0.5, 0.5]]), Y, float("nan"))


@pytest.mark.parametrize("model", [L_layer_model, fast_L_layer_model])
def test_bad_arguments(model):
    X, Y = make_xor(n_samples=20, seed=0)
    with pytest.raises(ValueError, match="W1 has shape \\(4, 3\\) but X has 2 rows"):
        model(X, Y, [3, 4, 1])
    with pytest.raises(ValueError, match="Y has 19 labels but there are 20 examples"):
        model(X, Y[:, :19], [2, 4, 1])
    with pytest.raises(ValueError, match="num_iterations should be a whole number"):
        model(X, Y, [2, 4, 1], num_iterations=10.5)
    with pytest.raises(ValueError, match="learning_rate should be a positive number"):
        model(X, Y, [2, 4, 1], learning_rate=-0.1, num_iterations=0)
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        model(X, Y, [2, 4, 1], hidden_activation="softmax", num_iterations=1)


def test_two_layer_model_needs_three_sizes():
    X, Y = make_xor(n_samples=20, seed=0)
    with pytest.raises(ValueError, match=r"layers_dims should be \(n_x, n_h, n_y\)"):
        two_layer_model(X, Y, (2, 3, 3, 1))


def test_print_cost_shows_the_last_iteration_of_every_run(capsys):
    X, Y = make_xor(n_samples=40, seed=0)
    trainer = GradientDescent(X, Y, initialize_parameters_deep([2, 3, 1], seed=0), 0.1)
    trainer.run(150, print_cost=True)
    trainer.run(150, print_cost=True)
    printed = capsys.readouterr().out
    for i in (0, 100, 149, 200, 299):
        assert f"Cost after iteration {i}:" in printed, i


def test_the_trainer_is_still_importable_from_its_old_module():
    from dl_utils.training import GradientDescent as Moved

    assert Moved is GradientDescent is dl_utils.fast_training.GradientDescent
