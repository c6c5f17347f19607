"""One ``load_<source>()`` per raw source: read as delivered, validate, return a tidy typed frame.

Raw files are only ever read. Every loader reports all problems of a delivery at once as a
:class:`~tryghedlib.errors.DataError` naming file, row, column and what was expected.
The file layout and the fields are documented in ``docs/data.md``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely

from tryghedlib.sources import delivery, mapping, schemas, workbooks
from tryghedlib.sources.cells import column_text
from tryghedlib.sources.delivered import read_delivered, refuse_two_files, validate
from tryghedlib.sources.delimited import (parse_choice, parse_dates, parse_decimals, parse_ints,
                                  read_bytes, read_clean_table, read_text_table,
                                  require_columns)
from tryghedlib.errors import DataError, Problem, listed
from tryghedlib.sources.textcolumns import years_of

#: Each mapped source's contract, as the mapping (config/sources.yaml) checks it.
CONTRACTS: dict[str, mapping.Contract] = {name: source.contract
                                          for name, source in schemas.MAPPED.items()}
#: The endings a delivered table may have; one source and year comes in one of them.
ENDINGS = r"(?:csv|csv\.gz|xlsx|sav)"
SURVEY_FILE = re.compile(rf"tryghedsundersoegelse_(\d{{4}})\.{ENDINGS}$")


#: How the careful path parses each kind of field (text stays text).
PARSERS = {schemas.INT: parse_ints, schemas.DECIMAL: parse_decimals, schemas.DATE: parse_dates,
           schemas.YES_NO: lambda raw, path, column: parse_choice(raw, path, column,
                                                                 schemas.YES_NO_VALUES)}


def _parsed(frame: pd.DataFrame, source: schemas.Source, path: Path,
            back: dict[str, str]) -> list[Problem]:
    """Parse each field of ``frame`` (text, under the tidy names) as its contract says, in
    place; the problems name each column as ``back`` does."""
    problems = []
    for field in source.fields:
        parse = PARSERS.get(field.kind)
        if parse is not None:
            frame[field.tidy], more = parse(frame[field.tidy], path, back[field.tidy])
            problems += more
    return problems


def _read_contract_file(path: Path, source: schemas.Source) -> pd.DataFrame:
    """A ``;``-file under the contract's names (published aggregates, the catalogue), parsed
    and validated."""
    frame = _read_table(path, source.columns)[list(source.columns)].rename(
        columns=source.columns)
    back = {tidy: name for name, tidy in source.columns.items()}
    problems = _parsed(frame, source, path, back)
    return schemas.validate(source.schema, frame, str(path), back, problems).astype(
        source.whole_numbers)


def load_sources(path: str | Path = "config/sources.yaml") -> mapping.Mapping:
    """How deliveries name things (``config/sources.yaml``; none: the contract's names)."""
    return mapping.load_mapping(path, CONTRACTS)


def _read_table(path: Path, columns: dict[str, str]) -> pd.DataFrame:
    """A delivered ``;``-file as text, with the columns the loader needs and at least one row."""
    raw = read_text_table(path)
    require_columns(raw, path, list(columns))
    if raw.empty:
        raise DataError([Problem(str(path), 2, None, "mindst én række med data",
                                 "kun overskriftslinjen")])
    return raw


# --- survey -------------------------------------------------------------------------------

def survey_files(data_dir: str | Path) -> dict[int, Path]:
    """Survey microdata files by year, from ``<data_dir>/survey/``."""
    return {int(year): path for (year,), path in delivery.files(data_dir, "survey").items()}


def load_survey(data_dir: str | Path, years: list[int] | None = None, *,
                districts: set[str] | None = None,
                subareas: set[str] | None = None,
                sources: mapping.Mapping | None = None,
                read_year: Callable[[int], pd.DataFrame] | None = None) -> pd.DataFrame:
    """Survey microdata of the given years (default: all), one row per respondent.

    With ``districts``/``subareas`` given, every respondent's area must be one of them.
    Answers come back as an ordered categorical on the survey's scale. ``read_year(year)``
    replaces :func:`read_survey_file` for each year (``tryghed check`` passes one that caches).
    """
    files = survey_files(data_dir)
    if not files:
        raise DataError([Problem(str(Path(data_dir) / "survey"), None, None,
                                 "en eller flere filer tryghedsundersoegelse_ÅÅÅÅ.csv (eller "
                                 ".csv.gz, .xlsx, .sav), én pr. undersøgelsesår")])
    wanted = sorted(files) if years is None else list(years)
    missing = [y for y in wanted if y not in files]
    if missing:
        have = ", ".join(map(str, sorted(files))) or "ingen"
        raise DataError([Problem(str(Path(data_dir) / "survey"), None, None,
                                 f"en fil tryghedsundersoegelse_{y}.csv (undersøgelsens data for "
                                 f"{y})", f"undersøgelsesår {have}") for y in missing])
    frames = [read_year(y) if read_year is not None else
              read_survey_file(files[y], y, districts=districts, subareas=subareas,
                               sources=sources) for y in wanted]
    survey = pd.concat(frames, ignore_index=True)
    return survey.astype({f.tidy: schemas.ANSWER_SCALE for f in schemas.SURVEY.fields
                          if f.allowed == schemas.ANSWERS})


def read_survey_file(path: Path, year: int, *, districts: set[str] | None = None,
                     subareas: set[str] | None = None,
                     sources: mapping.Mapping | None = None) -> pd.DataFrame:
    """One year's survey file (``.csv``, ``.csv.gz``, ``.xlsx`` or ``.sav``)."""
    source = (sources or mapping.Mapping()).source("survey", year)
    read = read_delivered(path, schemas.SURVEY, source)
    frame = read.raw
    problems = read.problems + _parsed(frame, schemas.SURVEY, path, read.back)
    checks = {"year": pa.Check.eq(year, error=f"{year}, året i filens navn")}
    if districts is not None:
        checks["district"] = pa.Check.isin(sorted(districts),
                                           error="en bydel i geografien")
    if subareas is not None:
        checks["subarea"] = pa.Check.isin(sorted(subareas),
                                          error="koden for et delområde i geografien eller tom")
    schema = schemas.SURVEY.schema
    schema = schema.update_columns({c: {"checks": [*schema.columns[c].checks, k]}
                                    for c, k in checks.items()})
    return validate(schema, frame, path, read, problems).astype(schemas.SURVEY.whole_numbers)


def published_path(data_dir: str | Path) -> Path:
    return delivery.path(data_dir, "published")


def load_published_aggregates(data_dir: str | Path) -> pd.DataFrame:
    """Published shares for years or areas without microdata (empty frame if not delivered)."""
    path = published_path(data_dir)
    if not path.exists():
        return pd.DataFrame(columns=list(schemas.PUBLISHED.columns.values()))
    return _read_contract_file(path, schemas.PUBLISHED)


# --- police -------------------------------------------------------------------------------

POLICE_FILE = re.compile(rf"anmeldelser_.*\.{ENDINGS}$")


def police_files(data_dir: str | Path) -> list[Path]:
    return list(delivery.files(data_dir, "police").values())


def load_offence_codes(path: str | Path = "config/offence_codes.csv") -> pd.DataFrame:
    """The offence-code catalogue: code, text, case area, borgervendt flag, table groups."""
    return _read_contract_file(Path(path), schemas.OFFENCE_CODES)


def load_police(data_dir: str | Path, codes: pd.DataFrame | None = None, *,
                extent: tuple[float, float, float, float] | None = None,
                read_file: Callable[[Path], pd.DataFrame] | None = None,
                sources: mapping.Mapping | None = None) -> pd.DataFrame:
    """Every report in ``<data_dir>/police/anmeldelser_*`` (``.csv[.gz]`` or ``.xlsx``).

    ``codes`` (the catalogue) makes an unknown offence code an error; ``extent``
    (min_x, min_y, max_x, max_y in EPSG:25832) makes coordinates outside the police district an
    error. Adds ``year`` (the year the report was made) and ``file`` (a categorical of the file
    names). ``read_file(path)`` replaces :func:`read_police_file` for each file (the report
    model passes one that caches).
    """
    files = police_files(data_dir)
    if not files:
        raise DataError([Problem(str(Path(data_dir) / "police"), None, None,
                                 "en eller flere filer anmeldelser_*.csv eller "
                                 "anmeldelser_*.csv.gz")])
    read = read_file or (lambda path: read_police_file(path, codes, extent, sources))
    frames = [read(p) for p in files]
    police = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    # Cheap at a city's millions of rows: no copy for one file, no text per row, a byte per
    # row (pandas' own code type for so few files) and no check of codes made in range here.
    which = np.repeat(np.arange(len(files), dtype=np.int8 if len(files) < 128 else np.int32),
                      [len(f) for f in frames])
    police["file"] = pd.Categorical.from_codes(which, [p.name for p in files], validate=False)
    _refuse_duplicates_across(police, files)
    police["year"] = years_of(police["reported"].to_numpy())
    return police


def read_police_file(path: Path, codes: pd.DataFrame | None,
                     extent: tuple[float, float, float, float] | None,
                     sources: mapping.Mapping | None = None) -> pd.DataFrame:
    source = (sources or mapping.Mapping()).source("police", _year_of(path))
    # A clean register (the usual case) is read on the fast path; anything else, on the careful
    # path below, which names every problem (delimited.read_clean_table). A workbook, or a
    # file whose columns the mapping names, takes the careful path.
    fast = schemas.POLICE.fast()
    if fast is not None and not source.given and not path.name.endswith(".xlsx"):
        clean = read_clean_table(path, **fast, allowed=None if codes is None else {
            schemas.POLICE.named("code"): codes["code"]},
            check=lambda values: _plainly_valid(values, extent))
        if clean is not None:
            return clean
    read = read_delivered(path, schemas.POLICE, source)
    frame = read.raw
    given = frame[["x", "y"]].notna()
    problems = _parsed(frame, schemas.POLICE, path, read.back)
    # A coordinate that could not be read is reported once, not again as a missing one.
    unread = ((given["x"] & frame["x"].isna()) | (given["y"] & frame["y"].isna())).to_numpy()
    problems += _date_order(frame, path) + coordinate_problems(frame[~unread], path, extent)
    if codes is not None:
        problems += _unknown_codes(frame, path, set(codes["code"]))
    return validate(schemas.POLICE.schema, frame, path, read, problems).astype(
        schemas.POLICE.whole_numbers)


def _unknown_codes(frame: pd.DataFrame, path: Path, known: set[int]) -> list[Problem]:
    """One problem per offence code missing from the catalogue, at the first row that has it."""
    codes = frame["code"]
    unknown = codes[(codes.notna() & ~codes.isin(known)).to_numpy(dtype=bool)]
    problems = []
    for code, rows in unknown.groupby(unknown, sort=False):
        more = (f", også i {len(rows) - 1} {'række' if len(rows) == 2 else 'rækker'} mere"
                if len(rows) > 1 else "")
        problems.append(Problem(
            str(path), int(rows.index[0]), schemas.POLICE.named("code"),
            "en gerningskode fra config/offence_codes.csv",
            f"{int(code)}{more}; tilføj koden til kataloget, eller ret rækkerne"))
    return listed(problems[:20], len(problems))


def _plainly_valid(values: dict[str, np.ndarray],
                   extent: tuple[float, float, float, float] | None) -> bool:
    """Whether reports (some rows of numbers and dates) break none of the rules between
    columns that the careful path reports (:func:`_date_order`, :func:`coordinate_problems`)."""
    if np.any(values["committed"] > values["reported"]):
        return False
    return not any(broken.any() for broken, _ in _coordinate_rules(values["x"], values["y"],
                                                                  extent))


def _date_order(frame: pd.DataFrame, path: Path) -> list[Problem]:
    late = (frame["committed"] > frame["reported"]).to_numpy()
    return listed([Problem(str(path), int(r), schemas.POLICE.named("committed"),
                           f"en gerningsdato på eller før {schemas.POLICE.named('reported')}",
                           frame.at[r, "committed"].strftime("%d-%m-%Y"))
                   for r in frame.index[late][:20]], int(late.sum()))


def coordinate_problems(frame: pd.DataFrame, path: Path,
                        extent: tuple[float, float, float, float] | None) -> list[Problem]:
    """Half-given, degree-valued, swapped or out-of-district coordinates."""
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    flagged = np.zeros(len(frame), dtype=bool)
    coordinates = f"{schemas.POLICE.named('x')}/{schemas.POLICE.named('y')}"
    problems = []
    for mask, expected in _coordinate_rules(x, y, extent):
        mask &= ~flagged  # a row is reported under the first rule it breaks
        flagged |= mask
        problems += listed([Problem(str(path), int(r), coordinates, expected,
                                    f"{_coordinate(x[i])}; {_coordinate(y[i])}")
                            for i, r in zip(np.flatnonzero(mask)[:20], frame.index[mask][:20])],
                           int(mask.sum()))
    return problems


def _coordinate_rules(x: np.ndarray, y: np.ndarray,
                      extent: tuple[float, float, float, float] | None
                      ) -> list[tuple[np.ndarray, str]]:
    """(rows breaking it, what was expected) for each rule coordinates must keep."""
    located = ~np.isnan(x) & ~np.isnan(y)
    rules = [
        (np.isnan(x) != np.isnan(y), "begge koordinater eller ingen af dem"),
        (located & (np.abs(x) <= 180) & (np.abs(y) <= 90),
         "meter i ETRS89 / UTM 32N (EPSG:25832); disse ligner grader (WGS84)"),
        (located & (x > 1_000_000) & (y < 1_000_000),
         "x (øst) før y (nord); x og y ser ud til at være byttet om"),
    ]
    if extent is not None:
        min_x, min_y, max_x, max_y = extent
        rules.append((located & ((x < min_x) | (x > max_x) | (y < min_y) | (y > max_y)),
                      "et sted inden for politikredsen (settings: police_extent)"))
    return rules


def _coordinate(value: float) -> str:
    """A coordinate as delivered: ``721418,9``, ``12,4916`` or ``blank``."""
    if np.isnan(value):
        return "tom"
    return (f"{value:.1f}" if abs(value) >= 1000 else f"{value:g}").replace(".", ",")


def _refuse_duplicates_across(police: pd.DataFrame, files: list[Path]) -> None:
    if len(files) < 2:
        return
    repeated = police[police["journal_number"].duplicated(keep=False)]
    if repeated.empty:
        return
    folder = files[0].parent
    total = int(repeated["journal_number"].nunique())
    expected = "hvert journalnummer i kun én fil" + (
        " (så mange: udtræk, hvis perioder overlapper? behold ét af dem)" if total > 20 else "")
    problems = []
    for number, names in list(repeated.groupby("journal_number", sort=False)["file"])[:20]:
        first, *others = list(dict.fromkeys(names))
        for other in others:
            problems.append(Problem(
                str(folder / other), _line_of(folder / other, number),
                schemas.POLICE.named("journal_number"), expected,
                f"{number!r}, også i {first} række {_line_of(folder / first, number)}"))
    raise DataError(listed(problems, total))


def _year_of(path: Path) -> int | None:
    """The last year in an extract's name (``anmeldelser_2014-2020.xlsx``: 2020), for the
    mapping's per-year overrides."""
    years = re.findall(r"\d{4}", path.name)
    return int(years[-1]) if years else None


def _line_of(path: Path, value: str) -> int | None:
    """The number of the line of ``path`` whose first field is ``value`` (for messages)."""
    data = read_bytes(path)
    at = data.find(b"\n" + value.encode() + b";")
    return None if at < 0 else data[:at].count(b"\n") + 2


# --- population, geography ----------------------------------------------------------------

def population_path(data_dir: str | Path) -> Path:
    """``population/befolkning.csv`` (or ``.xlsx``: one of them, not both)."""
    folder = Path(data_dir) / "population"
    found = [folder / f"befolkning.{e}" for e in ("csv", "xlsx") if (folder / f"befolkning.{e}")
             .is_file()]
    refuse_two_files([found])
    return found[0] if found else folder / "befolkning.csv"


def load_population(data_dir: str | Path, areas: set[str] | None = None, *,
                    sources: mapping.Mapping | None = None) -> pd.DataFrame:
    """Inhabitants on 1 January per area (sub-area or city code) and year."""
    path = population_path(data_dir)
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, "at filen findes")])
    source = (sources or mapping.Mapping()).source("population")
    read = read_delivered(path, schemas.POPULATION, source)
    frame = read.raw
    problems = read.problems + _parsed(frame, schemas.POPULATION, path, read.back)
    schema = schemas.POPULATION.schema
    if areas is not None:
        schema = schema.update_column("area", checks=[
            *schema.columns["area"].checks,
            pa.Check.isin(sorted(areas), error="koden for et delområde eller byen i geografien")])
    return validate(schema, frame, path, read, problems).astype(
        schemas.POPULATION.whole_numbers)


