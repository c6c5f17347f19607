"""Tests of tryghedlib.run (report, batch, export) with a miniature status-note notebook.

Running a notebook costs a few seconds, so one executed report is shared by the module and the
other runs each cover several properties at once.
"""

import importlib.util
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from pypdf import PdfReader

from tryghedlib.sources.hashes import sha256_file
from tryghedlib.run.batch import run_batch
from tryghedlib.run.export import export_html, export_pdf, missing_alt_text
from tryghedlib.run.report import ReportError, ReportPaths
from tryghedlib.run.report import run_report as run_status_note
from tryghedlib.run import cli
from tryghedlib.run import report as report_module

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
NOTEBOOK = FIXTURES / "mini_note.ipynb"
EPOCH = "1622073600"  # 2021-05-27 00:00 UTC
TITLE = "Status på tryghed og kriminalitet for Tingbjerg-Husum Partnerskab juni 2021"


def run_report(*args, **kwargs):
    """``run_report`` for the mini notebook, which has neither precheck nor notices."""
    return run_status_note(*args, precheck=None, notices=None, **kwargs)


def make_inputs(root: Path) -> tuple[Path, Path]:
    data = root / "data"
    (data / "survey").mkdir(parents=True)
    (data / "survey" / "tryghedsundersoegelse_2021.csv").write_text(
        "aar;bydel\n2021;Brønshøj-Husum\n", encoding="utf-8")
    (data / "befolkning.csv").write_text("aar;n\n2021;11600\n", encoding="utf-8")
    config = root / "config"
    config.mkdir()
    (config / "settings.yaml").write_text("alpha: 0.05\n", encoding="utf-8")
    return data, config


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def leftovers(folder: Path) -> list[str]:
    """Temporary folders a run may have left beside its target."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def children() -> list[str]:
    """This process's child processes, finished but not yet waited for included (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue  # ended meanwhile
        if int(parent) == os.getpid():
            found.append(f"pid {stat.parent.name} in state {state}")
    return found


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return make_inputs(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="module")
def report(tmp_path_factory, inputs):
    """One executed report, shared by the tests that only read it."""
    data, config = inputs
    out = tmp_path_factory.mktemp("reports")
    messages = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        paths = run_report("tingbjerg-husum", 2021, data_dir=data, config_dir=config,
                           out_dir=out, notebook=NOTEBOOK, progress=messages.append,
                           extra_parameters={"baseline_year": 2020}, formats=("pdf", "html"))
    return {"paths": paths, "messages": messages, "out": out, "data": data, "config": config,
            "children": children()}


# --- The shared report -------------------------------------------------------------------------

def test_report_layout(report):
    paths = report["paths"]
    folder = report["out"] / "2021" / "tingbjerg-husum"
    assert paths == ReportPaths.in_folder(folder, 2021)
    assert sorted(p.name for p in folder.iterdir()) == [
        "run_log.json", "status_note_2021.html", "status_note_2021.ipynb", "status_note_2021.pdf"]
    assert leftovers(folder.parent) == []


def test_html_note_beside_the_pdf_is_accessible(report):
    """--format pdf,html: the note for the web, in the note's layout, as accessible as the PDF."""
    html = report["paths"].html.read_text(encoding="utf-8")
    assert '<html lang="da">' in html
    assert f"<title>{TITLE}</title>" in html
    assert "<h2" in html and "<th" in html and "Tabel 1: Antal anmeldelser" in html
    figures = html.count("<img") + html.count("<svg")
    assert figures >= 2 and len(re.findall(r"<img[^>]* alt=\"[^\"]+\"", html)) + len(
        re.findall(r"<svg[^>]*>\s*<title>|<svg[^>]* aria-label=", html)) >= figures
    for unwanted in ("SECRET", "In [", "STDOUT-STØJ", "<script"):
        assert unwanted not in html, unwanted
    log = json.loads(report["paths"].log.read_text(encoding="utf-8"))
    assert log["outputs"]["html_sha256"] == sha256_file(report["paths"].html)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_no_kernel_is_left_running(report, tmp_path, inputs):
    assert report["children"] == []
    data, config = inputs
    with pytest.raises(ReportError):   # a notebook that fails stops its kernel as well
        run_report("fejl-proces", 2021, data_dir=data, config_dir=config, out_dir=tmp_path,
                   notebook=NOTEBOOK)
    assert children() == []


