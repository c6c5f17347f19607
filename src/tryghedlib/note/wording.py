"""Danish wording of the status note: number formats, verdict phrases and sentence builders.

Everything the report prints is Danish with Danish number format: "." groups thousands, ","
is the decimal mark, percent is written "16 %", and a negative number gets a real minus sign
(U+2212). Rounding is half up, as a reader rounds (23,25 -> 23,3), never banker's rounding.

The note's rule, followed by every builder here: direction words ("en stigning", "et fald",
"på niveau med", "over/under gennemsnittet") compare the numbers *as printed* (rounded), so
the text never contradicts its own figures (16 % vs 16 % is "på niveau med" even when the
unrounded shares differ). Whether a change is "signifikant" comes from the test result alone.

The builders take plain values - years, shares (0-1) or rates, names, and for significance a
bool or any result with a ``significant(alpha)`` method (see :mod:`tryghedlib.analysis.significance`).

>>> fmt_percent(0.1634), fmt_decimal(23.25, 1), fmt_kr(1934000)
('16 %', '23,3', '1.934.000 kr.')
>>> change_phrase(direction(25, 28), significant=True)
'et signifikant fald'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral

from tryghedlib.analysis.levels import check_alpha

__all__ = [
    "MINUS", "SURVEY", "SYNTHETIC_MARKER", "RISE", "FALL", "LEVEL", "INDICATORS",
    "IndicatorText",
    "round_half_up", "printed_percent",
    "fmt_int", "fmt_decimal", "fmt_percent", "fmt_kr", "fmt_mio_kr",
    "direction", "change_phrase", "average_phrase", "not_comparable",
    "significance_sentence", "not_significant_sentence", "target_sentence",
    "development_paragraph", "comparison_paragraph", "figure_source_note",
    "crime_paragraph", "reports_text", "cooperation_paragraph", "join_list", "join_names",
    "level_but_significant_sentence", "target_met", "ratio_change", "fmt_percent_change",
    "old_area_sentence",
]

MINUS = "\u2212"  # a real minus sign, not the hyphen "-"
SURVEY = "Københavns Tryghedsundersøgelse"

#: On every page, in the metadata and the HTML of a note built from synthetic data.
SYNTHETIC_MARKER = "SYNTETISKE DATA – ikke til offentliggørelse"

RISE, FALL, LEVEL = "stigning", "fald", "niveau"


# --------------------------------------------------------------------------------------------
# Numbers


def round_half_up(value, decimals: int = 0) -> Decimal:
    """Round as a reader does: halves away from zero, on the number as written.

    A float is taken by its shortest decimal form, so 2.675 (stored as 2.67499...) rounds to
    2.68 as it reads.

    >>> round_half_up(23.25, 1), round_half_up(0.125, 2), round_half_up(-0.5)
    (Decimal('23.3'), Decimal('0.13'), Decimal('-1'))
    """
    if isinstance(value, bool | str | bytes):  # a str here is a bug upstream, e.g. "16,3"
        raise ValueError(f"value must be a number, got {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu"):
        number = Decimal(int(value))
    else:
        try:
            as_float = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"value must be a number, got {value!r}") from None
        if not math.isfinite(as_float):
            raise ValueError(f"value must be a finite number, got {value!r}")
        number = Decimal(repr(as_float))
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def printed_percent(share, decimals: int = 0) -> Decimal:
    """The percent a share prints as (share 0-1): the number that ``fmt_percent`` shows.

    >>> printed_percent(0.1634), printed_percent(0.145)
    (Decimal('16'), Decimal('15'))
    """
    number = round_half_up(share, 17)  # exact decimal form of the input
    if not 0 <= number <= 1:
        raise ValueError(f"share must be between 0 and 1 (got {share!r}; 16 % is 0.16)")
    return round_half_up(number * 100, decimals)


def _format(value, decimals: int) -> str:
    number = round_half_up(value, decimals)
    sign = MINUS if number < 0 else ""  # a rounded -0,0 gets no sign
    whole, _, fraction = f"{abs(number):.{decimals}f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    grouped = ".".join([whole, *groups])
    return sign + grouped + ("," + fraction if fraction else "")


def fmt_int(value) -> str:
    """Whole number with "." between thousands.

    >>> fmt_int(1934000), fmt_int(-271), fmt_int(999)
    ('1.934.000', '−271', '999')
    """
    return _format(value, 0)


def fmt_decimal(value, decimals: int = 1) -> str:
    """Number with ``decimals`` decimals and a decimal comma, rounded half up.

    >>> fmt_decimal(23.25, 1), fmt_decimal(37.9, 1), fmt_decimal(1234.5, 2)
    ('23,3', '37,9', '1.234,50')
    """
    return _format(value, decimals)


def fmt_percent(share, decimals: int = 0) -> str:
    """A share (0-1) as percent, "16 %".

    >>> fmt_percent(0.1634), fmt_percent(0.8125), fmt_percent(0.1634, 1)
    ('16 %', '81 %', '16,3 %')
    """
    return _format(printed_percent(share, decimals), decimals) + " %"


def fmt_kr(value, decimals: int = 0) -> str:
    """Amount in kroner, "1.934.000 kr.".

    >>> fmt_kr(80000)
    '80.000 kr.'
    """
    return _format(value, decimals) + " kr."


def fmt_mio_kr(value, decimals: int = 2) -> str:
    """Amount in kroner as millions, as the plan's "Budget: 1,93 mio. pr. år".

    >>> fmt_mio_kr(1934000), fmt_mio_kr(1269000, 1)
    ('1,93 mio.', '1,3 mio.')
    """
    return _format(round_half_up(value, 17) / 10**6, decimals) + " mio."


# --------------------------------------------------------------------------------------------
# Verdict phrases

_CHANGE = {RISE: "en stigning", FALL: "et fald"}
_SIGNIFICANT_CHANGE = {RISE: "en signifikant stigning", FALL: "et signifikant fald"}
_NOUN = {RISE: "stigningen", FALL: "faldet", LEVEL: "udviklingen"}
_POSITION = {RISE: "over", FALL: "under", LEVEL: "på niveau med"}
_NUMBER_WORDS = dict(enumerate(
    ["nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti"]
))


def direction(new, old, decimals: int = 0) -> str:
    """RISE, FALL or LEVEL from ``old`` to ``new`` as printed (rounded to ``decimals``).

    For shares compare the printed percents: ``direction(printed_percent(a), printed_percent(b))``.

    >>> direction(23.3, 20.4, 1), direction(20.44, 20.36, 1), direction(25, 26)
    ('stigning', 'niveau', 'fald')
    >>> direction(printed_percent(0.1634), printed_percent(0.158))
    'niveau'
    """
    a, b = round_half_up(new, decimals), round_half_up(old, decimals)
    return RISE if a > b else FALL if a < b else LEVEL


def _share_direction(new_share, old_share) -> str:
    return direction(printed_percent(new_share), printed_percent(old_share))


def change_phrase(change: str, significant: bool = False) -> str:
    """ "en stigning", "et signifikant fald", "på niveau med" ...

    >>> change_phrase(RISE), change_phrase(FALL, True), change_phrase(LEVEL)
    ('en stigning', 'et signifikant fald', 'på niveau med')
    """
    if change == LEVEL:
        return "på niveau med"
    return (_SIGNIFICANT_CHANGE if significant else _CHANGE)[_check_change(change)]


def average_phrase(position: str, scope: str) -> str:
    """Position relative to an average: ``direction(partnership, average)`` and the scope.

    >>> average_phrase(RISE, "hele byen"), average_phrase(LEVEL, "bydelen")
    ('over gennemsnittet for hele byen', 'på niveau med gennemsnittet for bydelen')
    """
    return f"{_POSITION[_check_change(position)]} gennemsnittet for {scope}"


def not_comparable(form: str = "neuter") -> str:
    """ "ikke direkte sammenlignelig" in the form the noun needs.

    >>> not_comparable(), not_comparable("common"), not_comparable("plural")
    ('ikke direkte sammenligneligt', 'ikke direkte sammenlignelig', 'ikke direkte sammenlignelige')
    """
    endings = {"common": "", "neuter": "t", "plural": "e"}
    if form not in endings:
        raise ValueError(f"form must be one of {sorted(endings)}, got {form!r}")
    return "ikke direkte sammenlignelig" + endings[form]


def significance_sentence(change: str, significant, since=None, *, alpha=0.05) -> str:
    """Whether one change is significant.

    >>> significance_sentence(RISE, True, 2020)
    'Stigningen siden 2020 er signifikant.'
    >>> significance_sentence(FALL, False)
    'Faldet er dog ikke signifikant.'
    """
    check_alpha(alpha)
    noun = _NOUN[_check_change(change)].capitalize()
    where = f" siden {since}" if since is not None else ""
    if _is_significant(significant, alpha):
        return f"{noun}{where} er signifikant."
    return f"{noun}{where} er dog ikke signifikant."


def not_significant_sentence(count: int) -> str:
    """Closes a paragraph whose ``count`` changes are all not significant.

    >>> not_significant_sentence(2)
    'Disse udviklinger er dog ikke signifikante.'
    """
    if count == 1:
        return "Denne udvikling er dog ikke signifikant."
    return "Disse udviklinger er dog ikke signifikante."


def target_met(current, baseline, decimals: int = 0) -> bool:
    """Whether a "minimum fastholdelse" target is met: the figure as printed is at or below
    the baseline as printed. Significance does not enter: a rise is never "nået".

    >>> target_met(23.34, 23.3, 1), target_met(24, 23)
    (True, False)
    """
    return direction(current, baseline, decimals) != RISE


def target_sentence(current, baseline, significant, *, baseline_year, decimals=0, alpha=0.05):
    """Verdict on a "minimum fastholdelse" crime target (do not rise above the baseline).

    Met ("nået") when the current figure as printed is at or below the baseline as printed
    (:func:`target_met`); above it, not met, and the sentence says whether the rise is
    significant. ``significant``: the two-sided test of the year against the baseline (a bool,
    or a result as ``overdispersion.quasi_poisson_rate_test`` gives).

    >>> target_sentence(19, 23, False, baseline_year=2020)
    'Målet er nået.'
    >>> target_sentence(30, 23, False, baseline_year=2020)
    'Målet er ikke nået. Stigningen siden 2020 er ikke signifikant og kan skyldes tilfældige udsving.'
    """
    check_alpha(alpha)
    if getattr(significant, "alternative", "two-sided") == "less":
        raise ValueError("significant must test for a rise (alternative 'two-sided' or "
                         "'greater'), not 'less'")
    if target_met(current, baseline, decimals):
        return "Målet er nået."
    if _is_significant(significant, alpha):
        return f"Målet er ikke nået: stigningen siden {baseline_year} er signifikant."
    return (f"Målet er ikke nået. Stigningen siden {baseline_year} er ikke signifikant og kan "
            "skyldes tilfældige udsving.")


def ratio_change(estimate, low, high) -> str:
    """A rate ratio as a change in percent with its interval: "+50 % (−32 % til +232 %)".

    No reports in the baseline year leave no ratio to show.

    >>> ratio_change(1.5, 0.678, 3.319), ratio_change(float("inf"), 1.2, float("inf"))
    ('+50 % (−32 % til +232 %)', 'ingen anmeldelser i baseline')
    """
    if math.isnan(estimate):
        return "ingen anmeldelser i nogen af årene"
    if not (math.isfinite(estimate) and math.isfinite(high)):
        return "ingen anmeldelser i baseline"
    return (f"{fmt_percent_change(estimate - 1)} ({fmt_percent_change(low - 1)} til "
            f"{fmt_percent_change(high - 1)})")


def fmt_percent_change(change) -> str:
    """A relative change (0.5 = +50 %) with its sign: "+50 %", "−32 %", "0 %".

    >>> fmt_percent_change(0.5), fmt_percent_change(-0.321), fmt_percent_change(0.001)
    ('+50 %', '−32 %', '0 %')
    """
    number = round_half_up(change * 100)
    sign = "+" if number > 0 else MINUS if number < 0 else ""
    return f"{sign}{fmt_int(abs(number))} %"


# --------------------------------------------------------------------------------------------
# Section 1: share of residents who feel unsafe


@dataclass(frozen=True)
class IndicatorText:
    """The wording that differs between the survey indicators.

    changed_area / unchanged_area: opening sentence, with {year}, {share} and {change}.
    subject: what changes, after "et fald i ...".
    population: subject of the comparison with the district and the city.
    """

    changed_area: str
    unchanged_area: str
    subject: str
    population: str


INDICATORS = {
    "neighbourhood": IndicatorText(
        changed_area=(
            "I {year} er det geografiske område for partnerskabet blevet {change}. Derfor er "
            "årets resultat ({share} utrygge) ikke direkte sammenligneligt med tidligere års "
            "resultater."
        ),
        unchanged_area="I {year} er {share} utrygge i partnerskabsområdet.",
        subject="andelen af utrygge i partnerskabsområdet",
        population="Andelen af utrygge københavnere i partnerskabsområdet",
    ),
    "evening": IndicatorText(
        changed_area=(
            "Idet partnerskabsområdet er {change}, kan resultaterne i {year} for utryghed i "
            "aften- og nattetimerne ({share} utrygge) ikke direkte sammenlignes med tidligere "
            "års resultater."
        ),
        unchanged_area="I {year} er {share} utrygge i aften- og nattetimerne i partnerskabsområdet.",
        subject="andelen, der er utrygge i aften- og nattetimerne",
        population="Andelen af utrygge københavnere i aften- og nattetimerne i partnerskabsområdet",
    ),
}


def development_paragraph(
    indicator, year, share, earlier: Mapping, significant: Mapping, *,
    area_changed=False, area_change="udvidet", alpha=0.05,
) -> str:
    """The paragraph on the partnership's share against earlier years.

    indicator: a key of INDICATORS or an IndicatorText. share: this year's share (0-1).
    earlier: {year: share} to compare with. significant: {year: bool or test result} for
    each earlier year. area_changed: the area differs from earlier years' ("udvidet" or the
    word in ``area_change``), which adds the "ikke direkte sammenligneligt" caveat.

    >>> development_paragraph("neighbourhood", 2022, 0.12, {2021: 0.16}, {2021: True})
    'I 2022 er 12 % utrygge i partnerskabsområdet. Undersøgelsen indikerer et fald i andelen af utrygge i partnerskabsområdet siden 2021 (16 %). Faldet siden 2021 er signifikant.'
    """
    check_alpha(alpha)
    text = INDICATORS[indicator] if isinstance(indicator, str) else indicator
    opening = text.changed_area if area_changed else text.unchanged_area
    years = sorted(earlier)
    if not years:
        raise ValueError("earlier must hold at least one earlier year")
    missing = [y for y in years if y not in significant]
    if missing:
        raise ValueError(f"significant has no result for the earlier year(s) {missing}")
    changes = [(y, _share_direction(share, earlier[y]), _is_significant(significant[y], alpha))
               for y in years]
    prefix = "Undersøgelsen indikerer dog" if area_changed else "Undersøgelsen indikerer"
    return " ".join([
        opening.format(year=year, share=fmt_percent(share), change=area_change),
        prefix + _development(text.subject, changes, earlier) + ".",
        _significance_closing(changes),
    ])


def _development(subject, changes, earlier):
    """ " et fald i <subject> siden 2014 (22 %) og er på niveau med 2020 (16 %)" """
    groups = _group_by_direction(changes)
    parts = []
    for change, years in groups.items():
        if change != LEVEL:
            since = _year_list([f"{y} ({fmt_percent(earlier[y])})" for y in years])
            where = f" i {subject}" if not parts else ""
            parts.append(f"{change_phrase(change)}{where} siden {since}")
    level = groups.get(LEVEL)
    if level:
        compared = _year_list([f"{y} ({fmt_percent(earlier[y])})" for y in level])
        if not parts:
            return f", at andelen er på niveau med {compared}"
        parts.append(f"er på niveau med {compared}")
    return " " + join_list(parts)


def _significance_closing(changes):
    """ "Disse udviklinger er dog ikke signifikante." or which changes are significant."""
    significant = [(y, c, s) for y, c, s in changes if s]
    if not significant:
        return not_significant_sentence(len(changes))
    named = [f"{_NOUN[c]} siden {_year_list(ys)}"
             for c, ys in _group_by_direction(significant).items()]
    verb = "er signifikant" if len(named) == 1 else "er signifikante"
    sentence = f"{_capitalize(join_list(named))} {verb}"
    rest = [y for y, _, s in changes if not s]
    if rest:
        sentence += f", mens udviklingen siden {_year_list(rest)} ikke er signifikant"
    return sentence + "."


def comparison_paragraph(
    indicator, year, share, district_share, city_share, *, district_name=None, figure=None,
    district_significant=None, city_significant=None, alpha=0.05,
) -> str:
    """The paragraph comparing the partnership with its district and the whole city.

    The averages printed are the district's and the city's own shares, as in the note. The
    tests, when given, compare the partnership with the *rest* of the district and of the city
    (two independent samples; the totals contain the partnership itself): closing sentences
    say which differences are significant, and name a significant difference the rounded
    shares hide. Without them no significance is stated, as in the 2021 note.

    >>> comparison_paragraph("neighbourhood", 2021, 0.16, 0.16, 0.09, figure=1)
    'Andelen af utrygge københavnere i partnerskabsområdet er i 2021 på niveau med gennemsnittet for bydelen (16 %) og over gennemsnittet for hele byen (9 %), jf. figur 1.'
    >>> comparison_paragraph("neighbourhood", 2021, 0.16, 0.16, 0.09,
    ...                      district_significant=False, city_significant=True).partition(". ")[2]
    'Forskellen til resten af byen er signifikant, mens forskellen til resten af bydelen ikke er signifikant.'
    """
    check_alpha(alpha)
    text = INDICATORS[indicator] if isinstance(indicator, str) else indicator
    phrases, significant, quiet, hidden = [], [], [], []
    for scope, rest, reference, result in (
        ("bydelen", "resten af bydelen", district_share, district_significant),
        ("hele byen", "resten af byen", city_share, city_significant),
    ):
        position = _share_direction(share, reference)
        phrases.append(f"{average_phrase(position, scope)} ({fmt_percent(reference)})")
        if result is None:
            continue
        if not _is_significant(result, alpha):
            quiet.append(rest)
        elif position == LEVEL:  # equal as printed, yet significant: say so
            hidden.append(f"andelen i partnerskabsområdet er signifikant "
                          f"{'højere' if share > reference else 'lavere'} end i {rest}")
        else:
            significant.append(rest)
    sentence = f"{text.population} er i {year} {phrases[0]} og {phrases[1]}"
    sentence += f", jf. figur {figure}." if figure is not None else "."
    if district_name:
        sentence = f"Partnerskabet ligger i {district_name}. {sentence}"
    closing = _differences_closing(significant, quiet)
    return " ".join([sentence, *([closing] if closing else []),
                     *(level_but_significant_sentence(h) for h in hidden)])


def _differences_closing(significant: list[str], quiet: list[str]) -> str:
    """ "Forskellen til resten af byen er signifikant, mens ..." """
    def named(scopes):
        noun = "Forskellen" if len(scopes) == 1 else "Forskellene"
        return f"{noun} til " + " og til ".join(scopes)

    if significant and quiet:
        return (f"{named(significant)} er signifikant, mens "
                f"{named(quiet)[0].lower()}{named(quiet)[1:]} ikke er signifikant.")
    if significant:
        return f"{named(significant)} er {'signifikant' if len(significant) == 1 else 'signifikante'}."
    if quiet:
        return (f"{named(quiet)} er dog ikke "
                f"{'signifikant' if len(quiet) == 1 else 'signifikante'}.")
    return ""


def old_area_sentence(earlier_year, *, earlier_share, old_share, old_significant,
                      current_share, current_significant, alpha=0.05) -> str:
    """Like with like across an area change: the earlier year's area in both years
    (``old_share`` this year against ``earlier_share``, tested by ``old_significant``) beside
    today's area (``current_share`` against the same, ``current_significant``). Returns ""
    when the two readings agree (direction as printed, and significance), otherwise a
    sentence saying what the like-with-like comparison finds.

    >>> old_area_sentence(2014, earlier_share=0.22, old_share=0.15, old_significant=True,
    ...                   current_share=0.16, current_significant=False)
    'Sammenlignes det samme område i begge år (partnerskabsområdet, som det var i 2014), er der et signifikant fald siden 2014 (fra 22 % til 15 %).'
    """
    change = _share_direction(old_share, earlier_share)
    current_change = _share_direction(current_share, earlier_share)
    significant = old_significant
    check_alpha(alpha)
    now, before = _is_significant(significant, alpha), _is_significant(current_significant, alpha)
    if (change, now) == (current_change, before):
        return ""
    if change == LEVEL:
        found = (f"er andelen på niveau med {earlier_year} ({fmt_percent(earlier_share)} mod "
                 f"{fmt_percent(old_share)})")
        if now:
            found += ", men forskellen er signifikant"
    else:
        found = (f"er der {change_phrase(change, now)} siden {earlier_year} (fra "
                 f"{fmt_percent(earlier_share)} til {fmt_percent(old_share)})")
        if not now:
            found += ", som dog ikke er signifikant"
    return (f"Sammenlignes det samme område i begge år (partnerskabsområdet, som det var i "
            f"{earlier_year}), {found}.")


def level_but_significant_sentence(finding: str) -> str:
    """Names a significant difference that the rounded figures do not show.

    >>> level_but_significant_sentence("andelen er signifikant højere end i bydelen")
    'Afrundet er tallene ens, men andelen er signifikant højere end i bydelen.'
    """
    return f"Afrundet er tallene ens, men {finding}."


def figure_source_note(
    year, partnership, *, area_changed=False, area_change="udvidet",
    source=SURVEY,
) -> str:
    """Source line under a survey figure, with the caveat when the area changed.

    >>> figure_source_note(2022, "Tingbjerg-Husum Partnerskab")
    'Kilde: Københavns Tryghedsundersøgelse 2022.'
    """
    note = f"Kilde: {source} {year}."
    if area_changed:
        note += (
            f" I {year} blev det geografiske område for {partnership} {area_change}."
            f" Resultaterne for disse områder er derfor {not_comparable('plural')} med"
            " tidligere års resultater."
        )
    return note


# --------------------------------------------------------------------------------------------
# Section 2: police reports


def crime_paragraph(
    year, count, rate, *, earlier_year, earlier_rate, city_rate, area_note=None,
    table_counts: Mapping[str, int] | None = None, table=1, baseline_period=None,
    significant=None, alpha=0.05, min_count=0,
) -> str:
    """The paragraph on borgervendt kriminalitet: count, rate per 1000, change, city level.

    rate, earlier_rate, city_rate: reports per 1000 inhabitants (printed with 1 decimal).
    earlier_rate None: no earlier year to compare with (the police data start with ``year``).
    area_note: shown in brackets after "i partnerskabsområdet". table_counts: {label: count}
    in the table's order. significant: the test of rate against earlier_rate (bool or result);
    None states no significance, as the 2021 note does. min_count: a count from 1 to below it
    is written "færre end <min_count>", as the tables show it ("<5"), never exactly.

    >>> text = crime_paragraph(2021, 250, 21.0, earlier_year=2020, earlier_rate=23.3,
    ...                        city_rate=36.1, significant=False)
    >>> text.partition("indbyggere, ")[2]
    'hvilket er et fald siden 2020 (23,3). Faldet er dog ikke signifikant. Antallet er lavere end gennemsnittet for hele København (36,1).'
    """
    check_alpha(alpha)
    if getattr(significant, "alternative", "two-sided") != "two-sided":
        # A one-sided test for a rise calls any fall "ikke signifikant" (and the reverse).
        raise ValueError("significant must be a two-sided test (alternative='two-sided'), got "
                         f"alternative={significant.alternative!r}")
    area = "i partnerskabsområdet" + (f" ({area_note})" if area_note else "")
    per_1000 = (f"Det svarer til {fmt_decimal(rate, 1)} anmeldelser af borgervendt "
                f"kriminalitet pr. 1000 indbyggere")
    change = None if earlier_rate is None else direction(rate, earlier_rate, 1)
    is_significant = None if significant is None else _is_significant(significant, alpha)
    if change is None:
        per_1000 += "."
    elif change == LEVEL:
        per_1000 += f", hvilket er på niveau med {earlier_year} ({fmt_decimal(earlier_rate, 1)})."
    else:
        per_1000 += (f", hvilket er {change_phrase(change, bool(is_significant))} siden "
                     f"{earlier_year} ({fmt_decimal(earlier_rate, 1)}).")
    versus_city = {RISE: "højere end", FALL: "lavere end", LEVEL: "på niveau med"}
    sentences = [
        f"I {year} blev der {area} anmeldt {_count(count, min_count)} tilfælde af borgervendt "
        "kriminalitet som f.eks. lommetyveri, tyveri fra køretøjer og vold.", per_1000,
    ]
    if is_significant is False and change not in (None, LEVEL):
        sentences.append(significance_sentence(change, False))
    if is_significant and change == LEVEL:
        moved = RISE if rate > earlier_rate else FALL
        sentences.append(level_but_significant_sentence(
            f"der er tale om {change_phrase(moved, True)} siden {earlier_year}"))
    sentences.append(
        f"Antallet er {versus_city[direction(rate, city_rate, 1)]} gennemsnittet for hele "
        f"København ({fmt_decimal(city_rate, 1)})."
    )
    if table_counts:
        items = [f"{reports_text(_count(n, min_count))} af {label}"
                 for label, n in table_counts.items()]
        sentences.append(
            f"Det fremgår derudover af tabel {table}, at der i {year} var {join_list(items)}."
        )
    if baseline_period:
        sentences.append(
            f"Tallene for {year} udgør baseline for partnerskabsperioden {baseline_period}."
        )
    return " ".join(sentences)


def _count(n: int, min_count: int) -> str:
    return f"færre end {fmt_int(min_count)}" if 0 < n < min_count else fmt_int(n)


def reports_text(count: str) -> str:
    """A count as written, with "anmeldelse(r)".

    >>> reports_text("1"), reports_text("<5"), reports_text("færre end 5")
    ('1 anmeldelse', '<5 anmeldelser', 'færre end 5 anmeldelser')
    """
    return f"{count} {'anmeldelse' if count == '1' else 'anmeldelser'}"


# --------------------------------------------------------------------------------------------
# Section 3: cooperation


def cooperation_paragraph(year, with_partners, activities, *, target_share=0.75, min_partners=2):
    """The paragraph on activities with ``min_partners`` or more partners, and the target.

    The target counts as met when the printed percent reaches the printed target.

    >>> cooperation_paragraph(2022, 10, 16).partition("svarende til ")[2]
    '63 %. Dermed opfyldes målet ikke om, at minimum 75 % af tryghedsplanens aktiviteter skal indeholde to eller flere samarbejdspartnere.'
    """
    if not (isinstance(activities, Integral) and activities > 0):
        raise ValueError(f"activities must be a whole number > 0, got {activities!r}")
    if not (isinstance(with_partners, Integral) and 0 <= with_partners <= activities):
        raise ValueError(
            f"with_partners must be a whole number between 0 and activities, got {with_partners!r}"
        )
    share = with_partners / activities
    partners = f"{_NUMBER_WORDS.get(min_partners, min_partners)} eller flere samarbejdspartnere"
    noun = "aktivitet" if activities == 1 else "aktiviteter"
    met = printed_percent(share) >= printed_percent(target_share)
    return (
        f"Ud af det samlede antal aktiviteter i tryghedsplanen for {year}, indeholder "
        f"{with_partners} ud af {activities} {noun} {partners}, lokaliseret i eller udenfor "
        f"partnerskabsområdet, svarende til {fmt_percent(share)}. "
        f"Dermed opfyldes målet{'' if met else ' ikke'} om, at minimum "
        f"{fmt_percent(target_share)} af tryghedsplanens aktiviteter skal indeholde {partners}."
    )


# --------------------------------------------------------------------------------------------
# Helpers


def _is_significant(value, alpha) -> bool:
    """A bool, or a test result's verdict at ``alpha``."""
    check_alpha(alpha)
    if hasattr(value, "significant"):
        value = value.significant(alpha)
    if getattr(value, "ndim", 0) != 0:
        raise ValueError("significance must be one result (a scalar), not an array")
    return bool(value)


