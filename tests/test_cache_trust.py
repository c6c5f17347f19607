"""Nothing in the cache folder is trusted because of where it is (issue 14, class 1).

An entry, a memo of file hashes or a validation stamp is used only when signed with the user's
key (kept outside the cache); anything planted, rewritten, truncated or linked there is
ignored, rebuilt from raw and replaced. A cache folder others can write is not used, and a
cache that cannot be used (a file, read-only, full, uncreatable) costs time, never the run.
See docs/security.md.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import pickle
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from tryghedlib.note import model
from tryghedlib.sources import cache, hashes, loaders, trust

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example"
NOTE = dict(data_dir=EXAMPLE, config_dir=ROOT / "config")


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "raw.csv"
    path.write_text("a;b\n1;2\n")
    return path


def frame(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"x": range(n), "y": [f"r{i}" for i in range(n)]})


def as_someone_else(tmp_path, action):
    """Run ``action`` as another user of the shared folder: same tool, their own key."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path / "someone-else"))
        return action()


def entry_files(processed: Path, name: str) -> list[Path]:
    return sorted(processed.glob(f"{name}-*"))


# --- Entries -----------------------------------------------------------------------------------

def test_a_planted_pickle_under_the_computable_name_is_never_loaded(tmp_path):
    processed, marker = tmp_path / "processed", tmp_path / "ran"
    plan_file = loaders.plan_path(EXAMPLE, "tingbjerg-husum", 2021)

    class Payload:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    stem = processed / f"plan-{cache.cache_key('plan', [plan_file])}"
    processed.mkdir(mode=0o700)
    for suffix in (".pickle", ".parquet", ".json"):
        Path(f"{stem}{suffix}").write_bytes(pickle.dumps(Payload()))

    plan = model.build_note("tingbjerg-husum", 2021, cache_dir=processed, **NOTE).plan

    assert not marker.exists()
    raw = loaders.load_safety_plan(plan_file)
    pd.testing.assert_frame_equal(plan.lines, raw.lines)
    assert cache.lookup("plan", [plan_file], processed, kind=loaders.SafetyPlan) is not None


def test_altered_counts_signed_with_another_key_do_not_reach_the_note(tmp_path, monkeypatch):
    """Someone who can write the cache folder plants police tables with altered counts (a whole
    consistent entry, made by the tool under their own key): the note's figures are the raw
    ones, and the entry is replaced by one built from raw."""
    processed = tmp_path / "processed"
    honest = model.build_note("tingbjerg-husum", 2021, cache_dir=None, **NOTE)
    model.build_note("tingbjerg-husum", 2021, cache_dir=processed, **NOTE)
    police = [p for p in processed.glob("police-*.json")]
    assert police
    for record_path in police:
        record = json.loads(record_path.read_text())
        stem = record_path.with_suffix("")
        halved = pd.read_parquet(f"{stem}.parquet").iloc[::2]
        inputs = _inputs_of(record)
        as_someone_else(tmp_path, lambda: cache.store(
            record["name"], inputs, halved, processed))
        assert json.loads(record_path.read_text())["hmac"] != record["hmac"]   # planted

    note = model.build_note("tingbjerg-husum", 2021, cache_dir=processed, **NOTE)

    pd.testing.assert_frame_equal(note.crime.counts, honest.crime.counts)
    pd.testing.assert_frame_equal(note.crime.rates, honest.crime.rates)
    for record_path in police:   # replaced: the next note reads the honest table
        record = json.loads(record_path.read_text())
        table = cache.lookup(record["name"], _inputs_of(record), processed)
        assert table is not None and len(table) == len(pd.read_parquet(
            f"{record_path.with_suffix('')}.parquet"))


def _inputs_of(record: dict) -> list[Path]:
    """The input files an entry's record names (police extract and offence catalogue)."""
    found = {p.name: p for p in [*EXAMPLE.rglob("*"), *(ROOT / "config").rglob("*")]}
    return [found[name] for name, _ in record["inputs"]]


@pytest.mark.parametrize("forgery", ["hmac", "size", "no-hmac", "not-json", "a-list"])
def test_a_forged_record_is_rebuilt_and_replaced(tmp_path, source, forgery):
    processed = tmp_path / "processed"
    cache.store("t", [source], frame(), processed)
    (record_path,) = processed.glob("t-*.json")
    record = json.loads(record_path.read_text())
    if forgery == "hmac":
        record["hmac"] = "0" * 64
    elif forgery == "size":
        record["parts"][""]["size"] += 1
    elif forgery == "no-hmac":
        del record["hmac"]
    text = {"not-json": "{", "a-list": "[1]"}.get(forgery) or json.dumps(record)
    record_path.write_text(text)
    assert cache.lookup("t", [source], processed) is None
    built = []
    table = cache.cached("t", [source], lambda: built.append(1) or frame(), processed)
    assert built == [1] and table.equals(frame())
    assert cache.lookup("t", [source], processed).equals(frame())


