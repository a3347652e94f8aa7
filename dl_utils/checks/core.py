"""The machinery behind every exercise check.

A check runs the student's function on inputs of its own, computes the
expected result with the reference in ``dl_utils`` at that moment, and
compares them property by property (type, shape, values, inputs unchanged).
It prints one line per property that passed; on the first failure it raises
``CheckFailed`` with a message that names the quantity and the shapes and,
when the output matches a classic mistake, says which. It never prints the
expected array.

An exercise's check is written as a function of ``(checker, student_function,
hidden)`` decorated with ``@exercise(name, upstream=...)``; the decorator turns
it into the public ``check_<name>(student_function, hidden=False)``.

In a student's notebook the checks run in a kernel the student controls, so:

- everything they compute with is bound here, at import time, before any
  student cell runs; replacing ``np.allclose`` or ``np.testing`` later
  changes nothing here;
- ``tampering()`` compares numpy's, dl_utils' and a few builtins' functions
  with a snapshot taken at import, and a check fails if the student replaced
  any of them (before the check, or while the student's function ran);
- ``reference_calls()`` finds student functions that only call the
  reference (no credit);
- ``reference_upstream()`` re-runs a function with the reference versions of
  the functions it calls, so an early bug costs its own exercise only; the
  report then names the student's functions at fault.

Nothing in the student's own process is fully safe, so at grade time these
checks run in the judge (``dl_utils.grading.judge``), a process of the
grader's: the student's function is then a ``RemoteFunction`` called in a
jail, and what it returns comes back as plain data. ``call_student``,
``reference_calls``, ``swapped_globals`` and the helpers below accept both
kinds of function.
"""

import builtins
import contextlib
import dis
import os
import signal
import sys
import threading
import time
import types
import warnings
from collections import namedtuple

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
_RandomState = np.random.RandomState
_get_state = np.random.get_state
_set_state = np.random.set_state
_errstate = np.errstate
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter
_redirect_stderr = contextlib.redirect_stderr
_redirect_stdout = contextlib.redirect_stdout
_monotonic = time.monotonic

# Longest a student's function may run on a check's small input, and longest
# all the student's calls of one check may take together, in seconds (the
# grader sets both below its per-cell limit, so a loop costs one exercise).
CALL_TIMEOUT = float(os.environ.get("DL_CHECK_CALL_TIMEOUT", "10"))
CHECK_BUDGET = float(os.environ.get("DL_CHECK_BUDGET", "60"))
_deadline = [float("inf")]  # when the running check's budget ends (monotonic time)


def set_time_limits(call_timeout, check_budget):
    """Set CALL_TIMEOUT and CHECK_BUDGET (the judge sets them from the grading limits)."""
    global CALL_TIMEOUT, CHECK_BUDGET
    CALL_TIMEOUT, CHECK_BUDGET = float(call_timeout), float(check_budget)


RTOL = 1e-6  # relative tolerance of value comparisons
ATOL = 1e-9  # absolute tolerance (for entries near zero)
# The tolerances after a training loop: hundreds of iterations repeat thousands of
# float operations, and a correct loop written another way (dZ computed through dAL,
# no clipping) drifts a little from the reference.
TRAIN_RTOL = 1e-5
TRAIN_ATOL = 1e-8


class CheckFailed(AssertionError):
    """A check found a problem; the message says what and, if it can, why."""

    def _render_traceback_(self):
        # IPython shows these lines instead of a traceback through the check's code:
        # the student sees the message and the hint, nothing else.
        return [f"{type(self).__name__}: {self}"]


class NotWrittenYet(CheckFailed):
    """The student's function still raises NotImplementedError."""


class OutOfTime(CheckFailed):
    """The student's calls used up the check's time budget (a loop that never ends)."""


@contextlib.contextmanager
def silenced():
    """Run the student's code (and the wrong results the checks compute) in silence.

    numpy's floating-point warnings are off, Python warnings are ignored and
    anything written to stderr is dropped: nbgrader gives 0 points to a test
    cell that writes to stderr, and an overflow warning from a student's
    sigmoid must not cost the points of an exercise that is right.
    """
    with _errstate(all="ignore"), _catch_warnings():
        _simplefilter("ignore")
        with _redirect_stderr(Sink()):
            yield


