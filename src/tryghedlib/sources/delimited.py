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
import os
import re
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from tryghedlib.errors import DataError, Problem, brief
from tryghedlib.parallel import THREADS
from tryghedlib.sources.schemas import DATE, DECIMAL, INT
from tryghedlib.sources.textcolumns import (Catalogue, all_distinct, clean_dates, clean_decimals,
                                     clean_ints, masked_digits)

SEPARATOR = ";"
_LONE_CR = re.compile(rb"\r(?!\n)")
MAX_PROBLEMS_PER_COLUMN = 50
# A UTF-8 encoded letter such as "ø" (c3 b8); cp1252 text almost never holds such a pair.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when it ends in ``.gz``."""
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, "at filen findes")])
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as err:
            raise DataError([_incomplete_gzip(data, path, err)]) from None
    return data


def _incomplete_gzip(data: bytes, path: Path, err: Exception) -> Problem:
    """Where a cut-off (or damaged) gzip file ends, as a line number of its text."""
    decompressor = zlib.decompressobj(wbits=31)
    try:
        text = decompressor.decompress(data)
    except zlib.error:
        return Problem(str(path), None, None, "en komplet gzip-komprimeret fil",
                       "en beskadiget gzip-fil")
    line = text.count(b"\n") + 1
    return Problem(str(path), line, None, "en komplet gzip-komprimeret fil",
                   f"de komprimerede data slutter i linje {line}: filen blev afkortet, mens den "
                   "blev kopieret eller skrevet; hent den igen")


def as_utf8(data: bytes, path: Path) -> bytes:
    """UTF-8 bytes without BOM, from UTF-8 (with or without BOM) or cp1252 input."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise DataError([Problem(str(path), 1, None, "tekst kodet som UTF-8 eller cp1252",
                                 "UTF-16 (Excels 'Unicode-tekst'); gem den som 'CSV UTF-8'")])
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError as err:
        first_bad = err.start
    utf8 = _UTF8_SEQUENCE.search(data)
    if utf8 is not None:  # decoding all as cp1252 would garble the UTF-8 lines: refuse
        line = data[:first_bad].count(b"\n") + 1
        other = data[:utf8.start()].count(b"\n") + 1
        raise DataError([Problem(
            str(path), line, None, "tekst i én kodning (UTF-8 eller cp1252) i hele filen",
            f"byte 0x{data[first_bad]:02x} her er ikke UTF-8, men linje {other} er UTF-8; "
            "er rækker indsat fra en anden fil?")]) from None
    try:
        return data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DataError([Problem(str(path), line, None, "tekst kodet som UTF-8 eller cp1252",
                                 f"byte 0x{data[err.start]:02x}")]) from None


def read_text_table(path: str | Path) -> pd.DataFrame:
    """All fields of a ``;``-separated file as text; the index is the file's line number.

    Blank cells are missing values (``<NA>``).
    """
    path = Path(path)
    data = as_utf8(read_bytes(path), path)
    if b"\r" in data:  # old Mac line ends (CR alone), even among others: the same rows
        data = _LONE_CR.sub(b"\n", data)
    if not data.strip():
        raise DataError([Problem(str(path), 1, None, "en overskriftslinje og rækker med data",
                                 "en tom fil")])
    header = _header(data, path)
    frame = _fast_read(data, header)
    if frame is None:
        frame = _careful_read(data, header, path)
    return frame


def _header(data: bytes, path: Path) -> list[str]:
    first = data.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8")
    names = next(_rows(csv.reader([first], delimiter=SEPARATOR), path))
    if len(names) == 1:
        for other in (",", "\t"):
            if other in first:
                raise DataError([Problem(str(path), 1, None, "felter adskilt af ';'",
                                         f"felter adskilt af {other!r}")])
    names = [n.strip() for n in names]
    duplicated = sorted(n for n, k in Counter(names).items() if k > 1)
    if duplicated:
        raise DataError([Problem(str(path), 1, n, "hvert kolonnenavn kun én gang",
                                 "det to gange")
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
    read = _rows(reader, path)
    next(read, None)   # the header (through _rows: a quote opened in it may run on and on)
    rows, lines, problems = [], [], []
    for row in read:
        if not any(field.strip() for field in row):
            continue  # a blank line carries no data
        if len(row) != len(header):
            short = len(row) < len(header)
            problems.append(Problem(
                str(path), reader.line_num, header[len(row)] if short else None,
                f"{len(header)} felter adskilt af ';'",
                f"{len(row)} {'felt' if len(row) == 1 else 'felter'}; linjen slutter før denne "
                "kolonne" if short else f"{len(row)} felter; er der et ';' inde i en værdi?"))
            continue
        rows.append(row)
        lines.append(reader.line_num)
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(lines), dtype="str")
    return _strip(frame.replace("", pd.NA))


def _rows(reader, path: Path):
    """The reader's rows; a line the csv module cannot read is refused with its number."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            found = "en linje, som ikke kan læses som felter"
            if "field larger than field limit" in str(err):
                found = (f"et felt på mere end {csv.field_size_limit()} tegn: er et "
                         "anførselstegn (\") åbnet og aldrig lukket?")
            elif "NUL" in str(err):
                found = "et NUL-tegn (byte 0x00): er filen en tekstfil?"
            raise DataError([Problem(str(path), reader.line_num, None,
                                     "felter adskilt af ';', én række pr. linje",
                                     found)]) from None


