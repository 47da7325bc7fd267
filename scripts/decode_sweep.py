"""Decoding settings against labelled pages: how the split penalties move the scores.

    python scripts/decode_sweep.py model/default data/gold/dev.jsonl [--strides 128 192 224 256] [--rule-bias 0 2 6]

The model reads every page once; each penalty setting then only decodes again.
One setting varies at a time, the others stay at the model's own values. With
``--strides``, the pages are read again at each window stride (inference only;
the model was trained at its own). Choose on gold-dev, never on gold-test; a
model's config.json can carry the chosen penalties under "baokan"
(``split_penalty``, ``zone_split_penalty``) and the rule bias (``rule_bias``).
"""
from __future__ import annotations

import argparse
import sys

from tqdm.auto import tqdm

from model.data import read_pages
from model.evaluate import score_pages
from model.features import rule_tags
from model.predict import Predictor, apply_rule_bias


def sweep(model: str, files: list[str], zone: list[float], entity: list[float], strides: list[int] = (),
          precision: str = "auto", rule_biases: list[float] = ()) -> list[dict[str, float | str]]:
    """One row per setting: which one, its value, entity micro F1, article span and start F1."""
    pages = read_pages(files)
    p = Predictor(model, precision=precision)
    bad = [st for st in strides if not 1 <= st <= p.window]
    if bad:
        raise SystemExit(f"--strides: {bad} not between 1 and the window size {p.window}")
    encs = [p.encoder.encode(pg.text) for pg in pages]
    own_bias, p.rule_bias = p.rule_bias, 0.0  # pages are read unbiased; each row applies its bias
    rules = [rule_tags(pg.text, enc) for pg, enc in zip(pages, encs)] if rule_biases or own_bias else []

    def read() -> list:
        return [lp for i in tqdm(range(0, len(encs), 8), desc=f"reading pages (stride {p.stride})", unit="batch")
                for lp in p.page_logprobs(encs[i:i + 8], [pg.text for pg in pages[i:i + 8]])]

    def row(name: str, value: float, logprobs: list, bias: float | None = None) -> dict[str, float | str]:
        bias = own_bias if bias is None else bias
        if bias:
            logprobs = [(z, apply_rule_bias(t, r, bias)) for (z, t), r in zip(logprobs, rules)]
        preds = [p.page_prediction(pg.text, enc, z, t) for pg, enc, (z, t) in zip(pages, encs, logprobs)]
        r = score_pages(pages, [(q.articles, [e for e, _ in q.entities]) for q in preds], p.encoder)
        return {"setting": name, "value": float(value), "entity_f1": r["entities"]["micro avg"]["f1-score"],
                "span_f1": r["articles"]["span"]["f1"], "start_f1": r["articles"]["start"]["f1"]}

    logprobs = read()
    rows = []
    for name, values in (("zone_split_penalty", zone), ("split_penalty", entity)):
        keep = getattr(p, name)
        for v in values:
            setattr(p, name, float(v))
            rows.append(row(name, v, logprobs))
        setattr(p, name, keep)
    for b in rule_biases:
        rows.append(row("rule_bias", b, logprobs, bias=b))
    keep = p.stride
    for st in strides:
        p.stride = st
        rows.append(row("stride", st, read()))
    p.stride = keep
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--zone", type=float, nargs="+", default=[0, 1, 2, 4], help="zone split penalties to try")
    ap.add_argument("--entity", type=float, nargs="+", default=[0, 2, 4], help="entity split penalties to try")
    ap.add_argument("--strides", type=int, nargs="*", default=[], help="window strides to try (reads the pages again for each)")
    ap.add_argument("--rule-bias", type=float, nargs="*", default=[], help="rule biases to try (nats; 0 is the tagger alone)")
    ap.add_argument("--precision", default="auto")
    args = ap.parse_args(argv)
    if any(b < 0 for b in args.rule_bias):
        ap.error(f"--rule-bias: values must be >= 0, got {args.rule_bias}")
    print("| setting | value | entity micro F1 | article span F1 | article start F1 |\n|---|---|---|---|---|")
    for r in sweep(args.model, args.files, args.zone, args.entity, args.strides, args.precision, args.rule_bias):
        print(f"| {r['setting']} | {r['value']:g} | {r['entity_f1']:.3f} | {r['span_f1']:.3f} | {r['start_f1']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
