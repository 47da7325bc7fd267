"""Fine-tuning: labelled pages → windows → the two-head tagger, through the HF ``Trainer``.

``Trainer`` gives what a long run needs and what a multi-GPU run needs
unchanged under ``torchrun``/``accelerate launch``: checkpoints with optimizer,
scheduler and RNG state (``--resume``), mixed precision, early stopping.
"""
from __future__ import annotations

import errno
import json
import logging
import os
import random
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import torch
import yaml

from .config import TrainConfig
from .data import Page, load_dataset, page_from_record
from .features import rule_tags
from .heads import BaokanTagger, tagger_config, uses_rule_features
from .schema import ENTITY_LABELS, IGNORE_INDEX, ZONE_LABELS
from .spans import page_tags, tags_to_token_spans
from .textmap import CharEncoder, add_layout_tokens
from .windows import make_windows

log = logging.getLogger(__name__)


class TrainError(RuntimeError):
    """A training run that cannot start (bad paths, unwritable output, unloadable model)."""


def training_windows(n: int, window: int, stride: int, rng: random.Random | None = None) -> list[tuple[int, int]]:
    """(start, end) of the windows a page of ``n`` tokens is trained on.

    Without ``rng``, inference's tiling (``make_windows``). With it, the tiling starts at a
    random offset below ``stride``, plus a window at the page's start, so every token is
    still in some window but window edges fall anywhere on the page.
    """
    if rng is None or n <= window:
        return [(w.start, w.end) for w in make_windows(n, window, stride)]
    offset = rng.randrange(stride)
    starts = sorted({0, *range(offset, n - window, stride), n - window})
    return [(s, s + window) for s in starts]


def window_features(pages: Iterable[Page], encoder: CharEncoder, window: int, stride: int,
                    rule_features: bool = False, rule_dropout: float = 0.0, seed: int = 0,
                    silver: Sequence[bool] | None = None, random_offsets: bool = False) -> Iterable[dict[str, Any]]:
    """Model inputs with zone and entity label ids, one dict per window of each page.

    With ``rule_features``, each window also carries the rules' tags (model/features.py);
    a repeated (oversampled) page hides a different draw of its rule spans each time.
    Where ``silver[i]`` is true, page i's O entity tokens are ignored by the loss. With
    ``random_offsets``, each page's windows start at a seeded random offset (``training_windows``).
    """
    rng = random.Random(seed)
    offsets_rng = random.Random(seed + 1) if random_offsets else None
    for i, page in enumerate(pages):
        enc = encoder.encode(page.text)
        zone_tags, ent_tags = page_tags(page, enc)
        if silver is not None and silver[i]:
            ent_tags = np.where(ent_tags == ENTITY_LABELS.index("O"), IGNORE_INDEX, ent_tags)
        rules = rule_tags(page.text, enc, rule_dropout, rng) if rule_features else None
        for a, b in training_windows(len(enc), window, stride, offsets_rng):
            ids = [encoder.cls_id, *enc.ids[a:b].tolist(), encoder.sep_id]
            pad = [IGNORE_INDEX]
            feats = {
                "input_ids": ids,
                "zone_labels": pad + zone_tags[a:b].tolist() + pad,
                "entity_labels": pad + ent_tags[a:b].tolist() + pad,
            }
            if rules is not None:
                feats["rule_tags"] = [0, *rules[a:b].tolist(), 0]
            yield feats


class Collator:
    """Pads a batch to its longest window; labels are padded with the ignore index."""

    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, batch: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        n = max(len(b["input_ids"]) for b in batch)
        out = {
            "input_ids": torch.full((len(batch), n), self.pad_id, dtype=torch.long),
            "attention_mask": torch.zeros((len(batch), n), dtype=torch.long),
        }
        for key in ("zone_labels", "entity_labels"):
            if key in batch[0]:
                out[key] = torch.full((len(batch), n), IGNORE_INDEX, dtype=torch.long)
        if "rule_tags" in batch[0]:
            out["rule_tags"] = torch.zeros((len(batch), n), dtype=torch.long)  # padding reads as "O"
        for i, b in enumerate(batch):
            k = len(b["input_ids"])
            out["input_ids"][i, :k] = torch.as_tensor(b["input_ids"])
            out["attention_mask"][i, :k] = 1
            for key in ("zone_labels", "entity_labels", "rule_tags"):
                if key in out:
                    out[key][i, :k] = torch.as_tensor(b[key])
        return out


