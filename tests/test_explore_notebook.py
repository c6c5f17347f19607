"""``notebooks/explore.ipynb`` runs from top to bottom in a fresh kernel, as JupyterLab runs it.

The kernel starts in ``notebooks/`` (JupyterLab's folder with ``make lab``), so the notebook's
relative paths (``../data/raw/example``, ``../config``) are tested as an analyst meets them.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml

from tryghedlib.note.wording import fmt_decimal, fmt_int, fmt_percent

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
    """stdout and the plain-text results, as the analyst reads them."""
    parts = []
    for output in outputs(nb):
        if output.output_type == "stream" and output.name == "stdout":
            parts.append(output.text)
        elif "data" in output:
            parts.append(output.data.get("text/plain", ""))
    return "\n".join(parts)


def test_every_cell_runs_in_order_without_errors_or_warnings(executed):
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert not [o for o in outputs(executed) if o.output_type == "error"]
    stderr = [o.text for o in outputs(executed)
              if o.output_type == "stream" and o.name == "stderr"]
    assert stderr == []


def test_it_shows_the_notes_figures(executed):
    text = printed(executed)
    safety = PUBLISHED["tryghed"]["neighbourhood"]
    year, crime_year = PUBLISHED["report_year"], PUBLISHED["crime_year"]
    crime = PUBLISHED["crime"]["citizen_facing"]
    # Section 3: the weighted share computed step by step.
    assert (f"Unsafe in the neighbourhood, Tingbjerg-Husum Partnerskab {year}: "
            f"{fmt_percent(safety['partnership'][year] / 100)}") in text
    # Section 4: the comparison with the year before (not significant in the note).
    assert not safety["significant"][f"{year - 1}->{year}"]
    assert "(not significant at alpha" in text
    # Sections 5 and 6: crime counts on today's area and the model's figures.
    assert f"Borgervendt {crime_year}: {fmt_int(crime['count'][crime_year])} reports, " \
           f"{fmt_decimal(crime['per_1000'][crime_year])} per 1000 inhabitants" in text
    assert fmt_decimal(crime["per_1000"][crime_year - 1]) in text


def test_it_draws_the_figure_with_alt_text(executed):
    figures = [o for o in outputs(executed) if "image/svg+xml" in o.get("data", {})]
    assert len(figures) == 1
    assert figures[0].metadata["image/svg+xml"]["alt"].strip()
