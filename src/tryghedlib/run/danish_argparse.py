"""argparse in Danish: its own words ("usage:", "options:", "error:", "the following arguments
are required" ...) as the analyst reads everything else the command prints.

argparse fetches those words through ``gettext`` at the moment it uses them (building a parser,
formatting help, reporting an error). :class:`DanishParser` makes each of those moments look
them up in :data:`DANISH` instead, and puts argparse's own lookup back afterwards, so nothing
else in the process is affected. A text missing from the table is shown as argparse has it
(the test of the CLI's messages fails on English words, so a new one is noticed).
"""

from __future__ import annotations

import argparse
import contextlib
from typing import Iterator

#: argparse's texts (its gettext message ids, Python 3.10-3.13) and their Danish.
DANISH = {
    "usage: ": "brug: ",
    "options": "tilvalg",
    "optional arguments": "tilvalg",
    "positional arguments": "argumenter",
    "show this help message and exit": "vis denne hjælp og afslut",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\n",
    "the following arguments are required: %s": "disse argumenter mangler: %s",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "ugyldigt valg: %(value)r (vælg mellem %(choices)s)",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "invalid %(type)s value: %(value)r": "ugyldig værdi: %(value)r (forventet %(type)s)",
    "expected one argument": "forventet én værdi",
    "expected at most one argument": "forventet højst én værdi",
    "expected at least one argument": "forventet mindst én værdi",
    "expected %s argument": "forventet %s værdi",
    "expected %s arguments": "forventet %s værdier",
    "ambiguous option: %(option)s could match %(matches)s":
        "flertydigt tilvalg: %(option)s kan være %(matches)s",
    "not allowed with argument %s": "kan ikke bruges sammen med %s",
    "one of the arguments %s is required": "et af argumenterne %s skal angives",
    "ignored explicit argument %r": "værdien %r ignoreres",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "ukendt kommando %(parser_name)r (vælg mellem %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan ikke åbne '%(filename)s': %(error)s",
}


def _gettext(text: str) -> str:
    return DANISH.get(text, text)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


@contextlib.contextmanager
def danish() -> Iterator[None]:
    """Within the block, argparse speaks Danish."""
    before = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before


class DanishParser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` (and its subcommands' parsers) in Danish."""

    def __init__(self, *args, **kwargs):
        with danish():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        with danish():
            return super().add_subparsers(**kwargs)

    def parse_args(self, *args, **kwargs):
        with danish():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args, **kwargs):
        with danish():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with danish():
            return super().format_usage()

    def format_help(self) -> str:
        with danish():
            return super().format_help()

    def error(self, message: str):
        with danish():
            super().error(message)
