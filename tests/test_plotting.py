"""Plotting: what the figures hold (points, filled colours, titles) and the input checks."""

import matplotlib.pyplot as plt  # the Agg backend is chosen in conftest.py
import numpy as np
import pytest
from matplotlib.collections import PathCollection

from dl_utils.datasets import load_dataset
from dl_utils.plotting import (
    plot_costs,
    plot_decision_boundary,
    plot_mislabeled_images,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# four points at the corners, class 0 on the left and class 1 on the right
CORNERS_X = np.array([[-1.0, -1.0, 1.0, 1.0], [-1.0, 1.0, -1.0, 1.0]])
CORNERS_Y = np.array([[0, 0, 1, 1]])


def right_is_one(points):
    """A model that predicts 1 where x1 > 0: points (2, k) -> labels (1, k)."""
    return (points[0:1] > 0).astype(float)


def left_is_one(points):
    return (points[0:1] < 0).astype(float)


def scatters(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def pixel_at(ax, x, y):
    """The RGB colour (0..255) drawn at data point (x, y) of ax."""
    figure = ax.figure
    figure.canvas.draw()
    image = np.asarray(figure.canvas.buffer_rgba())
    px, py = ax.transData.transform((x, y))
    row = int(round(image.shape[0] - py))
    return image[row, int(round(px)), :3].astype(int)


def is_red(rgb):
    return rgb[0] > rgb[2] + 40


def is_blue(rgb):
    return rgb[2] > rgb[0] + 40


# ----------------------------------------------------------------------------
# plot_decision_boundary
# ----------------------------------------------------------------------------


def test_filled_colours_follow_the_predictions():
    """The plane is red where the model says 0 and blue where it says 1."""
    ax = plot_decision_boundary(right_is_one, CORNERS_X, CORNERS_Y)
    left, right = pixel_at(ax, -0.5, 0.0), pixel_at(ax, 0.5, 0.0)
    assert is_red(left) and is_blue(right), (left, right)
    ax = plot_decision_boundary(left_is_one, CORNERS_X, CORNERS_Y)
    left, right = pixel_at(ax, -0.5, 0.0), pixel_at(ax, 0.5, 0.0)
    assert is_blue(left) and is_red(right), "swapping the model should swap the colours"


def test_probabilities_are_accepted_and_fade():
    """Probabilities of any value in [0, 1] work; near 0.5 the fill is pale."""

    def soft(points):
        return 1 / (1 + np.exp(-3 * points[0:1]))

    ax = plot_decision_boundary(soft, CORNERS_X, CORNERS_Y, resolution=50)
    far_left, middle, far_right = (pixel_at(ax, x, 0.0) for x in (-1.15, 0.02, 1.15))
    assert is_red(far_left) and is_blue(far_right)
    assert middle.min() > far_left.min() and middle.min() > far_right.min(), "0.5 is pale"


def test_points_are_drawn_in_their_class_colours():
    """One scatter for the training points, coloured by their labels."""
    ax = plot_decision_boundary(right_is_one, CORNERS_X, CORNERS_Y)
    (train,) = scatters(ax)
    assert np.allclose(train.get_offsets(), CORNERS_X.T)
    ax.figure.canvas.draw()  # the colours are mapped from the labels at drawing time
    colours = train.get_facecolors()
    assert is_red(colours[0] * 255) and is_blue(colours[3] * 255)


def test_test_points_are_told_apart():
    """Test points form a second scatter with another marker and another edge."""
    X_test = np.array([[-0.5, 0.5], [0.2, -0.2]])
    ax = plot_decision_boundary(
        right_is_one, CORNERS_X, CORNERS_Y, X_test=X_test, Y_test=np.array([[0, 1]])
    )
    train, test = scatters(ax)
    assert np.allclose(test.get_offsets(), X_test.T)
    train_marker = train.get_paths()[0].vertices
    test_marker = test.get_paths()[0].vertices
    assert train_marker.shape != test_marker.shape or not np.allclose(train_marker, test_marker)
    assert not np.allclose(train.get_edgecolors(), test.get_edgecolors())
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["train", "test"]


def test_plane_covers_all_points_with_a_margin():
    """The axes extend beyond every training and test point."""
    X_test = np.array([[3.0], [-2.0]])
    ax = plot_decision_boundary(
        right_is_one, CORNERS_X, CORNERS_Y, X_test=X_test, Y_test=np.array([[1]])
    )
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 < -1 and x1 > 3 and y0 < -2 and y1 > 1


def test_draws_into_the_given_axes_and_sets_the_title():
    """A given Axes is used and returned; the title is set."""
    figure, (ax1, ax2) = plt.subplots(1, 2)
    returned = plot_decision_boundary(right_is_one, CORNERS_X, CORNERS_Y, ax=ax2, title="moons")
    assert returned is ax2 and ax2.get_title() == "moons"
    assert not ax1.collections, "nothing should be drawn on the other Axes"


def test_parameters_dict_runs_the_model():
    """A parameters dict is run through L_model_forward: here sigmoid(10 x1)."""
    parameters = {"W1": np.array([[10.0, 0.0]]), "b1": np.zeros((1, 1))}
    ax = plot_decision_boundary(parameters, CORNERS_X, CORNERS_Y)
    assert is_red(pixel_at(ax, -0.5, 0.0)) and is_blue(pixel_at(ax, 0.5, 0.0))
    flipped = {"W1": np.array([[-10.0, 0.0]]), "b1": np.zeros((1, 1))}
    ax = plot_decision_boundary(flipped, CORNERS_X, CORNERS_Y)
    assert is_blue(pixel_at(ax, -0.5, 0.0)) and is_red(pixel_at(ax, 0.5, 0.0))


def test_inputs_are_not_changed():
    """The function leaves X and Y as they were."""
    X, Y = CORNERS_X.copy(), CORNERS_Y.copy()
    plot_decision_boundary(right_is_one, X, Y)
    assert np.array_equal(X, CORNERS_X) and np.array_equal(Y, CORNERS_Y)


@pytest.mark.parametrize(
    "predict_fn, kwargs, words",
    [
        ("model", {}, "predict_fn should be a function"),
        (lambda p: np.zeros((2, p.shape[1])), {}, r"shape \(2, "),
        (lambda p: np.zeros(3), {}, "one prediction per column"),
        (lambda p: 2 * np.ones((1, p.shape[1])), {}, "probabilities"),
        (lambda p: np.full((1, p.shape[1]), np.nan), {}, "NaN"),
        ({"W1": np.ones((1, 3)), "b1": np.zeros((1, 1))}, {}, "W1"),
        (right_is_one, {"X": np.zeros((3, 4))}, "X has shape"),
        (right_is_one, {"Y": np.zeros((1, 3))}, "3 labels"),
        (right_is_one, {"Y": np.full((1, 4), 2)}, "0 and 1"),
        (right_is_one, {"X_test": np.zeros((2, 2))}, "Y_test"),
        (right_is_one, {"Y_test": np.zeros((1, 2))}, "X_test"),
        (right_is_one, {"X_test": np.zeros((2, 2)), "Y_test": np.zeros((1, 3))}, "Y_test"),
        (right_is_one, {"resolution": 1}, "resolution"),
        (right_is_one, {"ax": "left"}, "ax"),
    ],
)
def test_decision_boundary_errors(predict_fn, kwargs, words):
    """Bad models, shapes and options raise a ValueError that names them."""
    arguments = {"X": CORNERS_X, "Y": CORNERS_Y, **kwargs}
    with pytest.raises(ValueError, match=words):
        plot_decision_boundary(predict_fn, **arguments)


# ----------------------------------------------------------------------------
# plot_costs
# ----------------------------------------------------------------------------


def test_costs_against_real_iterations():
    """costs[i] is drawn at iteration i * every; the learning rate is in the title."""
    costs = [0.7, 0.5, 0.3, 0.2]
    ax = plot_costs(costs, learning_rate=0.0075, every=100)
    (line,) = ax.get_lines()
    assert np.array_equal(line.get_xdata(), [0, 100, 200, 300])
    assert np.allclose(line.get_ydata(), costs)
    assert "0.0075" in ax.get_title() and ax.get_ylabel() == "cost"
    ax = plot_costs(np.array(costs), every=50)
    assert np.array_equal(ax.get_lines()[0].get_xdata(), [0, 50, 100, 150])


def test_costs_per_hundreds():
    """every=None numbers the costs 0, 1, 2, ... like the classic plot."""
    ax = plot_costs([0.7, 0.6, 0.5], every=None)
    assert np.array_equal(ax.get_lines()[0].get_xdata(), [0, 1, 2])
    assert ax.get_xlabel() == "iterations (per hundreds)"
    assert "Learning rate" not in ax.get_title()


def test_costs_into_a_given_axes():
    _, ax = plt.subplots()
    assert plot_costs([1.0, 0.5], ax=ax) is ax


@pytest.mark.parametrize(
    "costs, kwargs, words",
    [
        ([], {}, "non-empty"),
        ([[0.7, 0.6], [0.5, 0.4]], {}, "shape"),
        (["a", "b"], {}, "costs"),
        ([0.7, 0.6], {"every": 0}, "every"),
        ([0.7, 0.6], {"every": 1.5}, "every"),
        ([0.7, 0.6], {"learning_rate": -0.1}, "learning_rate"),
    ],
)
def test_costs_errors(costs, kwargs, words):
    with pytest.raises(ValueError, match=words):
        plot_costs(costs, **kwargs)


# ----------------------------------------------------------------------------
# plot_mislabeled_images
# ----------------------------------------------------------------------------

SHAPE = (4, 5, 3)
CLASSES = np.array([b"even", b"odd"])


def tiny_images(m=6):
    """m distinct uint8 images of shape SHAPE, stacked: (m, 4, 5, 3)."""
    values = np.arange(m * 60).reshape(m, *SHAPE) * 7 % 256
    return values.astype(np.uint8)


Y6 = np.array([[0, 1, 1, 0, 1, 0]])
P6 = np.array([[0, 0, 1, 1, 0, 0]])  # wrong at 1, 3, 4


def test_one_axes_per_mislabeled_image_with_titles():
    """Each mislabeled image gets an Axes titled with its prediction and true class."""
    flat = tiny_images().reshape(6, -1).T
    figure = plot_mislabeled_images(CLASSES, flat, Y6, P6, image_shape=SHAPE)
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == [
        "Prediction: even\nClass: odd",
        "Prediction: odd\nClass: even",
        "Prediction: even\nClass: odd",
    ]


def test_flattened_and_stacked_images_show_the_same_pictures():
    """Column j of the flattened X is image j; 0..255 and [0, 1] values look the same."""
    images = tiny_images()
    stacked = plot_mislabeled_images(CLASSES, images, Y6, P6, image_shape=SHAPE)
    flat = plot_mislabeled_images(CLASSES, images.reshape(6, -1).T / 255, Y6, P6, image_shape=SHAPE)
    for k, index in enumerate([1, 3, 4]):
        expected = images[index] / 255
        assert np.allclose(stacked.axes[k].images[0].get_array(), expected)
        assert np.allclose(flat.axes[k].images[0].get_array(), expected)


def test_num_images_limits_the_gallery():
    figure = plot_mislabeled_images(CLASSES, tiny_images(), Y6, P6, num_images=2)
    assert len(figure.axes) == 2


def test_str_class_names_and_a_real_image_set():
    """str names work; the shipped images, flattened as in the course, are shown."""
    _, _, test_x, test_y, classes = load_dataset()
    p = test_y.copy()
    p[0, :2] = 1 - p[0, :2]
    flat = test_x.reshape(test_x.shape[0], -1).T / 255
    figure = plot_mislabeled_images(classes, flat, test_y, p)
    assert len(figure.axes) == 2
    assert np.allclose(figure.axes[0].images[0].get_array(), test_x[0] / 255)
    names = ["no", "yes"]
    figure = plot_mislabeled_images(names, flat, test_y, p)
    assert figure.axes[0].get_title().startswith("Prediction: ")
    assert {"no", "yes"} & set(figure.axes[0].get_title().replace("\n", " ").split())


def test_nothing_mislabeled_gives_a_message():
    """With every prediction right, the Figure holds one blank Axes carrying a message."""
    figure = plot_mislabeled_images(CLASSES, tiny_images(), Y6, Y6.copy(), image_shape=SHAPE)
    (ax,) = figure.axes
    assert not ax.axison, "the message Axes should have its axis turned off"
    assert len(ax.images) == 0, "no image is mislabeled, so none should be shown"
    assert any("No mislabeled" in text.get_text() for text in ax.texts)


def test_nothing_mislabeled_is_still_displayed_by_jupyter():
    """IPython's figure formatter, which Jupyter's inline display uses, renders the message."""
    pylabtools = pytest.importorskip("IPython.core.pylabtools")
    figure = plot_mislabeled_images(CLASSES, tiny_images(), Y6, Y6.copy(), image_shape=SHAPE)
    png = pylabtools.print_figure(figure, "png")
    assert png is not None and png.startswith(b"\x89PNG"), "Jupyter would show nothing"


def test_mislabeled_inputs_are_not_changed():
    images = tiny_images()
    copy = images.copy()
    plot_mislabeled_images(CLASSES, images, Y6, P6)
    assert np.array_equal(images, copy)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"X": tiny_images().reshape(6, -1)}, r"pass X\.T"),
        ({"X": tiny_images().reshape(6, -1).T[:-1]}, "X has shape"),
        ({"X": tiny_images()[:5]}, "X has shape"),
        ({"X": tiny_images() * 2.0 - 100}, "pixel values"),
        ({"p": P6[:, :5]}, "5 labels"),
        ({"p": P6 + 1}, "0 and 1"),
        ({"y": Y6.ravel()}, "reshape"),
        ({"classes": [b"odd"]}, "classes"),
        ({"num_images": 0}, "num_images"),
        ({"image_shape": (4, 15)}, "image_shape"),
    ],
)
def test_mislabeled_errors(kwargs, words):
    arguments = {
        "classes": CLASSES,
        "X": tiny_images().reshape(6, -1).T,
        "y": Y6,
        "p": P6,
        "image_shape": SHAPE,
        **kwargs,
    }
    with pytest.raises(ValueError, match=words):
        plot_mislabeled_images(**arguments)
