"""tryghedlib.analysis.overdispersion against R: the register's dispersion, the quasi-Poisson
score test of a target and what it could detect.

Each entry of R_REF is (exact R command, values R 4.2.2 printed with 17 digits), produced with
tests/r_reference.py's run_r; the command is also in the comment above it.
test_r_reference_values_are_current reruns them when Rscript is installed.
"""

from __future__ import annotations

import numpy as np
import pytest

from r_reference import rscript_available
from tryghedlib.analysis.overdispersion import (
    quasi_poisson_rate_test,
    register_dispersion,
    smallest_significant_count,
)
from tryghedlib.analysis.significance import poisson_rate_test

TABLE = [[12, 18, 9, 25, 14], [40, 31, 55, 38, 47], [5, 9, 3, 8, 11], [20, 22, 35, 17, 30]]

R_REF = {
    # R> d <- expand.grid(a = factor(1:4), y = factor(2016:2020)); d$k <- c(12, 40, 5, 20, 18, 31, 9, 22, 9, 55, 3, 35, 25, 38, 8, 17, 14, 47, 11, 30); f <- glm(k ~ a + y, family = quasipoisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)); c(summary(f)$dispersion, sum(residuals(f, 'pearson')^2), f$df.residual)
    'dispersion': (
        "d <- expand.grid(a = factor(1:4), y = factor(2016:2020)); d$k <- c(12, 40, 5, 20, 18, 31, 9, 22, 9, 55, 3, 35, 25, 38, 8, 17, 14, 47, 11, 30); f <- glm(k ~ a + y, family = quasipoisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)); c(summary(f)$dispersion, sum(residuals(f, 'pearson')^2), f$df.residual)",
        [2.0979780651372724, 25.17573678089402, 12.0],
    ),
    # R> d <- expand.grid(a = factor(1:3), y = factor(2016:2019)); d$k <- c(10, 20, 30, 11, 20, 29, 10, 21, 30, 10, 20, 31); summary(glm(k ~ a + y, family = quasipoisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)))$dispersion
    'dispersion_under': (
        'd <- expand.grid(a = factor(1:3), y = factor(2016:2019)); d$k <- c(10, 20, 30, 11, 20, 29, 10, 21, 30, 10, 20, 31); summary(glm(k ~ a + y, family = quasipoisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)))$dispersion',
        [0.026759259944856076],
    ),
    # R> k1 <- 39; k2 <- 26; phi <- 2.7; d <- data.frame(k = c(k1, k2), t = factor(c(1, 0))); a <- anova(glm(k ~ 1, family = poisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)), glm(k ~ t, family = poisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)), test = 'Rao', dispersion = phi); r <- prop.test(k1 / phi, (k1 + k2) / phi, p = 0.5, correct = FALSE); c(a[2, 'Pr(>Chi)'], r$p.value, (r$conf.int / (1 - r$conf.int)))
    'score_counts': (
        "k1 <- 39; k2 <- 26; phi <- 2.7; d <- data.frame(k = c(k1, k2), t = factor(c(1, 0))); a <- anova(glm(k ~ 1, family = poisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)), glm(k ~ t, family = poisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)), test = 'Rao', dispersion = phi); r <- prop.test(k1 / phi, (k1 + k2) / phi, p = 0.5, correct = FALSE); c(a[2, 'Pr(>Chi)'], r$p.value, (r$conf.int / (1 - r$conf.int)))",
        [0.3264414839199863, 0.32644148870870215, 0.6778157754218533, 3.3194860337968106],
    ),
    # R> k1 <- 250; e1 <- 11700; k2 <- 180; e2 <- 11631; phi <- 1.8; p0 <- e1 / (e1 + e2); d <- data.frame(k = c(k1, k2), t = factor(c(1, 0)), e = c(e1, e2)); a <- anova(glm(k ~ offset(log(e)), family = poisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)), glm(k ~ t + offset(log(e)), family = poisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)), test = 'Rao', dispersion = phi); r <- prop.test(k1 / phi, (k1 + k2) / phi, p = p0, correct = FALSE); c(a[2, 'Pr(>Chi)'], r$p.value, r$conf.int / (1 - r$conf.int) * e2 / e1)
    'score_rates': (
        "k1 <- 250; e1 <- 11700; k2 <- 180; e2 <- 11631; phi <- 1.8; p0 <- e1 / (e1 + e2); d <- data.frame(k = c(k1, k2), t = factor(c(1, 0)), e = c(e1, e2)); a <- anova(glm(k ~ offset(log(e)), family = poisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)), glm(k ~ t + offset(log(e)), family = poisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100)), test = 'Rao', dispersion = phi); r <- prop.test(k1 / phi, (k1 + k2) / phi, p = p0, correct = FALSE); c(a[2, 'Pr(>Chi)'], r$p.value, r$conf.int / (1 - r$conf.int) * e2 / e1)",
        [0.013496258010548903, 0.013496258166594298, 1.068488206639439, 1.7841347907190708],
    ),
    # R> k1 <- 4; k2 <- 0; phi <- 1.5; r <- prop.test(k1 / phi, (k1 + k2) / phi, p = 0.5, correct = FALSE); c(r$p.value, r$conf.int[1] / (1 - r$conf.int[1]))
    'score_zero_baseline': (
        'k1 <- 4; k2 <- 0; phi <- 1.5; r <- prop.test(k1 / phi, (k1 + k2) / phi, p = 0.5, correct = FALSE); c(r$p.value, r$conf.int[1] / (1 - r$conf.int[1]))',
        [0.10247043485974931, 0.6941807243386822],
    ),
    # R> k2 <- 23; phi <- 2.7; u <- 0:500; p <- sapply(u, function(k) prop.test(k / phi, (k + k2) / phi, p = 0.5, correct = FALSE)$p.value); min(u[u > k2 & p < 0.05])
    'smallest_count': (
        'k2 <- 23; phi <- 2.7; u <- 0:500; p <- sapply(u, function(k) prop.test(k / phi, (k + k2) / phi, p = 0.5, correct = FALSE)$p.value); min(u[u > k2 & p < 0.05])',
        [51.0],
    ),
    # R> k2 <- 271; e1 <- 11700; e2 <- 11631; phi <- 1.8; p0 <- e1 / (e1 + e2); u <- 0:2000; p <- sapply(u, function(k) prop.test(k / phi, (k + k2) / phi, p = p0, correct = FALSE)$p.value); min(u[u / e1 > k2 / e2 & p < 0.05])
    'smallest_count_rates': (
        'k2 <- 271; e1 <- 11700; e2 <- 11631; phi <- 1.8; p0 <- e1 / (e1 + e2); u <- 0:2000; p <- sapply(u, function(k) prop.test(k / phi, (k + k2) / phi, p = p0, correct = FALSE)$p.value); min(u[u / e1 > k2 / e2 & p < 0.05])',
        [338.0],
    ),
}

