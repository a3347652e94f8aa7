"""Inside the jail: run a student's notebook cell by cell, under limits.

This file runs in the notebook's jail (``execute.py`` starts it by path, as
``python -I runner.py RESULT_FD``): it reads the cells to run from stdin,
runs them in a fresh kernel of its own (on the jail's loopback) and writes
their outputs and what happened to RESULT_FD, as JSON. The rules:

- a cell that runs longer than ``cell_timeout`` is interrupted; it gets a
  ``CellTimeoutError`` output and the next cells run;
- if an interrupted cell does not stop within ``interrupt_grace`` (code that
  ignores Ctrl-C), the kernel is killed;
- when the kernel dies (``os._exit``, a crash, killed), the cell gets a
  ``KernelDied`` error and every later code cell a ``NotRun`` error;
- each cell keeps at most ``output_kb`` of output; the rest is dropped and a
  note says so.

Everything here shares the jail with the student's code, so the grader
trusts none of it: the outputs are only shown, never graded (the judge grades),
and the grader cleans and caps them again (``execute.py``).
"""

import json
import os
import signal
import sys
import time
from dataclasses import dataclass
from queue import Empty
from types import SimpleNamespace

from jupyter_client import KernelManager

KERNEL_ARGUMENTS = [
    "--HistoryManager.hist_file=:memory:",
    "--InteractiveShell.xmode=Minimal",
    "--IPKernelApp.log_level=ERROR",
]


@dataclass
class Event:
    """Something the grader had to step in for, in cell ``cell`` (1-based)."""

    cell: int
    kind: str  # "timeout", "killed", "kernel died", "output cut", "not run"
    detail: str


def run_cells(sources, limits, emit):
    """Run the cells in a fresh kernel, one after another.

    sources: one entry per cell of the notebook: its source, or None for a cell
        not to run (markdown, test cells).
    limits: cell_timeout, interrupt_grace and output_kb (attributes).
    emit(item): called with {"cell": n, "outputs": [...], "count": c} once cell n
        (from 1) has run, and with {"cell": n, "event": kind, "detail": text} for
        each Event.
    """
    km, kc = start_kernel()
    try:
        dead_at = None
        for index, source in enumerate(sources, start=1):
            if source is None or not source.strip():
                continue
            if dead_at is not None:
                message = f"not run: the kernel died in cell {dead_at}"
                emit({"cell": index, "outputs": [error_output("NotRun", message)], "count": None})
                continue
            cell = SimpleNamespace(source=source, outputs=[], execution_count=None)
            events = _run_cell(km, kc, cell, index, limits)
            if not km.is_alive():
                dead_at = index
                detail = _death_cause(km, events, index)
                if not any(e.kind == "killed" for e in events):
                    events.append(Event(index, "kernel died", detail))
                cell.outputs.append(
                    error_output("KernelDied", f"the kernel died in this cell: {detail}")
                )
            for event in events:
                emit({"cell": event.cell, "event": event.kind, "detail": event.detail})
            emit({"cell": index, "outputs": cell.outputs, "count": cell.execution_count})
    finally:
        kc.stop_channels()
        _kill(km)
        km.cleanup_resources()


def start_kernel(attempts=3):
    """Start a kernel and wait until it answers; returns (manager, client).

    No student code has run yet, so a kernel that fails to start (for instance
    when another kernel took one of its ports at the same moment) is the
    grader's problem: it is tried again, with new ports, before giving up.
    """
    for attempt in range(1, attempts + 1):
        km = KernelManager(kernel_name="python3")
        km.start_kernel(extra_arguments=KERNEL_ARGUMENTS, env=dict(os.environ), cwd=os.getcwd())
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            return km, kc
        except RuntimeError:
            kc.stop_channels()
            _kill(km)
            km.cleanup_resources()
            if attempt == attempts:
                raise


def _kill(km):
    """Stop the kernel at once, without waiting for it: the graded copy is complete."""
    process = getattr(km.provisioner, "process", None)
    if process is not None and process.poll() is None:
        process.kill()


