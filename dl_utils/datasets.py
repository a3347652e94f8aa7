"""Data sets for the course: 2-D toy sets, a train/test split and the image set.

Shapes, one example per column as everywhere in dl_utils:

    X  (2, m)   float64   a toy set's points, row 0 is x1 and row 1 is x2
    Y  (1, m)   int64     its labels, 0 or 1

The image set keeps the layout of the classic course assignment instead: the
images come as (m, height, width, 3) uint8 and are flattened by the student to
(height * width * 3, m) before training.

Every toy set is drawn from the ``seed`` it is given (an int, or a numpy
``RandomState``/``Generator``); numpy's global random generator is never used.
"""

import os
from pathlib import Path

import numpy as np

from .initialization import make_rng
from .validation import check_count, check_labels, check_matrix, is_number

# The folder of the shipped image files: data/ next to the dl_utils package.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# An environment variable that, when set, names another folder to read them from.
DATA_ENV_VAR = "DL_UTILS_DATA"
TRAIN_FILE = "train_digits.h5"
TEST_FILE = "test_digits.h5"

# ----------------------------------------------------------------------------
# Shared pieces of the toy sets
# ----------------------------------------------------------------------------


def _check_noise(noise):
    """Check the noise level: a finite number >= 0."""
    if not is_number(noise):
        raise ValueError(f"noise should be a number (0 for none), got {noise!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(
            "noise should be a finite number >= 0 (the standard deviation of the "
            f"gaussian noise added to each coordinate), got {noise!r}"
        )
    return float(noise)


def _check_positive(value, name, upper=None):
    """Check a shape parameter such as factor: a finite number > 0 (and < upper)."""
    if not is_number(value):
        raise ValueError(f"{name} should be a number, got {value!r}")
    if not np.isfinite(value) or value <= 0 or (upper is not None and value >= upper):
        limits = f"between 0 and {upper} (both excluded)" if upper else "a number > 0"
        raise ValueError(f"{name} should be {limits}, got {value!r}")
    return float(value)


def _start(n_samples, noise, seed):
    """Check the common arguments; return (n0, n1, noise, rng).

    n0 = m // 2 points go to class 0 and the remaining n1 = m - n0 to class 1.
    """
    m = check_count(n_samples, "n_samples", minimum=2)
    noise = _check_noise(noise)
    rng = make_rng(seed)
    return m // 2, m - m // 2, noise, rng


def _labels(n0, n1):
    """Labels of shape (n0 + n1,): n0 zeros followed by n1 ones (int64)."""
    return np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)])


def _finish(points, labels, noise, rng):
    """Add noise, shuffle the columns, and return (X, Y).

    points: shape (2, m), the exact geometry; labels: shape (m,).
    Returns X of shape (2, m) (float64) and Y of shape (1, m) (int64).
    """
    X = points + rng.normal(0.0, noise, size=points.shape)
    order = rng.permutation(points.shape[1])
    return X[:, order], labels[order].reshape(1, -1)


# ----------------------------------------------------------------------------
# The toy sets
# ----------------------------------------------------------------------------


def make_circles(n_samples=300, noise=0.1, seed=0, factor=0.5):
    """Two concentric circles: class 0 on the outer one, class 1 on the inner one.

    n_samples: m, the number of points (at least 2); m // 2 are class 0.
    noise: standard deviation of the gaussian noise added to each coordinate.
    seed: an int or a numpy generator.
    factor: radius of the inner circle; the outer circle has radius 1.
    The angles are drawn uniformly, so with noise=0 every point lies exactly on
    a circle of radius 1 (class 0) or ``factor`` (class 1), centred at 0.
    Returns X of shape (2, m) (float64) and Y of shape (1, m) (int64, 0 or 1).
    """
    n0, n1, noise, rng = _start(n_samples, noise, seed)
    factor = _check_positive(factor, "factor", upper=1)
    labels = _labels(n0, n1)
    radius = np.where(labels == 1, factor, 1.0)
    angle = rng.uniform(0.0, 2 * np.pi, size=labels.size)
    points = radius * np.array([np.cos(angle), np.sin(angle)])
    return _finish(points, labels, noise, rng)


