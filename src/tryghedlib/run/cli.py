"""The ``tryghed`` command: produce one status note, or many in a batch; list what there is.

    tryghed report --partnership tingbjerg-husum --year 2021
    tryghed batch --partnerships all --years 2020-2021 --workers 4
    tryghed list --data-dir data/raw

Each subcommand is one ``add_parser`` in :func:`build_parser` and one function taking the
parsed arguments and returning the exit code (``set_defaults(run=...)``).

Expected problems (bad data, config, parameters, an existing report) end with a short message
on stderr and exit code 1, without a traceback; usage errors exit with 2. Everything it prints is
Danish, argparse's own words too (:mod:`tryghedlib.run.danish_argparse`).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from pathlib import Path
from typing import Sequence

from tryghedlib.errors import ConfigError, DataError, TryghedError, described
from tryghedlib.run import interrupt
from tryghedlib.run.danish_argparse import DanishParser

DEFAULT_DATA_DIR = "data/raw/example"

#: The years a report may be asked for (as ``run.checks.check_request`` allows them): checked
#: while parsing, so ``--years 2019-9999999`` is refused instead of queueing millions of jobs.
FIRST_YEAR, LAST_YEAR = 1900, 2200

#: At most this many worker processes: each holds a kernel and the note's tables, and
#: ProcessPoolExecutor refuses more than 61 on Windows (in English).
MAX_WORKERS = 61


def parse_years(text: str) -> list[int]:
    """Years from ``2021``, ``2020-2022`` or ``2019,2021``.

    >>> parse_years("2020-2022")
    [2020, 2021, 2022]
    >>> parse_years("2019,2021")
    [2019, 2021]
    """
    years: list[int] = []
    for part in text.replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        try:
            span = range(int(first), int(last if dash else first) + 1)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"ugyldige år {text!r}: skriv f.eks. 2021, 2020-2022 eller 2019,2021") from None
        if not span:
            raise argparse.ArgumentTypeError(
                f"ugyldigt interval {part!r}: det første år ligger efter det sidste")
        if span[0] < FIRST_YEAR or span[-1] > LAST_YEAR:
            raise argparse.ArgumentTypeError(
                f"ugyldige år {part!r}: forventede årstal fra {FIRST_YEAR} til {LAST_YEAR}, "
                "f.eks. 2021 eller 2020-2022")
        years.extend(span)
    return list(dict.fromkeys(years))


def parse_parameter(text: str) -> tuple[str, str]:
    """``NAME=VALUE``, VALUE still as written (:func:`parameter_values` reads it).

    >>> parse_parameter("label=Amager Øst")
    ('label', 'Amager Øst')
    """
    name, equals, value = text.partition("=")
    if not equals or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"ugyldig parameter {text!r}: skriv NAVN=VÆRDI")
    return name, value


def parameter_values(pairs: list[tuple[str, str]], notebook: str | Path) -> dict[str, object]:
    """The ``-p`` values: as written for a parameter the notebook annotates ``str``, else read
    as JSON when they can be (numbers, true/false), else text. As JSON, ``-p
    case_number=2021.10`` printed 2021.1 in the header, and ``note_date=NaN`` printed nan.

    >>> parameter_values([("baseline_year", "2020"), ("label", "Amager Øst")], "none.ipynb")
    {'baseline_year': 2020, 'label': 'Amager Øst'}
    """
    from tryghedlib.run.checks import notebook_parameters

    kinds = (notebook_parameters(Path(notebook)) if pairs else None) or {}
    values: dict[str, object] = {}
    for name, text in pairs:
        try:
            values[name] = text if kinds.get(name) == "str" else json.loads(text)
        except ValueError:
            values[name] = text
    return values


def whole_number(text: str) -> int:
    """A whole number, e.g. ``2021`` (argparse's own message would name Python's ``int``).

    >>> whole_number("2021")
    2021
    """
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ugyldigt tal {text!r}: skriv et helt tal, "
                                         "f.eks. 2021") from None


def worker_count(text: str) -> int:
    """``--workers``: a whole number from 1 to :data:`MAX_WORKERS` (0 or -1 ran the batch
    one by one without a word).

    >>> worker_count("4")
    4
    """
    workers = whole_number(text)
    if not 1 <= workers <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"ugyldigt antal {text!r}: forventede et helt tal fra 1 "
                                         f"til {MAX_WORKERS}, f.eks. 2")
    return workers


def partnership_list(text: str) -> list[str]:
    """``--partnerships``: ids separated by commas (each once, spaces around it dropped), or
    ``all``; an empty item (``a,,b``) or an empty list is refused, not passed over.

    >>> partnership_list("norrebro, nordvest,norrebro")
    ['norrebro', 'nordvest']
    """
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise argparse.ArgumentTypeError(
            f"ugyldig liste {text!r}: forventede partnerskabers id'er adskilt af komma, "
            "f.eks. tingbjerg-husum,norrebro, eller all")
    if "all" in items and len(items) > 1:
        raise argparse.ArgumentTypeError(
            f"ugyldig liste {text!r}: all står for alle partnerskaber og kan ikke stå med andre")
    return list(dict.fromkeys(items))


def partnerships_in_config(config_dir: str | Path) -> list[str]:
    """Ids of all partnerships (:func:`~tryghedlib.config.list_partnerships`); none is an
    error."""
    from tryghedlib.config import list_partnerships

    names = list_partnerships(config_dir)
    if not names:
        raise TryghedError(f"Ingen partnerskaber: {Path(config_dir) / 'partnerships'} har "
                           "ingen .yaml-filer.")
    return names


def _shared_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default=DEFAULT_DATA_DIR, metavar="MAPPE",
                        help=f"mappe med de rå leverancer (standard: {DEFAULT_DATA_DIR})")
    parser.add_argument("--config-dir", default="config", metavar="MAPPE",
                        help="mappe med YAML-konfigurationen (standard: config)")
    parser.add_argument("--cache-dir", default="data/processed", metavar="MAPPE",
                        help="cache med behandlede tabeller; '' for ingen "
                             "(standard: data/processed)")
    parser.add_argument("--out", default="reports", dest="out_dir", metavar="MAPPE",
                        help="rodmappe for output; rapporter lægges i MAPPE/<år>/<partnerskab>/ "
                             "(standard: reports)")
    parser.add_argument("--notebook", default="notebooks/status_note.ipynb", metavar="FIL",
                        help="notesbogen, der køres (standard: notebooks/status_note.ipynb)")
    parser.add_argument("--force", action="store_true",
                        help="erstat en eksisterende rapport (den erstattes aldrig uden)")
    parser.add_argument("--format", default=("pdf",), type=parse_formats, dest="formats",
                        metavar="FORMAT",
                        help="pdf, eller pdf,html for et HTML-notat ved siden af PDF'en "
                             "(standard: pdf)")
    parser.add_argument("--keep-failed", action="store_true",
                        help="behold den midlertidige mappe fra en fejlet kørsel til eftersyn")
    parser.add_argument("-p", "--parameter", action="append", type=parse_parameter, default=[],
                        metavar="NAVN=VÆRDI",
                        help="ekstra parameter til notesbogen (kan gentages)")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="skriv mere (-v: trin og input, -vv: fejlsøgning)")


def parse_formats(text: str) -> tuple[str, ...]:
    """``pdf`` or ``pdf,html``: the PDF is always made, the HTML note beside it on request.

    >>> parse_formats("pdf,html")
    ('pdf', 'html')
    """
    formats = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",")))
    if "pdf" not in formats or not set(formats) <= {"pdf", "html"}:
        raise argparse.ArgumentTypeError(
            f"ugyldigt format {text!r}: brug pdf eller pdf,html (PDF'en laves altid)")
    return formats


EXAMPLES = {
    "tryghed": """eksempler:
  tryghed report --partnership tingbjerg-husum --year 2021 --data-dir data/raw
  tryghed batch --partnerships all --years 2020-2021 --data-dir data/raw
  tryghed list --data-dir data/raw
  tryghed --version""",
    "report": """eksempler:
  tryghed report --partnership tingbjerg-husum --year 2021 --data-dir data/raw
  tryghed report --partnership amager-oest --year 2021 --format pdf,html --force
  tryghed report --partnership norrebro --year 2021 -p note_date=2021-06-01 -v""",
    "batch": """eksempler:
  tryghed batch --partnerships all --years 2021 --data-dir data/raw --workers 4
  tryghed batch --partnerships tingbjerg-husum,norrebro --years 2019-2021 --format pdf,html""",
    "diff": """eksempler:
  tryghed diff reports/2020/norrebro reports/2021/norrebro
  tryghed diff reports/2021/norrebro old/2021/norrebro --json""",
    "check": """eksempler:
  tryghed check --data-dir data/raw""",
    "list": """eksempler:
  tryghed list
  tryghed list --data-dir data/raw --config-dir config""",
}


def _command(commands, name: str, run, help: str) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=help, epilog=EXAMPLES.get(name),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(run=run)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``tryghed``."""
    from tryghedlib.run.runlog import library_version

    parser = DanishParser(
        prog="tryghed",
        description="Statusnotater om tryghed og kriminalitet for Københavns "
                    "tryghedspartnerskaber.",
        epilog=EXAMPLES["tryghed"], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"tryghed {library_version()}",
                        help="vis programmets version og afslut")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    report = _command(commands, "report", _report,
                      help="lav ét partnerskabs notat for ét år")
    report.add_argument("--partnership", required=True, metavar="ID",
                        help="partnerskabets id, f.eks. tingbjerg-husum")
    report.add_argument("--year", required=True, type=whole_number, metavar="ÅR",
                        help="rapportår, f.eks. 2021")
    _shared_options(report)

    batch = _command(commands, "batch", _batch, help="lav mange notater parallelt")
    batch.add_argument("--partnerships", required=True, type=partnership_list, metavar="ID'ER",
                       help="id'er adskilt af komma, eller 'all' for alle filer i "
                            "MAPPE/partnerships")
    batch.add_argument("--years", required=True, type=parse_years, metavar="ÅR",
                       help="2021, 2020-2022 eller 2019,2021")
    batch.add_argument("--workers", type=worker_count, default=2, metavar="ANTAL",
                       help=f"rapporter, der laves samtidig, 1-{MAX_WORKERS} (standard: 2)")
    batch.add_argument("--no-progress", action="store_true", help="ingen statuslinje")
    _shared_options(batch)

    compare = _command(commands, "diff", _diff,
                       help="vis de tal, der er forskellige i to notater")
    compare.description = "Vis hvert tal, der er forskelligt i to notater, med begge værdier."
    compare.add_argument("a", metavar="A", help="rapportmappe eller kørt notesbog (.ipynb)")
    compare.add_argument("b", metavar="B",
                         help="rapportmappe eller kørt notesbog, der sammenlignes med A")
    compare.add_argument("--json", action="store_true", help="skriv ændringerne som JSON")

    check = _command(commands, "check", _check,
                     help="kontrollér en hel leverance (der laves intet notat)")
    check.add_argument("--data-dir", default=DEFAULT_DATA_DIR, metavar="MAPPE",
                       help="leverancens mappe")
    check.add_argument("--config-dir", default="config", metavar="MAPPE",
                       help="konfigurationen (standard: config)")
    check.add_argument("--cache-dir", default="data/processed", metavar="MAPPE",
                       help="cache; '' for ingen")
    check.add_argument("-v", "--verbose", action="count", default=0, help="skriv mere")

    listing = _command(commands, "list", _list,
                       help="partnerskaberne og deres perioder; med --data-dir årene, hver "
                            "kilde dækker")
    listing.add_argument("--config-dir", default="config", metavar="MAPPE",
                         help="mappe med YAML-konfigurationen (standard: config)")
    listing.add_argument("--data-dir", metavar="MAPPE",
                         help="en leverances mappe: vis årene for hver kilde")
    listing.add_argument("-v", "--verbose", action="count", default=0, help="skriv mere")
    return parser


