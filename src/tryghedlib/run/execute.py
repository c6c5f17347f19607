"""Executing the notebook with papermill, and turning a failed cell into a message."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tryghedlib.run import imports
from tryghedlib.run.kernel import KERNEL_ARGUMENTS, KERNEL_NAME, NotebookKernel
from tryghedlib.run.steps import InputRefused, ReportError

# Errors raised in the kernel that are about the inputs, not about the code (tryghedlib.errors).
INPUT_ERRORS = ("DataError", "ConfigError")

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


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
    papermill = imports.papermill()
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
            f"notebooken fejlede i celle [{error.exec_count}]: {error.ename}: {message}",
            step="Kører notebook") from None
    if record_path is not None:
        nb.metadata.setdefault("papermill", {})["output_path"] = str(record_path)
        imports.nbformat().write(nb, str(output))
    return nb
