"""Fixtures several test modules share: the example's 2021 note, its report and the example
delivery in vendor form, each made once per test run. Tests only read them (a test that
changes one makes its own copy).

``run_invariants``: what must hold after any run that failed or was stopped (issue 14) —
nothing published, no temporary folder left, raw data and configuration byte-identical, the
cache unchanged or valid.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import pytest

from tryghedlib.example.vendor import write_vendor
from tryghedlib.note import model
from tryghedlib.run import cli
from tryghedlib.sources.hashes import MEMO_NAME, sha256_file

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


@pytest.fixture(scope="session")
def vendor_delivery(tmp_path_factory) -> Path:
    """The example delivery in vendor form (tryghedlib.example.vendor): SPSS survey, Excel
    police extract and population, renamed variables, with its sources.yaml."""
    out = tmp_path_factory.mktemp("vendor")
    write_vendor(out, EXAMPLE)
    return out


# The cache's memo of input-file hashes may learn the hash of an unchanged input in any run.
MEMO_NAMES = {MEMO_NAME}


def tree_state(folder: Path) -> dict[str, str]:
    """Every path under ``folder``: a file by its SHA-256, a folder as ``dir``, a link by its
    target (not followed); the cache's hash memo left out."""
    state = {}
    for path in sorted(folder.rglob("*")) if folder.exists() else []:
        if path.name in MEMO_NAMES:
            continue
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            state[key] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            state[key] = "dir"
        else:
            state[key] = sha256_file(path)
    return state


def _temporary(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob(".*")
            if p.name.endswith((".tmp", ".old"))] if folder.exists() else []


def _readable_parquet(path: Path) -> bool:
    import pyarrow.parquet

    try:
        pyarrow.parquet.read_metadata(path)
    except Exception:
        return False
    return True


@pytest.fixture
def run_invariants() -> Callable[..., Callable[[], None]]:
    """Call with the run's folders before a run that will fail; call the result after it.

    ``out``: the reports root (nothing published or removed there, no temporary folder);
    ``inputs``: folders that must stay byte-identical (data, config); ``cache``: unchanged, or
    (``strict_cache=False``, when the run may have filled it before failing) only grown by
    entries that are whole: no temporary file, every parquet file readable.
    """
    def before(*, out: Path, inputs: tuple[Path, ...] = (), cache: Path | None = None,
               strict_cache: bool = True) -> Callable[[], None]:
        states = {folder: tree_state(folder) for folder in (out, *inputs)}
        cache_state = tree_state(cache) if cache is not None else None

        def after() -> None:
            assert _temporary(out) == [], "a temporary folder was left"
            for folder, state in states.items():
                assert tree_state(folder) == state, f"{folder} changed"
            if cache is None:
                return
            now = tree_state(cache)
            if strict_cache:
                assert now == cache_state, f"the cache {cache} changed"
                return
            changed = [name for name in now if cache_state.get(name) != now[name]]
            assert not [n for n in changed if n.endswith(".tmp")], "a cache temp file was left"
            broken = [n for n in changed if n.endswith(".parquet")
                      and not _readable_parquet(cache / n)]
            assert broken == [], f"unreadable cache entries: {broken}"

        return after

    return before
