"""The floor of ``tryghed report``: what any report must do, with no figure computed.

    python bench/report_floor.py --pages N --out FOLDER

In one fresh process, as ``tryghed report`` does: papermill executes ``bench/floor/floor.ipynb``
(a notebook that only imports what the status note imports) through the same
``run.execute.execute_notebook``, then WeasyPrint exports an HTML document of N plain A4 pages to
PDF through the same ``run.export.write_pdf`` (tagged PDF/UA-1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR_NOTEBOOK = ROOT / "bench" / "floor" / "floor.ipynb"


def pages_html(pages: int) -> str:
    body = "\n".join(
        f'<section style="page-break-after: always"><h1>Side {i}</h1><p>Status på tryghed og '
        f"kriminalitet. Tekst på side {i}.</p></section>" for i in range(1, pages + 1))
    return (f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Gulv</title>'
            f"<style>@page {{ size: A4; margin: 2cm; }}</style></head><body>{body}</body></html>")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    from tryghedlib.run.execute import execute_notebook
    from tryghedlib.run.export import write_pdf

    args.out.mkdir(parents=True, exist_ok=True)
    execute_notebook(FLOOR_NOTEBOOK, args.out / "floor.ipynb", {"report_year": 2021})
    write_pdf(pages_html(args.pages), args.out / "floor.pdf")
    print(args.out / "floor.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