GEOGRAPHY_CRS = {"urn:ogc:def:crs:EPSG::25832", "EPSG:25832"}


def geography_path(data_dir: str | Path) -> Path:
    return delivery.path(data_dir, "geography")


def load_geography(data_dir: str | Path) -> pd.DataFrame:
    """Sub-areas, districts and the city: code, name, level, district and a shapely geometry."""
    path = geography_path(data_dir)
    collection = _read_json(path)
    crs = collection.get("crs")
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if not (isinstance(name, str) and name in GEOGRAPHY_CRS):
        raise DataError([Problem(
            str(path), None, "crs", "et crs-medlem, der angiver urn:ogc:def:crs:EPSG::25832 "
            '({"type": "name", "properties": {"name": ...}})',
            schemas.shown(crs if name is None else name))])
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise DataError([Problem(str(path), None, "features", "en liste af features",
                                 schemas.shown(features))])
    rows, numbers, problems = [], [], []
    for number, feature in enumerate(features, start=1):
        row, more = _feature(feature, number, str(path))
        problems += more
        if row:
            rows.append(row)
            numbers.append(number)
    geography = pd.DataFrame(rows, columns=["code", "name", "level", "district", "geometry"])
    problems += _geography_problems(geography, numbers, str(path))
    if problems:
        raise DataError(problems)
    return geography


