"""tryghed check: a whole delivery validated on receipt, summarised in Danish."""

import shutil

from tryghedlib.run import check, cli


def test_a_vendor_delivery_checks_clean_and_every_note_can_be_made(vendor_delivery, tmp_path,
                                                                   capsys):
    config = tmp_path / "config"  # with the vendor delivery's mapping
    shutil.copytree("config", config)
    shutil.copyfile(vendor_delivery / "sources.yaml", config / "sources.yaml")
    code = cli.main(["check", "--data-dir", str(vendor_delivery), "--config-dir", str(config),
                     "--cache-dir", str(tmp_path / "cache")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Tryghedsundersøgelse: " in out and "år 2014-2021" in out
    assert "Politiets anmeldelser: 261.099 rækker, år 2014-2020" in out
    assert "Ingen problemer i leverancen." in out
    assert "- tingbjerg-husum: kan laves" in out
    assert "Anmeldelser uden koordinater (kan ikke placeres i et område): 2014: " in out


def test_problems_of_every_source_are_listed_and_the_notes_refused(vendor_delivery, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(vendor_delivery, data)
    # without the mapping, the vendor's names are not the contract's
    found = check.check_delivery(data, "config")
    assert not found.ok
    assert "kolonne 'aar': forventet at kolonnen findes" in found.problems["befolkning"]
    assert "forventet at kolonnen findes" in found.problems["tryghedsundersøgelse"]
    assert found.rows == {}
    text = check.summary(found, data)
    assert "Problemer (ikke-kortlagte kolonner, ukendte koder m.m.):" in text
    assert "- befolkning:" in text
