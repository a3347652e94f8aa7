"""The judge on its own: the instructor's tests against a student's code held in a jail.

Each test changes one answer cell of the instructor's notebook and judges it:
the verdicts must come out right whatever the student's code does in its own
process, and every failure must name its real cause.
"""

import copy

import nbformat
import numpy as np
import pytest
from grading_helpers import COURSE, solution_code

from dl_utils.grading.jail import Limits
from dl_utils.grading.judge import Judge, judge_notebook

FAST = Limits(
    call_timeout=3, check_budget=10, cell_timeout=4, judge_timeout=120, output_mb=4, memory_mb=1024
)

pytestmark = pytest.mark.jail  # see conftest.py


def source(assignment):
    return nbformat.read(COURSE / "source" / assignment / f"{assignment}.ipynb", as_version=4)


STEP = source("01_step_by_step")


def submission(answers, assignment_nb=STEP):
    """The instructor's notebook with some answer cells replaced ({grade_id: source})."""
    nb = copy.deepcopy(assignment_nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
        elif cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = solution_code(cell.source)
    return nb


def failures(answers, assignment_nb=STEP, limits=FAST):
    """{grade_id: (kind, error name, message)} of the tests that failed, and the notes."""
    verdicts, notes = judge_notebook(assignment_nb, submission(answers, assignment_nb), limits)
    failed = {g: (v.kind, *v.error) for g, v in verdicts.items() if not v.passed}
    return failed, notes


RELU = "def relu(Z):\n    return np.maximum(0, Z), Z\n"
WRONG_RELU = "def relu(Z):\n    return Z, Z\n"


def test_the_solutions_pass_every_test():
    for assignment in ("01_step_by_step", "04_gradient_checking"):
        nb = source(assignment)
        failed, notes = failures({}, nb)
        assert failed == {} and notes.dropped == {}, assignment


def test_a_wrong_answer_fails_its_own_test_only_with_the_checks_hint():
    failed, _ = failures(
        {"linear_forward_answer": "def linear_forward(A, W, b):\n    return W * A + b, (A, W, b)\n"}
    )
    assert list(failed) == ["linear_forward_tests"]
    kind, name, message = failed["linear_forward_tests"]
    assert (kind, name) == ("checked", "CheckFailed") and "np.dot(W, A)" in message


PATCHES = {
    "numpy": "np.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = print\n",
    "json": "import json\njson.dumps = lambda *a, **k: '{}'\n",
    "the checks": "import dl_utils.checks.report as c\nc.Checker.fail = lambda *a: None\n",
    "the check's name": "check_relu = lambda *a, **k: None\n",
    "code of np.all": "np.all.__code__ = (lambda *a, **k: True).__code__\n",
    # these two break the worker's own code too: the student loses, never gains
    "builtins": "import builtins\nbuiltins.isinstance = lambda *a: True\n",
    "gc": "import gc\n"
    "for f in [o for o in gc.get_objects() if callable(o)][:5000]:\n"
    "    try:\n"
    "        f.__code__ = (lambda *a, **k: None).__code__\n"
    "    except Exception:\n"
    "        pass\n",
}
SELF_HARMING = {"builtins", "gc"}


@pytest.mark.parametrize("name", PATCHES)
def test_rewriting_the_students_own_process_never_earns_a_point(name):
    failed, _ = failures({"relu_answer": PATCHES[name] + WRONG_RELU})
    assert "relu_tests" in failed


@pytest.mark.parametrize("name", sorted(set(PATCHES) - SELF_HARMING))
def test_rewriting_the_students_own_process_costs_a_right_answer_nothing(name):
    failed, _ = failures({"relu_answer": PATCHES[name] + RELU})
    assert "relu_tests" not in failed


def test_what_the_jail_hides_cannot_help(tmp_path):
    secret = tmp_path / "hidden_answer.txt"
    secret.write_text("right")
    gradebook = COURSE / "nbgrader_config.py"
    peek = (
        "def relu(Z):\n"
        "    for path in [{secret!r}, {gradebook!r}, {source!r}, '/root/.bash_history']:\n"
        "        try:\n"
        "            open(path).read()\n"
        "            return np.maximum(0, Z), Z\n"
        "        except OSError:\n"
        "            pass\n"
        "    return Z, Z\n"
    ).format(
        secret=str(secret),
        gradebook=str(gradebook),
        source=str(COURSE / "source" / "01_step_by_step" / "01_step_by_step.ipynb"),
    )
    failed, _ = failures({"relu_answer": peek})
    assert "relu_tests" in failed


@pytest.mark.parametrize(
    "answer, words",
    [
        (
            "import dl_utils\n"
            "def linear_backward(dZ, cache):\n    return dl_utils.linear_backward(dZ, cache)\n",
            "it calls the reference dl_utils.linear_backward",
        ),
        (
            "from dl_utils.layers import linear_backward as lb\n"
            "def linear_backward(dZ, cache):\n    return lb(dZ, cache)\n",
            "it calls the reference dl_utils.layers.linear_backward",
        ),
        (
            "import importlib\n"
            "def linear_backward(dZ, cache):\n"
            "    return importlib.import_module('dl_' + 'utils').linear_backward(dZ, cache)\n",
            "No module named 'dl_utils'",
        ),
    ],
    ids=["import", "from import", "importlib"],
)
def test_delegating_to_the_reference_earns_nothing(answer, words):
    failed, _ = failures({"linear_backward_answer": answer})
    assert list(failed) == ["linear_backward_tests"]
    assert words in failed["linear_backward_tests"][2]
    assert "earns no credit" in failed["linear_backward_tests"][2]


def test_a_course_function_the_exercise_does_not_allow_is_refused():
    application = source("02_application")
    answer = (
        "def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,\n"
        "                    print_cost=False):\n"
        "    f = globals()['fast_L_' + 'layer_model']\n"
        "    return f(X, Y, list(layers_dims), learning_rate=learning_rate,\n"
        "             num_iterations=num_iterations)\n"
    )
    failed, _ = failures({"two_layer_model_answer": answer}, application)
    assert list(failed) == ["two_layer_model_tests"]
    assert (
        "calls the reference dl_utils.fast_training.fast_L_layer_model"
        in failed["two_layer_model_tests"][2]
    )


@pytest.mark.parametrize(
    "body, words",
    [
        ("    while True:\n        pass\n", "ran longer than 3 s"),
        ("    import os\n    os._exit(3)\n", "exited with code 3"),
        ("    import ctypes\n    ctypes.string_at(0)\n", "crashed (SIGSEGV)"),
        ("    hoard = []\n    while True:\n        hoard.append(np.empty(10**8))\n", "MemoryError"),
        (
            "    import os\n    os.write(1, b'x' * 2**20 * 8)\n    return Z, Z\n",
            "printed more than",
        ),
    ],
    ids=["loop", "os._exit", "segfault", "memory", "output flood"],
)
def test_a_function_that_never_answers_fails_its_test_with_the_cause(body, words):
    failed, _ = failures({"sigmoid_answer": "def sigmoid(Z):\n" + body})
    assert set(failed) == {"sigmoid_tests"}, "the other tests are judged as usual"
    assert words in failed["sigmoid_tests"][2]


def test_a_worker_that_breaks_the_protocol_is_tampering():
    forge = (
        "import os, sys\n"
        "def relu(Z):\n"
        "    os.write(int(sys.argv[2]), b'\\x00\\x00\\x00\\x10{not json at all}')\n"
        "    return np.maximum(0, Z), Z\n"
    )
    failed, _ = failures({"relu_answer": forge})
    # relu's own test, and those of the functions that call it
    calls_relu = {"linear_activation_forward_tests", "L_model_forward_tests", "L_layer_model_tests"}
    assert set(failed) == {"relu_tests"} | calls_relu
    assert {kind for kind, _, _ in failed.values()} == {"tampering"}


def test_results_that_lie_about_themselves_are_judged_by_their_plain_value():
    liar = (
        "class Equal(np.ndarray):\n"
        "    def __eq__(self, other):\n"
        "        return np.ones(np.shape(other), dtype=bool)\n"
        "    def __sub__(self, other):\n"
        "        return np.zeros(np.shape(other))\n"
        "def relu(Z):\n"
        "    return np.zeros_like(Z).view(Equal), Z\n"
    )
    failed, _ = failures({"relu_answer": liar})
    assert "relu_tests" in failed


def test_a_cell_whose_replay_never_ends_is_left_out_and_said_so():
    endless = "forever = sum(1 for _ in iter(int, 1))\n"  # replayed, and never ends
    failed, notes = failures({"relu_answer": endless + RELU})
    assert failed["relu_tests"][1:] == (
        "NameError",
        "relu is not defined in the notebook: write it in its answer cell (some cells could "
        f"not be replayed, so what they define is missing: {list(notes.dropped)[0]}: ran "
        "longer than 3 s)",
    )


def test_a_failed_import_does_not_hide_the_definitions_after_it():
    answer = "import no_such_module\n" + RELU
    failed, _ = failures({"relu_answer": answer})
    assert "relu_tests" not in failed


def test_the_judges_time_is_limited():
    limits = Limits(call_timeout=3, check_budget=10, cell_timeout=4, judge_timeout=8)
    slow = "import time\ndef relu(Z):\n    time.sleep(1)\n    return np.maximum(0, Z), Z\n"
    failed, _ = failures({"relu_answer": slow}, STEP, limits)
    kinds = {kind for kind, _, _ in failed.values()}
    assert "not judged" in kinds
    assert all(
        "judging time" in message for kind, _, message in failed.values() if kind == "not judged"
    )


def test_a_test_without_a_verdict_is_a_failure():
    from dl_utils.grading.autograde import apply_verdicts

    nb = submission({})
    judged = apply_verdicts(nb, {})
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert tests and all(c.outputs[-1].ename == "NotJudged" for c in tests)
    assert {verdict["kind"] for verdict in judged.values()} == {"not judged"}


def test_what_a_function_printed_is_counted():
    nb = submission(
        {"relu_answer": "def relu(Z):\n    print('hello ' * 10)\n    return np.maximum(0, Z), Z\n"}
    )
    judge = Judge(STEP, nb, FAST)
    try:
        record = judge.function("relu").call_remote([np.ones((2, 2))], {}, 3)
        assert record.printed == 61 and record.printed_text.startswith("hello")
    finally:
        judge.close()


def test_what_a_function_prints_becomes_a_note_in_its_verdict():
    printing = "def relu(Z):\n    print('debug ' * 1000)\n    return np.maximum(0, Z), Z\n"
    verdicts, _ = judge_notebook(STEP, submission({"relu_answer": printing}), FAST)
    verdict = verdicts["relu_tests"]
    assert verdict.passed and "debug" not in verdict.output
    assert "note: relu printed" in verdict.output
