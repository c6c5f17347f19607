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

from tryghedlib import significance
from tryghedlib.errors import DataError, Problem

#: Answers that count as unsafe. The other answers on the scale count in the denominator,
#: except "Ved ikke" which, like a blank, leaves it.
UTRYG = frozenset({"Utryg", "Meget utryg"})
SAFE_OR_NEUTRAL = frozenset({"Meget tryg", "Tryg", "Hverken tryg eller utryg"})
QUESTIONS = ("neighbourhood", "evening")
CITIZEN_FACING = "borgervendt"


def unsafe(answers: pd.Series) -> np.ndarray:
    """1.0 for an unsafe answer, 0.0 for the other answers, NaN where it leaves the denominator.

    >>> unsafe(pd.Series(["Utryg", "Tryg", "Ved ikke", None, "Meget utryg"])).tolist()
    [1.0, 0.0, nan, nan, 1.0]
    """
    text = answers.astype("object")
    return np.where(text.isin(UTRYG), 1.0, np.where(text.isin(SAFE_OR_NEUTRAL), 0.0, np.nan))


def _share_row(values: np.ndarray, weights: np.ndarray) -> dict:
    valid = ~np.isnan(values)
    if not valid.any():
        return {"n": 0, "n_eff": 0.0, "share": np.nan, "se": np.nan,
                "ci_low": np.nan, "ci_high": np.nan}
    result = significance.weighted_proportion(values[valid], weights[valid])
    return {"n": int(valid.sum()), "n_eff": float(result.n_eff), "share": float(result.estimate),
            "se": float(result.se), "ci_low": float(result.ci_low),
            "ci_high": float(result.ci_high)}


def weighted_shares(survey: pd.DataFrame, groups: dict[str, pd.Series]) -> pd.DataFrame:
    """Weighted share unsafe per year, question and named group of respondents.

    ``groups`` maps an area key to a boolean mask over ``survey``'s rows. Returns one row per
    (year, area, question) with ``n`` (respondents in the denominator), ``n_eff``, ``share``,
    ``se`` (linearised) and the interval ``ci_low``/``ci_high``.
    """
    rows = []
    answers = {q: unsafe(survey[q]) for q in QUESTIONS}
    weights = survey["weight"].to_numpy(dtype=float)
    years = survey["year"].to_numpy()
    for year in np.unique(years):
        in_year = years == year
        for area, mask in groups.items():
            members = in_year & mask.to_numpy(dtype=bool)
            for question in QUESTIONS:
                row = _share_row(answers[question][members], weights[members])
                rows.append({"year": int(year), "area": area, "question": question, **row})
    return pd.DataFrame(rows)


def partnership_members(survey: pd.DataFrame, subareas_by_year: dict[int, tuple[str, ...]]
                        ) -> pd.Series:
    """Respondents living in the partnership's area as it was in their survey year."""
    member = pd.Series(False, index=survey.index)
    for year, subareas in subareas_by_year.items():
        member |= (survey["year"] == year) & survey["subarea"].isin(subareas)
    return member


# --- crime --------------------------------------------------------------------------------

def offence_groups(codes: pd.DataFrame) -> dict[str, list[int]]:
    """Offence codes per group: ``borgervendt`` and every tabel 1 and tabel 2 group."""
    groups = {CITIZEN_FACING: codes.loc[codes["citizen_facing"], "code"].tolist()}
    for column in ("table_1_group", "table_2_group"):
        for group, members in codes.dropna(subset=[column]).groupby(column)["code"]:
            groups[str(group)] = members.tolist()
    return groups


def crime_counts(police: pd.DataFrame, codes: pd.DataFrame, in_area: pd.Series,
                 years: list[int]) -> pd.DataFrame:
    """Reports per year and offence group among the reports where ``in_area`` is true.

    Every (year, group) of ``years`` is present, with 0 where no report was made.
    """
    rows = []
    selected = police[in_area.to_numpy(dtype=bool)]
    for group, members in offence_groups(codes).items():
        counts = selected.loc[selected["code"].isin(members), "year"].value_counts()
        rows += [{"year": y, "group": group, "count": int(counts.get(y, 0))} for y in years]
    return pd.DataFrame(rows)


def area_population(population: pd.DataFrame, areas: tuple[str, ...], years: list[int],
                    source: str) -> pd.Series:
    """Inhabitants of the union of ``areas`` per year; every area must have every year."""
    table = population[population["area"].isin(areas)].pivot_table(
        index="year", columns="area", values="population", aggfunc="sum")
    table = table.reindex(index=years, columns=list(areas))
    missing = [(a, y) for y in years for a in areas if pd.isna(table.at[y, a])]
    if missing:
        raise DataError([Problem(source, None, "aar/omraade",
                                 f"the population of {a} on 1 January {y}") for a, y in missing])
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
    """Count the activities (not budget-only lines) with ``min_partners`` or more partners."""
    activities = lines[lines["kind"] == "Aktivitet"]
    return Cooperation(len(activities), int((activities["n_partners"] >= min_partners).sum()),
                       min_partners)


def budget_by_year(funding: pd.DataFrame) -> pd.Series:
    """The plan's total funding (kr.) per year."""
    return funding.groupby("year")["amount"].sum().astype("int64")
