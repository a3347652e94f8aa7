"""Broken and hostile submissions of the step-by-step notebook, with the outcome each must get.

Each entry builds one student's submission folder and states what the grading
report must say. ``answer`` replaces one answer cell (others hold the
instructor's solution); ``edit`` changes the notebook further; ``files``
replaces the whole submission. Expected outcomes:

    status   graded / partly graded / tampering / not graded
    lost     the test cells that lose their points, or ("from", grade_id):
             every test cell from that answer cell on (the kernel died there)
    reason   words the report's reason (or its notes) must contain

Scores are not pasted: the test computes them from the notebook's points.
"""

SOLUTION_LINEAR_FORWARD = '''
def linear_forward(A, W, b):
    """Z = W A + b."""
    Z = np.dot(W, A) + b
    return Z, (A, W, b)
'''

CORRECT_RELU = '''
def relu(Z):
    """ReLU."""
    return np.maximum(0, Z), Z
'''

CORRECT_SIGMOID = '''
def sigmoid(Z):
    """Sigmoid."""
    return 1 / (1 + np.exp(-Z)), Z
'''

DELEGATES = """
import dl_utils
def linear_backward(dZ, cache):
    return dl_utils.linear_backward(dZ, cache)
"""

# {paths} becomes the real (course folder, kit folder) when the test builds it
READS_OTHER_FILES = """
import glob
COURSE, KIT = {paths}
patterns = [
    COURSE + "/source/*/*.ipynb",
    COURSE + "/gradebook.db",
    COURSE + "/submitted/*/*/*.ipynb",
    KIT + "/notebooks/source/*/*.ipynb",
    KIT + "/tests/submissions/*.py",
    KIT + "/.git/config",
    "/tmp/dl-grading-*/courses/*/gradebook.db",
    "/tmp/dl-grading-*/courses/gradebook.db",
    "/tmp/dl-grading-*/courses/*/submitted/*/*/*.ipynb",
    "/tmp/pytest-of-*/*/*/*/source/*/*.ipynb",
]
found = [path for pattern in patterns for path in glob.glob(pattern)]
print("FOUND", len(found), found[:5])
"""


def _duplicate(grade_ids):
    def edit(nb):
        for grade_id in grade_ids:
            index = next(
                i
                for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
            )
            nb.cells.insert(index + 1, nb.cells[index].copy())

    return edit


def _delete(grade_id):
    def edit(nb):
        nb.cells = [
            c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id
        ]

    return edit


