"""Figures of the status note (figur 1–3): series, break, Danish axes, deterministic SVG."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from tryghedlib.note import figures
from tryghedlib.note.figures import (alt_text_rates, alt_text_shares, crime_rate_figure, figure_html,
                                figure_svg, share_figure)
from tryghedlib.note.wording import fmt_percent

YEARS = list(range(2014, 2022))
NAMES = {"partnership": "Tingbjerg-Husum Partnerskab", "district": "Brønshøj-Husum",
         "city": "København"}
# Shares of the 2021 note where it states them; the years between are made up.
NEIGHBOURHOOD = {
    "partnership": [0.22, 0.21, 0.19, 0.20, 0.18, 0.17, 0.16, 0.1634],
    "district": [0.17, 0.17, 0.16, 0.16, 0.16, 0.16, 0.16, 0.16],
    "city": [0.10, 0.10, 0.10, 0.10, 0.09, 0.09, 0.09, 0.0912],
}
EVENING = {
    "partnership": [0.35, 0.33, 0.31, 0.30, 0.29, 0.28, 0.28, 0.25],
    "district": [0.28, 0.28, 0.27, 0.27, 0.27, 0.26, 0.26, 0.26],
    "city": [0.17, 0.17, 0.17, 0.17, 0.16, 0.16, 0.16, 0.16],
}
RESPONDENTS = {"partnership": 350, "district": 900, "city": 15_000}


def make_shares() -> pd.DataFrame:
    rows = []
    for question, table in (("neighbourhood", NEIGHBOURHOOD), ("evening", EVENING)):
        for area, values in table.items():
            n = RESPONDENTS[area]
            for year, share in zip(YEARS, values):
                half = 1.96 * (share * (1 - share) / n) ** 0.5
                rows.append({"year": year, "area": area, "area_name": NAMES[area],
                             "question": question, "n": n, "share": share,
                             "ci_low": share - half, "ci_high": share + half, "shown": True})
    return pd.DataFrame(rows)


def make_rates() -> pd.DataFrame:
    per_1000 = {"partnership": [27.1, 25.0, 22.4, 21.8, 19.9, 20.4, 23.26],
                "city": [45.2, 44.0, 42.1, 41.5, 40.2, 39.0, 37.9]}
    population = {"partnership": 11_630, "city": 632_000}
    rows = []
    for area, values in per_1000.items():
        for year, rate in zip(range(2014, 2021), values):
            rows.append({"year": year, "area": area, "area_name": NAMES[area],
                         "count": round(rate * population[area] / 1000),
                         "population": population[area], "per_1000": rate})
    return pd.DataFrame(rows)


@pytest.fixture
def shares() -> pd.DataFrame:
    return make_shares()


@pytest.fixture
def rates() -> pd.DataFrame:
    return make_rates()


def by_gid(fig: Figure, gid: str) -> list:
    return fig.findobj(lambda artist: artist.get_gid() == gid)


def tick_labels(axis) -> list[str]:
    axis.figure.draw_without_rendering()
    return [t.get_text() for t in axis.get_ticklabels() if t.get_text()]


def legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.legends[0].get_texts()]


def svg_of(markup: str) -> bytes:
    data = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', markup).group(1)
    return base64.b64decode(data)


# --- figur 1 and 2 --------------------------------------------------------------------------


def test_share_figure_has_three_areas_over_all_years(shares):
    fig = share_figure(shares, "neighbourhood")
    ax = fig.axes[0]
    assert isinstance(fig, Figure)
    assert legend_texts(fig)[:3] == list(NAMES.values())
    assert legend_texts(fig)[3].endswith("-konfidensinterval")
    for area in NAMES:
        (line,) = by_gid(fig, f"{area}-line-0")
        assert np.round(line.get_xdata() - figures.DODGE[area]).tolist() == YEARS
        assert by_gid(fig, f"{area}-ci"), area
    assert tick_labels(ax.xaxis) == [str(y) for y in YEARS]
    assert ax.get_xlabel() == "År" and ax.get_ylabel() == "Andel utrygge"
    assert not ax.get_title()


def test_share_figure_is_a4_text_width():
    fig = share_figure(make_shares(), "evening")
    width, height = fig.get_size_inches() * 2.54
    assert (round(width), round(height)) == (16, 8)


def test_share_axis_is_danish_percent(shares):
    labels = tick_labels(share_figure(shares, "evening").axes[0].yaxis)
    assert fmt_percent(0.1, decimals=0) in labels
    assert all(re.fullmatch(r"\d+(,\d)?\s%", label) for label in labels), labels
    assert figures.percent_tick(0.025) == fmt_percent(0.025, decimals=1)
    assert "," in figures.percent_tick(0.025)


def test_break_splits_the_partnership_line_where_the_area_changed(shares):
    fig = share_figure(shares, "neighbourhood", area_change_year=2021)
    before, after = by_gid(fig, "partnership-line-0")[0], by_gid(fig, "partnership-line-1")[0]
    assert max(before.get_xdata()) < 2020.5 < min(after.get_xdata())
    (line,) = by_gid(fig, "area-change")
    assert line.get_xdata()[0] == pytest.approx(2020.5)
    assert by_gid(fig, "area-change-label")[0].get_text() == "Nyt partnerskabsområde"
    # District and city are the same areas before and after: one line each.
    assert by_gid(fig, "city-line-0") and not by_gid(fig, "city-line-1")
    assert legend_texts(fig).count(NAMES["partnership"]) == 1


@pytest.mark.parametrize("year", [None, 2014, 2013, 2022])
def test_no_break_when_the_change_is_outside_the_years_shown(shares, year):
    fig = share_figure(shares, "neighbourhood", area_change_year=year)
    assert not by_gid(fig, "area-change")
    assert not by_gid(fig, "partnership-line-1")


def test_suppressed_point_is_not_drawn(shares):
    hidden = (shares["area"] == "district") & (shares["year"] == 2018)
    shares.loc[hidden, "shown"] = False
    fig = share_figure(shares, "neighbourhood")
    (line,) = by_gid(fig, "district-line-0")
    ydata = np.asarray(line.get_ydata(), dtype=float)
    assert np.isnan(ydata[YEARS.index(2018)])
    assert np.isfinite(np.delete(ydata, YEARS.index(2018))).all()
    (bars,) = [a for a in by_gid(fig, "district-ci") if isinstance(a, LineCollection)]
    assert len(bars.get_segments()) == len(YEARS) - 1


def test_latest_values_are_labelled_in_danish(shares):
    fig = share_figure(shares, "neighbourhood")
    assert by_gid(fig, "partnership-latest")[0].get_text() == fmt_percent(0.16, decimals=0)
    assert by_gid(fig, "city-latest")[0].get_text() == fmt_percent(0.09, decimals=0)


def test_figures_use_dejavu_sans_and_leave_global_style_alone(shares, rates):
    before = dict(matplotlib.rcParams)
    figs = [share_figure(shares, "neighbourhood", area_change_year=2021), crime_rate_figure(rates)]
    assert dict(matplotlib.rcParams) == before
    for fig in figs:
        fig.draw_without_rendering()
        fonts = {t.get_fontname() for t in fig.findobj(matplotlib.text.Text) if t.get_text()}
        assert fonts == {"DejaVu Sans"}


def test_use_report_style_sets_the_style_globally():
    with matplotlib.rc_context():
        figures.use_report_style()
        assert matplotlib.rcParams["font.sans-serif"] == ["DejaVu Sans"]
        assert matplotlib.rcParams["svg.hashsalt"] == figures.SVG_SALT


def test_share_figure_refuses_bad_input(shares):
    with pytest.raises(ValueError, match="question"):
        share_figure(shares, "daytime")
    with pytest.raises(ValueError, match="ci_high"):
        share_figure(shares.drop(columns="ci_high"), "evening")
    with pytest.raises(ValueError, match="more than one row"):
        share_figure(pd.concat([shares, shares.head(1)]), "neighbourhood")


# --- figur 3 --------------------------------------------------------------------------------


def test_crime_rate_figure_bars_and_danish_value_labels(rates):
    fig = crime_rate_figure(rates, area_change_note="Alle år er opgjort for det nye område.")
    ax = fig.axes[0]
    for area in ("partnership", "city"):
        assert len(by_gid(fig, f"{area}-bars")) == 7
    values = {t.get_text() for t in by_gid(fig, "partnership-value")}
    assert {"23,3", "20,4", "27,1"} <= values
    assert "37,9" in {t.get_text() for t in by_gid(fig, "city-value")}
    assert legend_texts(fig) == [NAMES["partnership"], NAMES["city"]]
    assert ax.get_ylabel() == "Anmeldelser pr. 1000 indbyggere"
    assert tick_labels(ax.xaxis) == [str(y) for y in range(2014, 2021)]
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d)?", t) for t in tick_labels(ax.yaxis))
    assert by_gid(fig, "area-change-note")[0].get_text().startswith("Alle år")


def test_crime_rate_figure_without_note_and_with_a_missing_year(rates):
    rates = rates[~((rates["area"] == "city") & (rates["year"] == 2016))]
    fig = crime_rate_figure(rates)
    assert len(by_gid(fig, "city-bars")) == 6
    assert not by_gid(fig, "area-change-note")


def test_number_tick_is_danish():
    assert figures.number_tick(2.5) == "2,5"
    assert figures.number_tick(1000.0) == "1.000"


# --- alt texts ------------------------------------------------------------------------------


def test_alt_text_shares_names_areas_years_and_latest_values(shares):
    text = alt_text_shares(shares, "neighbourhood", area_change_year=2021)
    assert "i nabolaget" in text
    assert "2014-2021" in text
    for name in NAMES.values():
        assert name in text
    assert f"{fmt_percent(0.1634, decimals=0)} i Tingbjerg-Husum Partnerskab" in text
    assert f"{fmt_percent(0.0912, decimals=0)} i København" in text
    assert "2021" in text and "ændret" in text


def test_alt_text_shares_follows_the_data(shares):
    latest = (shares["area"] == "city") & (shares["year"] == 2021) & (shares["question"] == "evening")
    shares.loc[latest, "share"] = 0.123
    text = alt_text_shares(shares, "evening")
    assert f"{fmt_percent(0.123, decimals=0)} i København" in text
    assert "aften- og nattetimerne" in text and "ændret" not in text
    shares.loc[latest, "shown"] = False
    assert "København i 2021 vises ikke" in alt_text_shares(shares, "evening")


def test_alt_text_rates_has_latest_rates_in_danish(rates):
    text = alt_text_rates(rates)
    assert "23,3 i Tingbjerg-Husum Partnerskab" in text
    assert "37,9 i København" in text
    assert "2014-2020" in text and "pr. 1000 indbyggere" in text


# --- HTML and SVG ---------------------------------------------------------------------------


def test_figure_html_structure(shares):
    alt = alt_text_shares(shares, "neighbourhood")
    markup = figure_html(share_figure(shares, "neighbourhood"), number=1,
                         title="Andel utrygge i nabolaget", alt=alt + " <&>",
                         source="Københavns Tryghedsundersøgelse 2021 & 2020")
    assert markup.startswith("<figure>") and markup.endswith("</figure>")
    assert "<figcaption>Figur 1: Andel utrygge i nabolaget</figcaption>" in markup
    assert '<p class="kilde">Kilde: Københavns Tryghedsundersøgelse 2021 &amp; 2020</p>' in markup
    assert 'alt="Figuren viser' in markup and "&lt;&amp;&gt;" in markup
    svg = svg_of(markup)
    assert b"<svg" in svg and b"<dc:date>" not in svg


def test_svg_is_deterministic(shares):
    first = figure_html(share_figure(shares, "evening", area_change_year=2021), number=2,
                        title="t", alt="a", source="s")
    second = figure_html(share_figure(shares, "evening", area_change_year=2021), number=2,
                         title="t", alt="a", source="s")
    assert first == second


def test_svg_is_deterministic_across_processes(rates, tmp_path: Path):
    """Hash randomisation differs per process; the SVG bytes must not."""
    rates.to_csv(tmp_path / "rates.csv", index=False)
    script = (
        "import hashlib, sys, pandas as pd\n"
        "from tryghedlib.note.figures import crime_rate_figure, figure_svg\n"
        f"fig = crime_rate_figure(pd.read_csv({str(tmp_path / 'rates.csv')!r}))\n"
        "sys.stdout.write(hashlib.sha256(figure_svg(fig)).hexdigest())\n"
    )
    runs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}) for seed in ("1", "2")]
    digests = {run.communicate(timeout=60)[0] for run in runs}
    assert [run.returncode for run in runs] == [0, 0]
    assert len(digests) == 1
    assert digests == {hashlib.sha256(figure_svg(crime_rate_figure(rates))).hexdigest()}


def test_figure_html_closes_a_pyplot_figure():
    from matplotlib import pyplot as plt

    fig = plt.figure()
    number = fig.number
    figure_html(fig, number=9, title="t", alt="a", source="s")
    assert not plt.fignum_exists(number)


@pytest.mark.parametrize("name", ["Tingbjerg-Husum Partnerskab",
                                  "Eksempelpartnerskab Nordvest (syntetisk eksempel)"])
def test_share_legend_fits_the_figure_with_a_long_name(shares, name):
    shares = shares.assign(area_name=shares["area_name"].where(shares["area"] != "partnership",
                                                               name))
    fig = share_figure(shares, "neighbourhood")
    FigureCanvasAgg(fig).draw()
    box, page = fig.legends[0].get_window_extent(), fig.bbox
    assert page.x0 <= box.x0 and box.x1 <= page.x1, (box, page)
    assert name in legend_texts(fig)
