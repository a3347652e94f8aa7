"""Reading the student's function without running it, and changing what it calls.

- ``reference_calls`` finds the dl_utils functions a student's function
  reaches (a function that only calls the reference earns no credit);
- ``global_data`` finds the notebook variables it reads instead of its
  arguments (the check's inputs do not reach them);
- ``swapped_globals`` and ``reference_upstream`` make it call other versions
  of the functions it uses, so an early bug costs its own exercise only.

Each accepts a function of the notebook or, at grade time, a RemoteFunction
the judge reads from the notebook's source.
"""

import contextlib
import dis
import types

from .bound import _dict, _isinstance
from .calling import is_remote


def is_reference(obj):
    """True for dl_utils itself, a module of it or one of its functions."""
    if is_remote(obj):
        return obj.kind == "course"
    if _isinstance(obj, types.ModuleType):
        return obj.__name__ == "dl_utils" or obj.__name__.startswith("dl_utils.")
    module = getattr(obj, "__module__", None) or ""
    return _isinstance(module, str) and (module == "dl_utils" or module.startswith("dl_utils."))


def _names_used(code):
    """Every global or attribute name a code object (and its nested ones) mentions."""
    names = set(code.co_names)
    for const in code.co_consts:
        if _isinstance(const, types.CodeType):
            names |= _names_used(const)
    return names


def _scope(f):
    """The names a function sees: its module's globals and its closure."""
    scope = _dict(getattr(f, "__globals__", {}))
    for cell_name, cell in zip(f.__code__.co_freevars, f.__closure__ or ()):
        with contextlib.suppress(ValueError):
            scope[cell_name] = cell.cell_contents
    return scope


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
        scope = _scope(f)
        used = _names_used(code) | set(code.co_freevars)
        for name in used - set(stop_at):
            if name == "dl_utils":
                found |= _module_attributes_used(scope.get(name), used)
            elif name in scope:
                found |= _reference_named(scope[name], name, allowed, todo)
    return sorted(found)


def _reference_named(obj, name, allowed, todo):
    """{what obj is} when it is the reference; a student's function goes on ``todo``."""
    if _isinstance(obj, types.ModuleType) and is_reference(obj):
        return {obj.__name__}  # e.g. `import dl_utils.layers as layers`
    if is_reference(obj):
        short = getattr(obj, "__name__", name)
        return set() if short in allowed else {f"{getattr(obj, '__module__', None)}.{short}"}
    if _isinstance(obj, types.FunctionType):
        todo.append(obj)
    return set()


def _module_attributes_used(module, names):
    """{"dl_utils.relu", ...}: the dl_utils functions among the names code uses after
    ``dl_utils.``; {"dl_utils"} when none is recognized."""
    if not _isinstance(module, types.ModuleType):
        return {"dl_utils"}
    attributes = {f"dl_utils.{n}" for n in names if callable(getattr(module, n, None))}
    return attributes or {"dl_utils"}


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


def with_global_hint(failure, fn):
    """The failure (a CheckFailed), with a first hint naming the notebook variables fn
    reads, if any: a function that reads them gets the notebook's values, not the check's."""
    try:
        used = global_data(fn)
    except Exception:  # a function whose code cannot be read: no hint to add
        used = []
    if not used or failure.kind == "not written yet":
        return failure
    hint = (
        f"it uses the notebook's variable{'s' if len(used) > 1 else ''} {', '.join(used)}, "
        "which the check's inputs do not change: compute what the function needs from "
        "its arguments"
    )
    return failure.with_hint(hint + (f" (and: {failure.hint})" if failure.hint else ""))


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
