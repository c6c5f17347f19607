"""Make the large benchmark inputs, seeded, in the example data's delivery formats.

    python bench/make_inputs.py [--out bench/out] [--quick] [--police N ...] [--respondents N]
                                [--what police,survey,batch]

Writes data directories under ``--out`` (default ``bench/out``, git-ignored; nothing here is
ever committed):

``police_<N>/``  a copy of ``data/raw/example`` (geography, population, ...) whose police
                 folder holds one citywide register of N reports over ten years (2011-2020),
                 ``police/anmeldelser_2011-2020.csv``: plain UTF-8 CSV with CRLF, decimal
                 comma, as ``docs/data.md`` describes (``.csv.gz`` is allowed too; plain CSV is
                 what "pyarrow just reading the file" means).
``survey_<N>/``  a copy of the example data whose survey folder holds N respondents in each
                 of the eight years 2014-2021, spread over every district and sub-area of the
                 example geography (cp1252 up to 2017, UTF-8 with BOM after, as the example).
``batch/``       the example data plus a police register for 2013 (the example's covers
                 2014-2020) and the population of 1 January 2013 (as in 2014), so that the
                 reports of 2014-2021 all have a crime year.

A directory is only rewritten when its recipe (sizes, seed, generator version) changed; the
recipe is kept in ``recipe.json`` inside it. Registers come from
:func:`tryghedlib.example.generate_police`; survey answers are drawn here (the example's
survey generator tunes every cell to the published figures and is not meant to scale).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example"
OUT = ROOT / "bench" / "out"
SEED = 2021
VERSION = 2  # bump when the files this writes change
POLICE_YEARS = range(2011, 2021)
SURVEY_YEARS = range(2014, 2022)
FULL = {"police": [1_000_000, 5_000_000], "respondents": 100_000}
QUICK = {"police": [20_000], "respondents": 5_000}


def _fresh(folder: Path, recipe: dict) -> bool:
    """Whether ``folder`` was made from ``recipe``; if not, start it anew from the example."""
    stamp = folder / "recipe.json"
    if stamp.exists() and json.loads(stamp.read_text()) == recipe:
        return True
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(EXAMPLE, folder)
    return False


def _seal(folder: Path, recipe: dict) -> None:
    (folder / "recipe.json").write_text(json.dumps(recipe, indent=1) + "\n")


def police_dir(out: Path, reports: int, *, seed: int = SEED) -> Path:
    """A data directory whose police register has ``reports`` reports (2011-2020)."""
    from tryghedlib.example import write_police_benchmark

    folder = out / f"police_{reports}"
    recipe = {"kind": "police", "reports": reports, "seed": seed, "version": VERSION}
    if _fresh(folder, recipe):
        return folder
    for old in (folder / "police").glob("anmeldelser_*"):
        old.unlink()
    per_year = reports // len(POLICE_YEARS)
    counts = {y: per_year + (1 if i < reports % len(POLICE_YEARS) else 0)
              for i, y in enumerate(POLICE_YEARS)}
    write_police_benchmark(folder / "police" / "anmeldelser_2011-2020.csv", counts,
                           POLICE_YEARS, seed=seed)
    _seal(folder, recipe)
    return folder


ANSWERS = np.array(["Meget tryg", "Tryg", "Hverken tryg eller utryg", "Utryg", "Meget utryg",
                    "Ved ikke", ""], dtype=object)


def survey_frame(year: int, respondents: int, seed: int = SEED) -> pd.DataFrame:
    """One year's survey microdata (as text columns, in file order)."""
    from tryghedlib.example.geography import DISTRICTS, SUBAREAS

    rng = np.random.default_rng([seed, year, 17])
    districts = list(DISTRICTS)
    district = rng.integers(0, len(districts), respondents)
    # One respondent in eight lives in a sub-area of their district (where it has any).
    subarea = np.full(respondents, "", dtype=object)
    for d, code in enumerate(districts):
        inside = [s for s, (_, of, _) in SUBAREAS.items() if of == code]
        members = np.flatnonzero((district == d) & (rng.random(respondents) < 0.125 * bool(inside)))
        if inside:
            subarea[members] = np.array(inside, dtype=object)[rng.integers(0, len(inside),
                                                                             len(members))]
    unease = rng.normal(0, 1, respondents) + 0.1 * district + 0.5 * (subarea != "")
    answers = {}
    for name, shift in (("tryghed_nabolag", 0.0), ("tryghed_aften", 0.6)):
        score = unease + shift + rng.normal(0, 1, respondents)
        level = np.digitize(score, [-0.6, 0.9, 1.6, 2.4])  # 0 Meget tryg ... 4 Meget utryg
        level[rng.random(respondents) < 0.02] = 5             # Ved ikke
        level[rng.random(respondents) < 0.015] = 6            # blank
        answers[name] = ANSWERS[level]
    weight = np.maximum(rng.lognormal(-0.125, 0.5, respondents), 1e-4)
    ids = rng.choice(9 * respondents, size=respondents, replace=False) + 100_000
    frame = pd.DataFrame({
        "respondent_id": ids.astype(str), "aar": str(year),
        "bydel": np.array([DISTRICTS[c][0] for c in districts], dtype=object)[district],
        "delomraade": subarea, "vaegt": weight, **answers})
    return frame.iloc[np.argsort(ids, kind="stable")]