def _set_source(grade_id, source):
    def edit(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                cell.source = source

    return edit


def _to_markdown(grade_id):
    def edit(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                cell.cell_type = "markdown"
                cell.pop("outputs", None)
                cell.pop("execution_count", None)

    return edit


HOSTILE = [
    {
        "name": "infinite_loop_in_answer",
        "answer": (
            "linear_forward_answer",
            "def linear_forward(A, W, b):\n    while True:\n        pass\n",
        ),
        "status": "graded",
        "lost": ["linear_forward_tests"],
        "reason": "",
    },
    {
        "name": "loop_at_top_level",
        "answer": ("relu_answer", "while True:\n    pass\n" + CORRECT_RELU),
        "status": "graded",
        "lost": ["relu_tests"],
        "reason": "interrupted",
    },
    {
        "name": "loop_ignoring_ctrl_c",
        "answer": (
            "compute_cost_answer",
            "import signal\n"
            "def compute_cost(AL, Y):\n"
            "    m = Y.shape[1]\n"
            "    return np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)\n"
            "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "while True:\n"
            "    pass\n",
        ),
        "status": "partly graded",
        "lost": ("from", "compute_cost_answer"),
        "reason": "did not stop when interrupted",
    },
    {
        "name": "memory_bomb",
        "answer": (
            "sigmoid_answer",
            "def sigmoid(Z):\n"
            "    hoard = []\n"
            "    while True:\n"
            "        hoard.append(np.ones(10**7))\n",
        ),
        "status": "graded",
        "lost": ["sigmoid_tests"],
        "reason": "",
    },
    {
        "name": "enormous_print",
        "answer": ("relu_answer", CORRECT_RELU + "print('x' * 50_000_000)\n"),
        "status": "graded",
        "lost": [],
        "reason": "output",
    },
    {
        "name": "sys_exit",
        "answer": ("sigmoid_answer", CORRECT_SIGMOID + "import sys\nsys.exit()\n"),
        "status": "graded",
        "lost": [],
        "reason": "",
    },
    {
        "name": "os_exit",
        "answer": (
            "L_model_backward_answer",
            "import os\nos._exit(1)\n",
        ),
        "status": "partly graded",
        "lost": ("from", "L_model_backward_answer"),
        "reason": "kernel died in cell",
    },
    {
        "name": "crashing_kernel",
        "answer": ("update_parameters_answer", "import ctypes\nctypes.string_at(0)\n"),
        "status": "partly graded",
        "lost": ("from", "update_parameters_answer"),
        "reason": "SIGSEGV",
    },
    {
        "name": "deleted_answer_cell",
        "edit": _delete("relu_answer"),
        "status": "graded",
        "lost": ["relu_tests"],
        "reason": "",
    },
    {
        "name": "deleted_test_cell",
        "answer": (
            "linear_forward_answer",
            "def linear_forward(A, W, b):\n    return W * A + b, (A, W, b)\n",
        ),
        "edit": _delete("linear_forward_tests"),
        "status": "graded",
        "lost": ["linear_forward_tests"],
        "reason": "",
    },
    {
        "name": "duplicated_cells",
        "edit": _duplicate(["linear_forward_answer", "linear_forward_tests"]),
        "status": "graded",
        "lost": [],
        "reason": "",
    },
    {
        "name": "edited_locked_test_cell",
        "answer": (
            "linear_forward_answer",
            "def linear_forward(A, W, b):\n    return W * A + b, (A, W, b)\n",
        ),
        "edit": _set_source("linear_forward_tests", "print('all good')\n"),
        "status": "graded",
        "lost": ["linear_forward_tests"],
        "reason": "",
    },
    {
        "name": "cell_turned_into_markdown",
        "edit": _to_markdown("linear_backward_answer"),
        "status": "graded",
        "lost": [],
        "reason": "",
    },
    {
        "name": "renamed_function",
        "answer": (
            "linear_forward_answer",
            SOLUTION_LINEAR_FORWARD.replace("def linear_forward", "def linear_fwd"),
        ),
        "status": "graded",
        "lost": ["linear_forward_tests"],
        "reason": "",
    },
    {
        "name": "not_json",
        "files": {"01_step_by_step.ipynb": '{"cells": [ this is not json'},
        "status": "not graded",
        "lost": "all",
        "reason": "not valid JSON",
    },
    {
        "name": "missing_notebook",
        "files": {"my_notes.txt": "I could not finish the notebook."},
        "status": "not graded",
        "lost": "all",
        "reason": "no notebook",
    },
    {
        "name": "patches_numpy",
        "answer": (
            "compute_cost_answer",
            "def compute_cost(AL, Y):\n"
            "    return np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))\n"
            "np.testing.assert_allclose = lambda *args, **kwargs: None\n"
            "np.allclose = lambda *args, **kwargs: True\n",
        ),
        "status": "tampering",
        "lost": ("from", "compute_cost_answer"),
        "reason": "tampering detected in exercise compute_cost",
    },
    {
        "name": "patches_the_reference",
        "answer": (
            "linear_forward_answer",
            "import dl_utils.layers\n"
            "def linear_forward(A, W, b):\n"
            "    return np.dot(W, A), (A, W, b)\n"
            "dl_utils.layers.linear_forward = linear_forward\n",
        ),
        "status": "tampering",
        "lost": ("from", "linear_forward_answer"),
        "reason": "tampering detected in exercise linear_forward",
    },
    {
        "name": "rebinds_a_check",
        "answer": (
            "relu_answer",
            "def relu(Z):\n    return Z, Z\ncheck_relu = lambda *args, **kwargs: None\n",
        ),
        "status": "tampering",
        "lost": ["relu_tests"],
        "reason": "check_relu rebound",
    },
    {
        "name": "patches_the_checks",
        "answer": (
            "relu_answer",
            "import dl_utils.checks\n"
            "def relu(Z):\n    return Z, Z\n"
            "dl_utils.checks.check_relu = check_relu = lambda *args, **kwargs: None\n",
        ),
        "status": "tampering",
        "lost": ("from", "relu_answer"),
        "reason": "tampering detected in exercise",
    },
    {
        "name": "delegates_to_the_reference",
        "answer": ("linear_backward_answer", DELEGATES),
        "status": "graded",
        "lost": ["linear_backward_tests"],
        "reason": "",
        "hint": "earns no credit",
    },
    {
        "name": "reads_other_files",
        "answer": ("sigmoid_answer", CORRECT_SIGMOID + READS_OTHER_FILES),
        "status": "graded",
        "lost": [],
        "reason": "",
        "output": "FOUND 0 []",
    },
]
