"""Indicators on hand-made frames, checked by hand calculation."""

import numpy as np
import pandas as pd
import pytest

from tryghedlib.analysis import indicators
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


def test_crime_counts_by_subarea_and_year():
    police = pd.DataFrame({"year": [2019, 2020, 2020, 2020, 2020, 2018],
                           "code": [1, 1, 2, 3, 1, 1],
                           "subarea": pd.Categorical(["a", "b", "b", "b", None, "a"],
                                                     categories=["a", "b", "c"])})
    tables = indicators.crime_counts_by_subarea(police, CODES, ["borgervendt", "indbrud"],
                                                [2019, 2020])
    # rows a, b, c; columns 2019, 2020; no sub-area and 2018 left out
    assert tables["borgervendt"].tolist() == [[1, 0], [0, 2], [0, 0]]
    assert tables["indbrud"].tolist() == [[1, 0], [0, 1], [0, 0]]
    with pytest.raises(ValueError, match="not offence groups"):
        indicators.crime_counts_by_subarea(police, CODES, ["tyveri"], [2019])


def test_area_population_sums_and_names_missing_years():
    population = pd.DataFrame({"year": [2020, 2020, 2019], "area": ["a", "b", "a"],
                               "population": [100, 50, 90]})
    assert indicators.area_population(population, ("a", "b"), [2020], "f").tolist() == [150]
    with pytest.raises(DataError, match="forventet indbyggertallet i b pr. 1. januar 2019"):
        indicators.area_population(population, ("a", "b"), [2019, 2020], "befolkning.csv")


def test_rate_per_1000_matches_the_note():
    assert indicators.rates_per_1000(pd.Series([271, 236]),
                                     pd.Series([11630, 11580])).round(1).tolist() == [23.3, 20.4]


def test_unsafe_recode_is_the_documented_rule():
    answers = pd.Series(list(indicators.UTRYG | indicators.SAFE_OR_NEUTRAL) + ["Ved ikke", None])
    values = indicators.unsafe(answers)
    assert np.nansum(values) == 2 and np.isnan(values).sum() == 2


def test_shares_of_many_groups_equal_weighted_proportion_to_the_bit():
    from tryghedlib.analysis import significance

    rng = np.random.default_rng(7)
    n = 5_000
    values = rng.choice([0.0, 1.0, np.nan], size=n, p=[0.7, 0.25, 0.05])
    weights = rng.lognormal(0, 0.5, n)
    group = rng.integers(-1, 40, n)
    group[group == 5] = -1            # an empty group
    group[np.flatnonzero(group == 6)[1:]] = -1  # a group of one
    stats = indicators.group_shares(values, weights, group, 40)
    for g in range(40):
        members = (group == g) & ~np.isnan(values)
        assert stats["n"][g] == members.sum()
        if not members.any():
            assert stats["n_eff"][g] == 0 and np.isnan(stats["share"][g])
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = significance.weighted_proportion(values[members], weights[members])
        for key, value in (("share", expected.estimate), ("se", expected.se),
                           ("n_eff", expected.n_eff), ("ci_low", expected.ci_low),
                           ("ci_high", expected.ci_high)):
            assert stats[key][g] == value or (np.isnan(stats[key][g]) and np.isnan(value)), key


def test_shares_by_a_column_are_the_shares_of_its_masks():
    rng = np.random.default_rng(8)
    survey = pd.DataFrame({
        "year": rng.choice([2020, 2021], 600), "weight": rng.lognormal(0, 0.4, 600),
        "subarea": rng.choice(["a", "b", None], 600),
        "neighbourhood": rng.choice(["Utryg", "Tryg", "Ved ikke"], 600),
        "evening": rng.choice(["Meget utryg", "Meget tryg", None], 600)})
    by = indicators.weighted_shares_by(survey, "subarea")
    masks = indicators.weighted_shares(survey, {s: survey["subarea"] == s for s in ("a", "b")})
    pd.testing.assert_frame_equal(by, masks.sort_values(["year", "area", "question"])
                                  .reset_index(drop=True), check_dtype=False)


def test_unsafe_recode_of_a_categorical_is_the_recode_of_its_text():
    answers = pd.Series(["Utryg", None, "Tryg", "Ved ikke", "Meget utryg"])
    scale = pd.CategoricalDtype(["Meget tryg", "Tryg", "Hverken tryg eller utryg", "Utryg",
                                 "Meget utryg", "Ved ikke"], ordered=True)
    np.testing.assert_array_equal(indicators.unsafe(answers.astype(scale)),
                                  indicators.unsafe(answers))
