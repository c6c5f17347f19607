"""Section texts for a year after the area changed (2022 on the area enlarged in 2021)."""

import dataclasses
import html
import re
import shutil
from pathlib import Path

import pytest

from tryghedlib.note import model, sections, texts

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


NOTE = (ROOT / "tests" / "reference" / "status_note_tingbjerg_husum_2021.txt").read_text(
    encoding="utf-8")


def _plain(html_text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", html_text)))


@pytest.fixture(scope="module")
def note_2021(example_note):
    return example_note


def test_aims_of_the_2021_note_word_for_word(note_2021):
    """Each aim and each point under an aim, as the note prints them (a text, a point, a note
    after the points: config)."""
    aims = NOTE[NOTE.index("fremgår følgende målsætninger:"):NOTE.index("Center for Byudvikling")]
    lines = [re.sub(r"^(\d\.|-) ", "", line) for line in aims.splitlines()[1:] if line.strip()]
    shown = _plain(sections.header(note_2021))
    assert len(lines) == 7 and [line for line in lines if line not in shown] == []


@pytest.mark.parametrize("start", [
    "Tingbjerg-Husum Partnerskab har som sine overordnede",   # description (config)
    "Ifm. forlængelse af Tingbjerg-Husum Partnerskab",        # area change (config)
    "I 2021 er det geografiske område for partnerskabet blevet udvidet.",
    "Idet partnerskabsområdet er udvidet, kan resultaterne i 2021",
    "Andelen af utrygge københavnere i aften- og nattetimerne i partnerskabsområdet",
    "Kilde: Københavns Tryghedsundersøgelse 2021. I 2021 blev det geografiske område",
    "I 2020 blev der i partnerskabsområdet (udvidet geografisk område inkl. Skolevangen 1 og 2)",
    "Nedenstående tabel 2 viser antal anmeldelser",
    "Ud af det samlede antal aktiviteter i tryghedsplanen for 2021",
    "Der måles ud fra Københavns Kommunes tryghedsundersøgelse",   # an aim's note (config)
    "Københavns Politi har i 2020 haft et særligt fokus",          # the police's comment (config)
    "Af tabel 3 fremgår tryghedsplanen for Tingbjerg-Husum",       # plan period and description
])
def test_paragraphs_of_the_2021_note_word_for_word(note_2021, start):
    """Computed from the example data, the note's paragraphs come out as the note prints them."""
    paragraph = next(line for line in NOTE.splitlines() if line.startswith(start))
    shown = _plain("".join([sections.header(note_2021), sections.safety(note_2021),
                            sections.crime(note_2021), sections.cooperation(note_2021)]))
    assert re.sub(r"\s+", " ", paragraph).strip() in shown


def test_a_note_for_the_first_police_year_has_no_earlier_year_to_compare():
    note = model.build_note("tingbjerg-husum", 2015, data_dir=EXAMPLE,
                            config_dir=ROOT / "config", cache_dir=None)
    assert note.crime.year == 2014 and note.crime.baseline_year == 2016  # 2017-2020 terms
    text = _plain(sections.crime(note))
    assert "pr. 1000 indbyggere. Antallet er" in text and "siden 2013" not in text
    assert "baseline" not in text


def test_appendix_names_folders_as_the_project_does(note_2021, tmp_path):
    parameters = {"partnership": "tingbjerg-husum", "data_dir": str(EXAMPLE),
                  "config_dir": str(ROOT / "config"), "cache_dir": str(tmp_path), "alpha": 0.05}
    text = _plain(sections.appendix(note_2021, parameters))
    assert "Datamappe data/raw/example data_dir Konfigurationsmappe config config_dir" in text
    assert "Signifikansniveau 0,05 alpha" in text   # a number as the note writes numbers
    assert f"{tmp_path} cache_dir" in text          # outside the project: as given
    assert str(ROOT) not in text
    from importlib import metadata

    for package in ("numpy", "statsmodels", "matplotlib", "weasyprint"):  # what drew the note
        assert f"{package} {metadata.version(package)}" in text.split("Programversioner: ")[1]


def test_budget_line_states_the_plan_budget_of_the_notes_year(note_2021):
    """The 2021 note prints 2021's sum (published: 1,93 mio.); a note for 2022 from the same
    plan prints 2022's (1.269.000 kr.), not the plan's first year's."""
    assert "Budget: 1,93 mio. pr. år" in _plain(sections.cooperation(note_2021))
    later = dataclasses.replace(note_2021, report_year=2022)
    assert "Budget: 1,27 mio. pr. år" in _plain(sections.cooperation(later))


def test_tabel_2_shows_the_baseline_and_each_year_since_as_tabel_1_does():
    note = model.build_note("tingbjerg-husum", 2020, data_dir=EXAMPLE, config_dir=ROOT / "config",
                            cache_dir=None)
    markup = sections.crime(note)
    one, two = markup.index("Tabel 1"), markup.index("Tabel 2")
    heads = [re.findall(r"<th[^>]*>(.*?)</th>", part) for part in (markup[one:two], markup[two:])]
    assert heads[1][:5] == ["Gerningstype", "2016 (baseline)", "2017", "2018", "2019"]
    assert [h for h in heads[0] if h[:2] == "20"] == heads[1][1:5]   # the same years
    chikane = [c for c in re.findall(r"<td[^>]*>(.*?)</td>", markup[two:])
               if "anmeldelser" in c][:4]
    assert chikane == [f"{note.crime.count('chikane', y)} anmeldelser" for y in range(2016, 2020)]


def test_texts_from_the_config_are_escaped_and_typeset(note_2021):
    """The templates escape every text (a config text is never read as HTML), and keep a
    percent sign on its number's line."""
    partnership = dataclasses.replace(note_2021.partnership, name="A & <b>B</b>",
                                      description="16 % af <i>alle</i> i figur 1")
    note = dataclasses.replace(note_2021, partnership=partnership)
    shown = sections.header(note) + sections.cooperation(note)
    assert "<b>" not in shown and "<i>" not in shown
    assert "Tryghedsplan for A &amp; &lt;b&gt;B&lt;/b&gt;" in shown
    assert "<p>16\u00a0% af &lt;i&gt;alle&lt;/i&gt; i figur\u00a01</p>" in shown


@pytest.mark.parametrize("kind", model.NOTICE_KINDS)
def test_every_notice_the_model_gives_has_its_sentence(kind):
    """The model states a flaw as facts; the wording names each of them."""
    notice = model.Notice(kind, years=(2019, 2020), count=1234, file="tryghedsplan.xlsx")
    text = texts.notice(notice)
    assert "2019" in text and "2020" in text and text.endswith(".")
    assert ("1.234" in text) == (kind in ("unlocated_reports", "outside_district"))
    assert ("tryghedsplan.xlsx" in text) == (kind == "no_plan")


def test_a_notice_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown notice kind 'new'"):
        texts.notice(model.Notice("new"))
