"""Safety-plan workbooks (sheets ``Tryghedsplan`` and ``Midtvejsstatus``), byte for byte
reproducible: fixed document properties and fixed time stamps in the zip container."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tryghedlib.example import plan_texts

FIXED_TIME = dt.datetime(2021, 5, 27, 12, 0, 0)
PLAN_YEARS = (2021, 2022, 2023, 2024)
PLAN_HEADER = ["Nr.", "Aktivitet", "Type", "Ansvarlig", "Samarbejdspartnere",
               *[f"Finansiering {y}" for y in PLAN_YEARS]]
STATUS_HEADER = ["Nr.", "Aktivitet", "Ansvarlig", *plan_texts.STATUS_QUESTIONS]


def plans() -> dict[str, tuple[list, list]]:
    """partnership id -> (budget lines, midterm status rows)."""
    result = {"tingbjerg-husum": (plan_texts.TINGBJERG_HUSUM_LINES,
                                  plan_texts.TINGBJERG_HUSUM_STATUS)}
    for pid, lines in plan_texts.SYNTHETIC_PLANS.items():
        result[pid] = (lines, plan_texts.synthetic_status(lines))
    return result


def workbook_bytes(lines: list, status: list, title: str) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Tryghedsplan"
    sheet.append(PLAN_HEADER)
    for nr, activity, kind, responsible, partners, funding in lines:
        sheet.append([nr, activity, kind, responsible, partners or None,
                      *[funding.get(y) for y in PLAN_YEARS]])
    for column, width in zip("ABCDEFGHI", (6, 44, 11, 48, 60, 16, 16, 16, 16)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=9):
        for cell in row:
            cell.number_format = "#,##0"
    status_sheet = wb.create_sheet("Midtvejsstatus")
    status_sheet.append(STATUS_HEADER)
    for nr, activity, responsible, answers in status:
        status_sheet.append([nr, activity, responsible, *[a or None for a in answers]])
    for column, width in zip("ABCDEFG", (6, 34, 34, 70, 60, 45, 40)):
        status_sheet.column_dimensions[column].width = width
    for ws in (sheet, status_sheet):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    wb.properties.creator = "tryghedlib.example (SYNTETISK EKSEMPEL)"
    wb.properties.title = title
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalise_xlsx(buffer.getvalue())


def normalise_xlsx(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry times and fixed created/modified properties."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              rf"\g<1>{stamp}\g<3>", text)
                content = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content, compresslevel=9)
    return out.getvalue()


def plan_file_name(partnership: str, year: int = 2021) -> str:
    return f"tryghedsplan_{partnership}_{year}.xlsx"


def write_plans(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for pid, (lines, status) in plans().items():
        path = directory / plan_file_name(pid)
        path.write_bytes(workbook_bytes(lines, status,
                                        f"Tryghedsplan {pid} 2021 (syntetisk eksempel)"))
        paths.append(path)
    return paths
