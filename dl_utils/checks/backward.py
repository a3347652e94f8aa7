"""Checks of the backward-pass exercises: sigmoid_backward, relu_backward,
linear_backward, linear_activation_backward and L_model_backward.

Every check draws its inputs from seeds of its own, computes the expected
gradients with dl_utils at that moment and compares them one by one.
"""

import numpy as np

from .. import activations, layers
from .. import model as reference_model
from .calling import BROADCAST_ERROR, MATMUL_ERROR, raised
from .compare import (
    expect_array,
    expect_tuple,
    expect_values,
    generator,
    is_array,
    mistakes_at,
    shape_of,
)
from .forward import cases
from .registry import exercise

# --- activation derivatives ---------------------------------------------------------

# (shape of Z, seed); the square case lets a wrong np.dot run and be recognized
DERIVATIVE_VISIBLE = [((3, 4), 1)]
DERIVATIVE_HIDDEN = [((4, 4), 51), ((2, 5), 52), ((6, 3), 53)]

STAR_HINT = (
    "dZ = dA * g'(Z) multiplies entry by entry (*); np.dot is a matrix product, "
    "which here gives the wrong shape or the wrong values"
)
RELU_COPY_HINT = (
    "dZ = dA does not copy anything: dZ and dA are then the same array, so setting "
    "entries of dZ to 0 also changes the dA you were given. Start from a copy of dA"
)


def _derivative_cases(hidden):
    """Yield (dA, Z) pairs of one shape."""
    for shape, seed in DERIVATIVE_HIDDEN if hidden else DERIVATIVE_VISIBLE:
        rng = generator(seed)
        yield rng.randn(*shape), rng.randn(*shape) * 2


def _check_dZ(checker, dZ, expected, Z, mistakes):
    hint = "dZ has the shape of dA and Z" if not is_array(dZ) or dZ.ndim != 2 else STAR_HINT
    expect_array(checker, dZ, "dZ", Z.shape, f"for dA and Z of shape {Z.shape}", hint)
    checker.ok(f"dZ has shape {dZ.shape}")
    expect_values(checker, dZ, expected, "dZ", mistakes)
    checker.ok("dZ values are right")


@exercise("sigmoid_backward")
def check_sigmoid_backward(checker, sigmoid_backward, hidden):
    """Check dZ = dA * s * (1 - s), with s = sigmoid(Z) and Z the cache."""
    for dA, Z in _derivative_cases(hidden):
        _sigmoid_backward_case(checker, sigmoid_backward, dA, Z)
    checker.ok("inputs left unchanged")


def _sigmoid_backward_case(checker, sigmoid_backward, dA, Z):
    expected = activations.sigmoid_backward(dA, Z)
    s = activations.stable_sigmoid(Z)
    dZ = checker.call(sigmoid_backward, (dA, Z), exception_hints=[(MATMUL_ERROR, STAR_HINT)])
    mistakes = [
        (lambda: dA @ (s * (1 - s)), STAR_HINT),
        (lambda: (dA @ s) * (1 - s), STAR_HINT),
        (lambda: (dA * s) @ (1 - s), STAR_HINT),
        (s * (1 - s), "dA is missing: by the chain rule dZ = dA * s * (1 - s)"),
        (
            lambda: dA * Z * (1 - Z),
            "the cache is Z, not A: compute the sigmoid of Z from it first",
        ),
    ]
    _check_dZ(checker, dZ, expected, Z, mistakes)


@exercise("relu_backward")
def check_relu_backward(checker, relu_backward, hidden):
    """Check dZ = dA where Z > 0 and 0 elsewhere, on a new array (dA unchanged)."""
    for dA, Z in _derivative_cases(hidden):
        _relu_backward_case(checker, relu_backward, dA, Z)
    checker.ok("inputs left unchanged")


def _relu_backward_case(checker, relu_backward, dA, Z):
    expected = activations.relu_backward(dA, Z)
    dZ = checker.call(
        relu_backward,
        (dA, Z),
        exception_hints=[(MATMUL_ERROR, STAR_HINT)],
        mutation_hint=RELU_COPY_HINT,
    )
    mistakes = [
        (lambda: dA @ (Z > 0), STAR_HINT),
        (lambda: (Z > 0) * 1.0, "dA is missing: dZ = dA where Z > 0, and 0 elsewhere"),
        (lambda: dA * (dA > 0), "the mask comes from Z (the cache), not from dA: dZ[Z <= 0] = 0"),
        (lambda: dA * Z, "ReLU's derivative is 1 where Z > 0 and 0 elsewhere, not Z"),
    ]
    _check_dZ(checker, dZ, expected, Z, mistakes)


