"""Tables of the status note (tabel 1–4): Danish cells, sums, escaping, disclosure."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from tryghedlib.note import tables
from tryghedlib.note.tables import (MIDTERM_HEADS, budget_table, fmt_count, html_table, midterm_table,
                               monitoring_table, targets_table)

VOID = {"col", "br", "img"}


class _Structure(HTMLParser):
    """Collects the tag structure and the text of every cell."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.cells: list[str] = []
        self.heads: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack}")
            return
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            (self.heads if tag == "th" else self.cells).append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(markup: str) -> _Structure:
    parser = _Structure()
    parser.feed(markup)
    parser.close()
    assert not parser.errors, parser.errors
    assert not parser.stack, f"unclosed tags {parser.stack}"
    return parser


def assert_clean(markup: str) -> None:
    """No repr leaks: NaN, None, Python floats like 23.3 or 23.300000."""
    text = re.sub(r"<[^>]+>", " ", markup)
    for word in ("nan", "NaN", "None", "NaT", "dtype"):
        assert not re.search(rf"\b{word}\b", text), word
    assert "&lt;NA&gt;" not in markup
    # Danish thousands ("1.934.000") are the only digits around a point that may remain.
    without_thousands = re.sub(r"\b\d{1,3}(?:\.\d{3})+\b", "", text)
    assert not re.search(r"\d\.\d", without_thousands), text


# --- reference data: the 2021 note of Tingbjerg-Husum Partnerskab ---------------------------

BUDGET_2021 = [  # Nr., Aktivitet, 2021, 2022, 2023, 2024 (tabel 3 of the note)
    (1, "Juniorbetjent", 80_000, 0, 0, 0),
    (2, "Fælleshaven", 220_000, 220_000, 220_000, 220_000),
    (3, "Videnshus", 190_000, 0, 0, 0),
    (4, "Tryghed ved byggepladser", 50_000, 50_000, 0, 0),
    (5, "Tidlig foreningsstart", 149_000, 149_000, 149_000, 149_000),
    (6, "Tryghed ved Energicenter Voldparken", 50_000, 0, 0, 0),
    (7, "Lommepege- og fritidsjob", 200_000, 200_000, 200_000, 200_000),
    (8, "Fællesskab om teknologi, håndværk og design", 125_000, 125_000, 0, 0),
    (9, "Tryggere og renere kældre", 75_000, 0, 0, 0),
    (10, "Det gode valg", 100_000, 0, 0, 0),
    (11, "Motion i Husum", 35_000, 0, 0, 0),
    (12, "Fællesskaber i film, foto og musik", 120_000, 0, 0, 0),
    (13, "Tingbjerg Challenge", 15_000, 0, 0, 0),
    (14, "Kommunikation, dialog og begivenheder", 330_000, 330_000, 330_000, 330_000),
    (15, "Bylivs- og tryghedspuljen", 180_000, 180_000, 180_000, 180_000),
    (16, "Videnspuljen", 10_000, 10_000, 10_000, 10_000),
    (17, "Sekretariatsbetjening (mødeforplejning)", 5_000, 5_000, 5_000, 5_000),
]
YEARS = [2021, 2022, 2023, 2024]


def budget_frame() -> pd.DataFrame:
    return pd.DataFrame(BUDGET_2021, columns=["number", "activity", *YEARS])


def targets_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "label": ["Antal anmeldelser af borgervendt kriminalitet", "Indbrud", "Tyveri/Røveri",
                  "Vold/Våben"],
        "target": ["Minimum fastholdelse"] * 4,
        "unit": ["rate", "count", "count", "count"],
        2020: [23.3, 23, 51, 72],
        "status": [""] * 4,
    })


def monitoring_frame() -> pd.DataFrame:
    return pd.DataFrame({"label": ["Chikane", "Hærværk", "Narkotika", "Trusler"],
                         2020: [65, 45, 84, 23]})


