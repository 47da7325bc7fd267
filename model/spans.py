"""Spans ↔ tags: labels of a page onto tokens, and predicted tags back into articles and entities.

Both directions live here so that training, evaluation and inference agree on
what a span is. Decoding repairs what a tagger can emit but the schema forbids:
``I-`` without ``B-``, zones out of order, entities that cross an article edge.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .data import Article, Entity, Page
from .schema import ENTITY_LABELS, ZONE_LABELS, ZONE_TYPES, label_maps
from .textmap import Encoding

_ZONE_ORDER = {z: i for i, z in enumerate(ZONE_TYPES)}


def spans_to_tags(spans: Sequence[tuple[str, int, int]], enc: Encoding, labels: list[str]) -> np.ndarray:
    """BIO label ids per token for character spans (type, start, end).

    A token takes the label of the span that contains its first character;
    the first token of a span gets ``B-``.
    """
    _, label2id = label_maps(labels)
    tags = np.zeros(len(enc), dtype=np.int64)
    if not len(enc):
        return tags
    for typ, s, e in spans:
        first = int(np.searchsorted(enc.starts, s, side="right")) - 1
        first = max(first, 0)
        if enc.starts[first] < s:  # span starts inside a token: the next token opens it
            first += 1
        last = int(np.searchsorted(enc.starts, e, side="left"))  # tokens starting before e
        if first >= last:
            continue
        tags[first] = label2id[f"B-{typ}"]
        tags[first + 1:last] = label2id[f"I-{typ}"]
    return tags


def page_spans(page: Page) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """(zone spans, entity spans) of a labelled page, as (type, start, end)."""
    zones = [z for a in page.articles for z in a.zones()]
    ents = [(e.type, e.start, e.end) for e in page.entities]
    return zones, ents


def page_tags(page: Page, enc: Encoding) -> tuple[np.ndarray, np.ndarray]:
    zones, ents = page_spans(page)
    return spans_to_tags(zones, enc, ZONE_LABELS), spans_to_tags(ents, enc, ENTITY_LABELS)


def tags_to_token_spans(tags: Sequence[int], labels: list[str], bridge: bool = False) -> list[tuple[str, int, int]]:
    """Token spans (type, first, last+1) from BIO ids.

    ``I-X`` that follows something other than ``X`` opens a new span, as
    ``B-X`` would. With ``bridge``, an ``I-X`` after a run of ``O`` continues
    the previous ``X`` span instead: a zone cannot legitimately contain a gap
    of ``O`` that ends in ``I-`` (whitespace inside zones is ``I-``), so such a
    gap is the tagger dropping a few tokens, not a new zone.
    """
    out: list[list] = []
    cur: list | None = None
    for i, t in enumerate(tags):
        lab = labels[int(t)]
        if lab == "O":
            cur = None
            continue
        bio, typ = lab.split("-", 1)
        if bio == "I" and cur is not None and cur[0] == typ:
            cur[2] = i + 1
        elif bio == "I" and bridge and cur is None and out and out[-1][0] == typ:
            cur = out[-1]
            cur[2] = i + 1
        else:
            cur = [typ, i, i + 1]
            out.append(cur)
    return [tuple(x) for x in out]


def transitions(labels: list[str], split_penalty: float = 0.0) -> np.ndarray:
    """Additive log-weights of tag bigrams (from row to column): ``I-X`` only after ``B-X``
    or ``I-X`` (-inf otherwise); ``B-X`` right after an ``X`` costs ``split_penalty``.

    Two mentions of one type with nothing between them are rare in the labelled pages
    (11 of 2,748 neighbouring pairs: 市委市政府, 李强应勇), while a weak tagger often
    opens a second span inside one (``20`` ``23年``); the penalty asks for that much more
    evidence before splitting.
    """
    k = len(labels)
    trans = np.zeros((k, k))
    for j, lab in enumerate(labels):
        if lab == "O":
            continue
        bio, typ = lab.split("-", 1)
        same = [i for i, x in enumerate(labels) if x != "O" and x.split("-", 1)[1] == typ]
        if bio == "I":
            trans[:, j] = -np.inf
            trans[same, j] = 0.0
        else:
            trans[same, j] = -split_penalty
    return trans


def _viterbi_batch(logp: np.ndarray, labels: list[str], opens: np.ndarray, split_penalty: float = 0.0) -> np.ndarray:
    """Best schema-valid paths for a batch of equal-length sequences (C, L, K); ``opens[c]``
    marks a sequence that starts the page (no ``I-`` at its first token)."""
    c, n, k = logp.shape
    trans = transitions(labels, split_penalty)
    inside = np.array([i for i, lab in enumerate(labels) if lab.startswith("I-")])
    back = np.zeros((c, n, k), dtype=np.int8)
    score = logp[:, 0].astype(np.float64)
    score[np.ix_(opens, inside)] = -np.inf
    for t in range(1, n):
        cand = score[:, :, None] + trans[None]
        prev = cand.argmax(1)
        back[:, t] = prev
        score = np.take_along_axis(cand, prev[:, None, :], 1)[:, 0] + logp[:, t]
    tags = np.empty((c, n), dtype=np.int64)
    tags[:, -1] = score.argmax(1)
    rows = np.arange(c)
    for t in range(n - 1, 0, -1):
        tags[:, t - 1] = back[rows, t, tags[:, t]]
    return tags


def viterbi(logp: np.ndarray, labels: list[str], chunk: int = 256, margin: int = 64,
            split_penalty: float = 0.0) -> np.ndarray:
    """The most probable BIO tag sequence that the schema allows, from per-token log-probabilities.

    Per-token argmax breaks spans wherever one token's ``I-`` loses to ``B-``
    or ``O`` by a little (``12月`` ``11日凌`` ``晨`` as three dates); the best
    path under "``I-X`` only after ``B-X`` or ``I-X``" keeps such a span whole
    and drops an ``I-`` that nothing can open.

    A long page is decoded in pieces of ``chunk`` tokens, each with ``margin``
    tokens of context on both sides, all pieces at once: a Python loop over a
    million tokens would cost more than the model. Best paths that differ only
    far away agree within a few tokens (any ``O``/``B-`` resets the choice). Where
    two neighbouring pieces disagree anywhere on the stretch both decoded, that
    did not happen (a long ambiguous span crosses the seam), and the page is
    decoded in one sequential pass instead, so the result is always a valid path.
    """
    n, k = logp.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n <= chunk + 2 * margin:
        return _viterbi_batch(logp[None], labels, np.array([True]), split_penalty)[0]
    cores = list(range(0, n, chunk))
    width = chunk + 2 * margin
    batch = np.zeros((len(cores), width, k), dtype=logp.dtype)  # zero log-probs after the end change nothing
    offsets = []
    for i, s in enumerate(cores):
        a = max(0, s - margin)
        b = min(n, a + width)
        batch[i, :b - a] = logp[a:b]
        offsets.append(a)
    paths = _viterbi_batch(batch, labels, np.array([a == 0 for a in offsets]), split_penalty)
    for i in range(1, len(cores)):
        # The middle of the stretch both piece i-1 (right margin) and piece i (left margin)
        # decoded: away from either piece's cut edge, both must have found the same path.
        a, b = max(0, cores[i] - margin // 2), min(n, cores[i] + margin // 2)
        left = paths[i - 1, a - offsets[i - 1]:b - offsets[i - 1]]
        right = paths[i, a - offsets[i]:b - offsets[i]]
        if not np.array_equal(left, right):
            return _viterbi_batch(logp[None], labels, np.array([True]), split_penalty)[0]
    tags = np.empty(n, dtype=np.int64)
    for i, s in enumerate(cores):
        e = min(n, s + chunk)
        tags[s:e] = paths[i, s - offsets[i]:e - offsets[i]]
    return tags


def line_viterbi(logp: np.ndarray, labels: list[str], ids: np.ndarray, nl_id: int, sp_id: int,
                 split_penalty: float = 0.0) -> np.ndarray:
    """Zone tags that change only where a line starts: the best such path, from token log-probabilities.

    Zones are whole lines (data/ANNOTATION.md, rules 1–3: a headline, a body and
    a byline each run from the first to the last character of their lines), so
    a zone boundary inside a line is always a tagger error. Each line is scored
    as a unit (the sum of its tokens' log-probabilities under "the line is O",
    "continues X", or "opens X at its first non-space token"), the schema-valid
    path is found over lines, and the line tags are spread back to tokens. A
    blank line cannot open a zone. One uncertain character can no longer split
    an article; the evidence of every character of a line counts.
    """
    n, k = logp.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    logp = logp.astype(np.float64)
    is_nl = ids == nl_id
    first = np.flatnonzero(np.r_[True, is_nl[:-1]])  # first token of each line
    last = np.r_[first[1:], n]
    blank = (ids == sp_id) | is_nl
    content = np.where(blank, n, np.arange(n))
    # First non-space token of each line (n where the line is blank).
    lead = np.minimum.reduceat(content, first)
    has_text = lead < last
    cum = np.vstack([np.zeros((1, k)), np.cumsum(logp, axis=0)])
    total = cum[last] - cum[first]
    o = labels.index("O")
    scores = np.empty_like(total)
    scores[:, o] = total[:, o]
    c = np.where(has_text, lead, first)
    for typ in {lab[2:] for lab in labels if lab != "O"}:
        b, i = labels.index(f"B-{typ}"), labels.index(f"I-{typ}")
        scores[:, i] = total[:, i]
        opened = (cum[c, o] - cum[first, o]) + logp[c, b] + (cum[last, i] - cum[c + 1, i])
        scores[:, b] = np.where(has_text, opened, -np.inf)
    line_tags = viterbi(scores, labels, split_penalty=split_penalty)
    tags = np.repeat(line_tags, last - first)
    inside_of = {labels.index(f"B-{t}"): labels.index(f"I-{t}") for t in {x[2:] for x in labels if x != "O"}}
    inside_of.update({i: i for i in inside_of.values()})
    # Last non-space token of each line (-1 where the line is blank).
    tail = np.maximum.reduceat(np.where(blank, -1, np.arange(n)), first)
    for ln in np.flatnonzero(line_tags != o):
        tag = int(line_tags[ln])
        if tag != inside_of[tag]:  # B-: leading spaces are outside the zone, the rest inside
            tags[first[ln]:c[ln]] = o
            tags[c[ln] + 1:last[ln]] = inside_of[tag]
        nxt = int(line_tags[ln + 1]) if ln + 1 < len(line_tags) else o
        if nxt != inside_of[tag]:
            # A zone ends at its last character: the line break and any blank lines after it are outside.
            back = ln
            while back > 0 and tail[back] < 0 and line_tags[back] == inside_of[tag]:
                back -= 1
            if tail[back] >= 0:
                tags[tail[back] + 1:last[ln]] = o
    return tags


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    """``(s, e)`` without whitespace at either edge: spans and articles are compared this way."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def articles_from_zones(zones: Sequence[tuple[str, int, int]]) -> list[Article]:
    """Group zone spans (sorted by start) into articles.

    A zone opens a new article when it cannot continue the current one: it is
    not later in TITLE → BODY → BYLINE order than the zone before it (two
    spans of one zone type in a row are two articles: an article has one span
    per zone). The article runs from its first zone's start to its last zone's
    end, covering any furniture line between them (data/ANNOTATION.md, 1).
    """
    articles: list[Article] = []
    cur: dict[str, tuple[int, int]] = {}
    last_order = -1

    def flush() -> None:
        if cur:
            start = min(s for s, _ in cur.values())
            end = max(e for _, e in cur.values())
            articles.append(Article(start, end, cur.get("TITLE"), cur.get("BODY"), cur.get("BYLINE")))

    for typ, s, e in sorted(zones, key=lambda z: (z[1], z[2])):
        order = _ZONE_ORDER[typ]
        if order <= last_order:
            flush()
            cur = {}
        cur[typ] = (s, e)
        last_order = order
    flush()
    return articles


