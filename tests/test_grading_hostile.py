"""Grading survives a hostile class (tests/submissions/hostile.py).

The whole catalog is graded in one parallel batch, beside three honest
students. Each entry must get exactly its outcome; the honest students must get
exactly the scores they get when graded alone; no decoy secret, hidden test or
gradebook may reach any graded notebook; nothing outside the jails may change;
nothing may be left running or lying around.
"""

import glob
import hashlib
import json
import os
import sqlite3
import subprocess
import uuid
from html.parser import HTMLParser
from pathlib import Path

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

pytestmark = pytest.mark.jail  # see conftest.py

A = "01_step_by_step"
# short enough for a quick batch, long enough for an honest student on a busy machine
SETTINGS = {
    "cell_timeout": 12,
    "interrupt_grace": 2,
    "call_timeout": 6,
    "check_budget": 30,
    "memory_mb": 1536,
    "output_mb": 8,
}
HONEST = {
    "honest_alice": {},
    "honest_bob": None,  # the untouched release
    "honest_carol": {
        "linear_forward_answer": "def linear_forward(A, W, b):\n    return W * A + b, (A, W, b)\n"
    },
}


def fields(course, folder, token, marker):
    """What the catalog's sources are given (see hostile.FIELDS)."""
    must_not_see = [
        f"{folder}/*",
        f"{course.root}/*",
        f"{course.root}/*/*",
        f"{course.root}/source/*/*.ipynb",
        f"{course.root}/submitted/*/*/*.ipynb",
        f"{course.root}/autograded/*/*/*.ipynb",
        f"{ROOT}/notebooks/source/*/*.ipynb",
        f"{ROOT}/tests/*.py",
        "/tmp/dl-decoy-*",
        "/tmp/dl-grading-*/courses/*",
        "/tmp/dl-grading-*/courses/*/submitted/*/*/*.ipynb",
        "/root/*",
        "/proc/*/environ",
    ]
    must_not_change = [
        str(course.path("gradebook.db")),
        str(course.path("source", A, f"{A}.ipynb")),
        str(course.path("submitted", "honest_alice", A, f"{A}.ipynb")),
        "/tmp/dl-grading-*/courses/gradebook.db",
        str(folder / "decoy-secret.txt"),
        str(ROOT / "dl_utils" / "__init__.py"),
    ]
    return {"token": token, "patterns": must_not_see, "targets": must_not_change, "marker": marker}


def build(course, folder, entry, given):
    """Write one catalog entry's submission into folder."""
    if "files" in entry:
        return write_submission(folder, entry["name"], A, entry["files"])
    answers = {}
    if "answer" in entry:
        grade_id, source = entry["answer"]
        answers[grade_id] = f"_given = {given!r}\n" + source if "_given" in source else source
    nb = student_notebook(course, A, answers=answers, edit=entry.get("edit"))
    target = write_submission(folder, entry["name"], A, {f"{A}.ipynb": nb})
    if "build" in entry:
        entry["build"](target, course, given)
    return target


def fingerprint(paths):
    """A hash of the files at paths (folders walked), to show nothing was changed."""
    digest = hashlib.sha256()
    for path in paths:
        files = [Path(path)]
        if files[0].is_dir():  # Python's own caches aside, which any import may write
            files = sorted(p for p in files[0].rglob("*") if p.is_file())
            files = [p for p in files if "__pycache__" not in p.parts]
        for file in files:
            digest.update(str(file).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def grade_honest_students_alone(folder):
    course = copy_course(folder / "alone")
    course.release()
    for student, answers in HONEST.items():
        nb = student_notebook(course, A, answers=False if answers is None else answers)
        write_submission(folder / "alone-submissions", student, A, {f"{A}.ipynb": nb})
    course.add_submissions(folder / "alone-submissions", A)
    course.autograde(A, settings=SETTINGS)
    return {student: cell_scores(course, A, student) for student in HONEST}


def processes_with(marker):
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if marker in line]


def scratch_folders():
    return {
        p for p in os.listdir("/tmp") if p.startswith(("dl-jail-", "dl-grading-", "dl-unjailed-"))
    }


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    token, marker = uuid.uuid4().hex, f"97.{uuid.uuid4().int % 10**9}"
    alone = grade_honest_students_alone(folder)
    course = copy_course(folder / "course")
    course.release()
    decoys = [
        folder / "decoy-secret.txt",
        course.path("decoy-secret.txt"),
        Path(f"/tmp/dl-decoy-{token}.txt"),
    ]
    for decoy in decoys:
        decoy.write_text(f"the secret is {token}")
    os.environ["DL_DECOY_SECRET"] = token  # the grader's own environment
    given = fields(course, folder, token, marker)
    submissions = folder / "submissions"
    for student, answers in HONEST.items():
        nb = student_notebook(course, A, answers=False if answers is None else answers)
        write_submission(submissions, student, A, {f"{A}.ipynb": nb})
    for entry in HOSTILE:
        build(course, submissions, entry, given)
    course.add_submissions(submissions, A)
    kept = [
        course.path("source"),
        course.path("submitted", "honest_alice"),
        ROOT / "dl_utils",
        decoys[0],
    ]
    before = {"files": fingerprint(kept), "scratch": scratch_folders()}
    try:
        outcomes = course.autograde(A, settings=SETTINGS)  # --jobs: the default
    finally:
        del os.environ["DL_DECOY_SECRET"]
    after = {"files": fingerprint(kept), "scratch": scratch_folders()}
    yield {
        "course": course,
        "outcomes": {o.student: o for o in outcomes},
        "alone": alone,
        "before": before,
        "after": after,
        "token": token,
        "marker": marker,
    }
    for decoy in decoys:
        decoy.unlink(missing_ok=True)


