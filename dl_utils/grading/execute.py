"""Run a submitted notebook in a jail, for its outputs (the judge gives the grades).

``run_notebook(nb, workdir, limits, env)`` runs every code cell of ``nb`` but
the test cells in a jail (``jail.py``) that shows the Python installation and
the kit's ``dl_utils`` and ``data`` read-only, and holds a copy of the
student's folder ``workdir`` (regular files only). ``runner.py`` drives the
kernel in there and streams each cell's outputs back; they are untrusted, so
each one is rebuilt here from its plain fields, keeping only text and images
(``SAFE_MIME_TYPES``: nothing the instructor's browser would run), and capped
before it goes into the graded notebook. The test cells never reach the jail: their hidden tests
run in the judge, which fills in their outputs.

The run as a whole is limited too: past ``limits.notebook_timeout`` seconds,
or ``limits.output_mb`` printed on the jail's own stdout and stderr, the jail
is stopped and the cells that had not finished say so.
"""

import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from nbformat.v4 import new_output

from .jail import HOME, Jail, cleanup, start
from .notebook_code import cell_kind
from .remote import OutputCounter, exit_cause

HERE = Path(__file__).resolve().parent
# What a graded notebook may show of an output: no HTML, SVG or JavaScript, which
# the formgrader would run in the instructor's browser.
SAFE_MIME_TYPES = ("text/plain", "image/png", "image/jpeg", "image/gif", "text/latex")
MAX_FILES = 500  # files of a submission folder copied into the jail


@dataclass
class Event:
    """Something the grader had to step in for, in cell ``cell`` (1-based; 0: the whole run)."""

    cell: int
    kind: str  # "timeout", "killed", "kernel died", "output cut", "stopped", "skipped file"
    detail: str


def kit_folders():
    """The kit's folders the notebook may read: the package and the data."""
    import dl_utils
    from dl_utils.datasets import DATA_DIR, DATA_ENV_VAR

    folders = [os.path.dirname(os.path.realpath(dl_utils.__file__)), str(DATA_DIR)]
    if os.environ.get(DATA_ENV_VAR):
        folders.append(os.environ[DATA_ENV_VAR])
    return [f for f in folders if os.path.isdir(f)]


def folder_files(folder, limit_bytes):
    """{relative path: path} of the regular files under ``folder``, never following a
    symbolic link; and the Events for what was left out (links, too much)."""
    files, events, total = {}, [], 0
    for root, dirs, names in os.walk(folder, followlinks=False):
        for name in sorted(dirs):
            if os.path.islink(os.path.join(root, name)):
                relative = os.path.relpath(os.path.join(root, name), folder)
                events.append(Event(0, "skipped file", f"{relative} is a symbolic link"))
        for name in sorted(names):
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder)
            if os.path.islink(path) or not os.path.isfile(path):
                events.append(Event(0, "skipped file", f"{relative} is not a regular file"))
                continue
            size = os.lstat(path).st_size
            if len(files) >= MAX_FILES or total + size > limit_bytes:
                events.append(Event(0, "skipped file", f"{relative}: the folder is too large"))
                continue
            files[relative] = path
            total += size
    return files, events


