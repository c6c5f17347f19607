"""What an analyst edits each year: partnerships, their areas per period, targets and settings.

Everything lives in YAML files under ``config/``; this module reads them into frozen dataclasses
and refuses a file that does not say what it must, naming the file and the key.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from tryghedlib.errors import ConfigError, brief as _shown


# What a period may set for itself (a new partnership agreement brings new aims and baselines);
# a key it does not set is taken from the top of the file.
TERMS = ("description", "area_change_note", "survey_baseline_year", "crime_baseline_year",
         "aims", "plan_description", "targets")
#: What a year's entry under ``notes`` may give: the header's fields, the police's comment on
#: the crime year (printed after tabel 2) and the period the plan's midterm status covers.
NOTE_KEYS = ("date", "case_number", "document_number", "case_officer", "police_comment",
             "plan_period")
#: The rules a crime target can be judged by; the note tests "hold" (the count may not rise
#: above the baseline year's) and knows no other, so any other word would be printed as the
#: target while "hold" was tested.
CRIME_RULES = ("hold",)
TARGET_KEYS = ("crime_rule", "table_1_groups", "table_2_groups", "cooperation_min_partners",
               "cooperation_min_share")
PARTNERSHIP_KEYS = ("id", "name", "district", "periods", "notes", *TERMS)
SETTINGS_KEYS = ("first_survey_year", "alpha", "p_adjust", "disclosure", "city", "report_month",
                 "police_extent", "sender")
DISCLOSURE_KEYS = ("min_count", "min_respondents")
#: The header's fields and the notebook parameters that give them in place of the config.
HEADER_PARAMETERS = {"date": "note_date", "case_number": "case_number",
                     "document_number": "document_number", "case_officer": "case_officer"}


@dataclass(frozen=True)
class Aim:
    """One aim of the partnership agreement: its text, optionally points listed under it and a
    paragraph after them."""

    text: str
    points: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Period:
    """The sub-areas that form a partnership from ``first_year`` to ``last_year`` (inclusive),
    and the terms (aims, baselines, targets) agreed for those years where they differ from the
    file's defaults."""

    first_year: int
    last_year: int
    subareas: tuple[str, ...]
    terms: tuple[tuple[str, object], ...] = ()

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@dataclass(frozen=True)
class Targets:
    crime_rule: str
    table_1_groups: tuple[str, ...]
    table_2_groups: tuple[str, ...]
    cooperation_min_partners: int
    cooperation_min_share: float


@dataclass(frozen=True)
class Partnership:
    id: str
    name: str
    district: str
    periods: tuple[Period, ...]
    description: str
    area_change_note: str
    survey_baseline_year: int
    crime_baseline_year: int
    aims: tuple[Aim, ...]
    plan_description: str
    targets: Targets
    source: str
    notes: dict[int, dict[str, str]]

    def for_year(self, year: int) -> Partnership:
        """The partnership with the aims, baselines and targets of the period covering ``year``."""
        return replace(self, **dict(self.period(year).terms))

    def texts(self, year: int) -> dict[str, str]:
        """What the config gives for ``year``'s note (keys of NOTE_KEYS)."""
        return dict(self.notes.get(year, {}))

    def header_gaps(self, year: int, parameters: dict) -> list[str]:
        """The header fields that neither the config nor the notebook parameters give."""
        given = self.texts(year)
        return [field for field, parameter in HEADER_PARAMETERS.items()
                if not (parameters.get(parameter) or given.get(field))]

    def period(self, year: int) -> Period:
        """The period whose area applies in ``year``.

        Years before the first period use the first period's area (the survey measured the area
        before the partnership existed); years after the last period are refused, because the
        area is then not decided yet.
        """
        if year < self.periods[0].first_year:
            return self.periods[0]
        for period in self.periods:
            if period.covers(year):
                return period
        last = self.periods[-1].last_year
        raise ConfigError(
            f"{self.source}: parameteren year {year} ligger efter den sidste periode for "
            f"partnerskabet '{self.id}' (som slutter {last}); tilføj en periode under 'periods', "
            f"der dækker {year}."
        )

    def subareas(self, year: int) -> tuple[str, ...]:
        """Sub-area codes forming the partnership in ``year``."""
        return self.period(year).subareas

    def area_changed(self, year_a: int, year_b: int) -> bool:
        """Whether the partnership covered different sub-areas in the two years."""
        return set(self.subareas(year_a)) != set(self.subareas(year_b))

    def area_change_year(self, until: int) -> int | None:
        """The last year up to ``until`` in which the area differs from the year before."""
        changes = [p.first_year for p in self.periods[1:]
                   if p.first_year <= until and self.area_changed(p.first_year - 1, p.first_year)]
        return changes[-1] if changes else None