def test_the_catalog_covers_every_class_of_attack():
    assert len(HOSTILE) >= 50
    assert len({e["name"] for e in HOSTILE}) == len(HOSTILE)


def test_the_batch_completes_with_an_outcome_for_everyone(batch):
    assert set(batch["outcomes"]) == {*HONEST, *(e["name"] for e in HOSTILE)}


def test_honest_students_get_exactly_the_scores_they_get_alone(batch):
    course, outcomes = batch["course"], batch["outcomes"]
    for student in HONEST:
        outcome = outcomes[student]
        assert (outcome.status, outcome.notes) == ("graded", []), outcome.describe()
        assert cell_scores(course, A, student) == batch["alone"][student], student
    total = sum(points(course, A).values())
    assert outcomes["honest_alice"].score == total and outcomes["honest_bob"].score == 0


def expected_lost(course, entry):
    table = points(course, A)
    return set(table) if entry["lost"] == "all" else set(entry["lost"])


@pytest.mark.parametrize("entry", HOSTILE, ids=[e["name"] for e in HOSTILE])
def test_each_submission_gets_its_outcome(batch, entry):
    course = batch["course"]
    outcome = batch["outcomes"][entry["name"]]
    table = points(course, A)
    lost = expected_lost(course, entry)
    assert outcome.status == entry["status"], outcome.describe()
    assert outcome.score == sum(table.values()) - sum(table[g] for g in lost), outcome.describe()
    assert entry["words"] in outcome.reason + " ".join(outcome.notes), outcome.describe()
    if entry["status"] != "not graded":
        scores = cell_scores(course, A, entry["name"])
        assert {g for g, s in scores.items() if s < table[g]} == lost, outcome.describe()
    if "output" in entry:
        assert entry["output"] in graded_outputs(course, entry["name"]), outcome.describe()


def graded_outputs(course, student, assignment=A):
    texts = []
    for path in course.path("autograded", student, assignment).glob("*.ipynb"):
        cells = json.loads(path.read_text())["cells"]
        texts += [json.dumps(c.get("outputs", [])) for c in cells]
    return "\n".join(texts)


def test_nothing_hidden_reaches_a_graded_notebook(batch):
    course = batch["course"]
    for student in batch["outcomes"]:
        text = graded_outputs(course, student)
        assert batch["token"] not in text, student
        assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text, student
        assert "hidden=True" not in text, student


class ActiveParts(HTMLParser):
    """What in an HTML page a browser would run: scripts' text and on* attributes."""

    def __init__(self):
        super().__init__()
        self.found, self.in_script = [], False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        self.found += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.found.append(data.strip()[:80])


def test_no_script_of_a_students_reaches_the_instructors_browser(batch):
    course, student = batch["course"], "writes_scripts_for_the_instructors_browser"
    assert "alert(" not in graded_outputs(course, student)
    (page,) = course.feedback(A, [student])
    parser = ActiveParts()
    parser.feed(page.read_text())
    assert parser.found == []


def test_nothing_outside_the_jails_changed(batch):
    assert batch["after"]["files"] == batch["before"]["files"]
    assert not glob.glob(f"/tmp/dl-written-{batch['token']}*")
    with sqlite3.connect(batch["course"].path("gradebook.db")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        texts = [str(row) for row in db.execute("SELECT * FROM grade")]
    assert not any("tampered" in t for t in texts)


def test_nothing_is_left_running_or_lying_around(batch):
    assert processes_with(batch["marker"]) == []
    assert not glob.glob(f"/tmp/dl-leftover-{batch['token']}*")
    assert batch["after"]["scratch"] == batch["before"]["scratch"]
    if os.geteuid() == 0:  # the jails ran as uid 65534: none of its processes is left
        ps = subprocess.run(["ps", "-eo", "uid="], capture_output=True, text=True).stdout
        assert "65534" not in ps.split()


def test_the_gradebook_lists_everyone_once(batch):
    with batch["course"].gradebook() as gradebook:
        students = {s.id for s in gradebook.students}
    assert students == set(batch["outcomes"])


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
    assert "TamperingDetected" not in summary


def test_a_course_function_asked_for_too_much_cannot_exhaust_the_judges_memory(batch, tmp_path):
    """In 02, two_layer_model may call the course's initialize_parameters, run by the judge:
    asked for 7 GB of weights, it gets a MemoryError, and the other tests are judged as usual."""
    course = batch["course"]
    greedy = (
        "def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,\n"
        "                    print_cost=False):\n"
        "    return initialize_parameters(30_000, 30_000, 1), []\n"
    )
    assignment = "02_application"
    nb = student_notebook(course, assignment, answers={"two_layer_model_answer": greedy})
    write_submission(tmp_path, "greedy", assignment, {f"{assignment}.ipynb": nb})
    course.add_submissions(tmp_path, assignment)
    (outcome,) = course.autograde(assignment, ["greedy"], settings=SETTINGS)
    scores = cell_scores(course, assignment, "greedy")
    table = points(course, assignment)
    assert outcome.status == "graded", outcome.describe()
    assert {g for g, s in scores.items() if s < table[g]} == {"two_layer_model_tests"}
    assert "MemoryError" in graded_outputs(course, "greedy", assignment)
