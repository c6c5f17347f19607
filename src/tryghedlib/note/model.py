"""The report model: every number, test and table one status note needs, as plain data.

:func:`build_note` reads the raw deliveries for one partnership and year, computes with the
library and returns a :class:`StatusNote`. Nothing here is Danish prose or formatting: that is
``wording``, ``tables``, ``figures`` and ``sections``. The notebook only calls this and shows
the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from tryghedlib.sources import cache, cached, hashes, loaders, manifest, schemas
from tryghedlib.analysis import geography as geo, indicators, overdispersion, significance
from tryghedlib.config import Partnership, Settings, load_partnership, load_settings
from tryghedlib.errors import ConfigError, DataError, Problem
from tryghedlib.paths import project_path
from tryghedlib.sources.loaders import SafetyPlan

#: The catalogue's columns of the tables' groups, as delivered (for messages).
GROUP_COLUMNS = {tidy: schemas.OFFENCE_CODES.named(tidy) for tidy in ("table_1_group",
                                                                      "table_2_group")}
#: The column whose year is a report's year (for messages).
REPORTED = schemas.POLICE.named("reported")


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
    # The partnership against the rest of its district / of the city (respondents outside the
    # partnership), two independent samples; the printed averages stay the totals' shares.
    versus: dict[str, significance.TestResult] = field(default_factory=dict)  # district, city
    rest: dict[str, float] = field(default_factory=dict)           # district/city -> rest share
    # Like with like across an area change: the earlier year's area in this year, against the
    # partnership's share that year (measured on that same area).
    old_area: dict[int, significance.TestResult] = field(default_factory=dict)
    old_area_share: dict[int, float] = field(default_factory=dict)  # earlier year -> share now

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
class TargetCheck:
    """The test behind one "minimum fastholdelse" target of tabel 1: `year` against the
    baseline, two-sided, allowing for the register's overdispersion."""

    group: str
    test: significance.TestResult            # quasi-Poisson score test; estimate = rate ratio
    dispersion: overdispersion.Dispersion    # φ of the group, from counts per sub-area × year
    smallest_significant: int                # the smallest count in `year` that would have
    smallest_rise: float                     # been significant, and its rise (0.5 = +50 %)


@dataclass(frozen=True)
class CrimeResult:
    """Police reports on today's partnership area, per year and offence group."""

    rates: pd.DataFrame           # year, area, area_name, count, population, per_1000
    counts: pd.DataFrame          # year, group, count (partnership, today's area)
    baseline_year: int
    year: int
    targets: dict[str, TargetCheck]   # group -> the test of year vs baseline
    unlocated: int                # reports of `year` without coordinates (in no area)

    @property
    def target_tests(self) -> dict[str, significance.TestResult]:
        return {group: check.test for group, check in self.targets.items()}

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
#: years missing from the figures (years), an earlier year left out of section 1 (years),
#: respondents whose sub-area lies in another district than theirs (count, years), a crime
#: baseline year after the crime year, so no target is tested (years: crime year, baseline).
NOTICE_KINDS = ("no_plan", "unlocated_reports", "survey_gap", "no_comparison",
                "outside_district", "baseline_ahead")


@dataclass(frozen=True)
class Verdict:
    """One test behind the note's words; the appendix lists them all, and how many.

    kind: "development" (this year's share against an earlier year's), "old_area" (the same
    against the earlier year's area as it is this year), "district"/"city" (against the rest
    of the district/city this year) or "target" (tabel 1: the crime year against the baseline).
    """

    topic: str                  # question ("neighbourhood", "evening") or offence group
    kind: str
    year: int                   # the year of the partnership's figure
    other_year: int             # the year it is compared with (the same for areas)
    estimate: float             # the partnership's share, rate per 1000 or count
    other: float                # the figure it is compared with
    result: significance.TestResult   # p-value adjusted when settings p_adjust is set
    raw_pvalue: float


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
    tests: tuple[Verdict, ...] = ()     # every test behind the note's words
    synthetic: bool = False       # the delivery's manifest marks its data as invented


