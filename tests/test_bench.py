"""The benchmarks run (bench/run_all.py --quick) and write their results where they should.

The numbers themselves are not checked here (timed tests on a shared machine say little):
``make bench`` measures them and docs/performance.md records them.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import run_all  # noqa: E402


def run(*args):
    return subprocess.run([sys.executable, "bench/run_all.py", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_quick_run_writes_results_and_commands(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nBy hand.\n\n<!-- results:start -->\nold\n"
                   "<!-- results:end -->\n\n## Profiles\n\nBy hand too.\n")
    done = run("--quick", "--only", "statistics", "--doc", str(doc))
    assert done.returncode == 0, done.stderr
    text = doc.read_text()
    assert "By hand." in text and "## Profiles" in text and "old" not in text
    assert "| Statistics: 100,000 two-proportion tests | **" in text
    assert "bench/bench_significance.py 100000 --json" in text
    results = json.loads((ROOT / "bench" / "out" / "results-quick.json").read_text())
    assert results["quick"] and all("error" not in r for r in results["results"].values())


def test_every_benchmark_is_in_the_full_run():
    commands = run("--dry-run").stdout
    for script in ("make_inputs.py", "bench_ingest.py", "bench_survey.py",
                   "bench_significance.py", "bench_report.py", "bench_batch.py"):
        assert f"bench/{script}" in commands
    for mode in ("fresh", "time", "memory", "cache"):
        assert f"--mode {mode}" in commands
    assert "police_1000000" in commands and "police_5000000" in commands
    assert "survey_100000" in commands


def test_the_doc_is_created_with_markers_when_missing(tmp_path):
    doc = tmp_path / "new.md"
    run_all.write_doc(doc, f"{run_all.START}\nrows\n{run_all.END}")
    run_all.write_doc(doc, f"{run_all.START}\nnew rows\n{run_all.END}")
    text = doc.read_text()
    assert text.count(run_all.START) == 1 and "new rows" in text and "\nrows" not in text


def test_ingest_benchmark_on_a_small_register(tmp_path, capsys):
    import bench_ingest
    import make_inputs

    folder = make_inputs.police_dir(tmp_path, 2_000)
    assert (folder / "police" / "anmeldelser_2011-2020.csv").stat().st_size > 100_000
    bench_ingest.main([str(folder), "--mode", "time", "--repeats", "1"])
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["rows"] == 2_000 and result["ratio"] > 0


def test_fresh_process_ingest_benchmark(tmp_path):
    import bench_ingest
    import make_inputs

    folder = make_inputs.police_dir(tmp_path, 2_000)
    result = bench_ingest.fresh(folder, repeats=1)  # each a process of its own: seconds
    assert len(result["floor"]["times"]) == len(result["ingest"]["times"]) == 1
    assert result["ratio"] == result["ingest"]["median"] / result["floor"]["median"] > 0
