"""Data sets: the toy sets' geometry, the split, the HDF5 image set and its rebuild."""

import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
from scipy.optimize import linprog

from dl_utils.datasets import (
    DATA_DIR,
    TOY_DATASETS,
    classroom_boundary,
    load_dataset,
    load_toy_dataset,
    make_circles,
    make_classroom,
    make_gaussian,
    make_moons,
    make_spiral,
    make_xor,
    train_test_split,
)

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "make_digits_dataset.py"
GENERATED = ["circles", "moons", "xor", "spiral", "gaussian"]  # the sets that take n_samples


def linearly_separable(X, Y):
    """Exact test: is there (w, b) with y_i (w . x_i + b) >= 1 for all i? (a linear program)

    X: features, shape (n, m). Y: labels 0/1, shape (1, m).
    """
    sign = np.where(Y.ravel() == 1, 1.0, -1.0)
    rows = np.column_stack([X.T, np.ones(X.shape[1])])
    result = linprog(
        np.zeros(rows.shape[1]),
        A_ub=-sign[:, None] * rows,
        b_ub=-np.ones(sign.size),
        bounds=[(None, None)] * rows.shape[1],
    )
    assert result.status in (0, 2), result.message  # 0: feasible, 2: infeasible
    return result.status == 0


def global_state():
    state = np.random.get_state()
    return state[1].copy(), state[2], state[3], state[4]


def same_state(a, b):
    return np.array_equal(a[0], b[0]) and a[1:] == b[1:]


# ----------------------------------------------------------------------------
# Toy sets: shapes, balance, seeds
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", GENERATED)
@pytest.mark.parametrize("m", [300, 7, 2])
def test_shapes_dtypes_and_balance(name, m):
    """Every generated set has X (2, m) float64, Y (1, m) int64 of 0/1, m // 2 zeros."""
    X, Y = TOY_DATASETS[name](n_samples=m)
    assert X.shape == (2, m) and X.dtype == np.float64
    assert Y.shape == (1, m) and Y.dtype == np.int64
    assert set(np.unique(Y)) <= {0, 1}
    assert (Y == 0).sum() == m // 2 and (Y == 1).sum() == m - m // 2
    assert np.isfinite(X).all()


@pytest.mark.parametrize("name", GENERATED)
def test_same_seed_same_set_other_seed_other_set(name):
    """A seed fixes the set; another seed gives other points."""
    X1, Y1 = TOY_DATASETS[name](seed=4)
    X2, Y2 = TOY_DATASETS[name](seed=4)
    X3, _ = TOY_DATASETS[name](seed=5)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    assert not np.allclose(X1, X3)
    X4, _ = TOY_DATASETS[name](seed=4, noise=0.0)
    X5, _ = TOY_DATASETS[name](seed=5, noise=0.0)
    assert not np.allclose(X4, X5), "without noise, the seed should still move the points"


@pytest.mark.parametrize("name", GENERATED)
def test_seed_may_be_a_generator(name):
    """A numpy Generator works as a seed, and a fresh one with the same seed repeats."""
    X1, _ = TOY_DATASETS[name](seed=np.random.default_rng(3))
    X2, _ = TOY_DATASETS[name](seed=np.random.default_rng(3))
    assert np.array_equal(X1, X2)


def test_global_random_state_is_untouched():
    """No toy set, split or classroom draw reseeds or consumes np.random's global state."""
    np.random.seed(2024)
    before = global_state()
    for name in TOY_DATASETS:
        X, Y = load_toy_dataset(name, seed=1)
    train_test_split(X, Y, seed=3)
    assert same_state(before, global_state())


@pytest.mark.parametrize("name", GENERATED)
def test_columns_are_shuffled(name):
    """The classes are mixed along the columns, not all zeros then all ones."""
    _, Y = TOY_DATASETS[name](n_samples=200)
    first_half = Y[0, :100]
    assert 0 < first_half.sum() < 100


@pytest.mark.parametrize("name", GENERATED)
def test_default_features_stay_near_the_unit_square(name):
    """With the default noise, 95% of the features lie in [-1.5, 1.5], none beyond 2.5."""
    X, _ = load_toy_dataset(name, n_samples=2000)
    assert np.abs(X).max() < 2.5
    assert np.mean(np.abs(X) <= 1.5) > 0.95


