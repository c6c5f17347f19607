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
import re
import zlib
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from tryghedlib.errors import DataError, Problem

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
# A large register that is clean -- and real deliveries almost always are -- is read by pyarrow's
# streaming reader straight into Arrow text columns, batch by batch, and each batch is checked
# and parsed with vectorised NumPy on Arrow's buffers (eight bytes at a time where the layout is
# fixed) while the next is read: no Python object per cell and no regular expression per row,
# and memory holds little more than the result. The fast path never reports a problem:
# whenever anything is not plainly clean (an odd header, quotes, a blank or ragged line,
# whitespace around a value, a value it does not parse, a blank where a value is required, a
# repeated or unlisted value) it returns None and the caller takes the careful path above, which
# names every problem with file, row, column and what was expected. It accepts a subset of what
# the careful path accepts and returns the same values (tests/test_delimited.py compares them).

#: Kinds of column :func:`read_clean_table` parses; a digit mask such as
#: ``"9999-99999-99999-99"`` (``9`` a digit, any other character itself) is a text kind too.
TEXT, INT, DECIMAL, DATE = "text", "int", "decimal", "date"
BLOCK_BYTES = 1 << 20  # a batch of some 15 000 rows: its arrays fit the CPU caches
CLEAN_THREADS = 2
IN_FLIGHT = 8  # batches read but not yet checked
_FIRST_YEAR, _LAST_YEAR = 1900, 2199  # dates outside these years are left to the careful path
_COMMA, _MINUS, _POINT = 44, 45, 46
_HIGH_BITS = np.uint64(0x8080808080808080)


def read_clean_table(path: str | Path, columns: dict[str, tuple[str, str]], *,
                     required: Iterable[str] = (), unique: Iterable[str] = (),
                     allowed: dict[str, Iterable[int]] | None = None) -> pd.DataFrame | None:
    """The delivered ``columns`` of a clean file, typed and renamed; None if it is not clean.

    ``columns`` maps a delivered column name to (tidy name, kind) with kind ``"text"``,
    ``"int"`` (whole number, never blank; int64), ``"decimal"`` (decimal comma; blank is NaN),
    ``"date"`` (``dd-mm-yyyy``; blank is NaT) or a digit mask (text of exactly that shape,
    never blank). ``required`` columns may have no blank cell, ``unique`` masked columns no
    value twice, and an ``allowed`` integer column only the values listed.
    Returns a frame with a RangeIndex, or None: then read the file with
    :func:`read_text_table` and the ``parse_*`` functions, which say what is wrong.
    """
    kinds = {name: kind for name, (_, kind) in columns.items()}
    if any(kind == TEXT for name, kind in kinds.items() if name in unique):
        raise ValueError("unique is for columns with a digit mask")
    allowed = {name: np.unique(np.asarray(list(values), dtype=np.int64))
               for name, values in (allowed or {}).items()}

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
            values = _clean_column(array, kind, allowed.get(name))
            if values is None:
                return None
            out[name] = values if kind in (INT, DECIMAL, DATE) else (array, values)
        return out

    # While pyarrow's reader parses ahead, two workers check and convert the batches already
    # read (NumPy and Arrow release the GIL). At most IN_FLIGHT batches wait, so memory holds
    # little more than the result.
    done: list[dict[str, object]] = []
    pending: deque = deque()
    with ThreadPoolExecutor(max_workers=CLEAN_THREADS) as pool:
        for batch in read_clean_batches(Path(path), list(columns)):
            if batch is None:
                return None
            pending.append(pool.submit(clean, batch))
            while len(pending) > IN_FLIGHT or (pending and pending[0].done()):
                done.append(pending.popleft().result())
                if done[-1] is None:
                    return None
        done += [future.result() for future in pending]
    if not done or any(part is None for part in done):
        return None
    parts = {name: [part.pop(name) for part in done] for name in columns}
    del done
    for name, kind in kinds.items():
        if kind not in (TEXT, INT, DECIMAL, DATE):
            keys = np.concatenate([key for _, key in parts[name]])
            if name in unique and not _unique_keys(keys):
                return None
            parts[name] = [array for array, _ in parts[name]]
    result = {}
    for name, (tidy, kind) in columns.items():  # each column's pieces freed once joined
        pieces = parts.pop(name)
        result[tidy] = (np.concatenate(pieces) if kind in (INT, DECIMAL, DATE)
                        else pa.chunked_array(pieces, pa.string()).to_pandas())
        del pieces
    return pd.DataFrame(result, copy=False)


