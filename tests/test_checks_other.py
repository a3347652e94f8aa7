"""The checks of the application, classroom and gradient-checking notebooks.

For every exercise: the notebook's own solution passes the visible check and the
hidden tests; each classic mistake the check gives a hint for fails with that
hint (visible and hidden); a function that only calls the dl_utils reference
earns nothing; no message shows an expected array. The catalog of wrong
submissions (tests/submissions/other_mistakes.py) is checked against the
notebooks' own test cells.
"""

import ast
import builtins
import contextlib
import importlib
import importlib.util
import io
import re
import sys
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

import dl_utils
from dl_utils.checks import (
    application,
    calling,
    classroom,
    compare,
    gradient_checking,
    reading,
    registry,
    report,
    tampering,
)
from dl_utils.exercises import EXERCISES as EXERCISES_BY_NAME
from dl_utils.exercises import exercises_of
from dl_utils.gradient_check import BAD, GOOD, gradient_check

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "notebooks" / "source"
NOTEBOOKS = ("02_application", "03_classroom", "04_gradient_checking")
CATALOG = Path(__file__).resolve().parent / "submissions" / "other_mistakes.py"

# (notebook, exercise, check module): every exercise of the three notebooks
EXERCISES = [
    (e.notebook, e.name, importlib.import_module(f"dl_utils.checks.{e.checks}"))
    for notebook in NOTEBOOKS
    for e in exercises_of(notebook)
]
NOTEBOOK_OF = {name: notebook for notebook, name, _ in EXERCISES}
MODULE_OF = {name: module for _, name, module in EXERCISES}


def load_catalog():
    spec = importlib.util.spec_from_file_location("other_mistakes", CATALOG)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CATALOG_MODULE = load_catalog()


def notebook_path(notebook):
    return SOURCE / notebook / f"{notebook}.ipynb"


def code_cells(notebook):
    """(cell id, source, nbgrader metadata) of every code cell of a source notebook."""
    nb = nbformat.read(notebook_path(notebook), as_version=4)
    return [
        (cell.id, cell.source, cell.metadata.get("nbgrader", {}))
        for cell in nb.cells
        if cell.cell_type == "code"
    ]


CELLS = {notebook: code_cells(notebook) for notebook in NOTEBOOKS}


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


def solutions(notebook):
    """A fresh namespace holding a notebook's imports and every one of its solutions."""
    namespace = {"__name__": "__main__"}
    for cell_id, source, _ in CELLS[notebook]:
        if cell_id == "imports" or cell_id.endswith("_answer"):
            exec(compile(source, cell_id, "exec"), namespace)
    return namespace


def with_source(notebook, source):
    """The solutions' namespace after running a (wrong) student cell in it."""
    namespace = solutions(notebook)
    exec(compile(source, "student_cell", "exec"), namespace)
    return namespace


