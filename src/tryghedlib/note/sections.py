"""The note's sections as HTML, in Danish, from a :class:`~tryghedlib.note.model.StatusNote`.

Each function returns one section's HTML for the notebook to display; the export template
(``templates/tryghed_note``) styles the classes used here. No number is typed in: every figure
comes from the model, every sentence from :mod:`tryghedlib.note.wording`.
"""

from __future__ import annotations

import math
import re
from html import escape
from pathlib import Path

import pandas as pd

from tryghedlib import __version__
from tryghedlib.note import figures, tables, wording
from tryghedlib.config import Aim
from tryghedlib.note.model import StatusNote

GROUP_LABELS = {
    "borgervendt": "Antal anmeldelser af borgervendt kriminalitet",
    "indbrud": "Indbrud", "tyveri_roeveri": "Tyveri/Røveri", "vold_vaaben": "Vold/Våben",
    "chikane": "Chikane", "haervaerk": "Hærværk", "narkotika": "Narkotika", "trusler": "Trusler",
}
TARGET_LABEL = {"hold": "Minimum fastholdelse"}
NBSP = "\u00a0"  # no-break space
SURVEY = "Københavns Tryghedsundersøgelse"
POLICE = "Københavns Politi"
CITIZEN_FACING_DEFINITION = (
    "Betegnelsen borgervendt kriminalitet følger politiets definition og omhandler følgende "
    "sagsområder: drab (mv.), færdselslov, indbrud, narkotika og smugling, røveri, sædelighed, "
    "tyveri, vold og øvrig straffelov, herunder brugstyveri.")


def _text(text: str) -> str:
    """Escaped text in which a percent sign stays on the line of its number ("16 %"), and
    "figur 1" and "tabel 2" are not split over two lines, as Danish typesetting wants."""
    text = escape(text).replace(" %", NBSP + "%")
    return re.sub(r"\b([Ff]igur|[Tt]abel) (?=\d)", r"\1" + NBSP, text)


def _p(text: str) -> str:
    return f"<p>{_text(text)}</p>"


def title(note: StatusNote) -> str:
    """The note's title, e.g. "Status på tryghed og kriminalitet for ... juni 2021"."""
    return (f"Status på tryghed og kriminalitet for {note.partnership.name} "
            f"{note.settings.report_month} {note.report_year}")


def document_info(note: StatusNote) -> dict[str, str]:
    """Title and partnership name for the PDF's metadata and running header."""
    return {"title": title(note), "partnership_name": note.partnership.name}


def header(note: StatusNote, *, date: str = "", case_number: str = "",
           document_number: str = "", case_officer: str = "") -> str:
    """"Notat", the title, the date and the case facts; then the partnership's aims."""
    given = note.partnership.texts(note.report_year)
    fields = {"date": date or given.get("date", ""),
              "Sagsnummer": case_number or given.get("case_number", ""),
              "Dokumentnummer": document_number or given.get("document_number", ""),
              "Sagsbehandler": case_officer or given.get("case_officer", "")}
    meta = "".join(f'<p><span class="label">{k}</span><br>{escape(v)}</p>'
                   for k, v in fields.items() if k != "date" and v)
    meta += "".join(f"<p>{'<br>'.join(escape(line) for line in block)}</p>"
                    for block in note.settings.sender)
    date_line = f'<p class="notat-dato">{escape(fields["date"])}</p>' if fields["date"] else ""
    heading = "\u00a0".join(escape(title(note)).rsplit(" ", 1))  # the year never alone
    parts = [f'<div class="notat-header"><div class="notat-meta">{meta}</div>',
             f'<p class="notat-label">Notat</p><h1>{heading}</h1>{date_line}</div>',
             _p(note.partnership.description)]
    if note.area_change_year == note.report_year and note.partnership.area_change_note:
        parts.append(_p(note.partnership.area_change_note))
    aims = "".join(_aim(a) for a in note.partnership.aims)
    parts.append(_p(f"I partnerskabsaftalen for {note.partnership.name} ({_period(note)}) "
                    "fremgår følgende målsætninger:") + f"<ol>{aims}</ol>")
    return "\n".join(parts)


