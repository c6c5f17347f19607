"""``tryghed diff A B``: the figures that differ between two notes.

A and B are report folders (``reports/<year>/<partnership>/``) or executed notebooks: this
year's note against last year's for a partnership, or two runs of one year after a corrected
delivery. The figures are those the note printed, as stored in the executed notebook by
``notebooks/status_note.ipynb`` (:func:`tryghedlib.note.numbers.printed_figures`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from tryghedlib.errors import TryghedError, os_reason

MISSING = "–"   # a figure the other note does not print


@dataclass(frozen=True)
class Change:
    figure: str
    a: str | None
    b: str | None


def notebook_of(path: str | Path) -> Path:
    """The executed notebook of a report folder (its one ``status_note_*.ipynb``), or ``path``
    itself when it is a notebook."""
    path = Path(path)
    if path.is_file():
        return path
    if not path.is_dir():
        raise TryghedError(f"{path}: findes ikke; angiv en rapportmappe eller en kørt notesbog "
                           "(.ipynb).")
    found = sorted(path.glob("status_note_*.ipynb"))
    if len(found) != 1:
        raise TryghedError(f"{path}: forventede én kørt notesbog status_note_<år>.ipynb, "
                           f"fandt {len(found)}.")
    return found[0]


def read_figures(path: str | Path) -> dict[str, str]:
    """The figures a note printed, from its executed notebook (read as JSON: no code runs)."""
    notebook = notebook_of(path)
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except OSError as error:
        raise TryghedError(f"{notebook}: kan ikke læses ({os_reason(error)}).") from None
    except UnicodeDecodeError:
        raise TryghedError(f"{notebook}: kan ikke læses som notesbog (ikke UTF-8-tekst)."
                           ) from None
    except json.JSONDecodeError as error:
        raise TryghedError(f"{notebook}: kan ikke læses som notesbog (ikke gyldig JSON, linje "
                           f"{error.lineno}, kolonne {error.colno}).") from None
    figures: dict[str, str] | None = None
    for cell in _listed(nb, "cells"):
        for output in _listed(cell, "outputs"):
            stored = _member(_member(_member(output, "metadata"), "tryghed"), "figures")
            if isinstance(stored, dict):
                figures = {str(k): str(v) for k, v in stored.items()}
    if figures is None:
        raise TryghedError(f"{notebook}: indeholder ingen tal fra notatet (metadata "
                           "'tryghed.figures'); er den kørt med tryghed report fra denne version?")
    return figures


def _member(value: object, key: str) -> object:
    # Any JSON may stand where a notebook's mapping should: what is not one holds nothing.
    return value.get(key) if isinstance(value, dict) else None


def _listed(value: object, key: str) -> list:
    found = _member(value, key)
    return found if isinstance(found, list) else []


def diff(a: dict[str, str], b: dict[str, str]) -> list[Change]:
    """Every figure whose printed value differs, or that only one note prints, in A's order
    and then B's.

    >>> diff({"x": "16 %", "y": "271"}, {"x": "17 %", "y": "271", "z": "2"})
    [Change(figure='x', a='16 %', b='17 %'), Change(figure='z', a=None, b='2')]
    """
    names = [*a, *(name for name in b if name not in a)]
    return [Change(name, a.get(name), b.get(name)) for name in names
            if a.get(name) != b.get(name)]


def as_text(changes: list[Change], a: str | Path, b: str | Path) -> str:
    """The changes for the analyst, in Danish, one figure a line."""
    if not changes:
        return f"Ingen tal er ændret mellem {a} og {b}."
    width = max(len(c.figure) for c in changes)
    lines = [f"{len(changes)} tal er ændret (A: {a}, B: {b}):"]
    lines += [f"  {c.figure:<{width}}  {c.a or MISSING} → {c.b or MISSING}" for c in changes]
    return "\n".join(lines)


def as_json(changes: list[Change], a: str | Path, b: str | Path) -> str:
    return json.dumps({"a": str(a), "b": str(b), "changes": [asdict(c) for c in changes]},
                      ensure_ascii=False, indent=1)
