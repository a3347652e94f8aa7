"""The jail on its own: who the code runs as, what it sees, what it may do, what is left."""

import glob
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from dl_utils.grading.jail import HOME, Jail, Limits, _python_folders, cleanup, jail_problem, start

pytestmark = pytest.mark.jail  # see conftest.py

SMALL = Limits(memory_mb=1024, processes=24, disk_mb=8, file_mb=2)


def run(code, jail=None, timeout=60):
    """Run Python code in a jail; return (exit code, stdout, stderr)."""
    jail = jail or Jail(limits=SMALL)
    process, leftovers = start(
        jail, [sys.executable, "-I", "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        cleanup(leftovers)
    return process.returncode, out.decode(), err.decode()


def test_jails_run_on_this_machine():
    # CI installs bubblewrap (make jail); grading refuses to start without it
    assert jail_problem() is None


def test_the_code_runs_unprivileged_in_namespaces_of_its_own():
    code, out, err = run(
        "import os\n"
        "status = open('/proc/self/status').read()\n"
        "caps = [l.split()[1] for l in status.splitlines() if l.startswith(('CapEff', 'CapPrm'))]\n"
        "print(os.getuid(), os.getgid(), os.getpid(), caps)\n"
        "print(len([p for p in os.listdir('/proc') if p.isdigit()]))\n"
        "import socket\n"
        "print(socket.gethostname())\n"
    )
    assert code == 0, err
    first, second, third = out.splitlines()
    assert first == "65534 65534 2 ['0000000000000000', '0000000000000000']"
    assert int(second) <= 3, "only the jail's own processes are visible"
    assert third == "jail"


def test_outside_the_jail_the_code_is_not_root_either():
    marker = f"30.{uuid.uuid4().int % 10**9}"  # a sleep of a length nothing else uses
    process, leftovers = start(Jail(limits=SMALL), ["/bin/sleep", marker])
    try:
        deadline = time.monotonic() + 20
        owners = []
        while not owners and time.monotonic() < deadline:
            ps = subprocess.run(["ps", "-eo", "uid,args"], capture_output=True, text=True).stdout
            owners = [line.split()[0] for line in ps.splitlines() if marker in line]
            time.sleep(0.1)
        assert owners and all(uid != "0" for uid in owners), owners
        if os.geteuid() != 0:
            assert owners == [str(os.geteuid())] * len(owners)
    finally:
        process.kill()
        process.wait()
        cleanup(leftovers)


def test_only_the_system_python_and_the_given_folders_are_visible(tmp_path):
    shown = tmp_path / "shown"
    shown.mkdir()
    (shown / "data.txt").write_text("public")
    (tmp_path / "secret.txt").write_text("secret")
    copied = tmp_path / "mine.txt"
    copied.write_text("my own file")
    jail = Jail(read_only=[str(shown)], files={"work/mine.txt": str(copied)}, limits=SMALL)
    code, out, err = run(
        "import os, numpy\n"
        f"print(open({str(shown / 'data.txt')!r}).read())\n"
        f"print(os.path.exists({str(tmp_path / 'secret.txt')!r}))\n"
        "print(open('work/mine.txt').read(), os.getcwd())\n"
        "print(sorted(os.listdir('/home')))\n"
        "print(sorted(os.listdir('/etc')))\n",
        jail,
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "public"
    assert lines[1] == "False"
    assert lines[2] == f"my own file {HOME}"
    # /home shows the jail's own home, and only the folders that lead to the Python
    # installation where it lies in a user's home (a venv in a clone of the kit)
    python = [p for p in _python_folders() if p.startswith("/home/")]
    assert eval(lines[3]) == sorted({"student"} | {Path(p).parts[2] for p in python})
    assert "shadow" not in lines[4] and "passwd" in lines[4]


def test_read_only_means_read_only_and_the_mounts_cannot_be_undone(tmp_path):
    shown = tmp_path / "shown"
    shown.mkdir()
    code, out, err = run(
        "import ctypes, os\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        f"for path in ['/usr/x', {str(shown / 'x')!r}, '/x']:\n"
        "    try:\n"
        "        open(path, 'w')\n"
        "        print('wrote', path)\n"
        "    except OSError as error:\n"
        "        print('refused', error.strerror)\n"
        "print('umount', libc.umount2(b'/home/student', 2), ctypes.get_errno())\n"
        f"print('remount', libc.mount(None, {str(shown).encode()!r}, None, 32 | 4096, None))\n"
        "print('unshare', libc.unshare(0x10000000), ctypes.get_errno())\n",
        Jail(read_only=[str(shown)], limits=SMALL),
    )
    assert code == 0, err
    assert "wrote" not in out and out.count("refused Read-only file system") == 3
    assert "umount -1 1" in out  # EPERM
    assert "remount -1" in out
    assert "unshare -1" in out  # no new user namespace, so no capability to regain
    assert not (shown / "x").exists()


def test_there_is_no_network():
    code, out, err = run(
        "import socket\n"
        "s = socket.socket()\n"
        "s.settimeout(2)\n"
        "try:\n"
        "    s.connect(('127.0.0.1', 22))\n"
        "    print('connected')\n"
        "except OSError as error:\n"
        "    print('refused', type(error).__name__)\n"
        "print(socket.if_nameindex())\n"
    )
    assert code == 0, err
    assert "connected" not in out
    assert "'lo'" in out and "eth" not in out


def test_the_environment_is_fixed_not_the_graders(monkeypatch):
    monkeypatch.setenv("DL_SECRET_TOKEN", "do-not-leak")
    code, out, err = run(
        "import glob, os\n"
        "print(sorted(os.environ))\n"
        "for path in glob.glob('/proc/*/environ') + glob.glob('/proc/*/cmdline'):\n"
        "    try:\n"
        "        print(open(path, 'rb').read())\n"
        "    except OSError:\n"
        "        pass\n"
    )
    assert code == 0, err
    assert "'HOME'" in out and "'OPENBLAS_NUM_THREADS'" in out
    assert "do-not-leak" not in out, "no process of the jail holds the grader's environment"


@pytest.mark.parametrize(
    "code, words",
    [
        ("import numpy\nnumpy.ones(200 * 2**20)", "MemoryError"),
        ("open('big', 'wb').write(b'x' * 3 * 2**20)", "File too large"),
        (
            "import os\nfor i in range(8):\n    open(f'f{i}', 'wb').write(b'x' * 2**21)",
            "No space left",
        ),
        (
            "import os, time\n"
            "for i in range(100):\n"
            "    if os.fork() == 0:\n"
            "        time.sleep(2)\n"
            "        os._exit(0)\n",
            "Resource temporarily unavailable",
        ),
    ],
    ids=["memory", "file size", "disk", "processes"],
)
def test_the_limits_hold(code, words):
    exit_code, out, err = run(code)
    assert exit_code != 0 and words in err, err[-500:]


def test_each_jail_counts_its_own_processes():
    fork = (
        "import os, time\n"
        "n = 0\n"
        "for i in range(16):\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(3)\n"
        "        os._exit(0)\n"
        "    n += 1\n"
        "print(n)\n"
    )
    first, leftovers = start(
        Jail(limits=SMALL), [sys.executable, "-I", "-c", fork], stdout=subprocess.PIPE
    )
    try:
        code, out, err = run(fork)  # while the first jail holds 17 processes
        assert code == 0 and out.strip() == "16", err
    finally:
        first.communicate(timeout=60)
        cleanup(leftovers)


def test_nothing_outlives_the_jail(tmp_path):
    marker = f"60.{uuid.uuid4().int % 10**9}"  # a sleep of a length nothing else uses
    code, out, err = run(
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        f"        os.execv('/bin/sleep', ['sleep', '{marker}'])\n"
        "    os._exit(0)\n"
        "time.sleep(0.5)\n"
        "print('parent done')\n"
    )
    assert code == 0 and "parent done" in out, err
    time.sleep(0.5)
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert marker not in ps


def test_the_daemon_test_would_see_a_daemon():
    # the check above is real: the same sleep outside a jail is seen by ps
    marker = f"60.{uuid.uuid4().int % 10**9}"
    process = subprocess.Popen(["/bin/sleep", marker])
    try:
        time.sleep(0.3)
        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        assert marker in ps
    finally:
        process.kill()
        process.wait()


def test_a_link_is_never_followed_into_the_jail(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    link = tmp_path / "innocent.txt"
    link.symlink_to(secret)
    before = set(glob.glob("/tmp/dl-jail-*"))
    with pytest.raises(OSError):
        start(Jail(files={"innocent.txt": str(link)}, limits=SMALL), ["/bin/true"])
    assert set(glob.glob("/tmp/dl-jail-*")) == before, "and nothing is left behind"


def test_a_package_inside_the_python_installation_can_be_hidden(tmp_path):
    import numpy

    folder = os.path.dirname(numpy.__file__)
    code, out, err = run(
        "try:\n    import numpy\n    print('imported')\nexcept ImportError:\n    print('hidden')\n",
        Jail(hidden=[folder], limits=SMALL),
    )
    assert code == 0 and out.strip() == "hidden", err


def cgroups_here():
    from dl_utils.grading.cgroup import JailGroup

    group = JailGroup.make(f"dl-probe-{uuid.uuid4().hex}", 2**30, 64)
    if group is None:
        return False
    group.remove()
    return os.geteuid() == 0  # the jails make their groups as root only


def test_the_processes_of_a_jail_share_one_memory_limit_where_the_machine_allows():
    # three processes of 300 MB each, each one under the 512 MB limit per process
    code = (
        "import os\n"
        "children = []\n"
        "for i in range(3):\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        hoard = b'x' * (300 * 2**20)\n"
        "        import time; time.sleep(2)\n"
        "        os._exit(0)\n"
        "    children.append(pid)\n"
        "print([os.waitpid(pid, 0)[1] for pid in children])\n"
    )
    limits = Limits(memory_mb=512, processes=24, disk_mb=8, file_mb=2)
    exit_code, out, err = run(code, Jail(limits=limits))
    statuses = eval(out.strip())  # a list of wait statuses printed by the jail
    if cgroups_here():  # together they are over the jail's 520 MB: one of them is killed
        assert any(os.WIFSIGNALED(s) and os.WTERMSIG(s) == 9 for s in statuses), statuses
    else:  # the limit is per process (the README says so)
        assert statuses == [0, 0, 0]