def _aim(aim: Aim) -> str:
    points = "".join(f"<li>{_text(p)}</li>" for p in aim.points)
    return (f"<li>{_text(aim.text)}" + (f"<ul>{points}</ul>" if points else "")
            + (_p(aim.note) if aim.note else "") + "</li>")


def _paragraphs(text: str) -> list[str]:
    """A text from the config as paragraphs: a blank line starts a new one."""
    return [_p(" ".join(block.split())) for block in re.split(r"\n\s*\n", text) if block.strip()]


# --- 1. tryghed ---------------------------------------------------------------------------

QUESTION_TITLES = {
    "neighbourhood": ("Andel utrygge i {name}", "Andel utrygge i nabolaget"),
    # The printed note has "nattetimerne Tingbjerg-Husum" and "aften og": not copied.
    "evening": ("Andel utrygge i aften- og nattetimerne i {name}",
                "Andel utrygge i aften- og nattetimerne"),
}


def safety(note: StatusNote) -> str:
    """Section 1: both questions, each with its text and figure."""
    parts = ["<h2>1. Udviklingen i tryghed</h2>"]
    for number, (question, result) in enumerate(note.safety.items(), start=1):
        heading, caption = QUESTION_TITLES[question]
        # The note's "ikke direkte sammenlignelig" opening is for the year the area changed;
        # later years get a sentence naming the earlier years measured on the old area.
        changed = note.area_change_year == note.report_year
        significant = {y: r.significant(note.alpha) for y, r in result.comparisons.items()}
        parts.append(f"<h3>{escape(heading.format(name=note.partnership.name))}</h3>")
        parts += [_p(text) for text in _safety_texts(note, question, result, significant,
                                                    changed, number)]
        fig = figures.share_figure(result.shares, question, area_change_year=note.area_change_year)
        source = wording.figure_source_note(
            note.report_year, note.partnership.name,
            area_changed=note.area_change_year == note.report_year)
        source = " ".join([source, *_suppressed_footnotes(note, result)])
        parts.append(figures.figure_html(
            fig, number=number, title=caption,
            alt=figures.alt_text_shares(result.shares, question,
                                        area_change_year=note.area_change_year),
            source=source.removeprefix("Kilde: ")))
    return "\n".join(parts)


SHARE_SUBJECT = {"neighbourhood": "Andelen af utrygge i partnerskabsområdet",
                 "evening": "Andelen af utrygge i aften- og nattetimerne i partnerskabsområdet"}


def _too_few(note: StatusNote) -> str:
    return f"da den bygger på færre end {note.settings.min_respondents} svar"


def _safety_texts(note: StatusNote, question: str, result, significant: dict, changed: bool,
                  number: int) -> list[str]:
    """The paragraphs on one question. A share based on fewer respondents than
    ``disclosure.min_respondents`` is never printed, nor compared: the text says it is not
    shown (and the figure's footnote says so too)."""
    year = note.report_year
    district_name = note.district_name if number == 1 else None
    if not result.is_shown("partnership", year):
        text = (f"{SHARE_SUBJECT[question]} i {year} vises ikke, {_too_few(note)}. Udviklingen "
                f"og sammenligningen med bydelen og hele byen beskrives derfor ikke, jf. figur "
                f"{number}.")
        return [f"Partnerskabet ligger i {district_name}. {text}" if district_name else text]
    texts = []
    earlier = {y: s for y, s in result.earlier.items() if result.is_shown("partnership", y)}
    if earlier:
        texts.append(wording.development_paragraph(
            question, year, result.current, earlier, {y: significant[y] for y in earlier},
            area_changed=changed, alpha=note.alpha))
    crossed = sorted(y for y in earlier if result.area_changed[y])
    if crossed and not changed:
        texts.append(f"Bemærk, at partnerskabsområdet blev ændret i {note.area_change_year}, så "
                     f"resultatet for {wording.join_list(crossed)} ikke er direkte "
                     f"sammenligneligt med {year}.")
    hidden = sorted(set(result.earlier) - set(earlier))
    if hidden:
        texts.append(f"Andelen for partnerskabsområdet i {wording.join_list(hidden)} vises "
                     f"ikke, {_too_few(note)}, og sammenlignes derfor ikke med {year}.")
    if result.is_shown("district", year) and result.is_shown("city", year):
        texts.append(wording.comparison_paragraph(
            question, year, result.current, result.district, result.city,
            district_name=district_name, figure=number))
    else:
        names = [n for a, n in (("district", note.district_name), ("city", note.city_name))
                 if not result.is_shown(a, year)]
        texts.append(f"Andelen for {wording.join_list(names)} i {year} vises ikke, "
                     f"{_too_few(note)}; sammenligningen med partnerskabsområdet udelades derfor, "
                     f"jf. figur {number}.")
    return texts


