"""tryghed check: a whole delivery validated on receipt, summarised in Danish."""

import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from conftest import CONFIG, EXAMPLE, tree_state
from tryghedlib.config import list_partnerships
from tryghedlib.run import check, cli
from tryghedlib.sources import loaders


def spy_on_readers(monkeypatch) -> Counter:
    """How often each police extract and survey file is parsed, by file name."""
    parsed = Counter()
    for name in ("read_police_file", "read_survey_file"):
        def spy(path, *args, real=getattr(loaders, name), **kwargs):
            parsed[Path(path).name] += 1
            return real(path, *args, **kwargs)
        monkeypatch.setattr(loaders, name, spy)
    return parsed


@pytest.fixture
def own_temporary(tmp_path, monkeypatch) -> Path:
    """The folder tempfile makes temporary folders in, for this test alone."""
    folder = tmp_path / "temporary"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("with_cache", [True, False], ids=["cache", "no-cache"])
def test_the_check_and_its_notes_parse_each_police_file_and_survey_year_once(
        with_cache, tmp_path, monkeypatch, own_temporary):
    # A city's police register in a workbook takes most of a minute to read: the check reads
    # each extract and survey year once, and every note it tries finds them in the cache.
    parsed = spy_on_readers(monkeypatch)
    raw = tree_state(EXAMPLE)
    found = check.check_delivery(EXAMPLE, CONFIG, tmp_path / "cache" if with_cache else None)
    assert found.ok, check.summary(found, EXAMPLE)
    assert set(found.notes) == set(list_partnerships(CONFIG)) and len(found.notes) > 1
    files = [*loaders.police_files(EXAMPLE), *loaders.survey_files(EXAMPLE).values()]
    assert dict(parsed) == {path.name: 1 for path in files}
    assert tree_state(EXAMPLE) == raw                 # nothing written into the raw data
    assert list(own_temporary.iterdir()) == []        # no temporary cache left behind
    if with_cache:
        assert list((tmp_path / "cache").glob("police-*.parquet"))
        assert len(list((tmp_path / "cache").glob("survey-*.parquet"))) == len(
            loaders.survey_files(EXAMPLE))


def test_a_stopped_check_leaves_no_temporary_cache(monkeypatch, own_temporary):
    def stop(*args, **kwargs):
        assert len(list(own_temporary.iterdir())) == 1   # the check's cache, while it runs
        raise KeyboardInterrupt

    monkeypatch.setattr(check, "build_note", stop)
    with pytest.raises(KeyboardInterrupt):
        check.check_delivery(EXAMPLE, CONFIG)
    assert list(own_temporary.iterdir()) == []


def test_a_vendor_delivery_checks_clean_and_every_note_can_be_made(vendor_delivery, tmp_path,
                                                                   capsys):
    config = tmp_path / "config"  # with the vendor delivery's mapping
    shutil.copytree("config", config)
    shutil.copyfile(vendor_delivery / "sources.yaml", config / "sources.yaml")
    code = cli.main(["check", "--data-dir", str(vendor_delivery), "--config-dir", str(config),
                     "--cache-dir", str(tmp_path / "cache")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Tryghedsundersøgelse: " in out and "år 2014-2021" in out
    assert "Politiets anmeldelser: 261.099 rækker, år 2014-2020" in out
    assert "Ingen problemer i leverancen." in out
    assert "- tingbjerg-husum: kan laves" in out
    assert "Anmeldelser uden koordinater (kan ikke placeres i et område): 2014: " in out


def test_problems_of_every_source_are_listed_and_the_notes_refused(vendor_delivery, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(vendor_delivery, data)
    # without the mapping, the vendor's names are not the contract's
    found = check.check_delivery(data, "config")
    assert not found.ok
    assert "kolonne 'aar': forventet at kolonnen findes" in found.problems["befolkning"]
    assert "forventet at kolonnen findes" in found.problems["tryghedsundersøgelse"]
    assert found.rows == {}
    text = check.summary(found, data)
    assert "Problemer (ikke-kortlagte kolonner, ukendte koder m.m.):" in text
    assert "- befolkning:" in text


def test_a_refused_file_leaves_nothing_in_the_cache(vendor_delivery, tmp_path):
    # Without the mapping no survey year or police extract passes its checks: none is stored.
    found = check.check_delivery(vendor_delivery, "config", tmp_path / "cache")
    assert {"tryghedsundersøgelse", "politiets anmeldelser"} <= set(found.problems)
    assert list((tmp_path / "cache").glob("*.parquet")) == []


def test_an_empty_delivery_names_what_each_source_lacks(tmp_path):
    """A folder with no deliveries in it (a wrong --data-dir) is a list of what is missing,
    not a crash (was: ValueError from joining no survey years)."""
    found = check.check_delivery(tmp_path, CONFIG, None)
    assert set(found.problems) == {"geografi", "tryghedsundersøgelse", "politiets anmeldelser",
                                   "befolkning"}
    assert "forventet en eller flere filer tryghedsundersoegelse_ÅÅÅÅ.csv" in (
        found.problems["tryghedsundersøgelse"])
    assert found.latest_year is None and not found.ok


def test_a_note_that_cannot_be_made_is_named_with_its_problem(tmp_path):
    # The summary kept only a message's first line, "1 problem i …/police:", not the problem.
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    path = config / "partnerships" / "tingbjerg-husum.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "crime_baseline_year: 2020", "crime_baseline_year: 2010"), encoding="utf-8")
    text = check.summary(check.check_delivery(EXAMPLE, config, None), EXAMPLE)
    line = next(n for n, t in enumerate(text.splitlines()) if t.startswith("- tingbjerg-husum"))
    assert text.splitlines()[line] == (f"- tingbjerg-husum: kan ikke laves: 1 problem i "
                                       f"{EXAMPLE / 'police'}:")
    assert text.splitlines()[line + 1].startswith(
        f"    - {EXAMPLE / 'police'}, kolonne 'anmeldt_dato': forventet anmeldelser fra "
        "basisåret for kriminalitet 2010")


def test_respondents_whose_sub_area_lies_in_another_district_are_counted(tmp_path):
    # The delivery contradicts itself (bydel Østerbro, delomraade voldparken in Brønshøj-Husum):
    # the notes are made, and the check says how many, as each note's appendix does.
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    survey = data / "survey" / "tryghedsundersoegelse_2021.csv"
    lines = survey.read_text(encoding="utf-8-sig").splitlines()
    assert lines[3].split(";")[2:4] == ["Østerbro", ""]
    lines[3] = ";".join([*lines[3].split(";")[:3], "voldparken", *lines[3].split(";")[4:]])
    survey.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    found = check.check_delivery(data, CONFIG, None)
    assert found.ok and found.outside_district == {2021: 1}
    assert "Svarpersoner med et delområde i en anden bydel end deres egen: 2021: 1" in \
        check.summary(found, data).splitlines()
    assert check.check_delivery(EXAMPLE, CONFIG, None).outside_district == {}
