"""Rule features: the rule pre-annotator's marks, read by the tagger as an extra input.

A tagger with ``rule_features`` in its config adds, to each token's embedding, a
learned vector for the BIO entity tag the rules (``model.preannotate``, whole
page as one scope) give that token. The rules carry what a small tagger learns
slowly from silver pages: title and surname lexicons, number grammars, long ORG
names; the tagger keeps what the rules lack: context, and whatever hand-labelled
pages teach it about where the rules go wrong (the stacking that spaCy's
``entity_ruler`` before ``ner`` does by hand).

Composed pages are labelled by the same rules, so a tagger trained on them
with every rule mark visible would learn only to copy it. Training therefore
hides each rule span with probability ``rule_dropout``: where a mark is hidden
the label still holds it, and the tagger must find it from the text.
"""
from __future__ import annotations

import random

import numpy as np

from .schema import ENTITY_LABELS
from .spans import spans_to_tags
from .textmap import Encoding


def rule_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of every entity the rules find on a page, the whole page one scope.

    Inference has no articles before the tagger runs, so training and inference
    both call the rules without them (on gold-dev the two differ by 0.001 micro F1).
    """
    from .preannotate import preannotate

    return [(e.type, e.start, e.end) for e in preannotate(text)]


def rule_tags(text: str, enc: Encoding, dropout: float = 0.0, rng: random.Random | None = None) -> np.ndarray:
    """Entity label ids (``ENTITY_LABELS``) per token from the rules, each span hidden with probability ``dropout``."""
    spans = rule_spans(text)
    if dropout > 0:
        rng = rng or random.Random(0)
        spans = [s for s in spans if rng.random() >= dropout]
    return spans_to_tags(spans, enc, ENTITY_LABELS)