class Sink:
    """A stream that keeps nothing and counts what was written to it."""

    def __init__(self):
        self.count = 0

    def write(self, text):
        self.count += _len(text)
        return _len(text)

    def flush(self):
        pass


class _TimeLimit(BaseException):
    """Raised inside a student's function that ran past CALL_TIMEOUT."""


@contextlib.contextmanager
def time_limit(seconds):
    """Stop the code inside after ``seconds`` by raising _TimeLimit in it.

    Works in the main thread (where notebook cells run); elsewhere it does nothing.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise _TimeLimit()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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


# --- tampering -----------------------------------------------------------------

_WATCHED_MODULES = ("numpy", "numpy.linalg", "numpy.random", "numpy.testing")
# builtins the checks rely on (not input, display or get_ipython: the kernel swaps those)
_WATCHED_BUILTINS = (
    "abs",
    "all",
    "any",
    "bool",
    "callable",
    "dict",
    "enumerate",
    "float",
    "getattr",
    "hasattr",
    "isinstance",
    "len",
    "list",
    "max",
    "min",
    "print",
    "range",
    "set",
    "sorted",
    "str",
    "sum",
    "tuple",
    "type",
    "vars",
    "zip",
)


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
    for attr in _WATCHED_BUILTINS:
        snapshot[("builtins", attr)] = getattr(builtins, attr)
    return snapshot


_SNAPSHOT = {}


def take_snapshot():
    """Remember numpy's and dl_utils' functions as they are now (called at import)."""
    _SNAPSHOT.clear()
    _SNAPSHOT.update(_take_snapshot())


def tampering():
    """Names like "numpy.dot" of watched functions replaced or deleted since the snapshot."""
    modules = _watched()
    modules["builtins"] = builtins
    changed = []
    for (module_name, attr), value in _SNAPSHOT.items():
        module = modules.get(module_name)
        if module is None or vars(module).get(attr, None) is not value:
            changed.append(f"{module_name}.{attr}")
    return changed


def fail_if_tampered(checker, when=""):
    """Stop the check when a watched function was replaced (see ``tampering``).

    when: what the message says after "tampering detected", e.g. "while it ran".
    """
    changed = tampering()
    if changed:
        what = f"tampering detected {when}" if when else "tampering detected"
        checker.fail(
            f"{what}: {', '.join(changed[:5])} replaced",
            "restart the kernel and do not replace numpy's, dl_utils' or Python's functions",
        )


# --- delegation to the reference ---------------------------------------------------


def _names_used(code):
    """Every global or attribute name a code object (and its nested ones) mentions."""
    names = set(code.co_names)
    for const in code.co_consts:
        if _isinstance(const, types.CodeType):
            names |= _names_used(const)
    return names


def is_remote(fn):
    """True for a student's function the judge calls in its worker (grading.remote)."""
    return callable(getattr(type(fn), "call_remote", None))


def _is_reference(obj):
    if is_remote(obj):
        return obj.kind == "course"
    if _isinstance(obj, types.ModuleType):
        return obj.__name__ == "dl_utils" or obj.__name__.startswith("dl_utils.")
    module = getattr(obj, "__module__", None) or ""
    return _isinstance(module, str) and (module == "dl_utils" or module.startswith("dl_utils."))


def reference_calls(fn, allowed=(), stop_at=()):
    """The dl_utils objects a student function reaches, other than ``allowed``.

    fn: the student's function. It is read, not run: the names its code
    uses are looked up in its module's globals and closure; helper functions
    the student wrote are followed too.
    allowed: names of reference functions the exercise lets the student use.
    stop_at: names neither reported nor followed: the earlier exercises a
        composite function calls, which their own checks judge.
    Returns a sorted list of names such as ["dl_utils.model.L_model_forward"].
    """
    if is_remote(fn):  # the judge reads the student's source itself
        return fn.reference_calls(allowed, stop_at)
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
        used = _names_used(code) | set(code.co_freevars)
        for name in used:
            if name in stop_at:
                continue
            if name == "dl_utils":
                found |= _module_attributes_used(scope.get(name), used)
                continue
            if name not in scope:
                continue
            obj = scope[name]
            if _isinstance(obj, types.ModuleType) and _is_reference(obj):
                found.add(obj.__name__)  # e.g. `import dl_utils.layers as layers`
            elif _is_reference(obj):
                short = getattr(obj, "__name__", name)
                if short not in allowed:
                    found.add(f"{getattr(obj, '__module__', None)}.{short}")
            elif _isinstance(obj, types.FunctionType):
                todo.append(obj)
    return sorted(found)


