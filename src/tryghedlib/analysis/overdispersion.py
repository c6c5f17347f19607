"""Police counts that vary more than Poisson: the dispersion, and the target test that allows
for it.

A year's reports in an area vary from year to year more than a Poisson count would (in the
example data the city's yearly series varies about 2.7 times the Poisson variance): offences
come in clusters, and reporting and police priorities shift. An exact Poisson test then calls
ordinary fluctuation "signifikant". The note's target test therefore

1. estimates the dispersion φ from the register, :func:`register_dispersion`: counts per
   sub-area × year, a log-linear model with a sub-area and a year effect (the independence
   fit of the table), Pearson X² / df, never below 1 - as R
   ``summary(glm(k ~ area + year, family = quasipoisson))$dispersion``;
2. compares the year with the baseline with the quasi-Poisson score test,
   :func:`quasi_poisson_rate_test`: given both years' total, the year's count is binomial, and
   its variance is taken φ times the binomial one - as R ``anova(..., test = "Rao",
   dispersion = phi)`` on the two-year Poisson model; its interval for the rate ratio is the
   Wilson interval of that binomial share on n / φ, the exact dual of the test;
3. says what the test could have detected, :func:`smallest_significant_count`.

Details and references in ``docs/method.md``.

>>> r = quasi_poisson_rate_test(39, 1, 26, 1, dispersion=2.7)
>>> round(r.estimate, 2), round(r.pvalue, 4)
(1.5, 0.3264)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from tryghedlib.analysis.significance import TestResult, check_alpha, wilson_interval

__all__ = ["Dispersion", "register_dispersion", "quasi_poisson_rate_test",
           "smallest_significant_count"]


@dataclass(frozen=True)
class Dispersion:
    """φ for one offence group: ``value`` = max(1, ``pearson`` / ``df``), from a table of
    ``areas`` sub-areas (those with at least one report) × ``years`` years."""

    value: float
    pearson: float
    df: int
    areas: int
    years: int


def register_dispersion(table) -> Dispersion:
    """Dispersion of a table of counts, rows the sub-areas and columns the years.

    Fitted values of the log-linear main-effects model are ``row total × column total / total``
    (its maximum-likelihood fit in closed form). Rows and columns without any report carry no
    information about the variation and are left out. Fewer than two rows or columns with
    reports leave no degrees of freedom: φ is then 1 (plain Poisson).

    >>> register_dispersion([[10, 30], [30, 10]]).value
    20.0
    """
    k = np.asarray(table, dtype=float)
    if k.ndim != 2:
        raise ValueError(f"table must be 2-D (sub-areas × years), got shape {k.shape}")
    if not np.all(np.isfinite(k)) or np.any(k < 0) or np.any(k != np.floor(k)):
        raise ValueError("table must hold counts: whole numbers >= 0")
    k = k[k.sum(axis=1) > 0][:, k.sum(axis=0) > 0]
    rows, columns = k.shape
    df = (rows - 1) * (columns - 1)
    if df == 0:
        return Dispersion(1.0, 0.0, 0, rows, columns)
    fitted = np.outer(k.sum(axis=1), k.sum(axis=0)) / k.sum()
    pearson = float(((k - fitted) ** 2 / fitted).sum())
    return Dispersion(max(1.0, pearson / df), pearson, df, rows, columns)


def quasi_poisson_rate_test(k1, exposure1, k2, exposure2, *, dispersion=1.0,
                            conf_level=0.95) -> TestResult:
    """Two-sided test of the rate ratio (k1/exposure1) / (k2/exposure2) = 1, overdispersed.

    With n = k1 + k2 and p0 = e1 / (e1 + e2): z = (k1 - n p0) / sqrt(φ n p0 (1 - p0)), the
    score (Rao) test of the two-year Poisson model with dispersion φ (R ``anova(glm(k ~
    offset(log(e)), poisson), glm(k ~ year + offset(log(e)), poisson), test = "Rao",
    dispersion = phi)``); equal to R ``prop.test(k1 / phi, n / phi, p = p0, correct =
    FALSE)``, whose Wilson interval for the share gives the rate ratio's interval
    ``p / (1 - p) × e2 / e1``. With φ = 1 it is the usual large-sample Poisson test. No
    reports in either year: p-value 1 and estimate NaN. Scalars or arrays.

    >>> r = quasi_poisson_rate_test(39, 1, 26, 1)
    >>> round(r.pvalue, 4), round(r.ci_low, 3), round(r.ci_high, 3)
    (0.1069, 0.918, 2.452)
    """
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level must be between 0 and 1, got {conf_level!r}")
    k1, e1, k2, e2, phi = (np.asarray(v, dtype=float)
                           for v in (k1, exposure1, k2, exposure2, dispersion))
    if np.any(~np.isfinite(phi) | (phi < 1)):
        raise ValueError(f"dispersion must be a number >= 1, got {dispersion!r}")
    for name, k in (("k1", k1), ("k2", k2)):
        if np.any(~np.isfinite(k) | (k < 0) | (k != np.floor(k))):
            raise ValueError(f"{name} must be a count: a whole number >= 0")
    for name, e in (("exposure1", e1), ("exposure2", e2)):
        if np.any(~np.isfinite(e) | (e <= 0)):
            raise ValueError(f"{name} must be > 0")
    k1, e1, k2, e2, phi = np.broadcast_arrays(k1, e1, k2, e2, phi)
    n = k1 + k2
    p0 = e1 / (e1 + e2)
    some = n > 0
    safe_n = np.where(some, n, 1.0)
    z = np.where(some, (k1 - n * p0) / np.sqrt(phi * safe_n * p0 * (1 - p0)), 0.0)
    pvalue = 2 * special.ndtr(-np.abs(z))
    low, high = wilson_interval(k1 / phi, safe_n / phi, conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = np.where(some, (k1 / e1) / (k2 / e2), np.nan)
        low = np.where(some, low / (1 - low) * e2 / e1, np.nan)
        high = np.where(some, high / (1 - high) * e2 / e1, np.nan)

    def out(a):
        a = np.asarray(a, dtype=float)
        return float(a) if a.ndim == 0 else a

    return TestResult(statistic=out(z), pvalue=out(pvalue), estimate=out(estimate),
                      ci_low=out(low), ci_high=out(high), method="quasi-poisson-score",
                      conf_level=conf_level)


def smallest_significant_count(k2, exposure1, exposure2, *, dispersion=1.0,
                               alpha=0.05) -> int:
    """The smallest count k1 above the baseline's rate that :func:`quasi_poisson_rate_test`
    calls significant against the baseline count ``k2``: what the test could detect.

    Solves the test's boundary (a quadratic in k1) and checks the whole numbers around it.

    >>> smallest_significant_count(23, 1, 1)   # after 23 reports, 39 (+70 %) would be needed
    39
    """
    alpha = check_alpha(alpha)
    k2, e1, e2, phi = float(k2), float(exposure1), float(exposure2), float(dispersion)
    p0 = e1 / (e1 + e2)
    q = 1 - p0
    c2 = stats.norm.isf(alpha / 2) ** 2 * phi
    # (u q - k2 p0)^2 = c2 p0 q (u + k2), larger root
    a, b, c = q * q, -(2 * q * k2 * p0 + c2 * p0 * q), (k2 * p0) ** 2 - c2 * p0 * q * k2
    root = (-b + np.sqrt(b * b - 4 * a * c)) / (2 * a)
    for u in range(max(0, int(np.floor(root)) - 2), int(np.ceil(root)) + 3):
        above = u / e1 > k2 / e2
        if above and quasi_poisson_rate_test(u, e1, k2, e2, dispersion=phi).pvalue < alpha:
            return u
    raise AssertionError("no significant count near the boundary")  # unreachable: z grows in u
