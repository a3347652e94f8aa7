"""Benchmark: grading a class with stock nbgrader (serial) and with `dl-course` (parallel).

    .venv/bin/python bench/bench_grading.py [--students 60] [--jobs 2] [--timeout 20]

Builds a class of submissions of the step-by-step assignment, a realistic mix:
60 % correct, 25 % with one classic mistake (tests/submissions), 8 % untouched,
4 % with a loop at the top of an answer cell (cut by the cell time limit) and
3 % that are not valid JSON. It grades the same class twice, in two copies of
the course: with one stock `nbgrader autograde` call (one student after
another) and with `dl-course autograde --jobs N` (sandboxed kernels, clean
re-verification, N students at a time). It checks that both give every
student the same score on every test cell, then prints both times and the
speed-up. The cell time limit is the same for both.
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from submissions.step_by_step_mistakes import MISTAKES  # noqa: E402

from dl_utils.grading.course import Course  # noqa: E402

A = "01_step_by_step"
BIN = Path(sys.executable).parent


def copy_course(folder, timeout):
    folder.mkdir(parents=True)
    config = (ROOT / "notebooks" / "nbgrader_config.py").read_text()
    config += f"\nc.Execute.timeout = {timeout}\nc.SandboxedExecute.cell_timeout = {timeout}\n"
    (folder / "nbgrader_config.py").write_text(config)
    shutil.copytree(ROOT / "notebooks" / "source", folder / "source")
    return Course(folder)


def solutions():
    source = nbformat.read(ROOT / "notebooks" / "source" / A / f"{A}.ipynb", as_version=4)
    answers = {}
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            lines = [line for line in cell.source.splitlines() if "### " not in line]
            answers[meta["grade_id"]] = "\n".join(lines)
    return answers


def submission(course, answers):
    nb = nbformat.read(course.path("release", A, f"{A}.ipynb"), as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers and cell.metadata["nbgrader"].get("solution"):
            cell.source = answers[grade_id]
    return nbformat.writes(nb)


def make_class(course, n, seed=0):
    """{student: notebook text}, the mix described at the top."""
    rng = random.Random(seed)
    right = solutions()
    kinds = (
        ["correct"] * round(0.60 * n)
        + ["mistake"] * round(0.25 * n)
        + ["untouched"] * round(0.08 * n)
        + ["top-level loop"] * round(0.04 * n)
    )
    kinds += ["not json"] * (n - len(kinds))
    rng.shuffle(kinds)
    students = {}
    for i, kind in enumerate(kinds):
        name = f"student{i:03d}"
        if kind == "correct":
            students[name] = submission(course, right)
        elif kind == "mistake":
            mistake = rng.choice([m for m in MISTAKES if m["name"] != "tampers_with_numpy"])
            students[name] = submission(course, {**right, mistake["grade_id"]: mistake["source"]})
        elif kind == "untouched":
            students[name] = submission(course, {})
        elif kind == "top-level loop":
            loop = {**right, "relu_answer": "while True:\n    pass\n" + right["relu_answer"]}
            students[name] = submission(course, loop)
        else:
            students[name] = '{"cells": [ not json'
    return students, kinds


def write_class(course, students):
    for name, text in students.items():
        folder = course.path("submitted", name, A)
        folder.mkdir(parents=True)
        (folder / f"{A}.ipynb").write_text(text)


def scores(course):
    """{student: {grade_id: score}} from a course's gradebook (None: no submission graded)."""
    found = {}
    with course.gradebook() as gradebook:
        for student in gradebook.students:
            try:
                submission = gradebook.find_submission(A, student.id)
            except Exception:
                found[student.id] = None
                continue
            cells = {g.name: g.score for nb in submission.notebooks for g in nb.grades}
            graded = course.path("autograded", student.id, A).is_dir()
            found[student.id] = cells if graded else None
    return found


def run(command, env, cwd=None):
    """Run a command; return (wall time, CPU time of it and its children), in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--jobs", type=int, help="default: dl-course's own (cores + 1)")
    parser.add_argument("--timeout", type=float, default=20, help="cell time limit, seconds")
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        stock = copy_course(Path(scratch) / "stock", args.timeout)
        ours = copy_course(Path(scratch) / "ours", args.timeout)
        for course in (stock, ours):
            course.release([A])
        students, kinds = make_class(stock, args.students)
        for course in (stock, ours):
            write_class(course, students)
        mix = {k: kinds.count(k) for k in dict.fromkeys(kinds)}
        print(f"{args.students} submissions of {A}: {json.dumps(mix)}")
        print(f"cell time limit {args.timeout:g} s, {os.cpu_count()} cores")

        stock_time, stock_cpu = run(
            [str(BIN / "nbgrader"), "autograde", A, f"--CourseDirectory.root={stock.root}"],
            env,
            cwd=stock.root,
        )
        print(f"stock nbgrader autograde (serial): {stock_time:7.1f} s  (CPU {stock_cpu:.1f} s)")
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        command = [str(BIN / "dl-course"), "--course", str(ours.root), "autograde", A, *jobs]
        ours_time, ours_cpu = run(command, env)
        print(
            f"dl-course autograde {' '.join(jobs) or '(default jobs)'}: {ours_time:7.1f} s"
            f"  (CPU {ours_cpu:.1f} s)"
        )

        a, b = scores(stock), scores(ours)
        differ = sorted(s for s in students if a.get(s) != b.get(s))
        if differ:
            for s in differ:
                print(f"  {s}: stock {a.get(s)} / ours {b.get(s)}")
            print(f"GRADES DIFFER for {len(differ)} students")
            sys.exit(1)
        graded = sum(1 for s in students if a.get(s) is not None)
        print(
            f"identical grades for all {len(students)} students ({graded} graded, "
            f"{len(students) - graded} not gradable by either)"
        )
        print(f"speed-up: {stock_time / ours_time:.2f}x")


if __name__ == "__main__":
    main()
