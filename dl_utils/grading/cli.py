"""`dl-course`: the instructor's commands, usable from any folder.

    dl-course release [ASSIGNMENT ...]
    dl-course autograde ASSIGNMENT [--submissions FOLDER]
    dl-course feedback ASSIGNMENT [--to FOLDER]
    dl-course export [--to grades.csv]
    dl-course student-copy [--to FOLDER]

Every command takes --course FOLDER (default: the kit's notebooks/ folder).
autograde exits with status 1 when a student could not be graded.
"""

import argparse
import shutil
import sys
import warnings
from pathlib import Path

from .course import DEFAULT_COURSE, Course, GradingError


def main(argv=None):
    parser = argparse.ArgumentParser(prog="dl-course", description=__doc__.split("\n\n")[0])
    parser.add_argument("--course", default=str(DEFAULT_COURSE), help="the course folder")
    commands = parser.add_subparsers(dest="command", required=True)

    release = commands.add_parser("release", help="create the student versions in release/")
    release.add_argument("assignments", nargs="*", help="default: all")

    autograde = commands.add_parser("autograde", help="autograde every submission of an assignment")
    autograde.add_argument("assignment")
    autograde.add_argument(
        "--submissions",
        help="a folder with one sub-folder per student (copied into submitted/ first)",
    )

    feedback = commands.add_parser("feedback", help="HTML feedback for every graded student")
    feedback.add_argument("assignment")
    feedback.add_argument("--to", help="also copy the files here, as <student>/<notebook>.html")

    export = commands.add_parser("export", help="write the grades as CSV")
    export.add_argument("--to", default="grades.csv")

    student = commands.add_parser("student-copy", help="release and copy into a working folder")
    student.add_argument("--to", default="student")

    args = parser.parse_args(argv)
    # nbgrader 0.9.6 with SQLAlchemy 2 warns on a student's first grading; harmless.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    try:
        course = Course(args.course)
        return COMMANDS[args.command](course, args)
    except GradingError as error:
        print(f"dl-course: {error}", file=sys.stderr)
        return 2


def run_release(course, args):
    for folder in course.release(args.assignments):
        print(f"released {folder}")
    return 0


def run_autograde(course, args):
    if args.submissions:
        students = course.add_submissions(args.submissions, args.assignment)
        print(f"{len(students)} submissions copied into {course.path('submitted')}")
    outcomes = course.autograde(args.assignment, progress=lambda o: print(o.describe(), flush=True))
    not_graded = [o for o in outcomes if not o.graded]
    print(f"{len(outcomes) - len(not_graded)} of {len(outcomes)} students graded.")
    if not_graded:
        print("NOT graded: " + ", ".join(o.student for o in not_graded) + " (see above)")
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
    "export": run_export,
    "student-copy": run_student_copy,
}

if __name__ == "__main__":
    sys.exit(main())
