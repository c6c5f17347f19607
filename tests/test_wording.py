"""tryghedlib.note.wording: Danish numbers, verdict phrases, and the 2021 note's paragraphs word for word."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tryghedlib.analysis.overdispersion import quasi_poisson_rate_test
from tryghedlib.analysis.significance import TestResult, poisson_rate_test, two_proportion_test
from tryghedlib.note.method_text import (
    comparison_label,
    detectable_rise,
    fmt_p,
    share_difference,
    significance_box,
    survey_test_method,
)
from tryghedlib.note.wording import (
    FALL,
    LEVEL,
    MINUS,
    RISE,
    average_phrase,
    change_phrase,
    comparison_paragraph,
    cooperation_paragraph,
    crime_paragraph,
    development_paragraph,
    direction,
    figure_source_note,
    fmt_decimal,
    fmt_int,
    fmt_kr,
    fmt_mio_kr,
    fmt_percent,
    join_list,
    join_names,
    not_comparable,
    not_significant_sentence,
    printed_percent,
    round_half_up,
    significance_sentence,
    target_sentence,
    target_met,
    old_area_sentence,
    ratio_change,
)

HERE = Path(__file__).parent
NOTE = (HERE / "reference" / "status_note_tingbjerg_husum_2021.txt").read_text(encoding="utf-8")
FIGURES = yaml.safe_load((HERE / "published_figures_2021.yaml").read_text(encoding="utf-8"))
PARAGRAPHS = {p.strip() for p in NOTE.split("\n\n")}


def result(pvalue, alternative="two-sided"):
    """A test result with a given p-value (the wording only asks significant(alpha))."""
    return TestResult(statistic=0.0, pvalue=pvalue, estimate=0.0, ci_low=0.0, ci_high=0.0,
                      method="test", alternative=alternative)


# --------------------------------------------------------------------------------------------
# Numbers


@pytest.mark.parametrize("value, text", [
    (1934000, "1.934.000"), (999, "999"), (1000, "1.000"), (0, "0"), (271, "271"),
    (-1234567, MINUS + "1.234.567"), (1234.5, "1.235"), (1234.49, "1.234"), (-0.4, "0"),
])
def test_fmt_int(value, text):
    assert fmt_int(value) == text


@pytest.mark.parametrize("value, decimals, text", [
    (23.25, 1, "23,3"), (23.249, 1, "23,2"), (23.35, 1, "23,4"),  # half up, not to even
    (0.125, 2, "0,13"), (0.124, 2, "0,12"), (2.675, 2, "2,68"),  # 2.675 as written
    (20.4, 1, "20,4"), (37.9, 1, "37,9"), (5, 1, "5,0"), (1234.5, 1, "1.234,5"),
    (-23.25, 1, MINUS + "23,3"), (-0.04, 1, "0,0"), (0.05, 1, "0,1"),
])
def test_fmt_decimal(value, decimals, text):
    assert fmt_decimal(value, decimals) == text


@pytest.mark.parametrize("share, decimals, text", [
    (0.1634, 0, "16 %"), (0.165, 0, "17 %"), (0.1649, 0, "16 %"), (0.145, 0, "15 %"),
    (0.8125, 0, "81 %"), (0.75, 0, "75 %"), (0.745, 0, "75 %"), (0.7449, 0, "74 %"),
    (0, 0, "0 %"), (1, 0, "100 %"), (0.1634, 1, "16,3 %"), (0.09, 0, "9 %"),
])
def test_fmt_percent(share, decimals, text):
    assert fmt_percent(share, decimals) == text


def test_fmt_percent_refuses_percent_input():
    with pytest.raises(ValueError, match="share must be between 0 and 1"):
        fmt_percent(16)
    with pytest.raises(ValueError, match="share must be between 0 and 1"):
        fmt_percent(-0.01)


@pytest.mark.parametrize("value, text", [
    (1934000, "1.934.000 kr."), (80000, "80.000 kr."), (5000, "5.000 kr."),
    (-80000, MINUS + "80.000 kr."),
])
def test_fmt_kr(value, text):
    assert fmt_kr(value) == text


@pytest.mark.parametrize("value, text", [
    (1934000, "1,93 mio."), (1935000, "1,94 mio."), (1934999, "1,93 mio."),
    (1269000, "1,27 mio."), (1094000, "1,09 mio."), (-1934000, MINUS + "1,93 mio."),
])
def test_fmt_mio_kr(value, text):
    assert fmt_mio_kr(value) == text


def test_budget_figures_print_as_in_the_note():
    total = FIGURES["safety_plan_budget"]["total_by_year"][2021]
    assert f"<b>{fmt_int(total)}</b>" in NOTE
    assert f"Budget: {fmt_mio_kr(total)} pr. år" in NOTE


def test_minus_is_a_real_minus_sign():
    assert MINUS == "\u2212" and "-" not in fmt_int(-5)


def test_bad_numbers_are_refused():
    for bad in (float("nan"), float("inf"), "12", None, True):
        with pytest.raises(ValueError, match="value must be"):
            fmt_decimal(bad)


@settings(max_examples=80, deadline=None)
@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(0, 3))
def test_formatted_number_reads_back_as_the_rounded_number(value, decimals):
    text = fmt_decimal(value, decimals)
    back = Decimal(text.replace(".", "").replace(",", ".").replace(MINUS, "-"))
    assert back == round_half_up(value, decimals)


@settings(max_examples=50, deadline=None)
@given(st.integers(-10**12, 10**12))
def test_fmt_int_groups_thousands(value):
    assert fmt_int(value) == f"{value:,}".replace(",", ".").replace("-", MINUS)


# --------------------------------------------------------------------------------------------
# Verdict phrases: direction from the printed numbers


@pytest.mark.parametrize("new, old, decimals, expected", [
    (23.3, 20.4, 1, RISE), (20.4, 23.3, 1, FALL),
    (20.44, 20.36, 1, LEVEL),  # both print 20,4
    (20.45, 20.44, 1, RISE),  # 20,5 against 20,4
    (25, 26, 0, FALL), (16, 16, 0, LEVEL),
])
def test_direction_compares_printed_numbers(new, old, decimals, expected):
    assert direction(new, old, decimals) == expected


@pytest.mark.parametrize("new, old, expected", [
    (0.1634, 0.158, LEVEL),  # 16 % and 16 %
    (0.165, 0.1649, RISE),  # 17 % and 16 %
    (0.1649, 0.155, LEVEL),  # 16 % and 16 %
    (0.155, 0.1549, RISE),  # 16 % and 15 %
    (0.25, 0.255, FALL),  # 25 % and 26 %
])
def test_direction_of_shares_compares_printed_percents(new, old, expected):
    assert direction(printed_percent(new), printed_percent(old)) == expected


def test_phrases():
    assert change_phrase(RISE) == "en stigning"
    assert change_phrase(FALL) == "et fald"
    assert change_phrase(RISE, significant=True) == "en signifikant stigning"
    assert change_phrase(FALL, significant=True) == "et signifikant fald"
    assert change_phrase(LEVEL) == change_phrase(LEVEL, True) == "på niveau med"
    assert average_phrase(RISE, "hele byen") == "over gennemsnittet for hele byen"
    assert average_phrase(FALL, "bydelen") == "under gennemsnittet for bydelen"
    assert average_phrase(LEVEL, "bydelen") == "på niveau med gennemsnittet for bydelen"
    assert not_comparable("common") == "ikke direkte sammenlignelig"
    assert not_comparable("neuter") == "ikke direkte sammenligneligt"
    assert not_significant_sentence(2) == "Disse udviklinger er dog ikke signifikante."
    assert not_significant_sentence(1) == "Denne udvikling er dog ikke signifikant."
    with pytest.raises(ValueError, match="change must be"):
        change_phrase("up")
    with pytest.raises(ValueError, match="form must be"):
        not_comparable("feminine")


def test_significance_sentence_on_both_sides_of_alpha():
    assert significance_sentence(RISE, result(0.049), 2020) == "Stigningen siden 2020 er signifikant."
    assert significance_sentence(RISE, result(0.05), 2020) == "Stigningen siden 2020 er dog ikke signifikant."
    assert significance_sentence(FALL, result(0.009), alpha=0.01) == "Faldet er signifikant."
    assert significance_sentence(FALL, result(0.011), alpha=0.01) == "Faldet er dog ikke signifikant."


# --------------------------------------------------------------------------------------------
# The 2021 note, word for word, from the published figures


def shares(by_year):
    return {year: percent / 100 for year, percent in by_year.items()}


def survey_paragraphs(indicator, key, figure, district_name=None):
    figures = FIGURES["tryghed"][key]
    own = shares(figures["partnership"])
    year = FIGURES["report_year"]
    significant = {int(k.split("->")[0]): v for k, v in figures["significant"].items()}
    changed = not FIGURES["tryghed"]["comparable_with_earlier_years"]
    development = development_paragraph(
        indicator, year, own.pop(year), own, significant, area_changed=changed,
    )
    comparison = comparison_paragraph(
        indicator, year, figures["partnership"][year] / 100, figures["district"][year] / 100,
        figures["city"][year] / 100, district_name=district_name, figure=figure,
    )
    return development, comparison


def test_neighbourhood_paragraphs_as_in_the_note():
    development, comparison = survey_paragraphs("neighbourhood", "neighbourhood", 1, "Brønshøj Husum")
    assert development == (
        "I 2021 er det geografiske område for partnerskabet blevet udvidet. Derfor er årets "
        "resultat (16 % utrygge) ikke direkte sammenligneligt med tidligere års resultater. "
        "Undersøgelsen indikerer dog et fald i andelen af utrygge i partnerskabsområdet siden "
        "2014 (22 %) og er på niveau med 2020 (16 %). Disse udviklinger er dog ikke signifikante."
    )
    assert development in PARAGRAPHS and comparison in PARAGRAPHS
    assert comparison.startswith("Partnerskabet ligger i Brønshøj Husum. ")


def test_evening_paragraphs_as_in_the_note():
    development, comparison = survey_paragraphs("evening", "evening_night", 2)
    assert development in PARAGRAPHS and comparison in PARAGRAPHS
    assert "siden både 2014 (35 %) og 2020 (28 %)" in development
    assert "under gennemsnittet for bydelen (26 %)" in comparison


def test_figure_source_note_as_in_the_note():
    note = figure_source_note(2021, "Tingbjerg-Husum Partnerskab", area_changed=True)
    assert note in PARAGRAPHS and NOTE.count(note) == 2  # under figur 1 and figur 2


def test_crime_paragraph_as_in_the_note():
    crime = FIGURES["crime"]
    year = FIGURES["crime_year"]
    targets = crime["table_1_targets"]
    text = crime_paragraph(
        year, crime["citizen_facing"]["count"][year], crime["citizen_facing"]["per_1000"][year],
        earlier_year=year - 1, earlier_rate=crime["citizen_facing"]["per_1000"][year - 1],
        city_rate=crime["citizen_facing"]["city_per_1000"][year],
        area_note="udvidet geografisk område inkl. Skolevangen 1 og 2",
        table_counts={"indbrud": targets["burglary"], "tyveri/røveri": targets["theft_robbery"],
                      "vold/våben": targets["violence_weapons"]},
        baseline_period="2021-2024",
    )
    assert text in PARAGRAPHS
    assert "hvilket er en stigning siden 2019 (20,4). Antallet er lavere end" in text


def test_cooperation_paragraph_as_in_the_note():
    coop = FIGURES["cooperation"]
    text = cooperation_paragraph(
        FIGURES["report_year"], coop["with_two_or_more_partners"], coop["activities"],
        target_share=coop["target_percent"] / 100,
    )
    assert text in PARAGRAPHS
    assert f"svarende til {coop['share_percent']} %" in text


# --------------------------------------------------------------------------------------------
# Another partnership or year: the builders' other branches


def test_unchanged_area_has_no_comparability_caveat():
    text = development_paragraph("neighbourhood", 2022, 0.14, {2014: 0.22, 2021: 0.16},
                                 {2014: False, 2021: False})
    assert text == (
        "I 2022 er 14 % utrygge i partnerskabsområdet. Undersøgelsen indikerer et fald i "
        "andelen af utrygge i partnerskabsområdet siden både 2014 (22 %) og 2021 (16 %). "
        "Disse udviklinger er dog ikke signifikante."
    )
    assert "sammenlign" not in text


def test_significant_and_not_significant_changes_are_named():
    text = development_paragraph("neighbourhood", 2022, 0.14, {2014: 0.22, 2021: 0.16},
                                 {2014: result(0.01), 2021: result(0.30)})
    assert text.endswith("Faldet siden 2014 er signifikant, mens udviklingen siden 2021 ikke er signifikant.")
    both = development_paragraph("evening", 2022, 0.20, {2014: 0.35, 2021: 0.28},
                                 {2014: True, 2021: True})
    assert both.endswith("siden både 2014 (35 %) og 2021 (28 %). Faldet siden både 2014 og 2021 er signifikant.")


def test_significance_threshold_from_the_test_result():
    earlier, year = {2021: 0.16}, 2022
    at = development_paragraph("neighbourhood", year, 0.20, earlier, {2021: result(0.0499)})
    above = development_paragraph("neighbourhood", year, 0.20, earlier, {2021: result(0.0501)})
    assert at.endswith("en stigning i andelen af utrygge i partnerskabsområdet siden 2021 (16 %). "
                       "Stigningen siden 2021 er signifikant.")
    assert above.endswith("Denne udvikling er dog ikke signifikant.")
    real = two_proportion_test(60, 300, 48, 300)
    text = development_paragraph("neighbourhood", year, 0.20, earlier, {2021: real})
    assert text.endswith("Denne udvikling er dog ikke signifikant.")  # p = 0.21


def test_rise_and_fall_and_level_in_one_sentence():
    mixed = development_paragraph("neighbourhood", 2022, 0.18, {2014: 0.22, 2021: 0.16},
                                  {2014: False, 2021: False})
    assert ("indikerer et fald i andelen af utrygge i partnerskabsområdet siden 2014 (22 %) "
            "og en stigning siden 2021 (16 %).") in mixed
    level = development_paragraph("evening", 2022, 0.16, {2014: 0.16, 2021: 0.158},
                                  {2014: False, 2021: False}, area_changed=True)
    assert "Undersøgelsen indikerer dog, at andelen er på niveau med både 2014 (16 %) og 2021 (16 %)." in level
    assert level.startswith("Idet partnerskabsområdet er udvidet, kan resultaterne i 2022")


def test_development_paragraph_needs_a_result_per_year():
    with pytest.raises(ValueError, match="2014"):
        development_paragraph("neighbourhood", 2021, 0.16, {2014: 0.22, 2020: 0.16}, {2020: False})
    with pytest.raises(ValueError, match="share must be between 0 and 1"):
        development_paragraph("neighbourhood", 2021, 16, {2020: 16}, {2020: False})


def test_comparison_paragraph_boundaries_and_significance():
    # 25,5 % prints 26 %: level with a district at 26 %; 25,4 % prints 25 %: under.
    assert "på niveau med gennemsnittet for bydelen (26 %)" in comparison_paragraph(
        "evening", 2022, 0.255, 0.26, 0.16)
    assert "under gennemsnittet for bydelen (26 %)" in comparison_paragraph(
        "evening", 2022, 0.254, 0.26, 0.16)
    text = comparison_paragraph("neighbourhood", 2022, 0.16, 0.12, 0.09,
                                district_significant=False, city_significant=True)
    # The printed averages are the totals'; the tests compare with the rest of each area.
    assert text == (
        "Andelen af utrygge københavnere i partnerskabsområdet er i 2022 over gennemsnittet for "
        "bydelen (12 %) og over gennemsnittet for hele byen (9 %). Forskellen til resten af "
        "byen er signifikant, mens forskellen til resten af bydelen ikke er signifikant."
    )
    both = comparison_paragraph("neighbourhood", 2022, 0.16, 0.12, 0.09,
                                district_significant=True, city_significant=True)
    assert both.endswith("Forskellene til resten af bydelen og til resten af byen er "
                         "signifikante.")
    neither = comparison_paragraph("neighbourhood", 2022, 0.16, 0.12, 0.09,
                                   district_significant=False, city_significant=False)
    assert neither.endswith("Forskellene til resten af bydelen og til resten af byen er dog ikke "
                            "signifikante.")


def test_crime_paragraph_variants():
    base = dict(earlier_year=2020, earlier_rate=23.3, city_rate=36.1)
    fall = crime_paragraph(2021, 250, 21.0, **base)
    assert "hvilket er et fald siden 2020 (23,3). Antallet er lavere end" in fall
    assert fall.startswith("I 2021 blev der i partnerskabsområdet anmeldt 250 tilfælde")
    level = crime_paragraph(2021, 271, 23.34, **base)  # prints 23,3 like 2020
    assert "hvilket er på niveau med 2020 (23,3)." in level
    rise = crime_paragraph(2021, 1400, 40.0, significant=result(0.001), **base)
    assert "1.400 tilfælde" in rise and "hvilket er en signifikant stigning siden 2020 (23,3)." in rise
    assert "Antallet er højere end gennemsnittet for hele København (36,1)." in rise
    quiet = crime_paragraph(2021, 280, 24.0, significant=result(0.3), **base)
    assert "hvilket er en stigning siden 2020 (23,3). Stigningen er dog ikke signifikant." in quiet
    one = crime_paragraph(2021, 280, 24.0, table_counts={"indbrud": 1, "vold/våben": 2}, **base)
    assert "at der i 2021 var 1 anmeldelse af indbrud og 2 anmeldelser af vold/våben." in one
    first = crime_paragraph(2014, 243, 27.7, earlier_year=2013, earlier_rate=None,
                            city_rate=45.3, significant=result(0.3))
    assert ("Det svarer til 27,7 anmeldelser af borgervendt kriminalitet pr. 1000 indbyggere. "
            "Antallet er lavere end gennemsnittet for hele København (45,3).") in first
    assert "2013" not in first and "signifikant" not in first



@pytest.mark.parametrize("count, shown", [
    (0, "0 anmeldelser"), (1, "færre end 5 anmeldelser"), (4, "færre end 5 anmeldelser"),
    (5, "5 anmeldelser"),
])
def test_crime_paragraph_hides_small_counts(count, shown):
    text = crime_paragraph(2021, count, 0.5, earlier_year=2020, earlier_rate=0.5, city_rate=36.1,
                           table_counts={"indbrud": count, "vold/våben": 1}, min_count=5)
    assert f"at der i 2021 var {shown} af indbrud og færre end 5 anmeldelser af vold" in text
    total = "færre end 5" if 0 < count < 5 else str(count)
    assert f"anmeldt {total} tilfælde" in text
    unhidden = crime_paragraph(2021, 1, 0.5, earlier_year=2020, earlier_rate=0.5,
                               city_rate=36.1, table_counts={"indbrud": 1})
    assert "anmeldt 1 tilfælde" in unhidden and "var 1 anmeldelse af indbrud" in unhidden


NOT_MET_QUIET = ("Målet er ikke nået. Stigningen siden 2020 er ikke signifikant og kan skyldes "
                 "tilfældige udsving.")


@pytest.mark.parametrize("current, baseline, pvalue, decimals, expected", [
    (19, 23, 0.9, 0, "Målet er nået."),
    (23, 23, 0.5, 0, "Målet er nået."),
    (23.34, 23.3, 0.01, 1, "Målet er nået."),  # prints as the baseline
    (19, 23, 0.001, 0, "Målet er nået."),  # a significant fall
    # A rise is never "nået", significant or not (it printed "Målet er nået, da stigningen ...
    # ikke er signifikant" before).
    (23.36, 23.3, 0.4, 1, NOT_MET_QUIET),
    (24, 23, 0.0501, 0, NOT_MET_QUIET),
    (39, 26, 0.33, 0, NOT_MET_QUIET),
    (40, 23, 0.0499, 0, "Målet er ikke nået: stigningen siden 2020 er signifikant."),
])
def test_target_sentence(current, baseline, pvalue, decimals, expected):
    test = result(pvalue)
    assert target_sentence(current, baseline, test, baseline_year=2020, decimals=decimals) == expected
    assert target_met(current, baseline, decimals) is expected.startswith("Målet er nået")


def test_target_sentence_with_the_overdispersed_test():
    small_rise = quasi_poisson_rate_test(30, 1, 23, 1)  # p = 0.33
    big_rise = quasi_poisson_rate_test(45, 1, 23, 1)  # p = 0.01
    assert target_sentence(30, 23, small_rise, baseline_year=2020) == NOT_MET_QUIET
    assert target_sentence(45, 23, big_rise, baseline_year=2020).endswith("er signifikant.")
    with pytest.raises(ValueError, match="not 'less'"):
        target_sentence(40, 23, poisson_rate_test(40, 1, 23, 1, alternative="less"),
                        baseline_year=2020)


def test_ratio_change_and_p_values():
    test = quasi_poisson_rate_test(39, 1, 26, 1, dispersion=2.7)
    assert ratio_change(test.estimate, test.ci_low, test.ci_high) == (
        f"+50 % ({MINUS}32 % til +232 %)")
    none = quasi_poisson_rate_test(3, 1, 0, 1)
    assert ratio_change(none.estimate, none.ci_low, none.ci_high) == "ingen anmeldelser i baseline"
    assert fmt_p(0.32644) == "0,33" and fmt_p(0.0412) == "0,041" and fmt_p(1e-5) == "<0,001"
    assert detectable_rise(51, 0.9615) == "+96 % (51 anmeldelser)"


@pytest.mark.parametrize("with_partners, activities, met", [
    (13, 16, True), (12, 16, True),  # 75 % exactly
    (11, 16, False),  # 69 %
    (149, 200, True),  # 74,5 % prints 75 %
    (148, 200, False),  # 74 %
])
def test_cooperation_target_on_both_sides(with_partners, activities, met):
    text = cooperation_paragraph(2022, with_partners, activities)
    assert ("Dermed opfyldes målet om," in text) == met
    assert ("Dermed opfyldes målet ikke om," in text) == (not met)


def test_cooperation_paragraph_other_settings_and_errors():
    text = cooperation_paragraph(2022, 4, 5, target_share=0.9, min_partners=3)
    assert "4 ud af 5 aktiviteter tre eller flere samarbejdspartnere" in text
    assert "svarende til 80 %. Dermed opfyldes målet ikke om, at minimum 90 %" in text
    with pytest.raises(ValueError, match="activities"):
        cooperation_paragraph(2022, 0, 0)
    with pytest.raises(ValueError, match="with_partners"):
        cooperation_paragraph(2022, 17, 16)


def test_figure_source_note_without_area_change():
    assert figure_source_note(2022, "X Partnerskab") == "Kilde: Københavns Tryghedsundersøgelse 2022."


@pytest.mark.parametrize("names, expected", [
    (["Skolevangen 1", "Skolevangen 2"], "Skolevangen 1 og 2"),
    (["Voldparken", "Gadelandet", "Skolevangen 1", "Skolevangen 2"],
     "Voldparken, Gadelandet og Skolevangen 1 og 2"),
    (["Skolevangen 1"], "Skolevangen 1"),
    (["Skolevangen 1", "Gadelandet", "Skolevangen 2"],     # not neighbours: kept apart
     "Skolevangen 1, Gadelandet og Skolevangen 2"),
    (["Skolevangen 1", "Husum 2"], "Skolevangen 1 og Husum 2"),
    (["Skolevangen", "Skolevangen 2"], "Skolevangen og Skolevangen 2"),
    (["Område 1", "Område 2", "Område 3"], "Område 1, 2 og 3"),
])
def test_join_names(names, expected):
    assert join_names(names) == expected


def test_join_list():
    assert [join_list(["a"]), join_list(["a", "b"]), join_list(["a", "b", "c"])] == \
        ["a", "a og b", "a, b og c"]
    with pytest.raises(ValueError):
        join_list([])


# --------------------------------------------------------------------------------------------
# Regressions from the R check (issue 15)


@pytest.mark.parametrize("alpha", [5, -1, 0, 1])
def test_every_builder_refuses_alpha_outside_zero_one(alpha):
    # significant(5) was True for every result, so "signifikant" was written for any change.
    with pytest.raises(ValueError, match="alpha: forventet et tal mellem 0 og 1"):
        significance_sentence(RISE, result(0.3), alpha=alpha)
    with pytest.raises(ValueError, match="alpha: forventet et tal mellem 0 og 1"):
        development_paragraph("neighbourhood", 2022, 0.12, {2021: 0.16}, {2021: True},
                              alpha=alpha)
    with pytest.raises(ValueError, match="alpha: forventet et tal mellem 0 og 1"):
        comparison_paragraph("neighbourhood", 2022, 0.16, 0.12, 0.09, alpha=alpha)
    with pytest.raises(ValueError, match="alpha: forventet et tal mellem 0 og 1"):
        crime_paragraph(2021, 250, 21.0, earlier_year=2020, earlier_rate=23.3, city_rate=36.1,
                        alpha=alpha)
    with pytest.raises(ValueError, match="alpha: forventet et tal mellem 0 og 1"):
        target_sentence(19, 23, result(0.9), baseline_year=2020, alpha=alpha)


def test_comparison_names_a_significant_difference_the_rounded_shares_hide():
    # 16,4 % and 15,6 % both print 16 %: "på niveau med", and significant with large samples.
    text = comparison_paragraph("neighbourhood", 2022, 0.164, 0.156, 0.09,
                                district_significant=result(0.001), city_significant=True)
    assert "på niveau med gennemsnittet for bydelen (16 %)" in text
    assert text.endswith("Afrundet er tallene ens, men andelen i partnerskabsområdet er "
                         "signifikant højere end i resten af bydelen.")
    quiet = comparison_paragraph("neighbourhood", 2022, 0.164, 0.156, 0.09,
                                 district_significant=result(0.3), city_significant=True)
    assert "Afrundet" not in quiet and "ikke signifikant" not in quiet


def test_crime_paragraph_names_a_significant_change_the_rounded_rates_hide():
    text = crime_paragraph(2021, 27100, 23.34, earlier_year=2020, earlier_rate=23.26,
                           city_rate=36.1, significant=result(0.01))
    assert "hvilket er på niveau med 2020 (23,3)." in text
    assert ("Afrundet er tallene ens, men der er tale om en signifikant stigning siden 2020."
            in text)


def test_crime_paragraph_refuses_a_one_sided_test():
    # A one-sided test for a rise called a fall from 250 to 180 "ikke signifikant".
    fall = poisson_rate_test(180, 11600, 250, 11600, alternative="greater")
    with pytest.raises(ValueError, match="two-sided"):
        crime_paragraph(2021, 180, 15.5, earlier_year=2020, earlier_rate=21.6, city_rate=36.1,
                        significant=fall)
    both = poisson_rate_test(180, 11600, 250, 11600)
    text = crime_paragraph(2021, 180, 15.5, earlier_year=2020, earlier_rate=21.6,
                           city_rate=36.1, significant=both)
    assert "et signifikant fald siden 2020 (21,6)" in text


def test_old_area_sentence_only_where_the_readings_differ():
    same = old_area_sentence(2014, earlier_share=0.22, old_share=0.155, old_significant=False,
                             current_share=0.16, current_significant=False)
    assert same == ""  # both a fall, neither significant
    differs = old_area_sentence(2014, earlier_share=0.22, old_share=0.15,
                                old_significant=result(0.01), current_share=0.16,
                                current_significant=result(0.2))
    assert differs == ("Sammenlignes det samme område i begge år (partnerskabsområdet, som det "
                       "var i 2014), er der et signifikant fald siden 2014 (fra 22 % til 15 %).")
    level = old_area_sentence(2020, earlier_share=0.16, old_share=0.155, old_significant=False,
                              current_share=0.17, current_significant=False)
    assert level.endswith("er andelen på niveau med 2020 (16 % mod 16 %).")


def test_appendix_labels_and_box():
    assert comparison_label("old_area", 2021, 2014) == "2021 mod 2014, samme område som i 2014"
    assert share_difference(-0.06, -0.142, 0.021) == f"{MINUS}6 %-point ({MINUS}14 til +2)"
    box = significance_box(0.05)
    assert "sjældnere end 5 % af gangene" in box and "resten af bydelen" in box
    assert "=" not in box and "p-værdi" not in box  # no formulas for the readers
    assert "justeret med Holms metode" in survey_test_method(0.05, "holm", 16)
    assert "bygger på 16 test" in survey_test_method(0.05, "none", 16)
    with pytest.raises(ValueError, match="alpha: forventet et tal mellem 0 og 1"):
        significance_box(5)
