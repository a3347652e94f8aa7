"""The machinery behind every exercise check.

A check runs the student's function on inputs of its own, computes the
expected result with the reference in ``dl_utils`` at that moment, and
compares them property by property (type, shape, values, inputs unchanged).
It prints one line per property that passed; on the first failure it raises
``CheckFailed`` with a message that names the quantity and the shapes and,
when the output matches a classic mistake, says which. It never prints the
expected array.

Checks run in a kernel the student controls, so:

- everything they compute with is bound here, at import time, before any
  student cell runs; replacing ``np.allclose`` or ``np.testing`` later
  changes nothing here;
- ``tampering()`` compares numpy's and dl_utils' functions with a snapshot
  taken at import, and a check fails if the student replaced any of them;
- ``reference_calls()`` finds student functions that only call the
  reference (no credit);
- ``reference_upstream()`` re-runs a function with the reference versions of
  the functions it calls, so an early bug costs its own exercise only.

Nothing in the student's own process is fully safe: the grader also re-runs
the graded functions in a clean process (see the README).
"""

import builtins
import contextlib
import dis
import sys
import types

import numpy as np

# --- bound at import time --------------------------------------------------
_ndarray = np.ndarray
_asarray = np.asarray
_array = np.array
_isfinite = np.isfinite
_abs = np.abs
_all = np.all
_float64 = np.float64
_dict = dict
_print = builtins.print
_isinstance = builtins.isinstance
_len = builtins.len

RTOL = 1e-6  # relative tolerance of value comparisons
ATOL = 1e-9  # absolute tolerance (for entries near zero)


class CheckFailed(AssertionError):
    """A check found a problem; the message says what and, if it can, why."""


class NotWrittenYet(CheckFailed):
    """The student's function still raises NotImplementedError."""


# --- comparisons -------------------------------------------------------------


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


def identical(actual, expected):
    """True when two arrays have the same shape and exactly the same values."""
    return is_array(actual) and actual.shape == expected.shape and bool(_all(actual == expected))


def shape_of(x):
    """A short description of what x is, for messages: "(3, 4)", "a list", "None"."""
    if is_array(x):
        return str(x.shape)
    if x is None:
        return "None"
    return f"a {type(x).__name__}"


# --- tampering -----------------------------------------------------------------

_WATCHED_MODULES = ("numpy", "numpy.linalg", "numpy.random", "numpy.testing")


def _watched():
    import numpy.testing  # noqa: F401  (numpy imports it lazily)

    names = _WATCHED_MODULES + tuple(
        n for n in sys.modules if n == "dl_utils" or n.startswith("dl_utils.")
    )
    return {n: sys.modules[n] for n in names if n in sys.modules}


def _take_snapshot():
    snapshot = {}
    for module_name, module in _watched().items():
        for attr, value in list(vars(module).items()):
            if callable(value) and not attr.startswith("__"):
                snapshot[(module_name, attr)] = value
    return snapshot


_SNAPSHOT = {}


def take_snapshot():
    """Remember numpy's and dl_utils' functions as they are now (called at import)."""
    _SNAPSHOT.clear()
    _SNAPSHOT.update(_take_snapshot())


def tampering():
    """Names like "numpy.dot" of watched functions replaced or deleted since the snapshot."""
    modules = _watched()
    changed = []
    for (module_name, attr), value in _SNAPSHOT.items():
        module = modules.get(module_name)
        if module is None or vars(module).get(attr, None) is not value:
            changed.append(f"{module_name}.{attr}")
    return changed


# --- delegation to the reference ---------------------------------------------------


def _names_used(code):
    """Every global or attribute name a code object (and its nested ones) mentions."""
    names = set(code.co_names)
    for const in code.co_consts:
        if _isinstance(const, types.CodeType):
            names |= _names_used(const)
    return names


def _is_reference(obj):
    if _isinstance(obj, types.ModuleType):
        return obj.__name__ == "dl_utils" or obj.__name__.startswith("dl_utils.")
    module = getattr(obj, "__module__", None) or ""
    return module == "dl_utils" or module.startswith("dl_utils.")


def reference_calls(fn, allowed=()):
    """The dl_utils objects a student function reaches, other than ``allowed``.

    fn: the student's function. It is read, not run: the names its code
    uses are looked up in its module's globals and closure; helper functions
    the student wrote are followed too.
    allowed: names of reference functions the exercise lets the student use.
    Returns a sorted list of names such as ["dl_utils.model.L_model_forward"].
    """
    found, seen, todo = set(), set(), [fn]
    while todo:
        f = todo.pop()
        code = getattr(f, "__code__", None)
        if code is None or id(f) in seen:
            continue
        seen.add(id(f))
        scope = _dict(getattr(f, "__globals__", {}))
        for cell_name, cell in zip(code.co_freevars, f.__closure__ or ()):
            with contextlib.suppress(ValueError):
                scope[cell_name] = cell.cell_contents
        for name in _names_used(code) | set(code.co_freevars):
            if name == "dl_utils":
                found.add("dl_utils")
                continue
            if name not in scope:
                continue
            obj = scope[name]
            if _is_reference(obj):
                short = getattr(obj, "__name__", name)
                if short not in allowed:
                    module = getattr(obj, "__module__", None) or obj.__name__
                    found.add(f"{module}.{short}")
            elif _isinstance(obj, types.FunctionType):
                todo.append(obj)
    return sorted(found)


