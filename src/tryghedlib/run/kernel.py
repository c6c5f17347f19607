"""The notebook's kernel: started early, stopped in the background, its clients closed."""

from __future__ import annotations

import functools
import logging
import subprocess
import threading
from pathlib import Path

from tryghedlib.run import imports

log = logging.getLogger(__name__)

KERNEL_NAME = "python3"
# Silence the kernel's start-up warning about unencrypted local TCP on stderr.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR",)


@functools.lru_cache(maxsize=1)
def _tracked_client_class() -> type:
    """jupyter_client's AsyncKernelClient, remembering itself in its manager's ``opened``."""
    imports.async_kernel_manager()  # jupyter_client, imported as the run imports it
    from jupyter_client.asynchronous import AsyncKernelClient

    class TrackedClient(AsyncKernelClient):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            # nbclient leaves the channels of a kernel it does not own open: remember them
            # so that stopping the kernel closes them.
            getattr(self.parent, "opened", []).append(self)

    return TrackedClient


class NotebookKernel:
    """The notebook's kernel, started before papermill is imported and stopped in a thread.

    Started first, it boots (about 0.7 s) while this process imports papermill and nbconvert;
    stopped in a thread, its end overlaps the export of the PDF. Papermill runs the notebook on it
    (``execute_notebook(..., kernel=...)``) as it would on a kernel of its own. The clients it
    hands out are made by jupyter_client's ``client_factory`` setting and closed on stopping.
    """

    def __init__(self, cwd: str | Path):
        from jupyter_core.utils import run_sync

        self.manager = imports.async_kernel_manager()(
            kernel_name=KERNEL_NAME, client_factory=_tracked_client_class())
        self.manager.opened = []
        self._stopping: threading.Thread | None = None
        # As nbclient starts its own kernels: no history file written under ~/.ipython.
        arguments = [*KERNEL_ARGUMENTS, "--HistoryManager.hist_file=:memory:"]
        # The kernel's own stderr (its start-up and shutdown chatter, a traceback when it is
        # stopped mid-cell) is not the analyst's: a cell's errors reach the notebook anyway.
        stderr = None if log.isEnabledFor(logging.DEBUG) else subprocess.DEVNULL
        run_sync(self.manager.start_kernel)(cwd=str(cwd), extra_arguments=arguments,
                                            stderr=stderr)

    def stop(self, *, now: bool = False) -> None:
        """Stop the kernel in a background thread (once); :meth:`join` waits for it.

        ``now``: kill it instead of asking it to shut down, for a kernel whose notebook has run
        to its end, so that nothing in it is left to finish. Its orderly shutdown costs about
        1.5 s of CPU (Python tearing down pandas, matplotlib, ...), which a batch of reports on
        every core pays in time; a kernel stopped mid-cell still gets it, so that the cell's
        clean-up runs.
        """
        if self._stopping is None:
            self._stopping = threading.Thread(target=self._shut_down, args=(now,),
                                              name="tryghed-kernel", daemon=True)
            self._stopping.start()

    def join(self) -> None:
        self.stop()
        self._stopping.join()

    def _shut_down(self, now: bool) -> None:
        from jupyter_core.utils import run_sync

        try:
            for client in self.manager.opened:
                client.stop_channels()
            run_sync(self.manager.shutdown_kernel)(now=now)
        except Exception:  # the kernel is gone or going: nothing the report depends on
            log.debug("Stopping the kernel failed", exc_info=True)
