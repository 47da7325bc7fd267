"""What an article record says about itself: headline and sub-titles, dateline, reporters.

The tagger finds the zones (data/ANNOTATION.md, rules 1–6); this module reads
them the way an editor would. The headline block splits into the main title
and its kicker/sub-title lines (引题, 副题); the dateline is the agency/paper formula that
opens the body (``本报讯``, ``新华社北京6月14日电``, ``本报杭州 12月 12日电``);
reporters are the names in the closing byline and in a credit that follows
the dateline (``本报讯（记者 李富生）``). Line wraps and the spaces that PDF
extraction puts before digits are ignored when reading, never in offsets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# A sub-title (副题) line opens with a dash: ——记…, —— 访…, －－…
_SUBTITLE = re.compile(r"^(?:——|—|－－|--|─)")
_BULLET = "■●▲◆□★☆"
_AGENCIES = "新华社|中新社|中新网|人民网|央视网|新华网|新京报|澎湃新闻|光明网|中国日报网"
# The dateline formulas, matched on body text with whitespace squeezed out.
_DATELINE = re.compile(
    rf"^[{_BULLET}\-－]*(?:"
    r"【本报讯】|本报讯"
    r"|本报[\u4e00-\u9fff]{0,8}?\d{1,2}月\d{1,2}日(?:电|讯)"
    rf"|(?:{_AGENCIES})[\u4e00-\u9fff]{{0,8}}?\d{{1,2}}月\d{{1,2}}日电"
    r"|[\u4e00-\u9fff]{2,8}?(?:报|网|台)[\u4e00-\u9fff]{0,4}?讯"
    r")"
)
# Bare 文/图/摄 are not roles here: they occur inside names (王文成).
_ROLES = ("本报记者", "见习记者", "特约记者", "实习记者", "首席记者", "记者", "通讯员", "实习生", "摄影",
          "文/", "图/", "文／", "图／", "编辑")
_ROLE_RE = re.compile("|".join(re.escape(r) for r in sorted(_ROLES, key=len, reverse=True)))
_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,5}·[\u4e00-\u9fff]{1,6}$")
_CREDIT = re.compile(r"^[（(]([^（）()]{2,60})[）)]")
_BARE_CREDIT = re.compile(r"^(?:记者|通讯员)[\s\u3000]*([\u4e00-\u9fff]{2,3})[\s\u3000]")


@dataclass
class ArticleMeta:
    title: str | None = None
    subtitles: list[str] = field(default_factory=list)
    dateline: str | None = None
    reporters: list[str] = field(default_factory=list)


def _lines(text: str, span: tuple[int, int] | None) -> list[str]:
    if span is None:
        return []
    return [" ".join(line.split()) for line in text[span[0]:span[1]].splitlines() if line.strip()]


def headline(text: str, span: tuple[int, int] | None) -> tuple[str | None, list[str]]:
    """(title, sub-titles) of a headline zone.

    Blank lines split a headline block into groups (kicker 引题, main title
    主题, sub-title 副题). The main title is the group with the longest lines
    (a kicker and a 副题 couplet run shorter than the headline; on a tie the
    earlier group); the other groups, and any line that opens with a dash,
    are sub-titles, in page order. A block without blank lines is one title:
    a wrapped headline and a kicker on the next line cannot be told apart in
    plain text, and splitting a wrapped headline would be the worse error.
    """
    if span is None:
        return None, []
    groups = [g for g in re.split(r"\n[ \t\u3000]*\n", text[span[0]:span[1]]) if g.strip()]
    blocks = [[" ".join(x.split()) for x in g.splitlines() if x.strip()] for g in groups]
    dashed = [[x for x in b if _SUBTITLE.match(x)] for b in blocks]
    plain = [[x for x in b if not _SUBTITLE.match(x)] for b in blocks]

    def mean_len(lines: list[str]) -> float:
        return sum(len(x.replace(" ", "")) for x in lines) / len(lines) if lines else -1.0

    main = 0
    for i in range(1, len(plain)):
        if mean_len(plain[i]) > mean_len(plain[main]) + 1:
            main = i
    subs = []
    for i, (p, d) in enumerate(zip(plain, dashed)):
        if i != main and p:
            subs.append(" ".join(p))
        subs += [_SUBTITLE.sub("", x).strip() for x in d]
    return (" ".join(plain[main]) or None) if plain else None, [x for x in subs if x]


def _squeeze(text: str) -> tuple[str, list[int]]:
    """Text without whitespace, and the original offset of each kept character."""
    keep = [i for i, c in enumerate(text) if not c.isspace()]
    return "".join(text[i] for i in keep), keep


def names_in_credit(credit: str) -> list[str]:
    """Names in a credit (``记者 鲁燕``, ``记者柴壮莎 通讯员闫岚兰 李树``, ``文/汤厚 图/谭梦祥``)."""
    out = []
    for part in _ROLE_RE.split(credit):
        for tok in re.split(r"[\s\u3000、，,：:/／;；]+", part):
            tok = tok.strip("（）()【】[]")
            if _NAME.match(tok) and tok not in out:
                out.append(tok)
    return out


def dateline_and_credit(text: str, span: tuple[int, int] | None) -> tuple[str | None, list[str]]:
    """The dateline that opens a body, and the names in a reporter credit right after it."""
    if span is None:
        return None, []
    head = text[span[0]:min(span[1], span[0] + 160)]
    flat, _ = _squeeze(head)
    m = _DATELINE.match(flat)
    if not m:
        return None, []
    dateline = m.group(0).lstrip(_BULLET + "-－")
    rest_raw = head
    # Find where the dateline ends in the raw text, to read the credit with its spaces.
    seen = 0
    for i, c in enumerate(head):
        if not c.isspace():
            seen += 1
        if seen == m.end():
            rest_raw = head[i + 1:]
            break
    rest = rest_raw.lstrip(" \u3000\n")
    credit = _CREDIT.match(rest.replace("\n", ""))
    if credit and _ROLE_RE.search(credit.group(1)):
        return dateline, names_in_credit(credit.group(1))
    bare = _BARE_CREDIT.match(rest)
    return dateline, ([bare.group(1)] if bare else [])


def article_meta(text: str, title: tuple[int, int] | None, body: tuple[int, int] | None,
                 byline: tuple[int, int] | None) -> ArticleMeta:
    """Headline, sub-titles, dateline and reporters of one article from its zone spans."""
    main, subs = headline(text, title)
    dateline, credited = dateline_and_credit(text, body)
    reporters = list(credited)
    for line in _lines(text, byline):
        for name in names_in_credit(line):
            if name not in reporters:
                reporters.append(name)
    return ArticleMeta(main, subs, dateline, reporters)
