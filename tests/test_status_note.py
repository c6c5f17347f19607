"""End-to-end tests of the status note: ``tryghed report`` with the real notebook.

Four reports are made once per module, in parallel, each in a fresh kernel:

- the 2021 note of Tingbjerg-Husum on the example data (in this process, through
  ``tryghedlib.run.cli.main``), which must show every figure of ``published_figures_2021.yaml``;
- the same note on an *altered copy* of the example data (reports dropped, survey answers
  flipped, partners removed), which must show what the library computes from that copy, so no
  number in the report can be typed in;
- the 2020 note (no plan workbook for 2020) and Nørrebro's 2021 note, the paths an analyst
  takes "without touching code" (these run as ``python -m tryghedlib report``, the same command).

Expected strings are made with :mod:`tryghedlib.note.wording` from the YAML or from the model, never
typed in. PDF text is compared after normalising whitespace (the note prints a no-break space
before "%", and the extraction breaks lines), and sentences also after removing line breaks
and hyphens, since WeasyPrint may hyphenate a word at the end of a line.
"""

from __future__ import annotations

import ast
import contextlib
import gzip
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import nbformat
import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from tryghedlib import config
from tryghedlib.analysis import geography
from tryghedlib.sources import loaders, manifest
from tryghedlib.note import model, numbers, sections, wording
from tryghedlib.note.wording import fmt_decimal, fmt_int, fmt_percent

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example"
CONFIG = ROOT / "config"
NOTEBOOK = ROOT / "notebooks" / "status_note.ipynb"
PUBLISHED = yaml.safe_load((ROOT / "tests" / "published_figures_2021.yaml").read_text("utf-8"))
PARTNERSHIP = PUBLISHED["area"]
YEAR = PUBLISHED["report_year"]
CRIME_YEAR = PUBLISHED["crime_year"]

QUESTIONS = {"neighbourhood": "neighbourhood", "evening_night": "evening"}
TABLE_GROUPS = {"burglary": "indbrud", "theft_robbery": "tyveri_roeveri",
                "violence_weapons": "vold_vaaben", "harassment": "chikane",
                "vandalism": "haervaerk", "drugs": "narkotika", "threats": "trusler"}

# How the altered copy differs from the example data.
DROPPED_REPORTS = 30      # borgervendt reports of CRIME_YEAR on today's partnership area
FLIPPED_ANSWERS = 20      # per question: YEAR's partnership answers "Tryg" -> "Utryg"
RUN_TIMEOUT = 240         # seconds for one report


# --- PDF text --------------------------------------------------------------------------------