def build_note(partnership: str, report_year: int, *, data_dir: str | Path,
               config_dir: str | Path = "config", crime_year: int | None = None,
               alpha: float | None = None,
               cache_dir: str | Path | None = "data/processed") -> StatusNote:
    """Compute the status note of ``partnership`` for ``report_year`` from ``data_dir``.

    ``crime_year`` defaults to the last full year, ``report_year - 1``. Relative folders are
    found from the working folder or else the repository root (``paths.project_path``), so a
    notebook runs alike from the root (papermill) and from ``notebooks/`` (JupyterLab).

    Every delivery the note reads is validated; the first source with problems raises a
    :class:`DataError` listing all of them (a flaw in the configuration or a parameter:
    :class:`ConfigError`). Flaws the note survives honestly (reports without coordinates, a
    missing survey year, no safety plan) are listed in ``notices`` and shown in the appendix.
    Processed tables are written to ``cache_dir`` only when the whole note could be built, so
    a refused delivery leaves the cache as it was.
    """
    data_dir, config_dir = project_path(data_dir), project_path(config_dir)
    cache_dir = project_path(cache_dir) if cache_dir is not None else None
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
    # How the deliveries name things (none: the contract's names); part of every cache key of
    # a table read through it.
    sources = loaders.load_sources(config_dir / "sources.yaml")
    mapped = cached.mapping_files(sources)
    # Not shown in the note (yet), but part of the delivery: a broken file is refused here
    # rather than trusted later.
    loaders.load_published_aggregates(data_dir)
    published = loaders.published_path(data_dir)
    used: list[Path] = [loaders.geography_path(data_dir),
                        *([published] if published.exists() else [])]

    safety, survey_files, survey_gaps, notices = _safety(
        config, settings, geography, data_dir, report_year, alpha, writes, sources=sources)
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
                                report_year, crime_year, alpha, writes, sources=sources)
    if crime.unlocated:
        notices.append(Notice("unlocated_reports", years=(crime_year,), count=crime.unlocated))
    if crime.baseline_year > crime_year:
        notices.append(Notice("baseline_ahead", years=(crime_year, crime.baseline_year)))
    used += survey_files + crime_files + mapped
    safety, crime, tests = _family(safety, crime, report_year, settings.p_adjust)
    inputs = _hashes(used, data_dir, config_dir, config, cache_dir)
    note = StatusNote(
        partnership=config, settings=settings, report_year=report_year, crime_year=crime_year,
        district_name=geo.area_name(geography, config.district),
        city_name=geo.area_name(geography, settings.city),
        subarea_names=dict(zip(geography["code"], geography["name"])),
        area_change_year=config.area_change_year(report_year),
        safety=safety, crime=crime, cooperation=coop, plan=plan, inputs=inputs, alpha=alpha,
        notices=notices, survey_gaps=survey_gaps, tests=tests,
        synthetic=manifest.is_synthetic(data_dir),
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
            raise ConfigError(f"parameteren {name}: forventet {example} (fundet {value!r}).") from None

    for name in ("partnership", "report_year", "data_dir", "config_dir"):
        if name not in parameters:
            raise ConfigError(f"parameteren {name} mangler.")
    crime_year = number("crime_year", int, "et årstal som 2020 eller 0 for rapportåret - 1")
    alpha = number("alpha", float, "et signifikansniveau som 0.05 eller 0 for indstillingen")
    return build_note(
        str(parameters["partnership"]), number("report_year", int, "et årstal som 2021"),
        data_dir=str(parameters["data_dir"]), config_dir=str(parameters["config_dir"]),
        crime_year=crime_year or None, alpha=alpha or None,
        cache_dir=str(parameters.get("cache_dir") or "") or None)


def _check_parameters(settings: Settings, report_year: int, crime_year: int,
                      alpha: float) -> None:
    if report_year < settings.first_survey_year:
        raise ConfigError(f"parameteren year: {report_year} ligger før det første viste "
                          f"undersøgelsesår ({settings.source}: first_survey_year "
                          f"{settings.first_survey_year}).")
    if not 0 < alpha < 1:
        raise ConfigError(f"parameteren alpha: forventet et signifikansniveau mellem 0 og 1, "
                          f"f.eks. 0.05 (fundet {alpha!r}).")
    if crime_year > report_year:
        raise ConfigError(f"parameteren crime_year: forventet et årstal til og med rapportåret "
                          f"{report_year} (fundet {crime_year}).")


def _check_areas(config: Partnership, settings: Settings, geography: pd.DataFrame,
                 geography_file: Path) -> None:
    """The areas the configuration names must be features of the geography."""
    def codes(level: str) -> set[str]:
        return set(geography.loc[geography["level"] == level, "code"])

    unknown = sorted({s for p in config.periods for s in p.subareas} - codes("subarea"))
    if unknown:
        raise ConfigError(
            f"{config.source}, nøgle 'periods': {', '.join(unknown)} findes ikke som delområde "
            f"i geografien ({geography_file}); forventet koder for delområder; kendte "
            f"delområder: {', '.join(sorted(codes('subarea')))}.")
    if config.district not in codes("district"):
        raise ConfigError(
            f"{config.source}, nøgle 'district': {config.district!r} er ikke en bydel i "
            f"geografien ({geography_file}); forventet en af "
            f"{', '.join(sorted(codes('district')))}.")
    if settings.city not in set(geography["code"]):
        raise ConfigError(
            f"{settings.source}, nøgle 'city': forventet koden for en feature i geografien "
            f"({geography_file}) (fundet {settings.city!r}); features for byen: "
            f"{', '.join(sorted(codes('city'))) or 'ingen'}.")


def _check_groups(config: Partnership, codes: pd.DataFrame, codes_file: Path) -> None:
    """Every offence group the partnership's tables show must exist in the catalogue."""
    for key, column in (("table_1_groups", "table_1_group"), ("table_2_groups", "table_2_group")):
        known = set(codes[column].dropna())
        unknown = [g for g in getattr(config.targets, key) if g not in known]
        if unknown:
            raise ConfigError(
                f"{config.source}, nøgle 'targets.{key}': {', '.join(unknown)} findes ikke "
                f"som gruppe for nogen gerningskode i {codes_file} i kolonnen "
                f"'{GROUP_COLUMNS[column]}'; grupper dér: "
                f"{', '.join(sorted(known))}.")


# --- tryghed ------------------------------------------------------------------------------

def _safety(config: Partnership, settings: Settings, geography: pd.DataFrame, data_dir: Path,
            report_year: int, alpha: float, writes: cache.Batch, *,
            sources: loaders.mapping.Mapping | None = None
            ) -> tuple[dict[str, SafetyResult], list[Path], tuple[int, ...], list[Notice]]:
    files = loaders.survey_files(data_dir)
    if report_year not in files:
        have = _years_text(sorted(files))
        raise DataError([Problem(str(data_dir / "survey"), None, None,
                                 f"en fil tryghedsundersoegelse_{report_year}.csv: "
                                 f"undersøgelsens data for rapportåret {report_year} "
                                 f"(parameteren year)", f"undersøgelsesår {have}")])
    years = [y for y in sorted(files) if settings.first_survey_year <= y <= report_year]
    gaps = tuple(y for y in range(settings.first_survey_year, report_year) if y not in files)
    # One cached table per year (shared with tryghed check); the newest file is read first.
    tables = {y: cached.survey_year(writes, data_dir, y, geography, sources)
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
    wanted = {config.survey_baseline_year, report_year - 1} - {report_year}
    earlier_years = sorted(wanted & set(years))
    # Not in the figures: the rest of the district and the city, and the earlier years' areas
    # as they are this year, for the tests.
    this_year = survey["year"] == report_year
    member = groups["partnership"]
    extra = {"district_rest": groups["district"] & ~member, "city_rest": ~member}
    extra |= {f"old_{y}": this_year & indicators.partnership_members(
                  survey, {report_year: config.subareas(y)})
              for y in earlier_years if config.area_changed(y, report_year)}
    others = indicators.weighted_shares(survey[this_year], {k: v[this_year]
                                                            for k, v in extra.items()})
    others["shown"] = others["n"] >= max(settings.min_respondents, 1)
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
    results = {q: _question(shares, others, q, report_year, earlier_years, config)
               for q in indicators.QUESTIONS}
    notices = [Notice("survey_gap", years=gaps)] if gaps else []
    notices += [Notice("no_comparison", years=(y,)) for y in sorted(wanted - set(years))]
    outside = geo.outside_district(survey, geography)
    if outside.any():
        notices.append(Notice("outside_district", count=int(outside.sum()),
                              years=tuple(sorted(int(y) for y in set(survey["year"][outside])))))
    return results, [files[y] for y in years], gaps, notices


def _partial_years(police: pd.DataFrame, years: list[int]) -> list[str]:
    """The years among ``years`` whose reports do not run from January to December, each as
    ``2021: kun 15-06-2021 til 15-06-2021``: a stray report dated after the extract's end made
    a year of one report, counted as a whole year (a rate of 0 for the crime year)."""
    shown = police["year"].isin(years).to_numpy()
    span = police["reported"][shown].groupby(police["year"][shown]).agg(["min", "max"])
    return [f"{year}: kun {low:%d-%m-%Y} til {high:%d-%m-%Y}"
            for year, low, high in span.itertuples() if low.month != 1 or high.month != 12]


def _years_text(years: list[int] | tuple[int, ...]) -> str:
    """``2014, 2015, 2017``; ``ingen`` for no years."""
    return ", ".join(str(y) for y in years) or "ingen"


def _share(shares: pd.DataFrame, question: str, area: str, year: int) -> pd.Series:
    rows = shares[(shares["question"] == question) & (shares["area"] == area)
                  & (shares["year"] == year)]
    return rows.iloc[0]


def _question(shares: pd.DataFrame, others: pd.DataFrame, question: str, year: int,
              earlier_years: list[int], config: Partnership) -> SafetyResult:
    now = _share(shares, question, "partnership", year)
    comparisons, earlier, old_area, old_share = {}, {}, {}, {}
    for before in earlier_years:
        then = _share(shares, question, "partnership", before)
        earlier[before] = float(then["share"])
        if not (now["n"] and then["n"]):
            continue  # no respondent in one of the years: nothing to test (nor to print)
        comparisons[before] = _test(now, then)
        if config.area_changed(before, year):
            old = _share(others, question, f"old_{before}", year)
            if old["shown"] and then["n"]:
                old_area[before], old_share[before] = _test(old, then), float(old["share"])
    versus, rest = {}, {}
    for area in ("district", "city"):
        other = _share(others, question, f"{area}_rest", year)
        if now["n"] and other["shown"]:
            versus[area], rest[area] = _test(now, other), float(other["share"])
    return SafetyResult(
        question=question,
        shares=shares[shares["question"] == question].reset_index(drop=True),
        current=float(now["share"]),
        district=float(_share(shares, question, "district", year)["share"]),
        city=float(_share(shares, question, "city", year)["share"]),
        comparisons=comparisons, earlier=earlier,
        area_changed={b: config.area_changed(b, year) for b in earlier_years},
        versus=versus, rest=rest, old_area=old_area, old_area_share=old_share,
    )


def _test(first: pd.Series, second: pd.Series) -> significance.TestResult:
    """Design-adjusted pooled z-test of two shares, each on its Kish effective n."""
    return significance.two_proportion_test(
        first["share"] * first["n_eff"], first["n_eff"], second["share"] * second["n_eff"],
        second["n_eff"])


def compare_shares(now: Mapping, then: Mapping) -> significance.TestResult:
    """The note's test of a change between two shares (rows of ``weighted_shares``: ``share``
    and ``n_eff``), as the note tests its years; ``estimate`` is now - then."""
    return _test(now, then)


def _family(safety: dict[str, SafetyResult], crime: CrimeResult, year: int, method: str
            ) -> tuple[dict[str, SafetyResult], CrimeResult, tuple[Verdict, ...]]:
    """Every test behind the note's words, adjusted together when ``method`` is not "none"
    (settings ``p_adjust``), and the results with the p-values the text then uses."""
    tests = []
    for q, r in safety.items():
        if not r.is_shown("partnership", year):
            continue  # a share not shown is neither compared nor tested in the text
        shown = [y for y in r.comparisons if r.is_shown("partnership", y)]
        tests += [Verdict(q, "development", year, y, r.current, r.earlier[y],
                          r.comparisons[y], r.comparisons[y].pvalue) for y in shown]
        tests += [Verdict(q, "old_area", year, y, r.old_area_share[y], r.earlier[y],
                          r.old_area[y], r.old_area[y].pvalue) for y in r.old_area if y in shown]
        tests += [Verdict(q, a, year, year, r.current, r.rest[a], t, t.pvalue)
                  for a, t in r.versus.items()]
    for g, check in crime.targets.items():
        def figure(y, g=g):
            return crime.rate("partnership", y) if g == indicators.CITIZEN_FACING else \
                crime.count(g, y)
        tests.append(Verdict(g, "target", crime.year, crime.baseline_year, figure(crime.year),
                             figure(crime.baseline_year), check.test, check.test.pvalue))
    if method == "none" or not tests:
        return safety, crime, tuple(tests)
    adjusted = significance.adjust_pvalues([t.raw_pvalue for t in tests], method=method)
    tests = [replace(t, result=replace(t.result, pvalue=float(p)))
             for t, p in zip(tests, adjusted)]
    by_key = {(t.topic, t.kind, t.other_year): t.result for t in tests}

    def fix(q, kind, results):
        return {y: by_key.get((q, kind, y), t) for y, t in results.items()}

    safety = {q: replace(r, comparisons=fix(q, "development", r.comparisons),
                         old_area=fix(q, "old_area", r.old_area),
                         versus={a: by_key.get((q, a, year), t) for a, t in r.versus.items()})
              for q, r in safety.items()}
    crime = replace(crime, targets={g: replace(c, test=by_key[(g, "target", crime.baseline_year)])
                                    for g, c in crime.targets.items()})
    return safety, crime, tuple(tests)


# --- kriminalitet -------------------------------------------------------------------------

def _crime(config: Partnership, settings: Settings, geography: pd.DataFrame, data_dir: Path,
           codes: pd.DataFrame, codes_file: Path, report_year: int, crime_year: int,
           alpha: float, writes: cache.Batch, *,
           sources: loaders.mapping.Mapping | None = None) -> tuple[CrimeResult, list[Path]]:
    files = loaders.police_files(data_dir)
    population_file = loaders.population_path(data_dir)
    population = loaders.load_population(data_dir, set(geography["code"]), sources=sources)
    # One cached table per extract (shared with tryghed check): a new extract is the only
    # file read.
    police = loaders.load_police(
        data_dir, codes, extent=settings.police_extent,
        read_file=lambda path: cached.police_file(writes, path, codes, codes_file,
                                                  settings.police_extent, sources))
    present = set(indicators.distinct_years(police["year"]))
    have = f"{min(present)}-{max(present)}" if present else "ingen år"
    if crime_year not in present:
        raise DataError([Problem(str(data_dir / "police"), None, REPORTED,
                                 f"anmeldelser fra kriminalitetsåret {crime_year} (parameteren "
                                 f"crime_year, som standard rapportåret - 1)",
                                 f"anmeldelser fra {have}")])
    baseline = config.crime_baseline_year
    if baseline <= crime_year and baseline not in present:
        raise DataError([Problem(str(data_dir / "police"), None, REPORTED,
                                 f"anmeldelser fra basisåret for kriminalitet {baseline} "
                                 f"({config.source}: crime_baseline_year)",
                                 f"anmeldelser fra {have}")])
    first = min(present)
    missing = [y for y in range(first, crime_year + 1) if y not in present]
    if missing:
        raise DataError([Problem(str(data_dir / "police"), None, REPORTED,
                                 f"anmeldelser fra hvert år {first}-{crime_year}",
                                 f"ingen anmeldelser fra {_years_text(missing)}")])
    years = list(range(first, crime_year + 1))
    partial = _partial_years(police, years)
    if partial:
        raise DataError([Problem(str(data_dir / "police"), None, REPORTED,
                                 f"anmeldelser fra hele året, januar til december, i hvert år "
                                 f"{first}-{crime_year}",
                                 f"{'; '.join(partial)}; et udtræk, der slutter eller begynder "
                                 "midt i et år, eller en anmeldelse med forkert dato")])
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
    targets = {}
    if baseline < crime_year and baseline in years:
        groups = (indicators.CITIZEN_FACING, *config.targets.table_1_groups)
        register = indicators.crime_counts_by_subarea(placed, codes, groups, years)
        targets = {g: _target_check(counts, rates, g, baseline, crime_year,
                                    overdispersion.register_dispersion(register[g]),
                                    alpha)
                   for g in groups}
    unlocated = int(((placed["year"] == crime_year) & ~placed["located"]).sum())
    result = CrimeResult(rates=rates, counts=counts, baseline_year=baseline, year=crime_year,
                         targets=targets, unlocated=unlocated)
    return result, [*files, population_file]


def _check_population(population: pd.DataFrame, areas: list[str], years: list[int],
                      path: Path) -> None:
    """Every area of the rates needs its population on 1 January of every year counted."""
    have = set(zip(population["area"], population["year"]))
    missing = [(a, y) for a in areas for y in years if (a, y) not in have]
    if missing:
        raise DataError([Problem(str(path), None, "aar/omraade",
                                 f"indbyggertallet i {a} pr. 1. januar {y}",
                                 f"ingen række med aar {y} og omraade {a}")
                         for a, y in missing[:20]])


def _rates(counts: pd.DataFrame, population: pd.Series, area: str, name: str) -> pd.DataFrame:
    citizen = counts[counts["group"] == indicators.CITIZEN_FACING].set_index("year")["count"]
    return pd.DataFrame({
        "year": citizen.index.astype("int64"), "area": area, "area_name": name,
        "count": citizen.to_numpy(), "population": population.loc[citizen.index].to_numpy(),
        "per_1000": indicators.rates_per_1000(citizen, population.loc[citizen.index]).to_numpy(),
    })


def _target_check(counts: pd.DataFrame, rates: pd.DataFrame, group: str, baseline: int,
                  year: int, dispersion: overdispersion.Dispersion, alpha: float) -> TargetCheck:
    """Has the count (borgervendt: the rate per inhabitant) changed since the baseline year,
    beyond the register's ordinary variation? Two-sided, so that it agrees with the 95 %
    interval tabel 1 shows."""
    def count(y):
        return int(counts[(counts["group"] == group) & (counts["year"] == y)]["count"].iloc[0])

    def people(y):
        return int(rates[(rates["area"] == "partnership") & (rates["year"] == y)]
                   ["population"].iloc[0])

    # A rate target compares rates per inhabitant, a count target the counts themselves.
    e1, e2 = (people(year), people(baseline)) if group == indicators.CITIZEN_FACING else (1, 1)
    k2 = count(baseline)
    smallest = overdispersion.smallest_significant_count(k2, e1, e2, dispersion=dispersion.value,
                                                         alpha=alpha)
    rise = (smallest / e1) / (k2 / e2) - 1 if k2 else float("inf")
    return TargetCheck(
        group=group, dispersion=dispersion, smallest_significant=smallest, smallest_rise=rise,
        test=overdispersion.quasi_poisson_rate_test(count(year), e1, k2, e2,
                                                    dispersion=dispersion.value))


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
