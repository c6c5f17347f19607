"""The public API (tryghedlib.explore): the note's numbers as tidy tables, checked against the
2021 note's published figures and the note's own model."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
import yaml

import tryghedlib
from tryghedlib.sources import loaders
from tryghedlib.note.wording import fmt_decimal, fmt_int, fmt_percent

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "raw" / "example"
CONFIG = ROOT / "config"
PUBLISHED = yaml.safe_load((ROOT / "tests" / "published_figures_2021.yaml").read_text("utf-8"))
QUESTION = {"neighbourhood": "neighbourhood", "evening_night": "evening"}


@pytest.fixture(scope="module")
def shares():
    return tryghedlib.survey_shares(data_dir=DATA, config_dir=CONFIG, cache_dir=None)


@pytest.fixture(scope="module")
def counts():
    return tryghedlib.police_counts(data_dir=DATA, config_dir=CONFIG, cache_dir=None)


def share(shares, area, question, year):
    rows = shares[(shares["area"] == area) & (shares["question"] == question)
                  & (shares["year"] == year)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_the_shares_are_the_published_ones(shares):
    for key, question in QUESTION.items():
        figures = PUBLISHED["tryghed"][key]
        for year, percent in figures["partnership"].items():
            assert fmt_percent(share(shares, "tingbjerg-husum", question, year)["share"]) \
                == f"{percent} %"
        for year, percent in figures["district"].items():
            assert fmt_percent(share(shares, "bronshoj-husum", question, year)["share"]) \
                == f"{percent} %"
        for year, percent in figures["city"].items():
            assert fmt_percent(share(shares, "koebenhavn", question, year)["share"]) \
                == f"{percent} %"


def test_every_area_and_year_once_with_its_level(shares):
    assert not shares.duplicated(["year", "area", "level", "question"]).any()
    levels = shares.groupby("level")["area"].nunique().to_dict()
    assert levels == {"partnership": 3, "district": 10, "city": 1}
    assert sorted(shares["year"].unique()) == list(range(2014, 2022))
    assert (shares["ci_low"] <= shares["share"]).all()
    assert (shares["share"] <= shares["ci_high"]).all()


@pytest.mark.parametrize("key", ["neighbourhood", "evening_night"])
def test_compare_years_is_the_notes_comparison(key, shares):
    year = PUBLISHED["report_year"]
    for first, significant in ((2014, PUBLISHED["tryghed"][key]["significant"]["2014->2021"]),
                               (2020, PUBLISHED["tryghed"][key]["significant"]["2020->2021"])):
        row = tryghedlib.compare_years("tingbjerg-husum", QUESTION[key], first, year,
                                       data_dir=DATA, config_dir=CONFIG).iloc[0]
        assert bool(row["significant"]) is significant
        assert row["area_changed"]   # Skolevangen 1 and 2 joined in 2021
        then, now = (share(shares, "tingbjerg-husum", QUESTION[key], y) for y in (first, year))
        assert (row["first_share"], row["last_share"]) == (then["share"], now["share"])
        assert (row["first_n"], row["last_n_eff"]) == (then["n"], now["n_eff"])
        assert row["difference"] == pytest.approx(now["share"] - then["share"])
        assert row["difference_ci_low"] < row["difference"] < row["difference_ci_high"]
        assert "er dog ikke signifikant" in row["verdict"]


def test_a_significant_change_says_so():
    row = tryghedlib.compare_years("koebenhavn", "neighbourhood", 2014, 2021,
                                   data_dir=DATA, config_dir=CONFIG).iloc[0]
    assert row["p_value"] < 0.05 and row["significant"]
    assert row["difference_ci_high"] < 0   # a fall: the interval excludes no change
    assert row["verdict"].endswith("Faldet siden 2014 er signifikant.")
    assert f"{fmt_percent(row['last_share'])} utrygge i nabolaget i 2021" in row["verdict"]


def test_a_verdict_across_a_change_of_area_says_the_years_do_not_compare():
    # Tingbjerg-Husum grew in 2021 (Skolevangen 1 and 2): 2019's respondents lived in the old
    # area, as the note counts them, and the sentence must say so, as the note does.
    changed, same = (tryghedlib.compare_years("tingbjerg-husum", "neighbourhood", first, last,
                                              data_dir=DATA, config_dir=CONFIG).iloc[0]
                     for first, last in ((2019, 2021), (2018, 2020)))
    assert changed["area_changed"] and not same["area_changed"]
    assert changed["verdict"].endswith(" Partnerskabets område er ændret mellem 2019 og 2021, "
                                       "så tallene er ikke direkte sammenlignelige.")
    assert "område" not in same["verdict"]


def test_a_district_is_found_by_its_name_or_code():
    by_name, by_code = (tryghedlib.compare_years(a, "evening", 2020, 2021, data_dir=DATA,
                                                 config_dir=CONFIG)
                        for a in ("Nørrebro", "norrebro"))
    assert by_name.loc[0, "level"] == "district"
    assert by_code.loc[0, "level"] == "partnership"   # the partnership id wins
    assert by_name.loc[0, "first_n"] > by_code.loc[0, "first_n"]


@pytest.mark.parametrize("area, question, message", [
    ("vesterbro", "neighbourhood", "område 'vesterbro': forventet et partnerskab"),
    ("norrebro", "night", "spørgsmål 'night': forventet et af neighbourhood, evening"),
])
def test_a_wrong_area_or_question_names_the_choices(area, question, message):
    with pytest.raises(ValueError, match=message):
        tryghedlib.compare_years(area, question, 2020, 2021, data_dir=DATA, config_dir=CONFIG)


def test_a_year_may_be_typed_as_text_or_come_from_numpy():
    typed = [tryghedlib.compare_years("norrebro", "evening", first, last, data_dir=DATA,
                                      config_dir=CONFIG)
             for first, last in ((2020, 2021), ("2020", " 2021"), (np.int64(2020), 2021))]
    for other in typed[1:]:
        pd.testing.assert_frame_equal(other, typed[0])
    assert typed[0].loc[0, "first_year"] == 2020


@pytest.mark.parametrize("first, last, message", [
    (2020.0, 2021, r"first_year 2020\.0: forventet et årstal, fx 2021"),
    (2020, True, "last_year True: forventet et årstal"),
    (2020, "i fjor", "last_year 'i fjor': forventet et årstal"),
    # Reversed years would make the verdict read "since 2021" about 2020.
    (2021, 2020, r"first_year \(2021\) ligger efter last_year \(2020\): byt dem om"),
])
def test_what_is_no_pair_of_years_is_refused_by_name(first, last, message):
    with pytest.raises(ValueError, match=message):
        tryghedlib.compare_years("norrebro", "evening", first, last, data_dir=DATA,
                                 config_dir=CONFIG)


def test_survey_shares_takes_one_year_or_several(shares):
    one = tryghedlib.survey_shares(data_dir=DATA, config_dir=CONFIG, years=2021)
    assert one["year"].unique().tolist() == [2021]
    expected = shares[shares["year"] == 2021].reset_index(drop=True)
    pd.testing.assert_frame_equal(one.reset_index(drop=True), expected)
    with pytest.raises(ValueError, match=r"years \[\]: forventet mindst ét årstal"):
        tryghedlib.survey_shares(data_dir=DATA, config_dir=CONFIG, years=[])


def test_a_vendor_delivery_is_read_through_its_mapping_as_the_note_reads_it(
        vendor_delivery, shares, counts, tmp_path):
    # SPSS survey and Excel register under the vendor's names: the same tables as the
    # example in the contract's form, as the report gets from the same files.
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    shutil.copy(vendor_delivery / "sources.yaml", config / "sources.yaml")
    read = dict(data_dir=vendor_delivery, config_dir=config, cache_dir=None)
    pd.testing.assert_frame_equal(tryghedlib.survey_shares(**read), shares)
    pd.testing.assert_frame_equal(tryghedlib.police_counts(**read), counts)


def test_a_question_asked_again_reads_the_cache_not_the_register(tmp_path, counts):
    read = dict(data_dir=DATA, config_dir=CONFIG, cache_dir=tmp_path / "processed")
    (tmp_path / "processed").mkdir(mode=0o700)
    first = tryghedlib.police_counts(**read), tryghedlib.survey_shares(**read, years=[2021])
    with mock.patch.object(loaders, "read_police_file", side_effect=AssertionError("parsed")), \
            mock.patch.object(loaders, "read_survey_file", side_effect=AssertionError("parsed")):
        again = tryghedlib.police_counts(**read), tryghedlib.survey_shares(**read, years=[2021])
    pd.testing.assert_frame_equal(again[0], counts)
    pd.testing.assert_frame_equal(again[0], first[0])
    pd.testing.assert_frame_equal(again[1], first[1])


def test_a_cache_among_the_inputs_is_refused_and_nothing_written(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    with pytest.raises(ValueError, match=f"cache_dir {data / 'processed'} ligger i datamappen"):
        tryghedlib.survey_shares(data_dir=data, config_dir=CONFIG, cache_dir=data / "processed")
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before


def test_police_counts_are_the_published_ones(counts):
    crime = PUBLISHED["crime"]["citizen_facing"]
    rows = counts[(counts["area"] == "tingbjerg-husum") & (counts["group"] == "borgervendt")]
    rows = rows.set_index("year")
    for year, count in crime["count"].items():
        assert rows.loc[year, "count"] == count
    for year, rate in crime["per_1000"].items():
        assert fmt_decimal(rows.loc[year, "per_1000"]) == fmt_decimal(rate)
    city = counts[(counts["area"] == "koebenhavn") & (counts["group"] == "borgervendt")]
    for year, rate in crime["city_per_1000"].items():
        assert fmt_decimal(city.set_index("year").loc[year, "per_1000"]) == fmt_decimal(rate)
    burglary = counts[(counts["area"] == "tingbjerg-husum") & (counts["year"] == 2020)
                      & (counts["group"] == "indbrud")]
    assert burglary["count"].tolist() == [PUBLISHED["crime"]["table_1_targets"]["burglary"]]


def test_danish_format_of_a_whole_table():
    frame = pd.DataFrame({"year": [2021, 2020], "share": [0.1634, float("nan")],
                          "count": [1934000, 271], "per_1000": [23.25, 20.35],
                          "p_value": [0.0412, 1.0], "significant": [True, False]})
    text = tryghedlib.danish_text(frame)
    assert text.to_dict("list") == {
        "year": ["2021", "2020"], "share": ["16 %", ""], "count": ["1.934.000", "271"],
        "per_1000": ["23,3", "20,4"], "p_value": ["0,041", "1,000"],
        "significant": ["ja", "nej"]}
    html = tryghedlib.danish(frame).to_html()
    assert "1.934.000" in html and "16 %" in html and "1934000" not in html
    assert tryghedlib.danish_text(frame, percent_decimals=1).loc[0, "share"] == "16,3 %"
    assert fmt_int(1934000) == "1.934.000"


def test_danish_format_is_told_what_it_cannot_do():
    frame = pd.DataFrame({"area": ["a"], "andel": [0.163]})
    # One column named as a string, not its letters; a Series is a table of one column.
    assert tryghedlib.danish_text(frame, percent="andel").loc[0, "andel"] == "16 %"
    assert tryghedlib.danish_text(frame["andel"], percent="andel").to_dict("list") == {
        "andel": ["16 %"]}
    with pytest.raises(ValueError, match=r"percent: 'andle' er ikke en kolonne i tabellen "
                                         r"\(kolonner: area, andel\)"):
        tryghedlib.danish(frame, percent=["andle"])
    with pytest.raises(ValueError, match="kolonnerne 'andel' findes mere end én gang"):
        tryghedlib.danish_text(pd.concat([frame, frame[["andel"]]], axis=1))
    with pytest.raises(TypeError, match="forventet en tabel .* fundet list"):
        tryghedlib.danish_text([0.163])


def test_import_tryghedlib_stays_cheap():
    """The CLI imports tryghedlib at start-up; the API (and pandas) load on first use."""
    code = ("import sys, tryghedlib, tryghedlib.run.cli; print('pandas' in sys.modules); "
            "tryghedlib.compare_years; print('pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.split() == ["False", "True"]
    assert "compare_years" in dir(tryghedlib)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        tryghedlib.nothing
