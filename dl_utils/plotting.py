"""Pictures for the course: decision boundaries, cost curves, mislabeled images.

Shapes, one example per column as everywhere in dl_utils:
X (2, m) for 2-D points, Y (1, m) for 0/1 labels; images either flattened
(n_x, m) with n_x = height * width * channels, or stacked (m, height, width, channels).

Every function draws into a matplotlib Axes or Figure and returns it; none
calls ``plt.show()``, so a notebook shows the result and a script can save it.
Colours: class 0 is red, class 1 is blue, probabilities in between fade
through white.
"""

import math

import numpy as np

from .model import L_model_forward
from .validation import (
    as_float_array,
    check_count,
    check_labels,
    check_learning_rate,
    check_matrix,
    check_parameters,
)

CMAP = "RdBu"  # 0 -> red, 0.5 -> white, 1 -> blue
FILL_LEVELS = np.linspace(0.0, 1.0, 11)  # bands of the filled probability map
FILL_ALPHA = 0.6
MARGIN = 0.1  # the plane extends this share of the data's range beyond it
# how train and test points are drawn, so the two are told apart at a glance
POINT_STYLES = {
    "train": {"marker": "o", "s": 30, "edgecolors": "white", "linewidths": 0.6},
    "test": {"marker": "^", "s": 60, "edgecolors": "black", "linewidths": 1.5},
}
GRID_COLUMNS = 5  # images per row in the mislabeled gallery


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def _axes(ax):
    """The Axes to draw into: ``ax`` itself, or a new figure's."""
    if ax is None:
        return _pyplot().subplots()[1]
    if not hasattr(ax, "plot"):
        raise ValueError(f"ax should be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


# ----------------------------------------------------------------------------
# Decision boundary
# ----------------------------------------------------------------------------


def _as_predict_fn(predict_fn, hidden_activation):
    """Turn a parameters dict into a function; check that a function is callable."""
    if isinstance(predict_fn, dict):
        parameters = predict_fn
        check_parameters(parameters, n_x=2)
        return lambda points: L_model_forward(points, parameters, hidden_activation)[0]
    if not callable(predict_fn):
        raise ValueError(
            "predict_fn should be a function mapping points of shape (2, k) to "
            "predictions of shape (1, k), or a trained parameters dict; got "
            f"{type(predict_fn).__name__}"
        )
    return predict_fn


def _check_test_points(X_test, Y_test):
    """Return (X_test (2, m_test), Y_test (1, m_test)), or None when both are None."""
    if X_test is None and Y_test is None:
        return None
    if X_test is None or Y_test is None:
        given, missing = ("X_test", "Y_test") if Y_test is None else ("Y_test", "X_test")
        raise ValueError(f"{given} was given without {missing}: pass both or neither")
    X_test = check_matrix(X_test, "X_test", rows=2)
    return X_test, check_labels(Y_test, "Y_test", m=X_test.shape[1])


def _grid(points, resolution):
    """A resolution x resolution grid over the points' range plus a margin.

    points: shape (2, k). Returns xx and yy, each of shape (resolution, resolution).
    """
    low, high = points.min(axis=1), points.max(axis=1)
    margin = np.where(high > low, MARGIN * (high - low), 0.5)
    xs = np.linspace(low[0] - margin[0], high[0] + margin[0], resolution)
    ys = np.linspace(low[1] - margin[1], high[1] + margin[1], resolution)
    return np.meshgrid(xs, ys)


def _predict_grid(predict_fn, grid):
    """Call predict_fn on grid (2, k); return its checked output of shape (k,)."""
    k = grid.shape[1]
    output = as_float_array(predict_fn(grid), "the output of predict_fn")
    if output.shape not in ((1, k), (k,)):
        raise ValueError(
            f"predict_fn returned shape {output.shape} for points of shape {grid.shape}: "
            f"it should return one prediction per column, shape (1, {k})"
        )
    if not np.isfinite(output).all():
        raise ValueError("predict_fn returned NaN or infinite values: did the training diverge?")
    if output.min() < 0 or output.max() > 1:
        raise ValueError(
            "predict_fn should return probabilities in [0, 1] or 0/1 labels, got values "
            f"from {output.min():g} to {output.max():g}"
        )
    return output.reshape(k)


def plot_decision_boundary(
    predict_fn,
    X,
    Y,
    ax=None,
    resolution=200,
    X_test=None,
    Y_test=None,
    title=None,
    hidden_activation="relu",
):
    """Colour the plane by the model's prediction and draw the labelled points on it.

    predict_fn: a function mapping points of shape (2, k) to probabilities or
        0/1 labels of shape (1, k); or a trained parameters dict, run through
        ``L_model_forward`` with ``hidden_activation``.
    X: training points, shape (2, m). Y: their labels, shape (1, m).
    ax: the Axes to draw into, or None for a new figure.
    resolution: the filled map has resolution x resolution points.
    X_test, Y_test: optional test points (2, m_test) and labels (1, m_test),
        drawn as triangles with a black edge (training points are circles).
    title: the Axes title, or None.
    The plane covers all the points plus 10% of their range on each side;
    predictions near 0 are red, near 1 blue, and a black line marks 0.5.
    Returns the Axes.
    """
    predict_fn = _as_predict_fn(predict_fn, hidden_activation)
    X = check_matrix(X, "X", rows=2)
    Y = check_labels(Y, "Y", m=X.shape[1])
    test = _check_test_points(X_test, Y_test)
    resolution = check_count(resolution, "resolution", minimum=2)
    ax = _axes(ax)

    everything = X if test is None else np.concatenate([X, test[0]], axis=1)
    xx, yy = _grid(everything, resolution)
    values = _predict_grid(predict_fn, np.array([xx.ravel(), yy.ravel()]))
    values = values.reshape(xx.shape)
    ax.contourf(xx, yy, values, levels=FILL_LEVELS, cmap=CMAP, alpha=FILL_ALPHA)
    if values.min() < 0.5 < values.max():
        ax.contour(xx, yy, values, levels=[0.5], colors="black", linewidths=1)

    parts = {"train": (X, Y)} if test is None else {"train": (X, Y), "test": test}
    for name, (points, labels) in parts.items():
        ax.scatter(
            points[0],
            points[1],
            c=labels.ravel(),
            cmap=CMAP,
            vmin=0,
            vmax=1,
            label=name,
            **POINT_STYLES[name],
        )
    if test is not None:
        ax.legend(loc="best")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if title is not None:
        ax.set_title(title)
    return ax


# ----------------------------------------------------------------------------
# Cost curve
# ----------------------------------------------------------------------------


def plot_costs(costs, learning_rate=None, ax=None, every=100):
    """Plot the cost recorded during training.

    costs: the recorded costs, shape (n,), e.g. the list ``L_layer_model`` returns.
    learning_rate: shown in the title when given.
    ax: the Axes to draw into, or None for a new figure.
    every: costs[i] was recorded at iteration i * every, and the x axis shows
        those iteration numbers; None numbers the costs 0, 1, 2, ... instead and
        labels the axis "iterations (per hundreds)", like the classic course.
    NaN or infinite costs (training diverged) are left as gaps in the curve.
    Returns the Axes.
    """
    values = as_float_array(costs, "costs")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"costs should be a non-empty list of numbers (shape (n,)), got shape {values.shape}"
        )
    if learning_rate is not None:
        learning_rate = check_learning_rate(learning_rate)
    if every is None:
        x, xlabel = np.arange(values.size), "iterations (per hundreds)"
    else:
        every = check_count(every, "every", minimum=1)
        x, xlabel = np.arange(values.size) * every, "iterations"
    ax = _axes(ax)
    ax.plot(x, values)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cost")
    title = "Cost" if learning_rate is None else f"Learning rate = {learning_rate:g}"
    ax.set_title(title)
    return ax


