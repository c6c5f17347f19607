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
        raise ValueError(f"alpha must be a number between 0 and 1 such as 0.05, got {alpha!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1 (5 % is 0.05), got {alpha!r}")
    return float(alpha)
