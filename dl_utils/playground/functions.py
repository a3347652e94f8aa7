"""The five functions the playground trains with: the student's own, or the reference.

A student who wrote the step-by-step notebook can run the playground on their
own code with ``Playground(functions=globals())``. ``choose_functions`` takes
each of

    initialize_parameters_deep, L_model_forward, compute_cost,
    L_model_backward, update_parameters

from that namespace if it is there and gives the reference's answers on a tiny
network (3-4-3-1 on 5 examples); any function that is missing, raises or
disagrees is replaced by the reference one, and ``notices`` says which and why.
"""

import inspect
from dataclasses import dataclass, field

import numpy as np

from .. import initialization, model

NAMES = (
    "initialize_parameters_deep",
    "L_model_forward",
    "compute_cost",
    "L_model_backward",
    "update_parameters",
)
TOLERANCE = 1e-6  # how close (relative) the student's answers must be to the reference


@dataclass
class NetworkFunctions:
    """The five functions to train with, and which of them are the student's."""

    initialize_parameters_deep: object = initialization.initialize_parameters_deep
    L_model_forward: object = model.L_model_forward
    compute_cost: object = model.compute_cost
    L_model_backward: object = model.L_model_backward
    update_parameters: object = model.update_parameters
    own: tuple = ()  # the names taken from the student
    notices: list = field(default_factory=list)  # one sentence per function that fell back

    @property
    def uses_reference_only(self):
        return not self.own

    def accepts(self, name, parameter):
        """True if the function ``name`` takes a keyword argument ``parameter``."""
        try:
            return parameter in inspect.signature(getattr(self, name)).parameters
        except (TypeError, ValueError):
            return False


def choose_functions(functions=None):
    """Pick the student's functions that work, and the reference for the others.

    functions: None (the reference only), or a dict (e.g. ``globals()``) or any
        object with attributes (a module, a namespace) holding the student's
        functions under the course's names.
    Returns a ``NetworkFunctions``.
    """
    chosen = NetworkFunctions()
    if functions is None:
        return chosen
    if not isinstance(functions, dict):
        functions = {name: getattr(functions, name) for name in NAMES if hasattr(functions, name)}
    own, notices = [], []
    for name in NAMES:
        candidate = functions.get(name)
        if candidate is None:
            notices.append(f"{name} is not defined: using the reference")
            continue
        if not callable(candidate):
            notices.append(f"{name} is not a function: using the reference")
            continue
        problem = _CHECKS[name](candidate)
        if problem:
            notices.append(f"{name} {problem}: using the reference")
            continue
        setattr(chosen, name, candidate)
        own.append(name)
    chosen.own = tuple(own)
    chosen.notices = notices
    return chosen


# ----------------------------------------------------------------------------
# The quick checks: each returns None if the function agrees with the
# reference on the tiny case, else a short phrase saying what went wrong.
# ----------------------------------------------------------------------------

DIMS = [3, 4, 3, 1]


def _tiny_case():
    """X (3, 5), Y (1, 5), parameters of a 3-4-3-1 network, and the reference's results."""
    rng = np.random.RandomState(0)
    X = rng.randn(3, 5)
    Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
    parameters = initialization.initialize_parameters_deep(DIMS, seed=1, init="xavier")
    AL, caches = model.L_model_forward(X, parameters)
    grads = model.L_model_backward(AL, Y, caches)
    return X, Y, parameters, AL, caches, grads


def _close(value, expected):
    value = np.asarray(value, dtype=float)
    return value.shape == np.shape(expected) and np.allclose(
        value, expected, rtol=TOLERANCE, atol=1e-12
    )


def _attempt(check):
    """Run a check; any exception becomes a phrase such as "raised ValueError: ..."."""

    def run(function):
        try:
            return check(function)
        except Exception as error:  # the student's code may raise anything
            return f"raised {type(error).__name__}: {error}"

    return run


@_attempt
def _check_initialize(function):
    parameters = function(DIMS)
    if not isinstance(parameters, dict):
        return f"returned a {type(parameters).__name__}, not a dict"
    for l in range(1, len(DIMS)):
        for name, shape in ((f"W{l}", (DIMS[l], DIMS[l - 1])), (f"b{l}", (DIMS[l], 1))):
            if np.shape(parameters.get(name)) != shape:
                return f"gave {name} the shape {np.shape(parameters.get(name))}, not {shape}"
    return None


@_attempt
def _check_forward(function):
    X, _, parameters, AL, caches, _ = _tiny_case()
    result = function(X, parameters)
    if not isinstance(result, tuple) or len(result) != 2:
        return "should return (AL, caches)"
    if not _close(result[0], AL):
        return "gives another AL than the reference"
    if len(result[1]) != len(caches):
        return f"returns {len(result[1])} caches, not {len(caches)}"
    return None


@_attempt
def _check_cost(function):
    _, Y, _, AL, _, _ = _tiny_case()
    if not _close(function(AL, Y), model.compute_cost(AL, Y)):
        return "gives another cost than the reference"
    return None


@_attempt
def _check_backward(function):
    _, Y, _, AL, caches, grads = _tiny_case()
    result = function(AL, Y, caches)
    if not isinstance(result, dict):
        return f"returned a {type(result).__name__}, not a dict of gradients"
    for l in range(1, len(DIMS)):
        for name in (f"dW{l}", f"db{l}"):
            if name not in result:
                return f"returns no {name}"
            if not _close(result[name], grads[name]):
                return f"gives another {name} than the reference"
    return None


@_attempt
def _check_update(function):
    _, _, parameters, _, _, grads = _tiny_case()
    expected = model.update_parameters(parameters, grads, 0.1)
    result = function(parameters, grads, 0.1)
    if not isinstance(result, dict):
        return f"returned a {type(result).__name__}, not a dict"
    for name, value in expected.items():
        if name not in result or not _close(result[name], value):
            return f"gives another {name} than the reference"
    return None


_CHECKS = {
    "initialize_parameters_deep": _check_initialize,
    "L_model_forward": _check_forward,
    "compute_cost": _check_cost,
    "L_model_backward": _check_backward,
    "update_parameters": _check_update,
}
