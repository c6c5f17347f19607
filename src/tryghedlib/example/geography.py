"""Rough but recognisable polygons of Copenhagen, its ten districts and the example sub-areas.

All coordinates are ETRS89 / UTM zone 32N (EPSG:25832) metres. The city outline is a hand-drawn
simplification of the municipality with Frederiksberg cut out; the districts are Voronoi cells
around district centres clipped to the city; the sub-areas are small hand-drawn polygons at
their real locations. Nothing here is a surveyed boundary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, Polygon, box, mapping
from shapely.geometry.polygon import orient

from tryghedlib.example.design import CITY

CITY_OUTLINE = [
    (716600, 6175900), (716650, 6177300), (716700, 6178600), (716900, 6179700),
    (717300, 6180900), (718400, 6181000), (719800, 6181200), (721200, 6181500),
    (722700, 6181400), (723900, 6181100), (725100, 6180500), (726300, 6179700),
    (727400, 6179400), (728400, 6179500), (729300, 6178500), (728600, 6177600),
    (727300, 6177300), (726700, 6176400), (727200, 6175700), (728400, 6175900),
    (729400, 6175100), (729900, 6173900), (730000, 6172500), (729500, 6171300),
    (728000, 6171000), (726200, 6170900), (724800, 6170700), (724300, 6169600),
    (723700, 6168700), (722300, 6168700), (721300, 6169400), (720700, 6170500),
    (719900, 6171500), (718800, 6172200), (717600, 6173100), (716900, 6174300),
]
FREDERIKSBERG = [
    (720400, 6175300), (720900, 6174500), (721900, 6174250), (722900, 6174450),
    (723450, 6175000), (723500, 6175800), (723150, 6176650), (722300, 6177250),
    (721300, 6177150), (720550, 6176500),
]
#: Tårnby and Dragør, roughly: the rest of Københavns Politi's district south of the city
SOUTH_BOX = (722500, 6161500, 731500, 6171500)

#: code -> (name, centre used as Voronoi seed)
DISTRICTS = {
    "indre-by": ("Indre By", (724900, 6176300)),
    "osterbro": ("Østerbro", (725400, 6178500)),
    "norrebro": ("Nørrebro", (722900, 6177600)),
    "vesterbro-kongens-enghave": ("Vesterbro/Kongens Enghave", (722900, 6174000)),
    "valby": ("Valby", (719600, 6173500)),
    "vanlose": ("Vanløse", (718300, 6176500)),
    "bronshoj-husum": ("Brønshøj-Husum", (718500, 6178800)),
    "bispebjerg": ("Bispebjerg", (722200, 6180000)),
    "amager-ost": ("Amager Øst", (727800, 6173800)),
    "amager-vest": ("Amager Vest", (724300, 6171800)),
}

#: code -> (name, district, outline)
SUBAREAS = {
    "tingbjerg-utterslevhuse": ("Tingbjerg/Utterslevhuse", "bronshoj-husum", [
        (718600, 6179820), (718760, 6179700), (719120, 6179710), (719500, 6179800),
        (719480, 6180250), (719300, 6180500), (718850, 6180480), (718640, 6180300)]),
    "voldparken": ("Voldparken", "bronshoj-husum", [
        (718700, 6179000), (719000, 6178960), (719250, 6179050), (719230, 6179420),
        (718950, 6179450), (718720, 6179350)]),
    "gadelandet": ("Gadelandet", "bronshoj-husum", [
        (718210, 6178700), (718560, 6178720), (718580, 6178960), (718350, 6179000),
        (718200, 6178900)]),
    "skolevangen-1": ("Skolevangen 1", "bronshoj-husum", [
        (717840, 6178400), (718010, 6178390), (718015, 6178690), (717850, 6178680)]),
    "skolevangen-2": ("Skolevangen 2", "bronshoj-husum", [
        (718030, 6178390), (718190, 6178410), (718180, 6178670), (718035, 6178690)]),
    "mjoelnerparken": ("Mjølnerparken", "norrebro", [
        (722430, 6178240), (722760, 6178200), (722790, 6178330), (722460, 6178380)]),
    "lundtoftegade": ("Lundtoftegade", "norrebro", [
        (722300, 6177820), (722540, 6177800), (722560, 6178000), (722320, 6178030)]),
    "bispeparken": ("Bispeparken", "bispebjerg", [
        (721800, 6179280), (722180, 6179250), (722220, 6179520), (721850, 6179560)]),
    "tagensbo": ("Tagensbo", "bispebjerg", [
        (722500, 6179750), (722800, 6179730), (722820, 6179950), (722520, 6179980)]),
}

GRID = 0.1  # coordinates are rounded to 0.1 m


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str
    district: str | None
    geometry: Polygon


def city_polygon() -> Polygon:
    return orient(Polygon(CITY_OUTLINE, [FREDERIKSBERG]), 1.0)


def frederiksberg_polygon() -> Polygon:
    return orient(Polygon(FREDERIKSBERG), 1.0)


def build_areas() -> list[Area]:
    """The city, its districts and the sub-areas, in the order they are written."""
    city = city_polygon()
    seeds = MultiPoint([centre for _, centre in DISTRICTS.values()])
    cells = shapely.voronoi_polygons(seeds, extend_to=box(*city.buffer(5000).bounds)).geoms
    districts = []
    for code, (name, centre) in DISTRICTS.items():
        cell = next(c for c in cells if c.contains(shapely.Point(centre)))
        geometry = shapely.set_precision(cell.intersection(city), GRID)
        districts.append(Area(code, name, "district", None, _oriented(geometry)))
    # The city is the union of its districts, so that the districts tile it exactly.
    union = shapely.set_precision(shapely.union_all([d.geometry for d in districts]), GRID)
    assert union.symmetric_difference(city).area < 500
    areas = [Area(CITY, "København", "city", None, _oriented(union)), *districts]
    for code, (name, district, outline) in SUBAREAS.items():
        areas.append(Area(code, name, "subarea", district, orient(Polygon(outline), 1.0)))
    _check(areas)
    return areas


def _oriented(geometry):
    if geometry.geom_type == "Polygon":
        return orient(geometry, 1.0)
    return shapely.MultiPolygon([orient(g, 1.0) for g in geometry.geoms])


def _check(areas: list[Area]) -> None:
    by_code = {a.code: a for a in areas}
    city = by_code[CITY].geometry
    districts = [a for a in areas if a.level == "district"]
    total = shapely.union_all([d.geometry for d in districts])
    assert city.geom_type == "Polygon" and city.is_valid
    assert total.symmetric_difference(city).area < 1.0, "districts must tile the city"
    for i, a in enumerate(districts):
        assert a.geometry.is_valid and not a.geometry.is_empty, a.code
        for b in districts[i + 1:]:
            assert a.geometry.intersection(b.geometry).area < 1.0, (a.code, b.code)
    subareas = [a for a in areas if a.level == "subarea"]
    for i, a in enumerate(subareas):
        assert a.geometry.is_valid, a.code
        assert by_code[a.district].geometry.buffer(-10).contains(a.geometry), a.code
        for b in subareas[i + 1:]:
            assert a.geometry.distance(b.geometry) > 5, (a.code, b.code)


def _rounded(value):
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return round(float(value), 1)


def geojson_bytes(areas: list[Area]) -> bytes:
    """The FeatureCollection, one feature per line, UTF-8 without BOM."""
    features = []
    for area in areas:
        properties = {"code": area.code, "name": area.name, "level": area.level}
        if area.district:
            properties["district"] = area.district
        geometry = mapping(area.geometry)
        geometry = {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}
        features.append(json.dumps({"type": "Feature", "properties": properties,
                                    "geometry": geometry}, ensure_ascii=False,
                                   separators=(",", ":")))
    head = ('{"type":"FeatureCollection",\n"name":"omraader (SYNTETISK EKSEMPEL)",\n'
            '"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},\n'
            '"features":[\n')
    return (head + ",\n".join(features) + "\n]}\n").encode("utf-8")


def write_geojson(areas: list[Area], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(geojson_bytes(areas))
