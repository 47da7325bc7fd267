"""Baselines the tagger must beat, scored by the same evaluation as the model.

- ``line_articles``: the article splitter a person would write first: an article
  starts at a headline-shaped line after a blank line (or at the page start);
  its headline lines run to the next blank line, closing credit lines are its
  byline, the rest its body.
"""
from __future__ import annotations

import re

from .data import Article

_BYLINE = re.compile(r"^[（(]?\s*(?:本报)?(?:记者|通讯员|实习生|文/|文／|图/|图／|摄影)")
_SENTENCE_PUNCT = re.compile(r"[。！？；，、]")
_FURNITURE = re.compile(r"^(?:\S\s){1,4}\S$")  # spaced section labels such as "政 务"


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _headline_shaped(block: list[str]) -> bool:
    """A block of at most three short lines with no sentence punctuation, not a credit or label."""
    lines = [x.strip() for x in block]
    return (
        0 < len(lines) <= 3
        and all(0 < len(x) <= 30 and not _SENTENCE_PUNCT.search(x) for x in lines)
        and not _BYLINE.match(lines[0])
        and not (len(lines) == 1 and _FURNITURE.match(lines[0]))
        and not lines[0].startswith("本报讯")
    )


def line_articles(text: str) -> list[Article]:
    lines = _lines(text)
    blank = [not text[s:e].strip() for s, e in lines]
    def block(i: int) -> list[str]:
        out = []
        while i < len(lines) and not blank[i]:
            out.append(text[slice(*lines[i])])
            i += 1
        return out

    starts = [i for i in range(len(lines))
              if not blank[i] and (i == 0 or blank[i - 1]) and _headline_shaped(block(i))]
    articles = []
    for k, first in enumerate(starts):
        last_excl = starts[k + 1] if k + 1 < len(starts) else len(lines)
        idx = [i for i in range(first, last_excl) if not blank[i]]
        if not idx:
            continue
        title_idx = []
        for i in idx:
            if blank[i - 1] and i != first:
                break
            title_idx.append(i)
        rest = [i for i in idx if i not in title_idx and not _FURNITURE.match(text[slice(*lines[i])].strip())]
        byline_idx = []
        while rest and _BYLINE.match(text[slice(*lines[rest[-1]])].strip()):
            byline_idx.insert(0, rest.pop())

        def span(ix: list[int]) -> tuple[int, int] | None:
            if not ix:
                return None
            s, e = lines[ix[0]][0], lines[ix[-1]][1]
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            return (s, e) if s < e else None

        t, b, y = span(title_idx), span(rest), span(byline_idx)
        zones = [z for z in (t, b, y) if z]
        if zones:
            articles.append(Article(zones[0][0], zones[-1][1], t, b, y))
    return articles


def rule_entities(text: str) -> list:
    """The rule pre-annotator as a baseline, scoped by the line-heuristic articles (no gold help)."""
    from .preannotate import preannotate

    return preannotate(text, line_articles(text))


def jionlp_entities(text: str) -> list:
    """jionlp's money and time extraction as an AMOUNT/DATE baseline (``pip install jionlp``).

    Its spans include modifiers such as 达/约 that the guide leaves out; they are
    trimmed to the number, as an annotator would, so the baseline is not
    penalised for a convention it does not know.
    """
    import time

    import jionlp as jio

    from .data import Entity

    out = []
    for kind, found in (("AMOUNT", jio.ner.extract_money(text)),
                        ("DATE", jio.ner.extract_time(text, time_base=time.time(), with_parsing=False))):
        for f in found:
            s, e = f["offset"]
            while s < e and (text[s].isspace() or text[s] in "约达近超逾共计合"):
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                out.append(Entity(s, e, kind))
    out.sort(key=lambda x: (x.start, -x.end))
    kept, end = [], -1
    for ent in out:
        if ent.start >= end:
            kept.append(ent)
            end = ent.end
    return kept