# --- linear_backward ---------------------------------------------------------------------

W_T_HINT = "the backward step multiplies dZ by W transposed, not by W: the shapes tell the order"
A_PREV_T_HINT = "dW = (1/m) np.dot(dZ, A_prev.T): A_prev transposed"
DOT_HINT = "dW = (1/m) np.dot(dZ, A_prev.T) is a matrix product; * multiplies entry by entry"
KEEPDIMS_HINT = (
    "keepdims=True keeps the summed axis: db = (1/m) np.sum(dZ, axis=1, keepdims=True) "
    "has shape (n[l], 1)"
)


def _linear_backward_inputs(n_prev, n, m, seed):
    """A gradient (n, m) coming back into a layer, and its linear cache (A_prev, W, b)."""
    rng = generator(seed)
    A_prev, W, b = rng.randn(n_prev, m), rng.randn(n, n_prev), rng.randn(n, 1)
    return rng.randn(n, m), (A_prev, W, b)


def _same_error(*attempts):
    """A predicate: the student's exception has the message of one of ``attempts``
    (functions of no argument), each the wrong product of a classic mistake."""

    def match(error):
        for attempt in attempts:
            try:
                attempt()
            except Exception as expected_error:
                if str(expected_error) == str(error):
                    return True
        return False

    return match


def _linear_error_hints(dZ, A_prev, W):
    dot = np.dot
    return [
        (_same_error(lambda: dot(W, dZ), lambda: W @ dZ, lambda: dot(dZ, W)), W_T_HINT),
        (_same_error(lambda: dot(dZ, A_prev), lambda: dZ @ A_prev), A_PREV_T_HINT),
        (_same_error(lambda: dZ * A_prev.T, lambda: dZ * A_prev), DOT_HINT),
        (MATMUL_ERROR, "check the order and the transposes of each np.dot against the formulas"),
        (BROADCAST_ERROR, "* multiplies entry by entry; the formulas' products are np.dot"),
    ]


def check_linear_gradients(checker, result, dZ, A_prev, W, expected, label="", mistakes=()):
    """Check (dA_prev, dW, db) against the expected triple, with hints for the classic
    mistakes of the linear part.

    label: prefix of the property lines (e.g. "relu: ").
    mistakes: more (triple, hint) pairs: the (dA_prev, dW, db) a mistake would give.
    """
    n, m = dZ.shape
    n_prev = A_prev.shape[0]
    dA_prev_expected, dW_expected, db_expected = expected
    if isinstance(result, tuple) and len(result) == 3 and all(is_array(r) for r in result):
        shapes = [r.shape for r in result]
        wanted = [(n_prev, m), (n, n_prev), (n, 1)]
        if shapes != wanted and sorted(shapes) == sorted(wanted):
            checker.fail(
                f"it returned arrays of shapes {shapes}, expected (dA_prev, dW, db) "
                f"of shapes {wanted}",
                "return dA_prev, dW, db, in this order",
            )
    dA_prev, dW, db = expect_tuple(checker, result, ("dA_prev", "dW", "db"))
    checker.ok(f"{label}returns (dA_prev, dW, db)")

    context = f"for W {W.shape} and dZ {dZ.shape}"
    hint = W_T_HINT if is_array(dA_prev) and dA_prev.shape == (n, m) else None
    expect_array(checker, dA_prev, "dA_prev", (n_prev, m), context, hint)
    hint = "dW has the shape of W" if is_array(dW) and dW.shape == (n_prev, n) else None
    expect_array(checker, dW, "dW", (n, n_prev), context, hint)
    hint = None
    if is_array(db) and db.shape == (n,):
        hint = KEEPDIMS_HINT
    elif is_array(db) and db.shape in ((1, m), (m,)):
        hint = "sum over the examples, the columns: np.sum(dZ, axis=1, keepdims=True)"
    elif not is_array(db) or db.shape == ():
        hint = "sum along the columns only: np.sum(dZ, axis=1, keepdims=True)"
    expect_array(checker, db, "db", (n, 1), f"for dZ {dZ.shape}", hint)
    checker.ok(f"{label}dA_prev, dW, db have the shapes of A_prev, W, b")

    missing_m = "the 1/m is missing: average over the m examples"
    expect_values(
        checker,
        dW,
        dW_expected,
        "dW",
        mistakes=[(t[1], h) for t, h in mistakes]
        + [(dW_expected * m, f"{missing_m}, dW = (1/m) np.dot(dZ, A_prev.T)")],
    )
    expect_values(
        checker,
        db,
        db_expected,
        "db",
        mistakes=[(t[2], h) for t, h in mistakes]
        + [(db_expected * m, f"{missing_m}, db = (1/m) np.sum(dZ, axis=1, keepdims=True)")],
    )
    expect_values(
        checker,
        dA_prev,
        dA_prev_expected,
        "dA_prev",
        mistakes=[(t[0], h) for t, h in mistakes]
        + [
            (lambda: W @ dZ, W_T_HINT),
            (dA_prev_expected / m, "dA_prev has no 1/m: only dW and db average over the examples"),
        ],
    )
    checker.ok(f"{label}dA_prev, dW, db values are right")


