"""Time one vectorised call of two_proportion_test on 1,000,000 comparisons.

    python bench/bench_significance.py [comparisons]

Prints the best of a few runs and its ratio to a floor: the time NumPy takes for the
shares' difference x1/n1 - x2/n2 on the same arrays (the least any test must do).
The target is well under 1 s for 1,000,000 comparisons on 2 cores. For reference it also
times the exact Poisson test on a tenth as many comparisons (a report has dozens).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from tryghedlib.significance import poisson_rate_test, two_proportion_test

REPEATS = 5


def best_time(function, *args, **kwargs) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def floor(x1, n1, x2, n2):
    return x1 / n1 - x2 / n2


def main(size: int = 1_000_000) -> None:
    rng = np.random.default_rng(2021)
    n1 = rng.integers(30, 3000, size)
    n2 = rng.integers(30, 3000, size)
    x1 = rng.binomial(n1, 0.16)
    x2 = rng.binomial(n2, 0.18)
    tenth = size // 10
    k1, k2 = rng.poisson(250, tenth), rng.poisson(240, tenth)

    floor_s = best_time(floor, x1, n1, x2, n2)
    print(f"{size:,} comparisons, best of {REPEATS} runs")
    print(f"{'floor: x1/n1 - x2/n2':40s} {floor_s:8.4f} s")
    for label, function, args, kwargs in [
        ("two_proportion_test (pooled z)", two_proportion_test, (x1, n1, x2, n2), {}),
        ("two_proportion_test (Yates)", two_proportion_test, (x1, n1, x2, n2),
         {"correction": True}),
    ]:
        seconds = best_time(function, *args, **kwargs)
        print(f"{label:40s} {seconds:8.4f} s   {seconds / floor_s:6.1f} x floor")
    seconds = best_time(poisson_rate_test, k1, 11631.0, k2, 11580.0)
    print(f"{f'poisson_rate_test, {tenth:,} comparisons':40s} {seconds:8.4f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
