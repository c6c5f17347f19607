"""Tests of the ``tryghed`` command line."""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONFIG

from tryghedlib.run.cli import (main, parameter_values, parse_parameter, parse_years,
                                 partnership_list, partnerships_in_config)
from tryghedlib import config as configuration
from tryghedlib.errors import TryghedError
from tryghedlib.note import model

NOTEBOOK = Path(__file__).parent / "fixtures" / "notebooks" / "mini_note.ipynb"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with data, config (two partnerships, one of them failing) and options.

    The mini notebook is not the status note: the status note's precheck and notices (which
    read its configuration) have nothing to check."""
    monkeypatch.setattr(model, "build_note_for", lambda parameters: None)
    monkeypatch.setattr(configuration, "header_notices", lambda parameters: [])
    data = tmp_path / "data"
    data.mkdir()
    (data / "befolkning.csv").write_text("aar;n\n2021;100\n", encoding="utf-8")
    config = tmp_path / "config"
    (config / "partnerships").mkdir(parents=True)
    for name in ("alfa", "fejl-beta"):
        (config / "partnerships" / f"{name}.yaml").write_text(f"id: {name}\n")
    options = ["--data-dir", str(data), "--config-dir", str(config),
               "--out", str(tmp_path / "reports"), "--notebook", str(NOTEBOOK)]
    return tmp_path, options


def test_report_refuse_overwrite_and_batch(project, capsys):
    """One real run; the rest reuses it (a refused overwrite is instant)."""
    root, options = project
    pdf = root / "reports" / "2021" / "alfa" / "status_note_2021.pdf"
    assert main(["report", "--partnership", "alfa", "--year", "2021", *options]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == f"PDF: {pdf}"
    assert pdf.is_file()
    assert "Kører notebook" in err and "Færdig på" in err

    assert main(["report", "--partnership", "alfa", "--year", "2021", *options]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "tryghed: fejl: Der findes allerede en rapport" in err and "--force" in err
    assert "Traceback" not in err

    # Both jobs fail, each for its own reason, and both are reported.
    code = main(["batch", "--partnerships", "all", "--years", "2021", "--workers", "1",
                 "--no-progress", *options])
    out, err = capsys.readouterr()
    assert code == 1
    assert "FEJL  alfa 2021: Der findes allerede en rapport" in err
    assert "FEJL  fejl-beta 2021:" in err and "Ukendt partnerskab 'fejl-beta'" in err
    assert err.count("FEJL") == 2 and err.count("Ukendt partnerskab") == 1  # each once
    assert "0 af 2 rapporter er lavet." in err
    assert "Traceback" not in err


def test_missing_data_folder_is_a_clean_error(project, capsys):
    root, options = project
    options[1] = str(root / "nowhere")
    assert main(["report", "--partnership", "alfa", "--year", "2021", *options]) == 1
    err = capsys.readouterr().err
    assert "nowhere findes ikke" in err and "Traceback" not in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["report", "--partnership", "alfa"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["batch", "--partnerships", "a", "--years", "2021-2019"])
    assert caught.value.code == 2
    assert "det første år ligger efter det sidste" in capsys.readouterr().err


def test_parse_years_and_parameters():
    assert parse_years("2021") == [2021]
    assert parse_years("2019-2020,2020,2022") == [2019, 2020, 2022]
    with pytest.raises(argparse.ArgumentTypeError):
        parse_years("tjuetyve")
    assert parse_parameter("strict=true") == ("strict", "true")
    assert parameter_values([("strict", "true")], NOTEBOOK) == {"strict": True}
    with pytest.raises(argparse.ArgumentTypeError):
        parse_parameter("no-equals-sign")


def test_partnership_lists_are_trimmed_and_deduplicated():
    assert partnership_list(" alfa , beta,alfa ") == ["alfa", "beta"]
    assert partnership_list("all") == ["all"]


def test_a_text_parameter_is_passed_as_written():
    # Read as JSON, 2021.10 became 2021.1 in the note's header and NaN became nan.
    values = parameter_values([("case_number", "2021.10"), ("note_date", "NaN"),
                               ("alpha", "0.05"), ("crime_year", "2020")],
                              "notebooks/status_note.ipynb")
    assert values == {"case_number": "2021.10", "note_date": "NaN", "alpha": 0.05,
                      "crime_year": 2020}


def test_an_unknown_notebook_parameter_is_refused_before_anything_is_written(project, capsys):
    # papermill only warned "Passed unknown parameter" (English) and made the note without it.
    root, options = project
    code = main(["report", "--partnership", "alfa", "--year", "2021", "-p", "baseline_yaer=2020",
                 *options])
    err = capsys.readouterr().err
    assert code == 1
    assert "Ukendt parameter baseline_yaer (-p)" in err and "mente du baseline_year?" in err
    assert "Traceback" not in err and "Passed unknown" not in err
    assert not (root / "reports").exists()


def test_partnerships_in_config(project):
    root, _ = project
    assert partnerships_in_config(root / "config") == ["alfa", "fejl-beta"]
    with pytest.raises(TryghedError, match="Ingen partnerskaber"):
        partnerships_in_config(root)


def test_version_and_examples_in_every_help(capsys):
    from tryghedlib.run.runlog import library_version

    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0 and capsys.readouterr().out == f"tryghed {library_version()}\n"
    for command in ([], ["report"], ["batch"], ["list"]):
        with pytest.raises(SystemExit):
            main([*command, "--help"])
        help_text = capsys.readouterr().out
        assert "eksempler:\n  tryghed " + (command[0] if command else "report") in help_text


def test_list_names_partnerships_periods_and_the_years_of_each_source(capsys):
    root = Path(__file__).resolve().parents[1]
    assert main(["list", "--config-dir", str(root / "config"),
                 "--data-dir", str(root / "data" / "raw" / "example")]) == 0
    out = capsys.readouterr().out
    assert "tingbjerg-husum  Tingbjerg-Husum Partnerskab  (2017-2020: " in out
    assert "  Tryghedsundersøgelsen: 2014-2021\n" in out  # survey/tryghedsundersoegelse_*.csv
    assert "  Anmeldelser: 2014-2020\n" in out          # police/anmeldelser_2014-2020.csv.gz
    assert "  Tryghedsplaner: nordvest 2021; norrebro 2021; tingbjerg-husum 2021" in out


def test_list_reads_a_vendor_delivery_through_its_mapping(vendor_delivery, tmp_path, capsys):
    # The population in the vendor's Excel names: read through config/sources.yaml, as the
    # note reads it, not refused for lacking the contract's column names.
    root = Path(__file__).resolve().parents[1]
    config = tmp_path / "config"
    shutil.copytree(root / "config", config)
    shutil.copy(vendor_delivery / "sources.yaml", config / "sources.yaml")
    assert main(["list", "--config-dir", str(config), "--data-dir", str(vendor_delivery)]) == 0
    out = capsys.readouterr().out
    assert "  Befolkning: 2014-2021\n" in out and "  Anmeldelser: 2014-2020\n" in out


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "tryghedlib", "--help"],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "report" in result.stdout and "batch" in result.stdout


@pytest.mark.parametrize("command", ["check", "list"])
@pytest.mark.parametrize("given, said", [("nowhere", "findes ikke"),
                                         ("/dev/null", "er ikke en mappe"),
                                         ("a-file", "er ikke en mappe")])
def test_a_data_folder_that_is_none_is_named_before_anything_is_read(tmp_path, capsys,
                                                                     command, given, said):
    """Not every source reported missing (check), nor "ingen" for every source (list)."""
    (tmp_path / "a-file").write_text("")
    data_dir = tmp_path / given
    assert main([command, "--data-dir", str(data_dir), "--config-dir", "config"]) == 1
    out, err = capsys.readouterr()
    assert f"Datamappen {data_dir} {said}." in err and "Traceback" not in err
    assert out == ""


def test_a_refusal_outside_a_report_does_not_speak_of_a_report(tmp_path, capsys):
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    with open(config / "partnerships" / "norrebro.yaml", "a", encoding="utf-8") as broken:
        broken.write("district: [unclosed\n")
    assert main(["list", "--config-dir", str(config)]) == 1
    err = capsys.readouterr().err
    assert "ikke gyldig YAML" in err and "rapport" not in err
    assert err.rstrip().endswith("tryghed: ret det, meddelelsen nævner, og kør igen.")


def test_ctrl_c_outside_a_report_does_not_speak_of_a_report(monkeypatch, capsys):
    from tryghedlib.run import check

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(check, "check_delivery", stopped)
    assert main(["check", "--data-dir", "data/raw/example", "--config-dir", "config"]) == 130
    assert capsys.readouterr().err == "tryghed: afbrudt (Ctrl-C).\n"


def test_a_name_too_long_for_the_file_system_is_said_in_danish(project, capsys):
    # Was "OSError: [Errno 36] File name too long: '…'" from report, batch and check alike.
    root, options = project
    long = "a" * 300
    commands = [["report", "--partnership", long, "--year", "2021", *options],
                ["batch", "--partnerships", long, "--years", "2021", "--workers", "1",
                 "--no-progress", *options],
                ["check", "--data-dir", str(root / long), "--config-dir", str(root / "config")]]
    for command in commands:
        assert main(command) == 1
        err = capsys.readouterr().err
        assert "navnet er for langt (" in err, command[0]
        assert "File name too long" not in err and "OSError" not in err, err
        if command[0] == "check":
            assert "rapport" not in err   # no report was to be made
