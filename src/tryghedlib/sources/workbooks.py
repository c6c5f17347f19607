"""Reading an Excel workbook (.xlsx) as delivered: the values Excel stored, sheet by sheet.

A formula cell holds the value Excel computed when the file was last saved; a workbook written
by another program (or by a script) may hold the formula without it, and would then read as a
blank cell ("Budget: 0,00 mio."). Every workbook is read here, and such a cell is refused with
its sheet and cell.
"""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import openpyxl
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
            formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as err:  # openpyxl raises zipfile, KeyError, lxml and its own types
        raise DataError([Problem(str(path), None, None, "et Excel-regneark (.xlsx)",
                                 f"en fil, der ikke kan læses som regneark ({type(err).__name__})")]) from None
    missing = [f"{sheet.title}!{cell.coordinate}"
               for sheet in formulas.worksheets for row in sheet.iter_rows() for cell in row
               if cell.data_type == "f"
               and values[sheet.title][cell.coordinate].value is None]
    if missing:
        more = f" og {len(missing) - LISTED} til" if len(missing) > LISTED else ""
        raise DataError([Problem(
            str(path), None, None,
            "en værdi i hver celle med en formel (som Excel gemmer den, når filen gemmes)",
            f"formler uden gemt værdi i {', '.join(missing[:LISTED])}{more}, som ville blive "
            "læst som tomme; åbn filen i Excel og gem den, eller lever værdierne i stedet for "
            "formlerne")])
    return {sheet.title: _frame(sheet, path) for sheet in values.worksheets}


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
