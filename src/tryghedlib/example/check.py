"""Check a generated example directory against the published figures and the data contract.

Reads the files as written (not the generator's memory), recomputes every target of the 2021
note with its own small code (independent of the library's loaders and indicators) and raises
:class:`TargetsMissed` listing everything that is off.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from openpyxl import load_workbook
from scipy import stats

from tryghedlib.example import design
from tryghedlib.example.police import CODES

UNSAFE = {"Utryg", "Meget utryg"}
COUNTED = UNSAFE | {"Meget tryg", "Tryg", "Hverken tryg eller utryg"}
ANSWERS = COUNTED | {"Ved ikke", ""}


class TargetsMissed(AssertionError):
    """The generated data do not reproduce the published figures or break the contract."""


def round_half_up(value: float, decimals: int = 0) -> float:
    factor = 10 ** decimals
    return math.floor(value * factor + 0.5) / factor


def z_test(x1: float, n1: float, x2: float, n2: float) -> float:
    """Pooled two-proportion z (R prop.test(correct = FALSE) has chi-squared = z^2)."""
    pooled = (x1 + x2) / (n1 + n2)
    return (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))


def read_csv(path: Path) -> tuple[pd.DataFrame, str]:
    """A ``;`` file as text, and the encoding it turned out to have."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    if data.startswith(codecs.BOM_UTF8):
        text, found = data[3:].decode("utf-8"), "utf-8-sig"
    else:
        try:
            text, found = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, found = data.decode("cp1252"), "cp1252"
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False,
                        na_filter=False)
    return frame, found


def decimal(series: pd.Series) -> np.ndarray:
    text = series.to_numpy(dtype=str)
    bad = [v for v in text if v and not re.fullmatch(r"-?\d+(,\d+)?", v)]
    if bad:
        raise TargetsMissed(f"not a decimal-comma number: {bad[:3]}")
    return np.array([float(v.replace(",", ".")) if v else np.nan for v in text])


