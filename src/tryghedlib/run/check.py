"""``tryghed check``: validate a whole delivery on receipt, without making a note.

Every source is read as a report would read it (through ``config/sources.yaml``), each one even
when another has problems, and the summary says in Danish what was found: rows per source and
year, reports that cannot be placed, every problem (unmapped columns, unknown codes, ...), the
years covered, and whether each partnership's note for the latest survey year could be made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tryghedlib.config import list_partnerships, load_settings
from tryghedlib.errors import TryghedError
from tryghedlib.note.model import build_note
from tryghedlib.sources import loaders


@dataclass
class Check:
    """What ``tryghed check`` found in one delivery."""

    rows: dict[str, dict[int, int]] = field(default_factory=dict)   # source -> year -> rows
    unlocated: dict[int, int] = field(default_factory=dict)         # year -> police reports
    problems: dict[str, str] = field(default_factory=dict)          # source -> message
    notes: dict[str, str] = field(default_factory=dict)             # partnership -> "" or why
    latest_year: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and not any(self.notes.values())


def check_delivery(data_dir: str | Path, config_dir: str | Path = "config",
                   cache_dir: str | Path | None = None) -> Check:
    data_dir, config_dir = Path(data_dir), Path(config_dir)
    found = Check()
    settings = load_settings(config_dir)
    sources = loaders.load_sources(config_dir / "sources.yaml")

    def attempt(source: str, read: Callable[[], pd.DataFrame | None]) -> pd.DataFrame | None:
        try:
            return read()
        except TryghedError as err:
            found.problems[source] = str(err)
            return None

    geography = attempt("geografi", lambda: loaders.load_geography(data_dir))
    codes = attempt("gerningskoder",
                    lambda: loaders.load_offence_codes(config_dir / "offence_codes.csv"))
    areas = None if geography is None else geography
    survey = attempt("tryghedsundersøgelse", lambda: loaders.load_survey(
        data_dir, sources=sources,
        districts=None if areas is None else set(areas.loc[areas["level"] == "district",
                                                            "name"]),
        subareas=None if areas is None else set(areas.loc[areas["level"] == "subarea",
                                                           "code"])))
    police = attempt("politiets anmeldelser", lambda: loaders.load_police(
        data_dir, codes, extent=settings.police_extent, sources=sources))
    population = attempt("befolkning", lambda: loaders.load_population(
        data_dir, None if areas is None else set(areas["code"]), sources=sources))
    for name, frame in (("tryghedsundersøgelse", survey), ("politiets anmeldelser", police),
                        ("befolkning", population)):
        if frame is not None:
            found.rows[name] = {int(y): int(n) for y, n in
                                frame.groupby("year").size().items()}
    if police is not None:
        unplaced = police[police["x"].isna()]
        found.unlocated = {int(y): int(n) for y, n in unplaced.groupby("year").size().items()}
    if survey is not None and len(survey):
        found.latest_year = int(survey["year"].max())
        for partnership in list_partnerships(config_dir):
            try:
                build_note(partnership, found.latest_year, data_dir=data_dir,
                           config_dir=config_dir, cache_dir=cache_dir)
                found.notes[partnership] = ""
            except TryghedError as err:
                found.notes[partnership] = str(err).splitlines()[0]
    return found


def _years(years) -> str:
    years = sorted(years)
    if not years:
        return "ingen"
    runs, start = [], years[0]
    for before, year in zip(years, [*years[1:], None]):
        if year != before + 1:
            runs.append(str(start) if start == before else f"{start}-{before}")
            start = year
    return ", ".join(runs)


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def summary(found: Check, data_dir: str | Path) -> str:
    """The check's result in Danish, as ``tryghed check`` prints it."""
    lines = [f"Kontrol af leverancen i {data_dir}", ""]
    for source, per_year in found.rows.items():
        lines.append(f"{source.capitalize()}: {_number(sum(per_year.values()))} rækker, "
                     f"år {_years(per_year)}")
        lines += [f"  {year}: {_number(n)}" for year, n in sorted(per_year.items())]
    if found.unlocated:
        lines.append("Anmeldelser uden koordinater (kan ikke placeres i et område): "
                     + ", ".join(f"{y}: {_number(n)}" for y, n in sorted(found.unlocated.items())))
    lines.append("")
    if found.problems:
        lines.append("Problemer (ikke-kortlagte kolonner, ukendte koder m.m.):")
        for source, message in found.problems.items():
            lines.append(f"- {source}:")
            lines += [f"    {line}" for line in message.splitlines()]
    else:
        lines.append("Ingen problemer i leverancen.")
    if found.latest_year is not None:
        lines += ["", f"Noter for seneste år ({found.latest_year}):"]
        for partnership, why in found.notes.items():
            lines.append(f"- {partnership}: " + ("kan laves" if not why
                                                 else f"kan ikke laves ({why})"))
    return "\n".join(lines)