def _clean_column(array: pa.Array, kind: str, allowed: np.ndarray | None):
    if kind == INT:
        values = clean_ints(array)
        if values is None or (allowed is not None and not _all_allowed(values, allowed)):
            return None
        return values
    if kind == DECIMAL:
        return clean_decimals(array)
    if kind == DATE:
        return clean_dates(array)
    return masked_digits(array, kind)


def read_clean_batches(path: Path, names: list[str]):
    """The columns ``names`` as Arrow text (blank cells null), batch by batch, from pyarrow's
    streaming reader (it parses ahead in its own thread); yields None and stops if the file is
    not plainly clean: its header must name each column once, without quotes or spaces, and
    every line must hold exactly the header's fields, unquoted, in UTF-8."""
    header = _plain_header(path)
    if header is None or len(set(header)) != len(header) or not set(names) <= set(header):
        yield None
        return
    try:
        yield from pacsv.open_csv(
            path,  # pyarrow reads .gz by its suffix
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1,
                                           block_size=BLOCK_BYTES),
            # No quoting and no skipped lines: then every physical line is one row, and a quoted
            # cell or a blank line is left to the careful path, which knows what to do.
            parse_options=pacsv.ParseOptions(delimiter=SEPARATOR, quote_char=False,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                include_columns=names, column_types={n: pa.string() for n in names},
                strings_can_be_null=True, null_values=[""], check_utf8=True))
    except (pa.ArrowInvalid, OSError, EOFError):
        yield None


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
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[
        array.offset:array.offset + len(array) + 1]
    data = array.buffers()[2]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return offsets, data[offsets[0]:offsets[-1]]


def _fixed_width(array: pa.Array, width: int) -> np.ndarray | None:
    """The bytes of the non-blank values if every one is ``width`` bytes long, else None.

    Blank cells are null and have no bytes, so the total length settles it.
    """
    _, data = _text_buffers(array)
    return data if len(data) == (len(array) - array.null_count) * width else None


def _words(data: np.ndarray, width: int, offset: int, dtype) -> np.ndarray:
    """The ``dtype`` word at byte ``offset`` of every ``width``-byte record, as a new array."""
    count = len(data) // width
    if count == 0:
        return np.zeros(0, dtype=dtype)
    view = np.ndarray((count,), dtype=dtype, buffer=data, offset=offset, strides=(width,))
    return view.copy()


def _le(text: bytes, dtype=np.uint64):
    return dtype(int.from_bytes(text, "little"))


