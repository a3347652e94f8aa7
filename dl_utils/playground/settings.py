"""The playground's settings, and the short string that copies and restores them.

A ``Settings`` holds everything that decides what the playground trains:

    Settings(learning_rate=0.1, hidden_layers=3, units=8, init="he",
             activation="relu", dataset="circles", n_samples=300, noise=0.1,
             test_fraction=0.25, iterations=1000, seed=0)

and ``settings.to_string()`` writes it as one line a teacher can keep:

    lr=0.1;layers=3x8;init=he;act=relu;data=circles;n=300;noise=0.1;split=0.25;it=1000;seed=0

``Settings.from_string`` reads such a line back; keys left out keep their
default, and a bad line raises a ValueError that says which part is wrong.
``Settings.from_query`` reads the same settings from a page address
(``?lr=0.3&layers=2x6``), and ``on_control_steps`` rounds a setting to what
the sliders can show, saying what it rounded.
"""

import math
from dataclasses import dataclass, fields, replace
from urllib.parse import unquote_plus

# What the controls show for each choice: value -> label.
INIT_LABELS = {
    "zeros": "zeros",
    "random": "random x0.01",
    "large": "large random (x10)",
    "xavier": "Xavier",
    "he": "He",
}
ACTIVATION_LABELS = {
    "relu": "ReLU",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "leaky_relu": "leaky ReLU",
}
DATASET_LABELS = {
    "circles": "circles",
    "moons": "moons",
    "xor": "xor",
    "spiral": "spiral",
    "gaussian": "gaussian",
    "classroom": "the classroom set",
}

# The allowed ranges: name -> (smallest, largest).
LIMITS = {
    "learning_rate": (1e-4, 10.0),
    "hidden_layers": (0, 6),
    "units": (1, 32),
    "n_samples": (20, 1000),
    "noise": (0.0, 1.0),
    "test_fraction": (0.05, 0.9),
    "iterations": (1, 20000),
    "seed": (0, 2**31 - 1),
}

# The settings string's short keys, in the order they are written: key -> field.
# "layers" holds two fields, written hidden_layers x units ("3x8").
FIELD_OF_KEY = {
    "lr": "learning_rate",
    "layers": ("hidden_layers", "units"),
    "init": "init",
    "act": "activation",
    "data": "dataset",
    "n": "n_samples",
    "noise": "noise",
    "split": "test_fraction",
    "it": "iterations",
    "seed": "seed",
}
KEYS = tuple(FIELD_OF_KEY)
KEY_OF_FIELD = {"hidden_layers": "layers", "units": "layers"} | {
    name: key for key, name in FIELD_OF_KEY.items() if isinstance(name, str)
}

# The sliders' steps: name -> (slider minimum, step). The learning rate's
# slider moves its exponent: 10 ** (-4 + k * 0.1).
CONTROL_STEPS = {
    "learning_rate": (math.log10(LIMITS["learning_rate"][0]), 0.1),
    "n_samples": (LIMITS["n_samples"][0], 10),
    "noise": (LIMITS["noise"][0], 0.01),
    "test_fraction": (LIMITS["test_fraction"][0], 0.05),
    "iterations": (10, 10),  # the slider starts at 10, not at 1
}
SIGNIFICANT_DIGITS = 4  # floats are kept (and written) with 4 significant digits
# Query keys that belong to Voila (its template and theme), not to the playground.
VOILA_KEYS = ("template", "theme")


