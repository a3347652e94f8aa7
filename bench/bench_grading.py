"""Benchmark: grading a class with stock nbgrader (serial) and with `dl-course` (parallel).

    .venv/bin/python bench/bench_grading.py [--students 60] [--jobs 2] [--timeout 20]

Builds a class of submissions of the step-by-step assignment, a realistic mix:
60 % correct, 25 % with one classic mistake (tests/submissions), 8 % untouched,
4 % with a loop at the top of an answer cell (cut by the cell time limit) and
3 % that are not valid JSON. It grades the same class twice, in two copies of
the course: with one stock `nbgrader autograde` call (one student after
another, everything in the student's kernel) and with `dl-course autograde
--jobs N` (each notebook in a jail, its tests in the judge against a worker in
another jail, N students at a time). It checks that both give the honest
students (correct, mistake, untouched) the same score on every test cell, and
prints where they differ for the others, then both times and the speed-up. The
cell time limit is the same for both. Last, what the jail and the judge cost
per student: the medians of dl-course's own timings (notebook run, judging),
and one solution notebook run with and without its jail, taking turns.
"""

import argparse
import json
import os
import random
import shutil
import statistics
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
    config += f"\nc.Execute.timeout = {timeout}\nc.JudgedExecute.cell_timeout = {timeout}\n"
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
            mistake = rng.choice(MISTAKES)
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
    """Run a command; return its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def lost(stock, ours):
    """A few words on where two students' cell scores differ."""
    if stock is None or ours is None:
        words = {True: "not graded", False: "graded"}
        return f"stock {words[stock is None]}, ours {words[ours is None]}"
    cells = sorted(g for g in stock if stock[g] != ours.get(g))
    return ", ".join(f"{g} stock {stock[g]:g} / ours {ours.get(g, 0):g}" for g in cells)


def own_timings(course, students):
    """The medians of the notebook runs and the judging, from the graded notebooks."""
    runs, judging = [], []
    for s in students:
        path = course.path("autograded", s, A, f"{A}.ipynb")
        if path.exists():
            seconds = json.loads(path.read_text())["metadata"]["dl_grading"]["seconds"]
            runs.append(seconds["notebook"])
            judging.append(seconds["judge"])
    print(
        f"per student (median of {len(runs)}, while the batch ran): notebook run in its jail "
        f"{statistics.median(runs):.2f} s, judging {statistics.median(judging):.2f} s"
    )


def jail_cost(rounds):
    """One solution notebook run with and without its jail, taking turns; the medians."""
    from dl_utils.grading.execute import run_notebook
    from dl_utils.grading.jail import UNJAILED_VARIABLE, Limits

    source = nbformat.read(ROOT / "notebooks" / "source" / A / f"{A}.ipynb", as_version=4)
    times = {"jail": [], "no jail": []}
    for _ in range(rounds):
        for mode in times:
            os.environ[UNJAILED_VARIABLE] = "1" if mode == "no jail" else "0"
            with tempfile.TemporaryDirectory() as work:
                nb = nbformat.from_dict(source)
                start = time.perf_counter()
                events = run_notebook(nb, work, Limits())
                times[mode].append(time.perf_counter() - start)
            errors = [
                o
                for c in nb.cells
                if c.cell_type == "code"
                for o in c.get("outputs", [])
                if o.get("output_type") == "error"
            ]
            if events or errors:
                sys.exit(
                    f"the solution notebook did not run cleanly ({mode}): {events} {errors[:1]}"
                )
    os.environ.pop(UNJAILED_VARIABLE)
    jail, bare = (statistics.median(times[m]) for m in ("jail", "no jail"))
    print(
        f"the solution notebook, {rounds} runs each, alone: in its jail {jail:.2f} s, "
        f"without {bare:.2f} s (the jail costs {jail - bare:+.2f} s)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--jobs", type=int, help="default: dl-course's own (cores + 1)")
    parser.add_argument("--timeout", type=float, default=20, help="cell time limit, seconds")
    parser.add_argument("--rounds", type=int, default=5, help="runs of the jail-cost measure")
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

        stock_time = run(
            [str(BIN / "nbgrader"), "autograde", A, f"--CourseDirectory.root={stock.root}"],
            env,
            cwd=stock.root,
        )
        print(f"stock nbgrader autograde (serial): {stock_time:7.1f} s")
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        command = [str(BIN / "dl-course"), "--course", str(ours.root), "autograde", A, *jobs]
        ours_time = run(command, env)
        print(f"dl-course autograde {' '.join(jobs) or '(default jobs)'}: {ours_time:7.1f} s")

        a, b = scores(stock), scores(ours)
        kind_of = dict(zip(students, kinds))
        honest = [s for s in students if kind_of[s] in ("correct", "mistake", "untouched")]
        differ = sorted(s for s in honest if a.get(s) != b.get(s))
        if differ:
            for s in differ:
                print(f"  {s}: stock {a.get(s)} / ours {b.get(s)}")
            print(f"GRADES DIFFER for {len(differ)} honest students")
            sys.exit(1)
        print(f"identical grades for all {len(honest)} honest students")
        for s in students:
            if s not in honest and a.get(s) != b.get(s):
                print(f"  differs, as expected, for {s} ({kind_of[s]}): {lost(a.get(s), b.get(s))}")
        print(f"speed-up: {stock_time / ours_time:.2f}x")
        own_timings(ours, students)
    jail_cost(args.rounds)


if __name__ == "__main__":
    main()
