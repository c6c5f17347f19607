"""The versions of the software that computes and draws a note, for its run log and appendix."""

from __future__ import annotations

import platform
from importlib import metadata

# Every package that reads, computes or draws a figure of the note, or makes its PDF.
PACKAGES = ("tryghedlib", "numpy", "pandas", "scipy", "statsmodels", "pyarrow", "shapely",
            "matplotlib", "seaborn", "pandera", "openpyxl", "papermill", "nbconvert",
            "weasyprint")


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Python's version and each installed package's (missing ones are left out)."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return versions
