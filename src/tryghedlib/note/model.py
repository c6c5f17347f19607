"""The report model: every number, test and table one status note needs, as plain data.

:func:`build_note` reads the raw deliveries for one partnership and year, computes with the
library and returns a :class:`StatusNote`. Nothing here is Danish prose or formatting: that is
``wording``, ``tables``, ``figures`` and ``sections``. The notebook only calls this and shows
the result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from tryghedlib.sources import cache, hashes, loaders, schemas
from tryghedlib.analysis import geography as geo, indicators, significance
from tryghedlib.config import Partnership, Settings, load_partnership, load_settings
from tryghedlib.errors import ConfigError, DataError, Problem
from tryghedlib.sources.loaders import SafetyPlan

GROUP_COLUMNS = {"table_1_group": "tabel1_gruppe", "table_2_group": "tabel2_gruppe"}


@dataclass(frozen=True)
class SafetyResult:
    """Andel utrygge for one question: shares for all areas and years, and the note's tests."""

    question: str
    shares: pd.DataFrame          # year, area, area_name, question, n, n_eff, share, se, ci_*, shown
    current: float
    district: float
    city: float
    comparisons: dict[int, significance.TestResult]   # earlier year -> test of current vs it
    earlier: dict[int, float]                          # earlier year -> partnership share
    area_changed: dict[int, bool]                      # earlier year -> area differs from now

    def is_shown(self, area: str, year: int) -> bool:
        """Whether the share of ``area`` in ``year`` may be printed (disclosure rule: enough
        respondents, see settings ``disclosure.min_respondents``)."""
        rows = self.shares[(self.shares["area"] == area) & (self.shares["year"] == year)]
        return bool(len(rows)) and bool(rows["shown"].iloc[0]) and pd.notna(rows["share"].iloc[0])

    def respondents(self, area: str, year: int) -> int:
        """Respondents in the denominator of the share of ``area`` in ``year`` (0 if none)."""
        rows = self.shares[(self.shares["area"] == area) & (self.shares["year"] == year)]
        return int(rows["n"].iloc[0]) if len(rows) else 0


@dataclass(frozen=True)
class CrimeResult:
    """Police reports on today's partnership area, per year and offence group."""

    rates: pd.DataFrame           # year, area, area_name, count, population, per_1000
    counts: pd.DataFrame          # year, group, count (partnership, today's area)
    baseline_year: int
    year: int
    target_tests: dict[str, significance.TestResult]   # group -> Poisson test of year vs baseline
    unlocated: int                # reports of `year` without coordinates (in no area)

    def count(self, group: str, year: int | None = None) -> int:
        year = self.year if year is None else year
        rows = self.counts[(self.counts["group"] == group) & (self.counts["year"] == year)]
        return int(rows["count"].iloc[0])

    def rate(self, area: str, year: int | None = None) -> float:
        year = self.year if year is None else year
        rows = self.rates[(self.rates["area"] == area) & (self.rates["year"] == year)]
        return float(rows["per_1000"].iloc[0]) if len(rows) else float("nan")


@dataclass(frozen=True)
class Notice:
    """A flaw the note survives, for its appendix to state: ``kind`` says which (one of
    ``NOTICE_KINDS``), the other fields its facts; :func:`tryghedlib.note.texts.notice` words it.
    """

    kind: str
    years: tuple[int, ...] = ()
    count: int = 0
    file: str = ""


#: no plan for the year (years, file), reports without coordinates (count, years), survey
#: years missing from the figures (years), an earlier year left out of section 1 (years).
NOTICE_KINDS = ("no_plan", "unlocated_reports", "survey_gap", "no_comparison")


@dataclass(frozen=True)
class StatusNote:
    """Everything one partnership's status note for one year shows."""

    partnership: Partnership
    settings: Settings
    report_year: int
    crime_year: int
    district_name: str
    city_name: str
    subarea_names: dict[str, str]
    area_change_year: int | None
    safety: dict[str, SafetyResult]
    crime: CrimeResult
    cooperation: indicators.Cooperation | None
    plan: SafetyPlan | None
    inputs: dict[str, str]        # file (relative to data_dir or config_dir) -> SHA-256
    alpha: float
    notices: list[Notice] = field(default_factory=list)   # flaws survived, in the appendix
    survey_gaps: tuple[int, ...] = ()   # years shown in figur 1-2 without a survey file


