"""``python -m tryghedlib.example [--out DIR] [--seed N]``: write the synthetic example data."""

from __future__ import annotations

import argparse
import sys
import time

from tryghedlib.example import DEFAULT_OUT, SEED, TargetsMissed, check_targets, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tryghedlib.example", description=__doc__)
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output directory "
                        f"(default {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        files = generate(args.out, seed=args.seed, check=False)
        results = check_targets(args.out)
    except TargetsMissed as err:
        print(err, file=sys.stderr)
        return 1
    police = results["police"]
    print(f"wrote {len(files)} files to {args.out} in {time.perf_counter() - start:.1f} s; "
          f"{police['rows']} police reports; the 2021 note's figures are reproduced.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
