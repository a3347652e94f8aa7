"""Checks of the forward-pass exercises: sigmoid, relu, linear_forward,
linear_activation_forward and L_model_forward.

Every check draws its inputs from seeds of its own, computes the expected
result with dl_utils at that moment and compares property by property.
"""

from .. import activations, layers
from .. import model as reference_model
from .calling import BROADCAST_ERROR, MATMUL_ERROR, raised
from .compare import (
    close,
    describe,
    expect_array,
    expect_tuple,
    expect_values,
    generator,
    is_array,
    shape_of,
)
from .registry import exercise

# --- activations ----------------------------------------------------------------

# (shape of Z, seed): one visible case, or the hidden ones
ACTIVATION_VISIBLE = [((3, 4), 1)]
ACTIVATION_HIDDEN = [((1, 1), 21), ((5, 2), 22), ((2, 7), 23)]


def _activation_cases(hidden):
    """Yield Z arrays, of moderate values (no overflow in a plain exp(-Z))."""
    for shape, seed in ACTIVATION_HIDDEN if hidden else ACTIVATION_VISIBLE:
        yield generator(seed).randn(*shape) * 3


def _check_activation_result(checker, name, result, Z):
    """The parts every activation shares: (A, cache), A's shape, cache = Z."""
    if is_array(result):
        checker.fail(
            f"it returned only A {result.shape}; it should return the pair (A, cache)",
            "return A, Z: the cache is Z itself, kept for the backward step",
        )
    A, cache = expect_tuple(checker, result, ("A", "cache"))
    checker.ok("returns (A, cache)")
    expect_array(
        checker, A, "A", Z.shape, f"for Z {Z.shape}", f"{name} acts entry by entry: A has Z's shape"
    )
    checker.ok(f"A has shape {A.shape}")
    return A, cache


def _check_cache_is_Z(checker, cache, A, Z):
    if not close(cache, Z):
        hint = "the cache is Z, the activation's input: return A, Z"
        if close(cache, A):
            hint = "that cache is A; the backward step needs Z: return A, Z"
        checker.fail(f"cache should be Z {Z.shape}, got {shape_of(cache)} with other values", hint)
    checker.ok("cache is Z")


@exercise("sigmoid")
def check_sigmoid(checker, sigmoid, hidden):
    """Check A = 1 / (1 + exp(-Z)), entry by entry, and cache = Z."""
    for Z in _activation_cases(hidden):
        _sigmoid_case(checker, sigmoid, Z)
    checker.ok("inputs left unchanged")


def _sigmoid_case(checker, sigmoid, Z):
    A_expected, _ = activations.sigmoid(Z)
    result = checker.call(sigmoid, (Z,))
    A, cache = _check_activation_result(checker, "sigmoid", result, Z)
    expect_values(
        checker,
        A,
        A_expected,
        "A",
        mistakes=[
            (1 - A_expected, "that is 1 / (1 + exp(Z)): the exponent is -Z, with a minus"),
            (lambda: activations.tanh(Z)[0], "that is tanh(Z); sigmoid is 1 / (1 + exp(-Z))"),
        ],
    )
    checker.ok("A values are right")
    _check_cache_is_Z(checker, cache, A, Z)


NP_MAX_HINT = (
    "np.max gives the largest entry (of the array, or along an axis); "
    "ReLU compares each entry with 0: np.maximum(0, Z)"
)


@exercise("relu")
def check_relu(checker, relu, hidden):
    """Check A = max(0, Z), entry by entry (np.maximum), and cache = Z."""
    for Z in _activation_cases(hidden):
        _relu_case(checker, relu, Z)
    checker.ok("inputs left unchanged")


