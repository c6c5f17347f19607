"""Turning a workbook's cells into text (``sources.cells.text_frame``): this checkout against
another version of ``cells.py``, on the same frame, in one process.

    git show main:src/tryghedlib/sources/cells.py > /tmp/cells_before.py
    .venv/bin/python bench/bench_cells.py bench/out/police_1000000.xlsx /tmp/cells_before.py

The sheet is read once with python-calamine (``bench_workbook.py`` makes the workbook); then
the two versions take turns, ``--repeat`` times each, so a load that comes and goes on a shared
machine falls on both; the medians are printed, and the two results must be equal.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time

import pandas as pd

from tryghedlib.sources import cells, workbook


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workbook")
    parser.add_argument("before", help="another version of sources/cells.py")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    spec = importlib.util.spec_from_file_location("cells_before", args.before)
    before = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(before)
    start = time.perf_counter()
    frame = workbook.read_sheet(args.workbook).frame
    print(f"{len(frame):,} rows read in {time.perf_counter() - start:.1f} s")
    pd.testing.assert_frame_equal(before.text_frame(frame), cells.text_frame(frame))
    times = {"before": [], "now": []}
    for _ in range(args.repeat):
        for name, module in (("before", before), ("now", cells)):
            start = time.perf_counter()
            module.text_frame(frame)
            times[name].append(time.perf_counter() - start)
    for name, runs in times.items():
        print(f"{name:6s} median {statistics.median(runs):.2f} s  "
              f"(runs {', '.join(f'{r:.2f}' for r in runs)})")
    print(f"{statistics.median(times['before']) / statistics.median(times['now']):.1f}x faster")


if __name__ == "__main__":
    main()
