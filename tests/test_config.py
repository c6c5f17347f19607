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
