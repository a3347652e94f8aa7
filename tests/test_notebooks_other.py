"""The application, classroom and gradient-checking source notebooks: their structure for
nbgrader, and a real run of each.

The run executes a temporary copy of each SOURCE notebook (the solutions) top to bottom
in a python3 kernel of this environment, the way a student or nbgrader would, and checks
that no cell fails and that every check and every hidden test printed its success line.
"""

import ast
import os
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from dl_utils.checks.gradient_checking import WRONG_GRADIENTS
from dl_utils.exercises import OBSERVATIONS, exercises_of

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "notebooks" / "source"

# notebook -> the exercises, in the order the student meets them
NOTEBOOKS = ["02_application", "03_classroom", "04_gradient_checking"]
EXERCISES = {notebook: [e.name for e in exercises_of(notebook)] for notebook in NOTEBOOKS}
# the manually graded answers: the written observations of the classroom experiments
MANUAL = {
    notebook: [o.grade_id for o in OBSERVATIONS if o.notebook == notebook]
    for notebook in NOTEBOOKS
    if any(o.notebook == notebook for o in OBSERVATIONS)
}
# the names the student writes, which no notebook imports from dl_utils
STUDENT_NAMES = {name for names in EXERCISES.values() for name in names}


def read(notebook):
    return nbformat.read(SOURCE / notebook / f"{notebook}.ipynb", as_version=4)


def nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def exercises(nb):
    """(text cell, answer cell, check cell, test cell) of every autograded exercise, in order."""
    cells = nb.cells
    return [
        (cells[i - 1], cell, cells[i + 1], cells[i + 2])
        for i, cell in enumerate(cells)
        if nbgrader(cell).get("solution") and cell.cell_type == "code"
    ]


# --- the committed files -------------------------------------------------------------------


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_is_valid_and_committed_without_outputs(notebook):
    nb = read(notebook)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {cell.id} has outputs"
            assert cell.execution_count is None, f"cell {cell.id} has an execution count"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_metadata_is_clean(notebook):
    nb = read(notebook)
    assert set(nb.metadata) == {"kernelspec", "language_info"}
    assert nb.metadata.kernelspec.name == "python3"
    grade_ids = []
    for cell in nb.cells:
        assert set(cell.metadata) <= {"nbgrader"}, f"cell {cell.id}: {dict(cell.metadata)}"
        if "nbgrader" in cell.metadata:
            assert nbgrader(cell)["schema_version"] == 3
            assert nbgrader(cell)["grade_id"] == cell.id
            grade_ids.append(cell.id)
    assert len(grade_ids) == len(set(grade_ids))


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_answer_cell_has_a_visible_check_and_locked_graded_tests(notebook):
    found = exercises(read(notebook))
    assert [answer.id.removesuffix("_answer") for _, answer, _, _ in found] == EXERCISES[notebook]
    for text, answer, check, tests in found:
        name = answer.id.removesuffix("_answer")
        meta = nbgrader(answer)
        assert meta["grade_id"] == f"{name}_answer" and not meta["grade"] and not meta["locked"]
        assert "### BEGIN SOLUTION" in answer.source and "### END SOLUTION" in answer.source

        assert "$" in text.source and "|---|" in text.source, f"{name}: equation and shape table"

        assert check.cell_type == "code" and "nbgrader" not in check.metadata
        assert check.source == f"check_{name}({name})"

        meta = nbgrader(tests)
        assert tests.cell_type == "code"
        assert meta["grade_id"] == f"{name}_tests"
        assert meta["grade"] and meta["locked"] and not meta["solution"]
        assert meta["points"] > 0
        lines = tests.source.splitlines()
        # a comment, not a docstring: the student's version keeps only this line, and a
        # lone string would be printed as the cell's output
        assert re.fullmatch(r"# .+\.", lines[0]), "the first line is a one-line comment"
        assert lines[1:] == [
            "### BEGIN HIDDEN TESTS",
            f"check_{name}({name}, hidden=True)",
            "### END HIDDEN TESTS",
        ]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_answer_functions_state_every_shape(notebook):
    for _, answer, _, _ in exercises(read(notebook)):
        definitions = [n for n in ast.parse(answer.source).body if isinstance(n, ast.FunctionDef)]
        if answer.id == "wrong_gradients_answer":
            assert definitions == []  # a set of names, not a function
            continue
        (function,) = definitions
        docstring = ast.get_docstring(function)
        assert docstring and "shape" in docstring and "Returns" in docstring, function.name


