"""Output formats of ``baokan predict``: one JSON line per page, or one CSV row per entity.

Both are written from the same page record (:func:`model.predict.prediction_record`),
so they always agree.
"""
from __future__ import annotations

import csv
import json
from typing import Any, TextIO

FORMATS = ("jsonl", "csv")

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
        if fmt == "csv":
            self.csv = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
            if header:
                self.csv.writeheader()

    def write(self, record: dict[str, Any]) -> None:
        if self.fmt == "jsonl":
            self.f.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            self.csv.writerows(csv_rows(record))
        self.f.flush()