def build_note(partnership: str, report_year: int, *, data_dir: str | Path,
               config_dir: str | Path = "config", crime_year: int | None = None,
               alpha: float | None = None,
               cache_dir: str | Path | None = "data/processed") -> StatusNote:
    """Compute the status note of ``partnership`` for ``report_year`` from ``data_dir``.

    ``crime_year`` defaults to the last full year, ``report_year - 1``.

    Every delivery the note reads is validated; the first source with problems raises a
    :class:`DataError` listing all of them (a flaw in the configuration or a parameter:
    :class:`ConfigError`). Flaws the note survives honestly (reports without coordinates, a
    missing survey year, no safety plan) are listed in ``notices`` and shown in the appendix.
    Processed tables are written to ``cache_dir`` only when the whole note could be built, so
    a refused delivery leaves the cache as it was.
    """
    data_dir, config_dir = Path(data_dir), Path(config_dir)
    settings = load_settings(config_dir)
    config = load_partnership(partnership, config_dir).for_year(report_year)
    crime_year = report_year - 1 if crime_year is None else crime_year
    alpha = settings.alpha if alpha is None else alpha
    _check_parameters(settings, report_year, crime_year, alpha)
    writes = cache.Batch(cache_dir)
    geography = loaders.load_geography(data_dir)
    _check_areas(config, settings, geography, loaders.geography_path(data_dir))
    codes_file = config_dir / "offence_codes.csv"
    codes = loaders.load_offence_codes(codes_file)
    _check_groups(config, codes, codes_file)
    # Not shown in the note (yet), but part of the delivery: a broken file is refused here
    # rather than trusted later.
    loaders.load_published_aggregates(data_dir)
    published = loaders.published_path(data_dir)
    used: list[Path] = [loaders.geography_path(data_dir),
                        *([published] if published.exists() else [])]

    safety, survey_files, survey_gaps, notices = _safety(
        config, settings, geography, data_dir, report_year, alpha, writes)
    plan_file = loaders.plan_path(data_dir, config.id, report_year)
    plan = coop = None
    if plan_file.exists():
        plan = writes.get("plan", [plan_file], lambda: loaders.load_safety_plan(plan_file),
                          kind=SafetyPlan)
        coop = indicators.cooperation(plan.lines, config.targets.cooperation_min_partners)
        used.append(plan_file)
    else:
        notices.append(Notice("no_plan", years=(report_year,), file=plan_file.name))
    crime, crime_files = _crime(config, settings, geography, data_dir, codes, codes_file,
                                report_year, crime_year, writes)
    if crime.unlocated:
        notices.append(Notice("unlocated_reports", years=(crime_year,), count=crime.unlocated))
    used += survey_files + crime_files
    inputs = _hashes(used, data_dir, config_dir, config, cache_dir)
    note = StatusNote(
        partnership=config, settings=settings, report_year=report_year, crime_year=crime_year,
        district_name=geo.area_name(geography, config.district),
        city_name=geo.area_name(geography, settings.city),
        subarea_names=dict(zip(geography["code"], geography["name"])),
        area_change_year=config.area_change_year(report_year),
        safety=safety, crime=crime, cooperation=coop, plan=plan, inputs=inputs, alpha=alpha,
        notices=notices, survey_gaps=survey_gaps,
    )
    writes.commit()
    return note


def build_note_for(parameters: Mapping[str, object]) -> StatusNote:
    """:func:`build_note` from the parameters of ``notebooks/status_note.ipynb``.

    The notebook calls this, and ``tryghed report`` calls it before starting the notebook (the
    :func:`tryghedlib.run.checks.status_note_precheck`), so both read the parameters the same way:
    ``crime_year`` 0 and ``alpha`` 0 mean the defaults, an empty ``cache_dir`` means no cache.
    Other parameters (the header fields) are ignored.
    """
    def number(name: str, kind: type, example: str):
        value = parameters.get(name) or 0
        try:
            if isinstance(value, bool) or (kind is int and isinstance(value, float)):
                raise ValueError
            return kind(value)
        except (TypeError, ValueError):
            raise ConfigError(f"parameter {name}: expected {example} (found {value!r}).") from None

    for name in ("partnership", "report_year", "data_dir", "config_dir"):
        if name not in parameters:
            raise ConfigError(f"parameter {name}: missing.")
    crime_year = number("crime_year", int, "a year such as 2020, or 0 for the report year - 1")
    alpha = number("alpha", float, "a significance level such as 0.05, or 0 for the setting")
    return build_note(
        str(parameters["partnership"]), number("report_year", int, "a year such as 2021"),
        data_dir=str(parameters["data_dir"]), config_dir=str(parameters["config_dir"]),
        crime_year=crime_year or None, alpha=alpha or None,
        cache_dir=str(parameters.get("cache_dir") or "") or None)


