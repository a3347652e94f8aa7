"""The instructor's workflow, end to end, with the real nbgrader.

One grading run of the step-by-step assignment: the instructor's solutions, the
untouched release, and one realistic wrong submission per classic mistake
(tests/submissions/step_by_step_mistakes.py). Then feedback and the CSV export.
"""

import csv
import html
import json
import re

import pytest
from grading_helpers import (
    cell_scores,
    copy_course,
    points,
    student_notebook,
    write_submission,
)
from submissions.step_by_step_mistakes import MAX_SCORE, MISTAKES, POINTS

from dl_utils.grading.cli import main as dl_course

pytestmark = pytest.mark.jail  # see conftest.py

A = "01_step_by_step"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The course after release, autograde of every submission, feedback and export."""
    folder = tmp_path_factory.mktemp("grading")
    course = copy_course(folder / "course")
    assert dl_course(["--course", str(course.root), "release"]) == 0
    submissions = folder / "submissions"
    write_submission(submissions, "solution", A, {f"{A}.ipynb": student_notebook(course, A)})
    untouched = student_notebook(course, A, answers=False)
    write_submission(submissions, "untouched", A, {f"{A}.ipynb": untouched})
    for mistake in MISTAKES:
        nb = student_notebook(course, A, answers={mistake["grade_id"]: mistake["source"]})
        write_submission(submissions, mistake["name"], A, {f"{A}.ipynb": nb})
    status = dl_course(
        ["--course", str(course.root), "autograde", A, "--submissions", str(submissions)]
    )
    assert dl_course(["--course", str(course.root), "feedback", A]) == 0
    assert (
        dl_course(["--course", str(course.root), "export", "--to", str(folder / "grades.csv")]) == 0
    )
    with open(folder / "grades.csv") as f:
        grades = {row["student_id"]: row for row in csv.DictReader(f)}
    return {"course": course, "status": status, "grades": grades}


def feedback_text(course, student):
    page = course.path("feedback", student, A, f"{A}.html").read_text()
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_release_strips_every_solution(graded):
    course = graded["course"]
    for assignment in course.assignments():
        source = json.loads(course.path("source", assignment, f"{assignment}.ipynb").read_text())
        released = json.loads(course.path("release", assignment, f"{assignment}.ipynb").read_text())
        text = json.dumps(released)
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, assignment
        answers = {
            c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"])
            for c in source["cells"]
            if c["metadata"].get("nbgrader", {}).get("solution") and c["cell_type"] == "code"
        }
        for cell in released["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                body = answers[grade_id].split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
                released_source = "".join(cell["source"])
                assert "raise NotImplementedError()" in released_source, grade_id
                for line in body.strip().splitlines():
                    if len(line.strip()) > 12:  # a real line of the solution, not `return x`
                        assert line not in released_source, f"{assignment}/{grade_id}: {line}"


def test_the_catalog_matches_the_notebook(graded):
    assert points(graded["course"], A) == POINTS


def test_every_submission_is_graded(graded):
    grades = graded["grades"]
    assert len(grades) == 2 + len(MISTAKES)
    assert {row["status"] for row in grades.values()} == {"graded"}
    assert graded["status"] == 0, "autograde exits 0 when everyone was graded without problems"


def test_solutions_get_full_marks_and_the_untouched_release_none(graded):
    grades = graded["grades"]
    assert float(grades["solution"]["score"]) == MAX_SCORE
    assert float(grades["untouched"]["score"]) == 0
    assert float(grades["untouched"]["max_score"]) == MAX_SCORE
    assert "not written yet" in feedback_text(graded["course"], "untouched")


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m["name"] for m in MISTAKES])
def test_each_classic_mistake_costs_exactly_its_cells(graded, mistake):
    scores = cell_scores(graded["course"], A, mistake["name"])
    lost = {g for g, score in scores.items() if score < POINTS[g]}
    assert lost == set(mistake["failing"])
    expected = MAX_SCORE - sum(POINTS[g] for g in mistake["failing"])
    assert float(graded["grades"][mistake["name"]]["score"]) == expected
    assert mistake["hint"] in feedback_text(graded["course"], mistake["name"])


def test_feedback_shows_scores_and_messages_but_no_hidden_test(graded):
    course = graded["course"]
    for student in ["solution", "untouched", *(m["name"] for m in MISTAKES)]:
        text = feedback_text(course, student)
        assert "hidden=True" not in text and "HIDDEN TESTS" not in text, student
        assert "array([" not in text, f"{student}: an array is printed in the feedback"
    solution = feedback_text(course, "solution")
    assert f"{MAX_SCORE:g} / {MAX_SCORE:g}" in solution.replace(".0", "")
    assert "all" in solution and "hidden checks passed" in solution


# --- the application, classroom and gradient-checking assignments ----------------------------

OTHERS = ["02_application", "03_classroom", "04_gradient_checking"]


@pytest.fixture(scope="module")
def others(tmp_path_factory):
    """The three other assignments graded: solution, untouched release and their mistakes."""
    from submissions.other_mistakes import MISTAKES as OTHER_MISTAKES

    folder = tmp_path_factory.mktemp("others")
    course = copy_course(folder / "course")
    course.release(OTHERS)
    outcomes = {}
    for assignment in OTHERS:
        submissions = folder / "submissions" / assignment
        name = f"{assignment}.ipynb"
        write_submission(
            submissions, "solution", assignment, {name: student_notebook(course, assignment)}
        )
        untouched = student_notebook(course, assignment, answers=False)
        write_submission(submissions, "untouched", assignment, {name: untouched})
        for mistake in (m for m in OTHER_MISTAKES if m["notebook"] == assignment):
            nb = student_notebook(
                course, assignment, answers={mistake["grade_id"]: mistake["source"]}
            )
            write_submission(submissions, mistake["name"], assignment, {name: nb})
        course.add_submissions(submissions, assignment)
        # 20 s per cell: the demo cells that call a never-ending train_until stop sooner
        for outcome in course.autograde(assignment, jobs=2, settings={"cell_timeout": 20}):
            outcomes[assignment, outcome.student] = outcome
        course.feedback(assignment)
    return course, outcomes, OTHER_MISTAKES


def other_feedback(course, assignment, student):
    page = course.path("feedback", student, assignment, f"{assignment}.html").read_text()
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize("assignment", OTHERS)
def test_other_solutions_get_every_automatic_point_and_wait_for_the_manual_ones(others, assignment):
    from submissions.other_mistakes import MANUAL_POINTS, POINTS

    course, outcomes, _ = others
    automatic = sum(POINTS[assignment].values())
    solution, untouched = outcomes[assignment, "solution"], outcomes[assignment, "untouched"]
    assert (solution.status, solution.score) == ("graded", automatic)
    assert (untouched.status, untouched.score) == ("graded", 0)
    manual = MANUAL_POINTS.get(assignment, {})
    assert solution.max_score == automatic + sum(manual.values())
    with course.gradebook() as gradebook:
        submission = gradebook.find_submission(assignment, "solution")
        waiting = {g.name for nb in submission.notebooks for g in nb.grades if g.needs_manual_grade}
    assert waiting == set(manual), "the written observations wait for the instructor"


def test_each_other_mistake_costs_exactly_its_cells(others):
    from submissions.other_mistakes import POINTS

    course, outcomes, mistakes = others
    for mistake in mistakes:
        assignment = mistake["notebook"]
        table = POINTS[assignment]
        scores = cell_scores(course, assignment, mistake["name"])
        lost = {g for g, s in scores.items() if g in table and s < table[g]}
        assert lost == set(mistake["failing"]), mistake["name"]
        outcome = outcomes[assignment, mistake["name"]]
        assert outcome.score == sum(table.values()) - sum(table[g] for g in lost)
        text = other_feedback(course, assignment, mistake["name"])
        assert mistake["hint"] in text, mistake["name"]
        assert "hidden=True" not in text and "HIDDEN TESTS" not in text
