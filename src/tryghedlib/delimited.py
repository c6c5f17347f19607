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
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from tryghedlib.errors import DataError, Problem
from tryghedlib.parallel import THREADS

SEPARATOR = ";"
MAX_PROBLEMS_PER_COLUMN = 50
# A UTF-8 encoded letter such as "ø" (c3 b8); cp1252 text almost never holds such a pair.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when it ends in ``.gz``."""
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, "the file to exist")])
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
        return Problem(str(path), None, None, "a complete gzip-compressed file", str(err))
    line = text.count(b"\n") + 1
    return Problem(str(path), line, None, "a complete gzip-compressed file",
                   f"the compressed data end in line {line}: the file was cut off while it was "
                   "copied or written; get it again")


def as_utf8(data: bytes, path: Path) -> bytes:
    """UTF-8 bytes without BOM, from UTF-8 (with or without BOM) or cp1252 input."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise DataError([Problem(str(path), 1, None, "text encoded as UTF-8 or cp1252",
                                 "UTF-16 (Excel's 'Unicode text'); save it as 'CSV UTF-8'")])
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
            str(path), line, None, "text in one encoding (UTF-8 or cp1252) throughout the file",
            f"byte 0x{data[first_bad]:02x} here is not UTF-8, but line {other} is UTF-8; "
            "were rows pasted in from another file?")]) from None
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
        raise DataError([Problem(str(path), 1, None, "a header line and rows of data",
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
            short = len(row) < len(header)
            problems.append(Problem(
                str(path), reader.line_num, header[len(row)] if short else None,
                f"{len(header)} fields separated by ';'",
                f"{len(row)} field(s); the line ends before this column" if short else
                f"{len(row)} fields; is there a ';' inside a value?"))
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
        found = f"a column '{close[0]}' — renamed?" if close else (
            f"columns {', '.join(map(str, frame.columns))}")
        problems.append(Problem(str(path), 1, name, f"a column named '{name}'", found))
    if problems:
        raise DataError(problems)


def _plain(name: str) -> str:
    """A column name compared loosely: lower case, æøå spelt out, no spaces or underscores."""
    name = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[\s_.-]+", "", name)


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


# --- the fast path for clean deliveries ------------------------------------------------------
#
# A large register that is clean -- and real deliveries almost always are -- is read by
# pyarrow straight into Arrow columns of bytes, batch by batch, and each batch is checked and
# parsed with vectorised NumPy on Arrow's buffers (eight bytes at a time where the layout is
# fixed): no Python object per cell and no regular expression per row. The file is cut at line
# ends into one part per core, each read in its own thread a few megabytes at a time, and the
# thread that parses a batch checks it at once, while it is in the CPU caches: every core
# parses and checks, and memory holds little more than the result.
# The fast path never reports a problem: whenever anything is not plainly clean (an odd
# header, quotes, a blank or ragged line, whitespace around a value, a value it does not parse,
# a blank where a value is required, a repeated or unlisted value) it returns None and the
# caller takes the careful path above, which names every problem with file, row, column and
# what was expected. It accepts a subset of what the careful path accepts and returns the same
# values (tests/test_delimited.py compares them).

#: Kinds of column :func:`read_clean_table` parses; a digit mask such as
#: ``"9999-99999-99999-99"`` (``9`` a digit, any other character itself) is a text kind too.
TEXT, INT, DECIMAL, DATE = "text", "int", "decimal", "date"
# A batch of some 60 000 rows: each NumPy step on it is long enough for the other part's
# thread to take Python's lock meanwhile (1 MB batches left the second core mostly waiting).
BLOCK_BYTES = 4 << 20
CHUNK_BYTES = 2 * BLOCK_BYTES  # a part is read this much at a time
PARTS = THREADS  # parts of a file read at once
SMALLEST_PART = 2 * CHUNK_BYTES  # a smaller file is read in one part
_FIRST_YEAR, _LAST_YEAR = 1900, 2199  # dates outside these years are left to the careful path
_COMMA, _MINUS, _POINT = 44, 45, 46
_HIGH_BITS = np.uint64(0x8080808080808080)


def read_clean_table(path: str | Path, columns: dict[str, tuple[str, str]], *,
                     required: Iterable[str] = (), unique: Iterable[str] = (),
                     allowed: dict[str, Iterable[int]] | None = None,
                     check: Callable[[dict[str, np.ndarray]], bool] | None = None
                     ) -> pd.DataFrame | None:
    """The delivered ``columns`` of a clean file, typed and renamed; None if it is not clean.

    ``columns`` maps a delivered column name to (tidy name, kind) with kind ``"text"``,
    ``"int"`` (whole number, never blank; int64), ``"decimal"`` (decimal comma; blank is NaN),
    ``"date"`` (``dd-mm-yyyy``; blank is NaT) or a digit mask (text of exactly that shape,
    never blank). ``required`` columns may have no blank cell, ``unique`` masked columns no
    value twice, and an ``allowed`` integer column only the values listed. ``check`` gets the
    numbers and dates of each batch of rows (by tidy name) and says whether they are plainly
    valid together (say, no offence after its report); if not, the fast path gives up too.
    Returns a frame with a RangeIndex, or None: then read the file with
    :func:`read_text_table` and the ``parse_*`` functions, which say what is wrong.
    """
    kinds = {name: kind for name, (_, kind) in columns.items()}
    if any(kind == TEXT for name, kind in kinds.items() if name in unique):
        raise ValueError("unique is for columns with a digit mask")
    allowed = {name: _Catalogue(values) for name, values in (allowed or {}).items()}
    required = set(required)
    parsed = {name: tidy for name, (tidy, kind) in columns.items() if kind in (INT, DECIMAL, DATE)}

    def clean(batch: pa.RecordBatch) -> dict[str, object] | None:
        """The batch's columns: text as Arrow, numbers and dates as NumPy, a masked column as
        (Arrow text, key); None if anything is not clean."""
        out: dict[str, object] = {}
        for name, kind in kinds.items():
            array = batch.column(name)
            if name in required and array.null_count:
                return None
            if kind == TEXT:
                out[name] = array
                continue
            array = array.view(pa.string())  # every byte is checked below: ASCII of its kind
            values = _clean_column(array, kind, allowed.get(name))
            if values is None:
                return None
            out[name] = values if name in parsed else (array, values)
        if check is not None and not check({tidy: out[name] for name, tidy in parsed.items()}):
            return None
        return out

    done = clean_batches(Path(path), kinds, clean)
    if not done:
        return None
    return _joined(done, columns, set(unique))


def _joined(done: list[dict[str, object]], columns: dict[str, tuple[str, str]],
            unique: set[str]) -> pd.DataFrame | None:
    """The checked batches as one frame, or None if a ``unique`` column repeats a value."""
    parts = {name: [part.pop(name) for part in done] for name in columns}
    del done
    keys = {}
    for name, (_, kind) in columns.items():
        if kind not in (TEXT, INT, DECIMAL, DATE):
            if name in unique:
                keys[name] = np.concatenate([key for _, key in parts[name]])
            parts[name] = [array for array, _ in parts[name]]

    def join(name: str) -> tuple[str, object]:
        tidy, kind = columns[name]
        pieces = parts.pop(name)  # freed once joined
        return tidy, (np.concatenate(pieces) if kind in (INT, DECIMAL, DATE)
                      else pa.chunked_array(pieces, pa.string()).to_pandas())

    # The keys are sorted while the columns are joined, two at a time: NumPy sorts and copies
    # without Python's lock.
    with ThreadPoolExecutor(max_workers=3) as pool:
        distinct = pool.submit(lambda: all(_all_distinct(key) for key in keys.values()))
        result = dict(pool.map(join, list(columns)))
        if not distinct.result():
            return None
    return pd.DataFrame(result, copy=False)


def _clean_column(array: pa.Array, kind: str, allowed: _Catalogue | None):
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


def clean_batches(path: Path, kinds: dict[str, str], clean: Callable[[pa.RecordBatch], object]
                  ) -> list | None:
    """``clean(batch)`` of every batch of the columns ``kinds`` names, in the file's order; None
    if a batch is not clean (``clean`` returned None) or the file is not plainly readable.

    Text columns come as Arrow text (checked to be UTF-8), the others as Arrow binary that
    ``clean`` must check byte by byte; blank cells are null. Plainly readable: the header names
    each column once, without quotes or spaces, and every line holds exactly the header's
    fields, unquoted. The file's parts are read and cleaned at once, each in its own thread.
    """
    header = _plain_header(path)
    if header is None or len(set(header)) != len(header) or not set(kinds) <= set(header):
        return None
    types = {name: pa.string() if kind == TEXT else pa.binary() for name, kind in kinds.items()}
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
            null_values=[""], check_utf8=True))


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


def _text_buffers(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (n + 1) and the bytes of an Arrow string array, the bytes starting at offsets[0]."""
    large = pa.types.is_large_string(array.type) or pa.types.is_large_binary(array.type)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64 if large else np.int32)[
        array.offset:array.offset + len(array) + 1]
    data = array.buffers()[2]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return offsets, data[offsets[0]:offsets[-1]]


