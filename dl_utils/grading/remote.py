"""The judge's side of the jail's wall: the worker process, and student functions
called through it.

``WorkerProcess`` starts ``worker.py`` in a jail (without the kit's package)
and exchanges plain-data messages with it (``wire.py``). Everything that comes
back is checked: a message that breaks the protocol, a result that is too big,
or a worker that does not answer in time ends that worker (the judge starts a
new one for what follows) and raises ``WorkerFailed`` with the real cause.

``RemoteFunction`` is how the checks see a student's function at grade time:
calling it sends the inputs to the worker and returns a ``CallRecord`` (the
result, the inputs as the function left them, what it printed, whether it
changed numpy's global random generator). While the function runs, the worker
may ask the judge to run a course function: the judge runs it only if the
exercise allows it (``allowed``) or the check put it there (``replacements``,
e.g. the reference upstream functions); otherwise it refuses, and the refusal
is recorded.
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import jail
from .wire import Channel, WireError

HERE = Path(__file__).resolve().parent


class WorkerFailed(Exception):
    """The worker could not answer: ``kind`` is "timeout", "died" or "protocol"."""

    def __init__(self, kind, detail):
        super().__init__(detail)
        self.kind, self.detail = kind, detail


@dataclass
class CallRecord:
    """What one call of a student's function gave.

    value: the result (plain data). error: None, or (type name, class names, message)
        of what it raised. args_after, kwargs_after: the inputs as it left them.
    random_changed: True when it changed numpy's global random generator.
    printed: characters it printed (printed_text: the start of them).
    refused: course functions it tried to call that the exercise does not allow.
    failure: an exception a function of the check's raised during the call
        (re-raised by the caller once the call is over).
    """

    value: object = None
    error: tuple = None
    args_after: list = field(default_factory=list)
    kwargs_after: dict = field(default_factory=dict)
    random_changed: bool = False
    printed: int = 0
    printed_text: str = ""
    refused: list = field(default_factory=list)
    failure: BaseException = None


class WorkerProcess:
    """worker.py in a jail, and the channel to it."""

    def __init__(self, limits):
        self.limits = limits
        here = jail.HOME + "/.judge"
        self.jail = jail.Jail(
            hidden=_package_folders_inside_python(),
            files={f".judge/{name}": str(HERE / name) for name in ("worker.py", "wire.py")},
            env={"MPLBACKEND": "Agg"},
            limits=limits,
        )
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        output_r, output_w = os.pipe()
        argv = [sys.executable, "-I", f"{here}/worker.py", str(to_worker_r), str(from_worker_w)]
        try:
            self.process, self.leftovers = jail.start(
                self.jail,
                argv,
                stdin=subprocess.DEVNULL,
                stdout=output_w,
                stderr=output_w,
                pass_fds=(to_worker_r, from_worker_w),
                start_new_session=True,
            )
        finally:
            for fd in (to_worker_r, from_worker_w, output_w):
                os.close(fd)
        self.channel = Channel(from_worker_r, to_worker_w)
        self.output = OutputCounter(output_r, limits.output_mb * 1024 * 1024, self.kill)

    def request(self, msg, deadline, on_callback=None):
        """Send msg and return the worker's answer; callbacks are served meanwhile.

        on_callback(msg) -> (op, value or error message): answers a callback.
        Raises WorkerFailed (the worker is then stopped).
        """
        try:
            self.channel.send(msg, deadline)
            while True:
                answer = self.channel.receive(deadline)
                if answer.get("op") != "callback":
                    return answer
                if on_callback is None:
                    raise WireError("a callback where none can happen")
                self.channel.send(on_callback(answer), deadline)
        except TimeoutError:
            self.kill()
            raise WorkerFailed("timeout", "no answer in time") from None
        except EOFError:
            raise WorkerFailed("died", self.death_cause()) from None
        except (WireError, OSError) as error:
            self.kill()
            if self.output.over:
                raise WorkerFailed("died", self.death_cause()) from None
            raise WorkerFailed("protocol", f"the worker broke the protocol: {error}") from None

    def death_cause(self):
        """Why the worker ended, in words (it is waited for, briefly)."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            return "its process stopped answering"
        if self.output.over:
            return f"it printed more than {self.limits.output_mb} MB and was stopped"
        return exit_cause(code)

    def alive(self):
        return self.process.poll() is None

    def kill(self):
        """Stop the jail and everything in it (it dies with its bwrap)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)

    def close(self):
        self.kill()
        for fd in (self.channel.read_fd, self.channel.write_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.output.join()
        jail.cleanup(self.leftovers)


def exit_cause(code):
    """A jail's exit status in words (bwrap gives 128 + N for signal N)."""
    if code is None:
        return "it stopped"
    if code < 0 or code > 128:
        number = -code if code < 0 else code - 128
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        if name == "SIGKILL":
            return "its process was killed (SIGKILL: too much memory, or its own code killed it)"
        return f"its process crashed ({name})"
    return f"its process exited with code {code} (os._exit, sys.exit or a crash)"


