"""Checks before a report runs: the request, the status note's precheck and notices.

The precheck builds the note's whole model in this process from the parameters the notebook
gets (:func:`tryghedlib.note.model.build_note_for`), so a refused delivery is named before a
kernel starts or anything is written. The notices are warnings a report can be made without
but should not go out without by oversight.
"""

from __future__ import annotations

import difflib
import logging
import re
import time
from pathlib import Path
from typing import Any, Callable

from tryghedlib.errors import TryghedError, described
from tryghedlib.paths import among_inputs
from tryghedlib.run.steps import ReportError, Steps
from tryghedlib.sources import cache, delivery

log = logging.getLogger(__name__)

Precheck = Callable[[dict[str, Any]], Any]
Notices = Callable[[dict[str, Any]], list[str]]

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def check_request(partnership: str, year: int, notebook: Path, data_dir: Path,
                  config_dir: Path, out_dir: Path | None = None,
                  cache_dir: Path | None = None) -> None:
    """Refuse a request that cannot be run, before anything is read or written.

    ``out_dir`` and ``cache_dir`` may not lie inside the data or config folder
    (:func:`refuse_among_inputs`).
    """
    if not _SAFE_ID.match(partnership) or ".." in partnership:
        raise ReportError(
            f"Ugyldigt partnerskab {partnership!r}: brug bogstaver, cifre, '-', '_' eller '.', "
            "som i filnavnene i config/partnerships/.", step="Tjekker input")
    if not isinstance(year, int) or not 1900 <= year <= 2200:
        raise ReportError(f"Ugyldigt år {year!r}: forventede et årstal med fire cifre, "
                          "f.eks. 2021.",
                          step="Tjekker input")
    if not notebook.is_file():
        raise ReportError(f"Notebooken {notebook} {_missing(notebook, 'en fil')}.",
                          step="Tjekker input")
    require_folders(data_dir, config_dir)
    refuse_among_inputs(data_dir, config_dir, out=out_dir, cache=cache_dir)


#: Each output folder's option and what is written there, as a refusal says them.
_WRITTEN = {"out": ("--out", "rapporter"), "cache": ("--cache-dir", "cachens tabeller")}


def refuse_among_inputs(data_dir: Path, config_dir: Path, **folders: Path | str | None) -> None:
    """Refuse an output folder (``out=``, ``cache=``) inside the data or config folder (links
    resolved): what is written there would become an input or change a delivery, and
    ``--force`` would replace files among them. None or '' is no folder."""
    for option, given in folders.items():
        what = among_inputs(given, data_dir, config_dir) if given else None
        if what is not None:
            folder = Path(data_dir if what == "datamappen" else config_dir).resolve()
            flag, kind = _WRITTEN[option]
            raise ReportError(
                f"{flag} {given} ligger i {what} {folder}: {kind} skrives aldrig blandt "
                f"inddata. Vælg en {flag} uden for data- og konfigurationsmappen.",
                step="Tjekker input")


def require_folders(data_dir: Path | None, config_dir: Path) -> None:
    """Refuse a data or configuration folder that is none, before anything is read in it:
    else every source would be reported missing, or none found. ``data_dir`` None: none given."""
    for what, path in (("Datamappen", data_dir), ("Konfigurationsmappen", config_dir)):
        if path is not None and not Path(path).is_dir():
            raise ReportError(f"{what} {path} {_missing(path, 'en mappe')}.",
                              step="Tjekker input")


def _missing(path: Path, kind: str) -> str:
    # /dev/null, or a file given for a folder, exists: say what it is not.
    return "findes ikke" if not Path(path).exists() else f"er ikke {kind}"


def notebook_parameters(notebook: Path) -> dict[str, str | None] | None:
    """The names the notebook's ``parameters`` cell assigns, each with its type annotation as
    written (``"str"``; None without one), as papermill reads them; None when the notebook
    has no such cell or cannot be read here (papermill then says so when it runs). It
    imports papermill: call it for ``-p`` parameters only, not on every report's way to its
    kernel."""
    import papermill

    try:
        found = papermill.inspect_notebook(str(notebook))
    except (OSError, ValueError):   # nbformat's NotJSONError is a ValueError
        return None
    # None, too, without a parameters cell: papermill then adds the parameters at the top.
    return {name: p["inferred_type_name"] if p["inferred_type_name"] != "None" else None
            for name, p in found.items()} or None


def refuse_unknown_parameters(notebook: Path, extra: dict[str, Any]) -> None:
    """Refuse an extra parameter (``-p NAVN=VÆRDI``) the notebook does not have: papermill
    only warned (in English) and ran without it, so ``-p note_dat=...`` gave a note without
    its date."""
    known = notebook_parameters(notebook) if extra else None
    unknown = [name for name in extra if known is not None and name not in known]
    if not unknown:
        return
    near = difflib.get_close_matches(unknown[0], list(known), n=1, cutoff=0.6)
    raise ReportError(
        f"Ukendt parameter {', '.join(unknown)} (-p): notebooken {notebook} har ingen sådan "
        "parameter" + (f" (mente du {near[0]}?)" if near else "")
        + f". Forventede en af: {', '.join(known)}.", step="Tjekker input")


def status_note_precheck(parameters: dict[str, Any]) -> Any:
    """The status note's precheck: build its model from the notebook's parameters.

    Imported here, when called: the model needs pandas and the rest (about 1 s), which a
    report whose inputs passed before never loads in this process.
    """
    from tryghedlib.note import model

    return model.build_note_for(parameters)


def status_note_notices(parameters: dict[str, Any]) -> list[str]:
    """The status note's warnings for these parameters. Called on every run: keep it cheap."""
    from tryghedlib import config

    return [*config.header_notices(parameters),
            *delivery.unexpected_files(parameters["data_dir"])]


def check_inputs(precheck: Precheck | None, notebook: Path, parameters: dict[str, Any],
                 hashes: dict[str, str], memo: Path | None, steps: Steps) -> str | None:
    """Run ``precheck`` unless exactly these inputs passed it before.

    Returns the validation key to stamp once the report is made (None: nothing to stamp).
    Skipping only saves the parent importing and building the model: the kernel still builds
    and validates everything, and a refusal there is reported the same way
    (:class:`~tryghedlib.run.steps.InputRefused`).
    """
    if precheck is None:
        return None
    key = cache.validation_key(hashes, parameters, notebook, memo) if memo else None
    if key is not None and cache.is_validated(key, memo):
        steps.say("Data er uændrede siden sidste vellykkede kørsel ...")
        return None
    steps.say("Tjekker data ...")
    began = time.perf_counter()
    try:
        precheck(parameters)
    except TryghedError:
        raise
    except Exception as error:  # a bug, not a flaw of the input: say so, nothing written
        raise ReportError(
            f"Rapporten {parameters['partnership']} {parameters['report_year']} fejlede i "
            f"trinnet 'Tjekker data': {described(error)}. Det er en fejl i "
            f"tryghedlib, ikke i data; intet er skrevet.", step="Tjekker data") from error
    steps.seconds["Tjekker data"] = round(time.perf_counter() - began, 2)
    return key
