"""Typed cells as the text a ``;``-file would hold: the column path (``cells.column_text``)
against the cell-by-cell reference (``cells.as_text``)."""

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pytest
from hypothesis import example, given, settings, strategies as st

from tryghedlib.sources import cells, delimited

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
# Cheap examples: many of them on every run, the same ones (a failure can be reproduced).
CHECK = settings(max_examples=3000 if FUZZ else 300, derandomize=not FUZZ, deadline=None)


def column(values) -> list:
    """``column_text`` of ``values`` as a list, None for a missing cell."""
    series = pd.Series(values, dtype=object, index=pd.RangeIndex(2, len(values) + 2))
    text = cells.column_text(series)
    assert text.dtype == "str" and text.index.equals(series.index)
    return [None if pd.isna(t) else t for t in text]


# Excel shows a number with at most 15 significant digits, and a ;-file saved by Excel holds
# that text; a number of 1e15 or more that is not an int keeps ".15g"'s exponent (refused
# downstream as a whole number: "et helt tal (fundet '1e+15')").
NUMBERS = [(0.1 + 0.2, "0,3"), (1e-7, "1e-07"), (123456789.123, "123456789,123"),
           (1e15, "1e+15"), (1e16, "1e+16"), (2.0 ** 53, "9,00719925474099e+15"),
           (999999999999999.0, "999999999999999"), (-1.5, "-1,5"), (-0.0, "0"),
           (-722371.25, "-722371,25"), (1 / 3, "0,333333333333333"),
           (12345678.123456789, "12345678,1234568"), (0.0001, "0,0001"), (0.00001, "1e-05"),
           (999999999.5, "999999999,5"), (1e9 + 0.5, "1000000000,5"),
           (10 ** 15, "1000000000000000"), (10 ** 17 + 1, "100000000000000001"),
           (-(10 ** 400), "-1" + "0" * 400), (float("inf"), "inf"), (float("-inf"), "-inf")]


@pytest.mark.parametrize("value,text", NUMBERS)
def test_a_number_is_written_as_excel_shows_it_on_either_path(value, text):
    assert cells.as_text(value) == text
    assert column([value]) == [text]
    assert column([value, 2.5, 7, ""]) == [text, "2,5", "7", None]   # beside others


def test_many_floats_on_the_column_path_are_written_as_the_reference_writes_them():
    rng = np.random.default_rng(17)
    digits = rng.integers(-10 ** 15, 10 ** 15, 60_000, dtype=np.int64)
    floats = np.concatenate([digits / 10.0 ** rng.integers(0, 20, len(digits)),
                             rng.normal(0, 1e6, 20_000), 1 / rng.integers(1, 10 ** 6, 20_000)])
    values = floats.tolist()
    assert column(values) == [cells.as_text(v) for v in values]


def test_dates_are_written_dd_mm_yyyy_with_a_time_only_when_there_is_one():
    values = [dt.date(2014, 1, 5), dt.datetime(2014, 1, 5, 0, 0), dt.datetime(2014, 1, 5, 7, 3),
              dt.datetime(2014, 1, 5, 0, 0, 1), dt.datetime(2014, 1, 5, 0, 0, 0, 1),
              dt.date(5, 2, 3), dt.datetime(9999, 12, 31, 23, 59, 59), ""]
    expected = ["05-01-2014", "05-01-2014", "05-01-2014 07:03", "05-01-2014 00:00",
                "05-01-2014 00:00", "03-02-0005", "31-12-9999 23:59", None]
    assert column(values) == expected
    assert [cells.as_text(v) for v in values] == expected
    # A nanosecond is no time of day (Timestamp.time() has none).
    ns = [pd.Timestamp("2014-01-05 00:00:00.000000001"), pd.Timestamp("2014-01-05 00:00:01")]
    assert column(ns) == [cells.as_text(v) for v in ns] == ["05-01-2014", "05-01-2014 00:00"]


def test_dates_pandas_cannot_hold_together_are_written_cell_by_cell():
    # Nanoseconds beside a year before 1677, or time zones: no datetime64 column holds them.
    ns = pd.Timestamp("2020-01-01 00:00:00.000000001")
    utc, plus2 = dt.timezone.utc, dt.timezone(dt.timedelta(hours=2))
    assert column([ns, dt.date(1500, 1, 2)]) == ["01-01-2020", "02-01-1500"]
    assert column([dt.datetime(2020, 1, 1, 1, tzinfo=plus2), dt.datetime(2020, 1, 1, tzinfo=utc)]) \
        == ["01-01-2020 01:00", "01-01-2020"]
    assert column([dt.datetime(2020, 1, 1, 1, tzinfo=plus2)]) == ["01-01-2020 01:00"]


def test_text_is_stripped_as_python_strips_it_and_blank_text_is_missing():
    assert column([" Tryg ", "\u3000", "\x1cNørrebro\x85", "", "a b"]) \
        == ["Tryg", None, "Nørrebro", None, "a b"]
    # Arrow's whitespace is Python's: the column path strips with Arrow.
    chars = [chr(c) for c in range(0x3001)]
    assert pc.utf8_trim_whitespace(chars).to_pylist() == [c.strip() for c in chars]


def test_an_infinite_number_is_refused_downstream_naming_its_cell():
    text = pd.Series(column([float("inf"), 1.5]), index=[2, 3], dtype="str")
    _, problems = delimited.parse_decimals(text, Path("p.xlsx"), "x")
    assert [str(p) for p in problems] == [
        "p.xlsx, række 2, kolonne 'x': forventet et tal med decimalkomma, f.eks. 1,25 "
        "(fundet 'inf')"]


EMPTY = st.sampled_from([None, "", float("nan"), pd.NA, pd.NaT])
FLOATS = st.one_of(st.floats(), st.integers(-10 ** 12, 10 ** 12).flatmap(
    lambda i: st.sampled_from([i / 10, i / 100, i / 1000, i / 7, i * 1e5, i / 1e9])))
INTS = st.one_of(st.integers(-10 ** 6, 10 ** 6), st.integers(-(2 ** 70), 2 ** 70))
TEXT = st.one_of(st.text(max_size=6), st.sampled_from([" ", "\u3000x ", "\x1f", "1,5", "inf"]))
DAYS = st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31))
DATES = st.one_of(st.dates(), DAYS, DAYS.map(lambda d: d.replace(hour=0, minute=0)),
                  DAYS.map(lambda d: d.replace(hour=0, minute=0, second=0, microsecond=0)),
                  st.datetimes(min_value=dt.datetime(1678, 1, 1),
                               max_value=dt.datetime(2261, 12, 31)).map(pd.Timestamp))
ZONED = st.datetimes(timezones=st.sampled_from([dt.timezone.utc,
                                                dt.timezone(dt.timedelta(hours=2))]))
KINDS = [FLOATS, st.one_of(FLOATS, INTS), INTS, TEXT, DATES, ZONED, st.booleans(),
         st.one_of(FLOATS, INTS, TEXT, DATES, ZONED, st.booleans())]


@CHECK
@given(st.sampled_from(KINDS).flatmap(lambda kind: st.lists(st.one_of(kind, EMPTY), max_size=12)))
@example([0.1 + 0.2, 1e15, 10 ** 17 + 1, 1e-7, -0.0, float("inf"), None])
@example([dt.date(2014, 1, 2), dt.datetime(2014, 1, 2, 3, 4), "", pd.Timestamp("2014-01-02")])
def test_the_column_path_writes_every_cell_as_the_reference_does(values):
    assert column(values) == [cells.as_text(v) for v in values]
