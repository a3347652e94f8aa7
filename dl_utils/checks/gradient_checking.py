"""Checks of the gradient-checking notebook's exercises: centered_difference,
wrong_gradients (the answer of the bug hunt) and backward_pass (the fixed backward
pass of the notebook's 3-layer network).

The network of the notebook: LINEAR -> TANH -> LINEAR -> TANH -> LINEAR -> SIGMOID.
Its forward pass returns AL (1, m) and the dict cache with A0 = X (n_x, m),
A1 (n1, m), A2 (n2, m), W1 (n1, n_x), W2 (n2, n1) and W3 (1, n2). The expected
gradients come from dl_utils' ``L_model_backward(..., hidden_activation="tanh")``
at check time.
"""

import numpy as np

from .. import model as reference_model
from ..gradient_check import numerical_gradient
from .calling import MATMUL_ERROR, raised
from .compare import (
    close,
    diagnose,
    expect_array,
    expect_values,
    generator,
    is_array,
    mistakes_at,
    shape_of,
)
from .registry import exercise
from .report import Checker
from .tampering import fail_if_tampered

# --- centered_difference -------------------------------------------------------------

# (shape of theta, m, seed, eps); eps is large enough that a one-sided difference,
# whose error is of order eps, is told apart from the centered one (order eps**2)
DIFFERENCE_VISIBLE = [((2, 3), 6, 1, 1e-3)]
DIFFERENCE_HIDDEN = [((1, 1), 4, 121, 1e-3), ((3, 4), 9, 122, 1e-2), ((4, 1), 5, 123, 1e-3)]

RESTORE_HINT = (
    "theta was left changed: adding and subtracting eps does not give back exactly the "
    "same float. Save the entry (old = theta[i]) and put it back (theta[i] = old), or "
    "work on a copy of theta"
)


def cost_of_weights(shape, m, seed):
    """A cost J(W) of one layer's weights W of ``shape`` (n, n_prev), and a point W.

    J(W) = cross-entropy of sigmoid(sum over units of tanh(W X + b)) against labels
    Y, for data X (n_prev, m): a smooth function with curvature. J refuses an
    argument of any other shape, with a clear message.
    Returns (J, W).
    """
    rng = generator(seed)
    n, n_prev = shape
    X, b = rng.randn(n_prev, m), rng.randn(n, 1)
    Y = (rng.rand(1, m) > 0.5).astype(float)
    W = rng.randn(n, n_prev)

    def J(theta):
        theta = np.asarray(theta, dtype=float)
        if theta.shape != shape:
            raise ValueError(
                f"J takes an array of shape {shape} (the shape of theta), got {theta.shape}"
            )
        AL = 1 / (1 + np.exp(-np.sum(np.tanh(theta @ X + b), axis=0, keepdims=True)))
        return float(reference_model.compute_cost(AL, Y))

    return J, W


def _one_sided(J, theta, eps):
    grad = np.zeros_like(theta)
    for ix in np.ndindex(theta.shape):
        shifted = theta.copy()
        shifted[ix] += eps
        grad[ix] = (J(shifted) - J(theta)) / eps
    return grad


def _all_at_once(J, theta, eps):
    return np.full(theta.shape, (J(theta + eps) - J(theta - eps)) / (2 * eps))


def _never_restored(J, theta, eps):
    shifted = theta.copy()
    grad = np.zeros_like(theta)
    for ix in np.ndindex(theta.shape):
        shifted[ix] += eps
        plus = J(shifted)
        shifted[ix] -= 2 * eps
        grad[ix] = (plus - J(shifted)) / (2 * eps)
    return grad


@exercise("centered_difference")
def check_centered_difference(checker, centered_difference, hidden):
    """Check the numeric gradient (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps),
    entry by entry, of the shape of theta, with theta left unchanged."""
    for shape, m, seed, eps in DIFFERENCE_HIDDEN if hidden else DIFFERENCE_VISIBLE:
        J, theta = cost_of_weights(shape, m, seed)
        _difference_case(checker, centered_difference, J, theta, eps)
    checker.ok("theta left unchanged")


