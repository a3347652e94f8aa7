"""Memory and processes for a whole jail, where the machine lets the grader make cgroups.

The limits inside a jail (``jail.py``) count per process: a submission that
forks several processes could use several times its memory. Where the grader
may make control groups (as root, on cgroup v1 with the memory and pids
controllers, or on cgroup v2 where they can be delegated), each jail gets one
of its own: everything in it together gets at most ``memory`` bytes (its
files in memory included: the jail's folders are tmpfs) and ``processes``
processes. A jail past its memory has a process killed by the kernel, the
same as a machine out of memory, but alone.

``JailGroup.make(name, memory, processes)`` makes one, or returns None where
the machine does not allow it; ``procs`` are the files a process writes its
pid into to join it (jail.py's launcher does, before it starts bwrap);
``remove()`` ends everything still in it and removes it.
"""

import contextlib
import os
import signal
import time

CONTROLLERS = ("memory", "pids")


def _mounts():
    """{controller: (mount point, mount root)} of the cgroup hierarchies, and the
    cgroup2 mount as "unified" (from /proc/self/mountinfo)."""
    found = {}
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            dash = fields.index("-")
            fstype, options = fields[dash + 1], fields[dash + 3].split(",")
            root, point = fields[3], fields[4]
            if fstype == "cgroup2":
                found["unified"] = (point, root)
            elif fstype == "cgroup":
                for controller in CONTROLLERS:
                    if controller in options:
                        found[controller] = (point, root)
    return found


def _own_paths():
    """{controller or "unified": this process's cgroup path} from /proc/self/cgroup."""
    paths = {}
    with open("/proc/self/cgroup") as f:
        for line in f:
            number, controllers, path = line.rstrip("\n").split(":", 2)
            if number == "0" and controllers == "":
                paths["unified"] = path
            for controller in controllers.split(","):
                paths[controller] = path
    return paths


def _folder(point, root, path):
    relative = os.path.relpath(path, root) if root != "/" else path.lstrip("/")
    return os.path.normpath(os.path.join(point, relative))


class JailGroup:
    """One jail's control group (one folder per hierarchy)."""

    def __init__(self, folders):
        self.folders = folders

    @property
    def procs(self):
        return [os.path.join(folder, "cgroup.procs") for folder in self.folders]

    @classmethod
    def make(cls, name, memory, processes):
        """A new group with these limits, or None where cgroups cannot be made here."""
        try:
            mounts, own = _mounts(), _own_paths()
            if all(c in mounts and c in own for c in CONTROLLERS):
                return cls._make_v1(mounts, own, name, memory, processes)
            if "unified" in mounts and "unified" in own:
                return cls._make_v2(mounts["unified"], own["unified"], name, memory, processes)
        except OSError:
            return None
        return None

    @classmethod
    def _make_v1(cls, mounts, own, name, memory, processes):
        folders = []
        try:
            for controller, limits in (
                ("memory", {"memory.limit_in_bytes": memory}),
                ("pids", {"pids.max": processes}),
            ):
                folder = os.path.join(_folder(*mounts[controller], own[controller]), name)
                os.mkdir(folder)
                folders.append(folder)
                for file, value in limits.items():
                    with open(os.path.join(folder, file), "w") as f:
                        f.write(str(value))
        except OSError:
            cls(folders).remove()
            return None
        return cls(folders)

    @classmethod
    def _make_v2(cls, mount, own, name, memory, processes):
        parent = _folder(*mount, own)
        with open(os.path.join(parent, "cgroup.controllers")) as f:
            if not set(CONTROLLERS) <= set(f.read().split()):
                return None
        with open(os.path.join(parent, "cgroup.subtree_control"), "w") as f:
            f.write(" ".join(f"+{c}" for c in CONTROLLERS))  # refused where it has processes
        folder = os.path.join(parent, name)
        os.mkdir(folder)
        group = cls([folder])
        try:
            for file, value in (
                ("memory.max", memory),
                ("memory.swap.max", 0),
                ("pids.max", processes),
            ):
                path = os.path.join(folder, file)
                if os.path.exists(path):
                    with open(path, "w") as f:
                        f.write(str(value))
        except OSError:
            group.remove()
            return None
        return group

    def remove(self):
        """Kill what is still in the group, then remove its folders."""
        for folder in self.folders:
            for _ in range(50):
                pids = _read_pids(os.path.join(folder, "cgroup.procs"))
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, signal.SIGKILL)
                try:
                    os.rmdir(folder)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)


def _read_pids(path):
    try:
        with open(path) as f:
            return [int(line) for line in f if line.strip()]
    except OSError:
        return []