def _read_json(path: Path) -> dict:
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, "at filen findes")])
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise DataError([Problem(str(path), None, None, "gyldig GeoJSON (UTF-8 JSON)",
                                 "lister eller objekter indlejret for dybt til at kunne læses; "
                                 "GeoJSON har kun få niveauer")]) from None
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError([Problem(str(path), line, None, "gyldig GeoJSON (UTF-8 JSON)",
                                 f"byte 0x{raw[err.start]:02x}, som ikke er UTF-8; GeoJSON "
                                 "skal gemmes som UTF-8", row_label="linje")]) from None
    except json.JSONDecodeError as err:
        ends = len(err.doc.rstrip()) - err.pos < 40
        raise DataError([Problem(str(path), err.lineno, None, "gyldig GeoJSON (UTF-8 JSON)",
                                 f"{_json_problem(err.msg)} i kolonne {err.colno}"
                                 + ("; filen slutter her: er den blevet afkortet?" if ends else ""),
                                 row_label="linje")]) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataError([Problem(str(path), None, "type", "en GeoJSON FeatureCollection")])
    return data


def _feature(feature: dict, number: int, path: str) -> tuple[dict | None, list[Problem]]:
    def problem(column, expected, found=""):
        return Problem(path, number, column, expected, found, row_label="feature")

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return None, [problem(None, 'en GeoJSON Feature ({"type": "Feature", "properties": '
                              '..., "geometry": ...})',
                              "null" if feature is None else schemas.shown(feature))]
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        return None, [problem("properties", "en mapping med code, name, level og district",
                              schemas.shown(props))]
    problems = [problem(key, "en tekst, der ikke er tom") for key in ("code", "name", "level")
                if not isinstance(props.get(key), str) or not props.get(key)]
    if not isinstance(props.get("district"), (str, type(None))):
        problems.append(problem("district", "koden for en bydel eller null",
                                schemas.shown(props["district"])))
    if props.get("level") and props.get("level") not in schemas.LEVELS:
        problems.append(problem("level", "subarea, district eller city",
                                schemas.shown(props["level"])))
    try:
        geometry = shapely.geometry.shape(feature.get("geometry"))
    except Exception as err:  # shapely raises several types for malformed geometries
        return None, problems + [problem("geometry", "en Polygon eller MultiPolygon",
                                                 "en geometri, der ikke kan læses")]
    if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
        problems.append(problem("geometry", "en Polygon eller MultiPolygon", geometry.geom_type))
    elif (off := _off_earth(geometry)) is not None:
        # Checked first: GEOS overflows (with a numpy warning) on coordinates such as 1e308.
        problems.append(problem(
            "geometry", "koordinater i meter (EPSG:25832) inden for 100.000 km",
            f"koordinaten {off:g}"))
    elif not geometry.is_valid:
        problems.append(problem("geometry", "en gyldig polygon",
                                _invalid_reason(geometry)))
    elif _in_degrees(geometry):
        min_x, min_y, _, _ = geometry.bounds
        problems.append(problem(
            "geometry", "koordinater i meter (EPSG:25832); disse ligner grader (WGS84)",
            f"et hjørne i {min_x:g}, {min_y:g}"))
    if problems:
        return None, problems
    row = {"code": props["code"], "name": props["name"], "level": props["level"],
           "district": props.get("district"), "geometry": geometry}
    return row, []


