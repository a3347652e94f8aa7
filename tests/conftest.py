"""Shared pytest set-up: keep every test away from the user's Jupyter config, and run the
tests that need Debian's chromium or bubblewrap only where they are.

Tests marked ``browser`` need chromium, tests marked ``jail`` need bubblewrap's jails.
As root (CI, where `make test` installs both) a missing one fails those tests; as a
user who cannot install it they are skipped, and the summary says why and the one
command, as root, that would let them run.
"""

import os

import matplotlib
import pytest

matplotlib.use("Agg")

# nbgrader and Jupyter read ~/.jupyter; tests must not depend on it.
os.environ.setdefault(
    "JUPYTER_CONFIG_DIR", os.path.join(os.path.dirname(__file__), ".no-jupyter-config")
)

CHROMIUM = "/usr/bin/chromium"


def missing(mark):
    """Why the tests with this mark cannot run here (None when they can)."""
    if mark == "browser" and not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing: as root, run `apt-get install -y chromium`"
    if mark == "jail":
        from dl_utils.grading.jail import jail_problem

        problem = jail_problem()
        if problem:
            return f"no jail for student code: {problem}"
    return None


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: needs Debian's chromium")
    config.addinivalue_line("markers", "jail: needs bubblewrap's jails for student code")


def pytest_collection_modifyitems(config, items):
    reasons = {}
    for item in items:
        for mark in ("browser", "jail"):
            if item.get_closest_marker(mark) is None:
                continue
            if mark not in reasons:
                reasons[mark] = missing(mark)
            # as root `make test` installs it: there a missing one fails the tests that need it
            if reasons[mark] is not None and os.geteuid() != 0:
                item.add_marker(pytest.mark.skip(reason=reasons[mark]))
