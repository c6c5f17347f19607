"""Loaders on small hand-made deliveries: the tidy frames they return and the errors they raise."""

import gzip
import json
import os
import warnings

import pandas as pd
import pytest

from tryghedlib.sources import delivery, loaders
from tryghedlib.errors import DataError

SURVEY_HEAD = "respondent_id;aar;bydel;delomraade;vaegt;tryghed_nabolag;tryghed_aften"
POLICE_HEAD = "journalnummer;anmeldt_dato;gerningsdato;gerningskode;x_koordinat;y_koordinat"


def write(path, lines, encoding="utf-8", newline="\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def survey(tmp_path, rows, year=2021, **kw):
    write(tmp_path / "survey" / f"tryghedsundersoegelse_{year}.csv", [SURVEY_HEAD, *rows], **kw)
    return tmp_path


GOOD = ["a1;2021;Brønshøj-Husum;voldparken;1,25;Meget utryg;Ved ikke",
        "a2;2021;Valby;;0,5;Tryg;"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_survey_reads_every_delivered_encoding(tmp_path, encoding):
    frame = loaders.load_survey(survey(tmp_path, GOOD, encoding=encoding, newline="\r\n"))
    assert frame["district"].tolist() == ["Brønshøj-Husum", "Valby"]
    assert frame["weight"].tolist() == [1.25, 0.5]
    assert frame["neighbourhood"].tolist() == ["Meget utryg", "Tryg"]
    assert frame["evening"].isna().tolist() == [False, True]
    assert frame["subarea"].isna().tolist() == [False, True]
    assert frame["year"].dtype == "int64"


def test_survey_gzip_is_read(tmp_path):
    path = tmp_path / "survey" / "tryghedsundersoegelse_2021.csv.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress("\n".join([SURVEY_HEAD, *GOOD]).encode()))
    assert len(loaders.load_survey(tmp_path)) == 2


def test_survey_problems_are_all_reported_with_file_row_and_column(tmp_path):
    rows = ["a1;2021;Valby;;1.25;Tryg;Tryg",          # decimal point
            "a1;2021;Valby;;1,0;Sikker;Tryg",         # duplicate id, answer off the scale
            "a3;2020;Valby;;0;Tryg;Tryg"]             # wrong year, weight 0
    with pytest.raises(DataError) as caught:
        loaders.load_survey(survey(tmp_path, rows))
    message = str(caught.value)
    assert "tryghedsundersoegelse_2021.csv, række 2, kolonne 'vaegt': forventet et tal med " \
           "decimalkomma" in message
    assert "række 3, kolonne 'tryghed_nabolag': forventet en af Meget tryg" in message
    assert "række 2, kolonne 'respondent_id': forventet en værdi, der kun forekommer én gang" in message
    assert "række 4, kolonne 'aar': forventet 2021, året i filens navn" in message
    assert "række 4, kolonne 'vaegt': forventet en vægt over 0" in message
    assert len(caught.value.problems) == 6


def test_survey_renamed_column_is_named_with_a_suggestion(tmp_path):
    head = SURVEY_HEAD.replace("vaegt", "vægt")
    write(tmp_path / "survey" / "tryghedsundersoegelse_2021.csv", [head, *GOOD])
    with pytest.raises(DataError, match=r"kolonne 'vaegt': forventet en kolonne med navnet 'vaegt' "
                                        r"\(fundet en kolonne 'vægt' — omdøbt\?\)"):
        loaders.load_survey(tmp_path)


def test_survey_unknown_district_or_subarea(tmp_path):
    with pytest.raises(DataError) as caught:
        loaders.load_survey(survey(tmp_path, GOOD), districts={"Valby"}, subareas={"gadelandet"})
    message = str(caught.value)
    assert "række 2, kolonne 'bydel': forventet en bydel i geografien" in message
    assert "række 2, kolonne 'delomraade': forventet koden for et delområde" in message


def test_survey_truncated_file_names_the_line(tmp_path):
    with pytest.raises(DataError, match=r"række 3, kolonne 'vaegt': forventet 7 felter adskilt "
                                        r"af ';' \(fundet 4 felter; linjen slutter før"):
        loaders.load_survey(survey(tmp_path, [GOOD[0], "a2;2021;Valby;"]))


def test_survey_comma_separated_and_empty_files(tmp_path):
    write(tmp_path / "survey" / "tryghedsundersoegelse_2021.csv", [SURVEY_HEAD.replace(";", ",")])
    with pytest.raises(DataError, match="række 1: forventet felter adskilt af ';'"):
        loaders.load_survey(tmp_path)
    (tmp_path / "survey" / "tryghedsundersoegelse_2021.csv").write_bytes(b"")
    with pytest.raises(DataError, match="forventet en overskriftslinje og rækker med data"):
        loaders.load_survey(tmp_path)


def test_survey_missing_year_names_the_years_present(tmp_path):
    with pytest.raises(DataError, match=r"tryghedsundersoegelse_2019.csv .*undersøgelsesår 2021"):
        loaders.load_survey(survey(tmp_path, GOOD), years=[2019])


def test_blank_lines_do_not_shift_row_numbers(tmp_path):
    rows = [GOOD[0], "", "a3;2021;Valby;;-1;Tryg;Tryg"]
    with pytest.raises(DataError, match="række 4, kolonne 'vaegt'"):
        loaders.load_survey(survey(tmp_path, rows))


def police(tmp_path, rows, name="anmeldelser_2020.csv"):
    write(tmp_path / "police" / name, [POLICE_HEAD, *rows])
    return tmp_path


def codes():
    return pd.DataFrame({"code": [1101, 2201]})


def test_police_reads_reports_with_and_without_coordinates(tmp_path):
    data = police(tmp_path, ["0100-00001-00001-20;02-01-2020;01-01-2020;1101;718900,5;6179500,25",
                             "0100-00001-00002-20;31-12-2020;;2201;;"])
    frame = loaders.load_police(data, codes())
    assert frame["year"].tolist() == [2020, 2020]
    assert frame["x"].iloc[0] == 718900.5 and pd.isna(frame["x"].iloc[1])
    assert frame["committed"].isna().tolist() == [False, True]
    assert frame["reported"].dt.month.tolist() == [1, 12]


@pytest.mark.parametrize("row, expected", [
    ("0100-00001-00001-20;02-01-2020;;9999;718900;6179500",
     "kolonne 'gerningskode': forventet en gerningskode fra config/offence_codes.csv"),
    ("0100-00001-00001-20;2020-01-02;;1101;718900;6179500",
     "kolonne 'anmeldt_dato': forventet en dato skrevet dd-mm-åååå (fundet '2020-01-02')"),
    ("0100-00001-00001-20;02-01-2020;;1101;12,57;55,68",
     "forventet meter i ETRS89 / UTM 32N (EPSG:25832); disse ligner grader"),
    ("0100-00001-00001-20;02-01-2020;;1101;6179500;718900", "x og y ser ud til at være byttet om"),
    ("0100-00001-00001-20;02-01-2020;;1101;718900;", "forventet begge koordinater eller ingen af dem"),
    ("0100-00001-00001-20;02-01-2020;;1101;500000;6300000",
     "forventet et sted inden for politikredsen"),
    ("100-1-1-20;02-01-2020;;1101;718900;6179500", "forventet et journalnummer som"),
    # the whole number has the mask's shape, not just its start (as on the fast path)
    ("0100-00001-00001-2020;02-01-2020;;1101;718900;6179500", "forventet et journalnummer som"),
    ("0100-00001-00001-20;02-01-2020;05-01-2020;1101;718900;6179500",
     "forventet en gerningsdato på eller før anmeldt_dato"),
])
def test_police_refuses_bad_rows(tmp_path, row, expected):
    with pytest.raises(DataError) as caught:
        loaders.load_police(police(tmp_path, [row]), codes(),
                            extent=(700000, 6150000, 745000, 6195000))
    assert "anmeldelser_2020.csv, række 2" in str(caught.value)
    assert expected in str(caught.value)


def test_police_journal_number_repeated_across_files(tmp_path):
    row = "0100-00001-00001-20;02-01-2020;;1101;718900;6179500"
    police(tmp_path, [row], "anmeldelser_2019.csv")
    police(tmp_path, [row], "anmeldelser_2020.csv")
    with pytest.raises(DataError, match="forventet hvert journalnummer i kun én fil"):
        loaders.load_police(tmp_path, codes())


def test_many_problems_of_one_kind_are_counted_though_not_all_listed(tmp_path):
    """30 late offence dates: the first 20 are listed, the message counts all 30."""
    rows = [f"0100-00001-{k:05d}-20;02-01-2020;05-01-2020;1101;718900;6179500"
            for k in range(1, 31)]
    with pytest.raises(DataError) as caught:
        loaders.load_police(police(tmp_path, rows), codes())
    message = str(caught.value)
    assert message.startswith("30 problemer i ")
    assert message.count("forventet en gerningsdato på eller før anmeldt_dato") == 20
    assert "række 21, kolonne 'gerningsdato'" in message and "række 22," not in message
    assert "; og 10 til af samme slags, ikke vist" in message


def test_overlapping_extracts_are_counted_and_named(tmp_path):
    rows = [f"0100-00001-{k:05d}-20;02-01-2020;;1101;718900;6179500" for k in range(1, 26)]
    police(tmp_path, rows, "anmeldelser_2020.csv")
    police(tmp_path, rows, "anmeldelser_2014-2020.csv")
    with pytest.raises(DataError) as caught:
        loaders.load_police(tmp_path, codes())
    message = str(caught.value)
    assert message.startswith("25 problemer i ")
    assert "(så mange: udtræk, hvis perioder overlapper? behold ét af dem)" in message
    assert "; og 5 til af samme slags, ikke vist" in message


def test_police_from_several_files_names_each_reports_file(tmp_path):
    police(tmp_path, ["0100-00001-00001-19;02-01-2019;;1101;718900;6179500",
                      "0100-00001-00002-19;03-01-2019;;1101;718900;6179500"],
           "anmeldelser_2019.csv")
    police(tmp_path, ["0100-00001-00001-20;02-01-2020;;2201;;"], "anmeldelser_2020.csv")
    frame = loaders.load_police(tmp_path, codes())
    assert frame["file"].tolist() == ["anmeldelser_2019.csv"] * 2 + ["anmeldelser_2020.csv"]
    assert frame["file"].cat.categories.tolist() == ["anmeldelser_2019.csv",
                                                     "anmeldelser_2020.csv"]
    assert frame["year"].tolist() == [2019, 2019, 2020]


def test_police_many_bad_rows_are_summarised(tmp_path):
    rows = [f"0100-00001-{i:05d}-20;02-01-2020;;1101;718900.5;6179500" for i in range(120)]
    with pytest.raises(DataError) as caught:
        loaders.load_police(police(tmp_path, rows), codes())
    assert "70 rækker mere af samme slags" in str(caught.value)
    assert "... og" in str(caught.value)  # the message itself stays readable


def test_offence_codes_from_config():
    frame = loaders.load_offence_codes("config/offence_codes.csv")
    assert frame["code"].is_unique
    assert frame.loc[frame["code"] == 1501, "table_2_group"].item() == "narkotika"
    assert not frame.loc[frame["code"] == 2201, "citizen_facing"].item()


def test_offence_codes_bad_flag(tmp_path):
    path = write(tmp_path / "codes.csv", [
        "gerningskode;tekst;sagsomraade;borgervendt;tabel1_gruppe;tabel2_gruppe",
        "1101;Indbrud;Indbrud;måske;indbrud;", "1101;Indbrud;Indbrud;ja;indbrud;tyveri"])
    with pytest.raises(DataError) as caught:
        loaders.load_offence_codes(path)
    message = str(caught.value)
    assert "række 2, kolonne 'borgervendt': forventet 'ja' eller 'nej' (fundet 'måske')" in message
    assert "række 3, kolonne 'tabel2_gruppe': forventet en af chikane" in message
    assert "række 3, kolonne 'gerningskode': forventet en værdi, der kun forekommer én gang" in message


def test_population(tmp_path):
    write(tmp_path / "population" / "befolkning.csv",
          ["aar;omraade;indbyggere", "2020;voldparken;3000", "2020;koebenhavn;632340"])
    frame = loaders.load_population(tmp_path, {"voldparken", "koebenhavn"})
    assert frame["population"].sum() == 635340
    write(tmp_path / "population" / "befolkning.csv",
          ["aar;omraade;indbyggere", "2020;voldparken;0", "2020;mars;12", "2020;mars;12"])
    with pytest.raises(DataError) as caught:
        loaders.load_population(tmp_path, {"voldparken"})
    message = str(caught.value)
    assert "række 2, kolonne 'indbyggere': forventet et indbyggertal over 0" in message
    assert "række 3, kolonne 'omraade': forventet koden for et delområde eller byen i geografien" in message


def feature(code, level, coords, district=None):
    return {"type": "Feature",
            "properties": {"code": code, "name": code.title(), "level": level,
                           "district": district},
            "geometry": {"type": "Polygon", "coordinates": [coords]}}


def square(x, y, size):
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def geojson(tmp_path, features, crs="urn:ogc:def:crs:EPSG::25832"):
    path = tmp_path / "geography" / "omraader.geojson"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection",
                                "crs": {"type": "name", "properties": {"name": crs}},
                                "features": features}))
    return tmp_path


