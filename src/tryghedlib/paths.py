"""Where a relative path given to a notebook or the public API points.

A notebook's kernel starts in ``notebooks/`` under JupyterLab and in the working folder under
``papermill`` run from the repository root; the notebooks' defaults (``data/raw/example``,
``config``) must mean the same folder in both. So a relative path is taken from the working
folder when it exists there, and otherwise from the project folder: the nearest folder at or
above the working folder that holds ``config/settings.yaml`` (or else the checkout this package
is installed from, with ``pip install -e``).
"""

from __future__ import annotations

from pathlib import Path

MARKER = Path("config") / "settings.yaml"


def project_root(start: str | Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the working folder) holding
    ``config/settings.yaml``, else the checkout of an editable install, else None.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     (Path(tmp) / "config").mkdir(); (Path(tmp) / MARKER).touch()
    ...     (Path(tmp) / "notebooks").mkdir()
    ...     project_root(Path(tmp) / "notebooks") == Path(tmp).resolve()
    True
    """
    here = Path.cwd() if start is None else Path(start)
    for folder in (here.resolve(), *here.resolve().parents):
        if (folder / MARKER).is_file():
            return folder
    checkout = Path(__file__).resolve().parents[2]   # src/tryghedlib/paths.py
    return checkout if (checkout / MARKER).is_file() else None


def project_path(path: str | Path, start: str | Path | None = None) -> Path:
    """``path`` as given when it is absolute or exists from the working folder (``start``);
    otherwise ``path`` under the project folder (see :func:`project_root`) when there is one.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     (Path(tmp) / "config").mkdir(); (Path(tmp) / MARKER).touch()
    ...     (Path(tmp) / "notebooks").mkdir()
    ...     found = project_path("config", start=Path(tmp) / "notebooks")
    ...     found == Path(tmp).resolve() / "config"
    True
    """
    path = Path(path)
    here = Path.cwd() if start is None else Path(start)
    if path.is_absolute() or (here / path).exists():
        return path if start is None or path.is_absolute() else here / path
    root = project_root(here)
    return root / path if root is not None else path


def among_inputs(written: str | Path, data_dir: str | Path, config_dir: str | Path) -> str | None:
    """Which input folder (``"datamappen"`` or ``"konfigurationsmappen"``, as messages name it)
    a folder to write lies in, links resolved; None if neither. What is written there would
    become an input or change a delivery.

    >>> among_inputs("data/raw/x/processed", "data/raw/x", "config"), among_inputs("out", "d", "c")
    ('datamappen', None)
    """
    written = Path(written).resolve()
    for what, folder in (("datamappen", data_dir), ("konfigurationsmappen", config_dir)):
        if written.is_relative_to(Path(folder).resolve()):
            return what
    return None
