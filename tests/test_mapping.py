"""config/sources.yaml: a delivery's own names, codes and labels mapped to the data contract."""

import pandas as pd
import pytest

from tryghedlib.errors import ConfigError
from tryghedlib.sources import loaders, mapping, schemas

ANSWER_COLUMNS = ("tryghed_nabolag", "tryghed_aften")
CONTRACTS = {
    "survey": {c: schemas.ANSWERS if c in ANSWER_COLUMNS else None
               for c in schemas.SURVEY.columns},
    "police": dict.fromkeys(schemas.POLICE.columns),
}

YAML = """\
survey:
  columns:
    respondent_id: RespID
    aar: Aar
    tryghed_nabolag: Q7_1
  ignore: [Intro*, Q1]
  answers:
    tryghed_nabolag:
      "Hverken/eller": Hverken tryg eller utryg
      8: Ved ikke
      9.0: Ved ikke
  sheet: Data
  years:
    2019:
      columns: {tryghed_nabolag: Q7_1b}
      answers:
        tryghed_nabolag: {7: Utryg}
"""


def load(tmp_path, text):
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return mapping.load_mapping(path, CONTRACTS)


def test_no_file_or_unmentioned_source_is_the_contract(tmp_path):
    absent = mapping.load_mapping(tmp_path / "sources.yaml", CONTRACTS)
    police = load(tmp_path, YAML).source("police", 2020)
    for source in (absent.source("survey", 2021), police):
        assert not source.given and source.columns == {} and source.sheet is None
        assert source.delivered("tryghed_nabolag") == "tryghed_nabolag"


def test_year_overrides_a_renamed_variable_and_adds_codes(tmp_path):
    survey = load(tmp_path, YAML)
    normal, renamed = survey.source("survey", 2021), survey.source("survey", 2019)
    assert normal.delivered("tryghed_nabolag") == "Q7_1"
    assert renamed.delivered("tryghed_nabolag") == "Q7_1b"
    assert renamed.delivered("aar") == "Aar" and renamed.sheet == "Data"
    assert normal.answers["tryghed_nabolag"] == {"Hverken/eller": "Hverken tryg eller utryg",
                                                 "8": "Ved ikke", "9": "Ved ikke"}
    assert renamed.answers["tryghed_nabolag"]["7"] == "Utryg"
    assert "7" not in normal.answers["tryghed_nabolag"]


@pytest.mark.parametrize("text, says", [
    ("survy:\n  columns: {}\n", "ukendt kilde 'survy' (nærmest: survey)"),
    ("survey:\n  colums: {}\n", "nøgle 'survey.colums': ukendt nøgle (nærmest: columns)"),
    ("survey:\n  columns: {tryghed_nabolg: Q7}\n",
     "'survey.columns.tryghed_nabolg': ikke en kolonne i kontrakten (nærmest: tryghed_nabolag"),
    ("survey:\n  columns: [Q7]\n", "'survey.columns': forventet kontraktens navne"),
    ("survey:\n  columns: {aar: Q1, bydel: Q1}\n", "den leverede kolonne 'Q1' er angivet for"),
    ("survey:\n  answers: {tryghed_nabolag: {8: Ved ike}}\n",
     "'survey.answers.tryghed_nabolag.8': 'Ved ike' er ikke et svar i kontrakten "
     "(nærmest: Ved ikke"),
    ("survey:\n  answers: {vaegt: {1: Tryg}}\n", "'survey.answers.vaegt': ikke en svarkolonne"),
    ("survey:\n  sheet: 3\n", "'survey.sheet': forventet et arks navn"),
    ("survey:\n  years: {2019: {sheet: A, years: {}}}\n",
     "'survey.years.2019.years': ukendt nøgle"),
    ("survey:\n  ignore: Q1\n", "'survey.ignore': forventet en liste"),
    ("survey: [\n", "ikke gyldig YAML (en værdi mangler"),
])
def test_a_wrong_mapping_is_refused_naming_file_and_key(tmp_path, text, says):
    with pytest.raises(ConfigError) as err:
        load(tmp_path, text)
    assert str(tmp_path / "sources.yaml") in str(err.value)
    assert says in str(err.value)


