"""Schemas of the tidy, typed frames the loaders return, and the translation of their failures.

Each schema is checked lazily, so one run lists every problem of a delivery at once. A check's
``error`` text is what the analyst reads after "forventet", so it is written for them, in Danish.
The frames' index holds the line number in the delivered file, which is how a failure names
its row; loaders reset the index before returning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pandera.pandas as pa

from tryghedlib.errors import DataError, Problem, brief
from tryghedlib.imports import without

DONT_KNOW = "Ved ikke"
#: The survey's answer scale, safest first; "Ved ikke" leaves the share's denominator.
ANSWERS = ("Meget tryg", "Tryg", "Hverken tryg eller utryg", "Utryg", "Meget utryg", DONT_KNOW)
ANSWER_SCALE = pd.CategoricalDtype(ANSWERS, ordered=True)
TABLE_1_GROUPS = ("indbrud", "tyveri_roeveri", "vold_vaaben")
TABLE_2_GROUPS = ("chikane", "haervaerk", "narkotika", "trusler")
LEVELS = ("subarea", "district", "city")


#: Kinds of field. A digit mask such as ``"9999-99999-99999-99"`` (``9`` a digit, any other
#: character itself) is a kind too: text of exactly that shape.
TEXT, INT, DECIMAL, DATE, YES_NO = "text", "int", "decimal", "date", "ja/nej"
#: What a ``ja``/``nej`` field's texts mean.
YES_NO_VALUES = {"ja": True, "nej": False}
_DTYPES = {INT: int, DECIMAL: float, DATE: "datetime64[ns]", YES_NO: bool}
_DOC_TYPES = {TEXT: "text", INT: "integer", DECIMAL: "decimal", DATE: "date `dd-mm-yyyy`",
              YES_NO: "`ja`/`nej`"}


@dataclass(frozen=True)
class Field:
    """One column of a source's contract, the one definition every reader of it uses.

    ``expected`` is the analyst's text for the field's own check (allowed values, bound or
    mask). ``meaning`` and ``rule`` (what the loader checks against other data: the geography,
    the catalogue) are for docs/data.md, whose tables are rendered from these fields.
    """

    name: str                       # as delivered (the contract's name): "gerningskode"
    tidy: str                       # as the loaders return it: "code"
    kind: str = TEXT
    meaning: str = ""
    blank: bool = False             # a cell may be blank
    unique: bool = False            # no value twice
    allowed: tuple[str, ...] = ()   # the texts a text field allows
    above: float | None = None      # numbers above this
    within: tuple[float, float] | None = None   # numbers in this range (both ends included)
    expected: str = ""
    rule: str = ""
    plain_name: bool = False        # the real name is not public: a plain Danish name

    @property
    def masked(self) -> bool:
        return self.kind not in _DOC_TYPES

    def column(self) -> pa.Column:
        checks = []
        if self.allowed:
            checks.append(pa.Check.isin(self.allowed, error=self.expected or _one_of(
                self.allowed, self.blank)))
        elif self.kind == TEXT and not self.blank:
            checks.append(pa.Check.str_length(min_value=1, error="en tekst, der ikke er tom"))
        if self.masked:
            pattern = "".join(r"\d" if c == "9" else re.escape(c) for c in self.kind) + r"\Z"
            checks.append(pa.Check.str_matches(pattern, error=self.expected))
        if self.within is not None:   # one check, so a value breaking both is named once
            low = self.within[0] if self.above is None else self.above
            checks.append(pa.Check.in_range(low, self.within[1], include_min=self.above is None,
                                            error=self.expected))
        elif self.above is not None:
            checks.append(pa.Check.gt(self.above, error=self.expected))
        return pa.Column(_DTYPES.get(self.kind, str), checks, nullable=self.blank,
                         unique=self.unique, report_duplicates="all")


def _one_of(values: tuple[str, ...], blank: bool) -> str:
    if len(values) == 2 and not blank:
        return f"'{values[0]}' eller '{values[1]}'"
    return f"en af {', '.join(values)}" + (" eller tom" if blank else "")


@dataclass(frozen=True)
class Source:
    """A source's contract: its fields, and which of them together identify a row."""

    name: str                       # as messages name it: "police register"
    fields: tuple[Field, ...]
    unique: tuple[str, ...] = ()    # contract names whose combination occurs only once

    @property
    def columns(self) -> dict[str, str]:
        """Contract name -> tidy name, in the contract's order."""
        return {f.name: f.tidy for f in self.fields}

    def named(self, tidy: str) -> str:
        """The contract's name of the tidy column ``tidy``."""
        return next(f.name for f in self.fields if f.tidy == tidy)

    @property
    def contract(self) -> dict[str, tuple[str, ...] | None]:
        """What the mapping (``config/sources.yaml``) checks: each contract name, with the
        values it allows (codes and labels may be mapped onto them) or None."""
        return {f.name: f.allowed or None for f in self.fields}

    @cached_property
    def schema(self) -> pa.DataFrameSchema:
        unique = [self.columns[name] for name in self.unique] or None
        return pa.DataFrameSchema({f.tidy: f.column() for f in self.fields}, unique=unique,
                                  report_duplicates="all", name=self.name)

    @property
    def whole_numbers(self) -> dict[str, str]:
        """The dtype of each whole-number column once validated (never blank: int64)."""
        return {f.tidy: "int64" for f in self.fields if f.kind == INT and not f.blank}

    def fast(self) -> dict | None:
        """The arguments of ``delimited.read_clean_table`` that read this source, or None when
        the contract checks something the fast path does not (then the careful path reads
        every file): the fast path may never accept what the schema refuses."""
        columns, required, unique = {}, [], []
        for f in self.fields:
            plain = f.kind in (INT, DECIMAL, DATE) or f.masked
            blank_read = f.kind in (DECIMAL, DATE) or not f.blank   # int, mask: never blank
            if (not plain or not blank_read or f.allowed or f.above is not None
                    or f.within is not None or (f.unique and not f.masked)):
                return None
            columns[f.name] = (f.tidy, f.kind)
            required += [f.name] if not f.blank and f.kind in (DECIMAL, DATE) else []
            unique += [f.name] if f.unique else []
        if self.unique:
            return None
        return {"columns": columns, "required": required, "unique": unique}


