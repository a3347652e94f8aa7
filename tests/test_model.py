"""The L-layer model: forward, cost, backward, update and predict."""

import math

import numpy as np
import pytest

from dl_utils import (
    ACTIVATIONS,
    L_model_backward,
    L_model_forward,
    compute_cost,
    gradient_check,
    initialize_parameters_deep,
    linear_activation_forward,
    predict,
    two_layer_model,
    update_parameters,
)


def toy(n_x=3, m=8, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    Y = (rng.rand(1, m) > 0.5).astype(float)
    Y[0, :2] = [0, 1]  # both classes present
    return X, Y


def test_forward_composes_the_layers():
    X, _ = toy()
    parameters = initialize_parameters_deep([3, 4, 2, 1], seed=1, init="he")
    AL, caches = L_model_forward(X, parameters)
    A1, c1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
    A2, c2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "relu")
    A3, c3 = linear_activation_forward(A2, parameters["W3"], parameters["b3"], "sigmoid")
    assert AL.shape == (1, 8) and len(caches) == 3
    assert np.array_equal(AL, A3)
    assert np.array_equal(caches[1][1], c2[1]), "caches[l-1] belongs to layer l"


def test_forward_hidden_activation_can_be_chosen():
    X, _ = toy()
    parameters = initialize_parameters_deep([3, 4, 1], seed=1, init="he")
    AL, _ = L_model_forward(X, parameters, hidden_activation="tanh")
    A1 = np.tanh(parameters["W1"] @ X + parameters["b1"])
    expected = 1 / (1 + np.exp(-(parameters["W2"] @ A1 + parameters["b2"])))
    assert np.allclose(AL, expected, rtol=1e-14, atol=0)


def test_cost_by_hand():
    AL = np.array([[0.8, 0.9, 0.4]])
    Y = np.array([[1, 1, 0]])
    expected = -(math.log(0.8) + math.log(0.9) + math.log(0.6)) / 3
    cost = compute_cost(AL, Y)
    assert np.shape(cost) == () and isinstance(float(cost), float)
    assert abs(cost - expected) < 1e-15


def test_cost_is_finite_at_exact_zero_and_one():
    assert compute_cost(np.array([[1.0, 0.0]]), np.array([[1, 0]])) < 1e-12
    wrong = compute_cost(np.array([[0.0, 1.0]]), np.array([[1, 0]]))
    assert np.isfinite(wrong) and wrong > 30


def test_backward_keys_and_shapes():
    X, Y = toy()
    dims = [3, 5, 4, 2, 1]
    parameters = initialize_parameters_deep(dims, seed=2, init="he")
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    L = len(dims) - 1
    expected = {f"dA{l}" for l in range(L)} | {f"d{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    assert set(grads) == expected
    for l in range(1, L + 1):
        assert grads[f"dW{l}"].shape == parameters[f"W{l}"].shape
        assert grads[f"db{l}"].shape == parameters[f"b{l}"].shape
        assert grads[f"dA{l - 1}"].shape == (dims[l - 1], 8)


def test_backward_last_layer_dZ_is_AL_minus_Y():
    X, Y = toy()
    parameters = initialize_parameters_deep([3, 1], seed=0, init="xavier")
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    assert np.allclose(grads["dW1"], (AL - Y) @ X.T / 8, rtol=1e-10, atol=1e-14)
    assert np.allclose(grads["dA0"], parameters["W1"].T @ (AL - Y), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("dims", [[3, 1], [3, 4, 1], [3, 5, 3, 1], [3, 4, 4, 3, 1]])
def test_gradients_match_numeric_ones(activation, dims):
    X, Y = toy(seed=len(dims))
    # unit-scale weights and nonzero biases keep the gradients well above
    # rounding noise and every Z away from the ReLU kink at exactly 0
    parameters = initialize_parameters_deep(dims, seed=5, init="random", scale=1.0)
    rng = np.random.RandomState(len(dims))
    for l in range(1, len(dims)):
        parameters[f"b{l}"] = rng.randn(dims[l], 1)
    errors = gradient_check(
        parameters,
        X,
        Y,
        forward=lambda X, p: L_model_forward(X, p, activation),
        backward=lambda AL, Y, c: L_model_backward(AL, Y, c, activation),
        print_result=False,
    )
    assert set(errors) == set(parameters)
    worst = max(errors, key=errors.get)
    assert errors[worst] < 1e-6, f"{worst}: relative error {errors[worst]:.1e}"


def test_update_parameters_returns_a_new_dict():
    parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]])}
    grads = {"dW1": np.array([[10.0, -10.0]]), "db1": np.array([[1.0]]), "dA0": np.ones((2, 3))}
    for v in (*parameters.values(), *grads.values()):
        v.flags.writeable = False
    updated = update_parameters(parameters, grads, 0.1)
    assert updated is not parameters
    assert updated["W1"].tolist() == [[0.0, 3.0]] and updated["b1"].tolist() == [[0.4]]
    assert parameters["W1"].tolist() == [[1.0, 2.0]]


