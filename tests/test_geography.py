"""Placing police reports in areas by point in polygon."""

from pathlib import Path

import numpy as np
import pandas as pd
from shapely.geometry import Polygon, box

from tryghedlib.analysis import geography


def areas():
    city = Polygon(box(0, 0, 100, 100).exterior.coords, [box(60, 60, 80, 80).exterior.coords])
    return pd.DataFrame({
        "code": ["city", "d", "a", "b"], "name": ["City", "D", "A", "B"],
        "level": ["city", "district", "subarea", "subarea"], "district": [None, None, "d", "d"],
        "geometry": [city, box(0, 0, 50, 50), box(0, 0, 10, 10), box(10, 0, 20, 10)]})


def test_reports_are_placed_in_subarea_and_city():
    police = pd.DataFrame({"x": [5.0, 15.0, 30.0, 70.0, np.nan, 500.0],
                           "y": [5.0, 5.0, 30.0, 70.0, np.nan, 5.0]})
    placed = geography.place_reports(police, areas(), "city")
    assert placed["subarea"].iloc[:2].tolist() == ["a", "b"]
    assert placed["subarea"].isna().tolist() == [False, False, True, True, True, True]
    # (70, 70) lies in the hole of the city (like Frederiksberg in Copenhagen)
    assert placed["in_city"].tolist() == [True, True, True, False, False, False]
    assert placed["located"].tolist() == [True] * 4 + [False, True]


def test_assignment_is_vectorised_over_many_points():
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 20, 100_000), rng.uniform(0, 20, 100_000)
    codes = geography.assign_points(x, y, areas().iloc[2:])
    expected = np.where((y < 10) & (x < 10), "a", np.where((y < 10) & (x >= 10), "b", None))
    assert (codes == expected).mean() > 0.9999  # points exactly on an edge may differ


def test_the_grid_places_every_point_as_testing_each_point_exactly_does():
    import shapely

    from tryghedlib.sources import loaders

    geo = loaders.load_geography(Path(__file__).resolve().parents[1] / "data" / "raw" / "example")
    rng = np.random.default_rng(5)
    x, y = rng.uniform(716000, 731000, 50_000), rng.uniform(6168000, 6182000, 50_000)
    # and points on every boundary: the vertices and the middle of each edge
    edges = shapely.get_coordinates(shapely.boundary(geo["geometry"].to_numpy()))
    x = np.concatenate([x, edges[:, 0], (edges[:-1, 0] + edges[1:, 0]) / 2, [np.nan]])
    y = np.concatenate([y, edges[:, 1], (edges[:-1, 1] + edges[1:, 1]) / 2, [6170000.0]])
    for level in ("subarea", "district", "city"):
        polygons = geo.loc[geo["level"] == level, "geometry"].to_numpy()
        np.testing.assert_array_equal(geography.area_index(x, y, polygons),
                                      geography._exact(x, y, polygons))
