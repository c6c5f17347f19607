"""Arrow text columns checked and converted into numbers, dates and keys, eight bytes at a time.

The fast path of :func:`tryghedlib.sources.delimited.read_clean_table` hands each batch's columns here
as Arrow text (bytes not yet checked). Each function accepts exactly one plain layout and
returns None for anything else, never a guess: the careful path then names the problem. The
work is NumPy on whole columns, several bytes per operation where the layout is fixed (a
date, a journal number, a coordinate): a Python object per cell, or a regular expression,
costs many times as much, and plain per-cell loops compiled with numba were measured no faster
(docs/performance.md). Each result equals what the careful path returns for the same text
(tests/test_delimited.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_FIRST_YEAR, _LAST_YEAR = 1900, 2199  # dates outside these years are left to the careful path
_COMMA, _MINUS, _POINT = 44, 45, 46
_HIGH_BITS = np.uint64(0x8080808080808080)


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


def all_distinct(keys: np.ndarray) -> bool:
    # The stable sort (timsort) takes runs already in order as they are: keys given as sorted
    # runs (read_clean_table sorts each batch's) are merged, at an eighth of a whole sort.
    ordered = np.sort(keys, kind="stable")
    return not np.any(ordered[1:] == ordered[:-1])


class Catalogue:
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
    >>> clean_decimals(pa.array(["1" + "0" * 400]))   # beyond a float: the careful path's
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
    values = values.to_numpy(zero_copy_only=False)
    # A number too large for a float (hundreds of digits) is read as infinity: the careful
    # path names it.
    return None if np.isinf(values).any() else values


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
