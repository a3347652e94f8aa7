"""The registry of checks: the ``@exercise`` decorator and how a check is run.

An exercise's check is written as a function of ``(checker, student_function,
hidden)`` decorated with ``@exercise(name)``; the decorator turns it into the
public ``check_<name>(student_function, hidden=False)``. What the exercise
calls and may call (its upstream exercises, the reference functions it is
allowed) is written once, in the manifest ``dl_utils.exercises``.

Running a check (``run_exercise``):

1. ``begin`` refuses a function that is, or only calls, the reference, and a
   kernel where numpy or dl_utils was tampered with;
2. the body runs quietly on the student's function;
3. if it fails and the exercise has upstream exercises, it runs again with
   the reference versions of those: passing then keeps the points, and a note
   names the student's own functions at fault (``faulty_upstream``), so an
   early bug costs its own exercise only.
"""

from ..exercises import EXERCISES as MANIFEST
from .bound import _isinstance
from .calling import (
    DELEGATION_HINT,
    LIMITS,
    end_budget,
    is_remote,
    silenced,
    start_budget,
    time_left,
)
from .reading import (
    global_function,
    is_reference,
    reference_calls,
    reference_upstream,
    with_global_hint,
)
from .report import Checker, CheckFailed, NoCredit, NotWrittenYet, OutOfTime
from .tampering import fail_if_tampered

CHECKS = {}  # exercise name -> its check body, for every check module loaded


def exercise(name):
    """Decorator turning a check body into the public ``check_<name>``.

    The body is ``body(checker, student_function, hidden)``: it runs the
    visible case (hidden=False) or the hidden cases, calls ``checker.ok`` for
    every property that holds and ``checker.fail`` on the first that does not.
    name: the exercise's function name, e.g. "linear_forward"; the manifest
        says which check module holds it and what it calls.
    Returns ``check(student_function, hidden=False)``, which prints the report
    and raises CheckFailed (an AssertionError) on the first problem.
    """
    entry = MANIFEST.get(name)

    def decorate(body):
        module = body.__module__.rsplit(".", 1)[-1]
        if entry is None or entry.checks != module:
            where = "is not in the manifest" if entry is None else f"belongs in {entry.checks}.py"
            raise ValueError(f"the check of {name!r} in {body.__module__} {where}")
        CHECKS[name] = body

        def check(student_function, hidden=False):
            run_exercise(name, student_function, hidden)

        check.__name__ = check.__qualname__ = body.__name__
        check.__module__ = body.__module__
        check.__doc__ = (body.__doc__ or "").rstrip() + (
            f"\n\n    check_{name}({name}) runs the visible case and prints every property\n"
            f"    that holds; check_{name}({name}, hidden=True) runs the hidden cases.\n"
            "    Raises CheckFailed on the first problem.\n"
        )
        return check

    return decorate


def begin(name, fn, hidden, allowed=(), stop_at=()):
    """Start a check: the header, then the two things every check refuses.

    name: the exercise's function name. fn: the student's function.
    allowed, stop_at: passed to ``reference_calls`` (the manifest's, for an exercise).
    Returns the Checker. Fails when numpy or dl_utils was tampered with, or
    when fn is, or only calls, the reference.
    """
    checker = Checker(name, hidden, allowed=allowed)
    checker.start()
    fail_if_tampered(checker, "after the checks were loaded")
    if not callable(fn):
        checker.fail(
            f"expected a function, got {type(fn).__name__}",
            f"pass the function itself: check_{name}({name})",
        )
    if is_reference(fn):
        checker.fail(
            f"this is the reference {getattr(fn, '__name__', name)} from dl_utils, "
            "not your function: this earns no credit",
            f"run the cell that defines your own {name} first",
            failure=NoCredit,
        )
    used = reference_calls(fn, allowed, stop_at)
    if used:
        checker.fail(
            f"it calls the reference {', '.join(used)} instead of computing the result: "
            "this earns no credit",
            DELEGATION_HINT,
            failure=NoCredit,
        )
    return checker


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


