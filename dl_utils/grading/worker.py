"""The judge's worker: it runs inside the jail and holds one student's code.

It knows no check and no expected value. The judge (outside the jail) sends it
the student's definitions to run, then calls: a function's name and inputs;
the worker runs the student's function on them and sends back what came out,
as plain data (``wire.py``): the result, the inputs as the function left them,
what it printed, and whether it touched numpy's global random generator.

The course functions a notebook imports from ``dl_utils`` are not here (the
package is not in the jail): each is a ``CourseFunction`` that asks the judge
to run it, and the judge refuses the ones the exercise does not allow.

Started by the judge as ``python -I worker.py READ_FD WRITE_FD``. Everything
here runs with the student's code in the same process, so nothing here is
trusted: the judge checks every message it gets back.
"""

import builtins
import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
from wire import Channel, FunctionRef, WireError  # noqa: E402

PRINT_KEPT = 4000  # characters of a call's printed output sent back
# bound now, before any student code runs (it may replace them later: that
# should cost the student, not garble the worker)
_get_state, _set_state, _array_equal = np.random.get_state, np.random.set_state, np.array_equal
_exec, _compile = exec, compile


class CourseError(Exception):
    """An error raised by a course function the judge ran (or refused to run)."""


class CourseFunction:
    """A function of the judge's: calling it asks the judge to run it."""

    def __init__(self, worker, ref_id, name):
        self._worker, self._id = worker, ref_id
        self.__name__ = self.__qualname__ = name

    def __call__(self, *args, **kwargs):
        return self._worker.call_back(self._id, args, kwargs)

    def __repr__(self):
        return f"<course function {self.__name__}>"


class Printed:
    """Stands in for sys.stdout and sys.stderr during a call: counts and keeps the start."""

    def __init__(self):
        self.count, self.kept = 0, []

    def write(self, text):
        text = str(text)
        if self.count < PRINT_KEPT:
            self.kept.append(text[: PRINT_KEPT - self.count])
        self.count += len(text)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


