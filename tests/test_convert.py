"""Converters: CoNLL/BIO, doccano and Label Studio into pages and back, and every way an input can be wrong."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.convert import (
    FORMATS,
    articles_from_zones,
    convert_file,
    detect_format,
    dump_pages,
    escape_char,
    load_pages,
    pages_to_conll,
    unescape_field,
)
from model.data import Article, DataError, Entity, Page, page_from_dict, write_pages
from model.schema import ENTITY_TYPES, ZONE_TYPES

# Everything that tends to break a one-character-per-line format or an offset count:
# whitespace of every kind, CR/LF, backslashes, comment markers, full-width and
# astral-plane characters, a BOM, a line separator, controls.
TRICKY = "中 \t\n\r\\#　（）𠀀😀\ufeff\u2028\x0b\x00\x85é-=\\s"


def tricky_page(pid: str = "tricky") -> Page:
    text = "#标题 𠀀\n\n政 务\n本报讯\t李晓雷\r\n\\s 180亿\n元😀\u3000\ufeff\u2028x\n记者 鲁燕"
    t = text.index("政")
    b0, b1 = text.index("本"), text.index("x") + 1
    y0 = text.index("记")
    li = text.index("李")
    amt = text.index("180")
    articles = [Article(0, len(text), (0, 6), (b0, b1), (y0, len(text)))]
    entities = [Entity(li, li + 3, "OFFICIAL"), Entity(amt, amt + 6, "AMOUNT"),
                Entity(t - 2, t - 1, "DATE"), Entity(text.index("😀"), text.index("😀") + 1, "ORG")]
    return Page(pid, text, articles, sorted(entities, key=lambda e: e.start), date="2023-01-16",
                source=" A01\t版 \\ ")


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def problems_of(excinfo) -> str:
    return "\n".join(excinfo.value.problems)


# ---------------------------------------------------------------------------
# Escapes


@given(st.characters(exclude_categories=()))
def test_escape_round_trip_any_character(c):
    e = escape_char(c)
    assert unescape_field(e) == c
    # nothing an editor or a line splitter could eat or break at
    assert e and len(e.splitlines()) == 1 and not any(x.isspace() for x in e)
    assert not any(0xD800 <= ord(x) <= 0xDFFF or ord(x) < 0x20 or x == "\ufeff" for x in e)


@pytest.mark.parametrize("c,escaped", [(" ", r"\s"), ("\t", r"\t"), ("\n", r"\n"), ("\r", r"\r"), ("\\", "\\\\"),
                                       ("\u3000", r"\u3000"), ("\ufeff", r"\uFEFF"), ("\ud800", r"\uD800"),
                                       ("\U000E0001", r"\U000E0001"), ("中", "中"), ("𠀀", "𠀀"), ("#", "#")])
def test_escape_char(c, escaped):
    assert escape_char(c) == escaped
    assert unescape_field(escaped) == c


@pytest.mark.parametrize("field,message", [("\\x", "unknown escape"), ("\\", "lone backslash"),
                                           ("a\\", "lone backslash"), ("\\U00110000", r"beyond U\+10FFFF"),
                                           ("\\u12", "unknown escape")])
def test_unescape_errors(field, message):
    with pytest.raises(ValueError, match=message):
        unescape_field(field)


# ---------------------------------------------------------------------------
# articles_from_zones


@pytest.mark.parametrize("zones,expected", [
    ([], []),
    ([("TITLE", 0, 2), ("BODY", 3, 9), ("BYLINE", 10, 12)], [Article(0, 12, (0, 2), (3, 9), (10, 12))]),
    # furniture between title and body stays inside the article (ANNOTATION.md 1)
    ([("TITLE", 0, 2), ("BODY", 8, 9)], [Article(0, 9, (0, 2), (8, 9))]),
    # a second title starts a new article
    ([("TITLE", 0, 2), ("TITLE", 2, 4), ("BODY", 5, 9)], [Article(0, 2, (0, 2)), Article(2, 9, (2, 4), (5, 9))]),
    # zones that cannot continue the article: TITLE after BODY, BODY after BYLINE, BODY after BODY
    ([("BODY", 0, 2), ("TITLE", 3, 4)], [Article(0, 2, body=(0, 2)), Article(3, 4, (3, 4))]),
    ([("BODY", 0, 2), ("BYLINE", 3, 4), ("BODY", 5, 6)],
     [Article(0, 4, body=(0, 2), byline=(3, 4)), Article(5, 6, body=(5, 6))]),
    ([("BODY", 0, 2), ("BODY", 3, 4)], [Article(0, 2, body=(0, 2)), Article(3, 4, body=(3, 4))]),
    ([("TITLE", 0, 2), ("BYLINE", 3, 4), ("BYLINE", 5, 6)],
     [Article(0, 4, (0, 2), byline=(3, 4)), Article(5, 6, byline=(5, 6))]),
    # input order does not matter
    ([("BYLINE", 10, 12), ("TITLE", 0, 2), ("BODY", 3, 9)], [Article(0, 12, (0, 2), (3, 9), (10, 12))]),
])
def test_articles_from_zones(zones, expected):
    assert articles_from_zones(zones) == expected


@st.composite
def sorted_zones(draw, n: int = 80) -> list[tuple[str, int, int]]:
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=20, unique=True)))
    zones = []
    for s, e in zip(cuts[::2], cuts[1::2]):
        zones.append((draw(st.sampled_from(ZONE_TYPES)), s, e))
    return zones


@given(sorted_zones())
def test_articles_from_zones_properties(zones):
    articles = articles_from_zones(zones)
    got = [z for a in articles for z in a.zones()]
    assert sorted(got, key=lambda z: z[1]) == zones  # every zone lands in exactly one article
    for a in articles:
        zs = a.zones()
        assert (a.start, a.end) == (zs[0][1], zs[-1][2])
        order = [ZONE_TYPES.index(t) for t, _, _ in zs]
        assert order == sorted(set(order))
    for a, b in zip(articles, articles[1:]):
        assert a.end <= b.start
        # b could not have continued a: its first zone is not later in TITLE → BODY → BYLINE
        assert ZONE_TYPES.index(b.zones()[0][0]) <= ZONE_TYPES.index(a.zones()[-1][0])
    assert articles_from_zones(got) == articles
    page, problems = page_from_dict(Page("x", "字" * 80, articles).to_dict())
    assert problems == [] and page.articles == articles


# ---------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("fmt", ["conll", "doccano", "labelstudio", "jsonl"])
def test_round_trip_each_format(tmp_path, pages, fmt):
    all_pages = pages + [tricky_page()]
    src = write(tmp_path / "in.jsonl", dump_pages(all_pages, "jsonl"))
    mid = tmp_path / f"mid.{fmt}"
    assert convert_file(src, mid, "jsonl", fmt) == len(all_pages)
    assert detect_format(mid) == fmt
    back = tmp_path / "back.jsonl"
    assert convert_file(mid, back, fmt, "jsonl") == len(all_pages)
    assert load_pages(back, "jsonl") == all_pages
    assert load_pages(mid) == all_pages
    assert back.read_bytes() == src.read_bytes()


def test_conll_layout_of_tricky_page():
    out = pages_to_conll([tricky_page()])
    lines = out.split("\n")
    assert lines[:3] == ["# id = tricky", "# date = 2023-01-16", "# source = \\sA01\\t版 \\\\\\s"]
    assert lines[3] == "#\tB-TITLE\tO"
    assert "\\s\tI-TITLE\tO" in lines and "\\r\tI-BODY\tO" in lines and "\\\\\tI-BODY\tO" in lines
    assert "\\u3000\tI-BODY\tO" in lines and "\\uFEFF\tI-BODY\tO" in lines and "\\u2028\tI-BODY\tO" in lines
    assert "𠀀\tI-TITLE\tO" in lines and "😀\tI-BODY\tB-ORG" in lines
    assert "李\tI-BODY\tB-OFFICIAL" in lines
    assert all(len(line.split("\t")) == 3 for line in lines[3:-1])
    assert out.endswith("燕\tI-BYLINE\tO\n")


_ALPHABET = st.one_of(st.sampled_from(list(TRICKY) + ["\ud800"]), st.characters())


@st.composite
def random_pages(draw) -> list[Page]:
    out = []
    for k in range(draw(st.integers(1, 3))):
        text = draw(st.text(_ALPHABET, max_size=40))
        n = len(text)
        cuts = sorted(draw(st.lists(st.integers(0, n), max_size=10, unique=True)))
        zones = [(draw(st.sampled_from(ZONE_TYPES)), s, e) for s, e in zip(cuts[::2], cuts[1::2])]
        cuts = sorted(draw(st.lists(st.integers(0, n), max_size=10, unique=True)))
        ents = [Entity(s, e, draw(st.sampled_from(ENTITY_TYPES))) for s, e in zip(cuts[::2], cuts[1::2])]
        pid = draw(st.text(_ALPHABET, min_size=1, max_size=6)) + f"#{k}"
        date = draw(st.none() | st.text(_ALPHABET, max_size=6))
        out.append(Page(pid, text, articles_from_zones(zones), ents, date=date,
                        source=draw(st.none() | st.text(_ALPHABET, max_size=6))))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_pages(), st.sampled_from(["conll", "doccano", "labelstudio"]))
def test_round_trip_property(pages, fmt):
    with tempfile.TemporaryDirectory() as d:
        src = write(Path(d) / "in.jsonl", dump_pages(pages, "jsonl"))
        mid = Path(d) / f"mid.{fmt}"
        assert convert_file(src, mid, "jsonl", fmt) == len(pages)
        assert load_pages(mid, fmt) == pages


def test_empty_page_and_empty_file(tmp_path):
    pages = [Page("empty", ""), Page("one", "字", entities=[Entity(0, 1, "ORG")])]
    for fmt in ("conll", "doccano", "labelstudio"):
        mid = write(tmp_path / f"m.{fmt}", dump_pages(pages, fmt))
        assert load_pages(mid, fmt) == pages
        empty = write(tmp_path / f"e.{fmt}", dump_pages([], fmt))
        assert load_pages(empty, fmt) == []


# ---------------------------------------------------------------------------
# CoNLL import


def test_conll_two_columns_default_ids_and_lenient_i(tmp_path):
    src = write(tmp_path / "ner.bio", (
        "# a header comment block, no page\n\n"
        "-DOCSTART-\tO\n"
        "李\tI-OFFICIAL\n晓\tI-OFFICIAL\n雷\tI-OFFICIAL\n"   # I- without B- opens the span
        "区\tB-ORG\n委\tI-ORG\n"
        "今\tI-DATE\n年\tI-DATE\n"                          # I-DATE after ORG: a new span
        "3\tB-AMOUNT\n个\tB-AMOUNT\n"                       # B after B: two spans
        "\n\n"
        "# id = named\n# date = 2023-01-16\n"
        "\\s\tO\n好\tB-ORG\n"
    ))
    p1, p2 = load_pages(src)
    assert p1.id == "ner-1" and p1.text == "李晓雷区委今年3个" and p1.articles == []
    assert [(e.type, e.start, e.end) for e in p1.entities] == [
        ("OFFICIAL", 0, 3), ("ORG", 3, 5), ("DATE", 5, 7), ("AMOUNT", 7, 8), ("AMOUNT", 8, 9)]
    assert (p2.id, p2.date, p2.text, p2.entities) == ("named", "2023-01-16", " 好", [Entity(1, 2, "ORG")])


def test_conll_bioes_and_bmes(tmp_path):
    src = write(tmp_path / "e.conll", "李\tB-OFFICIAL\n晓\tM-OFFICIAL\n雷\tE-OFFICIAL\n区\tS-ORG\n委\tS-ORG\n"
                                      "今\tE-DATE\n年\tE-DATE\n")
    (page,) = load_pages(src)
    assert [(e.type, e.start, e.end) for e in page.entities] == [
        ("OFFICIAL", 0, 3), ("ORG", 3, 4), ("ORG", 4, 5), ("DATE", 5, 6), ("DATE", 6, 7)]


def test_conll_crlf_bom_and_space_separated(tmp_path):
    src = write(tmp_path / "w.conll", "\ufeff# id = a\r\n标\tB-TITLE\tO\r\n\\r\tO\tO\r\n正\tB-BODY\tB-ORG\r\n\r\n")
    (page,) = load_pages(src)
    assert page.text == "标\r正"
    assert page.articles == [Article(0, 3, (0, 1), (2, 3))] and page.entities == [Entity(2, 3, "ORG")]
    spaced = write(tmp_path / "spaced.txt", "李 B-OFFICIAL\n雷  I-OFFICIAL\n")
    assert detect_format(spaced) == "conll"
    assert load_pages(spaced)[0].entities == [Entity(0, 2, "OFFICIAL")]


def test_conll_zone_i_without_b_and_furniture(tmp_path):
    src = write(tmp_path / "z.conll", "标\tI-TITLE\tO\n政\tO\tO\n正\tI-BODY\tO\n者\tI-BYLINE\tO\n新\tI-BODY\tO\n")
    (page,) = load_pages(src)
    assert page.articles == [Article(0, 4, (0, 1), (2, 3), (3, 4)), Article(4, 5, body=(4, 5))]


@pytest.mark.parametrize("content,line,message", [
    ("a\tO\tO\nb\tB-PERSON\tO\n", 2, "unknown zone tag 'B-PERSON'"),
    ("a\tO\tB-PER\n", 1, "unknown entity tag 'B-PER'"),
    ("a\tB-TITLE\n", 1, "unknown entity tag 'B-TITLE' (expected O, B-/I- with OFFICIAL, ORG, DATE, AMOUNT) "
                        "(zone tags need the 3-column form)"),
    ("a\tO\tO\nb\tO\n", 2, "2 column(s), expected 3 as on line 1"),
    ("a\tO\tO\tO\n", 1, "4 column(s); expected CHAR<TAB>ENTITY_TAG or CHAR<TAB>ZONE_TAG<TAB>ENTITY_TAG"),
    ("ab\tO\tO\n", 1, "character column: 'ab' is 2 characters, expected one (escape spaces as \\s)"),
    ("\\q\tO\tO\n", 1, "character column: unknown escape \\q"),
    ("\tO\tO\n", 1, "character column: '' is 0 characters"),
    ("a\tO\tO\n# id = late\n", 2, "'# id = ...' inside a page"),
    ("a\tO\tO\nb\tO\t\n", 2, "unknown entity tag ''"),
])
def test_conll_errors_name_file_and_line(tmp_path, content, line, message):
    src = write(tmp_path / "bad.conll", content)
    dst = tmp_path / "out.jsonl"
    with pytest.raises(DataError) as exc:
        convert_file(src, dst, "conll", "jsonl")
    assert f"{src}:{line} bad-1: {message}" in problems_of(exc)
    assert not dst.exists()


def test_conll_collects_every_problem(tmp_path):
    src = write(tmp_path / "many.conll", "# id = p\na\tB-X\tO\nb\tO\tO\tO\n\nc\tO\tI-Y\n\n# id = q\nd\tO\tO\n\n"
                                         "# id = q\ne\tO\tO\n")
    with pytest.raises(DataError) as exc:
        load_pages(src)
    text = problems_of(exc)
    assert f"{src}:2 p: unknown zone tag 'B-X'" in text
    assert f"{src}:3 p: 4 column(s), expected 3 as on line 2" in text
    assert f"{src}:5 many-2: unknown entity tag 'I-Y'" in text
    assert f"{src}:10 q: duplicate id (first on line 7)" in text
    assert len(exc.value.problems) == 4


def test_conll_invalid_utf8(tmp_path):
    src = write(tmp_path / "b.conll", b"a\tO\tO\n\xff\tO\tO\n")
    with pytest.raises(DataError, match=r"b\.conll:2 \?: not valid UTF-8"):
        load_pages(src)


# ---------------------------------------------------------------------------
# doccano import


def test_doccano_both_variants(tmp_path):
    text = "标题\n政 务\n本报讯李晓雷出席\n记者 鲁燕"
    recs = [
        {"id": 7, "text": text, "label": [[0, 2, "TITLE"], [6, 14, "BODY"], [15, 20, "BYLINE"], [9, 12, "OFFICIAL"]]},
        {"text": text, "entities": [{"id": 1, "start_offset": 9, "end_offset": 12, "label": "OFFICIAL"},
                                    {"id": 2, "start_offset": 6, "end_offset": 14, "label": "BODY"}],
         "relations": [], "meta": {"date": "2023-01-16"}},
        {"text": "无标注"},
    ]
    src = write(tmp_path / "dc.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs))
    assert detect_format(src) == "doccano"
    p1, p2, p3 = load_pages(src, "doccano")
    assert p1.id == "7" and p1.articles == [Article(0, 20, (0, 2), (6, 14), (15, 20))]
    assert p1.entities == [Entity(9, 12, "OFFICIAL")]
    assert p2.id == "dc-2" and p2.date == "2023-01-16" and p2.articles == [Article(6, 14, body=(6, 14))]
    assert (p3.id, p3.text, p3.articles, p3.entities) == ("dc-3", "无标注", [], [])


@pytest.mark.parametrize("rec,message", [
    ({"text": "李晓雷出席", "label": [[0, 3, "OFFICIAL"], [2, 4, "ORG"]]}, "entities OFFICIAL [0, 3] and ORG [2, 4] overlap"),
    ({"text": "标题正文", "label": [[0, 3, "TITLE"], [2, 4, "BODY"]]}, "zones TITLE [0, 3] and BODY [2, 4] overlap"),
    ({"text": "标题", "label": [[0, 2, "PERSON"]]}, "unknown label 'PERSON'"),
    ({"text": "标题", "label": [[0, 9, "TITLE"]]}, "TITLE zone [0, 9] is empty or out of range"),
    ({"text": "标题", "label": [[0, 9, "ORG"]]}, "entity 0 span [0, 9] is empty or out of range"),
    ({"text": "标题", "label": [[0, "ORG"]]}, "label 0 must be [start, end, LABEL]"),
    ({"text": "标题", "label": ["positive"]}, "label 0 must be [start, end, LABEL]"),
    ({"text": "标题", "entities": [{"start": 0, "end": 1, "label": "ORG"}]}, "entity 0 must be {start_offset"),
    ({"label": []}, "missing or invalid 'text'"),
    ({"text": "标题", "date": 20230116}, "'date' must be a string"),
])
def test_doccano_errors(tmp_path, rec, message):
    src = write(tmp_path / "d.jsonl", '{"text": "好"}\n' + json.dumps(rec, ensure_ascii=False) + "\n")
    with pytest.raises(DataError) as exc:
        convert_file(src, tmp_path / "o.jsonl", "doccano", "jsonl")
    assert f"{src}:2 d-2: {message}" in problems_of(exc)
    assert not (tmp_path / "o.jsonl").exists()


def test_doccano_invalid_json_and_not_object(tmp_path):
    src = write(tmp_path / "d.jsonl", '{"text": "好"\n[1, 2]\n')
    with pytest.raises(DataError) as exc:
        load_pages(src, "doccano")
    assert f"{src}:1 ?: invalid JSON" in problems_of(exc)
    assert f"{src}:2 ?: expected a JSON object, got list" in problems_of(exc)


# ---------------------------------------------------------------------------
# Label Studio import


def _region(s, e, text, label, rtype="labels"):
    return {"id": "x", "from_name": "label", "to_name": "text", "type": rtype,
            "value": {"start": s, "end": e, "text": text, "labels": [label]}}


def test_labelstudio_import(tmp_path):
    text = "😀标题\n本报讯李晓雷出席"
    tasks = [
        {"id": 11, "data": {"content": text, "date": "2023-01-16"},
         "annotations": [
             {"was_cancelled": True, "result": [_region(0, 1, "😀", "ORG")]},
             # UTF-16 offsets, as some Label Studio versions write them after an astral character
             {"was_cancelled": False, "result": [
                 _region(2, 4, "标题", "TITLE"), _region(5, 13, "本报讯李晓雷出席", "BODY"),
                 _region(8, 11, "李晓雷", "OFFICIAL"),
                 {"type": "relation", "from_id": "a", "to_id": "b"},
                 {"type": "choices", "value": {"choices": ["ok"]}}]}],
         "predictions": [{"result": [_region(0, 1, "😀", "DATE")]}]},
        {"id": 12, "data": {"content": "无"}, "annotations": [], "predictions": [{"result": []}]},
        {"data": {"content": "空", "id": "page-x"}, "annotations": [{"result": []}]},
    ]
    src = write(tmp_path / "ls.json", json.dumps(tasks, ensure_ascii=False, indent=2))
    assert detect_format(src) == "labelstudio"
    with pytest.warns(UserWarning, match="skipped 1 task.*12"):
        p1, p2 = load_pages(src, "labelstudio", text_key="content")
    assert p1.id == "11" and p1.date == "2023-01-16"
    assert p1.articles == [Article(1, 12, (1, 3), (4, 12))]
    assert p1.entities == [Entity(7, 10, "OFFICIAL")]
    assert (p2.id, p2.text, p2.articles, p2.entities) == ("page-x", "空", [], [])


@pytest.mark.parametrize("result,message", [
    ([_region(0, 2, "晓雷", "OFFICIAL")], "result 0: OFFICIAL [0, 2] recorded text '晓雷' does not match '李晓'"),
    ([{"type": "labels", "value": {"start": 0, "end": 2, "labels": ["ORG", "DATE"]}}], "result 0: expected exactly one label, got ['ORG', 'DATE']"),
    ([{"type": "labels", "value": {"start": "0", "end": 2, "labels": ["ORG"]}}], "result 0: value.start and value.end must be integers, got '0', 2"),
    ([_region(0, 2, "李晓", "ORG", rtype="hypertextlabels")], "result 0: region type 'hypertextlabels' is not supported"),
    ([_region(0, 3, "李晓雷", "PERSON")], "unknown label 'PERSON'"),
    ([_region(0, 3, "李晓雷", "ORG"), _region(1, 2, "晓", "DATE")], "entities ORG [0, 3] and DATE [1, 2] overlap"),
])
def test_labelstudio_errors(tmp_path, result, message):
    tasks = [{"data": {"text": "好"}, "annotations": [{"result": []}]},
             {"id": 5, "data": {"text": "李晓雷"}, "annotations": [{"result": result}]}]
    src = write(tmp_path / "ls.json", json.dumps(tasks, ensure_ascii=False))
    with pytest.raises(DataError) as exc:
        load_pages(src, "labelstudio")
    assert f"{src}:1 5: {message}" in problems_of(exc)


def test_labelstudio_structure_errors(tmp_path):
    src = write(tmp_path / "a.json", '[\n  {"data": {"text": "好"}, "annotations": [{"result": []}]},\n  {"data": 3},\n'
                                     '  {"data": {"body": "x"}, "annotations": [{"result": []}]}\n]\n')
    with pytest.raises(DataError) as exc:
        load_pages(src, "labelstudio")
    assert f"{src}:3 ?: expected a task object with 'data'" in problems_of(exc)
    assert f"{src}:4 a-3: missing or invalid data.text (a string)" in problems_of(exc)
    bad = write(tmp_path / "b.json", '[\n {"data": {"text": "好"}, "annotations": [{"result": []}]},\n {"data": \n')
    with pytest.raises(DataError, match=r"b\.json:4 \?: invalid JSON"):
        load_pages(bad, "labelstudio")
    obj = write(tmp_path / "c.json", '{"data": {"text": "好"}}')
    with pytest.raises(DataError, match="expected a JSON list of tasks"):
        load_pages(obj, "labelstudio")


# ---------------------------------------------------------------------------
# Writers refuse what zone spans cannot carry


def test_export_refuses_article_wider_than_zones(tmp_path):
    page = Page("w", "标题 正文。", [Article(0, 6, (0, 2), (3, 5))])
    src = write(tmp_path / "in.jsonl", dump_pages([page], "jsonl"))
    with pytest.raises(DataError) as exc:
        convert_file(src, tmp_path / "o.conll", "jsonl", "conll")
    assert f"{src}:1 w: article [0, 6] is not the extent of its zones [0, 5]" in problems_of(exc)
    assert not (tmp_path / "o.conll").exists()
    assert convert_file(src, tmp_path / "o.jsonl", "jsonl", "jsonl") == 1


def test_export_refuses_ambiguous_grouping():
    # A title-only article right before a body-only one would come back as one article.
    page = Page("g", "标题 正文", [Article(0, 2, (0, 2)), Article(3, 5, body=(3, 5))])
    for fmt in ("conll", "doccano", "labelstudio"):
        with pytest.raises(DataError, match="would come back from their zones as"):
            dump_pages([page], fmt)


# ---------------------------------------------------------------------------
# convert_file and detect_format


def test_convert_file_refuses_overwrite_and_writes_atomically(tmp_path, pages_file):
    dst = write(tmp_path / "out.conll", "keep me")
    with pytest.raises(FileExistsError, match="out.conll exists; pass force=True"):
        convert_file(pages_file, dst, "jsonl", "conll")
    assert dst.read_text() == "keep me"
    n = convert_file(pages_file, dst, None, "conll", force=True)
    assert n == 12 and dst.read_text().startswith("# id = p0\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.conll"]  # no temp file left


def test_convert_file_writes_nothing_when_invalid_even_with_force(tmp_path):
    src = write(tmp_path / "bad.conll", "a\tO\tB-NOPE\n")
    dst = write(tmp_path / "out.jsonl", "old\n")
    with pytest.raises(DataError):
        convert_file(src, dst, "conll", "jsonl", force=True)
    assert dst.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.conll", "out.jsonl"]


def test_convert_file_validates_jsonl_source(tmp_path):
    good = Page("a", "标题", [Article(0, 2, (0, 2))]).to_dict()
    bad = {"id": "b", "text": "x", "entities": [{"start": 0, "end": 1, "type": "PERSON"}]}
    src = write(tmp_path / "s.jsonl", json.dumps(good) + "\n" + json.dumps(bad) + "\nnot json\n" + json.dumps(good) + "\n")
    with pytest.raises(DataError) as exc:
        convert_file(src, tmp_path / "o.conll", "jsonl", "conll")
    text = problems_of(exc)
    assert f"{src}:2 b: entity 0 has unknown type 'PERSON'" in text
    assert f"{src}:3 ?: invalid JSON" in text
    assert f"{src}:4 a: duplicate id (first on line 1)" in text


def test_convert_file_arguments(tmp_path, pages_file):
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        convert_file(pages_file, tmp_path / "o", "jsonl", "xml")
    with pytest.raises(ValueError, match="unknown input format 'brat'"):
        convert_file(pages_file, tmp_path / "o", "brat", "jsonl")
    with pytest.raises(FileNotFoundError):
        convert_file(tmp_path / "missing.jsonl", tmp_path / "o", "jsonl", "conll")
    with pytest.raises(IsADirectoryError):
        convert_file(pages_file, tmp_path, "jsonl", "conll")
    nested = tmp_path / "new" / "dir" / "o.conll"
    assert convert_file(pages_file, nested, "auto", "conll") == 12


def test_convert_in_place_with_force(tmp_path, pages):
    path = tmp_path / "p.jsonl"
    write_pages(pages, path)
    assert convert_file(path, path, "jsonl", "jsonl", force=True) == len(pages)
    assert load_pages(path) == pages


@pytest.mark.parametrize("name,content,fmt", [
    ("a.conll", "", "conll"),
    ("a.bio", "x", "conll"),
    ("a.txt", "# id = x\n中\tO\tO\n", "conll"),
    ("a.json", '[{"data": {"text": "x"}}]', "labelstudio"),
    ("a.jsonl", '{"id": "a", "text": "x", "articles": [], "entities": []}\n', "jsonl"),
    ("a.jsonl", '{"text": "x", "label": []}\n', "doccano"),
    ("a.jsonl", '{"text": "x", "entities": [{"start_offset": 0, "end_offset": 1, "label": "ORG"}]}\n', "doccano"),
    ("a.jsonl", '{"text": "x", "entities": [{"start": 0, "end": 1, "type": "ORG"}]}\n', "jsonl"),
])
def test_detect_format(tmp_path, name, content, fmt):
    assert detect_format(write(tmp_path / name, content)) == fmt


def test_detect_format_gives_up_on_plain_text(tmp_path):
    with pytest.raises(ValueError, match="cannot tell the format"):
        detect_format(write(tmp_path / "page.txt", "中原区召开推进会\n本报讯\n"))


def test_formats_constant():
    assert set(FORMATS) == {"conll", "doccano", "labelstudio", "jsonl"}


def test_cli_convert_round_trip(tmp_path, pages_file, pages):
    from typer.testing import CliRunner

    from model.cli import app
    from model.data import read_pages

    runner = CliRunner()
    conll = tmp_path / "p.conll"
    r = runner.invoke(app, ["convert", str(pages_file), str(conll)])
    assert r.exit_code == 0, r.output
    back = tmp_path / "back.jsonl"
    r = runner.invoke(app, ["convert", str(conll), str(back)])
    assert r.exit_code == 0, r.output
    assert read_pages(back) == pages
    r = runner.invoke(app, ["convert", str(conll), str(back)])
    assert r.exit_code == 1 and "--force" in r.output
    conll.write_text("中\tB-NOPE\tO\n", encoding="utf-8")
    r = runner.invoke(app, ["convert", str(conll), str(tmp_path / "x.jsonl")])
    assert r.exit_code == 1 and f"{conll}:1" in r.output
