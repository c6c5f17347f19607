"""The note's derived figures, each defined once.

- *Andel utrygge*: weighted share of respondents answering ``Utryg`` or ``Meget utryg``, per
  area, year and question, with n, Kish effective n and a 95 % interval.
- *Borgervendt kriminalitet*: reports whose offence code is flagged borgervendt in the
  catalogue, per year on a given set of sub-areas, and per 1000 inhabitants.
- Counts per offence group of tabel 1 and tabel 2, the share of plan activities with two or
  more partners, and the plan's budget per year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tryghedlib.analysis import significance
from tryghedlib.errors import DataError, Problem
from tryghedlib.sources.schemas import ANSWERS, DONT_KNOW
from tryghedlib.parallel import map_spans

#: Answers that count as unsafe. The other answers on the scale count in the denominator,
#: except "Ved ikke" which, like a blank, leaves it.
UTRYG = frozenset({"Utryg", "Meget utryg"})
SAFE_OR_NEUTRAL = frozenset(ANSWERS) - UTRYG - {DONT_KNOW}
QUESTIONS = ("neighbourhood", "evening")
CITIZEN_FACING = "borgervendt"
CHUNK = 1 << 16  # rows handled at a time


def unsafe(answers: pd.Series) -> np.ndarray:
    """1.0 for an unsafe answer, 0.0 for the other answers, NaN where it leaves the denominator.

    >>> unsafe(pd.Series(["Utryg", "Tryg", "Ved ikke", None, "Meget utryg"])).tolist()
    [1.0, 0.0, nan, nan, 1.0]
    """
    if isinstance(answers.dtype, pd.CategoricalDtype):  # recode the categories, not the rows
        recoded = np.append(unsafe(pd.Series(answers.cat.categories, dtype=object)), np.nan)
        return recoded[answers.cat.codes.to_numpy()]  # code -1 (blank) picks the NaN
    text = answers.astype("object")
    return np.where(text.isin(UTRYG), 1.0, np.where(text.isin(SAFE_OR_NEUTRAL), 0.0, np.nan))


SHARE_COLUMNS = ("n", "n_eff", "share", "se", "ci_low", "ci_high")


def group_shares(values: np.ndarray, weights: np.ndarray, group: np.ndarray,
                 groups: int) -> dict[str, np.ndarray]:
    """:func:`significance.weighted_proportion` of each group's answered values, for many
    groups at once, with exactly the same numbers.

    ``values`` are 1, 0 or NaN (not answered), ``group`` the group of each value (0 to
    ``groups - 1``; -1 for none). Returns arrays of length ``groups``: ``n`` (answers),
    ``n_eff`` (Kish), ``share``, ``se`` (linearised, with-replacement) and the Wilson interval
    ``ci_low``/``ci_high`` on ``n_eff``; a group without answers has n 0, n_eff 0 and NaN
    for the rest. The answers are sorted by group once (keeping their order within a group)
    and each group's sums are taken as ``weighted_proportion`` takes them, so the results are
    equal to the bit (tests/test_indicators.py); only the Python overhead per group is gone.
    """
    answered = np.flatnonzero(~np.isnan(values) & (group >= 0))
    small = np.int16 if groups < 2**15 else np.int64
    order = answered[np.argsort(group[answered].astype(small), kind="stable")]  # radix sort
    y, w, sorted_group = values[order], weights[order], group[order]
    if np.any(~(np.isfinite(w) & (w > 0))):
        raise ValueError("weights must be finite and > 0 for every answered value")
    bounds = np.searchsorted(sorted_group, np.arange(groups + 1))
    out = {"n": np.diff(bounds).astype(np.int64), "n_eff": np.zeros(groups),
           **{k: np.full(groups, np.nan) for k in ("share", "se")}}
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in np.flatnonzero(out["n"]):
            ws, ys = w[bounds[k]:bounds[k + 1]], y[bounds[k]:bounds[k + 1]]
            n = np.float64(len(ws))
            # The steps of weighted_proportion, on one group's answers.
            sum_w = ws.sum()
            p = (ws * ys).sum() / sum_w
            z = ws * (ys - p) / sum_w
            out["share"][k] = p
            out["se"][k] = np.sqrt(n / (n - 1) * (z**2).sum())
            out["n_eff"][k] = sum_w**2 / (ws**2).sum()
    some = out["n"] > 0
    out["ci_low"], out["ci_high"] = np.full(groups, np.nan), np.full(groups, np.nan)
    if some.any():
        x, size = out["share"][some] * out["n_eff"][some], out["n_eff"][some]
        out["ci_low"][some], out["ci_high"][some] = significance.wilson_interval(x, size, 0.95)
    return out


def weighted_shares(survey: pd.DataFrame, groups: dict[str, pd.Series]) -> pd.DataFrame:
    """Weighted share unsafe per year, question and named group of respondents.

    ``groups`` maps an area key to a boolean mask over ``survey``'s rows. Returns one row per
    (year, area, question) with ``n`` (respondents in the denominator), ``n_eff``, ``share``,
    ``se`` (linearised) and the interval ``ci_low``/``ci_high``.
    """
    years, year_index = _small_factorize(survey["year"].to_numpy())
    weights = survey["weight"].to_numpy(dtype=float)
    answers = {q: unsafe(survey[q]) for q in QUESTIONS}
    result = {}
    for area, mask in groups.items():
        group = np.where(mask.to_numpy(dtype=bool), year_index, -1)
        for question in QUESTIONS:
            result[area, question] = group_shares(answers[question], weights, group, len(years))
    rows = [{"year": int(year), "area": area, "question": question,
             **{k: _scalar(result[area, question][k][i]) for k in SHARE_COLUMNS}}
            for i, year in enumerate(years) for area in groups for question in QUESTIONS]
    return pd.DataFrame(rows)


def weighted_shares_by(survey: pd.DataFrame, column: str) -> pd.DataFrame:
    """:func:`weighted_shares` for every value of ``column`` (e.g. ``subarea``, ``district``)
    at once: one row per (year, area, question) for each area with respondents in a year;
    respondents with a blank ``column`` count in no area."""
    years, year_index = _small_factorize(survey["year"].to_numpy())
    codes, areas = pd.factorize(survey[column], sort=True)
    group = np.where(codes >= 0, year_index * len(areas) + codes, -1)
    present = np.bincount(group[group >= 0], minlength=len(years) * len(areas)) > 0
    weights = survey["weight"].to_numpy(dtype=float)
    parts = []
    for question in QUESTIONS:
        stats = group_shares(unsafe(survey[question]), weights, group, len(years) * len(areas))
        parts.append(pd.DataFrame({
            "year": np.repeat(years.astype(np.int64), len(areas)),
            "area": np.tile(np.asarray(areas, dtype=object), len(years)),
            "question": question, **stats})[present])
    order = ["year", "area", "question"]
    return pd.concat(parts).sort_values(order, kind="stable").reset_index(drop=True)


def _small_factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for integers of a small range (years),
    by counting instead of sorting."""
    values = np.asarray(values)
    if len(values) == 0 or values.dtype.kind not in "iu" or np.ptp(values) > 100_000:
        return np.unique(values, return_inverse=True)
    low = values.min()
    offset = (values - low).astype(np.intp)
    present = np.flatnonzero(np.bincount(offset))
    position = np.zeros(len(present) and present[-1] + 1, dtype=np.intp)
    position[present] = np.arange(len(present))
    return (present + low).astype(values.dtype), position[offset]


