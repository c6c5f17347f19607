"""Synthetic police register extracts (anmeldelser), at any scale.

:func:`generate_police` draws a register of any size for any years (a benchmark uses it for
millions of rows); :func:`example_police` is the committed example: the same machinery with the
volumes of ``design.py`` and, inside Tingbjerg-Husum, exactly the counts the 2021 note prints.
:func:`police_csv_bytes` / :func:`write_police` write the delivery format of ``docs/data.md``
without a Python loop over rows.

A report frame has one row per report and the columns ``journal_type`` (the middle part
TTTTT of the journal number), ``journal_serial`` (LLLLL), ``reported`` and ``committed``
(``datetime64[s]``, committed NaT when unknown), ``code`` (offence code), ``x``, ``y`` (EPSG:25832
metres rounded to 0.1 m, NaN when the report has no place). The journal number is
``0100-TTTTT-LLLLL-YY`` with YY the last two digits of the report year.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

from tryghedlib.example import design
from tryghedlib.example.geography import (SOUTH_BOX, Area, build_areas,
                                          frederiksberg_polygon)
from tryghedlib.sources.schemas import POLICE

POLICE_DISTRICT = "0100"  # Københavns Politi
EDGE_CLEARANCE = 2.5      # metres between a report and any area boundary
HEADER = (";".join(POLICE.columns) + "\r\n").encode()  # the contract's columns, in its order

#: The catalogue as the generator knows it (config/offence_codes.csv; a test keeps them equal):
#: code -> (borgervendt, tabel 1 group, tabel 2 group, relative frequency citywide)
CODES = {
    1101: (True, "indbrud", "", 9.0), 1102: (True, "indbrud", "", 3.2),
    1103: (True, "indbrud", "", 0.7),
    1201: (True, "tyveri_roeveri", "", 8.6), 1202: (True, "tyveri_roeveri", "", 5.4),
    1203: (True, "tyveri_roeveri", "", 6.3), 1204: (True, "", "", 15.8),
    1301: (True, "tyveri_roeveri", "", 1.6), 1302: (True, "tyveri_roeveri", "", 0.3),
    1401: (True, "vold_vaaben", "", 5.6), 1402: (True, "vold_vaaben", "", 0.9),
    1403: (True, "vold_vaaben", "", 0.8), 1404: (True, "vold_vaaben", "", 0.9),
    1501: (True, "", "narkotika", 6.2), 1502: (True, "", "narkotika", 1.1),
    1601: (True, "", "", 1.6), 1602: (True, "", "", 0.5),
    1701: (True, "", "", 0.8), 1702: (True, "", "", 0.45),
    1801: (True, "", "", 0.04),
    1901: (True, "", "", 2.6), 1902: (True, "", "", 0.2),
    2101: (False, "", "chikane", 3.1), 2102: (False, "", "chikane", 1.2),
    2201: (False, "", "haervaerk", 5.2), 2202: (False, "", "haervaerk", 2.3),
    2301: (False, "", "trusler", 2.6), 2302: (False, "", "trusler", 0.7),
    2401: (False, "", "", 9.4), 2501: (False, "", "", 1.1),
}

#: Where reports in the city cluster: (x, y, sigma in m, weight); the rest is spread evenly.
HOTSPOTS = [
    (724900, 6176000, 700, 0.20), (723300, 6175000, 500, 0.11), (722700, 6177900, 600, 0.11),
    (725200, 6178000, 700, 0.08), (726000, 6173700, 800, 0.08), (725500, 6174600, 450, 0.06),
    (720200, 6173900, 700, 0.05), (721800, 6179300, 700, 0.07), (718500, 6176400, 600, 0.04),
    (718900, 6178600, 800, 0.04), (722300, 6172600, 500, 0.05), (724500, 6171500, 700, 0.04),
]
EVEN_SHARE = 0.33


# --- space ----------------------------------------------------------------------------------

@dataclass
class Space:
    """Where reports may be placed: prepared polygons that keep clear of every area boundary."""

    city: shapely.Geometry
    frederiksberg: shapely.Geometry
    south: shapely.Geometry
    city_bounds: tuple[float, float, float, float]

    @classmethod
    def build(cls, areas: list[Area] | None = None,
              exclude: Iterable[shapely.Geometry] = ()) -> Space:
        """``exclude``: polygons no report is drawn in (the example fills them itself)."""
        areas = areas if areas is not None else build_areas()
        city = next(a.geometry for a in areas if a.level == "city")
        edges = shapely.union_all([a.geometry.boundary for a in areas])
        band = edges.buffer(EDGE_CLEARANCE, quad_segs=2)
        excluded = shapely.union_all([g.buffer(EDGE_CLEARANCE) for g in exclude]) \
            if exclude else shapely.Polygon()
        allowed_city = city.difference(band).difference(excluded)
        frb = frederiksberg_polygon().difference(band)
        south = box(*SOUTH_BOX).difference(city.buffer(EDGE_CLEARANCE))
        for geometry in (allowed_city, frb, south):
            shapely.prepare(geometry)
        return cls(allowed_city, frb, south, city.bounds)


def _accept(rng, geometry, n: int, propose) -> tuple[np.ndarray, np.ndarray]:
    """Rejection sampling: ``n`` points from ``propose(rng, m)`` that fall in ``geometry``."""
    xs, ys, have, rate = [], [], 0, 0.5
    while have < n:
        m = int((n - have) / rate * 1.15) + 64
        x, y = propose(rng, m)
        inside = shapely.contains_xy(geometry, x, y)
        rate = max(inside.mean(), 0.01)
        xs.append(x[inside])
        ys.append(y[inside])
        have += int(inside.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def _propose_city(bounds):
    centres = np.array([(x, y) for x, y, _, _ in HOTSPOTS], dtype=float)
    sigmas = np.array([s for _, _, s, _ in HOTSPOTS], dtype=float)
    weights = np.array([w for *_, w in HOTSPOTS], dtype=float)
    weights = np.append(weights / weights.sum() * (1 - EVEN_SHARE), EVEN_SHARE)

    def propose(rng, m):
        which = rng.choice(len(weights), size=m, p=weights)
        even = which == len(HOTSPOTS)
        cluster = np.minimum(which, len(HOTSPOTS) - 1)
        x = centres[cluster, 0] + rng.standard_normal(m) * sigmas[cluster]
        y = centres[cluster, 1] + rng.standard_normal(m) * sigmas[cluster]
        x[even] = rng.uniform(bounds[0], bounds[2], even.sum())
        y[even] = rng.uniform(bounds[1], bounds[3], even.sum())
        return x, y
    return propose


def _propose_box(geometry: shapely.Geometry):
    min_x, min_y, max_x, max_y = geometry.bounds

    def propose(rng, m):
        return rng.uniform(min_x, max_x, m), rng.uniform(min_y, max_y, m)
    return propose


def _propose_south(rng, m):
    # Tårnby and the airport more than Dragør
    centre = rng.choice(3, size=m, p=[0.55, 0.25, 0.20])
    cx = np.array([726300.0, 728800.0, 730400.0])[centre]
    cy = np.array([6169300.0, 6167200.0, 6163600.0])[centre]
    sd = np.array([1300.0, 1000.0, 800.0])[centre]
    return cx + rng.standard_normal(m) * sd, cy + rng.standard_normal(m) * sd


def points_in(rng, geometry: shapely.Geometry, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points spread evenly over ``geometry`` (should be prepared)."""
    return _accept(rng, geometry, n, _propose_box(geometry))