def _module_attributes_used(module, names):
    """{"dl_utils.relu", ...}: the dl_utils functions among the names code uses after
    ``dl_utils.``; {"dl_utils"} when none is recognized."""
    if not _isinstance(module, types.ModuleType):
        return {"dl_utils"}
    attributes = {f"dl_utils.{n}" for n in names if callable(getattr(module, n, None))}
    return attributes or {"dl_utils"}


# --- upstream isolation -----------------------------------------------------------


@contextlib.contextmanager
def swapped_globals(fn, replacements):
    """Temporarily make ``fn`` see other objects under some of its global names.

    fn: the student's function; replacements: {name: object}. The names are
    swapped in its globals (the notebook's namespace) and put back afterwards,
    whatever happens. For a function the judge calls in its worker, the worker
    calls back these objects.
    """
    if is_remote(fn):
        with fn.swapped(replacements):
            yield
        return
    namespace = fn.__globals__
    missing = object()
    saved = {n: namespace.get(n, missing) for n in replacements}
    try:
        namespace.update(replacements)
        yield
    finally:
        for n, value in saved.items():
            if value is missing:
                namespace.pop(n, None)
            else:
                namespace[n] = value


def reference_upstream(fn, names):
    """Temporarily make ``fn`` call the reference versions of ``names``.

    names: names of dl_utils functions, e.g. ["linear_activation_forward"].
    Returns a context manager (see ``swapped_globals``).
    """
    import dl_utils

    return swapped_globals(fn, {n: getattr(dl_utils, n) for n in names})


# --- the report a check prints ------------------------------------------------------


class Checker:
    """Runs one exercise's check and reports property by property.

    name: the exercise's function name, used in messages.
    hidden: hidden tests print one summary line instead of every property.
    quiet: record the report without printing it (``show()`` prints it later).
    """

    def __init__(self, name, hidden=False, quiet=False):
        self.name = name
        self.hidden = hidden
        self.quiet = quiet
        self.passed = []
        self.log = []  # the lines of the report, printed or not
        self.printed = 0  # characters the student's functions printed during the check

    def _say(self, line, always=False):
        if always or not self.hidden:
            self.log.append(line)
            if not self.quiet:
                _print(line)

    def ok(self, what):
        """Record a property that holds."""
        self.passed.append(what)
        self._say(f"  \u2713 {what}")

    def note(self, text):
        """A remark printed with the result (e.g. which upstream function was swapped)."""
        self._say(f"  note: {text}", always=True)

    def fail(self, what, hint=None):
        """Stop the check: raise CheckFailed with what is wrong and the likely cause."""
        message = f"{self.name}: {what}"
        if hint:
            message += f"\n  Hint: {hint}"
        self._say(f"  \u2717 {what}", always=True)
        raise CheckFailed(message)

    def call(self, fn, args, exception_hints=(), kwargs=None, mutation_hint=None):
        """Call the student's function on copies of args (see ``call_student``)."""
        return call_student(self, fn, args, exception_hints, kwargs, mutation_hint)

    def show(self):
        """Print what a quiet checker recorded, and print from now on."""
        if self.quiet:
            for line in self.log:
                _print(line)
            self.quiet = False

    def start(self):
        """Print the header line."""
        kind = "hidden tests" if self.hidden else "check"
        _print(f"{kind} of {self.name}:")

    def done(self):
        """Print the summary line."""
        n = _len(self.passed)
        if self.hidden:
            _print(
                f"  \u2713 all {n} hidden checks passed"
                if n != 1
                else "  \u2713 the hidden check passed"
            )
        else:
            _print(
                f"All {n} checks of {self.name} passed."
                if n != 1
                else f"The check of {self.name} passed."
            )


