"""How a run ends when it fails or is stopped (issue 14, class 4).

Every failure is one paragraph on stderr without a traceback (unless ``-v``), exit code 1; 130
after Ctrl-C, 143 after SIGTERM. A stopped run publishes nothing, leaves no temporary folder
and no kernel running; a killed one (SIGKILL) leaves a temporary folder that the next run
removes. The signals are sent to a real ``tryghed report`` process at a point the test
controls: when the run has written a marker file.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from test_report import NOTEBOOK, make_inputs
from tryghedlib import config as configuration
from tryghedlib.note import model
from tryghedlib.run import cli, publish
from tryghedlib.run import report as report_module

# ``tryghed report`` as the analyst runs it, on a notebook that is not the status note (so
# without the status note's precheck and notices); with MARK_EXPORT set, it writes that
# marker when the PDF export begins.
TRYGHED = """
import os, sys
from pathlib import Path
from tryghedlib import config
from tryghedlib.note import model
from tryghedlib.run import cli, report

model.build_note_for = lambda parameters: None
config.header_notices = lambda parameters: []
marker = os.environ.get("MARK_EXPORT")
if marker:
    export_pdf = report.export_pdf
    def marked(*args, **kwargs):
        Path(marker).touch()
        return export_pdf(*args, **kwargs)
    report.export_pdf = marked
