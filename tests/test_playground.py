"""The playground without a browser: settings, training, statistics, and every control.

Setting a widget's value runs its observers at once, as a slider change from
the browser would; the work then runs in the playground's background thread,
and ``playground.wait()`` blocks until it is done.
"""

import html
import io
import json
import re
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dl_utils import ACTIVATIONS, INITIALIZERS, initialization, model
from dl_utils.datasets import TOY_DATASETS
from dl_utils.playground import Playground, Settings, figures, neurons
from dl_utils.playground import settings as settings_module
from dl_utils.playground.functions import NetworkFunctions, choose_functions
from dl_utils.playground.runner import Runner
from dl_utils.playground.statistics import describe, layer_statistics
from dl_utils.playground.trainer import CHUNK, FastTrainer, FunctionsTrainer, Network
from dl_utils.training import GradientDescent

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "notebooks" / "demos" / "playground.ipynb"
QUICK = "it=200"  # a short run, for tests that only need some training

pytestmark = pytest.mark.timeout(60)


def run_of(playground):
    """The data-run number and data-state of the status line."""
    found = re.search(r'data-run="(\d+)" data-state="(\w+)"', playground.status.value)
    return int(found.group(1)), found.group(2)


def status_text(playground):
    return re.sub(r"<[^>]+>", "", playground.status.value)


def shown(settings=QUICK, **options):
    """A playground trained once (as ``show()`` does, without a notebook to show it in)."""
    playground = Playground(settings=settings, **options)
    playground.retrain()
    assert playground.wait(), "the first run did not finish"
    return playground


# ----------------------------------------------------------------------------
# Settings and the settings string
# ----------------------------------------------------------------------------


def test_default_settings_are_the_issue_defaults():
    s = Settings()
    assert (s.n_samples, s.hidden_layers, s.units, s.iterations) == (300, 3, 8, 1000)
    assert s.layer_dims == [2, 8, 8, 8, 1]


def test_every_choice_of_dl_utils_is_offered():
    assert set(settings_module.INIT_LABELS) == set(INITIALIZERS)
    assert set(settings_module.ACTIVATION_LABELS) == set(ACTIVATIONS)
    assert set(settings_module.DATASET_LABELS) == set(TOY_DATASETS)


@pytest.mark.parametrize(
    "settings",
    [
        Settings(),
        Settings(learning_rate=0.0316, hidden_layers=0, init="zeros", dataset="classroom"),
        Settings(learning_rate=2.5, hidden_layers=6, units=32, activation="leaky_relu", seed=7),
        Settings(noise=0.0, test_fraction=0.5, iterations=20000, n_samples=20, dataset="spiral"),
    ],
)
def test_settings_string_round_trip(settings):
    text = settings.to_string()
    assert len(text) < 120, "the string should stay short enough to paste"
    assert Settings.from_string(text) == settings


def test_a_partial_string_keeps_the_defaults():
    s = Settings.from_string(" lr=0.3 ; layers=2x6; init=zeros ")
    assert s == Settings(learning_rate=0.3, hidden_layers=2, units=6, init="zeros")
    assert Settings.from_string("layers=0").layer_dims == [2, 1]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "a settings string looks like"),
        ("lr", "each part should be key=value"),
        ("lr=", "each part should be key=value"),
        ("speed=3", "unknown setting 'speed'"),
        ("lr=fast", "learning_rate should be a number"),
        ("lr=100", "learning_rate should be between"),
        ("layers=3by8", "layers should look like 3x8"),
        ("layers=9x8", "hidden_layers should be between 0 and 6"),
        ("init=ones", "unknown init 'ones'"),
        ("data=mnist", "unknown dataset 'mnist'"),
        ("it=10.5", "iterations should be a whole number"),
        ("it=inf", "iterations should be between"),
        ("it=nan", "iterations should be between"),
        ("split=1", "test_fraction should be between"),
        ("seed=3000000000", "seed should be between 0 and 2147483647,"),
        ("lr=0.1;it=50;lr=0.3", "lr is given twice ('lr=0.1' and 'lr=0.3'): keep one"),
        ("layers=2x4;layers=3x8", "layers is given twice"),
    ],
)
def test_bad_strings_give_a_clear_message(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Settings.from_string(text)


def test_settings_keep_four_significant_digits():
    """A slider may send back its value with other last digits: the settings stay the same."""
    assert Settings(learning_rate=0.31622776601683794) == Settings(learning_rate=0.3162)
    assert Settings(noise=0.07000000000000001).noise == 0.07


def test_settings_from_the_page_address():
    expected = Settings(learning_rate=0.3, hidden_layers=2, units=6, init="zeros")
    assert Settings.from_query("lr=0.3&layers=2x6&init=zeros") == expected
    assert Settings.from_query("lr%3D0.3%3Blayers%3D2x6;init=zeros") == expected, "encoded ;"
    assert Settings.from_query("theme=dark&lr=0.3&layers=2x6&init=zeros") == expected
    assert Settings.from_query("") == Settings()
    with pytest.raises(ValueError, match="unknown setting 'speed'"):
        Settings.from_query("speed=3")


def test_settings_rounded_to_the_sliders_steps_say_so():
    given = Settings.from_string("lr=0.3;n=55;noise=0.123;split=0.33;it=5")
    rounded, said = given.on_control_steps()
    assert rounded.learning_rate == pytest.approx(10**-0.5, rel=1e-3)
    assert (rounded.n_samples, rounded.noise, rounded.test_fraction) == (60, 0.12, 0.35)
    assert rounded.iterations == 10, "the iterations slider starts at 10"
    assert said == ["lr 0.3 -> 0.3162", "n 55 -> 60", "noise 0.123 -> 0.12",
                    "split 0.33 -> 0.35", "it 5 -> 10"]
    on_steps = Settings.from_string("lr=0.01;n=300;noise=0.1;split=0.25;it=1000")
    assert on_steps.on_control_steps() == (on_steps, [])


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="units should be between 1 and 32"):
        Settings(units=0)
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        Settings(activation="softmax")
    with pytest.raises(ValueError, match="seed should be a whole number"):
        Settings(seed=1.5)


