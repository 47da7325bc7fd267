"""Output formats of ``baokan predict``: one JSON line per page, one CSV row per entity, or an HTML page view.

Both are written from the same page record (:func:`model.predict.prediction_record`),
so they always agree.
"""
from __future__ import annotations

import csv
import json
from typing import Any, TextIO

FORMATS = ("jsonl", "csv", "html")

CSV_COLUMNS = ["page_id", "page_date", "article", "article_title", "type", "text", "value", "unit",
               "approximate", "official_title", "start", "end", "score"]


def csv_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per entity of a page record; ``article`` is the 0-based article index, empty outside articles."""
    article_of = {}
    for k, a in enumerate(record["articles"]):
        for e in a["entities"]:
            article_of[(e["start"], e["end"])] = (k, a["title"])
    rows = []
    for e in record["entities"]:
        k, title = article_of.get((e["start"], e["end"]), ("", ""))
        rows.append({
            "page_id": record["id"], "page_date": record.get("date") or "", "article": k,
            "article_title": title or "", "type": e["type"], "text": e["text"],
            "value": "" if e.get("value") is None else e["value"], "unit": e.get("unit") or "",
            "approximate": e.get("approximate", ""), "official_title": e.get("title") or "",
            "start": e["start"], "end": e["end"], "score": e["score"],
        })
    return rows


class RecordWriter:
    """Writes page records to an open text file in one of :data:`FORMATS`."""

    def __init__(self, f: TextIO, fmt: str, header: bool = True):
        if fmt not in FORMATS:
            raise ValueError(f"unknown output format {fmt!r}; expected one of {', '.join(FORMATS)}")
        self.f, self.fmt = f, fmt
        if fmt == "html":
            f.write(HTML_HEAD)
        if fmt == "csv":
            self.csv = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
            if header:
                self.csv.writeheader()

    def write(self, record: dict[str, Any], text: str) -> None:
        if self.fmt == "jsonl":
            self.f.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif self.fmt == "csv":
            self.csv.writerows(csv_rows(record))
        else:
            self.f.write(html_page(record, text))
        self.f.flush()

    def close(self) -> None:
        if self.fmt == "html":
            self.f.write(HTML_TAIL)


# --------------------------------------------------------------------------- HTML

_COLOURS = {"OFFICIAL": "#f4a6a6", "ORG": "#a6c8f4", "DATE": "#b6e3a8", "AMOUNT": "#f7d58b"}

HTML_HEAD = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>baokan</title>
<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
.legend span { padding: 0 .4em; margin-right: .6em; border-radius: 3px; }
.page { margin: 2em 0; padding: 1em; border: 1px solid #ccc; }
.text { white-space: pre-wrap; line-height: 1.7; font-size: 15px; }
.article { display: block; border: 2px solid #7a7a7a; border-radius: 4px; padding: .3em .5em; margin: .2em 0; }
.article-label { font-size: 11px; background: #555; color: #fff; padding: 0 .3em; margin-right: .3em; }
.TITLE { font-weight: bold; } .BYLINE { font-style: italic; color: #555; }
mark { border-radius: 3px; padding: 0 1px; }
""" + "\n".join(f"mark.{t}, .legend .{t} {{ background: {c}; }}" for t, c in _COLOURS.items()) + """
</style></head><body>
<h1>baokan</h1>
<p class="legend">""" + "".join(f'<span class="{t}">{t}</span>' for t in _COLOURS) + \
    """ articles are boxed; TITLE bold, BYLINE italic; hover an entity for its value or title.</p>
"""
HTML_TAIL = "</body></html>\n"


def _hover(e: dict[str, Any]) -> str:
    parts = [e["type"], f"score {e['score']}"]
    if e.get("value") is not None:
        parts.append(f"value {e['value']}" + (f" {e['unit']}" if e.get("unit") else ""))
    if e.get("title"):
        parts.append(f"title {e['title']}")
    return " · ".join(parts)


def html_page(record: dict[str, Any], text: str) -> str:
    """One page as an HTML section: the text with articles boxed, zones styled, entities coloured."""
    from html import escape

    n = len(text)
    art = [-1] * n
    zone = [""] * n
    ent = [-1] * n
    for k, a in enumerate(record["articles"]):
        for i in range(a["start"], a["end"]):
            art[i] = k
        for name, span in a["zones"].items():
            if span:
                for i in range(span[0], span[1]):
                    zone[i] = name.upper()
    for k, e in enumerate(record["entities"]):
        for i in range(e["start"], e["end"]):
            ent[i] = k
    out = [f'<section class="page" id="{escape(record["id"], quote=True)}"><h2>{escape(record["id"])}</h2>'
           f'<div class="text">']
    open_article = -1
    i = 0
    while i < n:
        j = i
        while j < n and (art[j], zone[j], ent[j]) == (art[i], zone[i], ent[i]):
            j += 1
        if art[i] != open_article:
            # Articles are whole lines, so each is one block; furniture between them stays plain text.
            if open_article >= 0:
                out.append("</div>")
            if art[i] >= 0:
                out.append(f'<div class="article" data-article="{art[i]}">'
                           f'<span class="article-label">{art[i] + 1}</span>')
            open_article = art[i]
        chunk = escape(text[i:j])
        if ent[i] >= 0:
            e = record["entities"][ent[i]]
            chunk = f'<mark class="{e["type"]}" title="{escape(_hover(e), quote=True)}">{chunk}</mark>'
        if zone[i]:
            chunk = f'<span class="{zone[i]}">{chunk}</span>'
        out.append(chunk)
        i = j
    if open_article >= 0:
        out.append("</div>")
    out.append("</div></section>\n")
    return "".join(out)
