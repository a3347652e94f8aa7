"""What the instructor should look at: code that reaches past its own work.

The judge makes such code harmless (it changes only the student's own
processes), so it costs no points by itself; but a student who replaces
``np.allclose``, rebinds a check or rewrites a function's code was trying
something, and the grading notes say so. ``suspicious_code(nb, trusted)``
reads the student's cells (it never runs them) and returns one line per such
statement.
"""

import ast

# what a statement uses that has no place in the exercises
DANGEROUS_MODULES = {"ctypes", "gc", "inspect", "importlib", "subprocess", "socket", "signal"}
DANGEROUS_CALLS = {
    ("os", "_exit"): "ends its own process (os._exit)",
    ("os", "kill"): "sends signals (os.kill)",
    ("os", "fork"): "starts processes (os.fork)",
    ("os", "system"): "runs shell commands (os.system)",
    ("sys", "_getframe"): "reads the interpreter's frames (sys._getframe)",
    ("sys", "settrace"): "traces the interpreter (sys.settrace)",
    ("sys", "setprofile"): "traces the interpreter (sys.setprofile)",
}
INTERNALS = {"__code__", "__globals__", "__builtins__", "__closure__", "__defaults__", "__dict__"}


def suspicious_code(nb, trusted_names):
    """[(cell label, what it does)] for the student's cells that reach past their work.

    nb: the submitted notebook. trusted_names: the names the instructor's locked
    cells bind (the checks, np, ...), which no student cell should rebind.
    """
    found = []
    for index, cell in enumerate(nb.cells, start=1):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("locked"):
            continue
        try:
            tree = ast.parse(
                "\n".join(
                    "" if line.lstrip()[:1] in "%!" else line for line in cell.source.split("\n")
                )
            )
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        seen = []
        for what in _findings(tree, trusted_names):
            if what not in seen:
                seen.append(what)
        found += [(f"cell {index}", what) for what in seen]
    return found


def _findings(tree, trusted_names):
    modules = _module_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                yield from _target_findings(target, modules, trusted_names)
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name in ("setattr", "delattr") and node.args:
                owner = _dotted(node.args[0])
                if owner and owner.split(".")[0] in modules:
                    yield f"changes the module {owner} ({name})"
            parts = tuple(name.split(".")[-2:]) if name else ()
            if len(parts) == 2 and parts in DANGEROUS_CALLS:
                yield DANGEROUS_CALLS[parts]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            for module in names:
                if (module or "").split(".")[0] in DANGEROUS_MODULES:
                    yield f"imports {module}"
        elif isinstance(node, ast.Attribute) and node.attr in INTERNALS:
            yield f"uses {node.attr}, the internals of functions and modules"


def _target_findings(target, modules, trusted_names):
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_findings(element, modules, trusted_names)
    elif isinstance(target, ast.Name) and target.id in trusted_names:
        yield f"rebinds {target.id}, which the notebook's locked cells import"
    elif isinstance(target, (ast.Attribute, ast.Subscript)):
        name = _dotted(target.value if isinstance(target, ast.Subscript) else target)
        if name and name.split(".")[0] in modules:
            yield f"replaces {name}"


def _module_names(tree):
    """Names bound to modules by the cell's imports, and the usual ones."""
    names = {"np", "numpy", "builtins", "sys", "os", "dl_utils", "math"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.asname or a.name.split(".")[0] for a in node.names}
    return names


def _dotted(node):
    """ "np.testing.assert_allclose" for an attribute chain of names; None otherwise."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None