def _difference_case(checker, centered_difference, J, theta, eps):
    expected = numerical_gradient(J, theta, eps)
    result = checker.call(
        centered_difference,
        (J, theta),
        kwargs={"eps": eps},
        exception_hints=[
            (
                raised(ValueError, "J takes an array"),
                "call J on an array of theta's shape: a copy of theta with one entry moved",
            ),
            (raised(TypeError, "argument"), "keep the signature (J, theta, eps=1e-7)"),
        ],
        mutation_hint=RESTORE_HINT,
    )
    if not is_array(result) and np.ndim(result) == 0:
        checker.fail(
            f"it returned one number; expected an array of theta's shape {theta.shape}",
            "one derivative per entry of theta: move one entry at a time",
        )
    expect_array(checker, result, "the gradient", theta.shape, "(the shape of theta)")
    checker.ok(f"the gradient has theta's shape {theta.shape}")
    with np.errstate(all="ignore"):
        mistakes = [
            (
                lambda: _one_sided(J, theta, eps),
                "that is the one-sided difference (J(theta + eps) - J(theta)) / eps, "
                "whose error is of order eps; the centered one evaluates J at theta + eps "
                "and theta - eps and divides by 2 eps",
            ),
            (2 * expected, "divide by 2 eps, the distance between theta - eps and theta + eps"),
            (
                lambda: _all_at_once(J, theta, eps),
                "move one entry at a time: theta + eps adds eps to every entry at once",
            ),
            (
                lambda: _never_restored(J, theta, eps),
                "put each entry back to its old value before moving the next one",
            ),
        ]
        expect_values(
            checker,
            result,
            expected,
            "the gradient",
            mistakes,
            hint="entry i is (J(theta_plus) - J(theta_minus)) / (2 eps), where only entry "
            "i of theta is moved, by +eps and by -eps",
        )
    checker.ok(f"values: the centered difference with eps = {eps:g}")


# --- wrong_gradients -------------------------------------------------------------------

# The gradients that the notebook's buggy_backward_pass gets wrong (its two planted
# bugs: dW2 without 1/m, and 1 - A1 for tanh's derivative in layer 1). A test runs
# gradient_check on the notebook's own code to confirm this set.
WRONG_GRADIENTS = frozenset({"dW2", "dW1", "db1"})
GRADIENT_NAMES = ("dW1", "db1", "dW2", "db2", "dW3", "db3")


def check_wrong_gradients(wrong_gradients, hidden=False):
    """Check the answer of the bug hunt: the set of the gradients the buggy backward
    pass gets wrong, named like "dW2" and "db1".

    The visible check only checks the form of the answer (a set of gradient names of
    this network); the hidden test compares it with the gradients the planted bugs
    break. Raises CheckFailed on the first problem.
    """
    checker = Checker("wrong_gradients", hidden)
    checker.start()
    fail_if_tampered(checker)
    names = _gradient_names(checker, wrong_gradients)
    checker.ok(f"a set of {len(names)} gradient names of this network")
    if not hidden:
        checker.note(
            "this only checks the form of the answer; the graded test compares it with "
            "what the planted bugs break, so trust your gradient check"
        )
        checker.done()
        return
    extra = names - WRONG_GRADIENTS
    missing = WRONG_GRADIENTS - names
    if extra or missing:
        problems = []
        if extra:
            problems.append(f"{len(extra)} of the gradients you named are right")
        if missing:
            problems.append(f"{len(missing)} wrong gradient(s) are missing")
        checker.fail(
            "wrong_gradients is not the set of gradients the bugs break: " + " and ".join(problems),
            "run gradient_check(parameters, X, Y, forward=forward_pass, "
            "backward=buggy_backward_pass) and take every parameter whose verdict is WRONG",
        )
    checker.ok("these are exactly the gradients the planted bugs break")
    checker.done()


