"""The fast path for clean deliveries (delimited.read_clean_table) against the careful path.

It must return exactly what the careful path returns for a clean file, and give up (None) on
anything the careful path would refuse or read differently -- then the careful path runs and
names the problem, so the error messages never depend on which path read the file.
"""

from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tryghedlib.sources import delimited, loaders, schemas, textcolumns
from tryghedlib.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_POLICE = ROOT / "data" / "raw" / "example" / "police" / "anmeldelser_2014-2020.csv.gz"
HEAD = "journalnummer;anmeldt_dato;gerningsdato;gerningskode;x_koordinat;y_koordinat"
GOOD = ["0100-00001-00001-20;02-01-2020;01-01-2020;1101;718900,5;6179500,25",
        "0100-00001-00002-20;31-12-2020;;2201;;",
        "0100-00001-00003-20;29-02-2020;28-02-2020;2201;718900;6179500"]
POLICE = {"journalnummer": ("journal_number", "9999-99999-99999-99"),
          "anmeldt_dato": ("reported", "date"), "gerningsdato": ("committed", "date"),
          "gerningskode": ("code", "int"), "x_koordinat": ("x", "decimal"),
          "y_koordinat": ("y", "decimal")}
CODES = pd.DataFrame({"code": [1101, 2201]})


def fast(path, codes=CODES):
    return delimited.read_clean_table(path, POLICE, required=["anmeldt_dato"],
                                      unique=["journalnummer"],
                                      allowed={"gerningskode": codes["code"]})


class CarefulPath(Exception):
    pass


def fast_loader(path, codes=CODES, extent=None):
    """The loader's fast path alone (with its checks between columns), or None."""
    with mock.patch.object(loaders, "read_delivered", side_effect=CarefulPath):
        try:
            return loaders.read_police_file(Path(path), codes, extent)
        except CarefulPath:
            return None


def careful(path, codes=CODES):
    """The loader with its fast path switched off."""
    with mock.patch.object(loaders, "read_clean_table", lambda *args, **kwargs: None):
        return loaders.read_police_file(Path(path), codes, None)


def test_the_police_loader_takes_the_fast_path_with_these_columns(tmp_path):
    # The fast path's columns come from the police contract (schemas.POLICE), nowhere else.
    assert schemas.POLICE.fast() == {"columns": POLICE, "required": ["anmeldt_dato"],
                                     "unique": ["journalnummer"]}
    path = write(tmp_path, GOOD)
    with mock.patch.object(loaders, "read_delivered", side_effect=AssertionError("careful")):
        pd.testing.assert_frame_equal(loaders.read_police_file(path, CODES, None), fast(path))


def write(tmp_path, rows, head=HEAD, newline="\r\n", name="anmeldelser_2020.csv"):
    path = tmp_path / name
    path.write_bytes((newline.join([head, *rows]) + newline).encode("utf-8"))
    return path


def test_the_example_register_reads_the_same_both_ways():
    codes = loaders.load_offence_codes(ROOT / "config" / "offence_codes.csv")
    pd.testing.assert_frame_equal(fast(EXAMPLE_POLICE, codes), careful(EXAMPLE_POLICE, codes))


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_clean_rows_read_the_same_both_ways(tmp_path, newline):
    path = write(tmp_path, GOOD, newline=newline)
    frame = fast(path)
    pd.testing.assert_frame_equal(frame, careful(path))
    assert frame["x"].tolist()[0] == 718900.5 and np.isnan(frame["x"].iloc[1])


def test_extra_columns_and_their_order_do_not_matter(tmp_path):
    head = "note;" + ";".join(reversed(HEAD.split(";")))
    rows = ["fri tekst;" + ";".join(reversed(r.split(";"))) for r in GOOD]
    path = write(tmp_path, rows, head=head)
    pd.testing.assert_frame_equal(fast(path), careful(path))


@pytest.mark.parametrize("row", [
    "0100-00001-00009-20;02-01-2020;;1101;718900.5;6179500",      # decimal point
    "0100-00001-00009-20;02-01-2020;;1101;7,189E5;6179500",       # Excel's exponent
    "0100-00001-00009-20;02-01-2020;;1101;,5;6179500",            # no digit before the comma
    "0100-00001-00009-20;02-01-2020;;1101;5,;6179500",            # none after it
    "0100-00001-00009-20;02-01-2020;;1101;+718900;6179500",       # a plus
    "0100-00001-00009-20;02-01-2020;;1101; 718900;6179500",       # a space
    "0100-00001-00009-20;02-01-2020;;0x44D;718900;6179500",       # hexadecimal
    "0100-00001-00009-20;02-01-2020;;9999;718900;6179500",        # not in the catalogue
    "0100-00001-00009-20;31-02-2020;;1101;718900;6179500",        # no such day
    "0100-00001-00009-20;2-1-2020;;1101;718900;6179500",          # day and month not padded
    "0100-00001-00009-20;;;1101;718900;6179500",                  # no report date
    "0100-00001-00001-20;02-01-2020;;1101;718900;6179500",        # journal number twice
    "0100-1-1-20;02-01-2020;;1101;718900;6179500",                # journal number's shape
    "\"0100-00001-00009-20\";02-01-2020;;1101;718900;6179500",    # quotes
    "0100-00001-00009-20;02-01-2020;;1101;718900",                # a field short
    "",                                                           # a blank line
])
def test_anything_not_plainly_clean_is_left_to_the_careful_path(tmp_path, row):
    assert fast(write(tmp_path, [*GOOD, row])) is None


