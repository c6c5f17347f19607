"""Indicators on hand-made frames, checked by hand calculation."""

import numpy as np
import pandas as pd
import pytest

from tryghedlib import indicators
from tryghedlib.errors import DataError


def test_weighted_share_by_hand():
    survey = pd.DataFrame({
        "year": [2021] * 5,
        "weight": [1.0, 2.0, 1.0, 4.0, 3.0],
        "neighbourhood": ["Utryg", "Tryg", "Meget utryg", "Ved ikke", None],
        "evening": ["Hverken tryg eller utryg", "Meget utryg", "Utryg", "Utryg", "Meget tryg"],
    })
    groups = {"all": pd.Series(True, index=survey.index),
              "first two": pd.Series([True, True, False, False, False])}
    shares = indicators.weighted_shares(survey, groups).set_index(["area", "question"])
    # neighbourhood: answers 1, 0, 1 with weights 1, 2, 1 -> 2/4; Ved ikke and blank left out
    assert shares.loc[("all", "neighbourhood"), "share"] == pytest.approx(0.5)
    assert shares.loc[("all", "neighbourhood"), "n"] == 3
    # Kish: (1+2+1)^2 / (1+4+1) = 16/6
    assert shares.loc[("all", "neighbourhood"), "n_eff"] == pytest.approx(16 / 6)
    # evening: unsafe weights 2 + 1 + 4 = 7 of 11
    assert shares.loc[("all", "evening"), "share"] == pytest.approx(7 / 11)
    assert shares.loc[("first two", "evening"), "share"] == pytest.approx(2 / 3)
    row = shares.loc[("all", "evening")]
    assert row["ci_low"] < row["share"] < row["ci_high"]


def test_unanswered_group_gives_missing_share():
    survey = pd.DataFrame({"year": [2021], "weight": [1.0], "neighbourhood": ["Ved ikke"],
                           "evening": [None]})
    shares = indicators.weighted_shares(survey, {"all": pd.Series([True])})
    assert shares["n"].tolist() == [0, 0] and shares["share"].isna().all()


def test_partnership_members_follow_the_area_of_each_year():
    survey = pd.DataFrame({"year": [2020, 2021, 2021], "subarea": ["s1", "s1", "new"]})
    members = indicators.partnership_members(survey, {2020: ("s1",), 2021: ("s1", "new")})
    assert members.tolist() == [True, True, True]
    members = indicators.partnership_members(survey, {2020: ("new",), 2021: ("s1",)})
    assert members.tolist() == [False, True, False]


CODES = pd.DataFrame({"code": [1, 2, 3], "citizen_facing": [True, True, False],
                      "table_1_group": ["indbrud", None, None],
                      "table_2_group": [None, "narkotika", "trusler"]})


def test_crime_counts_per_group_with_zeros():
    police = pd.DataFrame({"year": [2019, 2020, 2020, 2020, 2020],
                           "code": [1, 1, 2, 3, 1]})
    in_area = pd.Series([True, True, True, True, False])
    counts = indicators.crime_counts(police, CODES, in_area, [2019, 2020])
    table = counts.set_index(["group", "year"])["count"]
    assert table[("borgervendt", 2020)] == 2
    assert table[("indbrud", 2020)] == 1 and table[("indbrud", 2019)] == 1
    assert table[("narkotika", 2019)] == 0
    assert table[("trusler", 2020)] == 1


def test_area_population_sums_and_names_missing_years():
    population = pd.DataFrame({"year": [2020, 2020, 2019], "area": ["a", "b", "a"],
                               "population": [100, 50, 90]})
    assert indicators.area_population(population, ("a", "b"), [2020], "f").tolist() == [150]
    with pytest.raises(DataError, match="expected the population of b on 1 January 2019"):
        indicators.area_population(population, ("a", "b"), [2019, 2020], "befolkning.csv")


def test_rate_per_1000_matches_the_note():
    assert indicators.rates_per_1000(pd.Series([271, 236]),
                                     pd.Series([11630, 11580])).round(1).tolist() == [23.3, 20.4]


def test_unsafe_recode_is_the_documented_rule():
    answers = pd.Series(list(indicators.UTRYG | indicators.SAFE_OR_NEUTRAL) + ["Ved ikke", None])
    values = indicators.unsafe(answers)
    assert np.nansum(values) == 2 and np.isnan(values).sum() == 2