#: Logging's level names as the analyst reads them.
LEVELS = {"DEBUG": "FEJLSØGNING", "INFO": "INFO", "WARNING": "ADVARSEL", "ERROR": "FEJL",
          "CRITICAL": "KRITISK"}


class _DanishLevels(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.levelname = LEVELS.get(record.levelname, record.levelname)
        return super().format(record)


def _configure_logging(verbose: int) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(_DanishLevels("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger("tryghedlib").setLevel(
        logging.DEBUG if verbose >= 2 else logging.INFO if verbose else logging.WARNING)
    logging.getLogger("papermill").setLevel(logging.INFO if verbose >= 2 else logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # one line per glyph table at INFO


def _say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def _report(args: argparse.Namespace) -> int:
    from tryghedlib.run.report import run_report

    print(f"Statusnotat {args.partnership} {args.year}", file=sys.stderr)
    paths = run_report(
        args.partnership, args.year, data_dir=args.data_dir, config_dir=args.config_dir,
        cache_dir=args.cache_dir or None,
        out_dir=args.out_dir, notebook=args.notebook, force=args.force,
        extra_parameters=parameter_values(args.parameter, args.notebook),
        progress=_say, keep_failed=args.keep_failed,
        formats=args.formats)
    print(f"PDF: {paths.pdf}")
    if "html" in args.formats:
        print(f"HTML: {paths.html}")
    return 0


def _batch(args: argparse.Namespace) -> int:
    from tryghedlib.run.batch import run_batch

    if args.partnerships == ["all"]:
        partnerships = partnerships_in_config(args.config_dir)
    else:
        partnerships = args.partnerships
    jobs = [(p, y) for y in args.years for p in partnerships]
    outcomes = run_batch(
        jobs, workers=args.workers, data_dir=args.data_dir, config_dir=args.config_dir,
        cache_dir=args.cache_dir or None,
        out_dir=args.out_dir, notebook=args.notebook, force=args.force,
        extra_parameters=parameter_values(args.parameter, args.notebook),
        keep_failed=args.keep_failed,
        show_progress=not args.no_progress, formats=args.formats)
    failed = [o for o in outcomes if not o.ok]  # each printed once, as it failed (run_batch)
    for outcome in outcomes:
        if outcome.ok:
            print(f"OK    {outcome.partnership} {outcome.year}: {outcome.paths.pdf}")
    print(f"{len(outcomes) - len(failed)} af {len(outcomes)} rapporter er lavet.",
          file=sys.stderr)
    return 1 if failed else 0


def _check(args: argparse.Namespace) -> int:
    from tryghedlib.run.check import check_delivery, summary
    from tryghedlib.run.checks import require_folders

    require_folders(Path(args.data_dir), Path(args.config_dir))
    found = check_delivery(args.data_dir, args.config_dir, args.cache_dir or None)
    print(summary(found, args.data_dir))
    return 0 if found.ok else 1


def _diff(args: argparse.Namespace) -> int:
    from tryghedlib.run import diff

    changes = diff.diff(diff.read_figures(args.a), diff.read_figures(args.b))
    print((diff.as_json if args.json else diff.as_text)(changes, args.a, args.b))
    return 0


def _list(args: argparse.Namespace) -> int:
    from tryghedlib.run.checks import require_folders
    from tryghedlib.run.listing import describe

    require_folders(args.data_dir and Path(args.data_dir), Path(args.config_dir))
    print(describe(args.config_dir, args.data_dir))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``tryghed``; returns the exit code.

    Every failure ends as one paragraph on stderr without a traceback (``-v``: with it) and
    exit code 1; 130 after Ctrl-C, 143 after SIGTERM (nothing published, see run.interrupt).
    """
    args = build_parser().parse_args(argv)
    _configure_logging(getattr(args, "verbose", 0))
    makes_reports = args.run in (_report, _batch)   # else no report is spoken of when it ends
    try:
        with interrupt.stoppable():
            return args.run(args)
    except TryghedError as error:
        from tryghedlib.run.steps import InputRefused

        print(f"tryghed: fejl: {error}", file=sys.stderr)
        # Refused inputs, before the kernel or in it: nothing was written.
        if isinstance(error, (DataError, ConfigError, InputRefused)):
            print("tryghed: " + ("ingen rapport er skrevet; " if makes_reports else "")
                  + "ret det, meddelelsen nævner, og kør igen.", file=sys.stderr)
        return 1
    except (interrupt.Interrupted, KeyboardInterrupt) as stop:
        code = getattr(stop, "exit_code", 130)
        what = "Ctrl-C" if code == 130 else "SIGTERM"
        print(f"tryghed: afbrudt ({what})." + (
            " Ingen rapport er offentliggjort, og kørslens midlertidige filer er fjernet."
            if makes_reports else ""), file=sys.stderr)
        return code
    except Exception as error:  # a bug or the machine (disk, permissions): one paragraph
        if getattr(args, "verbose", 0):   # diff has no -v
            traceback.print_exc()
        print(f"tryghed: fejl: {described(error)}. "
              + ("Ingen rapport er offentliggjort. " if makes_reports else "")
              + ("Kør igen med -v for at se hele forløbet; " if args.run is not _diff else "")
              + "skyldes fejlen ikke maskinen (disk, rettigheder), er det en fejl i tryghedlib.",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
