"""Run a student's code under limits, unable to see the course's files.

``sandboxed(command, limits, workdir, hide, keep)`` returns the command line
that starts ``command`` (a grading kernel, or the clean re-verification) so that:

- memory: the address space is capped (RLIMIT_AS), so a memory bomb gets a
  MemoryError or dies alone, and the machine is unharmed;
- files: a file the code writes is capped in size (RLIMIT_FSIZE), no core dumps;
- sight: where Linux user namespaces are available (no root needed), the code
  runs in a mount namespace where every folder in ``hide`` is replaced by an
  empty one (the grader hides /tmp, the home folders, the whole kit with its
  course, gradebook and submissions), and only the folders in ``keep`` (the
  Python installation, the kit's package and data) and ``workdir`` (the
  student's own graded copy) are shown again, at their usual paths.

Run as ``python .../dl_utils/grading/sandbox.py --memory-mb N --file-mb N
--workdir DIR [--hide DIR ...] [--keep DIR ...] -- COMMAND ...``: it applies
the limits, then replaces itself with COMMAND.
"""

import argparse
import ctypes
import ctypes.util
import functools
import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass

MS_RDONLY = 1
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384


@dataclass(frozen=True)
class Limits:
    """Limits for one student's grading (all configurable, see the README).

    cell_timeout: seconds a cell may run before it is interrupted.
    interrupt_grace: seconds an interrupted cell gets to stop before its kernel is killed.
    memory_mb: address-space cap of the student's process, in MiB.
    output_kb: output kept per cell, in KiB (the rest is dropped and noted).
    file_mb: largest file the student's code may write, in MiB.
    """

    cell_timeout: float = 60
    interrupt_grace: float = 5
    memory_mb: int = 3072
    output_kb: int = 256
    file_mb: int = 64


@functools.cache
def namespaces_available():
    """True when unprivileged user + mount namespaces work on this machine."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    try:
        result = subprocess.run(
            [unshare, "--user", "--map-root-user", "--mount", "true"],
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def sandboxed(command, limits, workdir, hide=(), keep=()):
    """The command line that runs ``command`` sandboxed.

    command: the argv to run, e.g. [python, "-m", "ipykernel_launcher", "-f", file].
    limits: a Limits. workdir: the folder the code runs in (always visible).
    hide: folders replaced by empty ones (only where namespaces are available).
    keep: folders shown again inside hidden ones (read-only).
    """
    inner = [
        sys.executable,
        os.path.abspath(__file__),  # run by path: no need to import the dl_utils package
        "--memory-mb",
        str(limits.memory_mb),
        "--file-mb",
        str(limits.file_mb),
        "--workdir",
        str(workdir),
    ]
    use_namespaces = bool(hide) and namespaces_available()
    if use_namespaces:
        for folder in hide:
            inner += ["--hide", str(folder)]
        for folder in keep:
            inner += ["--keep", str(folder)]
    inner += ["--", *command]
    if use_namespaces:
        return [shutil.which("unshare"), "--user", "--map-root-user", "--mount", "--", *inner]
    return inner


def _mount(source, target, fstype, flags):
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if libc.mount(
        source.encode() if source else None,
        target.encode(),
        fstype.encode() if fstype else None,
        flags,
        None,
    ):
        error = ctypes.get_errno()
        raise OSError(error, f"mount {target}: {os.strerror(error)}")


def _inside(path, folder):
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _show_again(fd, path, read_only):
    """Bind the folder open as ``fd`` at ``path`` (created inside an empty tmpfs)."""
    os.makedirs(path, exist_ok=True)
    _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
    if read_only:
        _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_REC)


def _hide_and_keep(workdir, hide, keep, files):
    """Hide the folders, then show again what must stay visible.

    files: paths of files the command needs (e.g. a kernel's connection
    file): if they lie in a hidden folder they are copied into the new one.
    """
    hide = [os.path.realpath(h) for h in hide if os.path.isdir(h)]
    keep = [os.path.realpath(k) for k in keep if os.path.isdir(k)]
    workdir = os.path.realpath(workdir)
    saved = {f: open(f, "rb").read() for f in files if os.path.isfile(f)}
    # open everything to show again before hiding it: the fds still reach it
    fds = [(os.open(k, os.O_RDONLY | os.O_DIRECTORY), k, True) for k in keep]
    fds.append((os.open(workdir, os.O_RDONLY | os.O_DIRECTORY), workdir, False))
    for folder in sorted(hide, key=len):
        if not any(_inside(folder, h) and folder != h for h in hide):
            _mount("tmpfs", folder, "tmpfs", 0)
    for fd, path, read_only in fds:
        if any(_inside(path, h) for h in hide):
            _show_again(fd, path, read_only)
        os.close(fd)
    for path, content in saved.items():
        if any(_inside(path, h) for h in hide):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(content)


def _apply(args, command):
    if args.hide:
        files = [command[i + 1] for i, a in enumerate(command[:-1]) if a == "-f"]
        _hide_and_keep(args.workdir, args.hide, args.keep, files)
    memory = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    size = args.file_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.chdir(args.workdir)
    # the student's code sees its own folder as home, nothing of the grader's
    os.environ["HOME"] = args.workdir
    os.environ["IPYTHONDIR"] = os.path.join(args.workdir, ".ipython")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m dl_utils.grading.sandbox")
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--file-mb", type=int, required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--hide", action="append", default=[])
    parser.add_argument("--keep", action="append", default=[])
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    _apply(args, command)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
