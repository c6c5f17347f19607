"""The bad-input corpus: one deliberately broken input per case, as data.

Every case starts from a copy of the synthetic example delivery (``data/raw/example``) and the
configuration (``config/``), breaks one thing, and runs ``tryghed report`` on it. A *refused*
case must end with exit code 1 and a message with one line naming the file (or the parameter),
the row (``row N``, ``feature N``), the column (or key) and what was expected; nothing may be
written. A *survived* case must build the note and say so in it where the note differs.

``file`` is the path of the altered file in the case's workspace: ``data/...`` for the
delivery, ``config/...`` for the configuration, or None when only the command line changes.
``says`` are the parts that must all appear on one line of the message: file, where, column,
expected (a part is None where it does not apply, e.g. a whole-file flaw has no column).
``tests/bad_inputs/README.md`` lists the cases with the message each one gets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from tryghedlib.note import texts

from bad_inputs.mutations import (
    add_bom, add_column, add_file, append_text, cell, copy_field, copy_to, cut_bytes, cut_line,
    delete, delete_rows, drop_column, edit_json, empty, feature, garbage, insert_lines,
    keep_lines, mac_newlines, reencode, reencode_line, rename_column, replace_text, separator,
    set_field, strip_bom, then, unix_newlines, workbook, write_text,
)

SURVEY = "data/survey/tryghedsundersoegelse_2021.csv"
SURVEY_2020 = "data/survey/tryghedsundersoegelse_2020.csv"
PUBLISHED = "data/survey/publicerede_andele.csv"
POLICE = "data/police/anmeldelser_2014-2020.csv.gz"
POPULATION = "data/population/befolkning.csv"
GEOGRAPHY = "data/geography/omraader.geojson"
PLAN = "data/plan/tryghedsplan_tingbjerg-husum_2021.xlsx"
CODES = "config/offence_codes.csv"
SETTINGS = "config/settings.yaml"
PARTNERSHIP = "config/partnerships/tingbjerg-husum.yaml"


# A supplementary police extract: a good report in line 2, the flawed one in line 3.
EXTRA = "data/police/anmeldelser_2020-tillaeg.csv"
EXTRA_NAME = "anmeldelser_2020-tillaeg.csv"
HEAD = "journalnummer;anmeldt_dato;gerningsdato;gerningskode;x_koordinat;y_koordinat"


def row(n=2, journal=None, anmeldt="15-06-2020", begaaet="14-06-2020", kode="1101",
        x="719000,0", y="6179400,0"):
    return ";".join([journal or f"0100-99999-{n:05d}-20", anmeldt, begaaet, kode, x, y])


def extract(*rows: str):
    return write_text("\r\n".join([HEAD, row(n=1), *rows]) + "\r\n")


@dataclass(frozen=True)
class Case:
    id: str
    file: str | None
    flaw: str
    mutate: Callable | None
    says: tuple[str | None, str | None, str | None, str]   # file, where, column, expected
    args: tuple[str, ...] = ()
    also: tuple[str, ...] = ()          # more text anywhere in the message
    partnership: str = "tingbjerg-husum"
    year: int = 2021

    outcome = "refused"


@dataclass(frozen=True)
class Survived:
    id: str
    file: str | None
    flaw: str
    mutate: Callable | None
    check: Callable           # check(note, baseline_note) -> None; asserts
    says: str = ""            # what the note says about it (README)
    partnership: str = "tingbjerg-husum"
    year: int = 2021
    args: tuple[str, ...] = field(default=())

    outcome = "survived"


# Lines of the example files used below (asserted by ``check=`` where it matters):
# survey 2021 line 4 is a respondent in Østerbro, line 111 one in voldparken (the partnership);
# the police extract's 2020 reports start at line 225138.
P2020 = 230000

REFUSED: list[Case] = [
    # --- survey microdata -------------------------------------------------------------------
    Case("survey-column-missing", SURVEY, "column tryghed_aften deleted",
         drop_column("tryghed_aften"),
         ("tryghedsundersoegelse_2021.csv", "row 1", "column 'tryghed_aften'",
          "expected a column named 'tryghed_aften'")),
    Case("survey-column-renamed", SURVEY, "column vaegt renamed to Vægt",
         rename_column("vaegt", "Vægt"),
         ("tryghedsundersoegelse_2021.csv", "row 1", "column 'vaegt'",
          "expected a column named 'vaegt' (found a column 'Vægt' — renamed?)")),
    Case("survey-year-text", SURVEY, "aar is not a number",
         set_field(10, "aar", "2021a"),
         ("tryghedsundersoegelse_2021.csv", "row 10", "column 'aar'", "expected a whole number")),
    Case("survey-year-other", SURVEY, "aar differs from the year in the file name",
         set_field(11, "aar", "2020"),
         ("tryghedsundersoegelse_2021.csv", "row 11", "column 'aar'",
          "expected 2021, the year in the file name")),
    Case("survey-weight-decimal-point", SURVEY, "weight written with a decimal point",
         set_field(2, "vaegt", "0.948166", check="0,948166"),
         ("tryghedsundersoegelse_2021.csv", "row 2", "column 'vaegt'",
          "expected a number with decimal comma, e.g. 1,25 (found '0.948166')")),
    Case("survey-weight-zero", SURVEY, "weight 0",
         set_field(57, "vaegt", "0"),
         ("tryghedsundersoegelse_2021.csv", "row 57", "column 'vaegt'",
          "expected a weight above 0")),
    Case("survey-weight-negative", SURVEY, "negative weight",
         set_field(58, "vaegt", "-1,2"),
         ("tryghedsundersoegelse_2021.csv", "row 58", "column 'vaegt'",
          "expected a weight above 0")),
    Case("survey-weight-missing", SURVEY, "weight blank",
         set_field(59, "vaegt", ""),
         ("tryghedsundersoegelse_2021.csv", "row 59", "column 'vaegt'", "expected a value, not blank")),
    Case("survey-duplicate-id", SURVEY, "respondent id repeated",
         copy_field("respondent_id", 2, 3),
         ("tryghedsundersoegelse_2021.csv", "row 3", "column 'respondent_id'",
          "expected a value that occurs only once"),
         also=("row 2, column 'respondent_id'",)),
    Case("survey-answer-off-scale", SURVEY, "answer not on the scale (Meget utrygt)",
         set_field(5, "tryghed_nabolag", "Meget utrygt"),
         ("tryghedsundersoegelse_2021.csv", "row 5", "column 'tryghed_nabolag'",
          "expected one of Meget tryg, Tryg, Hverken tryg eller utryg, Utryg, Meget utryg, "
          "Ved ikke or blank (found 'Meget utrygt')")),
    Case("survey-answer-code", SURVEY, "answer as a code (4) instead of its text",
         set_field(6, "tryghed_aften", "4"),
         ("tryghedsundersoegelse_2021.csv", "row 6", "column 'tryghed_aften'",
          "expected one of Meget tryg")),
    Case("survey-district-unknown", SURVEY, "bydel not in the geography",
         set_field(4, "bydel", "Østerbroe", check="Østerbro"),
         ("tryghedsundersoegelse_2021.csv", "row 4", "column 'bydel'",
          "expected a district (bydel) of the geography")),
    Case("survey-subarea-unknown", SURVEY, "delomraade not a sub-area code",
         set_field(111, "delomraade", "Voldparken", check="voldparken"),
         ("tryghedsundersoegelse_2021.csv", "row 111", "column 'delomraade'",
          "expected a sub-area code of the geography")),
    Case("survey-empty", SURVEY, "empty file (0 bytes)", empty(),
         ("tryghedsundersoegelse_2021.csv", "row 1", None,
          "expected a header line and rows of data (found an empty file)")),
    Case("survey-header-only", SURVEY, "header line but no rows", keep_lines(1),
         ("tryghedsundersoegelse_2021.csv", "row 2", None, "expected at least one row of data")),
    Case("survey-truncated", SURVEY, "file cut off in the middle of a line",
         cut_line(3000, 4),
         ("tryghedsundersoegelse_2021.csv", "row 3000", "column 'vaegt'",
          "expected 7 fields separated by ';'")),
    Case("survey-extra-field", SURVEY, "a ';' too many on one line",
         set_field(12, "tryghed_aften", "Tryg;Tryg"),
         ("tryghedsundersoegelse_2021.csv", "row 12", None, "expected 7 fields separated by ';'")),
    Case("survey-comma-separated", SURVEY, "saved with ',' as separator", separator(","),
         ("tryghedsundersoegelse_2021.csv", "row 1", None, "expected fields separated by ';'")),
    Case("survey-utf16", SURVEY, "saved as UTF-16 (Excel's 'Unicode text')",
         reencode("utf-16"),
         ("tryghedsundersoegelse_2021.csv", "row 1", None,
          "expected text encoded as UTF-8 or cp1252")),
    Case("survey-mixed-encoding", SURVEY, "one cp1252 line inside a UTF-8 file",
         reencode_line(4, "cp1252"),
         ("tryghedsundersoegelse_2021.csv", "row 4", None,
          "expected text in one encoding (UTF-8 or cp1252)")),
    Case("survey-report-year-missing", SURVEY, "no survey file for the report year", delete(),
         ("survey", "parameter year", None, "survey data for the report year 2021"),
         also=("survey years 2014, 2015, 2016, 2017, 2018, 2019, 2020",)),

    # --- published aggregates ---------------------------------------------------------------
    Case("published-share-above-100", PUBLISHED, "share 123,4 %",
         set_field(2, "andel", "123,4"),
         ("publicerede_andele.csv", "row 2", "column 'andel'",
          "expected a share in percent, 0-100")),
    Case("published-share-negative", PUBLISHED, "share -1 %",
         set_field(3, "andel", "-1,0"),
         ("publicerede_andele.csv", "row 3", "column 'andel'", "expected a share in percent, 0-100")),
    Case("published-share-fraction", PUBLISHED, "share as a fraction with decimal point",
         set_field(4, "andel", "0.198"),
         ("publicerede_andele.csv", "row 4", "column 'andel'",
          "expected a number with decimal comma")),
    Case("published-n-zero", PUBLISHED, "n = 0", set_field(5, "n", "0"),
         ("publicerede_andele.csv", "row 5", "column 'n'",
          "expected a number of respondents above 0")),
    Case("published-duplicate", PUBLISHED, "the same year, area and question twice",
         insert_lines(2, "2011;koebenhavn;nabolag;12,4;4712;3795,4"),
         ("publicerede_andele.csv", "row 3", "column 'aar/omraade/indikator'",
          "expected each combination of aar/omraade/indikator only once (found 2011, "
          "'koebenhavn', 'nabolag', as in row 2)")),
    Case("published-indicator", PUBLISHED, "unknown indicator",
         set_field(6, "indikator", "natten"),
         ("publicerede_andele.csv", "row 6", "column 'indikator'",
          "expected 'nabolag' or 'aften'")),

    # --- police register extract ------------------------------------------------------------
    Case("police-column-missing", POLICE, "column gerningskode deleted",
         drop_column("gerningskode"),
         ("anmeldelser_2014-2020.csv.gz", "row 1", "column 'gerningskode'",
          "expected a column named 'gerningskode'")),
    Case("police-column-renamed", POLICE, "x_koordinat renamed to X_KOORDINAT",
         rename_column("x_koordinat", "X_KOORDINAT"),
         ("anmeldelser_2014-2020.csv.gz", "row 1", "column 'x_koordinat'",
          "(found a column 'X_KOORDINAT' — renamed?)")),
    Case("police-duplicate-journal", POLICE, "journal number repeated",
         copy_field("journalnummer", P2020, P2020 + 3),
         ("anmeldelser_2014-2020.csv.gz", f"row {P2020 + 3}", "column 'journalnummer'",
          "expected a value that occurs only once")),
    Case("police-degrees", POLICE, "coordinates in degrees (WGS84)",
         then(set_field(P2020 + 7, "x_koordinat", "12,4916"),
              set_field(P2020 + 7, "y_koordinat", "55,7101")),
         ("anmeldelser_2014-2020.csv.gz", f"row {P2020 + 7}", "column 'x_koordinat/y_koordinat'",
          "these look like degrees (WGS84)")),
    Case("police-gzip-truncated", POLICE, "compressed file cut off (interrupted copy)",
         cut_bytes(0.5),
         ("anmeldelser_2014-2020.csv.gz", "row ", None,
          "expected a complete gzip-compressed file")),
    Case("police-header-only", POLICE, "extract with a header but no reports", keep_lines(1),
         ("anmeldelser_2014-2020.csv.gz", "row 2", None, "expected at least one row of data")),
    Case("police-no-files", POLICE, "no police extract in the folder", delete(),
         ("police", None, None, "expected one or more files anmeldelser_*.csv")),
    Case("police-year-missing", POLICE, "no reports from 2017 (a year left out of the extract)",
         delete_rows(lambda r: r["anmeldt_dato"].endswith("-2017")),
         ("police", None, "column 'anmeldt_dato'",
          "expected police reports from every year 2014-2020 (found no report from 2017)")),
    # A supplementary extract (a second file beside the big one, as the police send corrections
    # or a new year) with one flawed report in line 3; the loader reads every file the same way.
    Case("extract-date-format", EXTRA, "date written yyyy-mm-dd",
         extract(row(anmeldt="2020-06-15")),
         (EXTRA_NAME, "row 3", "column 'anmeldt_dato'",
          "expected a date written dd-mm-yyyy (found '2020-06-15')")),
    Case("extract-coordinate-decimal-point", EXTRA, "coordinate with a decimal point",
         extract(row(x="719000.0")),
         (EXTRA_NAME, "row 3", "column 'x_koordinat'",
          "expected a number with decimal comma, e.g. 1,25 (found '719000.0')")),
    Case("extract-outside-district", EXTRA, "coordinates in Jutland (outside the police district)",
         extract(row(x="530000,0", y="6225000,0")),
         (EXTRA_NAME, "row 3", "column 'x_koordinat/y_koordinat'",
          "expected a place inside the police district (settings: police_extent) "
          "(found 530000,0; 6225000,0)")),
    Case("extract-swapped", EXTRA, "x and y swapped", extract(row(x="6179400,0", y="719000,0")),
         (EXTRA_NAME, "row 3", "column 'x_koordinat/y_koordinat'",
          "x and y look swapped (found 6179400,0; 719000,0)")),
    Case("extract-date-missing", EXTRA, "anmeldt_dato blank",
         extract(row(anmeldt="")),
         (EXTRA_NAME, "row 3", "column 'anmeldt_dato'", "expected a value, not blank")),
    Case("extract-offence-after-report", EXTRA, "gerningsdato after anmeldt_dato",
         extract(row(begaaet="20-06-2020")),
         (EXTRA_NAME, "row 3", "column 'gerningsdato'",
          "expected an offence date on or before anmeldt_dato (found 20-06-2020)")),
    Case("extract-journal-format", EXTRA, "journal number in another format",
         extract(row(journal="10203-313/20")),
         (EXTRA_NAME, "row 3", "column 'journalnummer'",
          "expected a journal number like 0100-76543-00012-20 (found '10203-313/20')")),
    Case("extract-code-unknown", EXTRA, "offence code not in the catalogue",
         extract(row(kode="9999")),
         (EXTRA_NAME, "row 3", "column 'gerningskode'",
          "expected an offence code listed in config/offence_codes.csv (found 9999")),
    Case("extract-code-text", EXTRA, "offence code as text", extract(row(kode="Indbrud")),
         (EXTRA_NAME, "row 3", "column 'gerningskode'", "expected a whole number")),
    Case("extract-half-coordinate", EXTRA, "x given, y blank", extract(row(y="")),
         (EXTRA_NAME, "row 3", "column 'x_koordinat/y_koordinat'",
          "expected both coordinates or neither (found 719000,0; blank)")),
    Case("extract-journal-in-two-files", EXTRA, "a journal number already in the big extract",
         extract(row(journal="0100-10101-00001-14")),
         (EXTRA_NAME, "row 3", "column 'journalnummer'",
          "expected each journal number in only one file (found '0100-10101-00001-14', also in "
          "anmeldelser_2014-2020.csv.gz row 2)")),
    Case("police-crime-year-outside", None, "crime year outside the police data",
         None, (None, "parameter crime_year", None,
                "police reports from the crime year 2013"), args=("-p", "crime_year=2013")),

    # --- offence-code catalogue (config) ----------------------------------------------------
    Case("codes-code-missing", CODES, "a used offence code deleted from the catalogue",
         delete_rows(lambda r: r["gerningskode"] == "1801"),
         ("anmeldelser_2014-2020.csv.gz", "row ", "column 'gerningskode'",
          "expected an offence code listed in"),
         also=("1801",)),
    Case("codes-duplicate", CODES, "offence code listed twice",
         copy_field("gerningskode", 2, 3),
         ("offence_codes.csv", "row 3", "column 'gerningskode'",
          "expected a value that occurs only once")),
    Case("codes-flag", CODES, "borgervendt 'Ja' instead of 'ja'",
         set_field(4, "borgervendt", "Ja"),
         ("offence_codes.csv", "row 4", "column 'borgervendt'", "expected 'ja' or 'nej'")),
    Case("codes-group", CODES, "unknown tabel1_gruppe",
         set_field(5, "tabel1_gruppe", "tyveri"),
         ("offence_codes.csv", "row 5", "column 'tabel1_gruppe'",
          "expected one of indbrud, tyveri_roeveri, vold_vaaben or blank")),

    # --- geography --------------------------------------------------------------------------
    Case("geo-invalid-polygon", GEOGRAPHY, "self-intersecting (bow-tie) polygon",
         feature("voldparken", lambda f: f["geometry"].update(coordinates=[[
             [718700.0, 6179000.0], [719200.0, 6179300.0], [719200.0, 6179000.0],
             [718700.0, 6179300.0], [718700.0, 6179000.0]]])),
         ("omraader.geojson", "feature 13", "column 'geometry'",
          "expected a valid polygon (found Self-intersection")),
    Case("geo-overlap", GEOGRAPHY, "two sub-areas overlap",
         feature("skolevangen-1", lambda f: f["geometry"].update(coordinates=[[
             [717840.0, 6178400.0], [718100.0, 6178390.0], [718100.0, 6178690.0],
             [717850.0, 6178700.0], [717840.0, 6178400.0]]])),
         ("omraader.geojson", "feature 15", "column 'geometry'",
          "expected sub-areas that do not overlap (found 'skolevangen-1' overlaps "
          "'skolevangen-2', feature 16)")),
    Case("geo-degrees", GEOGRAPHY, "a sub-area in degrees although the crs says metres",
         feature("gadelandet", lambda f: f["geometry"].update(coordinates=[[
             [12.48, 55.71], [12.49, 55.71], [12.49, 55.72], [12.48, 55.71]]])),
         ("omraader.geojson", "feature 14", "column 'geometry'",
          "expected coordinates in metres (EPSG:25832); these look like degrees")),
    Case("geo-crs", GEOGRAPHY, "crs WGS84 instead of EPSG:25832",
         edit_json(lambda d: d["crs"]["properties"].update(name="EPSG:4326")),
         ("omraader.geojson", None, "column 'crs'",
          "expected a crs member naming urn:ogc:def:crs:EPSG::25832")),
    Case("geo-code-missing", GEOGRAPHY, "a feature without its code",
         feature("tagensbo", lambda f: f["properties"].pop("code")),
         ("omraader.geojson", "feature 20", "column 'code'", "expected a non-empty text")),
    Case("geo-code-duplicate", GEOGRAPHY, "two features with the same code",
         feature("tagensbo", lambda f: f["properties"].update(code="bispeparken")),
         ("omraader.geojson", "feature 20", "column 'code'", "expected each code once")),
    Case("geo-district-unknown", GEOGRAPHY, "sub-area names a district that does not exist",
         feature("bispeparken", lambda f: f["properties"].update(district="bispebjerg-nv")),
         ("omraader.geojson", "feature 19", "column 'district'",
          "expected the code of a district feature")),
    Case("geo-level", GEOGRAPHY, "unknown level",
         feature("lundtoftegade", lambda f: f["properties"].update(level="delområde")),
         ("omraader.geojson", "feature 18", "column 'level'", "expected subarea, district or city")),
    Case("geo-point", GEOGRAPHY, "a sub-area given as a point",
         feature("mjoelnerparken", lambda f: f.update(geometry={
             "type": "Point", "coordinates": [722500.0, 6178300.0]})),
         ("omraader.geojson", "feature 17", "column 'geometry'",
          "expected a Polygon or MultiPolygon (found Point)")),
    Case("geo-truncated", GEOGRAPHY, "GeoJSON cut off", cut_bytes(0.6),
         ("omraader.geojson", "line 14", None, "expected valid GeoJSON")),
    Case("geo-cp1252", GEOGRAPHY, "GeoJSON saved as cp1252", reencode("cp1252"),
         ("omraader.geojson", "line 5", None,
          "expected valid GeoJSON (UTF-8 JSON) (found byte 0xf8, which is not UTF-8")),
    Case("geo-subarea-missing", GEOGRAPHY, "a partnership's sub-area missing from the geography",
         edit_json(lambda d: d.update(features=[
             f for f in d["features"] if f["properties"]["code"] != "skolevangen-2"])),
         ("tingbjerg-husum.yaml", None, "key 'periods'", "skolevangen-2 are not sub-areas"),
         also=("not sub-areas of the geography",)),
    Case("config-subarea-unknown", PARTNERSHIP, "config names a sub-area not in the geography",
         replace_text("skolevangen-1, skolevangen-2]", "skolevangen-1, skolevangen-3]"),
         ("tingbjerg-husum.yaml", None, "key 'periods'", "skolevangen-3"),
         also=("known sub-areas:",)),

    # --- population -------------------------------------------------------------------------
    Case("population-year-missing", POPULATION, "population of one sub-area missing for 2019",
         delete_rows(lambda r: r["aar"] == "2019" and r["omraade"] == "voldparken"),
         ("befolkning.csv", None, "column 'aar/omraade'",
          "expected the population of voldparken on 1 January 2019")),
    Case("population-zero", POPULATION, "population 0", set_field(24, "indbyggere", "0"),
         ("befolkning.csv", "row 24", "column 'indbyggere'", "expected a population above 0")),
    Case("population-thousands-separator", POPULATION, "population with thousands separator",
         set_field(2, "indbyggere", "569.557"),
         ("befolkning.csv", "row 2", "column 'indbyggere'", "expected a whole number")),
    Case("population-area-unknown", POPULATION, "area code not in the geography",
         set_field(21, "omraade", "Voldparken"),
         ("befolkning.csv", "row 21", "column 'omraade'",
          "expected a sub-area or city code of the geography")),
    Case("population-duplicate", POPULATION, "the same year and area twice",
         copy_field("aar", 22, 23),
         ("befolkning.csv", "row 23", "column 'aar/omraade'",
          "expected each combination of aar/omraade only once")),

    # --- safety-plan workbook ---------------------------------------------------------------
    Case("plan-sheet-missing", PLAN, "sheet Midtvejsstatus deleted",
         workbook(lambda wb: wb.remove(wb["Midtvejsstatus"])),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", None, None,
          "expected a sheet named 'Midtvejsstatus' (found sheets Tryghedsplan)")),
    Case("plan-no-partners", PLAN, "an activity without partners",
         cell("Tryghedsplan", 9, "Samarbejdspartnere", None),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "row 9", "column 'Tryghedsplan: Samarbejdspartnere'",
          "expected at least one partner for an activity")),
    Case("plan-type", PLAN, "Type neither Aktivitet nor Drift",
         cell("Tryghedsplan", 5, "Type", "Projekt"),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "row 5", "column 'Tryghedsplan: Type'",
          "expected 'Aktivitet' or 'Drift'")),
    Case("plan-funding-text", PLAN, "amount written as text with 'kr.'",
         cell("Tryghedsplan", 4, "Finansiering 2021", "190.000 kr."),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "row 4",
          "column 'Tryghedsplan: Finansiering 2021'", "expected a whole number")),
    Case("plan-funding-negative", PLAN, "negative amount",
         cell("Tryghedsplan", 3, "Finansiering 2022", -220000),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "row 3",
          "column 'Tryghedsplan: Finansiering 2022'", "expected an amount from 0 to 100000000 kr.")),
    Case("plan-status-unknown", PLAN, "midterm status for an activity not in the plan",
         cell("Midtvejsstatus", 6, "Nr.", 99),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "row 6", "column 'Midtvejsstatus: Nr.'",
          "expected the number of an activity in sheet Tryghedsplan")),
    Case("plan-column-missing", PLAN, "column Samarbejdspartnere deleted",
         workbook(lambda wb: wb["Tryghedsplan"].delete_cols(5)),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "row 1",
          "column 'Tryghedsplan: Samarbejdspartnere'",
          "expected a column named 'Samarbejdspartnere'")),
    Case("plan-duplicate-number", PLAN, "line number used twice",
         cell("Tryghedsplan", 7, "Nr.", 5),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "row 7", "column 'Tryghedsplan: Nr.'",
          "expected a value that occurs only once")),
    Case("plan-not-xlsx", PLAN, "not a workbook (a CSV saved as .xlsx)",
         garbage(b"Nr.;Aktivitet;Type\n1;Juniorbetjent;Aktivitet\n"),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", None, None,
          "expected an Excel workbook (.xlsx)")),

    # --- configuration and parameters -------------------------------------------------------
    Case("param-partnership-unknown", None, "unknown partnership", None,
         (None, "parameter partnership", None, "unknown partnership 'tingbjerg'"),
         also=("configured partnerships: nordvest, norrebro, tingbjerg-husum",),
         partnership="tingbjerg"),
    Case("param-year-after-data", None, "report year after the data", None,
         ("survey", "parameter year", None, "survey data for the report year 2022"),
         year=2022),
    Case("param-year-before-data", None, "report year before the first survey year", None,
         ("settings.yaml", "parameter year", None, "2013 is before the first survey year"),
         year=2013),
    Case("param-alpha", None, "alpha outside (0, 1)", None,
         (None, "parameter alpha", None, "expected a significance level between 0 and 1"),
         args=("-p", "alpha=5")),
    Case("param-crime-year-text", None, "crime_year not a year", None,
         (None, "parameter crime_year", None, "expected a year such as 2020"),
         args=("-p", "crime_year=sidste år")),
    Case("settings-min-respondents", SETTINGS, "min_respondents not a number",
         replace_text("min_respondents: 30", "min_respondents: tredive"),
         ("settings.yaml", None, "key 'min_respondents'", "should be int")),
    Case("settings-extent", SETTINGS, "police_extent with three numbers",
         replace_text("[700000, 6150000, 745000, 6195000]", "[700000, 6150000, 745000]"),
         ("settings.yaml", None, "key 'police_extent'", "should be [min_x, min_y, max_x, max_y]")),
    Case("settings-city", SETTINGS, "city code not in the geography",
         replace_text("city: koebenhavn", "city: kobenhavn"),
         ("settings.yaml", None, "key 'city'", "expected the code of a feature of the geography")),
    Case("settings-yaml", SETTINGS, "YAML syntax error (tab indentation)",
         replace_text("  min_count: 5", "\tmin_count: 5"),
         ("settings.yaml", "line 6", "column 1", "not valid YAML")),
    Case("partnership-periods-overlap", PARTNERSHIP, "periods overlap",
         replace_text("last_year: 2020", "last_year: 2021"),
         ("tingbjerg-husum.yaml", None, "key 'periods'", "periods overlap")),
    Case("partnership-group-unknown", PARTNERSHIP, "table group not in the catalogue",
         replace_text("table_1_groups: [indbrud,", "table_1_groups: [indbrud_bolig,"),
         ("tingbjerg-husum.yaml", None, "key 'targets.table_1_groups'", "indbrud_bolig"),
         also=("offence_codes.csv",)),
    Case("partnership-baseline-before-data", PARTNERSHIP, "crime baseline year before the police data",
         replace_text("crime_baseline_year: 2020", "crime_baseline_year: 2010"),
         ("police", None, "column 'anmeldt_dato'",
          "expected police reports from the crime baseline year 2010"),
         also=("tingbjerg-husum.yaml",)),
    Case("partnership-district-unknown", PARTNERSHIP, "district not in the geography",
         replace_text("district: bronshoj-husum", "district: bronshoj"),
         ("tingbjerg-husum.yaml", None, "key 'district'", "is not a district of the geography")),
    Case("partnership-year-type", PARTNERSHIP, "survey_baseline_year as text",
         replace_text("survey_baseline_year: 2014", "survey_baseline_year: '2014 og 2020'"),
         ("tingbjerg-husum.yaml", None, "key 'survey_baseline_year'", "should be int")),

    # --- doubt about which file or value is meant (issue 14, class 3) ----------------------
    Case("survey-two-files", SURVEY, "the 2021 survey as .csv and as .csv.gz",
         copy_to("tryghedsundersoegelse_2021.csv.gz", compress=True),
         ("tryghedsundersoegelse_2021.csv", None, None,
          "expected one file per survey year (found also tryghedsundersoegelse_2021.csv.gz")),
    Case("plan-two-files-case", PLAN, "the plan again as .XLSX (names differ only in case)",
         copy_to("tryghedsplan_tingbjerg-husum_2021.XLSX"),
         ("tryghedsplan_tingbjerg-husum_2021.XLSX", None, None,
          "expected one safety plan per partnership and year (found also "
          "tryghedsplan_tingbjerg-husum_2021.xlsx")),
    Case("police-name-case", POLICE, "a second police extract named in upper case",
         copy_to("ANMELDELSER_2020.CSV.GZ"),
         ("ANMELDELSER_2020.CSV.GZ", None, None,
          "expected a name like anmeldelser_2014-2020.csv.gz (in lower case)")),
    Case("plan-formula-no-value", PLAN, "budget cells as formulas without stored values "
         "(written by a script)", cell("Tryghedsplan", 3, "Finansiering 2021", "=1000*190"),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", None, None,
          "expected a value in every formula cell"), also=("Tryghedsplan!F3",)),
    Case("settings-duplicate-key", SETTINGS, "alpha given twice", append_text("alpha: 0.1\n"),
         ("settings.yaml", "line 17", "column 1",
          "expected key 'alpha' only once in this mapping, found it also on line 3")),
    Case("partnership-duplicate-key", PARTNERSHIP, "periods: given twice",
         replace_text("periods:\n", "periods: []\nperiods:\n"),
         ("tingbjerg-husum.yaml", "line 11", "column 1",
          "expected key 'periods' only once in this mapping")),
    # --- hangs (class 4) -------------------------------------------------------------------
    Case("settings-alias-bomb", SETTINGS, "nested YAML aliases ('billion laughs')",
         append_text("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a]\n"
                     + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                               for p, c in zip("bcdefgh", "cdefghi"))),
         ("settings.yaml", "line 18", "column 8",
          "expected a value written out in full, not an alias (*a)")),
    Case("settings-deep-nesting", SETTINGS, "a value nested 100,000 deep",
         append_text("deep: " + "[" * 100_000 + "]" * 100_000 + "\n"),
         ("settings.yaml", "line 17", None, "expected at most 20 levels of nesting")),
    # --- the data's fault, said so (class 5) -----------------------------------------------
    Case("population-long-field", POPULATION, "a quote opened and never closed (a 10 MB field)",
         set_field(5, "omraade", '"voldparken' + "x" * 10_000_000),
         ("befolkning.csv", "row 5", None,
          "expected fields separated by ';', one row per line (found a field longer than")),
    Case("geography-null-feature", GEOGRAPHY, "a feature that is null",
         edit_json(lambda d: d["features"].append(None)),
         ("omraader.geojson", "feature 21", None, "expected a GeoJSON Feature")),
    Case("geography-crs-text", GEOGRAPHY, "crs given as a plain string",
         edit_json(lambda d: d.update(crs="EPSG:25832")),
         ("omraader.geojson", None, "column 'crs'",
          "expected a crs member naming urn:ogc:def:crs:EPSG::25832")),
    Case("geography-deep-arrays", GEOGRAPHY, "arrays nested 100,000 deep",
         garbage(b"[" * 100_000 + b"]" * 100_000),
         ("omraader.geojson", None, None, "nested too deeply to read")),
    Case("plan-no-activities", PLAN, "the plan's sheet holds only its header row",
         workbook(lambda wb: wb["Tryghedsplan"].delete_rows(2, 100)),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", None, "column 'Tryghedsplan: Type'",
          "expected at least one line of Type 'Aktivitet'")),
    Case("plan-budget-huge", PLAN, "a budget line of 10^15 kr.",
         cell("Tryghedsplan", 3, "Finansiering 2021", 10**15),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "row 3",
          "column 'Tryghedsplan: Finansiering 2021'", "expected an amount from 0 to 100000000 kr.")),
    Case("partnership-share-percent", PARTNERSHIP, "cooperation_min_share given in percent",
         replace_text("cooperation_min_share: 0.75", "cooperation_min_share: 75"),
         ("tingbjerg-husum.yaml", None, "key 'cooperation_min_share'",
          "should be a share between 0 and 1, e.g. 0.75 for 75 %")),
]


# --- survived -------------------------------------------------------------------------------

def _same_numbers(note, base):
    for q, result in note.safety.items():
        assert result.shares[["share", "n"]].equals(base.safety[q].shares[["share", "n"]]), q
    assert note.crime.counts.equals(base.crime.counts)
    assert note.crime.rates.equals(base.crime.rates)


def _drawn_as_written(note, base):
    from tryghedlib.note import sections

    assert note.partnership.name == "Tingbjerg $\\foo$ Partnerskab"
    assert note.crime.counts.equals(base.crime.counts)
    # The figures draw the name (matplotlib read "$...$" as TeX-like mathtext, and failed).
    assert "Tingbjerg $\\foo$ Partnerskab" in sections.crime(note) + sections.safety(note)


def _unlocated(note, base):
    assert note.crime.unlocated == base.crime.unlocated + 5
    assert f"{base.crime.unlocated + 5} anmeldelser fra 2020 har ingen koordinater" in \
        " ".join(map(texts.notice, note.notices))


def _gap_2020(note, base):
    assert note.survey_gaps == (2020,)
    text = " ".join(map(texts.notice, note.notices))
    assert "ingen data fra Københavns Tryghedsundersøgelse for 2020" in text
    assert "Sammenligningen med 2020 er udeladt" in text
    for q, result in note.safety.items():
        assert list(result.comparisons) == [2014]
        row = result.shares[(result.shares["year"] == 2020) & (result.shares["area"] == "city")]
        assert len(row) == 1 and math.isnan(row["share"].iloc[0]) and not row["shown"].iloc[0]
        assert result.current == base.safety[q].current


def _no_plan(note, base):
    assert note.plan is None and note.cooperation is None
    assert "ingen tryghedsplan for 2021" in " ".join(map(texts.notice, note.notices))
    assert note.crime.counts.equals(base.crime.counts)


SURVIVED: list[Survived] = [
    Survived("survey-cp1252", SURVEY, "survey saved as cp1252 instead of UTF-8",
             reencode("cp1252"), _same_numbers, "nothing: an accepted encoding, same note"),
    Survived("survey-no-bom", SURVEY, "UTF-8 without BOM", strip_bom(), _same_numbers,
             "nothing: an accepted encoding, same note"),
    Survived("population-bom", POPULATION, "UTF-8 with BOM", add_bom(), _same_numbers,
             "nothing: an accepted encoding, same note"),
    Survived("survey-lf", SURVEY, "LF instead of CRLF line endings", unix_newlines(),
             _same_numbers, "nothing: same note"),
    Survived("survey-whitespace", SURVEY, "answers and district with stray spaces",
             then(set_field(5, "tryghed_nabolag", "  Tryg "),
                  set_field(4, "bydel", " Østerbro  ")), _same_numbers,
             "nothing: spaces around a field are not part of it, same note"),
    Survived("survey-extra-column", SURVEY, "an extra column the note does not use",
             add_column("koen", "K"), _same_numbers, "nothing: extra columns are ignored"),
    Survived("survey-blank-lines", SURVEY, "blank lines between rows",
             insert_lines(100, "", ";;;;;;"), _same_numbers,
             "nothing: a blank line carries no data (row numbers in messages stay right)"),
    Survived("police-no-coordinates", EXTRA, "a supplementary extract of five reports from 2020 "
             "without coordinates",
             write_text("\r\n".join([HEAD, *[row(n=n, x="", y="") for n in range(1, 6)]])
                        + "\r\n"), _unlocated,
             "appendix: '163 anmeldelser fra 2020 har ingen koordinater og indgår derfor ikke i "
             "tallene for nogen områder.'"),
    Survived("survey-year-gap", SURVEY_2020, "no survey file for 2020 (the year before)",
             delete(), _gap_2020,
             "appendix: 'Der er ingen data fra Københavns Tryghedsundersøgelse for 2020 ...; figur "
             "1 og 2 har derfor ingen punkter for det år.' and 'Sammenligningen med 2020 er "
             "udeladt i afsnit 1 ...'; the figures show a gap, not a line across it"),
    Survived("plan-missing", PLAN, "no safety-plan workbook for the year", delete(), _no_plan,
             "section 3 and appendix: 'Der findes ingen tryghedsplan for 2021 i data ...; "
             "afsnit 3 er derfor udeladt.'"),
    Survived("survey-mac-line-ends", SURVEY, "old Mac line ends (CR only)", mac_newlines(),
             _same_numbers, "nothing: an accepted line end, same note"),
    Survived("plan-stray-copy", PLAN, "a copy 'tryghedsplan_tingbjerg-husum_2021 (1).xlsx' "
             "and a .bak beside the plan",
             then(copy_to("tryghedsplan_tingbjerg-husum_2021 (1).xlsx"),
                  add_file("tryghedsplan_tingbjerg-husum_2021.xlsx.bak", "old")),
             _same_numbers, "a warning per file on stderr and in the run log ('… is not read: "
             "its name is no source's name; is it a copy of, or meant to be, "
             "tryghedsplan_tingbjerg-husum_2021.xlsx?'); same note"),
    Survived("partnership-tex-name", PARTNERSHIP, "TeX-like characters in the partnership's name",
             replace_text("name: Tingbjerg-Husum Partnerskab", "name: Tingbjerg $\\foo$ Partnerskab"),
             _drawn_as_written, "the name as written, '$' and all, in text and figures"),
]

ALL = [*REFUSED, *SURVIVED]