def test_geography(tmp_path):
    data = geojson(tmp_path, [feature("city", "city", square(0, 0, 100)),
                              feature("d", "district", square(0, 0, 50)),
                              feature("a", "subarea", square(0, 0, 10), "d")])
    frame = loaders.load_geography(data)
    assert frame["code"].tolist() == ["city", "d", "a"]
    assert frame["geometry"].iloc[2].area == 100


@pytest.mark.parametrize("corner", [1e308, -1e300, 1e9])
@pytest.mark.parametrize("in_hole", [False, True])
def test_a_coordinate_no_place_has_is_refused_before_shapely_meets_it(tmp_path, corner,
                                                                      in_hole):
    ring = [[0, 0], [corner, 0], [10, 10], [0, 10], [0, 0]]   # (fuzzing: GEOS overflowed)
    odd = feature("a", "city", ring)
    if in_hole:   # a polygon's bounds leave its holes out
        odd["geometry"]["coordinates"] = [square(-50, -50, 200), ring]
    data = geojson(tmp_path, [feature("city", "city", square(0, 0, 100)), odd])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataError) as caught:
            loaders.load_geography(data)
    assert "feature 2, kolonne 'geometry'" in str(caught.value)
    assert f"koordinaten {corner:g}" in str(caught.value)


