"""How a delivery's own names map to the data contract: ``config/sources.yaml``.

Vendors deliver with their own variable names, answer codes and labels. Instead of renaming a
delivery by hand (raw files are read-only), the analyst says once, per source, what each
delivered name means::

    survey:
      columns:                  # contract name: delivered name
        respondent_id: RespID
        tryghed_nabolag: Q7_1
      ignore: [Q1, Q2*]         # delivered columns the note does not use (globs allowed)
      answers:                  # per answer column: delivered code or label -> contract answer
        tryghed_nabolag:
          "Hverken/eller": Hverken tryg eller utryg
          8: Ved ikke
      sheet: Data               # a workbook's sheet (default: the first)
      years:                    # per delivery year, what differs (a renamed variable)
        2019:
          columns: {tryghed_nabolag: Q7_1b}

A source the file does not mention (or no file at all) is read by the contract's own names.
A source it does mention must account for every delivered column: a contract column it maps, or
one listed under ``ignore``; an unaccounted column (a vendor renamed a variable) is an error
naming the delivered name and the nearest contract names.
"""

from __future__ import annotations

import difflib
import fnmatch
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tryghedlib.config import read_yaml
from tryghedlib.errors import ConfigError, Problem, listed

#: What a source's entry (and a year's entry under ``years``) may hold.
KEYS = ("columns", "answers", "ignore", "sheet", "years")

#: A source's contract as the mapping needs it: each contract column's name, with the answers
#: it allows when it holds answers on a fixed scale (None otherwise).
Contract = dict[str, tuple[str, ...] | None]


@dataclass(frozen=True)
class SourceMapping:
    """One source's mapping for one delivery year (overrides applied)."""

    source: str
    columns: dict[str, str] = field(default_factory=dict)  # contract -> delivered
    answers: dict[str, dict[str, str]] = field(default_factory=dict)  # contract col -> code
    ignore: tuple[str, ...] = ()
    sheet: str | None = None
    given: bool = False     # whether sources.yaml mentions the source at all
    origin: str = ""        # the file the mapping comes from, for messages

    def delivered(self, contract: str) -> str:
        """The delivered name of a contract column (its own name when not mapped)."""
        return self.columns.get(contract, contract)

    def shown(self, contract: str) -> str:
        """A column as messages name it: the delivered name, and the contract's if it differs."""
        delivered = self.delivered(contract)
        return delivered if delivered == contract else f"{delivered} ({contract})"


@dataclass(frozen=True)
class Mapping:
    """Every source's mapping, as read from ``sources.yaml`` (empty: the contract applies)."""

    path: str = ""
    sources: dict[str, dict] = field(default_factory=dict)   # checked YAML per source

    def source(self, name: str, year: int | None = None) -> SourceMapping:
        """The mapping of source ``name`` for delivery ``year`` (its overrides applied)."""
        entry = self.sources.get(name)
        if entry is None:
            return SourceMapping(name, origin=self.path)
        override = entry.get("years", {}).get(year, {}) if year is not None else {}
        columns = {**entry.get("columns", {}), **override.get("columns", {})}
        answers = {c: dict(a) for c, a in entry.get("answers", {}).items()}
        for column, codes in override.get("answers", {}).items():
            answers[column] = {**answers.get(column, {}), **codes}
        return SourceMapping(name, columns, answers,
                             (*entry.get("ignore", ()), *override.get("ignore", ())),
                             override.get("sheet", entry.get("sheet")), True, self.path)


def load_mapping(path: str | Path, contracts: dict[str, Contract]) -> Mapping:
    """Read and check ``sources.yaml``; no file means every source is read by the contract.

    ``contracts`` names each source that may be mapped and its contract columns; a key, type,
    column or answer the contract does not have is a :class:`ConfigError` naming file and key.
    """
    path = Path(path)
    if not path.is_file():
        return Mapping()
    data = read_yaml(path, empty=True)  # duplicate keys, aliases, ... refused by line
    if not data:
        return Mapping(str(path))
    sources = {}
    for name, entry in data.items():
        if name not in contracts:
            raise ConfigError(f"{path}: ukendt kilde '{name}'{_nearest(str(name), contracts)}"
                              f"; kilder, der kan oversættes: {', '.join(contracts)}.")
        sources[name] = _entry(entry, f"{path}, nøgle '{name}", contracts[name], top=True)
    return Mapping(str(path), sources)