def survey_dir(out: Path, respondents: int, *, seed: int = SEED) -> Path:
    """A data directory with ``respondents`` survey respondents in each year 2014-2021."""
    folder = out / f"survey_{respondents}"
    recipe = {"kind": "survey", "respondents": respondents, "seed": seed, "version": VERSION}
    if _fresh(folder, recipe):
        return folder
    for year in SURVEY_YEARS:
        encoding = "cp1252" if year <= 2017 else "utf-8-sig"
        decimals = 4 if year <= 2017 else 6
        survey_frame(year, respondents, seed).to_csv(
            folder / "survey" / f"tryghedsundersoegelse_{year}.csv", sep=";", index=False,
            lineterminator="\r\n", encoding=encoding, decimal=",",
            float_format=f"%.{decimals}f")
    _seal(folder, recipe)
    return folder


def batch_dir(out: Path, *, seed: int = SEED) -> Path:
    """The example data plus a 2013 register, so reports 2014-2021 all have a crime year."""
    from tryghedlib.example import generate_police, write_police

    folder = out / "batch"
    recipe = {"kind": "batch", "seed": seed, "version": VERSION}
    if _fresh(folder, recipe):
        return folder
    reports = generate_police(36_000, [2013], seed=seed)
    write_police(reports, folder / "police" / "anmeldelser_2013-2013.csv.gz")
    # Rates need the population on 1 January of every year counted: 2013 as in 2014.
    population = folder / "population" / "befolkning.csv"
    lines = population.read_bytes().decode("utf-8").splitlines()
    earlier = [line.replace("2014;", "2013;", 1) for line in lines[1:] if line.startswith("2014;")]
    population.write_bytes(("\r\n".join([lines[0], *earlier, *lines[1:]]) + "\r\n").encode())
    _seal(folder, recipe)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--quick", action="store_true", help="small inputs (for a smoke test)")
    parser.add_argument("--police", type=int, nargs="*", help="register sizes (reports)")
    parser.add_argument("--respondents", type=int, help="survey respondents per year")
    parser.add_argument("--what", default="police,survey,batch",
                        help="which inputs (comma-separated: police, survey, batch)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    what = {w.strip() for w in args.what.split(",")}
    started = time.perf_counter()
    made = []
    if "police" in what:
        made += [police_dir(args.out, n) for n in (args.police or sizes["police"])]
    if "survey" in what:
        made.append(survey_dir(args.out, args.respondents or sizes["respondents"]))
    if "batch" in what:
        made.append(batch_dir(args.out))
    for folder in made:
        print(folder)
    print(f"inputs ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