# ----------------------------------------------------------------------------
# The network: data, chunked training, statistics
# ----------------------------------------------------------------------------


def reference_costs(network, num_iterations, every, on_test=False):
    """Costs from the course's reference functions on the network's data and start.

    on_test: the cost on the test set instead (the training still on the training set).
    """
    parameters, costs = network.start, []
    activation = network.settings.activation
    for i in range(num_iterations):
        AL, caches = model.L_model_forward(network.X_train, parameters, activation)
        if i % every == 0 and on_test:
            AL_test, _ = model.L_model_forward(network.X_test, parameters, activation)
            costs.append((i, float(model.compute_cost(AL_test, network.Y_test))))
        elif i % every == 0:
            costs.append((i, float(model.compute_cost(AL, network.Y_train))))
        grads = model.L_model_backward(AL, network.Y_train, caches, activation)
        parameters = model.update_parameters(parameters, grads, network.settings.learning_rate)
    return costs


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_network_trains_like_the_reference_functions(activation):
    network = Network(Settings(activation=activation, iterations=120))
    assert network.X_train.shape == (2, 225) and network.X_test.shape == (2, 75)
    assert network.train(120) == 120 and network.iteration == 120
    for costs, on_test in ((network.costs, False), (network.test_costs, True)):
        expected = reference_costs(network, 120, every=10, on_test=on_test)
        assert [i for i, _ in costs] == [i for i, _ in expected]
        assert np.allclose([c for _, c in costs], [c for _, c in expected], atol=1e-10)


def test_training_stops_within_one_chunk_when_asked():
    network = Network(Settings())
    calls = []

    def keep_going():
        calls.append(network.iteration)
        return len(calls) < 3

    network.train(1000, keep_going=keep_going)
    assert network.iteration == 2 * CHUNK, "two chunks, then the third check said stop"


def finite_iterations(settings, most):
    """How many single steps of GradientDescent run before a number stops being finite.

    An oracle for the playground's chunks, replays and winding back: one plain
    loop that checks the cost and the parameters after every step.
    """
    network = Network(settings)
    trainer = GradientDescent(
        network.X_train, network.Y_train, network.start, settings.learning_rate
    )
    with np.errstate(all="ignore"):
        for i in range(most):
            if not np.isfinite(trainer.step(record_cost=True)):
                return i - 1
            if not all(np.isfinite(v).all() for v in trainer.parameters.values()):
                return i
    return most


@pytest.mark.parametrize("text", ["lr=10;layers=6x32;init=he", "lr=0.1;layers=6x32;init=large"])
def test_divergence_stops_at_the_last_finite_iteration(text):
    network = Network(Settings.from_string(text))
    network.train(1000)
    expected = finite_iterations(network.settings, 1000)
    assert expected < 1000, "these settings should diverge"
    assert network.iteration == network.diverged_at == expected
    assert network.diverged.startswith(f"diverged at iteration {expected}: ")
    assert "is too large for this network" in network.diverged
    assert all(np.isfinite(v).all() for v in network.parameters.values())
    stats = network.statistics()
    assert len(stats) == 7, "the table of the network that diverged: 6 hidden layers, 1 output"


def test_statistics_show_symmetry_for_zeros_init():
    network = Network(Settings(init="zeros", activation="sigmoid"))
    network.train(200)
    stats = network.statistics()
    assert [s.identical for s in stats] == [True, True, True, False]
    assert any("all 8 units identical" in sentence for sentence in describe(stats))


