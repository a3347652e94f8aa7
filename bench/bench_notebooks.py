"""Benchmark: every notebook's slowest cells, with the student's own functions, on a busy machine.

    .venv/bin/python bench/bench_notebooks.py [--busy 2] [--notebooks 02_application ...]

Each source notebook runs top to bottom in a fresh kernel (the instructor's
solutions play the student's own functions: the training cells then run the
textbook loops a student writes), while ``--busy`` other processes keep the
cores busy (each spins in a loop). The kernel gets the environment a course
kernel gets (`make course` and the hub give each kernel one BLAS thread), or,
with ``--blas-threads N``, N threads. It prints, per notebook, the total time
and the five slowest cells with their times. Goal: no cell over 30 s with two
busy processes on two cores.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "notebooks" / "source"
SPIN = "while True:\n    pass\n"


def solution_notebook(assignment, plants=()):
    """The instructor's notebook, its answers kept and the solution markers removed.

    plants: (grade_id, old, new) triples: a mistake planted in that answer cell.
    """
    nb = nbformat.read(SOURCE / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in nb.cells:
        lines = cell.source.splitlines()
        cell.source = "\n".join(line for line in lines if "### " not in line)
        for grade_id, old, new in plants:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                if old not in cell.source:
                    sys.exit(f"{old!r} is not in {grade_id}")
                cell.source = cell.source.replace(old, new)
    return nb


def cell_seconds(cell):
    """How long a cell ran, from the timing nbclient records."""
    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    from datetime import datetime

    parse = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    return (parse(end) - parse(start)).total_seconds()


def run(assignment, blas_threads, plants=()):
    nb = solution_notebook(assignment, plants)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": str(blas_threads), "MPLBACKEND": "Agg"}
    env.pop("NBGRADER_EXECUTION", None)
    client = NotebookClient(
        nb,
        timeout=1800,
        allow_errors=True,  # a failed check does not stop a student's notebook
        kernel_name="python3",
        record_timing=True,
        resources={"metadata": {"path": str(SOURCE / assignment)}},
    )
    start = time.perf_counter()
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and "Playground" not in cell.source:
                client.execute_cell(cell, index)
    total = time.perf_counter() - start
    cells = [(cell_seconds(c), i + 1, first_line(c)) for i, c in enumerate(nb.cells)]
    return total, sorted(cells, reverse=True)[:5]


def first_line(cell):
    return (cell.source.splitlines() or [""])[0][:60]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", type=int, default=2, help="processes that keep the cores busy")
    parser.add_argument("--blas-threads", type=int, default=1)
    everything = sorted(p.name for p in SOURCE.iterdir() if p.is_dir())
    parser.add_argument("--notebooks", nargs="*", default=everything)
    parser.add_argument(
        "--plant",
        nargs=3,
        action="append",
        default=[],
        metavar=("GRADE_ID", "OLD", "NEW"),
        help="plant a mistake: replace OLD by NEW in that answer cell",
    )
    args = parser.parse_args()
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(args.busy)]
    try:
        load = os.getloadavg()[0]
        print(
            f"{os.cpu_count()} cores, {args.busy} busy processes, {args.blas_threads} BLAS "
            f"thread(s) per kernel, load {load:.1f} at the start"
        )
        for assignment in args.notebooks:
            total, slowest = run(assignment, args.blas_threads, args.plant)
            print(f"{assignment}: {total:.1f} s in all; slowest cells:")
            for seconds, number, first_line in slowest:
                print(f"  cell {number:>3}: {seconds:6.1f} s  {first_line}")
    finally:
        for spinner in spinners:
            spinner.kill()


if __name__ == "__main__":
    main()
