"""Checks of the last two exercises: update_parameters and the training loop
L_layer_model.

The training check runs the student's loop on a small data set of its own and
compares the parameters and the recorded costs with dl_utils' ``L_layer_model``
started from the same initialization (the course's 0.01 scale, same seed).
"""

from .. import model as reference_model
from .. import training as reference_training
from .calling import raised
from .compare import (
    TRAIN_ATOL,
    TRAIN_RTOL,
    close,
    diagnose,
    expect_array,
    expect_tuple,
    expect_values,
    generator,
    is_array,
    key_names,
    mistakes_at,
    one_number,
    shape_of,
)
from .registry import exercise

# --- update_parameters -----------------------------------------------------------------

# (layer_dims, learning_rate, seed)
UPDATE_VISIBLE = [([3, 2, 1], 0.1, 1)]
UPDATE_HIDDEN = [([4, 1], 0.5, 71), ([5, 4, 3, 2], 0.01, 72), ([2, 6, 6, 1], 1.2, 73)]

UPDATE_COPY_HINT = (
    "it changed the dict (or the arrays) it was given: parameters['W1'] = ... writes "
    "into the caller's dict, and W -= ... into the caller's array. Build the result in a "
    "new dict instead (updated = {}, or start from copy.deepcopy(parameters)) and "
    "return it"
)


