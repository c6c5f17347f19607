"""Tests of tryghedlib.sources.hashes: input hashes and the run log."""

import hashlib
import json
import os
import shutil
from datetime import datetime, timedelta, timezone
from importlib import metadata

import pytest

from tryghedlib.run import runlog
from tryghedlib.sources import hashes
from tryghedlib.run.runlog import library_version, write_run_log
from tryghedlib.sources.hashes import input_hashes, sha256_file


@pytest.fixture
def inputs(tmp_path):
    data = tmp_path / "data"
    (data / "survey").mkdir(parents=True)
    (data / "survey" / "tryghed_2021.csv").write_text("aar;bydel\n2021;Brønshøj-Husum\n",
                                                      encoding="utf-8")
    (data / "befolkning.csv").write_bytes(b"aar;n\n2021;12\n")
    config = tmp_path / "config"
    (config / "partnerships").mkdir(parents=True)
    (config / "settings.yaml").write_text("alpha: 0.05\n")
    (config / "partnerships" / "amager.yaml").write_text("name: Amager\n")
    return data, config


def test_sha256_file_matches_hashlib(tmp_path):
    path = tmp_path / "big.bin"
    content = os.urandom(3 * hashes.CHUNK_SIZE + 17)  # more than one chunk
    path.write_bytes(content)
    assert sha256_file(path) == hashlib.sha256(content).hexdigest()


def test_input_hashes_cover_every_file_with_prefixed_sorted_keys(inputs):
    data, config = inputs
    hashes = input_hashes(data, config)
    assert list(hashes) == [
        "config/partnerships/amager.yaml",
        "config/settings.yaml",
        "data/befolkning.csv",
        "data/survey/tryghed_2021.csv",
    ]
    assert hashes["data/befolkning.csv"] == hashlib.sha256(b"aar;n\n2021;12\n").hexdigest()


def test_input_hashes_do_not_depend_on_where_the_folders_are(inputs, tmp_path):
    data, config = inputs
    moved = tmp_path / "elsewhere"
    shutil.copytree(data, moved / "d")
    shutil.copytree(config, moved / "c")
    assert input_hashes(moved / "d", moved / "c") == input_hashes(data, config)


def test_input_hashes_change_when_a_file_changes(inputs):
    data, config = inputs
    before = input_hashes(data, config)
    (data / "befolkning.csv").write_bytes(b"aar;n\n2021;13\n")
    after = input_hashes(data, config)
    assert [k for k in before if before[k] != after[k]] == ["data/befolkning.csv"]


def test_input_hashes_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="data folder not found"):
        input_hashes(tmp_path / "nowhere", None)


def test_library_version_is_the_installed_version():
    assert library_version() == metadata.version("tryghedlib")


def test_write_run_log(tmp_path):
    started = datetime(2021, 5, 27, 9, 0, tzinfo=timezone.utc)
    path = write_run_log(
        tmp_path / "run_log.json", {"partnership": "amager", "report_year": 2021},
        {"data/a.csv": "ab" * 32}, started, started + timedelta(seconds=7.5),
        outputs={"pdf": "status_note_2021.pdf"})
    log = json.loads(path.read_text(encoding="utf-8"))
    assert log["parameters"] == {"partnership": "amager", "report_year": 2021}
    assert log["inputs"] == {"data/a.csv": "ab" * 32}
    assert log["started"] == "2021-05-27T09:00:00+00:00"
    assert log["duration_seconds"] == 7.5
    assert log["library_version"] == library_version()
    assert {"python", "papermill", "nbconvert", "weasyprint"} <= set(log["packages"])
    assert log["outputs"] == {"pdf": "status_note_2021.pdf"}
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)
    assert [p.name for p in tmp_path.iterdir()] == ["run_log.json"]  # no temp file left


def test_write_run_log_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "run_log.json"
    path.write_text('{"old": true}')
    now = datetime.now(timezone.utc)

    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(runlog.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_run_log(path, {}, {}, now, now)
    assert path.read_text() == '{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["run_log.json"]