_ANSWER = dict(blank=True, allowed=ANSWERS, plain_name=True)

SURVEY = Source("survey", (
    Field("respondent_id", "respondent_id", unique=True, plain_name=True,
          meaning="respondent's id in the survey year"),
    Field("aar", "year", INT, "survey year", plain_name=True,
          rule="equals the year in the file name"),
    Field("bydel", "district", meaning="district the respondent lives in",
          rule="a district in the geography (`level: district`, property `name`)"),
    Field("delomraade", "subarea", blank=True, plain_name=True,
          meaning="sub-area code where the respondent lives; blank outside every sub-area",
          rule="a sub-area `code` in the geography"),
    # At most a million: no respondent stands for more people than the city has (about
    # 650,000); a weight of 10^300 passed "> 0" and overflowed every sum of squares after it.
    Field("vaegt", "weight", DECIMAL, "survey weight (post-stratification)", above=0,
          within=(0, 1_000_000), expected="en vægt over 0 og højst 1000000", plain_name=True),
    Field("tryghed_nabolag", "neighbourhood",
          meaning='"Hvor tryg eller utryg føler du dig i dit nabolag?"', **_ANSWER),
    Field("tryghed_aften", "evening",
          meaning="the same question for the evening and night hours", **_ANSWER),
))

PUBLISHED = Source("published aggregates", (
    Field("aar", "year", INT, "survey year"),
    Field("omraade", "area", meaning="area: a sub-area or district code/name, a partnership "
          "id, or `koebenhavn`"),
    Field("indikator", "question", meaning="the question: neighbourhood or evening",
          allowed=("nabolag", "aften")),
    Field("andel", "share", DECIMAL, "share unsafe, in percent", within=(0, 100),
          expected="en andel i procent, 0-100"),
    Field("n", "n", INT, "respondents in the denominator", above=0,
          expected="et antal svarpersoner over 0"),
    Field("n_eff", "n_eff", DECIMAL, "Kish effective n, if published", blank=True, above=0,
          expected="et effektivt n over 0 eller tom"),
), unique=("aar", "omraade", "indikator"))

