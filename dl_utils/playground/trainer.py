"""One network of the playground: its data, its training in chunks, its predictions.

``Network(settings)`` draws the toy data set, splits it, and initializes the
parameters; nothing trains until ``train`` is called. ``train`` runs in chunks
of ``CHUNK`` iterations and asks ``keep_going()`` between chunks, so a newer
request can stop a stale run within one chunk.

A run that diverges (a parameter or the cost stops being a finite number) is
wound back to its last finite iteration, and ``diverged`` says at which
iteration it went wrong: the picture and the layer table then show the network
as it was just before.

Shapes: X_train (2, m_train), Y_train (1, m_train), X_test (2, m_test),
Y_test (1, m_test); W{l} (n[l], n[l-1]), b{l} (n[l], 1).
"""

import time

import numpy as np

from ..datasets import load_toy_dataset, train_test_split
from ..fast_training import GradientDescent
from ..initialization import initialize_parameters_deep
from ..model import cross_entropy
from .functions import NetworkFunctions
from .statistics import layer_statistics

CHUNK = 50  # iterations between two checks of keep_going()
COST_EVERY = 10  # the cost curve gets a point every this many iterations
# the functions a training step calls (initialize_parameters_deep only starts it)
TRAINING_FUNCTIONS = ("L_model_forward", "compute_cost", "L_model_backward", "update_parameters")


