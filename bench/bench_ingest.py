"""Ingest of a citywide police register, against pyarrow just reading the same CSV.

    python bench/bench_ingest.py DATA_DIR [--mode time|memory|cache] [--repeats N]

DATA_DIR holds one police register (``bench/make_inputs.py`` makes them) beside the example's
geography. *Ingest* is what a report does with the register, as ``model._crime`` does it:
``loaders.load_police`` (read, parse, validate), ``geography.place_reports`` (point in
polygon) and ``indicators.crime_counts`` for a partnership's sub-areas and for the city.

``time``    ingest and the floor -- ``pyarrow.csv.read_csv`` of the same file with ``;`` as
            separator and nothing else -- alternated, after one warm-up round; ratio of medians.
``memory``  one ingest in this fresh process: peak resident memory above the resident memory
            just before it, against the size of the Arrow table pyarrow reads (read afterwards,
            so that it does not raise the peak).
``fresh``   ingest and the floor each timed once in a fresh process (after its imports and
            set-up), the processes alternated: a report or a ``tryghed`` command reads a
            register once, so neither side has its memory already in hand. This is the
            judged ratio. In ``time``, pyarrow's memory pool keeps the pages of its earlier
            reads while NumPy's arrays are given back to the system and faulted in again on
            every repeat, so that ratio is shown but not judged. Each timing is one
            ``--mode once --what floor|ingest`` process.
``cache``   ingest from the processed cache (``cache.cached`` hit: the input's hash from the
            memo, then the parquet file) with the same placing and counting; the cache is
            built first, untimed. The floor is timed too, for the ratio.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401  (puts src/ on the path)
import pyarrow as pa
import pyarrow.csv as pacsv

from tryghedlib.sources import cache, loaders
from tryghedlib.analysis import indicators
from tryghedlib.analysis import geography as geo
from tryghedlib.config import load_partnership, load_settings

CONFIG = _common.ROOT / "config"


class Ingest:
    def __init__(self, data_dir: Path, cache_dir: Path | None = None):
        self.data_dir = Path(data_dir)
        self.settings = load_settings(CONFIG)
        self.codes_file = CONFIG / "offence_codes.csv"
        self.codes = loaders.load_offence_codes(self.codes_file)
        self.geography = loaders.load_geography(self.data_dir)
        self.subareas = load_partnership("tingbjerg-husum", CONFIG).subareas(2021)
        self.files = loaders.police_files(self.data_dir)
        self.cache_dir = cache_dir

    def floor(self):
        return pacsv.read_csv(self.files[0], parse_options=pacsv.ParseOptions(delimiter=";"))

    def load(self):
        return loaders.load_police(self.data_dir, self.codes, extent=self.settings.police_extent)

    def load_cached(self):
        return cache.cached("police", [*self.files, self.codes_file], self.load, self.cache_dir)

    def aggregate(self, police):
        placed = geo.place_reports(police, self.geography, self.settings.city)
        years = indicators.distinct_years(placed["year"])
        area = indicators.crime_counts(placed, self.codes, geo.in_subareas(placed, self.subareas),
                                       years)
        city = indicators.crime_counts(placed, self.codes, placed["in_city"], years)
        return area, city, int((~placed["located"]).sum())

    def run(self):
        return self.aggregate(self.load())

    def run_cached(self):
        return self.aggregate(self.load_cached())


def fresh(data_dir: Path, repeats: int) -> dict:
    """Ingest and the floor, each once per fresh process, alternated ``repeats`` times."""
    times: dict[str, list[float]] = {"floor": [], "ingest": []}
    for _ in range(repeats):
        for what, seen in times.items():
            done = subprocess.run([sys.executable, __file__, str(data_dir), "--mode", "once",
                                   "--what", what], check=True, capture_output=True, text=True)
            seen.append(json.loads(done.stdout.splitlines()[-1])["seconds"])
    timed = _common.summaries(times)
    return {"mode": "fresh", **timed, "ratio": timed["ingest"]["median"] / timed["floor"]["median"]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--mode", choices=["time", "fresh", "memory", "cache", "once"],
                        default="time")
    parser.add_argument("--what", choices=["floor", "ingest"], help="for --mode once")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cache-dir", type=Path, help="default: a temporary folder")
    args = parser.parse_args(argv)
    if args.mode == "fresh":
        _common.emit(fresh(args.data_dir, args.repeats))
        return
    work = Ingest(args.data_dir)
    if args.mode == "once":
        start = time.perf_counter()
        (work.floor if args.what == "floor" else work.run)()
        _common.emit({"seconds": time.perf_counter() - start})
        return
    rows = work.floor().num_rows if args.mode != "memory" else None
    result = {"mode": args.mode, "file": str(work.files[0]), "bytes": work.files[0].stat().st_size}
    if args.mode == "time":
        timed = _common.side_by_side({"floor": work.floor, "ingest": work.run}, args.repeats)
        result.update(rows=rows, **timed,
                      ratio=timed["ingest"]["median"] / timed["floor"]["median"])
    elif args.mode == "memory":
        gc.collect()
        before = _common.rss_bytes()
        start = time.perf_counter()
        work.run()
        seconds = time.perf_counter() - start
        peak = _common.peak_rss_bytes()
        table = work.floor()
        result.update(rows=table.num_rows, seconds=seconds, rss_before=before, rss_peak=peak,
                      increase=peak - before, arrow_bytes=table.nbytes,
                      arrow_pool_peak=pa.default_memory_pool().max_memory(),
                      ratio=(peak - before) / table.nbytes)
    else:
        with tempfile.TemporaryDirectory(dir=_common.ROOT / "bench" / "out") as temporary:
            work.cache_dir = args.cache_dir or Path(temporary)
            work.run_cached()  # builds the cache and learns the hash
            timed = _common.side_by_side({"floor": work.floor, "cache_read": work.load_cached,
                                          "ingest_cached": work.run_cached}, args.repeats)
        result.update(rows=rows, **timed,
                      ratio=timed["ingest_cached"]["median"] / timed["floor"]["median"])
    _common.emit(result)


if __name__ == "__main__":
    main()