OFFENCE_CODES = Source("offence codes", (
    Field("gerningskode", "code", INT, "offence code", unique=True),
    Field("tekst", "text", meaning="the code's description"),
    Field("sagsomraade", "case_area", meaning="the police's case area",
          rule="e.g. `Indbrud`, `Tyveri`, `Røveri`, `Vold`, `Narkotika og smugling`, "
          "`Færdselslov`, `Sædelighed`, `Drab`, `Øvrig straffelov`, `Særlov`"),
    Field("borgervendt", "citizen_facing", YES_NO, "counts as borgervendt kriminalitet"),
    Field("tabel1_gruppe", "table_1_group", meaning="group in tabel 1", blank=True,
          allowed=TABLE_1_GROUPS),
    Field("tabel2_gruppe", "table_2_group", meaning="group in tabel 2", blank=True,
          allowed=TABLE_2_GROUPS),
))

POLICE = Source("police register", (
    Field("journalnummer", "journal_number", "9999-99999-99999-99",
          "police journal number, `KKKK-TTTTT-LLLLL-YY`", unique=True,
          expected="et journalnummer som 0100-76543-00012-20",
          rule="also across the files of the extract"),
    Field("anmeldt_dato", "reported", DATE, "date the report was made; **the year of a "
          "report is this date's year**", plain_name=True),
    Field("gerningsdato", "committed", DATE, "date of the offence, if known", blank=True,
          rule="not after `anmeldt_dato`", plain_name=True),
    Field("gerningskode", "code", INT, "offence code",
          rule="present in `config/offence_codes.csv`"),
    Field("x_koordinat", "x", DECIMAL, "easting, ETRS89 / UTM zone 32N (EPSG:25832), metres",
          blank=True, rule="given with `y_koordinat`, inside the police district"),
    Field("y_koordinat", "y", DECIMAL, "northing, same system", blank=True,
          rule="given with `x_koordinat`, inside the police district"),
))

POPULATION = Source("population", (
    Field("aar", "year", INT, "year"),
    Field("omraade", "area", meaning="a sub-area or city `code` of the geography"),
    Field("indbyggere", "population", INT, "inhabitants on 1 January of `aar`", above=0,
          expected="et indbyggertal over 0"),
), unique=("aar", "omraade"))

#: The sources a delivery may name its own way (``config/sources.yaml``).
MAPPED = {"survey": SURVEY, "police": POLICE, "population": POPULATION}
#: Every source whose table docs/data.md renders from its contract.
DOCUMENTED = {"survey": SURVEY, "published": PUBLISHED, "police": POLICE,
              "offence_codes": OFFENCE_CODES, "population": POPULATION}


PLAN_LINES = pa.DataFrameSchema(
    {
        "number": pa.Column(int, unique=True, report_duplicates="all"),
        "activity": Field("Aktivitet", "activity").column(),
        "kind": Field("Type", "kind", allowed=("Aktivitet", "Drift")).column(),
        "responsible": Field("Ansvarlig", "responsible").column(),
        "partners": pa.Column(object),
        "n_partners": pa.Column(int),
    },
    name="safety plan",
)


def markdown_table(source: Source) -> str:
    """The source's contract as docs/data.md shows it (between its ``contract`` markers)."""
    rows = ["| field | type | meaning | allowed values |", "|---|---|---|---|"]
    for f in source.fields:
        name = f"`{f.name}`" + (" *(plain name)*" if f.plain_name else "")
        kind = _DOC_TYPES.get(f.kind) or f"text `{f.kind}` (`9` a digit)"
        rows.append(f"| {name} | {kind} | {f.meaning} | {_allowed(f)} |")
    if source.unique:
        rows += ["", f"Each combination of {', '.join(f'`{n}`' for n in source.unique)} "
                 "occurs only once."]
    return "\n".join(rows)


