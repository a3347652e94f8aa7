"""Re-verify the graded functions in a clean process.

A student's kernel is the student's own process: code in it can replace
``np.allclose``, ``np.testing``, dl_utils' reference or the checks
themselves, and a test cell would then pass on wrong answers. So after the
kernel run, every test cell that passed is checked again here, in a fresh
Python process where nothing of the student's has run yet:

1. the grader's own modules (numpy, dl_utils, the checks) are imported, and a
   snapshot records every function they hold (the object, its code, its
   defaults);
2. the notebook is replayed: the imports of the locked cells; from the
   student's cells only the definitions (``def``, ``class``, imports and
   assignments; loops, prints and plots are skipped); the test cells exactly
   as the instructor wrote them, calling the names the locked cells imported
   (a student who rebinds ``check_relu`` in the notebook is caught here);
3. after every cell the snapshot is compared: anything replaced is reported
   as tampering, attributed to the next test, and put back;
4. a test cell counts as passed only if it passed here too, without tampering.

This process runs in the same sandbox and limits as the kernel.
``verify(cells, ...)`` runs it and returns one Verdict per test cell;
``python -m dl_utils.grading.verify`` is the process itself (JSON on stdin,
JSON on stdout).
"""

import _thread
import ast
import builtins
import json
import os
import secrets
import subprocess
import sys
import threading
import types
from dataclasses import dataclass

from .sandbox import Limits, sandboxed

WATCHED = ("builtins", "numpy", "numpy.linalg", "numpy.random", "numpy.testing", "dl_utils")

# bound now: the student's code may replace the builtins before we use them again
_isinstance, _setattr, _vars, _sorted, _set = isinstance, setattr, vars, sorted, set
_exec, _compile, _callable = exec, compile, callable


@dataclass
class Verdict:
    """What the clean re-run found for one test cell."""

    grade_id: str
    passed: bool
    detail: str = ""
    tampering: bool = False


def verify(cells, workdir, limits=None, hide=(), keep=(), env=None):
    """Replay a notebook's graded cells in a fresh sandboxed process.

    cells: dicts {"kind": "locked" | "answer" | "test" | "other", "source": str,
        "grade_id": str or None, "label": str}, in notebook order.
    env: extra environment variables for the process.
    Returns {grade_id: Verdict} for the test cells, or raises RuntimeError
    (with the reason) when the process could not finish.
    """
    limits = limits or Limits()
    command = [sys.executable, "-m", "dl_utils.grading.verify", str(limits.cell_timeout)]
    tests = sum(1 for c in cells if c["kind"] == "test")
    wall = 30 + limits.cell_timeout * max(1, tests)
    token = secrets.token_hex(16)  # marks our answer among whatever the student prints
    try:
        result = subprocess.run(
            sandboxed(command, limits, workdir, hide, keep),
            input=json.dumps({"token": token, "cells": cells}),
            capture_output=True,
            text=True,
            timeout=wall,
            env={**os.environ, **(env or {})},
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"the clean re-run took longer than {wall:g} s") from None
    answers = [line[len(token) :] for line in result.stdout.splitlines() if line.startswith(token)]
    if result.returncode != 0 or len(answers) != 1:
        raise RuntimeError(f"the clean re-run stopped (exit code {result.returncode})")
    data = json.loads(answers[0])
    return {g: Verdict(g, **v) for g, v in data.items()}


# --- the clean process ---------------------------------------------------------------

KEPT = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)


def definitions_only(source, calls=True):
    """The definitions of a student's cell, as source: defs, classes, imports and
    assignments (an assignment that replaces a watched function is then seen
    and undone). Loops, calls, prints and decorators are dropped.

    calls: keep assignments whose value calls something (answer cells); for
    the notebook's other cells only cheap ones are kept, so a demo such as
    `parameters, costs = L_layer_model(...)` is not trained again.
    Returns "" if the cell does not parse.
    """
    try:
        tree = ast.parse(_without_magics(source))
    except SyntaxError:
        return ""
    kept = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            node.decorator_list = []
            kept.append(node)
        elif isinstance(node, KEPT):
            kept.append(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            if calls or not _calls_something(node.value):
                kept.append(node)
    return ast.unparse(ast.Module(body=kept, type_ignores=[]))


def _calls_something(node):
    """True when an expression calls a function (outside the body of a lambda)."""
    if node is None or isinstance(node, ast.Lambda):
        return False
    if isinstance(node, ast.Call):
        return True
    return any(_calls_something(child) for child in ast.iter_child_nodes(node))


def imports_only(source):
    """The import statements of a (locked) cell, as source."""
    try:
        tree = ast.parse(_without_magics(source))
    except SyntaxError:
        return ""
    kept = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    return ast.unparse(ast.Module(body=kept, type_ignores=[]))


def _without_magics(source):
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )


