"""Reading an Excel workbook (.xlsx) as delivered: the values Excel stored, sheet by sheet.

A formula cell holds the value Excel computed when the file was last saved; a workbook written
by another program (or by a script) may hold the formula without it, and would then read as a
blank cell ("Budget: 0,00 mio."). Every workbook -- the safety plan here, a vendor's sheet in
``sources.workbook`` -- passes :func:`refuse_cells_without_values`, which refuses such a
cell with its sheet and cell, and a cell holding an error value (``#N/A``), which would read as
blank too.
"""

from __future__ import annotations

import warnings
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
from openpyxl.styles.numbers import is_date_format
import pandas as pd

from tryghedlib.errors import DataError, Problem

#: Cells listed by name when formulas lack their values (the rest are counted).
LISTED = 10


def read_sheets(path: Path, name: str = "regnearket") -> dict[str, pd.DataFrame]:
    """Every sheet as a frame of its cells' values: the first row gives the column names
    (stripped texts), the index is the Excel row number (the header is row 1).

    Raises :class:`DataError` naming the file when it is missing or no workbook, and naming
    sheet and cell (``Budget!D7``) for each formula without a stored value.
    """
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, f"at {name} findes")])
    try:
        with warnings.catch_warnings():  # openpyxl warns of styles and extensions it ignores
            warnings.simplefilter("ignore")
            values = openpyxl.load_workbook(path, data_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError, lxml and its own types
        raise DataError([Problem(str(path), None, None, "et Excel-regneark (.xlsx)",
                                 f"en fil, der ikke kan læses som regneark ({type(err).__name__})")]) from None
    refuse_cells_without_values(path)
    return {sheet.title: _frame(sheet, path) for sheet in values.worksheets}


def refuse_cells_without_values(path: Path, sheets: list[str] | None = None) -> None:
    """Raise :class:`DataError` naming sheet and cell (``Budget!D7``) of each formula cell
    that holds no stored value, and of each cell holding an error value (``#N/A``), in the
    ``sheets`` named (default: all). ``path`` is a readable workbook."""
    missing, errors = cells_without_values(path, sheets)
    problems = [Problem(str(path), None, None, expected, f"{found} i {_listed(cells)}{after}")
                for cells, expected, found, after in (
        (missing, "en værdi i hver celle med en formel (som Excel gemmer den, når filen gemmes)",
         "formler uden gemt værdi", ", som ville blive læst som tomme; åbn filen i Excel og gem "
         "den, eller lever værdierne i stedet for formlerne"),
        # A VLOOKUP's #N/A read as blank would put a respondent outside every sub-area.
        (errors, "en værdi i hver celle, ikke en fejlværdi", "fejlværdier",
         ", som ville blive læst som tomme; ret formlerne, eller lever værdierne")) if cells]
    if problems:
        raise DataError(problems)


def _listed(cells: list[str]) -> str:
    more = f" og {len(cells) - LISTED} til" if len(cells) > LISTED else ""
    return f"{', '.join(cells[:LISTED])}{more}"


def cells_without_values(path: Path, sheets: list[str] | None = None
                            ) -> tuple[list[str], list[str]]:
    """The cells (``Sheet!C12``) holding a formula without a stored value, and those holding
    an error value (``Sheet!C5 (#DIV/0!)``), sheet by sheet (of the ``sheets`` named; default:
    all).

    Most deliveries hold neither: their sheets' XML is only scanned for a formula or an error
    value, as it is decompressed (a million-row sheet in about a second). Only a workbook with
    one is read cell by cell, in openpyxl's streaming read-only mode, formulas and values side
    by side.
    """
    if not _may_hold(path, (b"f>", b't="e"')):
        return [], []
    missing: list[str] = []
    errors: list[str] = []
    # Read-only mode parses cells while they are iterated: its warnings (a date cell out of
    # range, read as an error value) come then, and are the loaders' to report, in Danish.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            for sheet in formulas.worksheets:
                if sheets is not None and sheet.title not in sheets:
                    continue
                for row, stored in zip(sheet.iter_rows(), values[sheet.title].iter_rows()):
                    for cell, value in zip(row, stored):
                        if cell.data_type == "f" and value.value is None:
                            missing.append(f"{sheet.title}!{cell.coordinate}")
                        # openpyxl gives a date serial it cannot convert as #VALUE! too:
                        # that cell is the loaders' to report, as a date.
                        elif value.data_type == "e" and not is_date_format(value.number_format):
                            errors.append(f"{sheet.title}!{cell.coordinate} ({value.value})")
        finally:
            values.close()
            formulas.close()
    return missing, errors


def _may_hold(path: Path, markers: tuple[bytes, ...]) -> bool:
    """Whether a sheet's XML may hold one of ``markers``: every formula element ends in ``f>``
    (``<f>…</f>``, ``<x:f …>…</x:f>``; a shared formula's ``<f …/>`` comes only with one that
    does), every error value is a cell of type ``t="e"``; one fast search per chunk finds
    them. Text such as ``ref>`` only costs the careful pass."""
    keep = max(map(len, markers)) - 1
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with book.open(name) as part:
                last = b""
                while chunk := part.read(1 << 22):
                    # A marker split between chunks is found in the joined edge.
                    edge = last + chunk[:keep]
                    if any(m in chunk or m in edge for m in markers):
                        return True
                    last = chunk[-keep:]
    return False


def _frame(sheet, path: Path) -> pd.DataFrame:
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return pd.DataFrame()
    names = ["" if v is None else str(v).strip() for v in rows[0]]
    repeated = sorted(n for n, k in Counter(names).items() if n and k > 1)
    if repeated:
        raise DataError([Problem(str(path), 1, f"{sheet.title}: {n}", "hvert kolonnenavn kun én gang",
                                 "det to gange") for n in repeated])
    # Unnamed columns (blank header cells) are kept under names no loader asks for.
    names = [n or f"(kolonne {i})" for i, n in enumerate(names, start=1)]
    body = [list(r) + [None] * (len(names) - len(r)) for r in rows[1:]]
    return pd.DataFrame(body, columns=names, index=pd.RangeIndex(2, len(body) + 2), dtype=object)
