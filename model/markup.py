"""Inline markup for correcting entity labels in a plain text editor.

A page is written with its entities marked in place, ``⟦潘开名|OFFICIAL⟧``, and
read back into offsets after an annotator has edited the marks. The text
outside the marks must come back unchanged, character for character, so a
slip of the editor is caught instead of silently shifting every later offset.
Articles are not part of the markup: they travel in a side file unchanged.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .data import Entity, Page, page_from_dict
from .schema import ENTITY_TYPES

OPEN, SEP, CLOSE = "⟦", "|", "⟧"
_MARK = re.compile(rf"{OPEN}([^{OPEN}{CLOSE}]*?)\{SEP}([A-Z]+){CLOSE}", re.S)


class MarkupError(ValueError):
    pass


def to_markup(page: Page) -> str:
    """The page text with every entity wrapped as ``⟦text|TYPE⟧``."""
    if any(ch in page.text for ch in (OPEN, CLOSE)):
        raise MarkupError(f"{page.id}: the text itself contains {OPEN} or {CLOSE}; cannot mark it up")
    out, pos = [], 0
    for e in sorted(page.entities, key=lambda e: e.start):
        out.append(page.text[pos:e.start])
        out.append(f"{OPEN}{page.text[e.start:e.end]}{SEP}{e.type}{CLOSE}")
        pos = e.end
    out.append(page.text[pos:])
    return "".join(out)


def from_markup(marked: str, text: str, where: str = "") -> list[Entity]:
    """Entities from marked-up text; raises MarkupError naming the line of each problem."""
    problems: list[str] = []
    entities: list[Entity] = []
    plain: list[str] = []
    pos_plain = 0
    last = 0

    def line_of(i: int) -> int:
        return marked.count("\n", 0, i) + 1

    for m in _MARK.finditer(marked):
        chunk = marked[last:m.start()]
        plain.append(chunk)
        pos_plain += len(chunk)
        surface, typ = m.group(1), m.group(2)
        if typ not in ENTITY_TYPES:
            problems.append(f"{where}:{line_of(m.start())}: unknown type {typ!r} in {m.group(0)!r}")
        elif not surface or surface != surface.strip():
            problems.append(f"{where}:{line_of(m.start())}: span {surface!r} is empty or has whitespace at an edge")
        else:
            entities.append(Entity(pos_plain, pos_plain + len(surface), typ))
        plain.append(surface)
        pos_plain += len(surface)
        last = m.end()
    plain.append(marked[last:])
    rest = "".join(plain)
    for bad in (OPEN, CLOSE):
        i = rest.find(bad)
        if i >= 0:
            problems.append(f"{where}: a stray {bad} remains (malformed mark near {rest[max(0, i - 10):i + 10]!r})")
    if not problems and rest != text:
        i = next((k for k, (a, b) in enumerate(zip(rest, text)) if a != b), min(len(rest), len(text)))
        line = text.count("\n", 0, i) + 1
        problems.append(
            f"{where}: the text outside the marks was changed at line {line} of the page "
            f"(expected {text[i:i + 12]!r}, found {rest[i:i + 12]!r})"
        )
    if problems:
        raise MarkupError("\n".join(problems))
    return entities


def export_pages(pages: list[Page], out_dir: str | Path) -> list[Path]:
    """One ``ID.txt`` markup file and one ``ID.json`` side file (text, articles) per page."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for page in pages:
        if not re.fullmatch(r"[\w.-]+", page.id) or page.id.startswith("."):
            raise MarkupError(f"page id {page.id!r} is not usable as a file name")
        (out / f"{page.id}.txt").write_text(to_markup(page), encoding="utf-8")
        side = page.to_dict()
        side.pop("entities")
        (out / f"{page.id}.json").write_text(json.dumps(side, ensure_ascii=False), encoding="utf-8")
        written.append(out / f"{page.id}.txt")
    return written


def import_pages(in_dir: str | Path) -> list[Page]:
    """Pages back from a markup directory; every problem of every file is listed."""
    problems: list[str] = []
    pages: list[Page] = []
    for side_file in sorted(Path(in_dir).glob("*.json")):
        side = json.loads(side_file.read_text(encoding="utf-8"))
        marked_file = side_file.with_suffix(".txt")
        try:
            ents = from_markup(marked_file.read_text(encoding="utf-8"), side["text"], str(marked_file))
        except MarkupError as err:
            problems.append(str(err))
            continue
        side["entities"] = [e.to_dict() for e in ents]
        page, errs = page_from_dict(side)
        problems += [f"{marked_file}: {e}" for e in errs]
        if page is not None:
            pages.append(page)
    if problems:
        raise MarkupError("\n".join(problems))
    return pages
