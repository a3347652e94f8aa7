"""What the judge reads of the two notebooks, without running any of it.

- ``cell_kind``: test, answer, locked or other, from a cell's nbgrader metadata;
- ``CourseImports``: what the instructor's locked cells import (trusted): the
  checks and numpy for the test cells, the course functions that become
  stand-ins in the worker, the definitions the worker replays;
- ``StudentCode``: the student's definitions to replay (``definitions_only``:
  defs, classes, imports and assignments; loops, prints and demos dropped),
  and their code objects, compiled here, for what the checks read of a
  function's source (delegation to the reference, global variables).
"""

import ast
import types
from pathlib import Path


def cell_kind(cell):
    """ "test", "answer", "locked" or "other", from a cell's nbgrader metadata."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if meta.get("grade") and not meta.get("solution"):
        return "test"
    if meta.get("solution"):
        return "answer"
    if meta.get("locked"):
        return "locked"
    return "other"


def definitions_only(source, calls=True):
    """The definitions of a cell, as source: defs, classes, imports and assignments.
    Loops, calls, prints and decorators are dropped.

    calls: keep assignments whose value calls something (answer cells); for the
    notebook's other cells only cheap ones are kept, so that a demo such as
    `parameters, costs = L_layer_model(...)` is not trained again.
    Returns "" if the cell does not parse.
    """
    try:
        tree = ast.parse(_without_magics(source))
        kept = []
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                node.decorator_list = []
                kept.append(node)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                kept.append(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                if calls or not _calls_something(node.value):
                    kept.append(node)
        return ast.unparse(ast.Module(body=kept, type_ignores=[]))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ""


def statements(source):
    """The top-level statements of a source, each as source of its own."""
    try:
        return [ast.unparse(node) for node in ast.parse(source).body]
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []


def imports_only(source):
    """The import statements of a cell, as source."""
    try:
        tree = ast.parse(_without_magics(source))
    except SyntaxError:
        return ""
    kept = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    return ast.unparse(ast.Module(body=kept, type_ignores=[]))


def _calls_something(node):
    """True when an expression calls a function (outside the body of a lambda)."""
    if node is None or isinstance(node, ast.Lambda):
        return False
    if isinstance(node, ast.Call):
        return True
    return any(_calls_something(child) for child in ast.iter_child_nodes(node))


def _without_magics(source):
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )


def _is_course_module(name):
    return name == "dl_utils" or name.startswith("dl_utils.")


class CourseImports:
    """What the instructor's locked cells import, read from the trusted notebook.

    trusted: the judge's namespace for the test cells (the checks, numpy, ...).
    functions: {name: reference function} of the course functions the notebook
        imports from dl_utils: in the worker they are stand-ins calling back here.
    values: {name: plain value} of the other things imported from dl_utils.
    worker_cells: [(label, statements)] of the locked cells' other definitions
        (numpy's import, constants), replayed in the worker.
    """

    def __init__(self, source_nb):
        self.trusted = {"__name__": "__main__"}
        self.functions, self.values, self.worker_cells = {}, {}, []
        for index, cell in enumerate(source_nb.cells, start=1):
            if cell.cell_type != "code" or cell_kind(cell) != "locked":
                continue
            exec(compile(imports_only(cell.source), f"locked cell {index}", "exec"), self.trusted)
            kept = []
            tree = ast.parse(definitions_only(cell.source, calls=False))
            for node in tree.body:
                module = getattr(node, "module", None) or ""
                names = [a.name for a in getattr(node, "names", [])]
                if isinstance(node, ast.ImportFrom) and _is_course_module(module):
                    for alias in node.names:
                        self._add(alias.asname or alias.name)
                elif isinstance(node, ast.Import) and any(_is_course_module(n) for n in names):
                    continue  # a module of the kit's: nothing the worker can hold
                else:
                    kept.append(node)
            self.worker_cells.append((f"locked cell {index}", [ast.unparse(n) for n in kept]))

    def _add(self, name):
        value = self.trusted.get(name)
        module = getattr(value, "__module__", "") or ""
        if module.startswith("dl_utils.checks") or isinstance(value, types.ModuleType):
            return
        if callable(value):
            self.functions[name] = value
        elif isinstance(value, (str, int, float, bool, Path)):
            self.values[name] = str(value) if isinstance(value, Path) else value

    def qualified(self, name):
        """ "dl_utils.model.compute_cost" for a course function's name in the notebook."""
        function = self.functions[name]
        return f"{function.__module__}.{getattr(function, '__name__', name)}"


class StudentCode:
    """The student's cells as the judge replays and reads them.

    cells: [(label, statements)] of the definitions to replay, in notebook order.
    code_of(name): the code object of the function ``name``, compiled here
        from the source (the last def of that name wins, as in the replay).
    reference_imports: {name: "dl_utils..."} for the student's own imports of
        the kit's package (which fail in the jail).
    """

    def __init__(self, nb):
        self.cells, self.reference_imports = [], {}
        self._defs = {}
        for index, cell in enumerate(nb.cells, start=1):
            kind = cell_kind(cell)
            if cell.cell_type != "code" or kind in ("test", "locked"):
                continue
            source = definitions_only(cell.source, calls=kind == "answer")
            if not source.strip():
                continue
            label = f"cell {index}"
            self.cells.append((label, statements(source)))
            self._read(label, source)

    def _read(self, label, source):
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._defs[node.name] = (label, node)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if _is_course_module(alias.name):
                        bound = alias.asname or alias.name.split(".")[0]
                        self.reference_imports[bound] = alias.name if alias.asname else "dl_utils"
            elif isinstance(node, ast.ImportFrom) and _is_course_module(node.module or ""):
                for alias in node.names:
                    bound = alias.asname or alias.name
                    self.reference_imports[bound] = f"{node.module}.{alias.name}"

    def code_of(self, name):
        """The code object of the student's function ``name``, or None."""
        if name not in self._defs:
            return None
        label, node = self._defs[name]
        try:
            module = compile(ast.Module(body=[node], type_ignores=[]), label, "exec")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        return next((c for c in module.co_consts if isinstance(c, types.CodeType)), None)


def names_used(code):
    """Every global or attribute name a code object (and its nested ones) mentions."""
    names = set(code.co_names) | set(code.co_freevars)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= names_used(const)
    return names


def reference_calls(student, course, kinds, name, allowed=(), stop_at=()):
    """The course functions the source of the student's ``name`` uses, following the
    student's own helpers, other than ``allowed`` (and not following ``stop_at``).

    student: the StudentCode. course: the CourseImports. kinds: {name: kind} of
    the worker's names ("course" for the stand-ins of course functions).
    Returns names like "dl_utils.model.L_model_forward", sorted.
    """
    import dl_utils

    found, seen, todo = set(), set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        code = student.code_of(current)
        if code is None:
            continue
        used = names_used(code)
        for word in used:
            if word in stop_at or word in allowed:
                continue
            if word in course.functions and kinds.get(word) == "course":
                found.add(course.qualified(word))
            elif word in student.reference_imports:
                target = student.reference_imports[word]
                if target == "dl_utils":
                    attributes = {
                        f"dl_utils.{n}" for n in used if callable(getattr(dl_utils, n, None))
                    }
                    found |= attributes or {"dl_utils"}
                else:
                    found.add(target)
            elif kinds.get(word) == "function" and word != current:
                todo.append(word)
    return sorted(found)