def test_the_classroom_observations_are_manually_graded():
    nb = read("03_classroom")
    manual = [
        cell for cell in nb.cells if nbgrader(cell).get("solution") and nbgrader(cell)["grade"]
    ]
    manual = [cell for cell in manual if cell.cell_type == "markdown"]
    assert [cell.id for cell in manual] == MANUAL["03_classroom"]
    for cell in manual:
        meta = nbgrader(cell)
        assert not meta["locked"] and meta["points"] > 0
        question = nb.cells[nb.cells.index(cell) - 1]
        assert question.cell_type == "markdown" and nbgrader(question)["locked"]
        assert "observations" in question.source.lower()
    for notebook in ("02_application", "04_gradient_checking"):
        assert not [
            c
            for c in read(notebook).cells
            if c.cell_type == "markdown" and nbgrader(c).get("solution")
        ]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_text_and_setup_cells_are_locked(notebook):
    nb = read(notebook)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not nbgrader(cell).get("solution"):
            assert nbgrader(cell).get("locked"), f"markdown cell {cell.id} is not locked"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.id == "imports" and nbgrader(first_code)["locked"]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_notebook_never_imports_what_the_student_writes(notebook):
    for cell in read(notebook).cells:
        if cell.cell_type != "code":
            continue
        assert "autoreload" not in cell.source
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dl_utils"):
                imported = {alias.name for alias in node.names}
                assert not imported & STUDENT_NAMES, f"cell {cell.id} imports {imported}"
                assert "*" not in imported


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_checks_come_from_their_own_module(notebook):
    imports = read(notebook).cells[1]
    assert imports.id == "imports"
    module = {
        "02_application": "application",
        "03_classroom": "classroom",
        "04_gradient_checking": "gradient_checking",
    }[notebook]
    assert f"from dl_utils.checks.{module} import (" in imports.source
    for name in EXERCISES[notebook]:
        assert f"check_{name}," in imports.source


def test_no_notebook_has_widgets_that_could_run_under_grading():
    # nothing here needs to stay inert under NBGRADER_EXECUTION: no widget, no live demo
    for notebook in NOTEBOOKS:
        for cell in read(notebook).cells:
            if cell.cell_type == "code":
                assert "ipywidgets" not in cell.source and "playground" not in cell.source


