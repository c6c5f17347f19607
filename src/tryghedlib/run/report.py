"""Run the status-note notebook and export it to the PDF the municipality publishes.

One report is one partnership and one year::

    notebooks/status_note.ipynb
        │  papermill (kernel python3) with partnership, report_year, data_dir, config_dir
        ▼
    reports/<year>/<partnership>/status_note_<year>.ipynb   the executed notebook: the record
        │  nbconvert HTMLExporter, template templates/tryghed_note (no code, no prompts)
        ▼
    reports/<year>/<partnership>/status_note_<year>.pdf     WeasyPrint, A4, tagged PDF/UA-1
    reports/<year>/<partnership>/run_log.json               parameters, versions, input hashes

Everything is built in a temporary folder beside the target and renamed into place at the end,
so a failed run never leaves half a report, and an existing report is only replaced on request.
"""

from __future__ import annotations

import functools
import html.parser
import importlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from tryghedlib.sources import cache
from tryghedlib.errors import TryghedError
from tryghedlib.imports import without
from tryghedlib.run.runlog import library_version, write_run_log
from tryghedlib.sources.hashes import input_hashes, sha256_file
from tryghedlib.note.wording import fmt_decimal

log = logging.getLogger(__name__)

KERNEL_NAME = "python3"
# Silence the kernel's start-up warning about unencrypted local TCP on stderr.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR",)
TEMPLATE_DIR = Path(__file__).parents[1] / "note" / "templates"
TEMPLATE_NAME = "tryghed_note"
RUN_LOG_NAME = "run_log.json"
DEFAULT_NOTEBOOK = "notebooks/status_note.ipynb"
DEFAULT_AUTHOR = "Københavns Kommune, Center for Byudvikling, Team Sikker By"
PDF_VARIANT = "pdf/ua-1"
LANGUAGE = "da"

# Output mimetypes in the order nbconvert's HTMLExporter picks them (display_data_priority).
DISPLAY_PRIORITY = (
    "application/vnd.jupyter.widget-view+json",
    "application/javascript",
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "text/vnd.mermaid",
    "text/latex",
    "image/png",
    "image/jpeg",
    "text/plain",
)
IMAGE_TYPES = ("image/svg+xml", "image/png", "image/jpeg")

Progress = Callable[[str], None]


class ReportError(TryghedError):
    """A report could not be produced; ``step`` names the step that failed."""

    def __init__(self, message: str, step: str | None = None):
        super().__init__(message)
        self.step = step


class InputRefused(TryghedError):
    """The notebook refused its inputs: a DataError or ConfigError raised in the kernel.

    The message is that error's own (file, row, column, what was expected); ``kind`` is its
    class name. Nothing was written.
    """

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


# Errors raised in the kernel that are about the inputs, not about the code (tryghedlib.errors).
INPUT_ERRORS = ("DataError", "ConfigError")


@dataclass(frozen=True)
class ReportPaths:
    """Where one report's files are (or will be)."""

    notebook: Path
    pdf: Path
    log: Path

    @property
    def folder(self) -> Path:
        return self.pdf.parent

    @classmethod
    def in_folder(cls, folder: str | Path, year: int) -> ReportPaths:
        """The file names of the report for ``year`` inside ``folder``."""
        folder = Path(folder)
        return cls(
            notebook=folder / f"status_note_{year}.ipynb",
            pdf=folder / f"status_note_{year}.pdf",
            log=folder / RUN_LOG_NAME,
        )


def report_folder(out_dir: str | Path, partnership: str, year: int) -> Path:
    """``<out_dir>/<year>/<partnership>``.

    >>> report_folder("reports", "tingbjerg-husum", 2021).as_posix()
    'reports/2021/tingbjerg-husum'
    """
    return Path(out_dir) / str(year) / partnership


# --- Import cost -------------------------------------------------------------------------------