def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                                capture_output=True, check=True)
        return result.stdout.decode("utf-8")
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def normal(text: str) -> str:
    """Runs of whitespace (line breaks, the no-break space before "%") as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def squash(text: str) -> str:
    """No whitespace and no hyphens: survives line breaks and hyphenation anywhere."""
    return re.sub(r"[\s\u00ad-]+", "", text)


def shows_figure(text: str, figure: str) -> bool:
    """``figure`` ("16 %", "271", "23 anmeldelser") as a whole number, not inside another one
    or inside a SHA-256 in the appendix."""
    pattern = rf"(?<![\w.,]){re.escape(normal(figure))}(?![\w]|[.,]\d)"
    return re.search(pattern, normal(text)) is not None


def shows_sentence(text: str, sentence: str) -> bool:
    return normal(sentence) in normal(text) or squash(sentence) in squash(text)


def count_sentence(text: str, sentence: str) -> int:
    return squash(text).count(squash(sentence))


def library_paragraphs(note: model.StatusNote) -> list[str]:
    """The running text the library writes for the note: every paragraph, source line and aim
    of the header and sections 1-3 (tables excluded: their cells wrap and split over pages)."""
    markup = "\n".join([sections.header(note), sections.safety(note), sections.crime(note),
                        sections.cooperation(note)])
    found = re.findall(r"(?m)^<p(?: class=\"kilde\")?>(.*?)</p>", markup)
    aims = re.search(r"<ol>(.*)</ol>", sections.header(note)).group(1)   # lists and paragraphs
    found += [item for item in re.split(r"</?(?:li|ul|p)>", aims) if item.strip()]
    return [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in found]


# --- The runs --------------------------------------------------------------------------------

@dataclass
class Run:
    name: str
    partnership: str
    year: int
    data_dir: Path
    cache_dir: Path
    out_dir: Path
    process: subprocess.Popen | None = None
    stderr: str = ""
    _text: str | None = None
    _note: model.StatusNote | None = None

    @property
    def folder(self) -> Path:
        return self.out_dir / str(self.year) / self.partnership

    @property
    def pdf(self) -> Path:
        return self.folder / f"status_note_{self.year}.pdf"

    @property
    def notebook(self) -> Path:
        return self.folder / f"status_note_{self.year}.ipynb"

    def arguments(self) -> list[str]:
        return ["report", "--partnership", self.partnership, "--year", str(self.year),
                "--data-dir", str(self.data_dir), "--config-dir", str(CONFIG),
                "--cache-dir", str(self.cache_dir), "--out", str(self.out_dir),
                "--notebook", str(NOTEBOOK)]

    def start(self) -> None:
        """``python -m tryghedlib report ...`` in the background (its own process group)."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tryghedlib", *self.arguments()], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def wait(self) -> Run:
        """Wait for the background run; fail the test with its message if it failed."""
        if self.process is not None:
            try:
                _, self.stderr = self.process.communicate(timeout=RUN_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.stop()
                pytest.fail(f"tryghed report for {self.name} took over {RUN_TIMEOUT} s")
            code, self.process = self.process.returncode, None
            assert code == 0, f"tryghed report for {self.name} failed:\n{self.stderr}"
        assert self.pdf.is_file(), f"{self.name}: no PDF at {self.pdf}\n{self.stderr}"
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # the run and its kernel
            self.process.wait()

    def note(self, *, cache: bool = True) -> model.StatusNote:
        """What the library computes for this run's partnership, year and data (once)."""
        if self._note is None:
            self._note = model.build_note(
                self.partnership, self.year, data_dir=self.data_dir, config_dir=CONFIG,
                cache_dir=self.cache_dir if cache else None)
        return self._note

    def text(self) -> str:
        if self._text is None:
            self._text = pdf_text(self.wait().pdf)
        return self._text


def make_altered_copy(target: Path) -> dict:
    """Copy the example data to ``target`` and change it; return what was changed."""
    shutil.copytree(EXAMPLE, target)
    partnership = config.load_partnership(PARTNERSHIP, CONFIG)
    today = set(partnership.subareas(YEAR))

    # Police: drop borgervendt reports made in CRIME_YEAR on today's partnership area.
    codes = loaders.load_offence_codes(CONFIG / "offence_codes.csv")
    citizen = set(codes.loc[codes["citizen_facing"], "code"])
    areas = loaders.load_geography(target)
    (police_file,) = loaders.police_files(target)
    raw = pd.read_csv(police_file, sep=";", dtype=str, keep_default_na=False)

    def coordinate(column):
        return pd.to_numeric(raw[column].str.replace(",", "."), errors="coerce").to_numpy()

    where = geography.assign_points(coordinate("x_koordinat"), coordinate("y_koordinat"),
                                    areas[areas["level"] == "subarea"])
    chosen = (raw["anmeldt_dato"].str.endswith(str(CRIME_YEAR)).to_numpy()
              & np.isin(where, list(today))
              & raw["gerningskode"].astype(int).isin(citizen).to_numpy())
    dropped = set(raw.loc[chosen, "journalnummer"].sort_values().iloc[:DROPPED_REPORTS])
    assert len(dropped) == DROPPED_REPORTS
    lines = gzip.decompress(police_file.read_bytes()).decode("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if line.split(";", 1)[0] not in dropped]
    assert len(lines) - len(kept) == DROPPED_REPORTS
    police_file.write_bytes(gzip.compress("".join(kept).encode("utf-8"), mtime=0))

    # Survey: some of the partnership's "Tryg" answers become "Utryg", for both questions.
    survey_file = loaders.survey_files(target)[YEAR]
    data = survey_file.read_bytes()
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    lines = data.decode("utf-8-sig").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(";")
    subarea = header.index("delomraade")
    flipped = {header.index("tryghed_nabolag"): 0, header.index("tryghed_aften"): 0}
    for number, line in enumerate(lines[1:], start=1):
        body = line.rstrip("\r\n")
        fields = body.split(";")
        if fields[subarea] not in today:
            continue
        for column in flipped:
            if fields[column] == "Tryg" and flipped[column] < FLIPPED_ANSWERS:
                fields[column] = "Utryg"
                flipped[column] += 1
        lines[number] = ";".join(fields) + line[len(body):]
    assert list(flipped.values()) == [FLIPPED_ANSWERS] * 2
    survey_file.write_bytes((bom + "".join(lines)).encode("utf-8"))

    # Manifest: none, as a real delivery has none (the note is then not marked synthetic).
    manifest.manifest_path(target).unlink()

    # Plan: the first activity with several partners keeps only its first partner.
    plan_file = loaders.plan_path(target, PARTNERSHIP, YEAR)
    workbook = openpyxl.load_workbook(plan_file)
    sheet = workbook[loaders.PLAN_SHEET]
    names = [cell.value for cell in sheet[1]]
    kind, partners = names.index("Type"), names.index("Samarbejdspartnere")
    row = next(r for r in sheet.iter_rows(min_row=2)
               if r[kind].value == "Aktivitet" and ";" in str(r[partners].value or ""))
    row[partners].value = str(row[partners].value).split(";")[0].strip()
    workbook.save(plan_file)
    return {"dropped": dropped, "flipped": flipped}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """All four runs; the three in other processes run in parallel with the rest.

    The runs on the example data share one cache folder, as a batch does, warmed by computing
    the example note here first; the altered copy has its own.
    """
    root = tmp_path_factory.mktemp("status_note")
    altered_data = root / "altered_data"
    shared_cache = root / "cache_example"

    def run(name, partnership, year, data_dir, cache_dir):
        return Run(name, partnership, year, data_dir, cache_dir, root / f"out_{name}")

    made = {
        "example": run("example", PARTNERSHIP, YEAR, EXAMPLE, shared_cache),
        "altered": run("altered", PARTNERSHIP, YEAR, altered_data, root / "cache_altered"),
        "other_year": run("other_year", PARTNERSHIP, YEAR - 1, EXAMPLE, shared_cache),
        "other_partnership": run("other_partnership", "norrebro", YEAR, EXAMPLE, shared_cache),
    }
    try:
        changes = make_altered_copy(altered_data)
        made["altered"].start()
        made["example"].note()  # fills the shared cache
        made["other_year"].start()
        made["other_partnership"].start()
        yield made, changes
    finally:
        for each in made.values():
            each.stop()


@pytest.fixture(scope="module")
def example(runs, example_report):
    """The 2021 note on the example data, made in this process by ``tryghed report`` (once per
    test run: conftest)."""
    run = replace(runs[0]["example"], out_dir=example_report.out,
                              stderr=example_report.stderr)
    assert example_report.stdout.strip() == f"PDF: {run.pdf}"
    return run.wait()


@pytest.fixture(scope="module")
def altered(runs):
    """The note on the altered copy, and what the library computes from that copy."""
    run, changes = runs[0]["altered"], runs[1]
    expected = run.note(cache=False)  # computed while the report runs, without its cache
    return run.wait(), expected, changes


@pytest.fixture(scope="module")
def example_text(example):
    return example.text()


@pytest.fixture(scope="module")
def altered_text(altered):
    return altered[0].text()


# --- The notebook's parameters -----------------------------------------------------------------

def parameters_cell(nb: dict) -> str:
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "the notebook needs exactly one cell tagged 'parameters'"
    assert cells[0]["cell_type"] == "code"
    return "".join(cells[0]["source"])


def test_parameters_cell_holds_annotated_literals_only():
    source = parameters_cell(json.loads(NOTEBOOK.read_text("utf-8")))
    statements = ast.parse(source).body
    assert statements
    for statement in statements:
        line = ast.get_source_segment(source, statement)
        assert isinstance(statement, ast.AnnAssign), f"not `name: type = literal`: {line}"
        assert isinstance(statement.target, ast.Name) and statement.value is not None, line
        value = ast.literal_eval(statement.value)  # raises on anything but a literal
        assert isinstance(statement.annotation, ast.Name), line
        kind = {"str": str, "int": int, "float": float, "bool": bool}[statement.annotation.id]
        assert type(value) is kind, f"{line}: the literal is not a {kind.__name__}"


def test_papermill_lists_every_parameter_with_type_and_comment():
    import papermill

    source = parameters_cell(json.loads(NOTEBOOK.read_text("utf-8")))
    declared = {s.target.id: s.annotation.id for s in ast.parse(source).body}
    listed = papermill.inspect_notebook(str(NOTEBOOK))
    assert list(listed) == list(declared)
    for name, info in listed.items():
        assert info["inferred_type_name"] == declared[name], name
        assert info["help"].strip(), f"parameter {name} has no comment"
    # Every parameter `tryghed report` passes is declared, so none is injected unannounced.
    assert {"partnership", "report_year", "data_dir", "config_dir", "cache_dir"} <= set(listed)


# --- The 2021 note on the example data ----------------------------------------------------------

def test_example_report_is_the_executed_notebook_of_a_fresh_kernel(example):
    assert sorted(p.name for p in example.folder.iterdir()) == [
        "run_log.json", example.notebook.name, example.pdf.name]
    nb = nbformat.read(example.notebook, as_version=4)
    parameters = nb.metadata.papermill.parameters
    assert (parameters["partnership"], parameters["report_year"]) == (PARTNERSHIP, YEAR)
    assert parameters["data_dir"] == str(EXAMPLE)
    code = [c for c in nb.cells if c.cell_type == "code"]
    # A fresh kernel counts from 1: the injected parameters and every cell ran, in order.
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]


def published_figures() -> list[str]:
    """Every figure of the YAML as the note prints it."""
    figures = []
    for key in QUESTIONS:
        for area in ("partnership", "district", "city"):
            figures += [fmt_percent(v / 100) for v in PUBLISHED["tryghed"][key][area].values()]
    crime = PUBLISHED["crime"]["citizen_facing"]
    figures += [fmt_int(v) for v in crime["count"].values()]
    figures += [fmt_decimal(v, 1) for v in [*crime["per_1000"].values(),
                                            *crime["city_per_1000"].values()]]
    for table in ("table_1_targets", "table_2_monitoring"):
        figures += [f"{fmt_int(v)} anmeldelser" for v in PUBLISHED["crime"][table].values()]
    cooperation = PUBLISHED["cooperation"]
    figures += [f"{cooperation['with_two_or_more_partners']} ud af {cooperation['activities']}",
                fmt_percent(cooperation["share_percent"] / 100),
                fmt_percent(cooperation["target_percent"] / 100)]
    figures += [fmt_int(v) for v in PUBLISHED["safety_plan_budget"]["total_by_year"].values()]
    return list(dict.fromkeys(figures))


def test_published_figures_are_the_ones_the_issue_lists():
    # Guards the derivation above: a typo in it would silently test less.
    assert published_figures() == [
        "22 %", "16 %", "9 %", "35 %", "28 %", "25 %", "26 %", "271", "20,4", "23,3", "37,9",
        "23 anmeldelser", "51 anmeldelser", "72 anmeldelser", "65 anmeldelser",
        "45 anmeldelser", "84 anmeldelser", "217 anmeldelser", "13 ud af 16", "81 %", "75 %",
        "1.934.000", "1.269.000", "1.094.000"]


def test_example_pdf_shows_every_published_figure(example_text):
    missing = [f for f in published_figures() if not shows_figure(example_text, f)]
    assert missing == []


def test_example_pdf_states_the_published_verdicts(example_text):
    for key in QUESTIONS:
        verdicts = PUBLISHED["tryghed"][key]["significant"]
        assert not any(verdicts.values()), "update this test for a significant change"
    closing = wording.not_significant_sentence(2).rstrip(".")
    assert closing == "Disse udviklinger er dog ikke signifikante"
    assert count_sentence(example_text, closing) == len(QUESTIONS)

    cooperation = PUBLISHED["cooperation"]
    paragraph = wording.cooperation_paragraph(
        YEAR, cooperation["with_two_or_more_partners"], cooperation["activities"],
        target_share=cooperation["target_percent"] / 100)
    assert shows_sentence(example_text, paragraph)
    verdict = "Dermed opfyldes målet om" if cooperation["target_met"] else \
        "Dermed opfyldes målet ikke"
    assert shows_sentence(example_text, verdict)


# --- The note on altered data --------------------------------------------------------------------

def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]


