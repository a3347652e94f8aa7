"""The grading's parts on their own: the notebook run in its jail, taking in
submissions, and reading the student's code (what is replayed, what is suspicious)."""

import json

import nbformat
import pytest

from dl_utils.grading.execute import run_notebook
from dl_utils.grading.intake import copy_folder, notebook_problem, split_notebooks
from dl_utils.grading.jail import Limits
from dl_utils.grading.notebook_code import definitions_only
from dl_utils.grading.review import suspicious_code

FAST = Limits(cell_timeout=3, interrupt_grace=2, memory_mb=1024, output_kb=4, file_mb=1)


def notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def kinds(events):
    return [(e.cell, e.kind) for e in events]


@pytest.mark.jail
def test_a_long_cell_is_interrupted_and_the_next_ones_run(tmp_path):
    nb = notebook("while True:\n    pass", "print('after')")
    events = run_notebook(nb, tmp_path, FAST)
    assert kinds(events) == [(1, "timeout")]
    assert nb.cells[0].outputs[0].ename == "CellTimeoutError"
    assert nb.cells[1].outputs[0].text == "after\n"


@pytest.mark.jail
def test_a_cell_that_ignores_the_interrupt_kills_the_kernel(tmp_path):
    nb = notebook(
        "x = 1",
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
        "print('after')",
    )
    events = run_notebook(nb, tmp_path, FAST)
    assert kinds(events) == [(2, "timeout"), (2, "killed")]
    assert nb.cells[1].outputs[-1].ename == "KernelDied"
    assert nb.cells[2].outputs[0].ename == "NotRun"
    assert "cell 2" in nb.cells[2].outputs[0].evalue


@pytest.mark.jail
@pytest.mark.parametrize(
    "source, cause",
    [
        ("import os\nos._exit(3)", "exited with code 3"),
        ("import ctypes\nctypes.string_at(0)", "SIGSEGV"),
    ],
)
def test_a_dead_kernel_is_reported_with_its_cause(tmp_path, source, cause):
    nb = notebook("x = 1", source, "print(x)")
    events = run_notebook(nb, tmp_path, FAST)
    assert kinds(events) == [(2, "kernel died")] and cause in events[0].detail
    assert nb.cells[2].outputs[0].ename == "NotRun"


@pytest.mark.jail
def test_output_is_cut(tmp_path):
    nb = notebook("print('x' * 100_000)", "for i in range(10_000):\n    print(i)")
    events = run_notebook(nb, tmp_path, FAST)
    assert kinds(events) == [(1, "output cut"), (2, "output cut")]
    for cell in nb.cells:
        assert sum(len(o.get("text", "")) for o in cell.outputs) < 4 * 1024 + 100
    assert json.dumps([e.__dict__ for e in events])


def test_definitions_only_keeps_what_defines_and_drops_what_runs():
    source = (
        "import numpy as np\n"
        "EPS = 1e-8\n"
        "def f(x):\n    return x + EPS\n"
        "print(f(1))\n"
        "for i in range(10**9):\n    pass\n"
        "result = train(f)\n"
        "np.allclose = f\n"
    )
    answer = definitions_only(source)
    assert "def f" in answer and "EPS = 1e-08" in answer and "np.allclose = f" in answer
    assert "print" not in answer and "for i" not in answer and "result = train(f)" in answer
    other = definitions_only(source, calls=False)
    assert "result = train" not in other and "def f" in other


@pytest.mark.jail
def test_the_notebook_sees_its_own_files_and_nothing_else(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "helper.py").write_text("VALUE = 42\n")
    (tmp_path / "secret.txt").write_text("secret")
    (work / "link.txt").symlink_to(tmp_path / "secret.txt")
    nb = notebook(
        "import os, helper\n"
        f"print(helper.VALUE, os.path.exists({str(tmp_path / 'secret.txt')!r}), "
        "sorted(n for n in os.listdir('.') if not n.startswith('.')))"
    )
    events = run_notebook(nb, work, FAST)
    assert nb.cells[0].outputs[0].text == "42 False ['helper.py']\n"
    assert [(e.kind, e.detail) for e in events] == [
        ("skipped file", "link.txt is not a regular file")
    ]


@pytest.mark.jail
def test_test_cells_never_reach_the_jail(tmp_path):
    nb = notebook("x = 1", "print('hidden test ran')")
    nb.cells[1].metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "grade_id": "t",
        "points": 1,
    }
    run_notebook(nb, tmp_path, FAST)
    assert nb.cells[1].outputs == []