def run_notebook(nb, workdir, limits, env=None, extra_files=None):
    """Run the notebook's code cells, the test cells excepted, in a jail; in place.

    nb: an nbformat notebook; its code cells get their outputs (test cells: none).
    workdir: the student's folder, copied into the jail's home folder.
    limits: a jail.Limits. env: extra environment variables for the notebook.
    extra_files: {relative path: path} also copied in (e.g. a font cache).
    Returns the list of Events.
    """
    # one entry per cell, so that the runner numbers cells as the notebook does
    sources = [
        cell.source if cell.cell_type == "code" and cell_kind(cell) != "test" else None
        for cell in nb.cells
    ]
    files, events = folder_files(workdir, limits.disk_mb * 1024 * 1024 // 2)
    files.update(extra_files or {})
    environment = {
        "NBGRADER_EXECUTION": "autograde",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",  # plots in the graded copy
        "MPLCONFIGDIR": f"{HOME}/.matplotlib",
        "IPYTHONDIR": f"{HOME}/.ipython",
        "JUPYTER_CONFIG_DIR": f"{HOME}/.jupyter",
        "JUPYTER_RUNTIME_DIR": f"{HOME}/.local/share/jupyter/runtime",
        "JUPYTER_PLATFORM_DIRS": "1",
        **(env or {}),
    }
    jail = Jail(read_only=kit_folders(), files=files, env=environment, limits=limits)
    request = json.dumps({"cells": sources, "limits": limits.as_dict()}).encode()
    results = _run_in_jail(jail, request, limits, events)
    for index, cell in enumerate(nb.cells, start=1):
        if sources[index - 1] is None:
            continue
        outputs, count = results.get(index, (None, None))
        if outputs is None:
            why = "the notebook run was stopped before this cell finished"
            outputs = [error_output("NotRun", why)]
        cell.outputs, cell.execution_count = outputs, count
    return events


def _run_in_jail(jail, request, limits, events):
    """Run runner.py in the jail; return {cell number: (outputs, execution count)}."""
    result_r, result_w = os.pipe()
    output_r, output_w = os.pipe()
    argv = [sys.executable, "-I", str(HERE / "runner.py"), str(result_w)]
    try:
        process, leftovers = start(
            jail,
            argv,
            stdin=subprocess.PIPE,
            stdout=output_w,
            stderr=output_w,
            pass_fds=(result_w,),
            start_new_session=True,
        )
    finally:
        os.close(result_w)
        os.close(output_w)
    output = OutputCounter(output_r, limits.output_mb * 1024 * 1024, process.kill)
    feeder = threading.Thread(target=_feed, args=(process.stdin, request), daemon=True)
    feeder.start()
    results = {}
    deadline = time.monotonic() + limits.notebook_timeout
    try:
        for line in _lines(result_r, deadline, process, limits):
            _take(line, results, events, limits)
    except TimeoutError:
        process.kill()
        events.append(
            Event(0, "stopped", f"the notebook ran longer than {limits.notebook_timeout:g} s")
        )
    finally:
        os.close(result_r)
        try:
            code = process.wait(timeout=10)  # the runner ends once it has written everything
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        output.join()
        cleanup(leftovers)
    if output.over:
        events.append(Event(0, "stopped", f"it printed more than {limits.output_mb} MB"))
    elif code != 0 and not any(e.kind == "stopped" for e in events):
        events.append(Event(0, "stopped", f"the notebook run ended early: {exit_cause(code)}"))
    return results


def _feed(pipe, data):
    try:
        pipe.write(data)
        pipe.close()
    except OSError:
        pass


def _lines(fd, deadline, process, limits):
    """The lines written on fd, until it closes; each line at most a cell's worth."""
    import select

    longest = limits.output_kb * 1024 * 4 + 65536
    pending = b""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        if not poller.poll(min(left, 1.0) * 1000):
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return
        pending += chunk
        *lines, pending = pending.split(b"\n")
        yield from lines
        if len(pending) > longest:
            process.kill()
            raise TimeoutError


def _take(line, results, events, limits):
    """Read one line of the runner's: a cell's outputs, or an event."""
    try:
        item = json.loads(line)
    except (ValueError, RecursionError):
        return
    if type(item) is not dict:
        return
    cell = item.get("cell")
    if type(cell) is not int or cell < 0:
        return
    if "event" in item:
        kind, detail = item.get("event"), item.get("detail")
        if kind in ("timeout", "killed", "kernel died", "output cut") and type(detail) is str:
            events.append(Event(cell, kind, detail[:300]))
        return
    count = item.get("count") if type(item.get("count")) is int else None
    raw = item.get("outputs") if type(item.get("outputs")) is list else []
    results[cell] = (clean_outputs(raw, limits.output_kb * 1024), count)


def clean_outputs(raw, room):
    """Outputs rebuilt from their plain fields, at most ``room`` characters in all."""
    cleaned, used = [], 0
    for output in raw:
        rebuilt = _clean_output(output)
        if rebuilt is None:
            continue
        size = len(json.dumps(rebuilt))
        if used + size > room:
            note = f"\n[output cut: more than {room // 1024} KB]\n"
            cleaned.append(new_output("stream", name="stderr", text=note))
            break
        used += size
        cleaned.append(rebuilt)
    return cleaned


def _clean_output(output):
    if type(output) is not dict:
        return None
    kind = output.get("output_type")
    if kind == "stream" and output.get("name") in ("stdout", "stderr"):
        return new_output("stream", name=output["name"], text=_text(output.get("text")))
    if kind == "error":
        traceback = output.get("traceback")
        lines = [str(t) for t in traceback] if type(traceback) is list else []
        return new_output(
            "error",
            ename=_text(output.get("ename"))[:200],
            evalue=_text(output.get("evalue")),
            traceback=lines[:100],
        )
    if kind in ("display_data", "execute_result"):
        data = output.get("data")
        if type(data) is not dict:
            return None
        data = {k: _text(v) for k, v in data.items() if k in SAFE_MIME_TYPES}
        if not data:
            return None
        if kind == "execute_result":
            count = output.get("execution_count")
            count = count if type(count) is int else None
            return new_output(kind, data=data, execution_count=count)
        return new_output(kind, data=data)
    return None


def _text(value):
    if type(value) is list:
        return "".join(str(v) for v in value)
    return value if type(value) is str else ""


def error_output(name, message):
    """An error output, as nbgrader scores it: a test cell holding one gets 0 points."""
    return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


# Tags and attributes a student's markdown keeps (everything else is shown as text).
MARKDOWN_TAGS = {"a", "b", "i", "em", "strong", "code", "pre", "br", "sub", "sup", "ul", "ol", "li"}
MARKDOWN_ATTRIBUTES = {"a": ["href", "title"]}


def make_markdown_inert(nb):
    """Turn the HTML in the notebook's markdown cells into text, in place: nbgrader's
    formgrader and feedback pages render markdown without sanitizing it, so a
    student's <script> would run in the instructor's browser.
    Returns the numbers of the cells that were changed."""
    import bleach

    changed = []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown" and re.search(r"<[A-Za-z!/?]", cell.source):
            inert = bleach.clean(
                cell.source, tags=MARKDOWN_TAGS, attributes=MARKDOWN_ATTRIBUTES, strip=False
            )
            if inert != cell.source:
                cell.source = inert
                changed.append(index)
    return changed
