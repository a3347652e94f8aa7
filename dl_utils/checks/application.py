"""Checks of the application notebook's exercises: flatten, normalize,
two_layer_model and mislabeled_indices.

Each check builds inputs of its own (small random images, a small random data
set), computes the expected result with numpy or dl_utils at that moment and
compares property by property. Shapes follow the course: images come as
(m, height, width, channels); flattened data is (n_x, m), one image per column.
"""

import numpy as np

from .. import initialization, layers
from .. import model as reference_model
from .. import training as reference_training
from .calling import MATMUL_ERROR, raised
from .compare import (
    TRAIN_ATOL,
    TRAIN_RTOL,
    close,
    diagnose,
    expect_array,
    expect_tuple,
    expect_values,
    generator,
    identical,
    is_array,
    key_names,
    mistakes_at,
    one_number,
    shape_of,
)
from .registry import exercise

# --- flatten ---------------------------------------------------------------------------

# (m, height, width, channels) and seed; no two sizes equal, so that a wrong
# reshape cannot give the right values by chance
FLATTEN_VISIBLE = [((4, 3, 5, 3), 1)]
FLATTEN_HIDDEN = [((6, 2, 3, 3), 81), ((1, 4, 4, 3), 82), ((3, 64, 64, 3), 83), ((5, 7, 2, 1), 84)]

SCRAMBLE_HINT = (
    "reshaping straight to (n_x, m) gives the right shape but fills each column with "
    "pixels of several images: flatten with the images still on the first axis (one row "
    "per image), then turn the rows into columns"
)
AXES_HINT = (
    "transposing all four axes first lists each image's pixels in another order (channel "
    "first): flatten each image in the order it is stored, then turn rows into columns"
)
HARD_CODED_HINT = (
    "do not write the sizes (209, 12288) by hand: the number of images is "
    "images.shape[0], and -1 lets numpy work out the rest"
)


def image_batch(shape, seed):
    """Random uint8 images of shape (m, height, width, channels), values 0..255."""
    return generator(seed).randint(0, 256, size=shape).astype(np.uint8)


@exercise("flatten")
def check_flatten(checker, flatten, hidden):
    """Check that flatten turns images (m, height, width, channels) into a matrix
    (height * width * channels, m) whose column i is image i, pixel after pixel."""
    for shape, seed in FLATTEN_HIDDEN if hidden else FLATTEN_VISIBLE:
        _flatten_case(checker, flatten, image_batch(shape, seed))
    checker.ok("inputs left unchanged")


def _flatten_case(checker, flatten, images):
    m = images.shape[0]
    n = images[0].size
    expected = images.reshape(m, -1).T
    result = checker.call(
        flatten,
        (images,),
        exception_hints=[(raised(ValueError, "cannot reshape"), HARD_CODED_HINT)],
    )
    if is_array(result) and result.ndim == 1:
        checker.fail(
            f"it returned a 1-D array of shape {result.shape}; expected ({n}, {m}) "
            f"for images of shape {images.shape}",
            "flatten() and ravel() put every image into one long vector: keep one column "
            "per image, a 2-D result",
        )
    hint = None
    if is_array(result) and result.shape == (m, n):
        hint = "that is one image per row: the course keeps one example per column, add .T"
    expect_array(
        checker,
        result,
        "X (the flattened images)",
        (n, m),
        f"for images of shape {images.shape} (n_x = {images.shape[1]} * "
        f"{images.shape[2]} * {images.shape[3]} = {n} rows, one column per image)",
        hint,
    )
    checker.ok(f"shape ({n}, {m}): one column per image")
    expect_values(
        checker,
        result,
        expected,
        "X (the flattened images)",
        mistakes=[
            (images.reshape(-1, m), SCRAMBLE_HINT),
            (images.T.reshape(-1, m), AXES_HINT),
            (
                expected / 255,
                "flatten only reshapes: the division by 255 is the next exercise",
            ),
        ],
        hint="column i should hold image i, its pixels in the order they are stored",
    )
    checker.ok("column i holds image i, pixel after pixel")