def _shape_ok(words: np.ndarray, shape: str) -> tuple[bool, np.ndarray]:
    """Check 8-byte words against ``shape`` (8 characters; ``9`` a digit, others themselves).

    Returns whether all match, and the words with every digit turned into its value 0-9 and
    every other character into 0. Eight bytes at a time: a byte is wrong when it is not ASCII
    or when adding 0x76 (digits) or 0x7f (fixed characters) to its difference sets bit 7.
    """
    expected = _le(bytes(ord("0") if c == "9" else ord(c) for c in shape))
    limit = _le(bytes(0x76 if c == "9" else 0x7F for c in shape))
    values = words ^ expected
    bad = np.bitwise_or.reduce(values | (values + limit)) if len(values) else np.uint64(0)
    return not (bad & _HIGH_BITS), values


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
        ok, words[start] = _shape_ok(_words(data, width, start, np.uint64),
                                     mask[start:start + 8])
        if not ok:
            return None
    # Each digit is now a nibble 0-9 and each fixed character 0. The first 16 characters
    # (or, shorter masks, the first and last 8) fill the key; digits beyond them take the
    # nibbles of fixed characters among the first 16.
    second = 8 if width >= 16 else width - 8
    key = _nibbles(words[0]) | (_nibbles(words[second]) << np.uint64(32))
    covered = set(range(16)) if width >= 16 else set(range(width))
    free = iter(i for i in range(min(width, 16)) if mask[i] != "9")
    for position in (d for d in digits if d not in covered):
        start = max(s for s in words if s <= position < s + 8)
        nibble = (words[start] >> np.uint64(8 * (position - start))) & np.uint64(15)
        key |= nibble << np.uint64(4 * next(free))
    return key


def _nibbles(words: np.ndarray) -> np.ndarray:
    """Eight bytes of at most 15 each, packed into the low 32 bits (byte i to nibble i)."""
    words = (words | (words >> np.uint64(4))) & np.uint64(0x00FF00FF00FF00FF)
    words = (words | (words >> np.uint64(8))) & np.uint64(0x0000FFFF0000FFFF)
    return (words | (words >> np.uint64(16))) & np.uint64(0x00000000FFFFFFFF)


def _unique_keys(keys: np.ndarray) -> bool:
    ordered = np.sort(keys)
    return not np.any(ordered[1:] == ordered[:-1])


