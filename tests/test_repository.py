"""Habits of the repository: no real data in git, notebooks without outputs."""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tracked(pattern):
    result = subprocess.run(["git", "ls-files", pattern], cwd=ROOT, capture_output=True,
                            text=True)
    if result.returncode != 0:
        pytest.skip("not a git checkout")
    return result.stdout.split()


def test_only_the_synthetic_example_is_tracked_under_data_raw():
    allowed = ("data/raw/example/", "data/raw/README.md")
    assert [f for f in tracked("data/raw") if not f.startswith(allowed)] == []


def test_real_deliveries_are_ignored_by_git():
    for path in ("data/raw/2022/survey/tryghedsundersoegelse_2022.csv",
                 "data/processed/police-x.parquet", "reports/2021/x/status_note_2021.pdf"):
        result = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
        assert result.returncode == 0, f"{path} is not ignored"


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")),
                         ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs_and_definitions(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    source = "\n".join("".join(c["source"]) for c in code)
    assert "\ndef " not in "\n" + source and "\nclass " not in "\n" + source
    assert json.loads(notebook.read_text())["metadata"]["kernelspec"]["name"] == "python3"
