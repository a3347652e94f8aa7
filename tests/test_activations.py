"""Activations: hand-computed values, derivatives against numeric ones, the registry, errors."""

import math
import warnings

import numpy as np
import pytest

from dl_utils import activations as act
from dl_utils.gradient_check import numerical_gradient_array, relative_error

Z = np.array([[-2.0, -0.5, 0.0], [0.5, 1.0, 3.0]])


def test_sigmoid_by_hand():
    A, cache = act.sigmoid(Z)
    expected = [[1 / (1 + math.exp(-z)) for z in row] for row in Z]
    assert np.allclose(A, expected, rtol=0, atol=1e-15)
    assert cache is Z, "the cache is Z itself"


def test_relu_by_hand():
    A, cache = act.relu(Z)
    assert A.tolist() == [[0.0, 0.0, 0.0], [0.5, 1.0, 3.0]]
    assert cache is Z


def test_tanh_by_hand():
    A, _ = act.tanh(Z)
    expected = [
        [(math.exp(z) - math.exp(-z)) / (math.exp(z) + math.exp(-z)) for z in row] for row in Z
    ]
    assert np.allclose(A, expected, rtol=0, atol=1e-15)


def test_leaky_relu_by_hand():
    A, _ = act.leaky_relu(Z)
    assert np.allclose(A, [[-0.02, -0.005, 0.0], [0.5, 1.0, 3.0]], rtol=0, atol=1e-15)


def test_backward_by_hand():
    dA = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert act.relu_backward(dA, Z).tolist() == [[0.0, 0.0, 0.0], [4.0, 5.0, 6.0]]
    assert np.allclose(act.leaky_relu_backward(dA, Z), [[0.01, 0.02, 0.03], [4, 5, 6]])
    s0 = 0.5  # sigmoid(0)
    assert act.sigmoid_backward(np.array([[2.0]]), np.array([[0.0]]))[0, 0] == 2 * s0 * (1 - s0)
    assert act.tanh_backward(np.array([[3.0]]), np.array([[0.0]]))[0, 0] == 3.0


@pytest.mark.parametrize("name", list(act.ACTIVATIONS))
def test_backward_matches_numeric_derivative(name):
    forward, backward = act.ACTIVATIONS[name]
    rng = np.random.RandomState(0)
    Zr = rng.randn(4, 6)
    Zr[np.abs(Zr) < 1e-3] = 0.5  # keep away from the ReLU kink
    dA = rng.randn(4, 6)
    numeric = numerical_gradient_array(lambda z: forward(z)[0], Zr, dA)
    assert relative_error(numeric, backward(dA, Zr)) < 1e-8


@pytest.mark.parametrize("name", list(act.ACTIVATIONS))
def test_no_overflow_warning_for_large_inputs(name):
    forward, backward = act.ACTIVATIONS[name]
    big = np.array([[-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A, cache = forward(big)
        dZ = backward(np.ones_like(big), cache)
    assert np.isfinite(A).all() and np.isfinite(dZ).all()


def test_sigmoid_limits():
    A, _ = act.sigmoid(np.array([[-1000.0, 1000.0]]))
    assert A.tolist() == [[0.0, 1.0]]


@pytest.mark.parametrize("name", list(act.ACTIVATIONS))
def test_inputs_are_not_changed(name):
    forward, backward = act.ACTIVATIONS[name]
    Zr = Z.copy()
    Zr.flags.writeable = False
    dA = np.ones_like(Zr)
    dA.flags.writeable = False
    forward(Zr)
    backward(dA, Zr)  # a write into a read-only array would raise


def test_registry_and_unknown_name():
    assert set(act.ACTIVATIONS) == {"sigmoid", "relu", "tanh", "leaky_relu"}
    assert act.get_activation("relu").forward is act.relu
    with pytest.raises(ValueError, match=r"unknown activation 'softmax'.*relu"):
        act.get_activation("softmax")


def test_bad_inputs():
    with pytest.raises(ValueError, match="NaN"):
        act.relu(np.array([[1.0, np.nan]]))
    with pytest.raises(
        ValueError, match=r"dA has shape \(1, 2\) but Z \(the cache\) has shape \(2, 3\)"
    ):
        act.relu_backward(np.ones((1, 2)), Z)
    with pytest.raises(ValueError, match="numeric"):
        act.sigmoid("hello")
