"""Run the status-note notebook and export it to the PDF the municipality publishes.

One report is one partnership and one year::

    checks:  the request, the inputs' hashes, the precheck (the note's model, built here)
        │
    notebooks/status_note.ipynb
        │  execute: papermill on a kernel (run.kernel) with partnership, report_year, ...
        ▼
    reports/<year>/<partnership>/status_note_<year>.ipynb   the executed notebook: the record
        │  export: nbconvert HTMLExporter, template templates/tryghed_note (no code, no prompts)
        ▼
    reports/<year>/<partnership>/status_note_<year>.pdf     WeasyPrint, A4, tagged PDF/UA-1
    reports/<year>/<partnership>/run_log.json               parameters, versions, input hashes

Everything is built in a temporary folder beside the target and renamed into place at the end
(run.publish), so a failed run never leaves half a report, and an existing report is only
replaced on request. Many reports at once: :mod:`tryghedlib.run.batch`.
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tryghedlib.errors import os_reason
from tryghedlib.note.wording import fmt_decimal
from tryghedlib.run import interrupt
from tryghedlib.run.execute import execute_notebook
from tryghedlib.run.export import export_pdf, prepare_export
from tryghedlib.run.kernel import NotebookKernel
from tryghedlib.run.checks import (
    Notices,
    Precheck,
    check_inputs,
    check_request,
    refuse_unknown_parameters,
    status_note_notices,
    status_note_precheck,
)
from tryghedlib.run.publish import (
    ReportPaths,
    make_folders,
    move_into_place,
    refuse_overwrite,
    release,
    remove_empty,
    remove_stale,
    report_folder,
    work_folder,
)
from tryghedlib.run.runlog import write_run_log
from tryghedlib.run.steps import InputRefused, Progress, ReportError, Steps
from tryghedlib.sources import cache
from tryghedlib.sources.hashes import input_hashes, sha256_file

__all__ = ["InputRefused", "ReportError", "ReportPaths", "run_report"]

log = logging.getLogger(__name__)

DEFAULT_NOTEBOOK = "notebooks/status_note.ipynb"


@interrupt.stoppable()
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
    precheck: Precheck | None = status_note_precheck,
    notices: Notices | None = status_note_notices,
    formats: tuple[str, ...] = ("pdf",),
) -> ReportPaths:
    """Produce the status note of one partnership and year under ``out_dir/<year>/<partnership>``.

    Runs ``notebook`` with papermill (parameters ``partnership``, ``report_year``, ``data_dir``,
    ``config_dir``, ``cache_dir`` (None: no cache) and ``extra_parameters``), exports the PDF and
    writes ``run_log.json``. ``progress`` receives one short Danish line per step.

    ``precheck`` (for the status note: :func:`~tryghedlib.run.checks.status_note_precheck`,
    which builds the note's model; None for a notebook without one) is called with the
    parameters first: a :class:`~tryghedlib.errors.DataError` or
    :class:`~tryghedlib.errors.ConfigError` from it is raised as it is, before anything is
    written under ``out_dir`` and before a kernel starts. The precheck is skipped when exactly
    these inputs passed it in a report made before (a stamp in ``cache_dir``, see
    :func:`tryghedlib.sources.cache.validation_key`); the kernel still checks them, and a refusal there
    raises :class:`InputRefused` with the same message, nothing written. A later failure raises
    :class:`ReportError` naming the failed step; the report folder is then left as it was
    (``keep_failed`` keeps the temporary folder for inspection and names it in the message).
    ``notices`` gives the warnings for these parameters (logged and kept in the run log).
    ``formats``: ``("pdf", "html")`` writes the note's HTML beside the PDF as well.

    Ctrl-C or SIGTERM stop the run (:class:`~tryghedlib.run.interrupt.Interrupted`) with nothing
    published and the temporary folder removed; temporary folders that a killed run of this
    report left behind are removed on the next run (:func:`~tryghedlib.run.publish.remove_stale`).
    """
    steps = Steps(f"{partnership} {year}", progress)
    notebook, data_dir, config_dir = (Path(p).resolve() for p in (notebook, data_dir, config_dir))
    folder = report_folder(out_dir, partnership, year)
    final = ReportPaths.in_folder(folder, year)
    check_request(partnership, year, notebook, data_dir, config_dir, Path(out_dir),
                  cache_dir and Path(cache_dir))
    clash = sorted(set(extra_parameters or {}) & {"partnership", "report_year", "data_dir",
                                                  "config_dir", "cache_dir"})
    if clash:
        raise ReportError(f"Ekstra parametre kan ikke sætte {', '.join(clash)}; brug "
                          "tilvalgene for partnerskab, år, data- og konfigurationsmappe.",
                          step="Tjekker input")
    refuse_unknown_parameters(notebook, extra_parameters or {})
    refuse_overwrite(folder, force)
    started = datetime.now(timezone.utc).astimezone()
    cache_dir, cache_notices = cache.usable(cache_dir)   # unusable: None, and one warning
    parameters = {"partnership": partnership, "report_year": year, "data_dir": str(data_dir),
                  "config_dir": str(config_dir),
                  # The kernel runs in the notebook's folder: hand it absolute paths.
                  "cache_dir": str(Path(cache_dir).resolve()) if cache_dir else "",
                  **(extra_parameters or {})}

    log.info("Parametre: %s", parameters)
    warnings = [*cache_notices, *([] if notices is None else notices(parameters))]
    for notice in warnings:
        log.warning(notice)
    memo = Path(parameters["cache_dir"]) if parameters["cache_dir"] else None
    with steps.step("Beregner filhashes", "inddata kunne ikke læses"):
        # Not remembered yet: a refused delivery leaves the cache folder as it was.
        hashes = input_hashes(data_dir, config_dir, memo_dir=memo, remember=False)
    log.info("%d inputfiler er hashet", len(hashes))
    for name, digest in hashes.items():
        log.debug("  %s  %s", digest, name)
    # Check the inputs before anything is written: a refused delivery stops here with the
    # loader's own message (file, row, column, what was expected) instead of a notebook
    # traceback, and no kernel is started. The tables it parses land in the cache, where the
    # kernel then finds them. Errors pass through unchanged (DataError, ConfigError).
    stamp = check_inputs(precheck, notebook, parameters, hashes, memo, steps)

    try:
        made = make_folders(folder.parent)
    except OSError as error:
        raise ReportError(f"Rapportmappen {folder.parent} kan ikke oprettes: "
                          f"{os_reason(error)}. Vælg en --out, hvor du må skrive.",
                          step="Tjekker input") from None
    for stale in remove_stale(folder):
        log.info("Fjernede %s, efterladt af en kørsel, der blev afbrudt", stale)
    try:
        work = work_folder(folder)
    except OSError as error:
        remove_empty(made)
        raise ReportError(f"Der kan ikke skrives i {folder.parent}: "
                          f"{os_reason(error)}. Vælg en --out, hvor du må skrive.",
                          step="Tjekker input") from None
    temp = ReportPaths.in_folder(work, year)
    preparing = kernel = None
    try:
        with steps.step("Kører notebook", "notebooken fejlede"):
            kernel = NotebookKernel(notebook.parent)
            preparing = prepare_export()
            nb = execute_notebook(notebook, temp.notebook, parameters,
                                  record_path=final.notebook, kernel=kernel)
            kernel.stop(now=True)
        # A signal during the export is acted on when it ends (see run.interrupt).
        with steps.step("Eksporterer PDF", "PDF'en kunne ikke laves"), interrupt.deferred():
            preparing.join()
            html = temp.html if "html" in formats else None
            export_warnings = export_pdf(temp.notebook, temp.pdf, nb=nb, html_path=html)
        for message in export_warnings:
            log.warning("WeasyPrint: %s", message)
        with steps.step("Skriver kørselslog", "kørselsloggen kunne ikke skrives"):
            write_run_log(
                temp.log, parameters, hashes, started, datetime.now(timezone.utc).astimezone(),
                notebook={"source": str(notebook), "sha256": sha256_file(notebook)},
                outputs={"notebook": final.notebook.name, "pdf": final.pdf.name,
                         "pdf_sha256": sha256_file(temp.pdf),
                         **({"html": final.html.name, "html_sha256": sha256_file(temp.html)}
                            if html else {})},
                steps=steps.seconds,
                export_warnings=export_warnings,
                warnings=warnings,
                source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"),
            )
        with steps.step("Flytter rapporten på plads", f"rapporten kunne ikke flyttes til {folder}"):
            interrupt.check()
            move_into_place(work, folder, force)
    except ReportError as error:
        if keep_failed:
            release(work)  # not stale: kept on purpose
            after = f"Den fejlede kørsel er gemt i {work}, så den kan undersøges."
        else:
            shutil.rmtree(work, ignore_errors=True)
            remove_empty(made)
            after = "Intet er skrevet."
            if error.step == "Kører notebook":
                after += (" Kør med --keep-failed (keep_failed=True) for at gemme den kørte "
                          "notebook.")
        raise ReportError(
            f"Rapporten {partnership} {year} fejlede i trinnet '{error.step}': "
            f"{str(error).rstrip('.')}. "
            f"{folder} er uændret. {after}", step=error.step) from error.__cause__
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        remove_empty(made)
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
