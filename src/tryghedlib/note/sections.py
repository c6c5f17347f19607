"""The note's sections as HTML, in Danish, from a :class:`~tryghedlib.note.model.StatusNote`.

Each function gathers one section's values and renders its template
(``templates/sections/<section>.html.j2``, escaped by Jinja2) for the notebook to display; the
export template (``templates/tryghed_note``) styles the classes used there. No number is typed
in: every figure comes from the model, every sentence from :mod:`tryghedlib.note.wording` and
:mod:`tryghedlib.note.texts`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from tryghedlib import __version__
from tryghedlib.note import figures, method_text, tables, texts, wording
from tryghedlib.note.model import StatusNote
from tryghedlib.note.versions import package_versions

NBSP = "\u00a0"  # no-break space


def typeset(text: str) -> Markup:
    """Escaped text in which a percent sign stays on the line of its number ("16 %"), and
    "figur 1" and "tabel 2" are not split over two lines, as Danish typesetting wants.

    >>> typeset("16 % & figur 1")
    Markup('16\\xa0% &amp; figur\\xa01')
    """
    text = str(escape(text)).replace(" %", NBSP + "%")
    return Markup(re.sub(r"\b([Ff]igur|[Tt]abel) (?=\d)", r"\1" + NBSP, text))


_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("tryghedlib.note", "templates/sections"),
    autoescape=jinja2.select_autoescape(default=True), undefined=jinja2.StrictUndefined,
    trim_blocks=True, lstrip_blocks=True)
_TEMPLATES.filters["typeset"] = typeset


def _render(section: str, **values) -> str:
    """The section's template with ``values``; HTML made by tables and figures passes as is."""
    return _TEMPLATES.get_template(f"{section}.html.j2").render(**values).rstrip("\n")


def title(note: StatusNote) -> str:
    """The note's title, e.g. "Status på tryghed og kriminalitet for ... juni 2021"."""
    return texts.title(note.partnership.name, note.settings.report_month, note.report_year)


def document_info(note: StatusNote) -> dict[str, str]:
    """Title and partnership name for the PDF's metadata and running header, and the marker
    of synthetic data (empty for a real delivery)."""
    return {"title": title(note), "partnership_name": note.partnership.name,
            "marker": wording.SYNTHETIC_MARKER if note.synthetic else ""}


def header(note: StatusNote, *, date: str = "", case_number: str = "",
           document_number: str = "", case_officer: str = "") -> str:
    """"Notat", the title, the date and the case facts; then the partnership's aims."""
    given = note.partnership.texts(note.report_year)
    changed = note.area_change_year == note.report_year
    return _render(
        "header", date=date or given.get("date", ""),
        case_number=case_number or given.get("case_number", ""),
        document_number=document_number or given.get("document_number", ""),
        case_officer=case_officer or given.get("case_officer", ""),
        sender=note.settings.sender,
        heading=NBSP.join(title(note).rsplit(" ", 1)),  # the year never alone on a line
        description=note.partnership.description,
        area_change_note=note.partnership.area_change_note if changed else "",
        aims_intro=texts.aims_intro(note.partnership.name, _period(note)),
        aims=note.partnership.aims)