def _check_change(change):
    if change not in (RISE, FALL, LEVEL):
        raise ValueError(f"change must be RISE, FALL or LEVEL, got {change!r}")
    return change


def _group_by_direction(changes):
    """{direction: [years]} in order of first appearance, LEVEL last."""
    groups: dict[str, list] = {}
    for year, change, _ in changes:
        groups.setdefault(change, []).append(year)
    if LEVEL in groups:
        groups[LEVEL] = groups.pop(LEVEL)
    return groups


def join_list(items: Sequence) -> str:
    """Danish list: "a", "a og b", "a, b og c".

    >>> join_list(["chikane", "hærværk", "narkotika", "trusler"])
    'chikane, hærværk, narkotika og trusler'
    """
    items = [str(i) for i in items]
    if not items:
        raise ValueError("items must not be empty")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def join_names(names: Sequence[str]) -> str:
    """Danish list of place names, numbered ones of the same place shortened as the note writes
    them: "Skolevangen 1 og 2", not "Skolevangen 1 og Skolevangen 2".

    >>> join_names(["Gadelandet", "Skolevangen 1", "Skolevangen 2"])
    'Gadelandet og Skolevangen 1 og 2'
    """
    groups: list[tuple[str, list[str]]] = []   # (place, its numbers; none for a plain name)
    for name in map(str, names):
        stem, _, number = name.rpartition(" ")
        if not (stem and number.isdigit()):
            groups.append((name, []))
        elif groups and groups[-1][0] == stem and groups[-1][1]:
            groups[-1][1].append(number)
        else:
            groups.append((stem, [number]))
    return join_list([f"{place} {join_list(numbers)}" if numbers else place
                      for place, numbers in groups])


def _year_list(items: Sequence) -> str:
    """Like join_list, but two items read "både a og b"."""
    return "både " + join_list(items) if len(items) == 2 else join_list(items)


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]