def _without_rfc3987_syntax():
    # jsonschema (imported by nbformat, papermill and nbconvert) would import it at once for
    # an "iri" format checker that notebook validation never uses (see tryghedlib.imports).
    return without("rfc3987_syntax", "jsonschema")


def _papermill():
    with _without_rfc3987_syntax():
        import papermill

    return papermill


def _nbformat():
    with _without_rfc3987_syntax():
        import nbformat

    return nbformat


def _nbconvert():
    with _without_rfc3987_syntax():
        import nbconvert

    return nbconvert


def _weasyprint():
    with warnings.catch_warnings():
        # Advice about the machine (install libharfbuzz-subset0), not about the note.
        warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset", category=DeprecationWarning)
        import weasyprint

    return weasyprint


def _prepare_export() -> threading.Thread:
    """Import and set up the exporters in a background thread; join it before exporting.

    While the kernel runs, this process only relays its messages and the second core is mostly
    idle, so importing nbconvert and WeasyPrint and compiling the note's template there (about
    1.5 s) takes nothing from the report's time.
    """
    _papermill()  # here first: the warm-up imports jsonschema too (see _without_rfc3987_syntax)
    thread = threading.Thread(target=_warm_up_export, name="tryghed-export", daemon=True)
    thread.start()
    return thread


def _warm_up_export() -> None:
    try:
        v4 = _nbformat().v4
        # The first export compiles the template and everything it includes (jinja keeps them).
        export_html(v4.new_notebook(cells=[v4.new_code_cell(outputs=[v4.new_output(
            "display_data", data={"text/html": "<p>.</p>"})])]))
        _weasyprint()
    except Exception:  # the export step imports again and reports what fails
        log.debug("Preparing the export failed", exc_info=True)


# --- Progress ----------------------------------------------------------------------------------

class _Steps:
    """Announce steps to the analyst (callback) and to the log, and time them."""

    def __init__(self, label: str, progress: Progress | None):
        self.label = label
        self.progress = progress
        self.started = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def say(self, message: str) -> None:
        log.info("%s: %s", self.label, message)
        if self.progress is not None:
            self.progress(message)

    @contextmanager
    def step(self, name: str, failure: str) -> Iterator[None]:
        """Run one step; any exception becomes a :class:`ReportError` that names the step."""
        self.say(f"{name} ...")
        began = time.perf_counter()
        try:
            yield
        except (ReportError, InputRefused):
            raise
        except TryghedError as error:
            raise ReportError(f"{failure}: {error}", step=name) from error
        except Exception as error:
            raise ReportError(f"{failure}: {type(error).__name__}: {error}", step=name) from error
        self.seconds[name] = round(time.perf_counter() - began, 2)

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


# --- Checks before running ---------------------------------------------------------------------

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _check_request(partnership: str, year: int, notebook: Path, data_dir: Path,
                   config_dir: Path) -> None:
    if not _SAFE_ID.match(partnership) or ".." in partnership:
        raise ReportError(
            f"Invalid partnership id {partnership!r}: use letters, digits, '-', '_' or '.', "
            "as in the file names under config/partnerships/.", step="Tjekker input")
    if not isinstance(year, int) or not 1900 <= year <= 2200:
        raise ReportError(f"Invalid year {year!r}: expected a four-digit year such as 2021.",
                          step="Tjekker input")
    for what, path, is_ok in (("notebook", notebook, notebook.is_file()),
                              ("data folder", data_dir, data_dir.is_dir()),
                              ("config folder", config_dir, config_dir.is_dir())):
        if not is_ok:
            raise ReportError(f"The {what} {path} does not exist.", step="Tjekker input")


def precheck_target(notebook: str | Path) -> str | None:
    """The ``"module:function"`` the notebook declares as its precheck, if any (not imported).

    A notebook names it in its metadata as ``{"tryghed": {"precheck": "module:function"}}``;
    an unreadable notebook has none (the notebook step then reports the problem).
    """
    return _hook_target(notebook, "precheck")