def _argmax_logits(logits, labels):
    # Keep only label ids during evaluation: full logits for every dev window
    # would be held in memory until the end of the evaluation loop.
    zone, ent = logits
    return zone.argmax(-1), ent.argmax(-1)


def _repaired(tags: list[int], labels: list[str]) -> list[str]:
    """Predicted tags as the decoder reads them (an I- without B- opens a span), so that
    model selection scores what users get rather than penalising every missing B-."""
    out = ["O"] * len(tags)
    for typ, a, b in tags_to_token_spans(tags, labels):
        out[a] = f"B-{typ}"
        for i in range(a + 1, b):
            out[i] = f"I-{typ}"
    return out


def window_metrics(eval_pred) -> dict[str, float]:
    """Strict seqeval F1 of zones and entities over dev windows (each token in one window)."""
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    (zone_pred, ent_pred), (zone_gold, ent_gold) = eval_pred.predictions, eval_pred.label_ids
    out = {}
    for name, pred, gold, labels in (
        ("zone", zone_pred, zone_gold, ZONE_LABELS),
        ("entity", ent_pred, ent_gold, ENTITY_LABELS),
    ):
        p_seqs, g_seqs = [], []
        for p_row, g_row in zip(pred, gold):
            keep = g_row != IGNORE_INDEX
            p_seqs.append(_repaired([int(x) for x in p_row[keep]], labels))
            g_seqs.append([labels[int(x)] for x in g_row[keep]])
        out[f"{name}_f1"] = float(f1_score(g_seqs, p_seqs, mode="strict", scheme=IOB2, zero_division=0))
    out["f1"] = (out["zone_f1"] + out["entity_f1"]) / 2
    return out


def load_pages(files: list[str], limit: int | None = None) -> list[Page]:
    """Validated pages through ``datasets`` (which caches parsed JSON for large collections)."""
    ds = load_dataset(files)
    if limit is not None:
        ds = ds.select(range(min(limit, len(ds))))
    return [page_from_record(r) for r in ds]


def training_pages(files: list[str], limit: int | None = None, oversample: dict[str, int] | None = None) -> list[Page]:
    """Pages of ``files`` in order, the first ``limit`` of them, each repeated as ``oversample`` says for its file."""
    return [page for _, page in training_pages_by_file(files, limit, oversample)]


def training_pages_by_file(files: list[str], limit: int | None = None,
                           oversample: dict[str, int] | None = None) -> list[tuple[str, Page]]:
    """``training_pages`` with the file each page came from."""
    out: list[tuple[str, Page]] = []
    taken = 0
    for f in files:
        left = None if limit is None else limit - taken
        if left is not None and left <= 0:
            break
        pages = load_pages([f], left)
        taken += len(pages)
        out.extend((f, p) for p in pages * (oversample or {}).get(f, 1))
    return out


def load_tokenizer(ref: str):
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(ref)
    except (OSError, ValueError) as err:
        raise TrainError(
            f"could not load a tokenizer from '{ref}': not a local model directory, and no model hub "
            f"reachable to fetch it ({err.__class__.__name__})"
        ) from err


def build_model(cfg: TrainConfig, tokenizer) -> BaokanTagger:
    """The tagger on the configured encoder: its weights, or only its shape when ``init: random``."""
    from transformers import AutoConfig, BertConfig

    try:
        base = AutoConfig.from_pretrained(cfg.model)
    except (OSError, ValueError) as err:
        raise TrainError(f"could not load model '{cfg.model}': not a local directory, and no model hub reachable") from err
    if not isinstance(base, BertConfig):
        raise TrainError(f"'{cfg.model}' is a {type(base).__name__}; baokan fine-tunes BERT-family encoders (BertConfig)")
    if cfg.init == "pretrained" and uses_rule_features(base) and not cfg.rule_features:
        # Its rule embeddings would be dropped without a word and the tagger would read
        # pages without the input it was trained with.
        raise TrainError(f"'{cfg.model}' reads rule features (model/features.py); set rule_features: true "
                         "in the config to train it further, or init: random to start afresh")
    pre: dict[str, Any] = {"window": cfg.window, "stride": cfg.stride}
    if cfg.rule_features:
        pre["rule_features"] = True
        # The rules copy each name they find to its later mentions, and the tagger reads
        # those copies; copying its own tags again spread names it cut short (gold-dev
        # OFFICIAL F1 0.692 without, 0.672 with; MODEL_CARD.md).
        pre["propagate_mentions"] = False
    tcfg = tagger_config(base, pre)
    tcfg.loss_weights = dict(cfg.loss_weights)
    if cfg.init == "random":
        model = BaokanTagger(tcfg)
    else:
        model = BaokanTagger.from_pretrained(cfg.model, config=tcfg)
    if len(tokenizer) > model.config.vocab_size:
        model.resize_token_embeddings(len(tokenizer))
    return model


