"""The safety-plan workbook loader on small workbooks made here."""

import datetime as dt

import openpyxl
import pytest

from tryghedlib.analysis import indicators
from tryghedlib.sources import loaders
from tryghedlib.errors import DataError

PLAN_HEAD = ["Nr.", "Aktivitet", "Type", "Ansvarlig", "Samarbejdspartnere",
             "Finansiering 2021", "Finansiering 2022"]
STATUS_HEAD = list(loaders.STATUS_COLUMNS)


def workbook(path, plan_rows, status_rows, sheets=("Tryghedsplan", "Midtvejsstatus")):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, head, rows in zip(sheets, (PLAN_HEAD, STATUS_HEAD), (plan_rows, status_rows)):
        sheet = book.create_sheet(name)
        sheet.append(head)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


PLAN = [[1, "Juniorbetjent", "Aktivitet", "Nærpoliti", "Nærpoliti; SSP", 80000, None],
        [2, "Fælleshaven", "Aktivitet", "Helhedsplan", "Helhedsplan", 220000, 220000],
        [3, "Sekretariat", "Drift", "Sikker By", None, 5000, 5000]]
STATUS = [[1, "Juniorbetjent", "Nærpoliti", "Ja.\n\nDet går godt.", "Ingen", "Nej", "Nej"],
          [2, "Fælleshaven", "Helhedsplan", "Ja", "Ingen", "Nej", "Nej"]]


def test_plan_lines_funding_and_status(tmp_path):
    plan = loaders.load_safety_plan(workbook(tmp_path / "p.xlsx", PLAN, STATUS))
    assert plan.lines["n_partners"].tolist() == [2, 1, 0]
    assert plan.lines["partners"].iloc[0] == ("Nærpoliti", "SSP")
    assert indicators.budget_by_year(plan.funding).to_dict() == {2021: 305000, 2022: 225000}
    coop = indicators.cooperation(plan.lines, 2)
    assert (coop.activities, coop.with_partners) == (2, 1)
    assert coop.share == 0.5
    assert plan.status["running"].iloc[0] == "Ja.\n\nDet går godt."


def test_activity_without_partners_is_refused(tmp_path):
    rows = [PLAN[0], [2, "Fælleshaven", "Aktivitet", "Helhedsplan", None, 1, 1]]
    with pytest.raises(DataError, match=r"p.xlsx, række 3, kolonne 'Tryghedsplan: "
                                        r"Samarbejdspartnere': forventet mindst én partner"):
        loaders.load_safety_plan(workbook(tmp_path / "p.xlsx", rows, STATUS[:1]))


def test_missing_sheet_and_bad_amounts(tmp_path):
    path = workbook(tmp_path / "p.xlsx", PLAN, STATUS, sheets=("Tryghedsplan", "Status"))
    with pytest.raises(DataError, match="forventet et ark med navnet 'Midtvejsstatus' "
                                        r"\(fundet arkene Tryghedsplan, Status\)"):
        loaders.load_safety_plan(path)
    rows = [PLAN[0][:5] + ["mange", -5]]
    with pytest.raises(DataError) as caught:
        loaders.load_safety_plan(workbook(tmp_path / "q.xlsx", rows, STATUS[:1]))
    assert "række 2, kolonne 'Tryghedsplan: Finansiering 2021': forventet et helt tal" \
        in str(caught.value)
    assert "Finansiering 2022': forventet et beløb fra 0 til 100000000 kr." in str(caught.value)


def test_status_for_unknown_activity_and_not_a_workbook(tmp_path):
    status = STATUS + [[9, "Ukendt", "X", "", "", "", ""]]
    with pytest.raises(DataError, match=r"række 4, kolonne 'Midtvejsstatus: Nr.': forventet "
                                        r"nummeret på en aktivitet"):
        loaders.load_safety_plan(workbook(tmp_path / "p.xlsx", PLAN, status))
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    with pytest.raises(DataError, match="forventet et Excel-regneark"):
        loaders.load_safety_plan(fake)


def test_cooperation_counts_distinct_partners(tmp_path):
    # "Play; Play" is one partner, and so is "Tingbjerg Skole; tingbjerg  skole".
    rows = [[1, "Sommerlejr", "Aktivitet", "Play", "Play; Play", 1000, None],
            [2, "Lektiecafé", "Aktivitet", "Skolen", "Tingbjerg Skole; tingbjerg  skole",
             1000, None],
            [3, "Gadeteam", "Aktivitet", "SSP", "SSP; Play; ssp", 1000, None]]
    status = [[r[0], r[1], r[3], "Ja", "Ingen", "Nej", "Nej"] for r in rows]
    plan = loaders.load_safety_plan(workbook(tmp_path / "p.xlsx", rows, status))
    coop = indicators.cooperation(plan.lines, 2)
    assert (coop.activities, coop.with_partners) == (3, 1)