def test_a_note_from_synthetic_data_says_so_on_every_page_and_in_its_metadata(example):
    from pypdf import PdfReader

    pages = pdf_pages(example.pdf)
    assert len(pages) > 3
    assert [p for p in pages if wording.SYNTHETIC_MARKER not in normal(p)] == []
    info = PdfReader(example.pdf).metadata
    assert wording.SYNTHETIC_MARKER in info.title and wording.SYNTHETIC_MARKER in info.subject
    assert info["/Keywords"] == wording.SYNTHETIC_MARKER


def test_a_copy_without_the_manifest_is_not_marked(altered):
    from pypdf import PdfReader

    run, note, _ = altered
    assert not note.synthetic and not manifest.manifest_path(run.data_dir).exists()
    assert [p for p in pdf_pages(run.pdf) if "SYNTETISKE DATA" in p] == []
    info = PdfReader(run.pdf).metadata
    assert "SYNTETISKE" not in f"{info.title} {info.subject} {info.get('/Keywords', '')}"


def test_diff_lists_every_figure_the_corrected_delivery_changed(example, altered, capsys):
    from tryghedlib.run import cli

    run, note, _ = altered
    assert cli.main(["diff", str(example.folder), str(run.folder), "--json"]) == 0
    changed = {c["figure"]: (c["a"], c["b"])
               for c in json.loads(capsys.readouterr().out)["changes"]}
    count = PUBLISHED["crime"]["citizen_facing"]["count"][CRIME_YEAR]
    assert changed[f"Anmeldelser, borgervendt, {CRIME_YEAR}"] == \
        (fmt_int(count), fmt_int(count - DROPPED_REPORTS))
    coop = PUBLISHED["cooperation"]["with_two_or_more_partners"]
    assert changed["Aktiviteter med mindst 2 partnere"] == (str(coop), str(coop - 1))
    for key, question in QUESTIONS.items():
        name = f"Andel {numbers.QUESTIONS[question]}, partnerskab, {YEAR}"
        assert changed[name] == (f"{PUBLISHED['tryghed'][key]['partnership'][YEAR]} %",
                                 fmt_percent(note.safety[question].current))
    # Only this year's answers and last year's reports were changed: earlier years are equal.
    assert not [name for name in changed if name.endswith(str(YEAR - 2))]


