"""Exercise checks: what the notebooks' check cells and graded test cells call.

Each exercise has one function ``check_<name>(student_function, hidden=False)``.
The visible check prints what passed, property by property; the hidden tests
(``hidden=True``) run other shapes and seeds. Both raise ``CheckFailed`` (an
AssertionError) on the first problem, with a hint when the output matches a
classic mistake. The expected values are computed with dl_utils at that
moment, never pasted.

The step-by-step notebook's exercises, in the course's order:

    initialization   check_initialize_parameters, check_initialize_parameters_deep
    forward          check_sigmoid, check_relu, check_linear_forward,
                     check_linear_activation_forward, check_L_model_forward
    cost             check_compute_cost
    backward         check_sigmoid_backward, check_relu_backward, check_linear_backward,
                     check_linear_activation_backward, check_L_model_backward
    training         check_update_parameters, check_L_layer_model

The other notebooks' exercises:

    application      check_flatten, check_normalize, check_two_layer_model,
                     check_mislabeled_indices
    classroom        check_initialize_network, check_forward_tanh, check_backward_tanh,
                     check_train_until
    gradient check   check_centered_difference, check_wrong_gradients, check_backward_pass
"""

from .application import (
    check_flatten,
    check_mislabeled_indices,
    check_normalize,
    check_two_layer_model,
)
from .backward import (
    check_L_model_backward,
    check_linear_activation_backward,
    check_linear_backward,
    check_relu_backward,
    check_sigmoid_backward,
)
from .classroom import (
    check_backward_tanh,
    check_forward_tanh,
    check_initialize_network,
    check_train_until,
)
from .core import EXERCISES, CheckFailed, NotWrittenYet, take_snapshot
from .cost import check_compute_cost
from .forward import (
    check_L_model_forward,
    check_linear_activation_forward,
    check_linear_forward,
    check_relu,
    check_sigmoid,
)
from .gradient_checking import (
    check_backward_pass,
    check_centered_difference,
    check_wrong_gradients,
)
from .initialization import check_initialize_parameters, check_initialize_parameters_deep
from .training import check_L_layer_model, check_update_parameters

# Remember numpy's and dl_utils' functions now, after every check module is
# imported and before any student cell runs.
take_snapshot()
