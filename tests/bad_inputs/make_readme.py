"""Write ``tests/bad_inputs/README.md``: every case of the corpus with the message it gets.

Run from the repository root after changing a case or a message::

    .venv/bin/python tests/bad_inputs/make_readme.py

It runs each refused case as the test does (``tryghed report`` in this process, no kernel) and
quotes the line of the message that names the flaw, with the temporary folder cut away.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

INTRO = """\
# The bad-input corpus

Deliberately broken inputs for `tryghed report`, one flaw each, run by
`tests/test_bad_inputs.py`. The cases are data, in [`cases.py`](cases.py); the ways of breaking
a file are in [`mutations.py`](mutations.py). This file is written by
`.venv/bin/python tests/bad_inputs/make_readme.py` (the test fails when a case is missing here).

**How a case runs.** The example delivery (`data/raw/example`) and `config/` are copied once into
a read-only template, with a cache (`--cache-dir`) holding their processed tables. A case links
the template's files into its own folder, copies the one file it breaks, breaks it, and runs
`tryghed report --partnership ... --year ... --data-dir ... --config-dir ... --out ...
--cache-dir ...` in the test process.

**Refused** means: exit code 1; one line of the message names the file (or the parameter), the
row (`række N` is the line in the file, the header being row 1; `feature N` in the GeoJSON; `linje
N` in JSON and YAML), the column (`kolonne`, or the key, `nøgle`) and what was expected
(`forventet`), and says what was found (`fundet`), in Danish as every message the tool prints;
no traceback; no kernel started; the reports folder and the cache are unchanged, file by file;
the data and config folders are byte-identical afterwards. Where the table shows no row or no
column, the flaw has none: a missing file, a missing row (the population of a year), a whole-file
encoding, or a parameter.

**Survived** means: the note is built (the same call `tryghed report` makes before running the
notebook) and the case checks what it says. A survived flaw is never silent: where the note
differs from the note on the intact data, the appendix (*Bilag: Datagrundlag og metode*) says
why. Accepted variations of the format (encodings, line endings, spaces, extra columns, `.csv`
instead of `.csv.gz`) give exactly the same numbers.

`extract-*` cases add a supplementary police extract (`police/anmeldelser_2020-tillaeg.csv`,
beside the big one, as the police send a correction or a new year) whose line 3 is broken: the
loader reads every extract the same way, and a small file keeps these cases fast. The `police-*`
cases break the big compressed extract itself.

Messages are quoted with the case's folder cut away (`…/data/...`, `…/config/...`).
"""


def _options(case) -> str:
    """The command-line options a case changes (it alters no file)."""
    options = []
    if case.partnership != "tingbjerg-husum":
        options += ["--partnership", case.partnership]
    if case.year != 2021:
        options += ["--year", str(case.year)]
    return " ".join([*options, *case.args])


def _quote(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main() -> None:
    sys.path.insert(0, str(HERE.parent))
    import test_bad_inputs as t
    from bad_inputs.cases import REFUSED, SURVIVED
    from tryghedlib.run import cli, report
    from tryghedlib.note import model

    root = Path(tempfile.mkdtemp(prefix="bad_inputs_"))
    template = root / "template"
    shutil.copytree(t.ROOT / "data" / "raw" / "example", template / "data")
    shutil.copytree(t.ROOT / "config", template / "config")
    model.build_note("tingbjerg-husum", 2021, data_dir=template / "data",
                     config_dir=template / "config", cache_dir=template / "processed")
    report.execute_notebook = t._no_kernel
    rows = []
    for case in REFUSED:
        folder = root / case.id
        folder.mkdir()
        t.workspace(template, folder, case.file)
        if case.mutate is not None:
            case.mutate(folder / case.file)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = cli.main(t._run(case, folder))
        parts = [p for p in case.says if p]
        lines = [line for line in err.getvalue().splitlines() if all(p in line for p in parts)]
        assert code == 1 and lines, (case.id, err.getvalue())
        message = lines[0].strip().removeprefix("- ").removeprefix("tryghed: fejl: ")
        message = message.replace(str(folder), "…")
        rows.append((case.id, case.file or _options(case), case.flaw, message, "refused"))
    for case in SURVIVED:
        rows.append((case.id, case.file, case.flaw, case.says, "survived"))
    table = ["| case | file | flaw | what the message (or the note) says | outcome |",
             "|---|---|---|---|---|"]
    table += [f"| `{i}` | `{f}` | {_quote(flaw)} | {_quote(m)} | {o} |"
              for i, f, flaw, m, o in rows]
    refused = sum(1 for r in rows if r[4] == "refused")
    counts = (f"\n{refused} refused and {len(rows) - refused} survived cases, {len(rows)} in all.\n")
    (HERE / "README.md").write_text(INTRO + counts + "\n" + "\n".join(table) + "\n",
                                    encoding="utf-8")
    shutil.rmtree(root)
    print(f"wrote {HERE / 'README.md'}: {len(rows)} cases")


if __name__ == "__main__":
    main()
