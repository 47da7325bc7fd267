"""Labelled pages: the record types, the JSON Lines format, and its validation.

A labelled page is one JSON object per line::

    {"id": "...", "text": "...", "date": "2023-01-16"?, "source": "..."?,
     "articles": [{"start", "end", "title": [s, e] | null, "body": [s, e] | null,
                   "byline": [s, e] | null}],
     "entities": [{"start", "end", "type", "text"?}]}

Offsets are characters (code points) of ``text``, end-exclusive. Validation
collects every problem of a file before it complains, so an annotator fixes
them in one pass instead of one per run.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .schema import ENTITY_TYPES, ZONE_FIELDS, ZONE_TYPES


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    type: str

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "type": self.type}
        if text is not None:
            d["text"] = text[self.start:self.end]
        return d


@dataclass(frozen=True)
class Article:
    start: int
    end: int
    title: tuple[int, int] | None = None
    body: tuple[int, int] | None = None
    byline: tuple[int, int] | None = None

    def zones(self) -> list[tuple[str, int, int]]:
        """(zone type, start, end) for each zone present, in schema order."""
        out = []
        for zone in ZONE_TYPES:
            span = getattr(self, ZONE_FIELDS[zone])
            if span is not None:
                out.append((zone, span[0], span[1]))
        return out

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end}
        for zone in ZONE_TYPES:
            span = getattr(self, ZONE_FIELDS[zone])
            d[ZONE_FIELDS[zone]] = list(span) if span is not None else None
        return d


@dataclass
class Page:
    id: str
    text: str
    articles: list[Article] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    date: str | None = None
    source: str | None = None

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "text": self.text}
        if self.date is not None:
            d["date"] = self.date
        if self.source is not None:
            d["source"] = self.source
        d["articles"] = [a.to_dict() for a in self.articles]
        d["entities"] = [e.to_dict(self.text if with_text else None) for e in self.entities]
        return d


class DataError(ValueError):
    """Invalid labelled data; ``problems`` lists every one as ``file:line id: what``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:50]
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in labelled data:\n" + "\n".join(shown) + more)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _span(v: Any, what: str, n: int, problems: list[str]) -> tuple[int, int] | None:
    """Check a ``[start, end]`` pair against a text of length ``n``."""
    if v is None:
        return None
    if not (isinstance(v, (list, tuple)) and len(v) == 2 and all(_is_int(x) for x in v)):
        problems.append(f"{what} must be [start, end] with two integers, got {v!r}")
        return None
    s, e = v
    if not 0 <= s < e <= n:
        problems.append(f"{what} [{s}, {e}] is empty or out of range (text has {n} characters)")
        return None
    return (s, e)


