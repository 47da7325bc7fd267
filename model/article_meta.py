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
_SUBTITLE = re.compile(r"^(?:[—－─\-]\s*)+")
_BULLET = "■●▲◆□★☆"
_AGENCIES = "新华社|中新社|中新网|人民网|央视网|新华网|新京报|澎湃新闻|光明网|中国日报网"
# The dateline formulas, matched on body text with whitespace squeezed out.
_DATELINE = re.compile(
    rf"^[{_BULLET}\-－]*(?:"
    r"【本报讯】|本报讯"
    r"|本报[\u4e00-\u9fff]{0,8}?\d{1,2}月\d{1,2}日(?:电|讯)"
    rf"|(?:{_AGENCIES})[\u4e00-\u9fff]{{0,8}}?\d{{1,2}}月\d{{1,2}}日电"
    r")"
)
# Another paper's formula (南国今报柳州讯, 大河网讯): a name ending in 报/网/台, at most a place, 讯,
# and no Chinese character right after it, so that 据本报通讯员… or 传来喜讯 are not datelines.
_PAPER_DATELINE = re.compile(r"^[{b}\-－]*((?!据)[\u4e00-\u9fff]{{2,8}}?(?:报|网|台)[\u4e00-\u9fff]{{0,4}}?讯)"
                             .format(b=_BULLET))
_NOT_PAPER = re.compile(r"(?:通|喜|资|快|简|短|音|电|视)讯$")
_ROLES = ("本报记者", "见习记者", "特约记者", "实习记者", "首席记者", "记者", "通讯员", "实习生", "摄影",
          "文/", "图/", "文／", "图／", "编辑")
_ROLE_RE = re.compile("|".join(re.escape(r) for r in sorted(_ROLES, key=len, reverse=True)))
# Words that sit in credits beside names (本报记者 张三 报道, 责任编辑：张三, 记者 张三 发自北京).
_NOT_NAMES = frozenset({"报道", "发自", "责任", "综合", "整理", "供图", "制图", "编辑", "摄影", "通讯", "实习", "本报",
                        "记者", "通讯员", "实习生", "见习", "特约", "首席", "采写", "采访", "图片", "视频"})
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
    groups = [g for g in re.split(r"(?:\r\n|\r|\n)[^\S\r\n]*(?:\r\n|\r|\n)", text[span[0]:span[1]]) if g.strip()]
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
    """Names in a credit (``记者 鲁燕``, ``记者柴壮莎 通讯员闫岚兰 李树``, ``文/汤厚 图/谭梦祥``).

    A line break inside a credit is a space, except where it wraps a name (a
    single character left on one side is joined back to the name it belongs to).
    """
    out = []
    for part in _ROLE_RE.split(credit):
        toks = [t.strip("（）()【】[]") for t in re.split(r"[\s\u3000、，,：:/／;；]+", part)]
        merged: list[str] = []
        for tok in toks:
            if not tok:
                continue
            if merged and len(tok) == 1 and tok not in "摄文图" and len(merged[-1]) in (1, 2, 3):
                merged[-1] += tok
            else:
                merged.append(tok)
        for tok in merged:
            if tok.startswith("发自"):
                continue
            if _NAME.match(tok) and tok not in _NOT_NAMES and tok not in out:
                out.append(tok)
    return out


def dateline_and_credit(text: str, span: tuple[int, int] | None) -> tuple[str | None, list[str]]:
    """The dateline that opens a body, and the names in a reporter credit right after it."""
    if span is None:
        return None, []
    head = text[span[0]:min(span[1], span[0] + 160)]
    flat, _ = _squeeze(head)
    m = _DATELINE.match(flat)
    end = m.end() if m else 0
    dateline = m.group(0) if m else None
    if not m:
        p = _PAPER_DATELINE.match(flat)
        nxt = flat[p.end():p.end() + 1] if p else ""
        if p and not _NOT_PAPER.search(p.group(1)) and not ("\u4e00" <= nxt <= "\u9fff"):
            end, dateline = p.end(), p.group(1)
    if dateline is None:
        return None, []
    dateline = dateline.lstrip(_BULLET + "-－")
    rest_raw = head
    # Find where the dateline ends in the raw text, to read the credit with its spaces.
    seen = 0
    for i, c in enumerate(head):
        if not c.isspace():
            seen += 1
        if seen == end:
            rest_raw = head[i + 1:]
            break
    rest = rest_raw.lstrip(" \u3000\n")
    credit = _CREDIT.match(re.sub(r"\s*\n\s*", " ", rest))
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
