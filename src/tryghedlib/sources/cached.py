"""The delivery's per-file tables, read through the cache: one police extract, one survey year.

Both the report model (:func:`tryghedlib.note.model.build_note`) and ``tryghed check`` read
them here, so they name the same cache entries (name and input files) and a table one of them
read is found by the other: a delivery is parsed once, not once per reader.

Each table is validated against what its key names besides its own file (the catalogue and
``police_extent`` for an extract, the geography for a survey year) and the mapping
``config/sources.yaml`` when there is one, so it is stored only once it passed those checks
(:class:`tryghedlib.sources.cache.Batch` stores nothing ``build`` refused).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from tryghedlib.sources import cache, loaders, mapping


def mapping_files(sources: mapping.Mapping | None) -> list[Path]:
    """The mapping file the deliveries are read through (none: the contract's names); part of
    every cache key of a table read through it."""
    return [Path(sources.path)] if sources is not None and sources.path else []


def police_file(writes: cache.Batch, path: Path, codes: pd.DataFrame, codes_file: Path,
                extent: tuple[float, float, float, float] | None,
                sources: mapping.Mapping | None) -> pd.DataFrame:
    """One police extract (:func:`loaders.read_police_file`), validated against the catalogue
    ``codes`` (read from ``codes_file``) and ``extent`` (settings ``police_extent``), so both
    are part of its key: a new extract is the only file read."""
    digest = hashlib.sha256(repr(extent).encode()).hexdigest()[:8]
    return writes.get(f"police-{digest}", [path, codes_file, *mapping_files(sources)],
                      lambda: loaders.read_police_file(path, codes, extent, sources))


def survey_year(writes: cache.Batch, data_dir: Path, year: int, geography: pd.DataFrame,
                sources: mapping.Mapping | None) -> pd.DataFrame:
    """One year's survey (:func:`loaders.load_survey` of that year), validated against the
    geography's districts and sub-areas, so the geography is part of its key: a new year's
    delivery is the only file read."""
    inputs = [loaders.survey_files(data_dir)[year], loaders.geography_path(data_dir),
              *mapping_files(sources)]
    districts = set(geography.loc[geography["level"] == "district", "name"])
    subareas = set(geography.loc[geography["level"] == "subarea", "code"])
    return writes.get("survey", inputs,
                      lambda: loaders.load_survey(data_dir, [year], districts=districts,
                                                  subareas=subareas, sources=sources))
