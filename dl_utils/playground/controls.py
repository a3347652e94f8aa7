"""The playground's widgets and their layout, made to hold on a 1024x768 projector.

``make_controls`` makes one slider, menu or box per setting; ``make_parts``
the buttons, pictures and text panels; ``arrange`` puts them on the page:

    settings line, Restore, its message          (at the top: never pushed down)
    notice: which functions train, notes          (a fixed height, scrolls)
    controls | decision boundary | cost curves    (wraps onto the next line)
    status line
    network, neuron by neuron | layer table       (wraps too)

Every part gets a CSS class ("pg-..."), which the page's style (``STYLE``) and
the browser tests use. The controls column has a fixed width, so that no
slider, menu or button is ever squeezed; the pictures shrink down to
``PICTURE_MIN_PX`` and then move to the next line.
"""

import math

import ipywidgets as w

from . import figures, neurons
from .settings import (
    ACTIVATION_LABELS,
    CONTROL_STEPS,
    DATASET_LABELS,
    INIT_LABELS,
    LIMITS,
)

CONTROL_WIDTH_PX = 330  # every control, and so the controls column
DESCRIPTION_PX = 118
PICTURE_MIN_PX = 300  # a plot shrinks down to this width before it wraps
BUTTONS = (  # name, label, icon, tooltip
    ("train", "Train", "play", "go on training"),
    ("pause", "Pause", "pause", "stop training here"),
    ("step", "Step", "step-forward", "train a few more iterations"),
    ("reset", "Reset", "undo", "back to the initial weights"),
)

# The page's style. A busy picture (training with the live view off) is dimmed,
# but only after 0.3 s: a quick retrain never flickers.
STYLE = f"""<style>
.pg-playground {{ max-width: 100%; font-size: 15px; }}
.pg-row {{ gap: 8px 14px; }}
.pg-controls {{ flex: 0 0 {CONTROL_WIDTH_PX + 6}px; }}
.pg-plot {{ flex: 1 1 {PICTURE_MIN_PX}px; min-width: {PICTURE_MIN_PX}px; height: auto;
  object-fit: contain; align-self: flex-start; transition: opacity 0.1s; }}
.pg-busy .pg-plot, .pg-busy .pg-network {{ opacity: 0.4; transition: opacity 0.2s 0.3s; }}
.pg-network {{ flex: 1 1 360px; min-width: {PICTURE_MIN_PX}px; align-self: flex-start;
  transition: opacity 0.1s; }}
.pg-statistics {{ flex: 1 1 420px; min-width: 0; overflow-x: auto; }}
.pg-notes {{ height: 6.5em; overflow-y: auto; margin: 4px 0; padding-left: 1.2em; }}
.pg-notice {{ height: 2.9em; overflow-y: auto; line-height: 1.4em; }}
.pg-restore-message {{ height: 2.9em; overflow-y: auto; line-height: 1.4em; }}
.pg-status-line {{ font-size: 16px; min-height: 1.4em; }}
.pg-status-line[data-state="diverged"] {{ color: #b71c1c; font-weight: bold; }}
.pg-status-line[data-state="training"]::before {{ content: "\\23F3  "; }}
</style>"""


def make_controls(settings):
    """One widget per setting, set to ``settings``: name -> slider, menu or box."""
    lr_low, lr_high = (math.log10(v) for v in LIMITS["learning_rate"])
    controls = {
        "learning_rate": _number(
            w.FloatLogSlider, settings, "learning_rate", "learning rate",
            base=10, min=lr_low, max=lr_high, step=CONTROL_STEPS["learning_rate"][1],
            readout_format=".4g",
        ),
        "hidden_layers": _number(w.IntSlider, settings, "hidden_layers", "hidden layers"),
        "units": _number(w.IntSlider, settings, "units", "units per layer"),
        "init": _menu(settings, "init", INIT_LABELS, "initialization"),
        "activation": _menu(settings, "activation", ACTIVATION_LABELS, "hidden activation"),
        "dataset": _menu(settings, "dataset", DATASET_LABELS, "data set"),
        "n_samples": _stepped(w.IntSlider, settings, "n_samples", "points"),
        "noise": _stepped(w.FloatSlider, settings, "noise", "noise"),
        "test_fraction": _stepped(w.FloatSlider, settings, "test_fraction", "test share"),
        "iterations": _stepped(w.IntSlider, settings, "iterations", "iterations"),
        "seed": _number(w.BoundedIntText, settings, "seed", "seed"),
    }
    for name, control in controls.items():
        control.add_class("pg-" + name.replace("_", "-"))
    return controls