def page_from_dict(obj: Any) -> tuple[Page | None, list[str]]:
    """Build a Page from parsed JSON; returns (page or None, problems)."""
    problems: list[str] = []
    if not isinstance(obj, dict):
        return None, [f"expected a JSON object, got {type(obj).__name__}"]
    pid, text = obj.get("id"), obj.get("text")
    if not isinstance(pid, (str, int)) or isinstance(pid, bool) or str(pid) == "":
        problems.append("missing or invalid 'id' (a non-empty string)")
    if not isinstance(text, str):
        problems.append("missing or invalid 'text' (a string)")
        return None, problems
    for key in ("date", "source"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            problems.append(f"'{key}' must be a string")
    n = len(text)

    articles: list[Article] = []
    raw_articles = obj.get("articles") or []
    if not isinstance(raw_articles, list):
        problems.append("'articles' must be a list")
        raw_articles = []
    for i, a in enumerate(raw_articles):
        where = f"article {i}"
        if not isinstance(a, dict):
            problems.append(f"{where} must be an object")
            continue
        span = _span([a.get("start"), a.get("end")], f"{where} span", n, problems)
        zones = {}
        for zone in ZONE_TYPES:
            key = ZONE_FIELDS[zone]
            zones[key] = _span(a.get(key), f"{where} {key}", n, problems)
        unknown = set(a) - {"start", "end", "text", *ZONE_FIELDS.values()}
        if unknown:
            problems.append(f"{where} has unknown field(s) {sorted(unknown)}")
        if span is None:
            continue
        if all(z is None for z in zones.values()):
            problems.append(f"{where} has no title, body or byline")
        for key, z in zones.items():
            if z is not None and not (span[0] <= z[0] and z[1] <= span[1]):
                problems.append(f"{where} {key} {list(z)} lies outside its article {list(span)}")
        present = sorted((z, key) for key, z in zones.items() if z is not None)
        for (z1, k1), (z2, k2) in zip(present, present[1:]):
            if z2[0] < z1[1]:
                problems.append(f"{where} zones {k1} and {k2} overlap")
        if a.get("text") is not None and a["text"] != text[span[0]:span[1]]:
            problems.append(f"{where} recorded text does not match text[{span[0]}:{span[1]}]")
        articles.append(Article(span[0], span[1], zones["title"], zones["body"], zones["byline"]))
    articles.sort(key=lambda a: a.start)
    for a, b in zip(articles, articles[1:]):
        if b.start < a.end:
            problems.append(f"articles [{a.start}, {a.end}] and [{b.start}, {b.end}] overlap")

    entities: list[Entity] = []
    raw_entities = obj.get("entities") or []
    if not isinstance(raw_entities, list):
        problems.append("'entities' must be a list")
        raw_entities = []
    for i, e in enumerate(raw_entities):
        where = f"entity {i}"
        if not isinstance(e, dict):
            problems.append(f"{where} must be an object")
            continue
        span = _span([e.get("start"), e.get("end")], f"{where} span", n, problems)
        etype = e.get("type")
        if etype not in ENTITY_TYPES:
            problems.append(f"{where} has unknown type {etype!r} (expected one of {', '.join(ENTITY_TYPES)})")
            continue
        if span is None:
            continue
        if e.get("text") is not None and e["text"] != text[span[0]:span[1]]:
            problems.append(
                f"{where} {etype} [{span[0]}, {span[1]}] recorded text {e['text']!r} "
                f"does not match {text[span[0]:span[1]]!r}"
            )
        entities.append(Entity(span[0], span[1], etype))
    entities.sort(key=lambda e: (e.start, e.end))
    for a, b in zip(entities, entities[1:]):
        if b.start < a.end:
            problems.append(
                f"entities {a.type} [{a.start}, {a.end}] and {b.type} [{b.start}, {b.end}] overlap"
            )
    if problems:
        return None, problems
    return Page(str(pid), text, articles, entities, obj.get("date"), obj.get("source")), []


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, Any | None, str | None]]:
    """Yield (line number, parsed object or None, problem or None) for each non-blank line.

    Bytes that are not UTF-8 and invalid JSON become problems on their line
    instead of exceptions, so callers can report all of them and go on.
    """
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield lineno, None, f"not valid UTF-8 (byte {err.start})"
                continue
            if lineno == 1:
                line = line.lstrip("\ufeff")
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line), None
            except json.JSONDecodeError as err:
                yield lineno, None, f"invalid JSON: {err.msg} (column {err.colno})"


def validate_file(path: str | Path) -> tuple[list[Page], list[str]]:
    """Parse and check every page of a JSONL file: (valid pages, problems)."""
    pages: list[Page] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for lineno, obj, problem in iter_jsonl(path):
        if problem:
            problems.append(f"{path}:{lineno}: {problem}")
            continue
        pid = obj.get("id", "?") if isinstance(obj, dict) else "?"
        page, page_problems = page_from_dict(obj)
        problems += [f"{path}:{lineno} {pid}: {p}" for p in page_problems]
        if page is not None:
            if page.id in seen:
                problems.append(f"{path}:{lineno} {page.id}: duplicate id (first on line {seen[page.id]})")
            seen.setdefault(page.id, lineno)
            pages.append(page)
    return pages, problems