def _fixed_width(array: pa.Array, width: int) -> np.ndarray | None:
    """The bytes of the non-blank values if every one is ``width`` bytes long, else None.

    Every length is compared: a total of ``width`` per value is not enough, as ``01-01-202``
    and ``001-01-2020`` together have the bytes of two good dates.
    """
    offsets, data = _text_buffers(array)
    lengths = np.diff(offsets)
    if not array.null_count:
        fixed = len(lengths) == 0 or lengths.min() == lengths.max() == width
    else:  # a blank cell is null and has no bytes
        fixed = np.array_equal(lengths, _valid(array) * np.int32(width))
    return data if fixed else None


def _valid(array: pa.Array) -> np.ndarray:
    """Whether each value is given (not null), from Arrow's validity bits."""
    if not array.null_count:
        return np.ones(len(array), dtype=bool)
    bits = np.frombuffer(array.buffers()[0], dtype=np.uint8)
    return np.unpackbits(bits, count=array.offset + len(array),
                         bitorder="little")[array.offset:].view(bool)


def _with_blanks(values: np.ndarray, array: pa.Array, blank) -> np.ndarray:
    """The values of the given cells of ``array``, with ``blank`` in its null cells."""
    if not array.null_count:
        return values
    full = np.full(len(array), blank, dtype=values.dtype)
    full[_valid(array)] = values
    return full


