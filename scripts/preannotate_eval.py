"""Score the rule pre-annotator against gold pages: per-type precision, recall and F1 (exact spans).

    python scripts/preannotate_eval.py data/gold/seed.jsonl [more.jsonl ...] [--errors] [--no-articles]

Spans match only when start, end and type are all equal. The gold articles are
given to the rules (as they are when composed pages are pre-annotated), unless
``--no-articles``. ``--errors`` lists every missed and every spurious span with
a little context, which is what to read before changing a rule.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.data import read_pages  # noqa: E402
from model.preannotate import preannotate  # noqa: E402
from model.schema import ENTITY_TYPES  # noqa: E402


def _context(text: str, s: int, e: int, width: int = 8) -> str:
    return (text[max(0, s - width):s] + "[" + text[s:e] + "]" + text[e:e + width]).replace("\n", "⏎")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path, help="gold JSONL file(s)")
    ap.add_argument("--errors", action="store_true", help="list missed and spurious spans")
    ap.add_argument("--no-articles", action="store_true", help="ignore the gold articles (page scope)")
    args = ap.parse_args(argv)

    pages = read_pages(args.files)
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    errors: list[str] = []
    for page in pages:
        gold = {(e.start, e.end, e.type) for e in page.entities}
        pred = {(e.start, e.end, e.type) for e in preannotate(page.text, None if args.no_articles else page.articles)}
        for _, _, t in gold:
            n_gold[t] += 1
        for _, _, t in pred:
            n_pred[t] += 1
        for _, _, t in gold & pred:
            tp[t] += 1
        for s, e, t in sorted(gold - pred):
            errors.append(f"{page.id}\tmissed  \t{t:8}\t{_context(page.text, s, e)}")
        for s, e, t in sorted(pred - gold):
            errors.append(f"{page.id}\tspurious\t{t:8}\t{_context(page.text, s, e)}")

    def row(name: str, a: int, p: int, g: int) -> str:
        prec = a / p if p else 0.0
        rec = a / g if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return f"{name:10} {prec:9.3f} {rec:9.3f} {f1:9.3f} {a:6d} {p:6d} {g:6d}"

    print(f"{len(pages)} page(s), articles {'ignored' if args.no_articles else 'from gold'}")
    print(f"{'type':10} {'precision':>9} {'recall':>9} {'f1':>9} {'tp':>6} {'pred':>6} {'gold':>6}")
    for t in ENTITY_TYPES:
        print(row(t, tp[t], n_pred[t], n_gold[t]))
    print(row("micro", sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())))
    if args.errors:
        print()
        print("\n".join(errors) if errors else "no errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
