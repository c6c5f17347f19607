"""The steps of a run: announced to the analyst, timed, and each failure named by its step."""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from tryghedlib.errors import TryghedError, described

log = logging.getLogger(__name__)

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


class Steps:
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
        except Exception as error:   # a full disk, a folder made read-only: said in Danish
            raise ReportError(f"{failure}: {described(error)}", step=name) from error
        self.seconds[name] = round(time.perf_counter() - began, 2)

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started