EXACT = 1e-10
FITTED = 1e-7   # R's anova(test = "Rao") works from its own fit


def test_dispersion_equals_quasipoisson_glm():
    dispersion, pearson, df = R_REF["dispersion"][1]
    result = register_dispersion(TABLE)
    assert result.value == pytest.approx(dispersion, rel=EXACT)
    assert result.pearson == pytest.approx(pearson, rel=EXACT)
    assert (result.df, result.areas, result.years) == (df, 4, 5)


def test_dispersion_is_never_below_one():
    (dispersion_r,) = R_REF["dispersion_under"][1]
    assert dispersion_r < 1
    table = np.array([[10, 11, 10, 10], [20, 20, 21, 20], [30, 29, 30, 31]])
    result = register_dispersion(table)
    assert result.value == 1.0
    assert result.pearson / result.df == pytest.approx(dispersion_r, rel=EXACT)


def test_dispersion_leaves_out_areas_and_years_without_reports():
    with_empty = np.vstack([TABLE, np.zeros(5)])
    assert register_dispersion(with_empty) == register_dispersion(TABLE)
    assert register_dispersion([[3, 4, 5]]).value == 1.0  # one area: no degrees of freedom
    with pytest.raises(ValueError, match="whole numbers"):
        register_dispersion([[1.5, 2], [3, 4]])