def make_moons(n_samples=300, noise=0.1, seed=0):
    """Two interleaving half circles of radius 1, shifted to sit around 0.

    n_samples: m, the number of points (at least 2); m // 2 are class 0.
    noise: standard deviation of the gaussian noise added to each coordinate.
    seed: an int or a numpy generator.
    With noise=0, class 0 lies on the upper half circle centred at (-0.5, -0.25)
    and class 1 on the lower half circle centred at (0.5, 0.25), at angles drawn
    uniformly; x1 spans [-1.5, 1.5] and x2 spans [-0.75, 0.75].
    Returns X of shape (2, m) (float64) and Y of shape (1, m) (int64, 0 or 1).
    """
    n0, n1, noise, rng = _start(n_samples, noise, seed)
    labels = _labels(n0, n1)
    angle = rng.uniform(0.0, np.pi, size=labels.size)
    # class 0: +(cos, sin) around its centre; class 1: -(cos, sin) around its own
    direction = np.where(labels == 1, -1.0, 1.0)
    centre = np.where(labels == 1, 1.0, -1.0) * np.array([[0.5], [0.25]])
    points = centre + direction * np.array([np.cos(angle), np.sin(angle)])
    return _finish(points, labels, noise, rng)


def make_xor(n_samples=300, noise=0.1, seed=0):
    """The XOR pattern: class 1 where x1 and x2 have opposite signs.

    n_samples: m, the number of points (at least 2); m // 2 are class 0.
    noise: standard deviation of the gaussian noise added to each coordinate.
    seed: an int or a numpy generator.
    With noise=0, each coordinate's size is drawn uniformly from [0.1, 1], so
    class 0 fills the first and third quadrants and class 1 the second and
    fourth ones, with a gap of 0.1 along both axes.
    Returns X of shape (2, m) (float64) and Y of shape (1, m) (int64, 0 or 1).
    """
    n0, n1, noise, rng = _start(n_samples, noise, seed)
    labels = _labels(n0, n1)
    size = rng.uniform(0.1, 1.0, size=(2, labels.size))
    sign1 = rng.choice([-1.0, 1.0], size=labels.size)
    sign2 = np.where(labels == 1, -sign1, sign1)
    points = size * np.array([sign1, sign2])
    return _finish(points, labels, noise, rng)


def make_spiral(n_samples=300, noise=0.1, seed=0, turns=1.5):
    """Two interleaved spiral arms, one per class.

    n_samples: m, the number of points (at least 2); m // 2 are class 0.
    noise: standard deviation of the gaussian noise added to each coordinate.
    seed: an int or a numpy generator.
    turns: how many times each arm winds around the centre.
    With noise=0, a point at distance r from 0 (r drawn uniformly from [0.1, 1])
    sits at the angle 2 pi turns r for class 0 and 2 pi turns r + pi for
    class 1, so the arms are half a turn apart.
    Returns X of shape (2, m) (float64) and Y of shape (1, m) (int64, 0 or 1).
    """
    n0, n1, noise, rng = _start(n_samples, noise, seed)
    turns = _check_positive(turns, "turns")
    labels = _labels(n0, n1)
    radius = rng.uniform(0.1, 1.0, size=labels.size)
    angle = 2 * np.pi * turns * radius + np.pi * labels
    points = radius * np.array([np.cos(angle), np.sin(angle)])
    return _finish(points, labels, noise, rng)


def make_gaussian(n_samples=300, noise=0.1, seed=0, spread=0.4):
    """Two overlapping round gaussian blobs, centred at (-0.4, -0.4) and (0.4, 0.4).

    n_samples: m, the number of points (at least 2); m // 2 are class 0, the
        blob at (-0.4, -0.4).
    noise: standard deviation of extra gaussian noise added to each coordinate,
        so a blob's coordinates have standard deviation sqrt(spread**2 + noise**2).
    seed: an int or a numpy generator.
    spread: standard deviation of each blob's coordinates before the noise.
    With the defaults, even the best possible boundary (the line x1 + x2 = 0)
    misclassifies about 8% of the points.
    Returns X of shape (2, m) (float64) and Y of shape (1, m) (int64, 0 or 1).
    """
    n0, n1, noise, rng = _start(n_samples, noise, seed)
    spread = _check_positive(spread, "spread")
    labels = _labels(n0, n1)
    centre = np.where(labels == 1, 0.4, -0.4)
    points = centre + rng.normal(0.0, spread, size=(2, labels.size))
    return _finish(points, labels, noise, rng)


