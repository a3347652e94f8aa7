"""Realistic wrong submissions of the application, classroom and gradient-checking notebooks.

Each entry replaces one answer cell of a solution notebook
(notebooks/source/<notebook>/<notebook>.ipynb) with a wrong answer:

    notebook  the assignment: "02_application", "03_classroom" or "04_gradient_checking"
    name      a short name for the mistake
    grade_id  the grade_id of the answer cell it replaces
    source    the full source of that cell in the wrong submission
    hint      a piece of text the feedback must show (the check's hint)
    failing   the grade_ids of the test cells that lose their points

Every test cell calls its check on the student's function alone (train_until with
the reference forward and backward), so a mistake costs its own exercise only.
``POINTS`` gives the points of every autograded test cell, ``MANUAL_POINTS`` those of
the manually graded answers (the written observations), per notebook, from the manifest
(dl_utils.exercises).
tests/test_checks_other.py runs the notebooks' test cells with each replacement and
checks that this catalog is true.
"""

from dl_utils.exercises import OBSERVATIONS, exercises_of

NOTEBOOKS = ("02_application", "03_classroom", "04_gradient_checking")
# the points, from the course's manifest (tests check the notebooks against it)
POINTS = {n: {f"{e.name}_tests": e.points for e in exercises_of(n)} for n in NOTEBOOKS}
MANUAL_POINTS = {
    n: {o.grade_id: o.points for o in OBSERVATIONS if o.notebook == n}
    for n in NOTEBOOKS
    if any(o.notebook == n for o in OBSERVATIONS)
}
MAX_SCORE = {
    notebook: sum(points.values()) + sum(MANUAL_POINTS.get(notebook, {}).values())
    for notebook, points in POINTS.items()
}