def _layout():
    return {"width": f"{CONTROL_WIDTH_PX}px", "flex": "0 0 auto"}


def _number(kind, settings, name, description, **options):
    """A slider or a box for the setting ``name``, bounded by LIMITS unless told."""
    low, high = LIMITS[name]
    options.setdefault("min", low)
    options.setdefault("max", high)
    return kind(
        value=getattr(settings, name),
        description=description,
        style={"description_width": f"{DESCRIPTION_PX}px"},
        layout=_layout(),
        **options,
    )


def _stepped(kind, settings, name, description):
    """A slider that starts and moves as CONTROL_STEPS says."""
    low, step = CONTROL_STEPS[name]
    return _number(kind, settings, name, description, min=low, step=step)


def _menu(settings, name, labels, description):
    return w.Dropdown(
        options=[(label, value) for value, label in labels.items()],
        value=getattr(settings, name),
        description=description,
        style={"description_width": f"{DESCRIPTION_PX}px"},
        layout=_layout(),
    )


def make_parts(settings_string):
    """Everything but the controls: name -> widget (buttons, pictures, text panels)."""
    button_width = f"{(CONTROL_WIDTH_PX - 12) // 4}px"
    parts = {}
    for name, label, icon, tooltip in BUTTONS:
        parts[name] = w.Button(
            description=label, icon=icon, tooltip=tooltip,
            layout={"width": button_width, "flex": "0 0 auto", "padding": "0 4px"},
        )
    parts["live"] = w.Checkbox(value=False, description="live view (draw while training)",
                               indent=False, layout={"width": f"{CONTROL_WIDTH_PX}px"})
    parts["settings_string"] = w.Text(
        value=settings_string, description="settings",
        style={"description_width": "64px"},
        layout={"flex": "1 1 420px", "min_width": "280px", "max_width": "780px"},
    )
    parts["restore"] = w.Button(description="Restore", icon="upload",
                                layout={"width": "100px", "flex": "0 0 auto"})
    parts["restore_message"] = w.HTML(layout={"flex": "1 1 260px", "min_width": "200px"})
    parts["notice"] = w.HTML(layout={"width": "100%"})
    width, height = figures.SIZE_PX
    for name in ("picture", "cost"):
        parts[name] = w.Image(format="png", width=width, height=height,
                              layout={"max_width": f"{width}px"})
        parts[name].add_class("pg-plot")
    width, height = neurons.SIZE_PX
    parts["network"] = w.Image(format="png", width=width, height=height,
                               layout={"max_width": f"{width}px", "height": "auto"})
    parts["status"] = w.HTML(layout={"width": "100%"})
    parts["statistics"] = w.HTML()
    parts["style"] = w.HTML(STYLE)
    for name, part in parts.items():
        part.add_class("pg-" + name.replace("_", "-"))
    return parts


def arrange(controls, parts):
    """The page (see the module's docstring), as one widget."""
    p = parts

    def row(children, **layout):
        box = w.Box(children, layout={"display": "flex", "flex_flow": "row wrap",
                                      "align_items": "flex-start", "width": "100%", **layout})
        box.add_class("pg-row")
        return box

    buttons = w.HBox([p[name] for name, *_ in BUTTONS],
                     layout={"width": f"{CONTROL_WIDTH_PX}px", "justify_content": "space-between"})
    buttons.add_class("pg-buttons")
    column = w.VBox(list(controls.values()) + [buttons, p["live"]])
    column.add_class("pg-controls")
    view = row([column, p["picture"], p["cost"]])
    view.add_class("pg-view")
    settings_row = row([p["settings_string"], p["restore"], p["restore_message"]])
    settings_row.add_class("pg-settings-row")
    network_row = row([p["network"], p["statistics"]])
    network_row.add_class("pg-network-row")
    page = w.VBox(
        [p["style"], settings_row, p["notice"], view, p["status"], network_row],
        layout={"width": "100%"},
    )
    page.add_class("pg-playground")
    return page
