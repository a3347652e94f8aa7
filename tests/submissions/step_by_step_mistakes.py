"""Realistic wrong submissions of the step-by-step notebook, one per classic mistake.

Each entry replaces one answer cell of the solution notebook
(notebooks/source/01_step_by_step/01_step_by_step.ipynb) with a wrong solution:

    name      a short name for the mistake
    grade_id  the grade_id of the answer cell it replaces
    source    the full source of that cell in the wrong submission
    hint      a piece of text the feedback must show (the check's hint)
    failing   the grade_ids of the test cells that lose their points

Thanks to upstream isolation a mistake costs its own exercise only, except where
it says otherwise. (Attacks on the grader are in hostile.py.)
``POINTS`` gives the points of every graded test cell (from the manifest,
dl_utils.exercises) and ``MAX_SCORE`` their sum.
tests/test_checks.py runs the notebook's code with each replacement and checks
that this catalog is true.
"""

from dl_utils.exercises import exercises_of

# the points, from the course's manifest (tests check the notebook against it)
POINTS = {f"{e.name}_tests": e.points for e in exercises_of("01_step_by_step")}
MAX_SCORE = sum(POINTS.values())

MISTAKES = [
    {
        "name": "str1_for_strl",
        "grade_id": "initialize_parameters_deep_answer",
        "source": '''
def initialize_parameters_deep(layer_dims, seed=3):
    """Initialize an L-layer network."""
    rng = np.random.RandomState(seed)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(1)] = rng.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(1)] = np.zeros((layer_dims[l], 1))
    return parameters
''',
        "hint": "str(1) instead of str(l)",
        "failing": ["initialize_parameters_deep_tests"],
    },
    {
        "name": "zeros_initialization",
        "grade_id": "initialize_parameters_deep_answer",
        "source": '''
def initialize_parameters_deep(layer_dims, seed=3):
    """Initialize an L-layer network."""
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.zeros((layer_dims[l], layer_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''',
        "hint": "zeros initialization",
        "failing": ["initialize_parameters_deep_tests"],
    },
    {
        "name": "random_biases",
        "grade_id": "initialize_parameters_answer",
        "source": '''
def initialize_parameters(n_x, n_h, n_y, seed=1):
    """Initialize a 2-layer network n_x -> n_h -> n_y."""
    rng = np.random.RandomState(seed)
    W1 = rng.randn(n_h, n_x) * 0.01
    b1 = rng.randn(n_h, 1) * 0.01
    W2 = rng.randn(n_y, n_h) * 0.01
    b2 = rng.randn(n_y, 1) * 0.01
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''',
        "hint": "the biases should start at zero",
        "failing": ["initialize_parameters_tests"],
    },
    {
        "name": "np_max_for_np_maximum",
        "grade_id": "relu_answer",
        "source": '''
def relu(Z):
    """ReLU activation, entry by entry."""
    A = np.max(0, Z)
    cache = Z
    return A, cache
''',
        "hint": "np.maximum(0, Z)",
        "failing": ["relu_tests"],
    },
    {
        "name": "star_for_np_dot",
        "grade_id": "linear_forward_answer",
        "source": '''
def linear_forward(A, W, b):
    """Linear part of a layer's forward step: Z = W A + b."""
    Z = W * A + b
    cache = (A, W, b)
    return Z, cache
''',
        "hint": "Z needs the matrix product np.dot(W, A)",
        "failing": ["linear_forward_tests"],
    },
    {
        "name": "linear_cache_in_wrong_order",
        "grade_id": "linear_forward_answer",
        "source": '''
def linear_forward(A, W, b):
    """Linear part of a layer's forward step: Z = W A + b."""
    Z = np.dot(W, A) + b
    cache = (W, A, b)
    return Z, cache
''',
        "hint": "cache items in the wrong order",
        "failing": ["linear_forward_tests"],
    },
    {
        "name": "layer_cache_in_wrong_order",
        "grade_id": "linear_activation_forward_answer",
        "source": '''
def linear_activation_forward(A_prev, W, b, activation):
    """Forward step of a whole layer: Z = W A_prev + b, then A = g(Z)."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    else:
        A, activation_cache = relu(Z)
    cache = (activation_cache, linear_cache)
    return A, cache
''',
        "hint": "cache items in the wrong order",
        "failing": ["linear_activation_forward_tests"],
    },
    {
        "name": "sigmoid_applied_twice",
        "grade_id": "L_model_forward_answer",
        "source": '''
def L_model_forward(X, parameters):
    """Forward pass: [LINEAR -> RELU] x (L-1), then LINEAR -> SIGMOID."""
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(
            A, parameters["W" + str(l)], parameters["b" + str(l)], "relu"
        )
        caches.append(cache)
    AL, cache = linear_activation_forward(
        A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid"
    )
    caches.append(cache)
    AL, _ = sigmoid(AL)  # turn the output into probabilities
    return AL, caches
''',
        "hint": "sigmoid applied twice",
        "failing": ["L_model_forward_tests"],
    },
    {
        "name": "missing_1_over_m_in_cost",
        "grade_id": "compute_cost_answer",
        "source": '''
def compute_cost(AL, Y):
    """Cross-entropy cost."""
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    return np.squeeze(cost)
''',
        "hint": "the 1/m is missing",
        "failing": ["compute_cost_tests"],
    },
    {
        "name": "np_dot_for_star",
        "grade_id": "sigmoid_backward_answer",
        "source": '''
def sigmoid_backward(dA, cache):
    """Backward step of the sigmoid."""
    Z = cache
    s = 1 / (1 + np.exp(-Z))
    dZ = np.dot(dA, s * (1 - s))
    return dZ
''',
        "hint": "multiplies entry by entry (*)",
        "failing": ["sigmoid_backward_tests"],
    },
    {
        "name": "relu_backward_changes_dA",
        "grade_id": "relu_backward_answer",
        "source": '''
def relu_backward(dA, cache):
    """Backward step of ReLU."""
    Z = cache
    dZ = dA
    dZ[Z <= 0] = 0
    return dZ
''',
        "hint": "dZ = dA does not copy anything",
        "failing": ["relu_backward_tests"],
    },
    {
        "name": "missing_keepdims",
        "grade_id": "linear_backward_answer",
        "source": '''
def linear_backward(dZ, cache):
    """Backward step of the linear part of a layer."""
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (1 / m) * np.dot(dZ, A_prev.T)
    db = (1 / m) * np.sum(dZ, axis=1)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''',
        "hint": "keepdims=True keeps the summed axis",
        "failing": ["linear_backward_tests"],
    },
    {
        "name": "missing_1_over_m_in_dW",
        "grade_id": "linear_backward_answer",
        "source": '''
def linear_backward(dZ, cache):
    """Backward step of the linear part of a layer."""
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T)
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''',
        "hint": "the 1/m is missing",
        "failing": ["linear_backward_tests"],
    },
    {
        "name": "W_for_W_transposed",
        "grade_id": "linear_backward_answer",
        "source": '''
def linear_backward(dZ, cache):
    """Backward step of the linear part of a layer."""
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (1 / m) * np.dot(dZ, A_prev.T)
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W, dZ)
    return dA_prev, dW, db
''',
        "hint": "multiplies dZ by W transposed",
        "failing": ["linear_backward_tests"],
    },
    {
        "name": "wrong_sign_of_dAL",
        "grade_id": "L_model_backward_answer",
        "source": '''
def L_model_backward(AL, Y, caches):
    """Backward pass through [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID."""
    grads = {}
    L = len(caches)
    dAL = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = (
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    )
    for l in reversed(range(L - 1)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
        grads["dA" + str(l)] = dA_prev
        grads["dW" + str(l + 1)] = dW
        grads["db" + str(l + 1)] = db
    return grads
''',
        "hint": "the wrong sign of dAL",
        "failing": ["L_model_backward_tests"],
    },
    {
        "name": "update_changes_parameters_in_place",
        "grade_id": "update_parameters_answer",
        "source": '''
def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent."""
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = (
            parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        )
        parameters["b" + str(l + 1)] = (
            parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
        )
    return parameters
''',
        "hint": "it changed the dict (or the arrays) it was given",
        "failing": ["update_parameters_tests"],
    },
    {
        "name": "delegates_to_the_reference",
        "grade_id": "L_model_forward_answer",
        "source": '''
import dl_utils


def L_model_forward(X, parameters):
    """Forward pass: [LINEAR -> RELU] x (L-1), then LINEAR -> SIGMOID."""
    return dl_utils.L_model_forward(X, parameters)
''',
        "hint": "this earns no credit",
        "failing": ["L_model_forward_tests"],
    },
]

for mistake in MISTAKES:
    mistake["source"] = mistake["source"].strip("\n")