class Snapshot:
    """Every function of the watched modules: the object, its code and defaults."""

    def __init__(self):
        self.entries = {}
        for module_name, module in self._modules().items():
            for attr, value in list(_vars(module).items()):
                if _callable(value) or _isinstance(value, types.ModuleType):
                    self.entries[(module_name, attr)] = (module, value, _fingerprint(value))
        self.modules = dict(sys.modules)

    @staticmethod
    def _modules():
        names = [n for n in sys.modules if n in WATCHED or n.startswith("dl_utils.")]
        return {n: sys.modules[n] for n in names if _isinstance(sys.modules[n], types.ModuleType)}

    def changes_and_restore(self):
        """Names replaced since the snapshot; each is put back. Returns a sorted list."""
        changed = []
        for (module_name, attr), (module, value, fingerprint) in self.entries.items():
            current = _vars(module).get(attr, None)
            if current is not value or _fingerprint(value) != fingerprint:
                changed.append(f"{module_name}.{attr}")
                _restore(module, attr, value, fingerprint)
        for name, module in self.modules.items():
            if (name in WATCHED or name.startswith("dl_utils")) and sys.modules.get(
                name
            ) is not module:
                changed.append(f"sys.modules[{name!r}]")
                sys.modules[name] = module
        return _sorted(_set(changed))


def _fingerprint(value):
    if _isinstance(value, types.FunctionType):
        return (value.__code__, value.__defaults__, value.__kwdefaults__)
    return None


def _restore(module, attr, value, fingerprint):
    _setattr(module, attr, value)
    if fingerprint is not None:
        value.__code__, value.__defaults__, value.__kwdefaults__ = fingerprint


def _run(source, namespace, seconds):
    """Execute source, stopped after ``seconds``; return "" or a one-line error."""
    # a watchdog interrupts the main thread (the checks keep SIGALRM for their own limit)
    done = threading.Event()

    def watchdog():
        if not done.wait(seconds):
            _thread.interrupt_main()

    threading.Thread(target=watchdog, daemon=True).start()
    try:
        _exec(_compile(source, "<cell>", "exec"), namespace)
        return ""
    except KeyboardInterrupt:
        return f"ran longer than {seconds:g} s"
    except BaseException as error:  # the student's code: anything can come out
        return f"{type(error).__name__}: {error}".splitlines()[0][:300]
    finally:
        done.set()


def imported_names(source):
    """The names an import-only source binds: `import numpy as np` binds np."""
    names = []
    for node in ast.parse(source).body:
        for alias in getattr(node, "names", []):
            names.append(alias.asname or alias.name.split(".")[0])
    return names


def replay(cells, seconds):
    """Replay the cells (see the module docstring); return {grade_id: verdict dict}."""
    os.environ.setdefault("MPLBACKEND", "Agg")  # a test that plots needs no screen
    import numpy  # noqa: F401
    import numpy.testing  # noqa: F401

    import dl_utils  # noqa: F401
    import dl_utils.checks  # noqa: F401

    snapshot = Snapshot()
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    trusted = {}  # what the locked cells' imports bound (the checks, np, ...)
    pending = []  # tampering seen in the student's cells since the last test
    verdicts = {}
    for cell in cells:
        kind = cell["kind"]
        if kind == "locked":
            source = imports_only(cell["source"])
            _run(source, namespace, seconds)
            trusted.update({n: namespace[n] for n in imported_names(source) if n in namespace})
            continue
        if kind != "test":
            _run(definitions_only(cell["source"], calls=kind == "answer"), namespace, seconds)
            changed = snapshot.changes_and_restore()
            if changed:
                pending.append(f"{', '.join(changed)} replaced")
            continue
        # a test calls the instructor's names, whatever the student bound to them
        rebound = sorted(n for n, obj in trusted.items() if namespace.get(n) is not obj)
        for name in rebound:
            namespace[name] = trusted[name]
        if rebound:
            pending.append(f"{', '.join(rebound)} rebound in the notebook")
        error = _run(_without_magics(cell["source"]), namespace, seconds)
        changed = snapshot.changes_and_restore()
        if changed:
            pending.append(f"{', '.join(changed)} replaced while the test ran")
        if pending:
            verdict = {
                "passed": False,
                "detail": "tampering detected: " + "; ".join(pending),
                "tampering": True,
            }
            pending = []
        elif error:
            verdict = {"passed": False, "detail": error, "tampering": False}
        else:
            verdict = {"passed": True, "detail": "", "tampering": False}
        verdicts[cell["grade_id"]] = verdict
    return verdicts


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    request = json.load(sys.stdin)
    token = request.pop("token")
    # the student's code prints to stderr here; stdout carries our answer only
    answer = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    verdicts = replay(request["cells"], seconds)
    answer.write(token + json.dumps(verdicts) + "\n")
    answer.flush()
    os._exit(0)  # no atexit handler or thread of the student's runs after our answer


if __name__ == "__main__":
    main()
