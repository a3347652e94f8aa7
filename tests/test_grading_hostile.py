"""Grading survives broken and hostile submissions (tests/submissions/hostile.py).

The whole catalog is graded in one parallel batch, next to two ordinary
students, with short limits so the loops and the memory bomb are cut quickly.
Each entry must get exactly its outcome; the ordinary students and the
gradebook must not notice anything.
"""

import hashlib
import json
import sqlite3

import pytest
from grading_helpers import (
    ROOT,
    cell_scores,
    copy_course,
    points,
    student_notebook,
    write_submission,
)
from submissions.hostile import HOSTILE

A = "01_step_by_step"
SETTINGS = {"cell_timeout": 12, "interrupt_grace": 2, "memory_mb": 1536, "output_kb": 64}


def build(course, folder, entry):
    """Write one catalog entry's submission into folder."""
    if "files" in entry:
        return write_submission(folder, entry["name"], A, entry["files"])
    answers = {}
    if "answer" in entry:
        grade_id, source = entry["answer"]
        answers[grade_id] = source.replace("{paths}", repr((str(course.root), str(ROOT))))
    nb = student_notebook(course, A, answers=answers, edit=entry.get("edit"))
    return write_submission(folder, entry["name"], A, {f"{A}.ipynb": nb})


def fingerprint(folder):
    """A hash of every file under folder (to show nothing was changed)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    course = copy_course(folder / "course")
    course.release()
    submissions = folder / "submissions"
    write_submission(submissions, "ordinary_alice", A, {f"{A}.ipynb": student_notebook(course, A)})
    write_submission(
        submissions, "ordinary_bob", A, {f"{A}.ipynb": student_notebook(course, A, answers=False)}
    )
    for entry in HOSTILE:
        build(course, submissions, entry)
    sources = fingerprint(course.path("source"))
    course.add_submissions(submissions, A)
    outcomes = course.autograde(A, jobs=2, settings=SETTINGS)
    return {
        "course": course,
        "outcomes": {o.student: o for o in outcomes},
        "sources_before": sources,
    }


def test_the_catalog_is_big_enough():
    assert len(HOSTILE) >= 15


def test_the_batch_completes_with_an_outcome_for_everyone(batch):
    assert set(batch["outcomes"]) == {
        "ordinary_alice",
        "ordinary_bob",
        *(e["name"] for e in HOSTILE),
    }


def test_ordinary_students_are_unaffected(batch):
    course, outcomes = batch["course"], batch["outcomes"]
    total = sum(points(course, A).values())
    alice, bob = outcomes["ordinary_alice"], outcomes["ordinary_bob"]
    assert (alice.status, alice.score, alice.notes) == ("graded", total, [])
    assert (bob.status, bob.score) == ("graded", 0)


def expected_lost(course, entry):
    """The test cells an entry loses, as a set of grade_ids."""
    table = points(course, A)
    if entry["lost"] == "all":
        return set(table)
    if isinstance(entry["lost"], tuple):
        _, answer = entry["lost"]
        order = [
            c.metadata.get("nbgrader", {}).get("grade_id")
            for c in student_notebook(course, A).cells
        ]
        start = order.index(answer)
        return {g for g in order[start:] if g in table}
    return set(entry["lost"])


@pytest.mark.parametrize("entry", HOSTILE, ids=[e["name"] for e in HOSTILE])
def test_each_submission_gets_its_outcome(batch, entry):
    course = batch["course"]
    outcome = batch["outcomes"][entry["name"]]
    table = points(course, A)
    lost = expected_lost(course, entry)
    assert outcome.status == entry["status"], outcome.describe()
    assert outcome.score == sum(table.values()) - sum(table[g] for g in lost), outcome.describe()
    assert entry["reason"] in outcome.reason + " ".join(outcome.notes), outcome.describe()
    if entry["status"] != "not graded":
        scores = cell_scores(course, A, entry["name"])
        assert {g for g, s in scores.items() if s < table[g]} == lost


def graded_outputs(course, student):
    path = course.path("autograded", student, A, f"{A}.ipynb")
    cells = json.loads(path.read_text())["cells"]
    return "\n".join(json.dumps(c.get("outputs", [])) for c in cells)


def test_hints_and_outputs_reach_the_graded_copy(batch):
    course = batch["course"]
    for entry in HOSTILE:
        if "hint" in entry:
            assert entry["hint"] in graded_outputs(course, entry["name"])
        if "output" in entry:
            assert entry["output"] in graded_outputs(course, entry["name"])


def test_an_enormous_print_is_cut(batch):
    path = batch["course"].path("autograded", "enormous_print", A, f"{A}.ipynb")
    assert path.stat().st_size < 2_000_000
    assert "output cut" in graded_outputs(batch["course"], "enormous_print")


def test_no_solution_leaks_into_a_graded_copy(batch):
    course = batch["course"]
    for student in batch["outcomes"]:
        folder = course.path("autograded", student, A)
        if folder.exists():
            for path in folder.rglob("*.ipynb"):
                assert "BEGIN SOLUTION" not in path.read_text(), student


def test_the_gradebook_and_the_sources_are_intact(batch):
    course = batch["course"]
    with sqlite3.connect(course.path("gradebook.db")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with course.gradebook() as gradebook:
        students = {s.id for s in gradebook.students}
    assert students == set(batch["outcomes"])
    assert fingerprint(course.path("source")) == batch["sources_before"]


def test_the_report_counts_the_problems(batch, tmp_path):
    from dl_utils.grading.report import write_report

    csv_path, md_path = write_report(batch["course"], A, tmp_path)
    summary = md_path.read_text()
    assert f"{len(batch['outcomes'])} students" in summary
    for entry in HOSTILE:
        if entry["status"] != "graded":
            assert f"| {entry['name']} | {entry['status']} |" in summary
    # the delegation hint is counted under its exercise; tampering is not a mistake to re-teach
    assert "write the computation yourself" in summary
    assert "restart the kernel" not in summary
