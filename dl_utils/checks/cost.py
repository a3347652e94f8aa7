"""Check of the cost exercise: compute_cost, the cross-entropy of AL against Y."""

import numpy as np

from .. import model as reference
from .calling import MATMUL_ERROR
from .compare import close, diagnose, generator, is_array, shape_of
from .registry import exercise

_floating = np.floating
_float = float

# (m, seed): every case has m >= 2 and both labels, so np.dot misuse shows
COST_VISIBLE = [(3, 1)]
COST_HIDDEN = [(2, 41), (7, 42), (25, 43)]

DOT_HINT = (
    "np.dot(Y, np.log(AL)) is a matrix product, and (1, m) by (1, m) does not fit: "
    "multiply entry by entry, Y * np.log(AL), then np.sum (or use np.dot(Y, np.log(AL).T))"
)


def cost_inputs(m, seed):
    """AL (1, m), probabilities well inside (0, 1), and labels Y (1, m) with both 0 and 1."""
    rng = generator(seed)
    AL = 0.05 + 0.9 * rng.rand(1, m)
    Y = (rng.rand(1, m) > 0.5).astype(float)
    Y[0, 0], Y[0, 1] = 0.0, 1.0
    return AL, Y


def _as_number(cost):
    """The cost as a float when it is one number (a Python or numpy float, or a 0-d
    array); None otherwise."""
    if isinstance(cost, (_float, _floating)):
        return _float(cost)
    if is_array(cost) and cost.shape == () and cost.dtype.kind == "f":
        return _float(cost)
    return None


@exercise("compute_cost")
def check_compute_cost(checker, compute_cost, hidden):
    """Check J = -(1/m) sum(Y log(AL) + (1 - Y) log(1 - AL)), returned as one number."""
    for m, seed in COST_HIDDEN if hidden else COST_VISIBLE:
        _cost_case(checker, compute_cost, *cost_inputs(m, seed))
    checker.ok("inputs left unchanged")


def _cost_case(checker, compute_cost, AL, Y):
    m = Y.shape[1]
    expected = float(reference.compute_cost(AL, Y))
    cost = checker.call(compute_cost, (AL, Y), exception_hints=[(MATMUL_ERROR, DOT_HINT)])
    value = _as_number(cost)
    if value is None:
        hint = None
        if is_array(cost) and cost.size == 1:
            hint = "np.squeeze(cost) turns an array of shape (1, 1) into one number, of shape ()"
        elif is_array(cost) and cost.size == m:
            hint = "sum over the m examples: np.sum(...)"
        checker.fail(f"the cost should be one number (shape ()), got {shape_of(cost)}", hint)
    checker.ok("returns one number")
    if not close(value, expected):
        hint = diagnose(
            value,
            [
                (expected * m, "the 1/m is missing: J = -(1/m) * np.sum(...)"),
                (-expected, "the sign is reversed: J = -(1/m) * np.sum(...), with a minus"),
                (
                    lambda: -np.sum(Y * np.log(AL)) / m,
                    "the term of the label 0 is missing: (1 - Y) * np.log(1 - AL)",
                ),
                (
                    lambda: -np.sum(Y * np.log(AL) + (1 - Y) * np.log(AL)) / m,
                    "the second term is (1 - Y) * np.log(1 - AL)",
                ),
            ],
        )
        checker.fail(f"the cost is wrong for AL and Y of shape {Y.shape}", hint)
    checker.ok("the cost value is right")