def _words(data: np.ndarray, width: int, offset: int, dtype) -> np.ndarray:
    """The ``dtype`` word at byte ``offset`` of every ``width``-byte record, as a new array."""
    count = len(data) // width
    if count == 0:
        return np.zeros(0, dtype=dtype)
    view = np.ndarray((count,), dtype=dtype, buffer=data, offset=offset, strides=(width,))
    return view.copy()


def _le(text: bytes, dtype=np.uint64):
    return dtype(int.from_bytes(text, "little"))


def _shaped(data: np.ndarray, width: int, start: int, shape: str) -> np.ndarray | None:
    """The 8-byte words at byte ``start`` of every ``width``-byte record, checked against
    ``shape`` (8 characters; ``9`` a digit, others themselves): each digit turned into its
    value 0-9 and every other character into 0; None if a word does not match.

    Eight bytes at a time: a byte is wrong when it is not ASCII or when adding 0x76 (digits)
    or 0x7f (fixed characters) to its difference sets bit 7. The arithmetic here and below
    works in place where it can: a temporary array per step costs more than the step.
    """
    words = _words(data, width, start, np.uint64)
    words ^= _le(bytes(ord("0") if c == "9" else ord(c) for c in shape))
    check = words + _le(bytes(0x76 if c == "9" else 0x7F for c in shape))
    check |= words
    return words if not len(words) or not np.bitwise_or.reduce(check) & _HIGH_BITS else None


