"""Autograde a class: every submission in a private course folder, in parallel.

For each student a worker process builds a private copy of the course (the
configuration, a snapshot of the gradebook, the assignment's non-notebook
files, that student's submission) and runs nbgrader's own ``autograde`` on it,
with nbgrader's Execute step replaced by ``SandboxedExecute``: the notebook
runs in a sandboxed kernel (``runner``) and every test that passed is
re-verified in a clean process (``verify``).

The main process is the only writer of the real gradebook: as each worker
finishes, ``merge`` copies that student's graded notebook and grades into the
course. So grading uses every core, a hostile submission sees neither the
gradebook nor the other submissions, and no two processes ever write the same
sqlite file.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float, Integer, List, Unicode

from .runner import Event, error_output, run_notebook
from .sandbox import Limits
from .verify import verify

KIT_ROOT = Path(__file__).resolve().parents[2]


class SandboxedExecute(NbGraderPreprocessor):
    """nbgrader's Execute step, run in a sandboxed kernel and re-verified."""

    cell_timeout = Float(Limits.cell_timeout, help="seconds a cell may run").tag(config=True)
    interrupt_grace = Float(Limits.interrupt_grace, help="seconds to stop after an interrupt").tag(
        config=True
    )
    memory_mb = Integer(Limits.memory_mb, help="memory cap of the kernel, MiB").tag(config=True)
    output_kb = Integer(Limits.output_kb, help="output kept per cell, KiB").tag(config=True)
    file_mb = Integer(Limits.file_mb, help="largest file the code may write, MiB").tag(config=True)
    reverify = Bool(True, help="re-verify passed tests in a clean process").tag(config=True)
    hide = List(Unicode(), help="folders the student's code must not see").tag(config=True)
    keep = List(Unicode(), help="folders inside hidden ones it must see").tag(config=True)
    mplconfig = Unicode("", help="a ready matplotlib config folder (font cache)").tag(config=True)

    @property
    def limits(self):
        return Limits(
            self.cell_timeout, self.interrupt_grace, self.memory_mb, self.output_kb, self.file_mb
        )

    def preprocess(self, nb, resources):
        workdir = resources["metadata"]["path"]
        cells = cells_for_verification(nb)
        env = {
            "NBGRADER_EXECUTION": "autograde",
            "OPENBLAS_NUM_THREADS": "1",
            "MPLBACKEND": "Agg",
            # a student's function that loops forever fails its own check in time
            "DL_CHECK_CALL_TIMEOUT": str(max(1.0, self.cell_timeout / 4)),
            "DL_CHECK_BUDGET": str(max(2.0, self.cell_timeout * 3 / 4)),
        }
        if self.mplconfig:
            # the student's own writable copy of the batch's font cache
            own = Path(workdir) / ".matplotlib"
            shutil.copytree(self.mplconfig, own, dirs_exist_ok=True)
            env["MPLCONFIGDIR"] = str(own)
        sandbox = (self.hide, self.keep)
        events = run_notebook(nb, workdir, self.limits, *sandbox, env)
        events += tampering_found_by_checks(nb)
        if self.reverify:
            events += apply_verdicts(nb, cells, workdir, self.limits, sandbox, env)
        nb.metadata["dl_grading"] = {"events": [asdict(e) for e in events]}
        return nb, resources


class ForgetDuplicates(NbGraderPreprocessor):
    """Drop the empty nbgrader metadata DeduplicateIds leaves on a duplicated cell.

    nbgrader 0.9.6 keeps the last copy of a duplicated cell and empties the
    metadata of the others, which then crashes its putting back of deleted
    test cells; without the empty metadata the copies are plain cells.
    """

    def preprocess_cell(self, cell, resources, index):
        if "nbgrader" in cell.metadata and not cell.metadata.nbgrader:
            del cell.metadata["nbgrader"]
        return cell, resources


def cells_for_verification(nb):
    """The notebook's code cells as ``verify`` wants them (see verify.py)."""
    cells = []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            kind = "test"
        elif meta.get("solution"):
            kind = "answer"
        elif meta.get("locked"):
            kind = "locked"
        else:
            kind = "other"
        cells.append(
            {
                "kind": kind,
                "source": cell.source,
                "grade_id": meta.get("grade_id"),
                "label": f"cell {index}",
            }
        )
    return cells


def test_cells(nb):
    """(cell number, cell, grade_id) of every autograded test cell of a notebook."""
    for index, cell in enumerate(nb.cells, start=1):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            yield index, cell, meta["grade_id"]