def _suppressed_footnotes(note: StatusNote, result) -> list[str]:
    """Footnotes under a share figure for the points it leaves out, and why."""
    shares = result.shares
    hidden = shares[~shares["shown"].astype(bool) & ~shares["year"].isin(note.survey_gaps)]
    notes = []
    for area in ("partnership", "district", "city"):
        years = sorted(hidden.loc[hidden["area"] == area, "year"].unique().tolist())
        if years:
            name = hidden.loc[hidden["area"] == area, "area_name"].iloc[0]
            notes.append(f"Andelen for {name} i {wording.join_list(years)} vises ikke, "
                         f"{_too_few(note)}.")
    if note.survey_gaps:
        notes.append(f"Der er ingen data fra {SURVEY} for {wording.join_list(note.survey_gaps)}.")
    return notes


# --- 2. kriminalitet ----------------------------------------------------------------------

def crime(note: StatusNote) -> str:
    """Section 2: borgervendt kriminalitet, tabel 1, figur 3, tabel 2."""
    c = note.crime
    year, baseline = c.year, c.baseline_year
    t1 = note.partnership.targets.table_1_groups
    is_baseline = year == baseline
    changed = note.area_change_year == note.report_year
    area_note = ("udvidet geografisk område" if changed else None)
    paragraph = _crime_paragraph(note, t1, changed, is_baseline)
    parts = ["<h2>2. Udviklingen i kriminalitet</h2>",
             "<h3>Udviklingen i anmeldelser af borgervendt kriminalitet</h3>", _p(paragraph)]
    parts.append(_targets(note, area_note))
    rates_fig = figures.crime_rate_figure(c.rates)
    parts.append(figures.figure_html(
        rates_fig, number=3,
        title="Borgervendt kriminalitet, antal anmeldelser pr. 1000 indbyggere",
        alt=figures.alt_text_rates(c.rates),
        source=(f"{POLICE}. Data er opgjort på partnerskabets nuværende geografiske område for "
                f"alle år, og tallene kan derfor sammenlignes på tværs af år. Der anvendes tal "
                f"fra seneste hele år - dvs. {year}.")))
    parts.append(_monitoring(note, is_baseline, changed))
    parts += _paragraphs(note.partnership.texts(note.report_year).get("police_comment", ""))
    return "\n".join(parts)


def _crime_paragraph(note: StatusNote, groups, changed: bool, is_baseline: bool) -> str:
    """The paragraph on borgervendt kriminalitet; a count below ``disclosure.min_count`` is
    written "færre end 5", as tabel 1 shows it ("<5")."""
    c = note.crime
    earlier = c.rate("partnership", c.year - 1)
    return wording.crime_paragraph(
        c.year, c.count("borgervendt"), c.rate("partnership"), earlier_year=c.year - 1,
        earlier_rate=None if math.isnan(earlier) else earlier, city_rate=c.rate("city"),
        area_note=_area_note(note) if changed else None,
        table_counts={GROUP_LABELS[g].lower(): c.count(g) for g in groups},
        baseline_period=_period(note) if is_baseline else None,
        min_count=note.settings.min_count)


def _area_note(note: StatusNote) -> str:
    added = sorted(set(note.partnership.subareas(note.report_year))
                   - set(note.partnership.subareas(note.report_year - 1)))
    return "udvidet geografisk område" + (f" inkl. {_names(note, added)}" if added else "")


