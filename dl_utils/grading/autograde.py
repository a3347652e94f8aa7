"""Autograde a class: every submission in a private course folder, in parallel.

For each student a worker process (trusted: no student code runs in it) builds
a private copy of the course (the configuration, a snapshot of the gradebook,
the assignment's non-notebook files, that student's submission, copied without
following a link) and runs nbgrader's own ``autograde`` on it, with
nbgrader's Execute step replaced by ``JudgedExecute``:

1. the notebook runs in a jail, for its outputs (``execute.py``); its test
   cells do not run there;
2. the judge (``judge.py``) runs the instructor's test cells in this trusted
   process against the student's definitions, held by a worker in another
   jail, and writes each test cell's output: the check's report, and an error
   when it failed. nbgrader scores these outputs: the grade comes from the
   judge alone.

The main process is the only writer of the real gradebook: as each worker
finishes, ``merge`` copies that student's graded notebook and grades into the
course. So grading uses every core, and no two processes ever write the same
sqlite file.
"""

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, Integer, Unicode

from .execute import error_output, make_markdown_inert, run_notebook
from .intake import copy_folder, notebook_problem, restore_metadata, split_notebooks
from .jail import Limits
from .judge import judge_notebook
from .notebook_code import cell_kind


class JudgedExecute(NbGraderPreprocessor):
    """nbgrader's Execute step: the notebook runs in a jail, the judge grades its tests.

    The limits are those of ``jail.Limits`` (the defaults are the same).
    """

    cell_timeout = Float(Limits.cell_timeout, help="seconds a cell may run").tag(config=True)
    interrupt_grace = Float(Limits.interrupt_grace, help="seconds to stop after an interrupt").tag(
        config=True
    )
    notebook_timeout = Float(Limits.notebook_timeout, help="seconds the notebook may run").tag(
        config=True
    )
    call_timeout = Float(Limits.call_timeout, help="seconds one call may take when judged").tag(
        config=True
    )
    check_budget = Float(Limits.check_budget, help="seconds one exercise's calls may take").tag(
        config=True
    )
    judge_timeout = Float(Limits.judge_timeout, help="seconds the judging may take").tag(
        config=True
    )
    memory_mb = Integer(Limits.memory_mb, help="address space per process, MiB").tag(config=True)
    processes = Integer(Limits.processes, help="processes and threads per jail").tag(config=True)
    disk_mb = Integer(Limits.disk_mb, help="writable space of a jail, MiB").tag(config=True)
    file_mb = Integer(Limits.file_mb, help="largest file the code may write, MiB").tag(config=True)
    output_kb = Integer(Limits.output_kb, help="output kept per cell, KiB").tag(config=True)
    output_mb = Integer(Limits.output_mb, help="output a jail may print, MiB").tag(config=True)
    source_root = Unicode("", help="the instructor's source/ folder of the course").tag(config=True)
    mplconfig = Unicode("", help="a ready matplotlib config folder (font cache)").tag(config=True)

    @property
    def limits(self):
        return Limits(**{name: getattr(self, name) for name in Limits.__dataclass_fields__})

    def preprocess(self, nb, resources):
        limits = self.limits
        info = resources["nbgrader"]
        source_path = Path(self.source_root) / info["assignment"] / f"{info['notebook']}.ipynb"
        source_nb = nbformat.read(source_path, as_version=4)
        env = {
            # in the notebook's own check cells, a student's loop fails its check in time
            "DL_CHECK_CALL_TIMEOUT": str(limits.call_timeout),
            "DL_CHECK_BUDGET": str(limits.check_budget),
        }
        mpl = {f".matplotlib/{p.name}": str(p) for p in _files(self.mplconfig)}
        started = time.monotonic()
        events = run_notebook(nb, resources["metadata"]["path"], limits, env, mpl)
        run_at = time.monotonic()
        verdicts, notes = judge_notebook(source_nb, nb, limits)
        judged = apply_verdicts(nb, verdicts)
        inert = make_markdown_inert(nb)
        seconds = {"notebook": run_at - started, "judge": time.monotonic() - run_at}
        nb.metadata["dl_grading"] = {
            "events": [asdict(e) for e in events],
            "verdicts": judged,
            "dropped": notes.dropped,
            "suspicious": notes.suspicious,
            "seconds": seconds,
            "inert_markdown": inert,
        }
        return nb, resources


