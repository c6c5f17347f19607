"""Backtest: the library, computing from data/raw/example, reproduces every figure of the 2021 note.

The published figures (tests/published_figures_2021.yaml, a copy of the note's figures) are the
target; they are never read by the library.
"""

from pathlib import Path

import pytest
import yaml

from tryghedlib.analysis import indicators
from tryghedlib.note import model
from tryghedlib.note.wording import printed_percent, round_half_up

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = yaml.safe_load((ROOT / "tests" / "published_figures_2021.yaml").read_text("utf-8"))
QUESTIONS = {"neighbourhood": "neighbourhood", "evening_night": "evening"}
GROUPS = {"burglary": "indbrud", "theft_robbery": "tyveri_roeveri",
          "violence_weapons": "vold_vaaben", "harassment": "chikane", "vandalism": "haervaerk",
          "drugs": "narkotika", "threats": "trusler"}


@pytest.fixture(scope="module")
def note(example_note):
    assert example_note.report_year == PUBLISHED["report_year"]
    return example_note


def percent(share):
    return int(printed_percent(share))


def test_years(note):
    assert note.report_year == PUBLISHED["report_year"]
    assert note.crime_year == PUBLISHED["crime_year"]
    assert note.district_name.replace("-", " ") == PUBLISHED["district"].replace("-", " ")


@pytest.mark.parametrize("published_key", list(QUESTIONS))
def test_survey_shares(note, published_key):
    published = PUBLISHED["tryghed"][published_key]
    result = note.safety[QUESTIONS[published_key]]
    shares = result.shares.set_index(["area", "year"])["share"]
    for area in ("partnership", "district", "city"):
        for year, value in published[area].items():
            assert percent(shares[(area, year)]) == value, (area, year)


@pytest.mark.parametrize("published_key", list(QUESTIONS))
def test_changes_the_note_calls_not_significant(note, published_key):
    published = PUBLISHED["tryghed"][published_key]["significant"]
    result = note.safety[QUESTIONS[published_key]]
    for change, significant in published.items():
        before, after = map(int, change.split("->"))
        assert after == note.report_year
        assert result.comparisons[before].significant(note.alpha) is significant, change


def test_area_not_comparable_with_earlier_years(note):
    comparable = PUBLISHED["tryghed"]["comparable_with_earlier_years"]
    for result in note.safety.values():
        assert all(changed is not comparable for changed in result.area_changed.values())


def test_citizen_facing_crime(note):
    published = PUBLISHED["crime"]["citizen_facing"]
    for year, count in published["count"].items():
        assert note.crime.count("borgervendt", year) == count
    for year, rate in published["per_1000"].items():
        assert float(round_half_up(note.crime.rate("partnership", year), 1)) == rate
    for year, rate in published["city_per_1000"].items():
        assert float(round_half_up(note.crime.rate("city", year), 1)) == rate


def test_table_1_and_table_2_counts(note):
    crime = PUBLISHED["crime"]
    for key, value in {**crime["table_1_targets"], **crime["table_2_monitoring"]}.items():
        if key == "total":
            continue
        assert note.crime.count(GROUPS[key]) == value, key
    monitored = sum(note.crime.count(GROUPS[k]) for k in crime["table_2_monitoring"]
                    if k != "total")
    assert monitored == crime["table_2_monitoring"]["total"]


def test_cooperation(note):
    published = PUBLISHED["cooperation"]
    coop = note.cooperation
    assert coop.activities == published["activities"]
    assert coop.with_partners == published["with_two_or_more_partners"]
    assert percent(coop.share) == published["share_percent"]
    target = note.partnership.targets.cooperation_min_share
    assert percent(target) == published["target_percent"]
    assert (percent(coop.share) >= percent(target)) is published["target_met"]


def test_budget(note):
    published = PUBLISHED["safety_plan_budget"]
    assert len(note.plan.lines) == published["lines"]
    assert indicators.budget_by_year(note.plan.funding).to_dict() == published["total_by_year"]