def _off_earth(geometry) -> float | None:
    """A coordinate no place has (beyond 100,000 km, the earth being 40,000 round), or None.
    Every vertex is looked at: a polygon's bounds leave out its holes."""
    coordinates = shapely.get_coordinates(geometry).ravel()
    off = coordinates[~(np.abs(coordinates) <= 1e8)]
    return float(off[0]) if off.size else None


#: The json module's messages in Danish, by their start (the message is shown in one language).
_JSON_PROBLEMS = {
    "Expecting value": "en værdi mangler",
    "Expecting ',' delimiter": "et komma mangler",
    "Expecting ':' delimiter": "et kolon mangler",
    "Expecting property name": "et navn i dobbelte anførselstegn mangler",
    "Unterminated string": "en tekst uden afsluttende anførselstegn",
    "Extra data": "mere tekst efter JSON-dokumentets slutning",
    "Invalid control character": "et kontroltegn inde i en tekst",
    "Invalid \\escape": "en ugyldig escape-sekvens",
    "Illegal trailing comma": "et komma for meget",
}


def _json_problem(message: str) -> str:
    return next((danish for english, danish in _JSON_PROBLEMS.items()
                 if message.startswith(english)), "tekst, der ikke er gyldig JSON")


def _invalid_reason(geometry) -> str:
    """Why shapely finds a polygon invalid, in Danish, with the place it names."""
    reason = shapely.is_valid_reason(geometry)
    place = reason[reason.find("["):] if "[" in reason else ""
    if "Self-intersection" in reason:
        return f"kanten krydser sig selv {place}".strip()
    if "Too few points" in reason:
        return f"for få punkter {place}".strip()
    return f"polygonen er ugyldig {place}".strip()


