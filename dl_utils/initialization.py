"""Parameter initialization for 2-layer and L-layer networks.

Every W[l] has shape (n[l], n[l-1]) and every b[l] shape (n[l], 1). Biases
start at zero; the weights depend on the scheme:

==========  ===========================================  ========================
scheme      W[l]                                         what it teaches
==========  ===========================================  ========================
"zeros"     all zeros                                    symmetry: units stay equal
"random"    randn(n[l], n[l-1]) * scale (0.01)           the course's default
"large"     randn(n[l], n[l-1]) * 10                     saturation, exploding values
"xavier"    randn(n[l], n[l-1]) * sqrt(1 / n[l-1])       keeps tanh/sigmoid in range
"he"        randn(n[l], n[l-1]) * sqrt(2 / n[l-1])       keeps ReLU signals in range
==========  ===========================================  ========================

Randomness comes from a local generator, never the global one: the default
seeds reproduce ``np.random.seed(seed)`` followed by ``np.random.randn(...)``
layer by layer, without touching ``np.random``'s state.
"""

import numpy as np

from .validation import check_count, check_layer_dims, is_number, is_whole_number, lookup

LARGE_SCALE = 10.0


def _zeros(n_out, n_in, rng, scale):
    return np.zeros((n_out, n_in))


def _random(n_out, n_in, rng, scale):
    return _standard_normal(rng, (n_out, n_in)) * scale


def _large(n_out, n_in, rng, scale):
    return _standard_normal(rng, (n_out, n_in)) * LARGE_SCALE


def _xavier(n_out, n_in, rng, scale):
    return _standard_normal(rng, (n_out, n_in)) * np.sqrt(1.0 / n_in)


def _he(n_out, n_in, rng, scale):
    return _standard_normal(rng, (n_out, n_in)) * np.sqrt(2.0 / n_in)


# name -> function(n_out, n_in, rng, scale) returning W of shape (n_out, n_in)
INITIALIZERS = {
    "zeros": _zeros,
    "random": _random,
    "large": _large,
    "xavier": _xavier,
    "he": _he,
}


def _standard_normal(rng, shape):
    # RandomState.randn(*shape) and Generator.standard_normal(shape) both
    # draw N(0, 1); randn keeps the classic assignment's numbers.
    if isinstance(rng, np.random.RandomState):
        return rng.randn(*shape)
    return rng.standard_normal(shape)


def make_rng(seed):
    """Turn a seed into a generator of its own.

    seed: an int (a new ``np.random.RandomState(seed)``, the classic numbers),
    or an existing ``np.random.RandomState`` / ``np.random.Generator``, used as is.
    """
    if isinstance(seed, (np.random.RandomState, np.random.Generator)):
        return seed
    if not is_whole_number(seed):
        raise ValueError(
            "seed should be a whole number or a numpy generator "
            f"(np.random.RandomState / np.random.default_rng), got {seed!r}"
        )
    if seed < 0:
        raise ValueError(f"seed should be 0 or more, got {seed}")
    return np.random.RandomState(int(seed))


def _check_scale(scale):
    if not is_number(scale) or not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale should be a positive number, got {scale!r}")
    return float(scale)


def initialize_parameters_deep(layer_dims, seed=3, init="random", scale=0.01):
    """Initialize an L-layer network.

    layer_dims: sizes [n_x, n[1], ..., n[L]], e.g. [5, 4, 3] (L = 2 layers).
    seed: an int or a numpy generator (see ``make_rng``); 3 gives the
        classic assignment's values.
    init: "zeros", "random", "large", "xavier" or "he" (see the module docstring).
    scale: the standard deviation of the "random" scheme.
    Returns a dict with, for l = 1..L, W{l} of shape (n[l], n[l-1]) and
    b{l} of shape (n[l], 1).
    """
    dims = check_layer_dims(layer_dims)
    make_weights = lookup(INITIALIZERS, init, "init scheme")
    scale = _check_scale(scale)
    rng = make_rng(seed)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = make_weights(dims[l], dims[l - 1], rng, scale)
        parameters[f"b{l}"] = np.zeros((dims[l], 1))
    return parameters


def initialize_parameters(n_x, n_h, n_y, seed=1, init="random", scale=0.01):
    """Initialize a 2-layer network n_x -> n_h -> n_y.

    n_x, n_h, n_y: sizes of the input, hidden and output layers.
    seed: an int or a numpy generator; 1 gives the classic assignment's values.
    init, scale: as for ``initialize_parameters_deep``.
    Returns a dict with W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1).
    """
    for name, n in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y)):
        check_count(n, name, minimum=1)
    return initialize_parameters_deep([n_x, n_h, n_y], seed=seed, init=init, scale=scale)