def test_altered_data_changes_what_the_library_computes(altered):
    _, note, changes = altered
    crime = PUBLISHED["crime"]["citizen_facing"]
    assert note.crime.count("borgervendt") == crime["count"][CRIME_YEAR] - DROPPED_REPORTS
    assert note.cooperation.with_partners == \
        PUBLISHED["cooperation"]["with_two_or_more_partners"] - 1
    for key, question in QUESTIONS.items():
        published = PUBLISHED["tryghed"][key]["partnership"][YEAR]
        assert wording.printed_percent(note.safety[question].current) > published


def test_altered_report_shows_the_new_figures(altered, altered_text):
    _, note, _ = altered
    crime, coop = note.crime, note.cooperation
    expected = [
        f"anmeldt {fmt_int(crime.count('borgervendt'))} tilfælde",
        f"Det svarer til {fmt_decimal(crime.rate('partnership'), 1)} anmeldelser",
        f"{fmt_decimal(crime.rate('partnership'), 1)} anmeldelser pr. 1000 indbyggere",
        *[f"{fmt_int(crime.count(g))} anmeldelser" for g in TABLE_GROUPS.values()],
        *[f"({fmt_percent(note.safety[q].current)} utrygge)" for q in QUESTIONS.values()],
        f"{coop.with_partners} ud af {coop.activities} aktiviteter",
        f"svarende til {fmt_percent(coop.share)}",
    ]
    missing = [e for e in expected if not shows_figure(altered_text, e)]
    assert missing == []


