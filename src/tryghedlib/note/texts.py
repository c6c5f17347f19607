"""The note's other texts in Danish: names, labels, titles, captions and the short sentences
around the figures and tables, and the notices of flaws a note survives.

:mod:`tryghedlib.note.wording` holds the number formats and the sentences that state a
verdict; this module the rest of what the note says. Both return plain text: the templates
(``templates/sections``) escape it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tryghedlib.note.method_text import survey_test_method
from tryghedlib.note.wording import SURVEY, fmt_int, fmt_percent, join_list, join_names

if TYPE_CHECKING:
    from tryghedlib.note.model import Notice

POLICE = "Københavns Politi"
CITIZEN_FACING_DEFINITION = (
    "Betegnelsen borgervendt kriminalitet følger politiets definition og omhandler følgende "
    "sagsområder: drab (mv.), færdselslov, indbrud, narkotika og smugling, røveri, sædelighed, "
    "tyveri, vold og øvrig straffelov, herunder brugstyveri.")
GROUP_LABELS = {
    "borgervendt": "Antal anmeldelser af borgervendt kriminalitet",
    "indbrud": "Indbrud", "tyveri_roeveri": "Tyveri/Røveri", "vold_vaaben": "Vold/Våben",
    "chikane": "Chikane", "haervaerk": "Hærværk", "narkotika": "Narkotika", "trusler": "Trusler",
}
TARGET_LABELS = {"hold": "Minimum fastholdelse"}
#: The notebook's parameters as the appendix names them; any other by its own name.
PARAMETER_LABELS = {"partnership": "Partnerskab", "report_year": "Rapportår",
                    "crime_year": "Seneste år med anmeldelser", "data_dir": "Datamappe",
                    "config_dir": "Konfigurationsmappe",
                    "cache_dir": "Mappe til mellemresultater", "alpha": "Signifikansniveau"}
#: Per survey question: the heading (with {name}) and the figure's caption.
QUESTION_TITLES = {
    "neighbourhood": ("Andel utrygge i {name}", "Andel utrygge i nabolaget"),
    # The printed note has "nattetimerne Tingbjerg-Husum" and "aften og": not copied.
    "evening": ("Andel utrygge i aften- og nattetimerne i {name}",
                "Andel utrygge i aften- og nattetimerne"),
}
_SHARE_SUBJECT = {"neighbourhood": "Andelen af utrygge i partnerskabsområdet",
                  "evening": "Andelen af utrygge i aften- og nattetimerne i partnerskabsområdet"}
RATE_FIGURE_TITLE = "Borgervendt kriminalitet, antal anmeldelser pr. 1000 indbyggere"


def title(name: str, month: str, year: int) -> str:
    """The note's title.

    >>> title("Tingbjerg-Husum Partnerskab", "juni", 2021)
    'Status på tryghed og kriminalitet for Tingbjerg-Husum Partnerskab juni 2021'
    """
    return f"Status på tryghed og kriminalitet for {name} {month} {year}"


def aims_intro(name: str, period: str) -> str:
    """The sentence before the partnership's aims."""
    return f"I partnerskabsaftalen for {name} ({period}) fremgår følgende målsætninger:"


def _too_few(min_respondents: int) -> str:
    return f"da den bygger på færre end {min_respondents} svar"


def share_not_shown(question: str, year: int, *, min_respondents: int, figure: int,
                    district_name: str | None = None) -> str:
    """The paragraph on a question whose share this year has too few respondents to print.

    >>> share_not_shown("neighbourhood", 2021, min_respondents=50, figure=1)[:60]
    'Andelen af utrygge i partnerskabsområdet i 2021 vises ikke, '
    """
    text = (f"{_SHARE_SUBJECT[question]} i {year} vises ikke, {_too_few(min_respondents)}. "
            f"Udviklingen og sammenligningen med bydelen og hele byen beskrives derfor ikke, "
            f"jf. figur {figure}.")
    return f"Partnerskabet ligger i {district_name}. {text}" if district_name else text


