"""Inference: pages in, articles and entities out, streamed page by page.

text → windows (all pages of a batch packed together) → model → merged tags
→ spans → one JSON record per page. Inputs are ``.txt`` files (UTF-8, UTF-16
with BOM, or GB18030/GBK), directories of them, or JSONL with ``{"id", "text"}``.
"""
from __future__ import annotations

import json
import math
import os
import re
import sys
import time
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
import torch

from .data import Article, Entity, iter_jsonl
from .hardware import cpu_has_native_bf16
from .features import rule_tags
from .heads import BaokanTagger, load_tagger, uses_rule_features
from .schema import ENTITY_LABELS, ZONE_LABELS
from .spans import decode, line_viterbi, propagate_mentions, viterbi
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


def _common_share(text: str, encoding: str) -> float:
    """Share of a text's CJK characters that are everyday characters of ``encoding``'s script:
    GB2312 level 1 (simplified) for gb18030, Big5 level 1 (traditional) for big5. Bytes read in
    the wrong one of the two decode, but into a scatter of rare characters."""
    cjk = common = 0
    for ch in text:
        if ord(ch) < 0x3400:
            continue
        cjk += 1
        try:
            b = ch.encode("gb2312" if encoding == "gb18030" else "big5")
        except UnicodeEncodeError:
            continue
        if len(b) == 2 and (0xB0 <= b[0] <= 0xD7 if encoding == "gb18030" else 0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E):
            common += 1
    return common / cjk if cjk else 0.0


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """(text, encoding name) for bytes of a page; raises UnicodeDecodeError when nothing fits.

    BOMs first, then strict UTF-8. Legacy bytes that both GB18030 (a superset of
    GBK/GB2312: mainland pages) and Big5 (Taiwan, Hong Kong) decode are read in the
    one that gives everyday characters of its own script, GB18030 unless Big5 wins
    clearly. Bytes neither reads well (UTF-16 without a BOM, above all) go to
    charset-normalizer, then to a UTF-16 guess from where the NULs of ASCII sit.
    """
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            return raw.decode(name), name
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        first_error = err
    legacy = {}
    if b"\x00" not in raw:
        for name in ("gb18030", "big5"):
            try:
                text = raw.decode(name)
            except UnicodeDecodeError:
                continue
            legacy[name] = (_common_share(text, name), text)
    if legacy:
        name = max(legacy, key=lambda k: legacy[k][0] + (0.1 if k == "gb18030" else 0.0))
        share, text = legacy[name]
        if share >= 0.5 or len(raw) < 64:
            return text, name
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["gb18030", "big5", "utf_16_le", "utf_16_be"]).best()
    if best is not None:
        # A plain decode, not charset-normalizer's text, so offsets index exactly what Python decodes.
        return raw.decode(best.encoding), best.encoding
    if b"\x00" in raw and len(raw) % 2 == 0:
        # ASCII characters (line breaks, digits) put their NUL in the high byte, so NULs sit on one parity.
        odd, even = raw[1::2].count(0), raw[0::2].count(0)
        name = "utf_16_le" if odd > 4 * even else "utf_16_be" if even > 4 * odd else None
        if name:
            try:
                return raw.decode(name), name
            except UnicodeDecodeError:
                pass
    if legacy:
        name = max(legacy, key=lambda k: legacy[k][0])
        return legacy[name][1], name
    raise first_error


def _txt_files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*.txt") if p.is_file())


def parse_shard(spec: str | None) -> tuple[int, int] | None:
    """``"K/N"`` (K from 1 to N) → (K, N); None stays None."""
    if spec is None:
        return None
    try:
        k, n = (int(x) for x in spec.split("/"))
    except ValueError:
        raise ValueError(f"--shard must look like K/N, e.g. 2/8; got {spec!r}") from None
    if not 1 <= k <= n:
        raise ValueError(f"--shard {spec}: K must be between 1 and N")
    return k, n


def in_shard(page_id: str, shard: tuple[int, int] | None) -> bool:
    """Pages are dealt to shards by a stable hash of their id, so shards never depend on input order."""
    if shard is None:
        return True
    k, n = shard
    return zlib.crc32(page_id.encode("utf-8")) % n == k - 1