@dataclass(frozen=True)
class Settings:
    first_survey_year: int
    alpha: float
    p_adjust: str
    min_count: int
    min_respondents: int
    city: str
    report_month: str
    sender: tuple[tuple[str, ...], ...]
    police_extent: tuple[float, float, float, float]
    source: str


#: Config files are a few kilobytes; a larger one is refused before it is parsed (PyYAML reads
#: about a megabyte a second), and so is nesting deeper than any config file needs.
MAX_CONFIG_BYTES = 1 << 20
MAX_DEPTH = 20
#: The years a config file may name.
YEARS = (1990, 2100)


class _Refused(yaml.MarkedYAMLError):
    """What a config file may not hold although it is valid YAML, at its place in the file."""


class _Loader(yaml.SafeLoader):
    """YAML's safe loader without what could make a config file mean something else than it
    seems, or hang: a key given twice in one mapping (the last would win silently), aliases
    (nested ones expand to billions of values) and deep nesting (the parser recurses)."""

    depth = 0

    def increase_flow_level(self):
        # The scanner's cost grows with the square of the depth of [ and {: stop it early.
        if self.flow_level >= MAX_DEPTH:
            raise _Refused(problem=f"højst {MAX_DEPTH} niveauer af indlejring",
                           problem_mark=self.get_mark())
        super().increase_flow_level()

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(problem=f"en værdi skrevet helt ud, ikke et alias (*{event.anchor}): "
                           "konfigurationsfiler må ikke bruge aliasser",
                           problem_mark=event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise _Refused(problem=f"højst {MAX_DEPTH} niveauer af indlejring",
                           problem_mark=event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):
        lines: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = lines.get(key)
            except TypeError:
                continue  # an unhashable key: the safe loader refuses it below
            if first is not None:
                raise _Refused(problem=f"nøglen {_shown(key)} kun én gang i denne mapping (fundet "
                               f"også i linje {first}); behold én af dem",
                               problem_mark=key_node.start_mark)
            lines[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise _Refused(problem=f"en gyldig dato (fundet {node.value!r})",
                           problem_mark=node.start_mark) from None

    # YAML 1.1 reads 0012 as 10 (octal), 12:30 as 750 and 1_000 as 1000, and yes, no, on and
    # off as booleans: a case number or an answer code would silently become another value.
    def construct_yaml_int(self, node):
        value = super().construct_yaml_int(node)
        if not re.fullmatch(r"[-+]?(0|[1-9][0-9]*)", node.value):
            raise _Refused(problem=f"et helt tal skrevet med cifre alene (fundet {node.value}, "
                           f"som YAML læser som {value}); skriv '{node.value}' i anførselstegn, "
                           "hvis det er en tekst", problem_mark=node.start_mark)
        return value

    def construct_yaml_bool(self, node):
        value = super().construct_yaml_bool(node)
        if node.value.lower() not in ("true", "false"):
            raise _Refused(problem=f"true eller false (fundet {node.value}, som YAML læser som "
                           f"{str(value).lower()}); skriv '{node.value}' i anførselstegn, hvis "
                           "det er en tekst", problem_mark=node.start_mark)
        return value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:bool", _Loader.construct_yaml_bool)


#: Python types as a message names them.
_KINDS = {int: "et helt tal", float: "et tal", str: "en tekst", bool: "true eller false",
          list: "en liste", dict: "en mapping (nøgler med værdier)"}

#: PyYAML's problems in Danish, by the start of its English text (the rest is dropped: a
#: message is shown in one language).
_YAML_PROBLEMS = {
    "found character '\\t'": "tabulator, hvor YAML ikke tillader den",
    "found character": "et tegn, der ikke kan stå her",
    "mapping values are not allowed": "et kolon, der ikke er tilladt her",
    "could not find expected ':'": "der mangler et kolon",
    "expected <block end>": "indrykningen passer ikke med linjerne før",
    "expected ',' or ']'": "der mangler et komma eller en ]",
    "expected ',' or '}'": "der mangler et komma eller en }",
    "found unhashable key": "en nøgle, der ikke kan være en nøgle",
    "found undefined alias": "et alias, der ikke er defineret",
    "found unexpected end of stream": "filen slutter midt i en værdi",
    "expected the node content": "en værdi mangler",
    "found unknown escape character": "en ukendt escape-sekvens",
}


def _yaml_problem(err: Exception) -> str:
    """What PyYAML found wrong, in Danish."""
    problem = str(getattr(err, "problem", None) or err)
    return next((danish for english, danish in _YAML_PROBLEMS.items()
                 if problem.startswith(english)), "YAML-læseren kunne ikke læse filen her")


def _key(key: object) -> str:
    """A key for a message, without quotes, shortened."""
    return _shown(str(key))[1:-1]


def read_yaml(path: Path, *, empty: bool = False) -> dict:
    """A config file's top-level mapping; :class:`ConfigError` naming the file, the line and
    the key for anything that is not plain YAML a config file needs (see :class:`_Loader`).
    ``empty``: a file without any value is an empty mapping (else it is refused)."""
    if not path.is_file():
        raise ConfigError(f"{path}: filen findes ikke.")
    size = path.stat().st_size
    if size > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: forventet en konfigurationsfil på højst {MAX_CONFIG_BYTES} "
                          f"byte (fundet {size} byte).")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ConfigError(f"{path}, linje {line}: forventet tekst kodet som UTF-8 (fundet byte "
                          f"0x{raw[err.start]:02x}); gem filen som UTF-8.") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader
    except _Refused as err:
        mark = err.problem_mark
        raise ConfigError(f"{path}, linje {mark.line + 1}, kolonne {mark.column + 1}: forventet "
                          f"{err.problem}.") from None
    except (yaml.YAMLError, ValueError, OverflowError) as err:
        mark = getattr(err, "problem_mark", None)
        where = f", linje {mark.line + 1}, kolonne {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: ikke gyldig YAML ({_yaml_problem(err)}; ryk ind med "
                          f"mellemrum, aldrig med tabulator).") from None
    if data is None and empty:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: forventet nøgler med værdier (en mapping) øverst i filen.")
    return data


