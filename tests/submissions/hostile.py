"""Broken and hostile submissions of the step-by-step notebook, with the outcome each must get.

The entries are grouped by the class of attack, not by the trick: whatever a
student's code rewrites in its own process, the grades come from the judge;
whatever it tries to read, write or leave running, the jail stops it; whatever
it does to the submission's files, the grader reads them without following a
path the student made.

Each entry builds one student's submission folder and states what the grading
must say:

    answer   (grade_id, source): replaces one answer cell (the others hold the
             instructor's solution); a source that mentions ``_given`` gets
             the line ``_given = {...}`` first, with the values of ``FIELDS``
    edit     a function changing the notebook further
    files    {file name: text} replacing the whole submission
    build    a function (folder, course, fields) writing the submission itself
    status   graded / partly graded / tampering / not graded
    lost     the test cells that lose their points, or "all"
    words    words the outcome's reason or notes must contain ("" for none)
    output   words the graded notebook's outputs must contain

Scores are not pasted: the test computes them from the notebook's points.
"""

import json

# What the test gives the sources, as _given[name]:
#   token     a random word written in every decoy secret
#   patterns  glob patterns of what a submission must never see
#   targets   files a submission must never change
#   marker    a random sleep length: a process left behind would show it
FIELDS = ("token", "patterns", "targets", "marker")

RELU = "def relu(Z):\n    return np.maximum(0, Z), Z\n"
WRONG_RELU = "def relu(Z):\n    return Z, Z\n"
SIGMOID = "def sigmoid(Z):\n    return 1 / (1 + np.exp(-Z)), Z\n"
COMPUTE_COST = (
    "def compute_cost(AL, Y):\n"
    "    m = Y.shape[1]\n"
    "    return np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)\n"
)
UPDATE = (
    "def update_parameters(parameters, grads, learning_rate):\n"
    "    L = len(parameters) // 2\n"
    "    new = {}\n"
    "    for l in range(1, L + 1):\n"
    "        new[f'W{l}'] = parameters[f'W{l}'] - learning_rate * grads[f'dW{l}']\n"
    "        new[f'b{l}'] = parameters[f'b{l}'] - learning_rate * grads[f'db{l}']\n"
    "    return new\n"
)
# the tests that call relu, through the functions built on it
USES_RELU = ["linear_activation_forward_tests", "L_model_forward_tests", "L_layer_model_tests"]

# --- reading what must stay hidden -------------------------------------------------------

LOOK_AROUND = """
import glob, os
def look_around():
    found = []
    for pattern in _given["patterns"]:
        for path in glob.glob(pattern):
            try:
                with open(path, errors="replace") as f:
                    text = f.read(2_000_000)
            except OSError:
                continue
            if _given["token"] in text or "BEGIN HIDDEN TESTS" in text or text.startswith("SQLite"):
                found.append(path)
    secrets = [k for k, v in os.environ.items() if _given["token"] in v]
    return found + secrets
"""
READS_IN_THE_KERNEL = LOOK_AROUND + SIGMOID + "print('FOUND', len(look_around()))\n"
READS_IN_THE_JUDGES_WORKER = (
    LOOK_AROUND
    + "def relu(Z):\n"
    + "    if look_around():\n"
    + "        return np.maximum(0, Z), Z\n"
    + "    return Z, Z\n"
)

# --- getting out of the jail ---------------------------------------------------------------

ESCAPE = """
import ctypes, os
def escape():
    libc = ctypes.CDLL(None, use_errno=True)
    done = []
    for target in [b"/home/student", b"/tmp", b"/usr", b"/proc", b"/"]:
        if libc.umount2(target, 2) == 0:
            done.append(target)
    if libc.mount(None, b"/usr", None, 32 | 4096, None) == 0:  # MS_REMOUNT | MS_BIND: read-write
        done.append(b"remount /usr")
    if libc.unshare(0x10000000 | 0x00020000) == 0:  # a user and mount namespace of its own
        done.append(b"unshare")
    for attempt in (lambda: os.setuid(0), lambda: os.chroot("/")):
        try:
            attempt()
            done.append(b"privileged call")
        except OSError:
            pass
    return done
"""
ESCAPES = ESCAPE + RELU + "_escaped = escape()\nprint('ESCAPED', _escaped)\n"

