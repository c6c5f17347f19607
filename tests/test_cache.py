"""The processed cache is keyed by the input files' content and written atomically."""

import pandas as pd

from tryghedlib import cache


def test_rebuilt_only_when_an_input_changes(tmp_path):
    source = tmp_path / "raw.csv"
    source.write_text("a")
    calls = []

    def build():
        calls.append(1)
        return pd.DataFrame({"x": [len(calls)]})

    first = cache.cached("t", [source], build, tmp_path / "processed")
    again = cache.cached("t", [source], build, tmp_path / "processed")
    assert len(calls) == 1 and again.equals(first)
    source.write_text("b")
    changed = cache.cached("t", [source], build, tmp_path / "processed")
    assert len(calls) == 2 and changed["x"].item() == 2
    assert sorted(p.suffix for p in (tmp_path / "processed").iterdir()) == [".parquet"] * 2


def test_no_cache_dir_writes_nothing(tmp_path):
    assert cache.cached("t", [], lambda: pd.DataFrame({"x": [1]}), None)["x"].item() == 1
    assert list(tmp_path.iterdir()) == []

