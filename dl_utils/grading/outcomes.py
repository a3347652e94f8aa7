"""What happened to one student's submission, and the score the rules give.

The rules (also in the README). Every test cell's points come from the judge
(``judge.py``), which runs the instructor's tests on the student's definitions;
the notebook's own run in its jail only gives the outputs the instructor sees.

- "graded": every test was judged. Whatever else happened is a note: a cell
  of the notebook's run that was interrupted, output that was cut, a kernel
  that died (the cells after it show no output), a cell left out of the
  judge's replay (what it defines is missing), links or extra notebooks left
  out of the submission;
- "partly graded": some tests could not be judged (the submission used up its
  judging time, or the judge's worker could not start): those score 0;
- "tampering": the student's code broke the judge's protocol (forged or
  malformed answers): that test scores 0;
- "not graded": nothing could run (the file is not a valid notebook, or the
  submission holds none of the assignment's notebooks): the score is 0.

A status other than "graded" always comes with its reason: never a silent 0.
"""

import json
from dataclasses import asdict, dataclass, field

# (words in nbgrader's log or traceback, the reason shown to the instructor)
FAILURES = [
    (
        ("NotJSONError", "does not appear to be JSON"),
        "invalid notebook: the file is not valid JSON",
    ),
    (
        ("NBFormatError", "ValidationError", "Notebook is invalid", "not a valid notebook"),
        "invalid notebook: not a valid notebook file",
    ),
    (
        ("No notebooks found", "No notebooks were matched"),
        "no notebook of this assignment was found in the submission",
    ),
]

# a verdict's kind -> (status it leads to, how the reason starts)
VERDICT_STATUS = {
    "tampering": ("tampering", "tampering detected in exercise"),
    "not judged": ("partly graded", "not judged: exercise"),
}
SEVERITY = ["graded", "partly graded", "tampering", "not graded"]


@dataclass
class Outcome:
    """The result of autograding one student's submission of one assignment."""

    assignment: str
    student: str
    status: str  # one of SEVERITY
    reason: str = ""
    score: float | None = None
    max_score: float | None = None
    notes: list = field(default_factory=list)

    @property
    def graded(self):
        """True when everything ran and nothing was wrong."""
        return self.status == "graded"

    def as_dict(self):
        return asdict(self)

    def describe(self):
        """One line for the grading log, e.g. "alice: graded, 17/20"."""
        text = f"{self.student}: {self.status}"
        if self.score is not None:
            text += f", {self.score:g}/{self.max_score:g}"
        details = ([self.reason] if self.reason else []) + self.notes
        if details:
            text += " (" + "; ".join(details) + ")"
        return text


def classify(course, assignment, student, done):
    """Decide the Outcome of one student's grading.

    course: the Course. done: what ``autograde.grade_privately`` returned:
    nbgrader's result dict ("result") and the notes about the submission.
    """
    result = done["result"]
    notes = list(done.get("notes", []))
    graded_dir = course.path("autograded", student, assignment)
    max_score = course.max_score(assignment)
    if not result.get("success") or not graded_dir.is_dir():
        reason = result.get("error") if result.get("reason") else _failure_reason(result)
        return Outcome(assignment, student, "not graded", reason, 0.0, max_score, notes)

    status, reasons = "graded", []
    expected = sorted(p.name for p in course.path("release", assignment).glob("*.ipynb"))
    for name in expected:
        if not (graded_dir / name).exists():
            notes.append(f"{name} was not submitted (0 points)")
    for path in sorted(graded_dir.glob("*.ipynb")):
        grading = _grading(path)
        if grading is None:
            status = max(status, "partly graded", key=SEVERITY.index)
            reasons.append(f"{path.name} holds no verdicts of the judge")
            continue
        for grade_id, verdict in grading.get("verdicts", {}).items():
            if verdict["kind"] in VERDICT_STATUS:
                verdict_status, words = VERDICT_STATUS[verdict["kind"]]
                status = max(status, verdict_status, key=SEVERITY.index)
                reasons.append(f"{words} {_exercise(grade_id)}: {verdict['detail']}")
        notes += _event_notes(path.name, grading.get("events", []))
        for cell in grading.get("inert_markdown", []):
            notes.append(f"cell {cell} of {path.name} held HTML: it is shown as text")
        for label, what in grading.get("suspicious", []):
            notes.append(f"{label} of {path.name} {what} (this changes nothing in the grade)")
        for label, why in grading.get("dropped", {}).items():
            notes.append(
                f"{label} of {path.name} was left out of the judging ({why}): "
                "what it defines is missing"
            )
    score, max_score = course.score(assignment, student)
    return Outcome(assignment, student, status, "; ".join(reasons), score, max_score, notes)


def _event_notes(name, events):
    notes = []
    for event in events:
        kind, cell, detail = event["kind"], event["cell"], event["detail"]
        if kind == "timeout":
            notes.append(f"cell {cell} of {name} {detail} and was interrupted")
        elif kind in ("kernel died", "killed"):
            notes.append(
                f"the kernel died in cell {cell} of {name}: {detail} (the cells after it "
                "show no output; the judge graded the definitions)"
            )
        elif kind == "output cut":
            notes.append(f"cell {cell} of {name}: {detail}, cut")
        elif kind == "stopped":
            notes.append(f"the run of {name} was stopped: {detail}")
        elif kind == "skipped file":
            notes.append(f"{detail} (not copied into the jail)")
    return notes


def _exercise(grade_id):
    return grade_id.removesuffix("_tests")


def _grading(path):
    notebook = json.loads(path.read_text())
    return notebook.get("metadata", {}).get("dl_grading")


def _failure_reason(result):
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    if "grading process failed" in text or "crashed twice" in text:
        return text.strip().splitlines()[-1]
    for words, reason in FAILURES:
        if any(w in text for w in words):
            return reason
    last = [line for line in text.strip().splitlines() if line.strip()]
    return "error: " + (last[-1].strip() if last else "autograde failed without a message")