def _check_parameters(settings: Settings, report_year: int, crime_year: int,
                      alpha: float) -> None:
    if report_year < settings.first_survey_year:
        raise ConfigError(f"parameter year: {report_year} is before the first survey year shown "
                          f"({settings.source}: first_survey_year {settings.first_survey_year}).")
    if not 0 < alpha < 1:
        raise ConfigError(f"parameter alpha: expected a significance level between 0 and 1, "
                          f"e.g. 0.05 (found {alpha!r}).")
    if crime_year > report_year:
        raise ConfigError(f"parameter crime_year: expected a year up to the report year "
                          f"{report_year} (found {crime_year}).")


def _check_areas(config: Partnership, settings: Settings, geography: pd.DataFrame,
                 geography_file: Path) -> None:
    """The areas the configuration names must be features of the geography."""
    def codes(level: str) -> set[str]:
        return set(geography.loc[geography["level"] == level, "code"])

    unknown = sorted({s for p in config.periods for s in p.subareas} - codes("subarea"))
    if unknown:
        raise ConfigError(
            f"{config.source}: key 'periods': sub-area(s) {', '.join(unknown)} are not "
            f"sub-areas of the geography ({geography_file}); expected sub-area codes; known "
            f"sub-areas: {', '.join(sorted(codes('subarea')))}.")
    if config.district not in codes("district"):
        raise ConfigError(
            f"{config.source}: key 'district': {config.district!r} is not a district of the "
            f"geography ({geography_file}); expected one of {', '.join(sorted(codes('district')))}.")
    if settings.city not in set(geography["code"]):
        raise ConfigError(
            f"{settings.source}: key 'city': expected the code of a feature of the geography "
            f"({geography_file}), found {settings.city!r}; city features: "
            f"{', '.join(sorted(codes('city'))) or 'none'}.")


def _check_groups(config: Partnership, codes: pd.DataFrame, codes_file: Path) -> None:
    """Every offence group the partnership's tables show must exist in the catalogue."""
    for key, column in (("table_1_groups", "table_1_group"), ("table_2_groups", "table_2_group")):
        known = set(codes[column].dropna())
        unknown = [g for g in getattr(config.targets, key) if g not in known]
        if unknown:
            raise ConfigError(
                f"{config.source}: key 'targets.{key}' names the group(s) {', '.join(unknown)}, "
                f"which no offence code in {codes_file} has in column "
                f"'{GROUP_COLUMNS[column]}'; groups there: "
                f"{', '.join(sorted(known))}.")


# --- tryghed ------------------------------------------------------------------------------

def _safety(config: Partnership, settings: Settings, geography: pd.DataFrame, data_dir: Path,
            report_year: int, alpha: float, writes: cache.Batch
            ) -> tuple[dict[str, SafetyResult], list[Path], tuple[int, ...], list[Notice]]:
    files = loaders.survey_files(data_dir)
    if report_year not in files:
        have = _years_text(sorted(files))
        raise DataError([Problem(str(data_dir / "survey"), None, None,
                                 f"a file tryghedsundersoegelse_{report_year}.csv: survey data "
                                 f"for the report year {report_year} (parameter year)",
                                 f"survey years {have}")])
    years = [y for y in sorted(files) if settings.first_survey_year <= y <= report_year]
    gaps = tuple(y for y in range(settings.first_survey_year, report_year) if y not in files)
    districts = set(geography.loc[geography["level"] == "district", "name"])
    subareas = set(geography.loc[geography["level"] == "subarea", "code"])
    geography_file = loaders.geography_path(data_dir)
    # One cached table per year, validated against the geography (so the geography is part of
    # its key): a new year's delivery is the only file read. The newest file is read first.
    tables = {y: writes.get("survey", [files[y], geography_file],
                            lambda y=y: loaders.load_survey(data_dir, [y], districts=districts,
                                                            subareas=subareas))
              for y in sorted(years, reverse=True)}
    survey = pd.concat([tables[y] for y in years], ignore_index=True).astype(
        {"neighbourhood": schemas.ANSWER_SCALE, "evening": schemas.ANSWER_SCALE})
    district_name = geo.area_name(geography, config.district)
    groups = {
        "partnership": indicators.partnership_members(
            survey, {y: config.subareas(y) for y in years}),
        "district": survey["district"] == district_name,
        "city": pd.Series(True, index=survey.index),
    }
    shares = indicators.weighted_shares(survey, groups)
    if gaps:  # a year without survey data is a gap in the figures, not a line bridging it
        shares = pd.concat([shares, pd.DataFrame(
            [{"year": y, "area": a, "question": q, "n": 0, "n_eff": 0.0, "share": np.nan,
              "se": np.nan, "ci_low": np.nan, "ci_high": np.nan}
             for y in gaps for a in groups for q in indicators.QUESTIONS])], ignore_index=True)
        shares = shares.sort_values(["year", "area", "question"], kind="stable",
                                    ignore_index=True)
    names = {"partnership": config.name, "district": district_name,
             "city": geo.area_name(geography, settings.city)}
    shares["area_name"] = shares["area"].map(names)
    shares["shown"] = shares["n"] >= max(settings.min_respondents, 1)
    wanted = {config.survey_baseline_year, report_year - 1} - {report_year}
    earlier_years = sorted(wanted & set(years))
    results = {q: _question(shares, q, report_year, earlier_years, config) for q in
               indicators.QUESTIONS}
    if settings.p_adjust != "none":
        results = _adjust(results, settings.p_adjust)
    notices = [Notice("survey_gap", years=gaps)] if gaps else []
    notices += [Notice("no_comparison", years=(y,)) for y in sorted(wanted - set(years))]
    return results, [files[y] for y in years], gaps, notices