def _gradient_names(checker, answer):
    if isinstance(answer, str) or not isinstance(answer, (set, frozenset, list, tuple)):
        checker.fail(
            f"wrong_gradients should be a set of names such as {{'dW3', 'db2'}}, "
            f"got {shape_of(answer)}",
            'write the names in braces, as strings: wrong_gradients = {"dW3", "db2"}',
        )
    names = set()
    for name in answer:
        if not isinstance(name, str):
            checker.fail(
                f"wrong_gradients holds {name!r}, which is not a name",
                'name each gradient as a string, e.g. "dW3"',
            )
        if name not in GRADIENT_NAMES:
            hint = f"the gradients of this network are {', '.join(GRADIENT_NAMES)}"
            if "d" + name in GRADIENT_NAMES:
                hint = f"name the gradient, with its d: {'d' + name!r}"
            checker.fail(
                f"wrong_gradients holds {name!r}, which is no gradient of this network", hint
            )
        names.add(name)
    if not names:
        checker.fail(
            "wrong_gradients is empty",
            "the backward pass has bugs: gradient_check shows which gradients they break",
        )
    return names


# --- backward_pass ---------------------------------------------------------------------

# (n_x, n1, n2, m, seed); no two sizes equal, so that W for W.T cannot run
BACKWARD_VISIBLE = [((3, 4, 2, 5), 1)]
BACKWARD_HIDDEN = [((2, 3, 4, 10), 131), ((5, 2, 3, 1), 132), ((4, 6, 5, 7), 133)]


def network_inputs(n_x, n1, n2, m, seed):
    """Parameters of the 3-layer network, data X (n_x, m) and labels Y (1, m)."""
    rng = generator(seed)
    parameters = {}
    sizes = [n_x, n1, n2, 1]
    for l in range(1, 4):
        parameters[f"W{l}"] = rng.randn(sizes[l], sizes[l - 1]) / np.sqrt(sizes[l - 1])
        parameters[f"b{l}"] = rng.randn(sizes[l], 1) * 0.5
    X = rng.randn(n_x, m)
    Y = (rng.rand(1, m) > 0.5).astype(int)
    return parameters, X, Y


def reference_forward_pass(X, parameters):
    """What the notebook's forward_pass returns: AL (1, m) and the dict cache."""
    AL, caches = reference_model.L_model_forward(X, parameters, "tanh")
    cache = {f"A{l}": caches[l][0][0] for l in range(3)}
    cache.update({f"W{l}": parameters[f"W{l}"] for l in range(1, 4)})
    return AL, cache


def backward_with(AL, Y, cache, sign=1, no_m=(), derivative=None, skip_derivative=False):
    """The 3-layer backward pass, right or with classic mistakes.

    sign: -1 for dZ3 = Y - AL. no_m: the gradients (e.g. {"dW2"}) left without 1/m.
    derivative: {layer: "linear" | "sigmoid"} for a wrong tanh derivative there.
    skip_derivative: dA1 = W2.T dA2 instead of W2.T dZ2.
    Returns dW1, db1, dW2, db2, dW3, db3.
    """
    derivative = derivative or {}
    formulas = {
        "tanh": lambda A: 1 - A**2,
        "linear": lambda A: 1 - A,
        "sigmoid": lambda A: A * (1 - A),
    }
    m = Y.shape[1]
    grads = {}
    dZ = sign * (AL - Y)
    dA = None
    for l in (3, 2, 1):
        A_prev = cache[f"A{l - 1}"]
        grads[f"dW{l}"] = (1 if f"dW{l}" in no_m else 1 / m) * dZ @ A_prev.T
        grads[f"db{l}"] = (1 if f"db{l}" in no_m else 1 / m) * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            upstream = dA if skip_derivative and l == 2 else dZ
            dA = cache[f"W{l}"].T @ upstream
            dZ = dA * formulas[derivative.get(l - 1, "tanh")](A_prev)
    return grads


