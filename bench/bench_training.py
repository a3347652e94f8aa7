"""Benchmark: a plain textbook training loop against dl_utils' GradientDescent.

Both train the same network from the same starting parameters in this one
process, taking turns, and the costs they record must agree to 1e-10. Two
networks are timed:

- the playground network: 2-8-8-8-1 (3 hidden ReLU layers of 8) on the
  training part (225 points) of the 300-point circles set, 1,000 iterations;
- the application network: 12288-20-7-5-1 on the 209 training images of the
  shipped digits set (64 x 64 x 3 pixels, scaled to [0, 1]).

The textbook loop is written plainly from the course's formulas: a forward
pass that keeps every cache, dAL = -(Y/AL - (1-Y)/(1-AL)), a relu_backward
that copies dA, dW = 1/m dZ A_prev.T and dA_prev = W.T dZ for every layer
(the first one included), updates into new arrays, the cost every iteration.

Run from the repository root:

    .venv/bin/python bench/bench_training.py

It prints each network's median times, the ratio (textbook / ours) and the
largest cost difference, and exits with status 1 if the costs disagree.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dl_utils import GradientDescent, initialize_parameters_deep  # noqa: E402
from dl_utils.datasets import load_dataset, load_toy_dataset, train_test_split  # noqa: E402

TOLERANCE = 1e-10
RECORD_EVERY = 10  # ours records the cost at iterations 0, 10, 20, ... (both are compared there)


# ----------------------------------------------------------------------------
# The textbook implementation
# ----------------------------------------------------------------------------


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z)), Z


def relu(Z):
    return np.maximum(0, Z), Z


def sigmoid_backward(dA, Z):
    s = 1 / (1 + np.exp(-Z))
    return dA * s * (1 - s)


def relu_backward(dA, Z):
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def textbook_forward(X, parameters):
    """[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID; returns AL (1, m) and the caches."""
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A_prev = A
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = np.dot(W, A_prev) + b
        A, activation_cache = sigmoid(Z) if l == L else relu(Z)
        caches.append(((A_prev, W, b), activation_cache))
    return A, caches


def textbook_cost(AL, Y):
    m = Y.shape[1]
    cost = -1 / m * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    return float(np.squeeze(cost))


def textbook_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    m = AL.shape[1]
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in reversed(range(1, L + 1)):
        (A_prev, W, b), Z = caches[l - 1]
        dZ = sigmoid_backward(dA, Z) if l == L else relu_backward(dA, Z)
        grads[f"dW{l}"] = 1 / m * np.dot(dZ, A_prev.T)
        grads[f"db{l}"] = 1 / m * np.sum(dZ, axis=1, keepdims=True)
        dA = np.dot(W.T, dZ)
        grads[f"dA{l - 1}"] = dA
    return grads


def textbook_update(parameters, grads, learning_rate):
    L = len(parameters) // 2
    updated = {}
    for l in range(1, L + 1):
        updated[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        updated[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return updated


def textbook_model(X, Y, parameters, learning_rate, num_iterations):
    """Gradient descent the textbook way; returns the cost of every iteration."""
    costs = []
    for _ in range(num_iterations):
        AL, caches = textbook_forward(X, parameters)
        costs.append(textbook_cost(AL, Y))
        grads = textbook_backward(AL, Y, caches)
        parameters = textbook_update(parameters, grads, learning_rate)
    return costs


# ----------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------


def ours(X, Y, parameters, learning_rate, num_iterations):
    trainer = GradientDescent(X, Y, parameters, learning_rate, "relu")
    return trainer.run(num_iterations, record_every=RECORD_EVERY, progress=False)


def compare(name, X, Y, layer_dims, learning_rate, num_iterations, repeats):
    """Time both loops ``repeats`` times, taking turns; print and return the result."""
    parameters = initialize_parameters_deep(layer_dims, seed=1, init="he")
    textbook_times, our_times = [], []
    worst = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        textbook_costs = textbook_model(X, Y, parameters, learning_rate, num_iterations)
        textbook_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        our_costs = ours(X, Y, parameters, learning_rate, num_iterations)
        our_times.append(time.perf_counter() - start)
        recorded = textbook_costs[::RECORD_EVERY]
        worst = max(worst, float(np.max(np.abs(np.subtract(recorded, our_costs)))))
    textbook_ms = 1000 * float(np.median(textbook_times))
    our_ms = 1000 * float(np.median(our_times))
    dims = "-".join(str(n) for n in layer_dims)
    print(
        f"{name} network {dims}, {X.shape[1]} examples, {num_iterations} iterations, "
        f"median of {repeats}:\n"
        f"  textbook {textbook_ms:9.1f} ms   ours {our_ms:9.1f} ms   "
        f"ratio {textbook_ms / our_ms:5.2f}x   largest cost difference {worst:.1e}"
    )
    return worst


def playground_data():
    X, Y = load_toy_dataset("circles", n_samples=300, noise=0.1, seed=0)
    X_train, Y_train, _, _ = train_test_split(X, Y, test_fraction=0.25, seed=0)
    return X_train, Y_train.astype(float)


def application_data():
    train_x, train_y, _, _, _ = load_dataset()
    X = train_x.reshape(train_x.shape[0], -1).T / 255.0
    return X, train_y.astype(float)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timings per network")
    parser.add_argument(
        "--app-iterations", type=int, default=200, help="iterations on the application network"
    )
    args = parser.parse_args(argv)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(
        f"numpy {np.__version__}, OPENBLAS_NUM_THREADS={threads}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}; each pair is run in turn, times are medians"
    )
    worst = compare("playground", *playground_data(), [2, 8, 8, 8, 1], 0.1, 1000, args.repeats)
    X, Y = application_data()
    worst = max(
        worst,
        compare(
            "application",
            X,
            Y,
            [X.shape[0], 20, 7, 5, 1],
            0.0075,
            args.app_iterations,
            max(3, args.repeats // 2),
        ),
    )
    if worst > TOLERANCE:
        print(f"FAIL: the costs differ by {worst:.1e}, more than {TOLERANCE:g}")
        return 1
    print(f"costs agree to {TOLERANCE:g}; load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