def test_altered_report_no_longer_shows_the_old_figures(altered, altered_text):
    _, note, _ = altered
    crime = PUBLISHED["crime"]["citizen_facing"]
    cooperation = PUBLISHED["cooperation"]
    old = [f"anmeldt {fmt_int(crime['count'][CRIME_YEAR])} tilfælde",
           f"{cooperation['with_two_or_more_partners']} ud af {cooperation['activities']}"]
    if fmt_decimal(note.crime.rate("partnership"), 1) != fmt_decimal(
            crime["per_1000"][CRIME_YEAR], 1):
        old.append(f"Det svarer til {fmt_decimal(crime['per_1000'][CRIME_YEAR], 1)}")
    for key, question in QUESTIONS.items():
        old.append(f"({fmt_percent(PUBLISHED['tryghed'][key]['partnership'][YEAR] / 100)} "
                   "utrygge)")
    assert [o for o in old if shows_figure(altered_text, o)] == []


# --- Every run: the PDF prints the library's text ---------------------------------------------

@pytest.mark.parametrize("name", ["example", "altered", "other_year", "other_partnership"])
def test_pdf_prints_every_paragraph_the_library_writes(request, runs, name):
    if name == "example":
        run, note = request.getfixturevalue("example"), runs[0]["example"].note()
    elif name == "altered":
        run, note, _ = request.getfixturevalue("altered")
    else:
        run = runs[0][name].wait()
        note = run.note()
    text = run.text()
    paragraphs = library_paragraphs(note)
    assert len(paragraphs) >= 8
    assert [p for p in paragraphs if not shows_sentence(text, p)] == []
    # A percent sign never starts a line: it stays with its number ("75 %"), in the aims too.
    assert re.findall(r"(?m)^[ \t]*%.*$", text) == []


