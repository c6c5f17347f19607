"""Long array work shared between the threads of one process.

NumPy, shapely and pyarrow release Python's lock inside their loops, so threads share the
cores on the same arrays, which processes could only do by copying them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

THREADS = min(os.cpu_count() or 1, 4)  # beyond four the shares are too small to gain


def map_spans(work: Callable[[int, int], T], length: int, chunk: int) -> list[T]:
    """``work(start, stop)`` on each thread's share of ``range(length)``, in whole chunks;
    the results in order.

    >>> map_spans(lambda start, stop: (start, stop), 10, 4)[-1][1]
    10
    """
    share = max(-(-length // THREADS // chunk), 1) * chunk
    starts = range(0, length, share)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(work, starts, [min(s + share, length) for s in starts]))
