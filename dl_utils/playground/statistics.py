"""Per-layer statistics for the initialization lesson.

For each layer l = 1..L of a network on its training data, ``layer_statistics``
measures the spread (standard deviation) of the activations A{l} (n[l], m)
and of the weight gradients dW{l} (n[l], n[l-1]), and names what a teacher
wants the class to notice:

- "identical": every unit of a hidden layer computes the same thing (zeros
  init: symmetry is never broken, the layer acts like a single unit);
- "vanishing": the gradients are so small that the layer barely learns
  (x0.01 init in a deep network);
- "exploding": the activations or the gradients are huge (x10 init);
- "saturated": tanh or sigmoid units sit at their flat ends, where the
  derivative is almost 0;
- "dead": ReLU units that output 0 for every example.
"""

from dataclasses import dataclass

import numpy as np

from ..fast_training import GradientDescent

# The thresholds behind the notes, on standard deviations and fractions.
VANISHING_GRADIENT = 1e-5  # std(dW) below this: the layer barely moves
EXPLODING = 1e2  # std(A) or std(dW) above this
SATURATED_FRACTION = 0.9  # share of tanh/sigmoid outputs within 0.01 of a flat end
DEAD_FRACTION = 0.5  # share of ReLU units that are 0 on every example
IDENTICAL_TOLERANCE = 1e-9  # relative difference below which two units are the same


@dataclass(frozen=True)
class LayerStatistics:
    """What one layer looks like: sizes, spreads, and the notes that apply."""

    layer: int  # l, from 1 (first hidden layer) to L (the output layer)
    units: int  # n[l]
    activation_std: float  # std of A{l} over all units and examples
    gradient_std: float  # std of dW{l} over all its entries
    notes: tuple  # short words: "identical", "vanishing", "exploding", ...

    @property
    def identical(self):
        """True if every unit of this (hidden) layer is the same."""
        return "identical" in self.notes


def layer_statistics(X, Y, parameters, hidden_activation):
    """Measure every layer of the network ``parameters`` on the data X, Y.

    X: data, shape (n_x, m). Y: labels, shape (1, m).
    parameters: W{l} (n[l], n[l-1]) and b{l} (n[l], 1) for l = 1..L.
    hidden_activation: "relu", "tanh", "sigmoid" or "leaky_relu".
    Returns a list of L ``LayerStatistics``, the first hidden layer first.
    Non-finite values (a diverged network) give NaN spreads.
    """
    with np.errstate(all="ignore"):
        network = GradientDescent(X, Y, parameters, 1.0, hidden_activation)
        A = network.activations()
        grads = network.gradients()
    result = []
    for l in range(1, network.L + 1):
        hidden = l < network.L
        dW = grads[l][0]
        activation_std, gradient_std = _std(A[l]), _std(dW)
        notes = []
        if hidden and A[l].shape[0] > 1 and _units_identical(A[l]):
            notes.append("identical")
        if gradient_std < VANISHING_GRADIENT:
            notes.append("vanishing")
        if activation_std > EXPLODING or gradient_std > EXPLODING:
            notes.append("exploding")
        if hidden and _saturated(A[l], hidden_activation):
            notes.append("saturated")
        if hidden and hidden_activation == "relu" and _dead(A[l]):
            notes.append("dead")
        result.append(LayerStatistics(l, A[l].shape[0], activation_std, gradient_std, tuple(notes)))
    return result


def describe(statistics):
    """One sentence per layer that has a note, e.g. "layer 1: all 8 units identical"."""
    words = {
        "vanishing": "vanishing gradients (std(dW) {g:.1e})",
        "exploding": "exploding values (std(A) {a:.1e}, std(dW) {g:.1e})",
        "saturated": "saturated units (outputs stuck at the flat ends)",
        "dead": "dead ReLU units (0 on every example)",
        "identical": None,
    }
    sentences = []
    for s in statistics:
        parts = []
        if s.identical and "dead" in s.notes:
            parts.append(f"all {s.units} units identical: every one outputs 0")
        elif s.identical:
            parts.append(f"all {s.units} units identical: the symmetry is never broken")
        for note in s.notes:
            if words.get(note):
                parts.append(words[note].format(a=s.activation_std, g=s.gradient_std))
        if parts:
            sentences.append(f"layer {s.layer}: " + ", ".join(parts))
    return sentences


def _std(values):
    if not np.isfinite(values).all():
        return float("nan")
    return float(np.std(values))


def _units_identical(A):
    """True if every row (unit) of A (n, m) equals the first one."""
    if not np.isfinite(A).all():
        return False
    scale = np.max(np.abs(A))
    return bool(np.max(np.abs(A - A[:1])) <= IDENTICAL_TOLERANCE * max(scale, 1e-300))


def _saturated(A, activation):
    if activation == "tanh":
        return np.mean(np.abs(A) > 0.99) > SATURATED_FRACTION
    if activation == "sigmoid":
        return np.mean((A < 0.01) | (A > 0.99)) > SATURATED_FRACTION
    return False


def _dead(A):
    """True if more than DEAD_FRACTION of the units of A (n, m) are 0 on every example."""
    return np.mean(np.all(A <= 0, axis=1)) > DEAD_FRACTION
