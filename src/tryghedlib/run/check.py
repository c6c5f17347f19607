"""``tryghed check``: validate a whole delivery on receipt, without making a note.

Every source is read as a report would read it (through ``config/sources.yaml``), each one even
when another has problems, and the summary says in Danish what was found: rows per source and
year, reports that cannot be placed, every problem (unmapped columns, unknown codes, ...), the
years covered, and whether each partnership's note for the latest survey year could be made.

Each police extract and survey year is parsed once: the check reads them through the cache
entries the notes read (:mod:`tryghedlib.sources.cached`), so the notes built after it find
them there. For a city's register in a workbook one read takes most of a minute.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tryghedlib.analysis import geography as geo
from tryghedlib.config import list_partnerships, load_settings
from tryghedlib.errors import TryghedError
from tryghedlib.note.model import build_note
from tryghedlib.paths import project_path
from tryghedlib.run.checks import refuse_among_inputs
from tryghedlib.sources import cache, cached, loaders, trust

log = logging.getLogger(__name__)


@dataclass
class Check:
    """What ``tryghed check`` found in one delivery."""

    rows: dict[str, dict[int, int]] = field(default_factory=dict)   # source -> year -> rows
    unlocated: dict[int, int] = field(default_factory=dict)         # year -> police reports
    outside_district: dict[int, int] = field(default_factory=dict)  # year -> respondents
    problems: dict[str, str] = field(default_factory=dict)          # source -> message
    notes: dict[str, str] = field(default_factory=dict)             # partnership -> "" or why
    latest_year: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and not any(self.notes.values())


def check_delivery(data_dir: str | Path, config_dir: str | Path = "config",
                   cache_dir: str | Path | None = None) -> Check:
    """Read and validate every source of the delivery in ``data_dir``, and try each
    partnership's note for the latest survey year.

    ``cache_dir`` is the notes' cache; None (or a folder that cannot be used, with a warning):
    a private temporary one for the check's duration, so each file is still parsed once (with
    no usable cache key, nothing can be cached: each note then reads its files again).
    """
    refuse_among_inputs(data_dir, config_dir, cache=cache_dir)
    with _cache_folder(cache_dir) as folder:
        return _check(Path(data_dir), Path(config_dir), folder)


@contextmanager
def _cache_folder(cache_dir: str | Path | None) -> Iterator[Path | None]:
    """The cache folder the check and its notes share (None: nothing can be cached)."""
    folder, notices = cache.usable(project_path(cache_dir) if cache_dir else None)
    for notice in notices:
        log.warning(notice)
    if folder is not None:
        yield folder
    elif trust.key_problem() is not None:
        yield None   # no table can be trusted back, not even from a folder of our own
    else:
        # A temporary folder rather than a layer in memory: the tables go through the very
        # cache the notes use (signed, verified, stored only once they passed their checks),
        # so no second path through build_note and the cache is needed. The folder is made
        # 0700 outside data_dir and removed when the check ends, also on Ctrl-C or SIGTERM
        # (run.interrupt raises them in the main thread, so this block's exit runs).
        with tempfile.TemporaryDirectory(prefix="tryghed-check-") as temporary:
            yield Path(temporary)


def _check(data_dir: Path, config_dir: Path, cache_dir: Path | None) -> Check:
    found = Check()
    writes = cache.Batch(cache_dir)
    settings = load_settings(config_dir)
    sources = loaders.load_sources(config_dir / "sources.yaml")

    def attempt(source: str, read: Callable[[], pd.DataFrame | None]) -> pd.DataFrame | None:
        try:
            return read()
        except TryghedError as err:
            found.problems[source] = str(err)
            return None

    geography = attempt("geografi", lambda: loaders.load_geography(data_dir))
    codes_file = config_dir / "offence_codes.csv"
    codes = attempt("gerningskoder", lambda: loaders.load_offence_codes(codes_file))
    # Through the notes' cache entries only when validated as a note validates them: against
    # the geography (a survey year) and the catalogue (a police extract).
    survey = attempt("tryghedsundersøgelse", lambda: loaders.load_survey(
        data_dir, sources=sources,
        read_year=None if geography is None else lambda year: cached.survey_year(
            writes, data_dir, year, geography, sources)))
    police = attempt("politiets anmeldelser", lambda: loaders.load_police(
        data_dir, codes, extent=settings.police_extent, sources=sources,
        read_file=None if codes is None else lambda path: cached.police_file(
            writes, path, codes, codes_file, settings.police_extent, sources)))
    # Each table stored passed its own checks (a refused file's is not built), whatever the
    # other sources hold; the notes below read them from here.
    writes.commit()
    population = attempt("befolkning", lambda: loaders.load_population(
        data_dir, None if geography is None else set(geography["code"]), sources=sources))
    for name, frame in (("tryghedsundersøgelse", survey), ("politiets anmeldelser", police),
                        ("befolkning", population)):
        if frame is not None:
            found.rows[name] = {int(y): int(n) for y, n in
                                frame.groupby("year").size().items()}
    if police is not None:
        unplaced = police[police["x"].isna()]
        found.unlocated = {int(y): int(n) for y, n in unplaced.groupby("year").size().items()}
    if survey is not None and geography is not None:
        outside = survey["year"][geo.outside_district(survey, geography)]
        found.outside_district = {int(y): int(n) for y, n in outside.value_counts().items()}
    if survey is not None and len(survey):
        found.latest_year = int(survey["year"].max())
        for partnership in list_partnerships(config_dir):
            try:
                build_note(partnership, found.latest_year, data_dir=data_dir,
                           config_dir=config_dir, cache_dir=cache_dir)
                found.notes[partnership] = ""
            except TryghedError as err:
                found.notes[partnership] = str(err)
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
    if found.outside_district:
        lines.append("Svarpersoner med et delområde i en anden bydel end deres egen: " + ", ".join(
            f"{y}: {_number(n)}" for y, n in sorted(found.outside_district.items())))
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
            # A DataError's first line only counts its problems: each is on a line below.
            first, *more = why.splitlines() or [""]
            lines.append(f"- {partnership}: " + ("kan laves" if not why else
                                                 f"kan ikke laves: {first}"))
            lines += [f"    {line.strip()}" for line in more]
    return "\n".join(lines)
