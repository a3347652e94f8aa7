"""The L-layer model: forward pass, cost, backward pass and parameter update.

Shapes, with m examples (one per column) and L layers:
X = A0 (n_x, m), A{l} (n[l], m), AL (1, m), Y (1, m),
W{l} (n[l], n[l-1]), b{l} (n[l], 1); every gradient has the shape of what it
differentiates. Hidden layers use ReLU unless told otherwise; the output layer
is always a sigmoid.
"""

import numpy as np

from .activations import get_activation
from .layers import linear_activation_backward, linear_activation_forward
from .validation import (
    check_labels,
    check_learning_rate,
    check_matrix,
    check_parameters,
    check_probabilities,
)

# Probabilities are kept in [EPSILON, 1 - EPSILON] inside log and 1/x, so that
# a prediction of exactly 0 or 1 gives a large finite cost instead of inf/NaN.
EPSILON = 1e-15


class Caches(list):
    """The list of layer caches of ``L_model_forward``, which also remembers the
    hidden layers' activation, so that ``L_model_backward`` differentiates that one."""

    hidden_activation = None


def L_model_forward(X, parameters, hidden_activation="relu"):
    """Forward pass: [LINEAR -> hidden activation] x (L-1), then LINEAR -> SIGMOID.

    X: input data, shape (n_x, m).
    parameters: W1, b1, ..., WL, bL (see ``initialize_parameters_deep``).
    hidden_activation: "relu" (default), "tanh", "sigmoid" or "leaky_relu".
    Returns AL, the predicted probabilities of shape (1, m) (more generally
    (n[L], m)), and caches, a list of the L layer caches in order (caches[l-1]
    belongs to layer l; ``caches.hidden_activation`` says which activation made them).
    """
    X = check_matrix(X, "X")
    L = check_parameters(parameters, n_x=X.shape[0])
    get_activation(hidden_activation)
    caches = Caches()
    caches.hidden_activation = hidden_activation
    A = X
    for l in range(1, L):
        A, cache = linear_activation_forward(
            A, parameters[f"W{l}"], parameters[f"b{l}"], hidden_activation
        )
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    """Cross-entropy cost J = -(1/m) sum(Y log(AL) + (1 - Y) log(1 - AL)).

    AL: predicted probabilities, shape (1, m).
    Y: true labels (0 or 1), shape (1, m).
    Returns J as a 0-d float (shape ()), finite even where AL is exactly 0 or 1.
    """
    AL, Y = _check_predictions_and_labels(AL, Y)
    return np.float64(cross_entropy(AL, Y))


def cross_entropy(AL, Y):
    """The cost of ``compute_cost`` without its input checks, for training loops.

    AL: predicted probabilities, shape (1, m). Y: true labels (0 or 1), shape (1, m).
    Returns J as a Python float.
    """
    m = Y.shape[1]
    # in float64: in float32, 1 - EPSILON rounds to 1 and log(1 - P) to -inf
    P = np.clip(np.asarray(AL, dtype=np.float64), EPSILON, 1 - EPSILON)
    return float(-(1 / m) * np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)))


def L_model_backward(AL, Y, caches, hidden_activation=None):
    """Backward pass through the whole network, from the cost to the first layer.

    AL: output of ``L_model_forward``, shape (1, m). (Any finite numbers: the
        gradient dAL = -(Y / AL - (1 - Y) / (1 - AL)) is computed wherever it is
        defined; an AL of exactly 0 or 1 is moved EPSILON inside.)
    Y: true labels (0 or 1), shape (1, m).
    caches: the list of L caches from ``L_model_forward``.
    hidden_activation: the activation the forward pass used in hidden layers;
        None: the one the caches remember (``L_model_forward``'s), else "relu".
        Raises ValueError when it disagrees with the caches' own.
    Returns grads with exactly the keys dA0 .. dA{L-1} (dA{l} is the gradient
    with respect to A{l}, shape (n[l], m)), dW1 .. dWL and db1 .. dbL
    (shapes of W{l} and b{l}).
    """
    AL = check_matrix(AL, "AL")
    Y = check_labels(Y, binary=False)
    _check_same_shape(AL, Y)
    hidden_activation = _activation_of(caches, hidden_activation)
    L = len(caches)
    P = np.asarray(AL, dtype=np.float64).copy()
    P[P == 0], P[P == 1] = EPSILON, 1 - EPSILON  # where the formula divides by zero
    dAL = -(np.divide(Y, P) - np.divide(1 - Y, 1 - P))

    grads = {}
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads[f"dA{L - 1}"], grads[f"dW{L}"], grads[f"db{L}"] = dA_prev, dW, db
    for l in reversed(range(1, L)):
        dA_prev, dW, db = linear_activation_backward(
            grads[f"dA{l}"], caches[l - 1], hidden_activation
        )
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA_prev, dW, db
    return grads