# --- volumes and dates ----------------------------------------------------------------------

@dataclass(frozen=True)
class YearVolume:
    """How many reports of a year fall in each kind of place."""

    city_citizen_facing: int  # located in the city, borgervendt
    city_other: int           # located in the city, not borgervendt
    frederiksberg: int
    outside: int              # Tårnby, Dragør
    unlocated: int            # no coordinates

    @property
    def total(self) -> int:
        return (self.city_citizen_facing + self.city_other + self.frederiksberg + self.outside
                + self.unlocated)

    @classmethod
    def from_citizen_facing(cls, city_citizen_facing: int) -> YearVolume:
        other = {k: int(round(city_citizen_facing * v)) for k, v in design.OTHER_VOLUME.items()}
        return cls(city_citizen_facing, **other)

    @classmethod
    def from_total(cls, total: int) -> YearVolume:
        per = 1 + sum(design.OTHER_VOLUME.values())
        volume = cls.from_citizen_facing(int(round(total / per)))
        return cls(volume.city_citizen_facing + total - volume.total, volume.city_other,
                   volume.frederiksberg, volume.outside, volume.unlocated)


def _code_arrays():
    codes = np.array(list(CODES), dtype=np.int64)
    citizen = np.array([v[0] for v in CODES.values()])
    freq = np.array([v[3] for v in CODES.values()])
    return codes, citizen, freq