@exercise("linear_backward")
def check_linear_backward(checker, linear_backward, hidden):
    """Check dA_prev = W.T dZ (n[l-1], m), dW = (1/m) dZ A_prev.T (n[l], n[l-1]) and
    db = (1/m) sum of dZ over the columns (n[l], 1)."""
    for (n_prev, n, m), seed in cases(hidden):
        dZ, cache = _linear_backward_inputs(n_prev, n, m, seed)
        A_prev, W, b = cache
        expected = layers.linear_backward(dZ, cache)
        result = checker.call(
            linear_backward, (dZ, cache), exception_hints=_linear_error_hints(dZ, A_prev, W)
        )
        check_linear_gradients(checker, result, dZ, A_prev, W, expected)
    checker.ok("inputs left unchanged")


# --- linear_activation_backward -------------------------------------------------------------

CACHE_ORDER_HINT = (
    "cache is (linear_cache, activation_cache), in that order: "
    "linear_cache, activation_cache = cache"
)


@exercise("linear_activation_backward")
def check_linear_activation_backward(checker, linear_activation_backward, hidden):
    """Check the backward step of a whole layer, dZ = dA * g'(Z) then the linear part,
    for g = sigmoid and relu."""
    for (n_prev, n, m), seed in cases(hidden):
        dA, (A_prev, W, b) = _linear_backward_inputs(n_prev, n, m, seed)
        for activation in ("sigmoid", "relu"):
            _, cache = layers.linear_activation_forward(A_prev, W, b, activation)
            _linear_activation_backward_case(
                checker, linear_activation_backward, dA, cache, activation
            )
    checker.ok("inputs left unchanged")


def _linear_activation_backward_case(checker, linear_activation_backward, dA, cache, activation):
    other = "relu" if activation == "sigmoid" else "sigmoid"
    linear_cache, _ = cache
    A_prev, W, _ = linear_cache
    expected = layers.linear_activation_backward(dA, cache, activation)
    result = checker.call(
        linear_activation_backward,
        (dA, cache, activation),
        exception_hints=[(raised(ValueError, "linear cache", "Z (the cache)"), CACHE_ORDER_HINT)],
    )
    mistakes = [
        (
            layers.linear_activation_backward(dA, cache, other),
            f"that is {other}'s derivative: with activation == {activation!r} "
            f"use {activation}_backward",
        ),
        (
            layers.linear_backward(dA, linear_cache),
            f"the activation's derivative is missing: first dZ = "
            f"{activation}_backward(dA, activation_cache), then "
            "linear_backward(dZ, linear_cache)",
        ),
    ]
    check_linear_gradients(checker, result, dA, A_prev, W, expected, f"{activation}: ", mistakes)


# --- L_model_backward --------------------------------------------------------------------

# (layer_dims, m, seed)
MODEL_VISIBLE = [([5, 4, 3, 1], 4, 1)]
MODEL_HIDDEN = [([3, 1], 5, 61), ([4, 6, 1], 7, 62), ([2, 5, 4, 3, 1], 9, 63)]

SIGN_HINT = (
    "every gradient has the opposite sign: the wrong sign of dAL? It is the derivative of "
    "the cost, which starts with a minus"
)