def test_files_the_fast_path_cannot_vouch_for(tmp_path):
    assert fast(write(tmp_path, [])) is None                                 # no rows
    assert fast(write(tmp_path, GOOD, head=HEAD.replace("x_", "X_"))) is None  # column missing
    assert fast(write(tmp_path, GOOD, head=HEAD + ";gerningskode")) is None    # named twice
    path = tmp_path / "anmeldelser_2020.csv"
    path.write_bytes("\n".join([HEAD, *GOOD]).replace("0100-00001-00002", "0100-00001-0000ø")
                     .encode("cp1252"))
    assert fast(path) is None                                                # not UTF-8


def test_decimals_of_one_layout_and_of_many_are_read_alike():
    rng = np.random.default_rng(3)
    texts = [f"{rng.integers(1, 10**6)},{rng.integers(0, 10)}" for _ in range(2000)]
    mixed = texts + ["-12,25", "7", "0,125"]
    for values in (texts, mixed):
        expected = [float(t.replace(",", ".")) for t in values]
        assert textcolumns.clean_decimals(pa.array(values)).tolist() == expected


def test_dates_are_the_calendar_dates_pandas_reads():
    days = pd.date_range("1900-01-01", "2199-12-31", freq="37D")
    texts = days.strftime("%d-%m-%Y").tolist()
    assert (textcolumns.clean_dates(pa.array(texts)) == days.to_numpy()).all()


def test_masked_keys_tell_every_value_apart():
    values = [f"0100-{t:05d}-{s:05d}-{y:02d}" for t in (1, 99999) for s in (1, 2, 99999)
              for y in (0, 20, 99)]
    keys = textcolumns.masked_digits(pa.array(values), "9999-99999-99999-99")
    assert len(set(keys.tolist())) == len(values)


def test_values_of_other_lengths_are_never_read_as_fixed_ones():
    """Lengths that add up to a fixed layout (9 + 11 = 2 x 10) are not that layout."""
    assert textcolumns.clean_dates(pa.array(["01-01-202", "001-01-2020"])) is None
    assert textcolumns.clean_dates(pa.array(["01-01-202", None, "001-01-2020"])) is None
    assert textcolumns.masked_digits(pa.array(["0100-00001-00001-2", "00100-00001-00002-20"]),
                                   "9999-99999-99999-99") is None
    assert textcolumns.clean_decimals(pa.array(["111111,1", "222222,", "2333333,3"])) is None
    assert textcolumns.clean_decimals(pa.array(["111111,1", "22222,2", "23333333,3"])).tolist() == [
        111111.1, 22222.2, 23333333.3]
    assert textcolumns.clean_ints(pa.array(["12", "1", "123"])).tolist() == [12, 1, 123]


@pytest.mark.parametrize("text", ["32-01-2020", "00-01-2020", "31-11-2020", "29-02-1900",
                                  "15-00-2020", "15-16-2020", "15-99-2020", "99-99-2020",
                                  "01-01-1899", "01-01-2200", "01-01-0000", "01-01-9999"])
def test_no_impossible_date_is_read(text):
    assert textcolumns.clean_dates(pa.array(["01-01-2020", text])) is None


def test_every_date_of_the_calendar_is_read():
    days = pd.date_range("1900-01-01", "2199-12-31", freq="D")
    texts = days.strftime("%d-%m-%Y").tolist()
    assert (textcolumns.clean_dates(pa.array(texts)) == days.to_numpy()).all()
    assert (textcolumns.clean_dates(pa.array(texts, pa.large_string())) == days.to_numpy()).all()


@pytest.mark.parametrize("width", range(1, 10))
def test_whole_numbers_of_every_width_are_read_as_arrow_reads_them(width):
    rng = np.random.default_rng(width)
    texts = ["".join(rng.choice(list("0123456789"), width)) for _ in range(500)]
    expected = [int(t) for t in texts]
    assert textcolumns.clean_ints(pa.array(texts)).tolist() == expected
    for bad in ["+" + texts[0][1:], " " + texts[0][1:], texts[0][:-1] + "a", "-" * width]:
        assert textcolumns.clean_ints(pa.array(texts[:3] + [bad])) is None, bad


@pytest.mark.parametrize("layout", ["999999,9", "9999999,9", "99999,99", "9,9999999",
                                    "999999,99", "9999999,99", "9999999", "99999999",
                                    "999999999", "99999999,999999", "999,99"])
