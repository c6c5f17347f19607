"""Reading a police extract delivered as an Excel workbook: python-calamine against openpyxl.

    .venv/bin/python bench/bench_workbook.py                 # 1,000,000 rows
    .venv/bin/python bench/bench_workbook.py --rows 100000   # quicker

The workbook (the vendor form's police sheet, real dates) is made once into ``bench/out/``
(git-ignored) and reused. Each engine reads the sheet (``sources.workbook.read_sheet``) in a
fresh process, best of ``--repeat``; then the cells are turned into the text the CSV path
checks (``sources.cells.text_frame``), the same for both engines, timed once.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def make(rows: int) -> Path:
    path = OUT / f"police_{rows}.xlsx"
    if path.exists():
        return path
    import pandas as pd

    from tryghedlib.example import generate_police, police_csv_bytes
    from tryghedlib.example.vendor import POLICE_SHEET, police_sheet
    from tryghedlib.example.xlsx import write_xlsx
    years = range(2014, 2021)
    frame = generate_police({y: rows // len(years) + (i < rows % len(years))
                             for i, y in enumerate(years)})
    table = pd.read_csv(io.BytesIO(police_csv_bytes(frame)), sep=";", dtype=str,
                        keep_default_na=False)
    OUT.mkdir(parents=True, exist_ok=True)
    return write_xlsx(path, {POLICE_SHEET: police_sheet(table)})


def measure(path: str, engine: str, text: bool) -> dict:
    from tryghedlib.sources import cells, workbook
    start = time.perf_counter()
    sheet = workbook.read_sheet(path, engine=engine)
    read = time.perf_counter() - start
    result = {"engine": engine, "rows": len(sheet.frame), "read_s": round(read, 2)}
    if text:
        start = time.perf_counter()
        cells.text_frame(sheet.frame)
        result["text_s"] = round(time.perf_counter() - start, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)  # path engine (child)
    parser.add_argument("--text", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure, text=args.text)))
        return
    start = time.perf_counter()
    path = make(args.rows)
    print(f"workbook {path.name}: {path.stat().st_size / 1e6:.0f} MB "
          f"(made or found in {time.perf_counter() - start:.0f} s)")
    for engine in ("calamine", "openpyxl"):
        runs = [json.loads(subprocess.run(
            [sys.executable, __file__, "--measure", str(path), engine, *(["--text"] * (i == 0))],
            capture_output=True, text=True, check=True).stdout) for i in range(args.repeat)]
        best = min(r["read_s"] for r in runs)
        print(f"{engine:9s} rows {runs[0]['rows']:,}  read best of {args.repeat}: {best:.1f} s"
              f"  (runs {', '.join(str(r['read_s']) for r in runs)}); "
              f"cells to text {runs[0]['text_s']:.1f} s")


if __name__ == "__main__":
    main()
