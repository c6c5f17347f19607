"""The analyst's JupyterLab: `make lab` as any user, notebooks that open and save clean, and
the notebooks' relative paths from the repository root as from ``notebooks/``."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tryghedlib.paths import project_path
from tryghedlib.run import lab

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def with_outputs(path: Path) -> dict:
    """The notebook as JupyterLab sends it on save after a run: outputs, counts, the kernel's
    language_info, a scrolled cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.2",
                                       "mimetype": "text/x-python", "file_extension": ".py"}
    for count, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = count + 1
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "23,3\n"}]
        cell["metadata"]["scrolled"] = True
    return nb


class Manager:  # what the hook reads of jupyter_server's ContentsManager
    root_dir = str(ROOT)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_a_save_rewrites_nothing_in_a_tracked_notebook(notebook):
    """As committed, each notebook is byte for byte what a save with the hook writes."""
    saved = nbformat.writes(nbformat.from_dict(lab.strip(with_outputs(notebook))))
    assert saved + "\n" == notebook.read_text(encoding="utf-8")   # jupyter ends it with \n


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_the_stored_kernel_is_the_installed_one(notebook):
    """JupyterLab rewrites a kernelspec that differs from the installed one on open."""
    from jupyter_client.kernelspec import KernelSpecManager

    installed = KernelSpecManager().get_kernel_spec("python3")
    stored = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert (stored["name"], stored["display_name"], stored["language"]) == \
        ("python3", installed.display_name, installed.language)


def test_the_hook_strips_tracked_notebooks_and_keeps_the_analysts_own():
    for path, stripped in (("notebooks/explore.ipynb", True),
                           ("notebooks/mine/my_analysis.ipynb", False),
                           ("reports/2021/norrebro/status_note_2021.ipynb", False)):
        model = {"type": "notebook", "content": with_outputs(ROOT / "notebooks/explore.ipynb")}
        lab.pre_save(model, path, Manager())
        outputs = [o for c in model["content"]["cells"] for o in c.get("outputs", [])]
        assert (outputs == []) is stripped, path


def test_a_jupyter_server_save_leaves_git_clean(tmp_path):
    """A real save through jupyter_server's contents manager (in the dev extra: never skipped)."""
    from jupyter_server.services.contents import filemanager as contents
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tmp_path)]
    notebook = tmp_path / "notebooks" / "explore.ipynb"
    notebook.parent.mkdir()
    notebook.write_bytes((ROOT / "notebooks" / "explore.ipynb").read_bytes())
    (tmp_path / ".gitignore").write_text("notebooks/mine/\n.ipynb_checkpoints/\n")
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    manager = contents.FileContentsManager(root_dir=str(tmp_path),
                                           pre_save_hook="tryghedlib.run.lab.pre_save")
    (tmp_path / "notebooks" / "mine").mkdir()
    for path in ("notebooks/explore.ipynb", "notebooks/mine/copy.ipynb"):
        manager.save({"type": "notebook", "format": "json", "content": with_outputs(notebook)},
                     path)
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""
    assert nbformat.read(tmp_path / "notebooks/mine/copy.ipynb", 4).cells[2].outputs


def test_make_lab_serves_the_repository_and_opens_explore():
    command = subprocess.run(["make", "-n", "-W", ".venv/.installed-lab", "lab"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    line = command.split("jupyter lab", 1)[1].replace("\\\n", " ")
    assert "--ServerApp.root_dir=." in line and "notebooks/explore.ipynb" in line
    assert "--ContentsManager.pre_save_hook=tryghedlib.run.lab.pre_save" in line
    assert ("--allow-root" in line) is (os.getuid() == 0)


def get_when_listening(url: str, seconds: float = 60):
    """GET ``url``; jupyter_server logs its URL just before it binds the port, so wait for it."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=30)
        except urllib.error.URLError as error:
            if not isinstance(error.reason, ConnectionRefusedError) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_the_url_make_lab_prints_opens_explore(tmp_path):
    """As root on a server no browser opens: the analyst pastes the URL the server prints, and
    that URL (and the server's root) must open explore.ipynb, not an empty launcher."""
    pytest.importorskip("jupyterlab")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    options = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token=t"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path)}
    venv = sys.prefix   # this interpreter's jupyter, never reinstalled here (-o)
    server = subprocess.Popen(["make", "-s", "-o", f"{venv}/.installed-lab", "lab", f"VENV={venv}",
                               f"LAB_OPTIONS={options}"], cwd=ROOT, env=env,
                              stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    stuck = threading.Timer(120, os.killpg, (server.pid, signal.SIGTERM))   # ends the read below
    stuck.start()
    try:
        printed = None
        for line in server.stdout:
            if f"http://127.0.0.1:{port}/" in line:
                printed = line.split(f"http://127.0.0.1:{port}", 1)[1].split()[0]
                break
        assert printed is not None, "jupyter lab printed no URL"
        assert printed.startswith("/lab/tree/notebooks/explore.ipynb?"), printed
        root = get_when_listening(f"http://127.0.0.1:{port}/?token=t")
        assert urllib.parse.urlparse(root.url).path == "/lab/tree/notebooks/explore.ipynb"
        # No pop-up asking to fetch Jupyter news, no check for updates (scripts/lab-overrides.json).
        plugin = "@jupyterlab/apputils-extension:notification"
        settings = f"http://127.0.0.1:{port}/lab/api/settings/{plugin}?token=t"
        with get_when_listening(settings) as got:
            defaults = json.load(got)["schema"]["properties"]
        assert defaults["fetchNews"]["default"] == "false"
        assert defaults["checkForUpdates"]["default"] is False
    finally:
        stuck.cancel()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_the_analysts_folder_is_ignored_but_its_readme_is_kept():
    assert subprocess.run(["git", "check-ignore", "-q", "notebooks/mine/x.ipynb"],
                          cwd=ROOT).returncode == 0
    assert subprocess.run(["git", "check-ignore", "-q", "notebooks/mine/README.md"],
                          cwd=ROOT).returncode == 1


@pytest.mark.parametrize("cwd", ["", "notebooks"])
def test_the_notebooks_default_folders_are_found_from_root_and_notebooks(cwd, monkeypatch):
    """``papermill notebooks/status_note.ipynb out.ipynb`` (kernel in the root) and JupyterLab
    (kernel in notebooks/) read the same folders."""
    source = nbformat.read(ROOT / "notebooks" / "status_note.ipynb", 4).cells[0].source
    defaults = {}
    exec(source, {}, defaults)   # the parameters cell: literals only
    monkeypatch.chdir(ROOT / cwd)
    for name in ("data_dir", "config_dir", "cache_dir"):
        assert project_path(defaults[name]).resolve() == (ROOT / defaults[name]).resolve()
