"""The instructor's workflow on the nbgrader course: release, autograde, feedback, export.

``Course`` wraps nbgrader's Python API for one course folder (the folder with
``nbgrader_config.py``; by default the kit's ``notebooks/``), so every command
works from any folder and in one process (no 2.6 s start-up per student).

Autograding never turns a failure into a silent zero: every student gets an
``Outcome`` with a status (graded, partly graded, tampering, not graded) and
the reason (see ``outcomes.py``); the outcomes are kept in
``grading_status.json`` in the course folder, and ``export`` writes them next
to the scores.
"""

import csv
import json
import os
import shutil
import sys
from pathlib import Path

from .autograde import grade_class
from .intake import copy_folder
from .jail import UNJAILED_VARIABLE, jail_problem
from .outcomes import Outcome, classify

KIT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_COURSE = KIT_ROOT / "notebooks"


def find_course(folder):
    """The course a command run in ``folder`` works on: the folder itself when it holds
    nbgrader_config.py, its notebooks/ when that does (a copy of the kit), the nearest
    such parent; else the kit's own notebooks/ (where dl_utils is installed from)."""
    folder = Path(folder).resolve()
    for candidate in (folder, *folder.parents):
        for course in (candidate, candidate / "notebooks"):
            if (course / "nbgrader_config.py").is_file():
                return course
    return DEFAULT_COURSE


STATUS_FILE = "grading_status.json"
INTAKE_FILE = "intake_notes.json"  # what add_submissions left out, per assignment and student


class GradingError(Exception):
    """A grading command could not do its job (the message says why)."""


