"""Unit tests of the exercise checks in dl_utils.checks (no nbgrader, no kernel).

Student code is exec'd into a fresh namespace, the way a notebook kernel holds it: the
correct functions are the step-by-step notebook's solutions, and the wrong ones are
realistic student mistakes (the grading catalog's and a few more). Tests that tamper
with numpy put everything back afterwards.
"""

import builtins
import contextlib
import importlib.util
import io
import re
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

import dl_utils
from dl_utils import checks
from dl_utils.checks import calling, compare, reading, registry, report, tampering
from dl_utils.exercises import exercises_of

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "source" / "01_step_by_step" / "01_step_by_step.ipynb"
CATALOG = Path(__file__).resolve().parent / "submissions" / "step_by_step_mistakes.py"

EXERCISES = [exercise.name for exercise in exercises_of("01_step_by_step")]


def load_catalog():
    spec = importlib.util.spec_from_file_location("step_by_step_mistakes", CATALOG)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CATALOG_MODULE = load_catalog()


def code_cells():
    """(grade_id or cell id, source) of every code cell of the source notebook, in order."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    return [
        (cell.metadata.get("nbgrader", {}).get("grade_id", cell.id), cell.source)
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


CELLS = code_cells()


def restore_watched_functions():
    """Put back every function the tamper snapshot watches (numpy, dl_utils, builtins)."""
    for (module_name, attr), value in tampering._SNAPSHOT.items():
        module = builtins if module_name == "builtins" else sys.modules[module_name]
        if getattr(module, attr, None) is not value:
            setattr(module, attr, value)


@pytest.fixture(autouse=True)
def untouched_numpy():
    yield
    restore_watched_functions()
    assert tampering.tampering() == []


def solutions():
    """A fresh namespace holding the imports and every solution of the notebook."""
    namespace = {"__name__": "__main__"}
    for cell_id, source in CELLS:
        if cell_id == "imports" or cell_id.endswith("_answer"):
            exec(compile(source, cell_id, "exec"), namespace)
    return namespace


def with_source(source, namespace=None):
    """The solutions' namespace after running a (wrong) student cell in it."""
    namespace = namespace if namespace is not None else solutions()
    exec(compile(source, "student_cell", "exec"), namespace)
    return namespace


def run_check(name, function, hidden=False):
    """Run check_<name>; return (printed text, the CheckFailed raised or None)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            getattr(checks, f"check_{name}")(function, hidden=hidden)
        except report.CheckFailed as error:
            return out.getvalue(), error
    return out.getvalue(), None


# --- the correct solutions --------------------------------------------------------------


@pytest.mark.parametrize("name", EXERCISES)
def test_correct_solution_passes_visible_and_hidden_checks(name):
    namespace = solutions()
    printed, error = run_check(name, namespace[name])
    assert error is None, str(error)
    assert re.search(rf"(All \d+ checks|The check) of {name} passed\.", printed)
    assert "\u2717" not in printed and "note:" not in printed
    printed, error = run_check(name, namespace[name], hidden=True)
    assert error is None, str(error)
    assert re.search(r"\u2713 (all \d+ hidden checks|the hidden check) passed", printed)


def test_every_exercise_of_the_notebook_has_a_check():
    assert set(EXERCISES) <= set(registry.CHECKS)
    for name in EXERCISES:
        assert callable(getattr(checks, f"check_{name}"))


def test_hidden_cases_differ_from_the_visible_ones():
    from dl_utils.checks import backward, cost, forward, initialization, training

    tables = [
        (forward.ACTIVATION_VISIBLE, forward.ACTIVATION_HIDDEN),
        (forward.VISIBLE_CASES, forward.HIDDEN_CASES),
        (forward.MODEL_VISIBLE, forward.MODEL_HIDDEN),
        (initialization.TWO_LAYER_VISIBLE, initialization.TWO_LAYER_HIDDEN),
        (initialization.DEEP_VISIBLE, initialization.DEEP_HIDDEN),
        (cost.COST_VISIBLE, cost.COST_HIDDEN),
        (backward.DERIVATIVE_VISIBLE, backward.DERIVATIVE_HIDDEN),
        (backward.MODEL_VISIBLE, backward.MODEL_HIDDEN),
        (training.UPDATE_VISIBLE, training.UPDATE_HIDDEN),
        (training.MODEL_VISIBLE, training.MODEL_HIDDEN),
    ]
    for visible, hidden in tables:
        assert len(hidden) >= 2
        assert not [case for case in hidden if case in visible]


# --- classic mistakes ------------------------------------------------------------------

# (exercise, name, wrong source, hint expected in the message)
EXTRA_MISTAKES = [
    (
        "initialize_parameters",
        "global_seed",
        """
