"""Batch inference: ``baokan predict`` settings against the stock transformers pipeline, side by side.

Same pages, same weights, one run. Each setting runs in its own process so its
peak memory (max RSS) is its own. Reports characters/s, pages/s, peak memory and
entity micro-F1 / article-span F1 on the labelled pages; then peak memory of a
streamed run over few and many generated pages (memory must not grow with pages).

    python benchmarks/bench_predict.py --out docs/bench_predict.json

The stock pipeline is ``pipeline("token-classification")`` over a
``BertForTokenClassification`` that holds our encoder and entity head (the only
head it can run), with ``stride`` for long texts, batching and
``aggregation_strategy="simple"``; it has no article layer.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SETTINGS = {
    "baokan fp32": dict(precision="fp32", stride=None),
    "baokan bf16": dict(precision="bf16", stride=None),
    "baokan bf16 no-overlap": dict(precision="bf16", stride="window"),
    "baokan int8": dict(precision="int8", stride=None),
    "stock pipeline": dict(stock=True),
    # Not the reference: the stock pipeline with its weights cast to bf16, to show what bf16 alone buys.
    "stock pipeline bf16": dict(stock=True, dtype="bf16"),
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stock_predict(model_dir: Path, texts: list[str], batch_size: int, stride: int, bf16: bool = False):
    """Entities per text from the stock token-classification pipeline, over our weights."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForTokenClassification, pipeline

    from model.data import Entity
    from model.heads import load_tagger

    tagger = load_tagger(model_dir)
    cfg = BertConfig.from_dict({**tagger.config.to_dict(), "architectures": ["BertForTokenClassification"]})
    cfg.id2label = dict(enumerate(tagger.config.entity_labels))
    cfg.label2id = {v: k for k, v in cfg.id2label.items()}
    cfg.num_labels = len(cfg.id2label)
    model = BertForTokenClassification(cfg)
    state = {k: v for k, v in tagger.state_dict().items() if k.startswith("bert.")}
    state["classifier.weight"] = tagger.entity_head.weight
    state["classifier.bias"] = tagger.entity_head.bias
    missing = model.load_state_dict(state, strict=False)
    assert not [k for k in missing.missing_keys if "pooler" not in k], missing
    if bf16:
        model = model.to(torch.bfloat16)
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    tok.model_max_length = int(tagger.config.baokan.get("window", 256)) + 2
    pipe = pipeline("token-classification", model=model.eval(), tokenizer=tok, aggregation_strategy="simple",
                    stride=stride, device=-1)
    out = []
    with torch.inference_mode():
        for res in pipe(texts, batch_size=batch_size):
            out.append([(Entity(int(r["start"]), int(r["end"]), r["entity_group"]), float(r["score"]))
                        for r in res if r["end"] > r["start"] and r["entity_group"] in
                        ("OFFICIAL", "ORG", "DATE", "AMOUNT")])
    return out


def one(name: str, model_dir: Path, data: Path, repeat: int, batch_size: int, threads: int) -> dict:
    """One setting in this process: throughput, peak memory and F1 on the labelled pages."""
    import torch

    from model.data import read_pages
    from model.evaluate import score_pages
    from model.predict import PageInput, Predictor, prediction_record
    from model.textmap import CharEncoder
    from transformers import AutoTokenizer

    torch.set_num_threads(threads)
    pages = read_pages([data])
    texts = [p.text for p in pages]
    s = SETTINGS[name]
    if s.get("stock"):
        window = 256
        run = lambda: _stock_predict(model_dir, texts, batch_size, stride=window // 4,  # noqa: E731
                                     bf16=s.get("dtype") == "bf16")
        preds = run()  # warm-up, and the predictions that are scored
        t0 = time.perf_counter()
        for _ in range(repeat):
            run()
        wall = time.perf_counter() - t0
        predicted = [([], [e for e, _ in ents]) for ents in preds]
    else:
        pred = Predictor(model_dir, device="cpu", batch_size=batch_size, precision=s["precision"])
        if s["stride"] == "window":
            pred.stride = pred.window
        inputs = lambda: (PageInput(p.id, p.text, p.id) for p in pages)  # noqa: E731
        outs = [o for _, o in pred.predict(inputs())]
        t0 = time.perf_counter()
        for _ in range(repeat):
            # Records as `baokan predict` writes them (values, titles, article fields), not bare tags.
            for page, o in pred.predict(inputs()):
                json.dumps(prediction_record(page, o), ensure_ascii=False)
        wall = time.perf_counter() - t0
        predicted = [(o.articles, [e for e, _ in o.entities]) for o in outs]
    enc = CharEncoder.from_tokenizer(AutoTokenizer.from_pretrained(str(model_dir)))
    report = score_pages(pages, predicted, enc)
    chars = sum(len(t) for t in texts) * repeat
    return {
        "setting": name,
        "chars_per_s": chars / wall,
        "pages_per_s": len(texts) * repeat / wall,
        "peak_mb": _peak_mb(),
        "entity_f1": report["entities"]["micro avg"]["f1-score"],
        "article_span_f1": None if s.get("stock") else report["articles"]["span"]["f1"],
    }


