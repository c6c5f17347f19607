"""Figures of the status note: share of unsafe residents (figur 1–2) and crime rates (figur 3).

The figures are built with :class:`matplotlib.figure.Figure` directly, not through pyplot: a
notebook then never shows a figure twice (as the inline PNG and again in the exported HTML), and
no figure is kept alive by pyplot when many notes are made in one process. The report style is
applied inside each function (``matplotlib.rc_context``), so importing this module or making a
figure never changes global matplotlib state; :func:`use_report_style` is there for a notebook
that wants its own extra plots to look the same.

Everything a reader sees is Danish with Danish number format ("23,3", "16 %"); the numbers go
through :mod:`tryghedlib.note.wording`, never through the locale.

Input frames (made by the report model):

* survey shares: ``year`` (int), ``area`` ("partnership", "district" or "city"), ``area_name``,
  ``question`` ("neighbourhood" or "evening"), ``share``, ``ci_low``, ``ci_high`` (shares 0–1;
  a missing interval end draws no bar) and ``shown`` (False: suppressed for disclosure, the
  point is not drawn and the line is not drawn through it). One row per year, area and
  question. Other columns (``n``, ``n_eff``, ``se``) are ignored.
* crime rates: ``year``, ``area`` ("partnership" or "city"), ``area_name``, ``per_1000`` (NaN:
  no bar). One row per year and area. Other columns (``count``, ``population``) are ignored.

A legend shows an area by its ``area_name`` in its latest year.
"""

from __future__ import annotations

import base64
import html
import io
import math
import textwrap

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from tryghedlib.note.tables import require_columns
from tryghedlib.note.wording import fmt_decimal, fmt_int, fmt_percent, join_list

__all__ = [
    "alt_text_rates",
    "alt_text_shares",
    "crime_rate_figure",
    "figure_html",
    "figure_svg",
    "report_rc",
    "share_figure",
    "use_report_style",
]

CM = 1 / 2.54
FIGSIZE = (16 * CM, 8 * CM)  # full text width of an A4 page, in inches
SVG_SALT = "tryghedlib"  # fixed salt: the ids in the SVG, and so its bytes, never change
# Legend labels of more characters than this (at 7.5 pt) do not fit one row of FIGSIZE.
LEGEND_ROW_CHARACTERS = 80

AREAS = ("partnership", "district", "city")
# Okabe-Ito / seaborn "colorblind"; marker and line style differ too, so a grey print still works.
COLOURS = {"partnership": "#0173b2", "district": "#de8f05", "city": "#029e73"}
MARKERS = {"partnership": "o", "district": "s", "city": "^"}
LINESTYLES = {"partnership": "-", "district": "--", "city": ":"}
# The three intervals of one year would hide each other; a small sideways shift keeps them apart.
DODGE = {"partnership": -0.12, "district": 0.0, "city": 0.12}

QUESTIONS = {"neighbourhood": "i nabolaget", "evening": "i aften- og nattetimerne"}
AREA_CHANGE_LABEL = "Nyt partnerskabsområde"
SHARE_AXIS_LABEL = "Andel utrygge"
RATE_AXIS_LABEL = "Anmeldelser pr. 1000 indbyggere"
YEAR_AXIS_LABEL = "År"

# The columns used; others (n, n_eff, count, population, ...) may be there and are ignored.
SHARE_COLUMNS = ("year", "area", "area_name", "question", "share", "ci_low", "ci_high", "shown")
RATE_COLUMNS = ("year", "area", "area_name", "per_1000")

# Text as <text>, not as paths: half the SVG, and half of WeasyPrint's time on the figures.
# The SVG names only DejaVu Sans, the font matplotlib measured the text in, so WeasyPrint draws
# it with the same installed font the note's CSS uses (Debian: fonts-dejavu-core).
SVG_TEXT = {"svg.fonttype": "none", "font.family": ["sans-serif"],
            "font.sans-serif": ["DejaVu Sans"]}

NOTE_COLOUR = "#444444"
BREAK_COLOUR = "#555555"


# --- style ----------------------------------------------------------------------------------


