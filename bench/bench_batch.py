"""``tryghed batch``: 24 reports (3 partnerships x 8 years) on 2 workers against 1 worker.

    python bench/bench_batch.py DATA_DIR [--years 2014-2021] [--repeats N]

DATA_DIR is ``bench/out/batch`` (``bench/make_inputs.py``): the example data plus a police
register and population for 2013, so that every report year 2014-2021 has its crime year
(the example's register covers 2014-2020, so a 2014 report would have none). Only 2021 has
safety-plan workbooks; the other years' notes leave section 3 out, as they should. Reports
that fail are counted and named in the result, and do not stop the benchmark.

A first, untimed report fills the processed cache (every survey year and police file that the
other reports share); then the serial batch (``--workers 1``) and the parallel one
(``--workers 2``) run in turn, each a fresh ``tryghed batch`` process writing into its own
temporary folder and starting from its own copy of that cache. So neither profits from the
other: each report checks its inputs before its kernel starts, as in the yearly batch on a new
delivery (a report whose inputs passed before skips that check, and the half that ran second
would skip it for every report). The ratio is parallel / serial (medians).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import _common

ROOT = _common.ROOT
PARTNERSHIPS = "tingbjerg-husum,norrebro,nordvest"


def batch_command(data_dir: Path, out: Path, cache: Path, years: str, workers: int) -> list[str]:
    return [sys.executable, "-m", "tryghedlib.run.cli", "batch", "--partnerships", PARTNERSHIPS,
            "--years", years, "--workers", str(workers), "--data-dir", str(data_dir),
            "--out", str(out), "--cache-dir", str(cache), "--force", "--no-progress"]


def run(command: list[str], *, failures_ok: bool = False) -> str:
    """Run a command; a batch whose every report failed (or that crashed) stops the benchmark,
    one where some reports failed does not (``failures_ok``): they are counted and named."""
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode and not (failures_ok and done.returncode == 1 and "OK" in done.stdout):
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def _years(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--years", default="2014-2021")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=ROOT / "bench" / "out") as temporary:
        work = Path(temporary)
        cache = work / "cache"
        run([sys.executable, "-m", "tryghedlib.run.cli", "report", "--partnership", "tingbjerg-husum",
             "--year", "2021", "--data-dir", str(args.data_dir), "--out", str(work / "warm"),
             "--cache-dir", str(cache), "--force"])
        outputs = {}

        def batch(workers: int):
            own = work / f"cache{workers}"
            shutil.rmtree(own, ignore_errors=True)
            shutil.copytree(cache, own)
            outputs[workers] = run(batch_command(args.data_dir, work / f"out{workers}", own,
                                                 args.years, workers), failures_ok=True)

        timed = _common.side_by_side({"serial": lambda: batch(1),
                                      "parallel": lambda: batch(args.workers)},
                                     args.repeats, warmup=0)
    lines = outputs[1].splitlines()
    failed = [line.split(":")[0][4:].strip() for line in lines if line.startswith("FEJL  ")]
    _common.emit({"reports": sum(line.startswith("OK") for line in lines), "failed": failed,
                  "jobs": len(PARTNERSHIPS.split(",")) * len(_years(args.years)),
                  "workers": args.workers, "years": args.years,
                  "partnerships": PARTNERSHIPS, **timed,
                  "ratio": timed["parallel"]["median"] / timed["serial"]["median"]})


if __name__ == "__main__":
    main()
