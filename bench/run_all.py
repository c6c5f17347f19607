"""Run every benchmark, each in a fresh process, and write the results to docs/performance.md.

    .venv/bin/python bench/run_all.py            # the full run (make bench), some 8 minutes
    .venv/bin/python bench/run_all.py --quick    # small inputs, seconds (a smoke test)
    .venv/bin/python bench/run_all.py --only ingest,survey

Every target is measured as a ratio against its floor *in the same run* (the machines are
shared and noisy): see each ``bench/bench_*.py``. The large inputs are made first by
``bench/make_inputs.py`` into ``bench/out/`` (git-ignored), seeded, and reused while their
recipe is unchanged.

The results and the exact commands replace the part of ``docs/performance.md`` between its
``results`` markers; the rest of that page (profiles, what was changed) is written by hand.
``--quick`` writes ``bench/out/performance-quick.md`` instead (unless ``--doc`` says
otherwise), so that a smoke test never overwrites the published numbers. The raw results go
to ``bench/out/results.json`` (``results-quick.json``); with ``--only``, the rows not run are
kept from that file's last run and marked with its date.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT = BENCH / "out"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
# At most 3x a bare pyarrow read (the 2x target is retired: the strict checks that name every
# bad cell cost more than parsing, and they are worth it).
INGEST_LIMIT = 3
INPUTS = {"ingest": "police", "survey": "survey", "batch": "batch"}  # made by make_inputs.py


@dataclass
class Job:
    name: str      # group, for --only
    label: str
    args: list[str]
    check: object  # function(result) -> (measured text, target text, met: bool | None)
    result: dict = field(default_factory=dict)
    seconds: float = 0.0
    label_note: str = ""  # "(run <date>)" for a row kept from an earlier run


def _s(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def _ratio_check(key: str, floor: str, limit: float, what: str, judged: bool = True,
                 unjudged: str = "(size too small to judge)"):
    def check(r):
        return (f"{_s(r[key]['median'])} vs floor {_s(r[floor]['median'])}: "
                f"**{r['ratio']:.2f}×**", f"{what} ≤ {limit}× floor" if judged else
                unjudged, r["ratio"] <= limit if judged else None)
    return check


def _memory_check(judged: bool = True):
    def check(r):
        return (f"peak +{r['increase'] / 1e6:.0f} MB vs Arrow table "
                f"{r['arrow_bytes'] / 1e6:.0f} MB: **{r['ratio']:.2f}×**",
                "≤ 3× the Arrow table" if judged else "(size too small to judge)",
                r["ratio"] <= 3 if judged else None)
    return check


def _under(seconds: float, limit: float | None) -> tuple[str, bool | None]:
    """(target, met) for a time limit; None: the inputs are too small to judge."""
    if not limit:
        return "(size too small to judge)", None
    return f"< {limit} s", seconds < limit


def _cache_check(limit: float | None):
    def check(r):
        seconds = r["ingest_cached"]["median"]
        return (f"**{_s(seconds)}** (cache read {_s(r['cache_read']['median'])}; floor "
                f"{_s(r['floor']['median'])})", *_under(seconds, limit))
    return check


def _survey_check(limit: float | None):
    def check(r):
        seconds = r["shares"]["median"]
        return (f"**{_s(seconds)}** for {r['rows']} shares, {r['areas']} areas × {r['years']} "
                f"years, {r['respondents']:,} respondents (cache read "
                f"{_s(r['cache_read']['median'])})", *_under(seconds, limit))
    return check


def _significance_check(limit: float | None):
    def check(r):
        return (f"**{_s(r['pooled'])}** (Yates {_s(r['yates'])}) for {r['comparisons']:,} "
                f"tests; floor x1/n1 − x2/n2 {_s(r['floor'])}", *_under(r["pooled"], limit))
    return check


def _report_check(r):
    met = r["ratio"] <= 1.3 and not r["lark_imported"]
    text = (f"{_s(r['report']['median'])} vs floor {_s(r['floor']['median'])} "
            f"({r['pages']} pages): **{r['ratio']:.2f}×**; rfc3987_syntax "
            f"{'imported' if r['lark_imported'] else 'not loaded'} "
            f"(import attempt {r['rfc3987_syntax_import_us']} µs)")
    return text, "≤ 1.3× floor, no rfc3987-syntax", met


def _batch_check(r):
    failed = (f"; {len(r['failed'])} failed: {', '.join(r['failed'])}" if r["failed"] else "")
    return (f"{_s(r['parallel']['median'])} on {r['workers']} workers vs "
            f"{_s(r['serial']['median'])} serial; {r['reports']} of {r['jobs']} reports "
            f"produced{failed}: **{r['ratio']:.2f}×**", "≤ 0.6× serial", r["ratio"] <= 0.6)


def jobs(quick: bool) -> list[Job]:
    police = [20_000] if quick else [1_000_000, 5_000_000]
    respondents = 5_000 if quick else 100_000
    repeats = "3" if quick else "5"
    result = []
    for n in police:
        folder = f"bench/out/police_{n}"
        result += [
            Job("ingest", f"Ingest {n:,} reports: time, one read per fresh process",
                ["bench/bench_ingest.py", folder, "--mode", "fresh", "--repeats",
                 "3" if quick else "9" if n < 5_000_000 else "5"],
                _ratio_check("ingest", "floor", INGEST_LIMIT, "ingest", judged=not quick)),
            Job("ingest", f"Ingest {n:,} reports: time, repeated in one process",
                ["bench/bench_ingest.py", folder, "--mode", "time", "--repeats",
                 repeats if n < 5_000_000 else "3"],
                # Shown, not judged: it weighs the allocators' habits more than the work
                # (docs/performance.md, "Which ingest time is judged").
                _ratio_check("ingest", "floor", INGEST_LIMIT, "ingest", judged=False,
                             unjudged="shown, not judged (see below)")),
            Job("ingest", f"Ingest {n:,} reports: peak memory",
                ["bench/bench_ingest.py", folder, "--mode", "memory"],
                _memory_check(judged=not quick)),
        ]
        if n < 5_000_000:
            result.append(Job("ingest", f"Ingest {n:,} reports from the processed cache",
                              ["bench/bench_ingest.py", folder, "--mode", "cache", "--repeats",
                               repeats], _cache_check(None if quick else 0.3)))
    result += [
        Job("survey", f"Survey {respondents:,} respondents × 8 years from the cache",
            ["bench/bench_survey.py", f"bench/out/survey_{respondents}", "--repeats", repeats],
            _survey_check(None if quick else 1.0)),
        Job("statistics", f"Statistics: {100_000 if quick else 1_000_000:,} two-proportion tests",
            ["bench/bench_significance.py", str(100_000 if quick else 1_000_000), "--json"],
            _significance_check(None if quick else 1.0)),
    ]
    if not quick:
        result += [
            Job("report", "Report: tryghed report on the example data",
                ["bench/bench_report.py", "--repeats", repeats], _report_check),
            Job("batch", "Batch: 24 reports (3 partnerships × 2014-2021), 2 cores",
                ["bench/bench_batch.py", "bench/out/batch", "--years", "2014-2021",
                 "--repeats", "3"],
                _batch_check),
        ]
    return result


def python_name() -> str:
    executable = Path(sys.executable)
    try:
        return str(executable.relative_to(ROOT))
    except ValueError:
        return "python"


def shown(args: list[str]) -> str:
    return " ".join(shlex.quote(a) for a in [python_name(), *args])


def run_job(job: Job) -> None:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *job.args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    job.seconds = time.perf_counter() - started
    if done.returncode:
        job.result = {"error": (done.stderr or done.stdout).strip().splitlines()[-20:]}
        return
    job.result = json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> dict:
    def version(name):
        try:
            from importlib.metadata import version as v
            return v(name)
        except Exception:
            return "?"
    revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                cwd=ROOT, capture_output=True, text=True).stdout.strip())
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpus": os.cpu_count(), "load": os.getloadavg(),
            "python": platform.python_version(),
            "packages": {n: version(n) for n in ("numpy", "pandas", "pyarrow", "shapely",
                                                 "weasyprint", "papermill")},
            "revision": f"{revision}{' (with uncommitted changes)' if dirty else ''}"}


def results_block(done: list[Job], info: dict, quick: bool, inputs_command: str) -> str:
    lines = [START, "",
             f"Measured {info['date']} on {info['cpus']} cores (load average at the start "
             f"{info['load'][0]:.2f}), Python {info['python']}, "
             + ", ".join(f"{k} {v}" for k, v in info["packages"].items())
             + f"; code at {info['revision']}."
             + (" **Quick run: small inputs, not the targets' sizes.**" if quick else ""), "",
             "| benchmark | measured | target | met |", "|---|---|---|---|"]
    for job in done:
        if "error" in job.result:
            lines.append(f"| {job.label} | failed: {' '.join(job.result['error'][-2:])} | | no |")
            continue
        measured, target, met = job.check(job.result)
        verdict = "—" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {job.label}{job.label_note} | {measured} | {target} | {verdict} |")
    lines += ["", "Each row came from its own process (the fresh-process rows from one per "
              "timing); the commands, from the repository root"
              + (" (inputs first):" if inputs_command else ":"), "", "```", *([inputs_command] if inputs_command else []),
              *(shown(job.args) for job in done), "```", "", END]
    return "\n".join(lines)


def write_doc(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else (
        "# Performance\n\nWritten by `bench/run_all.py`.\n\n" + START + "\n" + END + "\n")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _previous(quick: bool) -> dict:
    path = OUT / f"results{'-quick' if quick else ''}.json"
    try:
        return json.loads(path.read_text())["results"]
    except (OSError, ValueError, KeyError):
        return {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, a few seconds")
    parser.add_argument("--only", help="comma-separated groups: ingest, survey, statistics, "
                                       "report, batch")
    parser.add_argument("--doc", type=Path, help="page to write (default docs/performance.md; "
                                                 "with --quick bench/out/performance-quick.md)")
    parser.add_argument("--dry-run", action="store_true", help="print the commands only")
    args = parser.parse_args(argv)
    selected = jobs(args.quick)
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")}
        selected = [job for job in selected if job.name in wanted]
    needs = sorted({INPUTS[job.name] for job in selected if job.name in INPUTS})
    make = ["bench/make_inputs.py", *(["--quick"] if args.quick else []),
            *(["--what", ",".join(needs)] if needs != sorted(set(INPUTS.values())) else [])]
    if args.dry_run:
        for command in [make, *(job.args for job in selected)]:
            print(shown(command))
        return 0
    info = machine()
    started = time.perf_counter()
    if needs:
        subprocess.run([sys.executable, *make], cwd=ROOT, check=True, capture_output=True)
    for job in selected:
        print(f"{job.label} ...", file=sys.stderr, flush=True)
        run_job(job)
        print(f"  {job.seconds:.1f} s: " + ("FAILED " + " ".join(job.result["error"][-2:])
                                           if "error" in job.result
                                           else job.check(job.result)[0]),
              file=sys.stderr, flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    results = {job.label: {"command": shown(job.args), "date": info["date"], **job.result}
               for job in selected}
    shown_jobs = list(selected)
    if args.only:  # keep the other rows of the last run of the same kind, marked with its date
        previous, ran = _previous(args.quick), {job.label: job for job in selected}
        shown_jobs = []
        for job in jobs(args.quick):  # in the order of a full run
            if job.label in ran:
                shown_jobs.append(ran[job.label])
            elif job.label in previous:
                job.result = {k: v for k, v in previous[job.label].items()
                              if k not in ("command", "date")}
                job.label_note = f" (run {previous[job.label].get('date', 'earlier')})"
                results[job.label] = previous[job.label]
                shown_jobs.append(job)
    (OUT / f"results{'-quick' if args.quick else ''}.json").write_text(json.dumps(
        {"machine": info, "quick": args.quick, "results": results}, indent=1,
        default=float) + "\n")
    doc = args.doc or (OUT / "performance-quick.md" if args.quick else DOC)
    write_doc(doc, results_block(shown_jobs, info, args.quick, shown(make) if needs else ""))
    print(f"wrote {doc} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 1 if any("error" in job.result for job in selected) else 0


if __name__ == "__main__":
    sys.exit(main())