class Network:
    """A network being trained on a toy data set, as the playground's settings say.

    settings: a ``Settings``.
    functions: a ``NetworkFunctions`` (the student's or the reference's);
        None trains with the reference's fast ``GradientDescent``.
    """

    def __init__(self, settings, functions=None):
        self.settings = settings
        X, Y = load_toy_dataset(
            settings.dataset, n_samples=settings.n_samples, noise=settings.noise, seed=settings.seed
        )
        split = train_test_split(X, Y, test_fraction=settings.test_fraction, seed=settings.seed)
        self.X_train, self.Y_train, self.X_test, self.Y_test = (
            np.asarray(part, dtype=float) for part in split
        )
        self.functions = functions if functions is not None else NetworkFunctions()
        self.notices = []  # sentences about which functions this network runs on
        self.start = self._initial_parameters()
        self.trains_on_functions = self._can_train_on_functions()
        self.reset()

    def reset(self):
        """Back to the initial parameters, iteration 0, no costs."""
        s = self.settings
        data = (self.X_train, self.Y_train, self.start, s.learning_rate, s.activation)
        if self.trains_on_functions:
            self.trainer = FunctionsTrainer(*data, functions=self.functions)
        else:
            self.trainer = FastTrainer(*data)
        self.trainer.test_on(self.X_test, self.Y_test)
        self.costs = []  # (iteration, training cost) pairs, one every COST_EVERY iterations
        self.test_costs = []  # (iteration, test cost) pairs, at the same iterations
        self.diverged = None  # a sentence once training has diverged
        self.diverged_at = None  # the iteration whose update overflowed
        self.training_seconds = 0.0

    @property
    def iteration(self):
        return self.trainer.iteration

    @property
    def parameters(self):
        return self.trainer.parameters

    def train(self, num_iterations, keep_going=lambda: True, on_chunk=None):
        """Run up to ``num_iterations`` more iterations, CHUNK at a time.

        keep_going: called between chunks; training stops as soon as it returns False.
        on_chunk: called with no argument after each chunk (e.g. to draw a live frame).
        Stops early if training diverges: ``diverged`` then says where, and the
        network is left at its last finite iteration.
        Returns the number of iterations run.
        """
        done = 0
        with np.errstate(all="ignore"):
            while done < num_iterations and self.diverged is None and keep_going():
                started = time.perf_counter()
                saved = self.trainer.snapshot(), len(self.costs)
                count = min(CHUNK, num_iterations - done)
                self._steps(count)
                if not self._finite():
                    count = self._replay_to_divergence(*saved)
                done += count
                self.training_seconds += time.perf_counter() - started
                if on_chunk is not None:
                    on_chunk()
        return done

    def _steps(self, count, check=False):
        """``count`` training steps, recording the costs every COST_EVERY iterations.

        check: stop at the first iteration that is not finite (a parameter or
        its cost); return the number of steps after which everything was finite.
        """
        for k in range(count):
            i = self.trainer.iteration
            if i % COST_EVERY == 0:
                self.test_costs.append((i, self.trainer.test_cost()))
            cost = self.trainer.step(record_cost=check or i % COST_EVERY == 0)
            if i % COST_EVERY == 0:
                self.costs.append((i, cost))
            if check and not np.isfinite(cost):
                return max(k - 1, 0)  # iteration i itself was not finite
            if check and not self.trainer.finite():
                return k  # iteration i was, its update was not
        return count

    def _finite(self):
        last_cost = self.costs[-1][1] if self.costs else 0.0
        return bool(np.isfinite(last_cost) and self.trainer.finite())

    def _replay_to_divergence(self, snapshot, costs_kept):
        """Go back to the chunk's start and redo it step by step up to the first overflow.

        Leaves the network at its last finite iteration, sets ``diverged`` and
        returns the number of finite steps of the chunk.
        """
        self.trainer.restore(snapshot)
        del self.costs[costs_kept:], self.test_costs[costs_kept:]
        finite_steps = self._steps(CHUNK, check=True)
        self.trainer.restore(snapshot)  # and again, up to the last finite step
        del self.costs[costs_kept:], self.test_costs[costs_kept:]
        self._steps(finite_steps)
        self.diverged_at = self.iteration
        self.diverged = self._divergence_sentence()
        return finite_steps

    def _divergence_sentence(self):
        """What the numbers say: the initial values overflow, or the updates do."""
        s, at = self.settings, self.diverged_at
        largest = max(float(np.max(np.abs(W))) for W in self.parameters.values())
        with np.errstate(all="ignore"):
            start_overflows = not np.isfinite(self.current_cost())
        if at == 0 and start_overflows:
            return (
                f"diverged at iteration 0: with the {s.init} initialization the values "
                f"overflow from the first layer to the last ({s.hidden_layers} hidden "
                "layers); choose smaller initial weights"
            )
        return (
            f"diverged at iteration {at}: the updates grew the weights up to "
            f"{largest:.1e}, then overflowed; the learning rate {s.learning_rate:g} "
            f"is too large for this network with the {s.init} initialization"
        )

    def probabilities(self, X):
        """The network's output AL for the points X (2, k): shape (1, k)."""
        with np.errstate(all="ignore"):
            return self.trainer.probabilities(X)

    def evaluate_on(self, points):
        """Keep the points (2, k) where ``grid_activations`` evaluates the network."""
        self.grid = np.asarray(points, dtype=float)
        self._grid_trainer = None  # a FastTrainer's reader of the grid, made when first used

    def grid_activations(self):
        """Every layer's activations on the points of ``evaluate_on``: [A0, ..., AL].

        A0 is the points themselves (2, k), A{l} has shape (n[l], k), AL (1, k).
        """
        with np.errstate(all="ignore"):
            if isinstance(self.trainer, FastTrainer):
                reader = self._grid_trainer
                if reader is None or reader.Wb is not self.trainer.Wb:  # none yet, or reset
                    reader = self._grid_trainer = self.trainer.reading_my_weights(self.grid)
                return reader.activations()
            Y = np.zeros((1, self.grid.shape[1]))
            return GradientDescent(
                self.grid, Y, self.parameters, 1.0, self.settings.activation
            ).activations()

    def current_cost(self):
        """The cost of the current parameters on the training data (a float)."""
        with np.errstate(all="ignore"):
            return cross_entropy(self.probabilities(self.X_train), self.Y_train)

    def accuracies(self):
        """(train accuracy, test accuracy), fractions in [0, 1]."""
        train = np.mean((self.probabilities(self.X_train) > 0.5) == self.Y_train)
        test = np.mean((self.probabilities(self.X_test) > 0.5) == self.Y_test)
        return float(train), float(test)

    def statistics(self, parameters=None):
        """``layer_statistics`` of the current (or the given) parameters on the training data."""
        return layer_statistics(
            self.X_train,
            self.Y_train,
            self.parameters if parameters is None else parameters,
            self.settings.activation,
        )

    def _initial_parameters(self):
        s, f = self.settings, self.functions
        own_init = "initialize_parameters_deep" in f.own
        if own_init and f.accepts("initialize_parameters_deep", "init"):
            return f.initialize_parameters_deep(s.layer_dims, seed=s.seed, init=s.init)
        if own_init and s.init == "random":
            if f.accepts("initialize_parameters_deep", "seed"):
                return f.initialize_parameters_deep(s.layer_dims, seed=s.seed)
            return f.initialize_parameters_deep(s.layer_dims)
        if own_init:
            self.notices.append(
                f'the "{s.init}" initialization comes from the reference: your '
                "initialize_parameters_deep makes x0.01 weights only"
            )
        return initialize_parameters_deep(s.layer_dims, seed=s.seed, init=s.init)

    def _can_train_on_functions(self):
        """True if training steps run on ``functions`` (the student's), not on FastTrainer."""
        f, activation = self.functions, self.settings.activation
        if not any(name in f.own for name in TRAINING_FUNCTIONS):
            return False
        relu_only = not (
            f.accepts("L_model_forward", "hidden_activation")
            and f.accepts("L_model_backward", "hidden_activation")
        )
        if activation != "relu" and relu_only:
            self.notices.append(
                f"{activation} runs on the reference: your L_model_forward and "
                "L_model_backward do ReLU only"
            )
            return False
        return True