def iter_inputs(paths: Iterable[str | Path], shard: tuple[int, int] | None = None) -> Iterator[PageInput | InputProblem]:
    """Pages from files, directories and JSONL; a bad file or line becomes an InputProblem."""
    for p in map(Path, paths):
        if p.is_dir():
            files = _txt_files(p)
            if not files:
                yield InputProblem(str(p), "directory holds no .txt files")
            for f in files:
                if in_shard(f.stem, shard):
                    yield from _read_txt(f)
        elif not p.exists():
            yield InputProblem(str(p), "no such file or directory")
        elif p.suffix.lower() in (".jsonl", ".json"):
            yield from (x for x in _read_jsonl(p) if isinstance(x, InputProblem) or in_shard(x.id, shard))
        elif in_shard(p.stem, shard):
            yield from _read_txt(p)


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:4096] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v")
    return controls > 0.05 * min(len(text), 4096)


def _read_txt(path: Path) -> Iterator[PageInput | InputProblem]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        yield InputProblem(str(path), f"cannot read: {err.strerror or err}")
        return
    try:
        text, encoding = decode_bytes(raw)
    except UnicodeDecodeError:
        what = "binary file, not text" if b"\x00" in raw else "not text in UTF-8, UTF-16, GB18030 or Big5"
        yield InputProblem(str(path), what)
        return
    # NULs in a page decoded as anything but UTF-16 mean a binary file; so do many control characters.
    if ("\x00" in text and not encoding.startswith("utf-16") and not encoding.startswith("utf_16")) or _looks_binary(text):
        yield InputProblem(str(path), "binary file, not text")
        return
    yield PageInput(path.stem, text, str(path))


def _read_jsonl(path: Path) -> Iterator[PageInput | InputProblem]:
    seen: dict[str, str] = {}
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
        elif str(obj["id"]) in seen:
            yield InputProblem(where, f"duplicate id {obj['id']!r} (first at {seen[str(obj['id'])]})")
        else:
            seen[str(obj["id"])] = where
            date = obj.get("date") if isinstance(obj.get("date"), str) else None
            yield PageInput(str(obj["id"]), obj["text"], where, date)


def apply_rule_bias(ent_lp: np.ndarray, rule_ids: np.ndarray, bias: float) -> np.ndarray:
    """Entity log-probabilities with each token's rule tag raised by ``bias`` nats, renormalised."""
    out = ent_lp.copy()
    out[np.arange(len(rule_ids)), rule_ids] += bias
    out -= np.logaddexp.reduce(out, axis=1, keepdims=True)
    return out


DEFAULT_SPLIT_PENALTY = 2.0
DEFAULT_ZONE_SPLIT_PENALTY = 2.0
PRECISIONS = ("auto", "fp32", "bf16", "int8")


