"""One network of the playground: its data, its training in chunks, its predictions.

``Network(settings)`` draws the toy data set, splits it, and initializes the
parameters; nothing trains until ``train`` is called. ``train`` runs in chunks
of ``CHUNK`` iterations and asks ``keep_going()`` between chunks, so a newer
request can stop a stale run within one chunk.

Shapes: X_train (2, m_train), Y_train (1, m_train), X_test (2, m_test),
Y_test (1, m_test); W{l} (n[l], n[l-1]), b{l} (n[l], 1).
"""

import time

import numpy as np

from ..datasets import load_toy_dataset, train_test_split
from ..initialization import initialize_parameters_deep
from ..model import cross_entropy
from ..training import GradientDescent
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
        self.costs = []  # (iteration, cost) pairs, one every COST_EVERY iterations
        self.diverged = None  # a sentence once training has diverged
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
        Stops early, setting ``diverged``, if the cost or a parameter stops being finite.
        Returns the number of iterations run.
        """
        done = 0
        with np.errstate(all="ignore"):
            while done < num_iterations and self.diverged is None and keep_going():
                started = time.perf_counter()
                for _ in range(min(CHUNK, num_iterations - done)):
                    i = self.trainer.iteration
                    cost = self.trainer.step(record_cost=i % COST_EVERY == 0)
                    if cost is not None:
                        self.costs.append((i, cost))
                    done += 1
                self.training_seconds += time.perf_counter() - started
                self._check_divergence()
                if on_chunk is not None:
                    on_chunk()
        return done

    def probabilities(self, X):
        """The network's output AL for the points X (2, k): shape (1, k)."""
        with np.errstate(all="ignore"):
            return self.trainer.probabilities(X)

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

    def _check_divergence(self):
        last_cost = self.costs[-1][1] if self.costs else 0.0
        if not np.isfinite(last_cost) or not self.trainer.finite():
            self.diverged = (
                f"training diverged near iteration {self.iteration}: lower the learning rate"
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

    def probabilities(self, X):
        """AL for the points X (n_x, k): shape (1, k)."""
        return self.forward(X)[-1]

    def finite(self):
        """True while every parameter is a finite number."""
        return all(np.isfinite(Wb).all() for Wb in self.Wb[1:])


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

    def finite(self):
        return all(np.isfinite(value).all() for value in self.parameters_now.values())
