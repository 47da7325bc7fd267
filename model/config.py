"""Training configs: YAML files checked against a dataclass, every mistake named.

A config is data. Loading it checks each key against the fields below (type,
range, file existence) and lists every problem at once, e.g.
``configs/x.yaml: 'lerning_rate' is not a setting (did you mean 'learning_rate'?)``.
Relative paths are taken from the current directory, like every other path
the CLI accepts.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

import yaml


class ConfigError(ValueError):
    def __init__(self, source: str, problems: list[str]):
        self.problems = [f"{source}: {p}" for p in problems]
        super().__init__("invalid config:\n" + "\n".join(self.problems))


@dataclass
class TrainConfig:
    # Encoder: a local directory or a hub name (bert-base-chinese, hfl/rbt3, ...).
    model: str
    train_files: list[str]
    output_dir: str
    dev_files: list[str] = field(default_factory=list)
    tokenizer: str | None = None
    # "pretrained" fine-tunes the encoder's weights; "random" keeps only its
    # architecture and vocabulary (the from-scratch baseline).
    init: Literal["pretrained", "random"] = "pretrained"
    window: int = 256
    stride: int = 192
    epochs: float = 3.0
    max_steps: int = -1
    batch_size: int = 16
    eval_batch_size: int = 32
    gradient_accumulation_steps: int = 1
    learning_rate: float = 5e-5
    weight_decay: float = 0.01
    warmup_steps: float = 0.06
    seed: int = 42
    eval_steps: int | None = None
    save_steps: int | None = None
    save_total_limit: int = 2
    logging_steps: int = 50
    patience: int | None = 3
    loss_weights: dict[str, float] = field(default_factory=lambda: {"zone": 1.0, "entity": 1.0})
    max_train_pages: int | None = None
    # Pages of a train file seen this many times per epoch, e.g. a few hand-labelled
    # pages among thousands of composed ones: {data/gold/train.jsonl: 20}.
    oversample: dict[str, int] = field(default_factory=dict)
    # Feed the rule pre-annotator's entity tags to the tagger as an input (model/features.py);
    # in training each rule span is hidden with probability rule_dropout.
    rule_features: bool = False
    rule_dropout: float = 0.0
    # Train files whose entities are silver (the rules' output on composed pages). The
    # rules miss about half the ORG mentions, so their O tokens teach the tagger to miss
    # them too; on these files only the marked spans carry entity loss, and the O of the
    # hand-labelled files does the rest.
    silver_files: list[str] = field(default_factory=list)
    # Start each page's training windows at a random offset (seeded) instead of at its first
    # token, so the zone layer does not learn where windows begin; fixed keeps the tiling
    # that inference uses.
    random_window_offsets: bool = False
    dataloader_num_workers: int = 0
    precision: Literal["auto", "fp32", "bf16", "fp16"] = "auto"


_HUB_NAME = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


def _type_ok(value: Any, tp: Any) -> tuple[bool, Any]:
    """(ok, value coerced) for the simple types configs use."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            ok, v = _type_ok(value, arg)
            if ok:
                return True, v
        return False, value
    if tp is type(None):
        return value is None, value
    if origin is Literal:
        return value in typing.get_args(tp), value
    if origin is list:
        (inner,) = typing.get_args(tp)
        if isinstance(value, (str, int, float)) and inner is str:
            value = [str(value)]
        if not isinstance(value, list):
            return False, value
        out = []
        for v in value:
            ok, v2 = _type_ok(v, inner)
            if not ok:
                return False, value
            out.append(v2)
        return True, out
    if origin is dict:
        kt, vt = typing.get_args(tp)
        if not isinstance(value, dict):
            return False, value
        return all(_type_ok(k, kt)[0] and _type_ok(v, vt)[0] for k, v in value.items()), value
    if tp is bool:
        return isinstance(value, bool), value
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if tp is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return ok, float(value) if ok else value
    if tp is str:
        return isinstance(value, str), value
    return isinstance(value, tp), value


def _describe(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(a) for a in typing.get_args(tp))
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if tp is type(None):
        return "null"
    if origin is list:
        return f"a list of {_describe(typing.get_args(tp)[0])}"
    if origin is dict:
        return "a mapping"
    return {int: "an integer", float: "a number", str: "a string", bool: "true or false"}.get(tp, str(tp))