def test_partners_one_a_line_are_as_many_partners(tmp_path):
    rows = [[1, "Sommerlejr", "Aktivitet", "Play", "Play\nSSP\r\nHusum Skole", 1000, None],
            [2, "Lektiecafé", "Aktivitet", "Skolen", "Skolen;\nSSP\n", 1000, None]]
    status = [[r[0], r[1], r[3], "Ja", "Ingen", "Nej", "Nej"] for r in rows]
    plan = loaders.load_safety_plan(workbook(tmp_path / "p.xlsx", rows, status))
    assert plan.lines["partners"].tolist() == [("Play", "SSP", "Husum Skole"), ("Skolen", "SSP")]
    assert indicators.cooperation(plan.lines, 2).with_partners == 2


def test_formula_cells_without_a_stored_value_are_refused(tmp_path):
    # openpyxl, like a script or another program, writes the formula without its value.
    rows = [PLAN[0][:5] + ["=80000*1", None], PLAN[1][:5] + ["=SUM(F2:F2)", "=F3"]]
    with pytest.raises(DataError, match=r"forventet en værdi i hver celle med en formel .*fundet "
                                        r"formler uden gemt værdi i Tryghedsplan!F2, "
                                        r"Tryghedsplan!F3, Tryghedsplan!G3, som ville blive læst "
                                        r"som tomme; åbn filen i Excel og gem den"):
        loaders.load_safety_plan(workbook(tmp_path / "p.xlsx", rows, STATUS))


@pytest.mark.parametrize("rows, expected", [
    ([], r"kolonne 'Tryghedsplan: Type': forventet mindst én linje med Type 'Aktivitet'"),
    ([PLAN[2]], r"kolonne 'Tryghedsplan: Type': forventet mindst én linje med Type 'Aktivitet'"),
    ([PLAN[0][:5] + [10**15, None]], r"række 2, kolonne 'Tryghedsplan: Finansiering 2021': forventet "
                                     r"et beløb fra 0 til 100000000 kr. \(fundet 1000000000000000"),
    ([PLAN[0][:5] + [90_000_000, None]] * 1 + [[n, "A", "Aktivitet", "B", "C; D", 90_000_000, 0]
                                               for n in range(2, 13)],
     r"kolonne 'Tryghedsplan: Finansiering 2021': forventet et års budget på højst"),
])
def test_plans_the_note_cannot_show_are_refused(tmp_path, rows, expected):
    with pytest.raises(DataError, match=expected):
        loaders.load_safety_plan(workbook(tmp_path / "p.xlsx", rows, []))


def test_status_row_without_its_activity_number_is_refused(tmp_path):
    # make fuzz found it: the blank number reached an int64 cast (ValueError).
    status = [STATUS[0], [None, "Fælleshaven", "Helhedsplan", "Ja", "Ingen", "Nej", "Nej"]]
    with pytest.raises(DataError, match=r"række 3, kolonne 'Midtvejsstatus: Nr.': forventet "
                                        r"nummeret på en aktivitet .*fundet en tom celle"):
        loaders.load_safety_plan(workbook(tmp_path / "p.xlsx", PLAN, status))


def test_plan_cells_are_quoted_as_the_analyst_wrote_them(tmp_path):
    # A workbook's cell is named in the message as a ;-file writes it: decimal comma, and a
    # date as dd-mm-yyyy, not Python's 1.5 or 2021-03-01 00:00:00.
    rows = [PLAN[0], [1.5, "Fælleshaven", "Aktivitet", "Helhedsplan", "Helhedsplan",
                      dt.datetime(2021, 3, 1), 1]]
    with pytest.raises(DataError) as caught:
        loaders.load_safety_plan(workbook(tmp_path / "p.xlsx", rows, STATUS[:1]))
    message = str(caught.value)
    assert "række 3, kolonne 'Tryghedsplan: Nr.': forventet et helt tal (fundet '1,5')" in message
    assert "'Tryghedsplan: Finansiering 2021': forventet et helt tal (fundet '01-03-2021')" \
        in message