def delivered(**columns):
    base = {"RespID": ["a", "b"], "Aar": [2021, 2021], "bydel": ["Valby", "Valby"],
            "delomraade": [None, None], "vaegt": [1.0, 2.0], "Q7_1": [1, 8],
            "tryghed_aften": ["Tryg", "Tryg"], "Intro_text": ["x", "y"], "Q1": [1, 2]}
    base.update(columns)
    return pd.DataFrame({k: v for k, v in base.items() if v is not None},
                        index=pd.RangeIndex(2, 4))


def test_rename_gives_contract_names(tmp_path):
    source = load(tmp_path, YAML).source("survey", 2021)
    frame, problems = mapping.rename(delivered(), source, CONTRACTS["survey"], "s.sav")
    assert problems == []
    assert list(frame.columns) == list(schemas.SURVEY.columns)
    assert frame["tryghed_nabolag"].tolist() == [1, 8]


def test_an_unaccounted_column_and_a_missing_one_are_named_with_the_nearest(tmp_path):
    source = load(tmp_path, YAML).source("survey", 2021)
    frame = delivered(Q7_1=None, Q7_1a=[1, 2])   # the vendor renamed Q7_1
    _, problems = mapping.rename(frame, source, CONTRACTS["survey"], "s.sav")
    text = [str(p) for p in problems]
    assert text[0].startswith("s.sav, række 1, kolonne 'Q7_1a': forventet en kolonne, som")
    assert "nærmeste navne i kontrakten: Q7_1 (tryghed_nabolag)" in text[0]
    assert text[1] == ("s.sav, række 1, kolonne 'Q7_1 (tryghed_nabolag)': forventet at "
                       "kolonnen findes (fundet ingen sådan kolonne; nærmeste leverede: Q7_1a)")


def test_unmapped_source_ignores_extra_columns_as_today(tmp_path):
    source = mapping.Mapping().source("survey")
    frame = pd.DataFrame({c: ["x"] for c in [*schemas.SURVEY.columns, "extra"]})
    renamed, problems = mapping.rename(frame, source, CONTRACTS["survey"], "s.csv")
    assert problems == [] and list(renamed.columns) == list(schemas.SURVEY.columns)


def test_answers_by_code_label_or_contract_and_unknown_codes_named(tmp_path):
    source = load(tmp_path, YAML).source("survey", 2021)
    labels = {1.0: "Meget tryg", 2.0: "Hverken/eller", 5.0: "Meget utryg", 8.0: "Ved ikke/nej",
              6.0: "Nægter"}
    values = pd.Series([1.0, 2.0, 5.0, 8.0, None, 6.0, 6.0, 7.0, "Tryg"],
                       index=range(2, 11), dtype=object)
    mapped, problems = mapping.answers(values, source, "tryghed_nabolag", schemas.ANSWERS,
                                       "s.sav", labels)
    mapped = [None if pd.isna(v) else v for v in mapped]
    assert mapped[:5] == ["Meget tryg", "Hverken tryg eller utryg", "Meget utryg",
                                   "Ved ikke", None]
    assert mapped[5:] == [None, None, None, "Tryg"]
    assert [(p.row, p.found) for p in problems] == [
        (7, "'6' (label 'Nægter'), også i 1 række mere"), (9, "'7'")]
    assert problems[0].column == "Q7_1 (tryghed_nabolag)"


def test_the_loaders_map_the_contracts_of_the_schemas():
    # The answer columns (and their scale) are the survey contract's, defined in schemas only.
    assert loaders.CONTRACTS["survey"] == CONTRACTS["survey"]
    assert loaders.CONTRACTS["police"] == CONTRACTS["police"]
    assert list(loaders.CONTRACTS) == ["survey", "police", "population"]


def test_the_shipped_sources_yaml_maps_nothing():
    shipped = mapping.load_mapping("config/sources.yaml", CONTRACTS)
    assert shipped.sources == {}