def test_statistics_tell_vanishing_from_exploding_and_healthy():
    def notes(init, activation="relu"):
        network = Network(Settings(init=init, activation=activation, hidden_layers=5))
        return [set(s.notes) for s in network.statistics(network.start)]

    assert all("vanishing" in n for n in notes("random")), "x0.01 in 5 layers: tiny gradients"
    assert any("exploding" in n for n in notes("large")), "x10 with ReLU: huge values"
    assert any("saturated" in n for n in notes("large", "tanh")), "x10 with tanh: saturated"
    assert notes("he") == [set()] * 6, "He init: nothing to report"


def test_identical_means_identical():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 30)), (rng.random((1, 30)) > 0.5).astype(float)
    parameters = initialization.initialize_parameters_deep([2, 4, 1], seed=0, init="he")
    assert not layer_statistics(X, Y, parameters, "tanh")[0].identical
    parameters["W1"][:] = parameters["W1"][0]  # every unit gets the first unit's weights
    assert layer_statistics(X, Y, parameters, "tanh")[0].identical


# ----------------------------------------------------------------------------
# The student's functions
# ----------------------------------------------------------------------------

REFERENCE = {
    "initialize_parameters_deep": initialization.initialize_parameters_deep,
    "L_model_forward": model.L_model_forward,
    "compute_cost": model.compute_cost,
    "L_model_backward": model.L_model_backward,
    "update_parameters": model.update_parameters,
}


def test_reference_only_without_functions():
    chosen = choose_functions(None)
    assert chosen.uses_reference_only and chosen.notices == []


def test_working_functions_are_all_used():
    chosen = choose_functions(dict(REFERENCE))
    assert chosen.own == tuple(REFERENCE) and chosen.notices == []


def test_missing_and_wrong_functions_fall_back_with_a_reason():
    def update_upwards(parameters, grads, learning_rate):  # + instead of -
        return {k: v + learning_rate * grads["d" + k] for k, v in parameters.items()}

    def broken_forward(X, parameters):
        raise KeyError("W0")

    student = dict(REFERENCE, update_parameters=update_upwards, L_model_forward=broken_forward)
    del student["compute_cost"]
    chosen = choose_functions(student)
    assert chosen.own == ("initialize_parameters_deep", "L_model_backward")
    assert chosen.compute_cost is model.compute_cost
    assert chosen.update_parameters is model.update_parameters
    text = " ".join(chosen.notices)
    assert "compute_cost is not defined" in text
    assert "update_parameters gives another W1 than the reference" in text
    assert "L_model_forward raised KeyError" in text


def test_student_functions_train_like_the_fast_path():
    def student_init(layer_dims, seed=3):  # the notebook's signature: x0.01 only
        return initialization.initialize_parameters_deep(layer_dims, seed=seed)

    def relu_forward(X, parameters):  # the notebook's signature: ReLU only
        return model.L_model_forward(X, parameters)

    def relu_backward(AL, Y, caches):
        return model.L_model_backward(AL, Y, caches)

    student = dict(
        REFERENCE,
        initialize_parameters_deep=student_init,
        L_model_forward=relu_forward,
        L_model_backward=relu_backward,
    )
    settings = Settings(init="random", learning_rate=1.0, hidden_layers=1, iterations=200)
    theirs = Network(settings, choose_functions(student))
    ours = Network(settings)
    assert isinstance(theirs.trainer, FunctionsTrainer) and isinstance(ours.trainer, FastTrainer)
    theirs.train(200)
    ours.train(200)
    costs = [c for _, c in theirs.costs]
    assert costs[-1] < costs[0] - 0.01, "the comparison should cover some learning"
    assert np.allclose(costs, [c for _, c in ours.costs], atol=1e-10)
    assert theirs.notices == []

    tanh_he = Network(settings.replace(activation="tanh", init="he"), choose_functions(student))
    assert isinstance(tanh_he.trainer, FastTrainer)
    assert any("tanh runs on the reference" in n for n in tanh_he.notices)
    assert any('"he" initialization comes from the reference' in n for n in tanh_he.notices)


def test_playground_says_which_functions_it_runs_on():
    student = dict(REFERENCE)
    del student["L_model_backward"]
    playground = shown(functions=student)
    notice = playground.notice.value
    assert "Training with your functions: initialize_parameters_deep, L_model_forward" in notice
    assert "Fell back to the reference: L_model_backward is not defined" in notice
    assert run_of(playground)[1] == "done"
    assert "Training with the reference functions" in Playground().notice.value


def test_network_functions_defaults_are_the_reference():
    assert NetworkFunctions().L_model_forward is model.L_model_forward


# ----------------------------------------------------------------------------
# The runner: the newest request only
# ----------------------------------------------------------------------------


def test_a_new_request_stops_the_stale_one_and_nothing_queues():
    runner = Runner()
    started, finished, ran = threading.Event(), [], []

    def long_job(generation):
        started.set()
        for _ in range(2000):
            if not runner.is_current(generation):
                finished.append("stopped")
                return
            time.sleep(0.001)
        finished.append("completed")

    runner.submit(long_job)
    assert started.wait(5)
    for k in range(5):  # five requests while the long job runs: only the last should run
        runner.submit(lambda generation, k=k: ran.append(k))
    assert runner.wait(10)
    assert finished == ["stopped"]
    assert ran == [4]