# The classroom set: 15 points of class 0 below a curved boundary and 20 points
# of class 1 above it, in the square [0, 7] x [0, 7], typed to one decimal.
CLASSROOM_SIZES = (15, 20)
CLASSROOM_SIDE = 7.0
CLASSROOM_MARGIN = 0.3  # no point is closer than this (vertically) to the boundary
CLASSROOM_SPACING = 0.4  # nor closer than this to another point


def classroom_boundary(x1):
    """The curve x2 = 5 - 0.3 (x1 - 2.5)**2 that separates the classroom classes.

    x1: an array of any shape. Returns x2 on the curve, same shape.
    Class 0 lies below it (lower left), class 1 above it (the upper region,
    which bends down to the lower right corner).
    """
    return 5.0 - 0.3 * (np.asarray(x1, dtype=float) - 2.5) ** 2


def _draw_classroom_points(rng, label, count, others):
    """Draw ``count`` points of one class, one decimal each, away from the others.

    others: the points chosen before, shape (2, k); they are not changed.
    Returns an array of shape (2, count).
    """
    taken = [tuple(point) for point in np.asarray(others).T]
    chosen = []
    while len(chosen) < count:
        x1, x2 = np.round(rng.uniform(0.0, CLASSROOM_SIDE, size=2), 1)
        height = x2 - classroom_boundary(x1)
        on_its_side = height > CLASSROOM_MARGIN if label == 1 else height < -CLASSROOM_MARGIN
        crowded = any(np.hypot(x1 - a, x2 - b) < CLASSROOM_SPACING for a, b in taken)
        if on_its_side and not crowded:
            chosen.append((x1, x2))
            taken.append((x1, x2))
    return np.array(chosen).T


def _pairs(points):
    """Both ends of every segment between two columns of points (2, k): two (2, k(k-1)/2)."""
    i, j = np.triu_indices(points.shape[1], k=1)
    return points[:, i], points[:, j]


def _orientation(a, b, c):
    """Positive if a -> b -> c turns left, negative if it turns right, 0 if in line."""
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _segments_cross(P, Q):
    """True if a segment between two columns of P crosses one between two of Q.

    P, Q: points of shape (2, p) and (2, q). When this is True, no straight line
    can have all of P on one side and all of Q on the other.
    """
    p1, p2 = (ends[:, :, None] for ends in _pairs(P))
    q1, q2 = (ends[:, None, :] for ends in _pairs(Q))
    splits_q = _orientation(p1, p2, q1) * _orientation(p1, p2, q2) < 0
    splits_p = _orientation(q1, q2, p1) * _orientation(q1, q2, p2) < 0
    return bool((splits_q & splits_p).any())


def make_classroom(seed=0):
    """A small hand-made-looking set: 35 points in [0, 7] x [0, 7], 15 + 20.

    seed: an int or a numpy generator.
    Class 0 (15 points) lies below the curve ``classroom_boundary`` (lower
    left), class 1 (20 points) above it. Coordinates have one decimal, like
    typed-in data; no point is within 0.3 (vertically) of the curve or within
    0.4 of another point. The boundary is curved and the set is drawn again
    until two segments, one joining two class 0 points and one joining two
    class 1 points, cross: so no straight line separates the classes.
    The columns come in order: the 15 points of class 0, then the 20 of class 1.
    Returns X of shape (2, 35) (float64) and Y of shape (1, 35) (int64, 0 or 1).
    """
    rng = make_rng(seed)
    n0, n1 = CLASSROOM_SIZES
    while True:
        class0 = _draw_classroom_points(rng, 0, n0, np.empty((2, 0)))
        class1 = _draw_classroom_points(rng, 1, n1, class0)
        if _segments_cross(class0, class1):
            break
    X = np.concatenate([class0, class1], axis=1)
    return X, _labels(n0, n1).reshape(1, -1)


TOY_DATASETS = {
    "circles": make_circles,
    "moons": make_moons,
    "xor": make_xor,
    "spiral": make_spiral,
    "gaussian": make_gaussian,
    "classroom": make_classroom,
}


