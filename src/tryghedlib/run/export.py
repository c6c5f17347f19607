"""The executed notebook as the note: HTML in the note's layout, then an accessible A4 PDF."""

from __future__ import annotations

import functools
import html.parser
import logging
import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from tryghedlib.run import imports
from tryghedlib.run.runlog import library_version
from tryghedlib.run.steps import ReportError

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).parents[1] / "note" / "templates"
TEMPLATE_NAME = "tryghed_note"
DEFAULT_AUTHOR = "Københavns Kommune, Center for Byudvikling, Team Sikker By"
PDF_VARIANT = "pdf/ua-1"
LANGUAGE = "da"
IMAGE_TYPES = ("image/svg+xml", "image/png", "image/jpeg")


def prepare_export() -> threading.Thread:
    """Import and set up the exporters in a background thread; join it before exporting.

    While the kernel runs, this process only relays its messages and the second core is mostly
    idle, so importing nbconvert and WeasyPrint and compiling the note's template there (about
    1.5 s) takes nothing from the report's time.
    """
    imports.papermill()  # here first: the warm-up imports jsonschema too (see run.imports)
    thread = threading.Thread(target=_warm_up_export, name="tryghed-export", daemon=True)
    thread.start()
    return thread


def _warm_up_export() -> None:
    try:
        v4 = imports.nbformat().v4
        # The first export compiles the template and everything it includes (jinja keeps them).
        export_html(v4.new_notebook(cells=[v4.new_code_cell(outputs=[v4.new_output(
            "display_data", data={"text/html": "<p>.</p>"})])]))
        imports.weasyprint()
    except Exception:  # the export step imports again and reports what fails
        log.debug("Preparing the export failed", exc_info=True)


def _css_string(text: str) -> str:
    """A CSS string literal.

    >>> _css_string('Ama"ger')
    '"Ama\\\\"ger"'
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return '"' + escaped.replace("<", "\\3c ") + '"'  # no "</style>" can end the style block


def _creation_date() -> str:
    """Creation date for the PDF: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch
              else datetime.now(timezone.utc))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _code_outputs(nb) -> Iterator[tuple[int, Any, Any]]:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") in ("display_data", "execute_result"):
                    yield index, cell, output


def document_info(nb) -> dict[str, str]:
    """Title, author, subject and partnership name of the PDF.

    Defaults come from the papermill parameters; a notebook overrides them by displaying any
    output with metadata ``{"tryghed": {"title": ..., "partnership_name": ..., "author": ...,
    "subject": ...}}`` (later outputs win).
    """
    parameters = nb.metadata.get("papermill", {}).get("parameters", {})
    partnership = str(parameters.get("partnership", ""))
    year = parameters.get("report_year", "")
    info = {
        "partnership_name": partnership,
        "title": f"Status på tryghed og kriminalitet – {partnership} {year}".strip(),
        "author": DEFAULT_AUTHOR,
        "subject": "Status på tryghed og kriminalitet for et tryghedspartnerskab",
        "marker": "",   # set for synthetic data (sections.document_info): then in every field
    }
    for _, _, output in _code_outputs(nb):
        overrides = output.get("metadata", {}).get("tryghed", {})
        info.update({key: str(value) for key, value in overrides.items() if key in info})
    if info["marker"]:
        info.update(title=f"{info['marker']}: {info['title']}",
                    subject=f"{info['subject']} ({info['marker']})")
    return info


class _ImageFinder(html.parser.HTMLParser):
    """Collect <img> tags without alt text and <svg> without a <title> or aria-label."""

    def __init__(self):
        super().__init__()
        self.missing: list[str] = []
        self._open_svg: list[bool] = []  # per open <svg>: has a label

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img" and not (attributes.get("alt") or "").strip():
            self.missing.append("<img> uden alt")
        elif tag == "svg":
            self._open_svg.append(bool(attributes.get("aria-label")))
        elif tag == "title" and self._open_svg:
            self._open_svg[-1] = True

    def handle_endtag(self, tag):
        if tag == "svg" and self._open_svg and not self._open_svg.pop():
            self.missing.append("<svg> uden <title> eller aria-label")