def report_rc() -> dict:
    """The rcParams of every figure in the note (seaborn's white grid, sized for print).

    >>> report_rc()["font.sans-serif"]
    ['DejaVu Sans']
    """
    rc = dict(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("paper"))
    rc.update({
        # DejaVu Sans ships with matplotlib and Debian, so the figure looks the same everywhere.
        "font.family": ["sans-serif"],
        "font.sans-serif": ["DejaVu Sans"],
        # 8 pt at 16 cm printed width matches the 10-11 pt body text of the note.
        "font.size": 8.0,
        "axes.labelsize": 8.0,
        "xtick.labelsize": 8.0,
        "ytick.labelsize": 8.0,
        "legend.fontsize": 8.0,
        "axes.edgecolor": ".6",
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid.axis": "y",
        "grid.color": ".88",
        "grid.linewidth": 0.6,
        "xtick.bottom": True,
        "xtick.major.size": 3.0,
        "ytick.left": False,
        "lines.linewidth": 1.6,
        "lines.markersize": 5.0,
        "legend.frameon": False,
        "svg.hashsalt": SVG_SALT,
        # Texts from the config and the delivery (an area's or partnership's name) are drawn
        # as written: "$" never starts TeX-like mathtext (a name with "$\\foo$" broke it).
        "text.parse_math": False,
        **SVG_TEXT,
    })
    return rc


def use_report_style() -> None:
    """Apply :func:`report_rc` globally, for a notebook's own extra plots."""
    matplotlib.rcParams.update(report_rc())


# --- Danish axis formatters -----------------------------------------------------------------


def _is_whole(value: float) -> bool:
    return math.isclose(value, round(value), abs_tol=1e-9)


def percent_tick(value: float, _pos=None) -> str:
    """Tick label for a share 0–1 in Danish percent; a decimal only where the tick needs one.

    >>> percent_tick(0.1) == fmt_percent(0.1, decimals=0)
    True
    >>> percent_tick(0.025) == fmt_percent(0.025, decimals=1)
    True
    >>> percent_tick(-0.05)
    ''
    """
    if not -1e-9 <= value <= 1 + 1e-9:  # locators may offer ticks outside the view; no share
        return ""
    value = min(max(value, 0.0), 1.0)
    return fmt_percent(value, decimals=0 if _is_whole(value * 100) else 1)


def number_tick(value: float, _pos=None) -> str:
    """Tick label for a number in Danish format: "1.000", "2,5".

    >>> number_tick(2.5) == fmt_decimal(2.5, 1)
    True
    """
    if _is_whole(value):
        return fmt_int(int(round(value)))
    return fmt_decimal(value, 1)


def _year_axis(ax, years: list[int], every_year_up_to: int = 12) -> None:
    ax.set_xlabel(YEAR_AXIS_LABEL)
    if len(years) <= every_year_up_to:
        ax.xaxis.set_major_locator(FixedLocator(years))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    # A year is no number to format: 2021, never "2.021".
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: str(int(round(v)))))
    ax.grid(False, axis="x")


# --- input checks ---------------------------------------------------------------------------


def _one_row_per(frame: pd.DataFrame, keys: list[str], what: str) -> None:
    dupes = frame[frame.duplicated(keys, keep=False)]
    if not dupes.empty:
        first = dupes.iloc[0]
        raise ValueError(
            f"{what} frame has more than one row for "
            + ", ".join(f"{k}={first[k]!r}" for k in keys)
        )


def _question_rows(shares: pd.DataFrame, question: str) -> pd.DataFrame:
    require_columns(shares, SHARE_COLUMNS, "survey shares frame")
    if question not in QUESTIONS:
        raise ValueError(f"question must be one of {list(QUESTIONS)}, not {question!r}")
    rows = shares[shares["question"] == question].copy()
    if rows.empty:
        raise ValueError(f"survey shares frame has no rows for question {question!r}")
    unknown = sorted(set(rows["area"]) - set(AREAS))
    if unknown:
        raise ValueError(f"survey shares: unknown area(s) {unknown}; expected {list(AREAS)}")
    _one_row_per(rows, ["year", "area"], "survey shares")
    rows["year"] = rows["year"].astype(int)
    rows["shown"] = rows["shown"].astype(bool)
    return rows


def _rate_rows(rates: pd.DataFrame) -> pd.DataFrame:
    require_columns(rates, RATE_COLUMNS, "crime rates frame")
    if rates.empty:
        raise ValueError("crime rates frame is empty")
    unknown = sorted(set(rates["area"]) - {"partnership", "city"})
    if unknown:
        raise ValueError(f"crime rates: unknown area(s) {unknown}; expected partnership, city")
    _one_row_per(rates, ["year", "area"], "crime rates")
    rows = rates.copy()
    rows["year"] = rows["year"].astype(int)
    return rows


def _areas(rows: pd.DataFrame) -> list[str]:
    present = set(rows["area"])
    return [a for a in AREAS if a in present]


