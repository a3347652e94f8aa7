"""Checks of the initialization exercises: initialize_parameters (2 layers) and
initialize_parameters_deep (L layers).

The expected parameters are dl_utils' for the same seed: W{l} drawn layer after
layer from one generator ``np.random.RandomState(seed)``, times 0.01, and
b{l} zeros. The checks also refuse a function that changes numpy's global
random generator (np.random.seed), since the kit's rule is that randomness is
passed in.
"""

from .. import initialization as reference
from .compare import expect_array, expect_values, generator, is_array, key_names, mistakes_at
from .registry import exercise

# (n_x, n_h, n_y, seed)
TWO_LAYER_VISIBLE = [(3, 2, 1, 1)]
TWO_LAYER_HIDDEN = [(5, 4, 1, 2), (2, 7, 3, 11), (1, 1, 1, 0)]

# (layer_dims, seed)
DEEP_VISIBLE = [([5, 4, 3], 3)]
DEEP_HIDDEN = [([4, 1], 5), ([3, 6, 5, 2], 8), ([10, 7, 7, 3, 1], 13)]

ZEROS_HINT = (
    "zeros initialization: the units of a layer then compute the same thing and get "
    "the same gradient, so they stay identical (symmetry). Draw W from a normal "
    "distribution: rng.randn(n[l], n[l-1]) * 0.01"
)
RANDOM_BIAS_HINT = (
    "the biases should start at zero: np.zeros((n[l], 1)). W's random values already "
    "make the units differ; random biases are not needed"
)
GLOBAL_RANDOM_HINT = (
    "use a generator of your own, rng = np.random.RandomState(seed), and draw with "
    "rng.randn(...); np.random.seed and np.random.randn change numpy's global "
    "generator, which every other piece of code shares"
)
ORDER_HINT = (
    "draw the weights layer after layer from ONE generator made once from the seed: "
    "rng = np.random.RandomState(seed), then W1 = rng.randn(...) * 0.01, "
    "then W2 = rng.randn(...) * 0.01, ..."
)


def _call_initializer(checker, fn, args, kwargs):
    """Call an initializer; fail if it changed numpy's global random generator."""
    parameters = checker.call(
        fn,
        args,
        kwargs=kwargs,
        exception_hints=[
            (
                lambda e: isinstance(e, TypeError) and "seed" in str(e),
                "keep the signature of the exercise, with its seed argument",
            )
        ],
    )
    if checker.last_call.random_changed:
        if _random_biases(parameters):
            checker.fail(
                "the biases are random, drawn from numpy's global random generator",
                RANDOM_BIAS_HINT + "; and np.random.randn changes the generator every other "
                "piece of code shares",
            )
        checker.fail("it changed numpy's global random generator", GLOBAL_RANDOM_HINT)
    return parameters


def _random_biases(parameters):
    """True when a dict of parameters holds a bias b{l} that is not all zeros."""
    if not isinstance(parameters, dict):
        return False
    biases = [v for k, v in parameters.items() if str(k).startswith("b") and is_array(v)]
    return any(bool((b != 0).any()) for b in biases)


def _check_parameters(checker, parameters, dims, expected, mistakes):
    """The checks both initializers share, layer by layer.

    dims: [n_x, n[1], ..., n[L]]. expected: the reference parameters.
    mistakes: (output, hint) pairs of whole parameter dicts.
    """
    L = len(dims) - 1
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        hint = f"W{l} has one row per unit of layer {l}: shape (n[{l}], n[{l - 1}])"
        expect_array(checker, W, f"W{l}", (dims[l], dims[l - 1]), f"for layer sizes {dims}", hint)
        b_hint = f"b{l} is a column: np.zeros((n[{l}], 1)), the two sizes in a tuple"
        expect_array(checker, b, f"b{l}", (dims[l], 1), f"for layer sizes {dims}", b_hint)
    checker.ok("every W and b has the right shape")
    for l in range(1, L + 1):
        if bool((parameters[f"b{l}"] != 0).any()):
            checker.fail(f"b{l} should be all zeros", RANDOM_BIAS_HINT)
    checker.ok("the biases are zeros")
    if all(not bool((parameters[f"W{l}"] != 0).any()) for l in range(1, L + 1)):
        checker.fail("every W is all zeros", ZEROS_HINT)
    checker.ok("the weights are not zeros")
    checker.ok("numpy's global random generator left alone")
    for l in range(1, L + 1):
        expect_values(
            checker,
            parameters[f"W{l}"],
            expected[f"W{l}"],
            f"W{l}",
            mistakes=mistakes_at(mistakes, f"W{l}"),
            hint=ORDER_HINT,
        )
    checker.ok("the weights are the ones the seed gives, times 0.01")


