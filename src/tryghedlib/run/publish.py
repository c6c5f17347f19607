"""Where a report goes, and putting it there whole: built in a temporary folder beside the
target, renamed into place at the end, an existing report replaced only on request."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tryghedlib.run.steps import ReportError

RUN_LOG_NAME = "run_log.json"


@dataclass(frozen=True)
class ReportPaths:
    """Where one report's files are (or will be)."""

    notebook: Path
    pdf: Path
    log: Path

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
        )


def report_folder(out_dir: str | Path, partnership: str, year: int) -> Path:
    """``<out_dir>/<year>/<partnership>``.

    >>> report_folder("reports", "tingbjerg-husum", 2021).as_posix()
    'reports/2021/tingbjerg-husum'
    """
    return Path(out_dir) / str(year) / partnership


def refuse_overwrite(folder: Path, force: bool) -> None:
    if folder.exists() and not force:
        raise ReportError(
            f"A report already exists in {folder}. It is never replaced silently: run again "
            "with --force (force=True in Python) to replace it, or move it away first.",
            step="Tjekker input")


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
    """A new temporary folder beside ``folder`` to build its report in."""
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    work.chmod(0o755)  # mkdtemp makes it owner-only; the report is for colleagues too
    return work


def move_into_place(work: Path, folder: Path, force: bool) -> None:
    """Rename the finished ``work`` folder to ``folder``, replacing an old report only if forced."""
    if folder.exists():
        if not force:
            refuse_overwrite(folder, force)  # someone wrote it while we ran
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
