"""The questions analysts ask, answered as tidy tables: tryghedlib's public face.

Each function reads a data folder (laid out as in ``docs/data.md``) and the configuration, and
returns a pandas DataFrame with one row per observation, computed exactly as the note computes
it (``analysis`` and ``note.model``). Re-exported at the top level::

    import tryghedlib
    tryghedlib.compare_years("norrebro", "neighbourhood", 2019, 2021,
                             data_dir="data/raw/example")

An *area* is a partnership id (a file in ``config/partnerships/``), a district (its geography
code, e.g. ``bispebjerg``, or its name, e.g. ``"Nørrebro"``; a partnership id wins where both
are spelt alike) or the city (``koebenhavn``, settings ``city``). A partnership's respondents
are those living in its area *of their survey year*, as in the note. Relative folders are found
from the working folder or else the repository root (:mod:`tryghedlib.paths`), so the same call
works in ``notebooks/`` and in the root.

The deliveries are read as the note reads them: through the mapping ``config/sources.yaml``
when there is one (a vendor's names, SPSS codes, the Excel sheet), and through the processed
cache ``cache_dir`` that ``tryghed report`` fills (None: every file parsed anew), so asking
again, or asking after a report, does not parse the register again.

``danish`` shows any of these tables with the note's Danish number format.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from tryghedlib import config
from tryghedlib.analysis import geography as geo, indicators
from tryghedlib.note import model, wording
from tryghedlib.paths import among_inputs, project_path
from tryghedlib.sources import cache, cached, loaders

__all__ = ["survey_shares", "compare_years", "police_counts", "danish", "danish_text"]

#: The ``question`` values, as ``analysis.indicators.QUESTIONS``.
QUESTIONS = indicators.QUESTIONS
_WHERE = {"neighbourhood": "i nabolaget", "evening": "i aften- og nattetimerne"}


class _Place:
    """The folders and what every function reads first: settings, partnerships, geography,
    the mapping of the deliveries' names and the processed cache, as the note reads them."""

    def __init__(self, data_dir, config_dir, cache_dir):
        self.data_dir, self.config_dir = project_path(data_dir), project_path(config_dir)
        self.settings = config.load_settings(self.config_dir)
        self.partnerships = {p: config.load_partnership(p, self.config_dir)
                             for p in config.list_partnerships(self.config_dir)}
        self.geography = loaders.load_geography(self.data_dir)
        districts = self.geography[self.geography["level"] == "district"]
        self.districts = dict(zip(districts["code"], districts["name"]))
        # The note's reading of a delivery (note.model.build_note): through its mapping, and
        # through the cache the reports fill, so a table a report read is not parsed again.
        self.sources = loaders.load_sources(self.config_dir / "sources.yaml")
        self.writes = cache.Batch(self._outside_inputs(cache_dir))

    def _outside_inputs(self, cache_dir) -> Path | None:
        """The cache folder, refused inside the data or config folder (as ``tryghed`` refuses
        ``--cache-dir`` there): what is written there would change a delivery."""
        if cache_dir is None or cache_dir == "":
            return None
        cache_dir = project_path(cache_dir)
        what = among_inputs(cache_dir, self.data_dir, self.config_dir)
        if what is not None:
            folder = self.data_dir if what == "datamappen" else self.config_dir
            raise ValueError(f"cache_dir {cache_dir} ligger i {what} {folder}: cachen skrives "
                             "aldrig blandt inddata. Vælg en mappe uden for data- og "
                             "konfigurationsmappen, eller cache_dir=None.")
        return cache_dir

    def area(self, area: str) -> tuple[str, str, str]:
        """(key, level, name) of an area as the functions above accept it."""
        if area in self.partnerships:
            return area, "partnership", self.partnerships[area].name
        if area == self.settings.city:
            return area, "city", geo.area_name(self.geography, area)
        for code, name in self.districts.items():
            if area in (code, name):
                return code, "district", name
        raise ValueError(
            f"område {area!r}: forventet et partnerskab ({', '.join(self.partnerships)}), en "
            f"bydel ({', '.join(self.districts)}) eller byen ({self.settings.city}).")

    def survey(self, years) -> pd.DataFrame:
        return loaders.load_survey(self.data_dir, years, read_year=lambda year: (
            cached.survey_year(self.writes, self.data_dir, year, self.geography, self.sources)))

    def police(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The police reports (all extracts) and the offence-code catalogue."""
        codes_file = self.config_dir / "offence_codes.csv"
        codes = loaders.load_offence_codes(codes_file)
        extent = self.settings.police_extent
        return loaders.load_police(self.data_dir, codes, extent=extent, read_file=lambda path: (
            cached.police_file(self.writes, path, codes, codes_file, extent, self.sources))), codes

    def members(self, survey: pd.DataFrame, key: str, level: str) -> pd.Series:
        """Respondents of an area (a partnership's area of each respondent's survey year)."""
        if level == "partnership":
            years = sorted(survey["year"].unique())
            partnership = self.partnerships[key]
            return indicators.partnership_members(
                survey, {int(y): partnership.subareas(int(y)) for y in years})
        if level == "district":
            return survey["district"] == self.districts[key]
        return pd.Series(True, index=survey.index)


def survey_shares(*, data_dir: str | Path, config_dir: str | Path = "config",
                  years: list[int] | None = None,
                  cache_dir: str | Path | None = "data/processed") -> pd.DataFrame:
    """Andel utrygge for every area, year and question: the numbers behind figur 1 and 2.

    One row per (year, area, question): ``level`` (partnership, district or city), ``area_name``,
    ``n`` (respondents in the denominator), ``n_eff`` (Kish), ``share`` (0-1), ``se``, the 95 %
    Wilson interval ``ci_low``/``ci_high``, and ``shown`` (enough respondents for the note to
    print it, settings ``disclosure.min_respondents``). ``years``: one year or a list of years
    (``2021`` or ``"2021"``); default every survey year.

    >>> shares = survey_shares(data_dir="data/raw/example", years=[2021])
    >>> row = shares.query("area == 'tingbjerg-husum' and question == 'neighbourhood'")
    >>> danish_text(row[["year", "area_name", "share", "n"]]).to_string(index=False)
    'year                   area_name share   n\\n2021 Tingbjerg-Husum Partnerskab  16 % 254'
    """
    place = _Place(data_dir, config_dir, cache_dir)
    survey = place.survey(None if years is None else _years(years))
    place.writes.commit()
    names = {**{("partnership", k): p.name for k, p in place.partnerships.items()},
             **{("district", k): name for k, name in place.districts.items()},
             ("city", place.settings.city): place.area(place.settings.city)[2]}
    shares = indicators.weighted_shares(survey, {
        f"{level}:{key}": place.members(survey, key, level) for level, key in names})
    shares[["level", "area"]] = shares["area"].str.split(":", n=1, expand=True)
    shares["area_name"] = [names[lv, k] for lv, k in zip(shares["level"], shares["area"])]
    shares["shown"] = shares["n"] >= max(place.settings.min_respondents, 1)
    order = ["year", "area", "level", "area_name", "question", *indicators.SHARE_COLUMNS,
             "shown"]
    return shares[order]


def compare_years(area: str, question: str, first_year: int, last_year: int, *,
                  data_dir: str | Path, config_dir: str | Path = "config",
                  cache_dir: str | Path | None = "data/processed") -> pd.DataFrame:
    """Has the share unsafe in ``area`` changed from ``first_year`` to ``last_year``?

    The note's test (:func:`tryghedlib.note.model.compare_shares`: a pooled z-test on the
    Kish effective numbers of respondents) at the settings' ``alpha``, in one row: ``area``,
    ``level``, ``area_name``, ``question``, the years, each year's ``share`` with its 95 %
    interval, ``n`` and ``n_eff`` (columns ``first_*`` and ``last_*``), the ``difference``
    (last - first, 0-1) with Newcombe's interval ``difference_ci_low``/``difference_ci_high``,
    ``p_value``, ``significant``, ``area_changed`` (a partnership whose area differs between
    the years: not directly comparable) and ``verdict``, the Danish sentence. The years may
    be typed as text (``"2021"``); ``first_year`` must come before ``last_year``.

    >>> row = compare_years("koebenhavn", "neighbourhood", 2014, 2021,
    ...                     data_dir="data/raw/example").iloc[0]
    >>> print(row["verdict"])
    I København er 9 % utrygge i nabolaget i 2021 mod 11 % i 2014, et fald. Faldet siden 2014 er signifikant.
    >>> danish_text(compare_years("norrebro", "evening", 2019, 2021, data_dir="data/raw/example")
    ...             [["first_share", "last_share", "difference", "p_value", "significant"]])
      first_share last_share       difference p_value significant
    0        26 %       23 %  −3,1 pct.-point   0,576         nej
    """
    if question not in QUESTIONS:
        raise ValueError(f"spørgsmål {question!r}: forventet et af {', '.join(QUESTIONS)}.")
    first_year, last_year = _year("first_year", first_year), _year("last_year", last_year)
    if first_year == last_year:
        raise ValueError(f"first_year og last_year er begge {first_year}: sammenlign to år.")
    if first_year > last_year:
        # The verdict reads "since first_year": reversed years would give a nonsense sentence.
        raise ValueError(f"first_year ({first_year}) ligger efter last_year ({last_year}): "
                         "byt dem om.")
    place = _Place(data_dir, config_dir, cache_dir)
    key, level, name = place.area(area)
    survey = place.survey([first_year, last_year])
    place.writes.commit()
    shares = indicators.weighted_shares(survey, {key: place.members(survey, key, level)})
    shares = shares[shares["question"] == question].set_index("year")
    then, now = shares.loc[first_year], shares.loc[last_year]
    if not (then["n"] and now["n"]):
        raise ValueError(f"{name}: ingen svarpersoner svarede i "
                         f"{first_year if not then['n'] else last_year}; intet at sammenligne.")
    test = model.compare_shares(now, then)
    alpha = place.settings.alpha
    row = {"area": key, "level": level, "area_name": name, "question": question,
           "first_year": first_year, "last_year": last_year}
    for prefix, share in (("first", then), ("last", now)):
        row.update({f"{prefix}_{column}": share[column]
                    for column in ("share", "ci_low", "ci_high", "n", "n_eff")})
    row.update({"difference": float(test.estimate), "difference_ci_low": float(test.ci_low),
                "difference_ci_high": float(test.ci_high), "p_value": float(test.pvalue),
                "significant": test.significant(alpha),
                "area_changed": level == "partnership" and place.partnerships[key].area_changed(
                    first_year, last_year)})
    row["verdict"] = _verdict(name, question, then["share"], now["share"], first_year,
                              last_year, test.significant(alpha), row["area_changed"])
    return pd.DataFrame([row]).astype({"first_n": "int64", "last_n": "int64"})


def _year(parameter: str, value) -> int:
    """A year as an analyst types it (``2021``, NumPy's 2021 or ``"2021"``), else an error
    naming the parameter: a float or a bool is no year."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    raise ValueError(f"{parameter} {value!r}: forventet et årstal, fx 2021.")


def _years(years) -> list[int]:
    """``years`` as a list: one year or several."""
    many = not isinstance(years, (str, int, np.integer)) and isinstance(years, Iterable)
    chosen = [_year("years", y) for y in years] if many else [_year("years", years)]
    if not chosen:
        raise ValueError("years []: forventet mindst ét årstal, eller None for alle år.")
    return chosen


def _verdict(name, question, first, last, first_year, last_year, significant,
             area_changed=False) -> str:
    """The Danish sentence, with the note's rule: the direction as printed (rounded), and its
    caveat when the partnership's area differs between the years."""
    change = wording.direction(wording.printed_percent(last), wording.printed_percent(first))
    if change == wording.LEVEL:
        movement = f", på niveau med {first_year} ({wording.fmt_percent(first)})"
    else:
        movement = f" mod {wording.fmt_percent(first)} i {first_year}, " \
                   f"{wording.change_phrase(change)}"
    caveat = (f" Partnerskabets område er ændret mellem {first_year} og {last_year}, så "
              f"tallene er {wording.not_comparable('plural')}." if area_changed else "")
    return (f"I {name} er {wording.fmt_percent(last)} utrygge {_WHERE[question]} i {last_year}"
            f"{movement}. "
            + wording.significance_sentence(change, significant, since=first_year) + caveat)


def police_counts(*, data_dir: str | Path, config_dir: str | Path = "config",
                  cache_dir: str | Path | None = "data/processed") -> pd.DataFrame:
    """Police reports per area, year and offence group, and per 1000 inhabitants.

    Areas: each partnership on its area of today (its last period; the note counts every year on
    the report year's area, so the years compare) and the city. One row per (area, year, group):
    ``level``, ``area_name``, ``count``, and where the population file has the area's
    inhabitants on 1 January of that year ``population`` and ``per_1000`` (else missing).
    Groups: ``borgervendt`` and the groups of tabel 1 and 2 (``config/offence_codes.csv``).
    Reading the register takes a few seconds.

    >>> counts = police_counts(data_dir="data/raw/example")
    >>> row = counts.query("area == 'tingbjerg-husum' and year == 2020 and group == 'borgervendt'")
    >>> danish_text(row[["count", "population", "per_1000"]]).to_string(index=False)
    'count population per_1000\\n  271     11.630     23,3'
    """
    place = _Place(data_dir, config_dir, cache_dir)
    police, codes = place.police()
    placed = geo.place_reports(police, place.geography, place.settings.city)
    population = loaders.load_population(place.data_dir, set(place.geography["code"]),
                                         sources=place.sources)
    place.writes.commit()
    years = indicators.distinct_years(placed["year"])
    areas = {p.id: ("partnership", p.name, p.periods[-1].subareas)
             for p in place.partnerships.values()}
    areas[place.settings.city] = ("city", geo.area_name(place.geography, place.settings.city),
                                  (place.settings.city,))
    parts = []
    for key, (level, name, subareas) in areas.items():
        inside = (placed["in_city"].to_numpy() if level == "city"
                  else geo.in_subareas(placed, subareas))
        counts = indicators.crime_counts(placed, codes, inside, years)
        counted = [y for y in years if _has_population(population, subareas, y)]
        people = indicators.area_population(population, subareas, counted, "befolkning.csv")
        counts["population"] = counts["year"].map(people).astype("Int64")
        counts["per_1000"] = indicators.rates_per_1000(counts["count"],
                                                       counts["population"].astype(float))
        parts.append(counts.assign(area=key, level=level, area_name=name))
    frame = pd.concat(parts, ignore_index=True)
    return frame[["area", "level", "area_name", "year", "group", "count", "population",
                  "per_1000"]]


def _has_population(population: pd.DataFrame, areas, year: int) -> bool:
    have = population.loc[population["year"] == year, "area"]
    return set(areas) <= set(have)


# --- Danish format ------------------------------------------------------------------------

def _formatter(column: str, values: pd.Series, percent_decimals: int, percent):
    """How the note prints one column, judged from its name and type."""
    def blank_or(function):
        return lambda value: "" if value is None or value is pd.NA or (
            isinstance(value, float) and np.isnan(value)) else function(value)

    name = str(column)
    if name.endswith("year") or name == "year":
        return blank_or(lambda v: str(int(v)))
    if pd.api.types.is_bool_dtype(values):
        return blank_or(lambda v: "ja" if v else "nej")
    if not pd.api.types.is_numeric_dtype(values):
        return blank_or(str)
    if name.startswith("difference"):   # a change of a share: percentage points
        return blank_or(lambda v: wording.fmt_decimal(v * 100, 1) + " pct.-point")
    if percent is True or column in percent or "share" in name \
            or name.startswith(("ci_", "first_ci", "last_ci")):
        return blank_or(lambda v: wording.fmt_percent(v, percent_decimals))
    if name in ("p_value", "pvalue"):
        return blank_or(lambda v: wording.fmt_decimal(v, 3))
    if pd.api.types.is_integer_dtype(values) or name in ("n", "count", "population"):
        return blank_or(wording.fmt_int)
    return blank_or(lambda v: wording.fmt_decimal(v, 1))


def danish_text(frame: pd.DataFrame, *, percent: bool | Iterable = (),
                percent_decimals: int = 0) -> pd.DataFrame:
    """``frame`` as text in the note's Danish format, column by column.

    Shares (columns named ``*share*`` or ``ci_*``, or named in ``percent``, or every numeric
    column with ``percent=True``, as for a table pivoted from shares; 0-1) as ``16 %``;
    differences of shares as
    percentage points ``−7,4 pct.-point``; counts as ``1.934.000``; years as ``2021``; p-values
    with three decimals; other numbers with one decimal, ``23,3``; booleans ``ja``/``nej``; a
    missing value blank.

    >>> danish_text(pd.DataFrame({"year": [2021], "share": [0.1634], "count": [1934000],
    ...                           "per_1000": [23.25], "difference": [-0.0744]}))
       year share      count per_1000       difference
    0  2021  16 %  1.934.000     23,3  −7,4 pct.-point
    """
    frame, percent = _table(frame, percent)
    return pd.DataFrame({column: frame[column].map(
        _formatter(column, frame[column], percent_decimals, percent))
        for column in frame.columns}, index=frame.index)


def danish(frame: pd.DataFrame, *, percent: bool | Iterable = (),
           percent_decimals: int = 0) -> Styler:
    """``frame`` styled for a notebook in the note's Danish format (see :func:`danish_text`);
    the numbers themselves are unchanged.

    >>> html = danish(pd.DataFrame({"share": [0.1634]})).to_html()
    >>> "16 %" in html
    True
    """
    frame, percent = _table(frame, percent)
    return frame.style.format({column: _formatter(column, frame[column], percent_decimals,
                                                  percent) for column in frame.columns})


def _table(frame, percent) -> tuple[pd.DataFrame, bool | list]:
    """The table to format (a Series is a table of one column) and the ``percent`` columns,
    each checked: a misspelt name would silently leave its shares unformatted."""
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"forventet en tabel (pandas DataFrame eller Series), fundet "
                        f"{type(frame).__name__}.")
    repeated = frame.columns[frame.columns.duplicated()].unique().tolist()
    if repeated:
        raise ValueError(f"kolonnerne {', '.join(map(repr, repeated))} findes mere end én gang: "
                         "giv hver kolonne sit eget navn.")
    if percent is True:
        return frame, True
    percent = [percent] if isinstance(percent, str) else list(percent)
    unknown = [c for c in percent if c not in frame.columns]
    if unknown:
        raise ValueError(f"percent: {', '.join(map(repr, unknown))} er ikke en kolonne i "
                         f"tabellen (kolonner: {', '.join(map(str, frame.columns))}).")
    return frame, percent
