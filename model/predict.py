"""Inference: pages in, articles and entities out, streamed page by page.

text → windows (all pages of a batch packed together) → model → merged tags
→ spans → one JSON record per page. Inputs are ``.txt`` files (UTF-8, UTF-16
with BOM, or GB18030/GBK), directories of them, or JSONL with ``{"id", "text"}``.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
import torch

from .data import Article, Entity, iter_jsonl
from .heads import BaokanTagger, load_tagger
from .spans import decode
from .textmap import CharEncoder, Encoding
from .windows import make_windows

DEFAULT_MODEL_DIR = Path(__file__).parent / "default"


@dataclass
class PageInput:
    id: str
    text: str
    source: str
    date: str | None = None


@dataclass
class InputProblem:
    source: str
    message: str


@dataclass
class PagePrediction:
    articles: list[Article]
    entities: list[tuple[Entity, float]]


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """(text, encoding name) for bytes of a page; raises UnicodeDecodeError when nothing fits."""
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            return raw.decode(name), name
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # GB18030 is a superset of GBK and GB2312, the encodings of mainland PDFs/OCR.
    return raw.decode("gb18030"), "gb18030"


def _txt_files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*.txt") if p.is_file())


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[PageInput | InputProblem]:
    """Pages from files, directories and JSONL; a bad file or line becomes an InputProblem."""
    for p in map(Path, paths):
        if p.is_dir():
            files = _txt_files(p)
            if not files:
                yield InputProblem(str(p), "directory holds no .txt files")
            for f in files:
                yield from _read_txt(f)
        elif not p.exists():
            yield InputProblem(str(p), "no such file or directory")
        elif p.suffix.lower() in (".jsonl", ".json"):
            yield from _read_jsonl(p)
        else:
            yield from _read_txt(p)


def _read_txt(path: Path) -> Iterator[PageInput | InputProblem]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        yield InputProblem(str(path), f"cannot read: {err.strerror or err}")
        return
    try:
        text, _ = decode_bytes(raw)
    except UnicodeDecodeError:
        yield InputProblem(str(path), "not text in UTF-8, UTF-16 or GB18030")
        return
    yield PageInput(path.stem, text, str(path))


def _read_jsonl(path: Path) -> Iterator[PageInput | InputProblem]:
    for lineno, obj, problem in iter_jsonl(path):
        where = f"{path}:{lineno}"
        if problem:
            yield InputProblem(where, problem)
        elif not isinstance(obj, dict):
            yield InputProblem(where, "expected a JSON object with 'id' and 'text'")
        elif not isinstance(obj.get("text"), str):
            yield InputProblem(where, "missing or non-string 'text'")
        elif obj.get("id") in (None, "") or isinstance(obj.get("id"), (dict, list, bool)):
            yield InputProblem(where, "missing 'id'")
        else:
            yield PageInput(str(obj["id"]), obj["text"], where, obj.get("date"))


class Predictor:
    """A loaded tagger that labels pages; windows of several pages share each batch."""

    def __init__(self, model_dir: str | Path | None = None, device: str | None = None, batch_size: int = 32,
                 stride: int | None = None):
        from transformers import AutoTokenizer

        self.model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.model: BaokanTagger = load_tagger(self.model_dir, self.device)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
        self.encoder = CharEncoder.from_tokenizer(self.tokenizer)
        if max(self.encoder.vocab.values()) >= self.model.config.vocab_size:
            raise ValueError(f"{self.model_dir}: tokenizer ids exceed the model's vocab_size {self.model.config.vocab_size}")
        pre = getattr(self.model.config, "baokan", None) or {}
        self.window = int(pre.get("window", 256))
        self.stride = int(stride or pre.get("stride", self.window * 3 // 4))
        self.batch_size = batch_size

    @torch.inference_mode()
    def _run(self, chunks: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(zone tags, entity tags, entity tag probability) for each chunk of token ids."""
        results: list[Any] = [None] * len(chunks)
        order = sorted(range(len(chunks)), key=lambda i: -len(chunks[i]))
        e = self.encoder
        for b in range(0, len(order), self.batch_size):
            idx = order[b:b + self.batch_size]
            n = len(chunks[idx[0]]) + 2
            ids = torch.full((len(idx), n), e.pad_id, dtype=torch.long)
            mask = torch.zeros((len(idx), n), dtype=torch.long)
            for row, i in enumerate(idx):
                k = len(chunks[i])
                ids[row, 0] = e.cls_id
                ids[row, 1:k + 1] = torch.from_numpy(chunks[i])
                ids[row, k + 1] = e.sep_id
                mask[row, :k + 2] = 1
            out = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device))
            zone = out.zone_logits.argmax(-1).cpu().numpy()
            probs = out.entity_logits.float().softmax(-1)
            ent_p, ent = probs.max(-1)
            ent, ent_p = ent.cpu().numpy(), ent_p.cpu().numpy()
            for row, i in enumerate(idx):
                k = len(chunks[i])
                results[i] = (zone[row, 1:k + 1], ent[row, 1:k + 1], ent_p[row, 1:k + 1])
        return results

    def predict_encoded(self, encs: list[Encoding]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Merged per-token tags for several encoded pages at once."""
        chunks, owners = [], []
        for p, enc in enumerate(encs):
            for w in make_windows(len(enc), self.window, self.stride):
                chunks.append(enc.ids[w.start:w.end])
                owners.append((p, w))
        outs = self._run(chunks) if chunks else []
        merged = [(np.zeros(len(e), np.int64), np.zeros(len(e), np.int64), np.ones(len(e), np.float32)) for e in encs]
        for (p, w), (z, t, s) in zip(owners, outs):
            a, b = w.own_start - w.start, w.own_end - w.start
            merged[p][0][w.own_start:w.own_end] = z[a:b]
            merged[p][1][w.own_start:w.own_end] = t[a:b]
            merged[p][2][w.own_start:w.own_end] = s[a:b]
        return merged

    def predict_texts(self, texts: list[str]) -> list[PagePrediction]:
        encs = [self.encoder.encode(t) for t in texts]
        out = []
        for text, enc, (z, t, s) in zip(texts, encs, self.predict_encoded(encs)):
            articles, entities = decode(text, enc, z, t, s)
            out.append(PagePrediction(articles, entities))
        return out

    def predict(self, pages: Iterable[PageInput], pages_per_batch: int = 16) -> Iterator[tuple[PageInput, PagePrediction]]:
        """Stream predictions in input order, a group of pages at a time (memory stays flat)."""
        group: list[PageInput] = []
        for page in pages:
            group.append(page)
            if len(group) >= pages_per_batch:
                yield from zip(group, self.predict_texts([g.text for g in group]))
                group = []
        if group:
            yield from zip(group, self.predict_texts([g.text for g in group]))


def _zone_text(text: str, span: tuple[int, int] | None) -> str | None:
    if span is None:
        return None
    return " ".join(line.strip() for line in text[span[0]:span[1]].splitlines() if line.strip())


def prediction_record(page: PageInput, pred: PagePrediction) -> dict[str, Any]:
    """The JSON record of one page (format documented in README, "Output")."""
    text = page.text

    def ent(e: Entity, score: float) -> dict[str, Any]:
        return {"start": e.start, "end": e.end, "type": e.type, "text": text[e.start:e.end], "score": round(score, 4)}

    entities = [ent(e, s) for e, s in pred.entities]
    articles = []
    for a in pred.articles:
        articles.append({
            "start": a.start,
            "end": a.end,
            "title": _zone_text(text, a.title),
            "byline": _zone_text(text, a.byline),
            "zones": {"title": list(a.title) if a.title else None, "body": list(a.body) if a.body else None,
                      "byline": list(a.byline) if a.byline else None},
            "entities": [x for x in entities if a.start <= x["start"] < a.end],
        })
    return {"id": page.id, "length": len(text), "articles": articles, "entities": entities}


@dataclass
class RunSummary:
    pages: int = 0
    characters: int = 0
    failed: list[InputProblem] | None = None


def run_predict(model_dir: str | Path | None, inputs: list[str | Path], output: str | Path, force: bool = False,
                batch_size: int = 32, device: str | None = None, progress: bool = True) -> RunSummary:
    """Label every input page and write one JSON line per page to ``output``.

    The file appears under its final name only when the run ends; until then
    lines go to ``OUTPUT.part``, so an interrupted run never leaves a file
    that looks complete.
    """
    from tqdm.auto import tqdm

    output = Path(output)
    if output.exists() and not force:
        raise FileExistsError(f"{output} exists; pass --force to overwrite it")
    predictor = Predictor(model_dir, device=device, batch_size=batch_size)
    summary = RunSummary(failed=[])
    part = output.with_name(output.name + ".part")
    output.parent.mkdir(parents=True, exist_ok=True)

    def good_pages() -> Iterator[PageInput]:
        for item in iter_inputs(inputs):
            if isinstance(item, InputProblem):
                summary.failed.append(item)
                print(f"error: {item.source}: {item.message}", file=sys.stderr)
            else:
                yield item

    bar = tqdm(desc="pages", unit="page", disable=not progress)
    with open(part, "w", encoding="utf-8") as f:
        for page, pred in predictor.predict(good_pages()):
            f.write(json.dumps(prediction_record(page, pred), ensure_ascii=False) + "\n")
            f.flush()
            summary.pages += 1
            summary.characters += len(page.text)
            bar.update(1)
            bar.set_postfix(chars=summary.characters)
    bar.close()
    os.replace(part, output)
    return summary