@pytest.mark.parametrize("name", GENERATED)
def test_noise_is_gaussian_on_the_coordinates(name):
    """With one seed, noise only moves the points: X(noise) - X(0) is N(0, noise**2) per entry."""
    X0, Y0 = TOY_DATASETS[name](n_samples=4000, noise=0.0, seed=7)
    X1, Y1 = TOY_DATASETS[name](n_samples=4000, noise=0.1, seed=7)
    X2, _ = TOY_DATASETS[name](n_samples=4000, noise=0.3, seed=7)
    assert np.array_equal(Y0, Y1), "the labels and their order should not depend on the noise"
    d1, d2 = X1 - X0, X2 - X0
    assert np.allclose(d2, 3 * d1), "the noise should scale with the noise level"
    # 8000 draws: the sample std is within 4% of the true one with a huge margin
    assert abs(d1.std() - 0.1) < 0.004 and abs(d1.mean()) < 0.006


# ----------------------------------------------------------------------------
# Toy sets: exact geometry without noise
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("factor", [0.5, 0.3, 0.9])
def test_circles_radii(factor):
    """Without noise, class 0 lies on the unit circle and class 1 on the circle of radius factor."""
    X, Y = make_circles(n_samples=101, noise=0.0, seed=2, factor=factor)
    radius = np.hypot(X[0], X[1])
    assert np.allclose(radius[Y[0] == 0], 1.0)
    assert np.allclose(radius[Y[0] == 1], factor)
    angles = np.arctan2(X[1], X[0])
    assert angles.min() < -2.5 and angles.max() > 2.5, "the points should go all around"


def test_moons_half_circles():
    """Without noise, each class is a half circle of radius 1 around its centre."""
    X, Y = make_moons(n_samples=200, noise=0.0, seed=1)
    zero, one = X[:, Y[0] == 0], X[:, Y[0] == 1]
    assert np.allclose(np.hypot(zero[0] + 0.5, zero[1] + 0.25), 1.0)
    assert np.all(zero[1] >= -0.25 - 1e-12), "class 0 is the upper half circle"
    assert np.allclose(np.hypot(one[0] - 0.5, one[1] - 0.25), 1.0)
    assert np.all(one[1] <= 0.25 + 1e-12), "class 1 is the lower half circle"
    assert np.all(np.abs(X[0]) <= 1.5 + 1e-12) and np.all(np.abs(X[1]) <= 0.75 + 1e-12)


def test_xor_quadrants():
    """Without noise, class 1 has coordinates of opposite signs, class 0 of equal signs."""
    X, Y = make_xor(n_samples=400, noise=0.0, seed=3)
    opposite = X[0] * X[1] < 0
    assert np.array_equal(opposite, Y[0] == 1)
    assert np.all((np.abs(X) >= 0.1) & (np.abs(X) <= 1.0))
    for sx in (-1, 1):
        for sy in (-1, 1):
            assert np.any((np.sign(X[0]) == sx) & (np.sign(X[1]) == sy)), "a quadrant is empty"


@pytest.mark.parametrize("turns", [1.5, 0.75])
def test_spiral_arms(turns):
    """Without noise, a point at radius r sits at angle 2 pi turns r, plus pi for class 1."""
    X, Y = make_spiral(n_samples=300, noise=0.0, seed=5, turns=turns)
    r = np.hypot(X[0], X[1])
    assert np.all((r >= 0.1 - 1e-12) & (r <= 1.0 + 1e-12))
    angle = 2 * np.pi * turns * r + np.pi * Y[0]
    assert np.allclose(X, r * np.array([np.cos(angle), np.sin(angle)]))


def test_gaussian_blobs_statistics():
    """Blob means sit at (-0.4, -0.4) and (0.4, 0.4); the std is sqrt(spread**2 + noise**2)."""
    m = 20000
    for noise, spread in [(0.0, 0.4), (0.3, 0.4), (0.0, 0.2)]:
        X, Y = make_gaussian(n_samples=m, noise=noise, seed=11, spread=spread)
        std = np.hypot(spread, noise)
        for label, centre in [(0, -0.4), (1, 0.4)]:
            points = X[:, Y[0] == label]
            # standard error of a mean of 10000 draws: std / 100; allow 5 of them
            assert np.all(np.abs(points.mean(axis=1) - centre) < 5 * std / 100)
            assert np.all(np.abs(points.std(axis=1) - std) < 0.05 * std)


def test_gaussian_blobs_overlap():
    """The default blobs overlap: the best line, x1 + x2 = 0, misses a few percent."""
    X, Y = make_gaussian(n_samples=20000, seed=0)
    errors = np.mean((X[0] + X[1] > 0) != (Y[0] == 1))
    assert 0.04 < errors < 0.12


