"""Tampering: numpy's, dl_utils' or Python's functions replaced in the student's kernel.

``take_snapshot()`` (called once, when ``dl_utils.checks`` is imported, before
any student cell runs) remembers the functions of the watched modules;
``tampering()`` names those replaced or deleted since, and ``fail_if_tampered``
stops a check that finds any. At grade time the checks run in the judge, a
process the student's code never reaches, and the same test holds there too.
"""

import builtins
import sys

from .report import Tampering

WATCHED_MODULES = ("numpy", "numpy.linalg", "numpy.random", "numpy.testing")
# builtins the checks rely on (not input, display or get_ipython: the kernel swaps those)
WATCHED_BUILTINS = (
    "abs", "all", "any", "bool", "callable", "dict", "enumerate", "float", "getattr",
    "hasattr", "isinstance", "len", "list", "max", "min", "print", "range", "set",
    "sorted", "str", "sum", "tuple", "type", "vars", "zip",
)  # fmt: skip

_SNAPSHOT = {}  # (module name, attribute) -> the function it held at the snapshot


def _watched():
    import numpy.testing  # noqa: F401  (numpy imports it lazily)

    names = WATCHED_MODULES + tuple(
        n for n in sys.modules if n == "dl_utils" or n.startswith("dl_utils.")
    )
    modules = {n: sys.modules[n] for n in names if n in sys.modules}
    modules["builtins"] = builtins
    return modules


def take_snapshot():
    """Remember numpy's, dl_utils' and the watched builtins' functions as they are now."""
    _SNAPSHOT.clear()
    for module_name, module in _watched().items():
        for attr, value in list(vars(module).items()):
            watched = attr in WATCHED_BUILTINS if module is builtins else True
            if watched and callable(value) and not attr.startswith("__"):
                _SNAPSHOT[(module_name, attr)] = value


def tampering():
    """Names like "numpy.dot" of watched functions replaced or deleted since the snapshot."""
    modules = _watched()
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
            failure=Tampering,
        )