def _check_writable(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as err:
        raise TrainError(f"output directory {out} is not writable: {err.strerror or err}") from err


def precision_flags(precision: str) -> dict[str, bool]:
    """Trainer flags: mixed precision keeps fp32 master weights and autocasts the matmuls.

    ``auto`` is bf16 on a GPU that has it (fp16 on older ones), bf16 on a CPU with bf16 in
    hardware (1.4x the fp32 training tokens/s on the development CPU), fp32 elsewhere.
    """
    from .hardware import cpu_has_native_bf16

    if precision == "auto":
        if torch.cuda.is_available():
            precision = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        else:
            precision = "bf16" if cpu_has_native_bf16() else "fp32"
    if precision == "fp16" and not torch.cuda.is_available():
        raise TrainError("precision fp16 needs a GPU; use 'auto', 'bf16' or 'fp32' on the CPU")
    return {"bf16": precision == "bf16", "fp16": precision == "fp16"}


def shared_training_args(cfg: Any, ckpt_dir: Path, label_names: list[str]) -> dict[str, Any]:
    """``TrainingArguments`` that fine-tuning and pretraining share, from either config."""
    return dict(
        output_dir=str(ckpt_dir),
        per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=cfg.eval_batch_size,
        gradient_accumulation_steps=cfg.gradient_accumulation_steps,
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps,
        learning_rate=cfg.learning_rate,
        weight_decay=cfg.weight_decay,
        warmup_steps=cfg.warmup_steps,
        logging_steps=cfg.logging_steps,
        seed=cfg.seed,
        data_seed=cfg.seed,
        label_names=label_names,
        remove_unused_columns=False,
        report_to="none",
        dataloader_num_workers=cfg.dataloader_num_workers,
        use_cpu=not torch.cuda.is_available(),
        **precision_flags(cfg.precision),
    )


# What the Trainer writes into a checkpoint, trainer_state.json last: a directory
# without all of them is a save that did not finish (a full disk, a kill).
CHECKPOINT_FILES = ("model.safetensors", "optimizer.pt", "scheduler.pt", "trainer_state.json")


def complete_checkpoint(ckpt_dir: Path) -> Path | None:
    """The newest checkpoint that was saved in full; unfinished ones are set aside, not deleted."""
    found = sorted((p for p in ckpt_dir.glob("checkpoint-*") if p.name.split("-")[-1].isdigit()),
                   key=lambda p: int(p.name.split("-")[-1]))
    for p in reversed(found):
        if all((p / f).is_file() for f in CHECKPOINT_FILES):
            return p
        if int(os.environ.get("RANK", "0")) != 0:
            continue  # under torchrun only the first process moves folders
        # The Trainer would resume from (and rotate around) the newest name; keep it out of the way.
        k = 0
        aside = p.with_name(f"incomplete-{p.name}")
        while aside.exists():
            k += 1
            aside = p.with_name(f"incomplete-{p.name}.{k}")
        missing = ", ".join(f for f in CHECKPOINT_FILES if not (p / f).is_file())
        try:
            p.rename(aside)
            log.warning("%s was not saved in full (%s missing); moved to %s", p, missing, aside.name)
        except OSError as err:
            log.warning("%s was not saved in full (%s missing) and could not be moved: %s", p, missing, err)
    return None


def train(cfg: TrainConfig, resume: bool = False) -> dict[str, Any]:
    """Train a tagger as the config says; write the model directory and ``metrics.json``."""
    import datasets
    from transformers import EarlyStoppingCallback, Trainer, TrainingArguments, set_seed

    out = Path(cfg.output_dir)
    _check_writable(out)
    ckpt_dir = out / "checkpoints"
    resume_from = None
    if resume:
        resume_from = complete_checkpoint(ckpt_dir) if ckpt_dir.is_dir() else None
        if resume_from is None:
            raise TrainError(f"--resume: no complete checkpoint in {ckpt_dir}")
    # Data is checked in full before any model is loaded or any step is taken.
    by_file = training_pages_by_file(cfg.train_files, cfg.max_train_pages, cfg.oversample)
    train_pages = [p for _, p in by_file]
    silver = [f in cfg.silver_files for f, _ in by_file]
    if silver and all(silver):
        raise TrainError(f"max_train_pages {cfg.max_train_pages} takes only pages of 'silver_files': "
                         "no page would teach the tagger where entities are not")
    dev_pages = load_pages(cfg.dev_files) if cfg.dev_files else []
    set_seed(cfg.seed)
    tokenizer = load_tokenizer(cfg.tokenizer or cfg.model)
    add_layout_tokens(tokenizer)
    encoder = CharEncoder.from_tokenizer(tokenizer)
    model = build_model(cfg, tokenizer)
    max_pos = model.config.max_position_embeddings
    if cfg.window + 2 > max_pos:
        raise TrainError(f"window {cfg.window} + 2 special tokens exceeds the encoder's {max_pos} positions")

    train_ds = datasets.Dataset.from_list(list(window_features(
        train_pages, encoder, cfg.window, cfg.stride, cfg.rule_features, cfg.rule_dropout, cfg.seed, silver,
        cfg.random_window_offsets)))
    # Dev windows do not overlap, so every dev token is scored exactly once; dev sees every
    # rule mark, as inference does.
    dev_ds = (
        datasets.Dataset.from_list(list(window_features(dev_pages, encoder, cfg.window, cfg.window, cfg.rule_features)))
        if dev_pages else None
    )
    steps_kw: dict[str, Any] = {}
    if dev_ds is not None:
        strategy = "steps" if cfg.eval_steps else "epoch"
        steps_kw = dict(
            eval_strategy=strategy, save_strategy=strategy, load_best_model_at_end=True,
            metric_for_best_model="f1", greater_is_better=True,
        )
        if cfg.eval_steps:
            steps_kw.update(eval_steps=cfg.eval_steps, save_steps=cfg.save_steps or cfg.eval_steps)
    else:
        steps_kw = dict(eval_strategy="no", save_strategy="steps" if cfg.save_steps else "epoch")
        if cfg.save_steps:
            steps_kw["save_steps"] = cfg.save_steps
    args = TrainingArguments(
        **shared_training_args(cfg, ckpt_dir, ["zone_labels", "entity_labels"]),
        save_total_limit=cfg.save_total_limit,
        **steps_kw,
    )
    callbacks = [EarlyStoppingCallback(cfg.patience)] if (dev_ds is not None and cfg.patience) else []
    trainer = Trainer(
        model=model, args=args, train_dataset=train_ds, eval_dataset=dev_ds,
        data_collator=Collator(encoder.pad_id), compute_metrics=window_metrics,
        preprocess_logits_for_metrics=_argmax_logits, callbacks=callbacks,
    )
    t0 = time.time()
    try:
        result = trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    except OSError as err:
        # Most often a full disk while saving a checkpoint: the one before it is untouched.
        last = complete_checkpoint(ckpt_dir) if ckpt_dir.is_dir() else None
        keep = f"the last complete checkpoint, {last}, is intact; " if last else ""
        fix = "free space and rerun" if err.errno in (errno.ENOSPC, errno.EDQUOT) else "fix that and rerun"
        raise TrainError(f"training stopped: {err.strerror or err} ({getattr(err, 'filename', None) or ckpt_dir}); "
                         f"{keep}{fix} with --resume") from err
    wall = time.time() - t0
    metrics: dict[str, Any] = {
        "train_loss": result.training_loss,
        "train_steps": result.global_step,
        "train_windows": len(train_ds),
        "train_pages": len({id(p) for p in train_pages}),
        "train_tokens_per_epoch": int(sum(len(x) for x in train_ds["input_ids"])),
        "wall_seconds": round(wall, 1),
        "device": "cuda" if torch.cuda.is_available() else "cpu",
    }
    if dev_ds is not None:
        metrics.update({k.replace("eval_", "dev_"): v for k, v in trainer.evaluate().items()})
    if trainer.is_world_process_zero():
        trainer.save_model(str(out))
        # Trainer pickles its arguments beside the weights; a model directory
        # holds no pickle (model/heads.py refuses them), so keep them as JSON.
        (out / "training_args.bin").unlink(missing_ok=True)
        (out / "training_args.json").write_text(args.to_json_string(), encoding="utf-8")
        tokenizer.save_pretrained(str(out))
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        (out / "train_config.yaml").write_text(yaml.safe_dump(asdict(cfg), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return metrics
