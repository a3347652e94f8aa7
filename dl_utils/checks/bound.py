"""numpy's and Python's functions the checks compute with, bound at import time.

The checks run in a kernel the student controls: a cell that replaces
``np.allclose`` or ``print`` after the checks were imported changes nothing
for the names below, which the other check modules use instead.
"""

import builtins
import contextlib
import time
import warnings

import numpy as np

_ndarray = np.ndarray
_asarray = np.asarray
_array = np.array
_isfinite = np.isfinite
_abs = np.abs
_all = np.all
_float64 = np.float64
_dict = dict
_print = builtins.print
_isinstance = builtins.isinstance
_len = builtins.len
_RandomState = np.random.RandomState
_get_state = np.random.get_state
_set_state = np.random.set_state
_errstate = np.errstate
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter
_redirect_stderr = contextlib.redirect_stderr
_redirect_stdout = contextlib.redirect_stdout
_monotonic = time.monotonic
