"""Every figure a note prints, by name, as printed: what ``tryghed diff`` compares.

The report notebook stores :func:`printed_figures` of its note in the executed notebook (the
record), so two notes - this year's and last year's, or two runs of one year after a
corrected delivery - can be compared figure by figure without reading their PDFs.
"""

from __future__ import annotations

from tryghedlib.analysis import indicators
from tryghedlib.note import wording
from tryghedlib.note.model import StatusNote

AREAS = {"partnership": "partnerskab", "district": "bydel", "city": "byen"}
QUESTIONS = {"neighbourhood": "utrygge i nabolaget", "evening": "utrygge i aften- og nattetimerne"}


def _verdict(result, alpha: float) -> str:
    return "signifikant" if result.significant(alpha) else "ikke signifikant"


def printed_figures(note: StatusNote) -> dict[str, str]:
    """``{name: figure as printed}``; names are the same for every partnership and year, e.g.
    ``"Andel utrygge i nabolaget, partnerskab, 2021"`` -> ``"16 %"``."""
    figures: dict[str, str] = {}
    for question, result in note.safety.items():
        what = QUESTIONS[question]
        for row in result.shares.itertuples():
            if row.shown and row.share == row.share:   # printed (enough respondents, not NaN)
                figures[f"Andel {what}, {AREAS[row.area]}, {row.year}"] = \
                    wording.fmt_percent(row.share)
        for year, test in result.comparisons.items():
            figures[f"Andel {what}, partnerskab, {note.report_year} mod {year}"] = \
                _verdict(test, note.alpha)
    crime = note.crime
    for row in crime.counts.itertuples():
        figures[f"Anmeldelser, {row.group}, {row.year}"] = wording.fmt_int(row.count)
    for row in crime.rates.itertuples():
        figures[f"Borgervendt kriminalitet pr. 1000 indbyggere, {AREAS[row.area]}, "
                f"{row.year}"] = wording.fmt_decimal(row.per_1000, 1)
    for group, test in crime.target_tests.items():
        figures[f"Mål for {group}, {crime.year} mod {crime.baseline_year}"] = \
            _verdict(test, note.alpha)
    if note.cooperation is not None:
        coop = note.cooperation
        figures["Aktiviteter i tryghedsplanen"] = wording.fmt_int(coop.activities)
        figures[f"Aktiviteter med mindst {coop.min_partners} partnere"] = \
            wording.fmt_int(coop.with_partners)
        if coop.activities:
            figures[f"Andel aktiviteter med mindst {coop.min_partners} partnere"] = \
                wording.fmt_percent(coop.share)
    if note.plan is not None:
        for year, amount in indicators.budget_by_year(note.plan.funding).items():
            figures[f"Tryghedsplanens budget, {year}"] = wording.fmt_kr(amount)
    return figures
