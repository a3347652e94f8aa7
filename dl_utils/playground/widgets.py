"""The playground: sliders that retrain a network and redraw its decision boundary.

    from dl_utils.playground import Playground
    Playground().show()

Every control change retrains the network from its initial parameters and
redraws the pictures: the decision boundary, the cost curves, the network
neuron by neuron and the layer table. The work runs in a background thread
(see runner.py), so the kernel keeps receiving slider changes while it trains,
and a new change stops a stale run within one chunk of iterations. A first
frame is drawn early (after FIRST_FRAME_AFTER seconds of training), the final
one when the run ends; in between the status line says "training" and, after
0.3 s, the pictures are dimmed.

Nothing trains when the object is made: the first run starts with ``show()``
(or ``retrain()``), and under nbgrader (the environment variable
NBGRADER_EXECUTION set) the playground stays off altogether.
"""

import html
import os
import threading
import time
from urllib.parse import quote

from ..training import under_grading
from .controls import arrange, make_controls, make_parts
from .figures import GRID, BoundaryFigure, CostFigure
from .functions import choose_functions
from .neurons import NetworkDiagram, on_tile_grid
from .panels import statistics_html, status_html, status_text
from .runner import Runner
from .settings import Settings
from .trainer import Network

STEP_ITERATIONS = 25  # what the Step button runs
FRAME_INTERVAL = 0.04  # seconds between two live frames (at most 25 a second)
FIRST_FRAME_AFTER = 0.02  # seconds of training before the first frame of a run
PROGRESS_INTERVAL = 0.25  # seconds between two "training..." lines with the live view off


