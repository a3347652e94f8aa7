"""Run a student's code under limits, unable to see the course's files.

``sandboxed(command, limits, workdir, hide)`` returns the command line that
starts ``command`` (a grading kernel, or the clean re-verification process):

- memory: the address space is capped (RLIMIT_AS), so a memory bomb gets a
  MemoryError or dies alone, and the machine is unharmed;
- files: a file the code writes is capped in size (RLIMIT_FSIZE), no core dumps;
- sight: where Linux user namespaces are available (no root needed), the code
  runs in a mount namespace in which every folder in ``hide`` (the course
  folder with the instructor's sources, the gradebook, every submission) is
  replaced by an empty one, and ``workdir`` is its working folder.

Run as ``python -m dl_utils.grading.sandbox --memory-mb N --workdir DIR
[--mount-point DIR] [--hide DIR ...] -- COMMAND ...``; it applies the limits
and then replaces itself with COMMAND.
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


def sandboxed(command, limits, workdir, hide=(), mount_point=None):
    """The command line that runs ``command`` sandboxed.

    command: the argv to run, e.g. [python, "-m", "ipykernel_launcher", "-f", file].
    limits: a Limits. workdir: the folder the code runs in.
    hide: folders replaced by empty ones (only where namespaces are available).
    mount_point: an empty folder outside ``hide`` where workdir is shown when
        workdir itself lies inside a hidden folder.
    """
    inner = [
        sys.executable,
        "-m",
        "dl_utils.grading.sandbox",
        "--memory-mb",
        str(limits.memory_mb),
        "--file-mb",
        str(limits.file_mb),
        "--workdir",
        str(workdir),
    ]
    if mount_point:
        inner += ["--mount-point", str(mount_point)]
    use_namespaces = bool(hide) and namespaces_available()
    if use_namespaces:
        for folder in hide:
            inner += ["--hide", str(folder)]
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


def _apply(args):
    memory = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    size = args.file_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    workdir = args.workdir
    if args.mount_point:
        _mount(workdir, args.mount_point, None, MS_BIND | MS_REC)
        workdir = args.mount_point
    for folder in args.hide:
        if os.path.isdir(folder):
            _mount("tmpfs", folder, "tmpfs", 0)
    os.chdir(workdir)
    # the student's code sees this folder as its home, nothing of the grader's
    os.environ["HOME"] = workdir
    os.environ["IPYTHONDIR"] = os.path.join(workdir, ".ipython")
    os.environ["MPLCONFIGDIR"] = os.path.join(workdir, ".matplotlib")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m dl_utils.grading.sandbox")
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--file-mb", type=int, required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--mount-point")
    parser.add_argument("--hide", action="append", default=[])
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    _apply(args)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
