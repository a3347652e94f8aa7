"""One layer: linear forward/backward by hand and against numeric gradients, caches, errors."""

import numpy as np
import pytest

from dl_utils import (
    ACTIVATIONS,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
)
from dl_utils.gradient_check import numerical_gradient_array, relative_error


def test_linear_forward_by_hand():
    A = np.array([[1.0, 0.0], [3.0, -1.0]])  # (2, 2): 2 features, 2 examples
    W = np.array([[1.0, 2.0]])  # (1, 2)
    b = np.array([[0.5]])
    Z, cache = linear_forward(A, W, b)
    assert Z.tolist() == [[1 + 6 + 0.5, 0 - 2 + 0.5]]
    assert cache[0] is A and cache[1] is W and cache[2] is b, "cache is (A, W, b) in that order"


def test_linear_backward_by_hand():
    A_prev = np.array([[1.0, 2.0], [3.0, 4.0]])  # (2, 2)
    W = np.array([[1.0, -1.0]])
    b = np.zeros((1, 1))
    dZ = np.array([[1.0, 3.0]])
    dA_prev, dW, db = linear_backward(dZ, (A_prev, W, b))
    # dW = (1/m) dZ A_prev.T with m = 2; db = mean of dZ; dA_prev = W.T dZ
    assert dW.tolist() == [[(1 * 1 + 3 * 2) / 2, (1 * 3 + 3 * 4) / 2]]
    assert db.tolist() == [[2.0]]
    assert dA_prev.tolist() == [[1.0, 3.0], [-1.0, -3.0]]


def random_layer(n_prev=4, n=3, m=5, seed=0):
    rng = np.random.RandomState(seed)
    return rng.randn(n_prev, m), rng.randn(n, n_prev), rng.randn(n, 1)


def test_linear_backward_matches_numeric_gradients():
    A, W, b = random_layer()
    dZ = np.random.RandomState(1).randn(3, 5)
    dA_prev, dW, db = linear_backward(dZ, (A, W, b))
    m = A.shape[1]
    # linear_backward averages over the m examples: compare with the sum / m
    assert (
        relative_error(
            dA_prev, numerical_gradient_array(lambda a: linear_forward(a, W, b)[0], A, dZ)
        )
        < 1e-8
    )
    assert (
        relative_error(
            dW, numerical_gradient_array(lambda w: linear_forward(A, w, b)[0], W, dZ) / m
        )
        < 1e-8
    )
    assert (
        relative_error(
            db, numerical_gradient_array(lambda v: linear_forward(A, W, v)[0], b, dZ) / m
        )
        < 1e-8
    )


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_linear_activation_pair(activation):
    A, W, b = random_layer(seed=2)
    out, cache = linear_activation_forward(A, W, b, activation)
    (cA, cW, cb), cZ = cache
    assert cA is A and cW is W and cb is b
    assert np.array_equal(cZ, W @ A + b)
    assert np.array_equal(out, ACTIVATIONS[activation].forward(W @ A + b)[0])
    dA = np.random.RandomState(3).randn(*out.shape)
    dA_prev, dW, db = linear_activation_backward(dA, cache, activation)
    m = A.shape[1]
    numeric_dW = (
        numerical_gradient_array(lambda w: linear_activation_forward(A, w, b, activation)[0], W, dA)
        / m
    )
    numeric_dA = numerical_gradient_array(
        lambda a: linear_activation_forward(a, W, b, activation)[0], A, dA
    )
    assert relative_error(dW, numeric_dW) < 1e-7
    assert relative_error(dA_prev, numeric_dA) < 1e-7
    assert db.shape == b.shape and dW.shape == W.shape and dA_prev.shape == A.shape


def test_inputs_are_not_changed():
    A, W, b = random_layer()
    for x in (A, W, b):
        x.flags.writeable = False
    _, cache = linear_activation_forward(A, W, b, "relu")
    dA = np.ones((3, 5))
    dA.flags.writeable = False
    linear_activation_backward(dA, cache, "relu")


def test_shape_errors_name_both_shapes():
    A, W, b = random_layer()
    with pytest.raises(ValueError, match=r"W has shape \(3, 5\) but A has 4 rows"):
        linear_forward(A, np.ones((3, 5)), b)
    with pytest.raises(ValueError, match=r"b should be a 2-D array, got shape \(3,\).*\(3, 1\)"):
        linear_forward(A, W, np.zeros(3))
    with pytest.raises(
        ValueError, match=r"b has shape \(1, 1\) but W has shape \(3, 4\).*\(3, 1\)"
    ):
        linear_forward(A, W, np.zeros((1, 1)))
    with pytest.raises(ValueError, match=r"A should be a 2-D array, got shape \(4,\)"):
        linear_forward(A[:, 0], W, b)
    with pytest.raises(
        ValueError, match=r"dZ has shape \(2, 5\) but the layer's Z has shape \(3, 5\)"
    ):
        linear_backward(np.ones((2, 5)), (A, W, b))


def test_cache_errors():
    A, W, b = random_layer()
    with pytest.raises(ValueError, match=r"order \(A_prev, W, b\)"):
        linear_backward(np.ones((3, 5)), (W, A, b))
    with pytest.raises(ValueError, match="tuple \\(A_prev, W, b\\)"):
        linear_backward(np.ones((3, 5)), (A, W))
    with pytest.raises(ValueError, match="pair \\(linear_cache, activation_cache\\)"):
        linear_activation_backward(np.ones((3, 5)), (A, W, b), "relu")
    with pytest.raises(ValueError, match="unknown activation 'Relu'"):
        linear_activation_forward(A, W, b, "Relu")


def test_nan_input_is_reported():
    A, W, b = random_layer()
    A[1, 2] = np.nan
    with pytest.raises(ValueError, match=r"A contains NaN \(first at index \(1, 2\)\)"):
        linear_forward(A, W, b)