def resolve_precision(precision: str, device: torch.device) -> str:
    """``auto`` → bf16 on a GPU or on a CPU with bf16 in hardware, fp32 otherwise.

    On the development CPU (AVX512-BF16) bf16 autocast ran the encoder 1.9x as fast as fp32
    (whole pages 1.6x) and left gold-test's entity and article figures within 0.5 points of fp32
    (benchmarks/bench_predict.py); int8 was faster still but moved article boundaries, so
    ``auto`` never chooses it.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}; got {precision!r}")
    if precision == "auto":
        return "bf16" if device.type == "cuda" or (device.type == "cpu" and cpu_has_native_bf16()) else "fp32"
    if precision == "int8" and device.type != "cpu":
        raise ValueError("int8 is for the CPU; on a GPU use bf16 (the default there)")
    return precision


class Predictor:
    """A loaded tagger that labels pages; windows of several pages share each batch."""

    # Zones decoded over whole lines (spans.line_viterbi); False decodes them token by token.
    line_zones: bool = True
    # Copy each tagged name to its other mentions (spans.propagate_mentions); set per model below.
    propagate: bool = True
    # Whether the tagger reads the rules' tags (model/features.py); set from its config below.
    rule_features: bool = False
    rule_bias: float = 0.0

    def __init__(self, model_dir: str | Path | None = None, device: str | None = None, batch_size: int | None = None,
                 stride: int | None = None, precision: str = "auto", rule_bias: float | None = None):
        from transformers import AutoTokenizer

        self.model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.model: BaokanTagger = load_tagger(self.model_dir, self.device)
        self.precision = resolve_precision(precision, self.device)
        if self.precision == "int8":
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # torch marks eager dynamic quantisation deprecated; it still runs
                # int8 weights for the linear layers, activations quantised on the fly:
                # the encoder's matmuls are most of the CPU time.
                self.model = torch.ao.quantization.quantize_dynamic(self.model, {torch.nn.Linear}, dtype=torch.qint8)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
        self.encoder = CharEncoder.from_tokenizer(self.tokenizer)
        if max(self.encoder.vocab.values()) >= self.model.config.vocab_size:
            raise ValueError(f"{self.model_dir}: tokenizer ids exceed the model's vocab_size {self.model.config.vocab_size}")
        pre = getattr(self.model.config, "baokan", None) or {}
        self.rule_features = uses_rule_features(self.model.config)
        self.window = int(pre.get("window", 256))
        self.stride = int(stride or pre.get("stride", self.window * 3 // 4))
        self.batch_size = batch_size or (256 if self.device.type == "cuda" else 32)
        # Chosen on gold-dev (entity micro F1 0.514 at 0, 0.594 at 2, flat up to 5; MODEL_CARD.md);
        # a model's config.json may carry its own under "baokan".
        self.split_penalty = float(pre.get("split_penalty", DEFAULT_SPLIT_PENALTY))
        # The same for zones, over lines: a line opening a zone right after a line of the same
        # zone costs 2 nats. Chosen on gold-dev (article span F1 0.730 at 0, 0.776 from 1 to 4).
        self.zone_split_penalty = float(pre.get("zone_split_penalty", DEFAULT_ZONE_SPLIT_PENALTY))
        # A model's config.json may turn name copying off (model/train.py does for rule-feature taggers).
        self.propagate = bool(pre.get("propagate_mentions", True))
        # How far decoding trusts the rule pre-annotator: each token's entity distribution is
        # multiplied by e^rule_bias at the tag the rules give it, then renormalised (a product
        # of two experts). 0 is the tagger alone; large values leave the tagger only the spans
        # it is sure of against the rules. Chosen on gold-dev with scripts/decode_sweep.py.
        raw = pre.get("rule_bias") if rule_bias is None else rule_bias
        try:
            self.rule_bias = 0.0 if raw is None else float(raw)
        except (TypeError, ValueError):
            self.rule_bias = math.nan
        if not math.isfinite(self.rule_bias) or self.rule_bias < 0:
            where = "" if rule_bias is not None else f" (config.json of {self.model_dir})"
            raise ValueError(f"rule_bias must be a finite number >= 0, got {raw!r}{where}")

    @torch.inference_mode()
    def _run(self, chunks: list[np.ndarray], rules: list[np.ndarray] | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """(zone log-probabilities, entity log-probabilities) per token, for each chunk of token ids
        (and of rule tags, for a tagger that reads them)."""
        results: list[Any] = [None] * len(chunks)
        order = sorted(range(len(chunks)), key=lambda i: -len(chunks[i]))
        e = self.encoder
        for b in range(0, len(order), self.batch_size):
            idx = order[b:b + self.batch_size]
            n = len(chunks[idx[0]]) + 2
            ids = torch.full((len(idx), n), e.pad_id, dtype=torch.long)
            mask = torch.zeros((len(idx), n), dtype=torch.long)
            extra: dict[str, torch.Tensor] = {}
            if rules is not None:
                extra["rule_tags"] = torch.zeros((len(idx), n), dtype=torch.long)
            for row, i in enumerate(idx):
                k = len(chunks[i])
                ids[row, 0] = e.cls_id
                ids[row, 1:k + 1] = torch.from_numpy(chunks[i])
                ids[row, k + 1] = e.sep_id
                mask[row, :k + 2] = 1
                if rules is not None:
                    extra["rule_tags"][row, 1:k + 1] = torch.from_numpy(rules[i])
            with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.precision == "bf16"):
                out = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device),
                                 **{k: v.to(self.device) for k, v in extra.items()})
            zone = out.zone_logits.float().log_softmax(-1).cpu().numpy()
            ent = out.entity_logits.float().log_softmax(-1).cpu().numpy()
            for row, i in enumerate(idx):
                k = len(chunks[i])
                results[i] = (zone[row, 1:k + 1], ent[row, 1:k + 1])
        return results

    def page_logprobs(self, encs: list[Encoding], texts: list[str] | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """(zone, entity) log-probabilities per token of each encoded page.

        Each token's log-probabilities come from the window that owns it. A tagger
        that reads rule features needs the pages' ``texts`` too.
        """
        if (self.rule_features or self.rule_bias) and texts is None:
            why = "reads rule features" if self.rule_features else f"decodes with rule bias {self.rule_bias:g}"
            raise ValueError(f"{self.model_dir} {why}: page_logprobs needs the pages' texts")
        nz, ne = len(ZONE_LABELS), len(ENTITY_LABELS)
        merged = []
        for k, enc in enumerate(encs):
            zone_lp, ent_lp = np.zeros((len(enc), nz), np.float32), np.zeros((len(enc), ne), np.float32)
            windows = make_windows(len(enc), self.window, self.stride)
            # A page's windows are batched with each other only: int8 layers scale their
            # activations per batch, so mixing pages would make a page's labels depend on
            # which pages it happened to be read with.
            tags = rule_tags(texts[k], enc) if (self.rule_features or self.rule_bias) and windows else None
            rules = [tags[w.start:w.end] for w in windows] if self.rule_features and tags is not None else None
            outs = self._run([enc.ids[w.start:w.end] for w in windows], rules) if windows else []
            for w, (z, t) in zip(windows, outs):
                a, b = w.own_start - w.start, w.own_end - w.start
                zone_lp[w.own_start:w.own_end] = z[a:b]
                ent_lp[w.own_start:w.own_end] = t[a:b]
            if self.rule_bias and tags is not None:
                ent_lp = apply_rule_bias(ent_lp, tags, self.rule_bias)
            merged.append((zone_lp, ent_lp))
        return merged

    def tags(self, enc: Encoding, zone_lp: np.ndarray, ent_lp: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(zone tags, entity tags, entity tag probability) per token, decoded over the whole page
        with this predictor's split penalties, so no span is cut at a window edge."""
        if self.line_zones:
            zone = line_viterbi(zone_lp, ZONE_LABELS, enc.ids, self.encoder.nl_id, self.encoder.sp_id,
                               split_penalty=self.zone_split_penalty)
        else:
            zone = viterbi(zone_lp, ZONE_LABELS)
        ent = viterbi(ent_lp, ENTITY_LABELS, split_penalty=self.split_penalty)
        score = np.exp(ent_lp[np.arange(len(ent)), ent]) if len(ent) else np.ones(0, np.float32)
        return zone, ent, score.astype(np.float32)

    def predict_encoded(self, encs: list[Encoding], texts: list[str] | None = None) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(zone tags, entity tags, entity tag probability) per token for several encoded pages at once."""
        return [self.tags(enc, z, t) for enc, (z, t) in zip(encs, self.page_logprobs(encs, texts))]

    def page_prediction(self, text: str, enc: Encoding, zone_lp: np.ndarray, ent_lp: np.ndarray) -> PagePrediction:
        """Articles and entities of one page from its per-token log-probabilities."""
        articles, entities = decode(text, enc, *self.tags(enc, zone_lp, ent_lp))
        return PagePrediction(articles, propagate_mentions(text, entities, articles) if self.propagate else entities)

    def predict_texts(self, texts: list[str]) -> list[PagePrediction]:
        encs = [self.encoder.encode(t) for t in texts]
        return [self.page_prediction(text, enc, z, t) for text, enc, (z, t) in zip(texts, encs, self.page_logprobs(encs, texts))]

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


_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def page_date(page: PageInput, default: str | None = None) -> str | None:
    """The issue date a page's relative dates resolve against: --date, the JSONL field, or the file name."""
    if default:
        return default
    if page.date:
        return page.date
    m = _FILE_DATE.search(Path(page.source.split(":")[0]).name if page.source else page.id) or _FILE_DATE.search(page.id)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def prediction_record(page: PageInput, pred: PagePrediction, date: str | None = None) -> dict[str, Any]:
    """The JSON record of one page (format documented in README, "Output").

    Entities carry normalised values (AMOUNT value/unit, DATE ISO value
    resolved against the page date) and officials their title; see docs/values.md.
    """
    from .article_meta import article_meta
    from .normalize import assign_official_titles, normalize_amount, normalize_date

    text = page.text
    when = page_date(page, date)
    officials = [e for e, _ in pred.entities if e.type == "OFFICIAL"]
    titles = dict(zip(officials, assign_official_titles(
        text, [(e.start, e.end) for e in officials], [(a.start, a.end) for a in pred.articles])))

    def ent(e: Entity, score: float) -> dict[str, Any]:
        d: dict[str, Any] = {"start": e.start, "end": e.end, "type": e.type, "text": text[e.start:e.end],
                             "score": round(score, 4)}
        if e.type == "AMOUNT":
            d.update(normalize_amount(d["text"]))
        elif e.type == "DATE":
            d.update(normalize_date(d["text"], when))
        elif e.type == "OFFICIAL":
            d["title"] = titles.get(e)
        return d

    entities = [ent(e, s) for e, s in pred.entities]
    articles = []
    for a in pred.articles:
        meta = article_meta(text, a.title, a.body, a.byline)
        articles.append({
            "start": a.start,
            "end": a.end,
            "title": meta.title,
            "subtitles": meta.subtitles,
            "dateline": meta.dateline,
            "reporters": meta.reporters,
            "byline": _zone_text(text, a.byline),
            "zones": {"title": list(a.title) if a.title else None, "body": list(a.body) if a.body else None,
                      "byline": list(a.byline) if a.byline else None},
            "entities": [x for x in entities if a.start <= x["start"] < a.end],
        })
    return {"id": page.id, "date": when, "length": len(text), "articles": articles, "entities": entities}


