"""When a row of tabel 4 splits over two pages, each of its cells begins on the first page."""

import io
from pathlib import Path

import pandas as pd
import pytest
import weasyprint
from pypdf import PdfReader

from tryghedlib.note.tables import midterm_table

CSS = Path(__file__).parents[1] / "src" / "tryghedlib" / "note" / "templates" / "tryghed_note" / "note.css"


def _words(prefix: str, count: int) -> str:
    return " ".join(f"{prefix}{k}" for k in range(count))


@pytest.mark.parametrize("filler_mm", range(90, 131))
def test_a_split_row_begins_every_cell_on_the_same_page(filler_mm):
    """Whatever the space left above it, a row of tabel 4 that does not fit shows a line of
    each cell before the break, or moves on whole: never short cells ("Nej") on one page and
    the long ones starting on the next, as if unanswered."""
    words = {"activity": 6, "responsible": 8, "running": 120, "deliveries": 40,
             "concerns": 1, "adjustments": 1}
    status = pd.DataFrame({"number": [1, 2],
                           **{c: ["Kort.", _words(f"{c[:3]}x", n)] for c, n in words.items()}})
    html = (f'<div style="page: wide; height: {filler_mm}mm"></div>'
            + midterm_table(status, number=4, title="Midtvejsstatus"))
    pdf = weasyprint.HTML(string=html).write_pdf(stylesheets=[weasyprint.CSS(filename=CSS)])
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    first_pages = {c: min(n for n, text in enumerate(pages) if f"{c[:3]}x" in text)
                   for c in words}
    assert len(set(first_pages.values())) == 1, first_pages