def _area_name(rows: pd.DataFrame, area: str) -> str:
    """The area's name in its latest year (a partnership may have been renamed)."""
    mine = rows[rows["area"] == area].sort_values("year")
    return str(mine["area_name"].iloc[-1])


def _years(rows: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in rows["year"].unique())


def _break_inside(years: list[int], area_change_year: int | None) -> bool:
    """True when there are years both before and from ``area_change_year``."""
    return area_change_year is not None and years[0] < area_change_year <= years[-1]


def _span(years: list[int]) -> str:
    """ "årene 2014-2021", or the one year.

    >>> _span([2014, 2020, 2021]), _span([2021])
    ('årene 2014-2021', '2021')
    """
    return str(years[0]) if years[0] == years[-1] else f"årene {years[0]}-{years[-1]}"


# --- figur 1 and 2: share of unsafe residents -----------------------------------------------


def _series(rows: pd.DataFrame, area: str, years: list[int]) -> pd.DataFrame:
    """One area's rows on all ``years``; a year without data or suppressed has NaN values.

    NaN breaks the line, so the figure never bridges a point the reader is not shown.
    """
    mine = rows[rows["area"] == area].set_index("year").reindex(years)
    hidden = ~mine["shown"].fillna(False).astype(bool)
    values = mine[["share", "ci_low", "ci_high"]].astype(float)
    return values.mask(hidden, np.nan)


def _segments(years: list[int], area: str, area_change_year: int | None, breaks: bool):
    """Runs of years drawn as one connected line; the partnership is cut where its area changed."""
    if area == "partnership" and breaks:
        return [[y for y in years if y < area_change_year], [y for y in years if y >= area_change_year]]
    return [years]


def _nice_top(value: float, step: float) -> float:
    return step * math.ceil(value / step - 1e-9)


def _spread(positions: list[float], gap: float, top: float) -> list[float]:
    """Move label heights apart by at least ``gap`` (in order), keeping them below ``top``.

    >>> _spread([0.16, 0.16, 0.09], 0.02, 1.0)
    [0.16, 0.18, 0.09]
    """
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = list(positions)
    previous = -math.inf
    for i in order:
        placed[i] = max(positions[i], previous + gap)
        previous = placed[i]
    overflow = max(placed) - top if placed else 0
    if overflow > 0:
        placed = [p - overflow for p in placed]
    return [round(p, 10) for p in placed]


def _label_latest(ax, latest: dict[str, tuple[int, float]], gap: float, top: float, fmt) -> None:
    """Write each area's latest value right of that year's points, in the area's colour."""
    by_year: dict[int, list[str]] = {}
    for area, (year, _value) in latest.items():
        by_year.setdefault(year, []).append(area)
    # Right of the rightmost (dodged) marker of the year, so no label covers a point.
    offset = max(DODGE.values()) + 0.17
    for year, areas in by_year.items():
        heights = _spread([latest[a][1] for a in areas], gap, top)
        for area, height in zip(areas, heights):
            ax.text(year + offset, height, fmt(latest[area][1]), color=COLOURS[area],
                    va="center", ha="left", fontsize=7.5, fontweight="bold", gid=f"{area}-latest")


def _draw_break(ax, area_change_year: int, years: list[int]) -> None:
    x = area_change_year - 0.5
    ax.axvline(x, color=BREAK_COLOUR, linestyle=(0, (4, 3)), linewidth=0.9, gid="area-change")
    # Text on the side with more room, so it never runs out of the plot.
    left = x > (years[0] + years[-1]) / 2
    ax.text(x + (-0.1 if left else 0.1), 0.98, AREA_CHANGE_LABEL, transform=ax.get_xaxis_transform(),
            ha="right" if left else "left", va="top", fontsize=7.5, style="italic",
            color=NOTE_COLOUR, gid="area-change-label")


