"""How a check calls the student's function safely.

``call_student`` calls it on copies of the check's inputs, in silence, within
a time limit, and turns whatever goes wrong into a failure with a hint: an
exception it raised, a loop that never ends, inputs changed in place,
numpy replaced while it ran. What the function prints is counted, never shown.

At grade time the student's function is a ``RemoteFunction`` (see
``dl_utils.grading.remote``): the call then happens in the judge's worker, in a
jail, and only plain data comes back.
"""

import contextlib
import os
import signal
import threading
from collections import namedtuple

from .bound import (
    _all,
    _array,
    _catch_warnings,
    _errstate,
    _get_state,
    _isinstance,
    _len,
    _monotonic,
    _redirect_stderr,
    _redirect_stdout,
    _set_state,
    _simplefilter,
)
from .compare import is_array, same_random_state
from .report import CheckFailed, NoCredit, NotWrittenYet, OutOfTime
from .tampering import fail_if_tampered

# --- time limits -------------------------------------------------------------------

# Longest a student's function may run on a check's small input, and longest
# all the student's calls of one check may take together, in seconds (the
# grader sets both below its per-cell limit, so a loop costs one exercise).
LIMITS = {
    "call": float(os.environ.get("DL_CHECK_CALL_TIMEOUT", "10")),
    "check": float(os.environ.get("DL_CHECK_BUDGET", "60")),
}
_deadline = [float("inf")]  # when the running check's budget ends (monotonic time)


def set_time_limits(call_timeout, check_budget):
    """Set the limit of one call and of one check, in seconds (the judge sets them
    from the grading limits; a notebook from DL_CHECK_CALL_TIMEOUT, DL_CHECK_BUDGET)."""
    LIMITS["call"], LIMITS["check"] = float(call_timeout), float(check_budget)


def start_budget():
    """Start the time budget of a check (``LIMITS["check"]`` seconds from now)."""
    _deadline[0] = _monotonic() + LIMITS["check"]


def end_budget():
    _deadline[0] = float("inf")


def time_left():
    """Seconds left in the running check's budget (inf outside a check)."""
    return _deadline[0] - _monotonic()


class _TimeLimit(BaseException):
    """Raised inside a student's function that ran past its time limit."""


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


# --- silence -----------------------------------------------------------------------


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


# --- the inputs ----------------------------------------------------------------------


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


# --- the hints of a failed call ---------------------------------------------------------

MUTATION_HINT = (
    "work on new arrays (e.g. `x = x - ...` or `np.array(x, copy=True)`), "
    "never change the arrays you are given in place (`x -= ...`, `x[...] = ...`)"
)
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


def _safe(predicate, error):
    try:
        return bool(predicate(error))
    except Exception:
        return False


# --- the call ---------------------------------------------------------------------------

LastCall = namedtuple("LastCall", ["random_changed", "printed"])


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
    remaining = time_left()
    if remaining <= 0:
        raise OutOfTime(checker.name, "the check ran out of time (earlier calls were too slow)")
    limit = min(LIMITS["call"], remaining)
    if is_remote(fn):
        result, after, error = _call_remote(checker, fn, given, kwargs or {}, limit)
    else:
        result, after, error = _call_here(checker, fn, given, kwargs or {}, limit)
    if _isinstance(error, NotImplementedError):
        raise NotWrittenYet(
            checker.name,
            "not written yet (it still raises NotImplementedError): "
            "replace `raise NotImplementedError()` with your code",
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


def is_remote(fn):
    """True for a student's function the judge calls in its worker (grading.remote)."""
    return callable(getattr(type(fn), "call_remote", None))


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

    try:
        record = fn.call_remote(given, kwargs, timeout=limit, allowed=checker.allowed)
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
            failure=NoCredit,
        )
    error = rebuilt_error(*record.error) if record.error is not None else None
    return record.value, record.args_after, error