def _in_degrees(geometry) -> bool:
    """Whether a geometry lies where Denmark is in degrees (longitude 3-20, latitude 50-60):
    never a place in EPSG:25832 metres, whose eastings are hundreds of thousands."""
    min_x, min_y, max_x, max_y = geometry.bounds
    return 3 <= min_x and max_x <= 20 and 50 <= min_y and max_y <= 60


def _geography_problems(geography: pd.DataFrame, numbers: list[int],
                        path: str) -> list[Problem]:
    """Codes used twice, unknown districts and overlapping sub-areas, by feature number."""
    def problem(number, column, expected, found):
        return Problem(path, number, column, expected, found, row_label="feature")

    first: dict[str, int] = {}
    problems = []
    for code, number in zip(geography["code"], numbers):
        if code in first:
            problems.append(problem(number, "code", "hver kode kun én gang",
                                    f"{code!r}, også feature {first[code]}"))
        first.setdefault(code, number)
    districts = set(geography.loc[geography["level"] == "district", "code"])
    is_subarea = (geography["level"] == "subarea").to_numpy()
    subareas = geography[is_subarea].reset_index(drop=True)
    sub_numbers = [n for n, keep in zip(numbers, is_subarea) if keep]
    problems += [problem(n, "district", "koden for en feature af en bydel",
                         f"{d!r} for delområdet {c!r}")
                 for c, d, n in zip(subareas["code"], subareas["district"], sub_numbers)
                 if d not in districts]
    tree = shapely.STRtree(subareas["geometry"].to_numpy())
    left, right = tree.query(subareas["geometry"].to_numpy(), predicate="overlaps")
    for i, j in zip(left, right):
        if i < j:
            problems.append(problem(
                sub_numbers[i], "geometry", "delområder, der ikke overlapper",
                f"{subareas.at[i, 'code']!r} overlapper {subareas.at[j, 'code']!r}, "
                f"feature {sub_numbers[j]}"))
    return problems


