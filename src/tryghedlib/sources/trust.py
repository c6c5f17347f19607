"""What the tool trusts in its cache folder: only records it signed, in a folder only the user writes.

Everything the tool reads back from ``data/processed`` (a table's manifest record, the memo of
file hashes, a stamp saying a report's inputs passed the checks) is authenticated with
HMAC-SHA256 under a key kept outside that folder: ``$XDG_CONFIG_HOME/tryghedlib/cache-key``
(default ``~/.config/tryghedlib/cache-key``), 32 random bytes made on first use, readable by the
user alone. Someone who can write the cache folder but cannot read the key cannot make a record
the tool accepts; a record that does not verify is ignored and its table rebuilt from raw.

A key file others can read (or that another user owns) proves nothing, so the cache is then
not used (:func:`key_problem` says why). See ``docs/security.md``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from pathlib import Path

from tryghedlib.errors import os_reason

KEY_NAME = "cache-key"
MAX_RECORD_BYTES = 1 << 22   # a record or memo larger than this was not written by the tool
_CHECKS_OWNER = hasattr(os, "geteuid")   # POSIX; on Windows the folder's ACL decides


def key_path() -> Path:
    """Where the key lives (``$XDG_CONFIG_HOME/tryghedlib/cache-key``), outside any cache."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "tryghedlib" / KEY_NAME


class UntrustedKey(Exception):
    """The key file cannot be made, read, or trusted; the message says which and what to do."""


def signing_key() -> bytes:
    """The user's key, made on first use (folder 0700, file 0600).

    Two processes making it at once agree: each writes a complete key to a temporary file and
    links it to the final name, which only the first link creates (the other reads that one).
    Raises :class:`UntrustedKey` when the key cannot be made or read, or others could read it.
    """
    path = key_path()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_NAME}-")
        try:
            with os.fdopen(handle, "w", encoding="ascii") as stream:   # mkstemp: mode 0600
                stream.write(secrets.token_hex(32) + "\n")
            try:
                os.link(temporary, path)
            except FileExistsError:   # another process made it first: use theirs
                pass
        finally:
            os.remove(temporary)
        return _read_key(path)
    except OSError as error:
        raise UntrustedKey(f"nøglefilen {path} kan ikke oprettes ({os_reason(error)}); tjek, at "
                           f"der kan skrives i mappen {path.parent}") from None


def _read_key(path: Path) -> bytes:
    handle = os.open(path, os.O_RDONLY)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise UntrustedKey(f"nøglefilen {path} er ikke en almindelig fil; fjern den, og kør "
                               "igen for at lave en ny nøgle")
        if _CHECKS_OWNER and info.st_uid != os.geteuid():
            raise UntrustedKey(f"nøglefilen {path} tilhører en anden bruger; fjern den, og kør "
                               "igen for at lave din egen nøgle")
        if _CHECKS_OWNER and info.st_mode & 0o077:
            raise UntrustedKey(f"nøglefilen {path} kan læses af andre "
                               f"(tilstand {stat.S_IMODE(info.st_mode):o}); kør "
                               f"'chmod 600 {path}', og slet cachemappen, eller fjern nøglefilen")
        text = os.read(handle, 200).decode("ascii", "replace").strip()
    finally:
        os.close(handle)
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise UntrustedKey(f"nøglefilen {path} indeholder ingen nøgle; fjern den, og kør igen "
                           "for at lave en ny")
    return key


def key_problem() -> str | None:
    """Why the key cannot be used (None: it can; made now if it did not exist)."""
    try:
        signing_key()
    except UntrustedKey as error:
        return str(error)
    return None


def sign(kind: str, payload: bytes) -> str:
    """Hex HMAC-SHA256 of ``payload`` as a record of ``kind`` (so that a signature made for one
    kind of record is never accepted for another). Raises :class:`UntrustedKey`."""
    return hmac.new(signing_key(), kind.encode() + b"\0" + payload, hashlib.sha256).hexdigest()


def verify(kind: str, payload: bytes, signature: object) -> bool:
    """Whether ``signature`` is this user's HMAC of ``payload`` as ``kind``; False without a
    usable key."""
    if not isinstance(signature, str):
        return False
    try:
        expected = sign(kind, payload)
    except UntrustedKey:
        return False
    return hmac.compare_digest(expected, signature)


def folder_problem(folder: str | Path) -> str | None:
    """Why ``folder`` (followed if a link) must not hold a cache: not a folder, another user's,
    or writable by others. None for a folder the user alone can write, or one not there yet."""
    folder = Path(folder)
    try:
        info = folder.stat()
    except (FileNotFoundError, NotADirectoryError):   # not there (yet)
        return None
    except OSError as error:
        return f"den kan ikke læses ({os_reason(error)})"
    if not stat.S_ISDIR(info.st_mode):
        return "den er en fil, ikke en mappe; flyt filen væk, eller angiv en anden --cache-dir"
    if _CHECKS_OWNER and info.st_uid != os.geteuid():
        return ("den tilhører en anden bruger, som kan ændre indholdet; angiv din egen mappe "
                "med --cache-dir")
    if _CHECKS_OWNER and info.st_mode & 0o022:
        return (f"andre kan skrive i den (tilstand {stat.S_IMODE(info.st_mode):o}); kør "
                f"'chmod go-w {folder}', eller angiv en anden --cache-dir")
    return None


def read_small(path: Path, limit: int = MAX_RECORD_BYTES) -> bytes:
    """The bytes of a regular file at ``path`` itself (a symbolic link is refused with
    :class:`OSError`), at most ``limit`` of them (:class:`ValueError` if more)."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path} is not a regular file")
        if info.st_size > limit:
            raise ValueError(f"{path} is larger than {limit} bytes")
        return read_all(handle, info.st_size)
    finally:
        os.close(handle)


def read_all(handle: int, size: int) -> bytes:
    """Exactly ``size`` bytes from an open file (:class:`ValueError` if it holds fewer or more)."""
    with open(handle, "rb", closefd=False) as stream:
        data = stream.read(size + 1)
    if len(data) != size:
        raise ValueError(f"expected {size} bytes, found {len(data)}")
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` (mode 0600) and rename it into place,
    replacing whatever was there (a link is replaced, not followed). On failure (a full disk)
    nothing is left behind and :class:`OSError` is raised."""
    temporary = _write_temporary(path.parent, f".{path.name}-", data)
    try:
        os.replace(temporary, path)
    except BaseException:
        os.remove(temporary)
        raise


def check_writable(folder: Path, size: int = 1 << 16) -> None:
    """Raise :class:`OSError` unless ``size`` bytes can be written in ``folder`` (read-only,
    full); leaves nothing behind."""
    os.remove(_write_temporary(folder, ".write-test-", bytes(size)))


def _write_temporary(folder: Path, prefix: str, data: bytes) -> str:
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
        finally:
            os.close(handle)
    except BaseException:
        os.remove(temporary)
        raise
    return temporary