def test_forward_and_backward_do_not_change_inputs():
    X, Y = toy()
    parameters = initialize_parameters_deep([3, 4, 1], seed=1)
    for v in (X, Y, *parameters.values()):
        v.flags.writeable = False
    AL, caches = L_model_forward(X, parameters)
    L_model_backward(AL, Y, caches)
    compute_cost(AL, Y)


def test_predict_threshold_and_accuracy(capsys):
    # one layer with W = 0: the output is sigmoid(b) for every example
    parameters = {"W1": np.zeros((1, 2)), "b1": np.array([[0.0]])}
    X = np.ones((2, 4))
    p = predict(X, np.array([[0, 0, 1, 1]]), parameters)
    assert p.shape == (1, 4) and p.tolist() == [[0, 0, 0, 0]], "exactly 0.5 predicts 0"
    assert "Accuracy: 0.5000" in capsys.readouterr().out
    p = predict(X, None, {"W1": np.zeros((1, 2)), "b1": np.array([[1e-9]])})
    assert p.tolist() == [[1, 1, 1, 1]]


def test_layer_is_named_in_shape_errors():
    X, Y = toy()
    parameters = initialize_parameters_deep([3, 4, 5, 1], seed=0)
    parameters["W2"] = np.ones((4, 5))
    with pytest.raises(ValueError, match=r"W2 has shape \(4, 5\) but A1 has 4 rows"):
        L_model_forward(X, parameters)
    parameters = initialize_parameters_deep([3, 4, 1], seed=0)
    with pytest.raises(ValueError, match=r"W1 has shape \(4, 3\) but X has 2 rows"):
        L_model_forward(X[:2], parameters)
    parameters["b2"] = np.zeros((2, 1))
    with pytest.raises(ValueError, match=r"b2 has shape \(2, 1\) but W2 has shape \(1, 4\)"):
        L_model_forward(X, parameters)


@pytest.mark.parametrize(
    "parameters, message",
    [
        ({"W1": np.ones((1, 3))}, "missing b1"),
        ({"W1": np.ones((1, 3)), "b1": np.ones((1, 1)), "W3": 1, "b3": 1}, "missing W2, b2"),
        ([np.ones((1, 3))], "should be a dict"),
        ({}, "exactly W1, b1"),
    ],
)
def test_bad_parameter_dicts(parameters, message):
    X, _ = toy()
    with pytest.raises(ValueError, match=message):
        L_model_forward(X, parameters)


def test_bad_labels_and_predictions():
    AL = np.array([[0.2, 0.7]])
    with pytest.raises(ValueError, match=r"Y has shape \(2,\).*reshape\(1, -1\)"):
        compute_cost(AL, np.array([0, 1]))
    with pytest.raises(ValueError, match=r"AL has shape \(1, 2\) but Y has shape \(1, 3\)"):
        compute_cost(AL, np.array([[0, 1, 1]]))
    with pytest.raises(ValueError, match="probabilities between 0 and 1.*sigmoid"):
        compute_cost(np.array([[1.5, 0.2]]), np.array([[1, 0]]))
    with pytest.raises(ValueError, match="NaN"):
        compute_cost(np.array([[np.nan, 0.2]]), np.array([[1, 0]]))


def test_bad_update_inputs():
    parameters = {"W1": np.ones((1, 2)), "b1": np.zeros((1, 1))}
    with pytest.raises(ValueError, match=r"dW1 has shape \(2, 1\) but W1 has shape \(1, 2\)"):
        update_parameters(parameters, {"dW1": np.ones((2, 1)), "db1": np.zeros((1, 1))}, 0.1)
    with pytest.raises(ValueError, match="grads has no db1"):
        update_parameters(parameters, {"dW1": np.ones((1, 2))}, 0.1)
    with pytest.raises(ValueError, match="learning_rate should be a positive number"):
        update_parameters(parameters, {"dW1": np.ones((1, 2)), "db1": np.zeros((1, 1))}, -1)
    with pytest.raises(ValueError, match="learning_rate should be a number, got '0.1'"):
        update_parameters(parameters, {"dW1": np.ones((1, 2)), "db1": np.zeros((1, 1))}, "0.1")


