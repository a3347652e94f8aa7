"""The course's exercises, written once: the manifest.

One line per exercise, in the order the notebooks have the student write them:

    name       the function (or value) the student writes, e.g. "linear_forward";
               its answer cell is ``<name>_answer``, its graded test cell ``<name>_tests``
    notebook   the notebook it is in
    checks     the module of ``dl_utils.checks`` that holds ``check_<name>``
    points     what its graded test cell is worth
    upstream   the earlier exercises it calls: when it fails with the student's own
               versions of them, it is checked again with the course's, so an early
               bug costs its own exercise only
    allowed    the course functions it may call (an assembly exercise)
    stop_at    earlier exercises it calls that its check runs in the course's version
    mistakes   the classic mistakes its check recognizes with a hint of their own;
               each is planted, under this name, by a test (tests/test_manifest.py
               holds the two lists together)

The written observations graded by hand are in ``OBSERVATIONS``.

Everything else that lists exercises comes from here or is checked against it:
the exports of ``dl_utils.checks``, the notebooks' check imports and points, the
playground's functions and the tests' lists.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    """One exercise of the course (see the module's docstring for the fields)."""

    name: str
    notebook: str
    checks: str
    points: int
    upstream: tuple = ()
    allowed: tuple = ()
    stop_at: tuple = ()
    mistakes: tuple = ()

    @property
    def check_name(self):
        """The name of its check function, e.g. "check_linear_forward"."""
        return f"check_{self.name}"


@dataclass(frozen=True)
class Observation:
    """A written answer of a notebook, graded by hand (its cell's grade_id and points)."""

    grade_id: str
    notebook: str
    points: int


STEP = "01_step_by_step"
APPLICATION = "02_application"
CLASSROOM = "03_classroom"
GRADIENTS = "04_gradient_checking"

FORWARD = ("linear_forward", "sigmoid", "relu", "linear_activation_forward")
BACKWARD = ("sigmoid_backward", "relu_backward", "linear_backward", "linear_activation_backward")

_ALL = [
    # 01: the network, step by step
    Exercise("initialize_parameters", STEP, "initialization", 1,
             mistakes=("random_biases", "global_seed", "transposed_W1")),
    Exercise("initialize_parameters_deep", STEP, "initialization", 2,
             mistakes=("str1_for_strl", "zeros_initialization", "no_scale",
                       "new_generator_per_layer", "last_layer_missing",
                       "random_biases_from_the_global_generator")),
    Exercise("sigmoid", STEP, "forward", 1, mistakes=("exp_without_minus", "no_cache")),
    Exercise("relu", STEP, "forward", 1,
             mistakes=("np_max_for_np_maximum", "np_max_along_an_axis", "cache_is_A")),
    Exercise("linear_forward", STEP, "forward", 1,
             mistakes=("star_for_np_dot", "linear_cache_in_wrong_order", "no_bias",
                       "product_the_other_way_round")),
    Exercise("linear_activation_forward", STEP, "forward", 2, upstream=FORWARD[:3],
             mistakes=("layer_cache_in_wrong_order", "activations_swapped", "sigmoid_twice")),
    Exercise("L_model_forward", STEP, "forward", 2, upstream=FORWARD,
             mistakes=("sigmoid_applied_twice", "delegates_to_the_reference",
                       "relu_on_the_output_layer", "output_layer_missing",
                       "caches_in_reverse_order", "digit_one_for_the_loop_variable",
                       "L_is_the_length_of_parameters")),
    Exercise("compute_cost", STEP, "cost", 1,
             mistakes=("missing_1_over_m_in_cost", "np_dot_without_transpose", "no_squeeze",
                       "no_minus")),
    Exercise("sigmoid_backward", STEP, "backward", 1, upstream=("sigmoid",),
             mistakes=("np_dot_for_star", "cache_taken_for_A")),
    Exercise("relu_backward", STEP, "backward", 1,
             mistakes=("relu_backward_changes_dA", "np_dot_for_star", "mask_from_dA")),
    Exercise("linear_backward", STEP, "backward", 2,
             mistakes=("missing_keepdims", "missing_1_over_m_in_dW", "W_for_W_transposed",
                       "missing_1_over_m_in_db", "star_for_np_dot_in_dW",
                       "A_prev_not_transposed", "results_in_the_wrong_order",
                       "a_notebook_variable_for_m", "a_name_it_does_not_define")),
    Exercise("linear_activation_backward", STEP, "backward", 2, upstream=BACKWARD[:3],
             mistakes=("wrong_derivative", "cache_unpacked_in_the_wrong_order",
                       "derivative_skipped")),
    Exercise("L_model_backward", STEP, "backward", 3, upstream=BACKWARD,
             mistakes=("wrong_sign_of_dAL", "relu_for_the_output_layer", "dA_keys_off_by_one")),
    Exercise("update_parameters", STEP, "training", 1,
             mistakes=("update_changes_parameters_in_place", "plus_for_minus",
                       "arrays_changed_in_place")),
    Exercise("L_layer_model", STEP, "training", 3,
             upstream=("initialize_parameters_deep", "sigmoid", "relu", "linear_forward",
                       "linear_activation_forward", "L_model_forward", "compute_cost",
                       *BACKWARD, "L_model_backward", "update_parameters"),
             mistakes=("cost_recorded_every_iteration", "update_result_dropped",
                       "learning_rate_not_passed_on", "seed_not_passed_on")),
    # 02: the application on real images
    Exercise("flatten", APPLICATION, "application", 2,
             mistakes=("reshape_minus_one_m", "transpose_all_axes", "one_image_per_row",
                       "one_long_vector", "hard_coded_sizes", "divides_by_255",
                       "flatten_scrambles_images")),
    Exercise("normalize", APPLICATION, "application", 1,
             mistakes=("not_divided", "integer_division", "divides_by_the_data_maximum",
                       "standardizes", "divides_by_256", "in_place_on_uint8",
                       "normalize_by_data_maximum")),
    Exercise("two_layer_model", APPLICATION, "application", 4,
             allowed=("initialize_parameters", "linear_activation_forward", "compute_cost",
                      "linear_activation_backward", "update_parameters"),
             mistakes=("update_not_kept", "dA2_sign_flipped", "dZ2_given_as_dA2",
                       "sigmoid_hidden_layer", "default_learning_rate", "cost_every_iteration",
                       "another_seed", "no_keyword_arguments", "two_layer_update_not_kept")),
    Exercise("mislabeled_indices", APPLICATION, "application", 1,
             mistakes=("row_indices", "the_mask", "the_right_ones", "the_tuple", "unsorted",
                       "mislabeled_row_indices")),
    # 03: classroom experiments
    Exercise("initialize_network", CLASSROOM, "classroom", 2,
             mistakes=("global_seed", "scale_0_01", "he_scale", "scale_by_own_size",
                       "unscaled", "generator_per_layer", "default_rng", "random_biases",
                       "transposed_weights", "global_layer_sizes", "init_with_global_seed")),
    Exercise("forward_tanh", CLASSROOM, "classroom", 2,
             mistakes=("tanh_output", "relu_hidden", "sigmoid_hidden", "no_bias", "keeps_Z",
                       "no_A0", "W_after_A", "forward_tanh_at_the_output")),
    Exercise("backward_tanh", CLASSROOM, "classroom", 3,
             mistakes=("one_minus_A", "sigmoid_derivative", "sign", "no_1_over_m",
                       "no_keepdims", "W_for_W_T", "tanh_derivative_one_minus_A")),
    Exercise("train_until", CLASSROOM, "classroom", 3,
             allowed=("compute_cost", "update_parameters"),
             stop_at=("forward_tanh", "backward_tanh"),
             mistakes=("never_stops_at_the_threshold", "ignores_max_iterations",
                       "update_before_the_test", "update_not_kept", "updates_in_place",
                       "reads_global_data", "train_until_without_max_iterations")),
    # 04: gradient checking
    Exercise("centered_difference", GRADIENTS, "gradient_checking", 3,
             mistakes=("one_sided", "divides_by_eps", "all_entries_at_once",
                       "entries_never_put_back", "theta_not_put_back", "flattened_theta",
                       "one_number", "one_sided_difference")),
    Exercise("wrong_gradients", GRADIENTS, "gradient_checking", 2,
             mistakes=("only_the_first_wrong_gradient",)),
    Exercise("backward_pass", GRADIENTS, "gradient_checking", 3,
             mistakes=("bugs_left_as_they_are", "tanh_derivative_left", "sigmoid_derivatives",
                       "sign", "chain_skips_the_derivative", "no_keepdims",
                       "backward_pass_half_fixed", "backward_pass_not_fixed")),
]  # fmt: skip

EXERCISES = {exercise.name: exercise for exercise in _ALL}

OBSERVATIONS = [
    Observation("observation_alpha", CLASSROOM, 2),
    Observation("observation_init", CLASSROOM, 2),
    Observation("observation_depth", CLASSROOM, 2),
]

NOTEBOOKS = (STEP, APPLICATION, CLASSROOM, GRADIENTS)


def exercises_of(notebook):
    """The exercises of one notebook, in the order the student writes them."""
    return [exercise for exercise in _ALL if exercise.notebook == notebook]


def points_of(notebook):
    """{grade_id: points} of a notebook's graded cells (tests and observations)."""
    points = {f"{e.name}_tests": e.points for e in exercises_of(notebook)}
    points.update({o.grade_id: o.points for o in OBSERVATIONS if o.notebook == notebook})
    return points
