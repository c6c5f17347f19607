"""Which area a police report or a survey respondent belongs to, for any period's geography.

Police reports carry coordinates (EPSG:25832) and are placed by point in polygon, so earlier
years can be counted on today's partnership area. Survey respondents carry a sub-area code.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import shapely

from tryghedlib.errors import ConfigError
from tryghedlib.parallel import THREADS, map_spans


GRID_CELLS = 128  # cells along the longer side of the areas' bounds
CHUNK = 1 << 16  # points handled at a time (their arrays fit the CPU caches)


def assign_points(x: np.ndarray, y: np.ndarray, areas: pd.DataFrame) -> np.ndarray:
    """The code of the area containing each point, or None (areas must not overlap).

    >>> from shapely.geometry import box
    >>> areas = pd.DataFrame({"code": ["a", "b"], "geometry": [box(0, 0, 1, 1), box(1, 0, 2, 1)]})
    >>> assign_points(np.array([0.5, 1.5, 5.0, np.nan]), np.array([0.5, 0.5, 5.0, 0.5]), areas)
    array(['a', 'b', None, None], dtype=object)
    """
    index = area_index(x, y, areas["geometry"].to_numpy())
    return np.append(areas["code"].to_numpy(dtype=object), None)[index]


def area_index(x: np.ndarray, y: np.ndarray, geometries: np.ndarray) -> np.ndarray:
    """For each point, the position in ``geometries`` of the polygon containing it, or -1.

    The polygons must not overlap. A point on a boundary is in no polygon (shapely's
    ``contains_xy``). See :func:`area_indices`.
    """
    return area_indices(x, y, [geometries])[0]


def area_indices(x: np.ndarray, y: np.ndarray, layers: list[np.ndarray]) -> list[np.ndarray]:
    """:func:`area_index` for several layers of polygons (say sub-areas and the city) at once.

    Vectorised, and most points are never tested against a polygon: a grid over all the
    polygons' bounds records, per layer, which cells lie wholly inside one polygon or outside
    all of them; only points in cells that a boundary runs through are tested exactly, after a
    bounding-box filter, with ``contains_xy``. The result is the same as testing every point.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    layers = [np.asarray(g, dtype=object) for g in layers]
    results = [np.full(len(x), -1, dtype=np.int32) if len(g) == 0 else
               np.empty(len(x), dtype=np.int32) for g in layers]
    present = [g for g in layers if len(g)]
    if len(x) == 0 or not present:
        return results
    grid = _Grid(shapely.total_bounds(np.concatenate(present)))
    labels = [grid.labels(g) for g in layers]

    def label(start: int, stop: int) -> list[np.ndarray]:
        """Label the points start to stop from the grid; the points left to test, per layer."""
        todo: list[list[np.ndarray]] = [[] for _ in layers]
        for begin in range(start, stop, CHUNK):
            end = min(begin + CHUNK, stop)
            cell = grid.cells(x[begin:end], y[begin:end])
            for k, table in enumerate(labels):
                np.take(table, cell, out=results[k][begin:end])
                todo[k].append(begin + np.flatnonzero(results[k][begin:end] == _Grid.MIXED))
        return [np.concatenate(t) for t in todo]

    def test(k: int, mixed: np.ndarray) -> None:
        results[k][mixed] = _exact(x[mixed], y[mixed], layers[k])

    parts = map_spans(label, len(x), CHUNK)
    # Each layer's points are shared by the threads: one layer (the city's long boundary) may
    # hold most of them.
    tasks = [(k, piece) for k in range(len(layers))
             for piece in np.array_split(np.concatenate([part[k] for part in parts]), THREADS)
             if len(piece)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(lambda task: test(*task), tasks))
    return results


def _exact(x: np.ndarray, y: np.ndarray, geometries: np.ndarray) -> np.ndarray:
    result = np.full(len(x), -1, dtype=np.int32)
    for position, geometry in enumerate(geometries):
        min_x, min_y, max_x, max_y = geometry.bounds
        candidates = np.flatnonzero((x >= min_x) & (x <= max_x) & (y >= min_y) & (y <= max_y))
        inside = candidates[shapely.contains_xy(geometry, x[candidates], y[candidates])]
        result[inside] = position
    return result


