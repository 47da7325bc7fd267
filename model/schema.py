"""The label schema: the one place that knows which zones and entity types exist.

Two label layers share one encoder: article zones and entities, each tagged BIO.
Everything else (data validation, converters, heads, decoding, evaluation) asks
this module instead of spelling the labels out again.
"""
from __future__ import annotations

ZONE_TYPES: tuple[str, ...] = ("TITLE", "BODY", "BYLINE")
ENTITY_TYPES: tuple[str, ...] = ("OFFICIAL", "ORG", "DATE", "AMOUNT")

# The JSON field that holds each zone inside an article record.
ZONE_FIELDS: dict[str, str] = {"TITLE": "title", "BODY": "body", "BYLINE": "byline"}


def bio_labels(types: tuple[str, ...]) -> list[str]:
    """``O`` first, then ``B-T``/``I-T`` for every type, in schema order."""
    labels = ["O"]
    for t in types:
        labels += [f"B-{t}", f"I-{t}"]
    return labels


ZONE_LABELS: list[str] = bio_labels(ZONE_TYPES)
ENTITY_LABELS: list[str] = bio_labels(ENTITY_TYPES)

# Label id used for positions that carry no label (special tokens, padding);
# torch's cross-entropy skips it.
IGNORE_INDEX = -100


def label_maps(labels: list[str]) -> tuple[dict[int, str], dict[str, int]]:
    id2label = dict(enumerate(labels))
    return id2label, {v: k for k, v in id2label.items()}