def _all_allowed(values: np.ndarray, allowed: np.ndarray) -> bool:
    if len(values) == 0:
        return True
    if len(allowed) == 0:
        return False
    small = values.max() - values.min() < 10_000_000
    return bool(np.isin(values, allowed, kind="table" if small else None).all())


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
    _, data = _text_buffers(array)
    if not _digits_and(data, _MINUS):
        return None
    try:  # Arrow refuses a misplaced or lonely minus, and numbers beyond int64
        return pc.cast(array, pa.int64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


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
    text = pa.StringArray.from_buffers(len(array), buffers[1], pa.py_buffer(dotted), buffers[0],
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

    The digits (comma included as 0) make one integer N; with k decimals the number's digits
    without the comma are M = (N - N mod 10^k) / 10 + N mod 10^k, and M / 10^k is correctly
    rounded (M < 2^53, 10^k exact), as Python's and Arrow's parsers are.
    """
    valid = len(array) - array.null_count
    if valid == 0 or not len(data):
        return None
    lengths = np.diff(offsets)
    width = int(lengths[np.argmax(lengths > 0)])
    if not 8 <= width <= 16 or len(data) != valid * width:
        return None
    comma = bytes(data[:width]).find(b",")
    decimals = 0 if comma < 0 else width - 1 - comma
    if comma == 0 or decimals == 0 and comma > 0 or width - (comma >= 0) > 15:
        return None
    mask = "9" * width if comma < 0 else "9" * comma + "," + "9" * decimals
    ok_first, first = _shape_ok(_words(data, width, 0, np.uint64), mask[:8])
    ok_last, last = _shape_ok(_words(data, width, width - 8, np.uint64), mask[-8:])
    if not (ok_first and ok_last):
        return None
    number = _eight_digits(first)
    if width > 8:  # the last width - 8 digits: the high bytes of the last word
        keep = np.uint64((1 << 64) - (1 << (8 * (16 - width))))
        number = number * np.uint64(10 ** (width - 8)) + _eight_digits(last & keep)
    if decimals:
        scale = np.uint64(10 ** decimals)
        fraction = number % scale
        number = (number - fraction) // np.uint64(10) + fraction
    values = number.astype(np.float64) / 10.0 ** decimals
    if array.null_count:
        full = np.full(len(array), np.nan)
        full[array.is_valid().to_numpy(zero_copy_only=False)] = values
        values = full
    return values


def _eight_digits(words: np.ndarray) -> np.ndarray:
    """The number written by eight bytes of value 0-9 (first byte most significant)."""
    words = words * np.uint64(10) + (words >> np.uint64(8))
    return (((words & np.uint64(0x000000FF000000FF)) * np.uint64(100 + (1000000 << 32))
             + ((words >> np.uint64(16)) & np.uint64(0x000000FF000000FF))
             * np.uint64(1 + (10000 << 32))) >> np.uint64(32))


def _month_tables() -> tuple[np.ndarray, np.ndarray]:
    """Days from 1970-01-01 to the first of a month, and the month's length, both at
    [(year - 1900) * 100 + month]; length 0 where there is no such month (0, 13-99)."""
    first = np.full(((_LAST_YEAR - _FIRST_YEAR + 1) * 100), 0, dtype=np.int64)
    length = np.zeros(len(first), dtype=np.uint8)
    months = np.arange(np.datetime64(f"{_FIRST_YEAR}-01"), np.datetime64(f"{_LAST_YEAR + 1}-01"))
    index = ((months.astype("datetime64[Y]").astype(int) + 1970 - _FIRST_YEAR) * 100
             + months.astype(int) % 12 + 1)
    first[index] = months.astype("datetime64[D]").astype(np.int64)
    length[index] = ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")
                     ).astype(np.uint8)
    return first, length


_MONTH_START, _MONTH_LENGTH = _month_tables()
_NAT = np.iinfo(np.int64).min
_DAY_NS = 86_400_000_000_000


def years_of(dates: np.ndarray) -> np.ndarray:
    """The calendar year (int64) of each datetime64 value, by a table of the days spanned.

    Converting to ``datetime64[Y]`` works out the calendar for every value; a register's
    millions of dates fall on a few thousand days.

    >>> years_of(np.array(["2019-12-31", "2020-01-01"], dtype="datetime64[ns]")).tolist()
    [2019, 2020]
    """
    dates = np.asarray(dates)
    if len(dates) == 0 or dates.dtype != "datetime64[ns]" or np.isnat(dates).any():
        return dates.astype("datetime64[Y]").astype(np.int64) + 1970
    days = dates.view(np.int64) // _DAY_NS
    first = days.min()
    span = np.arange(first, days.max() + 1).astype("datetime64[D]")
    return (span.astype("datetime64[Y]").astype(np.int64) + 1970)[days - first]


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
    ok_head, head = _shape_ok(_words(data, 10, 0, np.uint64), "99-99-99")
    ok_tail, tail = _shape_ok(_words(data, 10, 2, np.uint64), "-99-9999")
    if not (ok_head and ok_tail):
        return None
    # Byte i of words * 10 + (words >> 8) is 10 * digit i + digit i + 1 (no carries: <= 99).
    head = (head * np.uint64(10) + (head >> np.uint64(8))).view(np.uint8).reshape(-1, 8)
    tail = (tail * np.uint64(10) + (tail >> np.uint64(8))).view(np.uint8).reshape(-1, 8)
    day, month = head[:, 0], head[:, 3]
    year = tail[:, 4].astype(np.int32) * 100 + tail[:, 6] - _FIRST_YEAR
    if len(year) and (year.min() < 0 or year.max() > _LAST_YEAR - _FIRST_YEAR):
        return None
    index = year * 100 + month
    if np.any((day - np.uint8(1)) >= _MONTH_LENGTH[index]):  # day 0 wraps to 255
        return None
    nanoseconds = (_MONTH_START[index] + (day - np.uint8(1))) * _DAY_NS
    if array.null_count:
        full = np.full(len(array), _NAT, dtype=np.int64)
        full[array.is_valid().to_numpy(zero_copy_only=False)] = nanoseconds
        nanoseconds = full
    return nanoseconds.view("datetime64[ns]")
