"""Helpers shared by the benchmarks: timing side by side, memory, and the JSON they print.

Every benchmark measures a target *and its floor in the same run*, alternating them, and
reports the ratio of the medians: the machines are shared and noisy, so absolute seconds say
little, while a ratio taken under the same noise does.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def side_by_side(functions: dict[str, Callable[[], object]], repeats: int,
                 warmup: int = 1) -> dict[str, dict[str, float]]:
    """Run the functions in turn ``repeats`` times (after ``warmup`` untimed rounds); the
    median, minimum and every time of each, in seconds."""
    for _ in range(warmup):
        for function in functions.values():
            function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return summaries(times)


def summaries(times: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """The median, minimum and every time of each list of seconds."""
    return {name: {"median": statistics.median(t), "min": min(t), "times": t}
            for name, t in times.items()}


def rss_bytes() -> int:
    """The process's resident memory now (Linux: VmRSS)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def peak_rss_bytes() -> int:
    """The process's peak resident memory so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def emit(result: dict) -> None:
    """Print the result as the last line, for run_all.py to read."""
    print(json.dumps(result, default=float))


def mb(value: float) -> str:
    return f"{value / 1e6:.0f} MB"
