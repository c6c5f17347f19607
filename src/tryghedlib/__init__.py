"""tryghedlib: status notes on safety and crime for Copenhagen's safety partnerships.

The flow, one way through, one subpackage per stage (each imports only the ones before it):
``sources`` reads and validates the raw deliveries (``sources.loaders``) and keeps the
processed cache; ``analysis`` places reports and respondents in areas (``geography``),
derives the note's figures (``indicators``) and tests them (``significance``); ``note``
gathers everything one note needs as facts (``note.model``) and shows them in Danish
(``wording``, ``tables``, ``figures``, ``sections`` and its templates); ``run`` executes the
notebook, exports the PDF and is the ``tryghed`` command (``run.report``, ``run.batch``,
``run.cli``).

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
