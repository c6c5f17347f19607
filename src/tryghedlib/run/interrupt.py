"""Ctrl-C and SIGTERM during a run: stop at once where that is safe, publish nothing.

While a run is :func:`stoppable`, SIGINT and SIGTERM raise :class:`Interrupted` in the main
thread, so the run's own cleanup (remove the temporary folder, stop the kernel) runs as for any
failure. Inside :func:`deferred` a signal is only remembered and raised when the block ends:
the PDF export runs in C libraries whose callbacks swallow exceptions (a Ctrl-C there was lost
and the report published), and cleanup must not be cut short by a second Ctrl-C.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal; :attr:`exit_code` is 128 + its number (130, 143).

    A KeyboardInterrupt, also for SIGTERM: asyncio lets only those (and SystemExit) out of its
    callbacks and tasks. Raised while the event loop that runs the notebook was inside one,
    any other exception was logged or kept in a task no one awaits, and the run went on.
    """

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def __reduce__(self):
        # A batch worker sends it back to the parent: rebuilt from the number, not the name.
        return type(self), (self.signum,)


class _State:
    received: list[int] = []
    deferring = 0


def _handle(signum, frame) -> None:
    first = not _State.received
    _State.received.append(signum)
    if first and not _State.deferring:
        raise Interrupted(signum)


def check() -> None:
    """Raise :class:`Interrupted` if a signal came (while deferred, or swallowed since)."""
    if _State.received:
        raise Interrupted(_State.received[0])


@contextmanager
def stoppable() -> Iterator[None]:
    """Handle SIGINT and SIGTERM as above while inside (main thread only; nested: a no-op)."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is _handle:
        yield
        return
    previous = {signum: signal.signal(signum, _handle) for signum in SIGNALS}
    _State.received = []
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Only remember signals while inside; raise the first when the block ends."""
    _State.deferring += 1
    try:
        yield
    finally:
        _State.deferring -= 1
    check()
