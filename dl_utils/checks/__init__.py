"""Exercise checks: what the notebooks' check cells and graded test cells call.

Each exercise has one function ``check_<name>(student_function, hidden=False)``.
The visible check prints what passed, property by property; the hidden tests
(``hidden=True``) run other shapes and seeds. Both raise ``CheckFailed`` (an
AssertionError) on the first problem, with a hint when the output matches a
classic mistake. The expected values are computed with dl_utils at that
moment, never pasted.
"""

from .core import CheckFailed, NotWrittenYet, take_snapshot
from .forward import check_linear_forward

# Remember numpy's and dl_utils' functions now, before any student cell runs.
take_snapshot()