def propagate_mentions(text: str, entities: list[tuple[Entity, float]], articles: Sequence[Article] = (),
                       types: Sequence[str] = ("OFFICIAL",), min_len: int = 2) -> list[tuple[Entity, float]]:
    """Every other occurrence on the page of a name tagged once, tagged the same.

    A tagger reading windows sees a later ``邓英文`` without the ``区长`` that made
    the first one an OFFICIAL, and misses it; the guide labels every mention.
    Occurrences that overlap a span already found, or cross an article edge, are
    left alone; each added span takes the score of the mention it copies.
    OFFICIAL only by default: chosen on gold-dev, where it lifted OFFICIAL F1 from
    0.173 to 0.268, while copying ORG spans cost ORG 0.01 (a partial ORG, copied,
    is one more error) and DATE/AMOUNT strings gain nothing (MODEL_CARD.md).
    """
    taken = np.zeros(len(text) + 1, dtype=bool)
    for e, _ in entities:
        taken[e.start:e.end] = True
    edges = sorted({a.start for a in articles} | {a.end for a in articles})
    best: dict[tuple[str, str], float] = {}
    for e, score in entities:
        surface = text[e.start:e.end]
        if e.type in types and len(surface) >= min_len:
            best[(surface, e.type)] = max(score, best.get((surface, e.type), 0.0))
    added: list[tuple[Entity, float]] = []
    # Longest names first, so 中原区政府 is copied before 区政府 can claim part of it.
    for (surface, typ), score in sorted(best.items(), key=lambda kv: -len(kv[0][0])):
        at = text.find(surface)
        while at >= 0:
            end = at + len(surface)
            crosses = any(at < x < end for x in edges)
            if not taken[at:end].any() and not crosses:
                added.append((Entity(at, end, typ), score))
                taken[at:end] = True
            at = text.find(surface, at + 1)
    return sorted(entities + added, key=lambda es: (es[0].start, es[0].end))


def decode(
    text: str,
    enc: Encoding,
    zone_tags: Sequence[int],
    entity_tags: Sequence[int],
    entity_scores: Sequence[float] | None = None,
) -> tuple[list[Article], list[tuple[Entity, float]]]:
    """Articles and (entity, score) pairs in character offsets from per-token tag ids."""
    zones = []
    for typ, a, b in tags_to_token_spans(zone_tags, ZONE_LABELS, bridge=True):
        s, e = trim(text, int(enc.starts[a]), int(enc.ends[b - 1]))
        if s < e:
            zones.append((typ, s, e))
    articles = articles_from_zones(zones)

    entities: list[tuple[Entity, float]] = []
    for typ, a, b in tags_to_token_spans(entity_tags, ENTITY_LABELS):
        s, e = trim(text, int(enc.starts[a]), int(enc.ends[b - 1]))
        # Entities stop at the edge of the article they start in.
        for art in articles:
            if art.start <= s < art.end:
                s, e = trim(text, s, min(e, art.end))
                break
        if s >= e:
            continue
        score = float(np.mean(entity_scores[a:b])) if entity_scores is not None else 1.0
        entities.append((Entity(s, e, typ), score))
    return articles, entities
