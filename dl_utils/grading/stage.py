"""As root, the first step of every jail: run by path, before bwrap.

``python -I -S stage.py --stage STAGING SOURCES_JSON PROCS_JSON UID -- BWRAP...``
joins the jail's control group (``PROCS_JSON``: its cgroup.procs files, see
cgroup.py), binds each folder of ``SOURCES_JSON`` at STAGING/0, STAGING/1, ...
in a mount namespace of its own (on a tmpfs the jail's uid can enter: a Python
installation under /root cannot be reached by the jail's uid otherwise), drops
to that uid (and the gid of the same number) for good, and replaces itself with bwrap, which binds
STAGING/n back at the folders' own paths inside the jail.

It imports nothing of the kit's (it runs before anything else, as a script).
"""

import json
import os
import sys

CLONE_NEWNS = 0x00020000
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18


def _libc():
    import ctypes
    import ctypes.util

    return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def _check(result, what):
    if result != 0:
        import ctypes

        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def stage(staging, sources, procs, uid):
    """Join the jail's control group (``procs``: its cgroup.procs files); in a new mount
    namespace, a tmpfs at ``staging`` holding binds of ``sources`` at staging/0,
    staging/1, ...; then drop to the jail's uid and gid."""
    for path in procs:
        with open(path, "w") as f:
            f.write(str(os.getpid()))
    libc = _libc()
    _check(libc.unshare(CLONE_NEWNS), "unshare")
    _check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
    _check(libc.mount(b"tmpfs", staging.encode(), b"tmpfs", 0, b"mode=0755"), "mount staging")
    for i, source in enumerate(sources):
        target = os.path.join(staging, str(i))
        if os.path.isdir(source):
            os.mkdir(target)
        else:
            open(target, "w").close()
        _check(libc.mount(source.encode(), target.encode(), None, MS_BIND | MS_REC, None), source)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def main(argv):
    """``stage.py --stage STAGING SOURCES_JSON PROCS_JSON UID -- BWRAP_COMMAND...`` (as root)."""
    if len(argv) < 7 or argv[0] != "--stage" or argv[5] != "--":
        sys.exit("usage: stage.py --stage STAGING SOURCES_JSON PROCS_JSON UID -- COMMAND ...")
    stage(argv[1], json.loads(argv[2]), json.loads(argv[3]), int(argv[4]))
    os.execv(argv[6], argv[6:])


if __name__ == "__main__":
    main(sys.argv[1:])
