"""Fixtures several test modules share: the example's 2021 note and its report, each made once
per test run. Tests only read them (a test that changes a note makes its own copy)."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from tryghedlib.note import model
from tryghedlib.run import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example"
CONFIG = ROOT / "config"
NOTEBOOK = ROOT / "notebooks" / "status_note.ipynb"
EPOCH = "1622073600"  # 2021-05-27 00:00 UTC: the report's dates do not depend on the clock


@pytest.fixture(scope="session", autouse=True)
def cache_key_home(tmp_path_factory):
    """The cache's signing key in a folder of the test session's own, never the user's.

    Set in the environment (not monkeypatched per test) so that session and module fixtures
    which fill a cache, and the notebook kernels papermill starts (they inherit the
    environment), use the same key as the tests that read it.
    """
    home = tmp_path_factory.mktemp("config-home")
    saved = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(home)
    yield home
    if saved is None:
        del os.environ["XDG_CONFIG_HOME"]
    else:
        os.environ["XDG_CONFIG_HOME"] = saved


@pytest.fixture(scope="session")
def example_note() -> model.StatusNote:
    """The 2021 note of Tingbjerg-Husum computed from the example data (no cache)."""
    return model.build_note("tingbjerg-husum", 2021, data_dir=EXAMPLE, config_dir=CONFIG,
                            cache_dir=None)


@pytest.fixture(scope="session")
def example_report(tmp_path_factory) -> SimpleNamespace:
    """``tryghed report`` for Tingbjerg-Husum 2021 on the example data, in this process with a
    fresh cache: ``out`` (the output root), ``folder`` (executed notebook, PDF, run log),
    ``cache``, and what it printed (``stdout``, ``stderr``)."""
    root = tmp_path_factory.mktemp("example_report")
    out, cache = root / "reports", root / "processed"
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(stdout), \
            contextlib.redirect_stderr(stderr):
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        code = cli.main(["report", "--partnership", "tingbjerg-husum", "--year", "2021",
                         "--data-dir", str(EXAMPLE), "--config-dir", str(CONFIG),
                         "--out", str(out), "--cache-dir", str(cache),
                         "--notebook", str(NOTEBOOK)])
    assert code == 0, stderr.getvalue()
    return SimpleNamespace(out=out, folder=out / "2021" / "tingbjerg-husum", cache=cache,
                           stdout=stdout.getvalue(), stderr=stderr.getvalue())
