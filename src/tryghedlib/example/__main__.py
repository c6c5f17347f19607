"""``python -m tryghedlib.example [--out DIR] [--seed N]``: write the synthetic example data.

``--vendor --out DIR [--from DIR]`` writes the example delivery (default ``data/raw/example``)
in vendor form instead: SPSS survey, Excel police extract and population, and the
``sources.yaml`` that maps them to the contract (``tryghedlib.example.vendor``).
"""

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
    parser.add_argument("--vendor", action="store_true", help="write the example delivery "
                        "in vendor form (SPSS, Excel) with its sources.yaml")
    parser.add_argument("--from", dest="source", default=str(DEFAULT_OUT),
                        help=f"with --vendor: the delivery to convert (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    if args.vendor:
        if args.out == str(DEFAULT_OUT):
            parser.error("--vendor needs --out DIR (another folder than the example's)")
        from tryghedlib.example.vendor import write_vendor
        files = write_vendor(args.out, args.source)
        print(f"wrote {len(files)} files to {args.out} in vendor form; map them with "
              f"{args.out}/sources.yaml (copy it to config/sources.yaml)")
        return 0
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