def draw_codes(rng, n: int, citizen_facing: bool | None) -> np.ndarray:
    """Offence codes by their citywide frequency, among borgervendt codes, others, or all."""
    codes, citizen, freq = _code_arrays()
    keep = np.ones(len(codes), bool) if citizen_facing is None else citizen == citizen_facing
    p = freq[keep] / freq[keep].sum()
    return codes[keep][rng.choice(keep.sum(), size=n, p=p)]


def draw_dates(rng, year: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Report dates in ``year`` (a little more in summer, fewer in spring 2020) and offence
    dates on or before them (NaT for about 4 %)."""
    start = np.datetime64(f"{year}-01-01", "D")
    days = int((np.datetime64(f"{year + 1}-01-01", "D") - start).astype(int))
    doy = np.arange(days)
    weight = 1 + 0.12 * np.sin(2 * np.pi * (doy - 100) / 365.25)
    weight *= np.where(doy % 7 == (6 - (start.astype(int) + 3) % 7), 0.9, 1.0)  # Sundays
    if year == 2020:
        weight[(doy >= 72) & (doy < 130)] *= 0.8
    reported = start + rng.choice(days, size=n, p=weight / weight.sum())
    kind = rng.choice(4, size=n, p=[0.52, 0.27, 0.16, 0.05])
    lag = np.select([kind == 0, kind == 1, kind == 2],
                    [np.zeros(n, int), rng.integers(1, 4, n), rng.integers(4, 31, n)],
                    rng.integers(31, 366, n))
    committed = (reported - lag).astype("datetime64[s]")
    committed[rng.random(n) < 0.04] = np.datetime64("NaT")
    return reported.astype("datetime64[s]"), committed


def draw_year(rng, year: int, volume: YearVolume, space: Space) -> pd.DataFrame:
    """One year's reports (without journal numbers) for the given volume."""
    parts = []
    for n, citizen, where in ((volume.city_citizen_facing, True, "city"),
                              (volume.city_other, False, "city"),
                              (volume.frederiksberg, None, "frederiksberg"),
                              (volume.outside, None, "outside"),
                              (volume.unlocated, None, "unlocated")):
        if n == 0:
            continue
        codes = draw_codes(rng, n, citizen)
        if where == "city":
            x, y = _accept(rng, space.city, n, _propose_city(space.city_bounds))
        elif where == "frederiksberg":
            x, y = points_in(rng, space.frederiksberg, n)
        elif where == "outside":
            x, y = _accept(rng, space.south, n, _propose_south)
        else:
            x = y = np.full(n, np.nan)
        parts.append(pd.DataFrame({"code": codes, "x": x, "y": y}))
    frame = pd.concat(parts, ignore_index=True)
    frame["reported"], frame["committed"] = draw_dates(rng, year, len(frame))
    frame["tiebreak"] = rng.random(len(frame))
    return frame


# --- journal numbers, order ---------------------------------------------------------------

SERIALS_PER_TYPE = 99_999


def finish(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Round coordinates, number the reports and put them in register order.

    TTTTT is 10000 + (code - 1000) + 2000 * block, LLLLL runs from 00001 within TTTTT and year in
    order of report date; a code with more than 99 999 reports in a year continues in the next
    block. Rows are ordered by report date, then journal number.
    """
    frame = pd.concat(frames, ignore_index=True)
    frame["x"] = frame["x"].round(1)
    frame["y"] = frame["y"].round(1)
    year = frame["reported"].dt.year.to_numpy()
    order = np.lexsort((frame["tiebreak"].to_numpy(), frame["reported"].to_numpy(),
                        frame["code"].to_numpy(), year))
    frame = frame.iloc[order].reset_index(drop=True)
    group = frame.groupby([frame["reported"].dt.year, frame["code"]], sort=False).cumcount()
    block, serial = np.divmod(group.to_numpy(), SERIALS_PER_TYPE)
    if block.max(initial=0) > 44:
        raise ValueError("more than 4.4 million reports of one code in one year")
    journal_type = 10000 + frame["code"].to_numpy() - 1000 + 2000 * block
    frame["journal_type"] = journal_type.astype(np.int64)
    frame["journal_serial"] = (serial + 1).astype(np.int64)
    order = np.lexsort((frame["journal_serial"].to_numpy(), frame["journal_type"].to_numpy(),
                        frame["reported"].to_numpy()))
    columns = ["journal_type", "journal_serial", "reported", "committed", "code", "x", "y"]
    return frame.iloc[order][columns].reset_index(drop=True)


def _rng(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng([seed, *keys])


def generate_police(reports_per_year: int | Mapping[int, int] = 36_000,
                    years: Iterable[int] = design.POLICE_YEARS, *, seed: int = design.SEED,
                    areas: list[Area] | None = None) -> pd.DataFrame:
    """A synthetic register of ``reports_per_year`` reports (a number, or one per year).

    Citywide, about 65 % borgervendt reports placed in the city, the rest in the city, in
    Frederiksberg, in Tårnby/Dragør, and 0.5 % without coordinates; every code of the catalogue.
    Vectorised throughout: 1 million rows take a few seconds. Each year draws from its own
    random stream, so a year's reports do not depend on which other years are asked for.
    """
    space = Space.build(areas)
    frames = []
    years = list(years)
    for year in years:
        total = reports_per_year[year] if isinstance(reports_per_year, Mapping) \
            else reports_per_year
        frames.append(draw_year(_rng(seed, year, 1), year, YearVolume.from_total(int(total)),
                                space))
    return finish(frames)


# --- the committed example ----------------------------------------------------------------

def partnership_reports(rng, year: int, areas: list[Area]) -> pd.DataFrame:
    """Tingbjerg-Husum's reports of ``year``: exactly the counts of ``design.PARTNERSHIP_CRIME``,
    spread over today's five sub-areas in proportion to their population."""
    counts = dict(zip(design.PARTNERSHIP_CRIME_GROUPS, design.PARTNERSHIP_CRIME[year]))
    by_code = {c: v for c, v in CODES.items()}
    members = {
        "indbrud": [c for c, v in by_code.items() if v[1] == "indbrud"],
        "tyveri_roeveri": [c for c, v in by_code.items() if v[1] == "tyveri_roeveri"],
        "vold_vaaben": [c for c, v in by_code.items() if v[1] == "vold_vaaben"],
        "narkotika": [c for c, v in by_code.items() if v[2] == "narkotika"],
        "other_citizen_facing": [c for c, v in by_code.items()
                                 if v[0] and not v[1] and not v[2] and c != 1801],
        "chikane": [c for c, v in by_code.items() if v[2] == "chikane"],
        "haervaerk": [c for c, v in by_code.items() if v[2] == "haervaerk"],
        "trusler": [c for c, v in by_code.items() if v[2] == "trusler"],
        "other": [c for c, v in by_code.items() if not v[0] and not v[2]],
    }
    codes = []
    for group, n in counts.items():
        freq = np.array([CODES[c][3] for c in members[group]])
        split = rng.multinomial(n, freq / freq.sum())
        codes += [c for c, k in zip(members[group], split) for _ in range(k)]
    codes = np.array(codes, dtype=np.int64)
    subareas = design.today_subareas(design.PARTNERSHIP)
    index = design.SURVEY_YEARS.index(year)
    population = np.array([design.SUBAREA_POPULATION[s][index] for s in subareas], float)
    where = rng.choice(len(subareas), size=len(codes), p=population / population.sum())
    geometry = {a.code: a.geometry for a in areas}
    x, y = np.empty(len(codes)), np.empty(len(codes))
    for i, code in enumerate(subareas):
        inner = geometry[code].buffer(-EDGE_CLEARANCE - 0.5)
        shapely.prepare(inner)
        mask = where == i
        x[mask], y[mask] = points_in(rng, inner, int(mask.sum()))
    frame = pd.DataFrame({"code": codes, "x": x, "y": y})
    frame["reported"], frame["committed"] = draw_dates(rng, year, len(frame))
    frame["tiebreak"] = rng.random(len(frame))
    return frame


def example_police(areas: list[Area] | None = None, *, seed: int = design.SEED) -> pd.DataFrame:
    """The committed example register, 2014-2020: citywide volumes of ``design.py`` and the
    exact Tingbjerg-Husum counts of the 2021 note."""
    areas = areas if areas is not None else build_areas()
    geometry = {a.code: a.geometry for a in areas}
    today = [geometry[s] for s in design.today_subareas(design.PARTNERSHIP)]
    space = Space.build(areas, exclude=today)
    frames = []
    for year in design.POLICE_YEARS:
        inside = partnership_reports(_rng(seed, year, 3), year, areas)
        n_citizen = int(sum(design.PARTNERSHIP_CRIME[year][:5]))
        volume = YearVolume.from_citizen_facing(design.CITY_CITIZEN_FACING[year])
        background = YearVolume(volume.city_citizen_facing - n_citizen,
                                volume.city_other - (len(inside) - n_citizen),
                                volume.frederiksberg, volume.outside, volume.unlocated)
        frames.append(draw_year(_rng(seed, year, 1), year, background, space))
        frames.append(inside)
    return finish(frames)


# --- writing --------------------------------------------------------------------------------

def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """ASCII digits of non-negative integers, zero-padded to ``width``: shape (n, width)."""
    values = np.asarray(values, dtype=np.int64)
    if values.size and (values.min() < 0 or values.max() >= 10 ** width):
        raise ValueError(f"values do not fit in {width} digits")
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers % 10 + 48).astype(np.uint8)


def _date_bytes(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``dd-mm-yyyy`` as (n, 10) bytes, and which rows have a date."""
    days = dates.astype("datetime64[D]")
    present = ~np.isnat(days)
    if not present.any():
        return np.zeros((len(days), 10), np.uint8), present
    first = days[present].min()
    span = int((days[present].max() - first).astype(int)) + 1
    table = np.frombuffer("".join(pd.date_range(str(first), periods=span, freq="D")
                                  .strftime("%d-%m-%Y")).encode("ascii"),
                          dtype=np.uint8).reshape(span, 10)
    index = np.where(present, (days - first).astype("int64"), 0)
    return table[index], present


def _coordinate_bytes(values: np.ndarray, digits: int) -> tuple[np.ndarray, np.ndarray]:
    present = ~np.isnan(values)
    tenths = np.where(present, np.round(values * 10), 0).astype(np.int64)
    whole, decimal = np.divmod(tenths, 10)
    if present.any():
        shown = whole[present]
        if shown.min() < 10 ** (digits - 1) or shown.max() >= 10 ** digits:
            raise ValueError(f"coordinates must have {digits} digits before the decimal comma")
    out = np.concatenate([_digits(np.where(present, whole, 0), digits),
                          np.full((len(values), 1), ord(","), np.uint8),
                          _digits(decimal, 1)], axis=1)
    return out, present


def police_csv_bytes(frame: pd.DataFrame, *, header: bool = True) -> bytes:
    """The register as ``;``-separated UTF-8 text with CRLF line ends (docs/data.md)."""
    n = len(frame)
    head = HEADER if header else b""
    if n == 0:
        return head
    year = frame["reported"].dt.year.to_numpy() % 100
    sep = np.full((n, 1), ord(";"), np.uint8)
    journal = np.concatenate([
        np.tile(np.frombuffer(POLICE_DISTRICT.encode() + b"-", np.uint8), (n, 1)),
        _digits(frame["journal_type"].to_numpy(), 5), np.full((n, 1), ord("-"), np.uint8),
        _digits(frame["journal_serial"].to_numpy(), 5), np.full((n, 1), ord("-"), np.uint8),
        _digits(year, 2)], axis=1)
    reported, _ = _date_bytes(frame["reported"].to_numpy())
    committed, has_committed = _date_bytes(frame["committed"].to_numpy())
    codes = frame["code"].to_numpy()
    width = len(str(int(codes.max())))
    code_digits = _digits(codes, width)
    code_keep = np.cumsum(code_digits != ord("0"), axis=1) > 0
    code_keep[:, -1] = True
    x, has_x = _coordinate_bytes(frame["x"].to_numpy(dtype=float), 6)
    y, has_y = _coordinate_bytes(frame["y"].to_numpy(dtype=float), 7)
    eol = np.tile(np.frombuffer(b"\r\n", np.uint8), (n, 1))
    pieces = [(journal, True), (sep, True), (reported, True), (sep, True),
              (committed, has_committed), (sep, True), (code_digits, code_keep), (sep, True),
              (x, has_x), (sep, True), (y, has_y), (eol, True)]
    matrix = np.concatenate([p for p, _ in pieces], axis=1)
    keep = np.concatenate([np.broadcast_to(np.asarray(k).reshape(n, -1) if np.ndim(k) else
                                           np.full((n, 1), bool(k)), (n, p.shape[1]))
                           for p, k in pieces], axis=1)
    return head + matrix[keep].tobytes()


CHUNK_ROWS = 250_000


def write_police(frame: pd.DataFrame, path: str | Path, *, compresslevel: int = 9) -> Path:
    """Write ``frame`` as ``.csv.gz`` (or plain ``.csv`` if the name says so), in chunks.

    The gzip header carries no file name and mtime 0, so equal frames give equal bytes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw:
        out = (gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                             compresslevel=compresslevel) if path.suffix == ".gz" else raw)
        with out:
            out.write(HEADER)
            for start in range(0, len(frame), CHUNK_ROWS):
                out.write(police_csv_bytes(frame.iloc[start:start + CHUNK_ROWS], header=False))
    return path


def write_police_benchmark(path: str | Path, reports_per_year: int | Mapping[int, int],
                           years: Iterable[int], *, seed: int = design.SEED,
                           compresslevel: int = 6) -> Path:
    """Generate and write a register of any size in one call (for benchmarks)."""
    return write_police(generate_police(reports_per_year, years, seed=seed), path,
                        compresslevel=compresslevel)


def police_file_name(years: Iterable[int]) -> str:
    years = list(years)
    return f"anmeldelser_{min(years)}-{max(years)}.csv.gz"
