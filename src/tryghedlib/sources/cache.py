"""A disposable, verified cache of processed tables in ``data/processed/``, keyed by the raw files'
hashes.

A table is rebuilt when any of its input files changes (its SHA-256 differs) or the library
changes (its version or any of its source files). It is stored as parquet (a format that holds
data, never code) beside a manifest record: the entry's name and key, the input files' hashes,
the library's version and code digest, and each parquet file's size and SHA-256, signed with
the user's key (:mod:`tryghedlib.sources.trust`). A table is used only when its record verifies
and its bytes match it; anything else there (planted, rewritten, truncated, unreadable, a
symbolic link) is ignored and the table rebuilt from raw and written again. Writes go to a
temporary file that is renamed into place, so two reports running at once never see a
half-written table. A cache that cannot be used or written only costs time: see :func:`usable`.

The input files' hashes are remembered between runs (:mod:`tryghedlib.sources.hashes`).

A report whose inputs were all validated before (a note was built from exactly these files,
parameters, notebook and library code) finds a signed stamp in ``.validated/`` and need not
check them again before its kernel starts (:func:`validation_key`). This module imports pandas
only when a table is read or written, so ``tryghed report`` can look up hashes and stamps
without it.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import hashlib
import hmac
import io
import json
import logging
import os
import stat
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from tryghedlib import __version__
from tryghedlib.errors import os_reason
from tryghedlib.sources import trust
from tryghedlib.sources.hashes import file_hashes, file_sha256

log = logging.getLogger(__name__)

VALIDATED_DIR = ".validated"
PARQUET, RECORD = ".parquet", ".json"
FORMAT = 1   # of the manifest record; a record of another format is not read
T = TypeVar("T")


def usable(cache_dir: str | Path | None) -> tuple[Path | None, list[str]]:
    """The cache folder one run may use (None: none), and a one-line warning if it may not.

    Call once at the start of a run and pass None on. The folder is made (mode 0700) if
    missing. It is not used when the key cannot be trusted, when it is a file, another user's
    or writable by others, or when it cannot be made or written (read-only, full disk).
    """
    if not cache_dir:
        return None, []
    folder = Path(cache_dir)
    problem = trust.key_problem() or _folder_problem(folder)
    if problem is None:
        return folder, []
    return None, [f"Cachemappen {folder} bruges ikke, så alle tabeller læses fra de rå data "
                  f"(langsommere): {problem}."]


def _folder_problem(folder: Path) -> str | None:
    problem = trust.folder_problem(folder)
    if problem is not None:
        return problem
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        problem = trust.folder_problem(folder)
        if problem is None:
            trust.check_writable(folder)
    except OSError as error:
        return _write_problem(error)
    return problem


def _write_problem(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disken er fuld; frigør plads, eller angiv en anden --cache-dir"
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ("der kan ikke skrives i den (skrivebeskyttet eller ingen adgang); angiv en mappe, "
                "du kan skrive i, med --cache-dir, eller --cache-dir '' for ingen")
    return (f"den kan ikke oprettes eller skrives ({os_reason(error)}); angiv en anden "
            "--cache-dir, eller --cache-dir '' for ingen")


# --- Keys ---------------------------------------------------------------------------------------

def cache_key(name: str, inputs: Iterable[str | Path],
              memo_dir: str | Path | None = None, *, remember: bool = True) -> str:
    """A key naming the table, the library (version and code) and the content of every input
    file: a table is rebuilt when a loader's checks or output change, even within a version."""
    return _key(name, _input_hashes(inputs, memo_dir, remember))


def _input_hashes(inputs: Iterable[str | Path], memo_dir: str | Path | None,
                  remember: bool) -> list[list[str]]:
    paths = sorted(Path(p) for p in inputs)
    hashes = file_hashes(paths, memo_dir, remember=remember)
    return [[path.name, hashes[path]] for path in paths]


def _key(name: str, inputs: list[list[str]]) -> str:
    digest = hashlib.sha256(f"{name}\0{__version__}\0{code_digest()}".encode())
    for file_name, sha in inputs:
        digest.update(f"\0{file_name}\0{sha}".encode())
    return digest.hexdigest()[:20]


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 over the library's own source files, read once per process."""
    package = Path(__file__).parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# --- Reading and writing entries ----------------------------------------------------------------

