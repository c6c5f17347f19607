"""The bad-input corpus: one deliberately broken input per case, as data.

Every case starts from a copy of the synthetic example delivery (``data/raw/example``) and the
configuration (``config/``), breaks one thing, and runs ``tryghed report`` on it. A *refused*
case must end with exit code 1 and a message with one line naming the file (or the parameter),
the row (``række N``, ``feature N``), the column (or key) and what was expected (``forventet``,
in Danish, as every message); nothing may be
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
         ("tryghedsundersoegelse_2021.csv", "række 1", "kolonne 'tryghed_aften'",
          "forventet en kolonne med navnet 'tryghed_aften'")),
    Case("survey-column-renamed", SURVEY, "column vaegt renamed to Vægt",
         rename_column("vaegt", "Vægt"),
         ("tryghedsundersoegelse_2021.csv", "række 1", "kolonne 'vaegt'",
          "forventet en kolonne med navnet 'vaegt' (fundet en kolonne 'Vægt' — omdøbt?)")),
    Case("survey-year-text", SURVEY, "aar is not a number",
         set_field(10, "aar", "2021a"),
         ("tryghedsundersoegelse_2021.csv", "række 10", "kolonne 'aar'", "forventet et helt tal")),
    Case("survey-year-other", SURVEY, "aar differs from the year in the file name",
         set_field(11, "aar", "2020"),
         ("tryghedsundersoegelse_2021.csv", "række 11", "kolonne 'aar'",
          "forventet 2021, året i filens navn")),
    Case("survey-weight-decimal-point", SURVEY, "weight written with a decimal point",
         set_field(2, "vaegt", "0.948166", check="0,948166"),
         ("tryghedsundersoegelse_2021.csv", "række 2", "kolonne 'vaegt'",
          "forventet et tal med decimalkomma, f.eks. 1,25 (fundet '0.948166')")),
    Case("survey-weight-zero", SURVEY, "weight 0",
         set_field(57, "vaegt", "0"),
         ("tryghedsundersoegelse_2021.csv", "række 57", "kolonne 'vaegt'",
          "forventet en vægt over 0")),
    Case("survey-weight-negative", SURVEY, "negative weight",
         set_field(58, "vaegt", "-1,2"),
         ("tryghedsundersoegelse_2021.csv", "række 58", "kolonne 'vaegt'",
          "forventet en vægt over 0")),
    # Both passed "> 0" and ended in English errors of the statistics (overflowing sums).
    Case("survey-weight-huge", SURVEY, "a weight of 10^300 (a typing error)",
         set_field(60, "vaegt", "1" + "0" * 300 + ",0"),
         ("tryghedsundersoegelse_2021.csv", "række 60", "kolonne 'vaegt'",
          "forventet en vægt over 0 og højst 1000000")),
    Case("survey-weight-endless", SURVEY, "a weight of 400 digits (beyond any float)",
         set_field(61, "vaegt", "1" + "0" * 400),
         ("tryghedsundersoegelse_2021.csv", "række 61", "kolonne 'vaegt'",
          "forventet et tal med decimalkomma, f.eks. 1,25 (fundet '1000")),
    Case("survey-weight-missing", SURVEY, "weight blank",
         set_field(59, "vaegt", ""),
         ("tryghedsundersoegelse_2021.csv", "række 59", "kolonne 'vaegt'", "forventet en værdi, ikke tom")),
    Case("survey-duplicate-id", SURVEY, "respondent id repeated",
         copy_field("respondent_id", 2, 3),
         ("tryghedsundersoegelse_2021.csv", "række 3", "kolonne 'respondent_id'",
          "forventet en værdi, der kun forekommer én gang"),
         also=("række 2, kolonne 'respondent_id'",)),
    Case("survey-answer-off-scale", SURVEY, "answer not on the scale (Meget utrygt)",
         set_field(5, "tryghed_nabolag", "Meget utrygt"),
         ("tryghedsundersoegelse_2021.csv", "række 5", "kolonne 'tryghed_nabolag'",
          "forventet en af Meget tryg, Tryg, Hverken tryg eller utryg, Utryg, Meget utryg, "
          "Ved ikke eller tom (fundet 'Meget utrygt')")),
    Case("survey-answer-code", SURVEY, "answer as a code (4) instead of its text",
         set_field(6, "tryghed_aften", "4"),
         ("tryghedsundersoegelse_2021.csv", "række 6", "kolonne 'tryghed_aften'",
          "forventet en af Meget tryg")),
    Case("survey-district-unknown", SURVEY, "bydel not in the geography",
         set_field(4, "bydel", "Østerbroe", check="Østerbro"),
         ("tryghedsundersoegelse_2021.csv", "række 4", "kolonne 'bydel'",
          "forventet en bydel i geografien")),
    Case("survey-subarea-unknown", SURVEY, "delomraade not a sub-area code",
         set_field(111, "delomraade", "Voldparken", check="voldparken"),
         ("tryghedsundersoegelse_2021.csv", "række 111", "kolonne 'delomraade'",
          "forventet koden for et delområde i geografien")),
    Case("survey-empty", SURVEY, "empty file (0 bytes)", empty(),
         ("tryghedsundersoegelse_2021.csv", "række 1", None,
          "forventet en overskriftslinje og rækker med data (fundet en tom fil)")),
    Case("survey-header-only", SURVEY, "header line but no rows", keep_lines(1),
         ("tryghedsundersoegelse_2021.csv", "række 2", None, "forventet mindst én række med data")),
    Case("survey-truncated", SURVEY, "file cut off in the middle of a line",
         cut_line(3000, 4),
         ("tryghedsundersoegelse_2021.csv", "række 3000", "kolonne 'vaegt'",
          "forventet 7 felter adskilt af ';'")),
    Case("survey-extra-field", SURVEY, "a ';' too many on one line",
         set_field(12, "tryghed_aften", "Tryg;Tryg"),
         ("tryghedsundersoegelse_2021.csv", "række 12", None, "forventet 7 felter adskilt af ';'")),
    Case("survey-comma-separated", SURVEY, "saved with ',' as separator", separator(","),
         ("tryghedsundersoegelse_2021.csv", "række 1", None, "forventet felter adskilt af ';'")),
    Case("survey-utf16", SURVEY, "saved as UTF-16 (Excel's 'Unicode text')",
         reencode("utf-16"),
         ("tryghedsundersoegelse_2021.csv", "række 1", None,
          "forventet tekst kodet som UTF-8 eller cp1252")),
    Case("survey-mixed-encoding", SURVEY, "one cp1252 line inside a UTF-8 file",
         reencode_line(4, "cp1252"),
         ("tryghedsundersoegelse_2021.csv", "række 4", None,
          "forventet tekst i én kodning (UTF-8 eller cp1252)")),
    Case("survey-report-year-missing", SURVEY, "no survey file for the report year", delete(),
         ("survey", "parameteren year", None, "undersøgelsens data for rapportåret 2021"),
         also=("undersøgelsesår 2014, 2015, 2016, 2017, 2018, 2019, 2020",)),

    # --- published aggregates ---------------------------------------------------------------
    Case("published-share-above-100", PUBLISHED, "share 123,4 %",
         set_field(2, "andel", "123,4"),
         ("publicerede_andele.csv", "række 2", "kolonne 'andel'",
          "forventet en andel i procent, 0-100")),
    Case("published-share-negative", PUBLISHED, "share -1 %",
         set_field(3, "andel", "-1,0"),
         ("publicerede_andele.csv", "række 3", "kolonne 'andel'", "forventet en andel i procent, 0-100")),
    Case("published-share-fraction", PUBLISHED, "share as a fraction with decimal point",
         set_field(4, "andel", "0.198"),
         ("publicerede_andele.csv", "række 4", "kolonne 'andel'",
          "forventet et tal med decimalkomma")),
    Case("published-n-zero", PUBLISHED, "n = 0", set_field(5, "n", "0"),
         ("publicerede_andele.csv", "række 5", "kolonne 'n'",
          "forventet et antal svarpersoner over 0")),
    Case("published-duplicate", PUBLISHED, "the same year, area and question twice",
         insert_lines(2, "2011;koebenhavn;nabolag;12,4;4712;3795,4"),
         ("publicerede_andele.csv", "række 3", "kolonne 'aar/omraade/indikator'",
          "forventet hver kombination af aar/omraade/indikator kun én gang (fundet 2011, "
          "'koebenhavn', 'nabolag', som i række 2)")),
    Case("published-indicator", PUBLISHED, "unknown indicator",
         set_field(6, "indikator", "natten"),
         ("publicerede_andele.csv", "række 6", "kolonne 'indikator'",
          "forventet 'nabolag' eller 'aften'")),

    # --- police register extract ------------------------------------------------------------
    Case("police-column-missing", POLICE, "column gerningskode deleted",
         drop_column("gerningskode"),
         ("anmeldelser_2014-2020.csv.gz", "række 1", "kolonne 'gerningskode'",
          "forventet en kolonne med navnet 'gerningskode'")),
    Case("police-column-renamed", POLICE, "x_koordinat renamed to X_KOORDINAT",
         rename_column("x_koordinat", "X_KOORDINAT"),
         ("anmeldelser_2014-2020.csv.gz", "række 1", "kolonne 'x_koordinat'",
          "(fundet en kolonne 'X_KOORDINAT' — omdøbt?)")),
    Case("police-duplicate-journal", POLICE, "journal number repeated",
         copy_field("journalnummer", P2020, P2020 + 3),
         ("anmeldelser_2014-2020.csv.gz", f"række {P2020 + 3}", "kolonne 'journalnummer'",
          "forventet en værdi, der kun forekommer én gang")),
    Case("police-degrees", POLICE, "coordinates in degrees (WGS84)",
         then(set_field(P2020 + 7, "x_koordinat", "12,4916"),
              set_field(P2020 + 7, "y_koordinat", "55,7101")),
         ("anmeldelser_2014-2020.csv.gz", f"række {P2020 + 7}", "kolonne 'x_koordinat/y_koordinat'",
          "disse ligner grader (WGS84)")),
    Case("police-gzip-truncated", POLICE, "compressed file cut off (interrupted copy)",
         cut_bytes(0.5),
         ("anmeldelser_2014-2020.csv.gz", "række ", None,
          "forventet en komplet gzip-komprimeret fil")),
    Case("police-header-only", POLICE, "extract with a header but no reports", keep_lines(1),
         ("anmeldelser_2014-2020.csv.gz", "række 2", None, "forventet mindst én række med data")),
    Case("police-no-files", POLICE, "no police extract in the folder", delete(),
         ("police", None, None, "forventet en eller flere filer anmeldelser_*.csv")),
    Case("police-year-missing", POLICE, "no reports from 2017 (a year left out of the extract)",
         delete_rows(lambda r: r["anmeldt_dato"].endswith("-2017")),
         ("police", None, "kolonne 'anmeldt_dato'",
          "forventet anmeldelser fra hvert år 2014-2020 (fundet ingen anmeldelser fra 2017)")),
    # An extract cut off before the crime year ended: eleven months counted as the whole year
    # (a rate that fell "significantly").
    Case("police-year-partial", POLICE, "the extract ends on 30 November 2020",
         delete_rows(lambda r: r["anmeldt_dato"].endswith("-12-2020")),
         ("police", None, "kolonne 'anmeldt_dato'",
          "forventet anmeldelser fra hele året, januar til december, i hvert år 2014-2020 "
          "(fundet 2020: kun 01-01-2020 til 30-11-2020")),
    # A supplementary extract (a second file beside the big one, as the police send corrections
    # or a new year) with one flawed report in line 3; the loader reads every file the same way.
    Case("extract-date-format", EXTRA, "date written yyyy-mm-dd",
         extract(row(anmeldt="2020-06-15")),
         (EXTRA_NAME, "række 3", "kolonne 'anmeldt_dato'",
          "forventet en dato skrevet dd-mm-åååå (fundet '2020-06-15')")),
    Case("extract-coordinate-decimal-point", EXTRA, "coordinate with a decimal point",
         extract(row(x="719000.0")),
         (EXTRA_NAME, "række 3", "kolonne 'x_koordinat'",
          "forventet et tal med decimalkomma, f.eks. 1,25 (fundet '719000.0')")),
    Case("extract-outside-district", EXTRA, "coordinates in Jutland (outside the police district)",
         extract(row(x="530000,0", y="6225000,0")),
         (EXTRA_NAME, "række 3", "kolonne 'x_koordinat/y_koordinat'",
          "forventet et sted inden for politikredsen (settings: police_extent) "
          "(fundet 530000,0; 6225000,0)")),
    Case("extract-swapped", EXTRA, "x and y swapped", extract(row(x="6179400,0", y="719000,0")),
         (EXTRA_NAME, "række 3", "kolonne 'x_koordinat/y_koordinat'",
          "x og y ser ud til at være byttet om (fundet 6179400,0; 719000,0)")),
    Case("extract-date-missing", EXTRA, "anmeldt_dato blank",
         extract(row(anmeldt="")),
         (EXTRA_NAME, "række 3", "kolonne 'anmeldt_dato'", "forventet en værdi, ikke tom")),
    Case("extract-offence-after-report", EXTRA, "gerningsdato after anmeldt_dato",
         extract(row(begaaet="20-06-2020")),
         (EXTRA_NAME, "række 3", "kolonne 'gerningsdato'",
          "forventet en gerningsdato på eller før anmeldt_dato (fundet 20-06-2020)")),
    Case("extract-journal-format", EXTRA, "journal number in another format",
         extract(row(journal="10203-313/20")),
         (EXTRA_NAME, "række 3", "kolonne 'journalnummer'",
          "forventet et journalnummer som 0100-76543-00012-20 (fundet '10203-313/20')")),
    Case("extract-code-unknown", EXTRA, "offence code not in the catalogue",
         extract(row(kode="9999")),
         (EXTRA_NAME, "række 3", "kolonne 'gerningskode'",
          "forventet en gerningskode fra config/offence_codes.csv (fundet 9999")),
    Case("extract-code-text", EXTRA, "offence code as text", extract(row(kode="Indbrud")),
         (EXTRA_NAME, "række 3", "kolonne 'gerningskode'", "forventet et helt tal")),
    Case("extract-half-coordinate", EXTRA, "x given, y blank", extract(row(y="")),
         (EXTRA_NAME, "række 3", "kolonne 'x_koordinat/y_koordinat'",
          "forventet begge koordinater eller ingen af dem (fundet 719000,0; tom)")),
    Case("extract-journal-in-two-files", EXTRA, "a journal number already in the big extract",
         extract(row(journal="0100-10101-00001-14")),
         (EXTRA_NAME, "række 3", "kolonne 'journalnummer'",
          "forventet hvert journalnummer i kun én fil (fundet '0100-10101-00001-14', også i "
          "anmeldelser_2014-2020.csv.gz række 2)")),
    Case("police-crime-year-outside", None, "crime year outside the police data",
         None, (None, "parameteren crime_year", None,
                "anmeldelser fra kriminalitetsåret 2013"), args=("-p", "crime_year=2013")),

    # --- offence-code catalogue (config) ----------------------------------------------------
    Case("codes-code-missing", CODES, "a used offence code deleted from the catalogue",
         delete_rows(lambda r: r["gerningskode"] == "1801"),
         ("anmeldelser_2014-2020.csv.gz", "række ", "kolonne 'gerningskode'",
          "forventet en gerningskode fra"),
         also=("1801",)),
    Case("codes-duplicate", CODES, "offence code listed twice",
         copy_field("gerningskode", 2, 3),
         ("offence_codes.csv", "række 3", "kolonne 'gerningskode'",
          "forventet en værdi, der kun forekommer én gang")),
    Case("codes-flag", CODES, "borgervendt 'Ja' instead of 'ja'",
         set_field(4, "borgervendt", "Ja"),
         ("offence_codes.csv", "række 4", "kolonne 'borgervendt'", "forventet 'ja' eller 'nej'")),
    Case("codes-group", CODES, "unknown tabel1_gruppe",
         set_field(5, "tabel1_gruppe", "tyveri"),
         ("offence_codes.csv", "række 5", "kolonne 'tabel1_gruppe'",
          "forventet en af indbrud, tyveri_roeveri, vold_vaaben eller tom")),

    # --- geography --------------------------------------------------------------------------
    Case("geo-invalid-polygon", GEOGRAPHY, "self-intersecting (bow-tie) polygon",
         feature("voldparken", lambda f: f["geometry"].update(coordinates=[[
             [718700.0, 6179000.0], [719200.0, 6179300.0], [719200.0, 6179000.0],
             [718700.0, 6179300.0], [718700.0, 6179000.0]]])),
         ("omraader.geojson", "feature 13", "kolonne 'geometry'",
          "forventet en gyldig polygon (fundet kanten krydser sig selv")),
    Case("geo-overlap", GEOGRAPHY, "two sub-areas overlap",
         feature("skolevangen-1", lambda f: f["geometry"].update(coordinates=[[
             [717840.0, 6178400.0], [718100.0, 6178390.0], [718100.0, 6178690.0],
             [717850.0, 6178700.0], [717840.0, 6178400.0]]])),
         ("omraader.geojson", "feature 15", "kolonne 'geometry'",
          "forventet delområder, der ikke overlapper (fundet 'skolevangen-1' overlapper "
          "'skolevangen-2', feature 16)")),
    Case("geo-degrees", GEOGRAPHY, "a sub-area in degrees although the crs says metres",
         feature("gadelandet", lambda f: f["geometry"].update(coordinates=[[
             [12.48, 55.71], [12.49, 55.71], [12.49, 55.72], [12.48, 55.71]]])),
         ("omraader.geojson", "feature 14", "kolonne 'geometry'",
          "forventet koordinater i meter (EPSG:25832); disse ligner grader")),
    Case("geo-crs", GEOGRAPHY, "crs WGS84 instead of EPSG:25832",
         edit_json(lambda d: d["crs"]["properties"].update(name="EPSG:4326")),
         ("omraader.geojson", None, "kolonne 'crs'",
          "forventet et crs-medlem, der angiver urn:ogc:def:crs:EPSG::25832")),
    Case("geo-code-missing", GEOGRAPHY, "a feature without its code",
         feature("tagensbo", lambda f: f["properties"].pop("code")),
         ("omraader.geojson", "feature 20", "kolonne 'code'", "forventet en tekst, der ikke er tom")),
    Case("geo-code-duplicate", GEOGRAPHY, "two features with the same code",
         feature("tagensbo", lambda f: f["properties"].update(code="bispeparken")),
         ("omraader.geojson", "feature 20", "kolonne 'code'", "forventet hver kode kun én gang")),
    Case("geo-district-unknown", GEOGRAPHY, "sub-area names a district that does not exist",
         feature("bispeparken", lambda f: f["properties"].update(district="bispebjerg-nv")),
         ("omraader.geojson", "feature 19", "kolonne 'district'",
          "forventet koden for en feature af en bydel")),
    Case("geo-level", GEOGRAPHY, "unknown level",
         feature("lundtoftegade", lambda f: f["properties"].update(level="delområde")),
         ("omraader.geojson", "feature 18", "kolonne 'level'", "forventet subarea, district eller city")),
    Case("geo-point", GEOGRAPHY, "a sub-area given as a point",
         feature("mjoelnerparken", lambda f: f.update(geometry={
             "type": "Point", "coordinates": [722500.0, 6178300.0]})),
         ("omraader.geojson", "feature 17", "kolonne 'geometry'",
          "forventet en Polygon eller MultiPolygon (fundet Point)")),
    Case("geo-truncated", GEOGRAPHY, "GeoJSON cut off", cut_bytes(0.6),
         ("omraader.geojson", "linje 14", None, "forventet gyldig GeoJSON")),
    Case("geo-cp1252", GEOGRAPHY, "GeoJSON saved as cp1252", reencode("cp1252"),
         ("omraader.geojson", "linje 5", None,
          "forventet gyldig GeoJSON (UTF-8 JSON) (fundet byte 0xf8, som ikke er UTF-8")),
    Case("geo-subarea-missing", GEOGRAPHY, "a partnership's sub-area missing from the geography",
         edit_json(lambda d: d.update(features=[
             f for f in d["features"] if f["properties"]["code"] != "skolevangen-2"])),
         ("tingbjerg-husum.yaml", None, "nøgle 'periods'", "skolevangen-2 findes ikke som delområde"),
         also=("findes ikke som delområde i geografien",)),
    Case("config-subarea-unknown", PARTNERSHIP, "config names a sub-area not in the geography",
         replace_text("skolevangen-1, skolevangen-2]", "skolevangen-1, skolevangen-3]"),
         ("tingbjerg-husum.yaml", None, "nøgle 'periods'", "skolevangen-3"),
         also=("kendte delområder:",)),

    # --- population -------------------------------------------------------------------------
    Case("population-year-missing", POPULATION, "population of one sub-area missing for 2019",
         delete_rows(lambda r: r["aar"] == "2019" and r["omraade"] == "voldparken"),
         ("befolkning.csv", None, "kolonne 'aar/omraade'",
          "forventet indbyggertallet i voldparken pr. 1. januar 2019")),
    Case("population-zero", POPULATION, "population 0", set_field(24, "indbyggere", "0"),
         ("befolkning.csv", "række 24", "kolonne 'indbyggere'", "forventet et indbyggertal over 0")),
    Case("population-thousands-separator", POPULATION, "population with thousands separator",
         set_field(2, "indbyggere", "569.557"),
         ("befolkning.csv", "række 2", "kolonne 'indbyggere'", "forventet et helt tal")),
    Case("population-area-unknown", POPULATION, "area code not in the geography",
         set_field(21, "omraade", "Voldparken"),
         ("befolkning.csv", "række 21", "kolonne 'omraade'",
          "forventet koden for et delområde eller byen i geografien")),
    Case("population-duplicate", POPULATION, "the same year and area twice",
         copy_field("aar", 22, 23),
         ("befolkning.csv", "række 23", "kolonne 'aar/omraade'",
          "forventet hver kombination af aar/omraade kun én gang")),

    # --- safety-plan workbook ---------------------------------------------------------------
    Case("plan-sheet-missing", PLAN, "sheet Midtvejsstatus deleted",
         workbook(lambda wb: wb.remove(wb["Midtvejsstatus"])),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", None, None,
          "forventet et ark med navnet 'Midtvejsstatus' (fundet arkene Tryghedsplan)")),
    Case("plan-no-partners", PLAN, "an activity without partners",
         cell("Tryghedsplan", 9, "Samarbejdspartnere", None),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "række 9", "kolonne 'Tryghedsplan: Samarbejdspartnere'",
          "forventet mindst én partner for en aktivitet")),
    Case("plan-type", PLAN, "Type neither Aktivitet nor Drift",
         cell("Tryghedsplan", 5, "Type", "Projekt"),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "række 5", "kolonne 'Tryghedsplan: Type'",
          "forventet 'Aktivitet' eller 'Drift'")),
    Case("plan-funding-text", PLAN, "amount written as text with 'kr.'",
         cell("Tryghedsplan", 4, "Finansiering 2021", "190.000 kr."),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "række 4",
          "kolonne 'Tryghedsplan: Finansiering 2021'", "forventet et helt tal")),
    Case("plan-funding-negative", PLAN, "negative amount",
         cell("Tryghedsplan", 3, "Finansiering 2022", -220000),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "række 3",
          "kolonne 'Tryghedsplan: Finansiering 2022'", "forventet et beløb fra 0 til 100000000 kr.")),
    # The column was passed over, and the note's budget had no 2022.
    Case("plan-funding-header", PLAN, "a budget column headed 'Finansiering 2022 (kr.)'",
         cell("Tryghedsplan", 1, "Finansiering 2022", "Finansiering 2022 (kr.)"),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "række 1",
          "kolonne 'Tryghedsplan: Finansiering 2022 (kr.)'",
          "forventet en overskrift som 'Finansiering 2022' (et årstal, intet andet)")),
    Case("plan-status-unknown", PLAN, "midterm status for an activity not in the plan",
         cell("Midtvejsstatus", 6, "Nr.", 99),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "række 6", "kolonne 'Midtvejsstatus: Nr.'",
          "forventet nummeret på en aktivitet i arket Tryghedsplan")),
    Case("plan-column-missing", PLAN, "column Samarbejdspartnere deleted",
         workbook(lambda wb: wb["Tryghedsplan"].delete_cols(5)),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "række 1",
          "kolonne 'Tryghedsplan: Samarbejdspartnere'",
          "forventet en kolonne med navnet 'Samarbejdspartnere'")),
    Case("plan-duplicate-number", PLAN, "line number used twice",
         cell("Tryghedsplan", 7, "Nr.", 5),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "række 7", "kolonne 'Tryghedsplan: Nr.'",
          "forventet en værdi, der kun forekommer én gang")),
    Case("plan-not-xlsx", PLAN, "not a workbook (a CSV saved as .xlsx)",
         garbage(b"Nr.;Aktivitet;Type\n1;Juniorbetjent;Aktivitet\n"),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", None, None,
          "forventet et Excel-regneark (.xlsx)")),

    # --- configuration and parameters -------------------------------------------------------
    Case("param-partnership-unknown", None, "unknown partnership", None,
         (None, "parameteren partnership", None, "ukendt partnerskab 'tingbjerg'"),
         also=("konfigurerede partnerskaber: nordvest, norrebro, tingbjerg-husum",),
         partnership="tingbjerg"),
    Case("param-year-after-data", None, "report year after the data", None,
         ("survey", "parameteren year", None, "undersøgelsens data for rapportåret 2022"),
         year=2022),
    Case("param-year-before-data", None, "report year before the first survey year", None,
         ("settings.yaml", "parameteren year", None, "2013 ligger før det første viste undersøgelsesår"),
         year=2013),
    Case("param-alpha", None, "alpha outside (0, 1)", None,
         (None, "parameteren alpha", None, "forventet et signifikansniveau mellem 0 og 1"),
         args=("-p", "alpha=5")),
    Case("param-crime-year-text", None, "crime_year not a year", None,
         (None, "parameteren crime_year", None, "forventet et årstal som 2020"),
         args=("-p", "crime_year=sidste år")),
    Case("settings-min-respondents", SETTINGS, "min_respondents not a number",
         replace_text("min_respondents: 30", "min_respondents: tredive"),
         ("settings.yaml", None, "nøgle 'min_respondents'", "forventet et helt tal")),
    Case("settings-extent", SETTINGS, "police_extent with three numbers",
         replace_text("[700000, 6150000, 745000, 6195000]", "[700000, 6150000, 745000]"),
         ("settings.yaml", None, "nøgle 'police_extent'", "forventet [min_x, min_y, max_x, max_y]")),
    Case("settings-city", SETTINGS, "city code not in the geography",
         replace_text("city: koebenhavn", "city: kobenhavn"),
         ("settings.yaml", None, "nøgle 'city'", "forventet koden for en feature i geografien")),
    Case("settings-yaml", SETTINGS, "YAML syntax error (tab indentation)",
         replace_text("  min_count: 5", "\tmin_count: 5"),
         ("settings.yaml", "linje 6", "kolonne 1", "ikke gyldig YAML")),
    Case("partnership-periods-overlap", PARTNERSHIP, "perioderne overlapper",
         replace_text("last_year: 2020", "last_year: 2021"),
         ("tingbjerg-husum.yaml", None, "nøgle 'periods'", "perioderne overlapper")),
    Case("partnership-group-unknown", PARTNERSHIP, "table group not in the catalogue",
         replace_text("table_1_groups: [indbrud,", "table_1_groups: [indbrud_bolig,"),
         ("tingbjerg-husum.yaml", None, "nøgle 'targets.table_1_groups'", "indbrud_bolig"),
         also=("offence_codes.csv",)),
    Case("partnership-baseline-before-data", PARTNERSHIP, "crime baseline year before the police data",
         replace_text("crime_baseline_year: 2020", "crime_baseline_year: 2010"),
         ("police", None, "kolonne 'anmeldt_dato'",
          "forventet anmeldelser fra basisåret for kriminalitet 2010"),
         also=("tingbjerg-husum.yaml",)),
    Case("partnership-district-unknown", PARTNERSHIP, "district not in the geography",
         replace_text("district: bronshoj-husum", "district: bronshoj"),
         ("tingbjerg-husum.yaml", None, "nøgle 'district'", "er ikke en bydel i geografien")),
    Case("partnership-year-type", PARTNERSHIP, "survey_baseline_year as text",
         replace_text("survey_baseline_year: 2014", "survey_baseline_year: '2014 og 2020'"),
         ("tingbjerg-husum.yaml", None, "nøgle 'survey_baseline_year'", "forventet et helt tal")),

    # --- doubt about which file or value is meant (issue 14, class 3) ----------------------
    Case("survey-two-files", SURVEY, "the 2021 survey as .csv and as .csv.gz",
         copy_to("tryghedsundersoegelse_2021.csv.gz", compress=True),
         ("tryghedsundersoegelse_2021.csv", None, None,
          "forventet én fil pr. undersøgelsesår (fundet også tryghedsundersoegelse_2021.csv.gz")),
    Case("plan-two-files-case", PLAN, "the plan again as .XLSX (names differ only in case)",
         copy_to("tryghedsplan_tingbjerg-husum_2021.XLSX"),
         ("tryghedsplan_tingbjerg-husum_2021.XLSX", None, None,
          "forventet én tryghedsplan pr. partnerskab og år (fundet også "
          "tryghedsplan_tingbjerg-husum_2021.xlsx")),
    Case("police-name-case", POLICE, "a second police extract named in upper case",
         copy_to("ANMELDELSER_2020.CSV.GZ"),
         ("ANMELDELSER_2020.CSV.GZ", None, None,
          "forventet et navn som anmeldelser_2014-2020.csv.gz (med små bogstaver)")),
    Case("plan-formula-no-value", PLAN, "budget cells as formulas without stored values "
         "(written by a script)", cell("Tryghedsplan", 3, "Finansiering 2021", "=1000*190"),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", None, None,
          "forventet en værdi i hver celle med en formel"), also=("Tryghedsplan!F3",)),
    Case("settings-duplicate-key", SETTINGS, "alpha given twice", append_text("alpha: 0.1\n"),
         ("settings.yaml", "linje 17", "kolonne 1",
          "forventet nøglen 'alpha' kun én gang i denne mapping (fundet også i linje 3)")),
    Case("partnership-duplicate-key", PARTNERSHIP, "periods: given twice",
         replace_text("periods:\n", "periods: []\nperiods:\n"),
         ("tingbjerg-husum.yaml", "linje 11", "kolonne 1",
          "forventet nøglen 'periods' kun én gang i denne mapping")),
    # --- hangs (class 4) -------------------------------------------------------------------
    Case("settings-alias-bomb", SETTINGS, "nested YAML aliases ('billion laughs')",
         append_text("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a]\n"
                     + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                               for p, c in zip("bcdefgh", "cdefghi"))),
         ("settings.yaml", "linje 18", "kolonne 8",
          "forventet en værdi skrevet helt ud, ikke et alias (*a)")),
    Case("settings-deep-nesting", SETTINGS, "a value nested 100,000 deep",
         append_text("deep: " + "[" * 100_000 + "]" * 100_000 + "\n"),
         ("settings.yaml", "linje 17", None, "forventet højst 20 niveauer af indlejring")),
    # --- the data's fault, said so (class 5) -----------------------------------------------
    Case("population-long-field", POPULATION, "a quote opened and never closed (a 10 MB field)",
         set_field(5, "omraade", '"voldparken' + "x" * 10_000_000),
         ("befolkning.csv", "række 5", None,
          "forventet felter adskilt af ';', én række pr. linje (fundet et felt på mere end")),
    Case("geography-null-feature", GEOGRAPHY, "a feature that is null",
         edit_json(lambda d: d["features"].append(None)),
         ("omraader.geojson", "feature 21", None, "forventet en GeoJSON Feature")),
    Case("geography-crs-text", GEOGRAPHY, "crs given as a plain string",
         edit_json(lambda d: d.update(crs="EPSG:25832")),
         ("omraader.geojson", None, "kolonne 'crs'",
          "forventet et crs-medlem, der angiver urn:ogc:def:crs:EPSG::25832")),
    Case("geography-deep-arrays", GEOGRAPHY, "arrays nested 100,000 deep",
         garbage(b"[" * 100_000 + b"]" * 100_000),
         ("omraader.geojson", None, None, "indlejret for dybt til at kunne læses")),
    Case("plan-no-activities", PLAN, "the plan's sheet holds only its header row",
         workbook(lambda wb: wb["Tryghedsplan"].delete_rows(2, 100)),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", None, "kolonne 'Tryghedsplan: Type'",
          "forventet mindst én linje med Type 'Aktivitet'")),
    Case("plan-budget-huge", PLAN, "a budget line of 10^15 kr.",
         cell("Tryghedsplan", 3, "Finansiering 2021", 10**15),
         ("tryghedsplan_tingbjerg-husum_2021.xlsx", "række 3",
          "kolonne 'Tryghedsplan: Finansiering 2021'", "forventet et beløb fra 0 til 100000000 kr.")),
    Case("partnership-share-percent", PARTNERSHIP, "cooperation_min_share given in percent",
         replace_text("cooperation_min_share: 0.75", "cooperation_min_share: 75"),
         ("tingbjerg-husum.yaml", None, "nøgle 'cooperation_min_share'",
          "forventet en andel mellem 0 og 1, f.eks. 0.75 for 75 %")),
    # Misspelt or unknown words in the configuration were ignored: the note went out without
    # the plan's description, or printed "fald" as the target while testing "hold".
    Case("partnership-key-misspelt", PARTNERSHIP, "plan_description misspelt plan_descripton",
         replace_text("plan_description:", "plan_descripton:"),
         ("tingbjerg-husum.yaml", None, "ukendt nøgle 'plan_descripton'",
          "(mente du 'plan_description'?); forventet en af 'id', 'name'")),
    # YAML 1.1 reads a number with a leading zero as octal: the header printed 45824.
    Case("partnership-case-number-octal", PARTNERSHIP, "case number 0131400 (YAML: octal)",
         replace_text("case_number: 2021-0131400", "case_number: 0131400"),
         ("tingbjerg-husum.yaml", "linje 83", "kolonne 18",
          "forventet et helt tal skrevet med cifre alene (fundet 0131400, som YAML læser som "
          "45824)")),
    Case("partnership-crime-rule", PARTNERSHIP, "a crime rule the note does not know",
         replace_text("crime_rule: hold", "crime_rule: fald"),
         ("tingbjerg-husum.yaml", None, "nøgle 'targets.crime_rule'",
          "forventet 'hold' (fundet 'fald')")),
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


def _outside_district(note, base):
    text = " ".join(map(texts.notice, note.notices))
    assert ("1 svarperson fra 2021 er registreret med et delområde i en anden bydel end sin "
            "egen; svarpersonen indgår i partnerskabets tal efter delområdet") in text
    for q, result in note.safety.items():   # counted in the partnership by its sub-area
        now, then = (r.shares.query("year == 2021 and area == 'partnership'")["n"].iloc[0]
                     for r in (result, base.safety[q]))
        assert now == then + 1, q


def _baseline_ahead(note, base):
    assert note.crime.targets == {} and note.crime.counts.equals(base.crime.counts)
    assert ("Basisåret for målene for kriminalitet er 2022 (crime_baseline_year), efter "
            "kriminalitetsåret 2020; tabel 1 viser derfor 2020 uden sammenligning med et "
            "basisår.") in " ".join(map(texts.notice, note.notices))


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
    Survived("survey-subarea-outside-district", SURVEY, "a respondent of Østerbro given a "
             "sub-area of the partnership (voldparken, in Brønshøj-Husum)",
             set_field(4, "delomraade", "voldparken", check="Østerbro"), _outside_district,
             "appendix: '1 svarperson fra 2021 er registreret med et delområde i en anden bydel "
             "end sin egen; svarpersonen indgår i partnerskabets tal efter delområdet og i "
             "bydelens efter bydelen.' and a line in tryghed check"),
    Survived("partnership-baseline-ahead", PARTNERSHIP, "crime_baseline_year 2022, after the "
             "crime year 2020 of the 2021 note",
             replace_text("crime_baseline_year: 2020 ", "crime_baseline_year: 2022 "),
             _baseline_ahead, "appendix: 'Basisåret for målene for kriminalitet er 2022 "
             "(crime_baseline_year), efter kriminalitetsåret 2020; tabel 1 viser derfor 2020 "
             "uden sammenligning med et basisår.'"),
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
