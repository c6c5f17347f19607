"""A delivery's manifest, ``<data_dir>/delivery.yaml``: what the data folder is.

Today it says one thing: ``synthetic: true`` marks invented data (the example the generator
writes). A note built from such data says so on every page, in its PDF metadata and its HTML,
so synthetic figures never pass for real ones. The marker travels with the delivery, not with
the folder's name; a real delivery has no manifest (or ``synthetic: false``).
"""

from __future__ import annotations

from pathlib import Path

from tryghedlib.config import read_yaml
from tryghedlib.errors import ConfigError

MANIFEST = "delivery.yaml"
KEYS = {"synthetic", "description"}


def manifest_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / MANIFEST


def is_synthetic(data_dir: str | Path) -> bool:
    """Whether the delivery in ``data_dir`` says it is synthetic (False without a manifest).

    >>> is_synthetic("data/raw/example"), is_synthetic("no/such/folder")
    (True, False)
    """
    path = manifest_path(data_dir)
    if not path.is_file():
        return False
    data = read_yaml(path, empty=True)
    unknown = sorted(set(map(str, data)) - KEYS)
    if unknown:
        raise ConfigError(f"{path}: ukendt nøgle {', '.join(unknown)}; forventet "
                          f"{' og '.join(sorted(KEYS))}.")
    synthetic = data.get("synthetic", False)
    if not isinstance(synthetic, bool):
        raise ConfigError(f"{path}, nøgle 'synthetic': forventet true eller false "
                          f"(fundet {synthetic!r}).")
    return synthetic
