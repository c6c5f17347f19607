"""Typed cells (an Excel sheet's, an SPSS file's) as the text a ``;``-file would hold.

A workbook or SPSS delivery is read by the same checks as a CSV delivery (``loaders``, one
definition of each source in ``schemas``): its cells are first written as the CSV would write
them -- a number with decimal comma, a whole number without decimals, a date ``dd-mm-yyyy``,
text as it is -- so a number stored as text, a real date and a number cell all meet the same
rules and the same messages.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd


def as_text(value) -> str | None:
    """One cell as a ``;``-file writes it; None for an empty one.

    >>> [as_text(v) for v in (2021.0, 1.25, -3, " Tryg ", dt.datetime(2020, 1, 3), None)]
    ['2021', '1,25', '-3', 'Tryg', '03-01-2020', None]
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{float(value):.15g}".replace(".", ",")
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (dt.date, pd.Timestamp)):
        if isinstance(value, dt.datetime) and value.time() != dt.time(0):
            return value.strftime("%d-%m-%Y %H:%M")   # refused as a date, shown as it is
        return value.strftime("%d-%m-%Y")
    text = str(value).strip()
    return text or None


def text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell of ``frame`` as text (missing for an empty cell), index kept; a row with no
    text in any cell carries no data and is dropped, as a blank line of a ``;``-file is."""
    text = pd.DataFrame({c: column_text(frame[c]) for c in frame.columns}, index=frame.index)
    return text[text.notna().any(axis=1)]


def column_text(column: pd.Series) -> pd.Series:
    """:func:`as_text` of every cell, vectorised where the column holds one type of value
    (a million-row workbook has six million cells)."""
    out = pd.Series(np.nan, index=column.index, dtype="str")
    # An empty cell is missing, whether the reader gives None or empty text (python-calamine,
    # pyreadstat): else a column of dates with a blank cell would be read cell by cell.
    present = column.notna() & column.ne("").to_numpy()
    values = column[present]
    kinds = set(map(type, values))
    if kinds <= {float, int}:
        numbers = values.astype("float64")
        whole = ((numbers % 1) == 0) & (numbers.abs() < 1e15)
        text = numbers.astype(str).str.replace(".", ",", regex=False)
        text[whole] = numbers[whole].astype("int64").astype(str)
    elif kinds <= {str}:
        text = values.astype(str).str.strip()
    elif kinds <= {dt.date, dt.datetime, pd.Timestamp}:
        stamps = pd.to_datetime(values)
        text = stamps.dt.strftime("%d-%m-%Y")
        timed = stamps != stamps.dt.normalize()
        text[timed] = stamps[timed].dt.strftime("%d-%m-%Y %H:%M")  # refused as a date
    else:
        text = values.map(as_text)
    out[present] = text.astype("str")
    return out.mask(out == "")