def _years_text(years: list[int] | tuple[int, ...]) -> str:
    """``2014, 2015, 2017``; ``none`` for no years."""
    return ", ".join(str(y) for y in years) or "none"


def _share(shares: pd.DataFrame, question: str, area: str, year: int) -> pd.Series:
    rows = shares[(shares["question"] == question) & (shares["area"] == area)
                  & (shares["year"] == year)]
    return rows.iloc[0]


def _question(shares: pd.DataFrame, question: str, year: int, earlier_years: list[int],
              config: Partnership) -> SafetyResult:
    now = _share(shares, question, "partnership", year)
    comparisons, earlier = {}, {}
    for before in earlier_years:
        then = _share(shares, question, "partnership", before)
        earlier[before] = float(then["share"])
        if not (now["n"] and then["n"]):
            continue  # no respondent in one of the years: nothing to test (nor to print)
        # Design-adjusted pooled z-test: each share with its Kish effective n.
        comparisons[before] = significance.two_proportion_test(
            now["share"] * now["n_eff"], now["n_eff"], then["share"] * then["n_eff"],
            then["n_eff"])
    return SafetyResult(
        question=question,
        shares=shares[shares["question"] == question].reset_index(drop=True),
        current=float(now["share"]),
        district=float(_share(shares, question, "district", year)["share"]),
        city=float(_share(shares, question, "city", year)["share"]),
        comparisons=comparisons, earlier=earlier,
        area_changed={b: config.area_changed(b, year) for b in earlier_years},
    )


def _adjust(results: dict[str, SafetyResult], method: str) -> dict[str, SafetyResult]:
    """Adjust the p-values of the whole family of comparisons in the note together."""
    keys = [(q, y) for q, r in results.items() for y in r.comparisons]
    adjusted = significance.adjust_pvalues(
        [results[q].comparisons[y].pvalue for q, y in keys], method=method)
    for (q, y), p in zip(keys, adjusted):
        results[q].comparisons[y] = replace(results[q].comparisons[y], pvalue=float(p))
    return results


# --- kriminalitet -------------------------------------------------------------------------