class FastTrainer(GradientDescent):
    """The reference's ``GradientDescent``, with what the playground asks of a trainer."""

    def test_on(self, X_test, Y_test):
        """Keep the test data (n_x, m_test), (1, m_test) for ``test_cost``."""
        self.test = self.reading_my_weights(X_test, Y_test)

    def test_cost(self):
        """The cost of the current parameters on the test data (a float)."""
        return self.test.cost()

    def reading_my_weights(self, X, Y=None):
        """A ``GradientDescent`` on other data that reads this trainer's weights, not a copy.

        X (n_x, k), Y (1, k) (zeros if None). Its ``forward()`` reuses its
        arrays from call to call, so evaluating the same points again is cheap.
        """
        if Y is None:
            Y = np.zeros((1, X.shape[1]))
        other = GradientDescent(X, Y, self.parameters, 1.0, self.hidden_activation)
        other.Wb, other.W, other.b = self.Wb, self.W, self.b
        return other

    def probabilities(self, X):
        """AL for the points X (n_x, k): shape (1, k)."""
        return self.forward(X)[-1]

    def finite(self):
        """True while every parameter is a finite number."""
        return all(np.isfinite(Wb).all() for Wb in self.Wb[1:])

    def snapshot(self):
        """What ``restore`` needs to come back to this iteration."""
        return self.iteration, [Wb.copy() for Wb in self.Wb[1:]]

    def restore(self, snapshot):
        self.iteration, saved = snapshot
        for Wb, values in zip(self.Wb[1:], saved):
            Wb[...] = values  # in place: W[l] and b[l] are views into Wb[l]


class FunctionsTrainer:
    """Gradient descent written with five functions, e.g. the student's own.

    X (n_x, m), Y (1, m); parameters: the starting W{l}, b{l}; functions: a
    ``NetworkFunctions``. Each step calls L_model_forward, compute_cost (when
    the cost is recorded), L_model_backward and update_parameters.
    """

    def __init__(self, X, Y, parameters, learning_rate, hidden_activation, functions):
        self.X, self.Y = X, Y
        self.learning_rate = learning_rate
        self.functions = functions
        self.keywords = {}
        if hidden_activation != "relu":
            self.keywords = {"hidden_activation": hidden_activation}
        self.parameters_now = {name: np.array(value) for name, value in parameters.items()}
        self.iteration = 0

    @property
    def parameters(self):
        return {name: value.copy() for name, value in self.parameters_now.items()}

    def step(self, record_cost=False):
        f = self.functions
        AL, caches = f.L_model_forward(self.X, self.parameters_now, **self.keywords)
        cost = float(f.compute_cost(AL, self.Y)) if record_cost else None
        grads = f.L_model_backward(AL, self.Y, caches, **self.keywords)
        self.parameters_now = f.update_parameters(self.parameters_now, grads, self.learning_rate)
        self.iteration += 1
        return cost

    def probabilities(self, X):
        AL, _ = self.functions.L_model_forward(X, self.parameters_now, **self.keywords)
        return np.asarray(AL, dtype=float)

    def test_on(self, X_test, Y_test):
        self.X_test, self.Y_test = X_test, Y_test

    def test_cost(self):
        return cross_entropy(self.probabilities(self.X_test), self.Y_test)

    def finite(self):
        return all(np.isfinite(value).all() for value in self.parameters_now.values())

    def snapshot(self):
        return self.iteration, self.parameters

    def restore(self, snapshot):
        self.iteration, parameters = snapshot
        self.parameters_now = {name: value.copy() for name, value in parameters.items()}