def _names(note: StatusNote, codes: list[str]) -> str:
    names = [note.subarea_names.get(c, c) for c in codes]
    return wording.join_names(names)


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
        row = {"label": GROUP_LABELS[group],
               "target": TARGET_LABEL.get(note.partnership.targets.crime_rule,
                                          note.partnership.targets.crime_rule),
               "unit": "rate" if group == "borgervendt" else "count"}
        for y in years:
            row[y] = c.rate("partnership", y) if group == "borgervendt" else c.count(group, y)
        if later:
            test = c.target_tests[group]
            row["status"] = wording.target_sentence(
                row[c.year], row[first], test, baseline_year=first,
                decimals=1 if group == "borgervendt" else 0, alpha=note.alpha)
        rows.append(row)
    where = f" ({area_note} for partnerskabet)" if area_note else ""
    return tables.targets_table(
        pd.DataFrame(rows), baseline_year=first, later_years=later,
        baseline_label=_baseline_label(c.year, c.baseline_year) if first == c.baseline_year
        else None,
        min_count=note.settings.min_count, number=1,
        title=f"Antal anmeldelser af borgervendt kriminalitet {c.year}{where}",
        source=f"{POLICE}. {CITIZEN_FACING_DEFINITION}")


def _table_years(c) -> tuple[int, list[int]]:
    """The years tabel 1 and 2 show: the baseline and each year since, up to the crime year
    (only the crime year when it is the baseline or comes before it)."""
    later = list(range(c.baseline_year + 1, c.year + 1)) if c.baseline_year < c.year else []
    return (c.baseline_year if later or c.year == c.baseline_year else c.year), later


def _baseline_label(year: int, baseline: int) -> str:
    """"ny baseline" in the year the baseline is set, plain "baseline" in the years after."""
    return "ny baseline" if year == baseline else "baseline"


def _monitoring(note: StatusNote, is_baseline: bool, changed: bool) -> str:
    c = note.crime
    groups = note.partnership.targets.table_2_groups
    names = wording.join_list([GROUP_LABELS[g].lower() for g in groups])
    text = f"Nedenstående tabel 2 viser antal anmeldelser på gerningstyperne {names}."
    if changed:
        text += (f" På grund af den geografiske udvidelse af partnerskabsområdet, kan tallene "
                 f"ikke sammenlignes med {c.year - 1}.")
    if is_baseline:
        text += f" Tallene for {c.year} udgør baseline for partnerskabsperioden {_period(note)}."
    first, later = _table_years(c)
    frame = pd.DataFrame({"label": [GROUP_LABELS[g] for g in groups],
                          **{y: [c.count(g, y) for g in groups] for y in [first, *later]}})
    where = " (udvidet geografisk område for partnerskabet)" if changed else ""
    return "\n".join([
        "<h3>Årlig monitorering på udvalgte gerningstyper</h3>", _p(text),
        tables.monitoring_table(frame, year=first, later_years=later,
                                baseline_label=_baseline_label(c.year, c.baseline_year)
                                if first == c.baseline_year else None,
                                min_count=note.settings.min_count, number=2,
                                title=f"Antal anmeldelser i {c.year}{where} (helårs data)",
                                source=POLICE)])


# --- 3. samarbejde og tryghedsplan ----------------------------------------------------------

