"""Significance tests behind the words "signifikant" and "ikke signifikant" in the status notes.

Every function is vectorised: pass scalars for one comparison or NumPy arrays (broadcast against
each other) for many, and get back a frozen result whose fields are floats or arrays of the same
shape. Each result unpacks as ``statistic, pvalue = result`` and has ``significant(alpha)`` and
``to_frame()`` (one row per comparison).

Which test answers which sentence of the note (details and reasons in ``docs/method.md``):

* a survey share against an earlier year or another area -> :func:`two_proportion_test`
  (pooled z-test, equal to R ``prop.test(correct=FALSE)``), on Kish effective sizes when the
  survey is weighted (:func:`weighted_proportion` gives them);
* a police count or rate against an earlier year -> :func:`poisson_rate_test` (exact conditional
  test, equal to R ``poisson.test``), one-sided for "at least hold the 2020 level";
* a development over several years -> :func:`trend_test` (Cochran-Armitage for shares,
  quasi-Poisson log-linear trend for counts);
* many comparisons in one report -> :func:`adjust_pvalues` (off by default, as in the note).

Compare the partnership with the *rest* of its district or city, not with the total: the total
contains the partnership itself, so the two samples are not independent (the tests assume they
are) and the difference is diluted by the partnership's own share of the total. Subtract first:
``x_rest = x_district - x_partnership`` and ``n_rest = n_district - n_partnership``.

>>> statistic, pvalue = two_proportion_test(48, 300, 66, 300)
>>> round(statistic, 4), round(pvalue, 4)
(-1.8732, 0.061)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import special, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from tryghedlib.analysis.levels import check_alpha
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

__all__ = [
    "TestResult",
    "ProportionResult",
    "CountTrendResult",
    "proportion_ci",
    "weighted_proportion",
    "two_proportion_test",
    "two_proportion_test_weighted",
    "poisson_rate_test",
    "trend_test",
    "trend_test_proportions",
    "trend_test_counts",
    "adjust_pvalues",
    "check_alpha",
]

ALTERNATIVES = ("two-sided", "greater", "less")


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, eq=False, kw_only=True)
class TestResult:
    """Result of one or many comparisons (fields are floats, or arrays of one common shape).

    statistic: the test statistic (z, t or a count; see the function's docstring).
    pvalue: p-value for ``alternative``.
    estimate: the effect the confidence interval is for (a difference, ratio or slope).
    ci_low, ci_high: confidence interval at ``conf_level``; one-sided alternatives give a
        one-sided interval, its open end at the parameter's bound.
    method: short name of the test.
    alternative: "two-sided", "greater" or "less".

    To adjust a family's p-values keep everything else:
    ``dataclasses.replace(result, pvalue=adjust_pvalues(result.pvalue, "holm"))``.
    """

    __test__ = False  # not a pytest test class, despite the name

    statistic: float | np.ndarray
    pvalue: float | np.ndarray
    estimate: float | np.ndarray
    ci_low: float | np.ndarray
    ci_high: float | np.ndarray
    method: str
    alternative: str = "two-sided"
    conf_level: float = 0.95

    def __iter__(self):
        # Unpacks as (statistic, pvalue), like scipy's results.
        yield self.statistic
        yield self.pvalue

    def significant(self, alpha: float = 0.05) -> bool | np.ndarray:
        """True where ``pvalue < alpha`` (a NaN p-value is never significant)."""
        result = np.asarray(self.pvalue) < check_alpha(alpha)
        return bool(result) if result.ndim == 0 else result

    def to_frame(self) -> pd.DataFrame:
        """One row per comparison, one column per field."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        numeric = {k: np.atleast_1d(v) for k, v in values.items() if not isinstance(v, str)}
        arrays = np.broadcast_arrays(*numeric.values())
        columns = {k: np.array(a).ravel() for k, a in zip(numeric, arrays)}
        rows = arrays[0].size
        return pd.DataFrame(
            {k: columns[k] if k in columns else [v] * rows for k, v in values.items()}
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class ProportionResult(TestResult):
    """One share (``estimate``) with its interval, and a score test of ``p = p0``.

    se: standard error of the share (linearised for weighted data).
    n: respondents in the denominator.
    n_eff: Kish effective sample size (Σw)²/Σw²; equals n without weights.
    deff: design effect, as R ``svymean(..., deff = "replace")``; 1 without weights.
    """

    se: float | np.ndarray
    n: float | np.ndarray
    n_eff: float | np.ndarray
    deff: float | np.ndarray

    @property
    def x_eff(self) -> float | np.ndarray:
        """Effective count ``estimate * n_eff``: pass it with ``n_eff`` to two_proportion_test."""
        return self.estimate * self.n_eff


@dataclass(frozen=True, eq=False, kw_only=True)
class CountTrendResult(TestResult):
    """Log-linear count trend; ``estimate`` is the rate ratio per unit of ``years``.

    dispersion: quasi-Poisson dispersion used, Pearson X²/df but never below 1.
    df: residual degrees of freedom of the t reference distribution.
    """

    dispersion: float | np.ndarray
    df: float | np.ndarray


# --------------------------------------------------------------------------------------------
# Argument checks: every message names the argument and says what was expected.


def _numbers(name, value) -> np.ndarray:
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got {value!r}") from None
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite numbers (no NaN or inf)")
    return a


def _counts(name, value, *, integer: bool) -> np.ndarray:
    a = _numbers(name, value)
    if np.any(a < 0):
        raise ValueError(f"{name} must be >= 0, got a negative count")
    if integer and np.any(a != np.floor(a)):
        raise ValueError(f"{name} must be whole numbers (integer counts)")
    return a


def _sizes(name, value, *, integer: bool) -> np.ndarray:
    a = _counts(name, value, integer=integer)
    if np.any(a == 0):
        raise ValueError(f"{name} must be > 0, got 0")
    return a


def _not_above(xname, x, nname, n) -> None:
    if np.any(x > n):
        raise ValueError(f"{xname} must not exceed {nname}")


def _broadcast(**arrays) -> list[np.ndarray]:
    try:
        # Copies: broadcast views are read-only and may end up in a result.
        return [np.array(a) for a in np.broadcast_arrays(*arrays.values())]
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ValueError(f"array shapes do not match: {shapes}") from None


def _alternative(alternative: str) -> str:
    alt = alternative.replace(".", "-")  # accept R's "two.sided"
    if alt not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    return alt


def _conf_level(conf_level: float) -> float:
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level must be between 0 and 1, got {conf_level!r}")
    return conf_level


def _p0(p0: float) -> float:
    if not 0 < p0 < 1:
        raise ValueError(f"p0 must be between 0 and 1, got {p0!r}")
    return p0


def _out(a):
    """Plain float for a scalar comparison, the array otherwise."""
    a = np.asarray(a)
    return float(a) if a.ndim == 0 else a


def _z_pvalue(z, alternative):
    if alternative == "greater":
        return special.ndtr(-z)
    if alternative == "less":
        return special.ndtr(z)
    return 2 * special.ndtr(-np.abs(z))


def _t_pvalue(t, df, alternative):
    if alternative == "greater":
        return stats.t.sf(t, df)
    if alternative == "less":
        return stats.t.cdf(t, df)
    return 2 * stats.t.sf(np.abs(t), df)


# --------------------------------------------------------------------------------------------
# One share


def proportion_ci(x, n, method="wilson", conf_level=0.95, *, p0=0.5) -> ProportionResult:
    """Share ``x / n`` with its confidence interval, and a test of ``p = p0``.

    method "wilson": Wilson score interval (R ``prop.test(x, n, correct = FALSE)$conf.int``) and
    the score test, which is its exact dual: the interval excludes p0 iff pvalue < 1 - conf_level.
    method "clopper-pearson": exact interval (R ``binom.test(x, n)$conf.int``) and the central
    exact test (twice the smaller tail), again dual to the interval; R's binom.test p-value
    differs (it sums all outcomes no more likely than x).

    >>> r = proportion_ci(48, 300)
    >>> round(r.estimate, 2), round(r.ci_low, 4), round(r.ci_high, 4)
    (0.16, 0.1229, 0.2057)
    """
    conf_level, p0 = _conf_level(conf_level), _p0(p0)
    integer = method == "clopper-pearson"
    x, n = _broadcast(x=_counts("x", x, integer=integer), n=_sizes("n", n, integer=integer))
    _not_above("x", x, "n", n)
    p = x / n
    if method == "wilson":
        low, high = wilson_interval(x, n, conf_level)
        statistic = (p - p0) / np.sqrt(p0 * (1 - p0) / n)
        pvalue = _z_pvalue(statistic, "two-sided")
    elif method == "clopper-pearson":
        low, high = proportion_confint(x, n, alpha=1 - conf_level, method="beta")
        statistic = x
        tails = np.minimum(stats.binom.cdf(x, n, p0), stats.binom.sf(x - 1, n, p0))
        pvalue = np.minimum(1.0, 2 * tails)
    else:
        raise ValueError(f"method must be 'wilson' or 'clopper-pearson', got {method!r}")
    return ProportionResult(
        statistic=_out(statistic), pvalue=_out(pvalue), estimate=_out(p),
        ci_low=_out(low), ci_high=_out(high), method=method, conf_level=conf_level,
        se=_out(np.sqrt(p * (1 - p) / n)), n=_out(n), n_eff=_out(n), deff=_out(np.ones_like(p)),
    )


def weighted_proportion(values, weights, *, ci_method="wilson", conf_level=0.95, p0=0.5):
    """Weighted share of 1s in ``values`` (0/1; NaN = not in the denominator, e.g. "Ved ikke").

    Standard error by linearisation of the ratio estimator Σwy/Σw, as R ``survey::svymean`` with
    ``svydesign(ids = ~1, weights = ~w)`` (with-replacement) on the respondents with an answer.
    R's ``svymean(na.rm = TRUE)`` keeps the NaN rows as a domain, which scales the SE by
    sqrt(N/(N-1) * (n-1)/n) (N rows, n answers): negligible at survey sizes.

    The weights are sampling (post-stratification) weights, never frequency weights:
    statsmodels' ``DescrStatsW`` treats them as frequencies, so its SE depends on the weights'
    scale and is far too small when they sum to the population.

    ci_method "wilson" (default): Wilson interval on the Kish effective size
    n_eff = (Σw)²/Σw², the same footing as the effective-n test the report uses; with equal
    weights it is the unweighted Wilson interval. "logit": R ``svyciprop(~y, design)``
    (logit-scale Wald interval, t with n - 1 df). The statistic/pvalue are the score test of
    ``p = p0`` on n_eff, dual to the Wilson interval.

    2-D input: one share per row (pad rows with NaN values).

    >>> r = weighted_proportion([1, 0, 0, 1], [1.0, 1.0, 2.0, 2.0])
    >>> round(r.estimate, 4), r.n, r.n_eff
    (0.5, 4.0, 3.6)
    """
    conf_level, p0 = _conf_level(conf_level), _p0(p0)
    try:
        y, w = np.asarray(values, dtype=float), np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("values and weights must be numeric") from None
    if w.shape != y.shape and w.shape != y.shape[-1:]:
        # Broadcasting a column of weights (n, 1) against n values gives n shares of one
        # value each (or copies of the unweighted share): never what was meant.
        per_column = f" (or one weight per column, {y.shape[-1:]})" if y.ndim > 1 else ""
        raise ValueError(f"weights must have the shape of values, {y.shape}{per_column}; "
                         f"got {w.shape}")
    y, w = _broadcast(values=y, weights=w)
    answered = ~np.isnan(y)
    if np.any(answered & (y != 0) & (y != 1)):
        raise ValueError("values must be 0, 1 or NaN (not answered)")
    if np.any(answered & ~(np.isfinite(w) & (w > 0))):
        raise ValueError("weights must be finite and > 0 for every answered value")
    n = answered.sum(axis=-1).astype(float)
    if np.any(n == 0):
        raise ValueError("values has no answered (non-NaN) entries in some share")
    w = np.where(answered, w, 0.0)
    y = np.where(answered, y, 0.0)
    sum_w = w.sum(axis=-1)
    p = (w * y).sum(axis=-1) / sum_w
    # Linearised influence of each respondent on the ratio estimator; they sum to zero.
    z = w * (y - p[..., None]) / sum_w[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(n / (n - 1) * (z**2).sum(axis=-1))
        deff = se**2 * (n - 1) / (p * (1 - p))
    n_eff = sum_w**2 / (w**2).sum(axis=-1)
    if ci_method == "wilson":
        low, high = wilson_interval(p * n_eff, n_eff, conf_level)
    elif ci_method == "logit":
        low, high = _logit_ci(p, se, n - 1, conf_level)
    else:
        raise ValueError(f"ci_method must be 'wilson' or 'logit', got {ci_method!r}")
    statistic = (p - p0) / np.sqrt(p0 * (1 - p0) / n_eff)
    return ProportionResult(
        statistic=_out(statistic), pvalue=_out(_z_pvalue(statistic, "two-sided")),
        estimate=_out(p), ci_low=_out(low), ci_high=_out(high),
        method=f"weighted-{ci_method}", conf_level=conf_level,
        se=_out(se), n=_out(n), n_eff=_out(n_eff), deff=_out(deff),
    )


def wilson_interval(x, n, conf_level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``x`` successes in ``n`` trials (arrays or numbers).

    >>> low, high = wilson_interval(np.array([5.0]), np.array([10.0]))
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.2366, 0.7634)
    """
    low, high = proportion_confint(x, n, alpha=1 - conf_level, method="wilson")
    # The interval ends exactly at 0 for x = 0 and at 1 for x = n (as R gives); the formula
    # leaves a rounding error of ~1e-17 there.
    return np.where(x == 0, 0.0, low), np.where(x == n, 1.0, high)


def _logit_ci(p, se, df, conf_level):
    # svyciprop's default: Wald on the logit scale; delta method gives se / (p(1-p)).
    with np.errstate(divide="ignore", invalid="ignore"):
        half = stats.t.ppf((1 + conf_level) / 2, df) * se / (p * (1 - p))
        low, high = special.expit(special.logit(p) - half), special.expit(special.logit(p) + half)
    # At p = 0 or 1 the logit interval degenerates to the point itself.
    return np.where(np.isnan(low), p, low), np.where(np.isnan(high), p, high)


# --------------------------------------------------------------------------------------------
# Two shares


def two_proportion_test(
    x1, n1, x2, n2, *, correction=False, alternative="two-sided", method="pooled-z",
    conf_level=0.95,
) -> TestResult:
    """Compare the shares x1/n1 and x2/n2 (``estimate`` = p1 - p2).

    method "pooled-z" (default): z-test with the pooled share, identical to R
    ``prop.test(c(x1, x2), c(n1, n2), correct = FALSE)`` (its X-squared is ``statistic**2``)
    and to statsmodels ``proportions_ztest``. ``correction=True`` applies Yates' continuity
    correction, as R's default ``correct = TRUE``. When both shares are 0 (or both 1) there is
    nothing to test: statistic 0, p-value 1 (R gives NaN).
    method "fisher": Fisher's exact test (R ``fisher.test``), for small cells; ``statistic`` is
    then the sample odds ratio.

    Weighted survey data: pass effective sizes, x = share * n_eff and n = n_eff (Kish; see
    :func:`weighted_proportion`, ``ProportionResult.x_eff``). Non-integer x and n are accepted
    for "pooled-z" for this reason; with equal weights this is exactly prop.test. This is the
    form the report uses.

    The interval for p1 - p2 is Newcombe's hybrid score interval (from two Wilson intervals).
    It is not the exact dual of the test: near alpha it may include 0 while p < alpha.

    >>> r = two_proportion_test([48, 5], [300, 10], [66, 0], [300, 10])
    >>> r.significant()
    array([False,  True])
    """
    conf_level = _conf_level(conf_level)
    alternative = _alternative(alternative)
    exact = method == "fisher"
    if method not in ("pooled-z", "fisher"):
        raise ValueError(f"method must be 'pooled-z' or 'fisher', got {method!r}")
    if exact and correction:
        raise ValueError("correction applies to method='pooled-z' only")
    x1, n1, x2, n2 = _broadcast(
        x1=_counts("x1", x1, integer=exact), n1=_sizes("n1", n1, integer=exact),
        x2=_counts("x2", x2, integer=exact), n2=_sizes("n2", n2, integer=exact),
    )
    _not_above("x1", x1, "n1", n1)
    _not_above("x2", x2, "n2", n2)
    p1, p2 = x1 / n1, x2 / n2
    if exact:
        statistic, pvalue = _fisher(x1, n1, x2, n2, alternative)
        name = "fisher"
    else:
        statistic = _pooled_z(x1, n1, x2, n2, correction)
        pvalue = _z_pvalue(statistic, alternative)
        name = "pooled-z-yates" if correction else "pooled-z"
    low, high = _newcombe(x1, n1, x2, n2, conf_level, alternative)
    return TestResult(
        statistic=_out(statistic), pvalue=_out(pvalue), estimate=_out(p1 - p2),
        ci_low=_out(low), ci_high=_out(high), method=name, alternative=alternative,
        conf_level=conf_level,
    )


def _pooled_z(x1, n1, x2, n2, correction):
    pooled = (x1 + x2) / (n1 + n2)
    diff = x1 / n1 - x2 / n2
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, diff / se, 0.0)
    if correction:
        # prop.test: every cell of the 2x2 table is d = |x1 - n1*pooled| from its expectation;
        # Yates subtracts min(0.5, d) from d, so z shrinks by the factor (d - yates) / d.
        d = np.abs(diff) * n1 * n2 / (n1 + n2)
        yates = np.minimum(0.5, d)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(d > 0, z * (d - yates) / d, 0.0)
    return z


def _fisher(x1, n1, x2, n2, alternative):
    # scipy's fisher_exact takes one table at a time; exact tests are for small, few tables.
    statistic = np.empty(x1.shape)
    pvalue = np.empty(x1.shape)
    for i in np.ndindex(x1.shape):
        table = [[x1[i], n1[i] - x1[i]], [x2[i], n2[i] - x2[i]]]
        res = stats.fisher_exact(np.asarray(table, dtype=np.int64), alternative=alternative)
        statistic[i], pvalue[i] = res.statistic, res.pvalue
    return statistic, pvalue


def _newcombe(x1, n1, x2, n2, conf_level, alternative):
    # statsmodels' Newcombe interval is plain array arithmetic, so it vectorises as it is.
    # A one-sided interval is one end of the two-sided interval at twice the alpha.
    alpha = 1 - conf_level
    if alternative != "two-sided":
        alpha *= 2
    low, high = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", alpha=alpha)
    if alternative == "greater":
        high = np.ones_like(high)
    elif alternative == "less":
        low = -np.ones_like(low)
    return low, high


def two_proportion_test_weighted(
    p1, se1, p2, se2, *, alternative="two-sided", conf_level=0.95
) -> TestResult:
    """Compare two weighted shares by their linearised SEs: z = (p1 - p2) / sqrt(se1² + se2²).

    An alternative to the effective-n pooled test the report uses: it keeps the weights'
    correlation with the answers (in the SEs), but uses unpooled variances, so it does not
    reduce to prop.test when the weights are equal. Wald interval for p1 - p2.

    >>> r = two_proportion_test_weighted(0.25, 0.02, 0.16, 0.01)
    >>> round(r.statistic, 3), r.significant()
    (4.025, True)
    """
    conf_level = _conf_level(conf_level)
    alternative = _alternative(alternative)
    p1, se1, p2, se2 = _broadcast(
        p1=_numbers("p1", p1), se1=_counts("se1", se1, integer=False),
        p2=_numbers("p2", p2), se2=_counts("se2", se2, integer=False),
    )
    for name, p in (("p1", p1), ("p2", p2)):
        if np.any((p < 0) | (p > 1)):
            raise ValueError(f"{name} must be a share between 0 and 1")
    diff = p1 - p2
    se = np.sqrt(se1**2 + se2**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, diff / se, np.sign(diff) * np.inf)
    z = np.where(diff == 0, 0.0, z)
    crit = stats.norm.ppf(conf_level if alternative != "two-sided" else (1 + conf_level) / 2)
    low, high = diff - crit * se, diff + crit * se
    if alternative == "greater":
        high = np.ones_like(high)
    elif alternative == "less":
        low = -np.ones_like(low)
    return TestResult(
        statistic=_out(z), pvalue=_out(_z_pvalue(z, alternative)), estimate=_out(diff),
        ci_low=_out(low), ci_high=_out(high), method="weighted-z",
        alternative=alternative, conf_level=conf_level,
    )


# --------------------------------------------------------------------------------------------
# Police counts


def poisson_rate_test(
    k1, exposure1, k2, exposure2, *, alternative="two-sided", ratio=1.0, conf_level=0.95
) -> TestResult:
    """Exact test of the rate ratio (k1/exposure1) / (k2/exposure2) against ``ratio``.

    Identical to R ``poisson.test(c(k1, k2), c(exposure1, exposure2), r = ratio)``: a binomial
    test of k1 out of k1 + k2 with p = ratio*e1 / (ratio*e1 + e2); ``statistic`` is k1,
    ``estimate`` the rate ratio, with R's exact (Clopper-Pearson based) interval. For a target
    "at least hold the 2020 level" test the current year (1) against 2020 (2) with
    ``alternative="greater"``: a significant result means a real rise. Exposure is the
    population (rates) or 1 for plain counts. With no events in either year (k1 = k2 = 0) there
    is nothing to test: p-value 1, estimate NaN (R stops with an error).

    >>> r = poisson_rate_test(271, 11631, 236, 11580)
    >>> round(r.estimate, 4), round(r.pvalue, 4)
    (1.1433, 0.1427)
    """
    conf_level = _conf_level(conf_level)
    alternative = _alternative(alternative)
    if not (np.isfinite(ratio) and ratio > 0):
        raise ValueError(f"ratio must be > 0, got {ratio!r}")
    k1, e1, k2, e2 = _broadcast(
        k1=_counts("k1", k1, integer=True), exposure1=_sizes("exposure1", exposure1, integer=False),
        k2=_counts("k2", k2, integer=True), exposure2=_sizes("exposure2", exposure2, integer=False),
    )
    n = k1 + k2
    p_null = ratio * e1 / (ratio * e1 + e2)
    pvalue = _binom_pvalue(k1, n, p_null, alternative)
    low, high = _clopper_pearson(k1, n, conf_level, alternative)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = (k1 / e1) / (k2 / e2)
        low, high = (low / (1 - low) * e2 / e1, high / (1 - high) * e2 / e1)
    return TestResult(
        statistic=_out(k1), pvalue=_out(pvalue), estimate=_out(estimate), ci_low=_out(low),
        ci_high=_out(high), method="poisson-exact", alternative=alternative,
        conf_level=conf_level,
    )


def _clopper_pearson(x, n, conf_level, alternative):
    alpha = 1 - conf_level
    if alternative == "two-sided":
        alpha /= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(x == 0, 0.0, stats.beta.ppf(alpha, x, n - x + 1))
        high = np.where(x == n, 1.0, stats.beta.isf(alpha, x + 1, n - x))
    if alternative == "greater":
        high = np.ones_like(high)
    elif alternative == "less":
        low = np.zeros_like(low)
    return low, high


def _binom_pvalue(x, n, p, alternative):
    """Exact binomial p-value, two-sided as R's binom.test, for arrays of x, n, p."""
    if alternative == "greater":
        return np.where(n == 0, 1.0, stats.binom.sf(x - 1, n, p))
    if alternative == "less":
        return np.where(n == 0, 1.0, stats.binom.cdf(x, n, p))
    # R: add up the probabilities of all outcomes no more likely than x (relative tolerance
    # 1e-7). The pmf falls monotonically away from the mean m = n*p, so the outcomes on the far
    # side form a tail, found by bisection for all elements at once.
    d = stats.binom.pmf(x, n, p) * (1 + 1e-7)
    m = n * p
    below = x < m
    # far side above m: first i in [ceil(m), n] with pmf(i) <= d (n + 1 if none)
    # far side below m: last i in [0, floor(m)] with pmf(i) <= d (-1 if none)
    lo = np.where(below, np.ceil(m), -1.0)
    hi = np.where(below, n + 1, np.floor(m))
    for _ in range(int(np.max(n, initial=0)).bit_length() + 2):
        # below: search the smallest qualifying i; above: the largest (mid rounds up)
        mid = np.where(below, np.floor((lo + hi) / 2), np.ceil((lo + hi) / 2))
        ok = stats.binom.pmf(mid, n, p) <= d
        ok = np.where(below, ok | (mid > n), ok | (mid < 0))
        lo, hi = (
            np.where(below, np.where(ok, lo, mid + 1), np.where(ok, mid, lo)),
            np.where(below, np.where(ok, mid, hi), np.where(ok, hi, mid - 1)),
        )
    tail = np.where(below, stats.binom.sf(hi - 1, n, p), stats.binom.cdf(lo, n, p))
    near = np.where(below, stats.binom.cdf(x, n, p), stats.binom.sf(x - 1, n, p))
    pvalue = np.minimum(1.0, near + tail)
    return np.where((x == m) | (n == 0), 1.0, pvalue)


# --------------------------------------------------------------------------------------------
# Trends over several years


def trend_test_proportions(
    x, n, score=None, *, alternative="two-sided", conf_level=0.95
) -> TestResult:
    """Cochran-Armitage test for a linear trend in shares x/n over the last axis (the years).

    Identical to R ``prop.trend.test(x, n, score)``; ``statistic`` is the signed z (R's
    X-squared is ``statistic**2``). ``score`` defaults to 1, 2, ..., k like R; pass the survey
    years to get ``estimate`` as the change in the share per year (weighted least squares
    slope), with an interval from the same null variance as the test, so the two agree.
    Effective (non-integer) sizes from weighted data are accepted.

    >>> r = trend_test_proportions([66, 60, 55, 48], [300, 310, 290, 300], [2014, 2017, 2020, 2021])
    >>> round(r.statistic**2, 4), round(r.pvalue, 4)
    (2.9829, 0.0841)
    """
    conf_level = _conf_level(conf_level)
    alternative = _alternative(alternative)
    x, n = _broadcast(x=_counts("x", x, integer=False), n=_sizes("n", n, integer=False))
    _not_above("x", x, "n", n)
    if x.ndim == 0 or x.shape[-1] < 2:
        raise ValueError("x and n must hold at least 2 years along the last axis")
    k = x.shape[-1]
    s = np.arange(1.0, k + 1) if score is None else _numbers("score", score)
    if s.shape != (k,):
        raise ValueError(f"score must have one value per year ({k}), got shape {s.shape}")
    if np.all(s == s[0]):
        raise ValueError("score must not be constant")
    total_n = n.sum(axis=-1)
    pooled = x.sum(axis=-1) / total_n
    s_mean = (n * s).sum(axis=-1) / total_n
    ss = (n * (s - s_mean[..., None]) ** 2).sum(axis=-1)
    slope = (n * (x / n - pooled[..., None]) * (s - s_mean[..., None])).sum(axis=-1) / ss
    se = np.sqrt(pooled * (1 - pooled) / ss)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, slope / se, 0.0)
    crit = stats.norm.ppf(conf_level if alternative != "two-sided" else (1 + conf_level) / 2)
    low, high = slope - crit * se, slope + crit * se
    if alternative == "greater":
        high = np.full_like(high, np.inf)
    elif alternative == "less":
        low = np.full_like(low, -np.inf)
    return TestResult(
        statistic=_out(z), pvalue=_out(_z_pvalue(z, alternative)), estimate=_out(slope),
        ci_low=_out(low), ci_high=_out(high), method="cochran-armitage",
        alternative=alternative, conf_level=conf_level,
    )


def trend_test_counts(
    counts, exposure, years=None, *, alternative="two-sided", conf_level=0.95
) -> CountTrendResult:
    """Log-linear trend in counts over the last axis: quasi-Poisson GLM with log(exposure) offset.

    As R ``glm(k ~ year + offset(log(pop)), family = quasipoisson)``: the Poisson fit with
    the dispersion estimated as Pearson X²/df (statsmodels ``scale="X2"``) and a t reference
    distribution with df = k - 2. The dispersion is never taken below 1, so a series smoother
    than Poisson is not declared significant on that account (R would use its estimate < 1).
    ``estimate`` is the rate ratio per unit of ``years`` (default 0, 1, ...), with its
    t interval; ``statistic`` is t for the log slope. Needs at least 3 years.

    >>> r = trend_test_counts([310, 281, 236, 271, 305], [11200, 11350, 11580, 11631, 11700])
    >>> round(r.estimate, 4), round(r.dispersion, 2)
    (0.9818, 4.53)
    """
    conf_level = _conf_level(conf_level)
    alternative = _alternative(alternative)
    k, e = _broadcast(
        counts=_counts("counts", counts, integer=True),
        exposure=_sizes("exposure", exposure, integer=False),
    )
    if k.ndim == 0 or k.shape[-1] < 3:
        raise ValueError("counts must hold at least 3 years along the last axis")
    width = k.shape[-1]
    t_years = np.arange(float(width)) if years is None else _numbers("years", years)
    if t_years.shape != (width,):
        raise ValueError(f"years must have one value per count ({width}), got {t_years.shape}")
    if np.all(t_years == t_years[0]):
        raise ValueError("years must not be constant")
    shape = k.shape[:-1]
    rows = [_count_trend_row(k[i], e[i], t_years) for i in np.ndindex(shape)]
    slope, se, dispersion = (np.array([r[j] for r in rows]).reshape(shape) for j in range(3))
    df = np.full(shape, width - 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, slope / se, 0.0)
    t = np.where(np.isnan(slope), 0.0, t)
    pvalue = _t_pvalue(t, df, alternative)
    crit = stats.t.ppf(conf_level if alternative != "two-sided" else (1 + conf_level) / 2, df)
    low, high = np.exp(slope - crit * se), np.exp(slope + crit * se)
    if alternative == "greater":
        high = np.full_like(high, np.inf)
    elif alternative == "less":
        low = np.zeros_like(low)
    return CountTrendResult(
        statistic=_out(t), pvalue=_out(pvalue), estimate=_out(np.exp(slope)), ci_low=_out(low),
        ci_high=_out(high), method="quasi-poisson", alternative=alternative,
        conf_level=conf_level, dispersion=_out(dispersion), df=_out(df),
    )


def _count_trend_row(k, e, years):
    """(log slope, its SE, dispersion) for one series."""
    if k.sum() == 0:
        return np.nan, np.nan, 1.0  # no events at all: no trend to estimate
    # Centred years keep the intercept and slope nearly uncorrelated (stabler fit).
    design = np.column_stack([np.ones_like(years), years - years.mean()])
    # Fitted with scale 1 and X² taken afterwards: statsmodels' scale="X2" divides by X²
    # during the fit and fails on a series the line fits exactly (a flat series, X² = 0).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PerfectSeparationWarning)  # a perfect fit is fine here
        fit = sm.GLM(k, design, family=sm.families.Poisson(), offset=np.log(e)).fit(tol=1e-12)
    dispersion = max(1.0, float(fit.pearson_chi2 / fit.df_resid))
    se = np.sqrt(fit.normalized_cov_params[1, 1] * dispersion)
    return float(fit.params[1]), float(se), dispersion


def trend_test(x, size, score=None, *, kind="proportions", **options):
    """Trend over years: ``kind="proportions"`` (shares x/size, Cochran-Armitage, see
    :func:`trend_test_proportions`) or ``kind="counts"`` (counts x with exposure size,
    quasi-Poisson, see :func:`trend_test_counts`).

    >>> round(trend_test([10, 20, 30], [100, 100, 100]).pvalue, 6)
    0.000407
    >>> trend_test([310, 281, 236, 271, 305], [11200, 11350, 11580, 11631, 11700], kind="counts").df
    3.0
    """
    if kind == "proportions":
        return trend_test_proportions(x, size, score, **options)
    if kind == "counts":
        return trend_test_counts(x, size, score, **options)
    raise ValueError(f"kind must be 'proportions' or 'counts', got {kind!r}")


# --------------------------------------------------------------------------------------------
# Many comparisons

_R_METHODS = {"BH": "fdr_bh", "fdr": "fdr_bh", "BY": "fdr_by", "hochberg": "simes-hochberg"}


def adjust_pvalues(p, method="holm") -> np.ndarray:
    """Adjust a family of p-values for multiple comparisons, as R ``p.adjust(p, method)``.

    method: "holm" (default), "bonferroni", "hochberg", "hommel", "BH"/"fdr", "BY", "none",
    or any statsmodels ``multipletests`` name. NaN entries are left out of the family and
    stay NaN, like R's NA. Returns an array of the input's shape.

    >>> adjust_pvalues([0.01, 0.04, 0.03])
    array([0.03, 0.06, 0.06])
    """
    p = np.asarray(p, dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must hold p-values between 0 and 1 (or NaN)")
    out = p.copy()
    present = ~np.isnan(p)
    if method == "none" or not present.any():
        return out
    try:
        out[present] = multipletests(p[present], method=_R_METHODS.get(method, method))[1]
    except ValueError:
        raise ValueError(f"method {method!r} is not a p-value adjustment method") from None
    return out

