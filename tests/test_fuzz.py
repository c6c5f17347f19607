"""Fuzzing every reader of a delivery and of the configuration.

Each test takes a valid file (a small cut of the example delivery, or the configuration),
breaks it at random (bytes flipped, inserted, deleted or repeated, the file cut off, fields or
JSON/YAML values replaced, another encoding) and reads it with the reader the report uses. The
only outcomes allowed: the file is read, or a DataError/ConfigError whose message names the file
-- never another exception ("This is an error in tryghedlib"), and never over a time limit.

``make test`` runs a few examples per reader; ``make fuzz`` (``HYPOTHESIS_PROFILE=fuzz``) runs
many, for about ten minutes in all. Hypothesis keeps the failures it found in
``.hypothesis/`` and tries them first the next time.
"""

from __future__ import annotations

import contextlib
import copy
import gzip
import io
import json
import os
import shutil
import signal
import tempfile
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings, strategies as st

from tryghedlib.config import load_partnership, load_settings
from tryghedlib.errors import ConfigError, DataError
from tryghedlib.sources import loaders

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example"

# make test's examples are the same on every run (a CI failure can be reproduced, and a new
# finding comes from make fuzz, not from a random CI run); make fuzz explores afresh.
settings.register_profile("fuzz-quick", max_examples=8, deadline=timedelta(seconds=15),
                          derandomize=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=2600, deadline=timedelta(seconds=15),
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = "fuzz" if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else "fuzz-quick"
FUZZ = settings(settings.get_profile(PROFILE))
# A library's warning (numpy's overflow in GEOS, openpyxl's date cells) would reach the
# analyst's stderr in English: a reader must leave none, so a warning fails the test.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning", "error::UserWarning")
#: No reader may take longer than this on a file of these sizes (seconds; the machine is shared).
TIME_LIMIT = 30


# --- mutations -------------------------------------------------------------------------------

TOKENS = [b";", b'"', b"\r", b"\n", b"\r\n", b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf", b",",
          b"\t", b" ", b"[", b"]", b"{", b"}", b":", b"- ", b"&a ", b"*a", b"!!python/object ",
          b"0", b"-1", b"1e400", b"99999999999999999999999", b"nan", b"\xc3\xb8", b"=SUM(A1)"]


@st.composite
def byte_edit(draw, data: bytes) -> bytes:
    """One edit of the bytes: flip, insert, delete, repeat or cut off."""
    size = len(data)
    at = draw(st.integers(0, size))
    kind = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "cut", "token"]))
    if kind == "flip" and at < size:
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    if kind == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if kind == "token":
        token = draw(st.sampled_from(TOKENS)) * draw(st.sampled_from([1, 1, 2, 1000, 200_000]))
        return data[:at] + token + data[at:]
    if kind == "delete":
        return data[:at] + data[at + draw(st.integers(1, 200)):]
    if kind == "repeat":
        span = data[at:at + draw(st.integers(1, 400))]
        return data[:at] + span * draw(st.integers(2, 50)) + data[at:]
    return data[:at]


@st.composite
def reencoded(draw, data: bytes) -> bytes:
    """The text in another encoding (or line ends), as another program might save it."""
    text = data.decode("utf-8", errors="replace")
    kind = draw(st.sampled_from(["cp1252", "utf-16", "utf-8-sig", "latin-1", "cr", "crlf"]))
    if kind == "cr":
        return text.replace("\r\n", "\n").replace("\n", "\r").encode("utf-8")
    if kind == "crlf":
        return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
    return text.encode(kind, errors="replace")


FIELD_VALUES = ["", " ", "x", "-1", "0", "1,5", "1.5", "1e400", "99999999999999999999999",
                "nan", "inf", "2021", "31-02-2021", "01-01-1677", "01-01-2300", '"', '"a;b"',
                "ø" * 3, "x" * 200_000, "0100-00000-00000-00", "Meget utryg", "Ja", "nej"]


