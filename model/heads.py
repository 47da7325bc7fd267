"""The tagger: one BERT-family encoder, two token-classification heads.

One forward pass gives zone logits (article zones, BIO over TITLE/BODY/BYLINE)
and entity logits (BIO over OFFICIAL/ORG/DATE/AMOUNT). The model saves as a
plain Hugging Face directory: ``config.json`` (a ``BertConfig`` that carries
both label maps and the preprocessing settings), ``model.safetensors`` and the
tokenizer files; the encoder weights load into ``AutoModel`` as they are.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn
from transformers import BertConfig, BertModel
from transformers.modeling_outputs import ModelOutput
from transformers.models.bert.modeling_bert import BertPreTrainedModel

from .schema import ENTITY_LABELS, IGNORE_INDEX, ZONE_LABELS

# Preprocessing settings stored in config.json under "baokan"; the same values
# drive training, evaluation and inference.
DEFAULT_PREPROCESSING: dict[str, Any] = {"window": 256, "stride": 192, "format_version": 1}


@dataclass
class TaggerOutput(ModelOutput):
    loss: torch.Tensor | None = None
    zone_logits: torch.Tensor | None = None
    entity_logits: torch.Tensor | None = None


class ModelFileError(ValueError):
    """A model directory that is missing files, unsafe or inconsistent."""


class BaokanTagger(BertPreTrainedModel):
    def __init__(self, config: BertConfig):
        super().__init__(config)
        zone_labels = getattr(config, "zone_labels", None) or ZONE_LABELS
        entity_labels = getattr(config, "entity_labels", None) or ENTITY_LABELS
        config.zone_labels, config.entity_labels = list(zone_labels), list(entity_labels)
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.zone_head = nn.Linear(config.hidden_size, len(zone_labels))
        self.entity_head = nn.Linear(config.hidden_size, len(entity_labels))
        # The rules' entity tag per token (model/features.py), added to the token embedding.
        self.rule_embeddings = (nn.Embedding(len(entity_labels), config.hidden_size)
                                if uses_rule_features(config) else None)
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        super()._init_weights(module)
        # Zero: a tagger that gains rule features starts out exactly as it was.
        if module is getattr(self, "rule_embeddings", None):
            nn.init.zeros_(module.weight)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        zone_labels: torch.Tensor | None = None,
        entity_labels: torch.Tensor | None = None,
        rule_tags: torch.Tensor | None = None,
        **kwargs: Any,
    ) -> TaggerOutput:
        if self.rule_embeddings is not None:
            if rule_tags is None:
                raise ValueError("this tagger reads rule features: pass rule_tags (model/features.py)")
            embeds = self.bert.embeddings.word_embeddings(input_ids) + self.rule_embeddings(rule_tags)
            hidden = self.bert(inputs_embeds=embeds, attention_mask=attention_mask).last_hidden_state
        else:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        hidden = self.dropout(hidden)
        zone_logits = self.zone_head(hidden)
        entity_logits = self.entity_head(hidden)
        loss = None
        if zone_labels is not None or entity_labels is not None:
            ce = nn.CrossEntropyLoss(ignore_index=IGNORE_INDEX)
            loss = zone_logits.new_zeros(())
            weights = getattr(self.config, "loss_weights", None) or {"zone": 1.0, "entity": 1.0}
            if zone_labels is not None:
                loss = loss + weights["zone"] * ce(zone_logits.flatten(0, 1).float(), zone_labels.flatten())
            if entity_labels is not None:
                loss = loss + weights["entity"] * ce(entity_logits.flatten(0, 1).float(), entity_labels.flatten())
        return TaggerOutput(loss=loss, zone_logits=zone_logits, entity_logits=entity_logits)


def uses_rule_features(config: BertConfig) -> bool:
    """Whether a tagger reads the rules' entity tags as input (``"rule_features"`` under ``"baokan"``)."""
    return bool((getattr(config, "baokan", None) or {}).get("rule_features", False))


def tagger_config(base: BertConfig, preprocessing: dict[str, Any] | None = None) -> BertConfig:
    """A tagger config from an encoder config: label maps and preprocessing settings added."""
    cfg = BertConfig.from_dict(base.to_dict())
    cfg.architectures = ["BaokanTagger"]
    cfg.zone_labels = list(ZONE_LABELS)
    cfg.entity_labels = list(ENTITY_LABELS)
    # id2label/label2id follow the entity head so generic tools show entity names.
    cfg.id2label = dict(enumerate(ENTITY_LABELS))
    cfg.label2id = {v: k for k, v in cfg.id2label.items()}
    cfg.baokan = {**DEFAULT_PREPROCESSING, **(preprocessing or {})}
    return cfg


def check_model_dir(path: str | Path) -> None:
    """Refuse a model directory that is unsafe or inconsistent, before any weight is read."""
    path = Path(path)
    if not path.is_dir():
        raise ModelFileError(f"{path}: not a model directory")
    cfg_file = path / "config.json"
    if not cfg_file.is_file():
        raise ModelFileError(f"{path}: config.json is missing")
    pickles = sorted(p.name for p in path.iterdir() if p.suffix in {".bin", ".pt", ".pth", ".ckpt", ".pkl"})
    if not (path / "model.safetensors").is_file():
        extra = f" (found {', '.join(pickles)}: pickle files are never loaded)" if pickles else ""
        raise ModelFileError(f"{path}: model.safetensors is missing{extra}")
    try:
        cfg = json.loads(cfg_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelFileError(f"{cfg_file}: not valid JSON ({err})") from err
    if cfg.get("auto_map") or cfg.get("trust_remote_code"):
        raise ModelFileError(f"{cfg_file}: asks for remote code (auto_map); baokan never runs code from a model directory")


def load_tagger(path: str | Path, device: str | torch.device = "cpu") -> BaokanTagger:
    """Load a saved tagger: safetensors only, shapes checked against the label maps."""
    from safetensors import safe_open

    path = Path(path)
    check_model_dir(path)
    config = BertConfig.from_pretrained(str(path))
    zone_labels = getattr(config, "zone_labels", None)
    entity_labels = getattr(config, "entity_labels", None)
    if not zone_labels or not entity_labels:
        raise ModelFileError(f"{path}/config.json: zone_labels/entity_labels are missing; not a baokan tagger")
    with safe_open(str(path / "model.safetensors"), framework="pt") as f:
        shapes = {k: tuple(f.get_slice(k).get_shape()) for k in f.keys()}
    expect = {
        "zone_head.weight": (len(zone_labels), config.hidden_size),
        "entity_head.weight": (len(entity_labels), config.hidden_size),
        "bert.embeddings.word_embeddings.weight": (config.vocab_size, config.hidden_size),
    }
    if uses_rule_features(config):
        expect["rule_embeddings.weight"] = (len(entity_labels), config.hidden_size)
    for key, shape in expect.items():
        if key not in shapes:
            raise ModelFileError(f"{path}/model.safetensors: tensor {key} is missing")
        if shapes[key] != shape:
            raise ModelFileError(
                f"{path}: {key} has shape {list(shapes[key])} but config.json implies {list(shape)} "
                "(label maps or vocab_size do not match the weights)"
            )
    from transformers.utils import logging as hf_logging

    # One progress bar per run is ours; the loader's own bar would interleave with it.
    hf_logging.disable_progress_bar()
    model = BaokanTagger.from_pretrained(str(path), config=config, use_safetensors=True)
    return model.to(device).eval()