# ----------------------------------------------------------------------------
# Mislabeled images
# ----------------------------------------------------------------------------


def _class_names(classes):
    """Class names as str, from bytes (as load_dataset returns them) or str."""
    names = np.asarray(classes)
    if names.ndim != 1 or names.size < 2:
        raise ValueError(
            f"classes should list one name per label, e.g. [b'even', b'odd'], got {classes!r}"
        )
    return [n.decode("utf-8") if isinstance(n, bytes) else str(n) for n in names.tolist()]


def _as_images(X, m, image_shape):
    """Return the m images of X as floats in [0, 1], shape (m, height, width, channels).

    X: flattened images (n_x, m), n_x = the product of image_shape, or
    stacked images (m, height, width, channels); values in [0, 1] or 0..255
    (integer arrays such as uint8 are always read as 0..255).
    """
    integers = np.issubdtype(np.asarray(X).dtype, np.integer)
    X = as_float_array(X, "X")
    if X.ndim == 2:
        n_x = math.prod(image_shape)
        if X.shape != (n_x, m):
            hint = ": one image per column, so pass X.T" if X.shape == (m, n_x) else ""
            raise ValueError(
                f"X has shape {X.shape}, but {m} flattened images of shape {image_shape} "
                f"need shape ({n_x}, {m}){hint}"
            )
        images = X.T.reshape((m, *image_shape))
    elif X.ndim == 4 and X.shape[0] == m:
        images = X
    else:
        raise ValueError(
            f"X has shape {X.shape}: expected flattened images (n_x, {m}) or "
            f"images ({m}, height, width, channels)"
        )
    if not np.isfinite(images).all() or images.min() < 0 or images.max() > 255:
        raise ValueError("X should hold pixel values in [0, 1] or 0..255")
    return images / 255.0 if integers or images.max() > 1 else images


