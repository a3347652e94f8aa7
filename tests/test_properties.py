"""Property tests (hypothesis): shapes hold for any layer sizes and batch size."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dl_utils import (
    ACTIVATIONS,
    L_model_backward,
    L_model_forward,
    compute_cost,
    initialize_parameters_deep,
    linear_activation_forward,
    predict,
    update_parameters,
)

layer_dims = st.lists(st.integers(1, 6), min_size=1, max_size=4).map(lambda hidden: [*hidden, 1])
batch = st.integers(1, 9)
activation = st.sampled_from(sorted(ACTIVATIONS))


def data(n_x, m, seed):
    rng = np.random.RandomState(seed)
    return rng.randn(n_x, m), (rng.rand(1, m) > 0.5).astype(float)


@settings(max_examples=60, deadline=None)
@given(dims=layer_dims, m=batch, act=activation, seed=st.integers(0, 2**16))
def test_shapes_through_a_whole_step(dims, m, act, seed):
    X, Y = data(dims[0], m, seed)
    parameters = initialize_parameters_deep(dims, seed=seed, init="he")
    L = len(dims) - 1
    AL, caches = L_model_forward(X, parameters, act)
    assert AL.shape == (1, m) and len(caches) == L
    assert ((AL >= 0) & (AL <= 1)).all()
    cost = compute_cost(AL, Y)
    assert np.shape(cost) == () and np.isfinite(cost) and cost >= 0
    grads = L_model_backward(AL, Y, caches, act)
    for l in range(1, L + 1):
        assert grads[f"dW{l}"].shape == (dims[l], dims[l - 1])
        assert grads[f"db{l}"].shape == (dims[l], 1)
        assert grads[f"dA{l - 1}"].shape == (dims[l - 1], m)
    updated = update_parameters(parameters, grads, 0.1)
    assert {k: v.shape for k, v in updated.items()} == {k: v.shape for k, v in parameters.items()}
    p = predict(X, Y, updated, act, print_accuracy=False)
    assert p.shape == (1, m) and set(np.unique(p)) <= {0, 1}


@settings(max_examples=60, deadline=None)
@given(
    n_prev=st.integers(1, 7),
    n=st.integers(1, 7),
    m=batch,
    act=activation,
    seed=st.integers(0, 2**16),
)
def test_one_layer_shapes(n_prev, n, m, act, seed):
    rng = np.random.RandomState(seed)
    A, cache = linear_activation_forward(
        rng.randn(n_prev, m), rng.randn(n, n_prev), rng.randn(n, 1), act
    )
    assert A.shape == (n, m)
    assert cache[1].shape == (n, m) and cache[0][1].shape == (n, n_prev)
