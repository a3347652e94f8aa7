"""The course's training loops: ``two_layer_model`` and ``L_layer_model``.

They are the loops the student writes (``L_layer_model`` at the end of the
step-by-step notebook, ``two_layer_model`` in the application notebook), built
from the reference's own blocks. Gradient descent: initialize the parameters,
then ``num_iterations`` times

1. forward propagation:   AL, caches = L_model_forward(X, parameters)
2. the cost J:            compute_cost(AL, Y), on the iterations where it is kept
3. backward propagation:  grads = L_model_backward(AL, Y, caches)
4. the update:            parameters = update_parameters(parameters, grads, learning_rate)

The cost is kept at iterations 0, 100, 200, ..., before that iteration's update.

The same training written for speed (for the playground and for images) is
``fast_training.GradientDescent``; a test keeps the two equal.

Shapes: X (n_x, m), Y (1, m), W{l} (n[l], n[l-1]), b{l} (n[l], 1), AL (1, m).
"""

import os
import sys

import numpy as np

from .initialization import initialize_parameters, initialize_parameters_deep
from .layers import linear_activation_backward, linear_activation_forward
from .model import L_model_backward, L_model_forward, compute_cost, update_parameters
from .validation import (
    check_count,
    check_labels,
    check_layer_dims,
    check_learning_rate,
    check_matrix,
    check_parameters,
)

RECORD_EVERY = 100  # the cost is kept at iterations 0, 100, 200, ...


def two_layer_model(
    X,
    Y,
    layers_dims,
    learning_rate=0.0075,
    num_iterations=3000,
    print_cost=False,
    seed=1,
    progress=None,
):
    """Train LINEAR -> RELU -> LINEAR -> SIGMOID by gradient descent.

    X: data, shape (n_x, m). Y: labels, shape (1, m).
    layers_dims: (n_x, n_h, n_y).
    learning_rate: alpha. num_iterations: the number of gradient steps.
    print_cost: print the cost every 100 iterations and at the last one.
    seed: for ``initialize_parameters`` (1 gives the classic starting point).
    progress: show a progress bar; None shows one in a notebook only.
    Returns (parameters, costs): the trained W1 (n_h, n_x), b1 (n_h, 1),
    W2 (n_y, n_h), b2 (n_y, 1), and the cost at iterations 0, 100, 200, ...
    Raises ValueError if training diverges (see ``stop_if_diverged``).
    """
    n_x, n_h, n_y = _two_layer_dims(layers_dims)
    parameters = initialize_parameters(n_x, n_h, n_y, seed=seed)
    X, Y = _checked(X, Y, parameters, learning_rate)
    costs = []
    for i in iterations(num_iterations, progress):
        W1, b1, W2, b2 = (parameters[name] for name in ("W1", "b1", "W2", "b2"))
        A1, cache1 = linear_activation_forward(X, W1, b1, "relu")
        A2, cache2 = linear_activation_forward(A1, W2, b2, "sigmoid")
        record_cost(costs, i, A2, Y, print_cost, last=i == num_iterations - 1)
        # dA2, the derivative of the cost with respect to A2 (times m)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


def L_layer_model(
    X,
    Y,
    layers_dims,
    learning_rate=0.0075,
    num_iterations=3000,
    print_cost=False,
    init="xavier",
    seed=1,
    hidden_activation="relu",
    progress=None,
):
    """Train an L-layer network: [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID.

    X: data, shape (n_x, m). Y: labels, shape (1, m).
    layers_dims: [n_x, n[1], ..., n[L]], e.g. [12288, 20, 7, 5, 1].
    learning_rate: alpha. num_iterations: the number of gradient steps.
    print_cost: print the cost every 100 iterations and at the last one.
    init, seed: passed to ``initialize_parameters_deep``. The default "xavier"
        scales W{l} by sqrt(1 / n[l-1]); with the 0.01 scale ("random") a deep
        ReLU network's signal fades away and it barely learns (try it).
    hidden_activation: "relu", "tanh", "sigmoid" or "leaky_relu".
    progress: show a progress bar; None shows one in a notebook only.
    Returns (parameters, costs): the trained W{l} (n[l], n[l-1]) and
    b{l} (n[l], 1), and the cost at iterations 0, 100, 200, ...
    Raises ValueError if training diverges (see ``stop_if_diverged``).
    ``fast_training.fast_L_layer_model`` gives the same, faster.
    """
    parameters = initialize_parameters_deep(layers_dims, seed=seed, init=init)
    X, Y = _checked(X, Y, parameters, learning_rate)
    costs = []
    for i in iterations(num_iterations, progress):
        AL, caches = L_model_forward(X, parameters, hidden_activation)
        record_cost(costs, i, AL, Y, print_cost, last=i == num_iterations - 1)
        grads = L_model_backward(AL, Y, caches, hidden_activation)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


