"""The run's heavy tools, imported when first needed: papermill, nbformat, nbconvert, WeasyPrint.

``tryghed report`` checks its request and inputs before it needs any of them, and a refused
delivery should be told at once; importing them costs 1-2 s.
"""

from __future__ import annotations

import warnings

from tryghedlib.imports import without


def _without_rfc3987_syntax():
    # jsonschema (imported by nbformat, papermill and nbconvert) would import it at once for
    # an "iri" format checker that notebook validation never uses (see tryghedlib.imports).
    return without("rfc3987_syntax", "jsonschema")


def papermill():
    with _without_rfc3987_syntax():
        import papermill

    return papermill


def nbformat():
    with _without_rfc3987_syntax():
        import nbformat

    return nbformat


def nbconvert():
    with _without_rfc3987_syntax():
        import nbconvert

    return nbconvert


def async_kernel_manager():
    with _without_rfc3987_syntax():
        from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager


def weasyprint():
    with warnings.catch_warnings():
        # Advice about the machine (install libharfbuzz-subset0), not about the note.
        warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset", category=DeprecationWarning)
        import weasyprint

    return weasyprint
