"""One layer's forward and backward steps, in pairs that hand a cache along.

Shapes for layer l with m examples (one example per column):
A_prev (n[l-1], m), W (n[l], n[l-1]), b (n[l], 1), Z and A (n[l], m).
The backward step returns gradients of the same shapes as what they differentiate:
dA_prev (n[l-1], m), dW (n[l], n[l-1]), db (n[l], 1).
"""

import numpy as np

from .activations import get_activation
from .validation import check_matrix


def linear_forward(A, W, b):
    """Linear part of a layer: Z = W A + b.

    A: activations of the previous layer, shape (n[l-1], m).
    W: weights, shape (n[l], n[l-1]).
    b: biases, shape (n[l], 1), broadcast over the m columns.
    Returns Z, shape (n[l], m), and cache = (A, W, b) for ``linear_backward``.
    """
    A = check_matrix(A, "A")
    W = check_matrix(W, "W")
    b = check_matrix(b, "b")
    if W.shape[1] != A.shape[0]:
        raise ValueError(
            f"W has shape {W.shape} but A has {A.shape[0]} rows: "
            f"W needs {A.shape[0]} columns (n[l-1]) to multiply A of shape {A.shape}"
        )
    if b.shape != (W.shape[0], 1):
        raise ValueError(
            f"b has shape {b.shape} but W has shape {W.shape}: "
            f"b should have shape ({W.shape[0]}, 1)"
        )
    Z = np.dot(W, A) + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A whole layer: Z = W A_prev + b, then A = g(Z).

    A_prev: shape (n[l-1], m). W: (n[l], n[l-1]). b: (n[l], 1).
    activation: "relu", "sigmoid", "tanh" or "leaky_relu".
    Returns A, shape (n[l], m), and cache = (linear_cache, activation_cache)
    = ((A_prev, W, b), Z).
    """
    g = get_activation(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = g.forward(Z)
    return A, (linear_cache, activation_cache)


def linear_backward(dZ, cache):
    """Backward step of the linear part, for a batch of m examples.

    dZ: gradient of the cost with respect to Z, shape (n[l], m).
    cache: (A_prev, W, b) from ``linear_forward``.
    Returns
        dA_prev = W.T dZ                         shape (n[l-1], m)
        dW = (1/m) dZ A_prev.T                   shape (n[l], n[l-1])
        db = (1/m) sum of dZ over the columns    shape (n[l], 1)
    """
    A_prev, W, b = _unpack_linear_cache(cache)
    dZ = check_matrix(dZ, "dZ")
    if dZ.shape != (W.shape[0], A_prev.shape[1]):
        raise ValueError(
            f"dZ has shape {dZ.shape} but the layer's Z has shape "
            f"{(W.shape[0], A_prev.shape[1])} (W {W.shape}, A_prev {A_prev.shape})"
        )
    m = A_prev.shape[1]
    dW = (1 / m) * np.dot(dZ, A_prev.T)
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    """Backward step of a whole layer: dZ = dA * g'(Z), then the linear part.

    dA: gradient with respect to this layer's A, shape (n[l], m).
    cache: ((A_prev, W, b), Z) from ``linear_activation_forward``.
    activation: the activation the forward step used.
    Returns dA_prev (n[l-1], m), dW (n[l], n[l-1]), db (n[l], 1).
    """
    g = get_activation(activation)
    linear_cache, activation_cache = _unpack_layer_cache(cache)
    dZ = g.backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


def _unpack_linear_cache(cache):
    if not isinstance(cache, (tuple, list)) or len(cache) != 3:
        raise ValueError(
            "the linear cache should be the tuple (A_prev, W, b) returned by "
            f"linear_forward, got {_describe(cache)}"
        )
    A_prev = check_matrix(cache[0], "A_prev (cache[0])")
    W = check_matrix(cache[1], "W (cache[1])")
    b = check_matrix(cache[2], "b (cache[2])")
    if W.shape[1] != A_prev.shape[0] or b.shape != (W.shape[0], 1):
        raise ValueError(
            f"the linear cache holds A_prev {A_prev.shape}, W {W.shape}, "
            f"b {b.shape}, which do not fit together: is it in the order (A_prev, W, b)?"
        )
    return A_prev, W, b


def _unpack_layer_cache(cache):
    if not isinstance(cache, (tuple, list)) or len(cache) != 2:
        raise ValueError(
            "the layer cache should be the pair (linear_cache, activation_cache) "
            f"returned by linear_activation_forward, got {_describe(cache)}"
        )
    return cache[0], cache[1]


def _describe(value):
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} items"
    return type(value).__name__