def test_a_failing_job_is_reported_and_the_runner_goes_on():
    errors, ran = [], []
    runner = Runner(on_error=lambda generation, error, details: errors.append(error))
    runner.submit(lambda generation: 1 / 0)
    runner.wait(5)
    runner.submit(lambda generation: ran.append(generation))
    runner.wait(5)
    assert isinstance(errors[0], ZeroDivisionError) and ran == [2]


# ----------------------------------------------------------------------------
# The widget: every control, the buttons, the string, grading
# ----------------------------------------------------------------------------


def test_nothing_trains_at_construction():
    playground = Playground()
    assert playground.network is None and not playground.runner.started
    assert playground.picture.value == b""
    assert run_of(playground) == (0, "ready")


def test_status_line_reports_cost_accuracies_and_times():
    playground = shown()
    assert run_of(playground) == (1, "done")
    assert re.fullmatch(
        r"cost \d+\.\d{3} \| train \d+\.\d% \| test \d+\.\d% \| "
        r"trained 200 it in \d+ ms, drawn in \d+ ms",
        status_text(playground),
    ), status_text(playground)


# control name -> (a new value, a check of the model it must give)
CONTROL_EFFECTS = {
    "learning_rate": (1.0, lambda n: n.trainer.learning_rate == 1.0),
    "hidden_layers": (5, lambda n: n.trainer.L == 6),
    "units": (12, lambda n: n.parameters["W1"].shape == (12, 2)),
    "init": ("zeros", lambda n: not any(v.any() for v in n.start.values())),
    "activation": ("tanh", lambda n: n.trainer.hidden_activation == "tanh"),
    "dataset": ("classroom", lambda n: n.X_train.max() > 3),
    "n_samples": (100, lambda n: n.X_train.shape[1] + n.X_test.shape[1] == 100),
    "noise": (0.5, lambda n: n.settings.noise == 0.5),
    "test_fraction": (0.5, lambda n: n.X_test.shape[1] == 150),
    "iterations": (300, lambda n: n.iteration == 300),
    "seed": (5, lambda n: not np.array_equal(n.start["W1"], Network(Settings()).start["W1"])),
}


@pytest.mark.parametrize("name", list(CONTROL_EFFECTS))
def test_each_control_retrains_and_redraws(name):
    playground = shown()
    before_picture, before_noise = playground.picture.value, playground.network.X_train.copy()
    value, check = CONTROL_EFFECTS[name]
    playground.controls[name].value = value
    assert playground.wait()
    network = playground.network
    assert getattr(network.settings, name) == value
    assert check(network), f"the {name} control did not change the model as expected"
    assert run_of(playground) == (2, "done"), "one change, one more run"
    assert playground.picture.value != before_picture, "the picture should change"
    assert playground.settings_text.value == network.settings.to_string()
    if name == "noise":
        assert not np.allclose(network.X_train, before_noise)


def boundary_color(playground, x1, x2):
    """The RGB color of the picture at the data point (x1, x2)."""
    figure = playground.boundary
    image = Image.open(io.BytesIO(playground.picture.value)).convert("RGB")
    assert image.size == figure.canvas.get_width_height()
    px, py = figure.axes.transData.transform((x1, x2))
    return np.array(image.getpixel((int(px), int(image.size[1] - py))), dtype=int)


def test_the_picture_shows_what_the_network_learned():
    playground = shown("lr=1;it=500")
    assert playground.network.accuracies()[0] > 0.95
    inside, outside = boundary_color(playground, 0.0, 0.05), boundary_color(playground, 1.4, -1.4)
    assert inside[2] > inside[0] + 40, f"the inner circle (class 1) should be blue, got {inside}"
    assert outside[0] > outside[2] + 40, f"the corner (class 0) should be red, got {outside}"


def test_zeros_init_shows_the_symmetric_failure():
    playground = shown()
    playground.controls["init"].value = "zeros"
    assert playground.wait()
    table = playground.statistics.value
    assert table.count("all 8 units identical") >= 3, "one sentence per hidden layer"
    assert "train 100.0%" not in status_text(playground)
    playground.controls["init"].value = "he"
    assert playground.wait()
    assert "identical" not in playground.statistics.value


def under_way(playground):
    """Start a run and return its network once it has trained a little."""
    playground.retrain()
    for _ in range(1000):
        network = playground.network
        if network is not None and network.iteration > 0:
            return network
        time.sleep(0.005)
    raise AssertionError("the run did not start")


def test_a_change_during_training_stops_the_stale_run():
    playground = Playground(settings="it=20000")
    long_run = under_way(playground)
    playground.controls["iterations"].value = 100
    at_change = long_run.iteration
    assert playground.wait()
    assert long_run.iteration < 20000, "the stale run should have stopped"
    assert long_run.iteration <= at_change + 2 * CHUNK, "and within about one chunk"
    assert playground.network is not long_run and playground.network.iteration == 100