# --- Another year and another partnership ------------------------------------------------------

def test_report_for_another_year_without_a_plan(runs):
    run = runs[0]["other_year"].wait()
    note = run.note()
    text = run.text()
    assert note.crime_year == YEAR - 2 and note.plan is None
    assert shows_sentence(text, f"Der foreligger ingen tryghedsplan for {YEAR - 1} i "
                                "datagrundlaget.")
    assert shows_sentence(text, f"I {YEAR - 2} blev der i partnerskabsområdet anmeldt "
                                f"{fmt_int(note.crime.count('borgervendt'))} tilfælde")
    assert shows_sentence(text, f"I {YEAR - 1} er "
                                f"{fmt_percent(note.safety['neighbourhood'].current)} utrygge")
    # The area did not change in 2020 and 2019 is no baseline: none of 2021's caveats.
    for wrong in ("ny baseline", "udvidet", "udgør baseline", "Nyt partnerskabsområde"):
        assert wrong not in normal(text), wrong
    # The config has no header for 2020: made all the same, with a warning on the way.
    notice = ("Notatets hoved mangler date, case_number, document_number, case_officer: "
              f"angiv dem under 'notes: {YEAR - 1}:'")
    assert notice in run.stderr
    warnings = json.loads((run.folder / "run_log.json").read_text(encoding="utf-8"))["warnings"]
    assert len(warnings) == 1 and warnings[0].startswith(notice)


def test_report_with_its_header_in_the_config_has_no_warnings(example):
    log = json.loads((example.folder / "run_log.json").read_text(encoding="utf-8"))
    assert log["warnings"] == []


def test_report_for_another_partnership(runs):
    run = runs[0]["other_partnership"].wait()
    note = run.note()
    text = normal(run.text())
    assert note.partnership.name in text
    assert "Tingbjerg" not in text
    assert shows_figure(text, f"anmeldt {fmt_int(note.crime.count('borgervendt'))} tilfælde")
    coop = note.cooperation
    assert shows_figure(text, f"{coop.with_partners} ud af {coop.activities} aktiviteter")
    # Nørrebro's area never changed: no "udvidet" caveat, but 2020 is its first baseline.
    assert "udvidet" not in text
    assert shows_sentence(text, f"Tallene for {note.crime_year} udgør baseline")