def _relu_case(checker, relu, Z):
    A_expected, _ = activations.relu(Z)
    result = checker.call(
        relu, (Z,), exception_hints=[(raised(TypeError, "scalar index", "integer"), NP_MAX_HINT)]
    )
    if isinstance(result, tuple) and len(result) == 2 and is_array(result[0]):
        if result[0].ndim < Z.ndim or result[0].size < Z.size:
            checker.fail(
                f"A has shape {result[0].shape}, expected {Z.shape} (the shape of Z)", NP_MAX_HINT
            )
    A, cache = _check_activation_result(checker, "relu", result, Z)
    expect_values(
        checker,
        A,
        A_expected,
        "A",
        mistakes=[
            (Z, "A equals Z: the negative entries should become 0"),
            (lambda: (Z > 0) * 1.0, "that is the 0/1 mask Z > 0; A keeps Z where it is > 0"),
            (lambda: -A_expected, "the sign is reversed: np.maximum(0, Z)"),
        ],
    )
    checker.ok("A values are right")
    _check_cache_is_Z(checker, cache, A, Z)


# --- linear_forward ----------------------------------------------------------------

# (n_prev, n, m) of the visible case and of the hidden cases, with their seeds
VISIBLE_CASES = [((3, 2, 4), 1)]
HIDDEN_CASES = [((5, 7, 3), 11), ((1, 1, 1), 12), ((12, 6, 9), 13), ((4, 4, 4), 14)]


def cases(hidden):
    """The (shape, seed) pairs a check runs: one visible case, or the hidden ones."""
    return HIDDEN_CASES if hidden else VISIBLE_CASES


def _linear_inputs(n_prev, n, m, seed):
    rng = generator(seed)
    return rng.randn(n_prev, m), rng.randn(n, n_prev), rng.randn(n, 1)


DOT_HINT = "W * A multiplies entry by entry; Z needs the matrix product np.dot(W, A)"
ORDER_HINT = (
    "the order of a matrix product matters: W (n[l], n[l-1]) times A (n[l-1], m) gives "
    "Z (n[l], m); the other order does not fit"
)


@exercise("linear_forward")
def check_linear_forward(checker, linear_forward, hidden):
    """Check Z = W A + b and the cache (A, W, b)."""
    for (n_prev, n, m), seed in cases(hidden):
        _linear_forward_case(checker, linear_forward, *_linear_inputs(n_prev, n, m, seed))
    checker.ok("inputs left unchanged")


def _linear_forward_case(checker, linear_forward, A, W, b):
    (n_prev, m), n = A.shape, W.shape[0]
    Z_expected, _ = layers.linear_forward(A, W, b)
    result = checker.call(
        linear_forward,
        (A, W, b),
        exception_hints=[(BROADCAST_ERROR, DOT_HINT), (MATMUL_ERROR, ORDER_HINT)],
    )
    Z, cache = expect_tuple(checker, result, ("Z", "cache"))
    checker.ok("returns (Z, cache)")

    hint = None
    if is_array(Z) and Z.shape == (n_prev, m) or Z is None:
        hint = "Z = W A + b has one row per unit of the layer: shape (n[l], m)"
    expect_array(checker, Z, "Z", (n, m), f"for W {W.shape} and A {A.shape}", hint)
    checker.ok(f"Z has shape {Z.shape}")

    expect_values(
        checker,
        Z,
        Z_expected,
        "Z",
        mistakes=[
            (Z_expected - b, "the bias is missing: each unit adds its b after the product"),
            (lambda: W * A + b, DOT_HINT),
            (lambda: W.T @ A + b, "that is np.dot(W.T, A): the forward step uses W itself"),
        ],
    )
    checker.ok("Z values are right")
    _check_linear_cache(checker, cache, A, W, b, "cache")
    checker.ok("cache is (A, W, b)")


def _check_linear_cache(checker, cache, A, W, b, label):
    """Check that ``cache`` holds (A, W, b), in that order."""
    if not isinstance(cache, tuple) or len(cache) != 3 or not all(is_array(c) for c in cache):
        checker.fail(
            f"{label} should be the tuple (A, W, b), got {describe(cache)}", "cache = (A, W, b)"
        )
    if not (close(cache[0], A) and close(cache[1], W) and close(cache[2], b)):
        shapes = ", ".join(str(c.shape) for c in cache)
        checker.fail(
            f"{label} holds arrays of shapes ({shapes}), "
            f"expected ({A.shape}, {W.shape}, {b.shape}) in the order (A, W, b)",
            "cache items in the wrong order? keep (A, W, b): "
            "linear_backward expects them in the order (A, W, b)",
        )