def backward_inputs(layer_dims, m, seed):
    """AL (1, m), Y (1, m) and the caches of a forward pass through a random network."""
    rng = generator(seed)
    X = rng.randn(layer_dims[0], m)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.randn(layer_dims[l], layer_dims[l - 1]) * 0.7
        parameters[f"b{l}"] = rng.randn(layer_dims[l], 1) * 0.3
    Y = (rng.rand(1, m) > 0.5).astype(float)
    AL, caches = reference_model.L_model_forward(X, parameters)
    return AL, Y, caches


def backward_with(AL, Y, caches, dAL=None, hidden="relu", last="sigmoid"):
    """The grads of a backward pass with a given dAL and activations (how classic
    mistakes compute)."""
    L = len(caches)
    if dAL is None:
        dAL = -(Y / AL - (1 - Y) / (1 - AL))
    grads = {}
    dA = dAL
    for l in range(L, 0, -1):
        activation = last if l == L else hidden
        dA, dW, db = layers.linear_activation_backward(dA, caches[l - 1], activation)
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA, dW, db
    return grads


def _check_grads_keys(checker, grads, L):
    if not isinstance(grads, dict):
        checker.fail(
            f"it should return the dict grads, got {shape_of(grads)}",
            "grads = {}, then grads['dW' + str(l)] = ...",
        )
    needed = [f"dA{l - 1}" for l in range(1, L + 1)] + [
        f"d{p}{l}" for l in range(1, L + 1) for p in "Wb"
    ]
    missing = [k for k in needed if k not in grads]
    if missing:
        hint = (
            "grads['dA' + str(l)] is the gradient of A{l}, for l = 0 .. L-1 (the output "
            "layer's step gives dA{L-1}, the first layer's gives dA0); dW{l} and db{l} "
            "are numbered 1 .. L"
        )
        checker.fail(
            f"grads has no {', '.join(missing[:4])} (for {L} layers it needs dA0 .. dA{L - 1}, "
            f"dW1 .. dW{L}, db1 .. db{L})",
            hint,
        )
    checker.ok(f"grads has dA0 .. dA{L - 1}, dW1 .. dW{L}, db1 .. db{L}")


@exercise("L_model_backward")
def check_L_model_backward(checker, L_model_backward, hidden):
    """Check every gradient of [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID,
    from dAL back to the first layer."""
    for layer_dims, m, seed in MODEL_HIDDEN if hidden else MODEL_VISIBLE:
        AL, Y, caches = backward_inputs(layer_dims, m, seed)
        _L_model_backward_case(checker, L_model_backward, AL, Y, caches, layer_dims)
    checker.ok("inputs left unchanged")


def _L_model_backward_case(checker, L_model_backward, AL, Y, caches, layer_dims):
    L = len(caches)
    expected = reference_model.L_model_backward(AL, Y, caches)
    grads = checker.call(L_model_backward, (AL, Y, caches))
    _check_grads_keys(checker, grads, L)

    order = []
    for l in range(L, 0, -1):
        order += [f"dW{l}", f"db{l}", f"dA{l - 1}"]
    for key in order:
        expect_array(checker, grads[key], key, expected[key].shape, f"for layers {layer_dims}")
    checker.ok("every gradient has the shape of what it differentiates")

    mistakes = [
        ({key: -value for key, value in expected.items()}, SIGN_HINT),
        (
            lambda: backward_with(AL, Y, caches, last="relu"),
            "the output layer is LINEAR -> SIGMOID: its backward step uses activation 'sigmoid'",
        ),
        (
            lambda: backward_with(AL, Y, caches, hidden="sigmoid"),
            "the hidden layers 1 .. L-1 use relu: their backward steps use activation 'relu'",
        ),
        (
            lambda: backward_with(AL, Y, caches, dAL=AL - Y),
            "dAL is the gradient of the cost with respect to AL, "
            "-(Y / AL - (1 - Y) / (1 - AL)); AL - Y is already the output layer's dZ",
        ),
    ]
    for key in order:
        expect_values(
            checker,
            grads[key],
            expected[key],
            key,
            mistakes=mistakes_at(mistakes, key),
            hint=f"the layers go backwards: dW{L}, db{L}, dA{L - 1} come from the "
            "output layer, then each hidden layer takes the dA of the layer above",
        )
    checker.ok("every gradient's values are right")
