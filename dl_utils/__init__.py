"""dl_utils: a deep L-layer neural network in numpy, the reference for the course.

One shape convention everywhere, one example per column:

    X = A0   (n_x, m)          input data, m examples
    W{l}     (n[l], n[l-1])    weights of layer l = 1..L
    b{l}     (n[l], 1)         biases of layer l, broadcast over the m columns
    Z{l}, A{l}  (n[l], m)      pre-activations and activations of layer l
    AL, Y    (1, m)            predicted probabilities and 0/1 labels

Every gradient dW{l}, db{l}, dA{l}, dZ{l} has the shape of what it
differentiates. Every forward step returns (output, cache) and every backward
step takes (d_output, cache). No function changes its inputs or reseeds
numpy's global random generator. Bad input raises a ValueError that says what
is wrong and, where it can, why.
"""

from .activations import (
    ACTIVATIONS,
    leaky_relu,
    leaky_relu_backward,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    tanh,
    tanh_backward,
)
from .fast_training import GradientDescent, fast_L_layer_model
from .gradient_check import gradient_check, numerical_gradient, relative_error
from .initialization import (
    INITIALIZERS,
    initialize_parameters,
    initialize_parameters_deep,
)
from .layers import (
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
)
from .model import (
    L_model_backward,
    L_model_forward,
    accuracy,
    compute_cost,
    predict,
    update_parameters,
)
from .training import L_layer_model, two_layer_model

__version__ = "0.1.0"