# ----------------------------------------------------------------------------
# The classroom set
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_classroom_layout(seed):
    """35 points in [0, 7]^2 with one decimal: 15 of class 0 then 20 of class 1."""
    X, Y = make_classroom(seed)
    assert X.shape == (2, 35) and X.dtype == np.float64
    assert Y.shape == (1, 35) and Y.dtype == np.int64
    assert np.array_equal(Y[0], [0] * 15 + [1] * 20)
    assert X.min() >= 0 and X.max() <= 7
    assert np.allclose(X * 10, np.round(X * 10)), "coordinates should have one decimal"
    gaps = np.hypot(X[0][:, None] - X[0], X[1][:, None] - X[1]) + 10 * np.eye(35)
    assert gaps.min() >= 0.4 - 1e-9, "no two points should (nearly) coincide"


def test_classroom_sides_of_the_curve():
    """Class 0 lies below the curved boundary, mostly lower left; class 1 above it."""
    X, Y = make_classroom(0)
    height = X[1] - classroom_boundary(X[0])
    assert np.all(height[Y[0] == 0] < -0.3) and np.all(height[Y[0] == 1] > 0.3)
    zero, one = X[:, Y[0] == 0], X[:, Y[0] == 1]
    assert zero[1].mean() < one[1].mean(), "class 0 should be the lower region"
    assert zero[0].mean() < one[0].mean(), "class 0 should lean to the left"


@pytest.mark.parametrize("seed", range(8))
def test_classroom_is_not_linearly_separable_but_is_quadratically(seed):
    """No straight line separates the classes; a quadratic boundary does."""
    X, Y = make_classroom(seed)
    assert not linearly_separable(X, Y)
    x1, x2 = X
    quadratic = np.array([x1, x2, x1**2, x1 * x2, x2**2])
    assert linearly_separable(quadratic, Y)


def test_classroom_seeds():
    """The seed decides the points; the global state is left alone."""
    np.random.seed(0)
    before = global_state()
    X1, _ = make_classroom(3)
    assert same_state(before, global_state())
    assert np.array_equal(X1, make_classroom(3)[0])
    assert not np.array_equal(X1, make_classroom(4)[0])


def test_load_toy_dataset_classroom_ignores_size_and_noise():
    """load_toy_dataset('classroom') is make_classroom(seed), whatever n_samples and noise."""
    X, Y = load_toy_dataset("classroom", n_samples=10, noise=0.5, seed=2)
    X2, Y2 = make_classroom(2)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)


# ----------------------------------------------------------------------------
# load_toy_dataset and bad input
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", GENERATED)
def test_load_toy_dataset_calls_the_maker(name):
    """load_toy_dataset(name, ...) equals the maker called with the same arguments."""
    X, Y = load_toy_dataset(name, n_samples=50, noise=0.2, seed=9)
    X2, Y2 = TOY_DATASETS[name](n_samples=50, noise=0.2, seed=9)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)


@pytest.mark.parametrize("name", ["Circles", "blobs", "", None, 3])
def test_unknown_name_lists_the_known_ones(name):
    """An unknown name says which names exist."""
    with pytest.raises(ValueError, match="circles, moons, xor, spiral, gaussian, classroom"):
        load_toy_dataset(name)


@pytest.mark.parametrize("name", list(TOY_DATASETS))
@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"n_samples": 1}, "n_samples"),
        ({"n_samples": 2.5}, "n_samples"),
        ({"n_samples": "300"}, "n_samples"),
        ({"n_samples": True}, "n_samples"),
        ({"noise": -0.1}, "noise"),
        ({"noise": float("nan")}, "noise"),
        ({"noise": float("inf")}, "noise"),
        ({"noise": "0.1"}, "noise"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"seed": "0"}, "seed"),
    ],
)
def test_load_toy_dataset_rejects_bad_arguments(name, kwargs, words):
    """Bad n_samples, noise or seed raise a ValueError naming the argument."""
    with pytest.raises(ValueError, match=words):
        load_toy_dataset(name, **kwargs)


@pytest.mark.parametrize(
    "maker, kwargs, words",
    [
        (make_circles, {"factor": 0}, "factor"),
        (make_circles, {"factor": 1}, "factor"),
        (make_circles, {"factor": 1.5}, "factor"),
        (make_spiral, {"turns": 0}, "turns"),
        (make_spiral, {"turns": float("inf")}, "turns"),
        (make_gaussian, {"spread": -0.2}, "spread"),
        (make_moons, {"n_samples": 0}, "n_samples"),
        (make_xor, {"noise": -1}, "noise"),
        (make_classroom, {"seed": None}, "seed"),
    ],
)
def test_makers_reject_bad_shape_arguments(maker, kwargs, words):
    """Each maker's own parameters are checked too."""
    with pytest.raises(ValueError, match=words):
        maker(**kwargs)