def _classic_mistakes(dims, seed):
    """Whole-dict outputs of the classic ways to get the values wrong."""

    def unscaled():
        return reference.initialize_parameters_deep(dims, seed=seed, scale=1.0)

    def new_generator_per_layer():
        parameters = {}
        for l in range(1, len(dims)):
            parameters[f"W{l}"] = generator(seed).randn(dims[l], dims[l - 1]) * 0.01
        return parameters

    def uniform():
        rng = generator(seed)
        return {f"W{l}": rng.rand(dims[l], dims[l - 1]) * 0.01 for l in range(1, len(dims))}

    return [
        (unscaled, "the weights should be small: multiply rng.randn(...) by 0.01"),
        (new_generator_per_layer, ORDER_HINT),
        (uniform, "rng.rand draws uniformly from [0, 1); use rng.randn (normal distribution)"),
    ]


def _check_keys(checker, parameters, dims):
    if not isinstance(parameters, dict):
        got = "a numpy array" if is_array(parameters) else type(parameters).__name__
        checker.fail(
            f"it should return a dict {{'W1': ..., 'b1': ..., ...}}, got {got}",
            "return a dict with one entry per parameter, keyed 'W1', 'b1', 'W2', ...",
        )
    L = len(dims) - 1
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    keys = set(parameters)
    if keys != expected:
        hint = None
        W1 = parameters.get("W1")
        last_layer_shape = (dims[-1], dims[-2])
        if L > 1 and keys == {"W1", "b1"} and is_array(W1) and W1.shape == last_layer_shape:
            hint = (
                "only W1 and b1 came back, holding the last layer: each layer overwrote "
                "the same keys: "
                "str(1) instead of str(l)? Build the keys from the loop variable, "
                "'W' + str(l) (the letter l, not the digit 1)"
            )
        elif "W0" in keys or f"W{L + 1}" in keys or f"W{L}" not in keys:
            hint = (
                "the layers are numbered 1 .. L, and layer_dims starts with the input layer, "
                "which has no weights: L is one less than its length"
            )
        want = ", ".join(sorted(expected))
        checker.fail(
            f"the dict holds {key_names(keys)}; expected exactly {want} for {L} layers", hint
        )
    checker.ok(f"returns a dict with W1 .. W{L} and b1 .. b{L}")


@exercise("initialize_parameters")
def check_initialize_parameters(checker, initialize_parameters, hidden):
    """Check a 2-layer initialization: W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h),
    b2 (n_y, 1); small random weights from the seed, zero biases."""
    for n_x, n_h, n_y, seed in TWO_LAYER_HIDDEN if hidden else TWO_LAYER_VISIBLE:
        dims = [n_x, n_h, n_y]
        expected = reference.initialize_parameters(n_x, n_h, n_y, seed=seed)
        parameters = _call_initializer(
            checker, initialize_parameters, (n_x, n_h, n_y), {"seed": seed}
        )
        _check_keys(checker, parameters, dims)
        _check_parameters(checker, parameters, dims, expected, _classic_mistakes(dims, seed))


@exercise("initialize_parameters_deep")
def check_initialize_parameters_deep(checker, initialize_parameters_deep, hidden):
    """Check an L-layer initialization: W{l} (n[l], n[l-1]) and b{l} (n[l], 1)
    for l = 1 .. L; small random weights from the seed, zero biases."""
    for dims, seed in DEEP_HIDDEN if hidden else DEEP_VISIBLE:
        expected = reference.initialize_parameters_deep(dims, seed=seed)
        parameters = _call_initializer(
            checker, initialize_parameters_deep, (list(dims),), {"seed": seed}
        )
        _check_keys(checker, parameters, dims)
        _check_parameters(checker, parameters, dims, expected, _classic_mistakes(dims, seed))