@dataclass
class RunSummary:
    pages: int = 0
    characters: int = 0
    skipped: int = 0
    failed: list[InputProblem] = field(default_factory=list)


def _resume_state(part: Path) -> set[str]:
    """Ids already written to a partial output; a torn last line (a killed run) is cut off."""
    done: set[str] = set()
    keep = 0
    with open(part, "rb") as f:
        for raw in f:
            if not raw.endswith(b"\n"):
                break
            try:
                done.add(json.loads(raw)["id"])
            except (ValueError, KeyError, TypeError):
                break
            keep += len(raw)
    with open(part, "r+b") as f:
        f.truncate(keep)
    return done


def run_predict(model_dir: str | Path | None, inputs: list[str | Path], output: str | Path, force: bool = False,
                resume: bool = False, shard: str | None = None, batch_size: int | None = None, device: str | None = None,
                date: str | None = None, fmt: str = "jsonl", precision: str = "auto",
                progress: bool = True, rule_bias: float | None = None) -> RunSummary:
    """Label every input page and write one JSON line per page (or CSV rows per entity) to ``output``.

    Lines go to ``OUTPUT.part`` as each page is done, and the file takes its
    final name when the run ends, so an interrupted run never leaves a file
    that looks complete; ``resume`` continues a ``.part`` file (or a finished
    output, to add new inputs), skipping the ids already written.
    """
    from tqdm.auto import tqdm

    from .report import FORMATS, RecordWriter

    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; expected one of {', '.join(FORMATS)}")
    output = Path(output)
    part = output.with_name(output.name + ".part")
    shard_kn = parse_shard(shard)
    if resume and fmt != "jsonl":
        raise ValueError("--resume needs --format jsonl: CSV and HTML files do not record every page done")
    if resume and force:
        raise ValueError("--resume and --force contradict each other: --resume keeps what is written")
    if output.exists() and not (force or resume):
        raise FileExistsError(f"{output} exists; pass --force to overwrite it or --resume to continue it")
    if part.exists() and not (force or resume):
        raise FileExistsError(f"{part} is left from an interrupted run; pass --resume to continue it or --force to start over")
    predictor = Predictor(model_dir, device=device, batch_size=batch_size, precision=precision, rule_bias=rule_bias)
    summary = RunSummary()
    output.parent.mkdir(parents=True, exist_ok=True)
    done: set[str] = set()
    if resume:
        if output.exists() and not part.exists():
            os.replace(output, part)
        if part.exists():
            done = _resume_state(part)

    def todo() -> Iterator[PageInput]:
        for item in iter_inputs(inputs, shard_kn):
            if isinstance(item, InputProblem):
                summary.failed.append(item)
                print(f"error: {item.source}: {item.message}", file=sys.stderr)
            elif item.id in done:
                summary.skipped += 1
            else:
                yield item

    bar = tqdm(desc="predict", unit="page", disable=not progress)
    t0 = time.perf_counter()
    with open(part, "a" if resume else "w", encoding="utf-8", newline="") as f:
        writer = RecordWriter(f, fmt)
        for page, pred in predictor.predict(todo()):
            writer.write(prediction_record(page, pred, date), page.text)
            summary.pages += 1
            summary.characters += len(page.text)
            bar.update(1)
            bar.set_postfix_str(f"{summary.characters / max(time.perf_counter() - t0, 1e-9):,.0f} chars/s")
        writer.close()
    bar.close()
    os.replace(part, output)
    return summary
