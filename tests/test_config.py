"""Partnership configuration: areas per period and the errors for a wrong file."""

import shutil

import pytest

from tryghedlib.config import list_partnerships, load_partnership, load_settings
from tryghedlib.errors import ConfigError


def test_tingbjerg_husum_areas_per_period():
    config = load_partnership("tingbjerg-husum")
    old = ("tingbjerg-utterslevhuse", "voldparken", "gadelandet")
    assert config.subareas(2014) == old            # before the first period: its area
    assert config.subareas(2020) == old
    assert config.subareas(2021) == old + ("skolevangen-1", "skolevangen-2")
    assert config.area_changed(2020, 2021) and not config.area_changed(2014, 2020)
    assert config.area_change_year(2021) == 2021
    assert config.area_change_year(2020) is None


def test_each_period_has_its_own_terms():
    config = load_partnership("tingbjerg-husum")
    before, now = config.for_year(2019), config.for_year(2021)
    assert (before.crime_baseline_year, now.crime_baseline_year) == (2016, 2020)
    assert "2016-niveau" in before.aims[1].text and "2020-niveau" in now.aims[1].points[0]
    assert now.aims[1].note.startswith("Der måles ud fra") and not before.aims[1].points
    assert "Skolevangen" not in before.description and "Skolevangen" in now.description
    assert config.for_year(2014) == before         # before the first period: its terms
    assert before.survey_baseline_year == now.survey_baseline_year == 2014   # inherited
    assert before.periods == config.periods        # the areas of every year stay known


def test_a_period_may_change_one_target(tmp_path):
    shutil.copytree("config", tmp_path / "config")
    path = tmp_path / "config" / "partnerships" / "tingbjerg-husum.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    crime_baseline_year: 2016\n",
        "    crime_baseline_year: 2016\n    targets:\n      cooperation_min_share: 0.5\n")
    path.write_text(text, encoding="utf-8")
    config = load_partnership("tingbjerg-husum", tmp_path / "config")
    before, now = config.for_year(2019).targets, config.for_year(2021).targets
    assert (before.cooperation_min_share, now.cooperation_min_share) == (0.5, 0.75)
    assert before.table_1_groups == now.table_1_groups   # the rest of the targets inherited


def test_year_after_the_last_period_is_refused():
    with pytest.raises(ConfigError, match="year 2025 is after the last period"):
        load_partnership("tingbjerg-husum").subareas(2025)


def test_unknown_partnership_lists_the_known():
    with pytest.raises(ConfigError, match=r"unknown partnership 'amager'.*tingbjerg-husum"):
        load_partnership("amager")
    assert "tingbjerg-husum" in list_partnerships()


@pytest.mark.parametrize("old, new, message", [
    ("crime_baseline_year: 2020", "crime_baseline_year: tyve", "'crime_baseline_year' should be int"),
    ("district: bronshoj-husum", "distrikt: bronshoj-husum", "key 'district' is missing"),
    ("first_year: 2021", "first_year: 2019", "periods overlap"),
    ("    crime_baseline_year: 2016", "    crime_baseline: 2016",
     r"periods\[0\]: unknown key 'crime_baseline'; a period has first_year"),
    ("    crime_baseline_year: 2016", "    crime_baseline_year: '2016'",
     r"periods\[0\]: key 'crime_baseline_year' should be int"),
    ("    points:", "    punkter:", r"aim 2 under 'aims' should be a text, or a mapping with"),
    ("    case_officer:", "    caseofficer:",
     r"key 'notes.2021.caseofficer' is unknown; a year's note may give date, case_number"),
    ("  2021:\n    date:", "  tyve:\n    date:", r"key 'notes': expected a year \(e.g. 2021\)"),
])
def test_broken_partnership_file(tmp_path, old, new, message):
    shutil.copytree("config", tmp_path / "config")
    path = tmp_path / "config" / "partnerships" / "tingbjerg-husum.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_partnership("tingbjerg-husum", tmp_path / "config")


def test_settings():
    settings = load_settings()
    assert settings.alpha == 0.05 and settings.city == "koebenhavn"
    assert settings.min_count > 0 and len(settings.police_extent) == 4


