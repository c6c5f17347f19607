"""The run log of a report: which code, parameters and input files produced it.

Every report folder holds a ``run_log.json`` that says which code, which parameters and which
exact input files produced it, so a published note can be traced and reproduced.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

from tryghedlib.note.versions import package_versions


def library_version() -> str:
    """Installed version of tryghedlib, or ``"unknown"`` when it is not installed."""
    try:
        return metadata.version("tryghedlib")
    except metadata.PackageNotFoundError:
        return "unknown"


def source_revision(folder: str | Path | None = None) -> dict[str, Any] | None:
    """Git commit of the code and whether the work tree has uncommitted changes.

    ``None`` when the code is not in a git checkout (an installed wheel) or git is missing.
    """
    folder = Path(folder) if folder else Path(__file__).parent

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "dirty": dirty}


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def write_run_log(
    path: str | Path,
    parameters: Mapping[str, Any],
    hashes: Mapping[str, str],
    started: datetime,
    finished: datetime,
    **extra: Any,
) -> Path:
    """Write the JSON run log of one report run atomically (temp file, then ``os.replace``).

    ``extra`` keys (e.g. ``outputs``, ``warnings``) are added at the top level. Returns the path.
    """
    path = Path(path)
    log = {
        "parameters": dict(parameters),
        "library_version": library_version(),
        "source_revision": source_revision(),
        "packages": package_versions(),
        "started": _iso(started),
        "finished": _iso(finished),
        "duration_seconds": round((finished - started).total_seconds(), 2),
        "inputs": dict(hashes),
        **extra,
    }
    text = json.dumps(log, indent=2, ensure_ascii=False, default=str) + "\n"
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temp_name, 0o644)  # mkstemp makes it owner-only; the log is not secret
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path