class OutputCounter:
    """Drains a jail's stdout and stderr, counting bytes; past ``limit`` it calls ``stop``."""

    def __init__(self, fd, limit, stop):
        self.fd, self.limit, self.stop = fd, limit, stop
        self.count = 0
        self.head = b""
        self.over = False
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self):
        try:
            while chunk := os.read(self.fd, 1 << 16):
                self.count += len(chunk)
                if len(self.head) < 4096:
                    self.head += chunk[: 4096 - len(self.head)]
                if self.count > self.limit and not self.over:
                    self.over = True
                    self.stop()
        finally:
            os.close(self.fd)

    def join(self):
        self.thread.join(timeout=10)


def _package_folders_inside_python():
    """The kit's package where it lies inside the Python installation (a
    non-editable install): covered in the worker's jail, so it cannot be imported."""
    import dl_utils

    package = os.path.dirname(os.path.realpath(dl_utils.__file__))
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix)}
    return [package] if any(package.startswith(p + "/") for p in prefixes) else []


class RemoteFunction:
    """A student's function, as the judge calls it: in the worker, on plain data.

    judge: the Judge holding the worker. name: the function's name in the
    student's notebook. kind: "function", "course", "callable" or "class".
    """

    def __init__(self, judge, name, kind):
        self.judge, self.name, self.kind = judge, name, kind
        self.__name__ = self.__qualname__ = name
        self.replacements = {}

    def __repr__(self):
        return f"<the student's {self.name}>"

    def __call__(self, *args, **kwargs):
        """Call it like a plain function (for tests written as plain code)."""
        record = self.call_remote(list(args), kwargs, timeout=self.judge.limits.call_timeout)
        if record.failure is not None:
            raise record.failure
        if record.error is not None:
            raise rebuilt_error(*record.error)
        return record.value

    @contextlib.contextmanager
    def swapped(self, replacements):
        """Make the function see ``replacements`` ({name: judge-side function}) as
        globals while it runs inside the block."""
        saved = dict(self.replacements)
        self.replacements.update(replacements)
        try:
            yield
        finally:
            self.replacements = saved

    def call_remote(self, args, kwargs, timeout, allowed=()):
        """Call the student's function in the worker; return a CallRecord.

        args, kwargs: plain data (and judge-side functions, which the worker calls back).
        timeout: seconds the call may take. allowed: short names of the course
        functions it may call. Raises WorkerFailed.
        """
        return self.judge.call(self, args, kwargs, timeout, allowed)

    def sibling(self, name):
        """Another function of the same notebook, or None when the name is not defined."""
        return self.judge.function(name)

    @property
    def code(self):
        """The function's code object, compiled by the judge from the notebook's source
        (never from the worker), or None when it is not a plain def."""
        return self.judge.student.code_of(self.name)

    def global_kinds(self):
        """{name: kind} of the notebook's names as the worker holds them."""
        return self.judge.kinds()

    def reference_calls(self, allowed=(), stop_at=()):
        """The course functions its source uses, other than ``allowed``."""
        return self.judge.reference_calls(self.name, allowed, stop_at)


def rebuilt_error(type_name, bases, message):
    """An exception instance standing for what a student's function raised: of
    the first built-in class among its classes (numpy's AxisError is a
    ValueError), with the same message."""
    import builtins

    for name in [type_name, *(bases or [])]:
        kind = getattr(builtins, str(name), None)
        if isinstance(kind, type) and issubclass(kind, Exception):
            if kind in (SystemExit, KeyboardInterrupt, GeneratorExit):
                break
            try:
                error = kind(message)
            except TypeError:  # an exception class that wants other arguments
                continue
            error.student_type = str(type_name)
            return error
    error = RuntimeError(message)
    error.student_type = str(type_name)
    return error
