"""Tables of the status note (tabel 1–4) as HTML for the nbconvert → WeasyPrint export.

Every table is ``<table class="tryg">`` with a ``<thead>`` (WeasyPrint repeats it on each page
a long table runs over), an optional ``<caption>`` "Tabel n: title" and is followed by
``<p class="kilde">Kilde: ...</p>`` when a source is given. Numeric cells have ``class="num"``
(right-aligned by the export CSS). All text is escaped; numbers are Danish ("1.934.000",
"23,3") through :mod:`tryghedlib.note.wording`. A missing value is an empty cell, never "NaN".

Disclosure: with ``min_count`` a count 0 < n < min_count is shown as "<5" (see
:func:`fmt_count`).
"""

from __future__ import annotations

import html
import itertools
import numbers
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from tryghedlib.note.wording import fmt_decimal, fmt_int, fmt_mio_kr, reports_text

__all__ = [
    "MIDTERM_HEADS",
    "budget_table",
    "fmt_count",
    "format_value",
    "html_table",
    "midterm_table",
    "monitoring_table",
    "paragraphs_html",
    "targets_table",
]

RATE_UNIT = "anmeldelser pr. 1000 indbyggere"

MIDTERM_HEADS = (
    "Aktivitet",
    "Ansvarlig",
    "Kører aktiviteten som planlagt? Hvis ikke, hvorfor?",
    "Nævn 1-3 eksempler på leverancer der er opnået",
    "Er der op til nu opstået bekymringer knyttet til opfyldelse af aktivitetens leverancer?",
    "Er der behov for justeringer? Hvis ja, hvilke?",
)
MIDTERM_COLUMNS = ("number", "activity", "responsible", "running", "deliveries", "concerns",
                   "adjustments")
# Column widths (percent of the text width): the two long free-text columns get the most room.
MIDTERM_WIDTHS = (11, 11, 33, 23, 12, 10)


# --- cell values ----------------------------------------------------------------------------