def _scalar(value):
    return int(value) if isinstance(value, np.integer) else float(value)


def partnership_members(survey: pd.DataFrame, subareas_by_year: dict[int, tuple[str, ...]]
                        ) -> pd.Series:
    """Respondents living in the partnership's area as it was in their survey year."""
    codes, names = pd.factorize(survey["subarea"])  # -1 for a blank sub-area
    years = survey["year"].to_numpy()
    member = np.zeros(len(survey), dtype=bool)
    for year, subareas in subareas_by_year.items():
        inside = np.append(np.isin(np.asarray(names, dtype=object), list(subareas)), False)
        member |= (years == year) & inside[codes]
    return pd.Series(member, index=survey.index)


# --- crime --------------------------------------------------------------------------------

def offence_groups(codes: pd.DataFrame) -> dict[str, list[int]]:
    """Offence codes per group: ``borgervendt`` and every tabel 1 and tabel 2 group."""
    groups = {CITIZEN_FACING: codes.loc[codes["citizen_facing"], "code"].tolist()}
    for column in ("table_1_group", "table_2_group"):
        members: dict[str, list[int]] = {}
        for group, code in zip(codes[column].tolist(), codes["code"].tolist()):
            if not pd.isna(group):
                members.setdefault(str(group), []).append(code)
        groups.update(sorted(members.items()))
    return groups


