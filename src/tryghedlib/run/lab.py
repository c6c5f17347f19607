"""JupyterLab's save hook: tracked notebooks are saved without outputs.

``make lab`` starts JupyterLab with ``--ContentsManager.pre_save_hook=tryghedlib.run.lab.pre_save``.
Every save (autosave too) of a notebook that git would track then writes it as it is committed:
no outputs, no execution counts, no per-machine metadata. Running ``explore.ipynb`` and saving
it leaves ``git status`` clean, run logs say ``dirty: false`` and the notebook check of
``make test`` passes. Notebooks git ignores keep their outputs: the executed records in
``reports/`` and the analyst's own notebooks in ``notebooks/mine/``.

Kept light on purpose: the Jupyter server imports it at start-up.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

#: Cell metadata that records how a cell was last run or shown, not what it is.
VOLATILE_CELL_KEYS = ("collapsed", "scrolled", "execution", "ExecuteTime", "heading_collapsed",
                      "hidden", "papermill")
#: Notebook metadata written by a front end or a kernel (language_info holds the Python version).
VOLATILE_NOTEBOOK_KEYS = ("widgets", "signature", "toc", "varInspector", "papermill")


def strip(nb: Any) -> Any:
    """Remove outputs, execution counts and volatile metadata from a notebook (a dict, in place).

    >>> nb = {"metadata": {"language_info": {"name": "python", "version": "3.11.2"}},
    ...       "cells": [{"cell_type": "code", "execution_count": 3, "metadata": {"scrolled": True},
    ...                  "outputs": [{"output_type": "stream", "text": "1"}], "source": "1"}]}
    >>> strip(nb)["cells"][0]
    {'cell_type': 'code', 'execution_count': None, 'metadata': {}, 'outputs': [], 'source': '1'}
    >>> nb["metadata"]
    {'language_info': {'name': 'python'}}
    """
    metadata = nb.setdefault("metadata", {})
    for key in VOLATILE_NOTEBOOK_KEYS:
        metadata.pop(key, None)
    if "language_info" in metadata:
        metadata["language_info"] = {"name": metadata["language_info"].get("name", "python")}
    for cell in nb.get("cells", []):
        cell_metadata = cell.get("metadata", {})
        for key in VOLATILE_CELL_KEYS:
            cell_metadata.pop(key, None)
        if cell_metadata.get("tags") == []:   # papermill adds empty ones
            del cell_metadata["tags"]
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def tracked(root: str | Path, path: str) -> bool:
    """Whether git would track ``path`` (relative to ``root``): in a checkout, not ignored.

    Outside a checkout, or where git is missing or refuses the folder, nothing is stripped.
    """
    try:
        result = subprocess.run(["git", "check-ignore", "-q", "--", path], cwd=root,
                                capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 1   # 0: ignored, 128: not a checkout (or not allowed)


def pre_save(model: dict, path: str, contents_manager: Any, **kwargs: Any) -> None:
    """``ContentsManager.pre_save_hook``: strip a notebook git would track before it is written."""
    if model.get("type") != "notebook" or not model.get("content"):
        return
    if tracked(getattr(contents_manager, "root_dir", "."), path.lstrip("/")):
        strip(model["content"])
