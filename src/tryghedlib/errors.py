"""Errors an analyst can act on.

Every expected problem with a delivery, the configuration or the parameters raises a
:class:`TryghedError` whose message is ready to show as it is: it names the file, the row and
the column (or the parameter) and says what was expected. The command line prints the message
without a traceback.
"""

from __future__ import annotations

import errno
import reprlib
from dataclasses import dataclass, replace


def brief(value: object) -> str:
    """``repr(value)`` shortened for a message: a delivered value may be a whole file's worth."""
    return _BRIEF.repr(value)


_BRIEF = reprlib.Repr()
_BRIEF.maxstring = _BRIEF.maxother = 80
_BRIEF.maxlevel, _BRIEF.maxlist, _BRIEF.maxdict = 3, 6, 6


class TryghedError(Exception):
    """Base class of every error the analyst can fix by changing input, config or parameters."""


@dataclass(frozen=True)
class Problem:
    """One flaw in one place of one file.

    ``row`` is the line number in the file as a text editor shows it (the header is line 1), or
    ``None`` when the flaw concerns the whole file or column. ``also`` counts further rows with
    the same flaw that are not listed one by one (a check lists the first few). ``row_label``
    is the Danish word the message puts before the number (``række``, ``linje``); one starting
    ``celle`` names a workbook's column (``celle Udtræk!C``): the row number completes the cell
    (``celle Udtræk!C1204``). ``expected`` and ``found`` are Danish phrases, shown as
    ``forventet <expected> (fundet <found>)``.
    """

    file: str
    row: int | None
    column: str | None
    expected: str
    found: str = ""
    row_label: str = "række"
    also: int = 0

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            gap = "" if self.row_label.startswith("celle ") else " "
            where.append(f"{self.row_label}{gap}{self.row}")
        if self.column is not None:
            where.append(f"kolonne '{self.column}'")
        found = f" (fundet {self.found})" if self.found else ""
        also = f"; og {self.also} til af samme slags, ikke vist" if self.also else ""
        return f"{', '.join(where)}: forventet {self.expected}{found}{also}"


def listed(problems: list[Problem], total: int) -> list[Problem]:
    """The first of ``total`` problems of one kind, the last standing for those not listed."""
    if problems and total > len(problems):
        problems = [*problems[:-1], replace(problems[-1], also=total - len(problems))]
    return problems


class DataError(TryghedError):
    """A delivery has one or more problems; all of them are listed in the message."""

    max_listed = 20

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        files = sorted({p.file for p in self.problems})
        shown = self.problems[: self.max_listed]
        total = sum(1 + p.also for p in self.problems)
        head = f"{total} {'problem' if total == 1 else 'problemer'} i {', '.join(files)}:"
        lines = [f"  - {p}" for p in shown]
        rest = total - sum(1 + p.also for p in shown)
        if rest > 0:
            lines.append(f"  ... og {rest} mere")
        return "\n".join([head, *lines])


class ConfigError(TryghedError):
    """The configuration (config/) or a parameter is wrong."""



#: What the operating system's refusals mean, in the analyst's words (its own are English).
_OS_REASONS = {
    errno.ENOSPC: "disken er fuld",
    errno.EDQUOT: "din diskkvote er brugt op",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.EACCES: "du har ikke adgang",
    errno.EPERM: "du har ikke tilladelse",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.ENOENT: "den findes ikke",
    errno.EEXIST: "den findes allerede",
    errno.EISDIR: "det er en mappe, ikke en fil",
    errno.ENAMETOOLONG: "navnet er for langt",
    errno.EIO: "disken svarede med en læse- eller skrivefejl",
}


def described(error: Exception) -> str:
    """An unexpected error as one line for the analyst: the operating system's refusal in
    Danish (:func:`os_reason`: a name too long, a full disk), anything else by its type.

    >>> described(OSError(36, "File name too long", "/srv/x"))
    'navnet er for langt (/srv/x)'
    >>> described(ValueError("boom"))
    'ValueError: boom'
    """
    if isinstance(error, OSError):
        return os_reason(error)
    return f"{type(error).__name__}: {error}"


def os_reason(error: OSError) -> str:
    """Why the operating system refused, in Danish, with the path it concerned.

    >>> os_reason(OSError(errno.ENOSPC, "No space left on device", "/srv/rapporter"))
    'disken er fuld (/srv/rapporter)'
    """
    reason = _OS_REASONS.get(error.errno) or (
        f"styresystemet afviste ({errno.errorcode.get(error.errno, error.errno)}: "
        f"{error.strerror or error})")
    return f"{reason} ({error.filename})" if error.filename else reason
