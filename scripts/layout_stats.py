"""Layout statistics of a real page next to composed pages, as a markdown table.

    python scripts/layout_stats.py [--seed-page PAGE.txt] [--pages composed.jsonl | --n 200 --seed 0]

Composed pages are read from ``--pages`` or composed on the spot (``--n``,
``--seed``, ``--split``, ``--noise``; no entities, so it runs without the
pre-annotator). The composed columns are the median and the 10th-90th percentile
range over pages of each per-page figure (``model.compose.layout_stats``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from model.compose import DEFAULT_NOISE, _quantile, compose_pages, layout_stats
from model.data import read_pages

DEFAULT_SEED_PAGE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_3c26ed271553d5f2.txt"

ROWS = [
    ("characters", "characters per page", 0),
    ("lines", "lines per page", 0),
    ("line_len_median", "line length, median", 1),
    ("line_len_p10", "line length, p10", 1),
    ("line_len_p90", "line length, p90", 1),
    ("blank_line_share", "blank lines / lines", 3),
    ("short_line_share", "short lines (< 0.6 median) / non-blank", 3),
    ("sentence_end_line_share", "lines ending a sentence / non-blank", 3),
    ("digit_line_start_share", "lines starting with a digit / non-blank", 3),
    ("space_digit_line_end_share", "lines ending in ' 32' (space-digits) / non-blank", 3),
    ("indented_line_share", "indented lines / non-blank", 3),
    ("spaces_before_digits_per_1k", "spaces before digit runs per 1000 chars", 2),
    ("spaces_after_digits_per_1k", "spaces after digit runs per 1000 chars", 2),
    ("spaces_around_latin_per_1k", "spaces around Latin runs per 1000 chars", 2),
    ("headline_line_share", "headline lines / non-blank (labelled pages)", 3),
    ("articles", "articles per page", 1),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed-page", type=Path, default=DEFAULT_SEED_PAGE, help="a real page, plain text")
    ap.add_argument("--pages", type=Path, help="composed pages (JSONL); default: compose --n pages now")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--split", default="train", choices=["train", "dev"])
    ap.add_argument("--noise", type=float, default=DEFAULT_NOISE)
    args = ap.parse_args(argv)

    if not args.seed_page.is_file():
        print(f"error: {args.seed_page}: no such file", file=sys.stderr)
        return 1
    real = layout_stats(args.seed_page.read_text(encoding="utf-8"))
    if args.pages:
        pages = read_pages(args.pages)
        source = f"{len(pages)} pages from {args.pages}"
    else:
        pages = list(compose_pages(args.n, args.seed, args.split, args.noise, annotate=False))
        source = f"{args.n} pages composed (split {args.split}, seed {args.seed}, noise {args.noise})"
    stats = [layout_stats(p.text, p.articles) for p in pages]

    print("| figure | seed page | composed: median | composed: p10–p90 |")
    print("|---|---:|---:|---:|")
    for key, label, digits in ROWS:
        vals = [s[key] for s in stats if key in s]
        seed = f"{real[key]:.{digits}f}" if key in real else "n/a"
        if vals:
            med = f"{_quantile(vals, 0.5):.{digits}f}"
            rng = f"{_quantile(vals, 0.1):.{digits}f}–{_quantile(vals, 0.9):.{digits}f}"
        else:
            med = rng = "n/a"
        print(f"| {label} | {seed} | {med} | {rng} |")
    print(f"\nComposed: {source}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
