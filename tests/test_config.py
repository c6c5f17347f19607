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
    with pytest.raises(ConfigError, match="year 2025 ligger efter den sidste periode"):
        load_partnership("tingbjerg-husum").subareas(2025)


def test_unknown_partnership_lists_the_known():
    with pytest.raises(ConfigError, match=r"ukendt partnerskab 'amager'.*tingbjerg-husum"):
        load_partnership("amager")
    assert "tingbjerg-husum" in list_partnerships()


@pytest.mark.parametrize("old, new, message", [
    ("crime_baseline_year: 2020", "crime_baseline_year: tyve", "nøgle 'crime_baseline_year': forventet et helt tal"),
    ("district: bronshoj-husum", "distrikt: bronshoj-husum",
     r"ukendt nøgle 'distrikt' \(mente du 'district'\?\); forventet en af 'id', 'name'"),
    ("name: Tingbjerg", "id2: 1\nname: Tingbjerg",
     r"ukendt nøgle 'id2' \(mente du 'id'\?\)"),
    ("  cooperation_min_share: 0.75", "  cooperation_min_share: 0.75\n  cooperation_share: 0.5",
     r"ukendt nøgle 'targets.cooperation_share' \(mente du 'cooperation_min_share'\?\)"),
    ("crime_rule: hold", "crime_rule: Hold",
     r"nøgle 'targets.crime_rule': forventet 'hold' \(fundet 'Hold'\)"),
    ("first_year: 2021", "first_year: 2019", "perioderne overlapper"),
    ("    crime_baseline_year: 2016", "    crime_baseline: 2016",
     r"periods\[0\]: ukendt nøgle 'crime_baseline'; en periode har first_year"),
    ("    crime_baseline_year: 2016", "    crime_baseline_year: '2016'",
     r"periods\[0\], nøgle 'crime_baseline_year': forventet et helt tal"),
    ("    points:", "    punkter:", r"nøgle 'aims', mål 2: forventet en tekst eller en mapping med"),
    ("    case_officer:", "    caseofficer:",
     r"nøglen 'notes.2021.caseofficer' er ukendt; et års notat kan angive date, case_number"),
    ("  2021:\n    date:", "  tyve:\n    date:", r"nøgle 'notes': forventet et årstal \(f.eks. 2021\)"),
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
    (SETTINGS + "alpha: 0.1\n", r"settings.yaml, linje 17, kolonne 1: forventet nøglen "
                                r"'alpha' kun én gang i denne mapping \(fundet også i linje 3\)"),
    (SETTINGS.replace("  min_count: 5", "  min_count: 5\n  min_count: 3"),
     r"linje 7, kolonne 3: forventet nøglen 'min_count' kun én gang"),
    (SETTINGS + "a: &a [1, 1]\nb: &b [*a, *a]\nc: [*b, *b]\n",
     r"linje 18, kolonne 8: forventet en værdi skrevet helt ud, ikke et alias \(\*a\)"),
    (SETTINGS + "deep: " + "[" * 100_000 + "]" * 100_000 + "\n",
     r"linje 17, kolonne 26: forventet højst 20 niveauer af indlejring"),
    (SETTINGS + "when: 2021-02-30\n", r"linje 17, kolonne 7: forventet en gyldig dato"),
    (SETTINGS + "when: 0012\n", r"linje 17, kolonne 7: forventet et helt tal skrevet med cifre "
                               r"alene \(fundet 0012, som YAML læser som 10\); skriv '0012'"),
    (SETTINGS + "when: 12:30\n", r"kolonne 7: forventet et helt tal .* som YAML læser som 750"),
    (SETTINGS + "when: 1_000\n", r"kolonne 7: forventet et helt tal .* som YAML læser som 1000"),
    (SETTINGS + "when: Off\n", r"linje 17, kolonne 7: forventet true eller false \(fundet Off, "
                              r"som YAML læser som false\); skriv 'Off' i anførselstegn"),
    (SETTINGS + "x: " + "y" * (1 << 20) + "\n", r"forventet en konfigurationsfil på højst"),
    (SETTINGS.replace("alpha: 0.05", "alpha: 5"), r"nøgle 'alpha': forventet et signifikansniveau"),
    (SETTINGS.replace("min_respondents: 30", "min_respondents: -1"),
     r"nøgle 'disclosure.min_respondents': forventet 0 eller flere \(fundet -1\)"),
    (SETTINGS.replace("first_survey_year: 2014", "first_survey_year: 20140"),
     r"nøgle 'first_survey_year': forventet et årstal fra 1990 til 2100 \(fundet 20140\)"),
    (SETTINGS.replace("6195000]", "6100000]"), r"nøgle 'police_extent': forventet \[min_x"),
    (SETTINGS.replace("  - [EAN-nummer", "  - {a: 1}\n  - [EAN-nummer"),
     r"nøgle 'sender': forventet en liste af blokke"),
    (SETTINGS.replace("alpha: 0.05", "alpha: 0.05\nalfa: 0.01"),
     r"ukendt nøgle 'alfa' \(mente du 'alpha'\?\); forventet en af 'first_survey_year'"),
    (SETTINGS.replace("  min_respondents: 30", "  min_respondents: 30\n  min_respondent: 50"),
     r"ukendt nøgle 'disclosure.min_respondent' \(mente du 'min_respondents'\?\)"),
])
def test_settings_that_say_something_else_than_they_seem_are_refused(tmp_path, text, message):
    path = _settings_with(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as error:
        load_settings(path.parent)
    assert str(path) in str(error.value) and len(str(error.value)) < 500


def test_settings_not_utf8_name_the_line(tmp_path):
    path = _settings_with(tmp_path, "")
    path.write_bytes(SETTINGS.replace("juni", "maj\u00f8").encode("cp1252"))
    with pytest.raises(ConfigError, match=r"settings.yaml, linje 9: forventet tekst kodet som UTF-8"):
        load_settings(path.parent)


@pytest.mark.parametrize("old, new, message", [
    ("periods:\n", "periods: []\nperiods:\n", r"linje 11, kolonne 1: forventet nøglen 'periods' kun "
                                              r"én gang i denne mapping \(fundet også i linje 10\)"),
    ("cooperation_min_share: 0.75", "cooperation_min_share: 75",
     r"nøgle 'cooperation_min_share': forventet en andel mellem 0 og 1, f.eks. 0.75 for 75 % "
     r"\(fundet 75"),
    ("cooperation_min_partners: 2", "cooperation_min_partners: 0",
     r"nøgle 'cooperation_min_partners': forventet et antal partnere, 1 eller flere"),
    ("table_1_groups: [indbrud,", "table_1_groups: [{a: 1},",
     r"nøgle 'table_1_groups': forventet en liste af tekster"),
    ("  - first_year: 2017", "  - first_year: 17", r"nøgle 'first_year': forventet et årstal"),
    ("    case_officer: Tone", "    case_officer: [a, b]\n    x_case_officer: Tone",
     r"nøglen 'notes.2021.x_case_officer' er ukendt"),
    ("    case_officer: Tone Schnell DiBona", "    case_officer: [Tone, Schnell]",
     r"nøgle 'notes.2021.case_officer': forventet en tekst \(fundet \['Tone', 'Schnell'\]"),
])
def test_partnership_values_are_checked_where_they_are_read(tmp_path, old, new, message):
    shutil.copytree("config", tmp_path / "config")
    path = tmp_path / "config" / "partnerships" / "tingbjerg-husum.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_partnership("tingbjerg-husum", tmp_path / "config")