def _check_image_shape(image_shape):
    """Check (height, width, channels): three whole numbers >= 1. Returns a tuple."""
    if not isinstance(image_shape, (tuple, list)) or len(image_shape) != 3:
        raise ValueError(
            f"image_shape should be (height, width, channels), e.g. (64, 64, 3), "
            f"got {image_shape!r}"
        )
    return tuple(check_count(n, "image_shape", minimum=1) for n in image_shape)


def plot_mislabeled_images(classes, X, y, p, num_images=None, image_shape=(64, 64, 3)):
    """Show the images whose prediction differs from their label, in a grid.

    classes: the class names, e.g. the ``classes`` of ``load_dataset``
        (bytes or str); classes[label] names a label.
    X: the images, flattened (n_x, m) with n_x = the product of image_shape,
        or stacked (m, height, width, channels); values in [0, 1] or 0..255.
    y: the true labels, shape (1, m). p: the predicted labels, shape (1, m).
    num_images: show at most this many (the first ones), or None for all.
    image_shape: (height, width, channels) of one flattened image.
    Each image is titled "Prediction: ... / Class: ...". With nothing
    mislabeled, the figure holds one Axes, its axis turned off, with a short
    message instead (Jupyter does not display a figure without Axes).
    Returns the Figure, with one Axes per image shown.
    """
    names = _class_names(classes)
    y = check_labels(y, "y")
    p = check_labels(p, "p", m=y.shape[1])
    images = _as_images(X, y.shape[1], _check_image_shape(image_shape))
    wrong = np.flatnonzero(p[0] != y[0])
    if num_images is not None:
        wrong = wrong[: check_count(num_images, "num_images", minimum=1)]

    plt = _pyplot()
    if wrong.size == 0:
        figure, ax = plt.subplots(figsize=(5, 1))
        ax.axis("off")
        ax.text(
            0.5,
            0.5,
            "No mislabeled images: every prediction matches its label",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        return figure
    columns = min(wrong.size, GRID_COLUMNS)
    rows = math.ceil(wrong.size / columns)
    figure = plt.figure(figsize=(2.4 * columns, 2.8 * rows))
    for k, index in enumerate(wrong):
        ax = figure.add_subplot(rows, columns, k + 1)
        image = images[index]
        gray = image.shape[-1] == 1
        ax.imshow(image[..., 0] if gray else image, cmap="gray" if gray else None)
        ax.set_title(
            f"Prediction: {names[int(p[0, index])]}\nClass: {names[int(y[0, index])]}",
            fontsize=9,
        )
        ax.axis("off")
    figure.tight_layout()
    return figure
