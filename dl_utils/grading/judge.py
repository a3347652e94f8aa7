"""The judge: grades come from here, a process no student code ever runs in.

For one submitted notebook, the judge

1. reads the instructor's notebook (trusted): its locked cells say which
   course functions the notebook imports, and its test cells are the tests;
2. starts a worker in a jail (``remote.WorkerProcess``) and replays there the
   student's definitions (``def``, ``class``, imports, assignments; loops,
   prints and demos are dropped), with every course function a stand-in that
   calls back the judge (the kit's package is not in the jail);
3. runs each test cell here, with the checks of ``dl_utils.checks``: a name of
   the student's stands for a ``RemoteFunction`` (or, for data, its value
   fetched as plain data). The checks make their cases, send the inputs to the
   worker, compare what comes back with the reference computed here, and judge
   mutation, time, printing and delegation from what came back and from the
   student's source, read here;
4. returns one ``Verdict`` per test cell: what the check printed, and the
   error when it failed.

Whatever the student's code does in the worker (replace numpy, the checks'
names, ``os._exit``, frames, ``gc``, ``ctypes``) changes only the worker. A
worker that breaks the protocol ends that test as tampering; one that does not
answer in time, or dies, fails the call that caused it, with the cause; a
cell whose replay does not end or kills the worker is dropped from the replay
(its definitions are missing) and noted.
"""

import contextlib
import io
import time
from dataclasses import dataclass, field

from .notebook_code import CourseImports, StudentCode, cell_kind, reference_calls
from .remote import CallRecord, RemoteFunction, WorkerFailed, WorkerProcess
from .review import suspicious_code
from .wire import Opaque, WireError


class JudgeStopped(BaseException):
    """Judging of a test cannot go on: kind is "tampering" or "not judged".

    A BaseException, so that no check's ``except Exception`` turns it into a plain
    failure that a re-run could then pass."""

    def __init__(self, kind, detail):
        super().__init__(detail)
        self.kind, self.detail = kind, detail


@dataclass
class Verdict:
    """What the judge decided for one test cell.

    grade_id: the test cell. passed: full points or none. output: what the check
    printed. error: (name, message) when it failed. kind: "checked", or
    "tampering" / "not judged" when the judge had to stop. failure and hint: the
    kind of a failed check ("mistake", "not written yet", ... see
    ``checks.report.CheckFailed``) and its hint, when a check failed.
    """

    grade_id: str
    passed: bool
    output: str = ""
    error: tuple = None
    kind: str = "checked"
    failure: str = None
    hint: str = None


@dataclass
class JudgeNotes:
    """What the instructor should know about a judging run."""

    dropped: dict = field(default_factory=dict)  # replayed cell -> why it was dropped
    restarts: int = 0
    suspicious: list = field(default_factory=list)  # (cell, what it does): see review.py


# --- the judge ---------------------------------------------------------------------------