# --- a real run ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """run(notebook): the notebook after running top to bottom in a python3 kernel, and
    the time it took. Each notebook runs once per test module."""
    done = {}

    def execute(notebook):
        if notebook not in done:
            folder = tmp_path_factory.mktemp(notebook)
            copy = folder / f"{notebook}.ipynb"
            shutil.copy(SOURCE / notebook / f"{notebook}.ipynb", copy)
            nb = nbformat.read(copy, as_version=4)
            client = NotebookClient(
                nb,
                kernel_name="python3",
                timeout=180,
                allow_errors=True,
                resources={"metadata": {"path": str(folder)}},
            )
            # One BLAS thread: the test suite runs several kernels at once on 2 cores, and
            # OpenBLAS threads competing for them slow each other down many times over.
            env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
            start = time.perf_counter()
            client.execute(env=env)
            done[notebook] = nb, time.perf_counter() - start
        return done[notebook]

    return execute


def printed(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def images(cell):
    return [o for o in cell.outputs if "image/png" in o.get("data", {})]


def cell_with(nb, text):
    return next(c for c in nb.cells if c.cell_type == "code" and text in c.source)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_no_cell_fails(run, notebook):
    nb, _ = run(notebook)
    errors = [
        f"{cell.id}: {o.ename}: {o.evalue}"
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if o.output_type == "error"
    ]
    assert errors == []


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_check_and_hidden_test_prints_its_success_line(run, notebook):
    nb, _ = run(notebook)
    for _, answer, check, tests in exercises(nb):
        name = answer.id.removesuffix("_answer")
        assert re.search(
            rf"^(All \d+ checks|The check) of {name} passed\.$", printed(check), re.M
        ), name
        assert re.search(
            r"^  \u2713 (all \d+ hidden checks|the hidden check) passed$", printed(tests), re.M
        ), name
        assert "\u2717" not in printed(check) + printed(tests)
        assert not [o for o in tests.outputs if o.get("name") == "stderr"], name


def test_the_application_trains_both_networks_and_shows_its_figures(run):
    nb, _ = run("02_application")
    text = printed(cell_with(nb, "parameters_2, costs_2 = two_layer_model("))
    assert "Cost after iteration 200" in text
    comparison = printed(cell_with(nb, "def accuracy(p, y):"))
    for network in ("2-layer", "4-layer"):
        line = next(line for line in comparison.splitlines() if line.strip().startswith(network))
        train, test = re.findall(r"([\d.]+)%", line)
        assert float(train) > 95 and float(test) > 90, line
    assert len(images(cell_with(nb, "ax.imshow(train_x_orig[index])"))) == 1
    assert len(images(cell_with(nb, "plot_costs(costs_2"))) == 1
    assert len(images(cell_with(nb, "closest = np.argsort"))) == 1


def test_the_application_gallery_shows_mislabeled_test_images(run):
    """The 2-layer network gets some test images wrong, and the gallery shows them."""
    nb, _ = run("02_application")
    gallery = cell_with(nb, "plot_mislabeled_images(")
    line = next(line for line in printed(gallery).splitlines() if line.startswith("2-layer"))
    wrong_test = re.findall(r"\d+", line.split("test images")[1])
    assert wrong_test, f"no mislabeled test image, so the gallery is empty: {line}"
    assert len(images(gallery)) == 1


def test_the_classroom_network_reaches_the_threshold_and_draws_its_plots(run):
    nb, _ = run("03_classroom")
    text = printed(cell_with(nb, "THRESHOLD = 0.05"))
    runs = re.findall(r"-> ([\d.]+) in (\d+) updates", text)
    assert len(runs) == 2 and all(float(c) <= 0.05 and int(n) < 20000 for c, n in runs), text
    for source in ("THRESHOLD = 0.05", "alphas = [", "starts = {", "depths = {"):
        assert len(images(cell_with(nb, source))) == 1, source
    init = printed(cell_with(nb, "starts = {"))
    assert re.search(r"all zeros:\s+8000 updates", init)
    zeros_W1 = init.split("W1 after training from all zeros:")[1].split("W1 after")[0]
    entries = [float(x) for x in re.findall(r"-?\d+\.?\d*", zeros_W1)]
    assert len(entries) == 6 and not any(entries), zeros_W1
    depth = printed(cell_with(nb, "depths = {"))
    one_layer = [line for line in depth.splitlines() if "1 layer" in line]
    assert len(one_layer) == 2 and all("8000 updates" in line for line in one_layer)


def test_the_gradient_check_finds_the_planted_bugs_then_none(run):
    nb, _ = run("04_gradient_checking")
    buggy = printed(cell_with(nb, "backward=buggy_backward_pass)"))
    wrong = {f"d{name}" for name in re.findall(r"^\s*(\w+): .*WRONG", buggy, re.M)}
    assert wrong == WRONG_GRADIENTS
    fixed = printed(cell_with(nb, "backward=backward_pass)"))
    assert fixed.count(" ok") == 6 and "WRONG" not in fixed