def test_a_truncated_or_rewritten_entry_is_rebuilt(tmp_path, source):
    processed = tmp_path / "processed"
    cache.store("t", [source], frame(), processed)
    (entry,) = processed.glob("t-*.parquet")
    entry.write_bytes(entry.read_bytes()[:-10])
    assert cache.lookup("t", [source], processed) is None
    cache.store("t", [source], frame(), processed)
    assert cache.lookup("t", [source], processed).equals(frame())
    data = bytearray(entry.read_bytes())   # same size, one byte changed
    data[len(data) // 2] ^= 1
    entry.write_bytes(bytes(data))
    assert cache.lookup("t", [source], processed) is None


def test_a_symbolic_link_in_place_of_an_entry_is_not_followed(tmp_path, source):
    processed, elsewhere = tmp_path / "processed", tmp_path / "elsewhere"
    cache.store("t", [source], frame(), processed)
    (entry,) = processed.glob("t-*.parquet")
    elsewhere.write_bytes(entry.read_bytes())   # the very bytes the record names
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert cache.lookup("t", [source], processed) is None
    cache.cached("t", [source], frame, processed)
    assert not entry.is_symlink() and elsewhere.read_bytes() == entry.read_bytes()
    assert cache.lookup("t", [source], processed).equals(frame())


def test_a_record_of_other_inputs_is_not_used(tmp_path, source):
    """A signed record copied to another key's name (the attacker cannot sign, but can copy)."""
    processed, other = tmp_path / "processed", tmp_path / "other.csv"
    other.write_text("x")
    cache.store("t", [other], frame(5), processed)
    key = cache.cache_key("t", [source], processed)
    for path in processed.glob("t-*"):
        os.rename(path, processed / path.name.replace(path.name.split(".")[0], f"t-{key}"))
    assert cache.lookup("t", [source], processed) is None


# --- The memo of file hashes and the validation stamps -----------------------------------------

def test_a_memo_not_signed_with_the_users_key_is_ignored_and_replaced(tmp_path, source,
                                                                        monkeypatch):
    monkeypatch.setattr(hashes, "SETTLED_SECONDS", -1.0)
    monkeypatch.setattr(hashes, "_HASHED", {})
    processed = tmp_path / "processed"
    true = hashes.sha256_file(source)
    lie = "0" * 64

    def plant():
        hashes.file_hashes([source], processed)
        memo_path = processed / hashes.MEMO_NAME
        memo = json.loads(memo_path.read_text())
        for entry in memo["entries"].values():
            entry[-1] = lie
        memo["hmac"] = trust.sign("hash-memo", json.dumps(
            memo["entries"], sort_keys=True, separators=(",", ":")).encode())
        memo_path.write_text(json.dumps(memo))

    as_someone_else(tmp_path, plant)
    monkeypatch.setattr(hashes, "_HASHED", {})
    assert hashes.file_hashes([source], processed)[source] == true
    # The old, unsigned form is ignored too.
    (processed / hashes.MEMO_NAME).write_text(json.dumps({str(source.resolve()): [lie]}))
    assert hashes.file_hashes([source], processed)[source] == true
    assert cache.cache_key("t", [source], processed) == cache.cache_key("t", [source], None)


def test_a_planted_or_copied_stamp_does_not_skip_the_check(tmp_path, monkeypatch):
    processed = tmp_path / "processed"
    stamps = processed / cache.VALIDATED_DIR
    stamps.mkdir(parents=True)
    (stamps / "abc").touch()                       # the old form: an empty file
    assert not cache.is_validated("abc", processed)
    as_someone_else(tmp_path, lambda: cache.mark_validated("abd", processed))
    assert not cache.is_validated("abd", processed)
    cache.mark_validated("abe", processed)
    os.replace(stamps / "abe", stamps / "abc")     # a stamp is for its own key only
    assert not cache.is_validated("abc", processed)
    cache.mark_validated("abc", processed)
    assert cache.is_validated("abc", processed)
    assert not cache.is_validated("../abc", processed)


# --- The key -----------------------------------------------------------------------------------

def test_the_key_is_made_once_private_outside_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    first = trust.signing_key()
    path = trust.key_path()
    assert path == tmp_path / "config" / "tryghedlib" / "cache-key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert trust.signing_key() == first and len(first) == 32
    assert [p.name for p in path.parent.iterdir()] == ["cache-key"]


def test_processes_making_the_key_at_once_agree(tmp_path):
    code = "from tryghedlib.sources import trust; print(trust.signing_key().hex())"
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path)}
    running = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env,
                                text=True) for _ in range(6)]
    keys = {p.communicate()[0].strip() for p in running}
    assert len(keys) == 1 and keys == {(tmp_path / "tryghedlib" / "cache-key").read_text().strip()}


@pytest.mark.parametrize("flaw", ["group-readable", "another-user", "empty"])
def test_a_key_that_proves_nothing_means_no_cache_with_a_warning(tmp_path, monkeypatch, flaw,
                                                                 source):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    processed = tmp_path / "processed"
    cache.store("t", [source], frame(), processed)
    path = trust.key_path()
    if flaw == "group-readable":
        path.chmod(0o640)
    elif flaw == "another-user":
        owner = path.stat().st_uid
        monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    else:
        path.write_text("")
    used, warnings = cache.usable(processed)
    assert used is None and len(warnings) == 1
    assert str(processed) in warnings[0] and str(path) in warnings[0]
    assert cache.lookup("t", [source], processed) is None