def test_many_changes_in_a_row_draw_only_the_newest():
    playground = shown("it=5000")
    finished = []
    playground.status.observe(
        lambda change: (
            finished.append(change["new"]) if 'data-state="done"' in change["new"] else 0
        ),
        names="value",
    )
    for k in range(10):
        playground.controls["learning_rate"].value = 0.05 + 0.01 * k
    assert playground.wait()
    assert len(finished) == 1, "stale runs must not be drawn"
    assert run_of(playground) == (11, "done")
    assert playground.network.settings.learning_rate == pytest.approx(0.14)


def test_step_train_and_reset_buttons():
    playground = shown()
    playground.buttons["step"].click()
    assert playground.wait()
    assert playground.network.iteration == 225
    playground.buttons["train"].click()  # already at the set iterations: that many more
    assert playground.wait()
    assert playground.network.iteration == 425
    playground.buttons["reset"].click()
    assert playground.wait()
    assert playground.network.iteration == 0 and run_of(playground)[1] == "ready"
    assert "reset: iteration 0" in status_text(playground)


def test_pause_stops_and_train_goes_on():
    playground = Playground(settings="it=5000")
    under_way(playground)
    playground.buttons["pause"].click()
    assert playground.wait()
    paused_at = playground.network.iteration
    assert run_of(playground)[1] == "paused" and 0 < paused_at < 5000
    assert f"paused at iteration {paused_at} of 5000" in status_text(playground)
    playground.buttons["train"].click()
    assert playground.wait()
    assert playground.network.iteration == 5000 and run_of(playground)[1] == "done"


def test_live_view_draws_frames_while_training():
    playground = shown("it=3000", live=True)
    frames = []
    playground.picture.observe(lambda change: frames.append(change["new"]), names="value")
    states = []
    playground.status.observe(lambda change: states.append(change["new"]), names="value")
    playground.retrain()
    assert playground.wait()
    assert len(frames) >= 3, "several frames for one run"
    assert sum('data-state="training"' in s for s in states) >= 2
    assert 'data-state="done"' in states[-1]


def test_copy_and_restore_the_settings():
    playground = shown()
    playground.controls["init"].value = "xavier"
    playground.controls["hidden_layers"].value = 2
    assert playground.wait()
    copied = playground.settings_text.value
    assert "init=xavier" in copied and "layers=2x8" in copied
    assert Playground(settings=copied).settings == playground.settings

    other = shown()
    runs = run_of(other)[0]
    other.settings_text.value = copied
    other.buttons["restore"].click()
    assert other.wait()
    assert other.settings == playground.settings
    assert other.controls["init"].value == "xavier" and other.controls["hidden_layers"].value == 2
    assert run_of(other)[0] == runs + 1, "a restore retrains once, not once per control"

    assert "Settings restored." in html.unescape(other.restore_message.value)

    other.settings_text.value = "lr=0.1;init=ones"
    other.buttons["restore"].click()
    assert other.wait()
    message = html.unescape(other.restore_message.value)
    assert "Could not restore the settings: unknown init 'ones'" in message
    assert other.settings == playground.settings, "a bad string changes nothing"
    assert run_of(other)[0] == runs + 1, "and trains nothing"


def test_restore_says_what_it_rounded_and_trains_once():
    playground = shown()
    runs = run_of(playground)[0]
    assert playground.restore("lr=0.3;n=55;it=200")
    assert playground.wait()
    assert run_of(playground)[0] == runs + 1
    message = html.unescape(playground.restore_message.value)
    assert "Rounded to the sliders' steps: lr 0.3 -> 0.3162, n 55 -> 60." in message, message
    assert playground.settings.learning_rate == 0.3162
    assert playground.controls["n_samples"].value == 60
    # the slider sends the value back with other last digits: nothing new to train
    playground.controls["learning_rate"].value = 10**-0.5
    assert playground.wait() and run_of(playground)[0] == runs + 1

    assert not playground.restore("lr=0.1;lr=0.2")
    message = html.unescape(playground.restore_message.value)
    assert "lr is given twice ('lr=0.1' and 'lr=0.2'): keep one" in message
    assert run_of(playground)[0] == runs + 1


def test_the_page_address_gives_the_settings(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "lr=0.3&layers=2x6&init=zeros")
    playground = Playground()
    assert playground.settings == Settings(learning_rate=0.3162, hidden_layers=2, units=6,
                                           init="zeros")
    assert playground.controls["hidden_layers"].value == 2

    monkeypatch.setenv("QUERY_STRING", "layers=9x8")
    playground = Playground()
    assert playground.settings == Settings()
    message = html.unescape(playground.restore_message.value)
    assert "The page's address ?layers=9x8 was not used: hidden_layers should be between" in message