class Batch:
    """The cache for one note: reads at once, writes only at :meth:`commit`.

    A table built from a delivery that is refused later in the same note (say, the survey is
    fine but the population is not) is then not left behind in the cache. A table read from
    the cache is not written again. With ``cache_dir`` None (or a folder that must not be
    used, see :func:`usable`) every table is built and nothing is written.
    """

    def __init__(self, cache_dir: str | Path | None):
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.pending: list[tuple[str, list, object]] = []
        problem = None if self.cache_dir is None else (
            trust.folder_problem(self.cache_dir) or trust.key_problem())
        if problem is not None:
            log.warning("Cachemappen %s bruges ikke: %s.", self.cache_dir, problem)
            self.cache_dir = None

    def get(self, name: str, inputs: Iterable[str | Path], build: Callable[[], T],
            kind: type | None = None) -> T:
        """``build()``'s table, or the cached one built from exactly these inputs. ``kind``:
        the dataclass of data frames ``build`` returns, if it returns no data frame."""
        if self.cache_dir is None:
            return build()
        inputs = list(inputs)
        table = lookup(name, inputs, self.cache_dir, kind)
        if table is None:
            table = build()
            self.pending.append((name, inputs, table))
        return table

    def commit(self) -> None:
        """Store the tables built since the last commit; after one cannot be stored (a full
        disk), the rest are not tried, so the analyst is warned once."""
        for name, inputs, table in self.pending:
            if not store(name, inputs, table, self.cache_dir):
                break
        self.pending.clear()


def cached(name: str, inputs: Iterable[str | Path], build: Callable[[], T],
           cache_dir: str | Path | None) -> T:
    """``build()``'s table, read from the cache when its inputs are unchanged.

    With ``cache_dir`` None the table is always built and nothing is written.
    """
    batch = Batch(cache_dir)
    table = batch.get(name, inputs, build)
    batch.commit()
    return table


def lookup(name: str, inputs: Iterable[str | Path], cache_dir: str | Path,
           kind: type | None = None) -> Any | None:
    """The cached table built from exactly these inputs, or None (not there, or not verified:
    a table is given back only when its signed record and its bytes match). Writes nothing.

    ``kind``: the dataclass of data frames stored (see :func:`store`); None for a data frame.
    """
    if trust.folder_problem(cache_dir) is not None:
        return None
    inputs = _input_hashes(inputs, cache_dir, remember=False)
    stem = Path(cache_dir) / f"{name}-{_key(name, inputs)}"
    try:
        return _read_entry(stem, name, inputs, kind)
    except Exception as error:   # missing, truncated, unreadable, forged: build it again
        log.debug("Cache entry %s not used: %s", stem.name, error)
        return None


def store(name: str, inputs: Iterable[str | Path], table: Any, cache_dir: str | Path) -> bool:
    """Cache ``table`` as built from these inputs (and remember their hashes); call once the
    inputs are known to be good. Whatever was stored under its key before is replaced.

    ``table`` is a data frame, or a dataclass whose fields are data frames (a safety plan),
    stored as one parquet file per frame. A column of tuples comes back as tuples and a column
    of ``object`` dtype as ``object``. Returns whether it was stored: a cache folder that
    cannot be written (read-only, full) only means building the table again next time.
    """
    folder = Path(cache_dir)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if trust.folder_problem(folder) is not None:
            return False
        inputs = _input_hashes(inputs, folder, remember=True)
        stem = folder / f"{name}-{_key(name, inputs)}"
        parts = {}
        for part, frame in _frames(table).items():
            data, parts[part] = _parquet(frame)
            trust.write_atomic(_part_path(stem, part), data)
        record = _record(name, stem, inputs, parts)
        record["hmac"] = trust.sign("cache-entry", _canonical(record))
        trust.write_atomic(_with(stem, RECORD), json.dumps(record, indent=1).encode())
        return True
    except OSError as error:
        # The run goes on from the raw data, but the analyst should know why the next run
        # will be slow again (and that the disk is full).
        log.warning("Tabellen %s blev ikke gemt i cachen %s, så den læses igen fra rådata "
                    "næste gang: %s.", name, folder, _write_problem(error))
        return False
    except trust.UntrustedKey as error:
        log.debug("Table %s not cached in %s: %s", name, folder, error)
        return False


def _with(stem: Path, suffix: str) -> Path:
    return stem.parent / f"{stem.name}{suffix}"


def _part_path(stem: Path, part: str) -> Path:
    return _with(stem, f".{part}{PARQUET}" if part else PARQUET)