class Course:
    """One nbgrader course folder.

    root: the folder holding nbgrader_config.py, source/ and (once created)
    release/, submitted/, autograded/, feedback/ and gradebook.db.
    """

    def __init__(self, root=DEFAULT_COURSE):
        self.root = Path(root).resolve()
        if not (self.root / "nbgrader_config.py").is_file():
            raise GradingError(f"{self.root} is not a course folder: it has no nbgrader_config.py")
        _put_venv_on_path()
        self._api = None

    # --- nbgrader ---------------------------------------------------------------

    @property
    def api(self):
        """nbgrader's Python API, configured from this course's nbgrader_config.py only."""
        if self._api is None:
            from nbgrader.apps import NbGraderAPI
            from traitlets.config.loader import PyFileConfigLoader

            config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
            config.CourseDirectory.root = str(self.root)
            self._api = NbGraderAPI(config=config)
            self._api.log.setLevel("WARNING")
        return self._api

    def path(self, *parts):
        """A path inside the course folder."""
        return self.root.joinpath(*parts)

    def assignments(self):
        """The assignments: folders of source/ that hold a notebook, sorted by name."""
        source = self.path("source")
        return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))

    def _assignments_or_all(self, assignments):
        known = self.assignments()
        if not assignments:
            return known
        unknown = [a for a in assignments if a not in known]
        if unknown:
            raise GradingError(
                f"unknown assignment {', '.join(unknown)}; the course has {', '.join(known)}"
            )
        return list(assignments)

    # --- release -----------------------------------------------------------------

    def release(self, assignments=None):
        """Create the student versions (solutions and hidden tests stripped) in release/.

        assignments: names, or None for all. Returns the released folders.
        """
        released = []
        for assignment in self._assignments_or_all(assignments):
            result = self.api.generate_assignment(assignment, force=True, create=True)
            if not result["success"]:
                raise GradingError(f"releasing {assignment} failed:\n{_log_of(result)}")
            released.append(self.path("release", assignment))
        return released

    def student_copy(self, destination, demos=True):
        """Release everything and copy it into a student's working folder.

        destination: the student's folder; files already there are kept as they
        are (a student's work is never overwritten). demos: also copy the
        notebooks of notebooks/demos/ (the playground).
        Returns (copied, kept): lists of paths relative to destination.
        """
        destination = Path(destination).resolve()
        self.release()
        sources = [(self.path("release"), Path("."))]
        if demos and self.path("demos").is_dir():
            sources.append((self.path("demos"), Path("demos")))
        copied, kept = [], []
        for folder, prefix in sources:
            for file in sorted(folder.rglob("*")):
                if not file.is_file() or ".ipynb_checkpoints" in file.parts:
                    continue
                relative = prefix / file.relative_to(folder)
                target = destination / relative
                if target.exists():
                    kept.append(relative)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, target)
                copied.append(relative)
        return copied, kept

    # --- submissions and autograding ----------------------------------------------------

    def add_submissions(self, folder, assignment):
        """Copy a folder of submissions into submitted/.

        folder: one sub-folder per student, holding either the assignment's
        folder (nbgrader's layout, <student>/<assignment>/*.ipynb) or the
        notebooks themselves (<student>/*.ipynb). Symbolic links are never
        followed: they are left out, and the grading notes say so.
        Returns the student ids, sorted.
        """
        self._assignments_or_all([assignment])
        folder = Path(folder).resolve()
        if not folder.is_dir():
            raise GradingError(f"no folder of submissions at {folder}")
        students, notes = [], self.intake_notes(assignment)
        for student_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
            student = student_dir.name
            target = self.path("submitted", student, assignment)
            if target.is_symlink():
                target.unlink()
            elif target.exists():
                shutil.rmtree(target)
            if student_dir.is_symlink():  # a link to a folder is never followed
                target.mkdir(parents=True)
                notes[student] = ["the submission folder is a symbolic link (left out)"]
            else:
                inner = student_dir / assignment
                files = inner if inner.is_dir() and not inner.is_symlink() else student_dir
                notes[student] = copy_folder(files, target)
            students.append(student)
        if not students:
            raise GradingError(f"{folder} holds no student folders")
        self._save_intake_notes(assignment, notes)
        return students

    def intake_notes(self, assignment):
        """{student: notes} of what ``add_submissions`` left out (links), per assignment."""
        path = self.path(INTAKE_FILE)
        data = json.loads(path.read_text()) if path.exists() else {}
        return data.get(assignment, {})

    def _save_intake_notes(self, assignment, notes):
        path = self.path(INTAKE_FILE)
        data = json.loads(path.read_text()) if path.exists() else {}
        data[assignment] = notes
        path.write_text(json.dumps(data, indent=1))

    def submitted_students(self, assignment):
        """Students with a folder in submitted/ for this assignment, sorted."""
        submitted = self.path("submitted")
        if not submitted.is_dir():
            return []
        return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())

    def autograde(self, assignment, students=None, jobs=None, settings=None, progress=None):
        """Autograde the submissions of one assignment, ``jobs`` students at a time.

        students: ids, or None for everyone in submitted/.
        jobs: worker processes (default: one more than the cores).
        settings: grading-kernel settings overriding nbgrader_config.py
            (see autograde.JudgedExecute), e.g. {"cell_timeout": 10}.
        progress: a function called with each Outcome as it is decided.
        Returns the Outcomes, sorted by student; they are also saved to
        grading_status.json.
        """
        self._assignments_or_all([assignment])
        students = students or self.submitted_students(assignment)
        if not students:
            raise GradingError(f"no submissions of {assignment} in {self.path('submitted')}")
        if not self.is_released(assignment):
            raise GradingError(
                f"{assignment} is not in the gradebook yet: run `dl-course release` first"
            )
        self.check_jail()
        outcomes = []

        def record(student, done):
            outcome = classify(self, assignment, student, done)
            outcomes.append(outcome)
            self._save_outcome(outcome)
            if progress:
                progress(outcome)

        notes = self.intake_notes(assignment)
        grade_class(self, assignment, students, jobs, settings, on_result=record, notes=notes)
        return sorted(outcomes, key=lambda o: o.student)

    def check_jail(self):
        """Refuse to grade where student code cannot be jailed, unless the instructor
        accepted the risk (``dl-course autograde --no-jail``)."""
        problem = jail_problem()
        if problem and os.environ.get(UNJAILED_VARIABLE) != "1":
            raise GradingError(
                f"student code cannot be jailed here: {problem}. Grade on a machine where "
                "bubblewrap runs (see the README), or pass --no-jail to accept that the "
                "students' code runs with your rights"
            )

    def is_released(self, assignment):
        """True when the assignment is in the gradebook (it was released)."""
        from nbgrader.api import MissingEntry

        if not self.path("gradebook.db").exists():
            return False
        with self.gradebook() as gradebook:
            try:
                gradebook.find_assignment(assignment)
            except MissingEntry:
                return False
        return True

    def score(self, assignment, student):
        """(score, max_score) of a graded submission, from the gradebook."""
        with self.gradebook() as gradebook:
            submission = gradebook.find_submission(assignment, student)
            return submission.score, submission.max_score

    def max_score(self, assignment):
        """The points an assignment is worth, from the gradebook."""
        with self.gradebook() as gradebook:
            return gradebook.find_assignment(assignment).max_score

    def gradebook(self):
        """nbgrader's Gradebook of this course (use it in a `with` block)."""
        from nbgrader.api import Gradebook

        return Gradebook(f"sqlite:///{self.path('gradebook.db')}")

    # --- feedback and grades --------------------------------------------------------------

    def feedback(self, assignment, students=None):
        """HTML feedback for every graded student; returns the feedback files.

        Students without a graded copy get none (their status says why).
        """
        students = students or [
            s
            for s in self.submitted_students(assignment)
            if self.path("autograded", s, assignment).is_dir()
        ]
        files = []
        for student in students:
            result = self.api.generate_feedback(assignment, student, force=True)
            if not result["success"]:
                raise GradingError(f"feedback for {student} failed:\n{_log_of(result)}")
            files += sorted(self.path("feedback", student, assignment).glob("*.html"))
        return files

    def statuses(self):
        """{(assignment, student): outcome dict} of every autograde run so far."""
        path = self.path(STATUS_FILE)
        if not path.exists():
            return {}
        data = json.loads(path.read_text())
        return {(o["assignment"], o["student"]): o for o in data}

    def _save_outcome(self, outcome):
        statuses = self.statuses()
        statuses[(outcome.assignment, outcome.student)] = outcome.as_dict()
        ordered = [statuses[k] for k in sorted(statuses)]
        self.path(STATUS_FILE).write_text(json.dumps(ordered, indent=1))

    def export(self, destination):
        """Write the grades as CSV: one row per student and assignment autograded so far.

        Columns: assignment, student_id, status, score, max_score, reason.
        status is "graded", "partly graded", "tampering" or "not graded"; the
        reason says what happened whenever it is not plainly "graded".
        Returns the number of rows.
        """
        rows = sorted(self.statuses().values(), key=lambda o: (o["assignment"], o["student"]))
        with open(destination, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["assignment", "student_id", "status", "score", "max_score", "reason"])
            for o in rows:
                writer.writerow(
                    [
                        o["assignment"],
                        o["student"],
                        o["status"],
                        _number(o["score"]),
                        _number(o["max_score"]),
                        o["reason"],
                    ]
                )
        return len(rows)


def _number(x):
    if x is None:
        return ""
    return f"{x:g}"


def _log_of(result):
    return (result.get("log", "") + "\n" + result.get("error", "")).strip()


def _put_venv_on_path():
    # nbgrader runs `alembic` by name when it opens a gradebook
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


__all__ = ["Course", "GradingError", "Outcome", "DEFAULT_COURSE"]
