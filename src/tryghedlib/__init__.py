"""tryghedlib: status notes on safety and crime for Copenhagen's safety partnerships.

The flow, one way through: ``loaders`` read and validate the raw deliveries, ``geography``
places reports and respondents in areas, ``indicators`` derive the note's figures,
``significance`` tests them, ``model`` gathers everything one note needs, and ``wording``,
``tables``, ``figures`` and ``sections`` show it in Danish; ``report`` runs the notebook and
exports the PDF.
"""

__version__ = "0.1.0"