def read_config_file(path: str | Path) -> dict[str, Any]:
    """The top-level mapping of a YAML config file; ConfigError if it is missing or not a mapping."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise ConfigError(source, ["no such file"])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ConfigError(source, [f"not valid YAML: {err}"]) from err
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(source, ["expected a mapping of settings at the top level"])
    return raw


def load_train_config(path: str | Path, overrides: dict[str, Any] | None = None) -> TrainConfig:
    """Read and check a training config; raise ConfigError listing every problem."""
    raw = read_config_file(path)
    raw.update(overrides or {})
    return config_from_dict(raw, str(path))


def config_from_dict(raw: dict[str, Any], source: str = "<config>", schema: type | None = None,
                     check: Callable[[Any], list[str]] | None = None) -> Any:
    """Build ``schema`` (default TrainConfig) from a mapping: types first, then ``check``'s value rules."""
    if schema is None:
        schema, check = TrainConfig, check or _check_values
    hints = typing.get_type_hints(schema)
    fields = {f.name: f for f in dataclasses.fields(schema)}
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in fields:
            close = difflib.get_close_matches(str(key), list(fields), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known settings: {', '.join(fields)})"
            problems.append(f"'{key}' is not a setting{hint}")
            continue
        ok, coerced = _type_ok(value, hints[key])
        if not ok:
            problems.append(f"'{key}': expected {_describe(hints[key])}, got {value!r}")
            continue
        values[key] = coerced
    for name, f in fields.items():
        if name not in values and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            if name not in raw:
                problems.append(f"'{name}' is required")
    if problems:
        raise ConfigError(source, problems)
    cfg = schema(**values)
    problems += check(cfg) if check is not None else []
    if problems:
        raise ConfigError(source, problems)
    return cfg


def _check_values(cfg: TrainConfig) -> list[str]:
    problems = []
    for name in ("window", "stride", "batch_size", "eval_batch_size", "gradient_accumulation_steps", "logging_steps"):
        if getattr(cfg, name) < 1:
            problems.append(f"'{name}': expected a positive integer, got {getattr(cfg, name)}")
    if cfg.window + 2 > 4096:
        problems.append(f"'window': {cfg.window} is larger than any BERT position table")
    if cfg.stride > cfg.window:
        problems.append(f"'stride': {cfg.stride} is larger than 'window' ({cfg.window}); windows would skip text")
    if cfg.learning_rate <= 0:
        problems.append(f"'learning_rate': expected a positive number, got {cfg.learning_rate}")
    if cfg.epochs <= 0 and cfg.max_steps <= 0:
        problems.append("'epochs' or 'max_steps' must be positive")
    if not cfg.train_files:
        problems.append("'train_files': expected at least one file")
    for key in ("train_files", "dev_files"):
        for p in getattr(cfg, key):
            if not Path(p).is_file():
                problems.append(f"'{key}': {p} does not exist")
    for key in ("model", "tokenizer"):
        ref = getattr(cfg, key)
        if ref is None or Path(ref).exists():
            continue
        if not _HUB_NAME.match(ref) or ref.startswith((".", "/")):
            problems.append(f"'{key}': {ref} is neither an existing directory nor a hub model name")
    for f, times in cfg.oversample.items():
        if f not in cfg.train_files:
            problems.append(f"'oversample': {f} is not one of 'train_files'")
        if times < 1:
            problems.append(f"'oversample': {f} repeats {times} times; expected a positive integer")
    for f in cfg.silver_files:
        if f not in cfg.train_files:
            problems.append(f"'silver_files': {f} is not one of 'train_files'")
    if cfg.silver_files and set(cfg.silver_files) >= set(cfg.train_files):
        problems.append("'silver_files' holds every train file: no page would teach the tagger where entities are not")
    if not 0 <= cfg.rule_dropout < 1:
        problems.append(f"'rule_dropout': expected a number from 0 up to (not including) 1, got {cfg.rule_dropout}")
    if cfg.rule_dropout and not cfg.rule_features:
        problems.append("'rule_dropout' is set but 'rule_features' is false")
    if set(cfg.loss_weights) - {"zone", "entity"}:
        problems.append(f"'loss_weights': keys must be 'zone' and 'entity', got {sorted(cfg.loss_weights)}")
    return problems