class Checker:
    def __init__(self, out_dir: Path):
        self.dir = Path(out_dir)
        self.problems: list[str] = []
        self.results: dict = {}

    def expect(self, ok: bool, message: str) -> None:
        if not ok:
            self.problems.append(message)

    # --- geography --------------------------------------------------------------------------
    def geography(self) -> dict:
        data = json.loads((self.dir / "geography" / "omraader.geojson").read_text("utf-8"))
        self.expect(data["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::25832", "crs")
        areas = {}
        for feature in data["features"]:
            props = feature["properties"]
            geometry = shapely.geometry.shape(feature["geometry"])
            self.expect(geometry.is_valid, f"{props['code']}: invalid polygon")
            coords = shapely.get_coordinates(geometry).ravel()
            self.expect(np.allclose(coords, np.round(coords, 1), atol=1e-6),
                        f"{props['code']}: coordinates not rounded to 0.1 m")
            areas[props["code"]] = (props, geometry)
        city = areas[design.CITY][1]
        subs = {c: g for c, (p, g) in areas.items() if p["level"] == "subarea"}
        for code, geometry in subs.items():
            district = areas[areas[code][0]["district"]][1]
            self.expect(district.contains(geometry) and city.contains(geometry),
                        f"{code} is not inside its district and the city")
        codes = list(subs)
        for i, a in enumerate(codes):
            for b in codes[i + 1:]:
                self.expect(subs[a].intersection(subs[b]).area == 0, f"{a} overlaps {b}")
        self.areas = areas
        return areas

    # --- population ---------------------------------------------------------------------------
    def population(self) -> pd.DataFrame:
        frame, _ = read_csv(self.dir / "population" / "befolkning.csv")
        frame = frame.astype({"aar": int, "indbyggere": int})
        table = frame.pivot(index="aar", columns="omraade", values="indbyggere")
        for year, value in design.CITY_POPULATION.items():
            self.expect(table.at[year, design.CITY] == value, f"city population {year}")
        self.population_table = table
        return table

    def area_population(self, subareas, year) -> int:
        return int(self.population_table.loc[year, list(subareas)].sum())

    # --- police -----------------------------------------------------------------------------
    def police(self) -> None:
        paths = sorted((self.dir / "police").glob("anmeldelser_*.csv.gz"))
        frame = pd.concat([read_csv(p)[0] for p in paths], ignore_index=True)
        self.expect(frame["journalnummer"].is_unique, "journal numbers are not unique")
        self.expect(frame["journalnummer"].str.fullmatch(r"0100-\d{5}-\d{5}-\d{2}").all(),
                    "journal number format")
        reported = pd.to_datetime(frame["anmeldt_dato"], format="%d-%m-%Y")
        committed = pd.to_datetime(frame["gerningsdato"].replace("", None), format="%d-%m-%Y")
        self.expect(not (committed > reported).any(), "an offence date after its report date")
        self.expect((frame["journalnummer"].str[-2:].astype(int) == reported.dt.year % 100).all(),
                    "journal number year differs from the report year")
        code = frame["gerningskode"].astype(int).to_numpy()
        self.expect(set(code) == set(CODES), "not every catalogue code occurs (or unknown codes)")
        x, y = decimal(frame["x_koordinat"]), decimal(frame["y_koordinat"])
        located = ~np.isnan(x)
        self.expect(np.array_equal(located, ~np.isnan(y)), "half-given coordinates")
        year = reported.dt.year.to_numpy()

        areas = self.areas
        city = areas[design.CITY][1]
        edges = shapely.union_all([g.boundary for _, g in areas.values()])
        band = edges.buffer(2.0)
        shapely.prepare(band)
        self.expect(not shapely.contains_xy(band, x[located], y[located]).any(),
                    "a report closer than 2 m to an area boundary")
        in_city = np.zeros(len(x), bool)
        in_city[located] = shapely.contains_xy(city, x[located], y[located])
        today = shapely.union_all([areas[s][1] for s in design.today_subareas(design.PARTNERSHIP)])
        in_area = np.zeros(len(x), bool)
        in_area[located] = shapely.contains_xy(today, x[located], y[located])
        citizen = np.isin(code, [c for c, v in CODES.items() if v[0]])
        group = {g: np.isin(code, [c for c, v in CODES.items() if g in (v[1], v[2])])
                 for g in ("indbrud", "tyveri_roeveri", "vold_vaaben", "narkotika", "chikane",
                           "haervaerk", "trusler")}
        group["borgervendt"] = citizen
        counts = {}
        for (y_, g), target in design.CRIME_TARGETS.items():
            counts[(y_, g)] = int((in_area & group[g] & (year == y_)).sum())
            self.expect(counts[(y_, g)] == target,
                        f"police {g} {y_}: {counts[(y_, g)]}, note says {target}")
        table_2 = sum(counts[(2020, g)] for g in ("chikane", "haervaerk", "narkotika", "trusler"))
        self.expect(table_2 == 217, f"tabel 2 total {table_2}")
        rates = {}
        for (kind, y_), target in design.RATE_TARGETS.items():
            if kind == "city":
                n = int((in_city & citizen & (year == y_)).sum())
                population = int(self.population_table.at[y_, design.CITY])
            else:
                n = int((in_area & citizen & (year == y_)).sum())
                population = self.area_population(design.today_subareas(design.PARTNERSHIP), y_)
            rate = n / population * 1000
            rates[(kind, y_)] = (n, population, rate)
            self.expect(round_half_up(rate, 1) == target and
                        abs(rate - target) <= 0.05 - 0.002,
                        f"rate {kind} {y_}: {rate:.4f}, note says {target}")
        unlocated = 1 - located.mean()
        self.expect(0.003 <= unlocated <= 0.008, f"unlocated share {unlocated:.4f}")
        self.expect(((located & ~in_city).sum() > 0), "no reports outside the city")
        per_year = pd.Series(year).value_counts().sort_index()
        self.results["police"] = {"counts": counts, "rates": rates, "rows": len(frame),
                                  "per_year": per_year.to_dict(), "unlocated": unlocated,
                                  "outside_city": int((located & ~in_city).sum())}

    # --- survey -----------------------------------------------------------------------------
    def survey(self) -> None:
        shares, tests = {}, {}
        data = {}
        for year in design.SURVEY_YEARS:
            path = self.dir / "survey" / f"tryghedsundersoegelse_{year}.csv"
            frame, found = read_csv(path)
            expected = "cp1252" if year <= 2017 else "utf-8-sig"
            self.expect(found == expected, f"{path.name}: encoding {found}, expected {expected}")
            self.expect(frame["respondent_id"].is_unique, f"{path.name}: duplicate ids")
            self.expect((frame["aar"] == str(year)).all(), f"{path.name}: aar")
            for column in ("tryghed_nabolag", "tryghed_aften"):
                self.expect(frame[column].isin(ANSWERS).all(), f"{path.name}: {column} values")
            weight = decimal(frame["vaegt"])
            self.expect((weight > 0).all(), f"{path.name}: weights")
            data[year] = frame.assign(weight=weight)

        def cell(frame, mask, column):
            answers = frame.loc[mask, column]
            weights = frame.loc[mask, "weight"].to_numpy()
            valid = answers.isin(COUNTED).to_numpy()
            unsafe = answers.isin(UNSAFE).to_numpy()
            w = weights[valid]
            return {"x": int(unsafe[valid].sum()), "n": int(valid.sum()),
                    "share": 100 * float((w * unsafe[valid]).sum() / w.sum()),
                    "n_eff": float(w.sum() ** 2 / (w ** 2).sum())}

        columns = {"neighbourhood": "tryghed_nabolag", "evening": "tryghed_aften"}
        district_name = "Brønshøj-Husum"
        for (question, kind, year), target in design.SURVEY_TARGETS.items():
            frame = data[year]
            if kind == "partnership":
                mask = frame["delomraade"].isin(design.partnership_subareas(design.PARTNERSHIP,
                                                                            year))
            elif kind == "district":
                mask = frame["bydel"] == district_name
            else:
                mask = pd.Series(True, index=frame.index)
            result = cell(frame, mask, columns[question])
            shares[(question, kind, year)] = result
            share = result["share"]
            margin = 0.5 - abs(share - round_half_up(share))
            self.expect(round_half_up(share) == target and margin >= design.MIN_ROUNDING_MARGIN,
                        f"survey {question} {kind} {year}: {share:.3f} %, note says {target} "
                        f"(margin {margin:.3f})")
        for question in columns:
            for a, b in design.NOT_SIGNIFICANT:
                ca, cb = shares[(question, "partnership", a)], shares[(question, "partnership", b)]
                z_plain = z_test(ca["x"], ca["n"], cb["x"], cb["n"])
                xa, xb = ca["share"] / 100 * ca["n_eff"], cb["share"] / 100 * cb["n_eff"]
                z_weighted = z_test(xa, ca["n_eff"], xb, cb["n_eff"])
                tests[(question, a, b)] = {"z_unweighted": z_plain, "z_weighted": z_weighted,
                                           "p_unweighted": 2 * stats.norm.sf(abs(z_plain)),
                                           "p_weighted": 2 * stats.norm.sf(abs(z_weighted))}
                for name, z in (("unweighted", z_plain), ("weighted", z_weighted)):
                    self.expect(abs(z) <= design.MAX_ABS_Z,
                                f"{question} {a}->{b} {name}: |z| = {abs(z):.3f} > "
                                f"{design.MAX_ABS_Z}")
        self.results["survey"] = {"shares": shares, "tests": tests,
                                  "respondents": {y: len(f) for y, f in data.items()}}

    # --- plan -------------------------------------------------------------------------------
    def plan(self) -> None:
        path = self.dir / "plan" / "tryghedsplan_tingbjerg-husum_2021.xlsx"
        wb = load_workbook(path, read_only=True)
        self.expect(wb.sheetnames == ["Tryghedsplan", "Midtvejsstatus"], "sheet names")
        rows = list(wb["Tryghedsplan"].iter_rows(values_only=True))
        header, lines = rows[0], rows[1:]
        self.expect(len(lines) == design.PLAN_TARGETS["lines"], f"{len(lines)} budget lines")
        col = {name: i for i, name in enumerate(header)}
        activities = [r for r in lines if r[col["Type"]] == "Aktivitet"]
        self.expect(len(activities) == design.PLAN_TARGETS["activities"], "activities")
        partners = [len([p for p in (r[col["Samarbejdspartnere"]] or "").split(";") if p.strip()])
                    for r in activities]
        with_two = sum(n >= 2 for n in partners)
        self.expect(with_two == design.PLAN_TARGETS["with_two_or_more_partners"] and
                    min(partners) >= 1, f"{with_two} activities with two or more partners")
        budget = {y: sum(r[col[f"Finansiering {y}"]] or 0 for r in lines)
                  for y in design.BUDGET_TARGETS}
        self.expect(budget == design.BUDGET_TARGETS, f"budget {budget}")
        status = list(wb["Midtvejsstatus"].iter_rows(values_only=True))[1:]
        self.expect(len(status) == design.PLAN_TARGETS["activities"], "status rows")
        self.expect(not any("<" in str(c) for r in status for c in r if c), "markup left")
        wb.close()
        self.results["plan"] = {"budget": budget, "activities": len(activities),
                                "with_two_or_more_partners": with_two,
                                "share": round_half_up(100 * with_two / len(activities))}

    def run(self) -> dict:
        self.geography()
        self.population()
        self.police()
        self.survey()
        self.plan()
        if self.problems:
            raise TargetsMissed("the example data miss:\n  " + "\n  ".join(self.problems))
        return self.results


def check_targets(out_dir: str | Path = "data/raw/example") -> dict:
    """Recompute every figure of the 2021 note from the files in ``out_dir``; raise
    :class:`TargetsMissed` if any is off. Returns the figures found."""
    return Checker(Path(out_dir)).run()
