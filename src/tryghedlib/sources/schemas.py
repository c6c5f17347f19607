"""Schemas of the tidy, typed frames the loaders return, and the translation of their failures.

Each schema is checked lazily, so one run lists every problem of a delivery at once. A check's
``error`` text is what the analyst reads after "forventet", so it is written for them, in Danish.
The frames' index holds the line number in the delivered file, which is how a failure names
its row; loaders reset the index before returning.
"""

from __future__ import annotations

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


def _answer() -> pa.Column:
    return pa.Column(str, pa.Check.isin(ANSWERS, error=f"en af {', '.join(ANSWERS)} eller tom"),
                     nullable=True)


def _text() -> pa.Column:
    return pa.Column(str, pa.Check.str_length(min_value=1, error="en tekst, der ikke er tom"))


SURVEY = pa.DataFrameSchema(
    {
        "year": pa.Column(int),
        "respondent_id": pa.Column(str, unique=True, report_duplicates="all"),
        "district": _text(),
        "subarea": pa.Column(str, nullable=True),
        "weight": pa.Column(float, pa.Check.gt(0, error="en vægt over 0")),
        "neighbourhood": _answer(),
        "evening": _answer(),
    },
    name="survey",
)

PUBLISHED = pa.DataFrameSchema(
    {
        "year": pa.Column(int),
        "area": _text(),
        "question": pa.Column(str, pa.Check.isin(["nabolag", "aften"],
                                                 error="'nabolag' eller 'aften'")),
        "share": pa.Column(float, pa.Check.in_range(0, 100, error="en andel i procent, 0-100")),
        "n": pa.Column(int, pa.Check.gt(0, error="et antal svarpersoner over 0")),
        "n_eff": pa.Column(float, pa.Check.gt(0, error="et effektivt n over 0 eller tom"),
                           nullable=True),
    },
    unique=["year", "area", "question"],
    report_duplicates="all",
    name="published aggregates",
)

OFFENCE_CODES = pa.DataFrameSchema(
    {
        "code": pa.Column(int, unique=True, report_duplicates="all"),
        "text": _text(),
        "case_area": _text(),
        "citizen_facing": pa.Column(bool),
        "table_1_group": pa.Column(str, pa.Check.isin(TABLE_1_GROUPS, error=(
            f"en af {', '.join(TABLE_1_GROUPS)} eller tom")), nullable=True),
        "table_2_group": pa.Column(str, pa.Check.isin(TABLE_2_GROUPS, error=(
            f"en af {', '.join(TABLE_2_GROUPS)} eller tom")), nullable=True),
    },
    name="offence codes",
)

POLICE = pa.DataFrameSchema(
    {
        "journal_number": pa.Column(str, unique=True, report_duplicates="all"),
        "reported": pa.Column("datetime64[ns]"),
        "committed": pa.Column("datetime64[ns]", nullable=True),
        "code": pa.Column(int),
        "x": pa.Column(float, nullable=True),
        "y": pa.Column(float, nullable=True),
    },
    name="police register",
)

POPULATION = pa.DataFrameSchema(
    {
        "year": pa.Column(int),
        "area": _text(),
        "population": pa.Column(int, pa.Check.gt(0, error="et indbyggertal over 0")),
    },
    unique=["year", "area"],
    report_duplicates="all",
    name="population",
)

PLAN_LINES = pa.DataFrameSchema(
    {
        "number": pa.Column(int, unique=True, report_duplicates="all"),
        "activity": _text(),
        "kind": pa.Column(str, pa.Check.isin(["Aktivitet", "Drift"],
                                             error="'Aktivitet' eller 'Drift'")),
        "responsible": _text(),
        "partners": pa.Column(object),
        "n_partners": pa.Column(int),
    },
    name="safety plan",
)


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
