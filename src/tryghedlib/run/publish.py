"""Where a report goes, and putting it there whole: built in a temporary folder beside the
target, renamed into place at the end, an existing report replaced only on request."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tryghedlib.run.steps import ReportError
from tryghedlib.sources.hashes import sha256_file

RUN_LOG_NAME = "run_log.json"
WORK_MARKER = ".tryghed-run.json"


@dataclass(frozen=True)
class ReportPaths:
    """Where one report's files are (or will be)."""

    notebook: Path
    pdf: Path
    log: Path
    html: Path  # made with --format pdf,html only

    @property
    def folder(self) -> Path:
        return self.pdf.parent

    @classmethod
    def in_folder(cls, folder: str | Path, year: int) -> ReportPaths:
        """The file names of the report for ``year`` inside ``folder``."""
        folder = Path(folder)
        return cls(
            notebook=folder / f"status_note_{year}.ipynb",
            pdf=folder / f"status_note_{year}.pdf",
            log=folder / RUN_LOG_NAME,
            html=folder / f"status_note_{year}.html",
        )


def report_folder(out_dir: str | Path, partnership: str, year: int) -> Path:
    """``<out_dir>/<year>/<partnership>``.

    >>> report_folder("reports", "tingbjerg-husum", 2021).as_posix()
    'reports/2021/tingbjerg-husum'
    """
    return Path(out_dir) / str(year) / partnership


def refuse_overwrite(folder: Path, force: bool, step: str = "Tjekker input") -> None:
    """Refuse to replace ``folder`` unless forced, and even then unless this tool made it all."""
    if not (folder.exists() or folder.is_symlink()):
        return
    if not force:
        raise ReportError(
            f"Der findes allerede en rapport i {folder}. Den erstattes aldrig i det stille: kør "
            "igen med --force (force=True i Python) for at erstatte den, eller flyt den først.",
            step=step)
    foreign = foreign_files(folder)
    if foreign:
        raise ReportError(
            f"--force erstatter kun en rapportmappe, som tryghed selv har lavet, og sletter "
            f"aldrig filer, den ikke selv har skrevet; {folder} indeholder: "
            f"{', '.join(foreign)}. Flyt dem væk, eller vælg en anden --out.",
            step=step)


def foreign_files(folder: Path) -> list[str]:
    """What in a report folder this tool did not write (empty: it may be replaced).

    The tool writes its run log and the files the log lists under ``outputs``; a listed file
    whose hash the log records must still have it. Anything else (``mine.docx``, ``notes/``,
    an edited PDF, a link) is foreign, and so is everything in a folder without a run log.
    """
    if folder.is_symlink() or not folder.is_dir():
        return [folder.name]
    outputs = _listed_outputs(folder / RUN_LOG_NAME)
    foreign = []
    for entry in sorted(folder.iterdir()):
        name = entry.name + ("/" if entry.is_dir() and not entry.is_symlink() else "")
        if entry.is_symlink() or not entry.is_file():
            foreign.append(name)
        elif entry.name == RUN_LOG_NAME:
            if outputs is None:
                foreign.append(f"{name} (ikke en kørselslog fra tryghed)")
        elif outputs is None or entry.name not in outputs:
            foreign.append(name)
        elif outputs[entry.name] and sha256_file(entry) != outputs[entry.name]:
            foreign.append(f"{name} (ændret efter kørslen)")
    return foreign


def _listed_outputs(log: Path) -> dict[str, str | None] | None:
    """The files a run log lists, each with its recorded SHA-256 (or None); None: no run log."""
    try:
        record = json.loads(log.read_text(encoding="utf-8"))
        outputs = record["outputs"]
        if not isinstance(record["parameters"], dict) or not isinstance(outputs, dict):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    listed = {}
    for key, name in outputs.items():
        if not key.endswith("_sha256") and isinstance(name, str):
            digest = outputs.get(f"{key}_sha256")
            listed[name] = digest if isinstance(digest, str) else None
    return listed


def make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; return those made, innermost first."""
    missing = [f for f in (folder, *folder.parents) if not f.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    return missing


def remove_empty(folders: list[Path]) -> None:
    """Remove the folders a failed run made, if still empty, so it leaves nothing behind."""
    for made in folders:
        try:
            made.rmdir()
        except OSError:  # not empty (another report wrote there meanwhile) or gone
            return


def work_folder(folder: Path) -> Path:
    """A new temporary folder beside ``folder`` to build its report in.

    It holds a marker naming this process (host and pid) until the report is placed
    (:func:`release`), so that a later run can tell it was left behind by a killed run.
    """
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    work.chmod(0o755)  # mkdtemp makes it owner-only; the report is for colleagues too
    marker = {"pid": os.getpid(), "host": socket.gethostname()}
    (work / WORK_MARKER).write_text(json.dumps(marker), encoding="utf-8")
    return work


def release(work: Path) -> None:
    """Remove the marker of a temporary folder that is about to become the report (or kept)."""
    (work / WORK_MARKER).unlink(missing_ok=True)


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary folders beside ``folder`` that killed runs left behind.

    Only folders clearly ours: named as :func:`work_folder` names them, not links, owned by
    this user, with a marker from this host whose process no longer runs. Returns them.
    """
    removed = []
    for work in folder.parent.glob(f".{glob.escape(folder.name)}.*.tmp"):
        try:
            if work.is_symlink() or not work.is_dir() or work.stat().st_uid != os.getuid():
                continue
            marker = json.loads((work / WORK_MARKER).read_text(encoding="utf-8"))
            if marker.get("host") != socket.gethostname() or _running(int(marker["pid"])):
                continue
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # no marker (a kept failed run), or not ours: leave it
        shutil.rmtree(work, ignore_errors=True)
        removed.append(work)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def move_into_place(work: Path, folder: Path, force: bool) -> None:
    """Rename the finished ``work`` folder to ``folder``, replacing an old report only if forced."""
    release(work)
    if folder.exists() or folder.is_symlink():
        # Again: someone may have written there while we ran.
        refuse_overwrite(folder, force, step="Flytter rapporten på plads")
        old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
        os.replace(folder, old / folder.name)
        try:
            os.replace(work, folder)
        except BaseException:
            os.replace(old / folder.name, folder)  # put the old report back
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(work, folder)
