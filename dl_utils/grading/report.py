"""The grading report: per student and per exercise, and what to re-teach.

``write_report(course, assignment, folder)`` writes two files:

- ``<assignment>-report.csv``: one row per student: status, reason, total,
  then the score of every exercise (one column per graded test cell);
- ``<assignment>-report.md``: a readable summary: the statuses, each
  exercise's results, and for each exercise how many students hit each
  classic mistake (the hints the checks gave them), so the teacher sees what
  to explain again.
"""

import csv
import json
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class StudentRow:
    student: str
    status: str
    reason: str
    score: float | None
    max_score: float | None
    exercises: dict = field(default_factory=dict)  # grade_id -> score
    hints: dict = field(default_factory=dict)  # grade_id -> hint text


def collect(course, assignment):
    """Read the statuses, the gradebook and the graded notebooks of an assignment.

    Returns (exercises, rows): the test cells' grade_ids with their points,
    in notebook order, and one StudentRow per student.
    """
    statuses = {s: o for (a, s), o in course.statuses().items() if a == assignment}
    exercises = _exercises(course, assignment)
    rows = []
    for student, o in sorted(statuses.items()):
        row = StudentRow(student, o["status"], o["reason"], o["score"], o["max_score"])
        row.exercises = _scores(course, assignment, student)
        row.hints = _hints(course, assignment, student)
        rows.append(row)
    return exercises, rows


def _exercises(course, assignment):
    with course.gradebook() as gradebook:
        found = {}
        for notebook in gradebook.find_assignment(assignment).notebooks:
            for cell in notebook.grade_cells:
                if cell.cell_type == "code":
                    found[cell.name] = cell.max_score
    order = _notebook_order(course, assignment)
    return dict(sorted(found.items(), key=lambda item: order.get(item[0], len(order))))


def _notebook_order(course, assignment):
    order = {}
    for path in sorted(course.path("release", assignment).glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id:
                order.setdefault(grade_id, len(order))
    return order


def _scores(course, assignment, student):
    from nbgrader.api import MissingEntry

    with course.gradebook() as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return {}
        return {
            grade.name: grade.score
            for notebook in submission.notebooks
            for grade in notebook.grades
            if grade.cell_type == "code"
        }


def _hints(course, assignment, student):
    """{grade_id: hint} of the exercises where the student made a classic mistake, from
    the judge's verdicts in the graded notebooks (tampering is not a mistake to re-teach)."""
    hints = {}
    for path in sorted(course.path("autograded", student, assignment).glob("*.ipynb")):
        grading = json.loads(path.read_text()).get("metadata", {}).get("dl_grading", {})
        for grade_id, verdict in grading.get("verdicts", {}).items():
            if verdict.get("hint") and verdict.get("failure") != "tampering":
                hints[grade_id] = verdict["hint"]
    return hints


def write_report(course, assignment, folder):
    """Write <assignment>-report.csv and -report.md into folder; return both paths."""
    exercises, rows = collect(course, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"{assignment}-report.csv"
    with open(csv_path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "status", "reason", "score", "max_score", *exercises])
        for row in rows:
            writer.writerow(
                [row.student, row.status, row.reason, _n(row.score), _n(row.max_score)]
                + [_n(row.exercises.get(e)) for e in exercises]
            )
    md_path = folder / f"{assignment}-report.md"
    md_path.write_text(summary(assignment, exercises, rows))
    return csv_path, md_path


def summary(assignment, exercises, rows):
    """The readable report, as markdown text."""
    statuses = Counter(row.status for row in rows)
    scores = [row.score for row in rows if row.score is not None]
    maximum = rows[0].max_score if rows else 0
    lines = [f"# Grading report: {assignment}", ""]
    counts = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    lines.append(f"{len(rows)} students: {counts}.")
    if scores:
        lines.append(f"Mean score {sum(scores) / len(scores):.1f} / {_n(maximum)}.")
    problems = [row for row in rows if row.status != "graded"]
    if problems:
        lines += [
            "",
            "## Needs your attention",
            "",
            "| student | status | score | reason |",
            "|---|---|---|---|",
        ]
        for row in problems:
            lines.append(f"| {row.student} | {row.status} | {_n(row.score)} | {row.reason} |")
    lines += [
        "",
        "## Exercises",
        "",
        "| exercise | points | full marks | mean |",
        "|---|---|---|---|",
    ]
    for exercise, points in exercises.items():
        got = [
            row.exercises.get(exercise) for row in rows if row.exercises.get(exercise) is not None
        ]
        full = sum(1 for g in got if g == points)
        mean = sum(got) / len(got) if got else 0
        lines.append(f"| {_label(exercise)} | {_n(points)} | {full} of {len(rows)} | {mean:.2f} |")
    lines += ["", "## What to re-teach", ""]
    any_hint = False
    for exercise in exercises:
        hints = Counter(row.hints[exercise] for row in rows if exercise in row.hints)
        if not hints:
            continue
        any_hint = True
        lines.append(f"- **{_label(exercise)}**:")
        for hint, n in hints.most_common():
            lines.append(f"  - {n} student{'s' if n > 1 else ''}: {hint}")
    if not any_hint:
        lines.append("No classic mistake was recognized.")
    return "\n".join(lines) + "\n"


def _label(grade_id):
    return grade_id.removesuffix("_tests")


def _n(x):
    return "" if x is None else f"{x:g}"
