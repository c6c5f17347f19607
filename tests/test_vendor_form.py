"""The example delivery in vendor form (SPSS survey, Excel police extract and population,
renamed variables, answer codes with value labels) read through its sources.yaml gives the
same frames as the example in the contract's CSV form; and deliveries in these formats are
checked with their problems named by cell or case (``celle``, ``observation``)."""

import dataclasses
import shutil

import openpyxl
import pandas as pd
import pandas.testing as pdt
import pyreadstat
import pytest

from tryghedlib.errors import DataError
from tryghedlib.note import model
from tryghedlib.sources import loaders

EXAMPLE = "data/raw/example"
EXTENT = (650_000.0, 6_150_000.0, 750_000.0, 6_210_000.0)


@pytest.fixture(scope="session")
def vendor(vendor_delivery):
    return vendor_delivery


@pytest.fixture(scope="session")
def sources(vendor):
    return loaders.load_sources(vendor / "sources.yaml")


def test_the_vendor_form_is_not_the_contract(vendor):
    assert sorted(p.name for p in (vendor / "police").iterdir()) == ["anmeldelser_2014-2020.xlsx"]
    _, meta = pyreadstat.read_sav(vendor / "survey" / "tryghedsundersoegelse_2019.sav",
                                  metadataonly=True)
    assert "Q7_1b" in meta.column_names and "tryghed_nabolag" not in meta.column_names
    assert meta.variable_value_labels["Q7_2"][3] == "Hverken/eller"


def test_survey_frames_equal_the_csv_example(vendor, sources):
    expected = loaders.load_survey(EXAMPLE)
    pdt.assert_frame_equal(loaders.load_survey(vendor, sources=sources), expected)


def test_police_and_population_frames_equal_the_csv_example(vendor, sources):
    codes = loaders.load_offence_codes("config/offence_codes.csv")
    expected = loaders.load_police(EXAMPLE, codes, extent=EXTENT).drop(columns="file")
    police = loaders.load_police(vendor, codes, extent=EXTENT, sources=sources)
    pdt.assert_frame_equal(police.drop(columns="file"), expected)
    pdt.assert_frame_equal(loaders.load_population(vendor, sources=sources),
                           loaders.load_population(EXAMPLE))


def test_without_the_mapping_the_vendor_form_is_refused_by_name(vendor):
    with pytest.raises(DataError) as err:
        loaders.load_population(vendor)
    assert "kolonne 'aar': forventet at kolonnen findes" in str(err.value)


def test_two_files_for_one_year_are_refused(tmp_path, vendor):
    shutil.copytree(vendor / "survey", tmp_path / "survey")
    shutil.copyfile(f"{EXAMPLE}/survey/tryghedsundersoegelse_2021.csv",
                    tmp_path / "survey" / "tryghedsundersoegelse_2021.csv")
    with pytest.raises(DataError) as err:
        loaders.survey_files(tmp_path)
    # Every source's files are resolved by sources.delivery, which names both.
    assert ("tryghedsundersoegelse_2021.csv: forventet én fil pr. undersøgelsesår (fundet også "
            "tryghedsundersoegelse_2021.sav") in str(err.value)


def test_an_unknown_answer_code_is_named_by_case_with_its_label(tmp_path, sources):
    frame = pd.DataFrame({"RespID": ["a1", "a2"], "Aar": [2021.0, 2021.0],
                          "Interviewform": ["web", "web"], "Bydel": ["Valby", "Valby"],
                          "Omraade": ["", ""], "Vaegt": [1.0, -2.0], "Q7_1": [1.0, 7.0],
                          "Q7_2": [2.0, 2.0]})
    path = tmp_path / "survey" / "tryghedsundersoegelse_2021.sav"
    path.parent.mkdir()
    pyreadstat.write_sav(frame, str(path), variable_value_labels={
        "Q7_1": {1: "Meget tryg", 7: "Nægter at svare"}})
    with pytest.raises(DataError) as err:
        loaders.load_survey(tmp_path, sources=sources)
    text = str(err.value)
    assert "observation 2, kolonne 'Q7_1 (tryghed_nabolag)': forventet et svar i kontrakten" in text
    assert "(fundet '7' (label 'Nægter at svare'))" in text
    assert "observation 2, kolonne 'Vaegt (vaegt)': forventet en vægt over 0" in text


def test_a_bad_cell_in_a_workbook_is_named_as_the_analyst_sees_it(tmp_path, sources):
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Befolkning"
    sheet.append(["År", "Område", "Antal"])
    sheet.append([2020, "koebenhavn", 600_000])
    sheet.append(["2021", "koebenhavn", "6oo.000"])
    sheet.append([2021.5, "koebenhavn", 610_000])
    (tmp_path / "population").mkdir()
    wb.save(tmp_path / "population" / "befolkning.xlsx")
    with pytest.raises(DataError) as err:
        loaders.load_population(tmp_path, sources=sources)
    text = str(err.value)
    assert "celle Befolkning!C3, kolonne 'Antal (indbyggere)': forventet et helt tal " \
        "(fundet '6oo.000')" in text
    assert "celle Befolkning!A4, kolonne 'År (aar)': forventet et helt tal (fundet '2021,5')" \
        in text


def test_data_under_a_header_cell_merged_across_two_columns_is_refused(tmp_path, sources):
    # 'Antal' over C and D: D's numbers were dropped without a word (half the population).
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Befolkning"
    sheet.append(["År", "Område", "Antal", None])
    sheet.append([2021, "koebenhavn", 300_000, 310_000])
    sheet.merge_cells("C1:D1")
    (tmp_path / "population").mkdir()
    wb.save(tmp_path / "population" / "befolkning.xlsx")
    with pytest.raises(DataError) as err:
        loaders.load_population(tmp_path, sources=sources)
    assert ("befolkning.xlsx, celle Befolkning!D1: forventet et kolonnenavn over hver kolonne "
            "med data") in str(err.value)
    assert "(fundet en tom overskrift over data, f.eks. i Befolkning!D2)" in str(err.value)


def same(left, right, where="note"):
    """Whether two results are equal figure for figure (frames, dataclasses, dicts, numbers)."""
    if isinstance(left, pd.DataFrame):
        pdt.assert_frame_equal(left, right, obj=where)
    elif dataclasses.is_dataclass(left):
        for field in dataclasses.fields(left):
            same(getattr(left, field.name), getattr(right, field.name), f"{where}.{field.name}")
    elif isinstance(left, dict):
        assert left.keys() == right.keys(), where
        for key in left:
            same(left[key], right[key], f"{where}[{key!r}]")
    else:
        assert left == right or (left != left and right != right), where


def test_a_note_from_the_vendor_form_equals_the_csv_examples(vendor, tmp_path, example_note):
    config = tmp_path / "config"
    shutil.copytree("config", config)
    shutil.copyfile(vendor / "sources.yaml", config / "sources.yaml")
    from_vendor = model.build_note("tingbjerg-husum", 2021, data_dir=vendor, config_dir=config,
                                   cache_dir=None)
    for part in ("safety", "crime", "cooperation", "plan", "notices"):
        same(getattr(from_vendor, part), getattr(example_note, part), part)
    assert "config/sources.yaml" in from_vendor.inputs