def initialize_parameters(n_x, n_h, n_y, seed=1):
    np.random.seed(seed)
    W1 = np.random.randn(n_h, n_x) * 0.01
    W2 = np.random.randn(n_y, n_h) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
""",
        "np.random.seed and np.random.randn change numpy's global",
    ),
    (
        "initialize_parameters",
        "transposed_W1",
        """
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.RandomState(seed)
    W1 = rng.randn(n_x, n_h) * 0.01
    W2 = rng.randn(n_y, n_h) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
""",
        "one row per unit of layer 1",
    ),
    (
        "initialize_parameters_deep",
        "no_scale",
        """
def initialize_parameters_deep(layer_dims, seed=3):
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
""",
        "multiply rng.randn(...) by 0.01",
    ),
    (
        "initialize_parameters_deep",
        "new_generator_per_layer",
        """
def initialize_parameters_deep(layer_dims, seed=3):
    parameters = {}
    for l in range(1, len(layer_dims)):
        rng = np.random.RandomState(seed)
        parameters["W" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
""",
        "from ONE generator",
    ),
    (
        "initialize_parameters_deep",
        "last_layer_missing",
        """
def initialize_parameters_deep(layer_dims, seed=3):
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_dims) - 1):
        parameters["W" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
""",
        "the layers are numbered 1 .. L",
    ),
    (
        "sigmoid",
        "exp_without_minus",
        """
def sigmoid(Z):
    return 1 / (1 + np.exp(Z)), Z
""",
        "the exponent is -Z",
    ),
    (
        "sigmoid",
        "no_cache",
        """
def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))
""",
        "return A, Z",
    ),
    (
        "relu",
        "np_max_along_an_axis",
        """
def relu(Z):
    return np.max(Z, 0), Z
""",
        "np.maximum(0, Z)",
    ),
    (
        "relu",
        "cache_is_A",
        """
def relu(Z):
    A = np.maximum(0, Z)
    return A, A
""",
        "that cache is A",
    ),
    (
        "linear_forward",
        "no_bias",
        """
def linear_forward(A, W, b):
    return np.dot(W, A), (A, W, b)
""",
        "the bias is missing",
    ),
    (
        "linear_activation_forward",
        "activations_swapped",
        """
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "relu":
        A, activation_cache = sigmoid(Z)
    else:
        A, activation_cache = relu(Z)
    return A, (linear_cache, activation_cache)
""",
        "with activation == 'sigmoid' use sigmoid",
    ),
    (
        "linear_activation_forward",
        "sigmoid_twice",
        """
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
        A = 1 / (1 + np.exp(-A))
    else:
        A, activation_cache = relu(Z)
    return A, (linear_cache, activation_cache)
""",
        "sigmoid applied twice",
    ),
    (
        "L_model_forward",
        "relu_on_the_output_layer",
        """
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(
            A, parameters["W" + str(l)], parameters["b" + str(l)], "relu"
        )
        caches.append(cache)
    return A, caches
""",
        "the output layer should use sigmoid",
    ),
    (
        "L_model_forward",
        "output_layer_missing",
        """
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(
            A, parameters["W" + str(l)], parameters["b" + str(l)], "relu"
        )
        caches.append(cache)
    return A, caches
""",
        "add the output layer LINEAR -> SIGMOID",
    ),
    (
        "compute_cost",
        "np_dot_without_transpose",
        """
def compute_cost(AL, Y):
    m = Y.shape[1]
    return np.squeeze(-(np.dot(Y, np.log(AL)) + np.dot(1 - Y, np.log(1 - AL))) / m)
