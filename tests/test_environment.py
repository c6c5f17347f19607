"""environment.yml and pyproject.toml name the same packages with the same lower bounds."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.\-]+)\s*(>=\s*[0-9.]+)?")


def _parse(requirements):
    parsed = {}
    for line in requirements:
        match = REQUIREMENT.match(line)
        name = match.group(1).lower().replace("_", "-")
        parsed[name] = (match.group(2) or "").replace(" ", "")
    return parsed


def pyproject_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        lines += extra
    packages = _parse(lines)
    packages["python"] = ">=" + project["requires-python"].removeprefix(">=")
    return packages


def environment_packages():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    return _parse([d for d in env["dependencies"] if isinstance(d, str) and d != "pip"])


def test_environment_and_pyproject_agree():
    assert environment_packages() == pyproject_packages()


def test_named_packages_are_declared():
    for name in ("jupyterlab", "pandas", "seaborn", "scipy", "papermill", "pytest"):
        assert name in pyproject_packages()
