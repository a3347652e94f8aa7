"""`dl-course`: the instructor's commands, usable from any folder.

    dl-course release [ASSIGNMENT ...]
    dl-course autograde ASSIGNMENT [--submissions FOLDER]
    dl-course feedback ASSIGNMENT [--to FOLDER]
    dl-course export [--to grades.csv]
    dl-course report ASSIGNMENT [--to FOLDER]
    dl-course student-copy [--to FOLDER]

Every command takes --course FOLDER. Without it, the course is the folder the
command is run in (or one of its parents) when it holds nbgrader_config.py, or
holds one in notebooks/ (a copy of the kit); otherwise the kit's own notebooks/.
autograde exits with status 1 unless every student was graded without problems.
"""

import argparse
import os
import shutil
import sys
import warnings
from pathlib import Path

from .course import Course, GradingError, find_course
from .jail import UNJAILED_VARIABLE
from .report import write_report


def main(argv=None):
    parser = argparse.ArgumentParser(prog="dl-course", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--course",
        help="the course folder (default: the one this folder is in, or holds as notebooks/; "
        "else the kit's own)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    release = commands.add_parser("release", help="create the student versions in release/")
    release.add_argument("assignments", nargs="*", help="default: all")

    autograde = commands.add_parser("autograde", help="autograde every submission of an assignment")
    autograde.add_argument("assignment")
    autograde.add_argument(
        "--submissions",
        help="a folder with one sub-folder per student (copied into submitted/ first)",
    )
    autograde.add_argument(
        "--jobs", type=int, help="students graded at once (default: one more than the cores)"
    )
    autograde.add_argument("--cell-timeout", type=float, help="seconds a cell may run")
    autograde.add_argument("--memory-mb", type=int, help="memory cap of each grading kernel")
    autograde.add_argument("--output-kb", type=int, help="output kept per cell")
    autograde.add_argument(
        "--no-jail",
        action="store_true",
        help="run the students' code without a jail where bubblewrap cannot run "
        "(it can then read and change what your user can: you accept that risk)",
    )

    feedback = commands.add_parser("feedback", help="HTML feedback for every graded student")
    feedback.add_argument("assignment")
    feedback.add_argument("--to", help="also copy the files here, as <student>/<notebook>.html")

    report = commands.add_parser(
        "report", help="grading report: per student, per exercise, mistakes"
    )
    report.add_argument("assignment")
    report.add_argument("--to", help="folder for the report (default: the course's reports/)")

    export = commands.add_parser("export", help="write the grades as CSV")
    export.add_argument("--to", default="grades.csv")

    student = commands.add_parser("student-copy", help="release and copy into a working folder")
    student.add_argument("--to", default="student")

    args = parser.parse_args(argv)
    # nbgrader 0.9.6 with SQLAlchemy 2 warns on a student's first grading; harmless.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    try:
        course = Course(args.course or find_course(Path.cwd()))
        return COMMANDS[args.command](course, args)
    except GradingError as error:
        print(f"dl-course: {error}", file=sys.stderr)
        return 2


def run_release(course, args):
    for folder in course.release(args.assignments):
        print(f"released {folder}")
    return 0


def run_autograde(course, args):
    from tqdm import tqdm

    if args.no_jail:
        os.environ[UNJAILED_VARIABLE] = "1"
        print("warning: grading without a jail: the students' code runs with your rights")
    if args.submissions:
        students = course.add_submissions(args.submissions, args.assignment)
        print(f"{len(students)} submissions copied into {course.path('submitted')}")
    settings = {
        name: value
        for name, value in [
            ("cell_timeout", args.cell_timeout),
            ("memory_mb", args.memory_mb),
            ("output_kb", args.output_kb),
        ]
        if value is not None
    }
    students = course.submitted_students(args.assignment)
    with tqdm(total=len(students), desc="grading", unit="student") as bar:

        def show(outcome):
            bar.write(outcome.describe())
            bar.update(1)

        outcomes = course.autograde(args.assignment, students, args.jobs, settings, progress=show)
    problems = [o for o in outcomes if not o.graded]
    print(f"{len(outcomes) - len(problems)} of {len(outcomes)} students graded without problems.")
    for path in write_report(course, args.assignment, course.path("reports")):
        print(f"report: {path}")
    if problems:
        for o in problems:
            print(f"  {o.describe()}")
        return 1
    return 0


def run_feedback(course, args):
    files = course.feedback(args.assignment)
    for file in files:
        print(f"feedback: {file}")
        if args.to:
            student = file.parent.parent.name
            target = Path(args.to) / student / file.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)
    return 0


def run_report(course, args):
    folder = Path(args.to) if args.to else course.path("reports")
    csv_path, md_path = write_report(course, args.assignment, folder)
    print(md_path.read_text())
    print(f"report: {csv_path}\nreport: {md_path}")
    return 0


def run_export(course, args):
    rows = course.export(args.to)
    print(f"wrote {rows} rows to {args.to}")
    return 0


def run_student_copy(course, args):
    copied, kept = course.student_copy(args.to)
    for path in copied:
        print(f"new: {path}")
    if kept:
        print(f"{len(kept)} files already in {args.to} were kept as they are")
    return 0


COMMANDS = {
    "release": run_release,
    "autograde": run_autograde,
    "feedback": run_feedback,
    "report": run_report,
    "export": run_export,
    "student-copy": run_student_copy,
}

if __name__ == "__main__":
    sys.exit(main())
