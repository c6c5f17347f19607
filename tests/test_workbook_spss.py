"""Excel and SPSS deliveries: cells read as the analyst sees them, problems named by cell."""

import datetime as dt
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from tryghedlib.errors import DataError, Problem
from tryghedlib.sources import cells, loaders, schemas, spss, workbook, workbooks

ENGINES = workbook.ENGINES


def book(path, sheets):
    """A workbook with ``sheets`` (name -> rows), written by openpyxl as Excel would."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


HEADER = ["journalnummer", "anmeldt_dato", "gerningskode", "x_koordinat"]
ROWS = [["0100-10101-00001-14", dt.datetime(2014, 1, 3), 1101, 722889.9],
        ["0100-10101-00002-14", "04-01-2014", "1101", None],
        [None, None, None, None],
        ["0100-10101-00003-14", dt.datetime(2014, 1, 5), 1102.0, 7.5e5]]


@pytest.mark.parametrize("engine", ENGINES)
def test_cells_become_the_text_a_csv_would_hold(tmp_path, engine):
    path = book(tmp_path / "p.xlsx", {"Udtræk": [HEADER, *ROWS], "Noter": [["x"]]})
    sheet = workbook.read_sheet(path, engine=engine)
    assert sheet.name == "Udtræk"
    text = cells.text_frame(sheet.frame)
    assert text.index.tolist() == [2, 3, 5]          # Excel's rows; the empty row 4 dropped
    assert text["anmeldt_dato"].tolist() == ["03-01-2014", "04-01-2014", "05-01-2014"]
    assert text["gerningskode"].tolist() == ["1101", "1101", "1102"]
    assert text["x_koordinat"].tolist()[0] == "722889,9"
    assert pd.isna(text["x_koordinat"].tolist()[1])
    assert text["x_koordinat"].tolist()[2] == "750000"
    assert sheet.cell("gerningskode", 1204) == "Udtræk!C1204"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_sheet_chosen_by_name_and_an_unknown_one_refused(tmp_path, engine):
    path = book(tmp_path / "p.xlsx", {"Forside": [["Udtræk 2021"]], "Data": [HEADER, *ROWS]})
    data = workbook.read_sheet(path, "Data", engine=engine)
    assert cells.text_frame(data.frame).shape == (3, 4)
    with pytest.raises(DataError) as err:
        workbook.read_sheet(path, "Udtræk", engine=engine)
    assert "forventet et ark med navnet 'Udtræk' (sources.yaml: sheet) (fundet arkene Forside, Data)" \
        in str(err.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_default_sheet_is_the_first_visible_one(tmp_path, engine):
    # Last year's sheet, hidden before this year's: read as "the first sheet", a population
    # workbook gave a note of numbers nobody who opened it saw.
    old = [HEADER, ["0100-10101-00009-13", "01-01-2013", "1101", 1.0]]
    path = book(tmp_path / "p.xlsx", {"Gammel": old, "Udtræk": [HEADER, *ROWS]})
    wb = openpyxl.load_workbook(path)
    wb["Gammel"].sheet_state = "hidden"
    wb.active = 1
    wb.save(path)
    sheet = workbook.read_sheet(path, engine=engine)
    assert sheet.name == "Udtræk" and len(cells.text_frame(sheet.frame)) == 3
    assert workbook.read_sheet(path, "Gammel", engine=engine).name == "Gammel"   # when named


@pytest.mark.parametrize("engine", ENGINES)
def test_a_header_below_a_title_is_refused_with_its_cell(tmp_path, engine):
    rows = [["Udtræk fra POLSAS, 2014"], [], [None, *HEADER], [None, *ROWS[0]]]
    path = book(tmp_path / "p.xlsx", {"Udtræk": rows})
    with pytest.raises(DataError) as err:
        workbook.read_sheet(path, expect=HEADER, engine=engine)
    assert str(err.value.problems[0]) == (
        f"{path}, celle Udtræk!B3: forventet overskriften (kolonnernes navne) i række 1 (fundet den "
        "i række 3, under en titel; bed om arket med overskriften i række 1)")


def test_problems_are_named_by_their_cell(tmp_path):
    path = book(tmp_path / "p.xlsx", {"Udtræk": [HEADER, *ROWS]})
    sheet = workbook.read_sheet(path)
    named = workbook.in_cells([Problem(str(path), 1204, "kode (gerningskode)", "et helt tal",
                                       "'x'"), Problem(str(path), None, "kode", "kolonnen")],
                              sheet, {"kode (gerningskode)": "gerningskode"})
    assert str(named[0]) == (f"{path}, celle Udtræk!C1204, kolonne 'kode (gerningskode)': "
                             "forventet et helt tal (fundet 'x')")
    assert named[1].row_label == "række"


def test_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "p.xlsx"
    path.write_text("journalnummer;anmeldt_dato\n")
    with pytest.raises(DataError, match="forventet et Excel-regneark"):
        workbook.read_sheet(path)


def test_spss_keeps_codes_user_missing_too_and_their_labels(tmp_path):
    frame = pd.DataFrame({"RespID": ["a1", "a2", "a3"], "Aar": [2021.0, 2021.0, 2021.0],
                          "Q7_1": [1.0, 8.0, np.nan], "Vaegt": [0.948166, 1.5, 2.0]})
    path = tmp_path / "s.sav"
    pyreadstat.write_sav(frame, str(path),
                         variable_value_labels={"Q7_1": {1: "Meget tryg", 8: "Ved ikke"}},
                         missing_ranges={"Q7_1": [8]})
    read = spss.read_sav(path)
    assert read.labels == {"Q7_1": {1.0: "Meget tryg", 8.0: "Ved ikke"}}
    assert read.frame.index.tolist() == [1, 2, 3]            # SPSS's case numbers
    text = cells.text_frame(read.frame)
    assert text["Q7_1"].tolist()[:2] == ["1", "8"] and pd.isna(text["Q7_1"].tolist()[2])
    assert text["Aar"].tolist() == ["2021"] * 3
    assert text["Vaegt"].tolist() == ["0,948166", "1,5", "2"]


def police_rows():
    """Reports with the optional cells (offence date, coordinates) empty in some rows."""
    return [["0100-10101-00001-14", dt.datetime(2014, 1, 3), dt.datetime(2014, 1, 2), 1101,
             722889.9, 6175000.5],
            ["0100-10101-00002-14", dt.datetime(2014, 1, 4), None, 1102, None, None],
            ["0100-10101-00003-14", dt.datetime(2014, 2, 5), dt.datetime(2014, 2, 1), 1101,
             None, None],
            ["0100-10101-00004-14", dt.datetime(2014, 3, 6), None, 1102, 720000.0, 6170000.0]]


def police_csv(path, rows):
    def text(value):
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.strftime("%d-%m-%Y")
        return cells.as_text(value)
    lines = [";".join(schemas.POLICE.columns)] + [";".join(map(text, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_empty_cells_keep_a_police_workbook_on_the_column_path_and_read_as_the_csv(
        tmp_path, monkeypatch):
    # python-calamine gives an empty cell as "": were it not missing at once, a date or number
    # column with an empty cell would be written as text cell by cell (cells.as_text).
    rows = police_rows()
    path = book(tmp_path / "anmeldelser_2014.xlsx", {"Udtræk": [list(schemas.POLICE.columns),
                                                                 *rows]})
    codes = pd.DataFrame({"code": [1101, 1102]})
    expected = loaders.read_police_file(police_csv(tmp_path / "anmeldelser_2014.csv", rows),
                                        codes, None)
    assert expected["committed"].isna().sum() == 2 and expected["x"].isna().sum() == 2
    sheet = workbook.read_sheet(path)
    assert "" in sheet.frame["gerningsdato"].tolist()   # what calamine gives for an empty cell

    def cell_by_cell(value):
        raise AssertionError(f"cell {value!r} read one by one")
    monkeypatch.setattr(cells, "as_text", cell_by_cell)
    pd.testing.assert_frame_equal(loaders.read_police_file(path, codes, None), expected)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_vendor_sheets_formula_without_a_stored_value_is_refused_naming_its_cell(
        tmp_path, engine):
    # openpyxl writes a formula without the value Excel would store: either engine would
    # read the cell as empty.
    rows = [HEADER, ROWS[0], ["0100-10101-00002-14", dt.datetime(2014, 1, 4), "=C2+1", None]]
    path = book(tmp_path / "p.xlsx", {"Noter": [["=1+1"]], "Udtræk": rows})
    with pytest.raises(DataError) as err:
        workbook.read_sheet(path, "Udtræk", engine=engine)
    [problem] = err.value.problems
    assert problem.file == str(path) and "Udtræk!C3" in problem.found
    assert "Noter" not in problem.found    # a sheet not read is not refused


def test_a_population_workbook_with_a_formula_lacking_its_value_is_refused(tmp_path):
    header = list(schemas.POPULATION.columns)
    (tmp_path / "population").mkdir()
    book(tmp_path / "population" / "befolkning.xlsx",
         {"Ark": [header, [2020, "koebenhavn", 600000], [2021, "koebenhavn", "=C2*1.01"]]})
    with pytest.raises(DataError) as err:
        loaders.load_population(tmp_path)
    assert "Ark!C3" in err.value.problems[0].found


def test_a_workbook_without_formulas_is_only_scanned_for_them(tmp_path, monkeypatch):
    path = book(tmp_path / "p.xlsx", {"Udtræk": [HEADER, *ROWS]})

    def load(*args, **kwargs):
        raise AssertionError("read cell by cell though it has no formula")
    monkeypatch.setattr(workbooks.openpyxl, "load_workbook", load)
    assert workbooks.cells_without_values(path) == ([], [])
    assert len(workbook.read_sheet(path).frame) == 4


@pytest.mark.parametrize("engine", workbook.ENGINES)
def test_a_date_cell_out_of_range_gives_no_library_warning(tmp_path, engine):
    """openpyxl warns (in English, on stderr) of a date serial it cannot convert, while it
    parses cells lazily (make fuzz found it in a plan); the readers leave such cells to the
    loaders' Danish checks. A formula makes the formula scan read the cells too."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["dato", "sum"])
    sheet.append([-22106249, "=1+1"])
    sheet["A2"].number_format = "dd-mm-yyyy"
    path = tmp_path / "book.xlsx"
    book.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            workbook.read_sheet(path, engine=engine)
        except DataError:
            pass   # the formula has no stored value: refused, by cell
        try:
            workbooks.read_sheets(path)
        except DataError:
            pass


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("formula", [True, False], ids=["formula", "constant"])
def test_a_cell_holding_an_error_value_is_refused_not_read_as_blank(tmp_path, engine, formula):
    # A vendor's VLOOKUP giving #N/A for a sub-area was read as a blank sub-area: the
    # respondent silently outside every partnership.
    path = book(tmp_path / "p.xlsx", {"Udtræk": [HEADER, *ROWS]})
    wb = openpyxl.load_workbook(path)
    wb["Udtræk"]["D3"] = "=VLOOKUP(A3,Koder!A:B,2,FALSE)" if formula else "#N/A"
    wb.save(path)
    # openpyxl writes no stored value: store the error as Excel does.
    import re
    import zipfile
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode()
    parts[name] = re.sub(r'<c r="D3"[^>]*?(/>|>.*?</c>)', '<c r="D3" t="e">' + (
        "<f>VLOOKUP(A3,Koder!A:B,2,FALSE)</f>" if formula else "") + "<v>#N/A</v></c>",
        xml, count=1).encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    with pytest.raises(DataError) as err:
        workbook.read_sheet(path, engine=engine)
    assert str(err.value.problems[0]) == (
        f"{path}: forventet en værdi i hver celle, ikke en fejlværdi (fundet fejlværdier i "
        "Udtræk!D3 (#N/A), som ville blive læst som tomme; ret formlerne, eller lever værdierne)")