def _entry(entry: object, where: str, contract: Contract, *, top: bool) -> dict:
    """A source's (or one year's) entry, checked and with codes as text."""
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}': forventet en mapping med {', '.join(KEYS)} "
                          f"(fundet {entry!r}).")
    keys = KEYS if top else KEYS[:-1]
    for key in entry:
        if key not in keys:
            raise ConfigError(f"{where}.{key}': ukendt nøgle{_nearest(str(key), keys)}; "
                              f"tilladt: {', '.join(keys)}.")
    checked: dict = {}
    if "columns" in entry:
        columns = _texts(entry["columns"], f"{where}.columns'")
        for name in columns:
            if name not in contract:
                raise ConfigError(f"{where}.columns.{name}': ikke en kolonne i kontrakten"
                                  f"{_nearest(name, contract)}.")
        delivered = list(columns.values())
        twice = sorted(d for d, k in Counter(delivered).items() if k > 1)
        if twice:
            raise ConfigError(f"{where}.columns': den leverede kolonne '{twice[0]}' er angivet "
                              "for mere end én kolonne i kontrakten.")
        checked["columns"] = columns
    if "answers" in entry:
        checked["answers"] = _answers(entry["answers"], f"{where}.answers", contract)
    if "ignore" in entry:
        ignore = entry["ignore"]
        if not isinstance(ignore, list) or not all(isinstance(i, str) for i in ignore):
            raise ConfigError(f"{where}.ignore': forventet en liste af kolonnenavne "
                              f"(fundet {ignore!r}).")
        checked["ignore"] = tuple(ignore)
    if "sheet" in entry:
        if not isinstance(entry["sheet"], str) or not entry["sheet"]:
            raise ConfigError(f"{where}.sheet': forventet et arks navn (fundet "
                              f"{entry['sheet']!r}).")
        checked["sheet"] = entry["sheet"]
    if "years" in entry:
        years = entry["years"]
        if not isinstance(years, dict) or not all(isinstance(y, int) for y in years):
            raise ConfigError(f"{where}.years': forventet årstal (som 2019) med det, der er "
                              f"anderledes det år (fundet {years!r}).")
        checked["years"] = {y: _entry(e, f"{where}.years.{y}", contract, top=False)
                            for y, e in years.items()}
    return checked


def _texts(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()):
        raise ConfigError(f"{where}: forventet kontraktens navne med de leverede navne "
                          f"(tekster) (fundet {value!r}).")
    return dict(value)


def _answers(value: object, where: str, contract: Contract) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}': forventet svarkolonner med deres koder "
                          f"(fundet {value!r}).")
    answers = {}
    for column, codes in value.items():
        scale = contract.get(column) if isinstance(column, str) else None
        if scale is None:
            on_scale = [c for c, s in contract.items() if s is not None]
            raise ConfigError(f"{where}.{column}': ikke en svarkolonne i kontrakten; "
                              f"svarkolonner: {', '.join(on_scale) or 'ingen'}.")
        if not isinstance(codes, dict):
            raise ConfigError(f"{where}.{column}': forventet leverede koder eller labels med "
                              f"deres svar (fundet {codes!r}).")
        answers[column] = {}
        for code, answer in codes.items():
            if answer not in scale:
                raise ConfigError(f"{where}.{column}.{code}': {answer!r} er ikke et svar i "
                                  f"kontrakten{_nearest(str(answer), scale)}; svar: "
                                  f"{', '.join(scale)}.")
            answers[column][code_text(code)] = answer
    return answers


def code_text(value: object) -> str | None:
    """A delivered code or label as text, the same whether it came as ``8``, ``8.0`` or
    ``'8'``; None for a blank.

    >>> [code_text(v) for v in (8, 8.0, " 8 ", "Ved ikke", float("nan"), "", None)]
    ['8', '8', '8', 'Ved ikke', None, None, None]
    """
    if value is None or isinstance(value, float) and math.isnan(value) or value is pd.NA:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _nearest(name: str, candidates) -> str:
    near = nearest(name, candidates)
    return f" (nærmest: {', '.join(near)})" if near else ""


