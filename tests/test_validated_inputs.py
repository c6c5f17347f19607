"""Inputs that passed the precheck before are not checked again before the kernel starts.

``tryghed report`` stamps the inputs of a report it made (``cache.validation_key``: every input
file's hash, the parameters, the notebook and the library's version); a next report with the same
stamp goes straight to the kernel, which still builds and validates everything. A refusal
there must look like the precheck's: the loader's message, exit code 1, no traceback, nothing
written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bad_inputs.cases import REFUSED
from conftest import tree_state
from tryghedlib.note import model
from tryghedlib.run import cli, report
from tryghedlib.sources import cache

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "status_note.ipynb"
PARAMETERS = {"partnership": "tingbjerg-husum", "report_year": 2021, "data_dir": "/d",
              "config_dir": "/c", "cache_dir": "/p"}


# --- The key and the stamp ---------------------------------------------------------------------

def test_the_key_changes_with_any_input_parameter_notebook_or_version(tmp_path, monkeypatch):
    notebook = tmp_path / "note.ipynb"
    notebook.write_text("{}")
    inputs = {"data/a.csv": "1" * 64, "config/settings.yaml": "2" * 64}
    key = cache.validation_key(inputs, PARAMETERS, notebook, tmp_path)
    assert key == cache.validation_key(dict(reversed(inputs.items())), PARAMETERS, notebook,
                                       tmp_path)
    assert key != cache.validation_key({**inputs, "data/a.csv": "3" * 64}, PARAMETERS,
                                       notebook, tmp_path)
    assert key != cache.validation_key({**inputs, "data/b.csv": "3" * 64}, PARAMETERS,
                                       notebook, tmp_path)
    assert key != cache.validation_key(inputs, {**PARAMETERS, "alpha": 0.1}, notebook, tmp_path)
    monkeypatch.setattr(cache, "__version__", "9.9.9")
    assert key != cache.validation_key(inputs, PARAMETERS, notebook, tmp_path)
    monkeypatch.undo()
    notebook.write_text('{"cells": []}')
    assert key != cache.validation_key(inputs, PARAMETERS, notebook, tmp_path)


def test_a_stamp_is_found_only_once_written(tmp_path):
    assert not cache.is_validated("abc", tmp_path / "processed")
    cache.mark_validated("abc", tmp_path / "processed")
    assert cache.is_validated("abc", tmp_path / "processed")
    assert not cache.is_validated("abd", tmp_path / "processed")
    assert [p.name for p in (tmp_path / "processed" / cache.VALIDATED_DIR).iterdir()] == ["abc"]


def test_an_unwritable_cache_only_means_checking_again(tmp_path):
    (tmp_path / "processed").write_text("not a folder")  # fails for root too, unlike chmod
    cache.mark_validated("abc", tmp_path / "processed")
    assert not cache.is_validated("abc", tmp_path / "processed")


def test_looking_up_hashes_and_stamps_does_not_import_pandas():
    code = ("import sys, tryghedlib.sources.cache, tryghedlib.run.report, tryghedlib.run.batch, "
            "tryghedlib.run.cli; "
            "print(sorted(m for m in ('pandas', 'numpy', 'scipy', 'matplotlib', 'pandera') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


# --- tryghed report ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the example delivery and config, and a report made from it (with its stamp)."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "data" / "raw" / "example", root / "data")
    shutil.copytree(ROOT / "config", root / "config")
    assert cli.main(arguments(root)) == 0
    return root


def arguments(root: Path, *more: str) -> list[str]:
    return ["report", "--partnership", "tingbjerg-husum", "--year", "2021",
            "--data-dir", str(root / "data"), "--config-dir", str(root / "config"),
            "--cache-dir", str(root / "processed"), "--out", str(root / "reports"),
            "--notebook", str(NOTEBOOK), *more]


def run_log(root: Path) -> dict:
    return json.loads((root / "reports" / "2021" / "tingbjerg-husum" / "run_log.json")
                      .read_text(encoding="utf-8"))


def test_a_made_report_stamps_its_inputs(project):
    assert "Tjekker data" in run_log(project)["steps"]
    assert len(list((project / "processed" / cache.VALIDATED_DIR).iterdir())) == 1


def test_unchanged_inputs_go_straight_to_the_kernel(project, monkeypatch, capsys):
    def no_precheck(parameters):
        raise AssertionError("the precheck ran although the inputs were checked before")

    monkeypatch.setattr(model, "build_note_for", no_precheck)
    assert cli.main(arguments(project, "--force")) == 0
    assert "Tjekker data" not in run_log(project)["steps"]
    assert "Data er uændrede" in capsys.readouterr().err


def test_a_changed_input_is_checked_again_before_the_kernel(project, tmp_path, monkeypatch,
                                                           capsys):
    case = next(c for c in REFUSED if c.id == "survey-year-text")
    root = copy_project(project, tmp_path)
    case.mutate(root / case.file)
    monkeypatch.setattr(report, "execute_notebook", kernel_must_not_start)
    assert cli.main(arguments(root, "--force")) == 1
    assert says(capsys.readouterr().err, case)


def test_a_refusal_in_the_kernel_is_reported_like_the_prechecks(project, tmp_path,
                                                               monkeypatch, capsys):
    """A stamp the inputs do not deserve (say, a check added to the code since): the kernel
    refuses them with the loader's message, and nothing is written."""
    case = next(c for c in REFUSED if c.id == "survey-year-text")
    root = copy_project(project, tmp_path)
    case.mutate(root / case.file)
    monkeypatch.setattr(cache, "is_validated", lambda key, cache_dir: True)
    shutil.rmtree(root / "reports")  # a first report: not even its folders may be left
    before = {sub: tree_state(root / sub) for sub in ("data", "config", "processed")}

    code = cli.main(arguments(root))

    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "Kører notebook" in err  # the kernel did run, and refused
    assert says(err, case)
    assert "Traceback" not in err and "\x1b[" not in err and "cell [" not in err
    assert "ingen rapport er skrevet" in err
    assert {sub: tree_state(root / sub) for sub in before} == before
    assert not (root / "reports").exists()


def copy_project(project: Path, tmp_path: Path) -> Path:
    for sub in ("data", "config", "processed", "reports"):
        shutil.copytree(project / sub, tmp_path / sub, symlinks=True)
    return tmp_path


def kernel_must_not_start(*args, **kwargs):
    raise AssertionError("the notebook was started although the inputs are broken")


def says(err: str, case) -> bool:
    parts = [p for p in case.says if p]
    return any(all(p in line for p in parts) for line in err.splitlines())
