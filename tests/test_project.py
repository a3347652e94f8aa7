"""The project itself: pinned packages in step, the README's commands real, ruff clean."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_versions():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonical(name)] = version.strip()
    return pins


def declared_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    return {canonical(re.split(r"[<>=!~\[; ]", n)[0]) for n in names}


def conda_packages():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    packages = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, str):
            name, _, version = entry.partition("=")
            packages[canonical(name)] = version
    return packages, environment


def test_every_declared_package_is_pinned():
    pins = pinned_versions()
    missing = declared_packages() - set(pins)
    assert not missing, f"not pinned in constraints.txt: {sorted(missing)}"


def test_environment_yml_lists_the_same_packages_and_versions():
    conda, environment = conda_packages()
    pins = pinned_versions()
    assert conda.pop("python") == "3.11"
    conda.pop("pip")
    assert set(conda) == declared_packages(), (
        "environment.yml and pyproject.toml list different packages"
    )
    for name, version in conda.items():
        assert version == pins[name], (
            f"{name}: environment.yml has {version}, constraints.txt {pins[name]}"
        )
    pip_entries = [e for e in environment["dependencies"] if isinstance(e, dict)]
    assert pip_entries == [{"pip": ["-e ."]}], "the kit itself is installed by pip"


def test_readme_commands_exist_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for command in re.findall(r"^make (\w+)", readme, flags=re.M):
        assert re.search(rf"^{command}:", makefile, flags=re.M), f"make {command} has no target"
    assert "make course" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.M), ".ci/run must call the README's test command"


def test_code_is_ruff_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


SYSTEM_PYTHON = Path("/usr/bin/python3")  # Debian's own, older than the one first on PATH


def test_the_pins_install_on_the_systems_own_python(tmp_path):
    # a newcomer on Debian 12 has python3 3.11.2: every pin must install there too
    # (a pin that needs a newer 3.11 makes pip backtrack for many minutes, or fail)
    if not SYSTEM_PYTHON.exists():
        pytest.skip(f"{SYSTEM_PYTHON} does not exist on this machine")
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", str(tmp_path / "venv")], check=True)
    pip = [str(tmp_path / "venv" / "bin" / "python"), "-m", "pip", "install", "--dry-run", "-q"]
    result = subprocess.run(
        [*pip, "--ignore-installed", "-c", str(ROOT / "constraints.txt"), "-e", f"{ROOT}[dev,hub]"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