def _paragraphs(text: str) -> list[str]:
    """A text from the config as paragraphs: a blank line starts a new one."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


# --- 1. tryghed ---------------------------------------------------------------------------

def safety(note: StatusNote) -> str:
    """Section 1: both questions, each with its text and figure."""
    questions = []
    for number, (question, result) in enumerate(note.safety.items(), start=1):
        heading, caption = texts.QUESTION_TITLES[question]
        # The note's "ikke direkte sammenlignelig" opening is for the year the area changed;
        # later years get a sentence naming the earlier years measured on the old area.
        changed = note.area_change_year == note.report_year
        significant = {y: r.significant(note.alpha) for y, r in result.comparisons.items()}
        fig = figures.share_figure(result.shares, question, area_change_year=note.area_change_year)
        source = wording.figure_source_note(note.report_year, note.partnership.name,
                                            area_changed=changed)
        source = " ".join([source, *_suppressed_footnotes(note, result)])
        questions.append({
            "heading": heading.format(name=note.partnership.name),
            "paragraphs": _safety_texts(note, question, result, significant, changed, number),
            "figure": Markup(figures.figure_html(
                fig, number=number, title=caption,
                alt=figures.alt_text_shares(result.shares, question,
                                            area_change_year=note.area_change_year),
                source=source.removeprefix("Kilde: ")))})
    return _render("safety", questions=questions)


def _safety_texts(note: StatusNote, question: str, result, significant: dict, changed: bool,
                  number: int) -> list[str]:
    """The paragraphs on one question. A share based on fewer respondents than
    ``disclosure.min_respondents`` is never printed, nor compared: the text says it is not
    shown (and the figure's footnote says so too)."""
    year, few = note.report_year, note.settings.min_respondents
    district_name = note.district_name if number == 1 else None
    if not result.is_shown("partnership", year):
        return [texts.share_not_shown(question, year, min_respondents=few, figure=number,
                                      district_name=district_name)]
    paragraphs = []
    earlier = {y: s for y, s in result.earlier.items() if result.is_shown("partnership", y)}
    if earlier:
        paragraphs.append(wording.development_paragraph(
            question, year, result.current, earlier, {y: significant[y] for y in earlier},
            area_changed=changed, alpha=note.alpha))
        # Like with like across an area change: a paragraph of its own where it differs.
        paragraphs += filter(None, [wording.old_area_sentence(
            y, earlier_share=result.earlier[y], old_share=result.old_area_share[y],
            old_significant=result.old_area[y], current_share=result.current,
            current_significant=significant[y], alpha=note.alpha)
            for y in sorted(result.old_area) if y in earlier])
    crossed = sorted(y for y in earlier if result.area_changed[y])
    if crossed and not changed:
        paragraphs.append(texts.area_changed_since(note.area_change_year, crossed, year))
    hidden = sorted(set(result.earlier) - set(earlier))
    if hidden:
        paragraphs.append(texts.earlier_not_shown(hidden, year, min_respondents=few))
    if result.is_shown("district", year) and result.is_shown("city", year):
        paragraphs.append(wording.comparison_paragraph(
            question, year, result.current, result.district, result.city,
            district_name=district_name, figure=number,
            district_significant=result.versus.get("district"),
            city_significant=result.versus.get("city"), alpha=note.alpha))
    else:
        names = [n for a, n in (("district", note.district_name), ("city", note.city_name))
                 if not result.is_shown(a, year)]
        paragraphs.append(texts.comparison_not_shown(names, year, min_respondents=few,
                                                     figure=number))
    return paragraphs


def _suppressed_footnotes(note: StatusNote, result) -> list[str]:
    """Footnotes under a share figure for the points it leaves out, and why."""
    shares = result.shares
    hidden = shares[~shares["shown"].astype(bool) & ~shares["year"].isin(note.survey_gaps)]
    footnotes = []
    for area in ("partnership", "district", "city"):
        years = sorted(hidden.loc[hidden["area"] == area, "year"].unique().tolist())
        if years:
            name = hidden.loc[hidden["area"] == area, "area_name"].iloc[0]
            footnotes.append(texts.hidden_share_footnote(
                name, years, min_respondents=note.settings.min_respondents))
    if note.survey_gaps:
        footnotes.append(texts.survey_gap_footnote(note.survey_gaps))
    return footnotes


# --- 2. kriminalitet ----------------------------------------------------------------------

def crime(note: StatusNote) -> str:
    """Section 2: borgervendt kriminalitet, tabel 1, figur 3, tabel 2."""
    c = note.crime
    is_baseline = c.year == c.baseline_year
    changed = note.area_change_year == note.report_year
    return _render(
        "crime",
        paragraph=_crime_paragraph(note, note.partnership.targets.table_1_groups, changed,
                                   is_baseline),
        targets_table=Markup(_targets(note, texts.enlarged_area() if changed else None)),
        rate_figure=Markup(figures.figure_html(
            figures.crime_rate_figure(c.rates), number=3, title=texts.RATE_FIGURE_TITLE,
            alt=figures.alt_text_rates(c.rates), source=texts.rate_figure_source(c.year))),
        **_monitoring(note, is_baseline, changed),
        police_comment=_paragraphs(
            note.partnership.texts(note.report_year).get("police_comment", "")))


def _crime_paragraph(note: StatusNote, groups, changed: bool, is_baseline: bool) -> str:
    """The paragraph on borgervendt kriminalitet; a count below ``disclosure.min_count`` is
    written "færre end 5", as tabel 1 shows it ("<5")."""
    c = note.crime
    earlier = c.rate("partnership", c.year - 1)
    return wording.crime_paragraph(
        c.year, c.count("borgervendt"), c.rate("partnership"), earlier_year=c.year - 1,
        earlier_rate=None if math.isnan(earlier) else earlier, city_rate=c.rate("city"),
        area_note=_area_note(note) if changed else None,
        table_counts={texts.GROUP_LABELS[g].lower(): c.count(g) for g in groups},
        baseline_period=_period(note) if is_baseline else None,
        min_count=note.settings.min_count)


def _area_note(note: StatusNote) -> str:
    added = sorted(set(note.partnership.subareas(note.report_year))
                   - set(note.partnership.subareas(note.report_year - 1)))
    return texts.enlarged_area([note.subarea_names.get(c, c) for c in added])


def _period(note: StatusNote) -> str:
    period = note.partnership.period(note.report_year)
    return f"{period.first_year}-{period.last_year}"


def _targets(note: StatusNote, area_note: str | None) -> str:
    c = note.crime
    groups = ["borgervendt", *note.partnership.targets.table_1_groups]
    first, later = _table_years(c)
    years = [first, *later]
    rows = []
    for group in groups:
        row = {"label": texts.GROUP_LABELS[group],
               "target": texts.TARGET_LABELS.get(note.partnership.targets.crime_rule,
                                                 note.partnership.targets.crime_rule),
               "unit": "rate" if group == "borgervendt" else "count"}
        for y in years:
            row[y] = c.rate("partnership", y) if group == "borgervendt" else c.count(group, y)
        if later:
            test = c.targets[group].test
            row["change"] = (_SUPPRESSED if _suppressed(note, group) else
                             wording.ratio_change(test.estimate, test.ci_low, test.ci_high))
            row["status"] = wording.target_sentence(
                row[c.year], row[first], test, baseline_year=first,
                decimals=1 if group == "borgervendt" else 0, alpha=note.alpha)
        rows.append(row)
    return tables.targets_table(
        pd.DataFrame(rows), baseline_year=first, later_years=later,
        baseline_label=texts.baseline_label(c.year, c.baseline_year)
        if first == c.baseline_year else None,
        min_count=note.settings.min_count, number=1,
        title=texts.targets_table_title(c.year, area_note),
        source=f"{texts.POLICE}. {texts.CITIZEN_FACING_DEFINITION}")


def _table_years(c) -> tuple[int, list[int]]:
    """The years tabel 1 and 2 show: the baseline and each year since, up to the crime year
    (only the crime year when it is the baseline or comes before it)."""
    later = list(range(c.baseline_year + 1, c.year + 1)) if c.baseline_year < c.year else []
    return (c.baseline_year if later or c.year == c.baseline_year else c.year), later


def _monitoring(note: StatusNote, is_baseline: bool, changed: bool) -> dict:
    """Tabel 2 and the paragraph before it."""
    c = note.crime
    groups = note.partnership.targets.table_2_groups
    first, later = _table_years(c)
    frame = pd.DataFrame({"label": [texts.GROUP_LABELS[g] for g in groups],
                          **{y: [c.count(g, y) for g in groups] for y in [first, *later]}})
    return {
        "monitoring": texts.monitoring_paragraph(
            [texts.GROUP_LABELS[g].lower() for g in groups], c.year, area_changed=changed,
            baseline_period=_period(note) if is_baseline else None),
        "monitoring_table": Markup(tables.monitoring_table(
            frame, year=first, later_years=later,
            baseline_label=texts.baseline_label(c.year, c.baseline_year)
            if first == c.baseline_year else None,
            min_count=note.settings.min_count, number=2,
            title=texts.monitoring_table_title(c.year, area_changed=changed),
            source=texts.POLICE))}


# --- 3. samarbejde og tryghedsplan ----------------------------------------------------------

def cooperation(note: StatusNote) -> str:
    """Section 3: activities with two or more partners, tabel 3 and tabel 4."""
    if note.plan is None or note.cooperation is None:
        return _render("cooperation", no_plan=texts.no_plan_paragraph(note.report_year))
    coop, targets = note.cooperation, note.partnership.targets
    name = note.partnership.name
    plan = note.plan
    years = sorted(plan.funding["year"].unique())
    budget = plan.funding.pivot_table(index="number", columns="year", values="amount",
                                      aggfunc="sum").reset_index()
    lines = plan.lines[["number", "activity"]].merge(budget, on="number")
    return _render(
        "cooperation", no_plan="",
        paragraph=wording.cooperation_paragraph(
            note.report_year, coop.with_partners, coop.activities,
            target_share=targets.cooperation_min_share,
            min_partners=targets.cooperation_min_partners),
        plan_heading=texts.plan_heading(name),
        plan_paragraph=texts.plan_paragraph(
            name, note.report_year,
            plan_period=note.partnership.texts(note.report_year).get("plan_period"),
            description=note.partnership.plan_description),
        budget_table=Markup(tables.budget_table(
            lines, years=years, number=3, title=texts.budget_table_title(name),
            budget_per_year=_budget_of(lines, note.report_year))),
        midterm_table=Markup(tables.midterm_table(
            plan.status, number=4, title=texts.midterm_table_title(note.report_year))))


def _budget_of(lines: pd.DataFrame, year: int) -> int | None:
    """The plan's budget for the note's year ("Budget: ... pr. år"), when the plan covers it;
    otherwise None, and the table states its first year's."""
    return int(lines[year].fillna(0).sum()) if year in lines.columns else None


# --- appendix -----------------------------------------------------------------------------

def appendix(note: StatusNote, parameters: dict) -> str:
    """"Datagrundlag og metode": sources, parameters, input files with SHA-256, methods."""
    root = Path(parameters.get("config_dir") or "config").resolve().parent
    shown = {k: _project_path(v, root) if k.endswith("_dir") else _value(v)
             for k, v in parameters.items() if v not in (None, "")}
    parameter_title, parameter_columns = texts.PARAMETER_TABLE
    parameter_rows = pd.DataFrame(dict(zip(parameter_columns, [
        [texts.PARAMETER_LABELS.get(k, k) for k in shown], list(shown.values()), list(shown)])))
    file_title, file_columns = texts.INPUT_TABLE
    files = pd.DataFrame(dict(zip(file_columns, [list(note.inputs), list(note.inputs.values())])))
    method = texts.method_paragraphs(alpha=note.alpha, p_adjust=note.settings.p_adjust,
                                     survey_years=_survey_years(note), version=__version__,
                                     tests=len(note.tests))
    software = ", ".join(f"{name} {version}" for name, version in package_versions().items())
    return _render(
        "appendix", paragraphs=[*method, f"Programversioner: {software}."],
        notes=[*map(texts.notice, note.notices)],
        verdicts=Markup("\n".join([*_target_tests(note), *_all_tests(note)])),
        parameter_table=Markup(tables.html_table(parameter_rows, title=parameter_title)),
        file_table=Markup(tables.html_table(files, title=file_title)))


def _html_p(text: str) -> str:
    return f"<p>{typeset(text)}</p>"


def _all_tests(note: StatusNote) -> list[str]:
    """Every test behind the note's words, how many, and the box on reading them."""
    box = (f'<div class="signifikans"><h3>{escape(method_text.SIGNIFICANCE_BOX_TITLE)}</h3>'
           f"{_html_p(method_text.significance_box(note.alpha))}</div>")
    if not note.tests:
        return [box]
    rows = []
    for t in note.tests:
        hidden = t.kind == "target" and _suppressed(note, t.topic)
        if t.kind == "target":
            figure = (lambda v: wording.fmt_decimal(v, 1)) if t.topic == "borgervendt" else \
                (lambda v: tables.fmt_count(v, note.settings.min_count))
            difference = wording.ratio_change(t.result.estimate, t.result.ci_low,
                                              t.result.ci_high)
        else:
            figure = wording.fmt_percent
            difference = method_text.share_difference(t.result.estimate, t.result.ci_low,
                                                      t.result.ci_high)
        rows.append({
            "Spørgsmål eller mål": (method_text.TEST_TOPICS.get(t.topic)
                                    or texts.GROUP_LABELS[t.topic]),
            "Sammenligning": method_text.comparison_label(t.kind, t.year, t.other_year),
            "Partnerskab": figure(t.estimate), "Sammenlignet med": figure(t.other),
            "Forskel (95 %-interval)": _SUPPRESSED if hidden else difference,
            "p": "" if hidden else method_text.fmt_p(t.result.pvalue),
            "Signifikant": method_text.yes_no(t.result.significant(note.alpha)),
        })
    adjusted = " (p justeret)" if note.settings.p_adjust != "none" else ""
    return [box, tables.html_table(pd.DataFrame(rows),
                                   title=f"Alle {len(rows)} test bag notatet{adjusted}")]


_SUPPRESSED = "vises ikke (små tal)"


def _suppressed(note: StatusNote, group: str) -> bool:
    """Whether a count of tabel 1 is shown as "<5": its ratio, test and detectable rise would
    give it away, so they are not shown either."""
    c, least = note.crime, note.settings.min_count
    return group != "borgervendt" and any(0 < c.count(group, y) < least
                                          for y in (c.baseline_year, c.year))


def _target_tests(note: StatusNote) -> list[str]:
    """The tests behind tabel 1's verdicts: change, p, φ and what the test could detect."""
    c = note.crime
    if not c.targets:
        return []
    rows = []
    for group, check in c.targets.items():
        if _suppressed(note, group):
            continue
        test, rate = check.test, group == "borgervendt"
        shown = (lambda y: wording.fmt_decimal(c.rate("partnership", y), 1)) if rate else (
            lambda y, group=group: tables.fmt_count(c.count(group, y), note.settings.min_count))
        population = c.rates.set_index(["area", "year"]).loc[("partnership", c.year),
                                                              "population"]
        rows.append({
            "Gerningstype": texts.GROUP_LABELS[group],
            str(c.baseline_year): shown(c.baseline_year), str(c.year): shown(c.year),
            "Ændring (95 %-interval)": wording.ratio_change(test.estimate, test.ci_low,
                                                            test.ci_high),
            "p": method_text.fmt_p(test.pvalue),
            "φ": wording.fmt_decimal(check.dispersion.value, 1),
            "Mindste signifikante stigning": method_text.detectable_rise(
                check.smallest_significant, check.smallest_rise,
                rate=check.smallest_significant / population * 1000 if rate else None),
        })
    return [_html_p(method_text.target_test_method(c.baseline_year, c.year)),
            tables.html_table(pd.DataFrame(rows), title=f"Test af målene i tabel 1, {c.year} "
                                                         f"mod {c.baseline_year}")]


def _value(value) -> str:
    """A parameter as the note prints numbers: 0,05, not 0.05."""
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def _project_path(value, root: Path) -> str:
    """A folder as the project names it ("data/raw/example"): an absolute path in a published
    note says nothing to its reader and may name the analyst's home folder."""
    path = Path(str(value)).resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(value)


def _survey_years(note: StatusNote) -> list[int]:
    shares = next(iter(note.safety.values())).shares
    return sorted(set(shares["year"].unique().tolist()) - set(note.survey_gaps))
