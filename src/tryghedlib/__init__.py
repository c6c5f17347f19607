"""tryghedlib: status notes on safety and crime for Copenhagen's safety partnerships.

The flow, one way through: ``loaders`` read and validate the raw deliveries, ``geography``
places reports and respondents in areas, ``indicators`` derive the note's figures,
``significance`` tests them, ``model`` gathers everything one note needs, and ``wording``,
``tables``, ``figures`` and ``sections`` show it in Danish; ``report`` runs the notebook and
exports the PDF.

The questions analysts ask have a public face in :mod:`tryghedlib.explore`, re-exported here:
``compare_years``, ``survey_shares``, ``police_counts``, ``danish`` and ``danish_text``. They
are imported on first use, so ``import tryghedlib`` (and the ``tryghed`` command) stays cheap.
"""

import importlib

__version__ = "0.1.0"

_EXPLORE = ("compare_years", "survey_shares", "police_counts", "danish", "danish_text")
__all__ = ["__version__", *_EXPLORE]


def __getattr__(name: str):
    if name in _EXPLORE:
        # Imported by name at first use: every module imports this package (for __version__),
        # and a static import here would make each of them depend on the top layer.
        return getattr(importlib.import_module("tryghedlib.explore"), name)
    raise AttributeError(f"module 'tryghedlib' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_EXPLORE])