def begin(name, fn, hidden, allowed=(), stop_at=()):
    """Start a check: the header, then the two things every check refuses.

    name: the exercise's function name. fn: the student's function.
    allowed, stop_at: passed to ``reference_calls``.
    Returns the Checker. Fails when numpy or dl_utils was tampered with, or
    when fn only calls the reference.
    """
    checker = Checker(name, hidden)
    checker.start()
    fail_if_tampered(checker, "after the checks were loaded")
    if not callable(fn):
        checker.fail(
            f"expected a function, got {type(fn).__name__}",
            f"pass the function itself: check_{name}({name})",
        )
    if _is_reference(fn):
        checker.fail(
            f"this is the reference {getattr(fn, '__name__', name)} from dl_utils, "
            "not your function: this earns no credit",
            f"run the cell that defines your own {name} first",
        )
    used = reference_calls(fn, allowed, stop_at)
    if used:
        checker.fail(
            f"it calls the reference {', '.join(used)} instead of computing the result: "
            "this earns no credit",
            DELEGATION_HINT,
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


MUTATION_HINT = (
    "work on new arrays (e.g. `x = x - ...` or `np.array(x, copy=True)`), "
    "never change the arrays you are given in place (`x -= ...`, `x[...] = ...`)"
)


def call_student(checker, fn, args, exception_hints=(), kwargs=None, mutation_hint=None):
    """Call fn(*args, **kwargs) on copies of args and check it left them unchanged.

    checker: the Checker reporting the result; ``checker.last_call`` then says
        whether fn changed numpy's global random generator (``random_changed``)
        and how much it printed (``printed``, characters).
    fn: the student's function, in this process or, at grade time, in the
        judge's worker (a RemoteFunction).
    args: the arguments (kept pristine; fn gets copies).
    exception_hints: (predicate, hint) pairs: when fn raises and
        predicate(exception) is true, that hint explains the error.
    kwargs: keyword arguments (numbers or strings), passed as they are.
    mutation_hint: the hint when fn changed its inputs (default: a general one).
    Returns whatever fn returned.
    """
    given = copy_inputs(args)
    remaining = _deadline[0] - _monotonic()
    if remaining <= 0:
        raise OutOfTime(f"{checker.name}: the check ran out of time (earlier calls were too slow)")
    limit = min(CALL_TIMEOUT, remaining)
    if is_remote(fn):
        result, after, error = _call_remote(checker, fn, given, kwargs or {}, limit)
    else:
        result, after, error = _call_here(checker, fn, given, kwargs or {}, limit)
    if _isinstance(error, NotImplementedError):
        raise NotWrittenYet(
            f"{checker.name}: not written yet (it still raises NotImplementedError): "
            "replace `raise NotImplementedError()` with your code"
        )
    if error is not None:  # the student's code failed: explain, never crash the check
        fail_if_tampered(checker, "while it ran")
        hints = [
            *exception_hints,
            (raised(ImportError, "dl_utils"), NO_REFERENCE_HINT),
            (raised(NameError), UNDEFINED_HINT),
        ]
        hint = next((h for match, h in hints if _safe(match, error)), None)
        kind = getattr(error, "student_type", type(error).__name__)
        checker.fail(f"calling it raised {kind}: {error}", hint)
    fail_if_tampered(checker, "while it ran")
    if not same_inputs(args, after):
        checker.fail("it changed its inputs", mutation_hint or MUTATION_HINT)
    return result


LastCall = namedtuple("LastCall", ["random_changed", "printed"])
SLOW_HINT = "look for a loop that never ends, e.g. a `while` whose condition never turns false"
DIED_HINT = (
    "look for os._exit, sys.exit or code that uses far too much memory in the function "
    "(or in what it calls)"
)
DELEGATION_HINT = "write the computation yourself with numpy (and your own earlier functions)"
UNDEFINED_HINT = (
    "the function uses a name it does not define: a variable of the notebook, or a function "
    "not written yet? compute what it needs from its arguments"
)
NO_REFERENCE_HINT = (
    "the course's dl_utils is not available to graded code, and calling it earns no credit: "
    + DELEGATION_HINT
)


def _fail_slow(checker, seconds):
    checker.fail(f"it ran longer than {seconds:.3g} s on a small input and was stopped", SLOW_HINT)


def _call_here(checker, fn, given, kwargs, limit):
    """Call fn in this process; return (result, the inputs after the call, error or None)."""
    state = _get_state()
    printed = Sink()  # what it prints is counted, never shown: it could be megabytes
    try:
        with silenced(), _redirect_stdout(printed), time_limit(limit):
            return fn(*given, **kwargs), given, None
    except _TimeLimit:
        _fail_slow(checker, limit)
    except CheckFailed:
        raise
    except Exception as error:
        return None, given, error
    finally:
        checker.last_call = LastCall(not same_random_state(state, _get_state()), printed.count)
        checker.printed += printed.count
        _set_state(state)


def _call_remote(checker, fn, given, kwargs, limit):
    """Call fn in the judge's worker; return (result, the inputs after the call, error or None)."""
    from ..grading.remote import WorkerFailed, rebuilt_error

    exercise = EXERCISES.get(checker.name)
    allowed = exercise.allowed if exercise is not None else ()
    try:
        record = fn.call_remote(given, kwargs, timeout=limit, allowed=allowed)
    except WorkerFailed as failure:
        if failure.kind == "timeout":
            _fail_slow(checker, limit)
        checker.fail(f"calling it stopped the process it ran in: {failure.detail}", DIED_HINT)
    checker.last_call = LastCall(record.random_changed, record.printed)
    checker.printed += record.printed
    if record.failure is not None:
        raise record.failure
    if record.refused:
        checker.fail(
            f"it calls the reference {', '.join(sorted(set(record.refused)))} instead of "
            "computing the result: this earns no credit",
            DELEGATION_HINT,
        )
    error = rebuilt_error(*record.error) if record.error is not None else None
    return record.value, record.args_after, error


def _safe(predicate, error):
    try:
        return bool(predicate(error))
    except Exception:
        return False


def raised(kind, *fragments):
    """A predicate for ``exception_hints``: an exception of ``kind`` whose message
    contains one of the ``fragments`` (or any message when none are given)."""

    def match(error):
        text = str(error)
        return _isinstance(error, kind) and (
            not fragments or any(fragment in text for fragment in fragments)
        )

    return match


# the messages numpy gives for a matrix product of shapes that do not fit
MATMUL_ERROR = raised(ValueError, "not aligned", "matmul", "mismatch in its core dimension")
BROADCAST_ERROR = raised(ValueError, "broadcast")


# --- what checks expect of a result ---------------------------------------------------


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


# --- exercises: a check body, its upstream, and the public check function -------------

Exercise = namedtuple("Exercise", ["name", "body", "upstream", "allowed", "stop_at"])

EXERCISES = {}  # name -> Exercise, for every exercise whose check is loaded


def exercise(name, upstream=(), allowed=(), stop_at=()):
    """Decorator turning a check body into the public ``check_<name>``.

    The body is ``body(checker, student_function, hidden)``: it runs the
    visible case (hidden=False) or the hidden cases, calls ``checker.ok`` for
    every property that holds and ``checker.fail`` on the first that does not.
    name: the exercise's function name, e.g. "linear_forward".
    upstream: names of the earlier exercises the function calls (in the order
        the course writes them). If the function fails with the student's own
        versions of those, it is checked again with the reference versions;
        passing then earns the points, with a note naming the student's
        functions at fault.
    allowed: reference functions the student may call.
    stop_at: other earlier exercises the function calls, which the delegation
        check leaves to their own checks (see ``reference_calls``); the body
        decides which versions of them run (e.g. the reference, always).
    Returns ``check(student_function, hidden=False)``, which prints the report
    and raises CheckFailed (an AssertionError) on the first problem.
    """

    def decorate(body):
        known = EXERCISES.get(name)
        if known is not None and known.body.__module__ != body.__module__:
            raise ValueError(
                f"two checks for the exercise {name!r}: in {known.body.__module__} "
                f"and in {body.__module__}; give each exercise its own name"
            )
        ex = Exercise(name, body, tuple(upstream), tuple(allowed), tuple(stop_at))
        EXERCISES[name] = ex

        def check(student_function, hidden=False):
            run_exercise(ex, student_function, hidden)

        check.__name__ = check.__qualname__ = body.__name__
        check.__module__ = body.__module__
        check.__doc__ = (body.__doc__ or "").rstrip() + (
            f"\n\n    check_{name}({name}) runs the visible case and prints every property\n"
            f"    that holds; check_{name}({name}, hidden=True) runs the hidden cases.\n"
            "    Raises CheckFailed on the first problem.\n"
        )
        return check

    return decorate


# The results of whole runs of a check, for one function with given versions of
# the functions it calls: diagnosing an exercise asks again what an earlier run
# found out (is the student's linear_forward right?), and a function that never
# returns should cost its time limit once, not once per question.
_results = {}
_keep_results = [False]  # True: keep them across checks (the judge: definitions never change)


def remember_results(keep):
    """Keep the results of check runs across checks (True), or only within one (False).

    The judge keeps them while it judges one notebook; in a notebook, where the
    student may redefine a function at any time, they last one check.
    """
    _keep_results[0] = bool(keep)
    _results.clear()


def _result_key(ex, fn, hidden):
    if is_remote(fn):
        return (ex.name, hidden, fn.name, tuple(sorted(fn.replacements)))
    namespace = getattr(fn, "__globals__", {})
    versions = tuple(id(namespace.get(name)) for name in ex.upstream)
    return (ex.name, hidden, id(fn), id(getattr(fn, "__code__", None)), versions)


def _run_quietly(ex, fn, hidden):
    """Run an exercise's cases on fn without printing; return (checker, error or None)."""
    key = _result_key(ex, fn, hidden)
    if key not in _results:
        checker, error = _run_body(ex, fn, hidden)
        if _isinstance(error, OutOfTime):  # depends on what was left of the time, not on fn
            return checker, error
        _results[key] = (list(checker.log), list(checker.passed), checker.printed, error)
    log, passed, printed, error = _results[key]
    checker = Checker(ex.name, hidden, quiet=True)
    checker.log, checker.passed, checker.printed = list(log), list(passed), printed
    return checker, error


def _run_body(ex, fn, hidden):
    checker = Checker(ex.name, hidden, quiet=True)
    try:
        with silenced():
            ex.body(checker, fn, hidden)
    except CheckFailed as error:
        return checker, error
    except Exception as error:  # a result the check could not read: report, never crash
        try:
            checker.fail(
                f"the check could not use what it returned ({type(error).__name__}: {error})",
                "compare what you return with the docstring: types, order and shapes",
            )
        except CheckFailed as failure:
            return checker, failure
    return checker, None


def _passes_with_reference(ex, fn, hidden):
    """True when fn passes exercise ex with the reference versions of its upstream."""
    if not ex.upstream:
        return False
    with reference_upstream(fn, ex.upstream):
        return _run_quietly(ex, fn, hidden)[1] is None


def global_function(fn, name):
    """What the name ``name`` holds where the student's function ``fn`` was defined
    (None when nothing)."""
    if is_remote(fn):
        return fn.sibling(name)
    return getattr(fn, "__globals__", {}).get(name)


def function_code(fn):
    """The code object of a student's function (at grade time compiled by the judge
    from the notebook's source), or None."""
    if is_remote(fn):
        return fn.code
    return getattr(fn, "__code__", None)


def global_kinds(fn):
    """{name: "data" or "function", "module", ...} of the names where fn was defined:
    "data" for arrays, dicts, lists, numbers (anything not callable and not a module)."""
    if is_remote(fn):
        return fn.global_kinds()
    kinds = {}
    for name, value in dict(getattr(fn, "__globals__", {})).items():
        if _isinstance(value, types.ModuleType):
            kinds[name] = "module"
        elif callable(value):
            kinds[name] = "function"
        else:
            kinds[name] = "data"
    return kinds


def global_data(fn):
    """The notebook variables that hold data and that fn reads or writes as globals.

    fn: a student's function. Its code (and the code of functions nested in
    it) is read, not run. Modules, functions and classes are fine (np,
    compute_cost, ...); arrays, dicts, lists and numbers are not.
    Returns a sorted list of names such as ["X", "parameters"].
    """
    code = function_code(fn)
    if code is None:
        return []
    kinds = global_kinds(fn)
    names = _global_names(code)
    return sorted(n for n in names if not n.startswith("__") and kinds.get(n) == "data")


def _global_names(code):
    names = set()
    for instruction in dis.get_instructions(code):
        if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME", "STORE_GLOBAL"):
            names.add(instruction.argval)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def faulty_upstream(fn, names, hidden=False):
    """The student's versions of ``names`` that fail their own checks.

    fn: the student's composite function; the names are looked up in its globals.
    Each one is judged as its own exercise would (with the reference versions
    of the functions it calls in turn), so only the functions that are wrong
    themselves are named.
    Returns (name, reason) pairs, reason being "is not written yet",
    "is not defined" or "fails its own check".
    """
    faulty = []
    for name in names:
        if _deadline[0] - _monotonic() < 2 * CALL_TIMEOUT:
            break  # not enough time left to judge another one (its code may loop)
        own = global_function(fn, name)
        if own is None:
            faulty.append((name, "is not defined"))
        elif name in EXERCISES and callable(own) and not _is_reference(own):
            error = _run_quietly(EXERCISES[name], own, hidden)[1]
            if _isinstance(error, NotWrittenYet):
                faulty.append((name, "is not written yet"))
            elif error is not None and not _passes_with_reference(EXERCISES[name], own, hidden):
                faulty.append((name, "fails its own check"))
    return faulty


def run_exercise(ex, fn, hidden):
    """Check fn for exercise ex and print the report (what ``check_<name>`` does)."""
    _deadline[0] = _monotonic() + CHECK_BUDGET
    try:
        _run_exercise(ex, fn, hidden)
    finally:
        _deadline[0] = float("inf")
        if not _keep_results[0]:
            _results.clear()


def _run_exercise(ex, fn, hidden):
    checker = begin(ex.name, fn, hidden, ex.allowed, stop_at=ex.upstream + ex.stop_at)
    own, error = _run_quietly(ex, fn, hidden)
    if error is None:
        own.show()
        note_printing(own)
        own.done()
        return
    if not ex.upstream:
        own.show()
        note_printing(own)
        raise with_global_hint(error, fn)
    with reference_upstream(fn, ex.upstream):
        rescued, rescue_error = _run_quietly(ex, fn, hidden)
    if rescue_error is not None:
        rescued.show()
        note_printing(own)
        raise with_global_hint(rescue_error, fn)
    rescued.show()
    note_printing(own)
    faulty = faulty_upstream(fn, ex.upstream, hidden)
    if faulty:
        cause = "; ".join(f"your {name} {reason}" for name, reason in faulty)
        cause += " (fix it in its own exercise)" if len(faulty) == 1 else " (fix them there)"
    else:
        cause = f"one of {', '.join(ex.upstream)} gives other results here"
    if _isinstance(error, NotWrittenYet):
        own_result = "it could not run"
    else:
        own_result = _first_line(error)
    rescued.note(
        f"{cause}, so {checker.name} was checked with the course's versions of the "
        f"functions it calls: it is right and keeps its points. "
        f"With your own functions: {own_result}."
    )
    rescued.done()


def with_global_hint(error, fn):
    """The failure, with a first hint naming the notebook variables fn reads, if any: a
    function that reads them gets the notebook's values, not the check's."""
    try:
        used = global_data(fn)
    except Exception:  # a function whose code cannot be read: no hint to add
        used = []
    if not used or _isinstance(error, NotWrittenYet):
        return error
    names = ", ".join(used)
    what, _, hint = str(error).partition("\n  Hint: ")
    extra = (
        f"it uses the notebook's variable{'s' if len(used) > 1 else ''} {names}, which the "
        "check's inputs do not change: compute what the function needs from its arguments"
    )
    message = f"{what}\n  Hint: {extra}" + (f" (and: {hint})" if hint else "")
    return type(error)(message)


def note_printing(checker):
    """Say that the student's function printed while it was checked (never shown)."""
    if checker.printed:
        checker.note(
            f"{checker.name} printed {checker.printed:,} characters while it was checked; "
            "they are not shown. Remove its print calls: in a training loop they run "
            "thousands of times, slow it down and flood the notebook"
        )


def _first_line(error):
    """The first line of a CheckFailed message, without the leading "name: "."""
    return str(error).split("\n")[0].split(": ", 1)[-1]
