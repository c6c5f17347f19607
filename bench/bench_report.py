"""``tryghed report`` end to end on the example data, against its floor.

    python bench/bench_report.py [--repeats N] [--data-dir DIR]

Each run is a fresh process, as an analyst starts it:

report  ``tryghed report --partnership tingbjerg-husum --year 2021`` on ``data/raw/example``
        into a temporary folder, with a processed cache that a first, untimed report filled
        (the analyst re-running a report): its tables, the hash memo and the stamp saying
        these inputs passed the precheck (so the timed reports skip it; the kernel still
        validates everything).
floor   ``bench/report_floor.py``: papermill executing a notebook that only imports what the
        status note imports, plus WeasyPrint exporting an HTML of as many pages as the report's
        PDF has (``bench/report_floor.py``).

They alternate; the ratio is of the medians. Also checks that the report's process does not
import ``rfc3987_syntax`` (jupyterlab's dependency that costs ~3 s in every process importing
nbformat with it installed): ``python -X importtime`` lists every module imported.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import _common

ROOT = _common.ROOT
TRYGHED = [sys.executable, "-m", "tryghedlib.run.cli"]


def report_command(out: Path, cache: Path, data_dir: Path) -> list[str]:
    return [*TRYGHED, "report", "--partnership", "tingbjerg-husum", "--year", "2021",
            "--data-dir", str(data_dir), "--out", str(out), "--cache-dir", str(cache), "--force"]


def floor_command(out: Path, pages: int) -> list[str]:
    return [sys.executable, str(ROOT / "bench" / "report_floor.py"), "--pages", str(pages),
            "--out", str(out)]


def import_microseconds(importtime: str, module: str) -> int | None:
    """The cumulative import time of ``module`` in ``python -X importtime`` output, if any."""
    for line in importtime.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == module:
            return int(parts[1])
    return None


def run(command: list[str]) -> None:
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data" / "raw" / "example")
    args = parser.parse_args(argv)
    import pypdf

    with tempfile.TemporaryDirectory(dir=ROOT / "bench" / "out") as temporary:
        work = Path(temporary)
        cache, reports, floors = work / "cache", work / "reports", work / "floor"
        run(report_command(reports, cache, args.data_dir))  # fills the cache (untimed)
        pdf = reports / "2021" / "tingbjerg-husum" / "status_note_2021.pdf"
        pages = len(pypdf.PdfReader(pdf).pages)
        timed = _common.side_by_side({
            "floor": lambda: run(floor_command(floors, pages)),
            "report": lambda: run(report_command(reports, cache, args.data_dir)),
        }, args.repeats, warmup=0)
        imports = subprocess.run([sys.executable, "-X", "importtime", *TRYGHED[1:],
                                  *report_command(reports, cache, args.data_dir)[3:]],
                                 cwd=ROOT, capture_output=True, text=True)
    _common.emit({"pages": pages, **timed,
                  "ratio": timed["report"]["median"] / timed["floor"]["median"],
                  # The guard in report.py makes the import fail at once (a few µs); loaded,
                  # it would take seconds and bring in lark.
                  "rfc3987_syntax_import_us": import_microseconds(imports.stderr,
                                                                  "rfc3987_syntax"),
                  "lark_imported": import_microseconds(imports.stderr, "lark") is not None,
                  "report_command": "tryghed report --partnership tingbjerg-husum --year 2021 "
                                    "--data-dir data/raw/example --out TMP --cache-dir TMP "
                                    "--force"})


if __name__ == "__main__":
    main()