# --- linear_activation_forward ---------------------------------------------------------

TWICE_HINT = (
    "sigmoid applied twice: linear_activation_forward(..., 'sigmoid') "
    "already returns sigmoid(Z); do not apply sigmoid to its result again"
)


@exercise("linear_activation_forward")
def check_linear_activation_forward(checker, linear_activation_forward, hidden):
    """Check A = g(W A_prev + b) for g = sigmoid and relu, and the cache
    ((A_prev, W, b), Z)."""
    for (n_prev, n, m), seed in cases(hidden):
        A_prev, W, b = _linear_inputs(n_prev, n, m, seed)
        for activation in ("sigmoid", "relu"):
            _linear_activation_forward_case(
                checker, linear_activation_forward, A_prev, W, b, activation
            )
    checker.ok("inputs left unchanged")


def _linear_activation_forward_case(checker, linear_activation_forward, A_prev, W, b, activation):
    other = "relu" if activation == "sigmoid" else "sigmoid"
    Z = W @ A_prev + b
    A_expected, _ = layers.linear_activation_forward(A_prev, W, b, activation)
    result = checker.call(linear_activation_forward, (A_prev, W, b, activation))
    A, cache = expect_tuple(checker, result, ("A", "cache"))
    checker.ok(f"{activation}: returns (A, cache)")
    expect_array(checker, A, "A", Z.shape, f"for W {W.shape} and A_prev {A_prev.shape}")
    checker.ok(f"{activation}: A has shape {A.shape}")
    expect_values(
        checker,
        A,
        A_expected,
        f"A (activation {activation!r})",
        mistakes=[
            (lambda: activations.sigmoid(A_expected)[0], TWICE_HINT),
            (
                lambda: activations.ACTIVATIONS[other].forward(Z)[0],
                f"that is {other}(Z): with activation == {activation!r} use {activation}",
            ),
            (Z, "the activation is missing: A = g(Z), not Z"),
        ],
    )
    checker.ok(f"{activation}: A values are right")
    _check_layer_cache(checker, cache, A_prev, W, b, Z, "cache")
    checker.ok(f"{activation}: cache is ((A_prev, W, b), Z)")


def _is_reversed(caches, expected):
    """True when the caches are those of the layers, last layer first."""
    try:
        return all(
            close(cache[1], right[1]) for cache, right in zip(reversed(list(caches)), expected)
        )
    except (TypeError, IndexError, KeyError):
        return False


def _check_layer_cache(checker, cache, A_prev, W, b, Z, label):
    """Check a layer cache ((A_prev, W, b), Z), in that order."""
    if not isinstance(cache, tuple) or len(cache) != 2:
        checker.fail(
            f"{label} should be the pair (linear_cache, activation_cache), got {describe(cache)}",
            "cache = (linear_cache, activation_cache)",
        )
    linear_cache, activation_cache = cache
    if is_array(linear_cache) and isinstance(activation_cache, tuple):
        checker.fail(
            f"{label} holds (activation_cache, linear_cache): cache items in the wrong order",
            "cache = (linear_cache, activation_cache): linear_activation_backward "
            "unpacks them in that order",
        )
    _check_linear_cache(checker, linear_cache, A_prev, W, b, f"{label}[0] (the linear cache)")
    if not close(activation_cache, Z):
        checker.fail(
            f"{label}[1] (the activation cache) should be Z {Z.shape}, "
            f"got {shape_of(activation_cache)} with other values",
            "the activation cache is what sigmoid/relu returned as their cache: Z",
        )


# --- L_model_forward -------------------------------------------------------------------

# (layer_dims, m, seed)
MODEL_VISIBLE = [([5, 4, 3, 1], 4, 1)]
MODEL_HIDDEN = [([3, 1], 5, 31), ([4, 6, 1], 7, 32), ([2, 5, 4, 3, 1], 9, 33)]


