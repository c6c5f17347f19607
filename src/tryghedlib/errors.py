"""Errors an analyst can act on.

Every expected problem with a delivery, the configuration or the parameters raises a
:class:`TryghedError` whose message is ready to show as it is: it names the file, the row and
the column (or the parameter) and says what was expected. The command line prints the message
without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class TryghedError(Exception):
    """Base class of every error the analyst can fix by changing input, config or parameters."""


@dataclass(frozen=True)
class Problem:
    """One flaw in one place of one file.

    ``row`` is the line number in the file as a text editor shows it (the header is line 1), or
    ``None`` when the flaw concerns the whole file or column.
    """

    file: str
    row: int | None
    column: str | None
    expected: str
    found: str = ""
    row_label: str = "row"

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"{self.row_label} {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        found = f" (found {self.found})" if self.found else ""
        return f"{', '.join(where)}: expected {self.expected}{found}"


class DataError(TryghedError):
    """A delivery has one or more problems; all of them are listed in the message."""

    max_listed = 20

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        files = sorted({p.file for p in self.problems})
        head = f"{len(self.problems)} problem(s) in {', '.join(files)}:"
        lines = [f"  - {p}" for p in self.problems[: self.max_listed]]
        rest = len(self.problems) - self.max_listed
        if rest > 0:
            lines.append(f"  ... and {rest} more")
        return "\n".join([head, *lines])


class ConfigError(TryghedError):
    """The configuration (config/) or a parameter is wrong."""