def _result_key(name, fn, hidden):
    if is_remote(fn):  # a RemoteFunction: its name and what it calls
        return (name, hidden, fn.name, tuple(sorted(fn.replacements)))
    namespace = getattr(fn, "__globals__", {})
    versions = tuple(id(namespace.get(n)) for n in MANIFEST[name].upstream)
    return (name, hidden, id(fn), id(getattr(fn, "__code__", None)), versions)


def run_quietly(name, fn, hidden):
    """Run an exercise's cases on fn without printing; return (checker, failure or None)."""
    key = _result_key(name, fn, hidden)
    if key not in _results:
        checker, failure = _run_body(name, fn, hidden)
        if _isinstance(failure, OutOfTime):  # depends on what was left of the time, not on fn
            return checker, failure
        _results[key] = (list(checker.log), list(checker.passed), checker.printed, failure)
    log, passed, printed, failure = _results[key]
    checker = Checker(name, hidden, quiet=True, allowed=MANIFEST[name].allowed)
    checker.log, checker.passed, checker.printed = list(log), list(passed), printed
    return checker, failure


def _run_body(name, fn, hidden):
    checker = Checker(name, hidden, quiet=True, allowed=MANIFEST[name].allowed)
    try:
        with silenced():
            CHECKS[name](checker, fn, hidden)
    except CheckFailed as failure:
        return checker, failure
    except Exception as error:  # a result the check could not read: report, never crash
        try:
            checker.fail(
                f"the check could not use what it returned ({type(error).__name__}: {error})",
                "compare what you return with the docstring: types, order and shapes",
            )
        except CheckFailed as failure:
            return checker, failure
    return checker, None


def _passes_with_reference(name, fn, hidden):
    """True when fn passes the exercise with the reference versions of its upstream."""
    upstream = MANIFEST[name].upstream
    if not upstream:
        return False
    with reference_upstream(fn, upstream):
        return run_quietly(name, fn, hidden)[1] is None


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
        if time_left() < 2 * LIMITS["call"]:
            break  # not enough time left to judge another one (its code may loop)
        own = global_function(fn, name)
        if own is None:
            faulty.append((name, "is not defined"))
        elif name in CHECKS and callable(own) and not is_reference(own):
            failure = run_quietly(name, own, hidden)[1]
            if _isinstance(failure, NotWrittenYet):
                faulty.append((name, "is not written yet"))
            elif failure is not None and not _passes_with_reference(name, own, hidden):
                faulty.append((name, "fails its own check"))
    return faulty


def run_exercise(name, fn, hidden):
    """Check fn for the exercise ``name`` and print the report (what ``check_<name>`` does)."""
    start_budget()
    try:
        _run_exercise(name, fn, hidden)
    finally:
        end_budget()
        if not _keep_results[0]:
            _results.clear()


def _run_exercise(name, fn, hidden):
    entry = MANIFEST[name]
    upstream = entry.upstream
    begin(name, fn, hidden, entry.allowed, stop_at=upstream + entry.stop_at)
    own, failure = run_quietly(name, fn, hidden)
    if failure is None or not upstream:
        own.show()
        own.note_printing()
        if failure is not None:
            raise with_global_hint(failure, fn)
        own.done()
        return
    with reference_upstream(fn, upstream):
        rescued, rescue_failure = run_quietly(name, fn, hidden)
    rescued.show()
    own.note_printing()
    if rescue_failure is not None:
        raise with_global_hint(rescue_failure, fn)
    rescued.note(_rescue_note(name, fn, hidden, failure))
    rescued.done()


def _rescue_note(name, fn, hidden, failure):
    """What the report says when fn passed only with the reference versions of its upstream."""
    upstream = MANIFEST[name].upstream
    faulty = faulty_upstream(fn, upstream, hidden)
    if faulty:
        cause = "; ".join(f"your {n} {reason}" for n, reason in faulty)
        cause += " (fix it in its own exercise)" if len(faulty) == 1 else " (fix them there)"
    else:
        cause = f"one of {', '.join(upstream)} gives other results here"
    own_result = "it could not run" if _isinstance(failure, NotWrittenYet) else failure.what
    return (
        f"{cause}, so {name} was checked with the course's versions of the "
        f"functions it calls: it is right and keeps its points. "
        f"With your own functions: {own_result}."
    )