class Worker:
    def __init__(self, channel):
        self.channel = channel
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}

    def serve(self):
        while True:
            msg = self.channel.receive()
            if msg.get("op") == "quit":
                return
            self.reply(self.handle(msg))

    def reply(self, answer):
        """Send an answer; one that cannot be sent becomes the error saying why."""
        try:
            self.channel.send(answer)
        except EOFError:
            raise
        except Exception as error:  # noqa: BLE001 (e.g. a result too large, or one that breaks)
            self.channel.send(
                {
                    "op": "raised",
                    "type": "ResultNotSent",
                    "bases": ["ValueError"],
                    "message": f"what it returned could not be sent to the grader: {error}",
                    "unsendable": True,
                }
            )

    def handle(self, msg):
        op = msg.get("op")
        try:
            if op == "bind":
                return self.bind(msg["names"], msg.get("value"))
            if op == "run":
                return self.run(msg["label"], msg["statements"])
            if op == "names":
                return {"op": "names", "names": self.kinds()}
            if op == "get":
                return {"op": "value", "value": self.namespace[msg["name"]]}
            if op == "call":
                return self.call(msg)
        except Exception as error:  # noqa: BLE001 (reported to the judge)
            return {"op": "raised", **describe(error)}
        return {"op": "raised", "type": "ValueError", "message": f"unknown request {op!r}"}

    def bind(self, functions, values):
        """Put the course's names in the namespace: functions as CourseFunctions."""
        for name, ref_id in functions.items():
            self.namespace[name] = CourseFunction(self, ref_id, name.rsplit(".", 1)[-1])
        for name, value in (values or {}).items():
            self.namespace[name] = value
        return {"op": "bound"}

    def run(self, label, statements):
        """Run one cell's definitions, statement by statement (one that fails, such
        as an import of the kit's package, does not stop the others); return the
        first error, if any."""
        printed = Printed()
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = printed
        first = None
        try:
            for source in statements:
                try:
                    _exec(_compile(source, label, "exec"), self.namespace)
                except BaseException as exc:  # the student's code: anything can come out
                    first = first or describe(exc)
        finally:
            sys.stdout, sys.stderr = saved
        return {"op": "ran", "error": first}

    def kinds(self):
        """What each name of the namespace holds: function, course, module, class,
        callable or data."""
        kinds = {}
        for name, value in list(self.namespace.items()):
            if name.startswith("__"):
                continue
            if isinstance(value, CourseFunction):
                kind = "course"
            elif isinstance(value, types.FunctionType):
                kind = "function"
            elif isinstance(value, types.ModuleType):
                kind = "module"
            elif isinstance(value, type):
                kind = "class"
            elif callable(value):
                kind = "callable"
            else:
                kind = "data"
            kinds[str(name)] = kind
        return kinds

    def call(self, msg):
        """Call a student's function on the inputs the judge sent."""
        saved = {}
        for name, ref_id in msg.get("replace", {}).items():
            saved[name] = self.namespace.get(name, _MISSING)
            self.namespace[name] = CourseFunction(self, ref_id, name)
        args = [self.live(a) for a in msg.get("args", [])]
        kwargs = {k: self.live(v) for k, v in msg.get("kwargs", {}).items()}
        state = _get_state()
        printed = Printed()
        streams = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = printed
        try:
            function = self.namespace[msg["name"]]
            result = {"op": "returned", "value": function(*args, **kwargs)}
        except BaseException as error:  # the student's code: anything can come out
            result = {"op": "raised", **describe(error)}
        finally:
            sys.stdout, sys.stderr = streams
            for name, value in saved.items():
                if value is _MISSING:
                    self.namespace.pop(name, None)
                else:
                    self.namespace[name] = value
        result["args_after"] = args
        result["kwargs_after"] = kwargs
        result["random_changed"] = not same_state(state, _get_state())
        result["printed"] = printed.count
        result["printed_text"] = "".join(printed.kept)
        _set_state(state)
        return result

    def live(self, value):
        """Turn the judge's FunctionRefs in a value into CourseFunctions."""
        if isinstance(value, FunctionRef):
            return CourseFunction(self, value.id, "function")
        if type(value) is list:
            return [self.live(v) for v in value]
        if type(value) is tuple:
            return tuple(self.live(v) for v in value)
        if type(value) is dict:
            return {k: self.live(v) for k, v in value.items()}
        return value

    def call_back(self, ref_id, args, kwargs):
        """Ask the judge to run one of its functions; serve its requests meanwhile."""
        self.channel.send({"op": "callback", "id": ref_id, "args": list(args), "kwargs": kwargs})
        while True:
            msg = self.channel.receive()
            op = msg.get("op")
            if op == "callback_returned":
                return self.live(msg.get("value"))
            if op == "callback_raised":
                raise rebuilt(msg.get("type"), msg.get("message"))
            if op == "quit":
                os._exit(0)
            self.reply(self.handle(msg))


_MISSING = object()


def same_state(a, b):
    return a[0] == b[0] and bool(_array_equal(a[1], b[1])) and a[2:] == b[2:]


def describe(error):
    """An exception as plain data: its type, the names of its classes, its message."""
    kind = type(error)
    try:
        message = str(error)[:2000]
    except Exception:  # noqa: BLE001 (a student's exception whose str fails)
        message = "(the message could not be read)"
    bases = [c.__name__ for c in getattr(kind, "__mro__", ()) if isinstance(c, type)][:20]
    return {"type": str(kind.__name__)[:100], "bases": bases, "message": message}


def rebuilt(type_name, message):
    """The exception a course function raised on the judge's side."""
    kind = getattr(builtins, str(type_name), None)
    if not (isinstance(kind, type) and issubclass(kind, Exception)):
        kind = CourseError
    return kind(str(message))


def main():
    read_fd, write_fd = int(sys.argv[1]), int(sys.argv[2])
    channel = Channel(read_fd, write_fd)
    try:
        Worker(channel).serve()
    except (EOFError, WireError):
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