@pytest.mark.jail
def test_the_whole_run_is_limited(tmp_path):
    limits = Limits(cell_timeout=30, notebook_timeout=4, output_kb=4)
    nb = notebook("import time\ntime.sleep(2)", "time.sleep(2)", "time.sleep(2)", "print('late')")
    events = run_notebook(nb, tmp_path, limits)
    assert ("stopped", "the notebook ran longer than 4 s") in [(e.kind, e.detail) for e in events]
    assert nb.cells[-1].outputs[0].ename == "NotRun"


@pytest.mark.jail
def test_printing_past_the_jails_limit_stops_the_run(tmp_path):
    limits = Limits(cell_timeout=20, output_mb=1, output_kb=4)
    nb = notebook("import os\nfor i in range(64):\n    os.write(1, b'x' * 65536)", "print('after')")
    events = run_notebook(nb, tmp_path, limits)
    assert ("stopped", "it printed more than 1 MB") in [(e.kind, e.detail) for e in events]


def test_outputs_from_the_jail_are_rebuilt_from_plain_fields():
    from dl_utils.grading.execute import clean_outputs

    raw = [
        {"output_type": "stream", "name": "stdout", "text": ["a", "b"]},
        {
            "output_type": "display_data",
            "data": {"text/plain": "x", "text/html": "<script>steal()</script>"},
            "extra": "dropped",
        },
        {"output_type": "display_data", "data": {"application/javascript": "steal()"}},
        {"output_type": "stream", "name": "/etc/passwd", "text": "x"},
        {"output_type": "something else"},
        "not even a dict",
    ]
    cleaned = clean_outputs(raw, 10_000)
    assert [o.output_type for o in cleaned] == ["stream", "display_data"]
    assert cleaned[0].text == "ab" and "extra" not in cleaned[1]
    assert cleaned[1].data == {"text/plain": "x"}, "nothing a browser would run"


# --- taking in submissions ---------------------------------------------------------------------


def test_copying_a_submission_never_follows_a_link(tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.txt").write_text("secret")
    submission = tmp_path / "submission"
    (submission / "sub").mkdir(parents=True)
    (submission / "a.ipynb").write_text("{}")
    (submission / "sub" / "b.txt").write_text("b")
    (submission / "link.txt").symlink_to(secret / "key.txt")
    (submission / "folder").symlink_to(secret)
    (submission / ".ipynb_checkpoints").mkdir()
    notes = copy_folder(submission, tmp_path / "copy")
    copied = sorted(str(p.relative_to(tmp_path / "copy")) for p in (tmp_path / "copy").rglob("*"))
    assert copied == ["a.ipynb", "sub", "sub/b.txt"]
    assert notes == [
        "folder is a symbolic link (left out)",
        "link.txt is a symbolic link (left out)",
    ]


def test_extra_notebooks_are_left_out_and_noted(tmp_path):
    (tmp_path / "01_step_by_step.ipynb").write_text("{}")
    (tmp_path / "scratch.ipynb").write_text("{}")
    missing, notes = split_notebooks(tmp_path, ["01_step_by_step.ipynb", "other.ipynb"])
    assert missing == ["other.ipynb"]
    assert notes == ["scratch.ipynb is not a notebook of this assignment (not graded)"]
    assert not (tmp_path / "scratch.ipynb").exists()


@pytest.mark.parametrize(
    "content, words",
    [
        (b'{"cells": [ not json', "not valid JSON"),
        (b"\xff\xfe binary", "not text"),
        (b"[1, 2]", "no list of cells"),
        (b'{"cells": []}', None),
        (b'{"cells": [], "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
        (b'{"cells": [], "x": ' + b"[" * 500 + b"]" * 500 + b"}", "nested too deeply"),
    ],
    ids=["not json", "binary", "no cells", "fine", "very deep", "deep"],
)
def test_a_notebook_that_cannot_be_read_gets_its_own_reason(tmp_path, content, words):
    path = tmp_path / "nb.ipynb"
    path.write_bytes(content)
    problem = notebook_problem(path)
    assert problem is None if words is None else words in problem


# --- reading the student's code -------------------------------------------------------------


def test_suspicious_code_is_named_and_ordinary_code_is_not():
    nb = notebook(
        "import numpy as np\nnp.allclose = lambda *a: True",
        "check_relu = print",
        "import ctypes, os\nos._exit(1)",
        "def f(g):\n    g.__code__ = None",
        "import numpy as np\nx = np.zeros(3)\nx[0] = 1\nparams = {}\nparams['W1'] = x",
    )
    found = suspicious_code(nb, {"check_relu", "np"})
    assert found == [
        ("cell 1", "replaces np.allclose"),
        ("cell 2", "rebinds check_relu, which the notebook's locked cells import"),
        ("cell 3", "imports ctypes"),
        ("cell 3", "ends its own process (os._exit)"),
        ("cell 4", "uses __code__, the internals of functions and modules"),
    ]