def distinct_years(years) -> list[int]:
    """The distinct years, ascending: a count per year from the first, as a register's millions
    of rows hold a few dozen years at most.

    >>> distinct_years(np.array([2020, 2018, 2020]))
    [2018, 2020]
    """
    years = np.asarray(years, dtype=np.int64)
    if len(years) == 0:
        return []
    first = int(years.min())
    return (np.flatnonzero(np.bincount(years - first)) + first).tolist()


def crime_counts(police: pd.DataFrame, codes: pd.DataFrame, in_area,
                 years: list[int]) -> pd.DataFrame:
    """Reports per year and offence group among the reports where ``in_area`` (booleans, one per
    report) is true.

    Every (year, group) of ``years`` is present, with 0 where no report was made. One pass:
    reports are counted per (year, code) and the codes summed into their groups.
    """
    groups = offence_groups(codes)
    years = list(years)
    members = [np.asarray(m, dtype=np.int64) for m in groups.values()]
    catalogue = np.unique(np.concatenate([*members, np.zeros(0, np.int64)]))
    known = np.unique(np.asarray(years, dtype=np.int64))
    selected = np.asarray(in_area, dtype=bool)
    codes, years_ = police["code"].to_numpy(dtype=np.int64), police["year"].to_numpy(dtype=np.int64)

    # Unknown codes and years count in an extra last column and row, dropped at the end.
    size = (len(known) + 1) * (len(catalogue) + 1)

    def count(start: int, stop: int) -> np.ndarray:
        table = np.zeros(size, dtype=np.int64)
        for begin in range(start, stop, CHUNK):  # chunks that fit the CPU caches
            end = min(begin + CHUNK, stop)
            rows = selected[begin:end]
            code, year = codes[begin:end], years_[begin:end]
            if np.count_nonzero(rows) < len(rows) // 2:  # a small area: take its rows first
                code, year, rows = code[rows], year[rows], None
            key = _positions(year, known, len(known))
            key *= len(catalogue) + 1
            key += _positions(code, catalogue, len(catalogue))
            table += np.bincount(key if rows is None else key[rows], minlength=size)
        return table

    tables = map_spans(count, len(selected), CHUNK)
    table = np.sum([np.zeros(size, np.int64), *tables], axis=0)
    table = table.reshape(len(known) + 1, len(catalogue) + 1)[:-1, :-1]
    membership = np.zeros((len(catalogue), len(groups)), dtype=np.int64)
    for j, member in enumerate(members):
        membership[np.searchsorted(catalogue, np.unique(member)), j] = 1
    counts = table @ membership
    row = {y: i for i, y in enumerate(known.tolist())}
    return pd.DataFrame([{"year": y, "group": group, "count": int(counts[row[int(y)], j])}
                         for j, group in enumerate(groups) for y in years])


