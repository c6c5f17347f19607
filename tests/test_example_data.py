"""The synthetic example data: reproducible byte for byte, small, and true to the 2021 note."""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import time
import types
import zipfile
from pathlib import Path

import numpy as np
import openpyxl.writer.excel
import pandas as pd
import pytest
import yaml

from tryghedlib import example
from tryghedlib.example import check, design, plan, police

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "data" / "raw" / "example"
MAX_BYTES = 10 * 1024 * 1024


def files(directory: Path) -> dict[str, Path]:
    return {p.relative_to(directory).as_posix(): p for p in sorted(directory.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example")
    example.generate(out)  # checks the targets itself
    return out


def test_regenerating_gives_the_committed_files_byte_for_byte(regenerated):
    committed, fresh = files(COMMITTED), files(regenerated)
    assert sorted(committed) == sorted(fresh), "regenerate: python -m tryghedlib.example"
    differ = []
    for name, path in committed.items():
        old, new = path.read_bytes(), fresh[name].read_bytes()
        if old != new:
            same = name.endswith(".gz") and gzip.decompress(old) == gzip.decompress(new)
            differ.append(f"{name} ({'same content, other compressor' if same else 'content'})")
    assert not differ, "differ from a fresh run: " + ", ".join(differ)


def test_committed_example_is_small():
    size = sum(p.stat().st_size for p in files(COMMITTED).values())
    assert size < MAX_BYTES, f"{size / 1e6:.1f} MB"


def test_committed_example_reproduces_the_published_figures():
    results = example.check_targets(COMMITTED)
    counts = results["police"]["counts"]
    assert counts[(2020, "borgervendt")] == 271 and counts[(2019, "borgervendt")] == 236
    assert results["plan"]["with_two_or_more_partners"] == 13
    for test in results["survey"]["tests"].values():
        assert test["p_unweighted"] > 0.05 and test["p_weighted"] > 0.05


def test_readme_says_synthetic_first():
    first = (COMMITTED / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert "SYNTHETIC" in first


def test_survey_encodings_follow_the_delivery_years():
    for year in design.SURVEY_YEARS:
        data = (COMMITTED / "survey" / f"tryghedsundersoegelse_{year}.csv").read_bytes()
        if year <= 2017:
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            assert "Brønshøj-Husum" in data.decode("cp1252")
        else:
            assert data.startswith(b"\xef\xbb\xbf")
            data.decode("utf-8")
        assert data.count(b"\r\n") == data.count(b"\n")


def a_day_later(monkeypatch) -> None:
    """The clocks a writer may read (``time.time``, openpyxl's ``datetime.now``) a day on, as
    a rerun tomorrow would see them: a written timestamp shows, without waiting a second."""
    later = time.time() + 86_400

    class Tomorrow(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime.fromtimestamp(later, tz)

    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(openpyxl.writer.excel, "datetime", types.SimpleNamespace(
        datetime=Tomorrow, timezone=datetime.timezone))


def test_gzip_is_deterministic(tmp_path, monkeypatch):
    frame = police.generate_police(500, [2020], seed=3)
    first = police.write_police(frame, tmp_path / "a.csv.gz").read_bytes()
    a_day_later(monkeypatch)
    second = police.write_police(frame, tmp_path / "b.csv.gz").read_bytes()
    assert first == second
    assert first[3] & 0x08 == 0, "no file name in the gzip header"
    assert first[4:8] == b"\0\0\0\0", "mtime 0"


def test_xlsx_is_deterministic(monkeypatch):
    lines, status = plan.plans()["tingbjerg-husum"]
    first = plan.workbook_bytes(lines, status, "x")
    a_day_later(monkeypatch)
    assert plan.workbook_bytes(lines, status, "x") == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {plan.FIXED_TIME.timetuple()[:6]}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2021-05-27T12:00:00Z") == 2


def test_scalable_police_generator():
    frame = police.generate_police(3000, [2019, 2020], seed=5)
    again = police.generate_police(3000, [2019, 2020], seed=5)
    pd.testing.assert_frame_equal(frame, again)
    assert len(frame) == 6000
    assert frame.groupby(frame["reported"].dt.year).size().to_dict() == {2019: 3000, 2020: 3000}
    only_2020 = police.generate_police(3000, [2020], seed=5)
    both_2020 = frame[frame["reported"].dt.year == 2020].reset_index(drop=True)
    pd.testing.assert_frame_equal(only_2020, both_2020)  # a year's stream is its own
    text = police.police_csv_bytes(frame).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["journalnummer", "anmeldt_dato", "gerningsdato", "gerningskode",
                       "x_koordinat", "y_koordinat"]
    journal = [r[0] for r in rows[1:]]
    assert len(set(journal)) == len(journal)
    assert all(len(r) == 6 for r in rows[1:])
    assert 0 < sum(r[4] == "" for r in rows[1:]) < 0.02 * len(frame)
    assert set(frame["code"]) <= set(police.CODES)


def test_generator_catalogue_mirrors_config():
    config = pd.read_csv(ROOT / "config" / "offence_codes.csv", sep=";", dtype=str,
                         keep_default_na=False)
    mirrored = {int(r.gerningskode): (r.borgervendt == "ja", r.tabel1_gruppe, r.tabel2_gruppe)
                for r in config.itertuples()}
    assert mirrored == {c: v[:3] for c, v in police.CODES.items()}


@pytest.mark.parametrize("pid", sorted(design.PARTNERSHIPS))
def test_generator_partnerships_mirror_config(pid):
    config = yaml.safe_load((ROOT / "config" / "partnerships" / f"{pid}.yaml")
                            .read_text(encoding="utf-8"))
    district, periods = design.PARTNERSHIPS[pid]
    assert config["district"] == district
    assert [(p["first_year"], p["last_year"], tuple(p["subareas"]))
            for p in config["periods"]] == periods
    if pid != design.PARTNERSHIP:
        assert "syntetisk" in config["name"].lower()


def test_generator_targets_mirror_published_figures():
    published = yaml.safe_load((ROOT / "tests" / "published_figures_2021.yaml").read_text(
        encoding="utf-8"))
    names = {"neighbourhood": "neighbourhood", "evening": "evening_night"}
    for (question, kind, year), share in design.SURVEY_TARGETS.items():
        assert published["tryghed"][names[question]][kind][year] == share
    crime = published["crime"]
    assert design.CRIME_TARGETS[(2020, "borgervendt")] == crime["citizen_facing"]["count"][2020]
    assert design.RATE_TARGETS[("partnership", 2019)] == crime["citizen_facing"]["per_1000"][2019]
    assert design.RATE_TARGETS[("partnership", 2020)] == crime["citizen_facing"]["per_1000"][2020]
    assert design.RATE_TARGETS[("city", 2020)] == crime["citizen_facing"]["city_per_1000"][2020]
    groups = {"burglary": "indbrud", "theft_robbery": "tyveri_roeveri",
              "violence_weapons": "vold_vaaben"}
    for key, group in groups.items():
        assert design.CRIME_TARGETS[(2020, group)] == crime["table_1_targets"][key]
    groups = {"harassment": "chikane", "vandalism": "haervaerk", "drugs": "narkotika",
              "threats": "trusler"}
    for key, group in groups.items():
        assert design.CRIME_TARGETS[(2020, group)] == crime["table_2_monitoring"][key]
    assert design.BUDGET_TARGETS == published["safety_plan_budget"]["total_by_year"]
    assert design.PLAN_TARGETS["with_two_or_more_partners"] == \
        published["cooperation"]["with_two_or_more_partners"]


def test_check_catches_a_missed_target(tmp_path, regenerated):
    for name, path in files(regenerated).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(path.read_bytes())
    population = tmp_path / "population" / "befolkning.csv"
    text = population.read_text(encoding="utf-8")
    population.write_text(text.replace("2020;tingbjerg-utterslevhuse;6420",
                                       "2020;tingbjerg-utterslevhuse;6620"), encoding="utf-8")
    with pytest.raises(check.TargetsMissed, match="rate partnership 2020"):
        example.check_targets(tmp_path)


def test_z_test_matches_prop_test_without_correction():
    # R: prop.test(c(48, 66), c(300, 300), correct = FALSE)$statistic == 3.5088...
    assert check.z_test(48, 300, 66, 300) ** 2 == pytest.approx(3.508772, rel=1e-6)
    assert np.isclose(check.round_half_up(16.5), 17) and check.round_half_up(20.35, 1) == 20.4