def tampering_found_by_checks(nb):
    """Events for test cells whose check reported tampering inside the kernel."""
    events = []
    for index, cell, grade_id in test_cells(nb):
        for output in cell.outputs:
            text = output.get("evalue", "") if output.output_type == "error" else ""
            if "tampering detected" in text:
                detail = text.split("tampering detected", 1)[1].split("\n")[0].strip(": ")
                events.append(Event(index, "tampering", f"{_exercise(grade_id)}: {detail}"))
                break
    return events


def apply_verdicts(nb, cells, workdir, limits, sandbox, env=None):
    """Re-verify the passed test cells; a test that fails there loses its points.

    An error output is added to each such cell (nbgrader then scores it 0).
    sandbox: the (hide, keep) folders of ``sandbox.sandboxed``.
    Returns the Events (tampering, not reproduced, not verified).
    """
    passed = {
        grade_id: (index, cell)
        for index, cell, grade_id in test_cells(nb)
        if not any(o.output_type == "error" for o in cell.outputs)
    }
    if not passed:
        return []
    events = []
    try:
        verdicts = verify(cells, workdir, limits, *sandbox, env)
    except RuntimeError as error:
        for grade_id, (index, cell) in passed.items():
            message = f"this test could not be re-verified in a clean process: {error}"
            cell.outputs.append(error_output("NotVerified", message))
            events.append(Event(index, "not verified", f"{grade_id}: {error}"))
        return events
    for grade_id, (index, cell) in passed.items():
        verdict = verdicts.get(grade_id)
        if verdict is None or verdict.passed:
            continue
        if verdict.tampering:
            cell.outputs.append(error_output("TamperingDetected", verdict.detail))
            events.append(Event(index, "tampering", f"{_exercise(grade_id)}: {verdict.detail}"))
        else:
            message = f"passed in the notebook but not in a clean re-run: {verdict.detail}"
            cell.outputs.append(error_output("NotReproduced", message))
            events.append(
                Event(index, "not reproduced", f"{_exercise(grade_id)}: {verdict.detail}")
            )
    return events


def _exercise(grade_id):
    return grade_id.removesuffix("_tests")


# --- one student, in a worker process ----------------------------------------------------


def grade_privately(task):
    """Autograde one student in a private course folder (runs in a worker).

    task: dict with course (the real course folder), assignment, student,
    base (the batch's scratch folder), template_db (the gradebook snapshot),
    settings (SandboxedExecute settings overriding nbgrader_config.py).
    Returns dict(student, private, result) with nbgrader's result dict.
    """
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    course = Path(task["course"])
    assignment, student = task["assignment"], task["student"]
    base = Path(task["base"])
    private = Path(tempfile.mkdtemp(prefix="course-", dir=base / "courses"))

    shutil.copy2(course / "nbgrader_config.py", private / "nbgrader_config.py")
    shutil.copy2(task["template_db"], private / "gradebook.db")
    source = course / "source" / assignment
    (private / "source" / assignment).mkdir(parents=True)
    for file in source.rglob("*"):
        if file.is_file() and file.suffix != ".ipynb" and ".ipynb_checkpoints" not in file.parts:
            target = private / "source" / assignment / file.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)
    shutil.copytree(
        course / "submitted" / student / assignment, private / "submitted" / student / assignment
    )

    config = PyFileConfigLoader("nbgrader_config.py", path=str(private)).load_config()
    config.CourseDirectory.root = str(private)
    config.CourseDirectory.db_url = f"sqlite:///{private / 'gradebook.db'}"
    config.Autograde.sanitize_preprocessors = _sanitize_preprocessors()
    config.Autograde.autograde_preprocessors = _autograde_preprocessors()
    # a test cell the student deleted is put back and run, not left ungraded
    config.OverwriteCells.add_missing_cells = True
    for name, value in task["settings"].items():
        setattr(config.SandboxedExecute, name, value)
    config.SandboxedExecute.hide = hidden_folders(course, base)
    config.SandboxedExecute.keep = visible_folders()
    config.SandboxedExecute.mplconfig = str(base / "mplconfig")
    api = NbGraderAPI(config=config)
    api.log.setLevel("ERROR")
    result = api.autograde(assignment, student, force=True, create=True)
    return {"student": student, "private": str(private), "result": result}


def hidden_folders(course, base):
    """What the student's code must not see: scratch and home folders, the whole
    kit (its notebooks, tests and history), the course and this batch's files."""
    broad = ["/tmp", "/var/tmp", "/home", "/root", "/srv", "/mnt", "/media", tempfile.gettempdir()]
    return sorted({*broad, str(KIT_ROOT), str(course), str(base)})


def visible_folders():
    """What it needs inside them: Python, and the kit's package and data."""
    return [sys.prefix, sys.base_prefix, str(KIT_ROOT / "dl_utils"), str(KIT_ROOT / "data")]


