"""What happened to one student's submission, and the score the rules give.

The rules (also in the README):

- "graded": every cell ran; a cell that ran too long was interrupted and
  scores 0, a cell's output beyond the limit was cut (both noted);
- "partly graded": the kernel died or was killed in cell k (a crash,
  ``os._exit``, a loop that ignores Ctrl-C): cells before k keep their points,
  cells from k on score 0; or a test that passed could not be reproduced in
  the clean re-run and scores 0;
- "tampering": a test passed only because numpy, dl_utils or the checks were
  replaced; that test scores 0;
- "not graded": nothing could run (the file is not a valid notebook, or holds
  none of the assignment's notebooks): the score is 0.

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

# event kind -> (status it leads to, how the reason starts)
EVENT_STATUS = {
    "kernel died": ("partly graded", "kernel died"),
    "killed": ("partly graded", "kernel killed"),
    "tampering": ("tampering", "tampering detected in exercise"),
    "not reproduced": ("partly graded", "not reproduced in a clean re-run: exercise"),
    "not verified": ("partly graded", "could not be re-verified: exercise"),
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


def classify(course, assignment, student, result):
    """Decide the Outcome of one autograde call.

    course: the Course. result: nbgrader's result dict (success, log, error).
    """
    graded_dir = course.path("autograded", student, assignment)
    submitted = sorted(course.path("submitted", student, assignment).glob("*.ipynb"))
    max_score = course.max_score(assignment)
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")

    if not result.get("success") or not graded_dir.is_dir():
        return Outcome(assignment, student, "not graded", _failure_reason(text), 0.0, max_score)
    missing = [p.name for p in submitted if not (graded_dir / p.name).exists()]
    if missing:
        reason = f"no graded copy of {', '.join(missing)} was written"
        return Outcome(assignment, student, "not graded", reason, 0.0, max_score)

    status, reasons, notes = "graded", [], []
    expected = sorted(p.name for p in course.path("release", assignment).glob("*.ipynb"))
    for name in expected:
        if not (graded_dir / name).exists():
            notes.append(f"{name} was not submitted (0 points)")
    for path in sorted(graded_dir.glob("*.ipynb")):
        for event in _events(path):
            kind, cell, detail = event["kind"], event["cell"], event["detail"]
            if kind in EVENT_STATUS:
                event_status, words = EVENT_STATUS[kind]
                status = max(status, event_status, key=SEVERITY.index)
                if kind in ("kernel died", "killed"):
                    reasons.append(f"{words} in cell {cell} of {path.name}: {detail}")
                else:
                    reasons.append(f"{words} {detail}")
            elif kind == "timeout":
                notes.append(f"cell {cell} of {path.name} {detail} and was interrupted (0 points)")
            elif kind == "output cut":
                notes.append(f"cell {cell} of {path.name}: {detail}, cut")
    score, max_score = course.score(assignment, student)
    return Outcome(assignment, student, status, "; ".join(reasons), score, max_score, notes)


def _events(path):
    notebook = json.loads(path.read_text())
    return notebook.get("metadata", {}).get("dl_grading", {}).get("events", [])


def _failure_reason(text):
    if "grading process failed" in text:
        return text.strip().splitlines()[-1]
    for words, reason in FAILURES:
        if any(w in text for w in words):
            return reason
    last = [line for line in text.strip().splitlines() if line.strip()]
    return "error: " + (last[-1].strip() if last else "autograde failed without a message")