def _get(data: dict, key: str, kind: type | tuple[type, ...], path: Path):
    if key not in data:
        raise ConfigError(f"{path}: nøglen '{key}' mangler.")
    value = data[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        kinds = kind if isinstance(kind, tuple) else (kind,)
        name = " eller ".join(_KINDS.get(k, k.__name__) for k in kinds)
        raise ConfigError(f"{path}, nøgle '{key}': forventet {name} (fundet {_shown(value)}).")
    return value


def _only_known(data: dict, known: tuple[str, ...], path: Path, within: str = "") -> None:
    """Refuse a key not in ``known``: a misspelt optional key (``plan_descripton``) would
    otherwise be ignored, and the note made without what it says. ``within``: the mapping's
    own key, for nested ones."""
    for key in data:
        if key not in known:
            near = difflib.get_close_matches(str(key), known, n=1)
            hint = f" (mente du '{near[0]}'?)" if near else ""
            raise ConfigError(f"{path}: ukendt nøgle '{within}{_key(key)}'{hint}; forventet en "
                              f"af {', '.join(repr(k) for k in known)}.")


def _number(data: dict, key: str, kind: type, path: Path, low: float, high: float,
            expected: str, *, name: str = ""):
    """A number of ``kind`` from ``low`` to ``high`` (inclusive); ``expected`` says what it is,
    ``name`` the key's full name where it is nested."""
    value = _get(data, key, kind, path)
    if not (math.isfinite(value) and low <= value <= high):
        raise ConfigError(f"{path}, nøgle '{name or key}': forventet {expected} (fundet "
                          f"{_shown(value)}).")
    return value


def _year(data: dict, key: str, path: Path) -> int:
    low, high = YEARS
    return _number(data, key, int, path, low, high, f"et årstal fra {low} til {high}")


def _texts(data: dict, key: str, path: Path, *, empty: bool = False) -> tuple[str, ...]:
    """A list of texts (numbers are taken as texts, e.g. a sub-area code 1)."""
    values = _get(data, key, list, path)
    if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values) or (
            not values and not empty):
        raise ConfigError(f"{path}, nøgle '{key}': forventet en liste af tekster, f.eks. [a, b] "
                          f"(fundet {_shown(values)}).")
    return tuple(str(v) for v in values)


