"""The significance level, checked once for every user: plain Python, so that the light parts
of the package (the CLI's number formats in ``note.wording``) need not import NumPy or SciPy."""

from __future__ import annotations

from numbers import Real

__all__ = ["check_alpha"]


def check_alpha(alpha) -> float:
    """``alpha`` as a float, if it is a significance level strictly between 0 and 1.

    A level of 5 (meant as 5 %) or -1 would make every or no result significant, silently.

    >>> check_alpha(0.05)
    0.05
    """
    if isinstance(alpha, bool) or not isinstance(alpha, Real):
        raise ValueError(f"alpha: forventet et tal mellem 0 og 1 som 0.05 (fundet {alpha!r})")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha: forventet et tal mellem 0 og 1 (5 % er 0.05) (fundet {alpha!r})")
    return float(alpha)