def _run_cell(km, kc, cell, index, limits):
    """Execute one cell; fill cell.outputs; return the Events it caused."""
    events = []
    msg_id = kc.execute(cell.source, store_history=True, allow_stdin=False, stop_on_error=False)
    cell.outputs = []
    cell.execution_count = None
    kept = 0
    cut = False
    deadline = time.monotonic() + limits.cell_timeout
    interrupted_at = None
    while True:
        now = time.monotonic()
        if interrupted_at is None and now > deadline:
            km.interrupt_kernel()
            interrupted_at = now
            events.append(Event(index, "timeout", f"ran longer than {limits.cell_timeout:g} s"))
            cell.outputs.append(
                error_output(
                    "CellTimeoutError",
                    f"this cell ran longer than {limits.cell_timeout:g} s and was interrupted",
                )
            )
        if interrupted_at is not None and now > interrupted_at + limits.interrupt_grace:
            _kill(km)
            km.provisioner.process.wait()
            events.append(Event(index, "killed", "did not stop when interrupted"))
            return events
        try:
            msg = kc.get_iopub_msg(timeout=0.1)
        except Empty:
            if not km.is_alive():
                return events
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        content = msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind == "execute_input":
            cell.execution_count = content.get("execution_count")
        elif kind == "clear_output":
            cell.outputs = [o for o in cell.outputs if o.get("ename") == "CellTimeoutError"]
            kept = 0
        elif kind in ("stream", "display_data", "execute_result", "error"):
            output = output_from_msg(msg)
            room = limits.output_kb * 1024 - kept
            size = _size(output)
            if size > room and kind != "error":
                if output["output_type"] == "stream" and room > 0:
                    output["text"] = output["text"][:room]
                    _append(cell, output)
                    kept += room
                if not cut:
                    cut = True
                    events.append(
                        Event(index, "output cut", f"more than {limits.output_kb} KB of output")
                    )
                    note = f"\n[output cut: more than {limits.output_kb} KB]\n"
                    cell.outputs.append({"output_type": "stream", "name": "stderr", "text": note})
                continue
            kept += size
            _append(cell, output)
    return events


def _append(cell, output):
    # merge consecutive stream outputs of the same name, as nbclient does
    last = cell.outputs[-1] if cell.outputs else None
    if (
        output["output_type"] == "stream"
        and last is not None
        and last["output_type"] == "stream"
        and last["name"] == output["name"]
    ):
        last["text"] += output["text"]
    else:
        cell.outputs.append(output)


def _size(output):
    if output["output_type"] == "stream":
        return len(output["text"])
    if output["output_type"] == "error":
        return sum(len(line) for line in output["traceback"])
    return sum(len(str(v)) for v in output.get("data", {}).values())


def output_from_msg(msg):
    """A notebook output (a plain dict) from a kernel's iopub message.

    (nbformat has the same; importing it costs a second in every jail.)
    """
    kind, content = msg["header"]["msg_type"], msg["content"]
    if kind == "stream":
        return {"output_type": kind, "name": content["name"], "text": content["text"]}
    if kind == "error":
        fields = ("ename", "evalue", "traceback")
        return {"output_type": kind, **{name: content[name] for name in fields}}
    output = {"output_type": kind, "data": content["data"], "metadata": content.get("metadata", {})}
    if kind == "execute_result":
        output["execution_count"] = content.get("execution_count")
    return output


def error_output(name, message):
    """An error output, as nbgrader scores it: a test cell holding one gets 0 points."""
    return {
        "output_type": "error",
        "ename": name,
        "evalue": message,
        "traceback": [f"{name}: {message}"],
    }


def _death_cause(km, events, index):
    if any(e.cell == index and e.kind == "killed" for e in events):
        return "killed after it did not stop when interrupted"
    process = getattr(km.provisioner, "process", None)
    code = process.poll() if process is not None else None
    if code is None:
        return "the kernel stopped"
    if code < 0:
        name = signal.Signals(-code).name
        if name == "SIGKILL":
            return "killed (SIGKILL), most likely for using too much memory"
        return f"crashed ({name})"
    return f"the kernel exited with code {code} (os._exit, or a crash)"


def main():
    """Read {"cells": [source or null], "limits": {...}} on stdin; write one JSON
    line per cell and per event to the file descriptor given as the first argument."""
    out = os.fdopen(int(sys.argv[1]), "w")
    request = json.load(sys.stdin)
    limits = SimpleNamespace(**request["limits"])

    def emit(item):
        out.write(json.dumps(item) + "\n")
        out.flush()

    run_cells(request["cells"], limits, emit)
    out.close()
    os._exit(0)


if __name__ == "__main__":
    main()