def _terms(data: dict, path: Path) -> dict[str, object]:
    """The TERMS of a partnership, read from ``data`` (the file's top or a merged period)."""
    t = _get(data, "targets", dict, path)
    _only_known(t, TARGET_KEYS, path, "targets.")
    if _get(t, "crime_rule", str, path) not in CRIME_RULES:
        raise ConfigError(f"{path}, nøgle 'targets.crime_rule': forventet "
                          f"{' eller '.join(map(repr, CRIME_RULES))} (fundet "
                          f"{_shown(t['crime_rule'])}).")
    return {
        "description": _get(data, "description", str, path),
        "area_change_note": str(data.get("area_change_note") or ""),
        "survey_baseline_year": _year(data, "survey_baseline_year", path),
        "crime_baseline_year": _year(data, "crime_baseline_year", path),
        "aims": tuple(_aim(aim, path, number)
                      for number, aim in enumerate(_get(data, "aims", list, path), start=1)),
        "plan_description": str(data.get("plan_description") or "").strip(),
        "targets": Targets(
            crime_rule=_get(t, "crime_rule", str, path),
            table_1_groups=_texts(t, "table_1_groups", path, empty=True),
            table_2_groups=_texts(t, "table_2_groups", path, empty=True),
            cooperation_min_partners=_number(t, "cooperation_min_partners", int, path, 1, 1000,
                                             "et antal partnere, 1 eller flere"),
            cooperation_min_share=_number(t, "cooperation_min_share", float, path, 0, 1,
                                          "en andel mellem 0 og 1, f.eks. 0.75 for 75 %"),
        ),
    }


def _aim(raw: object, path: Path, number: int) -> Aim:
    """An aim written as text, or as a mapping with text, points and note."""
    if isinstance(raw, str):
        return Aim(raw.strip())
    expected = (f"{path}, nøgle 'aims', mål {number}: forventet en tekst eller en mapping med "
                f"'text' og eventuelt 'points' (en liste af tekster) og 'note'")
    if not isinstance(raw, dict) or set(raw) - {"text", "points", "note"}:
        raise ConfigError(f"{expected} (fundet {_shown(raw)}).")
    points, note = raw.get("points") or [], raw.get("note") or ""
    if not (isinstance(raw.get("text"), str) and isinstance(points, list)
            and all(isinstance(p, str) for p in points) and isinstance(note, str)):
        raise ConfigError(f"{expected} (fundet {_shown(raw)}).")
    return Aim(raw["text"].strip(), tuple(p.strip() for p in points), note.strip())