def test_header_gaps_name_what_neither_config_nor_parameters_give():
    config = load_partnership("tingbjerg-husum")
    assert config.header_gaps(2021, {}) == []
    assert config.header_gaps(2022, {}) == ["date", "case_number", "document_number",
                                            "case_officer"]
    assert config.header_gaps(2022, {"note_date": "1. juni 2022", "case_officer": "A. B."}) == [
        "case_number", "document_number"]


def _settings_with(tmp_path, text: str):
    shutil.copytree("config", tmp_path / "config")
    path = tmp_path / "config" / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


SETTINGS = open("config/settings.yaml", encoding="utf-8").read()


@pytest.mark.parametrize("text, message", [
    (SETTINGS + "alpha: 0.1\n", r"settings.yaml, line 17, column 1: expected key 'alpha' "
                                r"only once in this mapping, found it also on line 3"),
    (SETTINGS.replace("  min_count: 5", "  min_count: 5\n  min_count: 3"),
     r"line 7, column 3: expected key 'min_count' only once"),
    (SETTINGS + "a: &a [1, 1]\nb: &b [*a, *a]\nc: [*b, *b]\n",
     r"line 18, column 8: expected a value written out in full, not an alias \(\*a\)"),
    (SETTINGS + "deep: " + "[" * 100_000 + "]" * 100_000 + "\n",
     r"line 17, column 26: expected at most 20 levels of nesting"),
    (SETTINGS + "when: 2021-02-30\n", r"line 17, column 7: expected a valid date"),
    (SETTINGS + "x: " + "y" * (1 << 20) + "\n", r"expected a config file of at most"),
    (SETTINGS.replace("alpha: 0.05", "alpha: 5"), r"key 'alpha' should be a significance level"),
    (SETTINGS.replace("min_respondents: 30", "min_respondents: -1"),
     r"key 'disclosure.min_respondents' should be 0 or more, found -1"),
    (SETTINGS.replace("first_survey_year: 2014", "first_survey_year: 20140"),
     r"key 'first_survey_year' should be a year from 1990 to 2100, found 20140"),
    (SETTINGS.replace("6195000]", "6100000]"), r"key 'police_extent' should be \[min_x"),
    (SETTINGS.replace("  - [EAN-nummer", "  - {a: 1}\n  - [EAN-nummer"),
     r"key 'sender' should be a list of blocks"),
])
def test_settings_that_say_something_else_than_they_seem_are_refused(tmp_path, text, message):
    path = _settings_with(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as error:
        load_settings(path.parent)
    assert str(path) in str(error.value) and len(str(error.value)) < 500


def test_settings_not_utf8_name_the_line(tmp_path):
    path = _settings_with(tmp_path, "")
    path.write_bytes(SETTINGS.replace("juni", "maj\u00f8").encode("cp1252"))
    with pytest.raises(ConfigError, match=r"settings.yaml, line 9: expected text encoded as UTF-8"):
        load_settings(path.parent)


@pytest.mark.parametrize("old, new, message", [
    ("periods:\n", "periods: []\nperiods:\n", r"line 11, column 1: expected key 'periods' only "
                                              r"once in this mapping, found it also on line 10"),
    ("cooperation_min_share: 0.75", "cooperation_min_share: 75",
     r"key 'cooperation_min_share' should be a share between 0 and 1, e.g. 0.75 for 75 %, "
     r"found 75"),
    ("cooperation_min_partners: 2", "cooperation_min_partners: 0",
     r"key 'cooperation_min_partners' should be a number of partners, 1 or more"),
    ("table_1_groups: [indbrud,", "table_1_groups: [{a: 1},",
     r"key 'table_1_groups' should be a list of texts"),
    ("  - first_year: 2017", "  - first_year: 17", r"key 'first_year' should be a year"),
    ("    case_officer: Tone", "    case_officer: [a, b]\n    x_case_officer: Tone",
     r"key 'notes.2021.x_case_officer' is unknown"),
    ("    case_officer: Tone Schnell DiBona", "    case_officer: [Tone, Schnell]",
     r"key 'notes.2021.case_officer' should be a text, found \['Tone', 'Schnell'\]"),
])
def test_partnership_values_are_checked_where_they_are_read(tmp_path, old, new, message):
    shutil.copytree("config", tmp_path / "config")
    path = tmp_path / "config" / "partnerships" / "tingbjerg-husum.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_partnership("tingbjerg-husum", tmp_path / "config")