def _sanitize_preprocessors():
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import DeduplicateIds

    stock = Autograde.class_traits()["sanitize_preprocessors"].make_dynamic_default()
    at = stock.index(DeduplicateIds) + 1
    return [*stock[:at], ForgetDuplicates, *stock[at:]]


def _autograde_preprocessors():
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import CheckCellMetadata, Execute

    stock = Autograde.class_traits()["autograde_preprocessors"].make_dynamic_default()
    # CheckCellMetadata already ran on this notebook while it was sanitized
    return [SandboxedExecute if p is Execute else p for p in stock if p is not CheckCellMetadata]


# --- back in the main process ----------------------------------------------------------------


def merge(course, assignment, student, private):
    """Copy one student's graded notebooks and grades from a private course into the course."""
    from nbgrader.api import Gradebook, MissingEntry

    private = Path(private)
    graded = private / "autograded" / student / assignment
    target = course.path("autograded", student, assignment)
    if target.exists():
        shutil.rmtree(target)
    if graded.exists():
        # the kernel's home folder lived there: keep only the student's files
        junk = shutil.ignore_patterns(".ipython", ".matplotlib", ".cache", ".local", "__pycache__")
        shutil.copytree(graded, target, ignore=junk)

    with Gradebook(f"sqlite:///{private / 'gradebook.db'}") as source:
        with course.gradebook() as gradebook:
            # every student who handed something in is in the gradebook, graded or not
            gradebook.update_or_create_student(student)
            try:
                submission = source.find_submission(assignment, student)
            except MissingEntry:  # nbgrader stopped before recording anything
                gradebook.update_or_create_submission(assignment, student)
                return
            gradebook.update_or_create_submission(
                assignment, student, timestamp=submission.timestamp
            )
            for notebook in submission.notebooks:
                copy = gradebook.find_submission_notebook(notebook.name, assignment, student)
                copy.late_submission_penalty = notebook.late_submission_penalty
                for grade in notebook.grades:
                    mine = gradebook.find_grade(grade.name, notebook.name, assignment, student)
                    mine.auto_score = grade.auto_score
                    # nbgrader's rule: a manual grade, or no automatic one, needs a look
                    mine.needs_manual_grade = (
                        mine.manual_score is not None or grade.auto_score is None
                    )
                for comment in notebook.comments:
                    mine = gradebook.find_comment(comment.name, notebook.name, assignment, student)
                    mine.auto_comment = comment.auto_comment
            gradebook.db.commit()


def snapshot_gradebook(course, destination):
    """A consistent copy of the course's gradebook (sqlite's backup API)."""
    with sqlite3.connect(course.path("gradebook.db")) as src, sqlite3.connect(destination) as dst:
        src.backup(dst)


def _warm_matplotlib(folder):
    """Build matplotlib's font cache once for the batch (not once per student)."""
    folder.mkdir()
    env = {**os.environ, "MPLCONFIGDIR": str(folder), "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, "-c", "import matplotlib.pyplot"], env=env, check=False)


def default_jobs():
    """One student more than there are cores: while one waits (a kernel starting, a
    process being launched) the others keep every core busy."""
    return (os.cpu_count() or 1) + 1


def grade_class(course, assignment, students, jobs=None, settings=None, on_result=None):
    """Autograde ``students`` of ``assignment`` with ``jobs`` worker processes
    (default: ``default_jobs()``).

    settings: SandboxedExecute settings that override nbgrader_config.py,
        e.g. {"cell_timeout": 10, "reverify": False}.
    on_result: called in the main process with (student, result dict) after
        each student's grades are merged into the course.
    Returns {student: nbgrader result dict}.
    """
    jobs = jobs or default_jobs()
    results = {}
    with tempfile.TemporaryDirectory(prefix="dl-grading-") as scratch:
        base = Path(scratch)
        (base / "courses").mkdir()
        _warm_matplotlib(base / "mplconfig")
        template = base / "courses" / "gradebook.db"
        snapshot_gradebook(course, template)
        tasks = [
            {
                "course": str(course.root),
                "assignment": assignment,
                "student": student,
                "base": str(base),
                "template_db": str(template),
                "settings": dict(settings or {}),
            }
            for student in students
        ]
        context = get_context("spawn")  # no sqlite connection crosses a fork
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
            futures = {pool.submit(grade_privately, task): task["student"] for task in tasks}
            for future in as_completed(futures):
                student = futures[future]
                try:
                    done = future.result()
                    result = done["result"]
                    merge(course, assignment, student, done["private"])
                    shutil.rmtree(done["private"], ignore_errors=True)
                except Exception as error:  # a worker crashed: report it, grade the others
                    result = {"success": False, "error": f"grading process failed: {error!r}"}
                results[student] = result
                if on_result:
                    on_result(student, result)
    return results