def test_executed_notebook_is_the_record(report):
    nb = nbformat.read(report["paths"].notebook, as_version=4)
    parameters = nb.metadata.papermill.parameters
    assert parameters["partnership"] == "tingbjerg-husum"
    assert parameters["report_year"] == 2021
    assert parameters["data_dir"] == str(report["data"].resolve())
    assert parameters["baseline_year"] == 2020
    # The record names where it lives, not the temporary folder it was written in.
    assert nb.metadata.papermill.output_path == str(report["paths"].notebook)
    assert any(cell.get("outputs") for cell in nb.cells)


def test_pdf_shows_the_note_in_danish(report):
    text = pdf_text(report["paths"].pdf)
    for expected in ("Notat", TITLE.split(" juni")[0].split(" for ")[0],
                     "1. Udviklingen i tryghed", "Særligt i aften- og nattetimerne",
                     "16 %", "Tabel 1: Antal anmeldelser", "Tyveri/røveri", "Vold/våben",
                     "Figur 1: Andel utrygge", "Kilde: Københavns Tryghedsundersøgelse",
                     "Datagrundlag", "befolkning.csv", "Side 1 af",
                     "Københavns Kommune", "Tingbjerg-Husum Partnerskab"):
        assert expected in text, expected


def test_pdf_shows_no_code_prompts_or_noise(report):
    text = pdf_text(report["paths"].pdf)
    for unwanted in ("In [", "In\xa0[", "Out[", "import ", "display(", "plt.", "STDOUT-STØJ",
                     "ADVARSEL-STØJ", "TEKST-RESULTAT", "Fixture for tryghedlib", "¶"):
        assert unwanted not in text, unwanted


def test_long_table_repeats_its_header_on_the_next_page(report):
    pages = [page.extract_text() for page in PdfReader(report["paths"].pdf).pages]
    with_header = [i for i, text in enumerate(pages) if "Finansiering (kr.)" in text]
    assert len(with_header) >= 2
    assert sum(text.count("Sum (kr.)") for text in pages) == 1  # the sum row is printed once