def record_cost(costs, i, AL, Y, print_cost, last, cost=None, every=RECORD_EVERY):
    """The cost's part of iteration i of a training loop.

    At i = 0, every, 2 * every, ...: append the cost of AL (1, m) for the labels
    Y (1, m) to the list ``costs``, as a float: ``compute_cost(AL, Y)``, or
    ``cost(AL, Y)`` if given. Print it at those iterations if print_cost, and at
    the last one (``last`` True).
    Raises ValueError if training has diverged (see ``stop_if_diverged``).
    """
    kept = i % every == 0
    if kept or (print_cost and last):
        J = float(compute_cost(AL, Y) if cost is None else cost(AL, Y))
        stop_if_diverged(i, AL, Y, J)
        if kept:
            costs.append(J)
        if print_cost:
            print(f"Cost after iteration {i}: {J}")


def stop_if_diverged(i, AL, Y, cost):
    """Raise a ValueError if training diverged by iteration i.

    It has when the cost is not a finite number, or when the output AL (1, m)
    is exactly 0 where the label Y (1, m) is not 0, or exactly 1 where it is
    not 1: that example's cost is then infinite (the cost functions clip it to
    a finite number) and, in the course's dAL * sigmoid'(ZL), its gradient 0.
    """
    wrong = ((AL == 0) & (Y != 0)) | ((AL == 1) & (Y != 1))
    if np.isfinite(cost) and not wrong.any():
        return
    what = f"the cost is {cost}" if not np.isfinite(cost) else "the output reached exactly 0 or 1"
    raise ValueError(
        f"training diverged at iteration {i} ({what}): lower the learning rate "
        "(or, at iteration 0, scale the data or the starting weights down)"
    )


def iterations(num_iterations, progress=None):
    """range(num_iterations), with a progress bar if ``progress``.

    progress: True, False, or None for a bar in a notebook only (never while
    the notebook is graded).
    """
    num_iterations = check_count(num_iterations, "num_iterations")
    if progress is None:
        progress = _in_notebook() and not under_grading()
    if not progress:
        return range(num_iterations)
    from tqdm.auto import tqdm

    return tqdm(range(num_iterations), desc="training", unit="it", mininterval=0.25)


def under_grading():
    """True while nbgrader runs the notebook (it sets NBGRADER_EXECUTION)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def _in_notebook():
    shell = sys.modules.get("IPython")
    if shell is None or "ipykernel" not in sys.modules:
        return False
    ip = shell.get_ipython()
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


def _two_layer_dims(layers_dims):
    dims = check_layer_dims(layers_dims, "layers_dims")
    if len(dims) != 3:
        raise ValueError(
            f"layers_dims should be (n_x, n_h, n_y) for a 2-layer model, got {list(layers_dims)}"
        )
    return dims


def _checked(X, Y, parameters, learning_rate):
    """X (n_x, m) and Y (1, m) as float arrays, once checked against each other,
    the starting parameters and the learning rate."""
    X = check_matrix(X, "X")
    Y = check_labels(Y, m=X.shape[1], binary=False)
    check_parameters(parameters, n_x=X.shape[0])
    check_learning_rate(learning_rate)
    return X, Y


def __getattr__(name):
    # GradientDescent lived in this module before it moved to fast_training:
    # `from dl_utils.training import GradientDescent` still works.
    if name == "GradientDescent":
        from .fast_training import GradientDescent

        return GradientDescent
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
