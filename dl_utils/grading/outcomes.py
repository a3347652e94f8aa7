"""What happened to one student's submission: graded, or not graded and why.

nbgrader removes a student's graded copy when something goes wrong (a notebook
that is not JSON, a kernel that died, code that ignores the interrupt) and its
export then lists that student with a plain 0. ``classify`` looks at the
result of the autograde call and at the files it wrote, and names the problem
instead.
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
        ("NBFormatError", "ValidationError", "Notebook is invalid"),
        "invalid notebook: not a valid notebook file",
    ),
    (("DeadKernelError", "Kernel died", "kernel died"), "kernel died"),
    (
        ("CellTimeoutError", "Timeout waiting", "timed out"),
        "timeout: a cell ran too long and could not be stopped",
    ),
    (
        ("MissingEntry", "No notebooks found"),
        "no notebook of this assignment was found in the submission",
    ),
]


@dataclass
class Outcome:
    """The result of autograding one student's submission of one assignment."""

    assignment: str
    student: str
    graded: bool
    reason: str = ""
    score: float | None = None
    max_score: float | None = None
    notes: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)

    def describe(self):
        """One line for the grading report, e.g. "alice: graded, 17/20"."""
        if not self.graded:
            return f"{self.student}: NOT GRADED: {self.reason}"
        text = f"{self.student}: graded, {self.score:g}/{self.max_score:g}"
        if self.notes:
            text += " (" + "; ".join(self.notes) + ")"
        return text


def classify(course, assignment, student, result):
    """Decide the Outcome of one autograde call.

    course: the Course. result: nbgrader's API result dict (success, log, error).
    """
    submitted = sorted(course.path("submitted", student, assignment).glob("*.ipynb"))
    graded_dir = course.path("autograded", student, assignment)
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")

    if not result.get("success"):
        reason = _failure_reason(text)
        return Outcome(assignment, student, False, reason, max_score=course.max_score(assignment))
    missing_copies = [p.name for p in submitted if not (graded_dir / p.name).exists()]
    if missing_copies:
        reason = f"no graded copy of {', '.join(missing_copies)} was written"
        return Outcome(assignment, student, False, reason, max_score=course.max_score(assignment))

    notes = []
    expected = sorted(p.name for p in course.path("release", assignment).glob("*.ipynb"))
    for name in expected:
        if not (graded_dir / name).exists():
            notes.append(f"{name} was not submitted (0 points)")
    for path in sorted(graded_dir.glob("*.ipynb")):
        notes += _cell_problems(path)
    score, max_score = course.score(assignment, student)
    return Outcome(assignment, student, True, "", score, max_score, notes)


def _failure_reason(text):
    for words, reason in FAILURES:
        if any(w in text for w in words):
            return reason
    last = [line for line in text.strip().splitlines() if line.strip()]
    return "error: " + (last[-1].strip() if last else "autograde failed without a message")


def _cell_problems(path):
    """Notes about cells that timed out in a graded notebook (they score 0)."""
    notebook = json.loads(path.read_text())
    notes = []
    for index, cell in enumerate(notebook.get("cells", []), start=1):
        for output in cell.get("outputs", []):
            if output.get("ename") == "CellTimeoutError":
                notes.append(f"{path.name}: cell {index} timed out and was interrupted")
    return notes