# --- The cache folder --------------------------------------------------------------------------

def test_a_cache_folder_others_can_write_is_not_used(tmp_path, source):
    processed = tmp_path / "processed"
    cache.store("t", [source], frame(), processed)
    processed.chmod(0o775)
    used, warnings = cache.usable(processed)
    assert used is None and warnings == [
        f"Cachemappen {processed} bruges ikke, så alle tabeller læses fra de rå data "
        f"(langsommere): andre kan skrive i den (tilstand 775); kør 'chmod go-w {processed}', "
        f"eller angiv en anden --cache-dir."]
    assert cache.lookup("t", [source], processed) is None
    assert not cache.store("t", [source], frame(), processed)
    processed.chmod(0o700)
    assert cache.usable(processed) == (processed, [])


def test_a_cache_folder_of_another_user_is_not_used(tmp_path, monkeypatch):
    owner = tmp_path.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    assert "tilhører en anden bruger" in trust.folder_problem(tmp_path)


def test_a_model_given_a_folder_it_must_not_use_builds_from_raw(tmp_path, caplog):
    processed = tmp_path / "processed"
    processed.mkdir(mode=0o777)
    processed.chmod(0o777)
    model.build_note("tingbjerg-husum", 2021, cache_dir=processed, **NOTE)
    assert list(processed.iterdir()) == []
    assert any(str(processed) in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("case", ["a-file", "under-a-file", "read-only", "full"])
def test_a_cache_that_cannot_be_used_degrades_to_none_with_a_warning(tmp_path, monkeypatch,
                                                                      case):
    processed = tmp_path / "processed"
    if case == "a-file":
        processed.write_text("not a folder")
    elif case == "under-a-file":
        (tmp_path / "file").write_text("")
        processed = tmp_path / "file" / "processed"
    elif case == "read-only":   # chmod would not stop root: the file system says no
        monkeypatch.setattr(tempfile, "mkstemp", read_only)
    else:
        monkeypatch.setattr(os, "write", disk_full_after(100))
    used, warnings = cache.usable(processed)
    assert used is None and len(warnings) == 1 and "\n" not in warnings[0]
    assert str(processed) in warnings[0]
    said = {"a-file": "den er en fil", "under-a-file": "kan ikke oprettes",
            "read-only": "der kan ikke skrives", "full": "disken er fuld"}[case]
    assert said in warnings[0] and "--cache-dir" in warnings[0]
    if processed.is_dir():
        assert list(processed.iterdir()) == []


def test_a_disk_filling_up_while_storing_leaves_no_trace(tmp_path, source, monkeypatch,
                                                        caplog):
    processed = tmp_path / "processed"
    processed.mkdir(mode=0o700)
    monkeypatch.setattr(os, "write", disk_full_after(1000))
    batch = cache.Batch(processed)
    for name in ("t", "u"):
        assert batch.get(name, [source], frame).equals(frame())   # never fatal
    batch.commit()
    warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warned) == 1 and str(processed) in warned[0], warned   # once, naming the folder
    assert cache._write_problem(OSError(errno.ENOSPC, "full")) in warned[0]
    cache.mark_validated("abc", processed)
    monkeypatch.undo()
    leftovers = [p for p in processed.rglob("*") if p.is_file()]
    assert [p.name for p in leftovers if p.name != hashes.MEMO_NAME] == []
    assert cache.lookup("t", [source], processed) is None
    assert not cache.is_validated("abc", processed)


def test_a_report_with_an_unusable_cache_warns_once_and_is_made(tmp_path):
    cache_file = tmp_path / "processed"
    cache_file.write_text("not a folder")
    done = subprocess.run(
        [sys.executable, "-m", "tryghedlib.run.cli", "report", "--partnership",
         "tingbjerg-husum", "--year", "2021", "--data-dir", str(EXAMPLE), "--config-dir",
         str(ROOT / "config"), "--cache-dir", str(cache_file), "--out", str(tmp_path / "reports")],
        capture_output=True, text=True)
    err = done.stderr
    assert done.returncode == 0, err
    said = [line for line in err.splitlines() if str(cache_file) in line]
    assert len(said) == 1 and "den er en fil" in said[0]
    assert "Traceback" not in err and "error in tryghedlib" not in err
    log = json.loads((tmp_path / "reports" / "2021" / "tingbjerg-husum" / "run_log.json")
                     .read_text(encoding="utf-8"))
    assert [w for w in log["warnings"] if str(cache_file) in w] == [said[0].split(": ", 1)[1]]
    assert cache_file.read_text() == "not a folder"


def read_only(*args, **kwargs):
    raise OSError(errno.EROFS, "Read-only file system")


def disk_full_after(room: int):
    """``os.write`` on a disk with ``room`` bytes left: writes what fits, then ENOSPC."""
    real, left = os.write, [room]

    def write(fd, data):
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        done = real(fd, bytes(data[:left[0]]))
        left[0] -= done
        return done

    return write