def masked_digits(array: pa.Array, mask: str) -> np.ndarray | None:
    """A key (uint64, equal exactly for equal texts) of texts shaped like ``mask``, or None.

    ``mask``: ``9`` for a digit, any other ASCII character for itself; 8 to 64 characters of
    which at most 16 digits. No value may be blank.

    >>> key = masked_digits(pa.array(["0100-00001-00007-20", "0100-00001-00007-21"]),
    ...                     "9999-99999-99999-99")
    >>> len(set(key.tolist()))
    2
    >>> masked_digits(pa.array(["0100-00001-0000x-20"]), "9999-99999-99999-99") is None
    True
    """
    width, digits = len(mask), [i for i, c in enumerate(mask) if c == "9"]
    if array.null_count or len(digits) > 16 or not 8 <= width <= 64 or not mask.isascii():
        return None
    data = _fixed_width(array, width)
    if data is None:
        return None
    words = {}
    for start in sorted({*range(0, width - 7, 8), width - 8}):
        words[start] = _shaped(data, width, start, mask[start:start + 8])
        if words[start] is None:
            return None
    # Each digit is now a byte 0-9 and each fixed character 0: the first 8 characters fill
    # the low halves of the key's bytes, the next 8 (or, for a shorter mask, the last 8) the
    # high halves; a digit beyond the 16th takes the half byte of a fixed character there.
    second = 8 if width >= 16 else width - 8
    key = words[second] << np.uint64(4)
    key |= words[0]
    free = iter([8 * i for i in range(8) if mask[i] != "9"]
                + [8 * (i - 8) + 4 for i in range(8, min(width, 16)) if mask[i] != "9"])
    for position in (d for d in digits if d >= 16):
        start = max(s for s in words if s <= position)
        digit = words[start] >> np.uint64(8 * (position - start))
        digit &= np.uint64(15)
        digit <<= np.uint64(next(free))
        key |= digit
    return key


def _all_distinct(keys: np.ndarray) -> bool:
    ordered = np.sort(keys)
    return not np.any(ordered[1:] == ordered[:-1])


class _Catalogue:
    """The values an integer column may take, looked up in a table when their range is small
    (offence codes), else searched."""

    def __init__(self, values: Iterable[int]):
        self.values = np.unique(np.asarray(list(values), dtype=np.int64))
        self.low = int(self.values[0]) - 1 if len(self.values) else 0
        span = int(self.values[-1]) - self.low if len(self.values) else 0
        self.table = None
        if span < 10_000_000:  # False at both ends: values out of range are clipped onto them
            self.table = np.zeros(span + 2, dtype=bool)
            self.table[self.values - self.low] = True

    def has_all(self, values: np.ndarray) -> bool:
        if len(values) == 0:
            return True
        if self.table is None:
            return bool(np.isin(values, self.values).all())
        return bool(np.take(self.table, values - self.low, mode="clip").all())


def _digits_and(data: np.ndarray, *extra: int) -> bool:
    """Whether every byte is a digit or one of ``extra`` (each of ',' '-' '.' '/' or a digit)."""
    if len(data) == 0:
        return True
    low = min(ord("0"), *extra)
    if data.min() < low or data.max() > ord("9"):
        return False
    # Between the lowest allowed byte and '0' lie only ',', '-', '.' and '/'.
    refused = [b for b in range(low, ord("0")) if b not in extra]
    return not any(np.any(data == b) for b in refused)