WRITE_OUTSIDE = """
import glob
def write_outside():
    wrote = []
    for pattern in _given["targets"]:
        for path in glob.glob(pattern) or [pattern]:
            try:
                with open(path, "a") as f:
                    f.write("tampered")
                wrote.append(path)
            except OSError:
                pass
    with open("/tmp/dl-written-" + _given["token"] + ".txt", "w") as f:  # the jail's own /tmp
        f.write("written in the jail")
    return wrote
"""
WRITES_OUTSIDE = WRITE_OUTSIDE + RELU + "_wrote = write_outside()\nprint('WROTE', len(_wrote))\n"

# --- leaving something behind ----------------------------------------------------------------

DAEMON = """
import os, time
def leave_a_daemon():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sleep", ["sleep", _given["marker"]])
        os._exit(0)
    time.sleep(0.3)
    with open("/tmp/dl-leftover-" + _given["token"] + ".txt", "w") as f:
        f.write("left behind")
    return True
"""
LEAVES_A_DAEMON = DAEMON + RELU + "_daemon = leave_a_daemon()\nprint('DAEMON STARTED')\n"

# --- harming the others ------------------------------------------------------------------------

FORK_BOMB = (
    SIGMOID + "import os, time\n"
    "children = 0\n"
    "try:\n"
    "    while children < 10_000:\n"
    "        if os.fork() == 0:\n"
    "            time.sleep(20)\n"
    "            os._exit(0)\n"
    "        children += 1\n"
    "except OSError:\n"
    "    pass\n"
    "print('FORKS REFUSED AFTER', children)\n"
)
DISK_FILLER = (
    SIGMOID + "written = 0\n"
    "for folder in ['.', '/tmp', '/dev/shm']:\n"
    "    try:\n"
    "        with open(folder + '/filler', 'wb') as f:\n"
    "            for i in range(4096):\n"
    "                f.write(b'x' * 2**20)\n"
    "                written += 1\n"
    "    except OSError:\n"
    "        pass\n"
    "print('DISK FULL AFTER', written, 'MB')\n"
)
MEMORY_HOG = (
    SIGMOID + "import os\n"
    "children = []\n"
    "for i in range(3):\n"
    "    pid = os.fork()\n"
    "    if pid == 0:\n"
    "        try:\n"
    "            hoard = b'x' * (700 * 2**20)  # written: really used\n"
    "        except MemoryError:\n"
    "            pass\n"
    "        os._exit(0)\n"
    "    children.append(pid)\n"
    "for pid in children:\n"
    "    os.waitpid(pid, 0)\n"
    "print('MEMORY HOG DONE')\n"
)
KILLS_EVERYTHING = (
    UPDATE + "import os, signal\n_killed = os.kill(-1, signal.SIGKILL)  # all it can see\n"
)
CPU_HOG = (
    SIGMOID + "import threading, time\n"
    "def spin():\n"
    "    end = time.time() + 3\n"
    "    while time.time() < end:\n"
    "        pass\n"
    "threads = [threading.Thread(target=spin) for i in range(8)]\n"
    "for thread in threads:\n"
    "    thread.start()\n"
    "for thread in threads:\n"
    "    thread.join()\n"
)
FD_FLOOD = SIGMOID + "import os\nfor i in range(64):\n    os.write(1, b'x' * 2**20)\n"

# --- the judge's protocol ----------------------------------------------------------------------

GARBAGE_ON_THE_CHANNEL = (
    "import os, sys\n"
    "def relu(Z):\n"
    "    os.write(int(sys.argv[2]), b'\\x00\\x00\\x00\\x0c{not json!}')\n"
    "    return np.maximum(0, Z), Z\n"
)
FORGED_ANSWER = (
    "import gc, os, sys\n"
    "def relu(Z):\n"
    "    for thing in gc.get_objects():\n"
    "        if type(thing).__name__ == 'Channel':\n"
    "            thing.send({'op': 'returned', 'value': (Z, Z), 'args_after': [Z, Z, Z],\n"
    "                        'kwargs_after': {}})\n"
    "    return np.maximum(0, Z), Z\n"
)
HUGE_RESULT = "def relu(Z):\n    return np.zeros(25_000_000), Z\n"

