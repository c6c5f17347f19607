"""Reading CSV the way Danish Excel writes it: ``;``-separated, decimal comma, cp1252 or UTF-8.

Every field is read as text, indexed by its line number in the file, so that later checks can
name the row. Parsing into numbers and dates happens column by column with
:func:`parse_ints`, :func:`parse_decimals` and :func:`parse_dates`, each returning the problems it
found instead of raising, so that a delivery's problems are all reported in one run.

Large files take pyarrow's multithreaded reader; when it stumbles, or the file has blank lines
that would shift line numbers, the slower standard-library reader takes over and says exactly
which line is wrong.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import gzip
import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from tryghedlib.errors import DataError, Problem

SEPARATOR = ";"
MAX_PROBLEMS_PER_COLUMN = 50


def read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when it ends in ``.gz``."""
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, "the file to exist")])
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as err:
            raise DataError([Problem(str(path), None, None, "a complete gzip-compressed file",
                                     str(err))]) from None
    return data


def as_utf8(data: bytes, path: Path) -> bytes:
    """UTF-8 bytes without BOM, from UTF-8 (with or without BOM) or cp1252 input."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DataError([Problem(str(path), line, None, "text encoded as UTF-8 or cp1252",
                                 f"byte 0x{data[err.start]:02x}")]) from None


def read_text_table(path: str | Path) -> pd.DataFrame:
    """All fields of a ``;``-separated file as text; the index is the file's line number.

    Blank cells are missing values (``<NA>``).
    """
    path = Path(path)
    data = as_utf8(read_bytes(path), path)
    if not data.strip():
        raise DataError([Problem(str(path), None, None, "a header line and rows of data",
                                 "an empty file")])
    header = _header(data, path)
    frame = _fast_read(data, header)
    if frame is None:
        frame = _careful_read(data, header, path)
    return frame


def _header(data: bytes, path: Path) -> list[str]:
    first = data.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8")
    names = next(csv.reader([first], delimiter=SEPARATOR))
    if len(names) == 1:
        for other in (",", "\t"):
            if other in first:
                raise DataError([Problem(str(path), 1, None, "fields separated by ';'",
                                         f"fields separated by {other!r}")])
    names = [n.strip() for n in names]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise DataError([Problem(str(path), 1, n, "each column name once", "it twice")
                         for n in duplicated])
    return names


def _fast_read(data: bytes, header: list[str]) -> pd.DataFrame | None:
    """pyarrow's reader, or None when the careful reader must take over."""
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=SEPARATOR),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=True, null_values=[""], quoted_strings_can_be_null=True),
        )
    except pa.ArrowInvalid:
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if table.num_rows != lines - 1:
        return None  # blank lines or line breaks inside quotes: line numbers would be off
    frame = table.to_pandas()
    frame.index = pd.RangeIndex(2, table.num_rows + 2)
    return _strip(frame)


def _careful_read(data: bytes, header: list[str], path: Path) -> pd.DataFrame:
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=SEPARATOR)
    next(reader)
    rows, lines, problems = [], [], []
    for row in reader:
        if not any(field.strip() for field in row):
            continue  # a blank line carries no data
        if len(row) != len(header):
            problems.append(Problem(str(path), reader.line_num, None,
                                    f"{len(header)} fields separated by ';'",
                                    f"{len(row)} field(s)"))
            continue
        rows.append(row)
        lines.append(reader.line_num)
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(lines), dtype="str")
    return _strip(frame.replace("", pd.NA))


def _strip(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        stripped = frame[column].str.strip()
        frame[column] = stripped.mask(stripped == "")
    return frame


def require_columns(frame: pd.DataFrame, path: Path, names: list[str]) -> None:
    """Raise when a required column is missing, suggesting a near name that is present."""
    problems = []
    for name in names:
        if name in frame.columns:
            continue
        close = difflib.get_close_matches(name, [str(c) for c in frame.columns], n=1, cutoff=0.6)
        found = f"a column '{close[0]}' — renamed?" if close else (
            f"columns {', '.join(map(str, frame.columns))}")
        problems.append(Problem(str(path), 1, name, f"a column named '{name}'", found))
    if problems:
        raise DataError(problems)


def _bad_cells(raw: pd.Series, bad: pd.Series, path: Path, column: str,
               expected: str) -> list[Problem]:
    rows = raw.index[bad.to_numpy(dtype=bool)]
    problems = [Problem(str(path), int(r), column, expected, repr(raw.loc[r]))
                for r in rows[:MAX_PROBLEMS_PER_COLUMN]]
    if len(rows) > MAX_PROBLEMS_PER_COLUMN:
        problems.append(Problem(str(path), None, column, expected,
                                f"{len(rows) - MAX_PROBLEMS_PER_COLUMN} more rows like these"))
    return problems


def parse_ints(raw: pd.Series, path: Path, column: str) -> tuple[pd.Series, list[Problem]]:
    """Whole numbers; blank stays missing."""
    ok = raw.str.fullmatch(r"-?\d+")
    bad = raw.notna() & ~ok.fillna(False).astype(bool)
    values = pd.to_numeric(raw.where(~bad), errors="coerce").astype("Int64")
    return values, _bad_cells(raw, bad, path, column, "a whole number")


def parse_decimals(raw: pd.Series, path: Path, column: str) -> tuple[pd.Series, list[Problem]]:
    """Numbers with decimal comma (``1,25``); a decimal point is refused as ambiguous."""
    ok = raw.str.fullmatch(r"-?\d+(,\d+)?")
    bad = raw.notna() & ~ok.fillna(False).astype(bool)
    values = pd.to_numeric(raw.where(~bad).str.replace(",", ".", regex=False), errors="coerce")
    expected = "a number with decimal comma, e.g. 1,25"
    return values.astype("float64"), _bad_cells(raw, bad, path, column, expected)


def parse_dates(raw: pd.Series, path: Path, column: str) -> tuple[pd.Series, list[Problem]]:
    """Dates written ``dd-mm-yyyy``."""
    values = pd.to_datetime(raw, format="%d-%m-%Y", errors="coerce").astype("datetime64[ns]")
    bad = raw.notna() & values.isna()
    return values, _bad_cells(raw, bad, path, column, "a date written dd-mm-yyyy")


def parse_choice(raw: pd.Series, path: Path, column: str,
                 mapping: dict[str, object]) -> tuple[pd.Series, list[Problem]]:
    """Map allowed texts to values (e.g. ``ja``/``nej`` to booleans)."""
    bad = raw.notna() & ~raw.isin(list(mapping))
    expected = " or ".join(repr(k) for k in mapping)
    return raw.map(mapping), _bad_cells(raw, bad, path, column, expected)
