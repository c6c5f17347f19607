"""The synthetic example dataset: every raw source of ``docs/data.md`` in its delivery format.

``python -m tryghedlib.example [--out DIR]`` (default ``data/raw/example``) or
:func:`generate`. The data are invented -- no real person or report -- but reproduce every
figure of the June 2021 status note for Tingbjerg-Husum Partnerskab; :func:`check_targets`
recomputes them from the written files and the generator refuses to finish if one is off.
Output is byte-identical from run to run (fixed seeds, gzip without time stamp, normalised xlsx).

Modules: ``design`` (targets and the design of other years), ``geography``, ``police``
(scalable: :func:`generate_police`), ``survey``, ``plan`` / ``plan_texts``, ``check``.
"""

from __future__ import annotations

from pathlib import Path

from tryghedlib.example import design, geography, plan, police, survey
from tryghedlib.example.check import TargetsMissed, check_targets
from tryghedlib.example.design import SEED
from tryghedlib.example.police import (example_police, generate_police, police_csv_bytes,
                                       write_police, write_police_benchmark)

__all__ = ["generate", "check_targets", "TargetsMissed", "generate_police", "write_police",
           "write_police_benchmark", "police_csv_bytes", "example_police", "SEED",
           "DEFAULT_OUT"]

DEFAULT_OUT = Path("data/raw/example")


def generate(out_dir: str | Path = DEFAULT_OUT, *, seed: int = SEED,
             check: bool = True) -> list[Path]:
    """Write the example dataset to ``out_dir`` and return the files written.

    With ``check`` (default) the published figures are recomputed from the files afterwards and
    :class:`TargetsMissed` is raised if any is off. Another ``seed`` gives other data that meet
    the same targets (the check says if they do not).
    """
    out = Path(out_dir)
    written: list[Path] = []

    def put(relative: str, data: bytes) -> None:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)

    areas = geography.build_areas()
    put("README.md", readme().encode("utf-8"))
    put("delivery.yaml", manifest().encode("utf-8"))
    put("geography/omraader.geojson", geography.geojson_bytes(areas))
    put("population/befolkning.csv", survey.population_bytes())
    police_path = out / "police" / police.police_file_name(design.POLICE_YEARS)
    written.append(police.write_police(police.example_police(areas, seed=seed), police_path))
    for year in design.SURVEY_YEARS:
        put(f"survey/tryghedsundersoegelse_{year}.csv", survey.survey_file_bytes(year, seed))
    put("survey/publicerede_andele.csv", survey.published_bytes())
    written += plan.write_plans(out / "plan")
    if check:
        check_targets(out)
    return sorted(written)


def manifest() -> str:
    """The delivery's manifest (``sources.manifest``): the marker of synthetic data travels with
    the data, not with the folder's name, so a copy anywhere is still marked."""
    return f"""\
# Delivery manifest. A note built from a delivery marked synthetic says so on every page, in
# its PDF metadata and in its HTML ("SYNTETISKE DATA – ikke til offentliggørelse").
synthetic: true
description: >-
  Synthetic example data made by python -m tryghedlib.example (seed {design.SEED}); no real
  person and no real report.
"""


def readme() -> str:
    first, last = design.SURVEY_YEARS[0], design.SURVEY_YEARS[-1]
    police_file = police.police_file_name(design.POLICE_YEARS)
    police_years = f"{design.POLICE_YEARS[0]}–{design.POLICE_YEARS[-1]}"
    table = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in [
        (f"`survey/tryghedsundersoegelse_<year>.csv`, {first}–2017",
         "survey microdata, one row per respondent", "cp1252 (Windows-1252), CRLF"),
        (f"`survey/tryghedsundersoegelse_<year>.csv`, 2018–{last}", "survey microdata",
         "UTF-8 with BOM, CRLF"),
        ("`survey/publicerede_andele.csv`", "published shares 2011–2013 (city, Brønshøj-Husum)",
         "UTF-8, CRLF"),
        (f"`police/{police_file}`", f"police register {police_years}, whole police district",
         "gzip of UTF-8, CRLF"),
        ("`population/befolkning.csv`", "inhabitants on 1 January per sub-area and the city",
         "UTF-8 (ASCII only), CRLF"),
        ("`geography/omraader.geojson`", "city, districts, sub-areas (EPSG:25832)", "UTF-8"),
        ("`plan/tryghedsplan_<partnership>_2021.xlsx`", "safety plans with midterm status",
         "Excel workbook (xlsx)"),
    ])
    return f"""\
# SYNTHETIC EXAMPLE DATA — invented, not real survey answers or police reports

This directory is a **synthetic** example of every raw source described in `docs/data.md`, in
exactly the delivery formats (file names, columns, separators, decimal comma, encodings). The
real survey microdata and police extracts are confidential and never enter git.

The data contain **no real person and no real report**. They were drawn at random by a seeded
generator and then steered so that they reproduce every figure printed in the June 2021 status
note for Tingbjerg-Husum Partnerskab (`tests/published_figures_2021.yaml`): the shares of unsafe
respondents (weighted, with the note's non-significant changes), the police counts and rates per
1000 inhabitants on the partnership's enlarged area, and the safety plan's budget and
cooperation figures. All other years, areas and figures are invented but plausible. Geography
is a rough sketch (the districts are Voronoi cells), not official boundaries. The partnerships
`norrebro` and `nordvest` (`config/partnerships/`) are invented examples.

Made with (from the repository root):

    python -m tryghedlib.example --out data/raw/example

Running it again gives byte-identical files (fixed seed {design.SEED}); it checks the published
figures afterwards and fails if one is off (`tryghedlib.example.check_targets`).

| file | content | encoding |
|---|---|---|
{table}

The midterm-status texts of `tryghedsplan_tingbjerg-husum_2021.xlsx` and its budget lines are
transcribed from tabel 3 and 4 of the published note; its partner lists are invented.
"""