# --- safety plan --------------------------------------------------------------------------

PLAN_SHEET, STATUS_SHEET = "Tryghedsplan", "Midtvejsstatus"
PLAN_COLUMNS = {"Nr.": "number", "Aktivitet": "activity", "Type": "kind",
                "Ansvarlig": "responsible", "Samarbejdspartnere": "partners"}
STATUS_COLUMNS = {
    "Nr.": "number", "Aktivitet": "activity", "Ansvarlig": "responsible",
    "Kører aktiviteten som planlagt? Hvis ikke, hvorfor?": "running",
    "Nævn 1-3 eksempler på leverancer der er opnået": "deliveries",
    "Er der op til nu opstået bekymringer knyttet til opfyldelse af aktivitetens leverancer?":
        "concerns",
    "Er der behov for justeringer? Hvis ja, hvilke?": "adjustments",
}
FUNDING = re.compile(r"Finansiering (\d{4})$")
#: The largest amount a budget line may give (kr.), far above any partnership's: a larger one
#: is a typing error, and the note's figures in millions cannot print it.
MAX_AMOUNT = 100_000_000


@dataclass(frozen=True)
class SafetyPlan:
    """A partnership's safety plan: budget lines, funding per year, and midterm status."""

    lines: pd.DataFrame     # number, activity, kind, responsible, partners (tuple), n_partners
    funding: pd.DataFrame   # number, year, amount (kr.)
    status: pd.DataFrame    # number, activity, responsible, running, deliveries, concerns, ...


