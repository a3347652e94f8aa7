"""The course's training, written for speed: ``GradientDescent`` and ``fast_L_layer_model``.

``GradientDescent`` computes what ``training.L_layer_model`` computes, with
L_model_forward, compute_cost, L_model_backward and update_parameters in a loop,
but faster, because training runs thousands of iterations and a live classroom
demo retrains on every slider change. ``fast_L_layer_model`` is ``L_layer_model``
trained by it: the same arguments, and the same parameters and costs within
float rounding (tests/test_training.py compares the two). Its tricks:

- the inputs are checked once, not at every iteration;
- it updates its own copy of the parameters in place (no new arrays per step),
  and keeps each layer's W and b in one matrix (the bias trick, see the class);
- the forward pass keeps only each layer's A, since every activation's
  derivative can be written from its output (ReLU: A > 0, tanh: 1 - A**2, ...;
  the kernels are ``Activation.forward_into`` and ``derivative_from_output``);
- the output layer's dZ is AL - Y, what dAL * sigmoid'(ZL) simplifies to;
  it is multiplied once by alpha / m, which multiplies every gradient after
  it by the same number, so each update is a single subtraction;
- dA0, the gradient with respect to the input X, is never computed: nothing
  uses it, and for image data it is the most expensive product of all;
- for wide data (more features than examples, such as images) the first
  layer's Z1 is updated with the small Gram matrix X.T X instead of being
  recomputed (see ``GradientDescent.step``);
- the cost is only computed on the iterations where it is recorded.

Shapes: X (n_x, m), Y (1, m), W{l} (n[l], n[l-1]), b{l} (n[l], 1).
"""

import numpy as np

from .activations import get_activation, stable_sigmoid
from .initialization import initialize_parameters_deep
from .model import cross_entropy
from .training import iterations, record_cost
from .validation import check_labels, check_learning_rate, check_matrix, check_parameters