def share_figure(shares: pd.DataFrame, question: str, *, area_change_year: int | None = None) -> Figure:
    """Share of unsafe residents for partnership, district and city with 95 % intervals.

    ``question`` is "neighbourhood" (figur 1) or "evening" (figur 2). Where the partnership's area
    changed (``area_change_year`` inside the years shown) a dashed line marks the break and the
    partnership's line is not connected across it. Suppressed points (``shown`` False) are not
    drawn. Each line and interval carries a gid ("partnership-line-0", "city-ci", ...).
    """
    rows = _question_rows(shares, question)
    years = _years(rows)
    areas = _areas(rows)
    breaks = _break_inside(years, area_change_year)
    with matplotlib.rc_context(report_rc()):
        fig = Figure(figsize=FIGSIZE, layout="constrained")
        ax = fig.add_subplot()
        latest: dict[str, tuple[float, float]] = {}
        high = 0.0
        for area in areas:
            series = _series(rows, area, years)
            dodge = DODGE[area]
            for i, segment in enumerate(_segments(years, area, area_change_year, breaks)):
                part = series.loc[segment]
                ax.plot(np.array(segment) + dodge, part["share"], color=COLOURS[area],
                        marker=MARKERS[area], linestyle=LINESTYLES[area],
                        label=_area_name(rows, area) if i == 0 else "_nolegend_",
                        gid=f"{area}-line-{i}", zorder=3)
            drawn = series.dropna(subset=["share"])
            if drawn.empty:
                continue
            # Interval ends may be missing (e.g. a published share without n); draw none then.
            low = (drawn["share"] - drawn["ci_low"]).fillna(0).clip(lower=0)
            up = (drawn["ci_high"] - drawn["share"]).fillna(0).clip(lower=0)
            ax.errorbar(drawn.index.to_numpy() + dodge, drawn["share"], yerr=[low, up], fmt="none",
                        ecolor=COLOURS[area], elinewidth=0.9, capsize=2.0, capthick=0.9, alpha=0.75,
                        gid=f"{area}-ci", zorder=2)
            high = max(high, float(drawn[["share", "ci_high"]].max().max()))
            # Only the last year's values are written out: the note's text talks about them.
            if int(drawn.index[-1]) == years[-1]:
                latest[area] = (years[-1], float(drawn["share"].iloc[-1]))

        # Room above the highest interval for the break label; whole 5 % steps on the axis.
        top = min(_nice_top(max(high, 0.05) * 1.12 + 0.02, 0.05), 1.0)
        ax.set_ylim(0, top)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        ax.yaxis.set_major_formatter(FuncFormatter(percent_tick))
        ax.set_ylabel(SHARE_AXIS_LABEL)
        _year_axis(ax, years)
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.9)
        _label_latest(ax, latest, gap=top * 0.07, top=top * 0.97,
                      fmt=lambda v: fmt_percent(v, decimals=0))
        if breaks:
            _draw_break(ax, area_change_year, years)

        handles, labels = ax.get_legend_handles_labels()
        interval = Line2D([], [], color="#666666", marker="|", markersize=9, markeredgewidth=0.9,
                          linestyle="none")
        handles.append(interval)
        labels.append(f"{fmt_percent(0.95, decimals=0)}-konfidensinterval")
        # One row while the labels fit the figure's width (a long partnership name does not).
        one_row = sum(len(label) for label in labels) <= LEGEND_ROW_CHARACTERS
        fig.legend(handles, labels, loc="outside lower center",
                   ncol=len(handles) if one_row else 2, fontsize=7.5,
                   handlelength=2.0, columnspacing=1.0, handletextpad=0.4)
    return fig


# --- figur 3: crime rates -------------------------------------------------------------------


def _value_label_style(n_years: int) -> dict:
    """Value labels on bars: upright while they fit side by side, turned when years are many."""
    if n_years <= 9:
        return {"fontsize": 7, "ha": "center", "va": "bottom"}
    return {"fontsize": 6.5, "ha": "center", "va": "bottom", "rotation": 90}


def crime_rate_figure(rates: pd.DataFrame, *, area_change_note: str | None = None) -> Figure:
    """Borgervendt reports per 1000 inhabitants by year: partnership and city as grouped bars.

    Each bar has its value in Danish format ("23,3") on top. ``area_change_note`` (e.g. that all
    years are counted on today's partnership area) is printed small above the plot. Bars carry a
    gid ("partnership-bars", "city-bars").
    """
    rows = _rate_rows(rates)
    years = _years(rows)
    areas = [a for a in ("partnership", "city") if a in set(rows["area"])]
    width = 0.8 / len(areas)
    with matplotlib.rc_context(report_rc()):
        fig = Figure(figsize=FIGSIZE, layout="constrained")
        ax = fig.add_subplot()
        high = 0.0
        for i, area in enumerate(areas):
            values = (rows[rows["area"] == area].set_index("year").reindex(years)["per_1000"]
                      .astype(float).dropna())
            x = values.index.to_numpy() + (i - (len(areas) - 1) / 2) * width
            ax.bar(x, values.to_numpy(), width * 0.92, color=COLOURS[area], linewidth=0,
                   label=_area_name(rows, area), gid=f"{area}-bars", zorder=2)
            for xi, value in zip(x, values):
                ax.text(xi, value, fmt_decimal(value, 1), color=".15", gid=f"{area}-value",
                        **_value_label_style(len(years)))
            if not values.empty:
                high = max(high, float(values.max()))
        ax.set_ylim(0, max(high, 1.0) * (1.15 if len(years) <= 9 else 1.22))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        ax.yaxis.set_major_formatter(FuncFormatter(number_tick))
        ax.set_ylabel(RATE_AXIS_LABEL)
        _year_axis(ax, years, every_year_up_to=16)  # bars are per year: label each one
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
        if area_change_note:
            ax.text(0, 1.03, textwrap.fill(area_change_note, 110), transform=ax.transAxes,
                    ha="left", va="bottom", fontsize=7, style="italic", color=NOTE_COLOUR,
                    gid="area-change-note")
        fig.legend(loc="outside lower center", ncol=len(areas), handlelength=1.2, columnspacing=2.0)
    return fig