def test_score_test_equals_rao_test_with_dispersion():
    p_rao, p_prop, low, high = R_REF["score_counts"][1]
    result = quasi_poisson_rate_test(39, 1, 26, 1, dispersion=2.7)
    assert result.estimate == 1.5
    assert result.pvalue == pytest.approx(p_prop, rel=EXACT)
    assert result.pvalue == pytest.approx(p_rao, rel=FITTED)
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=EXACT)


def test_score_test_with_populations():
    p_rao, p_prop, low, high = R_REF["score_rates"][1]
    result = quasi_poisson_rate_test(250, 11700, 180, 11631, dispersion=1.8)
    assert result.pvalue == pytest.approx(p_prop, rel=EXACT)
    assert result.pvalue == pytest.approx(p_rao, rel=FITTED)
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=EXACT)
    assert result.alternative == "two-sided"


def test_score_test_with_no_reports_in_the_baseline_or_at_all():
    p, low = R_REF["score_zero_baseline"][1]
    result = quasi_poisson_rate_test(4, 1, 0, 1, dispersion=1.5)
    assert result.pvalue == pytest.approx(p, rel=EXACT)
    assert result.ci_low == pytest.approx(low, rel=EXACT) and result.ci_high == np.inf
    nothing = quasi_poisson_rate_test(0, 1, 0, 1)
    assert nothing.pvalue == 1.0 and np.isnan(nothing.estimate)


def test_dispersion_makes_the_test_more_cautious():
    # The example: indbrud 26 -> 39 is borderline for a plain Poisson test, not at φ 2.7.
    plain = quasi_poisson_rate_test(39, 1, 26, 1)
    assert plain.pvalue == pytest.approx(poisson_rate_test(39, 1, 26, 1).pvalue, abs=0.03)
    assert quasi_poisson_rate_test(39, 1, 26, 1, dispersion=2.7).pvalue > 3 * plain.pvalue


def test_smallest_significant_count_equals_a_search_in_r():
    (count,) = R_REF["smallest_count"][1]
    assert smallest_significant_count(23, 1, 1, dispersion=2.7) == count
    (count,) = R_REF["smallest_count_rates"][1]
    assert smallest_significant_count(271, 11700, 11631, dispersion=1.8) == count


@pytest.mark.parametrize("k2, phi", [(0, 1.0), (1, 1.0), (5, 3.0), (23, 1.0), (271, 2.7)])
def test_smallest_significant_count_is_the_boundary(k2, phi):
    k1 = smallest_significant_count(k2, 1, 1, dispersion=phi)
    assert quasi_poisson_rate_test(k1, 1, k2, 1, dispersion=phi).pvalue < 0.05
    assert quasi_poisson_rate_test(k1 - 1, 1, k2, 1, dispersion=phi).pvalue >= 0.05 or k1 - 1 <= k2


def test_clear_errors():
    with pytest.raises(ValueError, match="dispersion must be a number >= 1"):
        quasi_poisson_rate_test(3, 1, 2, 1, dispersion=0.5)
    with pytest.raises(ValueError, match="k1 must be a count"):
        quasi_poisson_rate_test(-3, 1, 2, 1)
    with pytest.raises(ValueError, match="alpha: forventet et tal mellem 0 og 1"):
        smallest_significant_count(23, 1, 1, alpha=5)


@pytest.mark.skipif(not rscript_available(), reason="Rscript is not installed")
def test_r_reference_values_are_current():
    from r_reference import run_r

    names = list(R_REF)
    for name, values in zip(names, run_r([R_REF[n][0] for n in names])):
        assert values == pytest.approx(R_REF[name][1], rel=1e-12, nan_ok=True), name