sys.exit(cli.main(sys.argv[1:]))
"""


def waiting_notebook(folder: Path) -> Path:
    """A notebook that writes the marker it is given and then runs for a long time."""
    parameters = new_code_cell(
        "\n".join(f"{name} = ''" for name in (
            "partnership", "data_dir", "config_dir", "cache_dir", "marker")) + "\nreport_year = 0",
        metadata={"tags": ["parameters"]})
    wait = new_code_cell("import pathlib, time\npathlib.Path(marker).touch()\ntime.sleep(300)")
    path = folder / "waiting.ipynb"
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                               "language": "python"}, "language_info": {"name": "python"}}
    nbformat.write(new_notebook(cells=[parameters, wait], metadata=metadata), path)
    return path


def start(root: Path, notebook: Path, *more: str, env: dict | None = None):
    data, config = root / "data", root / "config"
    command = [sys.executable, "-c", TRYGHED, "report", "--partnership", "alfa", "--year",
               "2021", "--data-dir", str(data), "--config-dir", str(config),
               "--cache-dir", "", "--out", str(root / "reports"), "--notebook", str(notebook),
               *more]
    # A session of its own: Ctrl-C in a terminal reaches the whole foreground process group.
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, env={**os.environ, **(env or {})})


def wait_for(marker: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never reached the marker"
        time.sleep(0.05)


def processes_in(folder: Path) -> list[int]:
    """Processes whose working directory is ``folder`` (a kernel runs in the notebook's)."""
    found = []
    for cwd in Path("/proc").glob("[0-9]*/cwd"):
        try:
            if Path(os.readlink(cwd)) == folder:
                found.append(int(cwd.parent.name))
        except OSError:
            continue
    return found


def gone(folder: Path, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while processes_in(folder) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not processes_in(folder)


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    make_inputs(root)
    (root / "nb").mkdir()
    return root


pytestmark = pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="reads /proc")


@pytest.mark.parametrize("signum, code, said", [
    (signal.SIGINT, 130, "afbrudt (Ctrl-C)"),
    (signal.SIGTERM, 143, "afbrudt (SIGTERM)"),
])
def test_a_signal_during_the_notebook_stops_the_run_and_its_kernel(project, run_invariants,
                                                                  signum, code, said):
    notebook = waiting_notebook(project / "nb")
    marker = project / "in-notebook"
    check = run_invariants(out=project / "reports",
                           inputs=(project / "data", project / "config", project / "nb"))
    process = start(project, notebook, "-p", f"marker={marker}")
    wait_for(marker, process)
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # as a terminal's Ctrl-C: the whole process group
    else:
        process.send_signal(signum)  # as a service manager: the process only
    out, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert said in err and "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith(f"tryghed: {said}"), err
    marker.unlink()
    check()
    assert gone(project / "nb"), "the kernel is still running"


def test_ctrl_c_during_the_export_publishes_nothing(project, run_invariants):
    marker = project / "in-export"
    check = run_invariants(out=project / "reports",
                           inputs=(project / "data", project / "config"))
    process = start(project, NOTEBOOK, env={"MARK_EXPORT": str(marker)})
    wait_for(marker, process)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "afbrudt (Ctrl-C)" in err and "Traceback" not in err and out == "", err
    marker.unlink()
    check()


def test_the_next_run_removes_what_a_killed_run_left(project):
    notebook = waiting_notebook(project / "nb")
    marker = project / "in-notebook"
    process = start(project, notebook, "-p", f"marker={marker}")
    wait_for(marker, process)
    process.kill()
    process.communicate()
    year = project / "reports" / "2021"
    left = [p for p in year.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1
    # Beside it: a run still going on (this process), and a failed run kept on purpose.
    running = publish.work_folder(year / "alfa")
    kept = publish.work_folder(year / "alfa")
    publish.release(kept)
    assert publish.remove_stale(year / "alfa") == left
    assert sorted(year.iterdir()) == sorted([running, kept])
    assert gone(project / "nb", timeout=30), "the killed run's kernel is still running"


@pytest.mark.parametrize("now, cleaned_up", [(False, True), (True, False)])
def test_a_kernel_is_asked_to_shut_down_unless_its_notebook_has_ended(project, now, cleaned_up):
    """stop(now=True), for a kernel whose notebook ran to its end, kills it: its teardown
    (here an atexit handler; in a report Python's clean-up of pandas and matplotlib) costs CPU a
    batch needs. Otherwise the kernel shuts down in order, so a stopped cell cleans up."""
    from jupyter_core.utils import run_sync

    from tryghedlib.run.kernel import NotebookKernel

    folder, marker = project / "nb", project / "cleaned-up"
    kernel = NotebookKernel(folder)
    client = kernel.manager.client()
    client.start_channels()
    run_sync(client.wait_for_ready)(timeout=60)
    run_sync(client.execute_interactive)(
        f"import atexit, pathlib\natexit.register(pathlib.Path({str(marker)!r}).touch)",
        timeout=60)
    kernel.stop(now=now)
    kernel.join()
    assert gone(folder), "the kernel is still running"
    assert marker.exists() == cleaned_up


# --- Failures in this process: one paragraph, no traceback ---------------------------------

@pytest.fixture
def no_checks(monkeypatch):
    monkeypatch.setattr(model, "build_note_for", lambda parameters: None)
    monkeypatch.setattr(configuration, "header_notices", lambda parameters: [])


def arguments(root: Path, out: Path, *more: str) -> list[str]:
    return ["report", "--partnership", "alfa", "--year", "2021", "--data-dir",
            str(root / "data"), "--config-dir", str(root / "config"), "--cache-dir", "",
            "--out", str(out), "--notebook", str(NOTEBOOK), *more]


def test_an_out_folder_that_cannot_be_made_is_one_message(project, no_checks, capsys,
                                                          run_invariants):
    (project / "a-file").write_text("not a folder")
    check = run_invariants(out=project / "a-file", inputs=(project / "data", project / "config"))
    assert cli.main(arguments(project, project / "a-file" / "reports")) == 1
    err = capsys.readouterr().err
    assert "kan ikke oprettes" in err and "a-file" in err and "Traceback" not in err
    check()


@pytest.mark.parametrize("out_exists", [False, True])
def test_an_out_on_a_read_only_file_system_is_one_danish_message(project, no_checks, capsys,
                                                                 monkeypatch, run_invariants,
                                                                 out_exists):
    # The suite runs as root, whom chmod does not stop: the file system's refusal is simulated.
    out = project / "reports"
    if out_exists:
        (out / "2021").mkdir(parents=True)
    check = run_invariants(out=out, inputs=(project / "data", project / "config"))
    mkdir = os.mkdir

    def read_only(path, *args, **kwargs):
        if str(path).startswith(str(out)):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", read_only)
    assert cli.main(arguments(project, out)) == 1
    err = capsys.readouterr().err
    assert "filsystemet er skrivebeskyttet" in err and str(out) in err, err
    assert "Traceback" not in err and "Read-only" not in err
    monkeypatch.undo()
    check()


def test_a_disk_filling_up_during_the_export_is_one_danish_message(project, no_checks, capsys,
                                                                   monkeypatch, run_invariants):
    out = project / "reports"
    check = run_invariants(out=out, inputs=(project / "data", project / "config"))

    def full(notebook, pdf, **kwargs):
        Path(pdf).write_bytes(b"%PDF-1.7 half")   # a half-written file must not stay
        raise OSError(errno.ENOSPC, "No space left on device", str(pdf))

    monkeypatch.setattr(report_module, "export_pdf", full)
    assert cli.main(arguments(project, out)) == 1
    err = capsys.readouterr().err
    assert "disken er fuld" in err and "Eksporterer PDF" in err, err
    assert "Traceback" not in err and "No space" not in err and "Errno" not in err
    check()


def test_an_unexpected_error_is_one_paragraph_and_v_shows_the_traceback(project, no_checks,
                                                                       capsys, monkeypatch):
    def broken(folder):
        raise RuntimeError("uventet")

    monkeypatch.setattr(report_module, "make_folders", broken)
    assert cli.main(arguments(project, project / "reports")) == 1
    err = capsys.readouterr().err
    assert "tryghed: fejl: RuntimeError: uventet." in err and "Traceback" not in err
    assert cli.main(arguments(project, project / "reports", "-v")) == 1
    assert "Traceback" in capsys.readouterr().err


def test_the_run_log_records_every_package_that_computes_or_draws(project, no_checks):
    paths = report_module.run_report("alfa", 2021, data_dir=project / "data",
                                     config_dir=project / "config", cache_dir=None,
                                     out_dir=project / "reports", notebook=NOTEBOOK,
                                     precheck=None, notices=None)
    packages = json.loads(paths.log.read_text(encoding="utf-8"))["packages"]
    for name in ("python", "tryghedlib", "numpy", "pandas", "scipy", "statsmodels", "pyarrow",
                 "shapely", "matplotlib", "seaborn", "pandera", "openpyxl", "papermill",
                 "nbconvert", "weasyprint"):
        assert packages.get(name), name


BATCH = """
import sys
from tryghedlib.run import batch, interrupt

data, config, out, notebook, marker = sys.argv[1:]
try:
    with interrupt.stoppable():
        batch.run_batch([("alfa", 2021), ("beta", 2021), ("gamma", 2021)], workers=2,
                        data_dir=data, config_dir=config, cache_dir=None, out_dir=out,
                        notebook=notebook, precheck=None, notices=None,
                        extra_parameters={"marker": marker}, show_progress=False)
except interrupt.Interrupted as stop:
    sys.exit(stop.exit_code)
"""


def test_ctrl_c_stops_a_parallel_batch_and_starts_no_queued_report(project):
    """Two workers each run a report; the third is queued in the pool already. Ctrl-C stops
    the two, the third never starts (it used to run to its end), nothing is published."""
    notebook = waiting_notebook(project / "nb")
    marker = project / "in-notebook"
    process = subprocess.Popen(
        [sys.executable, "-c", BATCH, str(project / "data"), str(project / "config"),
         str(project / "reports"), str(notebook), str(marker)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    wait_for(marker, process)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=90)
    assert process.returncode == 130, err
    assert [p for p in (project / "reports").rglob("*") if not p.is_dir()] == []
    assert [p for p in (project / "reports").rglob(".*")] == []
    assert gone(project / "nb"), "a kernel is still running"



# A signal that lands while the notebook's asyncio loop runs one of its callbacks or tasks
# (in a process of its own: the exception passes through asyncio's C code).
LOOP = """
import asyncio, signal, sys
from tryghedlib.run import interrupt

def signal_arrives():
    raise interrupt.Interrupted(signal.SIGTERM)

async def in_a_task():
    signal_arrives()

async def notebook_running():
    if sys.argv[1] == "callback":
        asyncio.get_running_loop().call_soon(signal_arrives)
    else:
        asyncio.ensure_future(in_a_task())
    await asyncio.sleep(30)

try:
    asyncio.run(notebook_running())
except interrupt.Interrupted as stop:
    sys.exit(stop.exit_code)
"""


@pytest.mark.parametrize("where", ["callback", "task"])
def test_a_signal_inside_the_event_loop_stops_it(where):
    """It stops the loop at once; it used to be logged (callback) or kept in the task, and the
    run waited for the notebook to end."""
    done = subprocess.run([sys.executable, "-c", LOOP, where], capture_output=True, text=True,
                          timeout=20)
    assert done.returncode == 143, done.stderr
