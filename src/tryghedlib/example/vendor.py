"""The example delivery in vendor form: as survey vendors and the police deliver, not as CSV.

:func:`write_vendor` converts a delivery in the contract's form (default ``data/raw/example``)
into the form real deliveries take: each survey year an SPSS file with the vendor's variable
names, numeric answer codes and value labels (one year a renamed variable, a variable the note
does not use); the police extract an Excel workbook (a sheet of explanations first, then
``Udtræk``, real dates); the population a workbook; and the ``sources.yaml`` mapping them back
to the contract. The other files are copied as they are. Read through ``sources.yaml``, it gives
the same frames, and so the same note, as the delivery it was made from.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from tryghedlib.example.xlsx import sheet_xml, write_xlsx

SURVEY_NAMES = {"respondent_id": "RespID", "aar": "Aar", "bydel": "Bydel",
                "delomraade": "Omraade", "vaegt": "Vaegt", "tryghed_nabolag": "Q7_1",
                "tryghed_aften": "Q7_2"}
#: One year the vendor renamed a variable (sources.yaml says so under ``years``).
RENAMED = {2019: {"tryghed_nabolag": "Q7_1b"}}
ANSWER_CODES = {"Meget tryg": 1, "Tryg": 2, "Hverken tryg eller utryg": 3, "Utryg": 4,
                "Meget utryg": 5, "Ved ikke": 8}
#: The vendor's value labels: one differs from the contract's answer, 9 is never used.
LABELS = {1: "Meget tryg", 2: "Tryg", 3: "Hverken/eller", 4: "Utryg", 5: "Meget utryg",
          8: "Ved ikke", 9: "Uoplyst"}
POLICE_NAMES = {"journalnummer": "Journalnr", "anmeldt_dato": "Anmeldt",
                "gerningsdato": "Gerningsdato", "gerningskode": "Kode",
                "x_koordinat": "X (UTM32)", "y_koordinat": "Y (UTM32)"}
POLICE_SHEET = "Udtræk"
POPULATION_NAMES = {"aar": "År", "omraade": "Område", "indbyggere": "Antal"}
COPIED = ("geography", "plan", "survey/publicerede_andele.csv")

SOURCES_YAML = """\
# The vendor form of the example delivery (python -m tryghedlib.example --vendor).
survey:
  columns:
{survey}
  ignore: [Interviewform]
  answers:
    tryghed_nabolag: {{Hverken/eller: Hverken tryg eller utryg, 9: Ved ikke}}
    tryghed_aften: {{Hverken/eller: Hverken tryg eller utryg, 9: Ved ikke}}
  years:
    2019:
      columns: {{tryghed_nabolag: Q7_1b}}
police:
  columns:
{police}
  sheet: {sheet}
population:
  columns:
{population}
"""


def _columns(names: dict[str, str]) -> str:
    return "\n".join(f"    {c}: {d!r}" if not d.isidentifier() else f"    {c}: {d}"
                     for c, d in names.items())


def sources_yaml() -> str:
    return SOURCES_YAML.format(survey=_columns(SURVEY_NAMES), police=_columns(POLICE_NAMES),
                               sheet=POLICE_SHEET, population=_columns(POPULATION_NAMES))


def _text_table(path: Path) -> pd.DataFrame:
    encoding = "utf-8-sig"
    try:
        path.read_bytes().decode("utf-8") if path.suffix != ".gz" else None
    except UnicodeDecodeError:
        encoding = "cp1252"
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding=encoding)


def _numbers(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.str.replace(",", ".", regex=False).replace("", np.nan))


def write_survey_sav(table: pd.DataFrame, year: int, path: Path) -> Path:
    import pyreadstat
    names = {**SURVEY_NAMES, **RENAMED.get(year, {})}
    frame = pd.DataFrame({
        names["respondent_id"]: table["respondent_id"],
        names["aar"]: _numbers(table["aar"]),
        "Interviewform": np.where(np.arange(len(table)) % 3, "web", "telefon"),
        names["bydel"]: table["bydel"], names["delomraade"]: table["delomraade"],
        names["vaegt"]: _numbers(table["vaegt"]),
        **{names[c]: table[c].map(ANSWER_CODES).astype(float)
           for c in ("tryghed_nabolag", "tryghed_aften")}})
    labels = {names[c]: LABELS for c in ("tryghed_nabolag", "tryghed_aften")}
    path.parent.mkdir(parents=True, exist_ok=True)
    pyreadstat.write_sav(frame, str(path), variable_value_labels=labels,
                         missing_ranges={n: [8, 9] for n in labels})
    return path


def police_sheet(table: pd.DataFrame) -> bytes:
    def date(column):
        return pd.to_datetime(table[column].replace("", None), format="%d-%m-%Y")
    frame = pd.DataFrame({
        POLICE_NAMES["journalnummer"]: table["journalnummer"],
        POLICE_NAMES["anmeldt_dato"]: date("anmeldt_dato"),
        POLICE_NAMES["gerningsdato"]: date("gerningsdato"),
        POLICE_NAMES["gerningskode"]: _numbers(table["gerningskode"]),
        POLICE_NAMES["x_koordinat"]: _numbers(table["x_koordinat"]),
        POLICE_NAMES["y_koordinat"]: _numbers(table["y_koordinat"])})
    return sheet_xml(frame)


def write_vendor(out_dir: str | Path, source: str | Path = "data/raw/example") -> list[Path]:
    """Write the delivery at ``source`` (contract form) to ``out_dir`` in vendor form."""
    out, source = Path(out_dir), Path(source)
    written = []
    for name in COPIED:
        origin, target = source / name, out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, target, dirs_exist_ok=True)
            written += sorted(p for p in target.rglob("*") if p.is_file())
        else:
            written.append(Path(shutil.copyfile(origin, target)))
    for path in sorted((source / "survey").glob("tryghedsundersoegelse_*.csv")):
        year = int(path.name.split("_")[1][:4])
        written.append(write_survey_sav(_text_table(path), year,
                                        out / "survey" / f"tryghedsundersoegelse_{year}.sav"))
    explanation = sheet_xml(pd.DataFrame({"Felt": list(POLICE_NAMES.values()),
                                          "Forklaring": list(POLICE_NAMES)}))
    for path in sorted((source / "police").glob("anmeldelser_*.csv*")):
        name = path.name.split(".")[0] + ".xlsx"
        written.append(write_xlsx(out / "police" / name, {
            "Forklaring": explanation, POLICE_SHEET: police_sheet(_text_table(path))}))
    population = _text_table(source / "population" / "befolkning.csv")
    frame = pd.DataFrame({POPULATION_NAMES[c]: _numbers(population[c]) if c != "omraade"
                          else population[c] for c in POPULATION_NAMES})
    written.append(write_xlsx(out / "population" / "befolkning.xlsx",
                              {"Befolkning": sheet_xml(frame)}))
    written.append(out / "sources.yaml")
    written[-1].write_text(sources_yaml(), encoding="utf-8")
    return sorted(written)