def test_bad_caches_and_activation():
    X, Y = toy()
    parameters = initialize_parameters_deep([3, 1], seed=0)
    AL, caches = L_model_forward(X, parameters)
    with pytest.raises(ValueError, match="non-empty list returned by L_model_forward"):
        L_model_backward(AL, Y, [])
    with pytest.raises(ValueError, match="unknown activation 'relu6'"):
        L_model_forward(X, parameters, hidden_activation="relu6")


def sigmoid_prime(Z):
    s = 1 / (1 + np.exp(-Z))
    return s * (1 - s)


def test_backward_computes_the_formula_for_any_AL_as_the_classic_tests_do():
    # the classic assignment's test of L_model_backward draws AL from randn: the formula
    # dAL = -(Y/AL - (1-Y)/(1-AL)) is defined there, so it is computed, not refused
    rng = np.random.RandomState(3)
    AL, Y = rng.randn(1, 2), np.array([[1, 0]])
    A1, W1, b1, Z1 = rng.randn(4, 2), rng.randn(3, 4), rng.randn(3, 1), rng.randn(3, 2)
    A2, W2, b2, Z2 = rng.randn(3, 2), rng.randn(1, 3), rng.randn(1, 1), rng.randn(1, 2)
    grads = L_model_backward(AL, Y, [((A1, W1, b1), Z1), ((A2, W2, b2), Z2)])
    m = 2
    dZ2 = -(Y / AL - (1 - Y) / (1 - AL)) * sigmoid_prime(Z2)
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (Z1 > 0)
    expected = {
        "dW2": dZ2 @ A2.T / m,
        "db2": dZ2.sum(axis=1, keepdims=True) / m,
        "dA1": dA1,
        "dW1": dZ1 @ A1.T / m,
        "db1": dZ1.sum(axis=1, keepdims=True) / m,
        "dA0": W1.T @ dZ1,
    }
    for name, value in expected.items():
        assert np.allclose(grads[name], value, rtol=1e-12, atol=1e-15), name


def test_the_cost_and_the_training_take_labels_that_are_not_0_or_1():
    # the formulas hold for any real labels (the classic tests draw some from randn)
    AL, Y = np.array([[0.2, 0.7]]), np.array([[0.5, 2.0]])
    by_hand = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    assert math.isclose(float(compute_cost(AL, Y)), by_hand, rel_tol=1e-12)
    rng = np.random.RandomState(1)
    X, Y = rng.randn(10, 7), rng.randn(1, 7)
    parameters, costs = two_layer_model(X, Y, (10, 4, 1), num_iterations=2, progress=False)
    assert set(parameters) == {"W1", "b1", "W2", "b2"} and np.isfinite(costs).all()


def test_the_cost_is_finite_for_float32_probabilities_of_exactly_one():
    AL = np.array([[1.0, 0.25, 0.0]], dtype=np.float32)
    Y = np.array([[1, 0, 0]])
    cost = compute_cost(AL, Y)
    assert np.isfinite(cost)
    assert math.isclose(float(cost), float(compute_cost(AL.astype(np.float64), Y)), rel_tol=1e-7)


def test_forward_and_backward_cannot_disagree_on_the_activation():
    X, Y = toy()
    parameters = initialize_parameters_deep([3, 4, 1], seed=2, scale=1.0)
    AL, caches = L_model_forward(X, parameters, hidden_activation="tanh")
    assert caches.hidden_activation == "tanh"
    remembered = L_model_backward(AL, Y, caches)
    told = L_model_backward(AL, Y, caches, "tanh")
    assert all(np.array_equal(remembered[k], told[k]) for k in told)
    with pytest.raises(ValueError, match="hidden_activation='tanh'.*hidden_activation='relu'"):
        L_model_backward(AL, Y, caches, "relu")
    # caches made by hand (or by a student's L_model_forward) say nothing: relu by default
    plain = L_model_backward(AL, Y, list(caches))
    assert not np.allclose(plain["dW1"], told["dW1"])
