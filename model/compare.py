"""The model against its baselines, on the same labelled pages, in one run.

Systems: trained taggers (the default model, the same recipe from random
initialisation, any other model directory), the rule pre-annotator, jionlp's
money/time extraction (AMOUNT and DATE only) and the line-heuristic article
splitter. Each gives (articles, entities) per page; all are scored by
:func:`model.evaluate.score_pages`, so the figures are comparable.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from .data import Page, read_pages
from .evaluate import score_pages
from .schema import ENTITY_TYPES

System = Callable[[list[Page]], list[tuple[list, list]]]


def split_spec(spec: str | Path | tuple[str | Path, float | None]) -> tuple[str | Path, float | None]:
    """(model directory, rule bias or None for the model's own) from a path or a (path, bias) pair."""
    return spec if isinstance(spec, tuple) else (spec, None)


def _model_system(spec: str | Path | tuple[str | Path, float | None]) -> System:
    model_dir, rule_bias = split_spec(spec)

    def run(pages: list[Page]) -> list[tuple[list, list]]:
        from .predict import Predictor

        preds = Predictor(model_dir, rule_bias=rule_bias).predict_texts([p.text for p in pages])
        return [(p.articles, [e for e, _ in p.entities]) for p in preds]
    return run


def baseline_systems() -> dict[str, tuple[System, set[str]]]:
    """name → (system, what it predicts: entity types and/or 'articles')."""
    from .baselines import jionlp_entities, line_articles, rule_entities

    systems: dict[str, tuple[System, set[str]]] = {
        "rules (pre-annotator)": (lambda ps: [([], rule_entities(p.text)) for p in ps], set(ENTITY_TYPES)),
        "line heuristic (articles)": (lambda ps: [(line_articles(p.text), []) for p in ps], {"articles"}),
    }
    try:
        import jionlp  # noqa: F401

        systems["jionlp money/time"] = (lambda ps: [([], jionlp_entities(p.text)) for p in ps], {"AMOUNT", "DATE"})
    except ImportError:
        pass
    return systems


def compare(models: dict[str, str | Path | tuple[str | Path, float | None]], data_files: list[str | Path], encoder_tokenizer: str | Path,
            with_baselines: bool = True) -> dict[str, Any]:
    """F1 per entity type, micro F1, article span/start F1 for each system on the same pages."""
    from transformers import AutoTokenizer

    from .textmap import CharEncoder

    pages = read_pages(data_files)
    enc = CharEncoder.from_tokenizer(AutoTokenizer.from_pretrained(str(encoder_tokenizer)))
    systems: dict[str, tuple[System, set[str]]] = {
        name: (_model_system(d), {*ENTITY_TYPES, "articles"}) for name, d in models.items()
    }
    if with_baselines:
        systems.update(baseline_systems())
    rows: dict[str, Any] = {}
    for name, (system, scope) in systems.items():
        report = score_pages(pages, system(pages), enc)
        row: dict[str, Any] = {}
        for t in ENTITY_TYPES:
            row[t] = report["entities"].get(t, {}).get("f1-score", 0.0) if t in scope else None
        types_in = [t for t in ENTITY_TYPES if t in scope]
        row["entity micro F1"] = report["entities"]["micro avg"]["f1-score"] if len(types_in) == len(ENTITY_TYPES) else None
        row["article span F1"] = report["articles"]["span"]["f1"] if "articles" in scope else None
        row["article start F1"] = report["articles"]["start"]["f1"] if "articles" in scope else None
        rows[name] = row
    return {"data": [str(f) for f in data_files], "pages": len(pages),
            "mentions": sum(len(p.entities) for p in pages), "systems": rows}


def format_table(result: dict[str, Any]) -> str:
    cols = [*ENTITY_TYPES, "entity micro F1", "article span F1", "article start F1"]
    lines = [f"{result['pages']} pages, {result['mentions']} entity mentions: {', '.join(result['data'])}", "",
             "| system | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, row in result["systems"].items():
        cells = ["—" if row[c] is None else f"{row[c]:.3f}" for c in cols]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_json(result: dict[str, Any], path: str | Path) -> None:
    Path(path).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def against_rules(model: str | Path | tuple[str | Path, float | None], data_files: list[str | Path]) -> dict[str, dict[str, int]]:
    """Per entity type, how the model's exact spans split against the rules' and the gold ones.

    Keys: ``both right`` (gold, model and rules agree), ``model adds`` (gold spans only the
    model finds), ``model drops wrong`` (rule spans the model rightly leaves out), ``model drops
    right`` (gold rule spans the model loses), ``model spurious`` (its own wrong spans),
    ``copied wrong`` (wrong rule spans it keeps), ``neither`` (gold spans no one finds).
    """
    from .features import rule_spans
    from .predict import Predictor

    model_dir, rule_bias = split_spec(model)
    pages = read_pages(data_files)
    preds = Predictor(model_dir, rule_bias=rule_bias).predict_texts([p.text for p in pages])
    kinds = {"GMR": "both right", "GM-": "model adds", "--R": "model drops wrong", "G-R": "model drops right",
             "-M-": "model spurious", "-MR": "copied wrong", "G--": "neither"}
    out = {t: dict.fromkeys(kinds.values(), 0) for t in ENTITY_TYPES}
    for page, pred in zip(pages, preds):
        rules = rule_spans(page.text)
        for t in ENTITY_TYPES:
            g = {(e.start, e.end) for e in page.entities if e.type == t}
            m = {(e.start, e.end) for e, _ in pred.entities if e.type == t}
            r = {(s, e) for typ, s, e in rules if typ == t}
            for span in g | m | r:
                out[t][kinds["".join(c if span in x else "-" for c, x in (("G", g), ("M", m), ("R", r)))]] += 1
    return out


def format_against_rules(counts: dict[str, dict[str, int]]) -> str:
    cols = list(next(iter(counts.values())))
    lines = ["| type | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for t, row in counts.items():
        lines.append(f"| {t} | " + " | ".join(str(row[c]) for c in cols) + " |")
    return "\n".join(lines)