""",
        "(1, m) by (1, m) does not fit",
    ),
    (
        "compute_cost",
        "no_squeeze",
        """
def compute_cost(AL, Y):
    m = Y.shape[1]
    return -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
""",
        "np.squeeze(cost)",
    ),
    (
        "compute_cost",
        "no_minus",
        """
def compute_cost(AL, Y):
    m = Y.shape[1]
    return np.squeeze(np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)
""",
        "the sign is reversed",
    ),
    (
        "sigmoid_backward",
        "cache_taken_for_A",
        """
def sigmoid_backward(dA, cache):
    A = cache
    return dA * A * (1 - A)
""",
        "the cache is Z, not A",
    ),
    (
        "relu_backward",
        "np_dot_for_star",
        """
def relu_backward(dA, cache):
    Z = cache
    return np.dot(dA, (Z > 0).astype(float))
""",
        "multiplies entry by entry (*)",
    ),
    (
        "relu_backward",
        "mask_from_dA",
        """
def relu_backward(dA, cache):
    dZ = np.array(dA, copy=True)
    dZ[dA <= 0] = 0
    return dZ
""",
        "the mask comes from Z (the cache)",
    ),
    (
        "linear_backward",
        "missing_1_over_m_in_db",
        """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True)
    return np.dot(W.T, dZ), dW, db
""",
        "the 1/m is missing",
    ),
    (
        "linear_backward",
        "star_for_np_dot_in_dW",
        """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = dZ * A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    return np.dot(W.T, dZ), dW, db
""",
        "* multiplies entry by entry",
    ),
    (
        "linear_backward",
        "A_prev_not_transposed",
        """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    return np.dot(W.T, dZ), dW, db
""",
        "A_prev transposed",
    ),
    (
        "linear_backward",
        "results_in_the_wrong_order",
        """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    return dW, db, np.dot(W.T, dZ)
""",
        "return dA_prev, dW, db, in this order",
    ),
    (
        "linear_activation_backward",
        "wrong_derivative",
        """
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "sigmoid":
        dZ = relu_backward(dA, activation_cache)
    else:
        dZ = sigmoid_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)
""",
        "with activation == 'sigmoid' use sigmoid_backward",
    ),
    (
        "linear_activation_backward",
        "cache_unpacked_in_the_wrong_order",
        """
def linear_activation_backward(dA, cache, activation):
    activation_cache, linear_cache = cache
    if activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    else:
        dZ = relu_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)
""",
        "cache is (linear_cache, activation_cache)",
    ),
    (
        "linear_activation_backward",
        "derivative_skipped",
        """
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    return linear_backward(dA, linear_cache)
""",
        "the activation's derivative is missing",
    ),
    (
        "L_model_backward",
        "relu_for_the_output_layer",
        """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in range(L, 0, -1):
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(
            dA, caches[l - 1], "relu"
        )
        grads["dA" + str(l - 1)] = dA
    return grads
""",
        "its backward step uses activation 'sigmoid'",
    ),
    (
        "L_model_backward",
        "dA_keys_off_by_one",
        """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(
            dA, caches[l - 1], activation
        )
        grads["dA" + str(l)] = dA
    return grads
""",
        "grads['dA' + str(l)] is the gradient of A{l}",
    ),
    (
        "update_parameters",
        "plus_for_minus",
        """
def update_parameters(parameters, grads, learning_rate):
    updated = {}
    for l in range(1, len(parameters) // 2 + 1):
        updated["W" + str(l)] = parameters["W" + str(l)] + learning_rate * grads["dW" + str(l)]
        updated["b" + str(l)] = parameters["b" + str(l)] + learning_rate * grads["db" + str(l)]
    return updated
""",
        "the step goes against the gradient",
    ),
    (
        "update_parameters",
        "arrays_changed_in_place",
        """
def update_parameters(parameters, grads, learning_rate):
    updated = dict(parameters)
    for l in range(1, len(parameters) // 2 + 1):
        updated["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        updated["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return updated
""",
        "it changed the dict (or the arrays) it was given",
    ),
    (
        "L_layer_model",
        "cost_recorded_every_iteration",
        """
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                  print_cost=False, seed=1):
    costs = []
    parameters = initialize_parameters_deep(layers_dims, seed)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        costs.append(compute_cost(AL, Y))
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
""",
        "record the cost at iterations 0, 100, 200",
    ),
    (
        "L_layer_model",
        "update_result_dropped",
        """
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                  print_cost=False, seed=1):
    costs = []
    parameters = initialize_parameters_deep(layers_dims, seed)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs
""",
        "the parameters never changed",
    ),
    (
        "L_layer_model",
        "learning_rate_not_passed_on",
        """
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                  print_cost=False, seed=1):
    costs = []
    parameters = initialize_parameters_deep(layers_dims, seed)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, 0.0075)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs
