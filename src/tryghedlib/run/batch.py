"""Many reports at once, in parallel processes; a failure does not stop the others."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from tryghedlib.errors import TryghedError, described
from tryghedlib.run import interrupt
from tryghedlib.run.checks import Notices, Precheck, status_note_notices, status_note_precheck
from tryghedlib.run.publish import ReportPaths
from tryghedlib.run.report import DEFAULT_NOTEBOOK, run_report


@dataclass(frozen=True)
class JobOutcome:
    """What became of one (partnership, year) in a batch."""

    partnership: str
    year: int
    paths: ReportPaths | None
    error: str | None
    seconds: float
    #: (level, logger, message) of each warning logged while it ran (worker processes only),
    #: for the parent to log through its own handlers (the analyst's language and format).
    warnings: tuple[tuple[int, str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


class _Worker:
    stopped = False  # this process was stopped by a signal: it starts no report any more


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[tuple[int, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelno, record.name, record.getMessage()))


def _run_job(partnership: str, year: int, options: dict[str, Any],
             collect: bool = False) -> JobOutcome:
    """Run one report and turn any failure into an outcome.

    ``collect`` (in a worker process): keep the warnings logged meanwhile in the outcome, for
    the parent to log above its progress bar, instead of writing them across it in the
    worker's own format (a spawned worker has none of the parent's logging set-up).
    """
    began = time.perf_counter()
    if _Worker.stopped:  # a job the pool had queued before the batch was stopped
        return JobOutcome(partnership, year, None, "afbrudt", 0.0)
    handler = _Collect()
    if collect:
        logging.getLogger().addHandler(handler)
    paths = error = None
    try:
        paths = run_report(partnership, year, **options)
    except TryghedError as failure:
        error = str(failure)
    except Exception as failure:  # a bug must not stop the other reports either
        error = described(failure)
    except interrupt.Interrupted:
        _Worker.stopped = True
        raise
    finally:
        logging.getLogger().removeHandler(handler)
    return JobOutcome(partnership, year, paths, error, time.perf_counter() - began,
                      tuple(handler.messages))


#: How long a stopped batch waits for its running reports to stop and clean up.
STOP_SECONDS = 60


def _leave_interrupts_to_the_parent() -> None:
    """A worker between reports ignores Ctrl-C (a terminal sends it to every process); the
    parent stops the batch, and a report running then stops on its own (run.interrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
    precheck: Precheck | None = status_note_precheck,
    notices: Notices | None = status_note_notices,
    formats: tuple[str, ...] = ("pdf",),
) -> list[JobOutcome]:
    """Produce many reports in parallel processes; a failure does not stop the others.

    Returns one :class:`JobOutcome` per distinct job, in the order given. ``workers <= 1`` runs
    them one after the other in this process. The other arguments are :func:`run_report`'s.
    Each failure and warning is printed once, above the progress bar, as it comes.
    """
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    jobs = list(dict.fromkeys((str(p), int(y)) for p, y in jobs))
    options = {"data_dir": data_dir, "config_dir": config_dir, "out_dir": out_dir,
               "notebook": notebook, "force": force, "extra_parameters": extra_parameters,
               "keep_failed": keep_failed, "cache_dir": cache_dir, "precheck": precheck,
               "notices": notices, "formats": formats}
    outcomes: dict[tuple[str, int], JobOutcome] = {}
    bar = tqdm(total=len(jobs), desc="Rapporter", unit="rapport", disable=not show_progress)

    def record(outcome: JobOutcome) -> None:
        outcomes[(outcome.partnership, outcome.year)] = outcome
        for level, name, message in outcome.warnings:
            logging.getLogger(name).log(level, message)
        if not outcome.ok:
            bar.write(f"FEJL  {outcome.partnership} {outcome.year}: {outcome.error}",
                      file=sys.stderr)
        bar.update(1)

    try:
        # Warnings are logged above the bar, this process's and the workers' alike.
        with logging_redirect_tqdm():
            if workers <= 1 or len(jobs) <= 1:
                for partnership, year in jobs:
                    record(_run_job(partnership, year, options))
            else:
                _run_in_processes(jobs, workers, options, record)
    finally:
        bar.close()
    return [outcomes[job] for job in jobs]


def _run_in_processes(jobs: list[tuple[str, int]], workers: int, options: dict[str, Any],
                      record: Callable[[JobOutcome], None]) -> None:
    """Run the jobs on ``workers`` processes, recording each outcome as it comes."""
    # spawn, not fork: the parent may hold threads (kernel clients, tqdm) that fork
    # would copy in a locked state.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                             initializer=_leave_interrupts_to_the_parent) as pool:
        futures = [pool.submit(_run_job, p, y, options, True) for p, y in jobs]
        pending = set(futures)
        try:
            # A signal is acted on here, between waits, not inside the executor's
            # locks (raised there, it left the pool unable to shut down).
            with interrupt.deferred():
                while pending:
                    done, pending = wait(pending, timeout=0.2,
                                         return_when=FIRST_COMPLETED)
                    for future in done:
                        record(future.result())
                    interrupt.check()
        except BaseException:
            # Stopped (Ctrl-C, SIGTERM): no report starts any more, and the running
            # ones stop and clean up as a single stopped report does.
            pool.shutdown(wait=False, cancel_futures=True)
            children = multiprocessing.active_children()
            for child in children:
                os.kill(child.pid, signal.SIGTERM)
            # Once they have, no worker may be left waiting for a next report: the
            # pool would wait for it at exit, and the stopped batch hang (seen under
            # load, py-spy: the parent in concurrent.futures' _python_exit).
            wait(futures, timeout=STOP_SECONDS)
            for child in children:
                child.kill()
            raise
