"""Gradient checking: it passes a right backward pass and catches planted bugs."""

import numpy as np
import pytest

from dl_utils import L_model_backward, L_model_forward, gradient_check, initialize_parameters_deep
from dl_utils.gradient_check import describe_errors, numerical_gradient, relative_error


def setup(dims=(4, 5, 3, 1), seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(dims[0], 10)
    Y = (rng.rand(1, 10) > 0.5).astype(float)
    parameters = initialize_parameters_deep(list(dims), seed=seed, init="xavier")
    for l in range(1, len(dims)):
        parameters[f"b{l}"] = 0.5 * rng.randn(dims[l], 1)
    return parameters, X, Y


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_gradient(lambda v: np.sum(v**3), x)
    assert np.allclose(grad, 3 * x**2, rtol=1e-6)
    assert x.tolist() == [[1.0, -2.0], [0.5, 3.0]], "the point is not changed"


def test_relative_error():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([1.0, 0.0]), np.array([1.0, 0.0])) == 0.0
    assert relative_error(np.array([1.0]), np.array([-1.0])) == 1.0
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(3,\)"):
        relative_error(np.ones(2), np.ones(3))


def test_a_correct_backward_pass_passes(capsys):
    parameters, X, Y = setup()
    errors = gradient_check(parameters, X, Y)
    assert max(errors.values()) < 1e-7
    printed = capsys.readouterr().out
    assert printed.count("ok") == 6 and "W1" in printed and "b3" in printed


def backward_with(bug):
    def backward(AL, Y, caches):
        grads = L_model_backward(AL, Y, caches)
        return bug(grads)

    return backward


@pytest.mark.parametrize(
    "name, bug",
    [
        ("W2", lambda g: {**g, "dW2": g["dW2"] * 2}),  # a missing 1/m for one layer
        ("b1", lambda g: {**g, "db1": -g["db1"]}),  # a sign error
        ("W3", lambda g: {**g, "dW3": g["dW3"] + 0.01}),
    ],
)
def test_planted_bugs_are_caught(name, bug):
    parameters, X, Y = setup()
    errors = gradient_check(parameters, X, Y, backward=backward_with(bug), print_result=False)
    assert errors[name] > 1e-3
    assert all(e < 1e-7 for n, e in errors.items() if n != name), "only the buggy one is flagged"
    assert f"WRONG: d{name}" in describe_errors(errors)


def test_students_forward_is_used():
    parameters, X, Y = setup()
    calls = []

    def my_forward(X, p):
        calls.append(1)
        return L_model_forward(X, p)

    gradient_check(parameters, X, Y, forward=my_forward, print_result=False)
    n_parameters = sum(v.size for v in parameters.values())
    assert len(calls) == 1 + 2 * n_parameters


def test_bad_backward_results():
    parameters, X, Y = setup()
    with pytest.raises(ValueError, match="backward returned no dW1"):
        gradient_check(
            parameters,
            X,
            Y,
            backward=backward_with(lambda g: {k: v for k, v in g.items() if k != "dW1"}),
        )
    with pytest.raises(ValueError, match=r"db2 has shape \(3,\) but b2 has shape \(3, 1\)"):
        gradient_check(
            parameters, X, Y, backward=backward_with(lambda g: {**g, "db2": g["db2"].ravel()})
        )
