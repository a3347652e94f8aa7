"""Input checks shared by every public function of dl_utils.

Each check raises a ``ValueError`` whose message a student can act on: it names
the quantity, shows the shapes involved and, where there is one, the likely
cause. No raw numpy broadcasting or matmul error should ever reach the user.
"""

import numpy as np


def is_number(value):
    """True for a real number: a Python or numpy int or float, but not a bool."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def is_whole_number(value):
    """True for a Python or numpy int, but not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def lookup(registry, key, what):
    """Return ``registry[key]``; an unknown key raises a ValueError that lists the known ones.

    registry: a dict such as ``ACTIVATIONS``. what: how the message names a key,
    e.g. "activation".
    """
    try:
        return registry[key]
    except (KeyError, TypeError):
        known = ", ".join(f'"{n}"' for n in registry)
        raise ValueError(f"unknown {what} {key!r}; choose one of {known}") from None


def as_float_array(x, name):
    """Return ``x`` as a float numpy array, or raise a clear error.

    x: an array or anything numpy can turn into a numeric array (list, scalar).
    name: how the message refers to it, e.g. "W2".
    Returns an ndarray of a float dtype and x's shape (the same object when it
    already is one).
    """
    if isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating):
        return x
    if isinstance(x, dict):
        raise ValueError(f"{name} should be a numpy array, not a dict")
    try:
        array = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} should be a numeric numpy array, got {type(x).__name__}"
        ) from None
    return array


def check_matrix(x, name, rows=None, cols=None, finite=True):
    """Check that ``x`` is a 2-D float array, optionally of a given size.

    x: the array to check, expected shape (rows, cols).
    name: how the message refers to it, e.g. "A1".
    rows, cols: the expected number of rows/columns, or None for any.
    finite: if True, NaN or infinite entries are an error.
    Returns ``x`` as a float array of shape (rows, cols).
    """
    x = as_float_array(x, name)
    if x.ndim != 2:
        hint = ""
        if x.ndim == 1:
            hint = (
                f": a vector of {x.shape[0]} values should be a column of shape "
                f"({x.shape[0]}, 1) or a row of shape (1, {x.shape[0]}); "
                "use .reshape"
            )
        raise ValueError(f"{name} should be a 2-D array, got shape {x.shape} ({x.ndim}-D){hint}")
    if rows is not None and x.shape[0] != rows:
        raise ValueError(f"{name} has shape {x.shape}, expected {rows} rows")
    if cols is not None and x.shape[1] != cols:
        raise ValueError(f"{name} has shape {x.shape}, expected {cols} columns")
    if finite:
        check_finite(x, name)
    return x


def check_finite(x, name):
    """Raise if ``x`` (a float array of any shape) holds NaN or infinity."""
    if not np.isfinite(x).all():
        bad = "NaN" if np.isnan(x).any() else "infinite values"
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(x))[0])
        raise ValueError(
            f"{name} contains {bad} (first at index {where}); "
            "check the data, or lower the learning rate if training diverged"
        )


def check_labels(Y, name="Y", m=None, binary=True):
    """Check labels.

    Y: labels of shape (1, m), every entry 0 or 1 (bool or int arrays are fine).
    m: the expected number of examples, or None for any.
    binary: False accepts any finite numbers, for the cost and the gradients,
        whose formulas hold for them too (the classic assignment's tests use
        labels drawn from a normal distribution).
    Returns Y as a float array of shape (1, m).
    """
    Y = as_float_array(Y, name)
    if Y.ndim == 1:
        raise ValueError(
            f"{name} has shape {Y.shape}; labels should be a row of shape "
            f"(1, {Y.shape[0]}): use {name}.reshape(1, -1)"
        )
    if Y.ndim != 2 or Y.shape[0] != 1:
        raise ValueError(f"{name} has shape {Y.shape}; labels should be a row of shape (1, m)")
    if m is not None and Y.shape[1] != m:
        raise ValueError(f"{name} has {Y.shape[1]} labels but there are {m} examples")
    check_finite(Y, name)
    bad = (Y != 0) & (Y != 1)
    if binary and bad.any():
        values = np.unique(Y[bad])[:5]
        raise ValueError(
            f"{name} should hold only 0 and 1, found {', '.join(f'{v:g}' for v in values)}"
        )
    return Y


