"""The step-by-step source notebook: its structure for nbgrader, and a real run.

The run executes a temporary copy of the SOURCE notebook (the solutions) top to
bottom in a python3 kernel, the way a student or nbgrader would, and checks that
every check and every hidden test printed its success line.
"""

import ast
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import dl_utils.checks
from dl_utils.exercises import exercises_of

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "source" / "01_step_by_step" / "01_step_by_step.ipynb"

# the course's functions, in the order the notebook has the student write them
COURSE_ORDER = [exercise.name for exercise in exercises_of("01_step_by_step")]
# ... which are never imported from dl_utils into the notebook
COURSE_NAMES = set(COURSE_ORDER)


def read_notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


def nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def exercises(notebook):
    """(answer cell, check cell, test cell) of every exercise, in order."""
    cells = notebook.cells
    found = []
    for i, cell in enumerate(cells):
        if nbgrader(cell).get("solution"):
            found.append((cell, cells[i + 1], cells[i + 2]))
    return found


# --- the committed file ---------------------------------------------------------------


def test_notebook_is_valid_and_committed_without_outputs():
    notebook = read_notebook()
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {cell.id} has outputs"
            assert cell.execution_count is None, f"cell {cell.id} has an execution count"


def test_notebook_metadata_is_clean():
    notebook = read_notebook()
    assert set(notebook.metadata) == {"kernelspec", "language_info"}
    assert notebook.metadata.kernelspec.name == "python3"
    for cell in notebook.cells:
        assert set(cell.metadata) <= {"nbgrader"}, f"cell {cell.id}: {dict(cell.metadata)}"
        if "nbgrader" in cell.metadata:
            assert nbgrader(cell)["schema_version"] == 3
            assert nbgrader(cell)["grade_id"] == cell.id


def test_every_answer_cell_has_a_visible_check_and_locked_graded_tests():
    notebook = read_notebook()
    found = exercises(notebook)
    assert [answer.id.removesuffix("_answer") for answer, _, _ in found] == COURSE_ORDER
    for answer, check, tests in found:
        name = answer.id.removesuffix("_answer")
        meta = nbgrader(answer)
        assert answer.cell_type == "code"
        assert meta["grade_id"] == f"{name}_answer" and not meta["grade"] and not meta["locked"]
        assert answer.source.startswith(f"def {name}(") or f"\ndef {name}(" in answer.source
        assert "### BEGIN SOLUTION" in answer.source and "### END SOLUTION" in answer.source

        assert check.cell_type == "code" and "nbgrader" not in check.metadata
        assert check.source == f"check_{name}({name})"

        meta = nbgrader(tests)
        assert tests.cell_type == "code"
        assert meta["grade_id"] == f"{name}_tests"
        assert meta["grade"] and meta["locked"] and not meta["solution"]
        assert meta["points"] in (1, 2, 3)
        lines = tests.source.splitlines()
        # a comment, not a docstring: the student's version keeps only this line, and a
        # lone string would be printed as the cell's output
        assert re.fullmatch(r"# .+\.", lines[0]), "the first line is a one-line comment"
        assert lines[1:] == [
            "### BEGIN HIDDEN TESTS",
            f"check_{name}({name}, hidden=True)",
            "### END HIDDEN TESTS",
        ]


def test_docstrings_of_the_answers_state_shapes():
    for answer, _, _ in exercises(read_notebook()):
        function = ast.parse(answer.source).body[-1]
        docstring = ast.get_docstring(function)
        assert docstring, f"{function.name} has no docstring"
        assert "shape" in docstring or function.name in ("sigmoid", "relu"), function.name
        assert "Returns" in docstring, function.name


def test_text_and_setup_cells_are_locked():
    for cell in read_notebook().cells:
        if cell.cell_type == "markdown":
            assert nbgrader(cell).get("locked"), f"markdown cell {cell.id} is not locked"
    first_code = next(c for c in read_notebook().cells if c.cell_type == "code")
    assert first_code.id == "imports" and nbgrader(first_code)["locked"]


def test_the_notebook_never_imports_the_course_functions():
    for cell in read_notebook().cells:
        if cell.cell_type != "code":
            continue
        assert "autoreload" not in cell.source
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dl_utils"):
                imported = {alias.name for alias in node.names}
                assert not imported & COURSE_NAMES, f"cell {cell.id} imports {imported}"
                assert "*" not in imported


def test_every_exercise_has_its_check_in_dl_utils():
    assert COURSE_NAMES <= set(dl_utils.checks.EXERCISES)


def test_imports_come_first_and_load_every_check():
    imports = next(c for c in read_notebook().cells if c.cell_type == "code")
    assert imports.source.startswith("import numpy as np")
    for name in COURSE_NAMES:
        assert f"check_{name}," in imports.source


# --- a real run -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook after running top to bottom in a python3 kernel, and the time it took."""
    folder = tmp_path_factory.mktemp("step_by_step")
    copy = folder / NOTEBOOK.name
    shutil.copy(NOTEBOOK, copy)
    notebook = nbformat.read(copy, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=120,
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    start = time.perf_counter()
    client.execute()
    return notebook, time.perf_counter() - start


def printed(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_no_cell_fails(executed):
    notebook, _ = executed
    errors = [
        f"{cell.id}: {o.ename}: {o.evalue}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if o.output_type == "error"
    ]
    assert errors == []


def test_every_check_and_hidden_test_prints_its_success_line(executed):
    notebook, _ = executed
    for answer, check, tests in exercises(notebook):
        name = answer.id.removesuffix("_answer")
        check = next(c for c in notebook.cells if c.id == check.id)
        tests = next(c for c in notebook.cells if c.id == tests.id)
        assert re.search(
            rf"^(All \d+ checks|The check) of {name} passed\.$", printed(check), re.M
        ), name
        assert re.search(
            r"^  \u2713 (all \d+ hidden checks|the hidden check) passed$", printed(tests), re.M
        ), name
        assert "note:" not in printed(check) + printed(tests)


def test_training_reaches_a_good_accuracy_and_draws_its_plots(executed):
    notebook, _ = executed
    run = next(c for c in notebook.cells if c.id == "train_run")
    accuracy = float(re.search(r"training accuracy: ([\d.]+)%", printed(run)).group(1))
    assert accuracy > 95
    plots = next(c for c in notebook.cells if c.id == "train_plots")
    images = [o for o in plots.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2


def test_zeros_demonstration_shows_symmetric_units(executed):
    notebook, _ = executed
    text = printed(next(c for c in notebook.cells if c.id == "symmetry_demo"))
    assert "random start" in text and "6 different hidden unit(s) out of 6" in text
    assert re.search(r"zeros start: .* 1 different hidden unit\(s\) out of 6", text)
    assert re.search(r"all 0\.5 start: .* 1 different hidden unit\(s\) out of 6", text)