# --- alt texts ------------------------------------------------------------------------------


def alt_text_shares(shares: pd.DataFrame, question: str, *, area_change_year: int | None = None) -> str:
    """Danish alt text for :func:`share_figure`: areas, years and the latest year's values."""
    rows = _question_rows(shares, question)
    years = _years(rows)
    areas = _areas(rows)
    names = [_area_name(rows, a) for a in areas]
    latest = years[-1]
    values, hidden = [], []
    for area, name in zip(areas, names):
        row = rows[(rows["area"] == area) & (rows["year"] == latest)]
        if row.empty or not bool(row["shown"].iloc[0]) or pd.isna(row["share"].iloc[0]):
            hidden.append(name)
        else:
            values.append(f"{fmt_percent(float(row['share'].iloc[0]), decimals=0)} i {name}")
    text = (f"Figuren viser andelen af utrygge {QUESTIONS[question]} i {join_list(names)} "
            f"i {_span(years)}, med {fmt_percent(0.95, decimals=0)}-konfidensintervaller.")
    if values:
        text += f" I {latest} var andelen {join_list(values)}."
    if hidden:
        text += f" Tallet for {join_list(hidden)} i {latest} vises ikke, fordi der er for få svar."
    if _break_inside(years, area_change_year):
        text += (f" Partnerskabsområdet blev ændret i {area_change_year}, så tallene før og efter "
                 f"kan ikke sammenlignes direkte.")
    return text


def alt_text_rates(rates: pd.DataFrame) -> str:
    """Danish alt text for :func:`crime_rate_figure`: areas, years and the latest year's rates."""
    rows = _rate_rows(rates)
    years = _years(rows)
    areas = [a for a in ("partnership", "city") if a in set(rows["area"])]
    names = [_area_name(rows, a) for a in areas]
    latest = years[-1]
    values = []
    for area, name in zip(areas, names):
        row = rows[(rows["area"] == area) & (rows["year"] == latest)]
        if not row.empty and pd.notna(row["per_1000"].iloc[0]):
            values.append(f"{fmt_decimal(float(row['per_1000'].iloc[0]), 1)} i {name}")
    text = (f"Figuren viser antal anmeldelser af borgervendt kriminalitet pr. 1000 indbyggere "
            f"i {join_list(names)} i {_span(years)}.")
    if values:
        text += f" I {latest} var tallet {join_list(values)}."
    return text


# --- HTML -----------------------------------------------------------------------------------


def figure_svg(fig: Figure) -> bytes:
    """The figure as SVG bytes, identical for identical figures (fixed salt, no date)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_SALT, **SVG_TEXT}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def figure_html(fig: Figure, *, number: int, title: str, alt: str, source: str) -> str:
    """``<figure>`` with caption "Figur n: title", the SVG as a data-URI ``<img>`` and the source.

    The figure is closed afterwards, so it can be made and exported in a loop without leaking.
    """
    svg = figure_svg(fig)
    if fig.canvas.manager is not None:  # made through pyplot: let pyplot forget it
        from matplotlib import pyplot as plt

        plt.close(fig)
    data = base64.b64encode(svg).decode("ascii")
    return "\n".join([
        "<figure>",
        f"<figcaption>Figur {html.escape(str(number))}: {html.escape(title)}</figcaption>",
        f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt, quote=True)}">',
        f'<p class="kilde">Kilde: {html.escape(source)}</p>',
        "</figure>",
    ])
