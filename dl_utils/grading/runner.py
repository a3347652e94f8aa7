"""Execute a student's notebook cell by cell, under limits, and say what happened.

``run_notebook`` is the grading kernel's driver. It plays the part of
nbgrader's Execute step, with these rules:

- a cell that runs longer than the time limit is interrupted; it gets a
  ``CellTimeoutError`` output (so a test cell scores 0) and the next cells run;
- if an interrupted cell does not stop within the grace period (code that
  ignores Ctrl-C), the kernel is killed;
- when the kernel dies (``os._exit``, a crash, killed), the cell gets a
  ``KernelDied`` error and every later code cell a ``NotRun`` error: cells that
  passed before keep their points;
- each cell keeps at most ``limits.output_kb`` of output; the rest is dropped
  and a note says so.

What happened is returned as a list of events and also stored in the
notebook's metadata under "dl_grading" for the grading report.
"""

import os
import signal
import time
from dataclasses import asdict, dataclass
from queue import Empty

from jupyter_client import KernelManager
from nbformat.v4 import new_output, output_from_msg

from .sandbox import Limits, sandboxed

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


class SandboxedKernelManager(KernelManager):
    """A KernelManager whose kernel runs inside ``sandbox.sandboxed``."""

    def __init__(self, limits, workdir, hide=(), keep=(), **kwargs):
        super().__init__(**kwargs)
        self._sandbox = (limits, workdir, tuple(hide), tuple(keep))

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        limits, workdir, hide, keep = self._sandbox
        return sandboxed(command, limits, workdir, hide, keep)


def run_notebook(nb, workdir, limits=None, hide=(), keep=(), env=None):
    """Run every code cell of ``nb`` in a fresh sandboxed kernel, in place.

    nb: an nbformat notebook; its cells get their outputs.
    workdir: the folder the kernel runs in.
    hide, keep: see ``sandbox.sandboxed``.
    env: extra environment variables for the kernel.
    Returns the list of Events.
    """
    limits = limits or Limits()
    km, kc = start_kernel(limits, workdir, hide, keep, {**os.environ, **(env or {})})
    events = []
    try:
        dead_at = None
        for index, cell in enumerate(nb.cells, start=1):
            if cell.cell_type != "code":
                continue
            if dead_at is not None:
                cell.outputs = [
                    error_output("NotRun", f"not run: the kernel died in cell {dead_at}")
                ]
                continue
            if not cell.source.strip():
                cell.outputs = []
                continue
            events += _run_cell(km, kc, cell, index, limits)
            if not km.is_alive():
                dead_at = index
                detail = _death_cause(km, events, index)
                if not any(e.cell == index and e.kind == "killed" for e in events):
                    events.append(Event(index, "kernel died", detail))
                cell.outputs.append(
                    error_output("KernelDied", f"the kernel died in this cell: {detail}")
                )
    finally:
        kc.stop_channels()
        _kill(km)
        km.cleanup_resources()
    nb.metadata["dl_grading"] = {"events": [asdict(e) for e in events]}
    return events


def start_kernel(limits, workdir, hide, keep, env, attempts=3):
    """Start a sandboxed kernel and wait until it answers; returns (manager, client).

    No student code has run yet, so a kernel that fails to start (for instance
    when another kernel took one of its ports at the same moment) is the
    grader's problem: it is tried again, with new ports, before giving up.
    """
    for attempt in range(1, attempts + 1):
        km = SandboxedKernelManager(limits, workdir, hide, keep, kernel_name="python3")
        km.start_kernel(extra_arguments=KERNEL_ARGUMENTS, env=env, cwd=str(workdir))
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
                if output.output_type == "stream" and room > 0:
                    output.text = output.text[:room]
                    _append(cell, output)
                    kept += room
                if not cut:
                    cut = True
                    events.append(
                        Event(index, "output cut", f"more than {limits.output_kb} KB of output")
                    )
                    note = f"\n[output cut: more than {limits.output_kb} KB]\n"
                    cell.outputs.append(new_output("stream", name="stderr", text=note))
                continue
            kept += size
            _append(cell, output)
    return events


def _append(cell, output):
    # merge consecutive stream outputs of the same name, as nbclient does
    last = cell.outputs[-1] if cell.outputs else None
    if (
        output.output_type == "stream"
        and last is not None
        and last.output_type == "stream"
        and last.name == output.name
    ):
        last.text += output.text
    else:
        cell.outputs.append(output)


def _size(output):
    if output.output_type == "stream":
        return len(output.text)
    if output.output_type == "error":
        return sum(len(line) for line in output.traceback)
    return sum(len(str(v)) for v in output.get("data", {}).values())


def error_output(name, message):
    """An error output, as nbgrader scores it: a test cell holding one gets 0 points."""
    return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


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
