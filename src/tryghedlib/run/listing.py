"""``tryghed list``: the partnerships and their periods, and the years a delivery covers."""

from __future__ import annotations

import re
from pathlib import Path

from tryghedlib import config

YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
PLAN_FILE = re.compile(r"tryghedsplan_(.+)_(\d{4})\.xlsx$")


def year_ranges(years) -> str:
    """Years as the note writes spans.

    >>> year_ranges([2014, 2015, 2016, 2018, 2020, 2021])
    '2014-2016, 2018, 2020-2021'
    >>> year_ranges([])
    'ingen'
    """
    spans: list[list[int]] = []
    for year in sorted(set(years)):
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans) or "ingen"


def partnership_lines(config_dir: str | Path) -> list[str]:
    lines = [f"Partnerskaber ({config_dir}):"]
    for partnership in config.list_partnerships(config_dir):
        found = config.load_partnership(partnership, config_dir)
        periods = "; ".join(f"{p.first_year}-{p.last_year}: {', '.join(p.subareas)}"
                            for p in found.periods)
        lines.append(f"  {partnership}  {found.name}  ({periods})")
    return lines


def source_lines(data_dir: str | Path, config_dir: str | Path) -> list[str]:
    """The years each source in ``data_dir`` covers: from the file names, and the population
    file's rows (a small file, read through ``config/sources.yaml`` as the note reads it; the
    police register's years are in its file names)."""
    from tryghedlib.sources import loaders

    data_dir = Path(data_dir)
    sources = loaders.load_sources(Path(config_dir) / "sources.yaml")
    police = []
    for path in loaders.police_files(data_dir):   # every extract the note reads, any format
        years = [int(y) for y in YEAR.findall(path.name)]   # 2014-2020, or 2020-tillaeg
        if years:
            police.extend(range(min(years), max(years) + 1))
    population = (loaders.load_population(data_dir, sources=sources)["year"].unique().tolist()
                  if (data_dir / "population").is_dir() else [])
    plans: dict[str, list[int]] = {}
    for path in sorted((data_dir / "plan").glob("tryghedsplan_*.xlsx")):
        match = PLAN_FILE.match(path.name)
        if match:
            plans.setdefault(match.group(1), []).append(int(match.group(2)))
    lines = [f"Data ({data_dir}):",
             f"  Tryghedsundersøgelsen: {year_ranges(loaders.survey_files(data_dir))}",
             f"  Anmeldelser: {year_ranges(police)}",
             f"  Befolkning: {year_ranges(int(y) for y in population)}",
             "  Tryghedsplaner: " + ("; ".join(f"{p} {year_ranges(y)}" for p, y in plans.items())
                                     or "ingen")]
    return lines


def describe(config_dir: str | Path, data_dir: str | Path | None = None) -> str:
    """What ``tryghed list`` prints."""
    lines = partnership_lines(config_dir)
    if data_dir is not None:
        lines += source_lines(data_dir, config_dir)
    return "\n".join(lines)
