"""Verdicts the note prints, on the example data moved so that they change (issue 15)."""

from __future__ import annotations

import html
import re

import pytest

from tryghedlib.analysis import overdispersion
from tryghedlib.note import model, sections
from verdict_data import CONFIG, EXAMPLE, add_reports


def plain(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).replace(
        "\u00a0", " ")


@pytest.fixture(scope="module")
def note_2020():
    return model.build_note("tingbjerg-husum", 2020, data_dir=EXAMPLE, config_dir=CONFIG,
                            cache_dir=None)


@pytest.fixture(scope="module")
def burglaries_rise(tmp_path_factory):
    """Indbrud 26 (2016, the baseline) -> 39 (2019) in a 2020 note: +50 %, not significant."""
    data = tmp_path_factory.mktemp("rise") / "data"
    add_reports(data, partnership="tingbjerg-husum", report_year=2020, group="indbrud",
                year=2019, extra=18)
    return model.build_note("tingbjerg-husum", 2020, data_dir=data, config_dir=CONFIG,
                            cache_dir=None)


def row(text: str, label: str) -> str:
    start = text.index(f" {label} Minimum fastholdelse")
    return text[start:text.index("Målet", start) + 120]


def test_a_rise_is_never_a_met_target(note_2020, burglaries_rise):
    before = plain(sections.crime(note_2020))
    assert "21 anmeldelser" in row(before, "Indbrud") and "Målet er nået." in row(before, "Indbrud")
    after = plain(sections.crime(burglaries_rise))
    indbrud = row(after, "Indbrud")
    assert "26 anmeldelser" in indbrud and "39 anmeldelser" in indbrud
    assert "+50 % (−8 % til +145 %)" in indbrud
    assert ("Målet er ikke nået. Stigningen siden 2016 er ikke signifikant og kan skyldes "
            "tilfældige udsving.") in indbrud
    # The test behind it: two-sided, as the interval, and on the register's dispersion.
    check = burglaries_rise.crime.targets["indbrud"]
    assert check.test.alternative == "two-sided" and check.test.pvalue > 0.05
    assert check.dispersion.value >= 1 and check.dispersion.areas > 1


def test_appendix_states_the_dispersion_and_what_the_test_could_detect(burglaries_rise):
    text = plain(sections.appendix(burglaries_rise, {"alpha": 0.05}))
    assert "overspredningen φ" in text and "Pearsons χ² pr. frihedsgrad" in text
    check = burglaries_rise.crime.targets["indbrud"]
    expected = overdispersion.smallest_significant_count(26, 1, 1,
                                                         dispersion=check.dispersion.value)
    assert check.smallest_significant == expected
    assert f"+{round((expected / 26 - 1) * 100)} % ({expected} anmeldelser)" in text
    table = text[text.index("Test af målene i tabel 1, 2019 mod 2016"):]
    assert " Indbrud 26 39 +50 % (−8 % til +145 %) 0,11 1,0 " in table


# --- Survey comparisons ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def note_2021():
    return model.build_note("tingbjerg-husum", 2021, data_dir=EXAMPLE, config_dir=CONFIG,
                            cache_dir=None)


def test_partnership_is_compared_with_the_rest_of_its_district(note_2021):
    """The test's other sample is the district without the partnership, computed here from the
    respondents directly; the printed average stays the district's own share (16 %)."""
    import pandas as pd

    from tryghedlib.analysis import significance
    from tryghedlib.sources import loaders

    survey = loaders.load_survey(EXAMPLE, [2021])
    today = note_2021.partnership.subareas(2021)
    inside = survey["subarea"].isin(today)
    rest = survey[(survey["district"] == note_2021.district_name) & ~inside]
    values = pd.Series(rest["neighbourhood"].astype(object)).map(
        {"Utryg": 1.0, "Meget utryg": 1.0, "Tryg": 0.0, "Meget tryg": 0.0,
         "Hverken tryg eller utryg": 0.0})
    other = significance.weighted_proportion(values.to_numpy(), rest["weight"].to_numpy())
    result = note_2021.safety["neighbourhood"]
    assert result.rest["district"] == pytest.approx(other.estimate, rel=1e-12)
    now = result.shares.query("year == 2021 and area == 'partnership'").iloc[0]
    expected = significance.two_proportion_test(now["share"] * now["n_eff"], now["n_eff"],
                                                other.x_eff, other.n_eff)
    assert result.versus["district"].pvalue == pytest.approx(expected.pvalue, rel=1e-12)
    assert round(result.district * 100) == 16  # the published figure, the district's own
    text = plain(sections.safety(note_2021))
    assert ("Forskellen til resten af byen er signifikant, mens forskellen til resten af "
            "bydelen ikke er signifikant.") in text


def test_old_area_compared_like_with_like_in_the_appendix_and_where_it_differs(note_2021):
    result = note_2021.safety["neighbourhood"]
    assert sorted(result.old_area) == [2014, 2020]  # both earlier years crossed the change
    # 2020: 16 % on today's area (level), 15 % on the 2020 area (a fall): the text says so.
    text = plain(sections.safety(note_2021))
    assert ("Sammenlignes det samme område i begge år (partnerskabsområdet, som det var i "
            "2020), er der et fald siden 2020 (fra 16 % til 15 %), som dog ikke er "
            "signifikant.") in text
    kinds = [(t.topic, t.kind, t.other_year) for t in note_2021.tests]
    assert ("neighbourhood", "old_area", 2014) in kinds and ("evening", "city", 2021) in kinds
    appendix = plain(sections.appendix(note_2021, {"alpha": 0.05}))
    assert f"Alle {len(note_2021.tests)} test bag notatet" in appendix
    assert "2021 mod 2014, samme område som i 2014" in appendix
    assert "Sådan læses signifikans" in appendix


def test_holm_adjusts_every_test_and_the_text_uses_it(tmp_path):
    from tryghedlib.analysis.significance import adjust_pvalues

    import shutil
    config_dir = tmp_path / "config"
    shutil.copytree(CONFIG, config_dir)
    settings = config_dir / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "p_adjust: none", "p_adjust: holm"), encoding="utf-8")
    note = model.build_note("tingbjerg-husum", 2021, data_dir=EXAMPLE, config_dir=config_dir,
                            cache_dir=None)
    raw = [t.raw_pvalue for t in note.tests]
    assert [t.result.pvalue for t in note.tests] == pytest.approx(adjust_pvalues(raw, "holm"))
    city = next(t for t in note.tests if (t.topic, t.kind) == ("neighbourhood", "city"))
    assert note.safety["neighbourhood"].versus["city"].pvalue == city.result.pvalue > city.raw_pvalue
    development = note.safety["neighbourhood"].comparisons[2014]
    assert development.pvalue == next(t.result.pvalue for t in note.tests
                                      if (t.topic, t.kind, t.other_year)
                                      == ("neighbourhood", "development", 2014))
    appendix = plain(sections.appendix(note, {"alpha": 0.05}))
    assert f"P-værdierne for alle {len(note.tests)} test er justeret med Holms metode" in appendix
    assert "test bag notatet (p justeret)" in appendix
