"""The playground: sliders that retrain a network and redraw its decision boundary.

    from dl_utils.playground import Playground
    Playground().show()

Every control change retrains the network from its initial parameters and
redraws the picture. The work runs in a background thread (see runner.py), so
the kernel keeps receiving slider changes while it trains, and a new change
stops a stale run within one chunk of iterations. Nothing trains when the
object is made: the first run starts with ``show()`` (or ``retrain()``), and
under nbgrader (the environment variable NBGRADER_EXECUTION set) the
playground stays off altogether.
"""

import html
import math
import time

import ipywidgets as w

from ..training import under_grading
from .figures import PlaygroundFigure
from .functions import choose_functions
from .panels import statistics_html, status_html, status_text
from .runner import Runner
from .settings import ACTIVATION_LABELS, DATASET_LABELS, INIT_LABELS, LIMITS, Settings
from .trainer import Network

STEP_ITERATIONS = 25  # what the Step button runs
FRAME_INTERVAL = 0.04  # seconds between two live frames (at most 25 a second)


class Playground:
    """A widget panel that trains a small network on a 2-D toy set as its sliders move.

    settings: a ``Settings`` or a settings string ("lr=0.1;layers=3x8;...") to
        start from; None gives the defaults.
    functions: None to train with the reference, or the student's namespace
        (``globals()``, a dict or a module) holding initialize_parameters_deep,
        L_model_forward, compute_cost, L_model_backward and update_parameters;
        those that are missing or wrong are replaced by the reference, and the
        notice above the picture says which.
    live: start with the live view on (frames drawn while training runs).
    """

    def __init__(self, settings=None, functions=None, live=False):
        if isinstance(settings, str):
            settings = Settings.from_string(settings)
        self.settings = settings if settings is not None else Settings()
        self.active = not under_grading()
        self.widget = None
        if not self.active:
            return
        self.functions = choose_functions(functions)
        self.figure = PlaygroundFigure()
        self.runner = Runner(on_error=self._report_error)
        self.network = None  # made and used by the worker thread only
        self.target = 0  # the iteration the current run trains up to
        self.start_statistics = None
        self._restoring = False
        self._build(live)

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

        A string that cannot be read changes nothing; the notice says why.
        Returns True if the settings were restored.
        """
        try:
            settings = Settings.from_string(text)
        except ValueError as error:
            self._notice(f"Could not restore the settings: {error}", error=True)
            return False
        self._restoring = True
        try:
            for name, control in self.controls.items():
                control.value = getattr(settings, name)
        finally:
            self._restoring = False
        self._settings_changed()
        self._notice("Settings restored.")
        return True

    def retrain(self):
        """Train from the initial parameters up to the set number of iterations."""
        if self.active:
            self.runner.submit(lambda generation: self._run(generation, restart=True))

    def train(self):
        """Go on training: up to the set iterations, or that many more if already there."""
        if self.active:
            self.runner.submit(lambda generation: self._run(generation, extra=None))

    def step(self):
        """Train STEP_ITERATIONS more iterations."""
        if self.active:
            self.runner.submit(lambda generation: self._run(generation, extra=STEP_ITERATIONS))

    def pause(self):
        """Stop the running training where it is."""
        if self.active:
            self.runner.submit(lambda generation: self._draw(generation, "paused"))

    def reset(self):
        """Back to the initial parameters (iteration 0), drawn but not trained."""
        if self.active:
            self.runner.submit(lambda generation: self._run(generation, restart=True, extra=0))

    def wait(self, timeout=30.0):
        """Block until the requested work is done; False on timeout."""
        return self.runner.wait(timeout) if self.active else True

    # ------------------------------------------------------------------
    # The widgets
    # ------------------------------------------------------------------

    def _build(self, live):
        s, layout = self.settings, {"width": "350px"}
        style = {"description_width": "125px"}

        def number(kind, name, description, **options):
            """A slider or a box for the setting ``name``, bounded by LIMITS unless told."""
            low, high = LIMITS[name]
            options.setdefault("min", low)
            options.setdefault("max", high)
            return kind(
                value=getattr(s, name),
                description=description,
                style=style,
                layout=layout,
                **options,
            )

        def menu(name, labels, description):
            options = [(label, value) for value, label in labels.items()]
            return w.Dropdown(
                options=options,
                value=getattr(s, name),
                description=description,
                style=style,
                layout=layout,
            )

        lowest_rate, highest_rate = LIMITS["learning_rate"]
        self.controls = {
            "learning_rate": number(
                w.FloatLogSlider,
                "learning_rate",
                "learning rate",
                base=10,  # min and max are powers of 10
                min=math.log10(lowest_rate),
                max=math.log10(highest_rate),
                step=0.1,
                readout_format=".3g",
            ),
            "hidden_layers": number(w.IntSlider, "hidden_layers", "hidden layers"),
            "units": number(w.IntSlider, "units", "units per layer"),
            "init": menu("init", INIT_LABELS, "initialization"),
            "activation": menu("activation", ACTIVATION_LABELS, "hidden activation"),
            "dataset": menu("dataset", DATASET_LABELS, "data set"),
            "n_samples": number(w.IntSlider, "n_samples", "points", step=10),
            "noise": number(w.FloatSlider, "noise", "noise", step=0.01),
            "test_fraction": number(w.FloatSlider, "test_fraction", "test share", step=0.05),
            "iterations": number(w.IntSlider, "iterations", "iterations", min=10, step=10),
            "seed": number(w.BoundedIntText, "seed", "seed"),
        }
        for name, control in self.controls.items():
            control.add_class("pg-" + name.replace("_", "-"))
            control.observe(self._on_control_change, names="value")

        self.buttons = {}
        for name, label, icon, action, tooltip in (
            ("train", "Train", "play", self.train, "go on training"),
            ("pause", "Pause", "pause", self.pause, "stop training here"),
            ("step", "Step", "step-forward", self.step, f"train {STEP_ITERATIONS} iterations"),
            ("reset", "Reset", "undo", self.reset, "back to the initial weights"),
        ):
            button = w.Button(
                description=label, icon=icon, tooltip=tooltip, layout={"width": "86px"}
            )
            button.add_class("pg-" + name)
            button.on_click(lambda _, action=action: action())
            self.buttons[name] = button
        self.live = w.Checkbox(
            value=live, description="live view (draw while training)", indent=False
        )
        self.live.add_class("pg-live")

        self.settings_text = w.Text(
            value=s.to_string(),
            description="settings",
            style={"description_width": "60px"},
            layout={"width": "760px"},
        )
        self.settings_text.add_class("pg-settings-string")
        restore = w.Button(description="Restore", icon="upload", layout={"width": "90px"})
        restore.add_class("pg-restore")
        restore.on_click(lambda _: self.restore(self.settings_text.value))
        self.buttons["restore"] = restore

        self.notice = w.HTML()
        self.notice.add_class("pg-notice")
        self.picture = w.Image(format="png", layout={"width": "810px"})
        self.picture.add_class("pg-picture")
        self.status = w.HTML(status_html(0, "ready", "press Train or move a slider", 0))
        self.status.add_class("pg-status")
        self.statistics = w.HTML()
        self.statistics.add_class("pg-statistics")
        self._notice()

        controls = w.VBox(
            list(self.controls.values()) + [w.HBox(list(self.buttons.values())[:4]), self.live],
            layout={"width": "360px"},
        )
        shown = w.VBox([self.picture, self.status, self.statistics])
        self.widget = w.VBox(
            [self.notice, w.HBox([controls, shown]), w.HBox([self.settings_text, restore])]
        )
        self.widget.add_class("pg-playground")

    def _on_control_change(self, change):
        if not self._restoring:
            self._settings_changed()

    def _settings_changed(self):
        values = {name: control.value for name, control in self.controls.items()}
        try:
            self.settings = Settings(**values)
        except ValueError as error:
            self._notice(str(error), error=True)
            return
        self.settings_text.value = self.settings.to_string()
        self.retrain()

    def _notice(self, message="", error=False):
        """Show which functions run, plus an optional message."""
        f = self.functions
        if f.uses_reference_only and not f.notices:
            source = "Training with the reference functions of dl_utils."
        elif f.uses_reference_only:
            source = "None of your functions passed the check: training with the reference."
        else:
            source = "Training with your functions: " + ", ".join(f.own) + "."
        lines = [source] + [f"Fell back to the reference: {n}." for n in f.notices]
        network = self.network
        if network is not None:
            lines += [f"Note: {n}." for n in network.notices]
        lines = [html.escape(line) for line in lines]
        if message:
            color = "#b71c1c" if error else "#1b5e20"
            lines.append(f'<span style="color:{color}">{html.escape(message)}</span>')
        self.notice.value = f'<div class="pg-notice-text">{"<br>".join(lines)}</div>'

    # ------------------------------------------------------------------
    # The work, run by the background thread
    # ------------------------------------------------------------------

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
        last_frame = time.perf_counter()

        def live_frame():
            nonlocal last_frame
            now = time.perf_counter()
            if self.live.value and now - last_frame >= FRAME_INTERVAL:
                last_frame = now  # frames start every FRAME_INTERVAL, drawing included
                if self.runner.is_current(generation):
                    self._draw_picture(network)
                    self._publish_progress(generation, network)

        network.train(
            self.target - network.iteration,
            keep_going=lambda: self.runner.is_current(generation),
            on_chunk=live_frame,
        )
        if not self.runner.is_current(generation):
            return  # a newer request will draw
        state = "diverged" if network.diverged else "done"
        if network.iteration == 0:
            state = "ready"
        self._draw(generation, state)

    def _new_network(self, settings):
        network = Network(settings, self.functions)
        self.network = network
        self.start_statistics = network.statistics(network.start)
        self.figure.show_data(network.X_train, network.Y_train, network.X_test, network.Y_test)
        self._notice()
        return network

    def _draw(self, generation, state):
        """Draw the whole state: picture, per-layer statistics and status line.

        The status gives the network's training time since its start (or reset).
        """
        network = self.network
        if network is None:
            return
        started = time.perf_counter()
        self._draw_picture(network)
        now = network.statistics()
        self.statistics.value = statistics_html(self.start_statistics, now, network.iteration)
        draw_ms = 1000 * (time.perf_counter() - started)
        train_ms = 1000 * network.training_seconds
        self._publish_status(generation, state, network, train_ms, draw_ms)

    def _draw_picture(self, network):
        """The decision boundary and the cost curve of the network as it is now."""
        probabilities = network.probabilities(self.figure.grid_points)
        self.picture.value = self.figure.draw(
            probabilities, network.costs, max(self.target, network.iteration)
        )

    def _publish_progress(self, generation, network):
        """The short status line of a live frame: the iteration and the last recorded cost."""
        cost = network.costs[-1][1] if network.costs else float("nan")
        text = f"training... iteration {network.iteration} of {self.target} | cost {cost:.3f}"
        self.status.value = status_html(generation, "training", text, network.iteration)

    def _publish_status(self, generation, state, network, train_ms, draw_ms):
        train_accuracy, test_accuracy = network.accuracies()
        notes = {
            "paused": f"paused at iteration {network.iteration} of {self.target}",
            "diverged": network.diverged or "",
            "ready": "reset: iteration 0, press Train",
        }
        text = status_text(
            network.current_cost(),
            train_accuracy,
            test_accuracy,
            network.iteration,
            train_ms,
            draw_ms,
            note=notes.get(state, ""),
        )
        self.status.value = status_html(generation, state, text, network.iteration)

    def _report_error(self, generation, error, details):
        self.status.value = status_html(
            generation, "error", f"error: {type(error).__name__}: {error}", -1
        )
        self._notice(f"The last run failed: {type(error).__name__}: {error}", error=True)