def _strip(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        stripped = frame[column].str.strip()
        frame[column] = stripped.mask(stripped == "")
    return frame


def require_columns(frame: pd.DataFrame, path: Path, names: list[str]) -> None:
    """Raise when a required column is missing, suggesting a near name that is present."""
    problems = []
    # Only a column the file has and the loader does not already use can be a renamed one.
    spare = [str(c) for c in frame.columns if c not in names]
    for name in names:
        if name in frame.columns:
            continue
        same = [c for c in spare if _plain(c) == _plain(name)]
        close = same or difflib.get_close_matches(
            _plain(name), [_plain(c) for c in spare], n=1, cutoff=0.6)
        if close and not same:
            close = [spare[[_plain(c) for c in spare].index(close[0])]]
        found = f"en kolonne '{close[0]}' — omdøbt?" if close else (
            f"kolonnerne {', '.join(map(str, frame.columns))}")
        problems.append(Problem(str(path), 1, name, f"en kolonne med navnet '{name}'", found))
    if problems:
        raise DataError(problems)


def _plain(name: str) -> str:
    """A column name compared loosely: lower case, æøå spelt out, no spaces or underscores."""
    name = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[\s_.-]+", "", name)


def _bad_cells(raw: pd.Series, bad: pd.Series, path: Path, column: str,
               expected: str) -> list[Problem]:
    rows = raw.index[bad.to_numpy(dtype=bool)]
    problems = [Problem(str(path), int(r), column, expected, brief(raw.loc[r]))
                for r in rows[:MAX_PROBLEMS_PER_COLUMN]]
    if len(rows) > MAX_PROBLEMS_PER_COLUMN:
        problems.append(Problem(str(path), None, column, expected,
                                f"{len(rows) - MAX_PROBLEMS_PER_COLUMN} rækker mere af samme slags"))
    return problems


def parse_ints(raw: pd.Series, path: Path, column: str) -> tuple[pd.Series, list[Problem]]:
    """Whole numbers (up to 18 digits, as int64 holds them); blank stays missing."""
    ok = raw.str.fullmatch(r"-?\d{1,18}")
    bad = raw.notna() & ~ok.fillna(False).astype(bool)
    values = pd.to_numeric(raw.where(~bad), errors="coerce").astype("Int64")
    return values, _bad_cells(raw, bad, path, column, "et helt tal")


def parse_decimals(raw: pd.Series, path: Path, column: str) -> tuple[pd.Series, list[Problem]]:
    """Numbers with decimal comma (``1,25``); a decimal point is refused as ambiguous."""
    ok = raw.str.fullmatch(r"-?\d+(,\d+)?")
    bad = raw.notna() & ~ok.fillna(False).astype(bool)
    values = pd.to_numeric(raw.where(~bad).str.replace(",", ".", regex=False),
                           errors="coerce").astype("float64")
    # 400 digits are read as infinity, which passes "> 0" and breaks every sum after it.
    endless = np.isinf(values.to_numpy())
    bad |= endless
    values[endless] = np.nan
    expected = "et tal med decimalkomma, f.eks. 1,25"
    return values, _bad_cells(raw, bad, path, column, expected)


def parse_dates(raw: pd.Series, path: Path, column: str) -> tuple[pd.Series, list[Problem]]:
    """Dates written ``dd-mm-yyyy``, in the years 1900-2199 (as on the fast path,
    :func:`~tryghedlib.sources.textcolumns.clean_dates`; nanoseconds end in 2262)."""
    values = pd.to_datetime(raw, format="%d-%m-%Y", errors="coerce")
    values = values.where(values.dt.year.between(1900, 2199)).astype("datetime64[ns]")
    bad = raw.notna() & values.isna()
    return values, _bad_cells(raw, bad, path, column, "en dato skrevet dd-mm-åååå")


def parse_choice(raw: pd.Series, path: Path, column: str,
                 mapping: dict[str, object]) -> tuple[pd.Series, list[Problem]]:
    """Map allowed texts to values (e.g. ``ja``/``nej`` to booleans)."""
    bad = raw.notna() & ~raw.isin(list(mapping))
    expected = " eller ".join(repr(k) for k in mapping)
    return raw.map(mapping), _bad_cells(raw, bad, path, column, expected)


# --- the fast path for clean deliveries ------------------------------------------------------
#
# A large register that is clean -- and real deliveries almost always are -- is read by
# pyarrow straight into Arrow columns of bytes, batch by batch, and each batch is checked and
# parsed with vectorised NumPy on Arrow's buffers (`textcolumns`, eight bytes at a time where
# the layout is fixed): no Python object per cell and no regular expression per row. The file
# is cut at line ends into one part per core, each read in its own thread a few megabytes at a
# time, and the thread that parses a batch checks it at once, while it is in the CPU caches:
# every core parses and checks, and memory holds little more than the result.
# The fast path never reports a problem: whenever anything is not plainly clean (an odd
# header, quotes, a blank or ragged line, whitespace around a value, a value it does not parse,
# a blank where a value is required, a repeated or unlisted value) it returns None and the
# caller takes the careful path above, which names every problem with file, row, column and
# what was expected. It accepts a subset of what the careful path accepts and returns the same
# values (tests/test_delimited.py compares them).

# The kinds of column read_clean_table parses are the contract's (schemas.Field.kind); a digit
# mask such as "9999-99999-99999-99" (9 a digit, any other character itself) is a kind too.
# A batch of some 60 000 rows: each NumPy step on it is long enough for the other part's
# thread to take Python's lock meanwhile (1 MB batches left the second core mostly waiting).
BLOCK_BYTES = 4 << 20
CHUNK_BYTES = 2 * BLOCK_BYTES  # a part is read this much at a time
PARTS = THREADS  # parts of a file read at once
SMALLEST_PART = 2 * CHUNK_BYTES  # a smaller file is read in one part


def read_clean_table(path: str | Path, columns: dict[str, tuple[str, str]], *,
                     required: Iterable[str] = (), unique: Iterable[str] = (),
                     allowed: dict[str, Iterable[int]] | None = None,
                     check: Callable[[dict[str, np.ndarray]], bool] | None = None
                     ) -> pd.DataFrame | None:
    """The delivered ``columns`` of a clean file, typed and renamed; None if it is not clean.

    ``columns`` maps a delivered column name to (tidy name, kind) with kind ``"int"`` (whole
    number, never blank; int64), ``"decimal"`` (decimal comma; blank is NaN), ``"date"``
    (``dd-mm-yyyy``; blank is NaT) or a digit mask (text of exactly that shape, never blank).
    ``required`` columns may have no blank cell, ``unique`` masked columns no value twice, and
    an ``allowed`` integer column only the values listed. ``check`` gets the numbers and dates
    of each batch of rows (by tidy name) and says whether they are plainly valid together
    (say, no offence after its report); if not, the fast path gives up too.
    Returns a frame with a RangeIndex, or None: then read the file with
    :func:`read_text_table` and the ``parse_*`` functions, which say what is wrong.
    """
    kinds = {name: kind for name, (_, kind) in columns.items()}
    allowed = {name: Catalogue(values) for name, values in (allowed or {}).items()}
    required, unique = set(required), set(unique)
    parsed = {name: tidy for name, (tidy, kind) in columns.items() if kind in (INT, DECIMAL, DATE)}

    def clean(batch: pa.RecordBatch) -> dict[str, object] | None:
        """The batch's columns: numbers and dates as NumPy, a masked column as (Arrow text,
        key); None if anything is not clean."""
        out: dict[str, object] = {}
        for name, kind in kinds.items():
            array = batch.column(name)
            if name in required and array.null_count:
                return None
            array = array.view(pa.string())  # every byte is checked below: ASCII of its kind
            values = _clean_column(array, kind, allowed.get(name))
            if values is None:
                return None
            # A unique column's keys are sorted here, in the part's thread while the other part
            # parses; joining then only merges the sorted runs (all_distinct).
            out[name] = (values if name in parsed else
                         (array, np.sort(values, kind="stable") if name in unique else None))
        if check is not None and not check({tidy: out[name] for name, tidy in parsed.items()}):
            return None
        return out

    done = clean_batches(Path(path), list(kinds), clean)
    if not done:
        return None
    return _joined(done, columns, unique)


def _joined(done: list[dict[str, object]], columns: dict[str, tuple[str, str]],
            unique: set[str]) -> pd.DataFrame | None:
    """The checked batches as one frame, or None if a ``unique`` column repeats a value."""
    parts = {name: [part.pop(name) for part in done] for name in columns}
    del done
    keys = {}
    for name, (_, kind) in columns.items():
        if kind not in (INT, DECIMAL, DATE):
            if name in unique:
                keys[name] = np.concatenate([key for _, key in parts[name]])
            parts[name] = [array for array, _ in parts[name]]

    def join(name: str) -> tuple[str, object]:
        tidy, kind = columns[name]
        pieces = parts.pop(name)  # freed once joined
        return tidy, (np.concatenate(pieces) if kind in (INT, DECIMAL, DATE)
                      else pa.chunked_array(pieces, pa.string()).to_pandas())

    # The keys' sorted runs are merged while the columns are joined, two at a time: NumPy
    # sorts and copies without Python's lock.
    with ThreadPoolExecutor(max_workers=3) as pool:
        distinct = pool.submit(lambda: all(all_distinct(key) for key in keys.values()))
        result = dict(pool.map(join, list(columns)))
        if not distinct.result():
            return None
    return pd.DataFrame(result, copy=False)


def _clean_column(array: pa.Array, kind: str, allowed: Catalogue | None):
    if kind == INT:
        values = clean_ints(array)
        if values is None or (allowed is not None and not allowed.has_all(values)):
            return None
        return values
    if kind == DECIMAL:
        return clean_decimals(array)
    if kind == DATE:
        return clean_dates(array)
    return masked_digits(array, kind)


def clean_batches(path: Path, names: list[str], clean: Callable[[pa.RecordBatch], object]
                  ) -> list | None:
    """``clean(batch)`` of every batch of the columns ``names``, in the file's order; None if a
    batch is not clean (``clean`` returned None) or the file is not plainly readable.

    The columns come as Arrow binary that ``clean`` must check byte by byte (so pyarrow need
    not check them as UTF-8); blank cells are null. Plainly readable: the header names
    each column once, without quotes or spaces, and every line holds exactly the header's
    fields, unquoted. The file's parts are read and cleaned at once, each in its own thread.
    """
    header = _plain_header(path)
    if header is None or len(set(header)) != len(header) or not set(names) <= set(header):
        return None
    types = {name: pa.binary() for name in names}
    spans = _spans(path)
    failed = threading.Event()  # one part's failure stops the others early

    def part(number: int) -> list:
        done = []
        for batch in _read_batches(path, spans[number], header, types, first=number == 0):
            cleaned = None if batch is None or failed.is_set() else clean(batch)
            if cleaned is None:
                failed.set()
                break
            done.append(cleaned)
        return done

    with ThreadPoolExecutor(max_workers=len(spans)) as pool:
        parts = list(pool.map(part, range(len(spans))))
    return None if failed.is_set() else [cleaned for done in parts for cleaned in done]


def _spans(path: Path) -> list[tuple[int, int] | None]:
    """Byte ranges (start, stop) of the file, cut just after a line end, one per part (one for
    a small file); [None] (all of it, as it comes) for a compressed file."""
    if path.suffix == ".gz":
        return [None]
    size = path.stat().st_size
    parts = max(min(PARTS, size // SMALLEST_PART), 1)
    cuts = [0]
    with open(path, "rb") as handle:
        for number in range(1, parts):
            handle.seek(max(size * number // parts, cuts[-1]))
            at = handle.tell()
            end = handle.read(1 << 16).find(b"\n")
            if end < 0 or at + end + 1 >= size:
                break
            cuts.append(at + end + 1)
    cuts.append(size)
    return list(zip(cuts[:-1], cuts[1:]))


def _read_batches(path: Path, span: tuple[int, int] | None, header: list[str],
                  types: dict[str, pa.DataType], first: bool):
    """The batches of the lines in ``span`` of the file (None: all of it), parsed by pyarrow in
    this thread; yields None and stops if they are not plainly readable."""
    try:
        if span is None:  # pyarrow's streaming reader, which reads .gz by its suffix
            yield from pacsv.open_csv(path, **_csv_options(header, types, 1 if first else 0))
            return
        for number, chunk in enumerate(_chunks(path, *span)):
            skip = 1 if first and number == 0 else 0
            yield from pacsv.read_csv(pa.BufferReader(chunk),
                                      **_csv_options(header, types, skip)).to_batches()
    except (pa.ArrowInvalid, OSError, EOFError):
        yield None


def _csv_options(header: list[str], types: dict[str, pa.DataType], skip: int) -> dict:
    return dict(
        read_options=pacsv.ReadOptions(column_names=header, skip_rows=skip,
                                       block_size=BLOCK_BYTES, use_threads=False),
        # No quoting and no skipped lines: then every physical line is one row, and a quoted
        # cell or a blank line is left to the careful path, which knows what to do.
        parse_options=pacsv.ParseOptions(delimiter=SEPARATOR, quote_char=False,
                                         ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            include_columns=list(types), column_types=types, strings_can_be_null=True,
            null_values=[""]))


def _chunks(path: Path, start: int, stop: int):
    """The bytes ``start`` to ``stop`` of a file, CHUNK_BYTES at a time, each cut just after a
    line end (a longer line makes a longer chunk). Read by the operating system into memory
    that pyarrow parses without calling back into Python, whose lock the other parts want."""
    with open(path, "rb", buffering=0) as handle:
        while start < stop:
            size = min(CHUNK_BYTES, stop - start)
            data = os.pread(handle.fileno(), size, start)
            while size < stop - start and data.rfind(b"\n") < 0:
                size *= 2  # a line longer than a chunk: read more
                data = os.pread(handle.fileno(), min(size, stop - start), start)
            if not data:
                return  # the file was cut short while it was read
            end = len(data) if start + len(data) >= stop else data.rfind(b"\n") + 1
            yield pa.py_buffer(memoryview(data)[:end])
            start += end


def _plain_header(path: Path) -> list[str] | None:
    try:
        with (gzip.open if path.suffix == ".gz" else open)(path, "rb") as handle:
            first = handle.readline(1 << 16)
    except (OSError, EOFError):
        return None
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8):]
    try:
        text = first.rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError:
        return None
    names = text.split(SEPARATOR)
    if '"' in text or not all(n and n == n.strip() for n in names):
        return None
    return names