def cooperation(note: StatusNote) -> str:
    """Section 3: activities with two or more partners, tabel 3 and tabel 4."""
    if note.plan is None or note.cooperation is None:
        return "<h2>3. Samarbejde på tværs</h2>" + _p(
            f"Der foreligger ingen tryghedsplan for {note.report_year} i datagrundlaget.")
    coop, targets = note.cooperation, note.partnership.targets
    name = note.partnership.name
    plan = note.plan
    years = sorted(plan.funding["year"].unique())
    budget = plan.funding.pivot_table(index="number", columns="year", values="amount",
                                      aggfunc="sum").reset_index()
    lines = plan.lines[["number", "activity"]].merge(budget, on="number")
    period = note.partnership.texts(note.report_year).get("plan_period")
    status = f"gældende for {period}" if period else f"for {note.report_year}"
    return "\n".join([
        "<h2>3. Samarbejde på tværs</h2>",
        _p(wording.cooperation_paragraph(note.report_year, coop.with_partners, coop.activities,
                                         target_share=targets.cooperation_min_share,
                                         min_partners=targets.cooperation_min_partners)),
        f"<h2>Tryghedsplan for {escape(name)} og midtvejsstatus på tryghedsplanens "
        "aktiviteter</h2>",
        _p(f"Af tabel 3 fremgår tryghedsplanen for {name}, inkl. økonomi. Af tabel 4 fremgår "
           f"midtvejsstatus på aktiviteterne i tryghedsplanen {status}. "
           f"{note.partnership.plan_description}".rstrip()),
        tables.budget_table(lines, years=years, number=3, title=f"Tryghedsplan for {name}",
                            budget_per_year=_budget_of(lines, note.report_year)),
        tables.midterm_table(plan.status, number=4,
                             title=f"Midtvejsstatus for aktiviteter i tryghedsplanen "
                                   f"{note.report_year}"),
    ])


def _budget_of(lines: pd.DataFrame, year: int) -> int | None:
    """The plan's budget for the note's year ("Budget: ... pr. år"), when the plan covers it;
    otherwise None, and the table states its first year's."""
    return int(lines[year].fillna(0).sum()) if year in lines.columns else None


# --- appendix -----------------------------------------------------------------------------

#: The notebook's parameters as the appendix names them; any other by its own name.
PARAMETER_LABELS = {"partnership": "Partnerskab", "report_year": "Rapportår",
                    "crime_year": "Seneste år med anmeldelser", "data_dir": "Datamappe",
                    "config_dir": "Konfigurationsmappe",
                    "cache_dir": "Mappe til mellemresultater", "alpha": "Signifikansniveau"}


def appendix(note: StatusNote, parameters: dict) -> str:
    """"Datagrundlag og metode": sources, parameters, input files with SHA-256, methods."""
    root = Path(parameters.get("config_dir") or "config").resolve().parent
    shown = {k: _project_path(v, root) if k.endswith("_dir") else _value(v)
             for k, v in parameters.items() if v not in (None, "")}
    parameter_rows = pd.DataFrame({"Parameter": [PARAMETER_LABELS.get(k, k) for k in shown],
                                   "Værdi": list(shown.values()),
                                   "Navn i notebooken": list(shown)})
    files = pd.DataFrame({"Fil": list(note.inputs), "SHA-256": list(note.inputs.values())})
    adjust = ("Der er ikke korrigeret for multiple sammenligninger."
              if note.settings.p_adjust == "none" else
              f"P-værdierne er korrigeret for multiple sammenligninger ({note.settings.p_adjust}).")
    method = [
        f"Andel utrygge er den vægtede andel, der svarer 'Utryg' eller 'Meget utryg'; 'Ved ikke' "
        f"og ubesvarede indgår ikke. Ændringer i andelen testes med en to-stikprøve-test for "
        f"andele (z-test med fælles andel) på det effektive antal svarpersoner (Kish), "
        f"signifikansniveau {wording.fmt_percent(note.alpha)}. {adjust}",
        "Anmeldelser er placeret i områder ud fra deres koordinater, på partnerskabets "
        "nuværende område for alle år. Ændringer i antal anmeldelser i forhold til baseline "
        "testes med en eksakt Poisson-test med befolkningen som eksponering (ensidet: er "
        "niveauet steget?).",
        f"Kilder: {SURVEY} ({', '.join(str(y) for y in _survey_years(note))}), "
        f"{POLICE}s anmeldelsesregister, befolkningstal pr. 1. januar og partnerskabets "
        f"tryghedsplan. tryghedlib version {__version__}.",
    ]
    parts = ['<div class="appendix"><h2>Bilag: Datagrundlag og metode</h2>',
             *[_p(m) for m in method], *[_p(n) for n in note.notes],
             tables.html_table(parameter_rows, title="Parametre for kørslen"),
             tables.html_table(files, title="Inddata (SHA-256)"), "</div>"]
    return "\n".join(parts)


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
