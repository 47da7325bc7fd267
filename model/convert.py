"""Converters between baokan JSONL and what annotators already have.

Readers turn CoNLL/BIO (one character per line), doccano JSONL and Label Studio
JSON exports into ``Page`` records; writers turn pages into CoNLL/BIO, doccano
JSONL, Label Studio tasks or baokan JSONL. ``convert_file`` ties them together:
every page it produces passes ``page_from_dict`` before anything is written, so
a bad export fails with every problem listed as ``file:line id: problem``.
The formats are documented in ``data/README.md`` ("Converting from other tools").

Zones travel as spans or BIO tags, never as article records, so every format
other than JSONL rebuilds articles with ``articles_from_zones``. A page whose
articles that grouping cannot rebuild (an article wider than its zones, or a
title-only article followed by a body-only one) is refused by those writers
rather than silently changed.
"""
from __future__ import annotations

import json
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .data import DataError, Page, check_src_dst, iter_jsonl, page_from_dict, write_atomic
from .schema import ENTITY_TYPES, ZONE_TYPES
from .spans import articles_from_zones

__all__ = [
    "FORMATS",
    "articles_from_zones",
    "convert_file",
    "detect_format",
    "escape_char",
    "load_pages",
    "dump_pages",
    "pages_to_conll",
    "pages_to_doccano",
    "pages_to_labelstudio",
    "unescape_field",
]

FORMATS: tuple[str, ...] = ("conll", "doccano", "labelstudio", "jsonl")

# BIOES and BMES tags (S single, E end, M middle) are read too: Chinese NER corpora use them.
_ZONE_TAGS = {"O"} | {f"{b}-{t}" for t in ZONE_TYPES for b in "BIESM"}
_ENTITY_TAGS = {"O"} | {f"{b}-{t}" for t in ENTITY_TYPES for b in "BIESM"}
_META_KEYS = ("id", "date", "source")
_TAG_RE = re.compile(r"^(O|[BIESM]-[A-Za-z_]+)$")


# ---------------------------------------------------------------------------
# Character escapes of the CoNLL format

_NAMED_ESCAPES = {" ": r"\s", "\t": r"\t", "\n": r"\n", "\r": r"\r", "\\": "\\\\"}
_NAMED_UNESCAPES = {v[1]: k for k, v in _NAMED_ESCAPES.items()}
# Characters an editor, a terminal or another tool may strip, split a line at or
# fail to encode: whitespace of every kind, controls, format characters (BOM,
# zero-width joiner) and lone surrogates.
_ESCAPED_CATEGORIES = {"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"}
_ESCAPE_RE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)


def escape_char(c: str) -> str:
    """One text character as it stands in the first CoNLL column."""
    if c in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[c]
    if unicodedata.category(c) in _ESCAPED_CATEGORIES:
        cp = ord(c)
        return f"\\u{cp:04X}" if cp <= 0xFFFF else f"\\U{cp:08X}"
    return c


def unescape_field(s: str) -> str:
    """Undo ``escape_char`` (and ``_escape_value``); raise ValueError on an unknown escape."""
    if "\\" not in s:
        return s

    def one(m: re.Match) -> str:
        if m.group(1) or m.group(2):
            cp = int(m.group(1) or m.group(2), 16)
            if cp > 0x10FFFF:
                raise ValueError(f"escape \\U{m.group(2)} is beyond U+10FFFF")
            return chr(cp)
        if m.group(3) in _NAMED_UNESCAPES:
            return _NAMED_UNESCAPES[m.group(3)]
        raise ValueError(f"unknown escape \\{m.group(3)} (known: \\s \\t \\n \\r \\\\ \\uXXXX \\UXXXXXXXX)")

    pos, out = 0, []
    for m in _ESCAPE_RE.finditer(s):
        out.append(s[pos:m.start()])
        out.append(one(m))
        pos = m.end()
    if "\\" in s[pos:]:  # only a backslash at the very end escapes nothing
        raise ValueError("a lone backslash ends the field (write \\\\ for a backslash)")
    out.append(s[pos:])
    return "".join(out)