def _notes(data: dict, path: Path) -> dict[int, dict[str, str]]:
    """The ``notes`` mapping: year -> texts for that year's note (NOTE_KEYS)."""
    raw = data.get("notes") or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}, nøgle 'notes': forventet årstal med hvert års tekster til "
                          f"notatet (fundet {_shown(raw)}).")
    notes = {}
    for year, texts in raw.items():
        if not isinstance(year, int) or not isinstance(texts or {}, dict):
            raise ConfigError(f"{path}, nøgle 'notes': forventet et årstal (f.eks. 2021) med nogle "
                              f"af {', '.join(NOTE_KEYS)} (fundet {_shown(year)}: "
                              f"{_shown(texts)}).")
        unknown = [k for k in texts or {} if k not in NOTE_KEYS]
        if unknown:
            raise ConfigError(f"{path}: nøglen 'notes.{year}.{_key(unknown[0])}' er ukendt; et års "
                              f"notat kan angive {', '.join(NOTE_KEYS)}.")
        for key, value in (texts or {}).items():
            if isinstance(value, (list, dict)):
                raise ConfigError(f"{path}, nøgle 'notes.{year}.{key}': forventet en tekst "
                                  f"(fundet {_shown(value)}).")
        notes[year] = {k: str(v).strip() for k, v in (texts or {}).items() if v is not None}
    return notes


def _period(raw: object, path: Path, index: int, top: dict, defaults: dict) -> Period:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}, periods[{index}]: forventet en mapping med first_year, "
                          f"last_year og subareas.")
    where = Path(f"{path} periods[{index}]")
    unknown = [k for k in raw if k not in {"first_year", "last_year", "subareas", *TERMS}]
    if unknown:
        raise ConfigError(f"{where}: ukendt nøgle '{_key(unknown[0])}'; en periode har "
                          f"first_year, last_year, subareas og eventuelt {', '.join(TERMS)}.")
    first, last = _year(raw, "first_year", where), _year(raw, "last_year", where)
    subareas = _texts(raw, "subareas", where)
    if first > last:
        raise ConfigError(f"{where}: forventet first_year <= last_year og mindst ét delområde.")
    merged = {**top, **raw}
    if isinstance(raw.get("targets"), dict) and isinstance(top.get("targets"), dict):
        merged["targets"] = {**top["targets"], **raw["targets"]}
    own = _terms(merged, where) if set(raw) & set(TERMS) else defaults
    terms = tuple((k, v) for k, v in own.items() if v != defaults[k])
    return Period(first, last, subareas, terms)


def partnership_path(config_dir: str | Path, partnership: str) -> Path:
    return Path(config_dir) / "partnerships" / f"{partnership}.yaml"


def list_partnerships(config_dir: str | Path = "config") -> list[str]:
    """Ids of the partnerships configured under ``config_dir/partnerships``."""
    return sorted(p.stem for p in (Path(config_dir) / "partnerships").glob("*.yaml"))