def load_toy_dataset(name, n_samples=300, noise=0.1, seed=0):
    """Generate the toy set called ``name`` (a key of ``TOY_DATASETS``).

    name: "circles", "moons", "xor", "spiral", "gaussian" or "classroom".
    n_samples, noise, seed: passed on to the maker (see each ``make_*``).
    The classroom set is a fixed-size hand-made-looking set: it uses only the
    seed and ignores n_samples and noise (they are still checked).
    Returns X of shape (2, m) (float64) and Y of shape (1, m) (int64, 0 or 1).
    """
    if not isinstance(name, str) or name not in TOY_DATASETS:
        raise ValueError(f"unknown toy data set {name!r}: choose one of {', '.join(TOY_DATASETS)}")
    maker = TOY_DATASETS[name]
    if maker is make_classroom:
        # the classroom set ignores n_samples and noise, but bad values are still errors
        check_count(n_samples, "n_samples", minimum=2)
        _check_noise(noise)
        return maker(seed=seed)
    return maker(n_samples=n_samples, noise=noise, seed=seed)


# ----------------------------------------------------------------------------
# Splitting
# ----------------------------------------------------------------------------


def _check_fraction(test_fraction):
    if not is_number(test_fraction):
        raise ValueError(f"test_fraction should be a number, got {test_fraction!r}")
    if not 0 < test_fraction < 1:
        raise ValueError(
            f"test_fraction should be between 0 and 1 (both excluded), got {test_fraction!r}"
        )
    return float(test_fraction)


def train_test_split(X, Y, test_fraction=0.25, seed=0):
    """Shuffle the examples (columns) and split them into a training and a test part.

    X: data, shape (n_x, m). Y: labels, shape (1, m), 0 or 1.
    test_fraction: the share of the m examples that go to the test part;
        round(test_fraction * m) of them, which must leave both parts non-empty.
    seed: an int or a numpy generator; the same seed gives the same split.
    Returns X_train (n_x, m_train), Y_train (1, m_train), X_test (n_x, m_test)
    and Y_test (1, m_test), with m_train + m_test = m. They are new arrays
    with the dtypes of X and Y; X and Y are left unchanged.
    """
    check_matrix(X, "X")
    X = np.asarray(X)
    check_labels(Y, "Y", m=X.shape[1])
    Y = np.asarray(Y)
    test_fraction = _check_fraction(test_fraction)
    m = X.shape[1]
    m_test = int(round(test_fraction * m))
    if not 0 < m_test < m:
        raise ValueError(
            f"test_fraction={test_fraction:g} of m={m} examples gives {m_test} test "
            f"and {m - m_test} training examples: both parts need at least one; "
            "use more examples or another test_fraction"
        )
    order = make_rng(seed).permutation(m)
    test, train = order[:m_test], order[m_test:]
    return X[:, train], Y[:, train], X[:, test], Y[:, test]


# ----------------------------------------------------------------------------
# The image set, in the classic assignment's HDF5 layout
# ----------------------------------------------------------------------------

# which keys hold the images and the labels of each part
IMAGE_KEYS = {
    "train": ("train_set_x", "train_set_y"),
    "test": ("test_set_x", "test_set_y"),
}
CLASSES_KEY = "list_classes"


def _default_folder():
    """The folder the default files are read from, and a phrase saying why."""
    folder = os.environ.get(DATA_ENV_VAR)
    if folder:
        return Path(folder), f"the folder named by the environment variable {DATA_ENV_VAR}"
    return DATA_DIR, "the data folder next to the dl_utils package"


def _check_path(path, name):
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"{name} should be a file name (a str or a Path), got {path!r}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{name}: there is no file {path}")
    return path


def _resolve_paths(train_path, test_path):
    """Return the (train, test) files to read, after checking that they exist."""
    if train_path is None and test_path is not None:
        raise ValueError(
            "test_path was given without train_path: pass both files, or a single "
            "file holding all five keys as train_path"
        )
    if train_path is not None:
        train = _check_path(train_path, "train_path")
        test = train if test_path is None else _check_path(test_path, "test_path")
        return train, test
    folder, why = _default_folder()
    train, test = folder / TRAIN_FILE, folder / TEST_FILE
    missing = [path.name for path in (train, test) if not path.is_file()]
    if missing:
        raise FileNotFoundError(
            f"the image set is missing: looked for {' and '.join(missing)} in "
            f"{folder} ({why}). Rebuild it with `python scripts/make_digits_dataset.py`, "
            f"set {DATA_ENV_VAR} to the folder that holds the files, or pass "
            "train_path and test_path"
        )
    return train, test