def test_under_voila_a_link_gives_these_settings(monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    playground = shown("lr=0.3162;layers=2x6")
    link = re.search(r'href="\?([^"]+)"', playground.restore_message.value).group(1)
    assert Settings.from_query(html.unescape(link)) == playground.settings


def test_inert_under_grading(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    playground = Playground()
    playground.show()
    playground.retrain()
    playground.train()
    assert playground.widget is None and not hasattr(playground, "runner")
    assert playground.wait()
    assert "off while nbgrader runs" in capsys.readouterr().out


# ----------------------------------------------------------------------------
# The demo notebook
# ----------------------------------------------------------------------------


def test_demo_notebook_is_committed_without_outputs():
    notebook = json.loads(DEMO.read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_demo_notebook_is_inert_under_grading(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    notebook = json.loads(DEMO.read_text())
    namespace = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), namespace)
    assert namespace["playground"].widget is None
    assert "off while nbgrader runs" in capsys.readouterr().out


def test_demo_notebook_settings_strings_are_valid():
    text = "".join("".join(c["source"]) for c in json.loads(DEMO.read_text())["cells"])
    strings = re.findall(r"`((?:[a-z]+=[^;`\s]+;?)+)`", text)
    assert len(strings) >= 8
    for string in strings:
        Settings.from_string(string)


# ----------------------------------------------------------------------------
# The student's functions, as written in the step-by-step notebook
# ----------------------------------------------------------------------------

STEP_BY_STEP = ROOT / "notebooks" / "source" / "01_step_by_step" / "01_step_by_step.ipynb"
SOLUTION = re.compile(r"### BEGIN SOLUTION.*?### END SOLUTION", re.S)


def notebook_functions(solved):
    """The namespace of the step-by-step notebook's function cells.

    solved: True runs the solutions; False runs what students receive (each
    solution replaced by ``raise NotImplementedError()``, as nbgrader does).
    """
    namespace = {"np": np}
    for cell in json.loads(STEP_BY_STEP.read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and source.startswith("def "):
            if not solved:
                source = SOLUTION.sub("raise NotImplementedError()", source)
            exec(source, namespace)
    return namespace


def test_runs_on_the_step_by_step_notebooks_functions():
    playground = shown(
        "init=random;layers=1x8;lr=1;it=200", functions=notebook_functions(solved=True)
    )
    assert playground.functions.own == tuple(REFERENCE), playground.functions.notices
    assert isinstance(playground.network.trainer, FunctionsTrainer)
    assert "Training with your functions" in playground.notice.value
    assert "Fell back" not in playground.notice.value
    reference = Network(playground.settings)
    reference.train(200)
    costs = [c for _, c in playground.network.costs]
    assert np.allclose(costs, [c for _, c in reference.costs], atol=1e-10)


def test_unsolved_notebook_functions_fall_back_to_the_reference():
    playground = shown(functions=notebook_functions(solved=False))
    assert playground.functions.uses_reference_only
    notice = html.unescape(playground.notice.value)
    for name in REFERENCE:
        assert f"{name} raised NotImplementedError" in notice, name
    assert run_of(playground)[1] == "done" and playground.network.accuracies()[0] > 0.9


def test_train_on_changed_settings_trains_the_new_network_to_its_own_target():
    """Train pressed before new settings were retrained: the new network stops at its own count."""
    playground = shown("it=200")
    assert playground.network.iteration == 200
    playground.settings = Settings.from_string("it=100")  # as a slider does, before its retrain ran
    playground.train()
    assert playground.wait()
    assert playground.network.iteration == 100


# ----------------------------------------------------------------------------
# Whatever the controls allow: a lesson, never a Python error
# ----------------------------------------------------------------------------

EXTREME_NETWORKS = [
    f"lr=10;layers={layers};init={init};act={act};it=100"
    for layers in ("0", "6x1", "6x32")
    for init in settings_module.INIT_LABELS
    for act in settings_module.ACTIVATION_LABELS
]
EXTREME_DATA = [
    f"data={data};n={n};split={split};noise=1;lr=0.0001;it=10"
    for data in settings_module.DATASET_LABELS
    for n in (20, 1000)
    for split in (0.05, 0.9)
]


def test_every_extreme_setting_ends_done_or_diverged():
    playground = shown()
    for text in EXTREME_NETWORKS + EXTREME_DATA:
        assert playground.restore(text), html.unescape(playground.restore_message.value)
        assert playground.wait(), text
        state = run_of(playground)[1]
        assert state in ("done", "diverged"), f"{text}: {status_text(playground)}"
        if state == "diverged":
            assert status_text(playground).startswith("diverged at iteration"), text
        layers = playground.settings.hidden_layers
        assert playground.statistics.value.count('class="pg-layer"') == layers + 1, text


def test_a_diverged_run_shows_the_lesson_and_its_own_table():
    playground = shown()  # a 3x8 network first
    playground.restore("lr=10;layers=6x32;init=he")
    assert playground.wait()
    assert run_of(playground)[1] == "diverged"
    text = status_text(playground)
    assert re.match(r"diverged at iteration \d+: the updates grew the weights", text), text
    assert "error" not in text.lower()
    assert playground.statistics.value.count('class="pg-layer"') == 7, "the 6x32 network's table"
    assert playground.picture.value and playground.network_picture.value


# ----------------------------------------------------------------------------
# Busy, first frame, live view
# ----------------------------------------------------------------------------


def test_a_long_run_shows_that_it_is_training_and_then_its_result():
    playground = shown()
    states, pictures = [], []
    playground.status.observe(lambda change: states.append(change["new"]), names="value")
    playground.picture.observe(
        lambda change: pictures.append(playground.network.iteration), names="value"
    )
    playground.controls["iterations"].value = 20000
    assert 'data-state="training"' in playground.status.value, "at once, before any work"
    assert "pg-busy" in playground.widget._dom_classes, "the pictures are marked busy"
    assert playground.wait()
    assert "pg-busy" not in playground.widget._dom_classes
    assert run_of(playground) == (2, "done")
    assert sum('data-state="training"' in s for s in states) >= 2, "progress lines while training"
    assert 0 < pictures[0] < 20000, f"a first frame while the run goes on: {pictures}"
    assert pictures[-1] == 20000, "and the final picture after it"


def test_live_view_is_never_dimmed():
    playground = shown(live=True)
    playground.controls["iterations"].value = 3000
    assert "pg-busy" not in playground.widget._dom_classes
    assert playground.wait()


def test_live_view_updates_the_layer_table():
    playground = shown("it=3000", live=True)
    tables = []
    playground.statistics.observe(lambda change: tables.append(change["new"]), names="value")
    playground.retrain()
    assert playground.wait()
    headers = set(re.findall(r"std\(A\) it (\d+)", "".join(tables)))
    assert len(headers) >= 3, f"the table should follow the iterations, got {sorted(headers)}"
    assert "3000" in headers


# ----------------------------------------------------------------------------
# The plots: large text, nothing clipped, no line over the legend
# ----------------------------------------------------------------------------


def drawn_figures(it=1000, costs_up_to=0.7):
    boundary, cost = figures.BoundaryFigure(), figures.CostFigure()
    network = Network(Settings(iterations=it))
    boundary.draw(np.full((1, figures.GRID**2), 0.5)) if boundary.show_data(
        network.X_train, network.Y_train, network.X_test, network.Y_test
    ) is not None else None
    pairs = [(0, costs_up_to), (it // 2, costs_up_to / 2)]
    cost.draw(pairs, pairs, it)
    return boundary, cost


@pytest.mark.parametrize("it, top", [(10, 0.7), (1000, 0.7), (20000, 30.0)])
def test_no_text_of_the_plots_is_clipped(it, top):
    for figure in drawn_figures(it, top):
        width, height = figure.canvas.get_width_height()
        drawn = figure.axes.get_tightbbox(figure.canvas.get_renderer())  # labels, ticks, legend
        assert drawn.x0 >= 0 and drawn.y0 >= 0, f"cut off at the left or the bottom: {drawn}"
        assert drawn.x1 <= width and drawn.y1 <= height, f"cut off at the right or the top: {drawn}"
        renderer = figure.canvas.get_renderer()
        for axis in (figure.axes.xaxis, figure.axes.yaxis):
            boxes = [t.get_window_extent(renderer) for t in axis.get_ticklabels()
                     if t.get_text() and figure.axes.get_window_extent(renderer).x0 - 60 <=
                     t.get_window_extent(renderer).x0 <= width]
            for a, b in zip(boxes, boxes[1:]):
                assert not a.overlaps(b), f"tick labels run into each other: {a}, {b}"


def test_the_plots_text_is_large():
    for figure in drawn_figures():
        for text in figure.figure.findobj(lambda a: hasattr(a, "get_fontsize")):
            if text.get_visible() and text.get_text().strip():
                px = text.get_fontsize() * figures.DPI / 72
                assert px >= 17, f"{text.get_text()!r} is {px:.0f} px"


def test_no_cost_line_runs_over_the_legend():
    for figure in drawn_figures():
        renderer = figure.canvas.get_renderer()
        legend = figure.legend.get_window_extent(renderer)
        plot = figure.axes.get_window_extent(renderer)
        assert legend.y0 >= plot.y1 - 1, "the legend sits above the plotting area"


# ----------------------------------------------------------------------------
# The network, neuron by neuron
# ----------------------------------------------------------------------------


def drawn_diagram(network):
    boundary = figures.BoundaryFigure()
    network.evaluate_on(
        boundary.show_data(network.X_train, network.Y_train, network.X_test, network.Y_test)
    )
    diagram = neurons.NetworkDiagram()
    png = diagram.draw(
        neurons.on_tile_grid(network.grid_activations(), figures.GRID),
        network.parameters,
        network.settings.activation,
    )
    return diagram, np.array(Image.open(io.BytesIO(png)).convert("RGB"))


def tile_pixels(diagram, pixels, layer):
    return [pixels[y0 : y0 + side, x0 : x0 + side] for x0, y0, side in diagram.boxes[layer]]


def test_every_unit_has_a_tile_and_every_weight_a_link():
    network = Network(Settings(hidden_layers=2, units=5))
    diagram, _ = drawn_diagram(network)
    assert [t.shape for t in diagram.tiles] == [(n, neurons.TILE, neurons.TILE) for n in
                                               (2, 5, 5, 1)]
    assert len(diagram.links) == 2 * 5 + 5 * 5 + 5 * 1
    boxes = [box for layer in diagram.boxes for box in layer]
    for k, (x0, y0, side) in enumerate(boxes):  # no two tiles overlap
        for x1, y1, side1 in boxes[k + 1 :]:
            assert x0 + side <= x1 or x1 + side1 <= x0 or y0 + side <= y1 or y1 + side1 <= y0


def test_a_tile_is_the_units_activation_over_the_plane():
    network = Network(Settings(hidden_layers=1, units=3, activation="tanh"))
    diagram, _ = drawn_diagram(network)
    # unit 0 of layer 1 at the plane's corner points, from the reference functions
    grid = network.grid.reshape(2, figures.GRID, figures.GRID)[:, :: 4, :: 4].reshape(2, -1)
    A1 = np.tanh(network.parameters["W1"] @ grid + network.parameters["b1"])
    assert np.allclose(diagram.tiles[1].reshape(3, -1), A1)


def test_zeros_init_gives_identical_tiles():
    network = Network(Settings(init="zeros", activation="sigmoid"))
    network.train(200)
    diagram, pixels = drawn_diagram(network)
    for layer in (1, 2, 3):
        tiles = diagram.tiles[layer]
        assert np.ptp(tiles, axis=0).max() == 0, f"layer {layer}: the units differ"
        drawn = tile_pixels(diagram, pixels, layer)
        assert all(np.array_equal(drawn[0], d) for d in drawn), "and they are drawn the same"
    he, _ = drawn_diagram(Network(Settings(init="he", activation="sigmoid")))
    assert np.ptp(he.tiles[1], axis=0).max() > 0.1, "with He init the units differ"


def test_dead_relu_units_are_flat_tiles():
    network = Network(Settings(hidden_layers=2, units=4))
    W, b = network.trainer.W, network.trainer.b
    W[1][:2] = 0.01 * W[1][:2]
    b[1][:2] = -5.0  # units 0 and 1 of layer 1: negative on the whole plane
    diagram, pixels = drawn_diagram(network)
    tiles = diagram.tiles[1]
    assert "dead" not in network.statistics()[0].notes, "half the units: not the layer's note"
    for unit in (0, 1):
        assert np.ptp(tiles[unit]) == 0, f"dead unit {unit} should be flat"
        drawn = tile_pixels(diagram, pixels, 1)[unit]
        assert (drawn == drawn[0, 0]).all(), "and drawn in one colour"
    assert min(np.ptp(tiles[unit]) for unit in (2, 3)) > 0.1, "the live units are not flat"


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_large_init_gives_saturated_tiles(activation):
    def saturated_share(init):
        diagram, _ = drawn_diagram(Network(Settings(init=init, activation=activation)))
        return [np.mean(np.abs(t) > 0.98) for t in diagram.tiles[1:-1]]

    assert min(saturated_share("large")) > 0.6, "x10: most of every tile at a flat end"
    assert max(saturated_share("xavier")) < 0.25, "Xavier: mostly in between"


def test_links_show_the_weights_sign_and_size():
    boxes = neurons.node_boxes([2, 2, 1])
    parameters = {"W1": np.array([[1.0, -0.5], [0.1, 0.0]]), "W2": np.array([[-2.0, 2.0]])}
    links = {(x0, y0, x1, y1): (width, rgb) for x0, y0, x1, y1, width, rgb in
             neurons.link_drawing(parameters, boxes)}

    def link(l, i, j):
        (xa, ya, sa), (xb, yb, sb) = boxes[l - 1][j], boxes[l][i]
        return links[(xa + sa, ya + sa // 2, xb, yb + sb // 2)]

    strong, half, weak, zero = link(1, 0, 0), link(1, 0, 1), link(1, 1, 0), link(1, 1, 1)
    assert strong[0] > half[0] > zero[0] and strong[0] > weak[0]
    assert strong[1][2] > strong[1][0], "positive: blue"
    assert half[1][0] > half[1][2], "negative: orange"
    assert zero[1][0] == zero[1][1] == zero[1][2], "zero: grey"
    assert link(2, 0, 0)[0] == link(2, 0, 1)[0], "the same size, the same width"
