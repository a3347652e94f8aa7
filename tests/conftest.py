"""Shared pytest set-up: keep every test away from the user's Jupyter config."""

import os

import matplotlib

matplotlib.use("Agg")

# nbgrader and Jupyter read ~/.jupyter; tests must not depend on it.
os.environ.setdefault(
    "JUPYTER_CONFIG_DIR", os.path.join(os.path.dirname(__file__), ".no-jupyter-config")
)