def nearest(name: str, candidates) -> list[str]:
    """Up to three of ``candidates`` most like ``name``, compared without case."""
    lower = {str(c).lower(): str(c) for c in candidates}
    return [lower[c] for c in difflib.get_close_matches(name.lower(), list(lower), n=3,
                                                        cutoff=0.5)]


# --- applying a mapping to a delivered frame ------------------------------------------------

def rename(frame: pd.DataFrame, mapping: SourceMapping, contract: Contract, path: str,
           *, header_row: int | None = 1) -> tuple[pd.DataFrame, list[Problem]]:
    """The delivered frame's contract columns under their contract names, and the problems.

    Every contract column must be delivered (under its mapped name); when the source is
    mapped, every delivered column must be accounted for (mapped or ignored).
    """
    present = [str(c) for c in frame.columns]
    wanted = {mapping.delivered(c): c for c in contract}
    ignored = [c for c in present if c not in wanted
               and any(fnmatch.fnmatchcase(c, g) for g in mapping.ignore)]
    unaccounted = [c for c in present if c not in wanted and c not in ignored]
    known = {**{c: c for c in contract},
             **{mapping.delivered(c): mapping.shown(c) for c in contract}}
    problems = []
    if mapping.given:
        for column in unaccounted:
            near = [known[n] for n in nearest(column, known)]
            problems.append(Problem(
                path, header_row, column,
                f"en kolonne, som {mapping.origin or 'sources.yaml'} oversætter til kontrakten "
                "eller nævner under 'ignore'", "en kolonne, den ikke gør rede for"
                + (f"; nærmeste navne i kontrakten: {', '.join(near)}" if near else "")))
    for delivered in (d for d in wanted if d not in present):
        near = nearest(delivered, unaccounted)
        problems.append(Problem(path, header_row, mapping.shown(wanted[delivered]),
                                "at kolonnen findes",
                                f"ingen sådan kolonne; nærmeste leverede: {', '.join(near)}"
                                if near else "ingen sådan kolonne"))
    if problems:
        return frame.iloc[:0], problems
    renamed = frame[list(wanted)].rename(columns=wanted)
    return renamed, []


def answers(values: pd.Series, mapping: SourceMapping, column: str, scale: tuple[str, ...],
            path: str, labels: dict | None = None, *, row_label: str = "række"
            ) -> tuple[pd.Series, list[Problem]]:
    """An answer column on the contract's scale: each delivered code, or its value label
    (SPSS), mapped by ``answers`` in the mapping, or already an answer of the scale; blank
    stays blank. A code or label neither accounts for is a problem, once per value."""
    codes = mapping.answers.get(column, {})
    labels = {code_text(k): v for k, v in (labels or {}).items()}

    def answer(value):
        code = code_text(value)
        if code is None:
            return None
        label = code_text(labels.get(code, code))
        for key in (code, label):
            if key in codes:
                return codes[key]
        return label if label in scale else _UNKNOWN

    mapped = values.map(answer)
    unknown = mapped.map(lambda v: v is _UNKNOWN).to_numpy(dtype=bool)
    problems = []
    bad = values[unknown]
    for value, rows in bad.groupby(bad.map(code_text), sort=False):
        label = labels.get(value)
        found = repr(value) + (f" (label {label!r})" if label is not None else "")
        more = (f", også i {len(rows) - 1} {'række' if len(rows) == 2 else 'rækker'} mere"
                if len(rows) > 1 else "")
        near = nearest(str(label or value), scale)
        problems.append(Problem(
            path, int(rows.index[0]), mapping.shown(column),
            f"et svar i kontrakten eller en kode eller label, som 'answers' i "
            f"{mapping.origin or 'sources.yaml'} oversætter til et svar"
            + (f" (nærmest: {', '.join(near)})" if near else ""),
            found + more, row_label=row_label))
    problems = listed(problems[:20], len(problems))
    return mapped.mask(unknown, None).astype("str"), problems


_UNKNOWN = object()
