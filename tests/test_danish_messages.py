"""Everything the command prints is Danish: help, usage errors (argparse's own words too) and
warnings. The refused inputs' messages are checked by every case of tests/test_bad_inputs.py;
``tests/english.py`` says what counts as English."""

from __future__ import annotations

import argparse
import logging

import pytest

from english import english_words
from tryghedlib.run import cli, danish_argparse
from tryghedlib.run.cli import main
from tryghedlib.sources import cache, delivery

COMMANDS = ([], ["report"], ["batch"], ["diff"], ["check"], ["list"])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "tryghed")
def test_every_help_is_danish(command, capsys):
    with pytest.raises(SystemExit) as caught:
        main([*command, "--help"])
    help_text = capsys.readouterr().out
    assert caught.value.code == 0
    assert "brug: tryghed" in help_text and "vis denne hjælp og afslut" in help_text
    assert "eksempler:" in help_text
    assert english_words(help_text) == [], help_text


@pytest.mark.parametrize("argv, says", [
    (["report", "--partnership", "alfa"], "disse argumenter mangler: --year"),
    (["raport"], "argumentet KOMMANDO: ugyldigt valg: 'raport' (vælg mellem 'report'"),
    (["list", "--verbose-ish"], "ukendte argumenter: --verbose-ish"),
    (["report", "--partnership", "alfa", "--year", "tyve"], "ugyldigt tal 'tyve'"),
    (["batch", "--partnerships", "a", "--years", "2021-2019"], "det første år ligger efter"),
    (["batch", "--partnerships", "a", "--years", "2021", "--workers", "to"], "ugyldigt tal"),
    (["batch", "--partnerships", "a", "--years", "2019-9999999"], "fra 1900 til 2200"),
    (["batch", "--partnerships", "a", "--years", "0"], "fra 1900 til 2200"),
    (["batch", "--partnerships", "a", "--years", "2021", "--workers", "0"], "fra 1 til 61"),
    (["batch", "--partnerships", "a", "--years", "2021", "--workers", "-1"], "fra 1 til 61"),
    (["batch", "--partnerships", "a", "--years", "2021", "--workers", "1000"], "fra 1 til 61"),
    (["batch", "--partnerships", ",", "--years", "2021"], "ugyldig liste ','"),
    (["batch", "--partnerships", "", "--years", "2021"], "ugyldig liste ''"),
    (["batch", "--partnerships", "a,,b", "--years", "2021"], "ugyldig liste 'a,,b'"),
    (["batch", "--partnerships", "all,a", "--years", "2021"], "kan ikke stå med andre"),
    (["report", "--partnership", "a", "--year", "2021", "-p", "x"], "ugyldig parameter 'x'"),
    (["report", "--partnership", "a", "--year", "2021", "--format", "docx"], "ugyldigt format"),
    (["report", "--partnership", "a", "--year", "2021", "--data-dir"], "forventet én værdi"),
    ([], "disse argumenter mangler: KOMMANDO"),
])
def test_usage_errors_are_danish(argv, says, capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert err.startswith("brug: tryghed") and ": fejl: " in err and says in err, err
    assert english_words(err) == [], err


def test_argparse_is_danish_only_inside_the_parser():
    # Danish while a DanishParser works, argparse's own words everywhere else in the process.
    plain = argparse.ArgumentParser(prog="x").format_help()
    assert "usage: x" in plain and "show this help message and exit" in plain
    danish = danish_argparse.DanishParser(prog="x").format_help()
    assert "brug: x" in danish and "tilvalg:" in danish
    assert argparse.ArgumentParser(prog="x").format_help() == plain


def test_warnings_are_danish(tmp_path, capsys):
    (tmp_path / "processed").write_text("a file, not a folder")
    _, warnings = cache.usable(tmp_path / "processed")
    (tmp_path / "police").mkdir()
    (tmp_path / "police" / "anmeldelser_2020 (1).csv").write_text("")
    warnings += delivery.unexpected_files(tmp_path)
    assert len(warnings) == 2
    for warning in warnings:
        assert english_words(warning) == [], warning


def test_logged_warnings_carry_a_danish_level(capsys):
    root = logging.getLogger()
    handlers = root.handlers[:]
    try:
        root.handlers = [logging.StreamHandler()]   # what a plain `tryghed` process has
        cli._configure_logging(0)
        logging.getLogger("tryghedlib.run.report").warning("Cachemappen x bruges ikke.")
    finally:
        root.handlers = handlers
    err = capsys.readouterr().err
    assert err == "ADVARSEL tryghedlib.run.report: Cachemappen x bruges ikke.\n"