class GradientDescent:
    """Batch gradient descent on an L-layer network, one iteration at a time.

    X: data, shape (n_x, m). Y: labels, shape (1, m).
    parameters: the starting W{l}, b{l}; they are copied, never changed.
    learning_rate: alpha. hidden_activation: the hidden layers' activation.

    The bias trick: layer l keeps W{l} and b{l} side by side in one matrix
    Wb{l} = [W{l} b{l}] of shape (n[l], n[l-1] + 1), and each layer's input
    A{l-1} gets an extra last row of ones. Then one product gives
    Z{l} = Wb{l} [A{l-1}; 1] = W{l} A{l-1} + b{l}, and one product gives
    dZ{l} [A{l-1}; 1].T = [dZ{l} A{l-1}.T, the sum of dZ{l} over the examples],
    that is [dW{l} db{l}] (times m). ``W[l]`` and ``b[l]`` are views into Wb{l}.
    """

    # With wide data, Z1 is recomputed exactly every this many iterations, so
    # the rounding errors of its cheap updates never pile up.
    REFRESH_EVERY = 100

    def __init__(self, X, Y, parameters, learning_rate, hidden_activation="relu"):
        self.X = check_matrix(X, "X")
        self.Y = check_labels(Y, m=self.X.shape[1], binary=False)
        self.L = check_parameters(parameters, n_x=self.X.shape[0])
        self.learning_rate = check_learning_rate(learning_rate)
        self.g = get_activation(hidden_activation)
        self.hidden_activation = hidden_activation
        self.Wb = [None] + [
            np.hstack([parameters[f"W{l}"], parameters[f"b{l}"]]).astype(float)
            for l in range(1, self.L + 1)
        ]
        self.W = [None] + [Wb[:, :-1] for Wb in self.Wb[1:]]
        self.b = [None] + [Wb[:, -1:] for Wb in self.Wb[1:]]
        self.iteration = 0
        # The training data's layer inputs [A0; 1], ..., [A{L-1}; 1], reused by every step.
        self.inputs = self._layer_inputs(self.X)
        # Wide data (n_x > m): keep the Gram matrix G = [X; 1].T [X; 1] (m, m) and
        # Z1 = Wb1 [X; 1] (n[1], m), updated by step() instead of recomputed.
        n_x, m = self.X.shape
        self.gram = self.inputs[0].T @ self.inputs[0] if n_x > m else None
        self.Z1 = self.Wb[1] @ self.inputs[0] if n_x > m else None

    @property
    def parameters(self):
        """A copy of the current parameters: W{l} (n[l], n[l-1]) and b{l} (n[l], 1), l = 1..L."""
        result = {}
        for l in range(1, self.L + 1):
            result[f"W{l}"] = self.W[l].copy()
            result[f"b{l}"] = self.b[l].copy()
        return result

    def _layer_inputs(self, X):
        """[X; 1] of shape (n_x + 1, m), then one (n[l] + 1, m) array of ones per hidden layer."""
        m = X.shape[1]
        inputs = [np.vstack([X, np.ones((1, m))])]
        for l in range(1, self.L):
            inputs.append(np.ones((self.W[l].shape[0] + 1, m)))
        return inputs

    def forward(self, X=None):
        """Every layer's activations for X (default: the training data).

        Returns [A0, ..., AL]: for l < L, A{l} with its extra row of ones, shape
        (n[l] + 1, m); AL, shape (1, m). For the training data the arrays are
        reused by the next call: copy what you want to keep.
        """
        A = self.inputs if X is None else self._layer_inputs(X)
        for l in range(1, self.L + 1):
            if l == 1 and X is None and self.Z1 is not None:
                Z = self.Z1  # read only: the activations write elsewhere
            else:
                Z = self.Wb[l] @ A[l - 1]
            if l < self.L:
                self.g.forward_into(Z, out=A[l][:-1])  # the last row stays all ones
        return A[: self.L] + [stable_sigmoid(Z)]

    def activations(self, X=None):
        """[A0, ..., AL] for X (default: the training data), A{l} of shape (n[l], m)."""
        A = self.forward(X)
        return [A_l[:-1] for A_l in A[:-1]] + [A[-1]]

    def backward(self, A, factor=1.0):
        """Backpropagation: the gradients of factor * J, from every layer's activations.

        A: the list returned by ``forward()`` on the training data.
        factor: what the cost J is multiplied by; ``step`` passes alpha, so that
            it gets alpha [dW{l} db{l}] and each update is one subtraction.
        Returns the list [None, (dZ1, dWb1), ..., (dZL, dWbL)]: dWb{l} is
        factor [dW{l} db{l}], shape (n[l], n[l-1] + 1), and dZ{l} (n[l], m) the
        derivative of factor * J with respect to Z{l}, which is the course's
        dZ{l} times factor / m.
        """
        # The course's dZ[L] = dAL * sigmoid'(ZL) simplifies to AL - Y. Every
        # gradient below is linear in it, so scaling it once by factor / m scales
        # them all: dZ [A_prev; 1].T here already is factor * (1/m) [dZ A_prev.T, sum dZ].
        dZ = A[-1] - self.Y
        dZ *= factor / self.Y.shape[1]
        grads = [None] * (self.L + 1)
        for l in range(self.L, 0, -1):
            grads[l] = (dZ, dZ @ A[l - 1].T)
            if l > 1:  # dA0, the gradient for the input X, is never needed
                dA = self.W[l].T @ dZ
                dZ = dA * self.g.derivative_from_output(A[l - 1][:-1])
        return grads

    def step(self, record_cost=False):
        """One iteration: forward, backward, update.

        record_cost: if True, also return the cost of the forward pass
        (the parameters before this update), else return None.
        """
        A = self.forward()
        cost = cross_entropy(A[-1], self.Y) if record_cost else None
        self._update(A)
        return cost

    def _update(self, A):
        """Backward and update, from ``forward()``'s A; counts the iteration."""
        grads = self.backward(A, factor=self.learning_rate)
        for l in range(1, self.L + 1):
            self.Wb[l] -= grads[l][1]  # alpha [dW{l} db{l}]
        self.iteration += 1
        if self.Z1 is not None:
            if self.iteration % self.REFRESH_EVERY == 0:
                self.Z1 = self.Wb[1] @ self.inputs[0]
            else:
                # Wb1 just changed by -dZ1 [X; 1].T (dZ1 as backward returns it, the
                # derivative of alpha J), so Z1 = Wb1 [X; 1] changed by -dZ1 G: an
                # (n[1], m) x (m, m) product instead of the (n[1], n_x + 1) x (n_x + 1, m)
                # one, far smaller when n_x >> m.
                self.Z1 -= grads[1][0] @ self.gram

    def gradients(self):
        """dW{l} and db{l} at the current parameters; nothing is updated.

        Returns the list [None, (dW1, db1), ..., (dWL, dbL)] (shapes of W{l}, b{l}).
        """
        grads = self.backward(self.forward())
        return [None] + [(dWb[:, :-1], dWb[:, -1:]) for _, dWb in grads[1:]]

    def cost(self):
        """The cost of the current parameters on the training data (a float)."""
        return cross_entropy(self.forward()[-1], self.Y)

    def run(self, num_iterations, print_cost=False, record_every=100, progress=None):
        """Run ``num_iterations`` steps; return the costs recorded every ``record_every``.

        The cost is recorded at iterations 0, record_every, 2 * record_every, ...
        (counted from this trainer's start), before that iteration's update;
        print_cost prints those and the cost of this run's last iteration.
        progress: show a progress bar; None shows one in a notebook only.
        Raises ValueError if training diverges (``training.stop_if_diverged``).
        """
        costs = []
        steps = iterations(num_iterations, progress)
        for done in steps:
            A = self.forward()
            last = done == len(steps) - 1  # the last of this run (the trainer may go on)
            record_cost(
                costs, self.iteration, A[-1], self.Y, print_cost, last, cross_entropy, record_every
            )
            self._update(A)
        return costs


def fast_L_layer_model(
    X,
    Y,
    layers_dims,
    learning_rate=0.0075,
    num_iterations=3000,
    print_cost=False,
    init="xavier",
    seed=1,
    hidden_activation="relu",
    progress=None,
):
    """``training.L_layer_model`` trained by ``GradientDescent``: the same arguments
    and, within float rounding, the same result, several times faster on images.

    X: data, shape (n_x, m). Y: labels, shape (1, m).
    layers_dims: [n_x, n[1], ..., n[L]], e.g. [12288, 20, 7, 5, 1].
    Returns (parameters, costs): the trained W{l} (n[l], n[l-1]) and
    b{l} (n[l], 1), and the cost at iterations 0, 100, 200, ...
    """
    parameters = initialize_parameters_deep(layers_dims, seed=seed, init=init)
    trainer = GradientDescent(X, Y, parameters, learning_rate, hidden_activation)
    costs = trainer.run(num_iterations, print_cost=print_cost, progress=progress)
    return trainer.parameters, costs
