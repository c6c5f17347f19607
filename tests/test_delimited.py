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

from tryghedlib import delimited, loaders

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


def careful(path, codes=CODES):
    """The loader with its fast path switched off."""
    with mock.patch.object(loaders, "read_clean_table", lambda *args, **kwargs: None):
        return loaders.read_police_file(Path(path), codes, None)


def test_the_police_loader_takes_the_fast_path_with_these_columns(tmp_path):
    assert loaders.POLICE_FAST == POLICE
    path = write(tmp_path, GOOD)
    with mock.patch.object(loaders, "_read_table", side_effect=AssertionError("careful")):
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
        assert delimited.clean_decimals(pa.array(values)).tolist() == expected


def test_dates_are_the_calendar_dates_pandas_reads():
    days = pd.date_range("1900-01-01", "2199-12-31", freq="37D")
    texts = days.strftime("%d-%m-%Y").tolist()
    assert (delimited.clean_dates(pa.array(texts)) == days.to_numpy()).all()


def test_masked_keys_tell_every_value_apart():
    values = [f"0100-{t:05d}-{s:05d}-{y:02d}" for t in (1, 99999) for s in (1, 2, 99999)
              for y in (0, 20, 99)]
    keys = delimited.masked_digits(pa.array(values), "9999-99999-99999-99")
    assert len(set(keys.tolist())) == len(values)
