"""Which area a police report or a survey respondent belongs to, for any period's geography.

Police reports carry coordinates (EPSG:25832) and are placed by point in polygon, so earlier
years can be counted on today's partnership area. Survey respondents carry a sub-area code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from tryghedlib.config import Partnership
from tryghedlib.errors import ConfigError


def assign_points(x: np.ndarray, y: np.ndarray, areas: pd.DataFrame) -> np.ndarray:
    """The code of the area containing each point, or None (areas must not overlap).

    Vectorised: a bounding-box filter in numpy, then shapely's ``contains_xy`` on the few
    candidates, so no point objects are built.

    >>> from shapely.geometry import box
    >>> areas = pd.DataFrame({"code": ["a", "b"], "geometry": [box(0, 0, 1, 1), box(1, 0, 2, 1)]})
    >>> assign_points(np.array([0.5, 1.5, 5.0, np.nan]), np.array([0.5, 0.5, 5.0, 0.5]), areas)
    array(['a', 'b', None, None], dtype=object)
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    result = np.full(len(x), None, dtype=object)
    for code, geometry in zip(areas["code"], areas["geometry"]):
        min_x, min_y, max_x, max_y = geometry.bounds
        candidates = np.flatnonzero((x >= min_x) & (x <= max_x) & (y >= min_y) & (y <= max_y))
        inside = candidates[shapely.contains_xy(geometry, x[candidates], y[candidates])]
        result[inside] = code
    return result


def place_reports(police: pd.DataFrame, geography: pd.DataFrame, city: str) -> pd.DataFrame:
    """Add ``subarea`` (code or missing), ``in_city`` and ``located`` to the police reports."""
    subareas = geography[geography["level"] == "subarea"]
    city_area = geography[geography["code"] == city]
    if city_area.empty:
        raise ConfigError(f"settings 'city': code {city!r} is not a feature of the geography.")
    x, y = police["x"].to_numpy(dtype=float), police["y"].to_numpy(dtype=float)
    return police.assign(
        subarea=pd.array(assign_points(x, y, subareas), dtype="str"),
        in_city=assign_points(x, y, city_area) == city,
        located=~(np.isnan(x) | np.isnan(y)),
    )


def check_partnership(partnership: Partnership, geography: pd.DataFrame) -> None:
    """Refuse a partnership whose configured areas are not in the geography."""
    subareas = set(geography.loc[geography["level"] == "subarea", "code"])
    districts = set(geography.loc[geography["level"] == "district", "code"])
    unknown = sorted({s for p in partnership.periods for s in p.subareas} - subareas)
    if unknown:
        raise ConfigError(f"{partnership.source}: sub-area(s) {', '.join(unknown)} under "
                          f"'periods' are not sub-areas of the geography; known sub-areas: "
                          f"{', '.join(sorted(subareas))}.")
    if partnership.district not in districts:
        raise ConfigError(f"{partnership.source}: district {partnership.district!r} is not a "
                          f"district of the geography; known: {', '.join(sorted(districts))}.")


def area_name(geography: pd.DataFrame, code: str) -> str:
    """The printed name of an area code."""
    return str(geography.loc[geography["code"] == code, "name"].iloc[0])
