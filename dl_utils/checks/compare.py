"""How a check compares the student's result with the reference's, and names the mistake.

``close`` compares values within tolerance; ``expect_tuple``, ``expect_array``
and ``expect_values`` fail the check with a message naming the quantity and
both shapes; ``diagnose`` finds which classic mistake (computed with the
reference) the wrong result is.
"""

from .bound import (
    _abs,
    _all,
    _asarray,
    _float64,
    _isfinite,
    _isinstance,
    _len,
    _ndarray,
    _RandomState,
)

RTOL = 1e-6  # relative tolerance of value comparisons
ATOL = 1e-9  # absolute tolerance (for entries near zero)
# The tolerances after a training loop: hundreds of iterations repeat thousands of
# float operations, and a correct loop written another way (dZ computed through dAL,
# no clipping) drifts a little from the reference.
TRAIN_RTOL = 1e-5
TRAIN_ATOL = 1e-8


def is_array(x):
    """True for a numpy array (not a list, not a scalar)."""
    return _isinstance(x, _ndarray)


def close(actual, expected, rtol=RTOL, atol=ATOL):
    """True when two arrays have the same shape and values within tolerance.

    actual, expected: arrays (or numbers) of any shape. NaN never matches.
    """
    try:
        a = _asarray(actual, dtype=_float64)
        e = _asarray(expected, dtype=_float64)
    except (TypeError, ValueError):
        return False
    if a.shape != e.shape:
        return False
    if not bool(_all(_isfinite(a))):
        return False
    return bool(_all(_abs(a - e) <= atol + rtol * _abs(e)))


def one_number(x):
    """x as a float when it holds exactly one number (a number, or an array of size 1);
    None otherwise."""
    try:
        values = _asarray(x, dtype=_float64).reshape(-1)
    except (TypeError, ValueError):
        return None
    return float(values[0]) if values.size == 1 else None


def identical(actual, expected):
    """True when two arrays have the same shape and exactly the same values."""
    return is_array(actual) and actual.shape == expected.shape and bool(_all(actual == expected))


def same_random_state(a, b):
    """True when two results of np.random.get_state() describe the same state."""
    return a[0] == b[0] and identical(a[1], b[1]) and a[2:] == b[2:]


def shape_of(x):
    """A short description of what x is, for messages: "(3, 4)", "a list", "None"."""
    if is_array(x):
        return str(x.shape)
    if x is None:
        return "None"
    return f"a {type(x).__name__}"


def describe(x):
    """Like ``shape_of``, with the length of a list or tuple: "a list of 3 items"."""
    if _isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of {_len(x)} items"
    return shape_of(x)


def key_names(mapping):
    """The keys of a dict for messages, sorted: "W1, W2, b1, b2", or "nothing"."""
    return ", ".join(sorted(map(str, mapping))) or "nothing"


def generator(seed):
    """A random generator of the check's own: np.random.RandomState(seed).

    The checks draw their inputs from it and never touch numpy's global one.
    """
    return _RandomState(seed)


def diagnose(actual, mistakes):
    """The hint of the first classic mistake whose output ``actual`` matches.

    actual: what the student's function returned (any type).
    mistakes: (output, hint) pairs, where output is what that mistake would
        produce, computed from the reference, or a function of no argument
        returning it (it is only called when needed; if it raises, or returns
        None, that mistake is skipped).
    Returns the hint, or None when no mistake matches.
    """
    for output, hint in mistakes:
        if callable(output):
            try:
                output = output()
            except Exception:
                continue
        if output is not None and close(actual, output):
            return hint
    return None


def mistakes_at(mistakes, key):
    """The mistakes of a whole result narrowed to one of its entries, for ``diagnose``.

    mistakes: (output, hint) pairs where output is a dict, list or tuple (e.g. the
        parameters or grads a mistake gives) or a function of no argument returning one.
    key: the entry to compare, e.g. "dW1" or 0.
    Returns (output, hint) pairs whose output gives output[key] when called.
    """
    return [(_entry(output, key), hint) for output, hint in mistakes]


def _entry(output, key):
    return lambda: (output() if callable(output) else output)[key]


def expect_tuple(checker, result, names, hint=None):
    """Check that the student returned a tuple of len(names) items.

    names: the names of the items, e.g. ("A", "cache").
    Returns the result as a tuple.
    """
    what = ", ".join(names)
    if not _isinstance(result, tuple) or _len(result) != _len(names):
        got = shape_of(result)
        if _isinstance(result, tuple):
            got = f"a tuple of {_len(result)} items"
        checker.fail(
            f"it should return the {len(names)} values ({what}), got {got}",
            hint or f"end with `return {what}`",
        )
    return result


def expect_array(checker, value, label, shape, context="", hint=None):
    """Check that ``value`` is a numpy array of the given shape.

    label: how the message names it, e.g. "dW".
    shape: the expected shape, a tuple.
    context: what the shape follows from, e.g. "for W (3, 2) and A (2, 4)".
    hint: the likely cause to give when the shape is wrong.
    """
    where = f" {context}" if context else ""
    if not is_array(value):
        checker.fail(
            f"{label} should be a numpy array of shape {shape}{where}, got {shape_of(value)}",
            hint,
        )
    if value.shape != tuple(shape):
        checker.fail(f"{label} has shape {value.shape}, expected {tuple(shape)}{where}", hint)
    return value


def expect_values(checker, value, expected, label, mistakes=(), hint=None):
    """Check that an array of the right shape holds the right values.

    mistakes: (output, hint) pairs for ``diagnose``: the first classic mistake
    whose output matches gives the hint; otherwise ``hint`` (may be None).
    """
    if not close(value, expected):
        found = diagnose(value, mistakes)
        shape = value.shape if is_array(value) else shape_of(value)
        checker.fail(f"{label} has the right shape {shape} but wrong values", found or hint)