def crime_counts_by_subarea(placed: pd.DataFrame, codes: pd.DataFrame, groups,
                            years: list[int]) -> dict[str, np.ndarray]:
    """Reports per sub-area × year for each offence group of ``groups``: {group: array of
    shape (sub-areas, years)}, over every sub-area of ``placed["subarea"]``'s categories
    (reports placed by ``geography.place_reports``; those in no sub-area are left out).

    The register's own variation, from which ``overdispersion.register_dispersion`` estimates
    how much more than Poisson the counts vary.
    """
    members = offence_groups(codes)
    unknown = [g for g in groups if g not in members]
    if unknown:
        raise ValueError(f"groups {unknown} are not offence groups of the catalogue")
    subarea = placed["subarea"].cat.codes.to_numpy(dtype=np.int64)
    known = np.asarray(sorted(years), dtype=np.int64)
    year = _positions(placed["year"].to_numpy(dtype=np.int64), known)
    code = placed["code"].to_numpy(dtype=np.int64)
    areas = len(placed["subarea"].cat.categories)
    keep = (subarea >= 0) & (year >= 0)
    out = {}
    for group in groups:
        rows = keep & np.isin(code, members[group])
        flat = np.bincount(subarea[rows] * len(known) + year[rows], minlength=areas * len(known))
        out[group] = flat.reshape(areas, len(known))
    return out


def _positions(values: np.ndarray, sorted_values: np.ndarray, missing: int = -1) -> np.ndarray:
    """Each value's position in ``sorted_values`` (distinct), or ``missing`` where it is not
    there."""
    if len(sorted_values) == 0 or len(values) == 0:
        return np.full(len(values), missing, dtype=np.intp)
    low, high = int(sorted_values[0]), int(sorted_values[-1])
    if high - low < 1_000_000:  # a lookup table beats a binary search
        # missing at both ends: values out of range are clipped onto them
        table = np.full(high - low + 3, missing, dtype=np.intp)
        table[sorted_values - low + 1] = np.arange(len(sorted_values))
        return np.take(table, values - (low - 1), mode="clip")
    at = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return np.where(sorted_values[at] == values, at, missing)


def area_population(population: pd.DataFrame, areas: tuple[str, ...], years: list[int],
                    source: str) -> pd.Series:
    """Inhabitants of the union of ``areas`` per year; every area must have every year."""
    table = population[population["area"].isin(areas)].pivot_table(
        index="year", columns="area", values="population", aggfunc="sum")
    table = table.reindex(index=years, columns=list(areas))
    missing = [(a, y) for y in years for a in areas if pd.isna(table.at[y, a])]
    if missing:
        raise DataError([Problem(source, None, "aar/omraade",
                                 f"indbyggertallet i {a} pr. 1. januar {y}") for a, y in missing])
    return table.sum(axis=1).astype("int64")


def rates_per_1000(counts: pd.Series, population: pd.Series) -> pd.Series:
    """Reports per 1000 inhabitants.

    >>> rates_per_1000(pd.Series([271]), pd.Series([11630])).round(1).tolist()
    [23.3]
    """
    return counts / population * 1000


# --- safety plan --------------------------------------------------------------------------

@dataclass(frozen=True)
class Cooperation:
    """How many of the plan's activities involve at least ``min_partners`` partners."""

    activities: int
    with_partners: int
    min_partners: int

    @property
    def share(self) -> float:
        return self.with_partners / self.activities if self.activities else float("nan")


def cooperation(lines: pd.DataFrame, min_partners: int) -> Cooperation:
    """Count the activities (not budget-only lines) with ``min_partners`` or more distinct
    partners (:func:`distinct_partners`)."""
    activities = lines[lines["kind"] == "Aktivitet"]
    partners = activities["partners"].map(lambda names: len(distinct_partners(names)))
    return Cooperation(len(activities), int((partners >= min_partners).sum()), min_partners)


def distinct_partners(names) -> set[str]:
    """The distinct partners among ``names``: a name written twice, in other case or with
    other spacing, is one partner ("Play; Play", "Tingbjerg Skole; tingbjerg  skole").

    >>> sorted(distinct_partners(["Tingbjerg Skole", "tingbjerg  skole", "Play", "PLAY"]))
    ['play', 'tingbjergskole']
    """
    return {"".join(str(name).split()).casefold() for name in names} - {""}


def budget_by_year(funding: pd.DataFrame) -> pd.Series:
    """The plan's total funding (kr.) per year."""
    return funding.groupby("year")["amount"].sum().astype("int64")
