"""Activation functions g(Z) and their backward steps dZ = dA * g'(Z).

Forward: ``A, cache = relu(Z)``. Z has any shape, usually (n[l], m); A has the
same shape and ``cache`` is Z itself, kept for the backward step.

Backward: ``dZ = relu_backward(dA, cache)``. dA is the gradient of the cost
with respect to A, the same shape as Z; dZ has that shape too.

Each function's derivative sits right under it, so the two read together.
``ACTIVATIONS`` maps a name to its (forward, backward) pair, which also carries
the two kernels a fast training loop uses (see ``Activation``).
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


def stable_sigmoid(Z, out=None):
    """1 / (1 + exp(-Z)) elementwise, with no overflow for large |Z|.

    exp is only ever taken of -|Z| <= 0, so it never overflows:
    for Z >= 0 the usual formula, for Z < 0 the equal form exp(Z) / (1 + exp(Z)).
    Z: any shape. out: an array of Z's shape to write the result into, or None.
    Returns an array of that shape (``out`` when given), values in [0, 1].
    """
    E = np.exp(-np.abs(Z))
    S = np.where(Z >= 0, 1.0, E)  # the numerator: 1 for Z >= 0, exp(Z) for Z < 0
    return np.divide(S, 1 + E, out=S if out is None else out)


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


# --- the same activations for a fast training loop -----------------------------------
#
# ``fast_training.GradientDescent`` keeps no Z and no cache: it writes each layer's
# A = g(Z) into an array it reuses, and gets g'(Z) back from A alone, which each of
# these activations allows (the course's derivatives written with a = g(z)):
#   sigmoid   g'(z) = a (1 - a)          tanh        g'(z) = 1 - a**2
#   relu      g'(z) = 1 where a > 0      leaky ReLU  g'(z) = 1 where a > 0, else 0.01
# (a > 0 exactly where z > 0, so the derivative at 0 is 0, as in relu_backward).
# No input checks here: the trainer checks its inputs once.


def _sigmoid_into(Z, out):
    return stable_sigmoid(Z, out=out)


def _relu_into(Z, out):
    return np.maximum(Z, 0, out=out)


def _tanh_into(Z, out):
    return np.tanh(Z, out=out)


def _leaky_relu_into(Z, out):
    # with a slope below 1, max(Z, slope Z) is Z where Z > 0 and slope Z elsewhere
    return np.maximum(Z, LEAKY_SLOPE * Z, out=out)


def _sigmoid_derivative(A):
    return A * (1 - A)


def _relu_derivative(A):
    return A > 0


def _tanh_derivative(A):
    return 1 - A * A


def _leaky_relu_derivative(A):
    return np.where(A > 0, 1.0, LEAKY_SLOPE)


class Activation(namedtuple("Activation", ["forward", "backward"])):
    """An activation's pair (forward, backward): ``A, cache = forward(Z)``,
    ``dZ = backward(dA, cache)``; it unpacks as that pair.

    It also carries the two kernels of a fast training loop, which skip the checks:
    ``forward_into(Z, out)`` writes A = g(Z) into ``out`` (Z's shape) and returns it;
    ``derivative_from_output(A)`` returns g'(Z) (A's shape) from A = g(Z) alone.
    """

    def __new__(cls, forward, backward, forward_into, derivative_from_output):
        pair = super().__new__(cls, forward, backward)
        pair.forward_into = forward_into
        pair.derivative_from_output = derivative_from_output
        return pair


ACTIVATIONS = {
    "sigmoid": Activation(sigmoid, sigmoid_backward, _sigmoid_into, _sigmoid_derivative),
    "relu": Activation(relu, relu_backward, _relu_into, _relu_derivative),
    "tanh": Activation(tanh, tanh_backward, _tanh_into, _tanh_derivative),
    "leaky_relu": Activation(
        leaky_relu, leaky_relu_backward, _leaky_relu_into, _leaky_relu_derivative
    ),
}


def get_activation(name):
    """Look up an activation by name ("sigmoid", "relu", "tanh", "leaky_relu").

    Returns an ``Activation(forward, backward)`` pair; an unknown name raises a
    ValueError that lists the known ones.
    """
    return lookup(ACTIVATIONS, name, "activation")
