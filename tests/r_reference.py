"""Run R expressions through Rscript and read back their numeric values.

The reference values in test_significance.py were produced with this helper (R 4.2.2,
survey 4.1.1). To print them again, as Python, for every command in that file:

    .venv/bin/python tests/r_reference.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SEPARATOR = "=====END====="


def rscript_available() -> bool:
    return shutil.which("Rscript") is not None


def run_r(commands: list[str], timeout: float = 120) -> list[list[float]]:
    """Evaluate each R expression (in its own local scope) and return its values as floats.

    Values are printed with 17 significant digits, so they round-trip exactly; NA -> nan.
    """
    lines = ["suppressPackageStartupMessages(library(survey))"]
    for command in commands:
        lines.append(f"v <- local({{ {command} }})")
        lines.append('cat(sprintf("%.17g", unname(as.numeric(v))), sep = "\\n")')
        lines.append(f'cat("{SEPARATOR}\\n")')
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as script:
        script.write("\n".join(lines) + "\n")
    try:
        done = subprocess.run(
            ["Rscript", "--vanilla", script.name],
            capture_output=True, text=True, timeout=timeout, check=True,
        )
    finally:
        Path(script.name).unlink()
    blocks = done.stdout.split(SEPARATOR + "\n")[: len(commands)]
    return [[_number(v) for v in block.split()] for block in blocks]


def _number(text: str) -> float:
    return float("nan") if text in ("NA", "NaN") else float(text)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from test_significance import R_REF  # noqa: PLC0415 - only when run as a script

    names = list(R_REF)
    values = run_r([R_REF[name][0] for name in names])
    for name, vals in zip(names, values):
        print(f"    # R> {R_REF[name][0]}")
        print(f"    {name!r}: (")
        print(f"        {R_REF[name][0]!r},")
        print(f"        [{', '.join(repr(v) for v in vals)}],")
        print("    ),")


if __name__ == "__main__":
    main()
