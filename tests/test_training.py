"""Training: the fast loop agrees with the reference functions, and the models learn."""

import numpy as np
import pytest

from dl_utils import (
    ACTIVATIONS,
    GradientDescent,
    L_layer_model,
    L_model_backward,
    L_model_forward,
    compute_cost,
    initialize_parameters_deep,
    predict,
    two_layer_model,
    update_parameters,
)
from dl_utils.datasets import make_circles, make_xor


def reference_loop(X, Y, parameters, learning_rate, num_iterations, activation, record_every=100):
    """Gradient descent written with the course's reference functions only."""
    costs = []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters, activation)
        if i % record_every == 0:
            costs.append(float(compute_cost(AL, Y)))
        grads = L_model_backward(AL, Y, caches, activation)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("dims", [[2, 1], [2, 5, 1], [2, 6, 4, 3, 1]])
def test_fast_loop_agrees_with_the_reference_functions(activation, dims):
    X, Y = make_circles(n_samples=60, noise=0.1, seed=1)
    start = initialize_parameters_deep(dims, seed=2, init="xavier")
    # The two loops round differently (dZ[L] = AL - Y against dAL * sigmoid'(ZL)).
    # At alpha = 0.5 the deep tanh network on this set goes through an unstable
    # stretch near iteration 100 that turns a 1e-16 difference into 1e-7, so
    # alpha = 0.3 keeps the comparison about the code, not about chaos.
    expected, expected_costs = reference_loop(X, Y, start, 0.3, 201, activation)
    trainer = GradientDescent(X, Y, start, 0.3, activation)
    costs = trainer.run(201)
    assert len(costs) == len(expected_costs) == 3
    assert np.allclose(costs, expected_costs, rtol=0, atol=1e-12)
    for name, value in trainer.parameters.items():
        assert np.allclose(value, expected[name], rtol=1e-9, atol=1e-12), name


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_wide_data_shortcut_agrees_with_the_reference_functions(activation):
    """More features than examples: W1 X is updated through X.T X, not recomputed."""
    rng = np.random.default_rng(0)
    X = rng.random((300, 40))
    Y = (X[:3].sum(axis=0, keepdims=True) > 1.5).astype(float)
    start = initialize_parameters_deep([300, 6, 3, 1], seed=4, init="xavier")
    expected, expected_costs = reference_loop(X, Y, start, 0.05, 250, activation, record_every=1)
    trainer = GradientDescent(X, Y, start, 0.05, activation)
    assert trainer.gram is not None, "the shortcut should be on for n_x > m"
    costs = trainer.run(250, record_every=1)
    assert expected_costs[-1] < expected_costs[0] - 0.05, "the network should learn something"
    assert np.allclose(costs, expected_costs, rtol=0, atol=1e-10)
    for name, value in trainer.parameters.items():
        assert np.allclose(value, expected[name], rtol=1e-8, atol=1e-12), name
    assert np.allclose(trainer.Z1, trainer.W[1] @ X + trainer.b[1], rtol=0, atol=1e-12)


def test_gradients_match_the_reference_backward_pass():
    X, Y = make_xor(n_samples=50, seed=3)
    start = initialize_parameters_deep([2, 5, 4, 1], seed=1, init="he")
    AL, caches = L_model_forward(X, start, "leaky_relu")
    expected = L_model_backward(AL, Y, caches, "leaky_relu")
    gradients = GradientDescent(X, Y, start, 0.1, "leaky_relu").gradients()
    for l in (1, 2, 3):
        assert np.allclose(gradients[l][0], expected[f"dW{l}"], rtol=1e-12, atol=1e-15)
        assert np.allclose(gradients[l][1], expected[f"db{l}"], rtol=1e-12, atol=1e-15)


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


def test_divergence_is_reported():
    X, Y = make_circles(n_samples=100, seed=0)
    X = X * 1e150
    with pytest.raises(ValueError, match="diverged at iteration .*lower the learning rate"):
        L_layer_model(X, Y, [2, 5, 1], learning_rate=1e150, num_iterations=300, init="large")


def test_bad_arguments():
    X, Y = make_xor(n_samples=20, seed=0)
    with pytest.raises(ValueError, match=r"layers_dims should be \(n_x, n_h, n_y\)"):
        two_layer_model(X, Y, (2, 3, 3, 1))
    with pytest.raises(ValueError, match="W1 has shape \\(4, 3\\) but X has 2 rows"):
        L_layer_model(X, Y, [3, 4, 1])
    with pytest.raises(ValueError, match="Y has 19 labels but there are 20 examples"):
        L_layer_model(X, Y[:, :19], [2, 4, 1])
    with pytest.raises(ValueError, match="num_iterations should be a whole number"):
        L_layer_model(X, Y, [2, 4, 1], num_iterations=10.5)


def test_print_cost_shows_the_last_iteration_of_every_run(capsys):
    X, Y = make_xor(n_samples=40, seed=0)
    trainer = GradientDescent(X, Y, initialize_parameters_deep([2, 3, 1], seed=0), 0.1)
    trainer.run(150, print_cost=True)
    trainer.run(150, print_cost=True)
    printed = capsys.readouterr().out
    for i in (0, 100, 149, 200, 299):
        assert f"Cost after iteration {i}:" in printed, i
