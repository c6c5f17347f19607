"""Excel and SPSS deliveries: cells read as the analyst sees them, problems named by cell."""

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from tryghedlib.errors import DataError, Problem
from tryghedlib.sources import cells, spss, workbook

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