def plan_path(data_dir: str | Path, partnership: str, year: int) -> Path:
    return delivery.path(data_dir, "plan", f"tryghedsplan_{partnership}_{year}.xlsx")


def load_safety_plan(path: str | Path) -> SafetyPlan:
    """Read a safety-plan workbook (sheets ``Tryghedsplan`` and ``Midtvejsstatus``)."""
    path = Path(path)
    sheets = workbooks.read_sheets(path, "tryghedsplanens regneark")
    lines_raw = _sheet(sheets, PLAN_SHEET, path, list(PLAN_COLUMNS))
    status_raw = _sheet(sheets, STATUS_SHEET, path, list(STATUS_COLUMNS))
    lines, funding, problems = _plan_lines(lines_raw, path)
    status = status_raw[list(STATUS_COLUMNS)].rename(columns=STATUS_COLUMNS)
    status["number"], more = parse_ints(column_text(status["number"]), path, f"{STATUS_SHEET}: Nr.")
    problems += more
    # A line whose Type is wrong is reported as such, not again for its status row.
    activities = set(lines.loc[lines["kind"] != "Drift", "number"].dropna())
    problems += [Problem(str(path), int(r), f"{STATUS_SHEET}: Nr.",
                         "nummeret på en aktivitet i arket Tryghedsplan",
                         "en tom celle" if pd.isna(n) else str(int(n)))
                 for r, n in status["number"].items() if pd.isna(n) or n not in activities]
    lines = schemas.validate(schemas.PLAN_LINES, lines, str(path),
                             {v: f"{PLAN_SHEET}: {k}" for k, v in PLAN_COLUMNS.items()}, problems)
    status = status.reset_index(drop=True).astype({"number": "int64"})
    for column in ("running", "deliveries", "concerns", "adjustments"):
        status[column] = status[column].fillna("").astype(str)
    return SafetyPlan(lines.astype({"number": "int64"}), funding, status)