# The planted bugs are for the student to find with the gradient check: a hint
# says where to look, never what the bug is.
PLANTED_BUG_HINT = (
    "this gradient is still what buggy_backward_pass computes: gradient_check shows which "
    "gradients are wrong; compare the lines that compute them with the course's formulas"
)


def _backward_mistakes(AL, Y, cache):
    return [
        (lambda: backward_with(AL, Y, cache, no_m={"dW2"}), PLANTED_BUG_HINT),
        (lambda: backward_with(AL, Y, cache, derivative={1: "linear"}), PLANTED_BUG_HINT),
        (
            lambda: backward_with(AL, Y, cache, derivative={1: "linear", 2: "linear"}),
            "tanh'(Z) = 1 - A**2, not 1 - A",
        ),
        (
            lambda: backward_with(AL, Y, cache, derivative={1: "sigmoid", 2: "sigmoid"}),
            "A * (1 - A) is the sigmoid's derivative; the hidden layers use tanh: 1 - A**2",
        ),
        (
            lambda: backward_with(AL, Y, cache, no_m=set(GRADIENT_NAMES)),
            "the 1/m is missing: every dW and db averages over the m examples",
        ),
        (
            lambda: backward_with(AL, Y, cache, sign=-1),
            "the sign is reversed: dZ3 = AL - Y",
        ),
        (
            lambda: backward_with(AL, Y, cache, skip_derivative=True),
            "dA1 = W2.T dZ2: the chain goes through dZ2, which includes tanh's derivative",
        ),
    ]


@exercise("backward_pass")
def check_backward_pass(checker, backward_pass, hidden):
    """Check the fixed backward pass of the 3-layer tanh network: dW1, db1, dW2, db2,
    dW3 and db3, of the shapes of W1, b1, ..., from AL (1, m), Y (1, m) and the cache."""
    for sizes, seed in BACKWARD_HIDDEN if hidden else BACKWARD_VISIBLE:
        parameters, X, Y = network_inputs(*sizes, seed)
        _backward_case(checker, backward_pass, X, Y, parameters)
    checker.ok("inputs left unchanged")


def _backward_case(checker, backward_pass, X, Y, parameters):
    AL, cache = reference_forward_pass(X, parameters)
    _, caches = reference_model.L_model_forward(X, parameters, "tanh")
    grads = reference_model.L_model_backward(AL, Y, caches, "tanh")
    result = checker.call(
        backward_pass,
        (AL, Y, cache),
        exception_hints=[
            (
                MATMUL_ERROR,
                "check each product's shapes: dW{l} = dZ{l} A{l-1}.T and dA{l-1} = W{l}.T dZ{l}",
            )
        ],
    )
    if not isinstance(result, dict):
        checker.fail(
            f"it should return the dict grads with {', '.join(GRADIENT_NAMES)}, "
            f"got {shape_of(result)}",
            "end with the return line of buggy_backward_pass",
        )
    missing = [name for name in GRADIENT_NAMES if name not in result]
    if missing:
        checker.fail(f"grads has no {', '.join(missing)}", "return every dW and db")
    checker.ok("grads holds dW1, db1, dW2, db2, dW3 and db3")
    mistakes = _backward_mistakes(AL, Y, cache)
    sizes = f"n_x = {X.shape[0]}, m = {X.shape[1]}"
    for name in ("dW3", "db3", "dW2", "db2", "dW1", "db1"):
        value, right = result[name], grads[name]
        hint = (
            "np.sum(dZ, axis=1, keepdims=True) keeps the shape (n[l], 1)" if "db" in name else None
        )
        expect_array(checker, value, name, right.shape, f"(the shape of {name[1:]})", hint)
        if not close(value, right):
            found = diagnose(value, mistakes_at(mistakes, name))
            checker.fail(
                f"{name} has the right shape {right.shape} but wrong values ({sizes})",
                found
                or "run gradient_check on your backward_pass: it shows which "
                "gradients are still wrong",
            )
    checker.ok("every gradient has the right shape and values")
