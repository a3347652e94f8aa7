"""Exercise checks: what the notebooks' check cells and graded test cells call.

Each exercise has one function ``check_<name>(student_function, hidden=False)``.
The visible check prints what passed, property by property; the hidden tests
(``hidden=True``) run other shapes and seeds. Both raise ``CheckFailed`` (an
AssertionError) on the first problem, with a hint when the output matches a
classic mistake. The expected values are computed with dl_utils at that
moment, never pasted.

The exercises, their notebooks and their check modules are listed once, in
``dl_utils.exercises``; this package exports ``check_<name>`` for each of them.
How a check works, concept by concept:

    report       what a check reports: the Checker, CheckFailed and its kinds
    compare      how values are compared and classic mistakes recognized
    calling      how the student's function is called safely (time, inputs, prints)
    reading      reading the student's code: calls of the reference, notebook globals
    tampering    numpy, dl_utils or builtins replaced in the student's kernel
    registry     the @exercise decorator, and the re-run with the course's upstream

The checks of the exercises, by topic: initialization, forward, cost,
backward, training (notebook 01), application (02), classroom (03),
gradient_checking (04).
"""

from importlib import import_module

from ..exercises import EXERCISES
from .report import CheckFailed, NotWrittenYet
from .tampering import take_snapshot

__all__ = ["CheckFailed", "NotWrittenYet"]
for _exercise in EXERCISES.values():
    _module = import_module(f".{_exercise.checks}", __name__)
    globals()[_exercise.check_name] = getattr(_module, _exercise.check_name)
    __all__.append(_exercise.check_name)
del _exercise, _module

# Remember numpy's and dl_utils' functions now, after every check module is
# imported and before any student cell runs.
take_snapshot()
