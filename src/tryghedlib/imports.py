"""Keeping out modules that a dependency imports when installed but tryghedlib never uses.

Some packages import an optional module at first use only because it is installed, and pay
for it in every process: jsonschema imports ``rfc3987_syntax`` (a jupyterlab dependency that
compiles a grammar, 1.5-2 s) for format checkers notebook validation never uses, and pandera
imports ``hypothesis`` (a test dependency, 0.15 s) for data synthesis the loaders never use.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without(name: str, importer: str) -> Iterator[None]:
    """Make ``import name`` fail while ``importer`` is imported for the first time.

    ``importer`` then takes its own fallback for the missing optional module; ``name`` stays
    importable afterwards for anything else. When either is imported already this does
    nothing, so a process that uses ``name`` itself (say, the test suite) keeps it whole.

    >>> import sys
    >>> with without("not_a_real_module", "neither_is_this"):
    ...     sys.modules["not_a_real_module"] is None
    True
    >>> "not_a_real_module" in sys.modules
    False
    """
    if importer in sys.modules or name in sys.modules:
        yield
        return
    sys.modules[name] = None  # type: ignore[assignment]  # makes its import fail
    try:
        yield
    finally:
        if sys.modules.get(name, 0) is None:
            del sys.modules[name]
