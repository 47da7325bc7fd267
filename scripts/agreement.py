"""Inter-annotator agreement: entity F1 between two independent passes over the same pages.

    python scripts/agreement.py data/gold/pass1-sample.jsonl data/gold/pass2-sample.jsonl

Exact-span agreement per type (F1 is symmetric: either pass can be the reference),
plus the article spans. Only pages present in both files are compared.
"""
import argparse
import sys

from model.data import read_pages
from model.schema import ENTITY_TYPES


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("first")
    ap.add_argument("second")
    args = ap.parse_args(argv)
    a = {p.id: p for p in read_pages(args.first)}
    b = {p.id: p for p in read_pages(args.second)}
    ids = sorted(set(a) & set(b))
    if not ids:
        ap.error("the two files share no page id")
    for i in ids:
        if a[i].text != b[i].text:
            ap.error(f"page {i}: the texts differ; both passes must label the same text")
    print(f"{len(ids)} pages, {sum(len(a[i].text) for i in ids)} characters\n")
    print("| type | first | second | both | F1 |\n|---|---|---|---|---|")
    for t in [*ENTITY_TYPES, None]:
        sa = {(i, e.start, e.end) for i in ids for e in a[i].entities if t is None or e.type == t}
        sb = {(i, e.start, e.end) for i in ids for e in b[i].entities if t is None or e.type == t}
        if t is None:
            sa = {(i, e.start, e.end, e.type) for i in ids for e in a[i].entities}
            sb = {(i, e.start, e.end, e.type) for i in ids for e in b[i].entities}
        both = len(sa & sb)
        f1 = 2 * both / (len(sa) + len(sb)) if sa or sb else 1.0
        print(f"| {t or '**all (type must match)**'} | {len(sa)} | {len(sb)} | {both} | {f1:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
