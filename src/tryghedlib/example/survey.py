"""Synthetic microdata of Københavns Tryghedsundersøgelse, 2014-2021, and published aggregates.

Respondents are drawn per stratum (each sub-area, and the rest of each district) with
post-stratification weights around 1 (lognormal noise); the partnerships' areas are oversampled.
Each respondent has a latent unease; which respondents answer ``Utryg``/``Meget utryg`` is chosen
along it, then adjusted by a few swaps so that each cell's *weighted* share hits the design of
``design.py`` (and, where the design says so, a given number of unsafe answers, i.e. an
unweighted share). Cells are tuned in order: the partnerships' areas, then the rest of each
district so that the district hits its design, and last Amager Vest so that the city does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tryghedlib.example import design
from tryghedlib.example.geography import DISTRICTS, SUBAREAS
from tryghedlib.sources.schemas import SURVEY

QUESTIONS = ("neighbourhood", "evening")
COLUMNS = tuple(SURVEY.columns)  # the contract's columns, in its order
INVALID = {"neighbourhood": (0.022, 0.014), "evening": (0.031, 0.014)}  # Ved ikke, blank
WEIGHT_SIGMA = 0.5
TOLERANCE = 0.0002  # of the cell's weight: 0.02 percentage points


def encoding(year: int) -> str:
    """Older deliveries came from Windows Excel (cp1252), newer as UTF-8 with BOM."""
    return "cp1252" if year <= 2017 else "utf-8-sig"


def weight_decimals(year: int) -> int:
    return 4 if year <= 2017 else 6


def _partnership_of(subarea: str, year: int) -> str | None:
    for pid in design.PARTNERSHIPS:
        if subarea in design.partnership_subareas(pid, year):
            return pid
    return None


@dataclass
class Stratum:
    district: str
    subarea: str        # "" for the rest of the district
    population: float
    n: int


def strata(year: int) -> list[Stratum]:
    """Sample sizes per stratum: partnerships oversampled, other sub-areas 1.5 x proportional,
    the rest of each district proportional to its population."""
    i = design.SURVEY_YEARS.index(year)
    city = design.CITY_POPULATION[year]
    base = design.BASE_SAMPLE[year]
    result = []
    for district in DISTRICTS:
        district_population = design.DISTRICT_SHARE[district] * city
        inside = [s for s, (_, d, _) in SUBAREAS.items() if d == district]
        for subarea in inside:
            population = design.SUBAREA_POPULATION[subarea][i]
            pid = _partnership_of(subarea, year)
            if pid:
                members = design.partnership_subareas(pid, year)
                total = sum(design.SUBAREA_POPULATION[s][i] for s in members)
                n = round(design.PARTNERSHIP_SAMPLE[pid][year] * population / total)
            else:
                n = round(1.5 * base * population / city)
            result.append(Stratum(district, subarea, population, n))
        rest = district_population - sum(design.SUBAREA_POPULATION[s][i] for s in inside)
        result.append(Stratum(district, "", rest, round(base * rest / city)))
    return result


def choose_unsafe(weights: np.ndarray, score: np.ndarray, share: float,
                  k: int | None = None) -> np.ndarray:
    """Mark ``k`` respondents (default: ``share`` of them) as unsafe so that their weight is
    ``share`` of the total: start with the ``k`` highest scores, then swap pairs.

    >>> w = np.array([1.0, 2.0, 1.5, 0.5]); s = np.array([3.0, 2.0, 1.0, 0.0])
    >>> choose_unsafe(w, s, 0.4).tolist()
    [False, False, True, True]
    """
    n = len(weights)
    total = weights.sum()
    goal = share * total
    k = int(round(share * n)) if k is None else k
    chosen = np.zeros(n, bool)
    chosen[np.argsort(-score, kind="stable")[:k]] = True
    for _ in range(200):
        gap = goal - weights[chosen].sum()
        if abs(gap) <= TOLERANCE * total:
            return chosen
        inside, outside = np.flatnonzero(chosen), np.flatnonzero(~chosen)
        if not len(inside) or not len(outside):
            break
        order = np.argsort(weights[outside], kind="stable")
        candidates = weights[outside][order]
        wanted = weights[inside] + gap
        pos = np.clip(np.searchsorted(candidates, wanted), 1, len(candidates) - 1)
        nearer = np.where(np.abs(candidates[pos] - wanted) < np.abs(candidates[pos - 1] - wanted),
                          pos, pos - 1)
        error = np.abs(candidates[nearer] - wanted)
        best = int(np.argmin(error))
        if error[best] >= abs(gap):
            break
        chosen[inside[best]] = False
        chosen[outside[order[nearer[best]]]] = True
    raise ValueError(f"cannot reach a weighted share of {share:.4f} with {k} of {n} respondents")


def _labels(valid: np.ndarray, unsafe: np.ndarray, score: np.ndarray,
            invalid_kind: np.ndarray) -> np.ndarray:
    """Answer texts: unsafe -> Meget utryg (the most uneasy 30 %) / Utryg; the others by score
    Hverken tryg eller utryg (28 %), Tryg (42 %), Meget tryg; invalid -> Ved ikke or blank."""
    answers = np.where(invalid_kind == 1, "Ved ikke", "").astype(object)
    for members, cuts, names in (
            (valid & unsafe, (0.30,), ("Meget utryg", "Utryg")),
            (valid & ~unsafe, (0.28, 0.70), ("Hverken tryg eller utryg", "Tryg", "Meget tryg"))):
        index = np.flatnonzero(members)
        if not len(index):
            continue
        rank = np.empty(len(index))
        rank[np.argsort(-score[index], kind="stable")] = np.arange(len(index)) / len(index)
        answers[index] = np.array(names, dtype=object)[np.searchsorted(cuts, rank, side="right")]
    return answers


def survey_year(year: int, seed: int = design.SEED) -> pd.DataFrame:
    """One year's microdata as text columns, in file order (by respondent id)."""
    rng = np.random.default_rng([seed, year, 7])
    rows = strata(year)
    n_total = sum(s.n for s in rows)
    city = design.CITY_POPULATION[year]
    district = np.concatenate([[s.district] * s.n for s in rows])
    subarea = np.concatenate([[s.subarea] * s.n for s in rows])
    base = np.concatenate([np.full(s.n, s.population / city * n_total / s.n) for s in rows])
    noise = rng.lognormal(-WEIGHT_SIGMA ** 2 / 2, WEIGHT_SIGMA, n_total)
    decimals = weight_decimals(year)
    weight = np.maximum(np.round(base * noise, decimals), 10.0 ** -decimals)
    latent = rng.standard_normal(n_total)
    partnership = np.array([_partnership_of(s, year) or "" if s else "" for s in subarea],
                           dtype=object)

    # Noise for the figures the note does not print: one draw per cell, shared by both
    # questions, of about half a standard error.
    wobble = dict(zip([*design.PARTNERSHIPS, *DISTRICTS],
                      np.random.default_rng([seed, year, 11]).standard_normal(
                          len(design.PARTNERSHIPS) + len(DISTRICTS))))

    def jitter(share: float, members: np.ndarray, key: str) -> float:
        n_eff = max((members & valid).sum() / 1.3, 1.0)
        return share + 0.5 * wobble[key] * np.sqrt(share * (1 - share) / n_eff)

    answers = {}
    for question in QUESTIONS:
        score = latent + 0.7 * rng.standard_normal(n_total)
        dont_know, blank = INVALID[question]
        draw = rng.random(n_total)
        invalid_kind = np.where(draw < dont_know, 1, np.where(draw < dont_know + blank, 2, 0))
        valid = invalid_kind == 0
        unsafe = np.zeros(n_total, bool)

        def tune(members, share, k=None):
            index = np.flatnonzero(members & valid)
            unsafe[index] = choose_unsafe(weight[index], score[index], share, k)

        for pid in design.PARTNERSHIPS:
            members = partnership == pid
            share = design.PARTNERSHIP_SHARE[pid][question][year] / 100
            if pid != design.PARTNERSHIP or (question, "partnership", year) \
                    not in design.SURVEY_TARGETS:
                share = jitter(share, members, pid)
            unweighted = design.UNWEIGHTED_SHARE.get((pid, question, year))
            k = None if unweighted is None else int(round(unweighted / 100
                                                          * (members & valid).sum()))
            tune(members, share, k)
        for code in DISTRICTS:
            if year == 2021 and code == design.CITY_ADJUSTER:
                continue
            target = design.DISTRICT_SHARE_2021[question][code] \
                * design.YEAR_FACTOR[question][year] / 100
            if (question, "district", year) not in design.SURVEY_TARGETS \
                    or code != design.PARTNERSHIPS[design.PARTNERSHIP][0]:
                target = jitter(target, district == code, code)
            _tune_rest(tune, district == code, partnership != "", valid, weight, unsafe, target)
        if year == 2021:
            city_target = design.SURVEY_TARGETS[(question, "city", 2021)] / 100
            others = (district != design.CITY_ADJUSTER) & valid
            adjuster = (district == design.CITY_ADJUSTER) & valid
            needed = (city_target * weight[valid].sum()
                      - weight[others & unsafe].sum()) / weight[adjuster].sum()
            _tune_rest(tune, district == design.CITY_ADJUSTER, partnership != "", valid, weight,
                       unsafe, needed)
        else:
            code = design.CITY_ADJUSTER
            target = jitter(design.DISTRICT_SHARE_2021[question][code]
                            * design.YEAR_FACTOR[question][year] / 100, district == code, code)
            _tune_rest(tune, district == code, partnership != "", valid, weight, unsafe, target)
        answers[question] = _labels(valid, unsafe, score, invalid_kind)

    ids = rng.choice(900_000, size=n_total, replace=False) + 100_000
    frame = pd.DataFrame({
        "respondent_id": ids.astype(str),
        "aar": str(year),
        "bydel": [DISTRICTS[d][0] for d in district],
        "delomraade": subarea,
        "vaegt": [f"{w:.{decimals}f}".replace(".", ",") for w in weight],
        "tryghed_nabolag": answers["neighbourhood"],
        "tryghed_aften": answers["evening"],
    })
    return frame.iloc[np.argsort(ids, kind="stable")].reset_index(drop=True)