# --- normalize -------------------------------------------------------------------------

# (n_x, m), seed and the dtype of the data; the largest value is below 255 so
# that dividing by the data's own maximum is recognized
NORMALIZE_VISIBLE = [((12, 5), 1, "uint8")]
NORMALIZE_HIDDEN = [((7, 3), 91, "uint8"), ((1, 1), 92, "uint8"), ((20, 9), 93, "float64")]

IN_PLACE_HINT = "X /= 255 divides the array you were given in place: return a new array, X / 255"


def pixel_data(shape, seed, dtype):
    """Flattened pixel values (n_x, m) between 1 and 200, as uint8 or float64."""
    return generator(seed).randint(1, 201, size=shape).astype(dtype)


@exercise("normalize")
def check_normalize(checker, normalize, hidden):
    """Check that normalize divides the pixel values by 255, the largest possible
    value, and returns a new float array of the same shape (n_x, m)."""
    for shape, seed, dtype in NORMALIZE_HIDDEN if hidden else NORMALIZE_VISIBLE:
        _normalize_case(checker, normalize, pixel_data(shape, seed, dtype))
    checker.ok("inputs left unchanged")


def _normalize_case(checker, normalize, X):
    expected = X / 255
    result = checker.call(
        normalize,
        (X,),
        exception_hints=[(raised(TypeError, "Cannot cast", "casting"), IN_PLACE_HINT)],
        mutation_hint=IN_PLACE_HINT,
    )
    expect_array(checker, result, "the normalized data", X.shape, f"for X of shape {X.shape}")
    checker.ok(f"shape {X.shape}, the shape of X")
    if not np.issubdtype(result.dtype, np.floating):
        hint = "// is integer division: use X / 255" if close(result, X // 255) else None
        checker.fail(
            f"the normalized data has dtype {result.dtype}; expected floats between 0 and 1",
            hint or "divide with /, which gives floats: X / 255",
        )
    expect_values(
        checker,
        result,
        expected,
        "the normalized data",
        mistakes=[
            (X, "the values are unchanged: divide by 255"),
            (
                X / X.max(),
                "that divides by the largest value of this data; divide by 255, the "
                "largest value a pixel can take, so that every image (training and test) "
                "is scaled the same way",
            ),
            (
                lambda: _standardized(X),
                "that standardizes the data (mean 0, standard deviation 1); here the "
                "pixels are just scaled to [0, 1]: X / 255",
            ),
            (X / 256, "divide by 255, the largest pixel value (0..255), not by 256"),
        ],
    )
    checker.ok("values are X / 255")


def _standardized(X):
    """(X - mean) / std, the mistake of standardizing instead of scaling (NaN if std = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (X - X.mean()) / X.std()


# --- two_layer_model -----------------------------------------------------------------

# (n_x, n_h, m), learning rate, iterations and seed; the costs are recorded at
# iterations 0, 100, ..., so every case runs past at least one of them
MODEL_VISIBLE = [((5, 4, 12), 0.1, 250, 1)]
MODEL_HIDDEN = [((6, 3, 15), 0.3, 301, 101), ((3, 7, 9), 0.05, 120, 102)]

SIGNATURE_HINT = (
    "keep the signature of the answer cell: two_layer_model(X, Y, layers_dims, "
    "learning_rate=..., num_iterations=..., print_cost=False), with its default values"
)
UPHILL_HINT = "the parameters move uphill: dA2 = -(Y / A2 - (1 - Y) / (1 - A2)), with the minus"
NO_UPDATE_HINT = (
    "the parameters never changed: update_parameters returns a new dict, so keep what it "
    "returns for the next iteration"
)


def model_data(n_x, m, seed):
    """A random data set: X (n_x, m) and labels Y (1, m) holding both classes."""
    rng = generator(seed)
    X = rng.randn(n_x, m)
    Y = (rng.rand(1, m) > 0.5).astype(int)
    Y[0, 0], Y[0, 1] = 0, 1
    return X, Y


def simulate_two_layer(X, Y, dims, learning_rate, num_iterations, hidden="relu", dA="right"):
    """The 2-layer loop with the reference blocks, right or with a classic mistake.

    hidden: the hidden layer's activation. dA: "right" for
    dA2 = -(Y / A2 - (1 - Y) / (1 - A2)), "flipped" for its opposite, "dZ" for
    A2 - Y passed as dA2.
    Returns (parameters, costs), the costs at iterations 0, 100, ...
    """
    parameters = initialization.initialize_parameters(*dims)
    costs = []
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i in range(num_iterations):
            parameters = _simulated_step(X, Y, parameters, learning_rate, i, costs, hidden, dA)
    return parameters, costs


def _simulated_step(X, Y, parameters, learning_rate, i, costs, hidden, dA):
    """One iteration of ``simulate_two_layer``; appends to costs every 100 iterations."""
    W1, b1, W2, b2 = (parameters[name] for name in ("W1", "b1", "W2", "b2"))
    A1, cache1 = layers.linear_activation_forward(X, W1, b1, hidden)
    A2, cache2 = layers.linear_activation_forward(A1, W2, b2, "sigmoid")
    if i % 100 == 0:
        costs.append(float(reference_model.compute_cost(A2, Y)))
    if dA == "dZ":
        dA2 = A2 - Y
    else:
        dA2 = -(Y / A2 - (1 - Y) / (1 - A2)) * (-1 if dA == "flipped" else 1)
    dA1, dW2, db2 = layers.linear_activation_backward(dA2, cache2, "sigmoid")
    _, dW1, db1 = layers.linear_activation_backward(dA1, cache1, hidden)
    grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    return reference_model.update_parameters(parameters, grads, learning_rate)


@exercise("two_layer_model")
def check_two_layer_model(checker, two_layer_model, hidden):
    """Check the 2-layer training loop: initialize_parameters(n_x, n_h, n_y), then
    num_iterations steps of LINEAR -> RELU -> LINEAR -> SIGMOID forward, cost,
    backward and update; the cost recorded at iterations 0, 100, 200, ...;
    returns (parameters, costs)."""
    for (n_x, n_h, m), learning_rate, num_iterations, seed in (
        MODEL_HIDDEN if hidden else MODEL_VISIBLE
    ):
        X, Y = model_data(n_x, m, seed)
        _two_layer_case(
            checker, two_layer_model, X, Y, (n_x, n_h, 1), learning_rate, num_iterations
        )
    checker.ok("inputs left unchanged")


def _two_layer_case(checker, two_layer_model, X, Y, dims, learning_rate, num_iterations):
    expected, costs_expected = reference_training.two_layer_model(
        X, Y, dims, learning_rate=learning_rate, num_iterations=num_iterations, progress=False
    )
    result = checker.call(
        two_layer_model,
        (X, Y, dims),
        kwargs={"learning_rate": learning_rate, "num_iterations": num_iterations},
        exception_hints=[
            (raised(TypeError, "argument"), SIGNATURE_HINT),
            (MATMUL_ERROR, "check the shapes: W1 is (n_h, n_x) and X is (n_x, m)"),
            (
                raised(ValueError, "infinite", "NaN"),
                "training blew up (the probabilities reached 0 or 1): " + UPHILL_HINT,
            ),
        ],
    )
    parameters, costs = expect_tuple(checker, result, ("parameters", "costs"))
    checker.ok("returns (parameters, costs)")

    if not isinstance(parameters, dict) or set(parameters) != set(expected):
        checker.fail(
            f"parameters should be a dict with exactly W1, b1, W2, b2, got {_keys(parameters)}",
            "return the dict update_parameters gave you in the last iteration",
        )
    for name, value in expected.items():
        expect_array(checker, parameters[name], f"parameters['{name}']", value.shape)
    checker.ok(f"parameters hold W1 {expected['W1'].shape}, b1, W2 and b2")

    first_cost_mistakes = [
        (
            lambda: simulate_two_layer(X, Y, dims, learning_rate, 1, "sigmoid")[1][0],
            "the hidden layer uses 'relu'; 'sigmoid' is for the output layer only",
        ),
    ]
    values = _check_costs_start(checker, costs, costs_expected, num_iterations, first_cost_mistakes)

    mistakes = [
        (lambda: initialization.initialize_parameters(*dims), NO_UPDATE_HINT),
        (
            lambda: simulate_two_layer(X, Y, dims, learning_rate, num_iterations, dA="flipped")[0],
            UPHILL_HINT,
        ),
        (
            lambda: simulate_two_layer(X, Y, dims, learning_rate, num_iterations, dA="dZ")[0],
            "A2 - Y is dZ2, not dA2: linear_activation_backward(dA2, cache, 'sigmoid') "
            "multiplies by the sigmoid's derivative itself, so give it "
            "dA2 = -(Y / A2 - (1 - Y) / (1 - A2))",
        ),
        (
            lambda: simulate_two_layer(X, Y, dims, learning_rate, num_iterations, "sigmoid")[0],
            "the hidden layer uses 'relu'; 'sigmoid' is for the output layer only",
        ),
        (
            lambda: reference_training.two_layer_model(
                X, Y, dims, num_iterations=num_iterations, progress=False
            )[0],
            "that is training with the default learning rate: pass the learning_rate "
            "argument on to update_parameters",
        ),
    ]
    for name in ("W2", "b2", "W1", "b1"):
        if not close(parameters[name], expected[name], TRAIN_RTOL, TRAIN_ATOL):
            hint = diagnose(parameters[name], mistakes_at(mistakes, name))
            checker.fail(
                f"after {num_iterations} iterations {name} has the right shape "
                f"{expected[name].shape} but wrong values",
                hint
                or "at every iteration: forward (relu, then sigmoid), cost, backward "
                "(sigmoid, then relu), update",
            )
    checker.ok(f"the trained parameters are right after {num_iterations} iterations")
    _check_costs_rest(checker, values, costs_expected)


def _keys(parameters):
    if isinstance(parameters, dict):
        return "a dict of " + key_names(parameters)
    return shape_of(parameters)


def _check_costs_start(checker, costs, costs_expected, num_iterations, mistakes=()):
    """Check the type and count of costs, and costs[0]; return the costs as floats.

    mistakes: (cost, hint) pairs for ``diagnose``, classic mistakes that change costs[0].
    """
    count = len(costs_expected)
    values = cost_values(costs)
    if values is None:
        checker.fail(
            f"costs should be a list of {count} numbers, got {shape_of(costs)}",
            "start an empty list before the loop and add the cost to it every 100 iterations",
        )
    if len(values) != count:
        hint = f"record the cost at iterations 0, 100, 200, ...: {count} costs"
        if len(values) == num_iterations:
            hint = "that is one cost per iteration; " + hint
        checker.fail(f"costs holds {len(values)} numbers, expected {count}", hint)
    if not close(values[0], costs_expected[0], TRAIN_RTOL, TRAIN_ATOL):
        checker.fail(
            "costs[0], the cost before any update, is wrong",
            diagnose(values[0], mistakes)
            or "start from initialize_parameters(n_x, n_h, n_y) (its default seed) and record "
            "the cost of the forward pass before the first update",
        )
    checker.ok(f"costs holds {count} numbers, and costs[0] (before any update) is right")
    return values


def _check_costs_rest(checker, values, costs_expected):
    """Check the costs recorded after the first one (the parameters are right by now)."""
    for i in range(1, len(costs_expected)):
        if not close(values[i], costs_expected[i], TRAIN_RTOL, TRAIN_ATOL):
            checker.fail(
                f"costs[{i}], the cost at iteration {100 * i}, is wrong",
                "record the cost of that iteration's forward pass, before its update",
            )
    checker.ok("costs: the costs at iterations 100, 200, ... are right")


def cost_values(costs):
    """The recorded costs as a list of floats, or None when costs is not a list (or
    1-D array) of single numbers; a cost may be a float or an array holding one number."""
    if not isinstance(costs, (list, tuple)) and not (is_array(costs) and costs.ndim == 1):
        return None
    values = [one_number(cost) for cost in costs]
    return None if None in values else values


# --- mislabeled_indices ----------------------------------------------------------------

# (m, number of mistakes, seed)
MISLABELED_VISIBLE = [(8, 3, 1)]
MISLABELED_HIDDEN = [(20, 5, 111), (6, 0, 112), (1, 1, 113), (9, 9, 114)]

WHERE_ROWS_HINT = (
    "those are row indices: on a (1, m) array np.where returns one array of indices per "
    "axis, (rows, columns), and the images are numbered by the columns"
)


def labels_and_predictions(m, wrong, seed):
    """Labels y (1, m) and predictions p (1, m) that differ in exactly ``wrong`` columns."""
    rng = generator(seed)
    y = (rng.rand(1, m) > 0.5).astype(int)
    flipped = rng.permutation(m)[:wrong]
    p = y.copy()
    p[0, flipped] = 1 - p[0, flipped]
    return p, y


@exercise("mislabeled_indices")
def check_mislabeled_indices(checker, mislabeled_indices, hidden):
    """Check that mislabeled_indices returns the column indices i where p[0, i] != y[0, i],
    in increasing order, as a 1-D array."""
    for m, wrong, seed in MISLABELED_HIDDEN if hidden else MISLABELED_VISIBLE:
        p, y = labels_and_predictions(m, wrong, seed)
        _mislabeled_case(checker, mislabeled_indices, p, y)
    checker.ok("inputs left unchanged")


def _mislabeled_case(checker, mislabeled_indices, p, y):
    m = y.shape[1]
    expected = np.nonzero(p[0] != y[0])[0]
    result = checker.call(mislabeled_indices, (p, y))
    if isinstance(result, tuple):
        checker.fail(
            f"it returned a tuple of {len(result)} items; expected a 1-D array of indices",
            "np.where gives a tuple of index arrays, one per axis: keep the one that numbers "
            "the images, the columns'",
        )
    try:
        indices = np.asarray(result)
    except (TypeError, ValueError):
        indices = None
    if indices is None or indices.dtype == object:
        checker.fail(f"expected a 1-D array of indices, got {shape_of(result)}")
    if indices.dtype == bool or (indices.shape == (1, m) and m > 1):
        checker.fail(
            f"it returned an array of shape {indices.shape} with one entry per image; "
            f"expected the indices of the mislabeled images ({expected.size} of them here)",
            "that is the mask p != y, one entry per image: what is asked is the positions "
            "where it is True",
        )
    if indices.ndim != 1:
        checker.fail(
            f"the indices should be a 1-D array, got shape {indices.shape}",
            "keep only the indices of the columns, one number per mislabeled image",
        )
    if indices.size != expected.size:
        hint = None
        if indices.size == m - expected.size:
            hint = "those are the images predicted right: compare with !=, not =="
        checker.fail(
            f"it found {indices.size} mislabeled images for p and y of shape {y.shape}; "
            f"expected {expected.size}",
            hint,
        )
    checker.ok(f"{expected.size} indices for p and y of shape {y.shape}")
    if indices.size and not np.issubdtype(indices.dtype, np.integer):
        checker.fail(
            f"the indices have dtype {indices.dtype}; expected whole numbers",
            "np.where returns integer indices",
        )
    if not identical(indices, expected):
        hint = None
        if indices.size and not np.any(indices):
            hint = WHERE_ROWS_HINT
        elif identical(np.sort(indices), expected):
            hint = "give the indices in increasing order"
        checker.fail("the indices are not those of the images where p differs from y", hint)
    checker.ok("the indices are those of the mislabeled images, in order")