def check_probabilities(AL, name="AL"):
    """Check predicted probabilities.

    AL: shape (n[L], m), usually (1, m); every entry finite and in [0, 1].
    Returns AL as a float array of the same shape.
    """
    AL = check_matrix(AL, name)
    if (AL < 0).any() or (AL > 1).any():
        raise ValueError(
            f"{name} should hold probabilities between 0 and 1, found values from "
            f"{AL.min():g} to {AL.max():g}: is the sigmoid missing on the last layer?"
        )
    return AL


def check_layer_dims(layer_dims, name="layer_dims"):
    """Check a list of layer sizes [n_x, n_1, ..., n_L].

    layer_dims: a list or tuple of at least two positive integers.
    Returns it as a list of Python ints.
    """
    if isinstance(layer_dims, (str, bytes, dict)) or not hasattr(layer_dims, "__len__"):
        raise ValueError(
            f"{name} should be a list of layer sizes like [12288, 20, 7, 1], got {layer_dims!r}"
        )
    if len(layer_dims) < 2:
        raise ValueError(
            f"{name} needs at least two sizes (the input and the output layer), "
            f"got {list(layer_dims)}"
        )
    dims = []
    for i, n in enumerate(layer_dims):
        if not is_whole_number(n):
            raise ValueError(f"{name}[{i}] should be a whole number of units, got {n!r}")
        if n < 1:
            raise ValueError(f"{name}[{i}] should be at least 1 unit, got {n}")
        dims.append(int(n))
    return dims


def check_parameters(parameters, n_x=None, name="parameters"):
    """Check a parameter dict {"W1", "b1", ..., "WL", "bL"} layer by layer.

    parameters: W{l} of shape (n[l], n[l-1]) and b{l} of shape (n[l], 1).
    n_x: the number of input features (rows of X), or None to skip that check.
    Returns L, the number of layers.
    """
    if not isinstance(parameters, dict):
        raise ValueError(
            f"{name} should be a dict like {{'W1': ..., 'b1': ...}}, "
            f"got {type(parameters).__name__}"
        )
    L = sum(1 for key in parameters if isinstance(key, str) and key.startswith("W"))
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    if L == 0 or set(parameters) != expected:
        missing = sorted(expected - set(parameters))
        extra = sorted(set(parameters) - expected)
        detail = []
        if missing:
            detail.append(f"missing {', '.join(missing)}")
        if extra:
            detail.append(f"unexpected {', '.join(map(str, extra))}")
        raise ValueError(
            f"{name} should hold exactly W1, b1, ..., WL, bL; "
            + ("; ".join(detail) or f"got {sorted(parameters)}")
        )
    previous_rows, previous_name = n_x, "X"
    for l in range(1, L + 1):
        W = check_matrix(parameters[f"W{l}"], f"W{l}")
        b = check_matrix(parameters[f"b{l}"], f"b{l}")
        if previous_rows is not None and W.shape[1] != previous_rows:
            raise ValueError(
                f"W{l} has shape {W.shape} but {previous_name} has "
                f"{previous_rows} rows: W{l} needs {previous_rows} columns"
            )
        if b.shape != (W.shape[0], 1):
            raise ValueError(
                f"b{l} has shape {b.shape} but W{l} has shape {W.shape}: "
                f"b{l} should have shape ({W.shape[0]}, 1)"
            )
        previous_rows, previous_name = W.shape[0], f"A{l}"
    return L


def check_learning_rate(learning_rate):
    """Check that the learning rate is a positive finite number."""
    if not is_number(learning_rate):
        raise ValueError(f"learning_rate should be a number, got {learning_rate!r}")
    if not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate should be a positive number, got {learning_rate!r}")
    return float(learning_rate)


def check_count(value, name, minimum=0):
    """Check a whole number such as num_iterations (at least ``minimum``)."""
    if not is_whole_number(value):
        raise ValueError(f"{name} should be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} should be at least {minimum}, got {value}")
    return int(value)
