"""Section texts for a year after the area changed (2022 on the area enlarged in 2021)."""

import shutil
from pathlib import Path

import pytest

from tryghedlib import model, sections

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example"


@pytest.fixture(scope="module")
def note_2022(tmp_path_factory):
    """The example with its 2021 survey delivered once more as 2022."""
    data = tmp_path_factory.mktemp("data")
    for item in EXAMPLE.iterdir():
        (data / item.name).symlink_to(item)
    (data / "survey").unlink()
    shutil.copytree(EXAMPLE / "survey", data / "survey")
    text = (EXAMPLE / "survey" / "tryghedsundersoegelse_2021.csv").read_bytes()
    (data / "survey" / "tryghedsundersoegelse_2022.csv").write_bytes(
        text.replace(b";2021;", b";2022;"))
    return model.build_note("tingbjerg-husum", 2022, data_dir=data, config_dir=ROOT / "config",
                            crime_year=2020, cache_dir=None)


def test_later_year_names_the_year_the_area_changed(note_2022):
    text = sections.safety(note_2022)
    assert "I 2022 er det geografiske område for partnerskabet blevet udvidet" not in text
    assert "blev ændret i 2021, så resultatet for 2014 ikke er direkte sammenligneligt med " \
           "2022" in text
    # 2021 was measured on today's area: compared without the caveat
    assert "resultatet for 2014 og 2021" not in text
