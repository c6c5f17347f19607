"""English words in a message the analyst reads: every message the tool prints is Danish.

Technical names stay as they are (file and folder names, column names, YAML keys, options,
values quoted in the message), so they are cut away before the words are looked at: anything
quoted, and any token holding what a Danish word never does (``/ _ = < >``, a digit, a dot or
a dash inside it, a leading dash).
The words are common English ones that are no Danish words (``problem``, ``at``, ``for`` and
``to`` are Danish too, so they are not among them; nor are the subcommands' names, ``check``,
``list``, ``report``, and the value ``all``).
"""

from __future__ import annotations

import re

WORDS = frozenset("""
    a an the and or of is are was were be been being not no none with without from into by
    on in this that these those which who what when where here there than then also only
    each every any more most least above below before after between
    expected found file files row rows column columns problems missing must should would
    could can cannot may shall will has have had does do did
    usage options optional arguments error errors warning required invalid unknown
    show help exit default folder name named value values number line lines key keys text
    blank empty header sheet sheets cell cells please use give get keep remove add
    """.split())

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|«[^»\n]*»")
_TECHNICAL = re.compile(r"[/\\_=<>\d\[\]{}*]|\w[.-]\w|^\W*-")
_WORD = re.compile(r"[A-Za-zÆØÅæøå]+")


def english_words(text: str) -> list[str]:
    """The English words of ``text`` (empty when it is all Danish), in order.

    >>> english_words("data.csv, række 2, kolonne 'vaegt': forventet et helt tal")
    []
    >>> english_words("data.csv, row 2, column 'vaegt': expected a whole number")
    ['row', 'column', 'expected', 'a', 'number']
    """
    tokens = _QUOTED.sub(" ", text).split()
    plain = " ".join(t for t in tokens if not _TECHNICAL.search(t))
    return [w for w in _WORD.findall(plain) if w.lower() in WORDS and w != "A"]  # A: a metavar