def memory(model_dir: Path, n_pages: int, threads: int) -> dict:
    """Peak memory of a streamed ``run_predict`` over ``n_pages`` generated pages."""
    import torch

    from model.data import read_pages
    from model.predict import run_predict

    torch.set_num_threads(threads)
    # Short pages cut from the labelled dev pages, each with its own id: many pages, little compute.
    texts = [p.text for p in read_pages([REPO / "data/gold/dev.jsonl"])]
    pieces = [t[i:i + 300] for t in texts for i in range(0, len(t) - 300, 300)]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        with open(src, "w", encoding="utf-8") as f:
            for i in range(n_pages):
                f.write(json.dumps({"id": f"g{i:06d}", "text": pieces[i % len(pieces)]}, ensure_ascii=False) + "\n")
        t0 = time.perf_counter()
        s = run_predict(model_dir, [src], Path(tmp) / "out.jsonl", progress=False)
        wall = time.perf_counter() - t0
    return {"pages": n_pages, "characters": s.characters, "peak_mb": _peak_mb(), "wall_s": wall}


def _child(args: list[str]) -> dict:
    r = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=REPO)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, default=REPO / "model/default")
    ap.add_argument("--data", type=Path, default=REPO / "data/gold/test-composed.jsonl")
    ap.add_argument("--repeat", type=int, default=2, help="timed passes over the pages after one warm-up pass")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--memory-pages", default="100,10000", help="page counts for the memory check ('' to skip)")
    ap.add_argument("--settings", default=",".join(SETTINGS))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--memory", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(one(a.one, a.model, a.data, a.repeat, a.batch_size, a.threads)))
        return
    if a.memory:
        print(json.dumps(memory(a.model, a.memory, a.threads)))
        return
    if a.out and a.out.exists():
        raise SystemExit(f"{a.out} exists; remove it first")
    common = ["--model", str(a.model), "--data", str(a.data), "--repeat", str(a.repeat),
              "--batch-size", str(a.batch_size), "--threads", str(a.threads)]
    rows = []
    for name in a.settings.split(","):
        rows.append(_child(["--one", name, *common]))
        r = rows[-1]
        print(f"{name:26s} {r['chars_per_s']:9.0f} chars/s {r['pages_per_s']:6.2f} pages/s "
              f"{r['peak_mb']:7.0f} MB  entity F1 {r['entity_f1']:.4f}  article F1 {r['article_span_f1']}", flush=True)
    stock = next((r for r in rows if r["setting"] == "stock pipeline"), None)
    if stock:
        for r in rows:
            r["speed_vs_stock"] = r["chars_per_s"] / stock["chars_per_s"]
    mem = []
    for n in filter(None, a.memory_pages.split(",")):
        # The default setting of `baokan predict` on this machine (--precision auto).
        m = _child(["--memory", n, "--model", str(a.model), "--threads", str(a.threads)])
        m["setting"] = "baokan predict (default)"
        mem.append(m)
        print(f"memory: {m['pages']:6d} pages {m['characters']:9d} chars  "
              f"peak {m['peak_mb']:.0f} MB  ({m['wall_s']:.0f} s)", flush=True)
    import torch

    from model.predict import resolve_precision

    result = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {a.threads} torch threads",
              "default_precision_here": resolve_precision("auto", torch.device("cpu")),
              "model": str(a.model), "data": str(a.data), "repeat": a.repeat, "batch_size": a.batch_size,
              "throughput": rows, "memory": mem}
    if a.out:
        a.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