def test_geography_problems(tmp_path):
    bowtie = [[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]
    data = geojson(tmp_path, [feature("d", "district", square(0, 0, 50)),
                              feature("a", "subarea", square(0, 0, 10), "d"),
                              feature("b", "subarea", square(5, 5, 10), "d"),
                              feature("c", "subarea", bowtie, "nowhere")])
    with pytest.raises(DataError) as caught:
        loaders.load_geography(data)
    message = str(caught.value)
    assert "feature 4, kolonne 'geometry': forventet en gyldig polygon (fundet kanten krydser sig selv" \
        in message
    assert "feature 2, kolonne 'geometry': forventet delområder, der ikke overlapper " \
           "(fundet 'a' overlapper 'b', feature 3)" in message
    with pytest.raises(DataError, match="forventet et crs-medlem, der angiver urn:ogc:def:crs:EPSG::25832"):
        loaders.load_geography(geojson(tmp_path, [], crs="EPSG:4326"))


# --- which file is which source (sources.delivery) ---------------------------------------------

def test_two_files_for_one_survey_year_are_refused_naming_both(tmp_path):
    survey(tmp_path, GOOD)
    plain = tmp_path / "survey" / "tryghedsundersoegelse_2021.csv"
    (tmp_path / "survey" / "tryghedsundersoegelse_2021.csv.gz").write_bytes(
        gzip.compress(plain.read_bytes()))
    with pytest.raises(DataError, match=r"tryghedsundersoegelse_2021.csv: forventet én fil pr. "
                                        r"undersøgelsesår \(fundet også tryghedsundersoegelse_2021"
                                        r".csv.gz, som ville blive læst som det samme"):
        loaders.load_survey(tmp_path)


@pytest.mark.parametrize("names, expected", [
    (["anmeldelser_2020.csv", "anmeldelser_2020.csv.gz"], "fundet også anmeldelser_2020.csv.gz"),
    (["anmeldelser_2020.csv", "Anmeldelser_2020.CSV"], "fundet også anmeldelser_2020.csv"),
    (["ANMELDELSER_2020.csv"], "forventet et navn som anmeldelser_2014-2020.csv.gz \\(med små "
                               "bogstaver\\) \\(fundet ANMELDELSER_2020.csv; omdøb den"),
])
def test_police_extracts_whose_names_leave_a_doubt_are_refused(tmp_path, names, expected):
    for name in names:
        police(tmp_path, ["0100-00001-00001-20;01-02-2020;;1101;;"], name=name)
    with pytest.raises(DataError, match=expected):
        loaders.load_police(tmp_path)


@pytest.mark.parametrize("kind, said", [
    ("fifo", "en navngiven pipe"), ("folder", "en mappe"), ("dangling", "ikke peger på noget"),
    ("device", "en enhed")])
def test_a_source_name_on_something_that_is_no_file_is_refused(tmp_path, kind, said):
    """A named pipe (or /dev/zero) would be read for ever, a folder or broken link left out."""
    survey(tmp_path, GOOD)
    odd = tmp_path / "survey" / "tryghedsundersoegelse_2020.csv"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "folder":
        odd.mkdir()
    else:
        odd.symlink_to(tmp_path / "gone" if kind == "dangling" else "/dev/zero")
    with pytest.raises(DataError) as caught:
        loaders.load_survey(tmp_path)
    assert str(odd) in str(caught.value) and said in str(caught.value)
    assert not any(str(odd) in w for w in delivery.unexpected_files(tmp_path))


@pytest.mark.parametrize("kind, said", [("dangling", "en genvej (symbolsk link), der ikke"),
                                        ("loop", "en genvej (symbolsk link), der ikke"),
                                        ("file", "(fundet en fil)")])
def test_a_source_folder_that_is_no_folder_is_refused(tmp_path, kind, said):
    """A plan folder linked to nowhere gave a note saying the partnership has no plan."""
    folder = tmp_path / "plan"
    if kind == "file":
        folder.write_text("x")
    else:
        folder.symlink_to(tmp_path / "gone" if kind == "dangling" else "plan")
    with pytest.raises(DataError) as caught:
        loaders.plan_path(tmp_path, "tingbjerg-husum", 2021)
    assert f"{folder}: forventet en mappe" in str(caught.value) and said in str(caught.value)
    assert loaders.police_files(tmp_path / "nowhere") == []   # a folder not there: no files


def test_files_that_match_no_source_are_not_read_but_listed(tmp_path):
    police(tmp_path, ["0100-00001-00001-20;01-02-2020;;1101;;"])
    for name in ("anmeldelser_2020.csv.bak", "anmeldelser_2020 (1).csv"):
        police(tmp_path, ["not;a;report"], name=name)
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "tryghedsplan_tingbjerg-husum_2021 (1).xlsx").write_bytes(b"x")
    (tmp_path / "plan" / ".DS_Store").write_bytes(b"x")
    assert len(loaders.load_police(tmp_path)) == 1
    warnings = delivery.unexpected_files(tmp_path)
    assert [w.split(": ", 1)[0] for w in warnings] == [
        str(tmp_path / "police" / "anmeldelser_2020 (1).csv"),
        str(tmp_path / "police" / "anmeldelser_2020.csv.bak"),
        str(tmp_path / "plan" / "tryghedsplan_tingbjerg-husum_2021 (1).xlsx")]
    assert "er den en kopi af, eller skulle den være, anmeldelser_2020.csv?" in warnings[0]
    assert "skulle den være, tryghedsplan_tingbjerg-husum_2021.xlsx?" in warnings[2]
    assert delivery.unexpected_files("data/raw/example") == []


