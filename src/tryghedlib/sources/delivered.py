"""A delivered table read as text under the contract's names, whatever its format.

``;``-files (``.csv``, ``.csv.gz``), workbooks (``.xlsx``) and SPSS files (``.sav``) all become
the text a ``;``-file would hold, under the contract's names (through ``config/sources.yaml``,
``mapping``), so the loaders check every format with the same parsing and the same schema
(``schemas``): one definition of each source. Problems are named as the format names places:
a line, a cell (``Udtræk!C1204``) or an SPSS case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from tryghedlib.errors import DataError, Problem
from tryghedlib.sources import mapping, schemas
from tryghedlib.sources.cells import text_frame
from tryghedlib.sources.delimited import read_text_table, require_columns
from tryghedlib.sources.spss import read_sav
from tryghedlib.sources.workbook import in_cells, read_sheet


@dataclass(frozen=True)
class Delivered:
    """A delivered table as text under the contract's names, whatever its format, and what
    reading it found wrong (answers the mapping does not account for)."""

    raw: pd.DataFrame
    problems: list[Problem]
    back: dict[str, str]            # tidy name -> the column as messages name it
    name_cells: Callable[[list[Problem]], list[Problem]]


def read_delivered(path: Path, schema: schemas.Source,
                   source: mapping.SourceMapping) -> Delivered:
    """A delivered ``;``-file, workbook (``.xlsx``) or SPSS file (``.sav``) read as text under
    the tidy names of ``schema``'s contract, through the source's mapping; the same checks
    follow for every format. Problems in a workbook are named by cell, in an SPSS file by case
    number."""
    columns, contract = schema.columns, schema.contract
    labels: dict[str, dict] = {}
    header_row: int | None = 1

    def name_cells(problems):
        return problems

    if path.name.endswith(".xlsx"):
        sheet = read_sheet(path, source.sheet, expect=[source.delivered(c) for c in columns])
        raw = text_frame(sheet.frame)
        shown = {source.shown(c): source.delivered(c) for c in columns}
        shown.update({c: source.delivered(c) for c in columns})

        def name_cells(problems):
            return in_cells(problems, sheet, shown)
    elif path.name.endswith(".sav"):
        delivered = read_sav(path)
        raw, labels, header_row = text_frame(delivered.frame), delivered.labels, None

        def name_cells(problems):
            return [replace(p, row_label="observation") if p.row is not None
                    and p.row_label == "række"
                    else p for p in problems]
    else:
        raw = read_text_table(path)
        if not source.given:   # the contract's names: the message suggests a near name
            require_columns(raw, path, list(columns))
    raw, problems = mapping.rename(raw, source, contract, str(path), header_row=header_row)
    if problems:
        raise DataError(name_cells(problems))
    if raw.empty:
        raise DataError(name_cells([Problem(str(path), 2, None, "mindst én række med data",
                                            "kun overskriftslinjen")]))
    for column, scale in contract.items():
        # Without codes to map, answers are checked by the schema, as in a contract delivery.
        if scale is not None and (source.answers.get(column)
                                  or labels.get(source.delivered(column))):
            raw[column], more = mapping.answers(raw[column], source, column, scale, str(path),
                                                labels.get(source.delivered(column)))
            problems += more
    raw = raw[list(columns)].rename(columns=columns)
    back = {tidy: source.shown(c) for c, tidy in columns.items()}
    return Delivered(raw, problems, back, name_cells)


def validate(schema: pa.DataFrameSchema, frame: pd.DataFrame, path: Path, read: Delivered,
             problems: list[Problem]) -> pd.DataFrame:
    """:func:`schemas.validate`, problems named as the delivery's format names places."""
    try:
        return schemas.validate(schema, frame, str(path), read.back, problems)
    except DataError as err:
        raise DataError(read.name_cells(err.problems)) from None


def refuse_two_files(groups) -> None:
    """Refuse a source delivered twice for one year (``.sav`` and ``.csv``): which to read?"""
    problems = [Problem(str(paths[0].parent), None, None,
                        "én fil pr. kilde og år, i ét format",
                        f"{', '.join(p.name for p in paths)}; behold den, der skal læses")
                for paths in groups if len(paths) > 1]
    if problems:
        raise DataError(problems)