# ----------------------------------------------------------------------------
# train_test_split
# ----------------------------------------------------------------------------


def numbered_set(m):
    """X whose column j is (j, -j), Y = j % 2: any column can be traced back."""
    j = np.arange(m)
    return np.array([j, -j], dtype=float), (j % 2).reshape(1, m)


@pytest.mark.parametrize("m, fraction, m_test", [(100, 0.25, 25), (10, 0.3, 3), (7, 0.2, 1)])
def test_split_is_a_partition(m, fraction, m_test):
    """Every column goes to exactly one part, with its own label; the sizes follow the fraction."""
    X, Y = numbered_set(m)
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y, test_fraction=fraction, seed=1)
    assert X_test.shape == (2, m_test) and Y_test.shape == (1, m_test)
    assert X_train.shape == (2, m - m_test) and Y_train.shape == (1, m - m_test)
    ids = np.concatenate([X_train[0], X_test[0]])
    assert np.array_equal(np.sort(ids), np.arange(m)), "a column was lost or duplicated"
    for Xp, Yp in [(X_train, Y_train), (X_test, Y_test)]:
        assert np.array_equal(Xp[1], -Xp[0]), "a column was torn apart"
        assert np.array_equal(Yp[0], Xp[0] % 2), "a label was separated from its column"


def test_split_shuffles_deterministically_and_keeps_inputs():
    """The same seed gives the same split, another seed another; X and Y are unchanged."""
    X, Y = numbered_set(40)
    X_copy, Y_copy = X.copy(), Y.copy()
    a = train_test_split(X, Y, seed=0)
    b = train_test_split(X, Y, seed=0)
    c = train_test_split(X, Y, seed=1)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not np.array_equal(a[2], c[2])
    assert not np.array_equal(a[0][0], np.sort(a[0][0])), "the columns should be shuffled"
    assert np.array_equal(X, X_copy) and np.array_equal(Y, Y_copy)
    assert a[1].dtype == Y.dtype, "the labels keep their dtype"


@pytest.mark.parametrize(
    "X, Y, kwargs, words",
    [
        (np.zeros(5), np.zeros((1, 5)), {}, "X"),
        (np.zeros((2, 5)), np.zeros((1, 4)), {}, "4 labels"),
        (np.zeros((2, 5)), np.zeros(5), {}, "reshape"),
        (np.zeros((2, 5)), np.full((1, 5), 2.0), {}, "0 and 1"),
        (np.zeros((2, 5)), np.zeros((1, 5)), {"test_fraction": 0}, "test_fraction"),
        (np.zeros((2, 5)), np.zeros((1, 5)), {"test_fraction": 1}, "test_fraction"),
        (np.zeros((2, 5)), np.zeros((1, 5)), {"test_fraction": "a"}, "test_fraction"),
        (np.zeros((2, 4)), np.zeros((1, 4)), {"test_fraction": 0.1}, "both parts"),
        (np.zeros((2, 4)), np.zeros((1, 4)), {"test_fraction": 0.95}, "both parts"),
        (np.zeros((2, 4)), np.zeros((1, 4)), {"seed": -3}, "seed"),
    ],
)
def test_split_errors(X, Y, kwargs, words):
    """Bad shapes, labels, fractions or seeds raise a ValueError that says which."""
    with pytest.raises(ValueError, match=words):
        train_test_split(X, Y, **kwargs)


# ----------------------------------------------------------------------------
# load_dataset: the shipped files
# ----------------------------------------------------------------------------


def test_shipped_image_set():
    """The shipped set has the classic assignment's shapes and dtypes, and two classes."""
    train_x, train_y, test_x, test_y, classes = load_dataset()
    assert train_x.shape == (209, 64, 64, 3) and train_x.dtype == np.uint8
    assert test_x.shape == (50, 64, 64, 3) and test_x.dtype == np.uint8
    assert train_y.shape == (1, 209) and np.issubdtype(train_y.dtype, np.integer)
    assert test_y.shape == (1, 50) and np.issubdtype(test_y.dtype, np.integer)
    assert list(classes) == [b"even", b"odd"] and classes[1].decode("utf-8") == "odd"
    for y in (train_y, test_y):
        assert set(np.unique(y)) == {0, 1}
        # odd and even digits are about equally common (906 and 891 in the source)
        assert 0.3 < y.mean() < 0.7, f"{y.mean():.0%} odd digits: the random draw is lopsided"
    assert not np.array_equal(train_x[..., 0], train_x[..., 2]), "the colour channels differ"
    flat = np.concatenate([train_x, test_x]).reshape(259, -1)
    assert len(np.unique(flat, axis=0)) == 259, "an image appears twice"


