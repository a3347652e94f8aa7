"""Helpers for the grading tests: a private copy of the course and student submissions.

A submission is built the way a student makes one: the released notebook
(solutions stripped) with the answer cells filled in, by default with the
instructor's solution, or with the source a test gives.
"""

import json
import shutil
from pathlib import Path

import nbformat

from dl_utils.grading.course import Course

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "notebooks"


def copy_course(folder):
    """A fresh copy of the course (config, sources, demos) in ``folder``; returns a Course."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(COURSE / "nbgrader_config.py", folder / "nbgrader_config.py")
    for part in ("source", "demos"):
        shutil.copytree(
            COURSE / part, folder / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    return Course(folder)


def solution_code(source):
    """An answer cell's source with the solution markers removed (the solution kept)."""
    return "\n".join(
        line
        for line in source.splitlines()
        if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
    )


def source_notebook(assignment, notebook=None):
    """The instructor's notebook of an assignment, read with nbformat."""
    notebook = notebook or assignment
    return nbformat.read(COURSE / "source" / assignment / f"{notebook}.ipynb", as_version=4)


def answers_of(assignment, notebook=None):
    """{grade_id: solution code} of every answer cell of the instructor's notebook."""
    answers = {}
    for cell in source_notebook(assignment, notebook).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            answers[meta["grade_id"]] = solution_code(cell.source)
    return answers


def student_notebook(course, assignment, notebook=None, answers=None, edit=None):
    """A submission: the released notebook with its answer cells filled in.

    answers: {grade_id: source} replacing the instructor's solutions (others
        get the solution); pass answers=False to leave every cell untouched.
    edit: a function called with the notebook to change it further.
    """
    notebook = notebook or assignment
    nb = nbformat.read(course.path("release", assignment, f"{notebook}.ipynb"), as_version=4)
    if answers is not False:
        filled = answers_of(assignment, notebook)
        filled.update(answers or {})
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in filled:
                cell.source = filled[grade_id]
    if edit:
        edit(nb)
    return nb


def write_submission(folder, student, assignment, files):
    """Write one student's submission: files maps a file name to a notebook or raw text."""
    target = Path(folder) / student / assignment
    target.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, str):
            (target / name).write_text(content)
        else:
            nbformat.write(content, target / name)
    return target


def points(course, assignment):
    """{grade_id: points} of the autograded test cells of an assignment (from the release)."""
    found = {}
    for path in sorted(course.path("release", assignment).glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution") and cell["cell_type"] == "code":
                found[meta["grade_id"]] = meta["points"]
    return found


def cell_scores(course, assignment, student):
    """{grade_id: score} of one student's graded test cells, from the gradebook."""
    with course.gradebook() as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {
            g.name: g.score
            for nb in submission.notebooks
            for g in nb.grades
            if g.cell_type == "code"
        }