MISTAKES = [
    # --- 02_application -------------------------------------------------------------------
    {
        "notebook": "02_application",
        "name": "flatten_scrambles_images",
        "grade_id": "flatten_answer",
        "source": '''
def flatten(images):
    """Flatten a batch of images into one column per image."""
    m = images.shape[0]
    return images.reshape(-1, m)
''',
        "hint": "fills each column with pixels of several images",
        "failing": ["flatten_tests"],
    },
    {
        "notebook": "02_application",
        "name": "normalize_by_data_maximum",
        "grade_id": "normalize_answer",
        "source": '''
def normalize(X):
    """Scale pixel values to [0, 1]."""
    return X / np.max(X)
''',
        "hint": "divides by the largest value of this data",
        "failing": ["normalize_tests"],
    },
    {
        "notebook": "02_application",
        "name": "two_layer_update_not_kept",
        "grade_id": "two_layer_model_answer",
        "source": '''
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    """Train LINEAR -> RELU -> LINEAR -> SIGMOID by gradient descent."""
    n_x, n_h, n_y = layers_dims
    costs = []
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs
''',
        "hint": "update_parameters returns a new dict, so keep what it",
        "failing": ["two_layer_model_tests"],
    },
    {
        "notebook": "02_application",
        "name": "mislabeled_row_indices",
        "grade_id": "mislabeled_indices_answer",
        "source": '''
def mislabeled_indices(p, y):
    """The columns where a prediction differs from its label."""
    return np.where(p != y)[0]
''',
        "hint": "those are row indices",
        "failing": ["mislabeled_indices_tests"],
    },
    # --- 03_classroom ---------------------------------------------------------------------
    {
        "notebook": "03_classroom",
        "name": "init_with_global_seed",
        "grade_id": "initialize_network_answer",
        "source": '''
def initialize_network(layer_dims, seed):
    """Initialize a network with Xavier weights and zero biases."""
    np.random.seed(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        scale = np.sqrt(1 / layer_dims[l - 1])
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * scale
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''',
        "hint": "it changed numpy's global random generator",
        "failing": ["initialize_network_tests"],
    },
    {
        "notebook": "03_classroom",
        "name": "forward_tanh_at_the_output",
        "grade_id": "forward_tanh_answer",
        "source": '''
def forward_tanh(X, parameters):
    """Forward pass: tanh in every layer."""
    L = len(parameters) // 2
    activations = [X]
    A = X
    for l in range(1, L + 1):
        A = np.tanh(np.dot(parameters["W" + str(l)], A) + parameters["b" + str(l)])
        activations.append(A)
    return A, activations
''',
        "hint": "the output layer is a sigmoid",
        "failing": ["forward_tanh_tests"],
    },
    {
        "notebook": "03_classroom",
        "name": "tanh_derivative_one_minus_A",
        "grade_id": "backward_tanh_answer",
        "source": '''
def backward_tanh(Y, parameters, activations):
    """Backward pass of the tanh network with a sigmoid output."""
    L = len(parameters) // 2
    m = Y.shape[1]
    grads = {}
    dZ = activations[L] - Y
    for l in range(L, 0, -1):
        A_prev = activations[l - 1]
        grads["dW" + str(l)] = (1 / m) * np.dot(dZ, A_prev.T)
        grads["db" + str(l)] = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = np.dot(parameters["W" + str(l)].T, dZ) * (1 - A_prev)
    return grads
''',
        "hint": "1 - A**2, not 1 - A",
        "failing": ["backward_tanh_tests"],
    },
    {
        "notebook": "03_classroom",
        "name": "train_until_without_max_iterations",
        "grade_id": "train_until_answer",
        "source": '''
def train_until(X, Y, parameters, learning_rate, cost_threshold, max_iterations):
    """Gradient descent while the cost is above the threshold (the homework's loop)."""
    costs = []
    iterations = 0
    cost = 100
    while cost > cost_threshold:
        AL, activations = forward_tanh(X, parameters)
        cost = float(compute_cost(AL, Y))
        costs.append(cost)
        if cost < cost_threshold:
            break
        grads = backward_tanh(Y, parameters, activations)
        parameters = update_parameters(parameters, grads, learning_rate)
        iterations += 1
    return parameters, costs, iterations
''',
        "hint": "the loop does not stop",
        "failing": ["train_until_tests"],
    },
    # --- 04_gradient_checking ---------------------------------------------------------------
    {
        "notebook": "04_gradient_checking",
        "name": "one_sided_difference",
        "grade_id": "centered_difference_answer",
        "source": '''
def centered_difference(J, theta, eps=1e-7):
    """Numeric gradient of J at theta, one entry at a time."""
    grad = np.zeros(theta.shape)
    for i in np.ndindex(theta.shape):
        theta_plus = theta.copy()
        theta_plus[i] = theta_plus[i] + eps
        grad[i] = (J(theta_plus) - J(theta)) / eps
    return grad
''',
        "hint": "that is the one-sided difference",
        "failing": ["centered_difference_tests"],
    },
    {
        "notebook": "04_gradient_checking",
        "name": "only_the_first_wrong_gradient",
        "grade_id": "wrong_gradients_answer",
        "source": 'wrong_gradients = {"dW1"}\n',
        "hint": "wrong gradient(s) are missing",
        "failing": ["wrong_gradients_tests"],
    },
    {
        "notebook": "04_gradient_checking",
        "name": "backward_pass_half_fixed",
        "grade_id": "backward_pass_answer",
        "source": '''
def backward_pass(AL, Y, cache):
    """Backward pass of the 3-layer network, with the 1/m of dW2 put back only."""
    m = Y.shape[1]
    A0, A1, A2 = cache["A0"], cache["A1"], cache["A2"]
    W2, W3 = cache["W2"], cache["W3"]

    dZ3 = AL - Y
    dW3 = (1 / m) * np.dot(dZ3, A2.T)
    db3 = (1 / m) * np.sum(dZ3, axis=1, keepdims=True)

    dA2 = np.dot(W3.T, dZ3)
    dZ2 = dA2 * (1 - A2**2)
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)

    dA1 = np.dot(W2.T, dZ2)
    dZ1 = dA1 * (1 - A1)
    dW1 = (1 / m) * np.dot(dZ1, A0.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)

    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}
''',
        "hint": "still what buggy_backward_pass computes",
        "failing": ["backward_pass_tests"],
    },
    {
        "notebook": "04_gradient_checking",
        "name": "backward_pass_not_fixed",
        "grade_id": "backward_pass_answer",
        "source": '''
def backward_pass(AL, Y, cache):
    """The buggy backward pass, handed in as it is."""
    return buggy_backward_pass(AL, Y, cache)
''',
        "hint": "still what buggy_backward_pass computes",
        "failing": ["backward_pass_tests"],
    },
]