class Judge:
    """Judges one student's notebook against the instructor's (see the module docstring).

    source_nb: the instructor's notebook (nbformat), trusted.
    student_nb: the submitted notebook, after nbgrader restored its locked cells.
    limits: a jail.Limits.
    """

    def __init__(self, source_nb, student_nb, limits):
        self.limits = limits
        self.course = CourseImports(source_nb)
        self.student = StudentCode(student_nb)
        self.tests = [
            (cell.metadata["nbgrader"]["grade_id"], cell.source)
            for cell in source_nb.cells
            if cell.cell_type == "code" and cell_kind(cell) == "test"
        ]
        self.notes = JudgeNotes()
        trusted = {name for name in self.course.trusted if not name.startswith("__")}
        self.notes.suspicious = suspicious_code(student_nb, trusted)
        self.deadline = time.monotonic() + limits.judge_timeout
        self.worker = None
        self._kinds = None

    # --- the worker ---

    def ready(self):
        """A worker holding the student's definitions (started, or started again)."""
        if self.worker is not None and self.worker.alive():
            return
        while True:
            self._start()
            label = None
            try:
                for label, cell in self.course.worker_cells + self.student.cells:
                    if label not in self.notes.dropped:
                        self._run(label, cell)
                label = None  # not a cell's fault from here on
                self._kinds = self._request({"op": "names"}, self._time_left(30)).get("names")
                if type(self._kinds) is not dict:
                    raise JudgeStopped("tampering", "the worker sent an invalid list of names")
                return
            except WorkerFailed as failure:
                if failure.kind == "protocol":
                    raise JudgeStopped("tampering", failure.detail) from None
                if label is None or label.startswith("locked"):
                    why = f"the worker could not start: {failure}"
                    raise JudgeStopped("not judged", why) from None
                self.notes.dropped[label] = (
                    f"ran longer than {self.limits.call_timeout:g} s"
                    if failure.kind == "timeout"
                    else failure.detail
                )

    def _start(self):
        if time.monotonic() > self.deadline:
            raise JudgeStopped("not judged", self._out_of_time())
        if self.worker is not None:
            self.worker.close()
            self.notes.restarts += 1
        self.worker = WorkerProcess(self.limits)
        self._kinds = None
        bind = {name: f"c:{name}" for name in self.course.functions}
        msg = {"op": "bind", "names": bind, "value": self.course.values}
        self._request(msg, self._time_left(60))

    def _run(self, label, statements):
        msg = {"op": "run", "label": label, "statements": statements}
        answer = self._request(msg, self._time_left(self.limits.call_timeout))
        if answer.get("op") != "ran":
            self.worker.kill()
            raise WorkerFailed("protocol", f"an unexpected answer to a replay: {answer.get('op')}")

    def _request(self, msg, deadline, on_callback=None):
        return self.worker.request(msg, deadline, on_callback)

    def _time_left(self, seconds):
        """The deadline of a step of ``seconds``, within the judge's own time."""
        return min(time.monotonic() + seconds, self.deadline)

    def _out_of_time(self):
        return f"the submission used up its judging time ({self.limits.judge_timeout:g} s)"

    def close(self):
        if self.worker is not None:
            self.worker.close()
            self.worker = None

    # --- what the checks use ---

    def kinds(self):
        """{name: kind} of the names the student's notebook defines (and the course's)."""
        self.ready()
        return dict(self._kinds)

    def function(self, name):
        """A RemoteFunction for a callable name of the notebook, or None."""
        kind = self.kinds().get(name)
        if kind not in ("function", "course", "callable", "class"):
            return None
        return RemoteFunction(self, name, kind)

    def value(self, name):
        """The value of a data name of the notebook, as plain data."""
        self.ready()
        try:
            answer = self._request({"op": "get", "name": name}, self._time_left(60))
        except WorkerFailed as failure:
            raise JudgeStopped(
                "tampering" if failure.kind == "protocol" else "not judged",
                f"the value of {name} could not be read: {failure.detail}",
            ) from None
        if answer.get("op") != "value":
            self.worker.kill()
            raise NameError(f"name {name!r} could not be read from the notebook")
        return answer.get("value")

    def call(self, fn, args, kwargs, timeout, allowed):
        """Call ``fn`` in the worker (see RemoteFunction.call_remote); return a CallRecord."""
        from ..checks.report import CheckFailed

        self.ready()
        if time.monotonic() > self.deadline:
            raise JudgeStopped("not judged", self._out_of_time())
        table, record = {}, CallRecord()

        def on_callback(msg):
            ref, cargs, ckwargs = msg.get("id"), msg.get("args"), msg.get("kwargs")
            if type(cargs) is not list or type(ckwargs) is not dict:
                raise WireError("a callback without a list of arguments")
            if not all(type(k) is str for k in ckwargs):
                raise WireError("a callback with keyword names that are not strings")
            function = self._callback_target(fn, ref, table, allowed, record)
            if function is None:
                what = self.course.qualified(ref[2:])
                return {
                    "op": "callback_raised",
                    "type": "CourseError",
                    "message": f"{what} is not available to {fn.name} in this exercise",
                }
            if record.failure is not None:
                return {"op": "callback_raised", "type": "RuntimeError", "message": "stopped"}
            try:
                return {"op": "callback_returned", "value": function(*cargs, **ckwargs)}
            except CheckFailed as failure:  # a check's stand-in stopped the run
                record.failure = failure
                return {"op": "callback_raised", "type": "RuntimeError", "message": "stopped"}
            except Exception as error:  # the reference refused the inputs: the student sees why
                kind = type(error).__name__
                return {"op": "callback_raised", "type": kind, "message": str(error)}

        self.worker.channel.functions = _register(table)
        msg = {
            "op": "call",
            "name": fn.name,
            "args": list(args),
            "kwargs": dict(kwargs),
            "replace": {name: f"r:{name}" for name in fn.replacements},
        }
        deadline = min(time.monotonic() + timeout, self.deadline)
        try:
            answer = self._request(msg, deadline, on_callback)
        except WorkerFailed as failure:
            if failure.kind == "protocol":
                raise JudgeStopped("tampering", failure.detail) from None
            if failure.kind == "timeout" and time.monotonic() >= self.deadline:
                raise JudgeStopped("not judged", self._out_of_time()) from None
            raise
        finally:
            self.worker.channel.functions = None
        return self._record(answer, record, len(args))

    def _callback_target(self, fn, ref, table, allowed, record):
        """The judge-side function a callback asks for; None when it is refused."""
        if type(ref) is not str:
            raise WireError("a callback to a function id that is not a string")
        if ref.startswith("r:") and ref[2:] in fn.replacements:
            return fn.replacements[ref[2:]]
        if ref in table:
            return table[ref]
        if ref.startswith("c:") and ref[2:] in self.course.functions:
            if ref[2:] in allowed:
                return self.course.functions[ref[2:]]
            record.refused.append(self.course.qualified(ref[2:]))
            return None
        raise WireError(f"a callback to an unknown function {ref[:40]!r}")

    def _record(self, answer, record, n_args):
        op = answer.get("op")
        after, kwargs_after = answer.get("args_after"), answer.get("kwargs_after")
        if op == "raised" and answer.get("unsendable") is True:  # what it returned was too big
            after, kwargs_after = [None] * n_args, {}
        fits = type(after) is list and len(after) == n_args and type(kwargs_after) is dict
        if op not in ("returned", "raised") or not fits:
            self.worker.kill()  # what it sends next cannot be trusted to answer anything
            raise JudgeStopped("tampering", "the worker sent an answer that does not fit the call")
        record.args_after, record.kwargs_after = after, kwargs_after
        record.random_changed = answer.get("random_changed") is True
        printed = answer.get("printed")
        record.printed = printed if type(printed) is int else 0
        text = answer.get("printed_text")
        record.printed_text = text[:4000] if type(text) is str else ""
        if op == "returned":
            record.value = answer.get("value")
        else:
            bases = answer.get("bases")
            record.error = (
                str(answer.get("type"))[:100],
                [str(b)[:100] for b in bases][:20] if type(bases) is list else [],
                str(answer.get("message"))[:2000],
            )
        return record

    def reference_calls(self, name, allowed=(), stop_at=()):
        """The course functions the source of ``name`` uses (see notebook_code)."""
        return reference_calls(self.student, self.course, self.kinds(), name, allowed, stop_at)

    # --- the test cells ---

    def judge_all(self):
        """Run every test cell of the instructor's notebook; return {grade_id: Verdict}."""
        from ..checks.calling import set_time_limits
        from ..checks.registry import remember_results

        set_time_limits(self.limits.call_timeout, self.limits.check_budget)
        remember_results(True)
        verdicts = {}
        try:
            for grade_id, source in self.tests:
                verdicts[grade_id] = self.judge_test(grade_id, source)
        finally:
            remember_results(False)
            self.close()
        return verdicts

    def _not_defined(self, name):
        text = f"{name} is not defined in the notebook: write it in its answer cell"
        if self.notes.dropped:
            cells = "; ".join(f"{label}: {why}" for label, why in self.notes.dropped.items())
            text += f" (some cells could not be replayed, so what they define is missing: {cells})"
        return text

    def judge_test(self, grade_id, source):
        """Run one test cell here, the student's names standing for RemoteFunctions."""
        printed = io.StringIO()
        namespace = StudentNames(self, self.course.trusted)
        error, kind, failed = None, "checked", None
        try:
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                code = compile(source, f"<test {grade_id}>", "exec")
                exec(code, dict(self.course.trusted), namespace)
        except JudgeStopped as stop:
            kind, error = stop.kind, (_ERROR_NAMES[stop.kind], stop.detail)
        except NameError as failure:  # the test uses a name the notebook does not define
            error = ("NameError", self._not_defined(getattr(failure, "name", None) or str(failure)))
        except Exception as failure:  # a failed check, or a name the notebook lacks
            error = (type(failure).__name__, str(failure) or type(failure).__name__)
            failed = failure
        output = printed.getvalue()
        limit = self.limits.output_kb * 1024
        if len(output) > limit:
            output = output[:limit] + "\n[output cut]\n"
        from ..checks.report import CheckFailed

        verdict = Verdict(grade_id, error is None, output, error, kind)
        if isinstance(failed, CheckFailed):
            verdict.failure, verdict.hint = failed.kind, failed.hint
        return verdict


_ERROR_NAMES = {"tampering": "TamperingDetected", "not judged": "NotJudged"}


def _register(table):
    def register(function):
        ref_id = f"f{len(table)}"
        table[ref_id] = function
        return ref_id

    return register


class StudentNames(dict):
    """The names a test cell sees: the instructor's (the checks, numpy) first, then
    the student's, each looked up in the worker when the test uses it."""

    def __init__(self, judge, trusted):
        super().__init__()
        self.judge, self.trusted = judge, trusted

    def __getitem__(self, name):
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        if name in self.trusted:
            return self.trusted[name]
        kind = self.judge.kinds().get(name)
        if kind is None:
            raise KeyError(name)
        if kind == "data":
            return self.judge.value(name)
        function = self.judge.function(name)
        return function if function is not None else Opaque(kind)

    def __contains__(self, name):
        try:
            self[name]
        except KeyError:
            return False
        return True


def judge_notebook(source_nb, student_nb, limits):
    """Judge one notebook; return ({grade_id: Verdict}, JudgeNotes)."""
    judge = Judge(source_nb, student_nb, limits)
    return judge.judge_all(), judge.notes
