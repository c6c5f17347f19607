"""Danish wording of the appendix's method part: the tests behind the note's verdicts, what
they could detect, and the box on reading "signifikant" (for the partnership's readers).

Numbers are formatted by :mod:`tryghedlib.note.wording`, whose rules hold here too.
"""

from __future__ import annotations

import math

from tryghedlib.analysis.levels import check_alpha
from tryghedlib.note.wording import (
    fmt_decimal, fmt_int, fmt_percent, fmt_percent_change, round_half_up,
)

__all__ = [
    "fmt_p", "target_test_method", "detectable_rise", "SIGNIFICANCE_BOX_TITLE",
    "significance_box", "survey_test_method", "TEST_TOPICS", "comparison_label",
    "share_difference", "yes_no",
]


def fmt_p(pvalue) -> str:
    """A p-value as the appendix prints it: two significant decimals, small ones as "<0,001".

    >>> fmt_p(0.32644), fmt_p(0.0412), fmt_p(0.0004), fmt_p(1.0)
    ('0,33', '0,041', '<0,001', '1,00')
    """
    if pvalue < 0.001:
        return "<0,001"
    return fmt_decimal(pvalue, 2 if pvalue >= 0.095 else 3)


def target_test_method(baseline_year, year) -> str:
    """The appendix's account of the target test behind tabel 1, for the partnership's readers."""
    return (
        f"Målene i tabel 1 (minimum fastholdelse af {baseline_year}-niveauet) er nået, når tallet "
        f"for {year} ikke er højere end baseline, som tallene står i tabellen; en stigning er "
        "aldrig et nået mål. Om ændringen siden baseline er signifikant, testes tosidet med en "
        "score-test for forholdet mellem de to års rater (borgervendt kriminalitet pr. "
        "indbygger, gerningstyperne som antal), hvor variansen er ganget med overspredningen "
        "φ: antallet af anmeldelser svinger mere fra år til år end en Poisson-fordeling "
        "tilsiger. φ er estimeret for hver gerningstype fra hele byens anmeldelser som "
        "Pearsons χ² pr. frihedsgrad i en log-lineær model for antal anmeldelser pr. delområde "
        "og år (dog mindst 1). Tabellen nedenfor viser testene og den mindste stigning, "
        "testen ville have kaldt signifikant."
    )


SIGNIFICANCE_BOX_TITLE = "Sådan læses signifikans"


def significance_box(alpha=0.05) -> str:
    """The appendix's short box for the partnership's readers: what "signifikant" means."""
    level = fmt_percent(check_alpha(alpha))
    return (
        "En forskel eller en udvikling kaldes signifikant, når den er så stor, at den kun "
        f"sjældent ville opstå ved et tilfælde (sjældnere end {level} af gangene), hvis der i "
        "virkeligheden ingen forskel var. Tryghedsundersøgelsen spørger et udsnit af borgerne, "
        "og antallet af anmeldelser svinger fra år til år, så små forskelle kan skyldes "
        "tilfældigheder. At en udvikling ikke er signifikant, betyder derfor ikke, at intet er "
        "sket, men at tallene ikke kan udelukke, at forskellen er tilfældig; jo færre svar "
        "eller anmeldelser, desto større skal en forskel være for at blive signifikant. Om et "
        "mål er nået, afgøres af tallene selv: et tal over baseline er ikke et nået mål, heller "
        "ikke når stigningen ikke er signifikant. Når partnerskabet sammenlignes med bydelen "
        "eller byen, testes forskellen til resten af bydelen eller byen, uden "
        "partnerskabsområdet."
    )


def survey_test_method(alpha, p_adjust: str, tests: int) -> str:
    """The appendix's account of the survey tests and of the adjustment for many tests."""
    adjust = (
        f"P-værdierne for alle {tests} test er justeret med Holms metode, så risikoen for at "
        "kalde mindst én tilfældig forskel signifikant højst er "
        f"{fmt_percent(check_alpha(alpha))}; tekst, tabeller og bilag bruger de justerede "
        "værdier." if p_adjust == "holm" else
        f"P-værdierne er justeret for {tests} test ({p_adjust})." if p_adjust != "none" else
        f"Notatet bygger på {tests} test; p-værdierne er ikke justeret for, at der er flere.")
    return (
        "Andel utrygge er den vægtede andel, der svarer 'Utryg' eller 'Meget utryg'; 'Ved ikke' "
        "og ubesvarede indgår ikke. Ændringer i andelen testes med en to-stikprøve-test for "
        "andele (z-test med fælles andel) på det effektive antal svarpersoner (Kish), "
        f"signifikansniveau {fmt_percent(alpha)}. Partnerskabet sammenlignes med resten af "
        "bydelen og resten af byen (uden partnerskabsområdet) som to uafhængige stikprøver; "
        "gennemsnittene i teksten og figurerne er bydelens og byens egne andele. Er "
        "partnerskabsområdet ændret, sammenlignes også det tidligere område i begge år. "
        + adjust)


TEST_TOPICS = {"neighbourhood": "Utrygge i nabolaget",
               "evening": "Utrygge i aften- og nattetimerne"}


def comparison_label(kind: str, year, other_year) -> str:
    """What one test of the appendix compares, e.g. "2021 mod 2014, samme område som i 2014".

    >>> comparison_label("development", 2021, 2014), comparison_label("district", 2021, 2021)
    ('2021 mod 2014', '2021: partnerskabet mod resten af bydelen')
    """
    labels = {
        "development": f"{year} mod {other_year}",
        "old_area": f"{year} mod {other_year}, samme område som i {other_year}",
        "district": f"{year}: partnerskabet mod resten af bydelen",
        "city": f"{year}: partnerskabet mod resten af byen",
        "target": f"{year} mod {other_year} (baseline)",
    }
    if kind not in labels:
        raise ValueError(f"kind must be one of {sorted(labels)}, got {kind!r}")
    return labels[kind]


def share_difference(estimate, low, high) -> str:
    """A difference of two shares in percentage points with its interval:
    "−6 %-point (−14 til +2)".

    >>> share_difference(-0.06, -0.142, 0.021)
    '−6 %-point (−14 til +2)'
    """
    def points(value):
        number = round_half_up(value * 100)
        return ("+" if number > 0 else "") + fmt_int(number)

    return f"{points(estimate)} %-point ({points(low)} til {points(high)})"


def yes_no(value: bool) -> str:
    return "ja" if value else "nej"


def detectable_rise(smallest_count, rise, *, rate=None) -> str:
    """The smallest significant rise: "+96 % (51 anmeldelser)" or, for a rate per 1000,
    "+43 % (33,3 pr. 1000)".

    >>> detectable_rise(51, 0.96), detectable_rise(338, 0.245, rate=28.9)
    ('+96 % (51 anmeldelser)', '+25 % (28,9 pr. 1000)')
    """
    if not math.isfinite(rise):
        return f"{fmt_int(smallest_count)} anmeldelser (ingen i baseline)"
    noun = "anmeldelse" if smallest_count == 1 else "anmeldelser"
    what = (f"{fmt_decimal(rate, 1)} pr. 1000" if rate is not None
            else f"{fmt_int(smallest_count)} {noun}")
    return f"{fmt_percent_change(rise)} ({what})"