# --- nbgrader's metadata and the submission's files ------------------------------------------


def _cells(nb, grade_id):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]


def _duplicate(grade_ids):
    def edit(nb):
        for grade_id in grade_ids:
            cell = _cells(nb, grade_id)[0]
            nb.cells.insert(nb.cells.index(cell) + 1, cell.copy())

    return edit


def _delete(grade_id):
    def edit(nb):
        nb.cells = [c for c in nb.cells if c not in _cells(nb, grade_id)]

    return edit


def _change(cell_id, **changes):
    def edit(nb):
        for cell in _cells(nb, cell_id):
            cell.metadata.nbgrader.update(changes)

    return edit


def _set_source(grade_id, source):
    def edit(nb):
        for cell in _cells(nb, grade_id):
            cell.source = source

    return edit


def _to_markdown(grade_id):
    def edit(nb):
        for cell in _cells(nb, grade_id):
            cell.cell_type = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)

    return edit


def _move_to_the_end(grade_id):
    def edit(nb):
        cell = _cells(nb, grade_id)[0]
        nb.cells.remove(cell)
        nb.cells.append(cell)

    return edit


def _script_in_markdown(nb):
    import nbformat

    nb.cells.insert(
        2,
        nbformat.v4.new_markdown_cell(
            "My notes <script>alert('markdown')</script> <img src=x onerror=\"alert('image')\">"
        ),
    )


def _deeply_nested(folder, course, fields):
    text = '{"cells": [], "metadata": ' + "[" * 200_000 + "]" * 200_000 + "}"
    (folder / "01_step_by_step.ipynb").write_text(text)


def _notebook_is_a_link(folder, course, fields):
    source = course.path("source", "01_step_by_step", "01_step_by_step.ipynb")
    (folder / "01_step_by_step.ipynb").unlink()
    (folder / "01_step_by_step.ipynb").symlink_to(source)


def _link_beside_the_notebook(folder, course, fields):
    (folder / "gradebook.db").symlink_to(course.path("gradebook.db"))
    (folder / "answers").symlink_to(course.path("source"))


def _scratch_notebook(folder, course, fields):
    scratch = json.loads((folder / "01_step_by_step.ipynb").read_text())
    (folder / "scratch.ipynb").write_text(json.dumps(scratch))


