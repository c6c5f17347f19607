"""Every weighted share with its interval, for every area and year, from the processed cache.

    python bench/bench_survey.py DATA_DIR [--repeats N]

DATA_DIR holds survey microdata for 2014-2021 (``bench/make_inputs.py`` makes 100,000
respondents a year). The cache is built first, untimed, the way the report model builds it
(one table per survey year, keyed by the file and the geography). Timed, as a re-run reads it:

* the eight yearly tables from the cache (hash memo, parquet) and their concatenation;
* the share unsafe, n, Kish n_eff, SE and 95 % interval for both questions, every year and
  every area: each sub-area and each district (``indicators.weighted_shares_by``), the city
  and the three partnerships with their areas of each year (``indicators.weighted_shares``).

The target is absolute (under 1 s); the parquet read alone is reported beside it.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import _common  # noqa: F401  (puts src/ on the path)
import pandas as pd

from tryghedlib.sources import cache, loaders, schemas
from tryghedlib.analysis import indicators
from tryghedlib.config import load_partnership

CONFIG = _common.ROOT / "config"
PARTNERSHIPS = ("tingbjerg-husum", "norrebro", "nordvest")


class Shares:
    def __init__(self, data_dir: Path, cache_dir: Path):
        self.data_dir, self.cache_dir = Path(data_dir), Path(cache_dir)
        self.files = loaders.survey_files(self.data_dir)
        self.years = sorted(self.files)
        self.geography_file = loaders.geography_path(self.data_dir)
        geography = loaders.load_geography(self.data_dir)
        self.districts = set(geography.loc[geography["level"] == "district", "name"])
        self.subareas = set(geography.loc[geography["level"] == "subarea", "code"])
        self.partnerships = [load_partnership(p, CONFIG) for p in PARTNERSHIPS]

    def table(self, year: int) -> pd.DataFrame:
        return cache.cached(
            "survey", [self.files[year], self.geography_file],
            lambda: loaders.load_survey(self.data_dir, [year], districts=self.districts,
                                        subareas=self.subareas),
            self.cache_dir)

    def read(self) -> pd.DataFrame:
        return pd.concat([self.table(y) for y in self.years], ignore_index=True).astype(
            {"neighbourhood": schemas.ANSWER_SCALE, "evening": schemas.ANSWER_SCALE})

    def run(self) -> pd.DataFrame:
        survey = self.read()
        groups = {"city": pd.Series(True, index=survey.index)}
        for partnership in self.partnerships:
            groups[partnership.id] = indicators.partnership_members(
                survey, {y: partnership.subareas(y) for y in self.years})
        return pd.concat([indicators.weighted_shares_by(survey, "subarea"),
                          indicators.weighted_shares_by(survey, "district"),
                          indicators.weighted_shares(survey, groups)], ignore_index=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=_common.ROOT / "bench" / "out") as temporary:
        work = Shares(args.data_dir, Path(temporary))
        shares = work.run()  # builds the cache (untimed)
        timed = _common.side_by_side({"cache_read": work.read, "shares": work.run},
                                     args.repeats)
        respondents = len(work.read())
    _common.emit({"respondents": respondents, "years": len(work.years),
                  "areas": int(shares["area"].nunique()), "rows": len(shares), **timed})


if __name__ == "__main__":
    main()
