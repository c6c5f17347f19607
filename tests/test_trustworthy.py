"""Trustworthy with real deliveries: disclosure, personal data, provenance, determinism.

- Disclosure: a share based on fewer than ``disclosure.min_respondents`` respondents is never
  printed (text and figure say it is not shown); a count below ``disclosure.min_count`` is "<N"
  in tabel 1 and 2 and "færre end N" in the prose.
- Personal data: one full report on the example; its executed notebook and PDF hold no
  respondent id, journal number or coordinate of the inputs, and no table of respondent rows.
- Provenance: the run log and the report's appendix name the parameters, the library version and
  the SHA-256 of every input file.
- Determinism: two builds from scratch give byte-identical processed tables and identical
  report sections (numbers, text and figures).
- Concurrency: two processes building different partnerships into one cache at the same time
  both succeed, and the cache reads back intact.
- A refused delivery leaves even a cold cache untouched.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from bad_inputs.mutations import replace_text, set_field, set_fields
from tryghedlib import __version__
from tryghedlib.sources import loaders
from tryghedlib.note import model, sections
from tryghedlib.errors import DataError
from tryghedlib.sources.hashes import sha256_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example"
CONFIG = ROOT / "config"
NOTEBOOK = ROOT / "notebooks" / "status_note.ipynb"
PARTNERSHIP_AREAS = {"tingbjerg-utterslevhuse", "voldparken", "gadelandet", "skolevangen-1",
                     "skolevangen-2"}


def _copy(tmp: Path) -> tuple[Path, Path]:
    shutil.copytree(EXAMPLE, tmp / "data")
    shutil.copytree(CONFIG, tmp / "config")
    return tmp / "data", tmp / "config"


@pytest.fixture(scope="module")
def cache(example_report):
    """A cache holding the example's tables (the shared report's, conftest), shared by the
    tests that change little."""
    return example_report.cache


# --- disclosure -----------------------------------------------------------------------------

def _percent_texts(html: str) -> set[str]:
    text = re.sub(r"<img[^>]*>", "", html)
    return set(re.findall(r"\d+\xa0%", text))


def test_a_share_from_too_few_respondents_is_never_printed(tmp_path, cache):
    data, config = _copy(tmp_path)
    kept = []

    def moved_out(row):  # all but 20 of the partnership's 2021 respondents live elsewhere
        if row["delomraade"] in PARTNERSHIP_AREAS:
            kept.append(row)
            return len(kept) > 20
        return False

    set_fields("delomraade", "", moved_out)(data / "survey" / "tryghedsundersoegelse_2021.csv")
    note = model.build_note("tingbjerg-husum", 2021, data_dir=data, config_dir=config,
                            cache_dir=cache)
    html = sections.safety(note)
    for question, result in note.safety.items():
        assert result.respondents("partnership", 2021) < note.settings.min_respondents
        assert not result.is_shown("partnership", 2021)
        hidden = sections.wording.fmt_percent(result.current).replace(" ", "\xa0")
        shown = {sections.wording.fmt_percent(v).replace(" ", "\xa0")
                 for v in (result.district, result.city)}
        assert hidden not in shown, "choose data where the hidden share differs"
        assert hidden not in _percent_texts(html), question
        # The figure's alt text does not give it either.
        alt = sections.figures.alt_text_shares(result.shares, question)
        assert "vises ikke, fordi der er for få svar" in alt
    assert html.count("i partnerskabsområdet i 2021 vises ikke, da den bygger på færre end 30 "
                      "svar. Udviklingen og sammenligningen med bydelen og hele byen beskrives "
                      "derfor ikke") == 2                                          # text
    assert html.count("Andelen for Tingbjerg-Husum Partnerskab i 2021 vises ikke, da den "
                      "bygger på færre end 30 svar.</p>") == 2                     # footnotes
    assert "I 2021 er" not in html and "Undersøgelsen indikerer" not in html


def test_small_counts_are_shown_as_less_than_in_tables_and_text(tmp_path, cache):
    data, config = _copy(tmp_path)
    replace_text("min_count: 5", "min_count: 30")(config / "settings.yaml")
    note = model.build_note("tingbjerg-husum", 2021, data_dir=data, config_dir=config,
                            cache_dir=cache)
    c = note.crime
    assert c.count("indbrud") == 23 and c.count("trusler") == 23   # below 30: suppressed
    html = sections.crime(note)
    text = re.sub(r"<[^>]+>", " ", html)
    assert "færre end 30 anmeldelser af indbrud" in text
    assert "51 anmeldelser af tyveri/røveri" in text
    assert "&lt;30 anmeldelser" in html                        # tabel 1 and tabel 2
    assert not re.search(r"\b23 anmeldelse", text)             # the exact count nowhere
    tabel_2 = html[html.index("Tabel 2"):]
    assert "&lt;30" in tabel_2 and ">23<" not in tabel_2


# --- one full report: personal data and provenance ------------------------------------------

@pytest.fixture(scope="module")
def full_report(example_report):
    return example_report.folder  # made once per test run (conftest)


def _published_text(folder: Path) -> tuple[str, str]:
    """(every output of the executed notebook, images cut away; the PDF's text)."""
    nb = nbformat.read(folder / "status_note_2021.ipynb", as_version=4)
    outputs = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            outputs.append(output.get("text", ""))
            for kind, value in output.get("data", {}).items():
                if not kind.startswith("image/"):
                    outputs.append(value if isinstance(value, str) else json.dumps(value))
            outputs.append(output.get("evalue", ""))
    text = re.sub(r'src="data:[^"]*"', 'src=""', "\n".join(outputs))
    pdf = subprocess.run(["pdftotext", "-layout", str(folder / "status_note_2021.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    return text, pdf


def test_the_report_holds_aggregates_only(full_report):
    """No respondent id, journal number or coordinate of the inputs is in the notebook or PDF.

    Respondent ids are short numbers ("100146") that could occur by chance inside other
    numbers, so the check looks at whole tokens of the printed text (outputs, not the
    notebook's timing metadata, and not the images' base64 data): six-digit tokens for ids,
    the journal-number pattern, and coordinates as the data write them ("722889,9") or with a
    decimal point. And no printed table has respondent- or report-level rows.
    """
    def read(path):
        return pd.read_csv(path, sep=";", dtype=str, engine="pyarrow", encoding="cp1252"
                           if path.name <= "tryghedsundersoegelse_2017.csv" else "utf-8-sig")

    ids = set(pd.concat([read(p)["respondent_id"] for p in
                         sorted((EXAMPLE / "survey").glob("tryghedsundersoegelse_*.csv"))]))
    police = read(EXAMPLE / "police" / "anmeldelser_2014-2020.csv.gz")
    journals = set(police["journalnummer"])
    coordinates = {v.replace(",", ".") for v in pd.concat(
        [police["x_koordinat"], police["y_koordinat"]]).dropna()}
    assert len(ids) > 40_000 and len(journals) == 261_099 and "722889.9" in coordinates
    for where, text in zip(("notebook", "PDF"), _published_text(full_report)):
        tokens = set(re.findall(r"(?<![\w.,])\d{6}(?![\w]|[.,]\d)", text))
        assert not tokens & ids, f"respondent ids in the {where}: {sorted(tokens & ids)[:5]}"
        found = set(re.findall(r"\d{4}-\d{5}-\d{5}-\d{2}", text))
        assert not found & journals, f"journal numbers in the {where}"
        numbers = {n.replace(",", ".") for n in re.findall(r"\d{6,7}[.,]\d", text)}
        assert not numbers & coordinates, f"coordinates in the {where}"
        assert "100146" not in text and "0100-10101-00001-14" not in text  # first of each
    html, _ = _published_text(full_report)
    rows_per_table = [t.count("<tr") for t in re.findall(r"<table.*?</table>", html, re.S)]
    assert rows_per_table and max(rows_per_table) < 40


def test_run_log_and_appendix_name_parameters_version_and_input_hashes(full_report):
    log = json.loads((full_report / "run_log.json").read_text(encoding="utf-8"))
    assert log["parameters"]["partnership"] == "tingbjerg-husum"
    assert log["parameters"]["data_dir"] == str(EXAMPLE)
    assert log["library_version"] == __version__
    police = EXAMPLE / "police" / "anmeldelser_2014-2020.csv.gz"
    assert log["inputs"]["data/police/anmeldelser_2014-2020.csv.gz"] == sha256_file(police)
    assert log["inputs"]["config/settings.yaml"] == sha256_file(CONFIG / "settings.yaml")
    assert "Tjekker data" in log["steps"]      # the inputs were checked before the notebook
    html, pdf = _published_text(full_report)
    appendix = html[html.index("Bilag: Datagrundlag og metode"):]
    used = ["survey/tryghedsundersoegelse_2021.csv", "survey/tryghedsundersoegelse_2014.csv",
            "police/anmeldelser_2014-2020.csv.gz", "population/befolkning.csv",
            "geography/omraader.geojson", "plan/tryghedsplan_tingbjerg-husum_2021.xlsx",
            "survey/publicerede_andele.csv"]
    for name in used:
        assert name in appendix and sha256_file(EXAMPLE / name) in appendix, name
        assert log["inputs"][f"data/{name}"] == sha256_file(EXAMPLE / name)
    assert sha256_file(CONFIG / "offence_codes.csv") in appendix
    assert f"tryghedlib version {__version__}" in appendix
    assert "Parametre for kørslen" in appendix and "tingbjerg-husum" in appendix
    assert "Rapportår" in appendix and "Signifikansniveau" in appendix
    assert "158 anmeldelser fra 2020 har ingen koordinater" in pdf.replace("\n", " ")


# --- determinism and concurrency ------------------------------------------------------------

def _tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.parquet"))}


def test_two_builds_give_identical_tables_and_sections(tmp_path, cache):
    """A build from scratch equals the module's first build from scratch (also read back from
    its cache): byte-identical parquet files, the same sections with the same figures."""
    fresh = model.build_note("tingbjerg-husum", 2021, data_dir=EXAMPLE, config_dir=CONFIG,
                             cache_dir=tmp_path)
    tables = _tables(tmp_path)
    assert len(tables) == 12           # 8 survey years, the extract, the plan's three tables
    assert tables == {name: (cache / name).read_bytes() for name in tables}
    again = model.build_note("tingbjerg-husum", 2021, data_dir=EXAMPLE, config_dir=CONFIG,
                             cache_dir=cache)
    for part in (sections.safety, sections.crime, sections.cooperation):
        assert part(fresh) == part(again)                 # numbers, text and figures (SVG)
    assert fresh.inputs == again.inputs


def test_two_reports_at_once_do_not_corrupt_the_shared_cache(tmp_path):
    """Two processes (as ``tryghed batch`` runs them) build different partnerships' notes into
    one empty cache at once: both need, build and write the same tables at about the same time
    (each builds for about as long as it takes to start, so their writes overlap)."""
    shared = tmp_path / "processed"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=model.build_note, args=(p, 2021), kwargs={
        "data_dir": str(EXAMPLE), "config_dir": str(CONFIG), "cache_dir": str(shared)})
        for p in ("norrebro", "nordvest")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    assert len(list(shared.glob("*.parquet"))) == 9 + 2 * 3   # and each plan's three tables
    assert list(shared.glob("*.tmp")) == []       # no half-written table left
    rows = {}
    for path in shared.glob("*.parquet"):         # every table reads back whole
        if path.name.startswith("plan-"):
            continue
        rows[path.name.split("-")[0]] = rows.get(path.name.split("-")[0], 0) + len(
            pd.read_parquet(path))
    survey_rows = sum(len(loaders.read_text_table(p))
                      for p in sorted((EXAMPLE / "survey").glob("tryghedsundersoegelse_*")))
    assert rows == {"survey": survey_rows, "police": 261099}


def test_a_refused_delivery_leaves_a_cold_cache_empty(tmp_path):
    data, config = _copy(tmp_path)
    set_field(24, "indbyggere", "0")(data / "population" / "befolkning.csv")
    cold = tmp_path / "processed"
    with pytest.raises(DataError, match="række 24, kolonne 'indbyggere'"):
        model.build_note("tingbjerg-husum", 2021, data_dir=data, config_dir=config,
                         cache_dir=cold)
    # The survey's tables were built before the population was refused, and not written.
    assert list(cold.glob("*.parquet")) == [] and list(cold.glob("*.tmp")) == []


def test_the_run_prechecks_with_the_notes_own_model_and_the_notebook_names_no_hooks(
        monkeypatch):
    from tryghedlib.run import checks

    called = []
    monkeypatch.setattr(model, "build_note_for", called.append)
    checks.status_note_precheck({"partnership": "amager"})
    assert called == [{"partnership": "amager"}]
    for notebook in (NOTEBOOK, ROOT / "tests" / "fixtures" / "notebooks" / "mini_note.ipynb"):
        assert "tryghed" not in json.loads(notebook.read_text(encoding="utf-8"))["metadata"]