def midterm_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "number": [1, 2],
        "activity": ["Juniorbetjent", "Fælleshaven"],
        "responsible": ["Nærpoliti Nordvest", "Den boligsociale helhedsplan"],
        "running": ["Vi har pt. præsenteret konceptet.\n\nDer arbejdes på et logo.",
                    "Røveri & <vold> er faldet"],
        "deliveries": ["Ingen af aktivitetens leverancer er opnået.", None],
        "concerns": ["Nej", float("nan")],
        "adjustments": ["Nej", "Nej"],
    })


# --- fmt_count ------------------------------------------------------------------------------


def test_fmt_count_suppresses_small_non_zero_counts():
    assert [fmt_count(n, 5) for n in (0, 1, 4, 5, 1934)] == ["0", "<5", "<5", "5", "1.934"]


def test_fmt_count_without_threshold_shows_everything():
    assert fmt_count(3) == "3"


def test_fmt_count_accepts_whole_floats_and_refuses_others():
    assert fmt_count(23.0) == "23"
    with pytest.raises(ValueError):
        fmt_count(2.5)
    with pytest.raises(ValueError):
        fmt_count(-1)


# --- generic table --------------------------------------------------------------------------


def test_html_table_formats_danish_and_hides_index():
    frame = pd.DataFrame({"Område": ["Husum", "A & <B>"], "Beløb": [1_934_000, 5],
                          "Rate": [23.25, float("nan")]}, index=["x", "y"])
    markup = html_table(frame, number=7, title="Prøve", source="Københavns Politi",
                        numeric=["Beløb", "Rate"])
    parsed = parse(markup)
    assert parsed.heads == ["Område", "Beløb", "Rate"]
    assert parsed.cells == ["Husum", "1.934.000", "23,3", "A & <B>", "5", ""]
    assert "<caption>Tabel 7: Prøve</caption>" in markup
    assert markup.startswith('<table class="tryg">')
    assert markup.endswith('<p class="kilde">Kilde: Københavns Politi</p>')
    assert '<td class="num">1.934.000</td>' in markup
    assert "A &amp; &lt;B&gt;" in markup
    assert ">x<" not in markup  # the index is not shown
    assert_clean(markup)


def test_html_table_without_caption_or_source():
    markup = html_table(pd.DataFrame({"a": [1]}))
    assert "<caption>" not in markup and "kilde" not in markup


def test_html_table_refuses_unknown_numeric_column():
    with pytest.raises(ValueError, match="Beløb"):
        html_table(pd.DataFrame({"a": [1]}), numeric=["Beløb"])


# --- tabel 1 --------------------------------------------------------------------------------


def test_targets_table_baseline_only_as_in_the_2021_note():
    markup = targets_table(targets_frame(), baseline_year=2020, number=1,
                           title="Antal anmeldelser af borgervendt kriminalitet 2020")
    parsed = parse(markup)
    assert parsed.heads == ["Gerningstype", "Mål", "2020 (ny baseline)"]
    assert parsed.cells[:3] == ["Antal anmeldelser af borgervendt kriminalitet",
                                "Minimum fastholdelse", "23,3 anmeldelser pr. 1000 indbyggere"]
    assert parsed.cells[3:6] == ["Indbrud", "Minimum fastholdelse", "23 anmeldelser"]
    assert "Status" not in parsed.heads
    assert_clean(markup)


def test_targets_table_with_later_years_adds_status():
    frame = targets_frame()
    frame[2021] = [21.04, 19, 3, 80]
    frame["status"] = ["Målet er nået", "Målet er nået", "Målet er nået", "Målet er ikke nået"]
    markup = targets_table(frame, baseline_year=2020, later_years=[2021], min_count=5)
    parsed = parse(markup)
    assert parsed.heads == ["Gerningstype", "Mål", "2020 (ny baseline)", "2021", "Status"]
    assert parsed.cells[3] == "21,0 anmeldelser pr. 1000 indbyggere"
    assert parsed.cells[4] == "Målet er nået"
    assert "&lt;5 anmeldelser" in markup  # tyveri/røveri 2021 = 3 is suppressed
    assert "<5 anmeldelser" in parsed.cells