def random_network(layer_dims, m, seed):
    """Inputs for a model check: X (n_x, m) and parameters W{l}, b{l}."""
    rng = generator(seed)
    X = rng.randn(layer_dims[0], m)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.randn(layer_dims[l], layer_dims[l - 1])
        parameters[f"b{l}"] = rng.randn(layer_dims[l], 1) * 0.5
    return X, parameters


def forward_with(X, parameters, hidden="relu", last="sigmoid"):
    """AL of a forward pass with the given activations (how classic mistakes compute)."""
    L = len(parameters) // 2
    A = X
    for l in range(1, L + 1):
        activation = last if l == L else hidden
        A, _ = layers.linear_activation_forward(
            A, parameters[f"W{l}"], parameters[f"b{l}"], activation
        )
    return A


LAYER_COUNT_HINT = (
    "parameters holds two entries per layer, W{l} and b{l}: the number of layers L is "
    "half its length"
)
OTHER_LAYER_HINT = (
    "a layer got another layer's weights: build the keys from the loop variable, "
    "'W' + str(l) (the letter l, not the digit 1), so that layer l uses W{l} and b{l}"
)


@exercise("L_model_forward")
def check_L_model_forward(checker, L_model_forward, hidden):
    """Check AL (1, m) of [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID and the
    list of the L caches."""
    for layer_dims, m, seed in MODEL_HIDDEN if hidden else MODEL_VISIBLE:
        X, parameters = random_network(layer_dims, m, seed)
        _L_model_forward_case(checker, L_model_forward, X, parameters, layer_dims)
    checker.ok("inputs left unchanged")


def _L_model_forward_case(checker, L_model_forward, X, parameters, layer_dims):
    L, m = len(layer_dims) - 1, X.shape[1]
    AL_expected, caches_expected = reference_model.L_model_forward(X, parameters)
    result = checker.call(
        L_model_forward,
        (X, parameters),
        exception_hints=[
            (raised(KeyError, f"W{L + 1}", f"W{2 * L}", f"b{L + 1}"), LAYER_COUNT_HINT),
            (raised(ValueError, "has shape", "not aligned", "broadcast"), OTHER_LAYER_HINT),
        ],
    )
    AL, caches = expect_tuple(checker, result, ("AL", "caches"))
    checker.ok("returns (AL, caches)")

    hint = None
    if is_array(AL) and AL.shape == (layer_dims[-2], m):
        hint = (
            "that is the shape of the last hidden layer's A: after the loop over "
            "layers 1 .. L-1, add the output layer LINEAR -> SIGMOID"
        )
    expect_array(checker, AL, "AL", (1, m), f"for {L} layers {layer_dims} and X {X.shape}", hint)
    checker.ok(f"AL has shape {AL.shape}")
    expect_values(
        checker,
        AL,
        AL_expected,
        "AL",
        mistakes=[
            (lambda: activations.sigmoid(AL_expected)[0], TWICE_HINT),
            (
                lambda: forward_with(X, parameters, last="relu"),
                "the output layer should use sigmoid (AL holds probabilities), not relu",
            ),
            (
                lambda: forward_with(X, parameters, hidden="sigmoid"),
                "the hidden layers 1 .. L-1 should use relu; only the output layer uses sigmoid",
            ),
        ],
    )
    checker.ok("AL values are right")

    if not isinstance(caches, (list, tuple)) or len(caches) != L:
        hint = "append each layer's cache, the output layer's too: caches[l-1] is layer l's"
        got = describe(caches)
        checker.fail(f"caches should be a list of {L} caches (one per layer), got {got}", hint)
    if L > 1 and _is_reversed(caches, caches_expected):
        checker.fail(
            "caches holds the layer caches in reverse order: caches[0] is the output layer's",
            "add each layer's cache at the end of the list as you go (caches.append): "
            "caches[l-1] is layer l's, the order L_model_backward walks back through",
        )
    for l in range(1, L + 1):
        (A_prev, W, b), Z = caches_expected[l - 1]
        _check_layer_cache(checker, caches[l - 1], A_prev, W, b, Z, f"caches[{l - 1}]")
    checker.ok(f"caches: {L} layer caches ((A_prev, W, b), Z), in order")
