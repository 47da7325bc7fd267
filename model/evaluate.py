"""Evaluation against labelled pages: seqeval reports for entities and zones, article figures.

Predictions are scored as the user gets them, after decoding: predicted spans
are turned back into tags over the same tokens as the gold spans, and seqeval
compares them strictly (IOB2, entity level). Articles are scored as spans
(exact match, whitespace at the edges ignored), by their start, and with Pk
and WindowDiff over lines (nltk's implementations).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from .data import Article, Page, read_pages
from .errors import article_error_kinds, error_table
from .schema import ENTITY_LABELS, ZONE_LABELS
from .spans import page_spans, spans_to_tags, trim
from .textmap import CharEncoder


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": n_gold}


def _line_boundaries(text: str, starts: list[int]) -> str:
    """One character per line: '1' where an article starts on that line."""
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    marks = ["0"] * len(line_starts)
    import bisect

    for s in starts:
        marks[bisect.bisect_right(line_starts, s) - 1] = "1"
    return "".join(marks)


def article_metrics(pages: Sequence[Page], predicted: Sequence[Sequence[Article]]) -> dict[str, Any]:
    from nltk.metrics.segmentation import pk, windowdiff

    tp = n_pred = n_gold = 0
    stp = 0
    pk_vals, wd_vals = [], []
    for page, arts in zip(pages, predicted):
        gold = {trim(page.text, a.start, a.end) for a in page.articles}
        pred = {trim(page.text, a.start, a.end) for a in arts}
        tp += len(gold & pred)
        n_pred += len(pred)
        n_gold += len(gold)
        stp += len({s for s, _ in gold} & {s for s, _ in pred})
        ref = _line_boundaries(page.text, [s for s, _ in gold])
        hyp = _line_boundaries(page.text, [s for s, _ in pred])
        if len(ref) > 2:
            # k: half the mean reference segment length, the usual choice.
            k = max(2, round(len(ref) / (2 * max(1, ref.count("1")))))
            k = min(k, len(ref) - 1)
            pk_vals.append(pk(ref, hyp, k=k, boundary="1"))
            wd_vals.append(windowdiff(ref, hyp, k, boundary="1"))
    return {
        "span": _prf(tp, n_pred, n_gold),
        "start": _prf(stp, n_pred, n_gold),
        "pk": sum(pk_vals) / len(pk_vals) if pk_vals else None,
        "windowdiff": sum(wd_vals) / len(wd_vals) if wd_vals else None,
        "pages": len(pages),
    }


def score_pages(pages: Sequence[Page], predicted: Sequence[tuple[Sequence[Article], Sequence[Any]]],
                encoder: CharEncoder) -> dict[str, Any]:
    """The full report for gold pages and (articles, entities) predicted for each."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    gold_z, gold_e, pred_z, pred_e = [], [], [], []
    for page, (arts, ents) in zip(pages, predicted):
        enc = encoder.encode(page.text)
        gz, ge = page_spans(page)
        pz = [z for a in arts for z in a.zones()]
        pe = [(e.type, e.start, e.end) for e in ents]
        for spans, labels, acc in ((gz, ZONE_LABELS, gold_z), (ge, ENTITY_LABELS, gold_e),
                                   (pz, ZONE_LABELS, pred_z), (pe, ENTITY_LABELS, pred_e)):
            acc.append([labels[i] for i in spans_to_tags(spans, enc, labels)])
    report: dict[str, Any] = {}
    for name, g, p in (("entities", gold_e, pred_e), ("zones", gold_z, pred_z)):
        d = classification_report(g, p, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
        report[name] = {k: {m: float(v) for m, v in vals.items()} for k, vals in d.items()}
        report[name + "_text"] = classification_report(g, p, mode="strict", scheme=IOB2, digits=4, zero_division=0)
    report["articles"] = article_metrics(pages, [a for a, _ in predicted])
    report["errors_text"] = error_table(pages, [list(e) for _, e in predicted])
    kinds: Counter = Counter()
    for page, (arts, _) in zip(pages, predicted):
        kinds += article_error_kinds(page, arts)
    report["article_errors"] = dict(kinds.most_common())
    return report


def format_report(report: dict[str, Any]) -> str:
    a = report["articles"]
    head = f" (rule bias {report['rule_bias']:g})" if report.get("rule_bias") else ""
    lines = [
        f"== Entities (seqeval, strict IOB2){head} ==", report["entities_text"],
        "== Zones (seqeval, strict IOB2) ==", report["zones_text"],
        "== Articles ==",
        f"exact span  P {a['span']['precision']:.4f}  R {a['span']['recall']:.4f}  F1 {a['span']['f1']:.4f}  (gold {a['span']['support']})",
        f"start       P {a['start']['precision']:.4f}  R {a['start']['recall']:.4f}  F1 {a['start']['f1']:.4f}",
    ]
    if a["pk"] is not None:
        lines.append(f"Pk {a['pk']:.4f}  WindowDiff {a['windowdiff']:.4f}  (over lines, {a['pages']} pages)")
    lines += ["", "== Entity errors by kind ==", report["errors_text"]]
    if report.get("article_errors"):
        lines += ["", "== Article errors by kind ==",
                  ", ".join(f"{k} ({n})" for k, n in report["article_errors"].items())]
    return "\n".join(lines)


def evaluate(model_dir: str | Path | None, data_files: list[str | Path], batch_size: int | None = None,
             device: str | None = None, output: str | Path | None = None, force: bool = False,
             progress: bool = True, precision: str = "auto", rule_bias: float | None = None) -> dict[str, Any]:
    """Score a model on labelled pages; write the report as JSON to ``output`` when given.

    ``rule_bias`` overrides the model's own (``Predictor``); None keeps it."""
    from tqdm.auto import tqdm

    from .predict import PageInput, Predictor

    if output is not None and Path(output).exists() and not force:
        raise FileExistsError(f"{output} exists; pass --force to overwrite it")
    pages = read_pages(data_files)
    predictor = Predictor(model_dir, device=device, batch_size=batch_size, precision=precision, rule_bias=rule_bias)
    inputs = (PageInput(p.id, p.text, p.source or p.id, p.date) for p in pages)
    preds = [pred for _, pred in tqdm(predictor.predict(inputs), total=len(pages), desc="evaluate", unit="page",
                                      disable=not progress)]
    report = score_pages(pages, [(p.articles, [e for e, _ in p.entities]) for p in preds], predictor.encoder)
    report["model"] = str(predictor.model_dir)
    report["precision"] = predictor.precision
    report["rule_bias"] = predictor.rule_bias
    report["data"] = [str(f) for f in data_files]
    if output is not None:
        data = {k: v for k, v in report.items() if not k.endswith("_text")}
        Path(output).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return report
