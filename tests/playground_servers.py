"""Serve the playground demo with Voila or JupyterLab and drive it in Debian's chromium.

Used by tests/test_playground_browser.py and bench/bench_playground.py. Each
server gets a free port, fresh JUPYTER_* folders and a temporary copy of the
demo notebook (or of another notebook: the bench's naive version), and is
stopped (with its kernels) by ``stop()``.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "notebooks" / "demos" / "playground.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Voila or JupyterLab server on 127.0.0.1 serving a copy of the demo notebook."""

    def __init__(self, kind, notebook=DEMO):
        if kind not in ("voila", "lab"):
            raise ValueError(f"kind should be 'voila' or 'lab', got {kind!r}")
        self.kind = kind
        self.notebook = Path(notebook).name
        self.folder = Path(tempfile.mkdtemp(prefix=f"playground-{kind}-"))
        self.notebooks = self.folder / "notebooks"
        self.notebooks.mkdir()
        shutil.copy(notebook, self.notebooks / self.notebook)
        self.port = free_port()
        self.token = "playground-test-token"
        self.log = open(self.folder / "server.log", "w")
        self.process = subprocess.Popen(
            self._command(),
            cwd=self.notebooks,
            env=self._environment(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its kernels join its process group
        )

    def _environment(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NBGRADER"))}
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
        for name in (
            "JUPYTER_CONFIG_DIR",
            "JUPYTER_RUNTIME_DIR",
            "JUPYTER_DATA_DIR",
            "JUPYTERLAB_SETTINGS_DIR",
            "JUPYTERLAB_WORKSPACES_DIR",
            "IPYTHONDIR",
        ):
            env[name] = str(self.folder / name.lower())
        settings = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True)
        (settings / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false"})
        )
        return env

    def _command(self):
        if self.kind == "voila":
            return [
                str(BIN / "voila"),
                self.notebook,
                "--no-browser",
                f"--port={self.port}",
                "--Voila.ip=127.0.0.1",
            ]
        return [
            str(BIN / "jupyter"),
            "lab",
            "--no-browser",
            "--allow-root",
            f"--port={self.port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.notebooks}",
        ]

    def url(self, query=""):
        """The address of the notebook's page; query: e.g. "lr=0.3&layers=2x6" (Voila only)."""
        base = f"http://127.0.0.1:{self.port}"
        if self.kind == "voila":
            return f"{base}/?{query}" if query else base + "/"
        return f"{base}/lab/tree/{self.notebook}?token={self.token}&reset"

    def wait_until_up(self, timeout=60):
        """Wait for any HTTP answer (Voila answers 404 on /api); raise if it never comes."""
        deadline = time.monotonic() + timeout
        probe = f"http://127.0.0.1:{self.port}/api/status?token={self.token}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} exited early:\n{self.log_text()}")
            try:
                urllib.request.urlopen(probe, timeout=2)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.kind} did not answer in {timeout} s:\n{self.log_text()}")

    def log_text(self):
        self.log.flush()
        return (self.folder / "server.log").read_text()[-3000:]

    def stop(self):
        """Stop the server and its kernels, then remove its folder."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:  # anything left in its process group (a kernel): by the group's id
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def launch_chromium(playwright, width=1400, height=1100):
    """Debian's chromium, headless, with a fresh profile; returns (browser, profile folder)."""
    profile = tempfile.mkdtemp(prefix="playground-chromium-")
    context = playwright.chromium.launch_persistent_context(
        profile,
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_FLAGS,
        viewport={"width": width, "height": height},
    )
    return context, profile


class PlaygroundPage:
    """The playground as seen in a browser page (Voila or JupyterLab)."""

    def __init__(self, page):
        self.page = page

    def open(self, server, query="", timeout=90, wait_for=".pg-status-line"):
        """Load the page; in JupyterLab run all cells. Wait for the first drawn run.

        wait_for: a selector to wait for instead, on a page that is not the demo.
        """
        page = self.page
        page.goto(server.url(query), timeout=timeout * 1000)
        if server.kind == "lab":
            page.wait_for_selector(
                "text=Python 3 (ipykernel) | Idle", timeout=timeout * 1000, state="attached"
            )
            page.click(".lm-MenuBar-itemLabel:text-is('Run')")
            page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        if wait_for == ".pg-status-line":
            self.wait_for_run(1, timeout=timeout)
        else:
            page.wait_for_selector(wait_for, timeout=timeout * 1000)

    def status(self):
        """(run number, state, text) of the status line."""
        return self.page.eval_on_selector(
            ".pg-status-line",
            "e => [Number(e.dataset.run), e.dataset.state, e.textContent]",
        )

    def wait_for_run(self, run, timeout=30):
        """Wait until run number ``run`` (or a later one) is drawn and done."""
        self.page.wait_for_function(
            """run => {
                const e = document.querySelector('.pg-status-line');
                return e && Number(e.dataset.run) >= run && e.dataset.state !== 'training';
            }""",
            arg=run,
            timeout=timeout * 1000,
        )
        return self.status()

    def picture(self):
        """A SHA-256 of the picture's PNG bytes, as the browser holds them."""
        return self.page.evaluate(
            """async () => {
                const img = document.querySelector('.pg-picture');
                const bytes = await (await fetch(img.src)).arrayBuffer();
                const digest = await crypto.subtle.digest('SHA-256', bytes);
                return Array.from(new Uint8Array(digest)).map(b => b.toString(16)).join('');
            }"""
        )

    def press_slider(self, name, key="ArrowRight"):
        """Move a slider one step, as a keyboard user would."""
        handle = self.page.locator(f".pg-{name} .noUi-handle")
        handle.focus()
        handle.press(key)

    def choose(self, name, label):
        self.page.select_option(f".pg-{name} select", label=label)

    def text(self, selector):
        return self.page.inner_text(selector)
