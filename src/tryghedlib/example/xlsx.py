"""A minimal, fast ``.xlsx`` writer for large generated sheets (a police extract of a million rows).

openpyxl needs about a minute for a million rows; this writes the sheet's XML row by row with
one format string, cells typed as Excel types them: text (inline strings), numbers, and dates as
day numbers with a date format, so readers see real dates. Output is deterministic (fixed
ZIP time stamps).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from tryghedlib.sources.workbook import letter

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
{sheets}</Types>"""
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
               'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/\
relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
{sheets}</sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
{sheets}<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/\
2006/relationships/styles" Target="styles.xml"/></Relationships>"""
_SHEET_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
              'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>')
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/></numFmts>\
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
</cellXfs></styleSheet>"""
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
               'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"
_EPOCH = np.datetime64("1899-12-30", "D")   # Excel's day 0 (day 60 is its phantom 29-02-1900)


def _cells(column: pd.Series, column_letter: str) -> list[str]:
    """Each row's cell of ``column`` as XML with ``{r}`` for its row number ('' if empty)."""
    values = column.to_numpy()
    if pd.api.types.is_datetime64_any_dtype(column):
        days = (values.astype("datetime64[D]") - _EPOCH).astype("int64")
        present = ~np.isnat(values)
        return [f'<c r="{column_letter}{{r}}" s="1"><v>{d}</v></c>' if p else ""
                for d, p in zip(days.tolist(), present.tolist())]
    if pd.api.types.is_numeric_dtype(column):
        return [f'<c r="{column_letter}{{r}}"><v>{v!r}</v></c>' if v == v else ""
                for v in values.tolist()]
    return [f'<c r="{column_letter}{{r}}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
            if isinstance(v, str) and v else "" for v in values.tolist()]


def sheet_xml(frame: pd.DataFrame, above: list[list[str]] = ()) -> bytes:
    """A sheet with the column names in the first row (after the rows ``above``, if any) and
    one row per row of ``frame``: datetime columns as dates, numeric ones as numbers (NaN:
    empty), others as text (empty text: empty)."""
    head = [*above, [str(c) for c in frame.columns]]
    lines = [_SHEET_HEAD]
    for number, texts in enumerate(head, start=1):
        lines.append(f'<row r="{number}">' + "".join(
            f'<c r="{letter(i)}{number}" t="inlineStr"><is><t>{escape(t)}</t></is></c>'
            for i, t in enumerate(texts) if t) + "</row>")
    columns = [_cells(frame[c], letter(i)) for i, c in enumerate(frame.columns)]
    first = len(head) + 1
    for number, row in enumerate(zip(*columns), start=first):
        lines.append(f'<row r="{number}">' + "".join(row).replace("{r}", str(number))
                     + "</row>")
    lines.append(_SHEET_TAIL)
    return "".join(lines).encode("utf-8")


def write_xlsx(path: str | Path, sheets: dict[str, bytes], *, compresslevel: int = 1) -> Path:
    """A workbook of ``sheets`` (name -> :func:`sheet_xml`), in their order."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    numbers = range(1, len(sheets) + 1)
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers)),
        "_rels/.rels": _RELS,
        "xl/workbook.xml": _WORKBOOK.format(sheets="".join(
            f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in zip(numbers, sheets))),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.format(
            sheets="".join(_SHEET_REL.format(n=n) for n in numbers)),
        "xl/styles.xml": _STYLES,
    }
    with zipfile.ZipFile(path, "w") as book:
        for name, text in parts.items():
            book.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), text.encode("utf-8"),
                          compress_type=zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        for n, data in zip(numbers, sheets.values()):
            book.writestr(zipfile.ZipInfo(f"xl/worksheets/sheet{n}.xml", (2020, 1, 1, 0, 0, 0)),
                          data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
    return path
