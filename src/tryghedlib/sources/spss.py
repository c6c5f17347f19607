"""A delivered SPSS file (``.sav``): its cases as a frame, and the value labels of its variables.

Codes are kept as delivered, user-missing ones too (a vendor's 8 = "Ved ikke" is often declared
missing in SPSS): ``config/sources.yaml`` says what each code or label means, so nothing is lost
before the mapping is applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tryghedlib.errors import DataError, Problem


@dataclass(frozen=True)
class SpssFile:
    """The cases (numbered from 1, as SPSS's Data View shows them) and the value labels."""

    frame: pd.DataFrame
    labels: dict[str, dict]    # variable -> {code: label}


def read_sav(path: str | Path) -> SpssFile:
    path = Path(path)
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, "at filen findes")])
    import pyreadstat  # only a delivery in SPSS format needs it
    try:
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as err:  # pyreadstat raises its own ReadstatError and others
        raise DataError([Problem(str(path), None, None, "en SPSS-datafil (.sav)",
                                 f"en fil, der ikke kan læses som SPSS-data ({type(err).__name__})")]) from None
    frame = frame.astype(object).where(frame.notna(), None)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return SpssFile(frame, dict(meta.variable_value_labels))