def area_changed_since(change_year: int, years: Sequence[int], year: int) -> str:
    """A later year's caveat on earlier years measured on the area before it changed."""
    return (f"Bemærk, at partnerskabsområdet blev ændret i {change_year}, så resultatet for "
            f"{join_list(years)} ikke er direkte sammenligneligt med {year}.")


def earlier_not_shown(years: Sequence[int], year: int, *, min_respondents: int) -> str:
    """Earlier years of the partnership's share left out for too few respondents."""
    return (f"Andelen for partnerskabsområdet i {join_list(years)} vises ikke, "
            f"{_too_few(min_respondents)}, og sammenlignes derfor ikke med {year}.")


def comparison_not_shown(names: Sequence[str], year: int, *, min_respondents: int,
                         figure: int) -> str:
    """The district's or the city's share this year left out for too few respondents."""
    return (f"Andelen for {join_list(names)} i {year} vises ikke, {_too_few(min_respondents)}; "
            f"sammenligningen med partnerskabsområdet udelades derfor, jf. figur {figure}.")


def hidden_share_footnote(name: str, years: Sequence[int], *, min_respondents: int) -> str:
    """A share figure's footnote on the points of one area it leaves out."""
    return f"Andelen for {name} i {join_list(years)} vises ikke, {_too_few(min_respondents)}."


def survey_gap_footnote(years: Sequence[int]) -> str:
    """A share figure's footnote on years without survey data.

    >>> survey_gap_footnote([2020])
    'Der er ingen data fra Københavns Tryghedsundersøgelse for 2020.'
    """
    return f"Der er ingen data fra {SURVEY} for {join_list(years)}."


def rate_figure_source(year: int) -> str:
    """The source of figur 3 (rates on today's area for every year)."""
    return (f"{POLICE}. Data er opgjort på partnerskabets nuværende geografiske område for "
            f"alle år, og tallene kan derfor sammenlignes på tværs af år. Der anvendes tal "
            f"fra seneste hele år - dvs. {year}.")


def enlarged_area(added: Sequence[str] = ()) -> str:
    """What the area became, with the sub-areas added when known.

    >>> enlarged_area(["Skolevangen 1", "Skolevangen 2"])
    'udvidet geografisk område inkl. Skolevangen 1 og 2'
    """
    return "udvidet geografisk område" + (f" inkl. {join_names(added)}" if added else "")


def targets_table_title(year: int, area_note: str | None = None) -> str:
    """Tabel 1's title."""
    where = f" ({area_note} for partnerskabet)" if area_note else ""
    return f"Antal anmeldelser af borgervendt kriminalitet {year}{where}"


def baseline_label(year: int, baseline: int) -> str:
    """"ny baseline" in the year the baseline is set, plain "baseline" in the years after."""
    return "ny baseline" if year == baseline else "baseline"


def monitoring_paragraph(labels: Sequence[str], year: int, *, area_changed: bool,
                         baseline_period: str | None = None) -> str:
    """The paragraph before tabel 2: its offence groups and what its numbers compare with."""
    text = (f"Nedenstående tabel 2 viser antal anmeldelser på gerningstyperne "
            f"{join_list(labels)}.")
    if area_changed:
        text += (f" På grund af den geografiske udvidelse af partnerskabsområdet, kan tallene "
                 f"ikke sammenlignes med {year - 1}.")
    if baseline_period:
        text += f" Tallene for {year} udgør baseline for partnerskabsperioden {baseline_period}."
    return text


def monitoring_table_title(year: int, *, area_changed: bool) -> str:
    """Tabel 2's title."""
    where = " (udvidet geografisk område for partnerskabet)" if area_changed else ""
    return f"Antal anmeldelser i {year}{where} (helårs data)"


def no_plan_paragraph(year: int) -> str:
    """Section 3 when the data hold no safety plan for the year."""
    return f"Der foreligger ingen tryghedsplan for {year} i datagrundlaget."