def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent: W{l} - alpha dW{l} and b{l} - alpha db{l}.

    parameters: W{l} (n[l], n[l-1]) and b{l} (n[l], 1) for l = 1..L.
    grads: at least dW{l} and db{l} of the same shapes (extra keys such as
        dA{l} are ignored).
    learning_rate: alpha, a positive number.
    Returns a new dict; ``parameters`` and ``grads`` are left unchanged.
    """
    L = check_parameters(parameters)
    learning_rate = check_learning_rate(learning_rate)
    if not isinstance(grads, dict):
        raise ValueError(f"grads should be a dict, got {type(grads).__name__}")
    updated = {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            name = f"{p}{l}"
            value = np.asarray(parameters[name], dtype=float)
            if f"d{name}" not in grads:
                raise ValueError(f"grads has no d{name}, needed to update {name}")
            gradient = check_matrix(grads[f"d{name}"], f"d{name}")
            if gradient.shape != value.shape:
                raise ValueError(
                    f"d{name} has shape {gradient.shape} but {name} has shape "
                    f"{value.shape}: a gradient has the shape of its parameter"
                )
            updated[name] = value - learning_rate * gradient
    return updated


def predict(X, y, parameters, hidden_activation="relu", print_accuracy=True):
    """Predict 0/1 labels and report the accuracy.

    X: data, shape (n_x, m).
    y: true labels, shape (1, m), or None to skip the accuracy.
    parameters: a trained parameter dict, W{l} (n[l], n[l-1]) and b{l} (n[l], 1).
    hidden_activation: the activation the hidden layers were trained with.
    print_accuracy: print "Accuracy: ..." when y is given.
    Returns p, shape (1, m), with p = 1 where AL > 0.5 and 0 elsewhere
    (exactly 0.5 gives 0).
    """
    AL, _ = L_model_forward(X, parameters, hidden_activation)
    p = (AL > 0.5).astype(int)
    if y is not None:
        y = check_labels(y, "y", m=p.shape[1])
        if print_accuracy:
            print(f"Accuracy: {accuracy(p, y):.4f}")
    return p


def accuracy(p, y):
    """Fraction of predictions equal to the labels.

    p, y: 0/1 arrays of shape (1, m). Returns a float in [0, 1].
    """
    return float(np.mean(np.asarray(p) == np.asarray(y)))


def _check_predictions_and_labels(AL, Y):
    AL = check_probabilities(AL)
    Y = check_labels(Y, binary=False)
    _check_same_shape(AL, Y)
    return AL, Y


def _check_same_shape(AL, Y):
    if AL.shape != Y.shape:
        raise ValueError(
            f"AL has shape {AL.shape} but Y has shape {Y.shape}: one prediction per label is needed"
        )


def _activation_of(caches, hidden_activation):
    """The hidden activation to differentiate: the caller's, or the caches' own."""
    if not isinstance(caches, (list, tuple)) or len(caches) == 0:
        raise ValueError("caches should be the non-empty list returned by L_model_forward")
    remembered = getattr(caches, "hidden_activation", None)
    if hidden_activation is None:
        hidden_activation = remembered or "relu"
    elif remembered is not None and remembered != hidden_activation:
        raise ValueError(
            f"these caches come from L_model_forward(..., hidden_activation={remembered!r}), "
            f"but L_model_backward was given hidden_activation={hidden_activation!r}: give both "
            "the same activation (or leave it out here)"
        )
    get_activation(hidden_activation)
    return hidden_activation
