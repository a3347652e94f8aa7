"""Checks of the classroom notebook's exercises: initialize_network, forward_tanh,
backward_tanh and train_until.

The network: [LINEAR -> TANH] x (L-1) -> LINEAR -> SIGMOID, written as functions
that take everything they use as arguments (the homework forbids global
variables, and every check here refuses a function that reads one).

Shapes, with m examples (one per column): X = A0 (n_x, m), A{l} (n[l], m),
AL (1, m), Y (1, m), W{l} (n[l], n[l-1]), b{l} (n[l], 1).

The expected values come from dl_utils at check time:
``initialize_parameters_deep(..., init="xavier")``,
``L_model_forward(X, parameters, hidden_activation="tanh")`` and
``L_model_backward(..., hidden_activation="tanh")``.
"""

import numpy as np

from .. import model as reference_model
from ..initialization import initialize_parameters_deep
from .application import cost_values
from .calling import MATMUL_ERROR, raised
from .compare import (
    TRAIN_ATOL,
    TRAIN_RTOL,
    close,
    describe,
    diagnose,
    expect_array,
    expect_tuple,
    generator,
    identical,
    is_array,
    key_names,
    mistakes_at,
    shape_of,
)
from .reading import global_data, swapped_globals
from .registry import exercise
from .report import CheckFailed

# --- no global variables ------------------------------------------------------------------


def refuse_globals(checker, fn):
    """Fail when fn uses a global variable that holds data (see ``global_data``)."""
    used = global_data(fn)
    if used:
        checker.fail(
            f"it uses the global variable{'s' if len(used) > 1 else ''} {', '.join(used)} "
            "of the notebook",
            "the homework asks for functions without global variables: take everything "
            "the function needs as an argument, and return what it computes",
        )
    checker.ok("no global variables")


# --- shared inputs ---------------------------------------------------------------------