def _escape_value(v: str) -> str:
    """A metadata value for a ``# key = value`` line: spaces stay, except at the ends."""
    out = "".join(c if c == " " else escape_char(c) for c in v)
    if out.startswith(" "):
        out = r"\s" + out[1:]
    if out.endswith(" "):
        out = out[:-1] + r"\s"
    return out


# ---------------------------------------------------------------------------
# Parsed records: a page as a dict in baokan JSONL shape, or what is wrong with it


@dataclass
class _Rec:
    line: int
    id: str
    obj: dict[str, Any] | None
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, what)


def _bad(line: int, pid: str, *problems: str) -> _Rec:
    return _Rec(line, pid, None, [(line, p) for p in problems])


def _check_format(fmt: str, what: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown {what} format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


def _tag_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(type, start, end) spans from BIO tags; ``I-X`` that does not continue an ``X`` opens one.

    ``S-`` reads as a ``B-`` that closes its span, ``M-`` as ``I-``, ``E-`` as an ``I-`` that closes it.
    """
    spans: list[list] = []
    cur: list | None = None
    for i, tag in enumerate(tags):
        if tag == "O":
            cur = None
            continue
        bio, typ = tag.split("-", 1)
        if bio in "IME" and cur is not None and cur[0] == typ:
            cur[2] = i + 1
        else:
            cur = [typ, i, i + 1]
            spans.append(cur)
        if bio in "SE":
            cur = None
    return [tuple(s) for s in spans]


def _page_obj(pid: str, text: str, zones: list[tuple[str, int, int]], entities: list[tuple[str, int, int]],
              meta: dict[str, Any]) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": pid, "text": text}
    for key in ("date", "source"):
        if meta.get(key) is not None:
            obj[key] = meta[key]
    obj["articles"] = [a.to_dict() for a in articles_from_zones(zones)]
    obj["entities"] = [{"start": s, "end": e, "type": t} for t, s, e in entities]
    return obj


def _zone_problems(zones: list[tuple[str, int, int]]) -> list[str]:
    """Overlapping zone spans: grouping them would give nonsense, so say so plainly."""
    problems = []
    ordered = sorted(zones, key=lambda z: (z[1], z[2]))
    for (t1, s1, e1), (t2, s2, e2) in zip(ordered, ordered[1:]):
        if s2 < e1:
            problems.append(f"zones {t1} [{s1}, {e1}] and {t2} [{s2}, {e2}] overlap")
    return problems


def _split_labels(spans: Iterable[tuple[int, int, Any]], n: int) -> tuple[
        list[tuple[str, int, int]], list[tuple[str, int, int]], list[str]]:
    """Sort labelled spans into (zones, entities, problems); zones are range-checked here."""
    zones, entities, problems = [], [], []
    for s, e, label in spans:
        if label in ZONE_TYPES:
            if not 0 <= s < e <= n:
                problems.append(f"{label} zone [{s}, {e}] is empty or out of range (text has {n} characters)")
            else:
                zones.append((label, s, e))
        elif label in ENTITY_TYPES:
            entities.append((label, s, e))  # page_from_dict checks range and overlap
        else:
            problems.append(f"unknown label {label!r} (expected one of {', '.join(ENTITY_TYPES + ZONE_TYPES)})")
    problems += _zone_problems(zones)
    return zones, entities, problems


# ---------------------------------------------------------------------------
# CoNLL/BIO


def _parse_conll(text: str, name: str) -> list[_Rec]:
    recs: list[_Rec] = []
    ncols: int | None = None
    ncols_line = 0
    block: dict[str, Any] | None = None

    def new_block(lineno: int) -> dict[str, Any]:
        return {"line": lineno, "meta": {}, "chars": [], "zones": [], "ents": [], "problems": [],
                "has_id": False}

    def flush() -> None:
        nonlocal block
        b, block = block, None
        if b is None or not (b["chars"] or b["has_id"]):
            return  # a block of plain comments (a file header) is no page
        pid = b["meta"].get("id") or f"{name}-{len(recs) + 1}"
        chars = "".join(b["chars"])
        if b["problems"]:
            recs.append(_Rec(b["line"], pid, None, b["problems"]))
            return
        zones = _tag_spans(b["zones"]) if ncols == 3 else []
        recs.append(_Rec(b["line"], pid, _page_obj(pid, chars, zones, _tag_spans(b["ents"]), b["meta"])))

    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for lineno, line in enumerate(lines, 1):
        if line.endswith("\r"):  # CRLF files; a \r of the text is always escaped
            line = line[:-1]
        if not line.strip(" \t"):
            flush()
            continue
        if block is None:
            block = new_block(lineno)
        if line.startswith("#") and "\t" not in line:
            m = re.match(r"#\s*(\w+)\s*=\s?(.*)$", line)
            if m and m.group(1) in _META_KEYS:
                key = m.group(1)
                if block["chars"]:
                    block["problems"].append((lineno, f"'# {key} = ...' inside a page; put it before the first "
                                                      "character line, after a blank line"))
                    continue
                try:
                    block["meta"][key] = unescape_field(m.group(2))
                except ValueError as err:
                    block["problems"].append((lineno, f"{key}: {err}"))
                block["has_id"] |= key == "id"
            continue
        cols = line.split("\t") if "\t" in line else [c for c in line.split(" ") if c]
        if cols and cols[0] == "-DOCSTART-":
            continue
        if ncols is None:
            if len(cols) not in (2, 3):
                block["problems"].append((lineno, f"{len(cols)} column(s); expected CHAR<TAB>ENTITY_TAG or "
                                                  "CHAR<TAB>ZONE_TAG<TAB>ENTITY_TAG"))
                block["chars"].append("\ufffd")
                block["zones"].append("O")
                block["ents"].append("O")
                continue
            ncols, ncols_line = len(cols), lineno
        if len(cols) != ncols:
            block["problems"].append((lineno, f"{len(cols)} column(s), expected {ncols} as on line {ncols_line}"))
            cols = (cols + ["O"] * 3)[:ncols]
        try:
            c = unescape_field(cols[0])
            if len(c) != 1:
                raise ValueError(f"{cols[0]!r} is {len(c)} characters, expected one (escape spaces as \\s)")
        except ValueError as err:
            block["problems"].append((lineno, f"character column: {err}"))
            c = "\ufffd"
        block["chars"].append(c)
        zone_tag = cols[1] if ncols == 3 else "O"
        ent_tag = cols[-1]
        if zone_tag not in _ZONE_TAGS:
            block["problems"].append((lineno, f"unknown zone tag {zone_tag!r} (expected O, B-/I- with "
                                              f"{', '.join(ZONE_TYPES)})"))
            zone_tag = "O"
        if ent_tag not in _ENTITY_TAGS:
            hint = " (zone tags need the 3-column form)" if ent_tag in _ZONE_TAGS else ""
            block["problems"].append((lineno, f"unknown entity tag {ent_tag!r} (expected O, B-/I- with "
                                              f"{', '.join(ENTITY_TYPES)}){hint}"))
            ent_tag = "O"
        block["zones"].append(zone_tag)
        block["ents"].append(ent_tag)
    flush()
    return recs


def _conll_recs(path: Path) -> list[_Rec]:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[:err.start].count(b"\n") + 1
        return [_bad(line, "?", f"not valid UTF-8 (byte {err.start})")]
    return _parse_conll(text, path.stem)


def pages_to_conll(pages: Iterable[Page]) -> str:
    """The 3-column CoNLL/BIO text of pages (see data/README.md).

    Like the other ``pages_to_*`` writers it does not check that the zones rebuild
    the articles; ``dump_pages`` and ``convert_file`` do.
    """
    out: list[str] = []
    for page in pages:
        if out:
            out.append("")
        out.append(f"# id = {_escape_value(page.id)}")
        for key in ("date", "source"):
            if getattr(page, key) is not None:
                out.append(f"# {key} = {_escape_value(getattr(page, key))}")
        zone_tags = ["O"] * len(page.text)
        ent_tags = ["O"] * len(page.text)
        for tags, spans in ((zone_tags, [z for a in page.articles for z in a.zones()]),
                            (ent_tags, [(e.type, e.start, e.end) for e in page.entities])):
            for typ, s, e in spans:
                tags[s] = f"B-{typ}"
                for i in range(s + 1, e):
                    tags[i] = f"I-{typ}"
        for c, z, t in zip(page.text, zone_tags, ent_tags):
            out.append(f"{escape_char(c)}\t{z}\t{t}")
    return "\n".join(out) + "\n" if out else ""


# ---------------------------------------------------------------------------
# doccano JSONL


def _doccano_recs(path: Path) -> list[_Rec]:
    recs: list[_Rec] = []
    for n, (lineno, obj, problem) in enumerate(iter_jsonl(path), 1):
        default_id = f"{path.stem}-{n}"
        if problem:
            recs.append(_bad(lineno, "?", problem))
            continue
        if not isinstance(obj, dict):
            recs.append(_bad(lineno, "?", f"expected a JSON object, got {type(obj).__name__}"))
            continue
        pid = obj.get("id")
        pid = str(pid) if isinstance(pid, (str, int)) and not isinstance(pid, bool) and str(pid) else default_id
        # Old doccano exports call the text "data".
        text = obj.get("text", obj.get("data"))
        if not isinstance(text, str):
            recs.append(_bad(lineno, pid, "missing or invalid 'text' (a string)"))
            continue
        problems: list[str] = []
        spans: list[tuple[int, int, Any]] = []
        labels = obj.get("label", [])
        if not isinstance(labels, list):
            problems.append("'label' must be a list of [start, end, LABEL]")
            labels = []
        for i, item in enumerate(labels):
            if (isinstance(item, list) and len(item) == 3 and all(isinstance(x, int) and not isinstance(x, bool)
                                                                    for x in item[:2])):
                spans.append((item[0], item[1], item[2]))
            else:
                problems.append(f"label {i} must be [start, end, LABEL], got {item!r}")
        ents = obj.get("entities", [])
        if not isinstance(ents, list):
            problems.append("'entities' must be a list of {start_offset, end_offset, label}")
            ents = []
        for i, item in enumerate(ents):
            s = item.get("start_offset") if isinstance(item, dict) else None
            e = item.get("end_offset") if isinstance(item, dict) else None
            if all(isinstance(x, int) and not isinstance(x, bool) for x in (s, e)) and "label" in item:
                spans.append((s, e, item["label"]))
            else:
                problems.append(f"entity {i} must be {{start_offset, end_offset, label}}, got {item!r}")
        zones, entities, label_problems = _split_labels(spans, len(text))
        problems += label_problems
        meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
        meta = {k: obj.get(k, meta.get(k)) for k in ("date", "source")}
        if problems:
            recs.append(_bad(lineno, pid, *problems))
        else:
            recs.append(_Rec(lineno, pid, _page_obj(pid, text, zones, entities, meta)))
    return recs


def _page_labels(page: Page) -> list[tuple[int, int, str]]:
    spans = [(s, e, t) for a in page.articles for t, s, e in a.zones()]
    spans += [(e.start, e.end, e.type) for e in page.entities]
    return sorted(spans)


def _json_line(obj: Any) -> str:
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: only \\u escapes can carry them
        line = json.dumps(obj)
    return line


def pages_to_doccano(pages: Iterable[Page]) -> str:
    """doccano JSONL (the ``label`` variant): zones and entities as ``[start, end, TYPE]``."""
    lines = []
    for page in pages:
        rec: dict[str, Any] = {"id": page.id, "text": page.text}
        for key in ("date", "source"):
            if getattr(page, key) is not None:
                rec[key] = getattr(page, key)
        rec["label"] = [list(x) for x in _page_labels(page)]
        lines.append(_json_line(rec) + "\n")
    return "".join(lines)


# ---------------------------------------------------------------------------
# Label Studio JSON


def _json_array_items(s: str) -> Iterator[tuple[int, Any]]:
    """(line, item) for each item of a top-level JSON array; JSONDecodeError on bad JSON.

    Decoding item by item keeps each task's line number for the problem report.
    """
    dec = json.JSONDecoder()
    ws = " \t\n\r"
    i = 0
    line, counted = 1, 0

    def skip(j: int) -> int:
        while j < len(s) and s[j] in ws:
            j += 1
        return j

    def line_at(j: int) -> int:
        nonlocal line, counted
        line += s.count("\n", counted, j)
        counted = j
        return line

    i = skip(i)
    if not s.startswith("[", i):
        raise json.JSONDecodeError("expected a JSON list of tasks", s, i)
    i = skip(i + 1)
    if s.startswith("]", i):
        i += 1
    else:
        while True:
            obj, j = dec.raw_decode(s, i)
            yield line_at(i), obj
            i = skip(j)
            if s.startswith(",", i):
                i = skip(i + 1)
            elif s.startswith("]", i):
                i += 1
                break
            else:
                raise json.JSONDecodeError("expected ',' or ']'", s, i)
    if skip(i) != len(s):
        raise json.JSONDecodeError("extra data after the list", s, skip(i))


def _utf16_to_cp(text: str) -> list[int | None]:
    """Code point offset for each UTF-16 offset (None inside a surrogate pair)."""
    out: list[int | None] = []
    for i, c in enumerate(text):
        out.append(i)
        if ord(c) > 0xFFFF:
            out.append(None)
    out.append(len(text))
    return out


def _labelstudio_recs(path: Path, text_key: str = "text") -> list[_Rec]:
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return [_bad(1, "?", f"not valid UTF-8 (byte {err.start})")]
    recs: list[_Rec] = []
    skipped: list[str] = []
    try:
        for n, (lineno, task) in enumerate(_json_array_items(raw), 1):
            recs += _labelstudio_task(task, lineno, f"{path.stem}-{n}", text_key, skipped)
    except json.JSONDecodeError as err:
        recs.append(_bad(err.lineno, "?", f"invalid JSON: {err.msg} (column {err.colno})"))
    if skipped:
        shown = ", ".join(skipped[:10]) + (" ..." if len(skipped) > 10 else "")
        warnings.warn(f"{path}: skipped {len(skipped)} task(s) with no annotation that is not cancelled: {shown}",
                      stacklevel=3)
    return recs


def _labelstudio_task(task: Any, lineno: int, default_id: str, text_key: str, skipped: list[str]) -> list[_Rec]:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return [_bad(lineno, "?", "expected a task object with 'data'")]
    data = task["data"]
    pid = data.get("id", task.get("id"))
    pid = str(pid) if isinstance(pid, (str, int)) and not isinstance(pid, bool) and str(pid) else default_id
    text = data.get(text_key)
    if not isinstance(text, str):
        return [_bad(lineno, pid, f"missing or invalid data.{text_key} (a string)")]
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        return [_bad(lineno, pid, "'annotations' must be a list")]
    chosen = next((a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")), None)
    if chosen is None:
        # An unannotated task is no page with nothing in it; training on it would teach "no entities".
        skipped.append(pid)
        return []
    problems: list[str] = []
    spans: list[tuple[int, int, Any]] = []
    u16: list[int | None] | None = None
    results = chosen.get("result") or []
    if not isinstance(results, list):
        return [_bad(lineno, pid, "annotation 'result' must be a list")]
    for i, r in enumerate(results):
        rtype = r.get("type") if isinstance(r, dict) else None
        if rtype != "labels":
            if isinstance(rtype, str) and rtype.endswith("labels"):
                problems.append(f"result {i}: region type {rtype!r} is not supported (only 'labels' on plain text)")
            continue  # relations, choices, text areas: nothing of the schema
        v = r.get("value")
        if not isinstance(v, dict):
            problems.append(f"result {i}: missing 'value'")
            continue
        s, e, labels = v.get("start"), v.get("end"), v.get("labels")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (s, e)):
            problems.append(f"result {i}: value.start and value.end must be integers, got {s!r}, {e!r}")
            continue
        if not (isinstance(labels, list) and len(labels) == 1):
            problems.append(f"result {i}: expected exactly one label, got {labels!r}")
            continue
        want = v.get("text")
        if isinstance(want, str) and text[s:e] != want:
            # Label Studio versions count offsets in UTF-16 units, as JavaScript does,
            # which shifts every span after an astral character (𠀀, emoji).
            u16 = u16 or _utf16_to_cp(text)
            cs = u16[s] if 0 <= s < len(u16) else None
            ce = u16[e] if 0 <= e < len(u16) else None
            if cs is not None and ce is not None and text[cs:ce] == want:
                s, e = cs, ce
            else:
                problems.append(f"result {i}: {labels[0]} [{s}, {e}] recorded text {want!r} does not match "
                                f"{text[s:e]!r}")
                continue
        spans.append((s, e, labels[0]))
    zones, entities, label_problems = _split_labels(spans, len(text))
    problems += label_problems
    if problems:
        return [_bad(lineno, pid, *problems)]
    meta = {k: data.get(k) for k in ("date", "source")}
    return [_Rec(lineno, pid, _page_obj(pid, text, zones, entities, meta))]


def pages_to_labelstudio(pages: Iterable[Page], text_key: str = "text") -> str:
    """A Label Studio task list with one annotation per page (``from_name`` label, ``to_name`` text)."""
    tasks = []
    for page in pages:
        data: dict[str, Any] = {"id": page.id, text_key: page.text}
        for key in ("date", "source"):
            if getattr(page, key) is not None:
                data[key] = getattr(page, key)
        result = [{"id": f"r{i}", "from_name": "label", "to_name": text_key, "type": "labels",
                   "value": {"start": s, "end": e, "text": page.text[s:e], "labels": [t]}}
                  for i, (s, e, t) in enumerate(_page_labels(page))]
        tasks.append(_json_line({"data": data, "annotations": [{"result": result}]}))
    return "[\n" + ",\n".join(tasks) + "\n]\n" if tasks else "[]\n"


# ---------------------------------------------------------------------------
# baokan JSONL


def _jsonl_recs(path: Path) -> list[_Rec]:
    recs = []
    for lineno, obj, problem in iter_jsonl(path):
        pid = obj.get("id", "?") if isinstance(obj, dict) else "?"
        recs.append(_bad(lineno, str(pid), problem) if problem else _Rec(lineno, str(pid), obj))
    return recs


def _pages_to_jsonl(pages: Iterable[Page]) -> str:
    return "".join(_json_line(p.to_dict()) + "\n" for p in pages)


# ---------------------------------------------------------------------------
# Entry points


def _zone_problems_for_export(page: Page) -> list[str]:
    """Why zone spans alone would not rebuild this page's articles (empty when they would)."""
    problems = []
    for a in page.articles:
        zones = a.zones()
        s, e = min(z[1] for z in zones), max(z[2] for z in zones)
        if (a.start, a.end) != (s, e):
            problems.append(f"article [{a.start}, {a.end}] is not the extent of its zones [{s}, {e}] "
                            "(data/ANNOTATION.md, 1); zone-based formats cannot carry it")
    if not problems:
        rebuilt = articles_from_zones([z for a in page.articles for z in a.zones()])
        if rebuilt != sorted(page.articles, key=lambda a: a.start):
            problems.append(f"articles {[[a.start, a.end] for a in page.articles]} would come back from their "
                            f"zones as {[[a.start, a.end] for a in rebuilt]} (an article that begins without a "
                            "title right after one that ends early); zone-based formats cannot carry them")
    return problems


def _read(src: Path, src_format: str, text_key: str) -> list[_Rec]:
    if src_format == "conll":
        return _conll_recs(src)
    if src_format == "doccano":
        return _doccano_recs(src)
    if src_format == "labelstudio":
        return _labelstudio_recs(src, text_key)
    return _jsonl_recs(src)


def _validated(src: Path, recs: list[_Rec], dst_format: str | None) -> list[Page]:
    pages: list[Page] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for r in recs:
        if r.problems:
            problems += [f"{src}:{line} {r.id}: {msg}" for line, msg in r.problems]
            continue
        page, page_problems = page_from_dict(r.obj)
        problems += [f"{src}:{r.line} {r.id}: {p}" for p in page_problems]
        if page is None:
            continue
        if dst_format in ("conll", "doccano", "labelstudio"):
            problems += [f"{src}:{r.line} {page.id}: {p}" for p in _zone_problems_for_export(page)]
        if page.id in seen:
            problems.append(f"{src}:{r.line} {page.id}: duplicate id (first on line {seen[page.id]})")
        seen.setdefault(page.id, r.line)
        pages.append(page)
    if problems:
        raise DataError(problems)
    return pages


def load_pages(src: str | Path, src_format: str | None = None, text_key: str = "text") -> list[Page]:
    """Read and validate pages from a file in any of ``FORMATS`` (guessed when None)."""
    src = Path(src)
    if not src.is_file():
        raise FileNotFoundError(f"{src}: no such file")
    fmt = _check_format(src_format or detect_format(src), "input")
    return _validated(src, _read(src, fmt, text_key), None)


def dump_pages(pages: Sequence[Page], dst_format: str, text_key: str = "text") -> str:
    """The text of pages in ``dst_format``; DataError if a zone-based format cannot carry them."""
    fmt = _check_format(dst_format, "output")
    if fmt != "jsonl":
        problems = [f"{p.id}: {msg}" for p in pages for msg in _zone_problems_for_export(p)]
        if problems:
            raise DataError(problems)
    if fmt == "conll":
        return pages_to_conll(pages)
    if fmt == "doccano":
        return pages_to_doccano(pages)
    if fmt == "labelstudio":
        return pages_to_labelstudio(pages, text_key)
    return _pages_to_jsonl(pages)


def convert_file(src: Path, dst: Path, src_format: str | None, dst_format: str, force: bool = False,
                 text_key: str = "text") -> int:
    """Convert ``src`` (``src_format``, guessed when None or "auto") into ``dst``; returns the page count.

    Every page is validated first; on any problem a DataError lists them all as
    ``file:line id: problem`` and nothing is written. ``dst`` is replaced
    atomically, and only with ``force``. ``text_key`` names the Label Studio
    data field that holds the text.
    """
    if src_format in (None, "auto"):
        src_format = detect_format(src)
    _check_format(src_format, "input")
    _check_format(dst_format, "output")
    src, dst = check_src_dst(src, dst, force)
    pages = _validated(src, _read(src, src_format, text_key), dst_format)
    write_atomic(dst, [dump_pages(pages, dst_format, text_key)])
    return len(pages)


def detect_format(path: str | Path) -> str:
    """Guess a file's format from its name and first record; ValueError when it cannot tell."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext in (".conll", ".conllx", ".bio", ".iob", ".iob2", ".tsv"):
        return "conll"
    try:
        with open(path, "rb") as f:
            head = f.read(1 << 16).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError as err:
        raise ValueError(f"cannot read {path}: {err}") from err
    stripped = head.lstrip()
    if stripped.startswith("["):
        return "labelstudio"
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped.split("\n", 1)[0])
        except json.JSONDecodeError:
            obj = None
        if isinstance(obj, dict):
            ents = obj.get("entities")
            first = ents[0] if isinstance(ents, list) and ents else None
            if "label" in obj or (isinstance(first, dict) and "start_offset" in first):
                return "doccano"
            if "annotations" in obj and "data" in obj:
                return "labelstudio"
            return "jsonl"
        if ext == ".json":
            return "labelstudio"
        if ext in (".jsonl", ".ndjson"):
            return "jsonl"
    for line in head.split("\n"):
        line = line.rstrip("\r")
        if not line.strip() or (line.startswith("#") and "\t" not in line):
            continue
        fields = line.split("\t") if "\t" in line else line.split()
        if len(fields) in (2, 3) and all(_TAG_RE.match(f) for f in fields[1:]):
            return "conll"
        break
    raise ValueError(f"cannot tell the format of {path}; name it with --from ({', '.join(FORMATS)})")
