"""The processed cache is keyed by the input files' content and written atomically."""

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tryghedlib.sources import cache, hashes, loaders
from tryghedlib.note import model
from tryghedlib.errors import DataError


def test_rebuilt_only_when_an_input_or_the_library_changes(tmp_path, monkeypatch):
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
    assert sorted(p.suffix for p in (tmp_path / "processed").iterdir()) == [".json", ".json",
                                                                           ".parquet", ".parquet"]
    # A loader whose checks changed within a version must not be served its old tables.
    monkeypatch.setattr(cache, "code_digest", lambda: "0" * 64)
    assert cache.cached("t", [source], build, tmp_path / "processed")["x"].item() == 3


def test_no_cache_dir_writes_nothing(tmp_path):
    assert cache.cached("t", [], lambda: pd.DataFrame({"x": [1]}), None)["x"].item() == 1
    assert list(tmp_path.iterdir()) == []



def test_an_unchanged_input_is_not_hashed_again(tmp_path, monkeypatch):
    source = tmp_path / "raw.csv"
    source.write_text("a;b\n1;2\n")
    monkeypatch.setattr(hashes, "SETTLED_SECONDS", -1.0)  # the file was just written
    hashed = []
    real = hashes.sha256_file
    monkeypatch.setattr(hashes, "sha256_file", lambda p: hashed.append(p) or real(p))
    first = cache.cache_key("t", [source], memo_dir=tmp_path / "processed")
    again = cache.cache_key("t", [source], memo_dir=tmp_path / "processed")
    assert first == again and len(hashed) == 1
    assert (tmp_path / "processed" / hashes.MEMO_NAME).exists()


def test_a_changed_input_is_hashed_again_even_with_its_old_size_and_time(tmp_path, monkeypatch):
    import os

    source = tmp_path / "raw.csv"
    source.write_text("a;b\n1;2\n")
    monkeypatch.setattr(hashes, "SETTLED_SECONDS", -1.0)
    first = cache.cache_key("t", [source], memo_dir=tmp_path)
    stamp = source.stat()
    source.write_text("a;b\n1;3\n")                           # same size
    os.utime(source, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same modification time
    assert cache.cache_key("t", [source], memo_dir=tmp_path) != first


def test_a_just_written_input_is_not_remembered(tmp_path):
    source = tmp_path / "raw.csv"
    source.write_text("a")
    cache.cache_key("t", [source], memo_dir=tmp_path / "processed")
    assert not (tmp_path / "processed" / hashes.MEMO_NAME).exists()


def test_lookup_writes_nothing_store_remembers(tmp_path, monkeypatch):
    monkeypatch.setattr(hashes, "SETTLED_SECONDS", -1.0)   # remember even a fresh file
    source, processed = tmp_path / "raw.csv", tmp_path / "processed"
    source.write_text("a")
    assert cache.lookup("t", [source], processed) is None
    assert not processed.exists()                     # a refused delivery leaves no trace
    cache.store("t", [source], pd.DataFrame({"x": [1]}), processed)
    assert (processed / hashes.MEMO_NAME).exists()
    assert cache.lookup("t", [source], processed)["x"].tolist() == [1]


def test_a_refused_note_leaves_the_cache_folder_as_it_was(tmp_path, monkeypatch):
    monkeypatch.setattr(hashes, "SETTLED_SECONDS", -1.0)
    root = Path(__file__).resolve().parents[1]
    data = tmp_path / "data"
    shutil.copytree(root / "data" / "raw" / "example", data)
    population = data / "population" / "befolkning.csv"
    population.write_bytes(population.read_bytes().replace(b"\n2020;", b"\n2O20;", 1))
    processed = tmp_path / "processed"
    with pytest.raises(DataError, match="befolkning.csv"):
        model.build_note("tingbjerg-husum", 2021, data_dir=data, config_dir=root / "config",
                         cache_dir=processed)
    assert not processed.exists() or not any(processed.iterdir())


def test_a_file_looked_up_is_not_hashed_again_when_stored(tmp_path, monkeypatch):
    monkeypatch.setattr(hashes, "SETTLED_SECONDS", -1.0)
    monkeypatch.setattr(hashes, "_HASHED", {})
    hashed = []
    monkeypatch.setattr(hashes, "sha256_file", lambda path: hashed.append(path) or "f" * 64)
    source = tmp_path / "raw.csv"
    source.write_text("a")
    assert cache.lookup("t", [source], tmp_path / "processed") is None
    cache.store("t", [source], pd.DataFrame({"x": [1]}), tmp_path / "processed")
    assert hashed == [source]
    source.write_text("b")                                # changed: hashed again
    cache.lookup("t", [source], tmp_path / "processed")
    assert hashed == [source, source]


@dataclass(frozen=True)
class Two:
    partners: pd.DataFrame
    status: pd.DataFrame


def test_a_dataclass_of_frames_is_stored_as_parquet_and_given_back_whole(tmp_path):
    # The safety plan's tables hold tuples and object columns, which parquet alone would give
    # back as arrays and strings.
    source, processed = tmp_path / "plan.xlsx", tmp_path / "processed"
    source.write_text("a")
    two = Two(pd.DataFrame({"partners": pd.Series([("SSP", "Politiet"), ()], dtype=object),
                            "n": [2, 0]}),
              pd.DataFrame({"activity": pd.Series(["Fælleshaven"], dtype=object)}))
    assert cache.store("plan", [source], two, processed)
    assert sorted(p.name.split(".", 1)[1] for p in processed.glob("plan-*")) == [
        "json", "partners.parquet", "status.parquet"]
    back = cache.lookup("plan", [source], processed, kind=Two)
    assert back.partners["partners"].tolist() == [
        ("SSP", "Politiet"), ()]
    pd.testing.assert_frame_equal(back.partners, two.partners)
    pd.testing.assert_frame_equal(back.status, two.status)
    assert cache.lookup("plan", [source], processed) is None   # not a data frame


def test_only_frames_are_cached(tmp_path):
    source = tmp_path / "plan.xlsx"
    source.write_text("a")
    with pytest.raises(TypeError, match="only data frames"):
        cache.store("plan", [source], {"n": 1}, tmp_path / "processed")


def test_a_cached_safety_plan_equals_the_workbook_read_again(tmp_path, monkeypatch):
    root = Path(__file__).resolve().parents[1]
    processed = tmp_path / "processed"
    arguments = dict(data_dir=root / "data" / "raw" / "example", config_dir=root / "config",
                     cache_dir=processed)
    first = model.build_note("tingbjerg-husum", 2021, **arguments).plan
    assert len(list(processed.glob("plan-*.parquet"))) == 3
    monkeypatch.setattr(loaders, "load_safety_plan", not_read_again)
    again = model.build_note("tingbjerg-husum", 2021, **arguments).plan
    for name in ("lines", "funding", "status"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name))
    assert again.lines["partners"].map(type).eq(tuple).all()


def not_read_again(path):
    raise AssertionError(f"{path} was read again although it is cached")
