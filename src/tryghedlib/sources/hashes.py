"""SHA-256 of the input files, remembered between runs.

Hashing a city's police register (tens of MB) takes longer than reading its processed table,
so the SHA-256 of each input file is remembered in ``.sha256-memo.json`` beside the cache,
keyed by what the file system says about the file: size, modification and change time (ns),
inode and device. Any write to a file changes its change time, which no program can set back,
and replacing it changes its inode, so a changed file is always hashed again. A file changed
within the last few seconds is hashed but not remembered (its time stamps could still be
shared with a next change on coarse-clock file systems).

The memo is signed with the user's key (:mod:`tryghedlib.sources.trust`): a memo planted or
rewritten by anyone else is ignored, so every file is hashed again, and replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

from tryghedlib.sources import trust

CHUNK_SIZE = 1 << 20
MEMO_NAME = ".sha256-memo.json"
SETTLED_SECONDS = 2.0  # a file changed more recently than this is not remembered
# Hashes of settled files this process computed, keyed like the memo: what a lookup hashed is
# not hashed again when the note's tables are stored.
_HASHED: dict[str, list] = {}


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks so large deliveries fit in memory.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_file(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def input_hashes(data_dir: str | Path, config_dir: str | Path | None = None,
                 memo_dir: str | Path | None = None, *, remember: bool = True) -> dict[str, str]:
    """SHA-256 of every file under ``data_dir`` and ``config_dir``.

    Keys are ``data/<path inside data_dir>`` and ``config/<path inside config_dir>`` with forward
    slashes, sorted, so the result does not depend on where the folders are or on the OS.
    With ``memo_dir`` an unchanged file's hash is looked up, and with ``remember`` a new one
    remembered (:func:`file_hashes`).
    A missing folder raises :class:`FileNotFoundError`.
    """
    names: dict[Path, str] = {}
    for label, folder in (("data", data_dir), ("config", config_dir)):
        if folder is None:
            continue
        folder = Path(folder)
        if not folder.is_dir():
            raise FileNotFoundError(f"{label} folder not found: {folder}")
        for path in _files_under(folder):
            names[path] = f"{label}/{path.relative_to(folder).as_posix()}"
    hashes = file_hashes(names, memo_dir, remember=remember)
    return dict(sorted((name, hashes[path]) for path, name in names.items()))


def file_hashes(paths: Iterable[str | Path], memo_dir: str | Path | None, *,
                remember: bool = True) -> dict[Path, str]:
    """SHA-256 of each file; with ``memo_dir``, an unchanged file is looked up, not read.

    ``remember=False`` leaves the memo as it is: for inputs not yet known to be good, so that
    a refused delivery leaves ``data/processed`` unchanged. A folder others can write holds
    no memo (:func:`tryghedlib.sources.trust.folder_problem`).
    """
    paths = [Path(p) for p in paths]
    if memo_dir is None or trust.folder_problem(memo_dir) is not None:
        return {p: sha256_file(p) for p in paths}
    memo_path = Path(memo_dir) / MEMO_NAME
    memo = _read_memo(memo_path)
    result, learned = {}, {}
    for path in paths:
        key, stamp = _stamp(path)
        entry = memo.get(key)
        if entry is not None and entry[:-1] == stamp:
            result[path] = entry[-1]
            continue
        entry = _HASHED.get(key)   # hashed before in this run, not yet remembered
        if entry is None or entry[:-1] != stamp:
            entry = [*stamp, sha256_file(path)]
        result[path] = entry[-1]
        if time.time() - max(stamp[1], stamp[2]) / 1e9 > SETTLED_SECONDS:
            learned[key] = _HASHED[key] = entry
    if learned and remember:
        _write_memo(memo_path, {**_read_memo(memo_path), **learned})
    return result


def file_sha256(path: str | Path, memo_dir: str | Path | None = None, *,
                remember: bool = True) -> str:
    """SHA-256 of one file (see :func:`file_hashes`)."""
    return file_hashes([path], memo_dir, remember=remember)[Path(path)]


def _stamp(path: Path) -> tuple[str, list[int]]:
    info = os.stat(path)
    return str(path.resolve()), [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino,
                                 info.st_dev]


def _read_memo(path: Path) -> dict[str, list]:
    """The memo's entries, if it is there and signed with this user's key; else none."""
    try:
        memo = json.loads(trust.read_small(path, 1 << 26))
        entries = memo["entries"]
        if trust.verify("hash-memo", _canonical(entries), memo.get("hmac")):
            return entries
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return {}


def _canonical(entries: dict[str, list]) -> bytes:
    return json.dumps(entries, sort_keys=True, separators=(",", ":")).encode()


def _write_memo(path: Path, entries: dict[str, list]) -> None:
    """Write atomically; two processes writing at once may lose an entry, never corrupt it."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        signed = {"entries": entries, "hmac": trust.sign("hash-memo", _canonical(entries))}
        trust.write_atomic(path, json.dumps(signed).encode())
    except (OSError, trust.UntrustedKey):  # a read-only cache folder: hash again next time
        pass