@st.composite
def field_edit(draw, data: bytes) -> bytes:
    """A field of a ``;``-separated line replaced, or a line duplicated, dropped or padded."""
    lines = data.split(b"\n")
    number = draw(st.integers(0, len(lines) - 1))
    fields = lines[number].split(b";")
    kind = draw(st.sampled_from(["field", "field", "duplicate", "drop", "extra", "fewer"]))
    if kind == "field":
        fields[draw(st.integers(0, len(fields) - 1))] = draw(
            st.sampled_from(FIELD_VALUES)).encode("utf-8")
    elif kind == "duplicate":
        lines.insert(number, lines[number])
    elif kind == "drop":
        del lines[number]
        return b"\n".join(lines)
    elif kind == "extra":
        fields.append(b"x")
    else:
        fields = fields[:-1]
    lines[number] = b";".join(fields)
    return b"\n".join(lines)


def csv_mutations(data: bytes):
    """One to three edits of bytes, fields or encoding, one after the other."""
    def edit(current: bytes):
        return st.one_of(byte_edit(current), field_edit(current), reencoded(current))

    def chain(steps: int):
        strategy = st.just(data)
        for _ in range(steps):
            strategy = strategy.flatmap(edit)
        return strategy

    return st.integers(1, 3).flatmap(chain)


# A JSON or YAML value replaced by another: the structure breaks where the reader trusts it.
ODD_VALUES = st.sampled_from([None, [], {}, "", "x", 0, -1, 1e308, True, [None], {"a": None},
                              "EPSG:25832", [[[[[]]]]], "$\\foo$", 10**30])


@st.composite
def tree_edit(draw, value):
    """``value`` (parsed JSON/YAML) with one node replaced, deleted or duplicated."""
    def nodes(node, path=()):
        yield path
        if isinstance(node, dict):
            for key, child in node.items():
                yield from nodes(child, (*path, key))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                yield from nodes(child, (*path, index))

    paths = list(nodes(value))
    path = draw(st.sampled_from(paths[1:] or paths))
    value = copy.deepcopy(value)
    if not path:
        return draw(ODD_VALUES)
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    kind = draw(st.sampled_from(["replace", "replace", "delete", "duplicate"]))
    if kind == "delete":
        del parent[path[-1]]
    elif kind == "duplicate" and isinstance(parent, list):
        parent.append(parent[path[-1]])
    else:
        parent[path[-1]] = draw(ODD_VALUES)
    return value


# --- the outcome every test checks ----------------------------------------------------------