def load_partnership(partnership: str, config_dir: str | Path = "config") -> Partnership:
    """Read ``config/partnerships/<partnership>.yaml``."""
    path = partnership_path(config_dir, partnership)
    if not path.is_file():
        known = ", ".join(list_partnerships(config_dir)) or "ingen"
        raise ConfigError(f"parameteren partnership: ukendt partnerskab '{partnership}' "
                          f"(ingen fil {path}); konfigurerede partnerskaber: {known}.")
    data = read_yaml(path)
    _only_known(data, PARTNERSHIP_KEYS, path)
    defaults = _terms(data, path)
    raw_periods = _get(data, "periods", list, path)
    if not raw_periods:
        raise ConfigError(f"{path}, nøgle 'periods': forventet mindst én periode.")
    periods = tuple(sorted((_period(p, path, i, data, defaults)
                            for i, p in enumerate(raw_periods)), key=lambda p: p.first_year))
    for before, after in zip(periods, periods[1:]):
        if after.first_year <= before.last_year:
            raise ConfigError(f"{path}, nøgle 'periods': perioderne overlapper ({before.first_year}-"
                              f"{before.last_year} og {after.first_year}-{after.last_year}); "
                              f"forventet hvert år i kun én periode.")
    if _get(data, "id", str, path) != partnership:
        raise ConfigError(f"{path}, nøgle 'id': forventet '{partnership}' (filens navn).")
    return Partnership(
        id=partnership,
        name=_get(data, "name", str, path),
        district=_get(data, "district", str, path),
        periods=periods,
        **defaults,
        source=str(path),
        notes=_notes(data, path),
    )


def header_notices(parameters: dict) -> list[str]:
    """Among the status note's ``notices`` (:func:`tryghedlib.run.checks.status_note_notices`): a
    warning when its header would print without a date or case numbers (a draft may)."""
    config = load_partnership(parameters["partnership"], parameters["config_dir"])
    year = int(parameters["report_year"])
    gaps = config.header_gaps(year, parameters)
    if not gaps:
        return []
    return [f"Notatets hoved mangler {', '.join(gaps)}: angiv dem under 'notes: {year}:' i "
            f"{config.source} eller som parametre (-p note_date=..., -p case_number=...)."]


def load_settings(config_dir: str | Path = "config") -> Settings:
    """Read ``config/settings.yaml``."""
    path = Path(config_dir) / "settings.yaml"
    data = read_yaml(path)
    _only_known(data, SETTINGS_KEYS, path)
    disclosure = _get(data, "disclosure", dict, path)
    _only_known(disclosure, DISCLOSURE_KEYS, path, "disclosure.")
    extent = _get(data, "police_extent", list, path)
    if not (len(extent) == 4
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                    for v in extent)
            and extent[0] < extent[2] and extent[1] < extent[3]):
        raise ConfigError(f"{path}, nøgle 'police_extent': forventet [min_x, min_y, max_x, max_y] "
                          f"i meter (EPSG:25832) (fundet {_shown(extent)}).")
    p_adjust = _get(data, "p_adjust", str, path)
    if p_adjust not in {"none", "holm"}:
        raise ConfigError(f"{path}, nøgle 'p_adjust': forventet 'none' eller 'holm' (fundet "
                          f"{_shown(p_adjust)}).")
    alpha = _get(data, "alpha", float, path)
    if not 0 < alpha < 1:
        raise ConfigError(f"{path}, nøgle 'alpha': forventet et signifikansniveau mellem 0 og 1, "
                          f"f.eks. 0.05 (fundet {alpha!r}).")
    for key in ("min_count", "min_respondents"):
        _number(disclosure, key, int, path, 0, 10**9, "0 eller flere", name=f"disclosure.{key}")
    sender = data.get("sender") or []
    if not (isinstance(sender, list) and all(
            isinstance(block, list) and all(isinstance(line, (str, int, float)) for line in block)
            for block in sender)):
        raise ConfigError(f"{path}, nøgle 'sender': forventet en liste af blokke, hver en liste "
                          f"af linjer (fundet {_shown(sender)}).")
    return Settings(
        first_survey_year=_year(data, "first_survey_year", path),
        alpha=alpha,
        p_adjust=p_adjust,
        min_count=_get(disclosure, "min_count", int, path),
        min_respondents=_get(disclosure, "min_respondents", int, path),
        city=_get(data, "city", str, path),
        report_month=_get(data, "report_month", str, path),
        sender=tuple(tuple(str(line) for line in block) for block in sender),
        police_extent=tuple(float(v) for v in extent),
        source=str(path),
    )