def test_shipped_images_are_light_ink_on_dark_paper():
    """The most common colour (blank paper) is dark; every image has bright strokes."""
    train_x, _, test_x, _, _ = load_dataset()
    images = np.concatenate([train_x, test_x])
    rgb = images.reshape(-1, 3).astype(np.int64)
    code = np.bincount(rgb @ [65536, 256, 1]).argmax()  # the most common colour, packed
    paper = np.array([code // 65536, code // 256 % 256, code % 256])
    assert paper.max() < 64, f"the blank paper should be dark, got RGB {paper}"
    brightest = images.max(axis=(1, 2, 3))
    assert brightest.min() > 192, "every image should have light ink strokes"


def test_the_data_readme_states_the_class_counts():
    """data/README.md gives each part's numbers of even and odd digits, as the files hold them."""
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    _, train_y, _, test_y, _ = load_dataset()
    for part, y in (("train", train_y), ("test", test_y)):
        odd = int(y.sum())
        words = f"{y.size - odd} even, {odd} odd"
        assert words in readme, f"the {part} labels hold {words}: update data/README.md"


def test_data_dir_points_at_the_shipped_files():
    """DATA_DIR is the repository's data folder."""
    assert DATA_DIR == REPO / "data"
    assert (DATA_DIR / "train_digits.h5").is_file() and (DATA_DIR / "test_digits.h5").is_file()


def test_regenerated_files_equal_the_shipped_ones(tmp_path):
    """Running the script again rebuilds exactly the committed arrays, keys and dtypes."""
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    for name in ("train_digits.h5", "test_digits.h5"):
        with h5py.File(DATA_DIR / name, "r") as shipped, h5py.File(tmp_path / name, "r") as new:
            assert sorted(shipped.keys()) == sorted(new.keys())
            for key in shipped:
                assert shipped[key].dtype == new[key].dtype, f"{name}:{key} dtype"
                assert np.array_equal(shipped[key][()], new[key][()]), f"{name}:{key} differs"


# ----------------------------------------------------------------------------
# load_dataset: user files and errors
# ----------------------------------------------------------------------------


def small_set(m, seed=0, size=4):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, size=(m, size, size, 3), dtype=np.uint8)
    y = np.arange(m) % 2
    return x, y


def write_h5(path, **arrays):
    with h5py.File(path, "w") as h5file:
        for key, value in arrays.items():
            h5file.create_dataset(key, data=value)
    return path


CLASSES = np.array([b"non-cat", b"cat"])


def write_pair(folder, train_name="train_digits.h5", test_name="test_digits.h5"):
    (tx, ty), (sx, sy) = small_set(6, 0), small_set(3, 1)
    train = write_h5(folder / train_name, train_set_x=tx, train_set_y=ty, list_classes=CLASSES)
    test = write_h5(folder / test_name, test_set_x=sx, test_set_y=sy, list_classes=CLASSES)
    return train, test, (tx, ty, sx, sy)


def test_two_user_files(tmp_path):
    """A train file and a test file in the classic layout are read back as stored."""
    train, test, (tx, ty, sx, sy) = write_pair(tmp_path, "a.h5", "b.h5")
    train_x, train_y, test_x, test_y, classes = load_dataset(train, test)
    assert np.array_equal(train_x, tx) and np.array_equal(test_x, sx)
    assert np.array_equal(train_y, ty.reshape(1, -1)) and train_y.shape == (1, 6)
    assert np.array_equal(test_y, sy.reshape(1, -1)) and test_y.shape == (1, 3)
    assert list(classes) == list(CLASSES)
    assert load_dataset(str(train), str(test))[0].shape == (6, 4, 4, 3), "str paths work too"


def test_one_user_file_with_all_keys(tmp_path):
    """A single file holding all five keys gives both parts."""
    (tx, ty), (sx, sy) = small_set(5, 2), small_set(2, 3)
    path = write_h5(
        tmp_path / "mine.h5",
        train_set_x=tx,
        train_set_y=ty,
        test_set_x=sx,
        test_set_y=sy,
        list_classes=CLASSES,
    )
    train_x, train_y, test_x, test_y, classes = load_dataset(path)
    assert np.array_equal(train_x, tx) and np.array_equal(test_x, sx)
    assert train_y.shape == (1, 5) and test_y.shape == (1, 2)


def test_environment_variable_names_the_folder(tmp_path, monkeypatch):
    """DL_UTILS_DATA replaces the default folder."""
    _, _, (tx, _, sx, _) = write_pair(tmp_path)
    monkeypatch.setenv("DL_UTILS_DATA", str(tmp_path))
    train_x, _, test_x, _, _ = load_dataset()
    assert np.array_equal(train_x, tx) and np.array_equal(test_x, sx)


def test_missing_default_files_say_where_they_were_looked_for(tmp_path, monkeypatch):
    """Without the files, the error names the folder, the variable and the script."""
    monkeypatch.setenv("DL_UTILS_DATA", str(tmp_path))
    with pytest.raises(FileNotFoundError) as error:
        load_dataset()
    message = str(error.value)
    for words in (str(tmp_path), "DL_UTILS_DATA", "train_digits.h5", "make_digits_dataset"):
        assert words in message


def test_missing_user_file(tmp_path):
    """A user path that does not exist is named in the error."""
    with pytest.raises(FileNotFoundError, match="nothing.h5"):
        load_dataset(tmp_path / "nothing.h5")


def test_test_path_alone_is_refused(tmp_path):
    """test_path without train_path is an error, not a silent use of the default train file."""
    _, test, _ = write_pair(tmp_path)
    with pytest.raises(ValueError, match="train_path"):
        load_dataset(test_path=test)


def test_not_an_hdf5_file(tmp_path):
    """A file that is not HDF5 gives a ValueError naming it."""
    path = tmp_path / "notes.h5"
    path.write_text("not an image set")
    with pytest.raises(ValueError, match="notes.h5.*HDF5"):
        load_dataset(path)


@pytest.mark.parametrize("key", ["train_set_x", "train_set_y", "list_classes"])
def test_missing_key(tmp_path, key):
    """A missing key is named, with the file it was looked for in."""
    train, test, _ = write_pair(tmp_path)
    with h5py.File(train, "a") as h5file:
        del h5file[key]
    with pytest.raises(ValueError, match=f"train_digits.h5.*{key}"):
        load_dataset(train, test)


def test_a_train_file_alone_lacks_the_test_keys(tmp_path):
    """Passing only a train file names the missing test key."""
    train, _, _ = write_pair(tmp_path)
    with pytest.raises(ValueError, match="test_set_x"):
        load_dataset(train)


@pytest.mark.parametrize(
    "labels, words",
    [
        (np.array([0, 1, 2]), "test_set_y.*0 and 1.*2"),
        (np.array([0, 1, -1]), "test_set_y.*0 and 1"),
        (np.array([0.5, 1, 0]), "test_set_y.*0 and 1"),
        (np.array([0, 1]), "test_set_y holds 2 labels but there are 3 images"),
        (np.array([b"a", b"b", b"c"]), "test_set_y.*numbers"),
    ],
)
def test_bad_labels(tmp_path, labels, words):
    """Labels outside {0, 1} or of the wrong count name the file and the key."""
    train, test, _ = write_pair(tmp_path)
    with h5py.File(test, "a") as h5file:
        del h5file["test_set_y"]
        h5file.create_dataset("test_set_y", data=labels)
    with pytest.raises(ValueError, match=words) as error:
        load_dataset(train, test)
    assert "test_digits.h5" in str(error.value)


def test_mismatched_image_sizes(tmp_path):
    """Train and test images of different sizes cannot feed one network."""
    train, test, _ = write_pair(tmp_path)
    sx, sy = small_set(3, size=5)
    write_h5(test, test_set_x=sx, test_set_y=sy, list_classes=CLASSES)
    with pytest.raises(ValueError, match="one image size"):
        load_dataset(train, test)


def test_images_must_be_four_dimensional(tmp_path):
    """Flattened images in the file are refused with the expected layout in the message."""
    train, test, _ = write_pair(tmp_path)
    tx, ty = small_set(6)
    write_h5(train, train_set_x=tx.reshape(6, -1), train_set_y=ty, list_classes=CLASSES)
    with pytest.raises(ValueError, match="train_set_x.*height, width, channels"):
        load_dataset(train, test)
