"""Which file of a delivery folder is which source, by name (see ``docs/data.md``).

Every loader finds its files here, so that any doubt about which file is meant is settled in
one place, by refusing it: two files for one thing (``tryghedsundersoegelse_2021.csv`` and
``.csv.gz``, or names that differ only in case) are refused naming both, and so is a name that
is right but for its case (it would be read on one file system and not on another). A file
that matches no source (a ``.bak`` copy, ``plan (1).xlsx``) is never read;
:func:`unexpected_files` lists them, with the name each one is closest to, for the run's
warnings.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from tryghedlib.errors import DataError, Problem, os_reason


@dataclass(frozen=True)
class Source:
    folder: str           # under the delivery folder
    pattern: str          # the whole file name; its groups tell the source's files apart
    example: str          # a name of this form, for messages
    what: str             # one file of this source, for messages

    def match(self, name: str, *, any_case: bool = False) -> re.Match | None:
        return re.fullmatch(self.pattern, name, re.IGNORECASE if any_case else 0)


SOURCES = {
    "survey": Source("survey", r"tryghedsundersoegelse_(\d{4})\.(?:csv|csv\.gz|xlsx|sav)",
                     "tryghedsundersoegelse_2021.csv", "én fil pr. undersøgelsesår"),
    "published": Source("survey", r"publicerede_andele\.csv", "publicerede_andele.csv",
                        "én fil med publicerede andele"),
    "police": Source("police", r"anmeldelser_([\w-]+)\.(?:csv|csv\.gz|xlsx|sav)",
                     "anmeldelser_2014-2020.csv.gz", "én fil pr. udtræk fra politiet"),
    "population": Source("population", r"befolkning\.(?:csv|xlsx)", "befolkning.csv",
                         "én befolkningsfil"),
    "geography": Source("geography", r"omraader\.geojson", "omraader.geojson",
                        "én geografifil"),
    "plan": Source("plan", r"tryghedsplan_([\w-]+)_(\d{4})\.xlsx",
                   "tryghedsplan_tingbjerg-husum_2021.xlsx",
                   "én tryghedsplan pr. partnerskab og år"),
}


def files(data_dir: str | Path, source: str) -> dict[tuple[str, ...], Path]:
    """The files of ``source`` in the delivery, by what tells them apart (the pattern's groups,
    e.g. the survey year as ``("2021",)``), in name order.

    Raises :class:`DataError` naming both files when two files are one source's same file
    (their names differ only by ``.gz`` or by case), and naming the file when its name is right
    but for its case.
    """
    spec = SOURCES[source]
    folder = Path(data_dir) / spec.folder
    found: dict[tuple[str, ...], list[Path]] = {}
    problems = []
    for path in _entries(folder):
        match = spec.match(path.name, any_case=True)
        if match and not path.is_file():
            # Reading a named pipe or a device never ends; a folder or a dangling link would
            # silently leave the source out.
            problems.append(Problem(str(path), None, None, "en almindelig fil", _kind(path)))
        elif match:
            key = tuple(group.lower() for group in match.groups())
            found.setdefault(key, []).append(path)
    for paths in found.values():
        if len(paths) > 1:
            problems.append(Problem(
                str(paths[0]), None, None, spec.what,
                f"også {', '.join(p.name for p in paths[1:])}, som ville blive læst som det samme; "
                "behold én af dem i mappen"))
        elif not spec.match(paths[0].name):
            problems.append(Problem(
                str(paths[0]), None, None, f"et navn som {spec.example} (med små bogstaver)",
                f"{paths[0].name}; omdøb den (store og små bogstaver skelnes, hvor rapporten "
                "køres)"))
    if problems:
        raise DataError(problems)
    return {key: paths[0] for key, paths in found.items()}


def path(data_dir: str | Path, source: str, name: str | None = None) -> Path:
    """The file of a source that has one (``name``, default the source's example name), after
    the folder was checked as :func:`files` does; the path need not exist."""
    files(data_dir, source)
    spec = SOURCES[source]
    return Path(data_dir) / spec.folder / (name or spec.example)


def unexpected_files(data_dir: str | Path) -> list[str]:
    """A warning for each file (or folder) in a source folder of the delivery that is no
    source's file and is therefore not read, with the expected name it is closest to."""
    folders: dict[str, list[Source]] = {}
    for spec in SOURCES.values():
        folders.setdefault(spec.folder, []).append(spec)
    warnings = []
    for name, specs in folders.items():
        folder = Path(data_dir) / name
        entries = _entries(folder)
        expected = [p.name for p in entries
                    if any(s.match(p.name, any_case=True) for s in specs)]
        expected += [s.example for s in specs if s.example not in expected]
        for entry in entries:
            if any(s.match(entry.name, any_case=True) for s in specs):
                continue   # a source's file, read (or refused) by files()
            close = difflib.get_close_matches(entry.name.lower(), expected, n=1, cutoff=0.6)
            hint = (f"; er den en kopi af, eller skulle den være, {close[0]}?" if close else
                    f"; filer her hedder f.eks. {', '.join(s.example for s in specs)}")
            kind = "mappe" if entry.is_dir() else "fil"
            warnings.append(f"{entry}: denne {kind} bliver ikke læst: navnet er ikke en kildes "
                            f"navn{hint}")
    return warnings


def _kind(path: Path) -> str:
    """What a path that is no regular file is, in the analyst's words."""
    if path.is_symlink() and not path.exists():
        return "en genvej (symbolsk link), der ikke peger på noget"
    if path.is_dir():
        return "en mappe"
    if path.is_fifo():
        return "en navngiven pipe (FIFO), som aldrig kan læses til ende"
    if path.is_socket():
        return "en socket"
    return "en enhed (device), ikke en fil"


def _entries(folder: Path) -> list[Path]:
    """The folder's entries in name order, hidden ones (``.DS_Store``) left out; none if the
    folder does not exist. A source folder that is something else (a dangling link, a file)
    or cannot be listed is refused: its files would be left out as if never delivered (a
    plan folder linked to nowhere gave a note saying there is no plan)."""
    if not folder.is_dir():
        if folder.is_symlink() or folder.exists():
            raise DataError([Problem(str(folder), None, None, "en mappe", _kind(folder)
                                     if folder.is_symlink() and not folder.exists()
                                     else "en fil")])
        return []
    try:
        return sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError as error:
        raise DataError([Problem(str(folder), None, None, "en mappe, der kan læses",
                                 os_reason(error))]) from None