def run_check(name, answer, hidden=False):
    """Run check_<name>; return (printed text, the CheckFailed raised or None)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            getattr(MODULE_OF[name], f"check_{name}")(answer, hidden=hidden)
        except report.CheckFailed as error:
            return out.getvalue(), error
    return out.getvalue(), None


def assert_no_expected_values(text):
    """Messages name shapes and causes, never the numbers of an array."""
    assert "[[" not in text and "array(" not in text, text
    numbers = re.findall(r"-?\d+\.\d{3,}", text)
    assert not numbers, f"the report shows values {numbers}:\n{text}"


# --- the notebooks' solutions ------------------------------------------------------------


@pytest.mark.parametrize("notebook, name, module", EXERCISES, ids=[e[1] for e in EXERCISES])
def test_the_notebook_solution_passes_visible_and_hidden_checks(notebook, name, module):
    answer = solutions(notebook)[name]
    printed, error = run_check(name, answer)
    assert error is None, str(error)
    assert re.search(rf"(All \d+ checks|The check) of {name} passed\.", printed)
    assert "\u2717" not in printed
    printed, error = run_check(name, answer, hidden=True)
    assert error is None, str(error)
    assert re.search(r"\u2713 (all \d+ hidden checks|the hidden check) passed", printed)
    assert "\u2717" not in printed


def test_every_exercise_has_its_check_registered_under_its_name():
    for _, name, module in EXERCISES:
        check = getattr(module, f"check_{name}")
        assert callable(check) and check.__module__ == module.__name__
    names = {name for _, name, _ in EXERCISES}
    # wrong_gradients is a set of names, not a function: it is not run through @exercise
    assert names - {"wrong_gradients"} <= set(registry.CHECKS)


def test_hidden_cases_differ_from_the_visible_ones():
    tables = [
        (application.FLATTEN_VISIBLE, application.FLATTEN_HIDDEN),
        (application.NORMALIZE_VISIBLE, application.NORMALIZE_HIDDEN),
        (application.MODEL_VISIBLE, application.MODEL_HIDDEN),
        (application.MISLABELED_VISIBLE, application.MISLABELED_HIDDEN),
        (classroom.INIT_VISIBLE, classroom.INIT_HIDDEN),
        (classroom.FORWARD_VISIBLE, classroom.FORWARD_HIDDEN),
        (classroom.BACKWARD_VISIBLE, classroom.BACKWARD_HIDDEN),
        (classroom.TRAIN_VISIBLE, classroom.TRAIN_HIDDEN),
        (gradient_checking.DIFFERENCE_VISIBLE, gradient_checking.DIFFERENCE_HIDDEN),
        (gradient_checking.BACKWARD_VISIBLE, gradient_checking.BACKWARD_HIDDEN),
    ]
    for visible, hidden in tables:
        assert len(hidden) >= 2
        assert not [case for case in hidden if case in visible]


def test_train_until_cases_stop_where_they_are_meant_to_with_a_margin():
    # Each list stops at the threshold in some cases and at max_iterations in others,
    # and no recorded cost lies so close to the threshold that rounding could move the stop.
    for cases in (classroom.TRAIN_VISIBLE, classroom.TRAIN_HIDDEN):
        stops = []
        for layer_dims, m, alpha, threshold, max_iterations, seed in cases:
            X, Y = classroom.data(layer_dims[0], m, seed)
            start = dl_utils.initialize_parameters_deep(layer_dims, seed=seed, init="xavier")
            _, costs, iterations = classroom.reference_train_until(
                X, Y, start, alpha, threshold, max_iterations
            )
            assert len(costs) == iterations + 1
            assert min(abs(np.array(costs) - threshold)) > 1e-4
            stops.append(iterations < max_iterations)
        assert any(stops) and not all(stops)


def test_the_two_layer_check_runs_past_a_recorded_cost():
    for (_, _, _), _, iterations, _ in application.MODEL_VISIBLE + application.MODEL_HIDDEN:
        assert iterations > 100


# --- classic mistakes --------------------------------------------------------------------

# (exercise, name, wrong source, hint expected in the message, visible and hidden)
MISTAKES = [
    # flatten
    (
        "flatten",
        "reshape_minus_one_m",
        "def flatten(images):\n    return images.reshape(-1, images.shape[0])",
        "fills each column with pixels of several images",
    ),
    (
        "flatten",
        "transpose_all_axes",
        "def flatten(images):\n    return images.T.reshape(-1, images.shape[0])",
        "transposing all four axes first",
    ),
    (
        "flatten",
        "one_image_per_row",
        "def flatten(images):\n    return images.reshape(images.shape[0], -1)",
        "one image per row",
    ),
    (
        "flatten",
        "one_long_vector",
        "def flatten(images):\n    return images.flatten()",
        "flatten() and ravel() put every image into one long vector",
    ),
    (
        "flatten",
        "hard_coded_sizes",
        "def flatten(images):\n    return images.reshape(209, -1).T",
        "do not write the sizes (209, 12288) by hand",
    ),
    (
        "flatten",
        "divides_by_255",
        "def flatten(images):\n    return images.reshape(images.shape[0], -1).T / 255",
        "flatten only reshapes",
    ),
    # normalize
    (
        "normalize",
        "not_divided",
        "def normalize(X):\n    return X.astype(float)",
        "the values are unchanged: divide by 255",
    ),
    (
        "normalize",
        "integer_division",
        "def normalize(X):\n    return X // 255",
        "// is integer division",
    ),
    (
        "normalize",
        "divides_by_the_data_maximum",
        "def normalize(X):\n    return X / X.max()",
        "divides by the largest value of this data",
    ),
    (
        "normalize",
        "standardizes",
        "def normalize(X):\n    return (X - X.mean()) / X.std()",
        "that standardizes the data",
    ),
    (
        "normalize",
        "divides_by_256",
        "def normalize(X):\n    return X / 256",
        "not by 256",
    ),
    (
        "normalize",
        "in_place_on_uint8",
        "def normalize(X):\n    X /= 255\n    return X",
        "X /= 255 divides the array you were given in place",
    ),
    # two_layer_model
    (
        "two_layer_model",
        "update_not_kept",
        """
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    parameters = initialize_parameters(*layers_dims)
    costs = []
    for i in range(num_iterations):
        A1, c1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, c2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        if i % 100 == 0:
            costs.append(compute_cost(A2, Y))
        dA2 = -(Y / A2 - (1 - Y) / (1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, c2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, c1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        update_parameters(parameters, grads, learning_rate)
    return parameters, costs
""",
        "update_parameters returns a new dict, so keep what it",
    ),
    (
        "two_layer_model",
        "dA2_sign_flipped",
        """
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    parameters = initialize_parameters(*layers_dims)
    costs = []
    for i in range(num_iterations):
        A1, c1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, c2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        if i % 100 == 0:
            costs.append(compute_cost(A2, Y))
        dA2 = Y / A2 - (1 - Y) / (1 - A2)
        dA1, dW2, db2 = linear_activation_backward(dA2, c2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, c1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
""",
        "the parameters move uphill",
    ),
    (
        "two_layer_model",
        "dZ2_given_as_dA2",
        """
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    parameters = initialize_parameters(*layers_dims)
    costs = []
    for i in range(num_iterations):
        A1, c1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, c2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        if i % 100 == 0:
            costs.append(compute_cost(A2, Y))
        dA1, dW2, db2 = linear_activation_backward(A2 - Y, c2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, c1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
""",
        "A2 - Y is dZ2, not dA2",
    ),
    (
        "two_layer_model",
        "sigmoid_hidden_layer",
        """
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    parameters = initialize_parameters(*layers_dims)
    costs = []
    for i in range(num_iterations):
        A1, c1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "sigmoid")
        A2, c2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        if i % 100 == 0:
            costs.append(compute_cost(A2, Y))
        dA2 = -(Y / A2 - (1 - Y) / (1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, c2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, c1, "sigmoid")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
""",
        "the hidden layer uses 'relu'",
    ),
    (
        "two_layer_model",
        "default_learning_rate",
        """
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    parameters = initialize_parameters(*layers_dims)
    costs = []
    for i in range(num_iterations):
        A1, c1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, c2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        if i % 100 == 0:
            costs.append(compute_cost(A2, Y))
        dA2 = -(Y / A2 - (1 - Y) / (1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, c2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, c1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, 0.0075)
    return parameters, costs
""",
        "that is training with the default learning rate",
    ),
    (
        "two_layer_model",
        "cost_every_iteration",
        """
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    parameters = initialize_parameters(*layers_dims)
    costs = []
    for i in range(num_iterations):
        A1, c1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, c2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        costs.append(compute_cost(A2, Y))
        dA2 = -(Y / A2 - (1 - Y) / (1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, c2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, c1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
""",
        "that is one cost per iteration",
    ),
    (
        "two_layer_model",
        "another_seed",
        """
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    parameters = initialize_parameters(*layers_dims, seed=3)
    costs = []
    for i in range(num_iterations):
        A1, c1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, c2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        if i % 100 == 0:
            costs.append(compute_cost(A2, Y))
        dA2 = -(Y / A2 - (1 - Y) / (1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, c2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, c1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
""",
        "costs[0], the cost before any update, is wrong",
    ),
    (
        "two_layer_model",
        "no_keyword_arguments",
        "def two_layer_model(X, Y, layers_dims):\n    return {}, []",
        "keep the signature of the answer cell",
    ),
    # mislabeled_indices
    (
        "mislabeled_indices",
        "row_indices",
        "def mislabeled_indices(p, y):\n    return np.where(p != y)[0]",
        "those are row indices",
    ),
    (
        "mislabeled_indices",
        "the_mask",
        "def mislabeled_indices(p, y):\n    return p != y",
        "that is the mask p != y",
    ),
    (
        "mislabeled_indices",
        "the_right_ones",
        "def mislabeled_indices(p, y):\n    return np.where(p == y)[1]",
        "compare with !=, not ==",
    ),
    (
        "mislabeled_indices",
        "the_tuple",
        "def mislabeled_indices(p, y):\n    return np.where(p != y)",
        "np.where gives a tuple of index arrays",
    ),
    (
        "mislabeled_indices",
        "unsorted",
        "def mislabeled_indices(p, y):\n    return np.where(p != y)[1][::-1]",
        "give the indices in increasing order",
    ),
    # initialize_network
    (
        "initialize_network",
        "global_seed",
        """
def initialize_network(layer_dims, seed):
    np.random.seed(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        W = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(1 / layer_dims[l - 1])
        parameters["W" + str(l)] = W
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
""",
        "it changed numpy's global random generator",
    ),
    *[
        (
            "initialize_network",
            name,
            f"""
def initialize_network(layer_dims, seed):
    rng = np.random.RandomState(seed)
    parameters = {{}}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        parameters["W" + str(l)] = rng.randn(n, n_prev) * {scale}
        parameters["b" + str(l)] = np.zeros((n, 1))
    return parameters
""",
            hint,
        )
        for name, scale, hint in [
            ("scale_0_01", "0.01", "that is the 0.01 scale of the homework"),
            ("he_scale", "np.sqrt(2 / n_prev)", "that is He's scale"),
            ("scale_by_own_size", "np.sqrt(1 / n)", "the number of inputs of the layer, n[l-1]"),
            ("unscaled", "1", "the weights are not scaled"),
        ]
    ],
    (
        "initialize_network",
        "generator_per_layer",
        """
def initialize_network(layer_dims, seed):
    parameters = {}
    for l in range(1, len(layer_dims)):
        rng = np.random.RandomState(seed)
        W = rng.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(1 / layer_dims[l - 1])
        parameters["W" + str(l)] = W
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
""",
        "create rng = np.random.RandomState(seed) once, before the loop",
    ),
    (
        "initialize_network",
        "default_rng",
        """
def initialize_network(layer_dims, seed):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        W = rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters["W" + str(l)] = W * np.sqrt(1 / layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
""",
        "np.random.default_rng draws other numbers",
    ),
    (
        "initialize_network",
        "random_biases",
        """
def initialize_network(layer_dims, seed):
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        W = rng.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(1 / layer_dims[l - 1])
        parameters["W" + str(l)] = W
        parameters["b" + str(l)] = rng.randn(layer_dims[l], 1)
    return parameters
""",
        "biases start at zero",
    ),
    (
        "initialize_network",
        "transposed_weights",
        """
def initialize_network(layer_dims, seed):
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        W = rng.randn(layer_dims[l - 1], layer_dims[l]) * np.sqrt(1 / layer_dims[l - 1])
        parameters["W" + str(l)] = W
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
""",
        "W{l} has one row per unit of layer l",
    ),
    (
        "initialize_network",
        "global_layer_sizes",
        """
sizes = [2, 3, 4, 1]

def initialize_network(layer_dims, seed):
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(sizes)):
        W = rng.randn(sizes[l], sizes[l - 1]) * np.sqrt(1 / sizes[l - 1])
        parameters["W" + str(l)] = W
        parameters["b" + str(l)] = np.zeros((sizes[l], 1))
    return parameters
""",
        "it uses the global variable sizes of the notebook",
    ),
    # forward_tanh
    *[
        (
            "forward_tanh",
            name,
            f"""
def forward_tanh(X, parameters):
    L = len(parameters) // 2
    activations = [X]
    for l in range(1, L + 1):
        Z = parameters["W" + str(l)] @ activations[-1]{bias}
        activations.append({hidden} if l < L else {output})
    return activations[-1], activations
""",
            hint,
        )
        for name, bias, hidden, output, hint in [
            (
                "tanh_output",
                ' + parameters["b" + str(l)]',
                "np.tanh(Z)",
                "np.tanh(Z)",
                "the output layer is a sigmoid",
            ),
            (
                "relu_hidden",
                ' + parameters["b" + str(l)]',
                "np.maximum(0, Z)",
                "1 / (1 + np.exp(-Z))",
                "the hidden layers use tanh here, not ReLU",
            ),
            (
                "sigmoid_hidden",
                ' + parameters["b" + str(l)]',
                "1 / (1 + np.exp(-Z))",
                "1 / (1 + np.exp(-Z))",
                "the hidden layers use tanh, not the sigmoid",
            ),
            ("no_bias", "", "np.tanh(Z)", "1 / (1 + np.exp(-Z))", "the biases are missing"),
        ]
    ],
    (
        "forward_tanh",
        "keeps_Z",
        """
def forward_tanh(X, parameters):
    L = len(parameters) // 2
    activations = [X]
    A = X
    for l in range(1, L):
        Z = parameters["W" + str(l)] @ A + parameters["b" + str(l)]
        A = np.tanh(Z)
        activations.append(Z)
    AL = 1 / (1 + np.exp(-(parameters["W" + str(L)] @ A + parameters["b" + str(L)])))
    activations.append(AL)
    return AL, activations
""",
        "keep A1 = tanh(Z1)",
    ),
    (
        "forward_tanh",
        "no_A0",
        """
def forward_tanh(X, parameters):
    L = len(parameters) // 2
    activations = []
    A = X
    for l in range(1, L + 1):
        Z = parameters["W" + str(l)] @ A + parameters["b" + str(l)]
        A = np.tanh(Z) if l < L else 1 / (1 + np.exp(-Z))
        activations.append(A)
    return A, activations
""",
        "start with activations = [X]",
    ),
    (
        "forward_tanh",
        "W_after_A",
        """
def forward_tanh(X, parameters):
    L = len(parameters) // 2
    activations = [X]
    for l in range(1, L + 1):
        Z = np.dot(activations[-1], parameters["W" + str(l)]) + parameters["b" + str(l)]
        activations.append(np.tanh(Z) if l < L else 1 / (1 + np.exp(-Z)))
    return activations[-1], activations
""",
        "W comes first",
    ),
    # backward_tanh
    *[
        (
            "backward_tanh",
            name,
            f"""
def backward_tanh(Y, parameters, activations):
    L = len(parameters) // 2
    m = Y.shape[1]
    grads = {{}}
    dZ = {dZL}
    for l in range(L, 0, -1):
        A_prev = activations[l - 1]
        grads["dW" + str(l)] = {scale} * dZ @ A_prev.T
        grads["db" + str(l)] = {scale} * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = (parameters["W" + str(l)].T @ dZ) * ({derivative})
    return grads
""",
            hint,
        )
        for name, dZL, scale, derivative, hint in [
            ("one_minus_A", "activations[L] - Y", "(1 / m)", "1 - A_prev", "not 1 - A"),
            (
                "sigmoid_derivative",
                "activations[L] - Y",
                "(1 / m)",
                "A_prev * (1 - A_prev)",
                "A * (1 - A) is the sigmoid's derivative",
            ),
            ("sign", "Y - activations[L]", "(1 / m)", "1 - A_prev**2", "the sign is reversed"),
            ("no_1_over_m", "activations[L] - Y", "1", "1 - A_prev**2", "the 1/m is missing"),
        ]
    ],
    (
        "backward_tanh",
        "no_keepdims",
        """
def backward_tanh(Y, parameters, activations):
    L = len(parameters) // 2
    m = Y.shape[1]
    grads = {}
    dZ = activations[L] - Y
    for l in range(L, 0, -1):
        A_prev = activations[l - 1]
        grads["dW" + str(l)] = (1 / m) * dZ @ A_prev.T
        grads["db" + str(l)] = (1 / m) * np.sum(dZ, axis=1)
        if l > 1:
            dZ = (parameters["W" + str(l)].T @ dZ) * (1 - A_prev**2)
    return grads
""",
        "keep the summed axis",
    ),
    (
        "backward_tanh",
        "W_for_W_T",
        """
def backward_tanh(Y, parameters, activations):
    L = len(parameters) // 2
    m = Y.shape[1]
    grads = {}
    dZ = activations[L] - Y
    for l in range(L, 0, -1):
        A_prev = activations[l - 1]
        grads["dW" + str(l)] = (1 / m) * dZ @ A_prev.T
        grads["db" + str(l)] = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = (parameters["W" + str(l)] @ dZ) * (1 - A_prev**2)
    return grads
""",
        "dA{l-1} = W{l}.T dZ{l}",
    ),
    # train_until
    (
        "train_until",
        "never_stops_at_the_threshold",
        """
def train_until(X, Y, parameters, learning_rate, cost_threshold, max_iterations):
    costs = []
    for iterations in range(max_iterations + 1):
        AL, activations = forward_tanh(X, parameters)
        costs.append(float(compute_cost(AL, Y)))
        if iterations == max_iterations:
            break
        grads = backward_tanh(Y, parameters, activations)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs, iterations
""",
        "stop as soon as the cost is below cost_threshold",
    ),
    (
        "train_until",
        "ignores_max_iterations",
        """
def train_until(X, Y, parameters, learning_rate, cost_threshold, max_iterations):
    costs = []
    iterations = 0
    while True:
        AL, activations = forward_tanh(X, parameters)
        costs.append(float(compute_cost(AL, Y)))
        if costs[-1] < cost_threshold:
            return parameters, costs, iterations
        grads = backward_tanh(Y, parameters, activations)
        parameters = update_parameters(parameters, grads, learning_rate)
        iterations += 1
""",
        "the loop does not stop",
    ),
    (
        "train_until",
        "update_before_the_test",
        """
def train_until(X, Y, parameters, learning_rate, cost_threshold, max_iterations):
    costs = []
    iterations = 0
    while iterations < max_iterations:
        AL, activations = forward_tanh(X, parameters)
        grads = backward_tanh(Y, parameters, activations)
        parameters = update_parameters(parameters, grads, learning_rate)
        iterations += 1
        AL, _ = forward_tanh(X, parameters)
        costs.append(float(compute_cost(AL, Y)))
        if costs[-1] < cost_threshold:
            break
    return parameters, costs, iterations
""",
        "iterations counts the updates made",
    ),
    (
        "train_until",
        "update_not_kept",
        """
def train_until(X, Y, parameters, learning_rate, cost_threshold, max_iterations):
    costs = []
    iterations = 0
    while True:
        AL, activations = forward_tanh(X, parameters)
        costs.append(float(compute_cost(AL, Y)))
        if costs[-1] < cost_threshold or iterations == max_iterations:
            return parameters, costs, iterations
        grads = backward_tanh(Y, parameters, activations)
        update_parameters(parameters, grads, learning_rate)
        iterations += 1
""",
        "update_parameters returns a new dict, so keep what it",
    ),
    (
        "train_until",
        "updates_in_place",
        """
def train_until(X, Y, parameters, learning_rate, cost_threshold, max_iterations):
    costs = []
    iterations = 0
    while True:
        AL, activations = forward_tanh(X, parameters)
        costs.append(float(compute_cost(AL, Y)))
        if costs[-1] < cost_threshold or iterations == max_iterations:
            return parameters, costs, iterations
        grads = backward_tanh(Y, parameters, activations)
        for name in parameters:
            parameters[name] -= learning_rate * grads["d" + name]
        iterations += 1
""",
        "it changed the parameters it was given",
    ),
    (
        "train_until",
        "reads_global_data",
        """
alpha = 0.5

def train_until(X, Y, parameters, learning_rate, cost_threshold, max_iterations):
    costs = []
    iterations = 0
    while True:
        AL, activations = forward_tanh(X, parameters)
        costs.append(float(compute_cost(AL, Y)))
        if costs[-1] < cost_threshold or iterations == max_iterations:
            return parameters, costs, iterations
        grads = backward_tanh(Y, parameters, activations)
        parameters = update_parameters(parameters, grads, alpha)
        iterations += 1
""",
        "it uses the global variable alpha of the notebook",
    ),
    # centered_difference
    (
        "centered_difference",
        "one_sided",
        """
def centered_difference(J, theta, eps=1e-7):
    grad = np.zeros(theta.shape)
    for i in np.ndindex(theta.shape):
        theta_plus = theta.copy()
        theta_plus[i] += eps
        grad[i] = (J(theta_plus) - J(theta)) / eps
    return grad
""",
        "that is the one-sided difference",
    ),
    (
        "centered_difference",
        "divides_by_eps",
        """
def centered_difference(J, theta, eps=1e-7):
    grad = np.zeros(theta.shape)
    for i in np.ndindex(theta.shape):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += eps
        minus[i] -= eps
        grad[i] = (J(plus) - J(minus)) / eps
    return grad
""",
        "divide by 2 eps",
    ),
    (
        "centered_difference",
        "all_entries_at_once",
        """
def centered_difference(J, theta, eps=1e-7):
    value = (J(theta + eps) - J(theta - eps)) / (2 * eps)
    return np.full(theta.shape, value)
""",
        "move one entry at a time",
    ),
    (
        "centered_difference",
        "entries_never_put_back",
        """
def centered_difference(J, theta, eps=1e-7):
    moved = theta.copy()
    grad = np.zeros(theta.shape)
    for i in np.ndindex(theta.shape):
        moved[i] += eps
        plus = J(moved)
        moved[i] -= 2 * eps
        grad[i] = (plus - J(moved)) / (2 * eps)
    return grad
""",
        "put each entry back to its old value",
    ),
    (
        "centered_difference",
        "theta_not_put_back",
        """
def centered_difference(J, theta, eps=1e-7):
    grad = np.zeros(theta.shape)
    for i in np.ndindex(theta.shape):
        theta[i] += eps
        plus = J(theta)
        theta[i] -= 2 * eps
        minus = J(theta)
        grad[i] = (plus - minus) / (2 * eps)
    return grad
""",
        "theta was left changed",
    ),
    (
        "centered_difference",
        "flattened_theta",
        """
def centered_difference(J, theta, eps=1e-7):
    flat = theta.reshape(-1)
    grad = np.zeros(flat.shape)
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += eps
        minus[i] -= eps
        grad[i] = (J(plus) - J(minus)) / (2 * eps)
    return grad.reshape(theta.shape)
""",
        "call J on an array of theta's shape",
    ),
    (
        "centered_difference",
        "one_number",
        """
def centered_difference(J, theta, eps=1e-7):
    return (J(theta + eps) - J(theta - eps)) / (2 * eps)
""",
        "move one entry at a time",
    ),
    # backward_pass
    *[
        (
            "backward_pass",
            name,
            f"""
def backward_pass(AL, Y, cache):
    m = Y.shape[1]
    A0, A1, A2 = cache["A0"], cache["A1"], cache["A2"]
    W2, W3 = cache["W2"], cache["W3"]
    dZ3 = {dZ3}
    dW3 = (1 / m) * np.dot(dZ3, A2.T)
    db3 = (1 / m) * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = dA2 * {g2}
    dW2 = {dW2}
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, {dA1_from})
    dZ1 = dA1 * {g1}
    dW1 = (1 / m) * np.dot(dZ1, A0.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    return {{"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}}
""",
            hint,
        )
        for name, dZ3, g2, dW2, dA1_from, g1, hint in [
            (
                "bugs_left_as_they_are",
                "AL - Y",
                "(1 - A2**2)",
                "np.dot(dZ2, A1.T)",
                "dZ2",
                "(1 - A1)",
                "still what buggy_backward_pass computes",
            ),
            (
                "tanh_derivative_left",
                "AL - Y",
                "(1 - A2**2)",
                "(1 / m) * np.dot(dZ2, A1.T)",
                "dZ2",
                "(1 - A1)",
                "still what buggy_backward_pass computes",
            ),
            (
                "sigmoid_derivatives",
                "AL - Y",
                "A2 * (1 - A2)",
                "(1 / m) * np.dot(dZ2, A1.T)",
                "dZ2",
                "A1 * (1 - A1)",
                "A * (1 - A) is the sigmoid's derivative",
            ),
            (
                "sign",
                "Y - AL",
                "(1 - A2**2)",
                "(1 / m) * np.dot(dZ2, A1.T)",
                "dZ2",
                "(1 - A1**2)",
                "the sign is reversed",
            ),
            (
                "chain_skips_the_derivative",
                "AL - Y",
                "(1 - A2**2)",
                "(1 / m) * np.dot(dZ2, A1.T)",
                "dA2",
                "(1 - A1**2)",
                "dA1 = W2.T dZ2",
            ),
        ]
    ],
    (
        "backward_pass",
        "no_keepdims",
        """
def backward_pass(AL, Y, cache):
    m = Y.shape[1]
    A0, A1, A2 = cache["A0"], cache["A1"], cache["A2"]
    W2, W3 = cache["W2"], cache["W3"]
    dZ3 = AL - Y
    dZ2 = np.dot(W3.T, dZ3) * (1 - A2**2)
    dZ1 = np.dot(W2.T, dZ2) * (1 - A1**2)
    grads = {}
    for l, dZ, A_prev in ((3, dZ3, A2), (2, dZ2, A1), (1, dZ1, A0)):
        grads["dW" + str(l)] = np.dot(dZ, A_prev.T) / m
        grads["db" + str(l)] = np.sum(dZ, axis=1) / m
    return grads
""",
        "keepdims=True",
    ),
]


@pytest.mark.parametrize("hidden", [False, True], ids=["visible", "hidden"])
@pytest.mark.parametrize(
    "exercise, name, source, hint", MISTAKES, ids=[f"{m[0]}-{m[1]}" for m in MISTAKES]
)
def test_classic_mistake_fails_with_its_hint(exercise, name, source, hint, hidden):
    namespace = with_source(NOTEBOOK_OF[exercise], source)
    printed, error = run_check(exercise, namespace[exercise], hidden=hidden)
    assert error is not None, f"{name} passed the {exercise} check"
    assert hint in str(error), f"{name}: expected the hint {hint!r} in:\n{error}"
    assert_no_expected_values(str(error) + printed)


def test_each_hint_of_the_check_modules_is_covered_by_a_mistake():
    hints = [hint for _, _, _, hint in MISTAKES]
    for text in [
        application.SCRAMBLE_HINT,
        application.AXES_HINT,
        application.HARD_CODED_HINT,
        application.IN_PLACE_HINT,
        application.NO_UPDATE_HINT,
        application.WHERE_ROWS_HINT,
        classroom.GLOBAL_RNG_HINT,
        classroom.NO_UPDATE_HINT,
        classroom.COUNT_HINT,
        gradient_checking.RESTORE_HINT,
    ]:
        assert any(hint in text for hint in hints), text


def test_the_infinite_loop_guard_stops_a_loop_without_max_iterations():
    # Without the guard this check would never return.
    namespace = with_source(
        "03_classroom",
        """
def train_until(X, Y, parameters, learning_rate, cost_threshold, max_iterations):
    costs = []
    while True:
        AL, activations = forward_tanh(X, parameters)
        costs.append(float(compute_cost(AL, Y)))
        grads = backward_tanh(Y, parameters, activations)
        parameters = update_parameters(parameters, grads, learning_rate)
""",
    )
    _, error = run_check("train_until", namespace["train_until"])
    assert "it called forward_tanh more than" in str(error)
    # and the student's own functions are back in the notebook's namespace
    assert namespace["forward_tanh"].__module__ == "__main__"
    assert namespace["backward_tanh"].__module__ == "__main__"


def test_train_until_is_graded_with_the_reference_forward_and_backward():
    # A wrong backward_tanh costs its own exercise, not the loop's.
    namespace = with_source(
        "03_classroom",
        "def backward_tanh(Y, parameters, activations):\n    return {}\n",
    )
    printed, error = run_check("train_until", namespace["train_until"], hidden=True)
    assert error is None, str(error)
    assert namespace["backward_tanh"].__module__ == "__main__"


def test_train_until_shares_the_time_budget_of_every_check(monkeypatch):
    # Each call is fast enough alone; together they use up the check's budget.
    namespace = solutions("03_classroom")
    namespace["right_train_until"] = namespace["train_until"]
    exec(
        "import time\n\n"
        "def train_until(*args):\n"
        "    time.sleep(0.2)\n"
        "    return right_train_until(*args)\n",
        namespace,
    )
    monkeypatch.setitem(calling.LIMITS, "check", 0.3)
    _, error = run_check("train_until", namespace["train_until"])
    assert error is not None
    assert "ran longer than" in str(error) or "ran out of time" in str(error), str(error)


def test_a_wrong_set_of_gradients_fails_without_naming_them():
    answers = [{"dW2"}, {"dW2", "dW1", "db1", "db2"}, {"dW3", "db3"}]
    for answer in answers:
        printed, error = run_check("wrong_gradients", answer)
        assert error is None  # the visible check only checks the form
        printed, error = run_check("wrong_gradients", answer, hidden=True)
        assert error is not None and "is not the set of gradients the bugs break" in str(error)
        for name in gradient_checking.GRADIENT_NAMES:
            assert name not in str(error).split("Hint")[0]


@pytest.mark.parametrize(
    "answer, hint",
    [
        ("dW2, dW1", "write the names in braces, as strings"),
        ({"W2"}, "name the gradient, with its d: 'dW2'"),
        ({"dW4"}, "the gradients of this network are dW1, db1"),
        (set(), "gradient_check shows which gradients they break"),
        ({2}, "name each gradient as a string"),
    ],
)
def test_the_form_of_wrong_gradients_is_checked(answer, hint):
    for hidden in (False, True):
        _, error = run_check("wrong_gradients", answer, hidden=hidden)
        assert error is not None and hint in str(error)


def test_wrong_gradients_is_what_gradient_check_finds_in_the_notebooks_buggy_pass():
    namespace = {"__name__": "__main__"}
    for cell_id, source, _ in CELLS["04_gradient_checking"]:
        if cell_id == "imports" or "def forward_pass" in source or "def buggy_backward" in source:
            exec(compile(source, cell_id, "exec"), namespace)
    for seed in (1, 2, 3):
        parameters, X, Y = gradient_checking.network_inputs(4, 5, 3, 10, seed)
        errors = gradient_check(
            parameters,
            X,
            Y,
            forward=namespace["forward_pass"],
            backward=namespace["buggy_backward_pass"],
            print_result=False,
        )
        wrong = {f"d{name}" for name, error in errors.items() if error > BAD}
        right = {f"d{name}" for name, error in errors.items() if error < GOOD}
        assert wrong == gradient_checking.WRONG_GRADIENTS
        assert wrong | right == set(gradient_checking.GRADIENT_NAMES)


def test_the_fixed_backward_pass_passes_gradient_check():
    namespace = solutions("04_gradient_checking")
    for cell_id, source, _ in CELLS["04_gradient_checking"]:
        if "def forward_pass" in source:
            exec(compile(source, cell_id, "exec"), namespace)
    parameters, X, Y = gradient_checking.network_inputs(3, 4, 2, 6, 7)
    errors = gradient_check(
        parameters,
        X,
        Y,
        forward=namespace["forward_pass"],
        backward=namespace["backward_pass"],
        print_result=False,
    )
    assert max(errors.values()) < GOOD


def test_the_reference_forward_pass_matches_the_notebooks():
    namespace = {"__name__": "__main__"}
    for cell_id, source, _ in CELLS["04_gradient_checking"]:
        if cell_id == "imports" or "def forward_pass" in source:
            exec(compile(source, cell_id, "exec"), namespace)
    parameters, X, _ = gradient_checking.network_inputs(3, 4, 2, 6, 8)
    AL, cache = namespace["forward_pass"](X, parameters)
    AL_expected, cache_expected = gradient_checking.reference_forward_pass(X, parameters)
    assert compare.close(AL, AL_expected)
    assert set(cache) == set(cache_expected)
    for key in cache:
        assert compare.close(cache[key], cache_expected[key]), key


# --- delegation and other refusals ---------------------------------------------------------

DELEGATIONS = [
    (
        "two_layer_model",
        "import dl_utils\n\n"
        "def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, "
        "print_cost=False):\n"
        "    return dl_utils.two_layer_model(X, Y, layers_dims, learning_rate, num_iterations)",
    ),
    (
        "two_layer_model",
        "from dl_utils import L_layer_model\n\n"
        "def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, "
        "print_cost=False):\n"
        "    return L_layer_model(X, Y, list(layers_dims), learning_rate, num_iterations)",
    ),
    (
        "initialize_network",
        "from dl_utils import initialize_parameters_deep\n\n"
        "def initialize_network(layer_dims, seed):\n"
        '    return initialize_parameters_deep(layer_dims, seed=seed, init="xavier")',
    ),
    (
        "forward_tanh",
        "from dl_utils import L_model_forward\n\n"
        "def forward_tanh(X, parameters):\n"
        '    AL, caches = L_model_forward(X, parameters, "tanh")\n'
        "    return AL, [c[0][0] for c in caches] + [AL]",
    ),
    (
        "backward_tanh",
        "from dl_utils import L_model_backward, L_model_forward\n\n"
        "def backward_tanh(Y, parameters, activations):\n"
        '    AL, caches = L_model_forward(activations[0], parameters, "tanh")\n'
        '    return L_model_backward(AL, Y, caches, "tanh")',
    ),
    (
        "train_until",
        "from dl_utils.fast_training import GradientDescent\n\n"
        "def train_until(X, Y, parameters, learning_rate, cost_threshold, max_iterations):\n"
        '    trainer = GradientDescent(X, Y, parameters, learning_rate, "tanh")\n'
        "    costs = trainer.run(max_iterations, record_every=1)\n"
        "    return trainer.parameters, costs, max_iterations",
    ),
    (
        "centered_difference",
        "from dl_utils import numerical_gradient\n\n"
        "def centered_difference(J, theta, eps=1e-7):\n"
        "    return numerical_gradient(J, theta, eps)",
    ),
    (
        "backward_pass",
        "import dl_utils\n\n"
        "def helper(AL, Y, cache):\n"
        '    _, caches = dl_utils.L_model_forward(cache["A0"], {}, "tanh")\n'
        "    return caches\n\n"
        "def backward_pass(AL, Y, cache):\n"
        "    return helper(AL, Y, cache)",
    ),
]


@pytest.mark.parametrize("exercise, source", DELEGATIONS, ids=[d[0] for d in DELEGATIONS])
def test_a_function_that_calls_the_reference_earns_no_credit(exercise, source):
    namespace = with_source(NOTEBOOK_OF[exercise], source)
    for hidden in (False, True):
        _, error = run_check(exercise, namespace[exercise], hidden=hidden)
        assert error is not None and "earns no credit" in str(error)


def test_the_reference_function_itself_earns_no_credit():
    _, error = run_check("two_layer_model", dl_utils.two_layer_model)
    assert "this is the reference two_layer_model from dl_utils" in str(error)


def test_two_layer_model_may_call_the_building_blocks():
    # The exercise is about assembling: the five reference blocks are allowed.
    answer = solutions("02_application")["two_layer_model"]
    assert reading.reference_calls(answer, EXERCISES_BY_NAME["two_layer_model"].allowed) == []
    assert reading.reference_calls(answer) != []


def test_global_data_names_only_the_variables_holding_data():
    namespace = {"np": np, "X": np.ones((2, 3)), "alpha": 0.1, "helper": len}
    exec(
        "def f(A):\n    return np.dot(X, A) * alpha + helper(A) + [x for x in X][0]\n",
        namespace,
    )
    assert classroom.global_data(namespace["f"]) == ["X", "alpha"]
    exec("def g(X, alpha):\n    return np.dot(X, X) * alpha\n", namespace)
    assert classroom.global_data(namespace["g"]) == []
    exec("def h():\n    global counter\n    counter = 1\n", namespace)
    namespace["counter"] = 0
    assert classroom.global_data(namespace["h"]) == ["counter"]


def test_an_unwritten_function_is_reported_as_not_written_yet():
    for notebook, name, _ in EXERCISES:
        if name == "wrong_gradients":
            continue
        namespace = with_source(
            notebook, f"def {name}(*args, **kwargs):\n    raise NotImplementedError()"
        )
        for hidden in (False, True):
            _, error = run_check(name, namespace[name], hidden=hidden)
            assert isinstance(error, report.NotWrittenYet), name


def test_tampering_before_the_check_fails_it():
    namespace = solutions("03_classroom")
    try:
        exec("np.tanh = lambda Z: Z", namespace)
        _, error = run_check("forward_tanh", namespace["forward_tanh"])
    finally:
        restore_watched_functions()
    assert error is not None and "tampering detected" in str(error)


def test_tampering_fails_the_check_of_wrong_gradients_too():
    try:
        np.dot = lambda a, b: a @ b
        _, error = run_check("wrong_gradients", {"dW2"})
    finally:
        restore_watched_functions()
    assert error is not None and "tampering detected: numpy.dot replaced" in str(error)


def test_checks_leave_numpys_global_random_generator_alone():
    before = np.random.get_state()
    for notebook, name, _ in EXERCISES:
        answer = solutions(notebook)[name]
        run_check(name, answer, hidden=True)
    after = np.random.get_state()
    assert before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2] == after[2]


def test_the_checks_write_nothing_to_stderr():
    # nbgrader gives no points to a test cell that writes to stderr
    for notebook, name, _ in EXERCISES:
        answer = solutions(notebook)[name]
        stderr = io.StringIO()
        with warnings.catch_warnings(), contextlib.redirect_stderr(stderr):
            warnings.simplefilter("error")
            run_check(name, answer, hidden=True)
        assert stderr.getvalue() == "", name


# --- the grading catalog -------------------------------------------------------------------


def points_in(notebook, manual):
    """{grade_id: points} of the graded cells: autograded tests, or manual answers."""
    nb = nbformat.read(notebook_path(notebook), as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
        and bool(cell.metadata["nbgrader"].get("solution")) == manual
    }


def test_catalog_points_match_the_notebooks():
    for notebook in NOTEBOOKS:
        assert points_in(notebook, manual=False) == CATALOG_MODULE.POINTS[notebook]
        assert points_in(notebook, manual=True) == CATALOG_MODULE.MANUAL_POINTS.get(notebook, {})
    assert set(CATALOG_MODULE.POINTS) == set(NOTEBOOKS)
    assert CATALOG_MODULE.MANUAL_POINTS["03_classroom"]


def test_catalog_has_at_least_two_realistic_mistakes_per_notebook():
    mistakes = CATALOG_MODULE.MISTAKES
    assert len({m["name"] for m in mistakes}) == len(mistakes)
    for notebook in NOTEBOOKS:
        entries = [m for m in mistakes if m["notebook"] == notebook]
        assert len(entries) >= 2, notebook
        answer_ids = {cell_id for cell_id, _, _ in CELLS[notebook] if cell_id.endswith("_answer")}
        for mistake in entries:
            assert set(mistake) == {"notebook", "name", "grade_id", "source", "hint", "failing"}
            assert mistake["grade_id"] in answer_ids
            assert mistake["failing"]
            assert set(mistake["failing"]) <= set(CATALOG_MODULE.POINTS[notebook])
            assert "BEGIN SOLUTION" not in mistake["source"]


def show_on_stderr(message, category, filename, lineno, file=None, line=None):
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def only_definitions(source):
    """True for a cell that only defines functions (such as the given forward_pass)."""
    body = ast.parse(source).body
    return bool(body) and all(isinstance(node, ast.FunctionDef) for node in body)


def run_graded_cells(notebook, replacements):
    """Run a notebook's imports, answer cells, given function definitions and test cells
    in one namespace, as a grading kernel does (the other cells train and draw; no test
    cell depends on them), with some answer cells replaced. Returns {test cell id: why it
    fails}: the exception it raised, or what it wrote to stderr (nbgrader gives such a
    cell no points either)."""
    namespace = {"__name__": "__main__"}
    failed = {}
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show_on_stderr
        for cell_id, source, meta in CELLS[notebook]:
            graded = cell_id == "imports" or meta.get("solution") or meta.get("grade")
            if not (graded or only_definitions(source)):
                continue
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
    return {cell_id: why for cell_id, why in failed.items() if cell_id.endswith("_tests")}


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_solutions_lose_no_points(notebook):
    assert run_graded_cells(notebook, {}) == {}


@pytest.mark.parametrize("mistake", CATALOG_MODULE.MISTAKES, ids=lambda m: m["name"])
def test_catalog_entry_loses_exactly_the_points_it_lists(mistake):
    failed = run_graded_cells(mistake["notebook"], {mistake["grade_id"]: mistake["source"]})
    assert sorted(failed) == sorted(mistake["failing"])
    own_tests = mistake["grade_id"].removesuffix("_answer") + "_tests"
    assert mistake["hint"] in str(failed[own_tests])


def solution_lines():
    """{(notebook, line)} of the lines between the solution markers of every notebook that
    the student's version does not show anyway (in its text, docstrings or code)."""
    found = set()
    for path in sorted((ROOT / "notebooks" / "source").glob("*/*.ipynb")):
        solution, shown = set(), []
        for cell in nbformat.read(path, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                if "### BEGIN SOLUTION" in line or "### END SOLUTION" in line:
                    inside = "BEGIN" in line
                elif inside and len(line.strip()) >= 12:
                    solution.add(" ".join(line.split()))
                elif not inside:
                    shown.append(" ".join(line.split()))
        text = "\n".join(shown)
        found |= {(path.stem, line) for line in solution if line not in text}
    return found


def check_module_strings():
    """Every string written in the check modules (the hints among them), spaces normalized."""
    import ast

    strings = []
    for path in sorted((ROOT / "dl_utils" / "checks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.append((path.name, " ".join(node.value.split())))
            elif isinstance(node, ast.JoinedStr):  # f-strings: their literal parts together
                parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
                strings.append((path.name, " ".join("".join(parts).split())))
    return strings


def test_no_hint_hands_over_a_line_of_a_solution():
    # a hint names the mistake and the idea, never the line to type
    strings = check_module_strings()
    leaks = [
        (notebook, line, module)
        for notebook, line in solution_lines()
        for module, text in strings
        if line in text
    ]
    assert leaks == []