def plan_heading(name: str) -> str:
    """The heading over tabel 3 and 4."""
    return f"Tryghedsplan for {name} og midtvejsstatus på tryghedsplanens aktiviteter"


def plan_paragraph(name: str, year: int, *, plan_period: str | None = None,
                   description: str = "") -> str:
    """The paragraph before tabel 3 and 4, ending with the plan's description (config)."""
    status = f"gældende for {plan_period}" if plan_period else f"for {year}"
    return (f"Af tabel 3 fremgår tryghedsplanen for {name}, inkl. økonomi. Af tabel 4 fremgår "
            f"midtvejsstatus på aktiviteterne i tryghedsplanen {status}. "
            f"{description}").rstrip()


def budget_table_title(name: str) -> str:
    """Tabel 3's title."""
    return f"Tryghedsplan for {name}"


def midterm_table_title(year: int) -> str:
    """Tabel 4's title."""
    return f"Midtvejsstatus for aktiviteter i tryghedsplanen {year}"


def method_paragraphs(*, alpha: float, p_adjust: str, survey_years: Sequence[int],
                      version: str, tests: int = 0) -> list[str]:
    """The appendix's paragraphs on the methods and the sources; ``tests``: how many tests
    the note's words rest on (the tests themselves: :mod:`tryghedlib.note.method_text`)."""
    return [
        survey_test_method(alpha, p_adjust, tests),
        "Anmeldelser er placeret i områder ud fra deres koordinater, på partnerskabets "
        "nuværende område for alle år.",
        f"Kilder: {SURVEY} ({', '.join(str(y) for y in survey_years)}), "
        f"{POLICE}s anmeldelsesregister, befolkningstal pr. 1. januar og partnerskabets "
        f"tryghedsplan. tryghedlib version {version}.",
    ]


#: The appendix's tables: (title, column names).
PARAMETER_TABLE = ("Parametre for kørslen", ("Parameter", "Værdi", "Navn i notebooken"))
INPUT_TABLE = ("Inddata (SHA-256)", ("Fil", "SHA-256"))


def notice(notice: Notice) -> str:
    """A flaw the note survived (:class:`~tryghedlib.note.model.Notice`), as its appendix
    states it."""
    years = join_list(notice.years) if notice.years else ""
    if notice.kind == "no_plan":
        return (f"Der findes ingen tryghedsplan for {years} i data ({notice.file}); afsnit 3 "
                "indeholder derfor ingen opgørelse af samarbejdet.")
    if notice.kind == "unlocated_reports":
        return (f"{fmt_int(notice.count)} anmeldelser fra {years} har ingen koordinater og "
                "indgår derfor ikke i tallene for noget område.")
    if notice.kind == "survey_gap":
        return (f"Der er ingen data fra {SURVEY} for {years} (ingen fil "
                f"tryghedsundersoegelse_<år>.csv); figur 1 og 2 har derfor ingen punkter for "
                f"{'det år' if len(notice.years) == 1 else 'de år'}.")
    if notice.kind == "no_comparison":
        return (f"Sammenligningen med {years} er udeladt i afsnit 1, fordi der ikke er data fra "
                f"{SURVEY} for {years}.")
    if notice.kind == "outside_district":
        one = notice.count == 1
        return (f"{fmt_int(notice.count)} {'svarperson' if one else 'svarpersoner'} fra {years} "
                f"er registreret med et delområde i en anden bydel end {'sin' if one else 'deres'}"
                f" egen; {'svarpersonen' if one else 'de'} indgår i partnerskabets tal efter "
                "delområdet og i bydelens efter bydelen.")
    if notice.kind == "baseline_ahead":
        year, baseline = notice.years
        return (f"Basisåret for målene for kriminalitet er {baseline} (crime_baseline_year), "
                f"efter kriminalitetsåret {year}; tabel 1 viser derfor {year} uden "
                "sammenligning med et basisår.")
    raise ValueError(f"unknown notice kind {notice.kind!r}")
