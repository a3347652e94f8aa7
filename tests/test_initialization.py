"""Initialization: the classic values, no global random state, the schemes, errors."""

import numpy as np
import pytest

from dl_utils import initialize_parameters, initialize_parameters_deep
from dl_utils.initialization import INITIALIZERS


def classic_draws(seed, dims):
    """The classic assignment's recipe, run on the global generator (then restored)."""
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        return [np.random.randn(dims[l], dims[l - 1]) * 0.01 for l in range(1, len(dims))]
    finally:
        np.random.set_state(state)


@pytest.mark.parametrize("dims", [[5, 4, 3], [12288, 20, 7, 5, 1], [2, 1]])
def test_deep_reproduces_the_classic_values(dims):
    parameters = initialize_parameters_deep(dims)
    expected = classic_draws(3, dims)
    assert sorted(parameters) == sorted(f"{p}{l}" for l in range(1, len(dims)) for p in "Wb")
    for l, W in enumerate(expected, start=1):
        assert np.array_equal(parameters[f"W{l}"], W), f"W{l} differs from the classic draw"
        assert np.array_equal(parameters[f"b{l}"], np.zeros((dims[l], 1)))


def test_two_layer_reproduces_the_classic_values():
    parameters = initialize_parameters(3, 2, 1)
    W1, W2 = classic_draws(1, [3, 2, 1])
    assert np.array_equal(parameters["W1"], W1) and np.array_equal(parameters["W2"], W2)
    assert parameters["b1"].shape == (2, 1) and parameters["b2"].shape == (1, 1)
    assert not parameters["b1"].any() and not parameters["b2"].any()


def test_global_generator_is_neither_reseeded_nor_consumed():
    np.random.seed(123)
    before = np.random.get_state()[1].copy(), np.random.get_state()[2]
    initialize_parameters_deep([4, 3, 1])
    initialize_parameters(4, 3, 1, init="he")
    after = np.random.get_state()[1], np.random.get_state()[2]
    assert np.array_equal(before[0], after[0]) and before[1] == after[1]


def test_seed_and_generators():
    a = initialize_parameters_deep([4, 3, 1], seed=7)
    b = initialize_parameters_deep([4, 3, 1], seed=np.random.RandomState(7))
    assert np.array_equal(a["W1"], b["W1"])
    c = initialize_parameters_deep([4, 3, 1], seed=np.random.default_rng(7))
    d = initialize_parameters_deep([4, 3, 1], seed=np.random.default_rng(7))
    assert np.array_equal(c["W1"], d["W1"]) and not np.array_equal(a["W1"], c["W1"])
    assert not np.array_equal(a["W1"], initialize_parameters_deep([4, 3, 1], seed=8)["W1"])


@pytest.mark.parametrize(
    "init, std_of_layer",
    [
        ("random", lambda n_in: 0.01),
        ("large", lambda n_in: 10.0),
        ("xavier", lambda n_in: np.sqrt(1 / n_in)),
        ("he", lambda n_in: np.sqrt(2 / n_in)),
    ],
)
def test_scheme_scales(init, std_of_layer):
    dims = [400, 300, 200]
    parameters = initialize_parameters_deep(dims, seed=0, init=init)
    for l in (1, 2):
        W = parameters[f"W{l}"]
        assert W.shape == (dims[l], dims[l - 1])
        assert abs(W.std() / std_of_layer(dims[l - 1]) - 1) < 0.02, f"W{l} std {W.std()}"
        assert abs(W.mean()) < 0.02 * std_of_layer(dims[l - 1]) * 5


def test_schemes_share_the_same_normal_draws():
    dims = [6, 5, 1]
    base = initialize_parameters_deep(dims, seed=3, init="random", scale=1.0)
    he = initialize_parameters_deep(dims, seed=3, init="he")
    assert np.allclose(he["W1"], base["W1"] * np.sqrt(2 / 6))
    custom = initialize_parameters_deep(dims, seed=3, scale=0.5)
    assert np.allclose(custom["W2"], base["W2"] * 0.5)


def test_zeros_scheme():
    parameters = initialize_parameters_deep([3, 4, 1], init="zeros")
    assert all(not v.any() for v in parameters.values())
    assert set(INITIALIZERS) == {"zeros", "random", "large", "xavier", "he"}


@pytest.mark.parametrize(
    "dims, message",
    [
        ([5], "at least two sizes"),
        ([], "at least two sizes"),
        ([5, 0, 1], r"layer_dims\[1\] should be at least 1"),
        ([5, -3, 1], "at least 1"),
        ([5, 2.5, 1], "whole number"),
        ([5, "4", 1], "whole number"),
        ("5,4,1", "list of layer sizes"),
        (7, "list of layer sizes"),
    ],
)
def test_bad_layer_dims(dims, message):
    with pytest.raises(ValueError, match=message):
        initialize_parameters_deep(dims)


def test_bad_options():
    with pytest.raises(ValueError, match=r"unknown init scheme 'glorot'.*xavier"):
        initialize_parameters_deep([3, 1], init="glorot")
    with pytest.raises(ValueError, match="seed should be"):
        initialize_parameters_deep([3, 1], seed="abc")
    with pytest.raises(ValueError, match="scale should be a positive"):
        initialize_parameters_deep([3, 1], scale=-1)
    with pytest.raises(ValueError, match="scale should be a positive number, got '0.5'"):
        initialize_parameters_deep([3, 1], scale="0.5")
    with pytest.raises(ValueError, match="n_h should be at least 1"):
        initialize_parameters(3, 0, 1)
