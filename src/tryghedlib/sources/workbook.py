"""A delivered Excel sheet as a frame of its cells, and problems named by cell (``Udtræk!C1204``).

python-calamine reads a workbook several times faster than openpyxl (``bench/bench_workbook.py``);
openpyxl's read-only mode is the other engine (``engine="openpyxl"``), giving the same frame.
The header must be in row 1: a sheet whose column names sit lower (a title above them) is
refused with the cell where they are, rather than guessed at.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from tryghedlib.errors import DataError, Problem
from tryghedlib.sources.workbooks import refuse_cells_without_values

ENGINES = ("calamine", "openpyxl")
#: How far down a header not in row 1 is looked for (to say where it is).
HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Sheet:
    """One sheet's cells: the header's names as columns, Excel's row numbers as the index,
    values as the engine gives them (text, float, date or datetime; an empty cell is None, or
    empty text from python-calamine). ``cells.text_frame`` makes them the text a ``;``-file
    would hold."""

    name: str
    frame: pd.DataFrame
    letters: dict[str, str]     # column name -> Excel column letter

    def cell(self, column: str, row: int) -> str:
        """A cell as the analyst sees it: ``Udtræk!C1204``."""
        return f"{self.name}!{self.letters[column]}{row}"


def letter(index: int) -> str:
    """Excel's name of the column at ``index`` (0 is A).

    >>> [letter(i) for i in (0, 25, 26, 701, 702)]
    ['A', 'Z', 'AA', 'ZZ', 'AAA']
    """
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def read_sheet(path: str | Path, sheet: str | None = None, *, expect: list[str] = (),
               engine: str = "calamine") -> Sheet:
    """The sheet named ``sheet`` (default: the first visible one) of the workbook at ``path``.

    ``expect`` are column names the header should have: when row 1 lacks them and a row below
    has them, the error names that row's cell.
    """
    path = Path(path)
    names, visible, rows_of = _open(path, engine)
    # A hidden sheet before the data (last year's, kept out of sight) is not the one anyone
    # who opened the workbook saw first: read as "the first", it gave a note of hidden numbers.
    name = (visible or names)[0] if sheet is None else sheet
    if name not in names:
        raise DataError([Problem(str(path), None, None, f"et ark med navnet '{name}' "
                                 "(sources.yaml: sheet)", f"arkene {', '.join(names)}")])
    # Either engine reads a formula without a stored value as an empty cell: refuse it, as a
    # safety plan's workbook is refused.
    refuse_cells_without_values(path, [name])
    rows = rows_of(name)
    header = [_header_name(v) for v in rows[0]] if rows else []
    _refuse_header_below(rows, header, expect, path, name)
    _refuse_data_without_header(rows, header, path, name)
    keep = [i for i, h in enumerate(header) if h]
    names_kept = [header[i] for i in keep]
    twice = sorted(n for n, k in Counter(names_kept).items() if k > 1)
    if twice:
        raise DataError([Problem(str(path), 1, n, "hvert kolonnenavn kun én gang i overskriften",
                                 f"'{n}' i mere end én kolonne", row_label=f"celle {name}!")
                         for n in twice])
    frame = pd.DataFrame(rows[1:], dtype=object)
    frame = frame.reindex(columns=keep)   # a short row (openpyxl) lacks its empty cells
    frame.columns = names_kept
    frame.index = pd.RangeIndex(2, len(rows) + 1)
    return Sheet(name, frame, {header[i]: letter(i) for i in keep})


def _open(path: Path, engine: str):
    """The sheet names, the visible ones' and a function giving a sheet's rows, or a
    DataError if unreadable."""
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, "at filen findes")])
    try:
        if engine == "calamine":
            from python_calamine import CalamineWorkbook, SheetVisibleEnum
            book = CalamineWorkbook.from_path(str(path))
            visible = [m.name for m in book.sheets_metadata
                       if m.visible == SheetVisibleEnum.Visible]
            return book.sheet_names, visible, lambda name: book.get_sheet_by_name(
                name).to_python(skip_empty_area=False)
        if engine == "openpyxl":
            import openpyxl
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            visible = [s.title for s in book.worksheets if s.sheet_state == "visible"]
            return book.sheetnames, visible, lambda name: _openpyxl_rows(book[name])
    except Exception as err:  # both raise zipfile, XML and their own errors for a bad file
        raise DataError([Problem(str(path), None, None, "et Excel-regneark (.xlsx)",
                                 f"en fil, der ikke kan læses som regneark ({type(err).__name__})")]) from None
    raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")


def _openpyxl_rows(sheet) -> list[list]:
    # Cells are parsed as they are iterated; a warning then (a date out of range, read as an
    # error value) is the loader's to report, by cell and in Danish.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [list(r) for r in sheet.iter_rows(values_only=True)]


def _header_name(value) -> str:
    return "" if value is None else str(value).strip()


def _refuse_data_without_header(rows: list[list], header: list[str], path: Path,
                                name: str) -> None:
    """Refuse a column holding data under an empty header cell. It was dropped without a word:
    a header cell merged across two columns names only the first, so the second column's
    numbers (half a count, a correction) were left out of the note."""
    blank = [i for i, h in enumerate(header) if not h]
    problems = []
    for column in blank:
        row = next((n for n, r in enumerate(rows[1:], start=2)
                    if column < len(r) and _header_name(r[column])), None)
        if row is not None:
            problems.append(Problem(
                str(path), 1, None, "et kolonnenavn over hver kolonne med data (en flettet "
                "overskriftscelle navngiver kun sin første kolonne)",
                f"en tom overskrift over data, f.eks. i {name}!{letter(column)}{row}",
                row_label=f"celle {name}!{letter(column)}"))
    if problems:
        raise DataError(problems)


def _refuse_header_below(rows: list[list], header: list[str], expect: list[str], path: Path,
                         name: str) -> None:
    if any(header) and (not expect or any(e in header for e in expect)):
        return
    for number, row in enumerate(rows[1:HEADER_SEARCH_ROWS], start=2):
        names = [_header_name(v) for v in row]
        if any(e in names for e in expect) if expect else any(names):
            column = next(i for i, n in enumerate(names) if n)
            raise DataError([Problem(
                str(path), number, None, "overskriften (kolonnernes navne) i række 1",
                f"den i række {number}, under {'en tom række' if not any(header) else 'en titel'}"
                "; bed om arket med overskriften i række 1",
                row_label=f"celle {name}!{letter(column)}")])
    if not any(header):
        raise DataError([Problem(str(path), 1, None, "overskriften (kolonnernes navne) i række 1",
                                 "en tom række", row_label=f"celle {name}!A")])


def in_cells(problems: list[Problem], sheet: Sheet, columns: dict[str, str]) -> list[Problem]:
    """Problems at a row and column named by their cell instead (``Udtræk!C1204``).

    ``columns`` maps a problem's column (as messages show it) to the sheet's column name.
    """
    named = []
    for problem in problems:
        column = columns.get(problem.column or "", problem.column)
        if problem.row is not None and column in sheet.letters and problem.row_label == "række":
            problem = replace(problem, row_label=f"celle {sheet.name}!{sheet.letters[column]}")
        named.append(problem)
    return named