class _Grid:
    """Square cells over given bounds. For a layer of polygons, each cell is labelled with the
    polygon it lies wholly inside, OUTSIDE (of all of them) or MIXED (a boundary runs through
    it or near it); one more cell, last, stands for every point off the grid (or NaN)."""

    OUTSIDE, MIXED = -1, -2

    def __init__(self, bounds, cells: int = GRID_CELLS):
        min_x, min_y, max_x, max_y = bounds
        self.size = max(max_x - min_x, max_y - min_y, 1e-9) / cells
        self.origin = (min_x, min_y)
        self.nx = max(int(np.ceil((max_x - min_x) / self.size)), 1)
        self.ny = max(int(np.ceil((max_y - min_y) / self.size)), 1)

    def labels(self, geometries: np.ndarray) -> np.ndarray:
        """Boundaries are sampled every quarter cell and each cell within one cell of a sample
        is MIXED (so is any cell that rounding may put a point into by mistake); every other
        cell is wholly inside or outside each polygon, as its centre is."""
        (min_x, min_y), nx, ny, size = self.origin, self.nx, self.ny, self.size
        labels = np.full(nx * ny + 1, self.OUTSIDE, dtype=np.int32)
        if len(geometries) == 0:
            return labels
        centres_x = min_x + (np.arange(nx) + 0.5) * size
        centres_y = min_y + (np.arange(ny) + 0.5) * size
        for position, geometry in enumerate(geometries):
            gx0, gy0, gx1, gy1 = geometry.bounds
            ix = np.arange(max(int((gx0 - min_x) / size) - 1, 0),
                           min(int((gx1 - min_x) / size) + 2, nx))
            iy = np.arange(max(int((gy0 - min_y) / size) - 1, 0),
                           min(int((gy1 - min_y) / size) + 2, ny))
            gx, gy = (a.ravel() for a in np.meshgrid(ix, iy))
            inside = shapely.contains_xy(geometry, centres_x[gx], centres_y[gy])
            labels[(gy * nx + gx)[inside]] = position
        samples = shapely.get_coordinates(
            shapely.segmentize(shapely.boundary(geometries), size / 4))
        cx = np.clip(((samples[:, 0] - min_x) / size).astype(np.intp), 0, nx - 1)
        cy = np.clip(((samples[:, 1] - min_y) / size).astype(np.intp), 0, ny - 1)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                near_x, near_y = cx + dx, cy + dy
                keep = (near_x >= 0) & (near_x < nx) & (near_y >= 0) & (near_y < ny)
                labels[near_y[keep] * nx + near_x[keep]] = self.MIXED
        return labels

    def cells(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Each point's cell; off the grid (and NaN) the extra last cell."""
        (min_x, min_y), nx, ny = self.origin, self.nx, self.ny
        fx = (x - min_x) * (1 / self.size)
        fy = (y - min_y) * (1 / self.size)
        with np.errstate(invalid="ignore"):
            off = ~((fx >= 0) & (fx < nx) & (fy >= 0) & (fy < ny))
        fx[off] = 0
        fy[off] = 0
        cell = fy.astype(np.intp) * nx + fx.astype(np.intp)
        cell[off] = nx * ny
        return cell


def place_reports(police: pd.DataFrame, geography: pd.DataFrame, city: str) -> pd.DataFrame:
    """Add ``subarea`` (code or missing), ``in_city`` and ``located`` to the police reports."""
    subareas = geography[geography["level"] == "subarea"]
    city_area = geography[geography["code"] == city]
    if city_area.empty:
        raise ConfigError(f"settings, nøgle 'city': koden {city!r} er ikke en feature i "
                          "geografien.")
    x, y = police["x"].to_numpy(dtype=float), police["y"].to_numpy(dtype=float)
    subarea, in_city = area_indices(x, y, [subareas["geometry"].to_numpy(),
                                           city_area["geometry"].to_numpy()[:1]])
    # A categorical: a city's millions of reports need no text each (-1, no sub-area, is blank).
    codes = pd.Categorical.from_codes(subarea, categories=pd.Index(subareas["code"].tolist()),
                                      validate=False)  # -1 to len - 1 by area_indices
    return police.assign(
        subarea=pd.Series(codes, index=police.index),
        in_city=in_city == 0,
        located=~(np.isnan(x) | np.isnan(y)),
    )


def in_subareas(placed: pd.DataFrame, codes) -> np.ndarray:
    """Whether each report placed by :func:`place_reports` lies in one of the sub-areas ``codes``.

    Looked up once per sub-area, not per report (``Series.isin`` hashes every row).

    >>> from shapely.geometry import box
    >>> geography = pd.DataFrame({"code": ["a", "b", "k"], "level": ["subarea", "subarea", "city"],
    ...                           "geometry": [box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 0, 2, 1)]})
    >>> police = pd.DataFrame({"x": [0.5, 1.5, 9.0], "y": [0.5, 0.5, 0.5]})
    >>> in_subareas(place_reports(police, geography, "k"), ["b"]).tolist()
    [False, True, False]
    """
    subarea = placed["subarea"].array
    wanted = np.append(subarea.categories.isin(list(codes)), False)
    return wanted[subarea.codes]  # -1, no sub-area, takes the last: False


def outside_district(survey: pd.DataFrame, geography: pd.DataFrame) -> np.ndarray:
    """Whether each respondent's sub-area (``subarea``, a code or missing) lies in another
    district than the one they belong to (``district``, a district's name).

    Such a respondent counts in the partnership by the sub-area and in the district by the
    district, so the delivery contradicts itself; the note says how many.

    >>> geography = pd.DataFrame({"code": ["d1", "d2", "s1"], "name": ["D1", "D2", "S1"],
    ...                           "level": ["district", "district", "subarea"],
    ...                           "district": [None, None, "d1"]})
    >>> survey = pd.DataFrame({"district": ["D1", "D2", "D2"], "subarea": ["s1", "s1", None]})
    >>> outside_district(survey, geography).tolist()
    [False, True, False]
    """
    names = dict(zip(geography["code"], geography["name"]))
    subareas = geography[geography["level"] == "subarea"]
    district_of = {code: names.get(d) for code, d in zip(subareas["code"], subareas["district"])}
    # By the few distinct values, not per respondent: a city's survey has a million rows.
    given, districts = pd.factorize(survey["district"])
    place, subarea_codes = pd.factorize(survey["subarea"])   # a missing sub-area is -1
    position = {name: i for i, name in enumerate(districts)}
    expected = np.array([position.get(district_of.get(code), -2) for code in subarea_codes]
                        + [-1], dtype=np.int64)[place]
    return (expected != -1) & (expected != given)


def area_name(geography: pd.DataFrame, code: str) -> str:
    """The printed name of an area code."""
    return str(geography.loc[geography["code"] == code, "name"].iloc[0])
