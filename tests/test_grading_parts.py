"""The grading kernel's parts on their own: the sandbox, the cell runner, the clean re-run."""

import json
import subprocess
import sys

import nbformat
import pytest

from dl_utils.grading.runner import run_notebook
from dl_utils.grading.sandbox import Limits, namespaces_available, sandboxed
from dl_utils.grading.verify import definitions_only, verify

FAST = Limits(cell_timeout=3, interrupt_grace=2, memory_mb=1024, output_kb=4, file_mb=1)


def run_python(code, workdir, hide=(), keep=()):
    command = sandboxed([sys.executable, "-c", code], FAST, workdir, hide, keep)
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_user_namespaces_work_here():
    # the sandbox's folder hiding needs them; CI machines of this project have them
    assert namespaces_available()


def test_hidden_folders_look_empty_and_kept_ones_stay(tmp_path):
    secret = tmp_path / "course" / "source"
    secret.mkdir(parents=True)
    (secret / "solution.ipynb").write_text("### BEGIN SOLUTION")
    work = tmp_path / "course" / "autograded" / "alice"
    work.mkdir(parents=True)
    (work / "mine.txt").write_text("mine")
    code = (
        "import os, numpy\n"
        f"secret = {str(secret)!r}\n"
        "print(sorted(os.listdir(secret)) if os.path.isdir(secret) else 'gone')\n"
        "print(open('mine.txt').read())\n"
    )
    result = run_python(code, work, hide=[str(tmp_path)], keep=[sys.prefix, sys.base_prefix])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["gone", "mine"]


def test_memory_and_file_limits(tmp_path):
    result = run_python("import numpy\nnumpy.ones(10**9)", tmp_path)
    assert "MemoryError" in result.stderr or "Unable to allocate" in result.stderr
    result = run_python("open('big', 'wb').write(b'x' * 5_000_000)", tmp_path)
    assert result.returncode != 0 and (tmp_path / "big").stat().st_size <= 1024 * 1024


def notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def kinds(events):
    return [(e.cell, e.kind) for e in events]


def test_a_long_cell_is_interrupted_and_the_next_ones_run(tmp_path):
    nb = notebook("while True:\n    pass", "print('after')")
    events = run_notebook(nb, tmp_path, FAST)
    assert kinds(events) == [(1, "timeout")]
    assert nb.cells[0].outputs[0].ename == "CellTimeoutError"
    assert nb.cells[1].outputs[0].text == "after\n"


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


def test_output_is_cut(tmp_path):
    nb = notebook("print('x' * 100_000)", "for i in range(10_000):\n    print(i)")
    events = run_notebook(nb, tmp_path, FAST)
    assert kinds(events) == [(1, "output cut"), (2, "output cut")]
    for cell in nb.cells:
        assert sum(len(o.get("text", "")) for o in cell.outputs) < 4 * 1024 + 100
    assert json.dumps(nb.metadata["dl_grading"]["events"])


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


LOCKED = {
    "kind": "locked",
    "source": "import numpy as np\nfrom dl_utils.checks import check_relu",
    "grade_id": None,
    "label": "cell 1",
}
TEST = {
    "kind": "test",
    "source": "check_relu(relu, hidden=True)",
    "grade_id": "relu_tests",
    "label": "cell 3",
}


def replay(tmp_path, answer):
    cells = [
        LOCKED,
        {"kind": "answer", "source": answer, "grade_id": "relu_answer", "label": "cell 2"},
        TEST,
    ]
    return verify(cells, tmp_path, FAST)["relu_tests"]


def test_the_clean_rerun_passes_a_right_answer(tmp_path):
    verdict = replay(tmp_path, "def relu(Z):\n    return np.maximum(0, Z), Z\n")
    assert verdict.passed and not verdict.tampering


@pytest.mark.parametrize(
    "answer, words",
    [
        (
            "def relu(Z):\n    return Z, Z\ncheck_relu = lambda *a, **k: None\n",
            "check_relu rebound",
        ),
        (
            "import dl_utils.checks.core as core\ndef relu(Z):\n    return Z, Z\n"
            "core.close = lambda *a, **k: True\n",
            "dl_utils.checks.core.close replaced",
        ),
        (
            "def relu(Z):\n    import builtins\n"
            "    builtins.isinstance = lambda *a: True\n    return Z, Z\n",
            "builtins.isinstance replaced while the test ran",
        ),
    ],
)
def test_the_clean_rerun_catches_tampering(tmp_path, answer, words):
    verdict = replay(tmp_path, answer)
    assert not verdict.passed and verdict.tampering and words in verdict.detail


def test_a_forged_answer_line_is_ignored(tmp_path):
    answer = (
        'import os\n_ = os.write(1, b\'{"relu_tests": {"passed": true}}\\n\')\n'
        "def relu(Z):\n    return Z, Z\n"
    )
    verdict = replay(tmp_path, answer)
    assert not verdict.passed and not verdict.tampering
