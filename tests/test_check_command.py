"""tryghed check: a whole delivery validated on receipt, summarised in Danish."""

import shutil

import pytest

from tryghedlib.example.vendor import write_vendor
from tryghedlib.run import check, cli

EXAMPLE = "data/raw/example"


@pytest.fixture(scope="module")
def vendor(tmp_path_factory):
    root = tmp_path_factory.mktemp("check")
    write_vendor(root / "data", EXAMPLE)
    shutil.copytree("config", root / "config")
    shutil.copyfile(root / "data" / "sources.yaml", root / "config" / "sources.yaml")
    return root


def test_a_vendor_delivery_checks_clean_and_every_note_can_be_made(vendor, capsys):
    code = cli.main(["check", "--data-dir", str(vendor / "data"),
                     "--config-dir", str(vendor / "config"),
                     "--cache-dir", str(vendor / "cache")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Tryghedsundersøgelse: " in out and "år 2014-2021" in out
    assert "Politiets anmeldelser: 261.099 rækker, år 2014-2020" in out
    assert "Ingen problemer i leverancen." in out
    assert "- tingbjerg-husum: kan laves" in out
    assert "Anmeldelser uden koordinater (kan ikke placeres i et område): 2014: " in out


def test_problems_of_every_source_are_listed_and_the_notes_refused(vendor, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(vendor / "data", data)
    # without the mapping, the vendor's names are not the contract's
    found = check.check_delivery(data, "config")
    assert not found.ok
    assert "kolonne 'aar': forventet at kolonnen findes" in found.problems["befolkning"]
    assert "forventet at kolonnen findes" in found.problems["tryghedsundersøgelse"]
    assert found.rows == {}
    text = check.summary(found, data)
    assert "Problemer (ikke-kortlagte kolonner, ukendte koder m.m.):" in text
    assert "- befolkning:" in text
