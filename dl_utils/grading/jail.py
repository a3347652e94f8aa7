"""The jail: every piece of a student's code runs inside one, at grade time.

A jail is a Debian ``bubblewrap`` (``bwrap``) sandbox, the way contest judges
run untrusted programs:

- an unprivileged uid and gid (65534), never root, even when the grader is
  root (the grader then drops to that uid before it starts bwrap), with every
  capability dropped and no way to make a new user namespace;
- new user, pid, network, ipc and uts namespaces: the code sees only its own
  processes, has no network but its own loopback, and dies with its parent
  (``--die-with-parent``), so nothing it starts outlives the jail;
- a file system of read-only binds (the system's /usr, the Python installation,
  and whatever ``Jail.read_only`` adds, e.g. the kit's ``dl_utils`` and
  ``data``) and two private writable folders, the home folder
  ``/home/student`` and ``/tmp``, tmpfs of ``Limits.disk_mb`` together: the
  home folder holds only the files the grader copies in, and both vanish
  with the jail. No /tmp of the machine, no home folders, no course, no
  gradebook, no other student;
- a fixed environment (``Jail.env``), not the grader's;
- limits inside the jail: address space per process, processes (counted in
  the jail's own user namespace, so one jail's fork bomb does not starve
  another), file size, open files, no core dumps. The grader adds the limits
  it enforces from outside: wall-clock time and output, counted on the pipes.

``start(jail, argv)`` starts a program in a jail; ``jail_problem()`` says why
jails cannot run on this machine (or None). As root the command starts with
``stage.py``: it joins the jail's control group
(``cgroup.py``: memory and processes for the whole jail, where the machine
allows), binds the read-only folders, in a mount namespace of its own, into a
folder the jail's uid can reach (a Python installation under /root is not),
drops to that uid and starts bwrap.
"""

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

JAIL_UID = JAIL_GID = 65534  # "nobody": owns nothing on the machine (stage.py: the same gid)
HOME = "/home/student"
SYSTEM = ("/usr", "/etc/ld.so.cache", "/etc/localtime", "/etc/fonts")
# merged-/usr systems: these are links into /usr
SYSTEM_LINKS = {"/bin": "usr/bin", "/lib": "usr/lib", "/lib64": "usr/lib64", "/sbin": "usr/sbin"}
PASSWD = f"student:x:{JAIL_UID}:{JAIL_GID}:student:{HOME}:/bin/false\n"
GROUP = f"student:x:{JAIL_GID}:\n"
# Set to "1" (by `dl-course autograde --no-jail`) to run student code without a jail.
UNJAILED_VARIABLE = "DL_GRADING_UNJAILED"
STAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stage.py")  # as root, first