# --- what a reader cannot read is the data's fault, and said so ----------------------------------

def test_old_mac_line_ends_are_read_like_any_other(tmp_path):
    frame = loaders.load_survey(survey(tmp_path, GOOD, newline="\r"))
    assert frame["district"].tolist() == ["Brønshøj-Husum", "Valby"]


def test_a_field_too_long_to_read_names_its_line(tmp_path):
    survey(tmp_path, [GOOD[0], 'a2;2021;"Valby' + "x" * (1 << 20)])
    with pytest.raises(DataError, match=r"række 3: forventet felter adskilt af ';', én række pr. "
                                        r"linje \(fundet et felt på mere end 131072 tegn"):
        loaders.load_survey(tmp_path)


@pytest.mark.parametrize("edit, expected", [
    (lambda c: c["features"].append(None), r"feature 2: forventet en GeoJSON Feature .*fundet null"),
    (lambda c: c.update(crs="EPSG:25832"),
     r"kolonne 'crs': forventet et crs-medlem, der angiver .*fundet 'EPSG:25832'"),
    (lambda c: c["features"][0].update(properties=[1]),
     r"feature 1, kolonne 'properties': forventet en mapping"),
    (lambda c: c["features"][0]["properties"].update(district=["d"]),
     r"feature 1, kolonne 'district': forventet koden for en bydel eller null"),
    (lambda c: c.update(features=[[[[[[]]]]]] * 100),
     r"feature 1: forventet en GeoJSON Feature .*fundet \[\[\[\[...\]\]\]\]"),
])
def test_geojson_of_another_shape_is_named(tmp_path, edit, expected):
    geojson(tmp_path, [feature("city", "city", square(0, 0, 100))])
    path = tmp_path / "geography" / "omraader.geojson"
    collection = json.loads(path.read_text())
    edit(collection)
    path.write_text(json.dumps(collection))
    with pytest.raises(DataError, match=expected):
        loaders.load_geography(tmp_path)


