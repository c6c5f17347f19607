"""docs/data.md's tables of the sources are their contracts (sources/schemas.py), rendered."""

from dataclasses import replace
from pathlib import Path

from tryghedlib.sources import schemas

DOC = Path(__file__).resolve().parents[1] / "docs" / "data.md"
REGENERATE = ".venv/bin/python -m tryghedlib.sources.schemas docs/data.md"


def stale(text: str) -> bool:
    return schemas.documented(text) != text


def test_docs_show_each_sources_contract_as_defined():
    assert not stale(DOC.read_text(encoding="utf-8")), (
        "docs/data.md's tables differ from the contracts in tryghedlib/sources/schemas.py; "
        f"regenerate them: {REGENERATE}")


def test_a_column_or_an_allowed_value_added_without_the_docs_is_caught(monkeypatch):
    text = DOC.read_text(encoding="utf-8")
    police = schemas.POLICE
    monkeypatch.setitem(schemas.DOCUMENTED, "police", replace(
        police, fields=(*police.fields, schemas.Field("politikreds", "district"))))
    assert stale(text) and "| `politikreds` | text |" in schemas.documented(text)
    monkeypatch.setitem(schemas.DOCUMENTED, "police", police)
    assert not stale(text)
    codes = schemas.OFFENCE_CODES
    group = codes.fields[-1]
    monkeypatch.setitem(schemas.DOCUMENTED, "offence_codes", replace(codes, fields=(
        *codes.fields[:-1], replace(group, allowed=(*group.allowed, "bedrageri")))))
    assert stale(text) and "`trusler`, `bedrageri`, or blank" in schemas.documented(text)


def test_every_documented_source_has_its_markers_once():
    text = DOC.read_text(encoding="utf-8")
    for key in schemas.DOCUMENTED:
        assert text.count(f"<!-- contract:{key} -->") == 1
    broken = text.replace("<!-- /contract:survey -->", "")
    try:
        schemas.documented(broken)
    except ValueError as err:
        assert "contract:survey" in str(err)
    else:
        raise AssertionError("a missing marker went unnoticed")