def network(layer_dims, seed):
    """Parameters W{l} (n[l], n[l-1]) and b{l} (n[l], 1), with non-zero biases,
    so that a forgotten bias shows."""
    rng = generator(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        parameters[f"W{l}"] = rng.randn(n, n_prev) / np.sqrt(n_prev)
        parameters[f"b{l}"] = rng.randn(n, 1) * 0.5
    return parameters


def data(n_x, m, seed):
    """X (n_x, m) and labels Y (1, m) holding both classes (Y = 1 outside a circle)."""
    rng = generator(seed)
    X = rng.randn(n_x, m)
    Y = (np.sum(X**2, axis=0, keepdims=True) > n_x).astype(int)
    Y[0, 0], Y[0, -1] = 0, 1
    return X, Y


def reference_forward_tanh(X, parameters):
    """What forward_tanh should return: AL (1, m) and [A0, A1, ..., AL]."""
    AL, caches = reference_model.L_model_forward(X, parameters, "tanh")
    return AL, [cache[0][0] for cache in caches] + [AL]


def reference_backward_tanh(Y, parameters, activations):
    """What backward_tanh should return: dW{l} and db{l} for l = 1..L.

    activations: [A0, ..., AL]; the reference recomputes its caches from A0 = X.
    """
    AL, caches = reference_model.L_model_forward(activations[0], parameters, "tanh")
    grads = reference_model.L_model_backward(AL, Y, caches, "tanh")
    return {name: value for name, value in grads.items() if not name.startswith("dA")}


def _sorted_names(names):
    """Parameter names in the order a backward pass finds them: WL, bL, ..., W1, b1."""
    return sorted(names, key=lambda name: (-int(name.lstrip("dWb")), name.lstrip("d")))


# --- initialize_network ----------------------------------------------------------------

# (layer_dims, seed)
INIT_VISIBLE = [([2, 3, 4, 1], 1)]
INIT_HIDDEN = [([3, 6, 6, 2], 8), ([5, 1], 7), ([4, 2, 1], 0)]

GLOBAL_RNG_HINT = (
    "it changed numpy's global random generator (np.random.seed or np.random.randn), "
    "a global variable in disguise: draw from a generator of your own, "
    "rng = np.random.RandomState(seed), then rng.randn(...)"
)


def _weights(layer_dims, seed, scale, one_generator=True, kind="RandomState"):
    """The W{l} that a given recipe draws; scale(n, n_prev) is the factor of layer l."""
    rng = None
    weights = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        if rng is None or not one_generator:
            rng = (
                np.random.RandomState(seed)
                if kind == "RandomState"
                else np.random.default_rng(seed)
            )
        draw = rng.randn(n, n_prev) if kind == "RandomState" else rng.standard_normal((n, n_prev))
        weights[f"W{l}"] = draw * scale(n, n_prev)
    return weights


def _init_mistakes(layer_dims, seed):
    xavier = lambda n, n_prev: np.sqrt(1 / n_prev)  # noqa: E731
    return [
        (
            lambda: _weights(layer_dims, seed, lambda n, n_prev: 0.01),
            "that is the 0.01 scale of the homework: use np.sqrt(1 / n[l-1]) (Xavier), which "
            "keeps Z of order 1 whatever the layer's width, so tanh neither saturates nor "
            "starts almost flat",
        ),
        (
            lambda: _weights(layer_dims, seed, lambda n, n_prev: np.sqrt(2 / n_prev)),
            "that is He's scale np.sqrt(2 / n[l-1]), made for ReLU; tanh uses np.sqrt(1 / n[l-1])",
        ),
        (
            lambda: _weights(layer_dims, seed, lambda n, n_prev: np.sqrt(1 / n)),
            "the scale depends on the number of inputs of the layer, n[l-1] "
            "(layer_dims[l - 1]), not on its own size",
        ),
        (
            lambda: _weights(layer_dims, seed, lambda n, n_prev: 1.0),
            "the weights are not scaled: multiply by np.sqrt(1 / n[l-1])",
        ),
        (
            lambda: _weights(layer_dims, seed, xavier, one_generator=False),
            "a new generator for every layer repeats the same numbers: create "
            "rng = np.random.RandomState(seed) once, before the loop",
        ),
        (
            lambda: _weights(layer_dims, seed, xavier, kind="Generator"),
            "np.random.default_rng draws other numbers: use rng = np.random.RandomState(seed) "
            "and rng.randn, as dl_utils does",
        ),
    ]


@exercise("initialize_network")
def check_initialize_network(checker, initialize_network, hidden):
    """Check W{l} = randn(n[l], n[l-1]) * sqrt(1 / n[l-1]) drawn from
    np.random.RandomState(seed), layer after layer, and b{l} = zeros (n[l], 1)."""
    refuse_globals(checker, initialize_network)
    for layer_dims, seed in INIT_HIDDEN if hidden else INIT_VISIBLE:
        _init_case(checker, initialize_network, layer_dims, seed)
    checker.ok("numpy's global random generator left alone")


def _init_case(checker, initialize_network, layer_dims, seed):
    expected = initialize_parameters_deep(layer_dims, seed=seed, init="xavier")
    result = checker.call(
        initialize_network,
        (list(layer_dims), seed),
        exception_hints=[(raised(TypeError, "argument"), "keep the signature (layer_dims, seed)")],
    )
    if checker.last_call.random_changed:
        checker.fail("it used numpy's global random generator", GLOBAL_RNG_HINT)
    L = len(layer_dims) - 1
    if not isinstance(result, dict) or set(result) != set(expected):
        got = shape_of(result)
        if isinstance(result, dict):
            got = "a dict of " + key_names(result)
        checker.fail(
            f"for layer_dims {layer_dims} it should return a dict with exactly "
            f"W1, b1, ..., W{L}, b{L}, got {got}",
            "one W and one b per layer: for l in range(1, len(layer_dims))",
        )
    checker.ok(f"returns W1, b1, ..., W{L}, b{L} for layer_dims {layer_dims}")
    for l in range(1, L + 1):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        W, b = result[f"W{l}"], result[f"b{l}"]
        hint = None
        if is_array(W) and W.shape == (n_prev, n):
            hint = "W{l} has one row per unit of layer l: shape (n[l], n[l-1])"
        expect_array(checker, W, f"W{l}", (n, n_prev), f"for layer_dims {layer_dims}", hint)
        expect_array(
            checker, b, f"b{l}", (n, 1), "", "b is a column: np.zeros((n[l], 1)), two numbers"
        )
        if not identical(b, expected[f"b{l}"]):
            checker.fail(
                f"b{l} should start at zero",
                "biases start at zero (np.zeros((n[l], 1))): the random weights already "
                "break the symmetry between units, and random biases would use up "
                "numbers of the generator",
            )
    checker.ok("shapes: W{l} (n[l], n[l-1]) and b{l} (n[l], 1); biases zero")
    # A mistake is recognized from all the weights at once: for one layer, two recipes
    # can give the same numbers (sqrt(2 / n[l-1]) is 1 when n[l-1] = 2).
    mistakes = _init_mistakes(layer_dims, seed)
    weights = _all_weights(result, L)
    for l in range(1, L + 1):
        name = f"W{l}"
        if not close(result[name], expected[name]):
            hint = diagnose(weights, [(_weights_of(make, L), h) for make, h in mistakes])
            checker.fail(
                f"{name} has the right shape {expected[name].shape} but wrong values",
                hint
                or "rng = np.random.RandomState(seed) once, then for each layer "
                "rng.randn(n[l], n[l-1]) * np.sqrt(1 / n[l-1])",
            )
    checker.ok("W values: randn * sqrt(1 / n[l-1]) from RandomState(seed)")


def _all_weights(parameters, L):
    """W1, ..., WL side by side in one 1-D array."""
    return np.concatenate([np.ravel(parameters[f"W{l}"]) for l in range(1, L + 1)])


def _weights_of(make, L):
    return lambda: _all_weights(make(), L)


# --- forward_tanh ----------------------------------------------------------------------

# (layer_dims, m, seed)
FORWARD_VISIBLE = [([2, 3, 4, 1], 5, 1)]
FORWARD_HIDDEN = [([3, 1], 4, 31), ([2, 3, 1], 1, 32), ([4, 5, 3, 2, 1], 7, 33)]


def forward_variant(X, parameters, hidden="tanh", output="sigmoid", bias=True):
    """A forward pass with another hidden or output activation, or without the biases.

    Returns (AL, [A0, ..., AL], [Z1, ..., ZL]).
    """
    functions = {
        "tanh": np.tanh,
        "sigmoid": lambda Z: 1 / (1 + np.exp(-Z)),
        "relu": lambda Z: np.maximum(0, Z),
    }
    L = len(parameters) // 2
    activations, pre_activations = [X], []
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ activations[-1]
        if bias:
            Z = Z + parameters[f"b{l}"]
        pre_activations.append(Z)
        activations.append(functions[hidden if l < L else output](Z))
    return activations[-1], activations, pre_activations


def _forward_mistakes(X, parameters):
    return [
        (
            lambda: forward_variant(X, parameters, output="tanh"),
            "the output layer is a sigmoid, which gives a probability between 0 and 1; "
            "tanh is for the hidden layers only",
        ),
        (
            lambda: forward_variant(X, parameters, hidden="relu"),
            "the hidden layers use tanh here, not ReLU",
        ),
        (
            lambda: forward_variant(X, parameters, hidden="sigmoid"),
            "the hidden layers use tanh, not the sigmoid",
        ),
        (
            lambda: forward_variant(X, parameters, bias=False),
            "the biases are missing: Z{l} = W{l} A{l-1} + b{l}",
        ),
    ]


@exercise("forward_tanh")
def check_forward_tanh(checker, forward_tanh, hidden):
    """Check the forward pass [LINEAR -> TANH] x (L-1) -> LINEAR -> SIGMOID: AL (1, m)
    and the list of activations [A0 = X, A1, ..., AL]."""
    refuse_globals(checker, forward_tanh)
    for layer_dims, m, seed in FORWARD_HIDDEN if hidden else FORWARD_VISIBLE:
        X, _ = data(layer_dims[0], m, seed)
        parameters = network(layer_dims, seed)
        _forward_case(checker, forward_tanh, X, parameters)
    checker.ok("inputs left unchanged")


def _forward_case(checker, forward_tanh, X, parameters):
    L = len(parameters) // 2
    m = X.shape[1]
    AL_expected, activations_expected = reference_forward_tanh(X, parameters)
    result = checker.call(
        forward_tanh,
        (X, parameters),
        exception_hints=[(MATMUL_ERROR, "Z{l} = np.dot(W{l}, A{l-1}) + b{l}: W comes first")],
    )
    AL, activations = expect_tuple(checker, result, ("AL", "activations"))
    checker.ok("returns (AL, activations)")
    expect_array(checker, AL, "AL", (1, m), f"for X {X.shape} and {L} layers")
    checker.ok(f"AL has shape {AL.shape}")
    mistakes = _forward_mistakes(X, parameters)
    if not close(AL, AL_expected):
        hint = diagnose(AL, mistakes_at(mistakes, 0))
        checker.fail(
            f"AL has the right shape {AL.shape} but wrong values (network of {L} layers)",
            hint or "tanh in layers 1 .. L-1, the sigmoid in layer L",
        )
    checker.ok("AL values are right")

    if not isinstance(activations, (list, tuple)) or len(activations) != L + 1:
        checker.fail(
            f"activations should be the list [A0, A1, ..., A{L}] of {L + 1} arrays "
            f"for {L} layers, got {describe(activations)}",
            "start with activations = [X] and append every layer's A, AL included",
        )
    _, _, pre_activations = forward_variant(X, parameters)
    for l, (A, expected) in enumerate(zip(activations, activations_expected)):
        expect_array(checker, A, f"activations[{l}]", expected.shape, f"(A{l})")
        if not close(A, expected):
            hint = "activations[0] is A0 = X itself" if l == 0 else None
            if l > 0 and close(A, pre_activations[l - 1]):
                hint = f"that is Z{l}: keep A{l} = tanh(Z{l}), the backward pass uses 1 - A**2"
            checker.fail(f"activations[{l}] (A{l}) has the right shape but wrong values", hint)
    checker.ok(f"activations holds A0 = X, A1, ..., A{L} = AL")


# --- backward_tanh ---------------------------------------------------------------------

# (layer_dims, m, seed)
BACKWARD_VISIBLE = [([2, 3, 4, 1], 6, 1)]
BACKWARD_HIDDEN = [([3, 1], 5, 41), ([2, 3, 1], 4, 42), ([4, 5, 3, 2, 1], 8, 43)]


def backward_variant(Y, parameters, activations, derivative="tanh", sign=1, one_over_m=True):
    """A backward pass with one classic mistake; returns dW{l} and db{l} for l = 1..L.

    derivative: g'(Z) of the hidden layers written from A: "tanh" (1 - A**2),
        "linear" (1 - A) or "sigmoid" (A * (1 - A)).
    sign: +1 for dZL = AL - Y, -1 for Y - AL. one_over_m: False leaves out 1/m.
    """
    derivatives = {
        "tanh": lambda A: 1 - A**2,
        "linear": lambda A: 1 - A,
        "sigmoid": lambda A: A * (1 - A),
    }
    L = len(parameters) // 2
    m = Y.shape[1]
    factor = 1 / m if one_over_m else 1.0
    grads = {}
    dZ = sign * (activations[L] - Y)
    for l in range(L, 0, -1):
        grads[f"dW{l}"] = factor * dZ @ activations[l - 1].T
        grads[f"db{l}"] = factor * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = (parameters[f"W{l}"].T @ dZ) * derivatives[derivative](activations[l - 1])
    return grads


def _backward_mistakes(Y, parameters, activations):
    return [
        (
            lambda: backward_variant(Y, parameters, activations, derivative="linear"),
            "tanh'(Z) = 1 - tanh(Z)**2 = 1 - A**2, not 1 - A",
        ),
        (
            lambda: backward_variant(Y, parameters, activations, derivative="sigmoid"),
            "A * (1 - A) is the sigmoid's derivative; the hidden layers use tanh: 1 - A**2",
        ),
        (
            lambda: backward_variant(Y, parameters, activations, sign=-1),
            "the sign is reversed: dZL = AL - Y (the derivative of the cost, which "
            "gradient descent then subtracts)",
        ),
        (
            lambda: backward_variant(Y, parameters, activations, one_over_m=False),
            "the 1/m is missing: dW{l} = (1/m) dZ{l} A{l-1}.T and db{l} = (1/m) sum of dZ{l}",
        ),
    ]


@exercise("backward_tanh")
def check_backward_tanh(checker, backward_tanh, hidden):
    """Check the gradients dW{l} (n[l], n[l-1]) and db{l} (n[l], 1), l = L..1, of the
    cross-entropy cost for a tanh network with a sigmoid output (dZL = AL - Y)."""
    refuse_globals(checker, backward_tanh)
    for layer_dims, m, seed in BACKWARD_HIDDEN if hidden else BACKWARD_VISIBLE:
        X, Y = data(layer_dims[0], m, seed)
        parameters = network(layer_dims, seed)
        _, activations = reference_forward_tanh(X, parameters)
        _backward_case(checker, backward_tanh, Y, parameters, activations)
    checker.ok("inputs left unchanged")


def _backward_case(checker, backward_tanh, Y, parameters, activations):
    expected = reference_backward_tanh(Y, parameters, activations)
    L = len(parameters) // 2
    result = checker.call(
        backward_tanh,
        (Y, parameters, activations),
        exception_hints=[
            (
                MATMUL_ERROR,
                "check each product's shapes: dW{l} = dZ{l} A{l-1}.T and dA{l-1} = W{l}.T dZ{l}",
            )
        ],
    )
    if not isinstance(result, dict):
        checker.fail(
            f"it should return the dict grads with dW1, db1, ..., dW{L}, db{L}, "
            f"got {shape_of(result)}",
            "grads = {} before the loop, then grads['dW' + str(l)] = ...",
        )
    missing = [name for name in _sorted_names(expected) if name not in result]
    if missing:
        checker.fail(
            f"grads has no {', '.join(missing)} (network of {L} layers)",
            "one dW and one db per layer, l = L, L-1, ..., 1 (str(l), the letter l)",
        )
    checker.ok(f"grads holds dW1, db1, ..., dW{L}, db{L}")
    mistakes = _backward_mistakes(Y, parameters, activations)
    m = Y.shape[1]
    for name in _sorted_names(expected):
        value, right = result[name], expected[name]
        hint = None
        if name.startswith("db"):
            hint = "keep the summed axis: np.sum(dZ, axis=1, keepdims=True) gives (n[l], 1)"
        elif is_array(value) and value.shape == right.T.shape:
            hint = f"{name} has the shape of W: dZ A_prev.T, shape (n[l], n[l-1])"
        expect_array(checker, value, name, right.shape, f"(the shape of {name[1:]})", hint)
        if not close(value, right):
            found = diagnose(value, mistakes_at(mistakes, name))
            checker.fail(
                f"{name} has the right shape {right.shape} but wrong values "
                f"(network of {L} layers, m = {m})",
                found
                or "dZL = AL - Y; then for each layer dW, db, and "
                "dZ{l-1} = W{l}.T dZ{l} * (1 - A{l-1}**2)",
            )
    checker.ok("every dW and db has the right shape and values")


# --- train_until -----------------------------------------------------------------------

# (layer_dims, m, learning_rate, cost_threshold, max_iterations, seed). Each list
# has cases that stop at the threshold and a case that stops at max_iterations; the
# last hidden case stops at once (its first cost is below the threshold).
TRAIN_VISIBLE = [([2, 3, 4, 1], 12, 0.5, 0.3, 400, 1), ([2, 3, 4, 1], 12, 0.5, 0.01, 30, 1)]
TRAIN_HIDDEN = [
    ([2, 4, 1], 10, 1.0, 0.25, 500, 51),
    ([3, 1], 9, 0.3, 0.5, 300, 52),
    ([2, 3, 4, 1], 16, 0.2, 0.001, 45, 53),
    ([2, 3, 4, 1], 8, 0.5, 10.0, 50, 54),
]

NO_UPDATE_HINT = (
    "the parameters never change: update_parameters returns a new dict, so keep what it "
    "returns for the next update"
)
COUNT_HINT = (
    "iterations counts the updates made; costs[i] is the cost after i updates, so "
    "len(costs) == iterations + 1: compute the cost, stop if it is below the threshold "
    "(or if iterations == max_iterations), else update and count"
)


def reference_train_until(X, Y, parameters, learning_rate, cost_threshold, max_iterations):
    """What train_until should return: (parameters, costs, iterations).

    Each round: the cost of the current parameters is appended to costs; the loop
    stops when it is below cost_threshold or after max_iterations updates;
    otherwise one update. So len(costs) == iterations + 1.
    """
    costs = []
    iterations = 0
    while True:
        AL, activations = reference_forward_tanh(X, parameters)
        costs.append(float(reference_model.compute_cost(AL, Y)))
        if costs[-1] < cost_threshold or iterations == max_iterations:
            return parameters, costs, iterations
        grads = reference_backward_tanh(Y, parameters, activations)
        parameters = reference_model.update_parameters(parameters, grads, learning_rate)
        iterations += 1


class _Counted:
    """A reference function that refuses to run more than ``limit`` times."""

    def __init__(self, function, name, limit, max_iterations):
        self.function, self.name, self.limit = function, name, limit
        self.max_iterations = max_iterations
        self.calls = 0
        self.__name__ = name

    def __call__(self, *args):
        self.calls += 1
        if self.calls > self.limit:
            raise CheckFailed(
                "train_until",
                f"it called {self.name} more than {self.limit} times with "
                f"max_iterations = {self.max_iterations}: the loop does not stop",
                "stop after max_iterations updates even when the cost is still above "
                "cost_threshold",
            )
        return self.function(*args)


def reference_versions(fn, max_iterations):
    """Make fn call the reference forward_tanh and backward_tanh (counted) meanwhile.

    Returns a context manager: the names are swapped in fn's globals and put
    back afterwards, whatever happens.
    """
    limit = 3 * (max_iterations + 2)
    return swapped_globals(
        fn,
        {
            "forward_tanh": _Counted(reference_forward_tanh, "forward_tanh", limit, max_iterations),
            "backward_tanh": _Counted(
                reference_backward_tanh, "backward_tanh", limit, max_iterations
            ),
        },
    )


@exercise("train_until")
def check_train_until(checker, train_until, hidden):
    """Check the loop "until the cost is below a threshold": it returns
    (parameters, costs, iterations) with costs[i] the cost after i updates,
    len(costs) == iterations + 1, and stops at cost < cost_threshold or after
    max_iterations updates.

    train_until is checked with the reference forward_tanh and backward_tanh in
    place of the student's, so only the loop is graded here."""
    refuse_globals(checker, train_until)
    if not hidden:
        checker.note(
            "checked with the reference forward_tanh and backward_tanh: the loop is graded"
        )
    for layer_dims, m, learning_rate, threshold, max_iterations, seed in (
        TRAIN_HIDDEN if hidden else TRAIN_VISIBLE
    ):
        X, Y = data(layer_dims[0], m, seed)
        parameters = initialize_parameters_deep(layer_dims, seed=seed, init="xavier")
        run = (X, Y, parameters, learning_rate, threshold, max_iterations)
        with reference_versions(train_until, max_iterations):
            _train_case(checker, train_until, run)
    checker.ok("inputs left unchanged")


def _train_case(checker, train_until, run):
    X, Y, start, learning_rate, threshold, max_iterations = run
    expected, costs_expected, iterations_expected = reference_train_until(*run)
    setting = f"threshold {threshold:g}, max_iterations {max_iterations}"
    result = checker.call(
        train_until,
        run,
        exception_hints=[
            (
                raised(TypeError, "argument"),
                "keep the signature (X, Y, parameters, learning_rate, cost_threshold, "
                "max_iterations)",
            )
        ],
        mutation_hint="it changed the parameters it was given (parameters['W1'] -= ...): "
        "take the new dict that update_parameters returns instead",
    )
    parameters, costs, iterations = expect_tuple(
        checker, result, ("parameters", "costs", "iterations")
    )
    checker.ok("returns (parameters, costs, iterations)")

    values = cost_values(costs)
    if values is None:
        checker.fail(
            f"costs should be a list of numbers, got {shape_of(costs)}",
            "start an empty list before the loop and add every cost you compute to it",
        )
    changing = len(costs_expected) > 1 and not close(costs_expected[1], costs_expected[0])
    if changing and len(values) > 1 and all(close(value, values[0]) for value in values):
        checker.fail(f"the cost never changes over {len(values)} costs", NO_UPDATE_HINT)

    if not isinstance(iterations, (int, np.integer)) or isinstance(iterations, bool):
        checker.fail(f"iterations should be a whole number, got {shape_of(iterations)}")
    if iterations != iterations_expected:
        stops = "at the threshold" if iterations_expected < max_iterations else "at max_iterations"
        hint = COUNT_HINT if abs(iterations - iterations_expected) == 1 else None
        if iterations == max_iterations and iterations_expected < max_iterations:
            hint = "stop as soon as the cost is below cost_threshold"
        elif iterations == 0 and iterations_expected > 0:
            hint = "count the updates: add one to iterations after each"
        checker.fail(
            f"iterations is {iterations}, but with {setting} the loop should stop {stops}",
            hint,
        )
    checker.ok(f"iterations right ({setting})")

    if len(values) != len(costs_expected):
        checker.fail(
            f"costs holds {len(values)} numbers for {iterations} updates; expected "
            f"{len(costs_expected)}",
            COUNT_HINT,
        )
    for i, (value, right) in enumerate(zip(values, costs_expected)):
        if not close(value, right, TRAIN_RTOL, TRAIN_ATOL):
            hint = NO_UPDATE_HINT if i > 0 and close(value, values[0]) else None
            if i == 0:
                hint = "costs[0] is the cost of the parameters you were given, before any update"
            checker.fail(f"costs[{i}], the cost after {i} updates, is wrong", hint)
    checker.ok(f"costs: {len(values)} costs, costs[i] after i updates")

    if not isinstance(parameters, dict) or set(parameters) != set(expected):
        checker.fail(
            f"parameters should be a dict with exactly {', '.join(sorted(expected))}, "
            f"got {shape_of(parameters)}"
        )
    for name in sorted(expected):
        if not close(parameters[name], expected[name], TRAIN_RTOL, TRAIN_ATOL):
            hint = "return the parameters whose cost is costs[-1]"
            if close(parameters[name], start[name]) and iterations_expected > 0:
                hint = NO_UPDATE_HINT
            checker.fail(f"the returned {name} is wrong after {iterations} updates", hint)
    checker.ok("the returned parameters are those after the last update")