def test_pdf_is_tagged_danish_and_titled(report):
    reader = PdfReader(report["paths"].pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "da"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == TITLE
    assert reader.metadata.author.startswith("Københavns Kommune")
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp


def _struct_elements(node):
    node = node.get_object()
    yield node
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
            yield from _struct_elements(kid)


def test_every_figure_in_the_pdf_has_alt_text(report):
    root = PdfReader(report["paths"].pdf).trailer["/Root"]
    figures = [e for e in _struct_elements(root["/StructTreeRoot"]) if e.get("/S") == "/Figure"]
    assert len(figures) == 2
    assert all(str(figure.get("/Alt", "")).strip() for figure in figures)


def test_pdf_dates_follow_source_date_epoch(report):
    info = PdfReader(report["paths"].pdf).metadata
    assert info["/CreationDate"] == "D:20210527000000Z"


def test_run_log(report):
    paths = report["paths"]
    log = json.loads(paths.log.read_text(encoding="utf-8"))
    assert log["parameters"]["partnership"] == "tingbjerg-husum"
    assert log["parameters"]["report_year"] == 2021
    data = report["data"]
    assert log["inputs"]["data/befolkning.csv"] == sha256_file(data / "befolkning.csv")
    assert set(log["inputs"]) == {"config/settings.yaml", "data/befolkning.csv",
                                  "data/survey/tryghedsundersoegelse_2021.csv"}
    assert log["outputs"]["pdf_sha256"] == sha256_file(paths.pdf)
    assert log["notebook"]["sha256"] == sha256_file(NOTEBOOK)
    assert log["duration_seconds"] > 0
    assert {"Kører notebook", "Eksporterer PDF"} <= set(log["steps"])
    assert log["export_warnings"] == []  # the template's CSS and HTML are clean
    assert log["source_date_epoch"] == EPOCH


def test_progress_names_each_step_and_the_total(report):
    messages = report["messages"]
    assert "Kører notebook ..." in messages
    assert "Eksporterer PDF ..." in messages
    assert messages[-1].startswith("Færdig på ") and messages[-1].endswith(".pdf")


def test_existing_report_is_not_overwritten(report):
    paths = report["paths"]
    before = sha256_file(paths.pdf)
    with pytest.raises(ReportError) as caught:
        run_report("tingbjerg-husum", 2021, data_dir=report["data"],
                   config_dir=report["config"], out_dir=report["out"], notebook=NOTEBOOK)
    message = str(caught.value)
    assert str(paths.folder) in message and "--force" in message
    assert sha256_file(paths.pdf) == before


def test_force_replaces_the_report_with_an_identical_pdf(report, monkeypatch):
    """Same inputs and SOURCE_DATE_EPOCH: the forced rerun gives the same PDF, byte for byte."""
    paths = report["paths"]
    first_pdf = paths.pdf.read_bytes()
    first_log = json.loads(paths.log.read_text(encoding="utf-8"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = run_report("tingbjerg-husum", 2021, data_dir=report["data"],
                       config_dir=report["config"], out_dir=report["out"], notebook=NOTEBOOK,
                       force=True)
    assert again == paths
    assert paths.pdf.read_bytes() == first_pdf
    second_log = json.loads(paths.log.read_text(encoding="utf-8"))
    assert (second_log["started"], second_log["duration_seconds"]) != (
        first_log["started"], first_log["duration_seconds"])
    assert leftovers(paths.folder.parent) == []


# --- Replacing a report, and where reports may go -----------------------------------------------

def tool_made_report(folder: Path) -> None:
    """A report folder as this tool leaves it: the PDF and the run log listing it."""
    folder.mkdir(parents=True)
    (folder / "status_note_2021.pdf").write_bytes(b"old report")
    log = {"parameters": {"partnership": folder.name}, "outputs": {
        "pdf": "status_note_2021.pdf", "pdf_sha256": sha256_file(folder / "status_note_2021.pdf")}}
    (folder / "run_log.json").write_text(json.dumps(log), encoding="utf-8")


def tree(folder: Path) -> dict[str, bytes | None]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("add, named", [
    (lambda f: ((f / "mine.docx").write_bytes(b"x"), (f / "notes").mkdir()),
     ["mine.docx", "notes/"]),
    (lambda f: (f / "status_note_2021.pdf").write_bytes(b"edited by hand"),
     ["status_note_2021.pdf (ændret efter kørslen)"]),
    (lambda f: (f / "run_log.json").unlink(), ["status_note_2021.pdf"]),
    (lambda f: (f / "run_log.json").write_text("{}"),
     ["run_log.json (ikke en kørselslog fra tryghed)", "status_note_2021.pdf"]),
    (lambda f: (f / "link").symlink_to(f.parent), ["link"]),
])
def test_force_never_replaces_files_the_tool_did_not_write(tmp_path, inputs, add, named):
    data, config = inputs
    folder = tmp_path / "out" / "2021" / "alfa"
    tool_made_report(folder)
    add(folder)
    before = tree(tmp_path / "out")
    with pytest.raises(ReportError) as caught:
        run_report("alfa", 2021, data_dir=data, config_dir=config, out_dir=tmp_path / "out",
                   notebook=NOTEBOOK, force=True)
    message = str(caught.value)
    assert "--force erstatter kun" in message and f"indeholder: {', '.join(named)}." in message
    assert tree(tmp_path / "out") == before


def test_force_refuses_when_foreign_files_arrive_during_the_run(tmp_path, inputs):
    """Checked again when the report is put in place: a file written meanwhile is kept."""
    data, config = inputs
    folder = tmp_path / "2021" / "alfa"
    tool_made_report(folder)

    def export_while_someone_writes(notebook, pdf, nb, html_path=None):
        (folder / "mine.docx").write_bytes(b"x")
        Path(pdf).write_bytes(b"%PDF")
        return []

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_module, "export_pdf", export_while_someone_writes)
        with pytest.raises(ReportError, match="indeholder: mine.docx") as caught:
            run_report("alfa", 2021, data_dir=data, config_dir=config, out_dir=tmp_path,
                       notebook=NOTEBOOK, force=True)
    assert caught.value.step == "Flytter rapporten på plads"
    assert sorted(p.name for p in folder.iterdir()) == [
        "mine.docx", "run_log.json", "status_note_2021.pdf"]
    assert leftovers(folder.parent) == []


@pytest.mark.parametrize("inside", ["data", "config"])
def test_out_inside_the_data_or_config_folder_is_refused(tmp_path, inside):
    data, config = make_inputs(tmp_path / "project")
    folder_name = {"data": "datamappen", "config": "konfigurationsmappen"}
    link = tmp_path / "reports-link"
    link.symlink_to({"data": data, "config": config}[inside] / "sub", target_is_directory=True)
    for out in ({"data": data, "config": config}[inside] / "reports", link):
        before = tree(tmp_path)
        with pytest.raises(ReportError, match=f"ligger i {folder_name[inside]}"):
            run_report("alfa", 2021, data_dir=data, config_dir=config, out_dir=out,
                       notebook=NOTEBOOK)
        assert tree(tmp_path) == before



@pytest.mark.parametrize("inside", ["data", "config"])
def test_a_cache_inside_the_data_or_config_folder_is_refused(tmp_path, inside, capsys):
    # The cache's tables, memo and stamps would land among the deliveries (found by
    # `tryghed check --cache-dir <data-dir>`, which wrote 30 files into the raw folder).
    data, config = make_inputs(tmp_path / "project")
    folder = {"data": data, "config": config}[inside]
    link = tmp_path / "cache-link"
    link.symlink_to(folder, target_is_directory=True)
    for cache in (folder, folder / "processed", link):
        before = tree(tmp_path)
        where = {"data": "datamappen", "config": "konfigurationsmappen"}[inside]
        with pytest.raises(ReportError, match=f"--cache-dir {cache} ligger i {where}"):
            run_report("alfa", 2021, data_dir=data, config_dir=config, out_dir=tmp_path / "out",
                       notebook=NOTEBOOK, cache_dir=cache)
        assert cli.main(["check", "--data-dir", str(data), "--config-dir", str(config),
                         "--cache-dir", str(cache)]) == 1
        assert f"--cache-dir {cache} ligger i" in capsys.readouterr().err
        assert tree(tmp_path) == before

# --- Failures ----------------------------------------------------------------------------------

def test_failing_notebook_leaves_the_old_report_and_names_the_error(tmp_path, inputs):
    data, config = inputs
    folder = tmp_path / "2021" / "fejl-test"
    tool_made_report(folder)
    with pytest.raises(ReportError) as caught:
        run_report("fejl-test", 2021, data_dir=data, config_dir=config, out_dir=tmp_path,
                   notebook=NOTEBOOK, force=True)
    message = str(caught.value)
    assert caught.value.step == "Kører notebook"
    assert "ValueError: Ukendt partnerskab 'fejl-test': ingen data for året (æøå)" in message
    assert "Traceback" not in message and "\x1b[" not in message
    assert sorted(p.name for p in folder.iterdir()) == ["run_log.json", "status_note_2021.pdf"]
    assert (folder / "status_note_2021.pdf").read_bytes() == b"old report"
    assert leftovers(folder.parent) == []


def test_keep_failed_keeps_the_executed_notebook(tmp_path, inputs):
    data, config = inputs
    with pytest.raises(ReportError) as caught:
        run_report("fejl-gem", 2021, data_dir=data, config_dir=config, out_dir=tmp_path,
                   notebook=NOTEBOOK, keep_failed=True)
    assert not (tmp_path / "2021" / "fejl-gem").exists()
    kept = leftovers(tmp_path / "2021")
    assert len(kept) == 1 and kept[0] in str(caught.value)
    assert (tmp_path / "2021" / kept[0] / "status_note_2021.ipynb").is_file()


@pytest.mark.parametrize("partnership, year, what", [
    ("../etc", 2021, "Ugyldigt partnerskab"),
    ("amager", 21, "Ugyldigt år"),
])
def test_bad_request_is_refused_before_running(tmp_path, inputs, partnership, year, what):
    data, config = inputs
    with pytest.raises(ReportError, match=what):
        run_report(partnership, year, data_dir=data, config_dir=config, out_dir=tmp_path,
                   notebook=NOTEBOOK)
    assert list(tmp_path.iterdir()) == []


def test_extra_parameters_cannot_replace_the_standard_ones(tmp_path, inputs):
    data, config = inputs
    with pytest.raises(ReportError, match="kan ikke sætte data_dir"):
        run_report("amager", 2021, data_dir=data, config_dir=config, out_dir=tmp_path,
                   notebook=NOTEBOOK, extra_parameters={"data_dir": "/elsewhere"})


def test_missing_data_folder_is_named(tmp_path, inputs):
    _, config = inputs
    with pytest.raises(ReportError, match="Datamappen .*nowhere findes ikke"):
        run_report("amager", 2021, data_dir=tmp_path / "nowhere", config_dir=config,
                   out_dir=tmp_path, notebook=NOTEBOOK)


@pytest.mark.parametrize("given, said", [("a-file", "er ikke en mappe"),
                                         ("/dev/null", "er ikke en mappe")])
def test_a_data_folder_that_is_something_else_says_what_it_is_not(tmp_path, inputs, given,
                                                                  said):
    _, config = inputs
    (tmp_path / "a-file").write_text("")
    data_dir = tmp_path / given    # an absolute path replaces tmp_path
    with pytest.raises(ReportError, match=f"Datamappen {data_dir} {said}"):
        run_report("amager", 2021, data_dir=data_dir, config_dir=config, out_dir=tmp_path,
                   notebook=NOTEBOOK)


def one_notice(parameters):
    return [f"Bemærk {parameters['partnership']}"]


def test_batch_collects_a_failure_without_stopping_the_others(tmp_path, inputs, capsys):
    data, config = inputs
    outcomes = run_batch([("alfa", 2021), ("fejl-beta", 2021), ("alfa", 2021)], workers=2,
                         data_dir=data, config_dir=config, out_dir=tmp_path, notebook=NOTEBOOK,
                         show_progress=False, precheck=None, notices=one_notice)
    assert [(o.partnership, o.ok) for o in outcomes] == [("alfa", True), ("fejl-beta", False)]
    assert outcomes[0].paths.pdf.is_file()
    assert "Ukendt partnerskab 'fejl-beta'" in outcomes[1].error
    # The workers' warnings and each failure, printed once by this process (above the bar).
    assert (logging.WARNING, "tryghedlib.run.report", "Bemærk alfa") in outcomes[0].warnings
    err = capsys.readouterr().err
    assert err.count("Bemærk alfa") == 1 and err.count("Bemærk fejl-beta") == 1
    assert err.count("Ukendt partnerskab 'fejl-beta'") == 1
    assert sorted(p.name for p in (tmp_path / "2021").iterdir()) == ["alfa"]


def test_a_parallel_batch_logs_its_workers_warnings_in_danish(tmp_path, inputs, capsys):
    """A spawned worker has none of `tryghed`'s logging set-up: its warnings are logged again
    by this process, through its handlers (the Danish level names), above the progress bar."""
    data, config = inputs
    root = logging.getLogger()
    handlers = root.handlers[:]
    try:
        root.handlers = [logging.StreamHandler()]   # what a plain `tryghed` process has
        cli._configure_logging(0)
        run_batch([("alfa", 2021), ("beta", 2021)], workers=2, data_dir=data,
                  config_dir=config, out_dir=tmp_path, notebook=NOTEBOOK, show_progress=False,
                  precheck=None, notices=one_notice)
    finally:
        root.handlers = handlers
    err = capsys.readouterr().err
    assert "ADVARSEL tryghedlib.run.report: Bemærk alfa" in err
    assert "ADVARSEL tryghedlib.run.report: Bemærk beta" in err
    assert "WARNING" not in err


# --- Export without a kernel -------------------------------------------------------------------

def executed_notebook(*outputs, source="SECRET_CODE = 1"):
    """A notebook as papermill leaves it, with the given outputs in one code cell."""
    cell = new_code_cell(source, execution_count=1, outputs=list(outputs))
    nb = new_notebook(cells=[cell])
    nb.metadata["papermill"] = {"parameters": {"partnership": "amager-oest", "report_year": 2022}}
    return nb


def test_export_html_is_print_clean():
    nb = executed_notebook(
        new_output("stream", name="stdout", text="PRINTED"),
        new_output("stream", name="stderr", text="WARNED"),
        new_output("display_data", data={"text/html": "<p class='x'>Øresund</p>",
                                         "text/plain": "<HTML>"}),
        new_output("execute_result", data={"text/plain": "'REPR'"}, execution_count=1),
        new_output("error", ename="E", evalue="EVALUE", traceback=["TRACEBACK"]),
    )
    html = export_html(nb)
    assert '<html lang="da">' in html
    assert "<title>Status på tryghed og kriminalitet – amager-oest 2022</title>" in html
    assert 'content: "amager-oest"' in html  # running header
    assert "Øresund" in html
    for unwanted in ("SECRET_CODE", "PRINTED", "WARNED", "REPR", "TRACEBACK", "<script",
                     "In&nbsp;[", "mathjax", "require"):
        assert unwanted not in html, unwanted


def test_missing_alt_text_is_found():
    svg = "<svg xmlns='http://www.w3.org/2000/svg'><rect width='1' height='1'/></svg>"
    nb = executed_notebook(
        new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Fig>"}),
        new_output("display_data", data={"image/svg+xml": svg},
                   metadata={"image/svg+xml": {"alt": "Søjlediagram"}}),
        new_output("display_data", data={"text/html": "<figure><img src='a.svg'></figure>"}),
        new_output("display_data", data={"text/html": "<img alt='Kort over Amager' src='a'>"}),
        new_output("display_data", data={"text/html": f"<div>{svg}</div>"}),
        new_output("display_data", data={
            "text/html": "<svg aria-label='Kort'><rect/></svg><svg><title>Kort</title></svg>"}),
    )
    assert missing_alt_text(nb) == [
        "celle 0 (In [1]): image/png-output uden alternativ tekst",
        "celle 0 (In [1]): <img> uden alt",
        "celle 0 (In [1]): <svg> uden <title> eller aria-label",
    ]


def test_export_refuses_images_without_alt_text(tmp_path):
    path = tmp_path / "executed.ipynb"
    nbformat.write(executed_notebook(
        new_output("display_data", data={"image/png": "iVBORw0KGgo="})), path)
    with pytest.raises(ReportError, match="alt text"):
        export_pdf(path, tmp_path / "note.pdf")
    assert not (tmp_path / "note.pdf").exists()


def test_report_module_does_not_load_rfc3987_syntax():
    """The ~2 s grammar compile of rfc3987-syntax stays out of the report path."""
    code = ("import sys, importlib.util, tryghedlib.run.imports as r; r.papermill(); r.nbconvert(); "
            "print('rfc3987_syntax' in sys.modules, "
            "importlib.util.find_spec('rfc3987_syntax') is not None)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"}, check=True)
    loaded, importable = result.stdout.split()
    # Not loaded by our imports, yet (when installed) still importable afterwards.
    assert loaded == "False"
    assert importable == str(importlib.util.find_spec("rfc3987_syntax") is not None)
