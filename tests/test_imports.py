"""Modules a dependency would import for nothing stay out of the report's processes."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _fresh(code: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"}, check=True, cwd=ROOT)
    return result.stdout.split()


@pytest.mark.skipif(importlib.util.find_spec("hypothesis") is None, reason="hypothesis absent")
def test_validating_a_delivery_does_not_import_hypothesis_yet_leaves_it_importable():
    code = ("import sys, pytest; from tryghedlib import errors; from tryghedlib.sources import loaders; "
            "loaders.load_offence_codes('config/offence_codes.csv'); "
            "print('hypothesis' in sys.modules); "
            # pandera still validates, and still refuses, without its strategies
            "import pandas as pd, pandera.pandas as pa; from tryghedlib.sources import schemas; "
            "s = pa.DataFrameSchema({'x': pa.Column(int, pa.Check.ge(0))}); "
            "r = pytest.raises(errors.DataError, schemas.validate, s, "
            "pd.DataFrame({'x': [1, -1]}), 'f.csv', {'x': 'x'}); print(r.value.problems[0].row); "
            "import hypothesis; print(hypothesis.__name__)")
    assert _fresh(code) == ["False", "1", "hypothesis"]


def test_a_process_that_imported_the_module_keeps_it_whole():
    code = ("import sys, json; from tryghedlib.imports import without\n"
            "with without('json', 'not_imported_yet'): print(sys.modules['json'] is json)")
    assert _fresh(code) == ["True"]