# --- upstream isolation -----------------------------------------------------------


@contextlib.contextmanager
def reference_upstream(fn, names):
    """Temporarily make ``fn`` call the reference versions of ``names``.

    fn: the student's function; the names are swapped in its globals (the
    notebook's namespace) and put back afterwards, whatever happens.
    names: names of dl_utils functions, e.g. ["linear_activation_forward"].
    """
    import dl_utils

    namespace = fn.__globals__
    missing = object()
    saved = {n: namespace.get(n, missing) for n in names}
    try:
        for n in names:
            namespace[n] = getattr(dl_utils, n)
        yield
    finally:
        for n, value in saved.items():
            if value is missing:
                namespace.pop(n, None)
            else:
                namespace[n] = value


def disassemble(fn):
    """The bytecode of fn as text (for debugging a check; never shown to students)."""
    return dis.Bytecode(fn).dis()


# --- the report a check prints ------------------------------------------------------


class Checker:
    """Runs one exercise's check and reports property by property.

    name: the exercise's function name, used in messages.
    hidden: hidden tests print one summary line instead of every property.
    """

    def __init__(self, name, hidden=False):
        self.name = name
        self.hidden = hidden
        self.passed = []
        self.notes = []

    def ok(self, what):
        """Record a property that holds."""
        self.passed.append(what)
        if not self.hidden:
            _print(f"  \u2713 {what}")

    def note(self, text):
        """A remark printed with the result (e.g. which upstream function was swapped)."""
        self.notes.append(text)
        _print(f"  note: {text}")

    def fail(self, what, hint=None):
        """Stop the check: raise CheckFailed with what is wrong and the likely cause."""
        message = f"{self.name}: {what}"
        if hint:
            message += f"\n  Hint: {hint}"
        _print(f"  \u2717 {what}")
        raise CheckFailed(message)

    def start(self):
        """Print the header line."""
        kind = "hidden tests" if self.hidden else "check"
        _print(f"{kind} of {self.name}:")

    def done(self):
        """Print the summary line."""
        if self.hidden:
            _print(f"  \u2713 all {_len(self.passed)} hidden checks passed")
        else:
            _print(f"All {_len(self.passed)} checks of {self.name} passed.")


def begin(name, fn, hidden, allowed=()):
    """Start a check: the header, then the two things every check refuses.

    Returns the Checker. Fails when numpy or dl_utils was tampered with, or
    when fn only calls the reference.
    """
    checker = Checker(name, hidden)
    checker.start()
    changed = tampering()
    if changed:
        checker.fail(
            f"tampering detected: {', '.join(changed[:5])} replaced after the checks were loaded",
            "restart the kernel and do not replace numpy's or dl_utils' functions",
        )
    if not callable(fn):
        checker.fail(f"expected a function, got {type(fn).__name__}")
    used = reference_calls(fn, allowed)
    if used:
        checker.fail(
            f"it calls the reference {', '.join(used)} instead of computing the result: "
            "this earns no credit",
            "write the computation yourself with numpy (and your own earlier functions)",
        )
    return checker


# --- running the student's code -----------------------------------------------------


def copy_inputs(args):
    """Deep-enough copies of the arguments: arrays copied, dicts/lists/tuples rebuilt."""
    return [_copy(a) for a in args]


def _copy(x):
    if is_array(x):
        return _array(x, copy=True)
    if _isinstance(x, dict):
        return {k: _copy(v) for k, v in x.items()}
    if _isinstance(x, (list, tuple)):
        return type(x)(_copy(v) for v in x)
    return x


def same_inputs(before, after):
    """True when the arguments still hold exactly the values they were given."""
    if is_array(before):
        return is_array(after) and before.shape == after.shape and bool(_all(before == after))
    if _isinstance(before, dict):
        return (
            _isinstance(after, dict)
            and set(before) == set(after)
            and all(same_inputs(before[k], after[k]) for k in before)
        )
    if _isinstance(before, (list, tuple)):
        return _len(before) == _len(after) and all(same_inputs(b, a) for b, a in zip(before, after))
    return True


def call_student(checker, fn, args, exception_hints=()):
    """Call fn(*args) on copies of args and check it left them unchanged.

    checker: the Checker reporting the result.
    args: the arguments (kept pristine; fn gets copies).
    exception_hints: (predicate, hint) pairs: when fn raises and
        predicate(exception) is true, that hint explains the error.
    Returns whatever fn returned.
    """
    given = copy_inputs(args)
    try:
        result = fn(*given)
    except NotImplementedError:
        raise NotWrittenYet(
            f"{checker.name}: not written yet (it still raises NotImplementedError): "
            "replace `raise NotImplementedError()` with your code"
        ) from None
    except CheckFailed:
        raise
    except Exception as error:  # the student's code failed: explain, never crash the check
        hint = next((h for match, h in exception_hints if match(error)), None)
        checker.fail(
            f"calling it raised {type(error).__name__}: {error}",
            hint,
        )
    if not same_inputs(args, given):
        checker.fail(
            "it changed its inputs",
            "work on new arrays (e.g. `x = x - ...` or `np.array(x, copy=True)`), "
            "never change the arrays you are given in place (`x -= ...`, `x[...] = ...`)",
        )
    return result