def _files(folder):
    return sorted(p for p in Path(folder).glob("*") if p.is_file()) if folder else []


def apply_verdicts(nb, verdicts):
    """Put the judge's verdicts into the notebook's test cells; return, for the
    report, {grade_id: {"kind", "detail", "failure", "hint"}} (see judge.Verdict).
    A test cell without a verdict gets an error: a missing verdict is never a pass."""
    judged = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or cell_kind(cell) != "test":
            continue
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        verdict = verdicts.get(grade_id)
        outputs = []
        if verdict is None:
            why = "this test was not judged (it is not in the instructor's notebook)"
            outputs.append(error_output("NotJudged", why))
            judged[grade_id] = {"kind": "not judged", "detail": why}
        else:
            if verdict.output:
                outputs.append(nbformat.v4.new_output("stream", name="stdout", text=verdict.output))
            if not verdict.passed:
                outputs.append(error_output(*verdict.error))
            judged[grade_id] = {
                "kind": verdict.kind,
                "detail": verdict.error[1] if verdict.error else "",
                "failure": verdict.failure,
                "hint": verdict.hint,
            }
        cell.outputs = outputs
        cell.execution_count = None
    return judged


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


# --- one student, in a worker process ----------------------------------------------------


PRIVATE_ID = "student"  # the student's id inside a private course


def grade_privately(task):
    """Autograde one student in a private course folder (runs in a worker).

    task: dict with course (the real course folder), assignment, student,
    notebooks (the assignment's notebook file names), base (the batch's scratch
    folder), template_db (the gradebook snapshot), settings (JudgedExecute
    settings overriding nbgrader_config.py).
    Returns dict(student, private, result, notes) with nbgrader's result dict
    and the notes about the submission (links and extra notebooks left out).
    """
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    started = time.monotonic()
    course = Path(task["course"])
    assignment, student = task["assignment"], task["student"]
    base = Path(task["base"])
    private = Path(tempfile.mkdtemp(prefix="course-", dir=base / "courses"))
    done = {"student": student, "private": str(private), "notes": list(task.get("notes", []))}

    shutil.copy2(course / "nbgrader_config.py", private / "nbgrader_config.py")
    shutil.copy2(task["template_db"], private / "gradebook.db")
    source = course / "source" / assignment
    copy_folder(source, private / "source" / assignment)
    for notebook in (private / "source" / assignment).glob("*.ipynb"):
        notebook.unlink()  # nbgrader takes the notebooks from the gradebook
    # in the private course the student is PRIVATE_ID: nbgrader reads ids as glob
    # patterns and paths, so an id such as "alice[1]" is never handed to it
    submission = private / "submitted" / PRIVATE_ID / assignment
    done["notes"] += copy_folder(course / "submitted" / student / assignment, submission)
    missing, notes = split_notebooks(submission, task["notebooks"])
    done["notes"] += notes
    problems = {n: notebook_problem(submission / n) for n in task["notebooks"] if n not in missing}
    problems = {n: why for n, why in problems.items() if why}
    if len(missing) + len(problems) == len(task["notebooks"]):
        reasons = [f"{n}: {why}" for n, why in problems.items()]
        if missing and not problems:
            reasons = ["no notebook of this assignment was found in the submission"]
        done["result"] = {"success": False, "error": "; ".join(reasons), "reason": True}
        return done
    for name, why in problems.items():
        (submission / name).unlink()
        done["notes"].append(f"{name} was not graded: {why}")
    for name in task["notebooks"]:
        if (submission / name).is_file():
            released = json.loads((course / "release" / assignment / name).read_text())
            done["notes"] += [f"{name}: {n}" for n in restore_metadata(submission / name, released)]

    config = PyFileConfigLoader("nbgrader_config.py", path=str(private)).load_config()
    config.CourseDirectory.root = str(private)
    config.CourseDirectory.db_url = f"sqlite:///{private / 'gradebook.db'}"
    config.Autograde.sanitize_preprocessors = _sanitize_preprocessors()
    config.Autograde.autograde_preprocessors = _autograde_preprocessors()
    # a test cell the student deleted is put back and run, not left ungraded
    config.OverwriteCells.add_missing_cells = True
    for name, value in task["settings"].items():
        setattr(config.JudgedExecute, name, value)
    config.JudgedExecute.source_root = str(course / "source")
    config.JudgedExecute.mplconfig = str(base / "mplconfig")
    api = NbGraderAPI(config=config)
    api.log.setLevel("ERROR")
    done["result"] = api.autograde(assignment, PRIVATE_ID, force=True, create=True)
    done["seconds"] = time.monotonic() - started
    return done


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
    return [JudgedExecute if p is Execute else p for p in stock if p is not CheckCellMetadata]