def clean_ints(array: pa.Array) -> np.ndarray | None:
    """Whole numbers (``-?[0-9]+``, never blank) as int64, or None.

    >>> clean_ints(pa.array(["12", "-3", "007"])).tolist()
    [12, -3, 7]
    >>> [clean_ints(pa.array([t])) for t in ["+1", " 1", "0x1", "1,0", "1-", "-", None]]
    [None, None, None, None, None, None, None]
    """
    if array.null_count:
        return None
    fixed = _fixed_ints(array)
    if fixed is not None:
        return fixed
    _, data = _text_buffers(array)
    if not _digits_and(data, _MINUS):
        return None
    try:  # Arrow refuses a misplaced or lonely minus, and numbers beyond int64
        return pc.cast(array, pa.int64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _fixed_ints(array: pa.Array) -> np.ndarray | None:
    """:func:`clean_ints` of values that all have the same number of digits, one to eight, and
    no sign (as offence codes have), eight bytes at a time; None if they do not (the general
    way then decides)."""
    offsets, _ = _text_buffers(array)
    width = int(offsets[1] - offsets[0]) if len(array) else 0
    data = _fixed_width(array, width) if 1 <= width <= 8 else None
    if data is None:
        return None
    # Four (up to four digits: cheaper arithmetic) or eight bytes from each value's first: its
    # own, then the next value's (or padding), which the shift to the top of the word drops.
    size, dtype = (4, np.uint32) if width <= 4 else (8, np.uint64)
    padded = np.zeros(len(data) + size, dtype=np.uint8)
    padded[:len(data)] = data
    words = np.ndarray((len(array),), dtype=dtype, buffer=padded, strides=(width,)).copy()
    words <<= dtype(8 * (size - width))
    words ^= _le(bytes(size - width) + b"0" * width, dtype)  # digits 0-9, the bytes before 0
    check = words + _le(b"\x76" * size, dtype)
    check |= words
    if len(words) and np.bitwise_or.reduce(check) & _le(b"\x80" * size, dtype):
        return None
    if size == 8:
        return _eight_digits(words).view(np.int64)
    _pairs(words)
    hundreds = _byte(words, 0)
    hundreds *= dtype(100)
    hundreds += _byte(words, 2)
    return hundreds.astype(np.int64)


def clean_decimals(array: pa.Array) -> np.ndarray | None:
    """Numbers with decimal comma (``-?[0-9]+(,[0-9]+)?``) as float64, blank as NaN, or None.

    >>> clean_decimals(pa.array(["718900,5", "-2", None])).tolist()
    [718900.5, -2.0, nan]
    >>> [clean_decimals(pa.array([t])) for t in ["1.5", "1e5", ",5", "5,", "-,5", "1,2,3", "-"]]
    [None, None, None, None, None, None, None]
    """
    offsets, data = _text_buffers(array)
    fixed = _fixed_decimals(array, offsets, data)
    if fixed is not None:
        return fixed
    if not _digits_and(data, _COMMA, _MINUS):
        return None
    if len(data):
        starts, ends = offsets[:-1] - offsets[0], offsets[1:] - offsets[0]
        if array.null_count:
            filled = ends > starts
            starts, ends = starts[filled], ends[filled]
        first = data[starts]
        if np.any(first == _COMMA) or np.any(data[ends - 1] == _COMMA):
            return None
        signed = starts[first == _MINUS] + 1
        if np.any(data[np.minimum(signed, len(data) - 1)] == _COMMA):
            return None
    # Arrow's parser (correctly rounded, like Python's float) reads the comma as a point; it
    # refuses a second comma or a misplaced minus.
    buffers = array.buffers()
    raw = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else data
    dotted = raw + (raw == _COMMA).view(np.uint8) * np.uint8(_POINT - _COMMA)
    kind = pa.LargeStringArray if pa.types.is_large_string(array.type) else pa.StringArray
    text = kind.from_buffers(len(array), buffers[1], pa.py_buffer(dotted), buffers[0],
                             array.null_count, array.offset)
    try:
        values = pc.cast(text, pa.float64())
    except pa.ArrowInvalid:
        return None
    return values.to_numpy(zero_copy_only=False)


def _fixed_decimals(array: pa.Array, offsets: np.ndarray, data: np.ndarray
                    ) -> np.ndarray | None:
    """:func:`clean_decimals` of values that all have one layout -- the same number of
    digits before and after the comma, no sign, 8 to 16 characters, as a register's coordinates
    have -- eight bytes at a time; None if they do not (the general way then decides).

    The digits (comma included as 0) make one integer N = I * 10^(k+1) + F, I the digits
    before the comma and F the k after it; the number's digits without the comma are
    M = I * 10^k + F = N - 9 * 10^k * I, and M / 10^k is correctly rounded (M < 2^53, 10^k
    exact), as Python's and Arrow's parsers are.
    """
    if len(array) == array.null_count or not len(data):
        return None
    lengths = np.diff(offsets)
    width = int(lengths[np.argmax(lengths > 0)])
    if not 8 <= width <= 16 or _fixed_width(array, width) is None:
        return None
    comma = bytes(data[:width]).find(b",")
    decimals = 0 if comma < 0 else width - 1 - comma
    if comma == 0 or decimals == 0 and comma > 0 or width - (comma >= 0) > 15:
        return None
    mask = "9" * width if comma < 0 else "9" * comma + "," + "9" * decimals
    first = _shaped(data, width, 0, mask[:8])
    last = first if width == 8 else _shaped(data, width, width - 8, mask[-8:])
    if first is None or last is None:
        return None
    if width - (comma >= 0) <= 8:
        number = _eight_digits(_without_comma(first, last, width, comma))
    else:
        keep = np.uint64((1 << 64) - (1 << (8 * (16 - width))))  # the last width - 8 digits
        last &= keep
        number = _eight_digits(first)
        number *= np.uint64(10 ** (width - 8))
        number += _eight_digits(last)
        if decimals:
            whole = number // np.uint64(10 ** (decimals + 1))  # division by a constant is
            whole *= np.uint64(9 * 10 ** decimals)             # fast, the remainder (%) not
            number -= whole
    values = number.astype(np.float64)
    values /= 10.0 ** decimals
    return _with_blanks(values, array, np.nan)


def _without_comma(first: np.ndarray, last: np.ndarray, width: int, comma: int) -> np.ndarray:
    """The digits of 8- or 9-character values with at most 8 digits, as the words at bytes 0
    (``first``) and ``width - 8`` (``last``) hold them, gathered at the top of one word: the
    comma (a 0 byte) dropped, ``first``'s bytes before it moved up one byte for width 8; the
    bytes after the comma are ``last``'s own for width 9. Overwrites ``first``."""
    if comma < 0:
        return first
    below = np.uint64((1 << (8 * comma)) - 1)
    if width == 8:
        before = first & below
        before <<= np.uint64(8)
        first &= ~below
        first |= before
        return first
    first &= below
    first |= last & ~below
    return first


def _eight_digits(words: np.ndarray) -> np.ndarray:
    """The number written by eight bytes of value 0-9 (first byte most significant), in place
    of ``words``."""
    _pairs(words)
    high = words >> np.uint64(16)
    high &= _ODD_PAIRS
    high *= np.uint64(1 + (10000 << 32))
    words &= _ODD_PAIRS
    words *= np.uint64(100 + (1000000 << 32))
    words += high
    words >>= np.uint64(32)
    return words


_ODD_PAIRS = np.uint64(0x000000FF000000FF)


def _pairs(words: np.ndarray) -> np.ndarray:
    """Bytes of value 0-9 turned, in place, into byte i = 10 * byte i + byte i + 1 (at most 99:
    no carries)."""
    following = words >> words.dtype.type(8)
    words *= words.dtype.type(10)
    words += following
    return words


_NAT = np.iinfo(np.int64).min
_DAY_NS = 86_400_000_000_000


def _date_table() -> np.ndarray:
    """Nanoseconds from 1970 to each date, at (year - 1900) * 512 + month * 32 + day; NaT
    where there is no such date (day or month 0, 31 April, 29 February 2021, ...) and at the
    end, for every key past 2199."""
    table = np.full((_LAST_YEAR - _FIRST_YEAR + 1) * 512 + 1, _NAT, dtype=np.int64)
    days = np.arange(np.datetime64(f"{_FIRST_YEAR}-01-01"),
                     np.datetime64(f"{_LAST_YEAR + 1}-01-01"))
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    table[(year - _FIRST_YEAR) * 512 + month * 32 + day] = days.astype(np.int64) * _DAY_NS
    return table


_DATES = _date_table()


def _byte(words: np.ndarray, number: int) -> np.ndarray:
    byte = words >> words.dtype.type(8 * number)
    byte &= words.dtype.type(0xFF)
    return byte
# Day (byte 0) at most 31 and month (byte 3) at most 15, so that neither runs into the next
# field of the key: adding these sets bit 7 of a byte that is larger.
_DAY_MONTH = np.uint64(0x00000000FF0000FF)
_DAY_MONTH_LIMIT = np.uint64(((0x80 - 16) << 24) | (0x80 - 32))
_DAY_MONTH_HIGH = np.uint64(0x0000000080000080)


def years_of(dates: np.ndarray) -> np.ndarray:
    """The calendar year (int64) of each datetime64 value, by a table of the days spanned.

    Converting to ``datetime64[Y]`` works out the calendar for every value; a register's
    millions of dates fall on a few thousand days.

    >>> years_of(np.array(["2019-12-31", "2020-01-01"], dtype="datetime64[ns]")).tolist()
    [2019, 2020]
    """
    dates = np.asarray(dates)
    if len(dates) == 0 or dates.dtype != "datetime64[ns]" or dates.view(np.int64).min() == _NAT:
        return dates.astype("datetime64[Y]").astype(np.int64) + 1970
    days = dates.view(np.int64) // _DAY_NS
    first = days.min()
    span = np.arange(first, days.max() + 1).astype("datetime64[D]")
    days -= first
    return np.take(span.astype("datetime64[Y]").astype(np.int64) + 1970, days)


def clean_dates(array: pa.Array) -> np.ndarray | None:
    """Dates written ``dd-mm-yyyy`` (two-digit day and month) as datetime64[ns], blank as NaT,
    or None (also for years before 1900 or after 2199).

    >>> clean_dates(pa.array(["29-02-2020", None, "31-12-2199"])).astype(str).tolist()
    ['2020-02-29T00:00:00.000000000', 'NaT', '2199-12-31T00:00:00.000000000']
    >>> [clean_dates(pa.array([t])) for t in ["29-02-2021", "31-04-2020", "2-1-2020", "2020-01-02",
    ...                                        "00-01-2020", "01-13-2020", "01-01-1899"]]
    [None, None, None, None, None, None, None]
    """
    data = _fixed_width(array, 10)
    if data is None:
        return None
    head = _shaped(data, 10, 0, "99-99-99")
    tail = _shaped(data, 10, 2, "-99-9999")
    if head is None or tail is None:
        return None
    # In pairs, the head has the day in byte 0, the month in byte 3 and the century in byte 6,
    # the tail the year of the century in byte 6.
    _pairs(head)
    _pairs(tail)
    check = head & _DAY_MONTH
    check += _DAY_MONTH_LIMIT
    if len(check) and np.bitwise_or.reduce(check) & _DAY_MONTH_HIGH:
        return None
    key = _byte(head, 6)
    key *= np.uint64(100)
    key += _byte(tail, 6)
    key *= np.uint64(512)
    key += _byte(head, 3) << np.uint64(5)
    key += _byte(head, 0)
    key = key.view(np.int64)
    key -= _FIRST_YEAR * 512
    nanoseconds = np.take(_DATES, key, mode="clip")  # a year before 1900 or after 2199: NaT
    if len(nanoseconds) and nanoseconds.min() == _NAT:
        return None
    return _with_blanks(nanoseconds, array, _NAT).view("datetime64[ns]")
