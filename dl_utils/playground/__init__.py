"""The playground: a widget panel to see what the learning rate, the depth and the
initialization do to a small network, live, on a 2-D toy data set.

    from dl_utils.playground import Playground
    Playground().show()

Modules, each readable on its own:

- settings.py   the settings and the short string that copies and restores them
- trainer.py    one network: its data, training in chunks, predictions
- statistics.py per-layer spreads of activations and gradients, and what they mean
- functions.py  running on the student's own functions, or the reference
- runner.py     the background thread that runs only the newest request
- figures.py    the picture (decision boundary and cost curve), drawn fast
- panels.py     the status line and the per-layer table, as HTML
- widgets.py    the ``Playground`` class: the controls and their layout
"""

from .settings import Settings
from .widgets import Playground
