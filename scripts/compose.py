"""Compose training pages from the article corpus: ``python scripts/compose.py --n 1000 -o data/composed.jsonl``.

A thin wrapper around ``model.compose.compose_to_file``; see ``data/README.md``
("Composed pages") for what the pages look like.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from model.compose import DEFAULT_NOISE, compose_to_file


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Compose labelled training pages from real articles.")
    ap.add_argument("--n", type=int, required=True, help="number of pages")
    ap.add_argument("--seed", type=int, default=0, help="random seed (same seed, same pages)")
    ap.add_argument("--split", default="train", help="corpus split: train or dev (test is reserved)")
    ap.add_argument("--noise", type=float, default=DEFAULT_NOISE,
                    help=f"OCR slips per character on an average page (default {DEFAULT_NOISE})")
    ap.add_argument("--no-entities", action="store_true", help="skip the pre-annotator (pages without entities)")
    ap.add_argument("-o", "--output", type=Path, required=True, help="output JSONL")
    ap.add_argument("--force", action="store_true", help="overwrite the output file")
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    args = ap.parse_args(argv)
    try:
        count = compose_to_file(args.output, args.n, args.seed, args.split, args.noise,
                                annotate=not args.no_entities, force=args.force, progress=not args.quiet)
    except (FileExistsError, ValueError, RuntimeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{count} page(s) → {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