HOSTILE = [
    # --- rewriting its own process: the judge does not share it ---
    {
        "name": "patches_numpy_with_right_answers",
        "answer": (
            "compute_cost_answer",
            COMPUTE_COST
            + "np.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = print\n",
        ),
        "status": "graded",
        "lost": [],
        "words": "replaces np.allclose",
    },
    {
        "name": "patches_numpy_with_a_wrong_answer",
        "answer": (
            "compute_cost_answer",
            "def compute_cost(AL, Y):\n    return np.squeeze(-np.sum(Y * np.log(AL)))\n"
            "np.allclose = lambda *a, **k: True\nnp.all = lambda *a, **k: True\n",
        ),
        "status": "graded",
        "lost": ["compute_cost_tests"],
        "words": "replaces np.allclose",
    },
    {
        "name": "silences_the_checks",
        "answer": (
            "relu_answer",
            "import dl_utils.checks.report as report, dl_utils.checks.compare as compare\n"
            "report.Checker.fail = lambda *a, **k: None\n"
            "compare.close = lambda *a, **k: True\n" + WRONG_RELU,
        ),
        "status": "graded",
        "lost": ["relu_tests"],
        "words": "replaces report.Checker.fail",
    },
    {
        "name": "empties_the_hidden_cases",
        "answer": (
            "sigmoid_answer",
            "import dl_utils.checks.forward as forward\n"
            "forward.ACTIVATION_HIDDEN.clear()\n"
            "check_sigmoid.__code__ = (lambda *a, **k: None).__code__\n"
            "def sigmoid(Z):\n    return Z, Z\n",
        ),
        "status": "graded",
        "lost": ["sigmoid_tests"],
        "words": "uses __code__",
    },
    {
        "name": "rebinds_a_check",
        "answer": ("relu_answer", WRONG_RELU + "check_relu = lambda *args, **kwargs: None\n"),
        "status": "graded",
        "lost": ["relu_tests"],
        "words": "rebinds check_relu",
    },
    {
        "name": "rewrites_code_through_gc_and_frames",
        "answer": (
            "linear_forward_answer",
            "import gc, sys\n"
            "def linear_forward(A, W, b):\n"
            "    frame = sys._getframe()\n"
            "    while frame.f_back is not None:\n"
            "        frame = frame.f_back\n"
            "    for f in gc.get_objects():\n"
            "        if callable(f) and getattr(f, '__name__', '') in ('close', 'fail', 'ok'):\n"
            "            try:\n"
            "                f.__code__ = (lambda *a, **k: True).__code__\n"
            "            except (AttributeError, TypeError, ValueError):\n"
            "                pass\n"
            "    return W * A + b, (A, W, b)\n",
        ),
        "status": "graded",
        "lost": ["linear_forward_tests"],
        "words": "reads the interpreter's frames",
    },
    {
        "name": "deletes_the_imports_cell",
        "edit": _delete("imports"),
        "status": "graded",
        "lost": [],
        "words": "",
    },
    {
        "name": "moves_the_imports_cell_to_the_end",
        "edit": _move_to_the_end("imports"),
        "status": "graded",
        "lost": [],
        "words": "",
    },
    {
        "name": "delegates_to_the_reference",
        "answer": (
            "linear_backward_answer",
            "import dl_utils\n"
            "def linear_backward(dZ, cache):\n    return dl_utils.linear_backward(dZ, cache)\n",
        ),
        "status": "graded",
        "lost": ["linear_backward_tests"],
        "words": "",
        "output": "earns no credit",
    },
    {
        "name": "delegates_through_importlib",
        "answer": (
            "linear_backward_answer",
            "import importlib\n"
            "def linear_backward(dZ, cache):\n"
            "    reference = importlib.import_module('dl_' + 'utils')\n"
            "    return reference.linear_backward(dZ, cache)\n",
        ),
        "status": "graded",
        "lost": ["linear_backward_tests"],
        "words": "imports importlib",
        "output": "earns no credit",
    },
    # --- functions that never answer: their own test, with the cause ---
    {
        "name": "infinite_loop_in_a_function",
        "answer": (
            "linear_forward_answer",
            "def linear_forward(A, W, b):\n    while True:\n        pass\n",
        ),
        "status": "graded",
        "lost": ["linear_forward_tests"],
        "words": "",
        "output": "was stopped",
    },
    {
        "name": "memory_bomb_in_a_function",
        "answer": (
            "sigmoid_answer",
            "def sigmoid(Z):\n    hoard = []\n"
            "    while True:\n        hoard.append(np.empty(10**8))\n",
        ),
        "status": "graded",
        "lost": ["sigmoid_tests"],
        "words": "",
        "output": "MemoryError",
    },
    {
        "name": "os_exit_in_a_function",
        "answer": ("sigmoid_answer", "import os\ndef sigmoid(Z):\n    os._exit(0)\n"),
        "status": "graded",
        "lost": ["sigmoid_tests"],
        "words": "ends its own process",
        "output": "exited with code 0",
    },
    {
        "name": "crash_in_a_function",
        "answer": ("relu_answer", "import ctypes\ndef relu(Z):\n    return ctypes.string_at(0)\n"),
        "status": "graded",
        "lost": ["relu_tests"],
        "words": "imports ctypes",
        "output": "crashed (SIGSEGV)",
    },
    # --- the notebook's own run: notes only, the judge grades ---
    {
        "name": "loop_at_top_level",
        "answer": ("relu_answer", "while True:\n    pass\n" + RELU),
        "status": "graded",
        "lost": [],
        "words": "was interrupted",
    },
    {
        "name": "loop_ignoring_ctrl_c",
        "answer": (
            "compute_cost_answer",
            "import signal\n" + COMPUTE_COST + "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "while True:\n    pass\n",
        ),
        "status": "graded",
        "lost": [],
        "words": "the kernel died in cell",
    },
    {
        "name": "os_exit_at_top_level",
        "answer": ("L_model_backward_answer", "import os\nos._exit(1)\n"),
        "status": "graded",
        "lost": ["L_model_backward_tests"],
        "words": "the kernel died in cell",
    },
    {
        "name": "replay_that_never_ends",
        "answer": ("relu_answer", "forever = sum(1 for _ in iter(int, 1))\n" + RELU),
        "status": "graded",
        "lost": ["relu_tests"],
        "words": "left out of the judging",
    },
    {
        "name": "enormous_print",
        "answer": ("relu_answer", RELU + "print('x' * 50_000_000)\n"),
        "status": "graded",
        "lost": [],
        "words": "output",
    },
    {
        "name": "floods_its_file_descriptors",
        "answer": ("sigmoid_answer", FD_FLOOD),
        "status": "graded",
        "lost": [],
        "words": "printed more than",
    },
    {
        "name": "sys_exit",
        "answer": ("sigmoid_answer", SIGMOID + "import sys\nsys.exit()\n"),
        "status": "graded",
        "lost": [],
        "words": "",
    },
    {
        # what the formgrader and the feedback show runs no script of the student's
        "name": "writes_scripts_for_the_instructors_browser",
        "answer": (
            "sigmoid_answer",
            SIGMOID + "from IPython.display import HTML, Javascript, display\n"
            "display(HTML(\"<script>alert('output')</script>\"))\n"
            "display(Javascript(\"alert('javascript')\"))\n",
        ),
        "edit": _script_in_markdown,
        "status": "graded",
        "lost": [],
        "words": "held HTML: it is shown as text",
    },
    # --- reading, writing, escaping, leaving things behind: the jail ---
    {
        "name": "reads_other_files_in_the_kernel",
        "answer": ("sigmoid_answer", READS_IN_THE_KERNEL),
        "status": "graded",
        "lost": [],
        "words": "",
        "output": "FOUND 0",
    },
    {
        "name": "reads_other_files_in_the_judges_worker",
        "answer": ("relu_answer", READS_IN_THE_JUDGES_WORKER),
        "status": "graded",
        "lost": ["relu_tests"],
        "words": "",
    },
    {
        "name": "tries_to_leave_the_jail",
        "answer": ("relu_answer", ESCAPES),
        "status": "graded",
        "lost": [],
        "words": "imports ctypes",
        "output": "ESCAPED []",
    },
    {
        "name": "writes_outside_its_folder",
        "answer": ("relu_answer", WRITES_OUTSIDE),
        "status": "graded",
        "lost": [],
        "words": "",
        "output": "WROTE 0",
    },
    {
        "name": "leaves_a_daemon_and_files",
        "answer": ("relu_answer", LEAVES_A_DAEMON),
        "status": "graded",
        "lost": [],
        "words": "starts processes",
        "output": "DAEMON STARTED",
    },
    {
        "name": "fork_bomb",
        "answer": ("sigmoid_answer", FORK_BOMB),
        "status": "graded",
        "lost": [],
        "words": "starts processes",
        "output": "FORKS REFUSED AFTER",
    },
    {
        "name": "fills_the_disk",
        "answer": ("sigmoid_answer", DISK_FILLER),
        "status": "graded",
        "lost": [],
        "words": "",
        "output": "DISK FULL AFTER",
    },
    {
        "name": "hogs_memory_in_several_processes",
        "answer": ("sigmoid_answer", MEMORY_HOG),
        "status": "graded",
        "lost": [],
        "words": "starts processes",
    },
    {
        "name": "hogs_the_cpu",
        "answer": ("sigmoid_answer", CPU_HOG),
        "status": "graded",
        "lost": [],
        "words": "",
    },
    {
        # it kills its kernel's jail; in the judge's worker kill(-1) spares the worker itself
        "name": "kills_every_process_it_sees",
        "answer": ("update_parameters_answer", KILLS_EVERYTHING),
        "status": "graded",
        "lost": [],
        "words": "the notebook run ended early",
    },
    # --- the judge's protocol ---
    {
        "name": "writes_garbage_to_the_judge",
        "answer": ("relu_answer", GARBAGE_ON_THE_CHANNEL),
        "status": "tampering",
        "lost": ["relu_tests", *USES_RELU],
        "words": "tampering detected in exercise relu",
    },
    {
        "name": "forges_the_workers_answers",
        "answer": ("relu_answer", FORGED_ANSWER),
        "status": "tampering",
        "lost": ["relu_tests", *USES_RELU],
        "words": "tampering detected in exercise relu",
    },
    {
        "name": "returns_a_huge_result",
        "answer": ("relu_answer", HUGE_RESULT),
        "status": "graded",
        "lost": ["relu_tests"],
        "words": "",
        "output": "more than the 128 MB allowed",
    },
    # --- nbgrader's metadata, changed by the student ---
    {
        "name": "deleted_answer_cell",
        "edit": _delete("relu_answer"),
        "status": "graded",
        "lost": ["relu_tests"],
        "words": "",
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
        "words": "linear_forward_tests had been deleted",
    },
    {
        "name": "duplicated_cells",
        "edit": _duplicate(["linear_forward_answer", "linear_forward_tests"]),
        "status": "graded",
        "lost": [],
        "words": "appears 2 times",
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
        "words": "",
    },
    {
        "name": "unlocked_and_emptied_test_cell",
        "answer": ("relu_answer", WRONG_RELU),
        "edit": lambda nb: (
            _change("relu_tests", locked=False, grade=False, points=0)(nb),
            _set_source("relu_tests", "pass")(nb),
        ),
        "status": "graded",
        "lost": ["relu_tests"],
        "words": "the instructor's was put back",
    },
    {
        "name": "gives_itself_points",
        "edit": _change("relu_answer", grade=True, points=100),
        "status": "graded",
        "lost": [],
        "words": "the instructor's was put back",
    },
    {
        "name": "renames_a_test_cell",
        "answer": ("relu_answer", WRONG_RELU),
        "edit": _change("relu_tests", grade_id="relu_tests_renamed"),
        "status": "graded",
        "lost": ["relu_tests"],
        "words": "nbgrader metadata the assignment does not have",
    },
    {
        "name": "test_cell_turned_into_markdown",
        "answer": ("relu_answer", WRONG_RELU),
        "edit": _to_markdown("relu_tests"),
        "status": "graded",
        "lost": ["relu_tests"],
        "words": "turned into a markdown cell",
    },
    {
        # turned back into code: the student's code is there, and it is graded
        "name": "answer_cell_turned_into_markdown",
        "edit": _to_markdown("linear_backward_answer"),
        "status": "graded",
        "lost": [],
        "words": "turned into a markdown cell",
    },
    {
        "name": "newer_schema_version",
        "edit": _change("relu_tests", schema_version=99),
        "status": "graded",
        "lost": [],
        "words": "the instructor's was put back",
    },
    {
        "name": "renamed_function",
        "answer": (
            "linear_forward_answer",
            "def linear_fwd(A, W, b):\n    return np.dot(W, A) + b, (A, W, b)\n",
        ),
        "status": "graded",
        "lost": ["linear_forward_tests"],
        "words": "",
        "output": "linear_forward is not defined in the notebook",
    },
    # --- the submission's files ---
    {
        "name": "not_json",
        "files": {"01_step_by_step.ipynb": '{"cells": [ this is not json'},
        "status": "not graded",
        "lost": "all",
        "words": "not valid JSON",
    },
    {
        "name": "nested_too_deeply",
        "build": _deeply_nested,
        "status": "not graded",
        "lost": "all",
        "words": "nested too deeply",
    },
    {
        "name": "missing_notebook",
        "files": {"my_notes.txt": "I could not finish the notebook."},
        "status": "not graded",
        "lost": "all",
        "words": "no notebook",
    },
    {
        "name": "notebook_is_a_link_to_the_source",
        "build": _notebook_is_a_link,
        "status": "not graded",
        "lost": "all",
        "words": "01_step_by_step.ipynb is a symbolic link (left out)",
    },
    {
        "name": "links_beside_the_notebook",
        "build": _link_beside_the_notebook,
        "status": "graded",
        "lost": [],
        "words": "gradebook.db is a symbolic link (left out)",
    },
    {
        "name": "extra_scratch_notebook",
        "build": _scratch_notebook,
        "status": "graded",
        "lost": [],
        "words": "scratch.ipynb is not a notebook of this assignment",
    },
    {
        "name": "eve[1]",
        "status": "graded",
        "lost": [],
        "words": "",
    },
]