def test_targets_table_shows_the_change_with_its_interval():
    frame = targets_frame()
    frame[2021] = [21.04, 39, 3, 80]
    frame["change"] = ["−10 % (−20 % til +1 %)", "+70 % (+2 % til +180 %)",
                       "vises ikke (små tal)", "+11 % (−19 % til +52 %)"]
    frame["status"] = ["Målet er nået", "Målet er ikke nået", "Målet er nået",
                       "Målet er ikke nået"]
    parsed = parse(targets_table(frame, baseline_year=2020, later_years=[2021], min_count=5))
    assert parsed.heads == ["Gerningstype", "Mål", "2020 (ny baseline)", "2021",
                            "Ændring siden 2020 (95 %-interval)", "Status"]
    assert parsed.cells[10:12] == ["+70 % (+2 % til +180 %)", "Målet er ikke nået"]


def test_targets_table_does_not_suppress_rates_and_handles_singular():
    frame = targets_frame()
    frame[2020] = [1.2, 1, 0, 72]
    cells = parse(targets_table(frame, baseline_year=2020, min_count=5)).cells
    assert "1,2 anmeldelser pr. 1000 indbyggere" in cells
    assert "<5 anmeldelser" in cells and "0 anmeldelser" in cells
    assert "1 anmeldelse" in parse(targets_table(frame, baseline_year=2020)).cells


def test_targets_table_accepts_text_year_columns_and_missing_values():
    frame = targets_frame().rename(columns={2020: "2020"})
    frame["2021"] = [None, float("nan"), pd.NA, 4]
    frame["status"] = None
    markup = targets_table(frame, baseline_year=2020, later_years=[2021],
                           baseline_label="baseline")
    assert "2020 (baseline)" in markup
    assert_clean(markup)


def test_targets_table_refuses_unknown_unit_and_missing_year():
    frame = targets_frame()
    frame.loc[0, "unit"] = "procent"
    with pytest.raises(ValueError, match="unit"):
        targets_table(frame, baseline_year=2020)
    with pytest.raises(ValueError, match="2019"):
        targets_table(targets_frame(), baseline_year=2019)


# --- tabel 2 --------------------------------------------------------------------------------


def test_monitoring_table_total_as_in_the_2021_note():
    markup = monitoring_table(monitoring_frame(), year=2020, number=2,
                              title="Antal anmeldelser i 2020", source="Københavns Politi")
    parsed = parse(markup)
    assert parsed.heads == ["Gerningstype", "2020 (ny baseline)"]
    assert parsed.cells[-2:] == ["Total", "217 anmeldelser"]
    assert parsed.cells[:2] == ["Chikane", "65 anmeldelser"]
    assert '<tr class="total">' in markup
    assert markup.endswith('<p class="kilde">Kilde: Københavns Politi</p>')


def test_monitoring_total_follows_the_input():
    frame = monitoring_frame()
    frame.loc[frame["label"] == "Hærværk", 2020] = 1045
    assert parse(monitoring_table(frame, year=2020)).cells[-1] == "1.217 anmeldelser"


def test_monitoring_total_does_not_give_away_suppressed_cells():
    frame = monitoring_frame()
    frame.loc[frame["label"] == "Trusler", 2020] = 3
    cells = parse(monitoring_table(frame, year=2020, min_count=5)).cells
    assert "<5 anmeldelser" in cells
    # 65 + 45 + 84 shown, plus at least 1 for the suppressed cell; never the true 197.
    assert cells[-1] == "Mindst 195 anmeldelser"
    assert "197" not in "".join(cells)


def test_monitoring_table_without_baseline_label_and_with_later_year():
    frame = monitoring_frame()
    frame[2021] = [70, 40, 90, 20]
    parsed = parse(monitoring_table(frame, year=2020, later_years=[2021], baseline_label=None))
    assert parsed.heads == ["Gerningstype", "2020", "2021"]
    assert parsed.cells[-3:] == ["Total", "217 anmeldelser", "220 anmeldelser"]


# --- tabel 3 --------------------------------------------------------------------------------