def read_pages(paths: str | Path | Iterable[str | Path]) -> list[Page]:
    """Read labelled pages from one or more JSONL files; raise DataError listing every problem."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    pages: list[Page] = []
    problems: list[str] = []
    for path in paths:
        if not Path(path).is_file():
            problems.append(f"{path}: no such file")
            continue
        p, errs = validate_file(path)
        pages += p
        problems += errs
    if problems:
        raise DataError(problems)
    return pages


def check_src_dst(src: str | Path, dst: str | Path, force: bool) -> tuple[Path, Path]:
    """The usual checks of a file-to-file command, before any work: input exists, output free."""
    src, dst = Path(src), Path(dst)
    if not src.is_file():
        raise FileNotFoundError(f"{src}: no such file")
    if dst.is_dir():
        raise IsADirectoryError(f"{dst} is a directory; give an output file name")
    if dst.exists() and not force:
        raise FileExistsError(f"{dst} exists; pass force=True (--force) to overwrite it")
    return src, dst


def write_atomic(dst: str | Path, chunks: Iterable[str]) -> int:
    """Write text chunks to ``dst`` through a temporary file renamed into place; returns the chunk count.

    A reader never sees a half-written file, and a failure (full disk, an
    exception in the producer of ``chunks``) leaves any previous ``dst`` as it was.
    """
    import os
    import tempfile

    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists():
        mode = dst.stat().st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.", suffix=".tmp")
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            for chunk in chunks:
                f.write(chunk)
                n += 1
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def write_pages(pages: Iterable[Page], path: str | Path) -> int:
    """Write pages as JSONL (entity texts included, for reading by eye), atomically. Returns the count."""
    return write_atomic(path, (json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in pages))


def load_dataset(paths: str | Path | list[str | Path], streaming: bool = False):
    """Labelled pages as a Hugging Face ``datasets`` Dataset (or IterableDataset).

    The files are validated first, so a bad file fails here with every problem
    listed rather than half-way through a streamed training run.
    """
    import datasets

    if isinstance(paths, (str, Path)):
        paths = [paths]
    read_pages(paths)
    span = datasets.Sequence(datasets.Value("int64"))
    features = datasets.Features({
        "id": datasets.Value("string"),
        "text": datasets.Value("string"),
        "date": datasets.Value("string"),
        "source": datasets.Value("string"),
        "articles": datasets.List({"start": datasets.Value("int64"), "end": datasets.Value("int64"),
                                   "title": span, "body": span, "byline": span}),
        "entities": datasets.List({"start": datasets.Value("int64"), "end": datasets.Value("int64"),
                                   "type": datasets.Value("string"), "text": datasets.Value("string")}),
    })
    # Our own reader rather than the "json" builder: Arrow's JSON parser turns
    # "2023-01-16" into a timestamp before any schema is applied.
    # Dataset.from_generator would cache by file *name*, and serve stale pages
    # after a file is edited; from_list has no such cache.
    files = [str(p) for p in paths]
    if streaming:
        return datasets.IterableDataset.from_generator(_records, features=features, gen_kwargs={"files": files})
    return datasets.Dataset.from_list(list(_records(files)), features=features)


def _records(files: list[str]) -> Iterator[dict[str, Any]]:
    for path in files:
        for _, obj, _ in iter_jsonl(path):
            page, _ = page_from_dict(obj)
            if page is not None:
                yield {"date": None, "source": None, **page.to_dict()}


def page_from_record(rec: dict[str, Any]) -> Page:
    """A Page from a (validated) ``datasets`` record."""
    page, problems = page_from_dict(rec)
    if page is None:
        raise DataError([f"{rec.get('id', '?')}: {p}" for p in problems])
    return page


def page_stats(pages: Iterable[Page]) -> dict[str, Any]:
    """Counts for a data card: pages, characters, articles, zones and mentions per type."""
    from collections import Counter

    counts: Counter[str] = Counter()
    types: Counter[str] = Counter()
    for page in pages:
        counts["pages"] += 1
        counts["characters"] += len(page.text)
        counts["articles"] += len(page.articles)
        counts["articles without title"] += sum(a.title is None for a in page.articles)
        counts["articles without byline"] += sum(a.byline is None for a in page.articles)
        counts["entities"] += len(page.entities)
        types.update(e.type for e in page.entities)
    return {**dict(counts), **{t: types.get(t, 0) for t in ENTITY_TYPES}}