@dataclass(frozen=True)
class Settings:
    """Everything that decides what the playground trains, checked when made."""

    learning_rate: float = 0.1
    hidden_layers: int = 3
    units: int = 8
    init: str = "he"
    activation: str = "relu"
    dataset: str = "circles"
    n_samples: int = 300
    noise: float = 0.1
    test_fraction: float = 0.25
    iterations: int = 1000
    seed: int = 0

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type is str:
                _check_choice(field.name, value)
            else:
                number = _check_number(field.name, value, field.type)
                object.__setattr__(self, field.name, _short(number))

    @property
    def layer_dims(self):
        """The network's layer sizes [2, units, ..., units, 1] (2 inputs, 1 output)."""
        return [2] + [self.units] * self.hidden_layers + [1]

    def replace(self, **changes):
        """A copy with some settings changed (checked like a new one)."""
        return replace(self, **changes)

    def to_string(self):
        """The settings as one short line, e.g. "lr=0.1;layers=3x8;init=he;..."."""
        parts = []
        for key, name in FIELD_OF_KEY.items():
            if key == "layers":
                parts.append(f"layers={self.hidden_layers}x{self.units}")
            else:
                parts.append(f"{key}={_write_value(getattr(self, name))}")
        return ";".join(parts)

    @classmethod
    def from_string(cls, text):
        """Read a line written by ``to_string``; keys left out keep their default.

        text: e.g. "lr=0.3;layers=2x6;init=zeros". Spaces around parts are ignored.
        Raises ValueError naming the part that cannot be read.
        """
        if not isinstance(text, str) or not text.strip():
            raise ValueError(
                f"a settings string looks like 'lr=0.1;layers=3x8;init=he', got {text!r}"
            )
        changes, seen = {}, {}
        for part in text.strip().strip(";").split(";"):
            key, sep, value = (s.strip() for s in part.partition("="))
            if not sep or not value:
                raise ValueError(f"cannot read {part.strip()!r}: each part should be key=value")
            if key not in KEYS:
                raise ValueError(f"unknown setting {key!r}; the settings are {', '.join(KEYS)}")
            if key in seen:
                raise ValueError(
                    f"{key} is given twice ({seen[key]!r} and {part.strip()!r}): keep one"
                )
            seen[key] = part.strip()
            if key == "layers":
                changes.update(_read_layers(value))
            else:
                name = FIELD_OF_KEY[key]
                changes[name] = _read_value(name, value)
        return cls(**changes)

    @classmethod
    def from_query(cls, query):
        """Read the settings from a page address's query, e.g. "lr=0.3&layers=2x6".

        Parts may be separated by "&" or ";"; Voila's own keys (template,
        theme) are left out. An empty query gives the defaults.
        Raises ValueError as ``from_string`` does.
        """
        parts = [p for p in unquote_plus(query or "").replace("&", ";").split(";") if p.strip()]
        parts = [p for p in parts if p.partition("=")[0].strip() not in VOILA_KEYS]
        return cls.from_string(";".join(parts)) if parts else cls()

    def on_control_steps(self):
        """These settings rounded to the sliders' steps, and what was rounded.

        Returns (settings, rounded): ``rounded`` lists one phrase per changed
        value, e.g. "lr 0.3 -> 0.3162 (the slider's step)".
        """
        changes, rounded = {}, []
        for name, (low, step) in CONTROL_STEPS.items():
            value, high = getattr(self, name), LIMITS[name][1]
            if name == "learning_rate":
                snapped = 10 ** _snap(math.log10(value), low, math.log10(high), step)
            else:
                snapped = _snap(value, low, high, step)
            snapped = type(value)(_short(snapped))
            if snapped != value:
                changes[name] = snapped
                rounded.append(
                    f"{KEY_OF_FIELD[name]} {_write_value(value)} -> {_write_value(snapped)}"
                )
        return self.replace(**changes), rounded


def _snap(value, low, high, step):
    """The slider position nearest to value: low + k * step within [low, high].

    Halves are rounded up, as the sliders do.
    """
    return min(max(low + math.floor((value - low) / step + 0.5) * step, low), high)


def _short(number):
    """A float kept with SIGNIFICANT_DIGITS significant digits; an int as it is."""
    if isinstance(number, float):
        return float(f"{number:.{SIGNIFICANT_DIGITS}g}")
    return number


_CHOICES = {
    "init": INIT_LABELS,
    "activation": ACTIVATION_LABELS,
    "dataset": DATASET_LABELS,
}


def _check_choice(name, value):
    known = _CHOICES[name]
    if value not in known:
        raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(known)}")


def _check_number(name, value, kind):
    low, high = LIMITS[name]
    whole = kind is int
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} should be a number, got {value!r}")
    if not low <= value <= high:  # also refuses inf and nan
        raise ValueError(
            f"{name} should be between {_write_value(low)} and {_write_value(high)}, "
            f"got {value!r}"
        )
    if whole and value != int(value):
        raise ValueError(f"{name} should be a whole number, got {value!r}")
    return int(value) if whole else float(value)


def _write_value(value):
    """A setting as the string writes it; a float short: 0.1, 0.0316, 2."""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _read_value(name, text):
    """The text of one setting: a choice as it is, a number as an int or a float.

    Settings then checks it (a whole number, in its range) like any other value.
    """
    if name in _CHOICES:
        return text
    for number in (int, float):
        try:
            return number(text)
        except ValueError:
            pass
    raise ValueError(f"{name} should be a number, got {text!r}")


def _read_layers(text):
    """ "3x8" -> hidden_layers 3 of 8 units; "0" -> no hidden layer."""
    count, sep, units = text.lower().partition("x")
    try:
        changes = {"hidden_layers": int(count)}
        if sep:
            changes["units"] = int(units)
    except ValueError:
        raise ValueError(
            f"layers should look like 3x8 (3 hidden layers of 8 units), got {text!r}"
        ) from None
    return changes