def test_budget_table_sums_as_in_the_2021_note():
    markup = budget_table(budget_frame(), years=YEARS, number=3,
                          title="Tryghedsplan for Tingbjerg-Husum Partnerskab")
    parsed = parse(markup)
    assert parsed.heads == ["Nr.", "Aktivitet", "Finansiering (kr.)", *map(str, YEARS)]
    assert 'colspan="4"' in markup and 'rowspan="2"' in markup
    assert parsed.cells[:6] == ["1", "Juniorbetjent", "80.000", "", "", ""]
    assert parsed.cells[-5:] == ["Sum (kr.)", "1.934.000", "1.269.000", "1.094.000", "1.094.000"]
    assert "<em>Budget: 1,93 mio. pr. år</em>" in markup
    assert re.search(r'<tr class="total"><td colspan="2"><strong>Sum \(kr\.\)</strong></td>', markup)
    assert_clean(markup)


def test_budget_sum_follows_the_input():
    frame = budget_frame()
    frame.loc[frame["number"] == 3, 2021] = 290_000
    cells = parse(budget_table(frame, years=YEARS)).cells
    assert cells[-4] == "2.034.000"
    assert "Budget: 2,03 mio. pr. år" in cells


def test_budget_table_with_given_frame_blank_cells_and_excel_floats():
    frame = budget_frame().astype({2022: "float64"})
    frame.loc[0, 2022] = float("nan")
    frame.loc[1, "activity"] = "Haver & <gårde>"
    markup = budget_table(frame, years=[2021, 2022], budget_per_year=2_000_000)
    assert "Budget: 2,00 mio. pr. år" in markup
    assert "Haver &amp; &lt;gårde&gt;" in markup
    assert parse(markup).cells[-2:] == ["1.934.000", "1.269.000"]
    assert_clean(markup)


def test_budget_table_refuses_fractional_kroner():
    frame = budget_frame()
    frame[2021] = frame[2021].astype(float)
    frame.loc[0, 2021] = 80_000.5
    with pytest.raises(ValueError, match="whole"):
        budget_table(frame, years=YEARS)


# --- tabel 4 --------------------------------------------------------------------------------


def test_midterm_table_heads_and_first_cell():
    markup = midterm_table(midterm_frame(), number=4,
                           title="Midtvejsstatus for aktiviteter i tryghedsplanen 2021")
    parsed = parse(markup)
    assert parsed.heads == list(MIDTERM_HEADS)
    assert parsed.cells[0] == "1. Juniorbetjent"
    assert parsed.cells[6] == "2. Fælleshaven"
    assert markup.startswith('<table class="tryg tekst" style="table-layout: fixed">')
    assert markup.count("<col ") == len(MIDTERM_HEADS)
    assert "<caption>Tabel 4: Midtvejsstatus" in markup
    assert_clean(markup)


def test_midterm_table_paragraphs_and_escaping():
    markup = midterm_table(midterm_frame())
    assert "<td><p>Vi har pt. præsenteret konceptet.</p><p>Der arbejdes på et logo.</p></td>" in markup
    assert "<td>Røveri &amp; &lt;vold&gt; er faldet</td>" in markup
    assert "<vold>" not in markup


def test_midterm_table_refuses_missing_column():
    with pytest.raises(ValueError, match="concerns"):
        midterm_table(midterm_frame().drop(columns="concerns"))


def test_paragraphs_html_keeps_lists_and_line_breaks():
    text = "Samarbejde med 3 foreninger.\n\n- Tingbjerg Ungefællesskab\n- Cricketklubben"
    assert tables.paragraphs_html(text) == (
        "<p>Samarbejde med 3 foreninger.</p>"
        "<ul><li>Tingbjerg Ungefællesskab</li><li>Cricketklubben</li></ul>")
    assert tables.paragraphs_html("Partnere:\n• A & B") == "<p>Partnere:</p><ul><li>A &amp; B</li></ul>"
    assert tables.paragraphs_html("linje 1\nlinje 2") == "linje 1<br>linje 2"
    assert tables.paragraphs_html(None) == ""
