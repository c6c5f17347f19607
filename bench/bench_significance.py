"""Time one vectorised call of two_proportion_test on 1,000,000 comparisons.

    python bench/bench_significance.py [comparisons] [--json]

Prints the best of a few runs and its ratio to a floor: the time NumPy takes for the
shares' difference x1/n1 - x2/n2 on the same arrays (the least any test must do).
The target is well under 1 s for 1,000,000 comparisons on 2 cores. For reference it also
times the exact Poisson test on a tenth as many comparisons (a report has dozens).
"""

from __future__ import annotations

import sys
import time

import numpy as np

import _common  # noqa: F401  (puts src/ on the path)

from tryghedlib.analysis.significance import poisson_rate_test, two_proportion_test

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


def main(size: int = 1_000_000, as_json: bool = False) -> dict:
    rng = np.random.default_rng(2021)
    n1 = rng.integers(30, 3000, size)
    n2 = rng.integers(30, 3000, size)
    x1 = rng.binomial(n1, 0.16)
    x2 = rng.binomial(n2, 0.18)
    tenth = size // 10
    k1, k2 = rng.poisson(250, tenth), rng.poisson(240, tenth)

    say = (lambda *a: None) if as_json else print
    floor_s = best_time(floor, x1, n1, x2, n2)
    result = {"comparisons": size, "repeats": REPEATS, "floor": floor_s}
    say(f"{size:,} comparisons, best of {REPEATS} runs")
    say(f"{'floor: x1/n1 - x2/n2':40s} {floor_s:8.4f} s")
    for key, label, function, args, kwargs in [
        ("pooled", "two_proportion_test (pooled z)", two_proportion_test, (x1, n1, x2, n2), {}),
        ("yates", "two_proportion_test (Yates)", two_proportion_test, (x1, n1, x2, n2),
         {"correction": True}),
    ]:
        seconds = best_time(function, *args, **kwargs)
        result[key] = seconds
        say(f"{label:40s} {seconds:8.4f} s   {seconds / floor_s:6.1f} x floor")
    seconds = best_time(poisson_rate_test, k1, 11631.0, k2, 11580.0)
    result["poisson_tenth"] = seconds
    say(f"{f'poisson_rate_test, {tenth:,} comparisons':40s} {seconds:8.4f} s")
    if as_json:
        _common.emit(result)
    return result


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(numbers[0]) if numbers else 1_000_000, as_json="--json" in sys.argv)