def _tune_rest(tune, in_district, in_partnership, valid, weight, unsafe, target):
    """Tune the district's respondents outside every partnership so that the whole district's
    weighted share is ``target``."""
    fixed = in_district & in_partnership & valid
    rest = in_district & ~in_partnership
    total = weight[in_district & valid].sum()
    needed = (target * total - weight[fixed & unsafe].sum()) / weight[rest & valid].sum()
    tune(rest, needed)


def csv_bytes(frame: pd.DataFrame, encoding: str) -> bytes:
    """``;``-separated with CRLF line ends; no field needs quoting."""
    lines = [";".join(frame.columns)]
    for row in frame.itertuples(index=False):
        values = ["" if v is None else str(v) for v in row]
        assert not any(";" in v or '"' in v or "\n" in v for v in values)
        lines.append(";".join(values))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def survey_file_bytes(year: int, seed: int = design.SEED) -> bytes:
    return csv_bytes(survey_year(year, seed), encoding(year))


def published_bytes() -> bytes:
    rows = [{"aar": y, "omraade": a, "indikator": q, "andel": f"{s:.1f}".replace(".", ","),
             "n": n, "n_eff": f"{e:.1f}".replace(".", ",")}
            for y, a, q, s, n, e in design.PUBLISHED]
    return csv_bytes(pd.DataFrame(rows), "utf-8")


def population_bytes() -> bytes:
    rows = []
    for area in [design.CITY, *SUBAREAS]:
        for i, year in enumerate(design.SURVEY_YEARS):
            value = design.CITY_POPULATION[year] if area == design.CITY \
                else design.SUBAREA_POPULATION[area][i]
            rows.append({"aar": year, "omraade": area, "indbyggere": value})
    return csv_bytes(pd.DataFrame(rows), "utf-8")
