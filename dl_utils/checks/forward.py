"""Checks of the forward-pass exercises (the model for every other check module)."""

import numpy as np

from .. import layers as reference
from .core import begin, call_student, close, is_array, shape_of

# (n_prev, n, m) of the visible case and of the hidden cases, with their seeds
VISIBLE_CASES = [((3, 2, 4), 1)]
HIDDEN_CASES = [((5, 7, 3), 11), ((1, 1, 1), 12), ((12, 6, 9), 13), ((4, 4, 4), 14)]


def cases(hidden):
    """The (shape, seed) pairs a check runs: one visible case, or the hidden ones."""
    return HIDDEN_CASES if hidden else VISIBLE_CASES


def _is_broadcast_error(error):
    return isinstance(error, ValueError) and "broadcast" in str(error)


def check_linear_forward(linear_forward, hidden=False):
    """Check Z = W A + b and the cache (A, W, b).

    linear_forward: the student's function (A, W, b) -> (Z, cache).
    hidden: run the hidden cases (other shapes and seeds) instead of the visible one.
    Raises CheckFailed on the first problem.
    """
    checker = begin("linear_forward", linear_forward, hidden)
    for (n_prev, n, m), seed in cases(hidden):
        rng = np.random.RandomState(seed)
        A, W, b = rng.randn(n_prev, m), rng.randn(n, n_prev), rng.randn(n, 1)
        Z_expected, _ = reference.linear_forward(A, W, b)

        result = call_student(
            checker,
            linear_forward,
            (A, W, b),
            exception_hints=[
                (
                    _is_broadcast_error,
                    "W * A multiplies entry by entry; Z needs the matrix product np.dot(W, A)",
                )
            ],
        )
        if not isinstance(result, tuple) or len(result) != 2:
            checker.fail(
                f"it should return the pair (Z, cache), got {shape_of(result)}",
                "end with `return Z, cache`",
            )
        Z, cache = result
        checker.ok("returns (Z, cache)")

        if not is_array(Z) or Z.shape != (n, m):
            hint = None
            if is_array(Z) and Z.shape == (n_prev, m) or Z is None:
                hint = "Z = W A + b has one row per unit of the layer: shape (n[l], m)"
            checker.fail(
                f"Z has shape {shape_of(Z)}, expected ({n}, {m}) for W {W.shape} and A {A.shape}",
                hint,
            )
        checker.ok(f"Z has shape {Z.shape}")

        if not close(Z, Z_expected):
            hint = None
            if close(Z, Z_expected - b):
                hint = "the bias is missing: Z = np.dot(W, A) + b"
            elif n == n_prev and close(Z, W.T @ A + b):
                hint = "that is np.dot(W.T, A): the forward step uses W itself"
            checker.fail(f"Z has the right shape {Z.shape} but wrong values", hint)
        checker.ok("Z values are right")

        if not isinstance(cache, tuple) or len(cache) != 3 or not all(is_array(c) for c in cache):
            checker.fail(
                f"cache should be the tuple (A, W, b), got {shape_of(cache)}",
                "cache = (A, W, b)",
            )
        if not (close(cache[0], A) and close(cache[1], W) and close(cache[2], b)):
            shapes = ", ".join(str(c.shape) for c in cache)
            checker.fail(
                f"cache holds arrays of shapes ({shapes}), "
                f"expected ({A.shape}, {W.shape}, {b.shape})",
                "keep the order (A, W, b): linear_backward unpacks A_prev, W, b = cache",
            )
        checker.ok("cache is (A, W, b)")
        checker.ok("inputs left unchanged")
    checker.done()
