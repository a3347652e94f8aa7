"""Activation functions g(Z) and their backward steps dZ = dA * g'(Z).

Forward: ``A, cache = relu(Z)``. Z has any shape, usually (n[l], m); A has the
same shape and ``cache`` is Z itself, kept for the backward step.

Backward: ``dZ = relu_backward(dA, cache)``. dA is the gradient of the cost
with respect to A, the same shape as Z; dZ has that shape too.

Each function's derivative sits right under it, so the two read together.
``ACTIVATIONS`` maps a name to its (forward, backward) pair.
"""

from collections import namedtuple

import numpy as np

from .validation import as_float_array, check_finite, lookup

LEAKY_SLOPE = 0.01  # slope of leaky ReLU for Z < 0


def _checked(Z, name="Z"):
    Z = as_float_array(Z, name)
    check_finite(Z, name)
    return Z


def _checked_pair(dA, Z):
    dA = _checked(dA, "dA")
    Z = _checked(Z, "Z (the cache)")
    if dA.shape != Z.shape:
        raise ValueError(
            f"dA has shape {dA.shape} but Z (the cache) has shape {Z.shape}: "
            "they come from the same layer and must match"
        )
    return dA, Z


def stable_sigmoid(Z):
    """1 / (1 + exp(-Z)) elementwise, with no overflow for large |Z|.

    exp is only ever taken of -|Z| <= 0, so it never overflows:
    for Z >= 0 the usual formula, for Z < 0 the equal form exp(Z) / (1 + exp(Z)).
    Z: any shape. Returns an array of that shape, values in [0, 1].
    """
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1 / (1 + E), E / (1 + E))


def sigmoid(Z):
    """Sigmoid: A = 1 / (1 + exp(-Z)).

    Z: pre-activations, any shape, e.g. (n[l], m).
    Returns A (same shape as Z, values in [0, 1]) and cache = Z.
    """
    Z = _checked(Z)
    return stable_sigmoid(Z), Z


def sigmoid_backward(dA, cache):
    """Backward step of sigmoid: dZ = dA * s * (1 - s) with s = sigmoid(Z).

    dA: gradient with respect to A, same shape as Z.
    cache: Z, as returned by ``sigmoid``.
    Returns dZ, same shape as Z.
    """
    dA, Z = _checked_pair(dA, cache)
    s = stable_sigmoid(Z)
    return dA * s * (1 - s)


def relu(Z):
    """ReLU: A = max(0, Z) elementwise (np.maximum, not np.max).

    Z: pre-activations, any shape, e.g. (n[l], m).
    Returns A (same shape as Z) and cache = Z.
    """
    Z = _checked(Z)
    return np.maximum(0, Z), Z


def relu_backward(dA, cache):
    """Backward step of ReLU: dZ = dA where Z > 0, and 0 elsewhere (also at Z = 0).

    dA: gradient with respect to A, same shape as Z.
    cache: Z, as returned by ``relu``.
    Returns dZ, same shape as Z.
    """
    dA, Z = _checked_pair(dA, cache)
    return np.where(Z > 0, dA, 0.0)


def tanh(Z):
    """Hyperbolic tangent: A = (exp(Z) - exp(-Z)) / (exp(Z) + exp(-Z)).

    Z: pre-activations, any shape, e.g. (n[l], m).
    Returns A (same shape as Z, values in [-1, 1]) and cache = Z.
    """
    Z = _checked(Z)
    return np.tanh(Z), Z


def tanh_backward(dA, cache):
    """Backward step of tanh: dZ = dA * (1 - tanh(Z)**2).

    dA: gradient with respect to A, same shape as Z.
    cache: Z, as returned by ``tanh``.
    Returns dZ, same shape as Z.
    """
    dA, Z = _checked_pair(dA, cache)
    return dA * (1 - np.tanh(Z) ** 2)


def leaky_relu(Z):
    """Leaky ReLU: A = Z where Z > 0, and 0.01 * Z elsewhere.

    Z: pre-activations, any shape, e.g. (n[l], m).
    Returns A (same shape as Z) and cache = Z.
    """
    Z = _checked(Z)
    return np.where(Z > 0, Z, LEAKY_SLOPE * Z), Z


def leaky_relu_backward(dA, cache):
    """Backward step of leaky ReLU: dZ = dA where Z > 0, and 0.01 * dA elsewhere.

    dA: gradient with respect to A, same shape as Z.
    cache: Z, as returned by ``leaky_relu``.
    Returns dZ, same shape as Z.
    """
    dA, Z = _checked_pair(dA, cache)
    return np.where(Z > 0, dA, LEAKY_SLOPE * dA)


Activation = namedtuple("Activation", ["forward", "backward"])

ACTIVATIONS = {
    "sigmoid": Activation(sigmoid, sigmoid_backward),
    "relu": Activation(relu, relu_backward),
    "tanh": Activation(tanh, tanh_backward),
    "leaky_relu": Activation(leaky_relu, leaky_relu_backward),
}


def get_activation(name):
    """Look up an activation by name ("sigmoid", "relu", "tanh", "leaky_relu").

    Returns an ``Activation(forward, backward)`` pair; an unknown name raises a
    ValueError that lists the known ones.
    """
    return lookup(ACTIVATIONS, name, "activation")