def _crime(config: Partnership, settings: Settings, geography: pd.DataFrame, data_dir: Path,
           codes: pd.DataFrame, codes_file: Path, report_year: int, crime_year: int,
           writes: cache.Batch) -> tuple[CrimeResult, list[Path]]:
    files = loaders.police_files(data_dir)
    population_file = data_dir / "population" / "befolkning.csv"
    population = loaders.load_population(data_dir, set(geography["code"]))
    # One cached table per extract, validated against the catalogue and police_extent (so
    # both are part of its key): a new extract is the only file read.
    extent = hashlib.sha256(repr(settings.police_extent).encode()).hexdigest()[:8]

    def read(path: Path) -> pd.DataFrame:
        return writes.get(f"police-{extent}", [path, codes_file],
                          lambda: loaders.read_police_file(path, codes, settings.police_extent))

    police = loaders.load_police(data_dir, codes, extent=settings.police_extent, read_file=read)
    present = set(indicators.distinct_years(police["year"]))
    have = f"{min(present)}-{max(present)}" if present else "none"
    if crime_year not in present:
        raise DataError([Problem(str(data_dir / "police"), None, "anmeldt_dato",
                                 f"police reports from the crime year {crime_year} (parameter "
                                 f"crime_year, by default the report year - 1)",
                                 f"reports from {have}")])
    baseline = config.crime_baseline_year
    if baseline <= crime_year and baseline not in present:
        raise DataError([Problem(str(data_dir / "police"), None, "anmeldt_dato",
                                 f"police reports from the crime baseline year {baseline} "
                                 f"({config.source}: crime_baseline_year)",
                                 f"reports from {have}")])
    first = min(present)
    missing = [y for y in range(first, crime_year + 1) if y not in present]
    if missing:
        raise DataError([Problem(str(data_dir / "police"), None, "anmeldt_dato",
                                 f"police reports from every year {first}-{crime_year}",
                                 f"no report from {_years_text(missing)}")])
    years = list(range(first, crime_year + 1))
    today = config.subareas(report_year)
    _check_population(population, [*today, settings.city], years, population_file)
    placed = geo.place_reports(police, geography, settings.city)
    counts = indicators.crime_counts(placed, codes, geo.in_subareas(placed, today), years)
    city_counts = indicators.crime_counts(placed, codes, placed["in_city"], years)
    rates = pd.concat([
        _rates(counts, indicators.area_population(population, today, years,
                                                  str(population_file)),
               "partnership", config.name),
        _rates(city_counts, indicators.area_population(population, (settings.city,), years,
                                                       str(population_file)),
               "city", geo.area_name(geography, settings.city)),
    ], ignore_index=True)
    tests = {}
    if baseline < crime_year and baseline in years:
        groups = ("borgervendt", *config.targets.table_1_groups)
        tests = {g: _target_test(counts, rates, g, baseline, crime_year) for g in groups}
    unlocated = int(((placed["year"] == crime_year) & ~placed["located"]).sum())
    result = CrimeResult(rates=rates, counts=counts, baseline_year=baseline, year=crime_year,
                         target_tests=tests, unlocated=unlocated)
    return result, [*files, population_file]


def _check_population(population: pd.DataFrame, areas: list[str], years: list[int],
                      path: Path) -> None:
    """Every area of the rates needs its population on 1 January of every year counted."""
    have = set(zip(population["area"], population["year"]))
    missing = [(a, y) for a in areas for y in years if (a, y) not in have]
    if missing:
        raise DataError([Problem(str(path), None, "aar/omraade",
                                 f"the population of {a} on 1 January {y}",
                                 f"no row with aar {y} and omraade {a}")
                         for a, y in missing[:20]])


def _rates(counts: pd.DataFrame, population: pd.Series, area: str, name: str) -> pd.DataFrame:
    citizen = counts[counts["group"] == indicators.CITIZEN_FACING].set_index("year")["count"]
    return pd.DataFrame({
        "year": citizen.index.astype("int64"), "area": area, "area_name": name,
        "count": citizen.to_numpy(), "population": population.loc[citizen.index].to_numpy(),
        "per_1000": indicators.rates_per_1000(citizen, population.loc[citizen.index]).to_numpy(),
    })


def _target_test(counts: pd.DataFrame, rates: pd.DataFrame, group: str, baseline: int,
                 year: int) -> significance.TestResult:
    """One-sided exact Poisson test: has the rate risen above the baseline year's?"""
    def count(y):
        return int(counts[(counts["group"] == group) & (counts["year"] == y)]["count"].iloc[0])

    def people(y):
        return int(rates[(rates["area"] == "partnership") & (rates["year"] == y)]
                   ["population"].iloc[0])

    return significance.poisson_rate_test(count(year), people(year), count(baseline),
                                          people(baseline), alternative="greater")


def _hashes(files: list[Path], data_dir: Path, config_dir: Path, config: Partnership,
            cache_dir: str | Path | None) -> dict[str, str]:
    """SHA-256 of every file the note read, named relative to its folder; called once every
    file was accepted, so new hashes are remembered in the cache's memo."""
    configs = [config_dir / "settings.yaml", config_dir / "offence_codes.csv",
               Path(config.source)]
    digests = hashes.file_hashes([*files, *configs], cache_dir)
    named = {}
    for path in [*files, *configs]:
        for root in (data_dir, config_dir.parent):
            try:
                name = str(path.relative_to(root))
                break
            except ValueError:
                name = str(path)
        named[name] = digests[path]
    return dict(sorted(named.items()))