def test_decimals_of_every_layout_are_read_as_python_reads_them(layout):
    rng = np.random.default_rng(len(layout))
    texts = ["".join(rng.choice(list("0123456789")) if c == "9" else c for c in layout)
             for _ in range(500)]
    texts[1] = None
    expected = [np.nan if t is None else float(t.replace(",", ".")) for t in texts]
    np.testing.assert_array_equal(textcolumns.clean_decimals(pa.array(texts)), expected)


# Values the careful path refuses or reads differently, and ones it reads: a row made of
# them must be read alike by both paths, or left by the fast path to the careful one.
TRICKY = {
    "journalnummer": ["0100-00001-00009-20", "0100-00001-00009-2", "00100-00001-00009-20",
                      "0100-00001-0000x-20", "0100-00001-00009-20 ", "0100_00001-00009-20",
                      "0100-00001-00001-20", ""],
    "anmeldt_dato": ["02-01-2020", "31-02-2020", "2-01-2020", "02-01-20200", "02-01-202",
                     "02/01/2020", "", "29-02-2020", "00-01-2020", "01-13-2020"],
    "gerningsdato": ["01-01-2020", "", "03-01-2020", "1-1-2020", "31-12-2019"],
    "gerningskode": ["1101", "2201", "9999", "+1101", "1101 ", "01101", "-1101", "1101,0",
                     "0x44D", ""],
    "x_koordinat": ["718900,5", "718900", "718900,25", "718900.5", ",5", "5,", "-718900,5",
                    "7,189E5", "", "718900,5,1", "12,49", "0718900,5", "-", "1000001,0"],
    "y_koordinat": ["6179500,25", "6179500", "", "6179500,2", "55,67", "6179500,", "6,1795E6",
                    "6179500,250", "999999,0"],
}


def test_rows_of_tricky_values_read_alike_or_go_the_careful_way(tmp_path):
    rng = np.random.default_rng(7)
    names = HEAD.split(";")
    clean = [f"0100-00001-{k:05d}-20;" + row.split(";", 1)[1] for k, row in enumerate(GOOD * 4)]
    read = 0
    for trial in range(150):
        rows = [";".join(rng.choice(TRICKY[n]) if rng.random() < 0.02 else good
                         for n, good in zip(names, row.split(";"))) for row in clean]
        path = write(tmp_path, rows, name=f"anmeldelser_{trial}.csv")
        try:
            expected = careful(path)
        except DataError:  # the careful path refuses it: the fast path must too
            expected = None
        got = fast_loader(path)
        if got is not None:
            assert expected is not None, rows
            pd.testing.assert_frame_equal(got, expected)
            read += 1
    assert read > 30  # the fast path did read many of them


def test_a_large_file_is_read_in_parts_and_chunks_as_in_one(tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    rows = [f"0100-00001-{k:05d}-20;{rng.integers(1, 29):02d}-0{rng.integers(1, 10)}-2020;;"
            f"{rng.choice([1101, 2201])};{rng.integers(700000, 730000)},{rng.integers(0, 10)};"
            f"{rng.integers(6100000, 6200000)},{rng.integers(0, 10)}" for k in range(3000)]
    path = write(tmp_path, rows, newline="\n")
    whole = fast(path)
    monkeypatch.setattr(delimited, "SMALLEST_PART", 1000)
    monkeypatch.setattr(delimited, "PARTS", 3)
    monkeypatch.setattr(delimited, "CHUNK_BYTES", 5000)
    monkeypatch.setattr(delimited, "BLOCK_BYTES", 2000)
    assert len(delimited._spans(path)) == 3
    pd.testing.assert_frame_equal(fast(path), whole)
    pd.testing.assert_frame_equal(whole, careful(path))
    repeated = write(tmp_path, rows + [rows[5]], newline="\n", name="anmeldelser_2021.csv")
    assert fast(repeated) is None  # a journal number twice, in different parts
    broken = write(tmp_path, rows[:2500] + ["0100-1-1-20;01-01-2020;;1101;;"] + rows[2500:],
                   newline="\n", name="anmeldelser_2022.csv")
    assert fast(broken) is None  # a bad row in the last part


def test_the_checks_between_columns_agree_with_the_careful_paths():
    rng = np.random.default_rng(11)
    extent = (700000.0, 6100000.0, 740000.0, 6200000.0)
    xs = [np.nan, 12.5, 718900.5, 699999.0, 740000.5, 6179500.0, 1000001.0]
    ys = [np.nan, 55.6, 6179500.2, 6099999.0, 6200000.5, 718900.5, 999999.0]
    days = np.array(["2020-01-01", "2020-01-02", "NaT"], dtype="datetime64[ns]")
    for _ in range(400):
        n = 3
        frame = pd.DataFrame({"reported": rng.choice(days[:2], n), "committed": rng.choice(days, n),
                              "x": rng.choice(xs, n), "y": rng.choice(ys, n)})
        frame.index = range(2, n + 2)
        values = {c: frame[c].to_numpy() for c in frame}
        for bounds in (None, extent):
            careful_ok = not (loaders._date_order(frame, Path("f"))
                              or loaders.coordinate_problems(frame, Path("f"), bounds))
            assert loaders._plainly_valid(values, bounds) == careful_ok
