"""The manifest (dl_utils.exercises) against everything else that lists exercises.

The exercises are written once, in the manifest; these tests hold the rest to
it: the notebooks' answer and test cells, their points and their check
imports, the exports of dl_utils.checks, the playground's functions, and the
classic mistakes each check knows, every one planted by a test under its name.
"""

import ast
import importlib
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest
import test_checks
import test_checks_other
from submissions import other_mistakes, step_by_step_mistakes

from dl_utils import checks
from dl_utils.checks import registry
from dl_utils.exercises import EXERCISES, NOTEBOOKS, exercises_of, points_of
from dl_utils.playground import functions as playground_functions

SOURCE = Path(__file__).resolve().parents[1] / "notebooks" / "source"


def read(notebook):
    return nbformat.read(SOURCE / notebook / f"{notebook}.ipynb", as_version=4)


def graded_cells(nb):
    """{grade_id: points} of a notebook's graded cells, in notebook order."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    }


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_notebooks_graded_cells_and_points_are_the_manifests(notebook):
    nb = read(notebook)
    assert graded_cells(nb) == points_of(notebook)
    assert list(graded_cells(nb)) == list(points_of(notebook))  # in the same order
    answers = [
        cell.metadata["nbgrader"]["grade_id"].removesuffix("_answer")
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code"
    ]
    assert answers == [e.name for e in exercises_of(notebook)]


def imported_checks(nb):
    """{check name: module it is imported from} in a notebook's code cells."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dl_utils"):
                for alias in node.names:
                    if alias.name.startswith("check_"):
                        found[alias.name] = node.module
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_each_notebook_imports_the_checks_of_its_exercises(notebook):
    found = imported_checks(read(notebook))
    exercises = exercises_of(notebook)
    assert set(found) == {e.check_name for e in exercises}
    for e in exercises:
        assert found[e.check_name] in ("dl_utils.checks", f"dl_utils.checks.{e.checks}")


def test_dl_utils_checks_exports_one_check_per_exercise_from_its_module():
    exported = {name for name in checks.__all__ if name.startswith("check_")}
    assert exported == {e.check_name for e in EXERCISES.values()}
    for e in EXERCISES.values():
        module = importlib.import_module(f"dl_utils.checks.{e.checks}")
        assert getattr(checks, e.check_name) is getattr(module, e.check_name)
    # every check of a function goes through @exercise (wrong_gradients is a set of names)
    assert set(registry.CHECKS) == set(EXERCISES) - {"wrong_gradients"}


def test_upstream_exercises_come_earlier_in_the_course():
    order = list(EXERCISES)
    for e in EXERCISES.values():
        for name in e.upstream + e.stop_at:
            assert order.index(name) < order.index(e.name), (e.name, name)


def test_the_playground_trains_with_exercises_of_the_step_by_step_notebook():
    step = {e.name for e in exercises_of("01_step_by_step")}
    assert set(playground_functions.NAMES) <= step


def planted_mistakes():
    """{exercise: [mistake names]} of every test that plants a classic mistake."""
    planted = defaultdict(set)
    for exercise, name, *_ in test_checks.ALL_MISTAKES:  # the catalog's and others
        planted[exercise].add(name)
    for name, exercise, *_ in test_checks.NAMED_MISTAKES:
        planted[exercise].add(name)
    for exercise, name, *_ in test_checks_other.MISTAKES:
        planted[exercise].add(name)
    for catalog in (step_by_step_mistakes, other_mistakes):
        for mistake in catalog.MISTAKES:
            planted[mistake["grade_id"].removesuffix("_answer")].add(mistake["name"])
    return planted


def test_every_classic_mistake_of_the_manifest_is_planted_by_a_test_and_back():
    planted = planted_mistakes()
    for e in EXERCISES.values():
        assert planted.get(e.name, set()) == set(e.mistakes), e.name
        assert len(set(e.mistakes)) == len(e.mistakes), f"{e.name}: a mistake listed twice"
    assert set(planted) <= set(EXERCISES)
