"""The report model: every number, test and table one status note needs, as plain data.

:func:`build_note` reads the raw deliveries for one partnership and year, computes with the
library and returns a :class:`StatusNote`. Nothing here is Danish prose or formatting: that is
``wording``, ``tables``, ``figures`` and ``sections``. The notebook only calls this and shows
the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from tryghedlib import cache, geography as geo, indicators, loaders, significance
from tryghedlib.provenance import sha256_file
from tryghedlib.config import Partnership, Settings, load_partnership, load_settings
from tryghedlib.errors import DataError, Problem
from tryghedlib.loaders import SafetyPlan

AREAS = ("partnership", "district", "city")


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
    notes: list[str] = field(default_factory=list)   # flaws survived, shown in the appendix


def build_note(partnership: str, report_year: int, *, data_dir: str | Path,
               config_dir: str | Path = "config", crime_year: int | None = None,
               alpha: float | None = None,
               cache_dir: str | Path | None = "data/processed") -> StatusNote:
    """Compute the status note of ``partnership`` for ``report_year`` from ``data_dir``.

    ``crime_year`` defaults to the last full year, ``report_year - 1``.
    """
    data_dir, config_dir = Path(data_dir), Path(config_dir)
    settings = load_settings(config_dir)
    config = load_partnership(partnership, config_dir)
    crime_year = report_year - 1 if crime_year is None else crime_year
    alpha = settings.alpha if alpha is None else alpha
    geography = loaders.load_geography(data_dir)
    geo.check_partnership(config, geography)
    used: list[Path] = [data_dir / "geography" / "omraader.geojson"]

    safety, survey_files = _safety(config, settings, geography, data_dir, report_year, alpha,
                                   cache_dir)
    crime, crime_files = _crime(config, settings, geography, data_dir, config_dir, report_year,
                                crime_year, cache_dir)
    plan_file = loaders.plan_path(data_dir, config.id, report_year)
    notes = []
    plan = coop = None
    if plan_file.exists():
        plan = loaders.load_safety_plan(plan_file)
        coop = indicators.cooperation(plan.lines, config.targets.cooperation_min_partners)
        used.append(plan_file)
    else:
        notes.append(f"Der findes ingen tryghedsplan for {report_year} i data "
                     f"({plan_file.name}); afsnit 3 er derfor udeladt.")
    if crime.unlocated:
        notes.append(f"{crime.unlocated} anmeldelser fra {crime_year} har ingen koordinater og "
                     f"indgår derfor ikke i tallene for nogen områder.")
    used += survey_files + crime_files
    inputs = _hashes(used, data_dir, config_dir, config)
    return StatusNote(
        partnership=config, settings=settings, report_year=report_year, crime_year=crime_year,
        district_name=geo.area_name(geography, config.district),
        city_name=geo.area_name(geography, settings.city),
        subarea_names=dict(zip(geography["code"], geography["name"])),
        area_change_year=config.area_change_year(report_year),
        safety=safety, crime=crime, cooperation=coop, plan=plan, inputs=inputs, alpha=alpha,
        notes=notes,
    )


# --- tryghed ------------------------------------------------------------------------------

def _safety(config: Partnership, settings: Settings, geography: pd.DataFrame, data_dir: Path,
            report_year: int, alpha: float, cache_dir) -> tuple[dict[str, SafetyResult], list]:
    files = loaders.survey_files(data_dir)
    if report_year not in files:
        have = ", ".join(map(str, sorted(files))) or "none"
        raise DataError([Problem(str(data_dir / "survey"), None, None,
                                 f"survey data for the report year {report_year}",
                                 f"survey years {have}")])
    years = [y for y in sorted(files) if settings.first_survey_year <= y <= report_year]
    districts = geography[geography["level"] == "district"]
    subareas = set(geography.loc[geography["level"] == "subarea", "code"])
    survey = cache.cached(
        "survey", [files[y] for y in years],
        lambda: loaders.load_survey(data_dir, years, districts=set(districts["name"]),
                                    subareas=subareas),
        cache_dir)
    district_name = geo.area_name(geography, config.district)
    groups = {
        "partnership": indicators.partnership_members(
            survey, {y: config.subareas(y) for y in years}),
        "district": survey["district"] == district_name,
        "city": pd.Series(True, index=survey.index),
    }
    shares = indicators.weighted_shares(survey, groups)
    names = {"partnership": config.name, "district": district_name,
             "city": geo.area_name(geography, settings.city)}
    shares["area_name"] = shares["area"].map(names)
    shares["shown"] = shares["n"] >= settings.min_respondents
    earlier_years = sorted({config.survey_baseline_year, report_year - 1} & set(years) - {report_year})
    results = {q: _question(shares, q, report_year, earlier_years, config) for q in
               indicators.QUESTIONS}
    if settings.p_adjust != "none":
        results = _adjust(results, settings.p_adjust)
    return results, [files[y] for y in years]


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
        # Design-adjusted pooled z-test: each share with its Kish effective n.
        comparisons[before] = significance.two_proportion_test(
            now["share"] * now["n_eff"], now["n_eff"], then["share"] * then["n_eff"],
            then["n_eff"])
        earlier[before] = float(then["share"])
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
           config_dir: Path, report_year: int, crime_year: int, cache_dir
           ) -> tuple[CrimeResult, list[Path]]:
    codes_file = config_dir / "offence_codes.csv"
    codes = loaders.load_offence_codes(codes_file)
    files = loaders.police_files(data_dir)
    police = cache.cached(
        "police", [*files, codes_file],
        lambda: loaders.load_police(data_dir, codes, extent=settings.police_extent), cache_dir)
    years = sorted(y for y in police["year"].unique() if y <= crime_year)
    if crime_year not in set(police["year"]):
        have = f"{police['year'].min()}-{police['year'].max()}"
        raise DataError([Problem(str(data_dir / "police"), None, "anmeldt_dato",
                                 f"police reports from the crime year {crime_year}",
                                 f"reports from {have}")])
    placed = geo.place_reports(police, geography, settings.city)
    today = config.subareas(report_year)
    counts = indicators.crime_counts(placed, codes, placed["subarea"].isin(today), years)
    city_counts = indicators.crime_counts(placed, codes, placed["in_city"], years)
    population_file = data_dir / "population" / "befolkning.csv"
    population = loaders.load_population(data_dir, set(geography["code"]))
    rates = pd.concat([
        _rates(counts, indicators.area_population(population, today, years,
                                                  str(population_file)),
               "partnership", config.name),
        _rates(city_counts, indicators.area_population(population, (settings.city,), years,
                                                       str(population_file)),
               "city", geo.area_name(geography, settings.city)),
    ], ignore_index=True)
    baseline = config.crime_baseline_year
    tests = {}
    if baseline < crime_year and baseline in years:
        groups = ("borgervendt", *config.targets.table_1_groups)
        tests = {g: _target_test(counts, rates, g, baseline, crime_year) for g in groups}
    unlocated = int(((placed["year"] == crime_year) & ~placed["located"]).sum())
    result = CrimeResult(rates=rates, counts=counts, baseline_year=baseline, year=crime_year,
                         target_tests=tests, unlocated=unlocated)
    return result, [*files, population_file]


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


def _hashes(files: list[Path], data_dir: Path, config_dir: Path,
            config: Partnership) -> dict[str, str]:
    configs = [config_dir / "settings.yaml", config_dir / "offence_codes.csv",
               Path(config.source)]
    hashes = {}
    for path in [*files, *configs]:
        for root in (data_dir, config_dir.parent):
            try:
                name = str(path.relative_to(root))
                break
            except ValueError:
                name = str(path)
        hashes[name] = sha256_file(path)
    return dict(sorted(hashes.items()))