def _hook_target(notebook: str | Path, hook: str) -> str | None:
    try:
        metadata = json.loads(Path(notebook).read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return None
    target = (metadata.get("tryghed") or {}).get(hook)
    return str(target) if target else None


def _import_hook(notebook: str | Path, hook: str, step: str) -> Callable | None:
    target = _hook_target(notebook, hook)
    if target is None:
        return None
    module, _, name = target.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise ReportError(f"The notebook {notebook} names the {hook} {target!r}, which "
                          f"cannot be imported: {error}", step=step) from None


def notebook_precheck(notebook: str | Path) -> Callable[[dict[str, Any]], Any] | None:
    """The function the notebook declares to check its inputs before it is run, if any.

    ``notebooks/status_note.ipynb`` names :func:`tryghedlib.note.model.build_note_for`, which builds
    the note from the same parameters the notebook gets (see :func:`precheck_target`).
    """
    return _import_hook(notebook, "precheck", "Tjekker data")


def notebook_notices(notebook: str | Path, parameters: dict[str, Any]) -> list[str]:
    """Warnings for these parameters from the function the notebook declares as ``notices``
    (``{"tryghed": {"notices": "module:function"}}``): what a report can be made without but
    should not go out without by oversight. Called on every run; it must be cheap."""
    notices = _import_hook(notebook, "notices", "Tjekker input")
    return [] if notices is None else list(notices(parameters))


def _refuse_overwrite(folder: Path, force: bool) -> None:
    if folder.exists() and not force:
        raise ReportError(
            f"A report already exists in {folder}. It is never replaced silently: run again "
            "with --force (force=True in Python) to replace it, or move it away first.",
            step="Tjekker input")


# --- Step 1: execute ---------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


class NotebookKernel:
    """The notebook's kernel, started before papermill is imported and stopped in a thread.

    Started first, it boots (about 0.7 s) while this process imports papermill and nbconvert;
    stopped in a thread, its orderly shutdown (about 0.8 s: interrupt, shutdown request, wait
    for the process to end) overlaps the export of the PDF. Papermill runs the notebook on it
    (``execute_notebook(..., kernel=...)``) as it would on a kernel of its own.
    """

    def __init__(self, cwd: str | Path):
        with _without_rfc3987_syntax():
            from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.manager = AsyncKernelManager(kernel_name=KERNEL_NAME)
        self.clients: list = []
        self.manager.client = self._client
        self._stopping: threading.Thread | None = None
        # As nbclient starts its own kernels: no history file written under ~/.ipython.
        arguments = [*KERNEL_ARGUMENTS, "--HistoryManager.hist_file=:memory:"]
        run_sync(self.manager.start_kernel)(cwd=str(cwd), extra_arguments=arguments)

    def _client(self, **kwargs):
        # nbclient leaves the channels of a kernel it does not own open: remember them to close.
        client = type(self.manager).client(self.manager, **kwargs)
        self.clients.append(client)
        return client

    def stop(self) -> None:
        """Shut the kernel down in a background thread (once); :meth:`join` waits for it."""
        if self._stopping is None:
            self._stopping = threading.Thread(target=self._shut_down, name="tryghed-kernel",
                                              daemon=True)
            self._stopping.start()

    def join(self) -> None:
        self.stop()
        self._stopping.join()

    def _shut_down(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            for client in self.clients:
                client.stop_channels()
            run_sync(self.manager.shutdown_kernel)()
        except Exception:  # the kernel is gone or going: nothing the report depends on
            log.debug("Stopping the kernel failed", exc_info=True)


def execute_notebook(source: str | Path, output: str | Path, parameters: dict[str, Any], *,
                     cwd: str | Path | None = None, record_path: str | Path | None = None,
                     kernel: NotebookKernel | None = None):
    """Execute ``source`` with papermill into ``output``; return the executed notebook.

    A failing cell raises :class:`ReportError` with the cell's exception name and message, not
    the traceback (a DataError or ConfigError: :class:`InputRefused`). ``record_path`` is the
    path stored as papermill's ``output_path`` in the notebook's metadata (the final place,
    when ``output`` is a temporary file). ``kernel``: run on this kernel (started in the
    notebook's folder) instead of one papermill starts and stops; the caller stops it.
    """
    papermill = _papermill()
    from papermill.exceptions import PapermillExecutionError

    source = Path(source)
    try:
        nb = papermill.execute_notebook(
            str(source), str(output), parameters=parameters, kernel_name=KERNEL_NAME,
            cwd=str(cwd or source.parent), progress_bar=False, log_output=False,
            # One save at the end instead of one per cell.
            request_save_on_cell_execute=False,
            extra_arguments=list(KERNEL_ARGUMENTS),
            **({"km": kernel.manager} if kernel is not None else {}),
        )
    except PapermillExecutionError as error:
        message = _strip_ansi(str(error.evalue)).strip() or "(no message)"
        if error.ename in INPUT_ERRORS:
            raise InputRefused(message, error.ename) from None
        raise ReportError(
            f"the notebook failed in cell [{error.exec_count}]: {error.ename}: {message}",
            step="Kører notebook") from None
    if record_path is not None:
        nb.metadata.setdefault("papermill", {})["output_path"] = str(record_path)
        _nbformat().write(nb, str(output))
    return nb


# --- Step 2: export ----------------------------------------------------------------------------

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
    }
    for _, _, output in _code_outputs(nb):
        overrides = output.get("metadata", {}).get("tryghed", {})
        info.update({key: str(value) for key, value in overrides.items() if key in info})
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
            self.missing.append("<img> without alt")
        elif tag == "svg":
            self._open_svg.append(bool(attributes.get("aria-label")))
        elif tag == "title" and self._open_svg:
            self._open_svg[-1] = True

    def handle_endtag(self, tag):
        if tag == "svg" and self._open_svg and not self._open_svg.pop():
            self.missing.append("<svg> without <title> or aria-label")


def missing_alt_text(nb) -> list[str]:
    """Every printed image without alt text, as "cell N: what" (empty when all is well)."""
    problems = []
    for index, cell, output in _code_outputs(nb):
        shown = next((kind for kind in DISPLAY_PRIORITY if kind in output.get("data", {})), None)
        where = f"cell {index} (In [{cell.get('execution_count')}])"
        if shown in IMAGE_TYPES:
            metadata = output.get("metadata", {})
            alt = (metadata.get(shown, {}) or {}).get("alt") or metadata.get("alt")
            alt = alt or cell.get("metadata", {}).get("alt")
            if not alt:
                problems.append(f"{where}: {shown} output without alt text")
        elif shown == "text/html":
            finder = _ImageFinder()
            finder.feed(output["data"]["text/html"])
            problems.extend(f"{where}: {what}" for what in finder.missing)
    return problems


@functools.lru_cache(maxsize=1)
def _html_exporter():
    """nbconvert's HTMLExporter set up for the note; one serves every notebook of a process."""
    from traitlets.config import Config

    exporter_class = _nbconvert().HTMLExporter
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
    HTML = _weasyprint().HTML

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


def export_pdf(notebook: str | Path, pdf_path: str | Path, nb=None) -> list[str]:
    """Export an executed notebook to the note's PDF; return WeasyPrint's warnings.

    ``nb`` is the notebook already read (as :func:`execute_notebook` returns it), if at hand.
    Refuses (``ReportError``) a notebook that prints an image without alt text: the published
    PDF must be accessible.
    """
    notebook = Path(notebook)
    if nb is None:
        nb = _nbformat().read(str(notebook), as_version=4)
    problems = missing_alt_text(nb)
    if problems:
        raise ReportError(
            "every figure needs alt text for the accessible PDF, but "
            f"{len(problems)} image(s) have none: " + "; ".join(problems[:5])
            + ". Give <img> an alt attribute, or display images with metadata {'alt': ...}.",
            step="Eksporterer PDF")
    return write_pdf(export_html(nb), pdf_path, base_url=notebook.parent)


def _check_inputs(notebook: Path, parameters: dict[str, Any], hashes: dict[str, str],
                  memo: Path | None, steps: _Steps) -> str | None:
    """Run the notebook's precheck unless exactly these inputs passed it before.

    Returns the validation key to stamp once the report is made (None: nothing to stamp).
    Skipping only saves the parent importing and building the model: the kernel still builds
    and validates everything, and a refusal there is reported the same way
    (:class:`InputRefused`).
    """
    target = precheck_target(notebook)
    if target is None:
        return None
    key = cache.validation_key(hashes, parameters, notebook, memo) if memo else None
    if key is not None and cache.is_validated(key, memo):
        steps.say("Data er uændrede siden sidste godkendte kørsel ...")
        return None
    precheck = notebook_precheck(notebook)
    steps.say("Tjekker data ...")
    began = time.perf_counter()
    try:
        precheck(parameters)
    except TryghedError:
        raise
    except Exception as error:  # a bug, not a flaw of the input: say so, nothing written
        raise ReportError(
            f"Report {parameters['partnership']} {parameters['report_year']} failed at step "
            f"'Tjekker data': {type(error).__name__}: {error}. This is an error in tryghedlib, "
            f"not in the data; nothing was written.", step="Tjekker data") from error
    steps.seconds["Tjekker data"] = round(time.perf_counter() - began, 2)
    return key


# --- Putting the report in place ---------------------------------------------------------------

def _make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; return those made, innermost first."""
    missing = [f for f in (folder, *folder.parents) if not f.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    return missing


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders a failed run made, if still empty, so it leaves nothing behind."""
    for made in folders:
        try:
            made.rmdir()
        except OSError:  # not empty (another report wrote there meanwhile) or gone
            return


def _move_into_place(work: Path, folder: Path, force: bool) -> None:
    """Rename the finished ``work`` folder to ``folder``, replacing an old report only if forced."""
    if folder.exists():
        if not force:
            _refuse_overwrite(folder, force)  # someone wrote it while we ran
        old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
        os.replace(folder, old / folder.name)
        try:
            os.replace(work, folder)
        except BaseException:
            os.replace(old / folder.name, folder)  # put the old report back
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(work, folder)


# --- One report --------------------------------------------------------------------------------

def run_report(
    partnership: str,
    year: int,
    *,
    data_dir: str | Path,
    config_dir: str | Path = "config",
    out_dir: str | Path = "reports",
    notebook: str | Path = DEFAULT_NOTEBOOK,
    force: bool = False,
    extra_parameters: dict[str, Any] | None = None,
    progress: Progress | None = None,
    keep_failed: bool = False,
    cache_dir: str | Path | None = "data/processed",
) -> ReportPaths:
    """Produce the status note of one partnership and year under ``out_dir/<year>/<partnership>``.

    Runs ``notebook`` with papermill (parameters ``partnership``, ``report_year``, ``data_dir``,
    ``config_dir``, ``cache_dir`` (None: no cache) and ``extra_parameters``), exports the PDF and
    writes ``run_log.json``. ``progress`` receives one short Danish line per step.

    When the notebook declares a precheck (:func:`notebook_precheck`; the status note does), it
    is called with the parameters first: a :class:`~tryghedlib.errors.DataError` or
    :class:`~tryghedlib.errors.ConfigError` from it is raised as it is, before anything is
    written under ``out_dir`` and before a kernel starts. The precheck is skipped when exactly
    these inputs passed it in a report made before (a stamp in ``cache_dir``, see
    :func:`tryghedlib.sources.cache.validation_key`); the kernel still checks them, and a refusal there
    raises :class:`InputRefused` with the same message, nothing written. A later failure raises
    :class:`ReportError` naming the failed step; the report folder is then left as it was
    (``keep_failed`` keeps the temporary folder for inspection and names it in the message).
    """
    steps = _Steps(f"{partnership} {year}", progress)
    notebook, data_dir, config_dir = (Path(p).resolve() for p in (notebook, data_dir, config_dir))
    folder = report_folder(out_dir, partnership, year)
    final = ReportPaths.in_folder(folder, year)
    _check_request(partnership, year, notebook, data_dir, config_dir)
    clash = sorted(set(extra_parameters or {}) & {"partnership", "report_year", "data_dir",
                                                  "config_dir", "cache_dir"})
    if clash:
        raise ReportError(f"Extra parameters cannot set {', '.join(clash)}; use the options for "
                          "partnership, year, data and config folder instead.",
                          step="Tjekker input")
    _refuse_overwrite(folder, force)
    started = datetime.now(timezone.utc).astimezone()
    parameters = {"partnership": partnership, "report_year": year, "data_dir": str(data_dir),
                  "config_dir": str(config_dir),
                  # The kernel runs in the notebook's folder: hand it absolute paths.
                  "cache_dir": str(Path(cache_dir).resolve()) if cache_dir else "",
                  **(extra_parameters or {})}

    log.info("Parameters: %s", parameters)
    notices = notebook_notices(notebook, parameters)
    for notice in notices:
        log.warning(notice)
    memo = Path(parameters["cache_dir"]) if parameters["cache_dir"] else None
    with steps.step("Beregner filhashes", "could not read the input files"):
        # Not remembered yet: a refused delivery leaves the cache folder as it was.
        hashes = input_hashes(data_dir, config_dir, memo_dir=memo, remember=False)
    log.info("%d input files hashed", len(hashes))
    for name, digest in hashes.items():
        log.debug("  %s  %s", digest, name)
    # Check the inputs before anything is written: a refused delivery stops here with the
    # loader's own message (file, row, column, what was expected) instead of a notebook
    # traceback, and no kernel is started. The tables it parses land in the cache, where the
    # kernel then finds them. Errors pass through unchanged (DataError, ConfigError).
    stamp = _check_inputs(notebook, parameters, hashes, memo, steps)

    made = _make_folders(folder.parent)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    work.chmod(0o755)  # mkdtemp makes it owner-only; the report is for colleagues too
    temp = ReportPaths.in_folder(work, year)
    preparing = kernel = None
    try:
        with steps.step("Kører notebook", "running the notebook failed"):
            kernel = NotebookKernel(notebook.parent)
            preparing = _prepare_export()
            nb = execute_notebook(notebook, temp.notebook, parameters,
                                  record_path=final.notebook, kernel=kernel)
            kernel.stop()
        with steps.step("Eksporterer PDF", "exporting the PDF failed"):
            preparing.join()
            export_warnings = export_pdf(temp.notebook, temp.pdf, nb=nb)
        for message in export_warnings:
            log.warning("WeasyPrint: %s", message)
        with steps.step("Skriver kørselslog", "writing the run log failed"):
            write_run_log(
                temp.log, parameters, hashes, started, datetime.now(timezone.utc).astimezone(),
                notebook={"source": str(notebook), "sha256": sha256_file(notebook)},
                outputs={"notebook": final.notebook.name, "pdf": final.pdf.name,
                         "pdf_sha256": sha256_file(temp.pdf)},
                steps=steps.seconds,
                export_warnings=export_warnings,
                warnings=notices,
                source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"),
            )
        with steps.step("Flytter rapporten på plads", f"could not move the report to {folder}"):
            _move_into_place(work, folder, force)
    except ReportError as error:
        if keep_failed:
            after = f"The failed run is kept in {work} for inspection."
        else:
            shutil.rmtree(work, ignore_errors=True)
            _remove_empty(made)
            after = "Nothing was written."
            if error.step == "Kører notebook":
                after += " Run with --keep-failed (keep_failed=True) to keep the executed notebook."
        raise ReportError(
            f"Report {partnership} {year} failed at step '{error.step}': "
            f"{str(error).rstrip('.')}. "
            f"{folder} is unchanged. {after}", step=error.step) from error.__cause__
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        _remove_empty(made)
        raise
    finally:
        # Nothing may be left running when the process exits.
        for running in (kernel, preparing):
            if running is not None:
                running.join()
    if memo is not None:
        input_hashes(data_dir, config_dir, memo_dir=memo)   # now remembered: inputs are good
    if stamp is not None:
        cache.mark_validated(stamp, memo)
    steps.say(f"Færdig på {fmt_decimal(steps.total, 1)} s: {final.pdf}")
    return final


# --- Many reports ------------------------------------------------------------------------------

@dataclass(frozen=True)
class JobOutcome:
    """What became of one (partnership, year) in a batch."""

    partnership: str
    year: int
    paths: ReportPaths | None
    error: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.error is None


def _run_job(partnership: str, year: int, options: dict[str, Any]) -> JobOutcome:
    """Run one report and turn any failure into an outcome (runs in a worker process)."""
    began = time.perf_counter()
    try:
        paths = run_report(partnership, year, **options)
    except TryghedError as error:
        return JobOutcome(partnership, year, None, str(error), time.perf_counter() - began)
    except Exception as error:  # a bug must not stop the other reports either
        return JobOutcome(partnership, year, None, f"{type(error).__name__}: {error}",
                          time.perf_counter() - began)
    return JobOutcome(partnership, year, paths, None, time.perf_counter() - began)


def run_batch(
    jobs: Iterable[tuple[str, int]],
    *,
    workers: int = 2,
    data_dir: str | Path,
    config_dir: str | Path = "config",
    out_dir: str | Path = "reports",
    notebook: str | Path = DEFAULT_NOTEBOOK,
    force: bool = False,
    extra_parameters: dict[str, Any] | None = None,
    keep_failed: bool = False,
    show_progress: bool = True,
    cache_dir: str | Path | None = "data/processed",
) -> list[JobOutcome]:
    """Produce many reports in parallel processes; a failure does not stop the others.

    Returns one :class:`JobOutcome` per distinct job, in the order given. ``workers <= 1`` runs
    them one after the other in this process.
    """
    from tqdm import tqdm

    jobs = list(dict.fromkeys((str(p), int(y)) for p, y in jobs))
    options = {"data_dir": data_dir, "config_dir": config_dir, "out_dir": out_dir,
               "notebook": notebook, "force": force, "extra_parameters": extra_parameters,
               "keep_failed": keep_failed, "cache_dir": cache_dir}
    outcomes: dict[tuple[str, int], JobOutcome] = {}
    bar = tqdm(total=len(jobs), desc="Rapporter", unit="rapport", disable=not show_progress)

    def record(outcome: JobOutcome) -> None:
        outcomes[(outcome.partnership, outcome.year)] = outcome
        if not outcome.ok:
            first_line = (outcome.error or "").splitlines()[0]
            bar.write(f"FEJL {outcome.partnership} {outcome.year}: {first_line}", file=sys.stderr)
        bar.update(1)

    try:
        if workers <= 1 or len(jobs) <= 1:
            for partnership, year in jobs:
                record(_run_job(partnership, year, options))
        else:
            # spawn, not fork: the parent may hold threads (kernel clients, tqdm) that fork
            # would copy in a locked state.
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                                     mp_context=context) as pool:
                futures = [pool.submit(_run_job, p, y, options) for p, y in jobs]
                for future in as_completed(futures):
                    record(future.result())
    finally:
        bar.close()
    return [outcomes[job] for job in jobs]
