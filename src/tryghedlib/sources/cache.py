"""A disposable cache of processed tables in ``data/processed/``, keyed by the raw files' hashes.

A table is rebuilt when any of its input files changes (its SHA-256 differs) or the library
changes (its version or any of its source files). Writes go to a temporary file that is renamed
into place, so two reports running at once never see a half-written table.

The input files' hashes are remembered between runs (:mod:`tryghedlib.sources.hashes`).

A report whose inputs were all validated before (a note was built from exactly these files,
parameters, notebook and library code) finds a stamp in ``.validated/`` and need not check
them again before its kernel starts (:func:`validation_key`). This module imports pandas only when a
table is read or written, so ``tryghed report`` can look up hashes and stamps without it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from tryghedlib import __version__
from tryghedlib.sources.hashes import file_hashes, file_sha256

VALIDATED_DIR = ".validated"
PARQUET, PICKLE = ".parquet", ".pickle"
T = TypeVar("T")


def cache_key(name: str, inputs: Iterable[str | Path],
              memo_dir: str | Path | None = None, *, remember: bool = True) -> str:
    """A key naming the table, the library (version and code) and the content of every input
    file: a table is rebuilt when a loader's checks or output change, even within a version."""
    digest = hashlib.sha256(f"{name}\0{__version__}\0{code_digest()}".encode())
    paths = sorted(Path(p) for p in inputs)
    hashes = file_hashes(paths, memo_dir, remember=remember)
    for path in paths:
        digest.update(f"\0{path.name}\0{hashes[path]}".encode())
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


def cached(name: str, inputs: Iterable[str | Path], build: Callable[[], T],
           cache_dir: str | Path | None) -> T:
    """``build()``'s table, read from the cache when its inputs are unchanged.

    With ``cache_dir`` None the table is always built and nothing is written.
    """
    if cache_dir is None:
        return build()
    inputs = list(inputs)
    table = lookup(name, inputs, cache_dir)
    if table is None:
        table = build()
        store(name, inputs, table, cache_dir)
    return table


def _entry_path(name: str, inputs: Iterable[str | Path], cache_dir: str | Path,
                remember: bool) -> Path:
    """The entry's path without its suffix (``.parquet`` or ``.pickle``, see :func:`store`)."""
    key = cache_key(name, inputs, memo_dir=cache_dir, remember=remember)
    return Path(cache_dir) / f"{name}-{key}"


def _with(path: Path, suffix: str) -> Path:
    return path.parent / f"{path.name}{suffix}"


def lookup(name: str, inputs: Iterable[str | Path], cache_dir: str | Path) -> Any | None:
    """The cached table built from exactly these inputs, or None. Writes nothing."""
    path = _entry_path(name, inputs, cache_dir, remember=False)
    if _with(path, PARQUET).exists():
        import pandas as pd

        return pd.read_parquet(_with(path, PARQUET))
    try:
        with open(_with(path, PICKLE), "rb") as stream:
            return pickle.load(stream)
    except Exception:  # not there, or unreadable: build it again
        return None


def store(name: str, inputs: Iterable[str | Path], table: Any, cache_dir: str | Path) -> None:
    """Cache ``table`` as built from these inputs (and remember their hashes); call once the
    inputs are known to be good.

    A data frame is stored as parquet; anything else (a safety plan, whose tables hold tuples
    and columns of mixed types that parquet would not give back as they were) is pickled. The
    cache folder is the project's own, written only by this module, so unpickling it trusts
    nothing the code does not already trust.
    """
    import pandas as pd

    path = _entry_path(name, inputs, cache_dir, remember=True)
    path = _with(path, PARQUET if isinstance(table, pd.DataFrame) else PICKLE)
    if not path.exists():
        write_atomic(table, path)


def write_atomic(table: Any, path: Path) -> None:
    """Write ``table`` (parquet for a ``.parquet`` path, else pickle) to a temporary file beside
    ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    os.close(handle)
    try:
        if path.suffix == PARQUET:
            table.to_parquet(temporary, index=False)
        else:
            with open(temporary, "wb") as stream:
                pickle.dump(table, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


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
    """Whether a note was built from the inputs of ``key`` before (see :func:`mark_validated`)."""
    return (Path(cache_dir) / VALIDATED_DIR / key).is_file()


def mark_validated(key: str, cache_dir: str | Path) -> None:
    """Remember that a note was built from the inputs of ``key``; call only after a build
    succeeded. The stamp is an empty file, so it is whole once it exists; a read-only cache
    only means checking again next time."""
    folder = Path(cache_dir) / VALIDATED_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / key).touch()
    except OSError:
        pass
