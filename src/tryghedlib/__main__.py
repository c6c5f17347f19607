"""``python -m tryghedlib``: the same as the ``tryghed`` command."""

import sys

from tryghedlib.run.cli import main

if __name__ == "__main__":
    sys.exit(main())