@dataclass(frozen=True)
class Limits:
    """Limits for one student's submission (all configurable, see the README).

    cell_timeout: seconds a notebook cell may run before it is interrupted.
    interrupt_grace: seconds an interrupted cell gets to stop before its kernel is killed.
    notebook_timeout: seconds the whole notebook run may take.
    call_timeout: seconds one call of a student's function may take while it is judged
        (and one cell of definitions, when the judge replays them).
    check_budget: seconds all the calls of one exercise's check may take together.
    judge_timeout: seconds the judging of the whole submission may take.
    memory_mb: address space of each process of the student's, in MiB.
    processes: processes and threads in one jail.
    disk_mb: size of the jail's writable folder (everything it may write), in MiB.
    file_mb: largest file the student's code may write, in MiB.
    output_kb: notebook output kept per cell, in KiB (the rest is dropped and noted).
    output_mb: everything a jail may print on its stdout and stderr, in MiB;
        past it the jail is stopped.
    """

    cell_timeout: float = 60
    interrupt_grace: float = 5
    notebook_timeout: float = 900
    call_timeout: float = 15
    check_budget: float = 45
    judge_timeout: float = 600
    memory_mb: int = 3072
    processes: int = 64
    disk_mb: int = 256
    file_mb: int = 64
    output_kb: int = 256
    output_mb: int = 64

    def as_dict(self):
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class Jail:
    """One jail's file system and environment.

    read_only: folders or files of the machine shown read-only, at the same path.
    hidden: folders covered by an empty read-only folder (e.g. dl_utils inside
        a Python installation, for the judge's worker).
    files: {path relative to the home folder: path on the machine} copied in
        (regular files only: a symbolic link is never followed).
    env: the environment, on top of HOME, USER, PATH and LANG.
    limits: the Limits.
    enabled: False runs the code without a jail (only when the instructor asked
        for it, where bubblewrap cannot run): the same home folder, environment
        and limits inside, but nothing hidden and nothing protected.
    """

    read_only: list = field(default_factory=list)
    hidden: list = field(default_factory=list)
    files: dict = field(default_factory=dict)
    env: dict = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    enabled: bool = field(default_factory=lambda: os.environ.get(UNJAILED_VARIABLE) != "1")

    def command(self, argv):
        """The command line that runs ``argv`` in this jail, and the fds to pass.

        argv: the program and its arguments, as seen inside the jail.
        Returns (command, pass_fds, leftovers): close the fds once the process has
        started; ``cleanup(leftovers)`` once it has ended.
        """
        leftovers, fds = Leftovers(), []
        try:
            return self._command(argv, leftovers, fds)
        except BaseException:  # e.g. a file to copy in that is a link: leave nothing behind
            for fd in fds:
                os.close(fd)
            cleanup(leftovers)
            raise

    def _command(self, argv, leftovers, fds):
        bwrap = shutil.which("bwrap") or "bwrap"
        as_root = os.geteuid() == 0
        sources = _python_folders() + [p for p in SYSTEM if os.path.exists(p)] + self.read_only
        sources = _outermost(sorted({os.path.realpath(p) for p in sources if os.path.exists(p)}))
        if as_root:
            from .cgroup import JailGroup

            staging = leftovers.folder = tempfile.mkdtemp(prefix="dl-jail-")
            mb = 1024 * 1024
            memory = (self.limits.memory_mb + self.limits.disk_mb) * mb
            leftovers.group = JailGroup.make(
                os.path.basename(staging), memory, self.limits.processes + 8
            )
        args = [
            "--unshare-all",
            "--unshare-user",
            "--disable-userns",
            "--die-with-parent",
            "--new-session",
            "--uid",
            str(JAIL_UID),
            "--gid",
            str(JAIL_GID),
            "--cap-drop",
            "ALL",
            "--hostname",
            "jail",
            "--clearenv",
        ]
        # /tmp first: a read-only folder may lie in it (a kit cloned into /tmp)
        disk = self.limits.disk_mb * 1024 * 1024
        args += ["--size", str(disk // 4), "--tmpfs", "/tmp"]
        for i, path in enumerate(sources):
            shown = f"{staging}/{i}" if as_root else path
            args += ["--ro-bind", shown, path]
        for link, target in SYSTEM_LINKS.items():
            if os.path.islink(link):
                args += ["--symlink", target, link]
        for path in self.hidden:  # an empty package that refuses to be imported
            fds.append(_data_fd(b"raise ImportError('not available here')\n"))
            args += ["--tmpfs", path, "--ro-bind-data", str(fds[-1]), f"{path}/__init__.py"]
            args += ["--remount-ro", path]
        args += ["--proc", "/proc", "--dev", "/dev"]
        args += ["--size", str(disk - disk // 4), "--tmpfs", HOME]
        args += ["--size", "1048576", "--tmpfs", "/dev/shm"]
        for path, content in (("/etc/passwd", PASSWD), ("/etc/group", GROUP)):
            fds.append(_data_fd(content.encode()))
            args += ["--ro-bind-data", str(fds[-1]), path]
        made = {HOME}
        for relative, source in sorted(self.files.items()):
            target = f"{HOME}/{relative}"
            for parent in _parents(target, stop=HOME):
                if parent not in made:
                    args += ["--dir", parent]
                    made.add(parent)
            fds.append(os.open(source, os.O_RDONLY | os.O_NOFOLLOW))
            args += ["--file", str(fds[-1]), target]
        for name, value in self.environment().items():
            args += ["--setenv", name, value]
        args += ["--chdir", HOME, "--remount-ro", "/"]
        command = [bwrap, *args, "--", *self.limits_command(), *argv]
        if as_root:
            procs = leftovers.group.procs if leftovers.group else []
            stage_args = ["--stage", staging, json.dumps(sources), json.dumps(procs), str(JAIL_UID)]
            stage_args.append("--")
            launcher = [sys.executable, "-I", "-S", STAGE, *stage_args]
            command = [*launcher, *command]
        return command, fds, leftovers

    def limits_command(self, processes=True):
        """prlimit with the limits that apply inside: memory, processes, file size."""
        limits = self.limits
        return [
            "/usr/bin/prlimit",
            f"--as={limits.memory_mb * 1024 * 1024}",
            *([f"--nproc={limits.processes}"] if processes else []),
            f"--fsize={limits.file_mb * 1024 * 1024}",
            "--nofile=256",
            "--core=0",
            "--",
        ]

    def environment(self):
        """The jail's whole environment."""
        python_bin = os.path.dirname(sys.executable)
        return {
            "HOME": HOME,
            "USER": "student",
            "LOGNAME": "student",
            "PATH": f"{python_bin}:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            **self.env,
        }


def start(jail, argv, **popen):
    """Start ``argv`` in ``jail`` (subprocess.Popen arguments in ``popen``).

    Returns (process, leftovers): ``cleanup(leftovers)`` once the process has ended.
    """
    if not jail.enabled:
        return _start_unjailed(jail, argv, **popen)
    command, fds, leftovers = jail.command(argv)
    # bwrap itself gets no environment of the grader's: its process is the jail's
    # pid 1, whose /proc/1/environ the student's code can read
    popen.setdefault("env", {"PATH": "/usr/bin:/bin"})
    try:
        process = subprocess.Popen(command, pass_fds=(*fds, *popen.pop("pass_fds", ())), **popen)
    except BaseException:
        cleanup(leftovers)
        raise
    finally:
        for fd in fds:
            os.close(fd)
    return process, leftovers


def _start_unjailed(jail, argv, **popen):
    """Start argv with the jail's home folder (a temporary one), environment and
    limits, but no jail. The process limit is left out: without a user namespace
    of its own it would count every process of the grader's user."""
    home = tempfile.mkdtemp(prefix="dl-unjailed-")
    for relative, source in jail.files.items():
        target = os.path.join(home, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(os.open(source, os.O_RDONLY | os.O_NOFOLLOW), "rb") as src:
            with open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    env = {name: value.replace(HOME, home) for name, value in jail.environment().items()}
    command = jail.limits_command(processes=False) + [a.replace(HOME, home) for a in argv]
    process = subprocess.Popen(command, env=env, cwd=home, **popen)
    return process, Leftovers(folder=home)


@dataclass
class Leftovers:
    """What a started jail leaves to clean up once it has ended: as root, the staging
    folder (empty on the machine) and the jail's control group; without a jail,
    the temporary home folder."""

    folder: str = None
    group: object = None  # a cgroup.JailGroup


def cleanup(leftovers):
    """Remove what a jail left (see Leftovers); None: nothing."""
    if leftovers is None:
        return
    if leftovers.group is not None:
        leftovers.group.remove()
    if leftovers.folder:
        shutil.rmtree(leftovers.folder, ignore_errors=True)


def _python_folders():
    """The Python installation: the venv, the interpreter's own prefix, and the
    folder of the executable's real file."""
    real = os.path.realpath(sys.executable)
    return [sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.dirname(real))]


def _outermost(paths):
    """Drop the paths that lie inside another one (sorted input)."""
    kept = []
    for path in paths:
        if not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


def _parents(path, stop):
    """The folders between ``stop`` (excluded) and ``path`` (excluded), outermost first."""
    parents = []
    parent = os.path.dirname(path)
    while parent != stop and parent.startswith(stop + "/"):
        parents.append(parent)
        parent = os.path.dirname(parent)
    return parents[::-1]


def _data_fd(data):
    """A file descriptor from which bwrap reads ``data`` (an anonymous file)."""
    fd = os.memfd_create("jail-data", 0)
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


@functools.cache
def jail_problem():
    """None when jails run here; otherwise why not (one line, for the instructor)."""
    if shutil.which("bwrap") is None:
        return (
            "bubblewrap is not installed: `apt-get install bubblewrap` (as root), "
            "or `make jail` from the kit's folder"
        )
    if not os.path.exists("/usr/bin/prlimit"):
        return "prlimit (util-linux) is missing"
    process, leftovers = None, None
    try:
        process, leftovers = start(
            Jail(),
            ["/bin/sh", "-c", "test $(id -u) = 65534"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, err = process.communicate(timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        return f"bubblewrap could not start a jail: {error}"
    finally:
        if process is not None and process.poll() is None:
            process.kill()
        cleanup(leftovers)
    if process.returncode != 0:
        text = err.decode(errors="replace").strip().splitlines()
        why = text[-1] if text else f"exit code {process.returncode}"
        return (
            f"bubblewrap could not start a jail ({why}): unprivileged user namespaces "
            "may be disabled on this machine (sysctl kernel.unprivileged_userns_clone=1)"
        )
    return None
