"""``notebooks/explore.ipynb`` runs from top to bottom in a fresh kernel, as JupyterLab runs it.

The kernel starts in ``notebooks/``, as JupyterLab starts it, so the notebook's relative paths
(``data/raw/example``, found from the repository root) are tested as an analyst meets them.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from tryghedlib.note.wording import fmt_decimal, fmt_int

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
PUBLISHED = yaml.safe_load((ROOT / "tests" / "published_figures_2021.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    import papermill

    output = tmp_path_factory.mktemp("explore") / "explore.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(output), kernel_name="python3", cwd=str(NOTEBOOK.parent),
        progress_bar=False, log_output=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"])  # papermill raises on a failing cell
    return nbformat.read(output, as_version=4)


def outputs(nb):
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def printed(nb) -> str:
    """stdout, the plain-text results and the tables' text, as the analyst reads them."""
    parts = []
    for output in outputs(nb):
        if output.output_type == "stream" and output.name == "stdout":
            parts.append(output.text)
        elif "data" in output:
            parts.append(output.data.get("text/plain", ""))
            parts.append(re.sub(r"<[^>]+>", " ", output.data.get("text/html", "")))
    return "\n".join(parts)


def test_every_cell_runs_in_order_without_errors_or_warnings(executed):
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert not [o for o in outputs(executed) if o.output_type == "error"]
    stderr = [o.text for o in outputs(executed)
              if o.output_type == "stream" and o.name == "stderr"]
    assert stderr == []


def test_it_shows_the_notes_figures_in_danish(executed):
    text = printed(executed)
    safety = PUBLISHED["tryghed"]["neighbourhood"]
    year, crime_year = PUBLISHED["report_year"], PUBLISHED["crime_year"]
    crime = PUBLISHED["crime"]["citizen_facing"]
    # Section 2: the note's comparison with the year before (not significant in the note) ...
    assert not safety["significant"][f"{year - 1}->{year}"]
    assert (f"I Tingbjerg-Husum Partnerskab er {safety['partnership'][year]} % utrygge i "
            f"nabolaget i {year}, på niveau med {year - 1} "
            f"({safety['partnership'][year - 1]} %). Udviklingen siden {year - 1} er dog ikke "
            "signifikant.") in text
    # ... and a change that is significant, with its p-value.
    assert f"i {year} mod 11 % i 2014, et fald. Faldet siden 2014 er signifikant." in text
    p_value = float(re.search(r"\np = (0,[0-9]+)\n", text).group(1).replace(",", "."))
    assert p_value < 0.05
    # Sections 3 and 4: crime on today's area, in the tables' Danish format and the model's.
    assert f"Borgervendt {crime_year}: {fmt_int(crime['count'][crime_year])} anmeldelser, " \
           f"{fmt_decimal(crime['per_1000'][crime_year])} pr. 1000 indbyggere" in text
    for year_, rate in crime["per_1000"].items():
        assert f" {fmt_decimal(rate)} " in text
    assert f" {fmt_decimal(crime['city_per_1000'][crime_year])} " in text


def test_it_draws_the_figure_with_alt_text(executed):
    figures = [o for o in outputs(executed) if "image/svg+xml" in o.get("data", {})]
    assert len(figures) == 1
    assert figures[0].metadata["image/svg+xml"]["alt"].strip()
