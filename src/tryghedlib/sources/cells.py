"""Typed cells (an Excel sheet's, an SPSS file's) as the text a ``;``-file would hold.

A workbook or SPSS delivery is read by the same checks as a CSV delivery (``loaders``, one
definition of each source in ``schemas``): its cells are first written as the CSV would write
them -- a number with decimal comma, a whole number without decimals, a date ``dd-mm-yyyy``,
text as it is -- so a number stored as text, a real date and a number cell all meet the same
rules and the same messages.

A number is written with at most 15 significant digits, as Excel shows it and as a ``;``-file
saved by Excel holds it: ``0.1 + 0.2`` is ``0,3``, not ``0,30000000000000004``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def as_text(value) -> str | None:
    """One cell as a ``;``-file writes it; None for an empty one. The reference that
    :func:`column_text` must agree with, cell for cell.

    >>> [as_text(v) for v in (2021.0, 1.25, -3, " Tryg ", dt.datetime(2020, 1, 3), None)]
    ['2021', '1,25', '-3', 'Tryg', '03-01-2020', None]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return None
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{float(value):.15g}".replace(".", ",")
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, dt.date):
        # Not strftime: its %Y leaves a year before 1000 unpadded on Linux ("03-02-5").
        text = f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
        if isinstance(value, dt.datetime) and value.time() != dt.time(0):
            text += f" {value.hour:02d}:{value.minute:02d}"   # refused as a date, shown as it is
        return text
    text = str(value).strip()
    return text or None


def text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell of ``frame`` as text (missing for an empty cell), index kept; a row with no
    text in any cell carries no data and is dropped, as a blank line of a ``;``-file is."""
    text = pd.DataFrame({c: column_text(frame[c]) for c in frame.columns}, index=frame.index)
    return text[text.notna().any(axis=1)]


def column_text(column: pd.Series) -> pd.Series:
    """:func:`as_text` of every cell, vectorised (with Arrow) where the column holds numbers,
    text or dates: a million-row workbook has six million cells."""
    values = column.to_numpy(dtype=object)
    parts = _texts(values)
    if parts is None:
        # An empty cell is missing, whether the reader gives None or empty text
        # (python-calamine, pyreadstat): else a column of dates with a blank cell would be
        # written cell by cell.
        present = pd.notna(values)
        present[present] = values[present] != ""
        cells = np.flatnonzero(present)
        parts = [(np.flatnonzero(~present), pa.nulls(len(values) - len(cells), pa.string()))]
        parts += [(cells[at], text) for at, text in _texts(values[cells])
                  or [(np.arange(len(cells)), _one_by_one(values[cells]))]]
    parts = [(at, text) for at, text in parts if len(at)]
    if len(parts) <= 1:
        text = parts[0][1] if parts else pa.array([], pa.string())
    else:   # each part's texts to their places
        where = np.empty(len(values), dtype=np.int64)
        where[np.concatenate([at for at, _ in parts])] = np.arange(len(values))
        text = pa.concat_arrays([text for _, text in parts]).take(where)
    return pd.Series(text, index=column.index, dtype="str")


Parts = list[tuple[np.ndarray, pa.Array]]   # positions, and the texts of the cells there


def _texts(values: np.ndarray) -> Parts | None:
    """The text of ``values`` if they are all numbers (NaN for an empty cell), all text or
    all dates; else None."""
    kinds = set(map(type, values))
    if kinds <= {float, int}:
        return _numbers(values)
    if kinds <= {str}:
        text = pc.utf8_trim_whitespace(pa.array(values, pa.string()))
        blank = pc.equal(text, "")
        return [(np.arange(len(values)), pc.if_else(blank, pa.scalar(None, pa.string()), text))]
    if kinds <= {dt.date, dt.datetime, pd.Timestamp}:
        return _dates(values)
    return None


def _one_by_one(values: np.ndarray) -> pa.Array:
    return pa.array([as_text(v) for v in values], pa.string())


def _numbers(values: np.ndarray) -> Parts:
    try:
        numbers = values.astype("float64")
    except OverflowError:   # a whole number beyond any float: as_text writes its digits
        return [(np.arange(len(values)), _one_by_one(values))]
    size = np.abs(numbers)
    missing = np.isnan(size)
    # Below 1e15 a whole number is exact in float64 (an int too) and in int64.
    whole = (size < 1e15) & (np.trunc(numbers) == numbers)
    # Arrow writes a float as the shortest text that reads back as it, without an exponent in
    # this range (as ".15g" does). With at most 15 significant digits that is ".15g"'s text:
    # two texts of 15 digits never read back as the same float. More (0.30000000000000004),
    # or another size, and the cell is written by as_text.
    short = np.flatnonzero(~whole & (size >= 1e-4) & (size < 1e9))
    text = pc.cast(pa.array(numbers[short]), pa.string())
    digits = pc.utf8_length(pc.utf8_ltrim(text, "-0.")).to_numpy() - (size[short] >= 1)
    ok = digits <= 15
    rest = ~whole & ~missing
    rest[short[ok]] = False
    rest = np.flatnonzero(rest)
    return [(np.flatnonzero(whole), pc.cast(pa.array(numbers[whole].astype("int64")), pa.string())),
            (short[ok], pc.replace_substring(text.filter(ok), ".", ",")),
            (rest, _one_by_one(values[rest])),
            (np.flatnonzero(missing), pa.nulls(missing.sum(), pa.string()))]


def _dates(values: np.ndarray) -> Parts | None:
    """``dd-mm-yyyy``, with `` HH:MM`` for a time other than midnight; None for what pandas
    cannot hold (time zones, nanoseconds beside a year before 1677)."""
    try:
        stamps = pd.to_datetime(values, cache=False)   # a cache of the few dates costs more
    except ValueError:
        return None
    if stamps.tz is not None or not ((stamps.year >= 1) & (stamps.year <= 9999)).all():
        return None
    grid = np.tile(np.frombuffer(b"00-00-0000 00:00", np.uint8), (len(values), 1))
    for field, start, end in ((stamps.day, 0, 2), (stamps.month, 3, 5), (stamps.year, 6, 10),
                              (stamps.hour, 11, 13), (stamps.minute, 14, 16)):
        field = np.asarray(field)
        for at in range(end - 1, start - 1, -1):   # the last digit first
            grid[:, at] = field % 10 + ord("0")
            field = field // 10
    # The seconds count as a time, the nanoseconds do not (as in Timestamp.time()).
    timed = (stamps.hour > 0) | (stamps.minute > 0) | (stamps.second > 0) | (stamps.microsecond > 0)
    return [(np.flatnonzero(~timed), _fixed_width(grid[~timed, :10])),
            (np.flatnonzero(timed), _fixed_width(grid[timed]))]


def _fixed_width(rows: np.ndarray) -> pa.Array:
    """Texts of one width, a row of bytes each, as an Arrow array."""
    count, width = rows.shape
    offsets = np.arange(0, count * width + 1, width, dtype=np.int32)
    return pa.StringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(rows.tobytes()))
