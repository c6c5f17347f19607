"""Copies of the example data moved so that a verdict changes (issue 15's perturbed examples)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from tryghedlib import config
from tryghedlib.analysis import geography
from tryghedlib.sources import loaders

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example"
CONFIG = ROOT / "config"


def add_reports(target: Path, *, partnership: str, report_year: int, group: str, year: int,
                extra: int) -> None:
    """Copy the example to ``target`` (once) and repeat ``extra`` reports of the offence
    ``group`` made in ``year`` on the partnership's area of ``report_year``, under new journal
    numbers: the count of ``year`` rises by ``extra``. The example itself is never touched."""
    if not target.exists():
        shutil.copytree(EXAMPLE, target)
    subareas = set(config.load_partnership(partnership, CONFIG).subareas(report_year))
    codes = loaders.load_offence_codes(CONFIG / "offence_codes.csv")
    in_group = set(codes.loc[codes["table_1_group"] == group, "code"])
    (police_file,) = loaders.police_files(target)
    raw = pd.read_csv(police_file, sep=";", dtype=str, keep_default_na=False)

    def coordinate(column):
        return pd.to_numeric(raw[column].str.replace(",", "."), errors="coerce").to_numpy()

    areas = loaders.load_geography(target)
    where = geography.assign_points(coordinate("x_koordinat"), coordinate("y_koordinat"),
                                    areas[areas["level"] == "subarea"])
    chosen = raw[raw["anmeldt_dato"].str.endswith(str(year)).to_numpy()
                 & np.isin(where, list(subareas))
                 & raw["gerningskode"].astype(int).isin(in_group).to_numpy()]
    copies = chosen.iloc[np.arange(extra) % len(chosen)].copy()
    copies["journalnummer"] = [f"0100-10101-{90000 + i:05d}-{year % 100:02d}"
                               for i in range(extra)]
    lines = gzip.decompress(police_file.read_bytes()).decode("utf-8")
    added = "".join(";".join(row) + "\n" for row in copies.itertuples(index=False))
    police_file.write_bytes(gzip.compress((lines + added).encode("utf-8"), mtime=0))