def _missing(value) -> bool:
    """True for None, NaN, pd.NA and NaT (but not for strings or containers)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _whole(value, what: str) -> int:
    """``value`` as an int; a float must be whole (Excel gives 80000.0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{what} must be a number, not {value!r}")
    if not float(value).is_integer():
        raise ValueError(f"{what} must be a whole number, not {value!r}")
    return int(value)


def fmt_count(n, min_count: int | None = None) -> str:
    """A count in Danish format, or "<min_count" when 0 < n < min_count.

    A count of 0 is shown as "0": it points at no person, and Danish statistics suppress only
    small non-zero counts. Without ``min_count`` nothing is suppressed.

    >>> fmt_count(1934)
    '1.934'
    >>> fmt_count(3, min_count=5)
    '<5'
    >>> fmt_count(0, min_count=5)
    '0'
    >>> fmt_count(5, min_count=5)
    '5'
    """
    count = _whole(n, "a count")
    if count < 0:
        raise ValueError(f"a count cannot be negative: {n!r}")
    if min_count is not None and 0 < count < min_count:
        return f"<{min_count}"
    return fmt_int(count)


def _reports_cell(n, min_count: int | None) -> str:
    """ "65 anmeldelser", "1 anmeldelse", "<5 anmeldelser"; "" when missing."""
    return "" if _missing(n) else reports_text(fmt_count(n, min_count))


def _rate(value) -> str:
    """ "23,3 anmeldelser pr. 1000 indbyggere"; "" when missing."""
    if _missing(value):
        return ""
    return f"{fmt_decimal(float(value), 1)} {RATE_UNIT}"


def format_value(value, decimals: int = 1) -> str:
    """A value as Danish table text: ints "1.934", floats "23,3", bools "Ja"/"Nej", missing "".

    >>> format_value(1934000)
    '1.934.000'
    >>> format_value(23.25)
    '23,3'
    >>> format_value(float("nan"))
    ''
    >>> format_value(True)
    'Ja'
    """
    if _missing(value):
        return ""
    if isinstance(value, bool):  # numpy bools are not numbers.Integral
        return "Ja" if value else "Nej"
    if hasattr(value, "dtype") and value.dtype == bool:
        return "Ja" if bool(value) else "Nej"
    if isinstance(value, numbers.Integral):
        return fmt_int(int(value))
    if isinstance(value, numbers.Real):
        return fmt_decimal(float(value), decimals)
    return str(value)


def _text(value) -> str:
    """Free text of a cell, stripped; "" when missing."""
    return "" if _missing(value) else str(value).strip()


# --- free text ------------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*[-•–*]\s+")


def paragraphs_html(text) -> str:
    """Free text as HTML: paragraphs (blank-line separated) as ``<p>``, bullet lines as ``<ul>``.

    A text of one plain paragraph stays bare; a line break inside a paragraph becomes ``<br>``.
    Consecutive lines starting with "- " or "• " become a list. Everything is escaped.

    >>> paragraphs_html("Nej")
    'Nej'
    >>> paragraphs_html("Vold & <trusler>\\n\\nNæste skridt")
    '<p>Vold &amp; &lt;trusler&gt;</p><p>Næste skridt</p>'
    >>> paragraphs_html("Partnere:\\n- A\\n- B")
    '<p>Partnere:</p><ul><li>A</li><li>B</li></ul>'
    """
    text = _text(text).replace("\r\n", "\n").replace("\r", "\n")
    blocks = []  # (kind, html) with kind "p" or "ul"
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        for is_item, run in itertools.groupby(lines, key=lambda line: bool(_BULLET.match(line))):
            run = list(run)
            if is_item:
                items = "".join(f"<li>{html.escape(_BULLET.sub('', line))}</li>" for line in run)
                blocks.append(("ul", f"<ul>{items}</ul>"))
            else:
                blocks.append(("p", "<br>".join(html.escape(line) for line in run)))
    if len(blocks) == 1 and blocks[0][0] == "p":
        return blocks[0][1]
    return "".join(body if kind == "ul" else f"<p>{body}</p>" for kind, body in blocks)


# --- HTML building --------------------------------------------------------------------------


def _cell(content: str, *, tag: str = "td", numeric: bool = False, **attrs) -> str:
    """One cell; ``content`` is HTML already escaped. A percent sign stays on the line of its
    number ("16 %", "95 %-interval"), as Danish typesetting wants."""
    content = content.replace(" %", "\u00a0%")
    parts = [tag]
    if numeric:
        parts.append('class="num"')
    for name, value in attrs.items():
        if value is not None:
            parts.append(f'{name}="{html.escape(str(value))}"')
    return f"<{' '.join(parts)}>{content}</{tag}>"


def _row(cells: Iterable[str], cls: str | None = None) -> str:
    opening = f'<tr class="{cls}">' if cls else "<tr>"
    return opening + "".join(cells) + "</tr>"


def _caption(number, title) -> str | None:
    if number is None and not title:
        return None
    if number is None:
        return html.escape(str(title))
    if not title:
        return f"Tabel {html.escape(str(number))}"
    return f"Tabel {html.escape(str(number))}: {html.escape(str(title))}"


def _table(head_rows: Sequence[str], body_rows: Sequence[str], *, number=None, title=None,
           source=None, classes: str = "tryg", widths: Sequence[float] | None = None) -> str:
    """Assemble ``<table>`` (+ ``<p class="kilde">``) from rendered rows."""
    # Fixed layout is what makes the browser/WeasyPrint keep the <colgroup> widths.
    style = ' style="table-layout: fixed"' if widths else ""
    lines = [f'<table class="{classes}"{style}>']
    caption = _caption(number, title)
    if caption:
        lines.append(f"<caption>{caption}</caption>")
    if widths:
        cols = "".join(f'<col style="width: {w:g}%">' for w in widths)
        lines.append(f"<colgroup>{cols}</colgroup>")
    lines += ["<thead>", *head_rows, "</thead>", "<tbody>", *body_rows, "</tbody>", "</table>"]
    if source:
        lines.append(f'<p class="kilde">Kilde: {html.escape(str(source))}</p>')
    return "\n".join(lines)


def require_columns(frame: pd.DataFrame, columns, what: str) -> None:
    """A ValueError naming the columns ``frame`` lacks, if any."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}; it has {list(frame.columns)}")


def _year_column(frame: pd.DataFrame, year: int, what: str):
    """The column for ``year``: its int name, or the same year as text."""
    for column in frame.columns:
        if str(column).strip() == str(int(year)):
            return column
    raise ValueError(f"{what} has no column for year {year}; it has {list(frame.columns)}")


def _year_head(year: int, baseline_label: str | None) -> str:
    return f"{year} ({baseline_label})" if baseline_label else str(year)


# --- generic table --------------------------------------------------------------------------


def html_table(df: pd.DataFrame, *, number=None, title=None, source=None,
               numeric: Iterable = (), decimals: int = 1) -> str:
    """A DataFrame as a Danish ``<table class="tryg">``; the index is not shown.

    ``numeric`` names the columns to right-align. Values are formatted with
    :func:`format_value` (floats with ``decimals`` decimals) and escaped.

    >>> frame = pd.DataFrame({"Område": ["A & B"], "Antal": [1934000]})
    >>> print(html_table(frame, number=5, title="Test", source="Politi", numeric=["Antal"]))
    <table class="tryg">
    <caption>Tabel 5: Test</caption>
    <thead>
    <tr><th scope="col">Område</th><th class="num" scope="col">Antal</th></tr>
    </thead>
    <tbody>
    <tr><td>A &amp; B</td><td class="num">1.934.000</td></tr>
    </tbody>
    </table>
    <p class="kilde">Kilde: Politi</p>
    """
    numeric = set(numeric)
    unknown = numeric - set(df.columns)
    if unknown:
        raise ValueError(f"numeric column(s) {sorted(map(str, unknown))} are not in the table")
    columns = list(df.columns)
    head = _row(_cell(html.escape(str(c)), tag="th", numeric=c in numeric, scope="col")
                for c in columns)
    body = []
    for values in df.itertuples(index=False, name=None):
        body.append(_row(_cell(html.escape(format_value(v, decimals)), numeric=c in numeric)
                         for c, v in zip(columns, values)))
    return _table([head], body, number=number, title=title, source=source)


# --- tabel 1: targets -----------------------------------------------------------------------


def targets_table(df: pd.DataFrame, *, baseline_year: int, later_years: Sequence[int] = (),
                  min_count: int | None = None, baseline_label: str | None = "ny baseline",
                  number=None, title=None, source=None) -> str:
    """Tabel 1: each target's baseline value, and later years with a status when there are any.

    ``df`` columns: ``label``, ``target``, ``unit`` ("rate" or "count"), one column per year
    (int name) and ``status`` (needed only with ``later_years``); an optional ``change`` column
    (text, e.g. "+50 % (−32 % til +232 %)") is shown before the status as the change since
    the baseline with its 95 % interval. A rate cell reads
    "23,3 anmeldelser pr. 1000 indbyggere", a count cell "23 anmeldelser" (or "<5 anmeldelser"
    with ``min_count``). Rates are not suppressed: they are not counts of persons.
    """
    years = [baseline_year, *later_years]
    needed = ["label", "target", "unit"] + (["status"] if later_years else [])
    require_columns(df, needed, "targets table")
    columns = [_year_column(df, y, "targets table") for y in years]
    bad_units = sorted(set(df["unit"].astype(str)) - {"rate", "count"})
    if bad_units:
        raise ValueError(f"targets table: unit must be 'rate' or 'count', not {bad_units}")

    change = later_years and "change" in df.columns
    heads = ["Gerningstype", "Mål", _year_head(baseline_year, baseline_label),
             *(str(y) for y in later_years)]
    heads += [f"Ændring siden {baseline_year} (95 %-interval)"] if change else []
    heads += ["Status"] if later_years else []
    head = _row(_cell(html.escape(h), tag="th", scope="col") for h in heads)
    body = []
    for _, line in df.iterrows():
        fmt = _rate if line["unit"] == "rate" else (lambda v: _reports_cell(v, min_count))
        cells = [_text(line["label"]), _text(line["target"]), *(fmt(line[c]) for c in columns)]
        if change:
            cells.append(_text(line["change"]))
        if later_years:
            cells.append(_text(line["status"]))
        body.append(_row(_cell(html.escape(c)) for c in cells))
    return _table([head], body, number=number, title=title, source=source)


# --- tabel 2: monitoring --------------------------------------------------------------------


def _total(counts: pd.Series, min_count: int | None) -> str:
    """Total of a column of counts, without undoing the suppression of its small cells.

    When cells are suppressed the exact total would give them away (total minus the shown
    cells), so the total is then the lower bound the reader can work out anyway: the shown
    cells plus 1 for each suppressed one ("Mindst 213 anmeldelser"). Any missing cell: "".
    """
    if counts.empty or any(_missing(v) for v in counts):
        return ""
    values = [_whole(v, "a count") for v in counts]
    small = [v for v in values if min_count is not None and 0 < v < min_count]
    if not small:
        return _reports_cell(sum(values), None)
    bound = sum(values) - sum(small) + len(small)
    return f"Mindst {_reports_cell(bound, None)}"


def monitoring_table(df: pd.DataFrame, *, year: int, later_years: Sequence[int] = (),
                     min_count: int | None = None, baseline_label: str | None = "ny baseline",
                     number=None, title=None, source=None) -> str:
    """Tabel 2: reports per monitored offence type with a "Total" row.

    ``df`` columns: ``label`` and one column per year (int name) with counts. The first year's
    head is "{year} (ny baseline)" (``baseline_label=None`` gives just the year); later years
    follow as plain years. Cells read "65 anmeldelser".
    """
    years = [year, *later_years]
    require_columns(df, ["label"], "monitoring table")
    columns = [_year_column(df, y, "monitoring table") for y in years]
    heads = [_cell("Gerningstype", tag="th", scope="col")]
    heads += [_cell(html.escape(_year_head(y, baseline_label if i == 0 else None)), tag="th",
                    numeric=True, scope="col") for i, y in enumerate(years)]
    body = []
    for _, line in df.iterrows():
        cells = [_cell(html.escape(_text(line["label"])))]
        cells += [_cell(html.escape(_reports_cell(line[c], min_count)), numeric=True) for c in columns]
        body.append(_row(cells))
    total = [_cell("Total")]
    total += [_cell(html.escape(_total(df[c], min_count)), numeric=True) for c in columns]
    body.append(_row(total, cls="total"))
    return _table([_row(heads)], body, number=number, title=title, source=source)


# --- tabel 3: budget ------------------------------------------------------------------------


def _amount(value) -> int:
    """Kr. of one budget cell; blank counts as 0 (no funding that year)."""
    return 0 if _missing(value) else _whole(value, "an amount (kr.)")


def budget_table(lines: pd.DataFrame, *, years: Sequence[int], budget_per_year: int | None = None,
                 number=None, title=None, source=None) -> str:
    """Tabel 3: the safety plan's lines with their funding per year and a bold sum row.

    ``lines`` columns: ``number``, ``activity`` and one column per year (int name) in kr.; 0 or
    blank is no funding and gives an empty cell. Before the sum row an italic line states the
    yearly budget, "Budget: 1,93 mio. pr. år": ``budget_per_year`` when the partnership's frame
    is known, otherwise the first year's sum (the first year is fully planned; later years
    often are not yet).
    """
    years = list(years)
    if not years:
        raise ValueError("budget table needs at least one year")
    require_columns(lines, ["number", "activity"], "budget table")
    columns = [_year_column(lines, y, "budget table") for y in years]
    amounts = pd.DataFrame({y: [_amount(v) for v in lines[c]] for y, c in zip(years, columns)})
    sums = {y: int(amounts[y].sum()) for y in years}

    head = [
        _row([_cell("Nr.", tag="th", scope="col", rowspan=2),
              _cell("Aktivitet", tag="th", scope="col", rowspan=2),
              _cell("Finansiering (kr.)", tag="th", scope="colgroup", colspan=len(years))]),
        _row(_cell(str(y), tag="th", numeric=True, scope="col") for y in years),
    ]
    body = []
    for i, (_, line) in enumerate(lines.iterrows()):
        cells = [_cell(html.escape(_line_number(line["number"]))),
                 _cell(html.escape(_text(line["activity"])))]
        cells += [_cell(fmt_int(amounts.at[i, y]) if amounts.at[i, y] else "", numeric=True)
                  for y in years]
        body.append(_row(cells))
    budget = sums[years[0]] if budget_per_year is None else _whole(budget_per_year, "budget_per_year")
    body.append(_row([_cell(f"<em>Budget: {html.escape(fmt_mio_kr(budget))} pr. år</em>",
                            colspan=2 + len(years))], cls="budget"))
    total = [_cell("<strong>Sum (kr.)</strong>", colspan=2)]
    total += [_cell(f"<strong>{fmt_int(sums[y])}</strong>", numeric=True) for y in years]
    body.append(_row(total, cls="total"))
    return _table(head, body, number=number, title=title, source=source)


def _line_number(value) -> str:
    if _missing(value):
        return ""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return str(_whole(value, "a line number"))
    return str(value).strip()


# --- tabel 4: mid-term status ---------------------------------------------------------------


def midterm_table(status: pd.DataFrame, *, number=None, title=None, source=None) -> str:
    """Tabel 4: the mid-term status of each activity, free text in paragraphs.

    ``status`` columns: ``number``, ``activity``, ``responsible``, ``running``, ``deliveries``,
    ``concerns``, ``adjustments``. The first cell reads "1. Juniorbetjent". The table has class
    "tryg tekst" and fixed column widths (``<colgroup>``) so long texts wrap in print.
    """
    require_columns(status, MIDTERM_COLUMNS, "mid-term status table")
    head = _row(_cell(html.escape(h), tag="th", scope="col") for h in MIDTERM_HEADS)
    body = []
    for _, line in status.iterrows():
        activity = _text(line["activity"])
        nr = _line_number(line["number"])
        first = f"{nr}. {activity}" if nr else activity
        cells = [_cell(html.escape(first)), _cell(html.escape(_text(line["responsible"])))]
        cells += [_cell(paragraphs_html(line[c]))
                  for c in ("running", "deliveries", "concerns", "adjustments")]
        body.append(_row(cells))
    return _table([head], body, number=number, title=title, source=source,
                  classes="tryg tekst", widths=MIDTERM_WIDTHS)