def _sheet(sheets: dict[str, pd.DataFrame], name: str, path: Path,
           columns: list[str]) -> pd.DataFrame:
    if name not in sheets:
        raise DataError([Problem(str(path), None, None, f"et ark med navnet '{name}'",
                                 f"arkene {', '.join(sheets)}")])
    frame = sheets[name].dropna(how="all")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError([Problem(str(path), 1, f"{name}: {c}", f"en kolonne med navnet '{c}'")
                         for c in missing])
    return frame


def _plan_lines(raw: pd.DataFrame, path: Path):
    lines = raw[list(PLAN_COLUMNS)].rename(columns=PLAN_COLUMNS)
    lines["number"], problems = parse_ints(column_text(lines["number"]), path, f"{PLAN_SHEET}: Nr.")
    for column in ("activity", "kind", "responsible"):
        lines[column] = column_text(lines[column])
    # A list typed with Alt+Enter, one partner a line, is as common as one with ';': read as
    # one name, three partners counted as one, and the cooperation target seemed missed.
    partners = lines["partners"].map(
        lambda v: () if pd.isna(v) else tuple(p.strip() for p in re.split(r"[;\r\n]", str(v))
                                               if p.strip()))
    lines["partners"] = partners
    lines["n_partners"] = partners.map(len).astype("int64")
    lonely = (lines["kind"] == "Aktivitet") & (lines["n_partners"] == 0)
    problems += [Problem(str(path), int(r), f"{PLAN_SHEET}: Samarbejdspartnere",
                         "mindst én partner for en aktivitet", "en tom celle")
                 for r in lines.index[lonely.to_numpy(dtype=bool)]]
    funding = []
    for column in raw.columns:
        match = FUNDING.match(column)
        if not match:
            # "Finansiering 2022 (kr.)" was passed over, and with it the year's budget.
            if column.casefold().startswith("finansiering"):
                problems.append(Problem(str(path), 1, f"{PLAN_SHEET}: {column}",
                                        "en overskrift som 'Finansiering 2022' (et årstal, "
                                        "intet andet)", repr(column)))
            continue
        amounts, more = parse_ints(column_text(raw[column]), path, f"{PLAN_SHEET}: {column}")
        problems += more
        problems += [Problem(str(path), int(r), f"{PLAN_SHEET}: {column}",
                             f"et beløb fra 0 til {MAX_AMOUNT} kr.", str(int(a)))
                     for r, a in amounts.dropna().items() if not 0 <= a <= MAX_AMOUNT]
        funding.append(pd.DataFrame({"number": lines["number"], "year": int(match.group(1)),
                                     "amount": amounts.fillna(0)}))
    if not funding:
        problems.append(Problem(str(path), 1, PLAN_SHEET, "kolonner med navnet 'Finansiering <år>'"))
    if not (lines["kind"] == "Aktivitet").any():
        problems.append(Problem(str(path), None, f"{PLAN_SHEET}: Type",
                                "mindst én linje med Type 'Aktivitet' (notatet tæller, hvor "
                                "mange aktiviteter der har partnere)", "ingen"))
    funding = pd.concat(funding, ignore_index=True) if funding else pd.DataFrame()
    if not funding.empty:
        funding = funding.dropna(subset=["number"]).astype({"number": "int64", "amount": "int64"})
        totals = funding.groupby("year")["amount"].sum()
        problems += [Problem(str(path), None, f"{PLAN_SHEET}: Finansiering {year}",
                             f"et års budget på højst {10 * MAX_AMOUNT} kr.", str(total))
                     for year, total in totals.items() if total > 10 * MAX_AMOUNT]
    return lines, funding, problems