# --- back in the main process ----------------------------------------------------------------


def merge(course, assignment, student, private):
    """Copy one student's graded notebooks and grades from a private course into the course."""
    from nbgrader.api import Gradebook, MissingEntry

    private = Path(private)
    graded = private / "autograded" / PRIVATE_ID / assignment
    target = course.path("autograded", student, assignment)
    if target.is_symlink():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    if graded.is_dir():  # written by nbgrader in this process only, still never following a link
        copy_folder(graded, target)

    with Gradebook(f"sqlite:///{private / 'gradebook.db'}") as source:
        with course.gradebook() as gradebook:
            # every student who handed something in is in the gradebook, graded or not
            gradebook.update_or_create_student(student)
            try:
                submission = source.find_submission(assignment, PRIVATE_ID)
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


def judge_memory(settings):
    """The address space of a grading process (it runs the judge), in bytes: the
    reference functions a student's code asks for run there, on its inputs, and
    must not take the machine's memory (initialize_parameters(10**5, 10**5, 1))."""
    memory_mb = settings.get("memory_mb", Limits.memory_mb)
    return max(4096, 2 * memory_mb) * 1024 * 1024


def limit_memory(limit):
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _failed(task, why):
    failure = {"success": False, "error": why}
    return {"student": task["student"], "result": failure, "notes": task["notes"]}


def default_jobs():
    """One student more than there are cores: while one waits (a kernel starting, a
    process being launched) the others keep every core busy."""
    return (os.cpu_count() or 1) + 1


def grade_class(course, assignment, students, jobs=None, settings=None, on_result=None, notes=None):
    """Autograde ``students`` of ``assignment`` with ``jobs`` worker processes
    (default: ``default_jobs()``).

    settings: JudgedExecute settings that override nbgrader_config.py,
        e.g. {"cell_timeout": 10}.
    notes: {student: notes} known before grading (what the intake left out).
    on_result: called in the main process with (student, done) after each
        student's grades are merged into the course; done holds nbgrader's
        result dict ("result") and the notes about the submission ("notes").
    Returns {student: done}.
    """
    jobs = jobs or default_jobs()
    results = {}
    with tempfile.TemporaryDirectory(prefix="dl-grading-") as scratch:
        base = Path(scratch)
        (base / "courses").mkdir()
        _warm_matplotlib(base / "mplconfig")
        template = base / "courses" / "gradebook.db"
        snapshot_gradebook(course, template)
        notebooks = sorted(p.name for p in course.path("source", assignment).glob("*.ipynb"))
        tasks = [
            {
                "course": str(course.root),
                "assignment": assignment,
                "notebooks": notebooks,
                "student": student,
                "base": str(base),
                "template_db": str(template),
                "notes": list((notes or {}).get(student, [])),
                "settings": dict(settings or {}),
            }
            for student in students
        ]
        context = get_context("spawn")  # no sqlite connection crosses a fork
        pending = {task["student"]: task for task in tasks}
        tries = dict.fromkeys(pending, 0)
        while pending:  # a pool whose process crashed is replaced; its students are tried again
            memory = judge_memory(settings or {})
            with ProcessPoolExecutor(
                min(jobs, len(pending)), context, initializer=limit_memory, initargs=(memory,)
            ) as pool:
                futures = {pool.submit(grade_privately, t): s for s, t in pending.items()}
                for future in as_completed(futures):
                    student = futures[future]
                    tries[student] += 1
                    try:
                        done = future.result()
                        merge(course, assignment, student, done["private"])
                        shutil.rmtree(done["private"], ignore_errors=True)
                    except BrokenProcessPool:
                        if tries[student] < 2:
                            continue
                        done = _failed(pending[student], "its grading process crashed twice")
                    except Exception as error:  # report it, grade the others
                        done = _failed(pending[student], f"grading process failed: {error!r}")
                    del pending[student]
                    results[student] = done
                    if on_result:
                        on_result(student, done)
    return results