def missing_alt_text(nb) -> list[str]:
    """Every printed image without alt text, as "cell N: what" (empty when all is well)."""
    problems = []
    # The output the HTML shows: the first of nbconvert's display priority that it holds.
    priority = _html_exporter().config.NbConvertBase.display_data_priority
    for index, cell, output in _code_outputs(nb):
        shown = next((kind for kind in priority if kind in output.get("data", {})), None)
        where = f"celle {index} (In [{cell.get('execution_count')}])"
        if shown in IMAGE_TYPES:
            metadata = output.get("metadata", {})
            alt = (metadata.get(shown, {}) or {}).get("alt") or metadata.get("alt")
            alt = alt or cell.get("metadata", {}).get("alt")
            if not alt:
                problems.append(f"{where}: {shown}-output uden alternativ tekst")
        elif shown == "text/html":
            finder = _ImageFinder()
            finder.feed(output["data"]["text/html"])
            problems.extend(f"{where}: {what}" for what in finder.missing)
    return problems


@functools.lru_cache(maxsize=1)
def _html_exporter():
    """nbconvert's HTMLExporter set up for the note; one serves every notebook of a process."""
    from traitlets.config import Config

    exporter_class = imports.nbconvert().HTMLExporter
    config = Config()
    config.HTMLExporter.template_name = TEMPLATE_NAME
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.anchor_link_text = ""
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell", "remove_cell"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output", "remove_output"}
    return exporter_class(config=config)


def export_html(nb) -> str:
    """The notebook as the note's HTML (template ``tryghed_note``), ready for WeasyPrint."""
    info = document_info(nb)
    resources = {"tryghed": {
        **info,
        "lang": LANGUAGE,
        "generator": f"tryghedlib {library_version()}",
        "created": _creation_date(),
        "running_right_css": _css_string(info["partnership_name"]),
        "marker_css": _css_string(info["marker"]),
    }}
    body, _ = _html_exporter().from_notebook_node(nb, resources=resources)
    return body


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "HarfBuzz-Subset" in message:
            # An advice about the machine (install libharfbuzz-subset0), not about the note.
            log.debug("WeasyPrint: %s", message)
            return
        self.messages.append(message)


def write_pdf(html_text: str, pdf_path: str | Path, *, base_url: str | Path = ".") -> list[str]:
    """Render the note's HTML to a tagged A4 PDF; return WeasyPrint's warnings."""
    HTML = imports.weasyprint().HTML

    collect = _Collect()
    weasy_log = logging.getLogger("weasyprint")
    saved = weasy_log.level, weasy_log.propagate
    # Keep WeasyPrint's own messages (and its per-page progress) off the analyst's terminal:
    # the warnings are returned, logged by the caller and kept in the run log.
    weasy_log.setLevel(logging.WARNING)
    weasy_log.propagate = False
    weasy_log.addHandler(collect)
    try:
        HTML(string=html_text, base_url=str(base_url)).write_pdf(
            str(pdf_path), pdf_variant=PDF_VARIANT)
    finally:
        weasy_log.removeHandler(collect)
        weasy_log.setLevel(saved[0])
        weasy_log.propagate = saved[1]
    return collect.messages


def export_pdf(notebook: str | Path, pdf_path: str | Path, nb=None, *,
               html_path: str | Path | None = None) -> list[str]:
    """Export an executed notebook to the note's PDF; return WeasyPrint's warnings.

    ``nb`` is the notebook already read (as :func:`execute_notebook` returns it), if at hand.
    ``html_path``: write the note's HTML there too (the same document the PDF is made from:
    ``lang="da"``, headings, table headers, every figure with its alt text).
    Refuses (``ReportError``) a notebook that prints an image without alt text: the published
    PDF must be accessible.
    """
    notebook = Path(notebook)
    if nb is None:
        nb = imports.nbformat().read(str(notebook), as_version=4)
    problems = missing_alt_text(nb)
    if problems:
        raise ReportError(
            "hver figur skal have en alternativ tekst (alt text) i den tilgængelige PDF, men "
            f"{len(problems)} billede(r) har ingen: " + "; ".join(problems[:5])
            + ". Giv <img> en alt-attribut, eller vis billeder med metadata {'alt': ...}.",
            step="Eksporterer PDF")
    html_text = export_html(nb)
    if html_path is not None:
        Path(html_path).write_text(html_text, encoding="utf-8")
    return write_pdf(html_text, pdf_path, base_url=notebook.parent)
