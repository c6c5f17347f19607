"""A disposable cache of processed tables in ``data/processed/``, keyed by the raw files' hashes.

A table is rebuilt when any of its input files changes (its SHA-256 differs) or the library's
version changes. Writes go to a temporary file that is renamed into place, so two reports
running at once never see a half-written table.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from tryghedlib import __version__
from tryghedlib.provenance import sha256_file


def cache_key(name: str, inputs: Iterable[str | Path]) -> str:
    """A key naming the table, the library version and the content of every input file."""
    digest = hashlib.sha256(f"{name}\0{__version__}".encode())
    for path in sorted(Path(p) for p in inputs):
        digest.update(f"\0{path.name}\0{sha256_file(path)}".encode())
    return digest.hexdigest()[:20]


def cached(name: str, inputs: Iterable[str | Path], build: Callable[[], pd.DataFrame],
           cache_dir: str | Path | None) -> pd.DataFrame:
    """``build()``'s table, read from the cache when its inputs are unchanged.

    With ``cache_dir`` None the table is always built and nothing is written.
    """
    if cache_dir is None:
        return build()
    path = Path(cache_dir) / f"{name}-{cache_key(name, inputs)}.parquet"
    if path.exists():
        return pd.read_parquet(path)
    table = build()
    write_atomic(table, path)
    return table


def write_atomic(table: pd.DataFrame, path: Path) -> None:
    """Write parquet to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    os.close(handle)
    try:
        table.to_parquet(temporary, index=False)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