class Playground:
    """A widget panel that trains a small network on a 2-D toy set as its sliders move.

    settings: a ``Settings`` or a settings string ("lr=0.1;layers=3x8;...") to
        start from; None reads them from the page's address under Voila
        (``?lr=0.3&layers=2x6``), or gives the defaults.
    functions: None to train with the reference, or the student's namespace
        (``globals()``, a dict or a module) holding initialize_parameters_deep,
        L_model_forward, compute_cost, L_model_backward and update_parameters;
        those that are missing or wrong are replaced by the reference, and the
        notice above the pictures says which.
    live: start with the live view on (frames drawn while training runs).
    """

    def __init__(self, settings=None, functions=None, live=False):
        address_problem = None
        if settings is None:
            settings, address_problem = _settings_of_the_address()
        elif isinstance(settings, str):
            settings = Settings.from_string(settings)
        self.settings, _ = settings.on_control_steps()
        self.active = not under_grading()
        self.widget = None
        if not self.active:
            return
        self.functions = choose_functions(functions)
        self.boundary, self.cost_figure = BoundaryFigure(), CostFigure()
        self.diagram = NetworkDiagram()
        self.runner = Runner(on_error=self._report_error)
        self.network = None  # made and used by the worker thread only
        self.target = 0  # the iteration the current run trains up to
        self.start_statistics = None
        self._restoring = False
        self._publishing = threading.Lock()  # one status line at a time, the newest run's
        self._build(live)
        if address_problem:
            self._restore_message(address_problem, error=True)

    # ------------------------------------------------------------------
    # What a notebook (or a test) calls
    # ------------------------------------------------------------------

    def show(self):
        """Display the playground and train once with the current settings."""
        if not self.active:
            print("The playground is off while nbgrader runs this notebook.")
            return
        from IPython.display import display

        display(self.widget)
        self.retrain()

    @property
    def settings_string(self):
        """The current settings as a short string (see ``Settings.to_string``)."""
        return self.settings.to_string()

    def restore(self, text):
        """Set every control from a settings string, then retrain once.

        Values between two slider steps are rounded to the nearest step, and
        the message beside the box says so. A string that cannot be read
        changes nothing; the message says why. Returns True if restored.
        """
        try:
            settings, rounded = Settings.from_string(text).on_control_steps()
        except ValueError as error:
            self._restore_message(f"Could not restore the settings: {error}", error=True)
            return False
        self._restoring = True
        try:
            for name, control in self.controls.items():
                control.value = getattr(settings, name)
        finally:
            self._restoring = False
        self._settings_changed(force=True)
        message = "Settings restored."
        if rounded:
            message += " Rounded to the sliders' steps: " + ", ".join(rounded) + "."
        self._restore_message(message)
        return True

    def retrain(self):
        """Train from the initial parameters up to the set number of iterations."""
        self._submit(lambda generation: self._run(generation, restart=True))

    def train(self):
        """Go on training: up to the set iterations, or that many more if already there."""
        self._submit(lambda generation: self._run(generation, extra=None))

    def step(self):
        """Train STEP_ITERATIONS more iterations."""
        self._submit(lambda generation: self._run(generation, extra=STEP_ITERATIONS))

    def pause(self):
        """Stop the running training where it is."""
        self._submit(lambda generation: self._draw(generation, "paused"), busy=False)

    def reset(self):
        """Back to the initial parameters (iteration 0), drawn but not trained."""
        self._submit(lambda generation: self._run(generation, restart=True, extra=0))

    def wait(self, timeout=30.0):
        """Block until the requested work is done; False on timeout."""
        return self.runner.wait(timeout) if self.active else True

    # ------------------------------------------------------------------
    # The widgets
    # ------------------------------------------------------------------

    def _build(self, live):
        self.controls = make_controls(self.settings)
        for control in self.controls.values():
            control.observe(self._on_control_change, names="value")
        parts = make_parts(self.settings.to_string())
        actions = {"train": self.train, "pause": self.pause, "step": self.step,
                   "reset": self.reset,
                   "restore": lambda: self.restore(self.settings_text.value)}
        self.buttons = {name: parts[name] for name in actions}
        for name, action in actions.items():
            self.buttons[name].on_click(lambda _, action=action: action())
        self.live = parts["live"]
        self.live.value = live
        self.settings_text = parts["settings_string"]
        self.restore_message = parts["restore_message"]
        self.notice, self.status = parts["notice"], parts["status"]
        self.picture, self.cost_picture = parts["picture"], parts["cost"]
        self.network_picture, self.statistics = parts["network"], parts["statistics"]
        self.status.value = status_html(0, "ready", "press Train or move a slider", 0)
        self._notice()
        self._restore_message("")
        self.widget = arrange(self.controls, parts)

    def _on_control_change(self, change):
        if not self._restoring:
            self._settings_changed()

    def _settings_changed(self, force=False):
        """Read the controls; retrain if that changed the settings (or if forced).

        A slider can send back the value it was given, rounded in its last
        digits: settings keep 4 significant digits, so that echo changes nothing.
        """
        values = {name: control.value for name, control in self.controls.items()}
        try:
            settings = Settings(**values)
        except ValueError as error:
            self._restore_message(str(error), error=True)
            return
        if settings == self.settings and not force:
            return
        self.settings = settings
        self.settings_text.value = settings.to_string()
        self._restore_message("")
        self.retrain()

    def _notice(self):
        """Say which functions train, and the notes of the current network."""
        f = self.functions
        if f.uses_reference_only and not f.notices:
            source = "Training with the reference functions of dl_utils."
        elif f.uses_reference_only:
            source = "None of your functions passed the check: training with the reference."
        else:
            source = "Training with your functions: " + ", ".join(f.own) + "."
        lines = [source] + [f"Fell back to the reference: {n}." for n in f.notices]
        if self.network is not None:
            lines += [f"Note: {n}." for n in self.network.notices]
        text = "<br>".join(html.escape(line) for line in lines)
        self.notice.value = f'<div class="pg-notice-text">{text}</div>'

    def _restore_message(self, message, error=False):
        """The line beside the settings box: a message, else the link to these settings."""
        if message:
            color = "#b71c1c" if error else "#1b5e20"
            text = f'<span style="color:{color}">{html.escape(message)}</span>'
        elif _under_voila():
            query = quote(self.settings.to_string().replace(";", "&"), safe="=&")
            text = f'<a href="?{query}" target="_blank">link to these settings</a>'
        else:
            text = ""
        self.restore_message.value = f'<div class="pg-restore-text">{text}</div>'

    # ------------------------------------------------------------------
    # The work, run by the background thread
    # ------------------------------------------------------------------

    def _submit(self, job, busy=True):
        """Hand ``job`` to the runner and show at once that work is under way."""
        if not self.active:
            return
        with self._publishing:
            generation = self.runner.submit(job)
            if busy:
                self.status.value = status_html(generation, "training", "training...", 0)
                if not self.live.value:
                    self.widget.add_class("pg-busy")

    def _run(self, generation, restart=False, extra=None):
        """Train (after a restart if asked) and draw.

        extra: None trains up to the target (the set iterations, or that many
        more when already there); a number trains that many more.
        """
        settings = self.settings
        network = self.network
        if network is None or network.settings != settings:
            network = self._new_network(settings)
            restart = True  # a new network starts from iteration 0: so does its target
        elif restart:
            network.reset()
        if restart:
            self.target = settings.iterations
        if extra is None:
            if network.iteration >= self.target:
                self.target = network.iteration + settings.iterations
        else:
            self.target = network.iteration + extra
        network.train(
            self.target - network.iteration,
            keep_going=lambda: self.runner.is_current(generation),
            on_chunk=self._frames_while_training(generation, network),
        )
        if self.runner.is_current(generation):  # else a newer request will draw
            state = "diverged" if network.diverged else "done"
            self._draw(generation, "ready" if network.iteration == 0 else state)

    def _frames_while_training(self, generation, network):
        """What to do after each chunk: the first frame, live frames, progress lines."""
        started = time.perf_counter()
        last = {"frame": None, "progress": started}

        def after_chunk():
            now = time.perf_counter()
            if not self.runner.is_current(generation) or network.iteration >= self.target:
                return
            first = last["frame"] is None and now - started >= FIRST_FRAME_AFTER
            if first or (self.live.value and now - (last["frame"] or now) >= FRAME_INTERVAL):
                last["frame"] = now  # frames start every FRAME_INTERVAL, drawing included
                self._draw_pictures(network)
                self._publish_progress(generation, network)
            elif now - last["progress"] >= PROGRESS_INTERVAL:
                last["progress"] = now
                self._publish_progress(generation, network)

        return after_chunk

    def _new_network(self, settings):
        network = Network(settings, self.functions)
        self.network = network
        self.start_statistics = network.statistics(network.start)
        grid = self.boundary.show_data(
            network.X_train, network.Y_train, network.X_test, network.Y_test
        )
        network.evaluate_on(grid)
        self._notice()
        return network

    def _draw(self, generation, state):
        """Draw the whole state: the pictures, the layer table and the status line."""
        network = self.network
        if network is None:
            return
        started = time.perf_counter()
        self._draw_pictures(network)
        draw_ms = 1000 * (time.perf_counter() - started)
        self._publish_status(generation, state, network, draw_ms)

    def _draw_pictures(self, network):
        """The boundary, the cost curves, the network's units and the layer table, as now."""
        activations = network.grid_activations()
        self.picture.value = self.boundary.draw(activations[-1])
        self.cost_picture.value = self.cost_figure.draw(
            network.costs, network.test_costs, max(self.target, network.iteration)
        )
        self.network_picture.value = self.diagram.draw(
            on_tile_grid(activations, GRID), network.parameters, network.settings.activation
        )
        self.statistics.value = statistics_html(
            self.start_statistics, network.statistics(), network.iteration
        )

    def _publish_progress(self, generation, network):
        """The status line while training: the iteration and the last recorded cost."""
        cost = network.costs[-1][1] if network.costs else float("nan")
        text = f"training... iteration {network.iteration} of {self.target} | cost {cost:.3f}"
        self._publish(generation, "training", text, network.iteration)

    def _publish_status(self, generation, state, network, draw_ms):
        train_accuracy, test_accuracy = network.accuracies()
        notes = {
            "paused": f"paused at iteration {network.iteration} of {self.target}",
            "ready": "reset: iteration 0, press Train",
        }
        text = status_text(
            network.current_cost(),
            train_accuracy,
            test_accuracy,
            network.iteration,
            1000 * network.training_seconds,
            draw_ms,
            note=notes.get(state, ""),
        )
        if state == "diverged":
            text = f"{network.diverged} | {text}"
        self._publish(generation, state, text, network.iteration)

    def _publish(self, generation, state, text, iteration):
        """Show a status line if it belongs to the newest request; undim when final."""
        with self._publishing:
            if not self.runner.is_current(generation):
                return
            self.status.value = status_html(generation, state, text, iteration)
            if state != "training":
                self.widget.remove_class("pg-busy")

    def _report_error(self, generation, error, details):
        message = f"error: {type(error).__name__}: {error}"
        self._publish(generation, "error", message, -1)


def _under_voila():
    """True in a kernel that Voila started (it sets SERVER_SOFTWARE to voila/...)."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila")


def _settings_of_the_address():
    """(settings, problem): the settings of the page's address, and why they could not be read.

    Voila passes the page's query (after "?") to the kernel as QUERY_STRING.
    """
    query = os.environ.get("QUERY_STRING", "")
    try:
        return Settings.from_query(query), None
    except ValueError as error:
        return Settings(), f"The page's address ?{query} was not used: {error}"
