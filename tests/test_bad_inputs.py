"""The bad-input corpus (``tests/bad_inputs/``): every broken delivery gets a message the analyst
can act on, and nothing is written.

Each refused case runs ``tryghed report`` in this process (``tryghedlib.run.cli.main``) on a copy of
the example delivery and the configuration with one flaw injected, and checks that

- the exit code is 1 and one line of the message names the file (or the parameter), the row,
  the column (or key) and what was expected; no traceback; no English word in all it prints
  (``tests/english.py``: every message is Danish);
- no kernel was started (the inputs are checked before the notebook runs);
- the reports folder and the cache (``--cache-dir``) are unchanged, file by file;
- the data and config folders are byte-identical afterwards.

Each survived case builds the note on its altered copy (the same call ``tryghed report`` makes
before running the notebook) and checks what the note then says.

To keep this fast the example is copied once per session into a read-only template; a case
copies only the file it alters and links the rest, and starts from a cache already holding the
good deliveries' tables, so only the altered source is parsed again.
"""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from bad_inputs.cases import REFUSED, SURVIVED
from conftest import tree_state
from english import english_words
from tryghedlib.sources import cache
from tryghedlib.run import cli, report
from tryghedlib.note import model, sections, texts

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "status_note.ipynb"


class NotebookStarted(BaseException):
    """Raised if a refused case got as far as starting a kernel (it must not)."""


@pytest.fixture(scope="session")
def template(tmp_path_factory):
    """The example delivery and config, read-only, and a cache holding their tables.

    Afterwards: the template's files are unchanged (the cases link to them)."""
    root = tmp_path_factory.mktemp("template")
    shutil.copytree(ROOT / "data" / "raw" / "example", root / "data")
    shutil.copytree(ROOT / "config", root / "config")
    note = model.build_note("tingbjerg-husum", 2021, data_dir=root / "data",
                            config_dir=root / "config", cache_dir=root / "processed")
    for path in [*(root / "data").rglob("*"), *(root / "config").rglob("*")]:
        if path.is_file():
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = {sub: tree_state(root / sub) for sub in ("data", "config")}
    yield root, note
    # The cases linked these files into their folders: none was changed through a link.
    assert {sub: tree_state(root / sub) for sub in ("data", "config")} == before


def workspace(template_root: Path, folder: Path, altered: str | None) -> Path:
    """``folder`` with data/, config/ (links to the template, ``altered`` copied), a copy of
    the warm cache in processed/ and a reports/ folder holding an older report."""
    for sub in ("data", "config"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        for source in sorted((template_root / sub).rglob("*")):
            relative = source.relative_to(template_root)
            target = folder / relative
            if source.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif relative.as_posix() == altered:
                shutil.copyfile(source, target)
                target.chmod(0o644)
            else:
                target.symlink_to(source)
    shutil.copytree(template_root / "processed", folder / "processed")
    old = folder / "reports" / "2020" / "tingbjerg-husum"
    old.mkdir(parents=True)
    (old / "status_note_2020.pdf").write_bytes(b"%PDF an older report")
    return folder


def _run(case, folder: Path) -> list[str]:
    return ["report", "--partnership", case.partnership, "--year", str(case.year),
            "--data-dir", str(folder / "data"), "--config-dir", str(folder / "config"),
            "--out", str(folder / "reports"), "--cache-dir", str(folder / "processed"),
            "--notebook", str(NOTEBOOK), *case.args]


def _no_kernel(*args, **kwargs):
    raise NotebookStarted("the notebook was started although the inputs are broken")


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.id)
def test_refused(case, template, tmp_path, capsys, monkeypatch, run_invariants):
    folder = workspace(template[0], tmp_path, case.file)
    if case.mutate is not None:
        case.mutate(folder / case.file)
    unchanged = run_invariants(out=folder / "reports", inputs=(folder / "data", folder / "config"),
                               cache=folder / "processed")
    monkeypatch.setattr(report, "execute_notebook", _no_kernel)

    code = cli.main(_run(case, folder))

    out, err = capsys.readouterr()
    assert code == 1, err
    assert out == "" and "Traceback" not in err
    parts = [p for p in case.says if p]
    assert any(all(p in line for p in parts) for line in err.splitlines()), (
        f"no line of the message has all of {parts}:\n{err}")
    for text in case.also:
        assert text in err, f"{text!r} not in:\n{err}"
    assert english_words(err) == [], f"English in what the analyst reads:\n{err}"
    unchanged()


@pytest.mark.parametrize("case", SURVIVED, ids=lambda c: c.id)
def test_survived(case, template, tmp_path):
    folder = workspace(template[0], tmp_path, case.file)
    if case.mutate is not None:
        case.mutate(folder / case.file)
    before = {sub: tree_state(folder / sub) for sub in ("data", "config")}

    note = model.build_note_for({
        "partnership": case.partnership, "report_year": case.year,
        "data_dir": str(folder / "data"), "config_dir": str(folder / "config"),
        "cache_dir": str(folder / "processed")})

    case.check(note, template[1])
    appendix = sections.appendix(note, {"partnership": case.partnership})
    for text in map(texts.notice, note.notices):  # every flaw survived is said, never silently
        assert sections.typeset(text) in appendix
    if note.survey_gaps:  # the figures show the gap, and their footnote says why
        assert "Der er ingen data fra Københavns Tryghedsundersøgelse for 2020.</p>" in \
            sections.safety(note)
    assert {sub: tree_state(folder / sub) for sub in before} == before


def test_the_corpus_is_large_and_documented():
    ids = [c.id for c in [*REFUSED, *SURVIVED]]
    assert len(REFUSED) >= 40 and len(ids) == len(set(ids))
    readme = (ROOT / "tests" / "bad_inputs" / "README.md").read_text(encoding="utf-8")
    missing = [i for i in ids if f"`{i}`" not in readme]
    assert missing == [], "cases missing from tests/bad_inputs/README.md (run make_readme.py)"
