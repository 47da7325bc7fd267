"""Encoder throughput on this machine for candidate sizes: forward tokens/s, and training tokens/s.

Forward is what tagging costs; a training step (forward + backward through the
sparse masked-LM loss + AdamW) is what pretraining costs. Random weights and
inputs: speed does not depend on them.

    python benchmarks/bench_encoder_size.py --threads 2 --out docs/pretrain_bench.json
"""
from __future__ import annotations

import argparse
import json
import platform
import time

import torch
from transformers import BertConfig

from model.pretrain import IGNORE, SparseBertForMaskedLM

SIZES = {
    "2x256": dict(num_hidden_layers=2, hidden_size=256, num_attention_heads=4, intermediate_size=1024),
    "4x256": dict(num_hidden_layers=4, hidden_size=256, num_attention_heads=4, intermediate_size=1024),
    "6x384": dict(num_hidden_layers=6, hidden_size=384, num_attention_heads=6, intermediate_size=1536),
}


def bench(name: str, vocab: int, batch: int, seq: int, seconds: float) -> dict[str, float]:
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=vocab, max_position_embeddings=512, **SIZES[name])
    model = SparseBertForMaskedLM(cfg)
    ids = torch.randint(7, vocab, (batch, seq))
    att = torch.ones_like(ids)
    labels = torch.where(torch.rand(batch, seq) < 0.15, ids, torch.full_like(ids, IGNORE))
    out: dict[str, float] = {"params_m": sum(p.numel() for p in model.parameters()) / 1e6}

    model.eval()
    with torch.inference_mode():
        model.bert(input_ids=ids, attention_mask=att)  # warm-up
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            model.bert(input_ids=ids, attention_mask=att)
            n += 1
        out["forward_tokens_per_s"] = n * batch * seq / (time.perf_counter() - t0)

    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)

    def step() -> None:
        model(input_ids=ids, attention_mask=att, labels=labels).loss.backward()
        opt.step()
        opt.zero_grad()

    step()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        n += 1
    out["train_tokens_per_s"] = n * batch * seq / (time.perf_counter() - t0)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    p.add_argument("--vocab", type=int, default=7000)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--seconds", type=float, default=8.0, help="timing window per measurement")
    p.add_argument("--out", help="also write the results as JSON")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    results = {
        "machine": f"{platform.processor() or platform.machine()}, torch {torch.__version__}, {a.threads} threads",
        "batch": a.batch, "seq": a.seq, "vocab": a.vocab,
        "sizes": {name: bench(name, a.vocab, a.batch, a.seq, a.seconds) for name in a.sizes},
    }
    for name, r in results["sizes"].items():
        print(f"{name}: {r['params_m']:.1f}M params, forward {r['forward_tokens_per_s']:,.0f} tok/s, "
              f"train {r['train_tokens_per_s']:,.0f} tok/s")
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