@contextlib.contextmanager
def time_limit(seconds: int):
    def expired(*_):
        raise TimeoutError(f"a reader took more than {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_or_refuse(read, path: Path, errors=(DataError,)) -> None:
    """``read()`` succeeds, or raises one of ``errors`` naming ``path``'s file."""
    try:
        with time_limit(TIME_LIMIT):
            read()
    except errors as error:
        assert path.name in str(error), f"the message does not name {path.name}:\n{error}"


@contextlib.contextmanager
def folder():
    with tempfile.TemporaryDirectory(prefix="fuzz_") as name:
        yield Path(name)


def put(root: Path, relative: str, data: bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def head(path: Path, lines: int) -> bytes:
    """The first lines of a delivered (maybe compressed) file: a small valid file."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return b"".join(io.BytesIO(data).readlines()[:lines])


SURVEY = head(EXAMPLE / "survey" / "tryghedsundersoegelse_2021.csv", 120)
POLICE = head(EXAMPLE / "police" / "anmeldelser_2014-2020.csv.gz", 200)
POPULATION = (EXAMPLE / "population" / "befolkning.csv").read_bytes()
PUBLISHED = (EXAMPLE / "survey" / "publicerede_andele.csv").read_bytes()
CODES = (ROOT / "config" / "offence_codes.csv").read_bytes()
GEOGRAPHY = (EXAMPLE / "geography" / "omraader.geojson").read_bytes()
PLAN = EXAMPLE / "plan" / "tryghedsplan_tingbjerg-husum_2021.xlsx"
SETTINGS = (ROOT / "config" / "settings.yaml").read_bytes()
PARTNERSHIP = (ROOT / "config" / "partnerships" / "tingbjerg-husum.yaml").read_bytes()
EXTENT = (700000, 6150000, 745000, 6195000)
#: A header of 200,000 empty column names: found by ``make fuzz``, when finding the names given
#: twice took time quadratic in the number of columns (26 s for this 400 kB file).
WIDE = b";" * 200_000
#: A quote opened in the header and never closed, with a field longer than the csv module's
#: limit after it (make fuzz: the careful reader skipped the header outside its error handling).
def open_quote(seed: bytes) -> bytes:
    return b'"' + seed + b"x" * 200_000



def test_the_seeds_are_valid():
    """Every fuzz test starts from a file its reader accepts (else it would test nothing)."""
    with folder() as root:
        put(root, "survey/tryghedsundersoegelse_2021.csv", SURVEY)
        put(root, "police/anmeldelser_2020.csv", POLICE)
        put(root, "population/befolkning.csv", POPULATION)
        put(root, "survey/publicerede_andele.csv", PUBLISHED)
        put(root, "geography/omraader.geojson", GEOGRAPHY)
        codes = loaders.load_offence_codes(put(root, "codes.csv", CODES))
        assert len(loaders.load_survey(root, [2021])) == 119
        assert len(loaders.load_police(root, codes, extent=EXTENT)) == 199
        assert len(loaders.load_population(root)) and len(loaders.load_geography(root))
        assert len(loaders.load_published_aggregates(root))
        assert len(loaders.load_safety_plan(PLAN).lines)


# --- deliveries ------------------------------------------------------------------------------

@FUZZ
@given(data=csv_mutations(SURVEY))
@example(data=WIDE + SURVEY)
@example(data=open_quote(SURVEY))
def test_fuzz_survey(data):
    with folder() as root:
        path = put(root, "survey/tryghedsundersoegelse_2021.csv", data)
        read_or_refuse(lambda: loaders.load_survey(root, [2021]), path)


@FUZZ
@given(data=csv_mutations(POLICE), compressed=st.booleans(), compress_first=st.booleans())
@example(data=WIDE + POLICE, compressed=False, compress_first=False)
@example(data=open_quote(POLICE), compressed=False, compress_first=False)
def test_fuzz_police(data, compressed, compress_first):
    codes = loaders.load_offence_codes(ROOT / "config" / "offence_codes.csv")
    with folder() as root:
        if compressed:
            # Broken before compression (a bad row) or after (a damaged .gz file).
            packed = gzip.compress(data if compress_first else POLICE, mtime=0)
            if not compress_first:
                packed = packed[: max(len(packed) * len(data) // max(len(POLICE), 1), 1)]
            path = put(root, "police/anmeldelser_2020.csv.gz", packed)
        else:
            path = put(root, "police/anmeldelser_2020.csv", data)
        read_or_refuse(lambda: loaders.load_police(root, codes, extent=EXTENT), path)


@FUZZ
@given(data=csv_mutations(POPULATION))
@example(data=WIDE + POPULATION)
@example(data=open_quote(POPULATION))
def test_fuzz_population(data):
    with folder() as root:
        path = put(root, "population/befolkning.csv", data)
        read_or_refuse(lambda: loaders.load_population(root, {"koebenhavn", "voldparken"}), path)


@FUZZ
@given(data=csv_mutations(PUBLISHED))
@example(data=WIDE + PUBLISHED)
@example(data=open_quote(PUBLISHED))
def test_fuzz_published_shares(data):
    with folder() as root:
        path = put(root, "survey/publicerede_andele.csv", data)
        read_or_refuse(lambda: loaders.load_published_aggregates(root), path)


@FUZZ
@given(data=csv_mutations(CODES))
@example(data=WIDE + CODES)
@example(data=open_quote(CODES))
def test_fuzz_offence_codes(data):
    with folder() as root:
        path = put(root, "offence_codes.csv", data)
        read_or_refuse(lambda: loaders.load_offence_codes(path), path)


def json_mutations(data: bytes):
    tree = tree_edit(json.loads(data)).map(lambda v: json.dumps(v).encode("utf-8"))
    return st.one_of(tree, tree.flatmap(byte_edit), byte_edit(data), reencoded(data),
                     st.integers(1, 200_000).map(lambda n: b"[" * n + b"]" * n))


@FUZZ
@given(data=json_mutations(GEOGRAPHY))
def test_fuzz_geography(data):
    with folder() as root:
        path = put(root, "geography/omraader.geojson", data)
        read_or_refuse(lambda: loaders.load_geography(root), path)


CELL_VALUES = st.one_of(st.sampled_from([None, "", " ", "Aktivitet", "Drift", "x;y", "=A1+1",
                                         "=SUM(F2:F9)", 0, -1, 1.5, 10**15, 10**30, 1e308,
                                         "#REF!", "Finansiering 2021", "Nr."]),
                        st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                        st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
                        st.datetimes())


@st.composite
def workbook_edit(draw, book):
    """An edit of the safety plan: a cell set, rows deleted or added, a sheet renamed."""
    sheet = book[draw(st.sampled_from(book.sheetnames))]
    kind = draw(st.sampled_from(["cell", "cell", "cell", "delete", "append", "rename"]))
    row = draw(st.integers(1, sheet.max_row + 1))
    if kind == "cell":
        sheet.cell(row, draw(st.integers(1, sheet.max_column + 1))).value = draw(CELL_VALUES)
    elif kind == "delete":
        sheet.delete_rows(row, draw(st.integers(1, 40)))
    elif kind == "append":
        sheet.append([draw(CELL_VALUES) for _ in range(sheet.max_column)])
    else:
        sheet.title = draw(st.sampled_from(["Plan", "Tryghedsplan ", "Midtvejsstatus"]))
    return book


@FUZZ
@given(edits=st.data(), raw=st.booleans())
def test_fuzz_safety_plan(edits, raw):
    with folder() as root:
        path = root / "tryghedsplan_tingbjerg-husum_2021.xlsx"
        if raw:  # the workbook's bytes (a damaged zip) or its cells
            path.write_bytes(edits.draw(byte_edit(PLAN.read_bytes())))
        else:
            book = openpyxl.load_workbook(PLAN)
            for _ in range(edits.draw(st.integers(1, 4))):
                book = edits.draw(workbook_edit(book))
            with contextlib.suppress(ValueError):  # openpyxl refuses some texts itself
                book.save(path)
            if not path.exists():
                return
        read_or_refuse(lambda: loaders.load_safety_plan(path), path)


# --- configuration ---------------------------------------------------------------------------

def yaml_mutations(data: bytes):
    tree = tree_edit(yaml.safe_load(data)).map(
        lambda v: yaml.safe_dump(v, allow_unicode=True).encode("utf-8"))
    return st.one_of(tree, tree, byte_edit(data), byte_edit(data), reencoded(data),
                     st.sampled_from([b"a: &a [1, 1]\nb: &b [*a, *a]\nc: [*b, *b]\n",
                                      b"x: " + b"[" * 100_000, b"alpha: 1\nalpha: 2\n"]))


@FUZZ
@given(data=yaml_mutations(SETTINGS))
def test_fuzz_settings(data):
    with folder() as root:
        path = put(root, "settings.yaml", data)
        read_or_refuse(lambda: load_settings(root), path, (ConfigError,))


@FUZZ
@given(data=yaml_mutations(PARTNERSHIP), year=st.sampled_from([2014, 2019, 2021, 2024]))
def test_fuzz_partnership(data, year):
    with folder() as root:
        path = put(root, "partnerships/tingbjerg-husum.yaml", data)

        def read():
            config = load_partnership("tingbjerg-husum", root)
            config.for_year(year).texts(year)
            config.area_change_year(year)

        read_or_refuse(read, path, (ConfigError,))


@pytest.mark.parametrize("name", ["settings.yaml", "tingbjerg-husum.yaml"])
def test_the_config_seeds_are_valid(name):
    with folder() as root:
        shutil.copytree(ROOT / "config", root, dirs_exist_ok=True)
        assert load_settings(root).alpha and load_partnership("tingbjerg-husum", root).periods