def _bound(value: float) -> str:
    """``1,000,000``, not ``1e+06``; ``0.5`` as it is."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def _allowed(f: Field) -> str:
    parts = []
    if f.allowed:
        parts.append(", ".join(f"`{v}`" for v in f.allowed) + (", or blank" if f.blank else ""))
    elif f.blank:
        parts.append("blank allowed")
    if f.above is not None:
        parts.append(f"> {_bound(f.above)}")
    if f.within is not None:
        parts.append(f"{_bound(f.within[0])}–{_bound(f.within[1])}")
    if f.unique:
        parts.append("unique")
    return "; ".join(parts + [f.rule] if f.rule else parts)


def documented(text: str) -> str:
    """``text`` (docs/data.md) with each source's table between its markers
    (``<!-- contract:police -->`` … ``<!-- /contract:police -->``) rendered from its contract;
    a source whose markers are missing is an error."""
    for key, source in DOCUMENTED.items():
        start, end = f"<!-- contract:{key} -->", f"<!-- /contract:{key} -->"
        if text.count(start) != 1 or text.count(end) != 1:
            raise ValueError(f"docs/data.md should hold {start} and {end} once each")
        before, rest = text.split(start)
        text = f"{before}{start}\n{markdown_table(source)}\n{end}{rest.split(end)[1]}"
    return text


def problems_from(errors: pa.errors.SchemaErrors, path: str,
                  columns: dict[str, str]) -> list[Problem]:
    """Turn pandera's failure cases into problems naming file, line and delivered column.

    ``columns`` maps the tidy column names back to the names in the delivery.
    """
    problems = []
    combined: dict[int, dict[str, object]] = {}   # row -> {column: value}, repeated combinations
    for case in errors.failure_cases.itertuples(index=False):
        column = columns.get(case.column, case.column)
        if str(case.check) == "multiple_fields_uniqueness" and not pd.isna(case.index):
            combined.setdefault(int(case.index), {})[column] = case.failure_case
            continue
        expected = _expected(str(case.check))
        row = None if pd.isna(case.index) else int(case.index)
        found = "" if pd.isna(case.failure_case) else shown(case.failure_case)
        if expected == NOT_BLANK:
            found = "en tom celle"
        problems.append(Problem(path, row, column, expected, found))
    return problems + _repeated_combinations(combined, path)


def _repeated_combinations(combined: dict[int, dict[str, object]], path: str) -> list[Problem]:
    """One problem per row whose combination of key columns an earlier row already has."""
    first: dict[tuple, int] = {}
    problems = []
    for row in sorted(combined):
        key = tuple(combined[row].items())
        if key in first:
            names = "/".join(combined[row])
            values = ", ".join(shown(v) for v in combined[row].values())
            problems.append(Problem(path, row, names, f"hver kombination af {names} kun én gang",
                                    f"{values}, som i række {first[key]}"))
        first.setdefault(key, row)
    return problems


def shown(value) -> str:
    """A delivered value as the analyst would type it: ``2020``, ``-1,2``, ``'Tryg'``."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.10g}".replace(".", ",")
    return brief(value)


NOT_BLANK = "en værdi, ikke tom"
OF_TYPE = "værdier af typen"


def _expected(check: str) -> str:
    if check in {"field_uniqueness", "multiple_fields_uniqueness"}:
        return "en værdi, der kun forekommer én gang"
    if check == "not_nullable":
        return NOT_BLANK
    if check.startswith("column_in_dataframe"):
        return "at kolonnen findes"
    if check.startswith("dtype("):
        return f"{OF_TYPE} {check[6:-1]}"
    return check


def validate(schema: pa.DataFrameSchema, frame: pd.DataFrame, path: str,
             columns: dict[str, str], problems: list[Problem] | None = None) -> pd.DataFrame:
    """Validate ``frame`` lazily; raise one :class:`DataError` listing every problem.

    ``problems`` found earlier (while parsing) are reported together with the schema's, so the
    analyst sees everything wrong with a delivery in one run.
    """
    problems = list(problems or [])
    try:
        # pandera's first validation imports its data-synthesis strategies, which import
        # hypothesis if it is installed; the loaders never synthesise data.
        with without("hypothesis", "pandera.strategies.base_strategies"):
            frame = schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        # A cell that could not be parsed is blank to the schema: report it once; and a column
        # with such cells is not of the schema's type either: no need to say so.
        seen = {(p.row, p.column) for p in problems}
        unparsed = {p.column for p in problems}
        problems += [p for p in problems_from(errors, path, columns)
                     if (p.row, p.column) not in seen
                     and not (p.row is None and p.column in unparsed
                              and p.expected.startswith(OF_TYPE))]
    if problems:
        problems.sort(key=lambda p: (p.row is not None, p.row or 0, p.column or ""))
        raise DataError(problems)
    return frame.reset_index(drop=True)


if __name__ == "__main__":  # python -m tryghedlib.sources.schemas docs/data.md
    import sys
    from pathlib import Path
    doc = Path(sys.argv[1])
    doc.write_text(documented(doc.read_text(encoding="utf-8")), encoding="utf-8")
