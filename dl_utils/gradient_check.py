"""Gradient checking: compare backpropagation with numeric derivatives.

For a scalar cost J and one parameter entry theta, the centered difference

    (J(theta + eps) - J(theta - eps)) / (2 eps)

approximates dJ/dtheta with an error of order eps**2. ``gradient_check`` does
that for every entry of every W{l} and b{l} and reports, per parameter,

    relative error = ||numeric - analytic|| / (||numeric|| + ||analytic||).

With float64 and eps = 1e-7 a correct backward pass gives about 1e-7 or less;
a bug usually gives 1e-3 or more. Use it on your own functions:

    errors = gradient_check(parameters, X, Y,
                            forward=my_L_model_forward, backward=my_L_model_backward)
"""

import numpy as np

from .model import L_model_backward, L_model_forward, compute_cost
from .validation import as_float_array, check_labels, check_matrix, check_parameters

GOOD = 1e-7  # below this, the gradient is right
BAD = 1e-4  # above this, it is almost certainly wrong


def numerical_gradient(f, x, eps=1e-7):
    """Centered-difference gradient of a scalar function.

    f: a function of one array argument returning a number.
    x: the point, an array of any shape; it is copied, never changed.
    eps: the step.
    Returns an array of x's shape: entry i is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps).
    """
    x = np.array(as_float_array(x, "x"), dtype=float)  # our own copy
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + eps
        plus = float(f(x))
        x[ix] = old - eps
        minus = float(f(x))
        x[ix] = old
        grad[ix] = (plus - minus) / (2 * eps)
    return grad


def numerical_gradient_array(f, x, d_out, eps=1e-5):
    """Numeric gradient of an array-valued function, for one layer's backward step.

    f: a function of one array returning an array (e.g. lambda A: relu(A)[0]).
    x: the point, any shape; copied, never changed.
    d_out: the upstream gradient, the shape of f(x).
    Returns the gradient of sum(f(x) * d_out) with respect to x, shape of x:
    what the layer's backward step should return for d_out.
    """
    d_out = as_float_array(d_out, "d_out")
    return numerical_gradient(lambda v: np.sum(f(v) * d_out), x, eps)


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||), 0.0 when both are zero. a, b: same shape."""
    a, b = as_float_array(a, "a"), as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"cannot compare arrays of shapes {a.shape} and {b.shape}")
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / denominator)


def gradient_check(
    parameters,
    X,
    Y,
    forward=L_model_forward,
    backward=L_model_backward,
    cost=compute_cost,
    eps=1e-7,
    print_result=True,
):
    """Check a backward pass against numeric derivatives of the cost.

    parameters: W{l} (n[l], n[l-1]) and b{l} (n[l], 1); never changed.
    X: data, shape (n_x, m). Y: labels, shape (1, m).
    forward: forward(X, parameters) -> (AL, caches), e.g. your L_model_forward.
    backward: backward(AL, Y, caches) -> grads with dW{l}, db{l}.
    cost: cost(AL, Y) -> a number.
    eps: the step of the centered difference.
    Returns a dict {"W1": relative error, "b1": ..., ...}; with print_result
    it also prints one line per parameter with a verdict.
    """
    X = check_matrix(X, "X")
    Y = check_labels(Y, m=X.shape[1])
    L = check_parameters(parameters, n_x=X.shape[0])
    params = {k: np.array(v, dtype=float) for k, v in parameters.items()}

    AL, caches = forward(X, params)
    grads = backward(AL, Y, caches)

    errors = {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            name = f"{p}{l}"
            if f"d{name}" not in grads:
                raise ValueError(f"backward returned no d{name}")
            analytic = as_float_array(grads[f"d{name}"], f"d{name}")
            if analytic.shape != params[name].shape:
                raise ValueError(
                    f"d{name} has shape {analytic.shape} but {name} has shape {params[name].shape}"
                )

            def cost_at(value, name=name):
                trial = dict(params)
                trial[name] = value
                return cost(forward(X, trial)[0], Y)

            numeric = numerical_gradient(cost_at, params[name], eps)
            errors[name] = relative_error(numeric, analytic)
    if print_result:
        print(describe_errors(errors))
    return errors


def describe_errors(errors):
    """One line per parameter: its relative error and a verdict."""
    lines = []
    for name, error in errors.items():
        if error < GOOD:
            verdict = "ok"
        elif error < BAD:
            verdict = "suspicious: check d" + name
        else:
            verdict = "WRONG: d" + name + " does not match the numeric gradient"
        lines.append(f"{name:>4}: relative error {error:.1e}  {verdict}")
    return "\n".join(lines)