def _check_image_labels(path, key, labels, m):
    """Check one part's labels (any shape holding m values); return them as (1, m) int64."""
    if labels.size != m:
        raise ValueError(
            f"{path}: {key} holds {labels.size} labels but there are {m} images: "
            "every image needs exactly one label"
        )
    if not np.issubdtype(labels.dtype, np.number):
        raise ValueError(f"{path}: {key} should hold numbers 0 and 1, got dtype {labels.dtype}")
    bad = (labels != 0) & (labels != 1)
    if bad.any():
        found = ", ".join(f"{v:g}" for v in np.unique(labels[bad])[:5])
        raise ValueError(f"{path}: {key} should hold only the labels 0 and 1, found {found}")
    return labels.reshape(1, m).astype(np.int64)


def _read_part(path, part):
    """Read the images, labels and class names of one part ("train" or "test").

    Returns x of shape (m, height, width, channels), y of shape (1, m) (int64)
    and classes, a 1-D array of class names (bytes).
    """
    import h5py

    x_key, y_key = IMAGE_KEYS[part]
    try:
        h5file = h5py.File(path, "r")
    except OSError as error:
        raise ValueError(f"{path} is not a readable HDF5 file ({error})") from None
    with h5file:
        for key in (x_key, y_key, CLASSES_KEY):
            if key not in h5file:
                raise ValueError(
                    f"{path} has no key {key!r} (it holds {sorted(h5file.keys())}); "
                    f"{part} data needs {x_key}, {y_key} and {CLASSES_KEY}"
                )
        x, y, classes = (np.array(h5file[key]) for key in (x_key, y_key, CLASSES_KEY))
    if x.ndim != 4:
        raise ValueError(
            f"{path}: {x_key} has shape {x.shape}, expected images of shape "
            "(m, height, width, channels)"
        )
    y = _check_image_labels(path, y_key, y, x.shape[0])
    if classes.ndim != 1 or classes.size < 2:
        raise ValueError(
            f"{path}: {CLASSES_KEY} has shape {classes.shape}, expected one name per "
            "class, e.g. [b'even', b'odd']"
        )
    return x, y, classes


def load_dataset(train_path=None, test_path=None):
    """Load an image set stored in the classic assignment's HDF5 layout.

    train_path, test_path: the two files. With both None (the default) the
    shipped digits set (label 1 = odd digit, 0 = even) is read:
    ``train_digits.h5`` and ``test_digits.h5`` in the folder named by the
    environment variable DL_UTILS_DATA, or else in ``DATA_DIR``. With only
    train_path, that one file must hold all five keys. The train file holds
    train_set_x, train_set_y and list_classes; the test file holds test_set_x,
    test_set_y and list_classes.
    Returns a tuple of:
      train_x_orig: training images, shape (m_train, height, width, 3), the
        stored dtype (uint8 for the shipped set, values 0..255);
      train_y: training labels, shape (1, m_train), int64, 0 or 1;
      test_x_orig: test images, shape (m_test, height, width, 3);
      test_y: test labels, shape (1, m_test), int64;
      classes: the class names, shape (2,), bytes: classes[1].decode("utf-8").
    """
    train_file, test_file = _resolve_paths(train_path, test_path)
    train_x, train_y, classes = _read_part(train_file, "train")
    test_x, test_y, test_classes = _read_part(test_file, "test")
    if train_x.shape[1:] != test_x.shape[1:]:
        raise ValueError(
            f"the training images have shape {train_x.shape[1:]} but the test images "
            f"have shape {test_x.shape[1:]}: one network needs one image size"
        )
    if classes.shape != test_classes.shape or not np.array_equal(classes, test_classes):
        raise ValueError(
            f"{CLASSES_KEY} differs between {train_file} ({classes.tolist()}) and "
            f"{test_file} ({test_classes.tolist()})"
        )
    return train_x, train_y, test_x, test_y, classes
