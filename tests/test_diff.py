"""``tryghed diff A B``: the figures that differ between two notes (run/diff.py). The real
notes' figures are compared in tests/test_status_note.py (the example against its altered copy
and against the year before)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from english import english_words

from tryghedlib.errors import TryghedError
from tryghedlib.run import cli, diff


def executed(folder: Path, figures: dict | None, year: int = 2021) -> Path:
    """A report folder whose executed notebook stores ``figures`` as the note's header does."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("display(...)")
    metadata = {"tryghed": {"title": "Status", **({"figures": figures} if figures else {})}}
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<p>x</p>"},
                                           metadata=metadata)]
    nb.cells = [cell]
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"status_note_{year}.ipynb")
    return folder


A = {"Andel utrygge i nabolaget, partnerskab, 2021": "16 %",
     "Anmeldelser, borgervendt, 2020": "271", "Tryghedsplanens budget, 2021": "1.934.000 kr."}
B = {"Andel utrygge i nabolaget, partnerskab, 2021": "18 %",
     "Anmeldelser, borgervendt, 2020": "271", "Anmeldelser, borgervendt, 2021": "250"}


def test_every_changed_figure_with_both_values(tmp_path, capsys):
    a, b = executed(tmp_path / "a", A), executed(tmp_path / "b", B)
    assert cli.main(["diff", str(a), str(b)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"3 tal er ændret (A: {a}, B: {b}):"
    figure = max(len(name) for name in [*A, *B] if name != "Anmeldelser, borgervendt, 2020")
    assert out[1:] == [
        f"  {'Andel utrygge i nabolaget, partnerskab, 2021':<{figure}}  16 % → 18 %",
        f"  {'Tryghedsplanens budget, 2021':<{figure}}  1.934.000 kr. → –",
        f"  {'Anmeldelser, borgervendt, 2021':<{figure}}  – → 250"]
    assert not any("Anmeldelser, borgervendt, 2020" in line for line in out)


def test_json_and_notebooks_as_well_as_folders(tmp_path, capsys):
    a, b = executed(tmp_path / "a", A), executed(tmp_path / "b", B)
    notebook = b / "status_note_2021.ipynb"
    assert cli.main(["diff", str(a), str(notebook), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["b"] == str(notebook)
    assert result["changes"] == [
        {"figure": "Andel utrygge i nabolaget, partnerskab, 2021", "a": "16 %", "b": "18 %"},
        {"figure": "Tryghedsplanens budget, 2021", "a": "1.934.000 kr.", "b": None},
        {"figure": "Anmeldelser, borgervendt, 2021", "a": None, "b": "250"}]
    assert cli.main(["diff", str(a), str(a)]) == 0
    assert capsys.readouterr().out.strip() == f"Ingen tal er ændret mellem {a} og {a}."


def test_what_cannot_be_compared_is_named(tmp_path, capsys):
    old = executed(tmp_path / "old", None)
    with pytest.raises(TryghedError, match="ingen tal fra notatet"):
        diff.read_figures(old)
    with pytest.raises(TryghedError, match="findes ikke"):
        diff.read_figures(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(TryghedError, match="fandt 0"):
        diff.read_figures(tmp_path / "empty")
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    with pytest.raises(TryghedError, match=r"kan ikke læses som notesbog \(ikke gyldig JSON, "
                                           r"linje 1, kolonne 2\)") as caught:
        diff.read_figures(broken)
    assert english_words(str(caught.value)) == []   # not json's "Expecting property name"
    broken.write_bytes(b"\xff\xfe")
    with pytest.raises(TryghedError, match=r"\(ikke UTF-8-tekst\)"):
        diff.read_figures(broken)
    assert cli.main(["diff", str(old), str(old)]) == 1
    assert "ingen tal fra notatet" in capsys.readouterr().err


@pytest.mark.parametrize("text", ['{"cells": 5}', '[1, 2]', '{"cells": [{"outputs": [5]}]}',
                                  '{"cells": [{"outputs": [{"metadata": []}]}]}',
                                  '{"cells": [{"outputs": [{"metadata": {"tryghed": 1}}]}]}'])
def test_json_shaped_otherwise_than_a_notebook_is_one_danish_line(tmp_path, capsys, text):
    odd = tmp_path / "odd.ipynb"
    odd.write_text(text)
    good = executed(tmp_path / "good", A)
    assert cli.main(["diff", str(odd), str(good)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"tryghed: fejl: {odd}: indeholder ingen tal fra notatet")
    assert "Traceback" not in err


def test_a_bug_in_diff_is_one_paragraph_without_a_traceback(tmp_path, capsys, monkeypatch):
    # diff has no -v: the handler of unexpected errors must not need one.
    def broken(path):
        raise RuntimeError("boom")
    monkeypatch.setattr(diff, "read_figures", broken)
    assert cli.main(["diff", str(tmp_path), str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tryghed: fejl: RuntimeError: boom.") and "Traceback" not in err