""",
        "the default learning rate",
    ),
]

EXTRA_MISTAKES.append(
    (
        "L_layer_model",
        "seed_not_passed_on",
        """
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                  print_cost=False, seed=1):
    costs = []
    parameters = initialize_parameters_deep(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs
""",
        "pass seed on",
    )
)

CATALOG_CASES = [
    (m["grade_id"].removesuffix("_answer"), m["name"], m["source"], m["hint"])
    for m in CATALOG_MODULE.MISTAKES
]
ALL_MISTAKES = CATALOG_CASES + EXTRA_MISTAKES


@pytest.mark.parametrize("hidden", [False, True], ids=["visible", "hidden"])
@pytest.mark.parametrize(
    "exercise, name, source, hint", ALL_MISTAKES, ids=[f"{m[0]}-{m[1]}" for m in ALL_MISTAKES]
)
def test_classic_mistake_fails_with_its_hint(exercise, name, source, hint, hidden):
    namespace = with_source(source)
    printed, error = run_check(exercise, namespace[exercise], hidden=hidden)
    assert error is not None, f"{name} passed the {exercise} check"
    assert hint in str(error), f"{name}: expected the hint {hint!r} in:\n{error}"
    assert_no_expected_values(str(error) + printed)


def assert_no_expected_values(text):
    """Messages name shapes and causes, never the numbers of an array (no [[, no long decimals)."""
    assert "[[" not in text and "array([" not in text, text
    numbers = re.findall(r"-?\d+\.\d{3,}", text)
    assert not numbers, f"the report shows values {numbers}:\n{text}"


def test_mistakes_are_recognized_from_the_output_not_from_the_source():
    # The same wrong values computed another way get the same hint.
    namespace = with_source(
        """
def compute_cost(AL, Y):
    losses = Y * np.log(AL) + (1 - Y) * np.log(1 - AL)
    return -np.squeeze(losses.sum())
"""
    )
    _, error = run_check("compute_cost", namespace["compute_cost"])
    assert "the 1/m is missing" in str(error)


def test_an_unrecognized_mistake_still_names_the_quantity_and_shape():
    namespace = with_source(
        """
def linear_forward(A, W, b):
    return np.dot(W, A) + 2 * b, (A, W, b)
"""
    )
    _, error = run_check("linear_forward", namespace["linear_forward"])
    assert "Z has the right shape (2, 4) but wrong values" in str(error)
    assert "Hint" not in str(error)


# --- the grading catalog ------------------------------------------------------------------


def show_on_stderr(message, category, filename, lineno, file=None, line=None):
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def run_notebook(replacements):
    """Run every code cell of the notebook in one namespace, as a grading kernel does,
    with some cells replaced. Returns {cell id: why it fails}: the exception it raised,
    or what it wrote to stderr (nbgrader gives a test cell that does 0 points too)."""
    namespace = {"__name__": "__main__"}
    failed = {}
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show_on_stderr  # as a kernel does (pytest would record them)
        for cell_id, source in CELLS:
            source = replacements.get(cell_id, source)
            stderr = io.StringIO()
            try:
                with contextlib.redirect_stderr(stderr):
                    exec(compile(source, cell_id, "exec"), namespace)
            except Exception as error:
                failed[cell_id] = error
            else:
                if stderr.getvalue():
                    failed[cell_id] = f"wrote to stderr: {stderr.getvalue()}"
    plt.close("all")
    return failed


def test_catalog_points_match_the_notebook():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    points = {
        cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    }
    assert points == CATALOG_MODULE.POINTS
    assert CATALOG_MODULE.MAX_SCORE == sum(points.values())


def test_catalog_has_one_entry_per_classic_mistake():
    mistakes = CATALOG_MODULE.MISTAKES
    assert len(mistakes) >= 10
    assert len({m["name"] for m in mistakes}) == len(mistakes)
    answer_ids = {cell_id for cell_id, _ in CELLS if cell_id.endswith("_answer")}
    for mistake in mistakes:
        assert set(mistake) == {"name", "grade_id", "source", "hint", "failing"}
        assert mistake["grade_id"] in answer_ids
        assert mistake["failing"] and set(mistake["failing"]) <= set(CATALOG_MODULE.POINTS)
        assert "BEGIN SOLUTION" not in mistake["source"]


def test_the_solution_notebook_loses_no_points():
    failed = run_notebook({})
    assert failed == {}


@pytest.mark.parametrize("mistake", CATALOG_MODULE.MISTAKES, ids=lambda m: m["name"])
def test_catalog_entry_loses_exactly_the_points_it_lists(mistake):
    failed = run_notebook({mistake["grade_id"]: mistake["source"]})
    lost = sorted(cell_id for cell_id in failed if cell_id.endswith("_tests"))
    assert lost == sorted(mistake["failing"])
    own_tests = mistake["grade_id"].removesuffix("_answer") + "_tests"
    assert mistake["hint"] in str(failed[own_tests])


# --- upstream isolation ------------------------------------------------------------------

BROKEN_RELU = """
def relu(Z):
    return np.max(0, Z), Z
"""
UNWRITTEN_RELU = """
def relu(Z):
    raise NotImplementedError()
"""
COPYLESS_RELU_BACKWARD = """
def relu_backward(dA, cache):
    dZ = dA
    dZ[cache <= 0] = 0
    return dZ
"""
COST_WITHOUT_1_OVER_M = """
def compute_cost(AL, Y):
    return np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
"""


SIGMOID_WITHOUT_CACHE = """
def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))
"""
SIGMOID_BACKWARD_WITH_OWN_SIGMOID = """
def sigmoid_backward(dA, cache):
    s, _ = sigmoid(cache)
    return dA * s * (1 - s)
"""


@pytest.mark.parametrize(
    "upstream_source, blamed, exercise",
    [
        (
            SIGMOID_WITHOUT_CACHE + SIGMOID_BACKWARD_WITH_OWN_SIGMOID,
            "your sigmoid fails its own check",
            "sigmoid_backward",
        ),
        (BROKEN_RELU, "your relu fails its own check", "linear_activation_forward"),
        (BROKEN_RELU, "your relu fails its own check", "L_model_forward"),
        (UNWRITTEN_RELU, "your relu is not written yet", "L_model_forward"),
        (COPYLESS_RELU_BACKWARD, "your relu_backward fails", "linear_activation_backward"),
        (COPYLESS_RELU_BACKWARD, "your relu_backward fails", "L_model_backward"),
        (COST_WITHOUT_1_OVER_M, "your compute_cost fails its own check", "L_layer_model"),
    ],
)
@pytest.mark.parametrize("hidden", [False, True], ids=["visible", "hidden"])
def test_a_wrong_upstream_function_costs_only_its_own_exercise(
    upstream_source, blamed, exercise, hidden
):
    namespace = with_source(upstream_source)
    printed, error = run_check(exercise, namespace[exercise], hidden=hidden)
    assert error is None, str(error)
    assert "note:" in printed and blamed in printed
    assert "course's versions of the functions it calls" in printed
    # the student's own function is back in place afterwards
    assert namespace["relu"].__module__ != "dl_utils.activations"
    assert all(
        not getattr(namespace[n], "__module__", "").startswith("dl_utils") for n in EXERCISES
    )


def test_a_check_lives_where_the_manifest_says():
    # relu's check belongs in forward.py: a second one elsewhere is refused, and so is
    # a check of an exercise the manifest does not list
    with pytest.raises(ValueError, match="'relu' in .* belongs in forward.py"):

        @registry.exercise("relu")
        def check_relu(checker, relu, hidden):
            """Another check of relu."""

    with pytest.raises(ValueError, match="'softmax' in .* is not in the manifest"):

        @registry.exercise("softmax")
        def check_softmax(checker, softmax, hidden):
            """A check of an exercise the course does not have."""


def test_only_the_function_at_fault_is_named():
    # relu is broken; linear_activation_forward is right but fails with it: not named.
    namespace = with_source(BROKEN_RELU)
    printed, error = run_check("L_model_forward", namespace["L_model_forward"])
    assert error is None
    assert "your relu fails" in printed
    assert "your linear_activation_forward" not in printed


def test_isolation_does_not_excuse_the_function_itself():
    namespace = with_source(BROKEN_RELU)
    with_source(CATALOG_MODULE.MISTAKES[7]["source"], namespace)  # sigmoid applied twice
    assert CATALOG_MODULE.MISTAKES[7]["name"] == "sigmoid_applied_twice"
    printed, error = run_check("L_model_forward", namespace["L_model_forward"], hidden=True)
    assert error is not None and "sigmoid applied twice" in str(error)


# --- delegation, tampering, unwritten functions ----------------------------------------------


@pytest.mark.parametrize(
    "exercise, source",
    [
        (
            "relu",
            """
import dl_utils

def relu(Z):
    return dl_utils.relu(Z)
""",
        ),
        (
            "linear_backward",
            """
from dl_utils.layers import linear_backward as course_linear_backward

def linear_backward(dZ, cache):
    return course_linear_backward(dZ, cache)
""",
        ),
        (
            "compute_cost",
            """
from dl_utils import compute_cost as reference_cost

def helper(AL, Y):
    return reference_cost(AL, Y)

def compute_cost(AL, Y):
    return helper(AL, Y)
""",
        ),
    ],
)
def test_a_function_that_calls_the_reference_earns_no_credit(exercise, source):
    namespace = with_source(source)
    for hidden in (False, True):
        _, error = run_check(exercise, namespace[exercise], hidden=hidden)
        assert error is not None and "earns no credit" in str(error)


def test_the_delegation_message_names_the_reference_function():
    namespace = with_source("import dl_utils\n\ndef relu(Z):\n    return dl_utils.relu(Z)")
    _, error = run_check("relu", namespace["relu"])
    assert "it calls the reference dl_utils.relu instead of computing the result" in str(error)


def test_the_reference_function_itself_earns_no_credit():
    _, error = run_check("sigmoid", dl_utils.sigmoid)
    assert "this is the reference sigmoid from dl_utils" in str(error)


def test_a_composite_may_call_earlier_exercises_by_their_names():
    # Which version of relu is called is the relu exercise's business, not this one's.
    namespace = solutions()
    namespace["relu"] = dl_utils.relu
    _, error = run_check("linear_activation_forward", namespace["linear_activation_forward"])
    assert error is None


@pytest.mark.parametrize(
    "patch",
    [
        "np.allclose = lambda *args, **kwargs: True",
        "np.testing.assert_allclose = lambda *args, **kwargs: None",
        "np.dot = lambda a, b: a @ b",
        "np.random.RandomState = lambda seed: np.random.default_rng(seed)",
        "import dl_utils.layers; dl_utils.layers.linear_forward = lambda A, W, b: (W @ A, None)",
        "import dl_utils.checks.compare; dl_utils.checks.compare.close = lambda *args, **kw: True",
        "import builtins; builtins.isinstance = lambda obj, kind: True",
    ],
)
def test_tampering_before_the_check_fails_it(patch):
    namespace = solutions()
    try:
        exec(patch, namespace)
        _, error = run_check("linear_forward", namespace["linear_forward"])
    finally:
        restore_watched_functions()
    assert error is not None and "tampering detected" in str(error)


def test_tampering_inside_the_student_function_fails_the_check():
    namespace = with_source(
        """
def sigmoid(Z):
    np.isfinite = lambda x: True
    return 1 / (1 + np.exp(-Z)), Z
"""
    )
    try:
        _, error = run_check("sigmoid", namespace["sigmoid"])
    finally:
        restore_watched_functions()
    assert error is not None and "tampering detected while it ran" in str(error)
    assert "numpy.isfinite" in str(error)


def test_an_unwritten_function_is_reported_as_not_written_yet():
    for name in EXERCISES:
        namespace = with_source(f"def {name}(*args, **kwargs):\n    raise NotImplementedError()")
        for hidden in (False, True):
            _, error = run_check(name, namespace[name], hidden=hidden)
            assert isinstance(error, report.NotWrittenYet), name
            assert f"{name}: not written yet" in str(error)


def test_something_that_is_not_a_function_is_refused():
    _, error = run_check("relu", np.maximum(0, 1))
    assert "expected a function" in str(error)


def test_a_result_of_the_wrong_type_is_reported_not_crashed_on():
    namespace = with_source(
        """
def L_model_backward(AL, Y, caches):
    return [1, 2, 3]
"""
    )
    _, error = run_check("L_model_backward", namespace["L_model_backward"])
    assert "it should return the dict grads, got a list" in str(error)


# --- the report -------------------------------------------------------------------------


def test_a_failure_is_shown_as_its_message_in_a_notebook():
    namespace = with_source(CATALOG_MODULE.MISTAKES[3]["source"])  # np.max for np.maximum
    _, error = run_check("relu", namespace["relu"])
    lines = error._render_traceback_()
    assert len(lines) == 1 and lines[0].startswith("CheckFailed: relu: calling it raised")
    assert "np.maximum(0, Z)" in lines[0]


def test_the_visible_report_lists_each_property_then_the_failure():
    namespace = with_source(CATALOG_MODULE.MISTAKES[11]["source"])  # missing keepdims
    printed, error = run_check("linear_backward", namespace["linear_backward"])
    assert printed.startswith("check of linear_backward:\n  \u2713 returns (dA_prev, dW, db)\n")
    assert "\u2717 db has shape (2,), expected (2, 1)" in printed
    assert str(error).startswith("linear_backward: db has shape (2,), expected (2, 1)")


def test_the_hidden_report_is_one_line():
    namespace = solutions()
    printed, _ = run_check("relu", namespace["relu"], hidden=True)
    assert printed.splitlines()[0] == "hidden tests of relu:"
    assert len(printed.splitlines()) == 2


def test_core_helpers_for_other_check_modules_keep_working():
    # application.py, classroom.py and gradient_checking.py build on these.
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        checker = registry.begin("demo", lambda x: x + 1, hidden=False)
        assert isinstance(checker, report.Checker)
        result = calling.call_student(checker, lambda x: x + 1, (np.ones(2),))
        checker.ok("adds one")
        checker.done()
        with pytest.raises(report.CheckFailed, match="demo: wrong\n  Hint: why"):
            checker.fail("wrong", "why")
    assert compare.close(result, np.full(2, 2.0)) and compare.is_array(result)
    assert compare.shape_of(result) == "(2,)" and compare.shape_of([1]) == "a list"
    assert out.getvalue().splitlines() == [
        "check of demo:",
        "  \u2713 adds one",
        "The check of demo passed.",
        "  \u2717 wrong",
    ]
    namespace = solutions()
    with reading.reference_upstream(namespace["L_model_forward"], ["relu"]):
        assert namespace["relu"] is dl_utils.relu
    assert namespace["relu"] is not dl_utils.relu
    assert reading.reference_calls(namespace["L_model_forward"]) == []
    assert issubclass(report.NotWrittenYet, report.CheckFailed)


def test_checks_leave_numpys_global_random_generator_alone():
    before = np.random.get_state()
    namespace = with_source(EXTRA_MISTAKES[0][2])  # uses np.random.seed
    run_check("initialize_parameters", namespace["initialize_parameters"], hidden=True)
    after = np.random.get_state()
    assert before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2] == after[2]


def test_warnings_and_stderr_of_the_student_code_stay_out_of_the_cell():
    # nbgrader gives 0 points to a test cell that writes to stderr: a right answer
    # whose numpy warns (here, on purpose) must keep its points.
    namespace = with_source(
        """
import sys
import warnings

def sigmoid(Z):
    warnings.warn("a warning of the student's code")
    sys.stderr.write("something on stderr")
    np.exp(np.array([1000.0]))  # overflow
    return 1 / (1 + np.exp(-Z)), Z
"""
    )
    stderr = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show_on_stderr
        with contextlib.redirect_stderr(stderr):
            printed, error = run_check("sigmoid", namespace["sigmoid"], hidden=True)
    assert error is None and "hidden checks passed" in printed
    assert stderr.getvalue() == ""


PRINTING_LINEAR_FORWARD = """
def linear_forward(A, W, b):
    print("debugging", A, W, b)
    Z = np.dot(W, A) + b
    return Z, (A, W, b)
"""


@pytest.mark.parametrize("hidden", [False, True])
def test_what_a_students_function_prints_is_counted_not_shown(hidden):
    namespace = with_source(PRINTING_LINEAR_FORWARD)
    printed, error = run_check("linear_forward", namespace["linear_forward"], hidden)
    assert error is None, str(error)
    assert "debugging" not in printed and len(printed) < 2000
    note = r"note: linear_forward printed [\d,]+ characters while it was checked"
    assert re.search(note, printed)
    # the function that calls it is checked with it too: the note is its own
    printed, error = run_check("linear_activation_forward", namespace["linear_activation_forward"])
    assert error is None and "debugging" not in printed
    assert "note: linear_activation_forward printed" in printed


L_MODEL_FORWARD = """
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        A, cache = linear_activation_forward(A, W, b, "relu")
        caches.append(cache)
    W, b = parameters["W" + str(L)], parameters["b" + str(L)]
    AL, cache = linear_activation_forward(A, W, b, "sigmoid")
    caches.append(cache)
    return AL, caches
"""

# (name, exercise, the student's cell, words of the hint, hidden or visible case)
NAMED_MISTAKES = [
    (
        "caches_in_reverse_order",
        "L_model_forward",
        L_MODEL_FORWARD.replace("caches.append(cache)", "caches.insert(0, cache)"),
        "caches.append",
        False,
    ),
    (
        "digit_one_for_the_loop_variable",
        "L_model_forward",
        L_MODEL_FORWARD.replace("str(l)]", "str(1)]"),
        "the letter l, not the digit 1",
        False,
    ),
    (
        "L_is_the_length_of_parameters",
        "L_model_forward",
        L_MODEL_FORWARD.replace("len(parameters) // 2", "len(parameters)"),
        "half its length",
        False,
    ),
    (
        "product_the_other_way_round",
        "linear_forward",
        "def linear_forward(A, W, b):\n    return np.dot(A, W) + b, (A, W, b)\n",
        "the order of a matrix product matters",
        False,
    ),
    (
        "random_biases_from_the_global_generator",
        "initialize_parameters_deep",
        """
def initialize_parameters_deep(layer_dims, seed=3):
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.random.randn(layer_dims[l], 1)
    return parameters
""",
        "the biases should start at zero",
        False,
    ),
    (
        "a_notebook_variable_for_m",
        "linear_backward",
        """
m = 4
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    dW = (1 / m) * np.dot(dZ, A_prev.T)
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    return np.dot(W.T, dZ), dW, db
""",
        "it uses the notebook's variable m",
        True,
    ),
    (
        "a_name_it_does_not_define",
        "linear_backward",
        """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    dW = (1 / n_examples) * np.dot(dZ, A_prev.T)
    db = (1 / n_examples) * np.sum(dZ, axis=1, keepdims=True)
    return np.dot(W.T, dZ), dW, db
""",
        "a name it does not define",
        False,
    ),
]


@pytest.mark.parametrize("mistake", NAMED_MISTAKES, ids=[m[0] for m in NAMED_MISTAKES])
def test_each_classic_mistake_gets_its_own_hint(mistake):
    name, exercise, source, words, hidden = mistake
    namespace = with_source(source)
    _, error = run_check(exercise, namespace[exercise], hidden)
    assert error is not None, f"{name}: the mistake was not found"
    assert "Hint:" in str(error) and words in str(error).split("Hint:", 1)[1], str(error)


def test_the_right_L_model_forward_written_that_way_passes():
    namespace = with_source(L_MODEL_FORWARD)
    assert run_check("L_model_forward", namespace["L_model_forward"], hidden=True)[1] is None
