"""Error analysis: what kind of mistake each wrong entity is, counted per type.

Each gold and each predicted entity that do not match exactly is given one kind,
so that the next round of data or rules knows where to push:

- ``wrong type``: same span, another type;
- ``off by one``: overlapping spans whose edges differ by one character in all;
- ``title included`` (OFFICIAL): the prediction runs on to the left over the title;
- ``partial`` / ``too long``: the prediction lies inside / around the gold span;
- ``other boundary``: any other overlap;
- ``missed repeated mention``: a gold entity not found while another mention of the
  same surface on the page was found; ``missed``: any other gold entity not found;
- ``spurious``: a prediction overlapping no gold entity.

Articles get their own kinds (:func:`article_error_kinds`).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from .data import Article, Entity, Page
from .spans import trim


def _surface(text: str, e: Entity) -> str:
    return re.sub(r"\s", "", text[e.start:e.end])


def error_kinds(page: Page, predicted: Sequence[Entity]) -> Counter:
    """Counter of (gold or predicted type, kind) for one page."""
    out: Counter = Counter()
    gold = list(page.entities)
    pred = list(predicted)
    exact = {(e.start, e.end, e.type) for e in gold} & {(e.start, e.end, e.type) for e in pred}
    found_surfaces = {(_surface(page.text, e), e.type) for e in gold if (e.start, e.end, e.type) in exact}
    used_pred: set[int] = set()
    for g in gold:
        if (g.start, g.end, g.type) in exact:
            continue
        overlapping = [(k, p) for k, p in enumerate(pred) if p.start < g.end and g.start < p.end]
        if not overlapping:
            kind = "missed repeated mention" if (_surface(page.text, g), g.type) in found_surfaces else "missed"
            out[(g.type, kind)] += 1
            continue
        k, p = overlapping[0]
        used_pred.add(k)
        if (p.start, p.end) == (g.start, g.end):
            kind = "wrong type"
        elif abs(p.start - g.start) + abs(p.end - g.end) == 1:
            kind = "off by one"
        elif g.type == "OFFICIAL" and p.start < g.start and p.end == g.end:
            kind = "title included"
        elif g.start <= p.start and p.end <= g.end:
            kind = "partial"
        elif p.start <= g.start and g.end <= p.end:
            kind = "too long"
        else:
            kind = "other boundary"
        out[(g.type, kind)] += 1
    for k, p in enumerate(pred):
        if k in used_pred or (p.start, p.end, p.type) in exact:
            continue
        if not any(g.start < p.end and p.start < g.end for g in gold):
            out[(p.type, "spurious")] += 1
    return out


def error_table(pages: Sequence[Page], predicted: Sequence[Sequence[Entity]], top: int = 4) -> str:
    """Markdown: the most frequent error kinds per entity type, with counts."""
    total: Counter = Counter()
    for page, ents in zip(pages, predicted):
        total += error_kinds(page, ents)
    lines = ["| type | most frequent errors (count) |", "|---|---|"]
    for t in sorted({t for t, _ in total}):
        kinds = sorted(((n, k) for (tt, k), n in total.items() if tt == t), reverse=True)[:top]
        lines.append(f"| {t} | " + ", ".join(f"{k} ({n})" for n, k in kinds) + " |")
    return "\n".join(lines)


def article_error_kinds(page: Page, predicted: Sequence[Article], near: int = 80) -> Counter:
    """Counter of kinds for gold articles not matched exactly, and predicted ones matching none.

    ``end wrong``: the start is right; ``start shifted``: a predicted start lies within
    ``near`` characters (a kicker or a section label taken in or left out);
    ``merged``: no predicted start near, so the article ran into the one before;
    ``spurious``: a predicted article whose start is near no gold start (a caption, a notice).
    """
    text = page.text
    gold = {trim(text, a.start, a.end) for a in page.articles}
    pred = {trim(text, a.start, a.end) for a in predicted}
    gold_starts, pred_starts = {s for s, _ in gold}, {s for s, _ in pred}
    out: Counter = Counter()
    for s, _ in gold - pred:
        if s in pred_starts:
            out["end wrong"] += 1
        elif any(abs(q - s) < near for q in pred_starts - gold_starts):
            out["start shifted"] += 1
        else:
            out["merged"] += 1
    for s, _ in pred - gold:
        if s not in gold_starts and not any(abs(s - g) < near for g in gold_starts):
            out["spurious"] += 1
    return out