def _record(name: str, stem: Path, inputs: list[list[str]], parts: dict) -> dict:
    return {"format": FORMAT, "name": name, "key": stem.name.rsplit("-", 1)[1],
            "version": __version__, "code": code_digest(), "inputs": inputs, "parts": parts}


def _canonical(record: Mapping[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":")).encode()


def _frames(table: Any) -> dict[str, Any]:
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        return {"": table}
    if dataclasses.is_dataclass(table) and not isinstance(table, type):
        frames = {f.name: getattr(table, f.name) for f in dataclasses.fields(table)}
        if all(isinstance(f, pd.DataFrame) for f in frames.values()):
            return frames
    raise TypeError(f"only data frames and dataclasses of data frames are cached, not "
                    f"{type(table).__name__}")


def _parquet(frame: Any) -> tuple[bytes, dict]:
    """The frame as parquet bytes, and what its record says of them."""
    objects = [str(c) for c in frame.columns if frame[c].dtype == object]
    tuples = [c for c in objects
              if frame[c].map(lambda v: isinstance(v, tuple) or v is None).all()]
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    data = buffer.getvalue()
    return data, {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                  "objects": objects, "tuples": tuples}


def _read_entry(stem: Path, name: str, inputs: list[list[str]], kind: type | None) -> Any | None:
    record = json.loads(trust.read_small(_with(stem, RECORD)))
    signature = record.pop("hmac", None)
    if not trust.verify("cache-entry", _canonical(record), signature):
        raise ValueError("its record is not signed with this user's key")
    parts = record.get("parts")
    if record != _record(name, stem, inputs, parts):
        raise ValueError("its record is of other inputs or another version of the library")
    wanted = [""] if kind is None else [f.name for f in dataclasses.fields(kind)]
    if sorted(parts) != sorted(wanted):
        raise ValueError(f"it holds {sorted(parts)}, not {wanted}")
    frames = {part: _read_part(_part_path(stem, part), parts[part]) for part in wanted}
    return frames[""] if kind is None else kind(**frames)


def _read_part(path: Path, spec: Mapping[str, Any]) -> Any:
    """One parquet file of an entry, if its bytes are those its record names (read once, into
    memory, so what was checked is what is parsed)."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))   # a link is refused
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise ValueError(f"{path.name} is not a regular file")
        data = trust.read_all(handle, int(spec["size"]))
    finally:
        os.close(handle)
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), str(spec["sha256"])):
        raise ValueError(f"{path.name} is not the file its record names")
    import pandas as pd

    frame = pd.read_parquet(io.BytesIO(data))
    for column in spec["objects"]:
        frame[column] = frame[column].astype(object)
    for column in spec["tuples"]:
        frame[column] = frame[column].map(lambda v: None if v is None else tuple(v))
    return frame


# --- Inputs known to be good ------------------------------------------------------------------

def validation_key(inputs: Mapping[str, str], parameters: Mapping[str, Any],
                   notebook: str | Path, memo_dir: str | Path | None = None) -> str:
    """A key for one report's inputs: every input file's hash (``inputs``, name -> SHA-256),
    the parameters, the notebook's hash and the library's version and code (so a changed check
    is met before the kernel starts, also between releases).
    """
    payload = {
        "version": __version__,
        "code": code_digest(),
        "inputs": dict(sorted(inputs.items())),
        "parameters": {k: parameters[k] for k in sorted(parameters)},
        "notebook": file_sha256(notebook, memo_dir, remember=False),
    }
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_validated(key: str, cache_dir: str | Path) -> bool:
    """Whether a note was built from the inputs of ``key`` before (see :func:`mark_validated`):
    its stamp is there and signed with this user's key."""
    if not key.isalnum():
        return False
    try:
        signature = trust.read_small(Path(cache_dir) / VALIDATED_DIR / key, 1024)
    except (OSError, ValueError):
        return False
    return trust.verify("validated", key.encode(), signature.decode("ascii", "replace").strip())


def mark_validated(key: str, cache_dir: str | Path) -> None:
    """Remember that a note was built from the inputs of ``key``; call only after a build
    succeeded. The stamp holds its signature; a read-only cache only means checking again
    next time."""
    folder = Path(cache_dir) / VALIDATED_DIR
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        trust.write_atomic(folder / key, trust.sign("validated", key.encode()).encode())
    except (OSError, trust.UntrustedKey) as error:
        log.debug("Inputs not stamped in %s: %s", folder, error)