def test_json_nested_too_deep_is_refused(tmp_path):
    path = geojson(tmp_path, []) / "geography" / "omraader.geojson"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(DataError, match="omraader.geojson: forventet gyldig GeoJSON .*indlejret for dybt"):
        loaders.load_geography(tmp_path)


def test_files_not_read_are_among_the_run_warnings(tmp_path):
    from tryghedlib.run import checks

    police(tmp_path, ["0100-00001-00001-20;01-02-2020;;1101;;"], name="anmeldelser_2020.csv.bak")
    warnings = checks.status_note_notices({"partnership": "tingbjerg-husum", "report_year": 2021,
                                           "config_dir": "config", "data_dir": str(tmp_path)})
    assert any("anmeldelser_2020.csv.bak: denne fil bliver ikke læst" in w for w in warnings)


def test_fuzz_findings_are_the_datas_fault(tmp_path):
    """What `make fuzz` found: a line end of CR alone among CRLF ones (the header's csv read
    raised csv.Error), a whole number too long for int64 (pandas raised TypeError), a date
    pandas cannot hold (OutOfBoundsDatetime)."""
    write(tmp_path / "survey" / "tryghedsundersoegelse_2021.csv", [SURVEY_HEAD + "\r" + GOOD[0],
                                                                   GOOD[1]], newline="\r\n")
    assert loaders.load_survey(tmp_path)["respondent_id"].tolist() == ["a1", "a2"]
    write(tmp_path / "population" / "befolkning.csv",
          ["aar;omraade;indbyggere", "2020;voldparken;99999999999999999999999"])
    with pytest.raises(DataError, match=r"række 2, kolonne 'indbyggere': forventet et helt tal "
                                        r"\(fundet '99999999999999999999999'\)"):
        loaders.load_population(tmp_path)
    # A date before nanoseconds begin (1677) broke pandas' conversion.
    police(tmp_path, ["0100-00001-00001-20;01-01-1677;;1101;;"])
    with pytest.raises(DataError, match=r"række 2, kolonne 'anmeldt_dato': forventet en dato skrevet "
                                        r"dd-mm-åååå \(fundet '01-01-1677'\)"):
        loaders.load_police(tmp_path)