def update_inputs(layer_dims, seed):
    """parameters W{l}, b{l} and grads dA{l-1}, dW{l}, db{l} of a random network."""
    rng = generator(seed)
    parameters, grads = {}, {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        parameters[f"W{l}"] = rng.randn(n, n_prev)
        parameters[f"b{l}"] = rng.randn(n, 1)
        grads[f"dA{l - 1}"] = rng.randn(n_prev, 3)
        grads[f"dW{l}"] = rng.randn(n, n_prev)
        grads[f"db{l}"] = rng.randn(n, 1)
    return parameters, grads


def _check_parameter_dict(checker, parameters, shapes, label):
    """A dict with exactly W1, b1, ..., WL, bL of the given shapes {name: shape}."""
    if not isinstance(parameters, dict):
        checker.fail(
            f"{label} should be a dict {{'W1': ..., 'b1': ...}}, got {shape_of(parameters)}"
        )
    if set(parameters) != set(shapes):
        checker.fail(
            f"{label} holds {key_names(parameters)}; expected exactly {', '.join(sorted(shapes))}",
            "one entry per parameter, W{l} and b{l} for l = 1 .. L",
        )
    for name, shape in shapes.items():
        expect_array(checker, parameters[name], f"{label}['{name}']", shape)


def _layer_by_layer(names):
    """Parameter names in the order W1, b1, W2, b2, ..."""
    return sorted(names, key=lambda name: (int(name[1:]), name[0]))


@exercise("update_parameters")
def check_update_parameters(checker, update_parameters, hidden):
    """Check one step of gradient descent, W{l} - alpha dW{l} and b{l} - alpha db{l},
    returned in a new dict (the parameters given are left unchanged)."""
    for layer_dims, learning_rate, seed in UPDATE_HIDDEN if hidden else UPDATE_VISIBLE:
        parameters, grads = update_inputs(layer_dims, seed)
        expected = reference_model.update_parameters(parameters, grads, learning_rate)
        result = checker.call(
            update_parameters,
            (parameters, grads, learning_rate),
            mutation_hint=UPDATE_COPY_HINT,
            exception_hints=[
                (
                    raised(KeyError, "W0", "b0", "dW0", "db0"),
                    "the layers are numbered 1 .. L: use str(l + 1) in a loop over range(L)",
                )
            ],
        )
        checker.ok("the parameters given are left unchanged")
        shapes = {name: value.shape for name, value in parameters.items()}
        _check_parameter_dict(checker, result, shapes, "the result")
        checker.ok("returns a dict with every W and b, of the same shapes")
        for name in _layer_by_layer(parameters):
            value, gradient = parameters[name], grads[f"d{name}"]
            expect_values(
                checker,
                result[name],
                expected[name],
                name,
                mistakes=[
                    (
                        value + learning_rate * gradient,
                        "the step goes against the gradient: W = W - learning_rate * dW",
                    ),
                    (value - gradient, "the learning rate is missing: W - learning_rate * dW"),
                    (value, f"{name} was not updated: {name} - learning_rate * d{name}"),
                ],
            )
        checker.ok("every parameter moved by -learning_rate * its gradient")


# --- L_layer_model ------------------------------------------------------------------------


# (layer_dims, m, learning_rate, num_iterations, seed)
MODEL_VISIBLE = [([2, 4, 1], 40, 0.5, 300, 1)]
MODEL_HIDDEN = [([3, 1], 30, 0.3, 120, 81), ([2, 5, 3, 1], 50, 0.8, 301, 82)]

SIGNATURE_HINT = (
    "keep the signature L_layer_model(X, Y, layers_dims, learning_rate=0.0075, "
    "num_iterations=3000, print_cost=False, seed=1)"
)


def training_data(n_x, m, seed):
    """X (n_x, m) and labels Y (1, m): 1 where the first two features agree in sign
    (or the first is positive, for one feature), which a small network can learn."""
    rng = generator(seed)
    X = rng.randn(n_x, m)
    if n_x > 1:
        Y = (X[0:1] * X[1:2] > 0).astype(float)
    else:
        Y = (X[0:1] > 0).astype(float)
    return X, Y


def _reference_run(X, Y, run, **changes):
    """(parameters, costs) of dl_utils' L_layer_model for the settings ``run``, with
    some of them changed (how classic mistakes compute)."""
    settings = {**run, **changes}
    return reference_training.L_layer_model(
        X,
        Y,
        settings["layers_dims"],
        learning_rate=settings["learning_rate"],
        num_iterations=settings["num_iterations"],
        init="random",
        seed=settings["seed"],
        progress=False,
    )


@exercise("L_layer_model")
def check_L_layer_model(checker, L_layer_model, hidden):
    """Check the training loop: initialize_parameters_deep(layers_dims, seed), then
    num_iterations steps of forward, cost, backward, update; the cost recorded at
    iterations 0, 100, 200, ...; returns (parameters, costs)."""
    for layer_dims, m, learning_rate, num_iterations, seed in (
        MODEL_HIDDEN if hidden else MODEL_VISIBLE
    ):
        X, Y = training_data(layer_dims[0], m, seed)
        run = dict(
            layers_dims=list(layer_dims),
            learning_rate=learning_rate,
            num_iterations=num_iterations,
            seed=seed,
        )
        _L_layer_model_case(checker, L_layer_model, X, Y, run)
    checker.ok("inputs left unchanged")


def _L_layer_model_case(checker, L_layer_model, X, Y, run):
    L, n = len(run["layers_dims"]) - 1, run["num_iterations"]
    parameters_expected, costs_expected = _reference_run(X, Y, run)
    result = checker.call(
        L_layer_model,
        (X, Y, run["layers_dims"]),
        kwargs={
            "learning_rate": run["learning_rate"],
            "num_iterations": n,
            "print_cost": False,
            "seed": run["seed"],
        },
        exception_hints=[
            (
                raised(TypeError, "unexpected keyword argument", "positional argument"),
                SIGNATURE_HINT,
            )
        ],
    )
    parameters, costs = expect_tuple(checker, result, ("parameters", "costs"))
    checker.ok("returns (parameters, costs)")

    shapes = {name: value.shape for name, value in parameters_expected.items()}
    _check_parameter_dict(checker, parameters, shapes, "parameters")
    checker.ok(f"parameters hold W1 .. W{L} and b1 .. b{L}")

    _check_cost_count(checker, costs, len(costs_expected), n)

    mistakes = [
        (
            lambda: _reference_run(X, Y, run, num_iterations=0)[0],
            "the parameters never changed: keep what update_parameters returns, "
            "parameters = update_parameters(...)",
        ),
        (
            lambda: _reference_run(X, Y, run, learning_rate=0.0075)[0],
            "that is training with the default learning rate: pass learning_rate on "
            "to update_parameters",
        ),
        (
            lambda: _reference_run(X, Y, run, seed=3)[0],
            "that is training from initialize_parameters_deep's default seed: pass "
            "seed on, initialize_parameters_deep(layers_dims, seed)",
        ),
        (
            lambda: _reference_run(X, Y, run, num_iterations=n + 1)[0],
            "one iteration too many: for i in range(num_iterations)",
        ),
        (
            lambda: _reference_run(X, Y, run, num_iterations=n - 1)[0],
            "one iteration too few: for i in range(num_iterations)",
        ),
    ]
    for name in _layer_by_layer(parameters_expected):
        if not close(parameters[name], parameters_expected[name], TRAIN_RTOL, TRAIN_ATOL):
            hint = diagnose(parameters[name], mistakes_at(mistakes, name))
            checker.fail(
                f"after {n} iterations {name} has the right shape "
                f"{parameters[name].shape} but wrong values",
                hint
                or "start from initialize_parameters_deep(layers_dims, seed), then "
                "forward, cost, backward, update at every iteration",
            )
    checker.ok(f"the trained parameters are right after {n} iterations")
    _check_cost_values(checker, costs, costs_expected)


def _check_cost_count(checker, costs, count, num_iterations):
    """costs should be a list (or 1-D array) of ``count`` entries."""
    if not isinstance(costs, (list, tuple)) and not (is_array(costs) and costs.ndim == 1):
        checker.fail(
            f"costs should be a list of {count} numbers, got {shape_of(costs)}",
            "start an empty list before the loop and add the cost to it every 100 iterations",
        )
    if len(costs) != count:
        hint = (
            f"record the cost at iterations 0, 100, 200, ...: {count} costs for "
            f"{num_iterations} iterations, the first before any update"
        )
        checker.fail(f"costs holds {len(costs)} numbers, expected {count}", hint)
    checker.ok(f"costs holds {count} numbers, one every 100 iterations")


def _check_cost_values(checker, costs, costs_expected):
    """costs[i] should be the cost at iteration 100 i, before that iteration's update."""
    for i, (cost, expected) in enumerate(zip(costs, costs_expected)):
        value = one_number(cost)
        if value is None:
            checker.fail(f"costs[{i}] should be a number, got {shape_of(cost)}")
        if not close(value, expected, TRAIN_RTOL, TRAIN_ATOL):
            checker.fail(
                f"costs[{i}], the cost at iteration {100 * i}, is wrong",
                "record the cost of the forward pass of that iteration, before the update",
            )
    checker.ok("the costs at iterations 0, 100, 200, ... are right")
