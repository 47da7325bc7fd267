"""Rule- and lexicon-based entity pre-annotation (OFFICIAL, ORG, DATE, AMOUNT).

Three jobs: silver labels for composed training pages, a first draft for human
annotators to correct, and the rule baseline the tagger must beat. Silver labels
teach the model, so the rules prefer to miss an entity over inventing one;
repeated mentions of a found official and full-length ORG names are the
exceptions worth extra rules, because they are what a model learns least from
a handful of gold pages.

The rules never look at the raw text directly. Column-wrapped lines split names
and numbers (``潘开\\n名``, ``1\\n月 13日``), so each paragraph is first
*squeezed*: line breaks and spaces are dropped (a space between two Latin
letters or digits on one line stays, so ``2 000`` is not read as ``2000``),
and an index map sends every squeezed character back to its raw offset. A span
found in the squeezed view maps back as ``[raw(first), raw(last) + 1)``, which
keeps inner line breaks and spaces and never starts or ends on whitespace.
Blank lines and article edges are hard boundaries: nothing is joined across them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .data import Article, DataError, Entity, Page, check_src_dst, iter_jsonl, page_from_dict, write_pages

__all__ = ["preannotate", "preannotate_page", "preannotate_file"]

# ---------------------------------------------------------------------------
# Squeezing
# ---------------------------------------------------------------------------

_WS = set(" \t\r\n\u3000\xa0\x0b\x0c\u2028\u2029\u2002\u2003\u2009\u200b")
_BLANK_LINE = re.compile(r"\r?\n(?:[ \t\u3000\xa0\r]*\r?\n)+")


def _is_ws(ch: str) -> bool:
    return ch in _WS or ch.isspace()


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass
class _Unit:
    """One paragraph of one scope, squeezed: ``idx[i]`` is the raw offset of ``sq[i]``."""

    sq: str
    idx: list[int]
    scope: int
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # squeezed (s, e, type)
    line_starts: set[int] = field(default_factory=set)  # squeezed positions that open a line

    def taken(self, s: int, e: int) -> bool:
        return any(s < b and a < e for a, b, _ in self.spans)


def _squeeze(text: str, start: int, end: int, scope: int) -> _Unit:
    chars: list[str] = []
    idx: list[int] = []
    line_starts: set[int] = set()
    gap_start = -1
    gap_has_newline = False
    for i in range(start, end):
        ch = text[i]
        if _is_ws(ch):
            if gap_start < 0:
                gap_start, gap_has_newline = i, False
            gap_has_newline |= ch in "\n\r"
            continue
        if gap_start >= 0 and chars and not gap_has_newline and _ascii_alnum(chars[-1]) and _ascii_alnum(ch):
            chars.append(" ")
            idx.append(gap_start)
        if gap_start >= 0 and gap_has_newline:
            line_starts.add(len(chars))
        gap_start = -1
        chars.append(ch)
        idx.append(i)
    return _Unit("".join(chars), idx, scope, line_starts=line_starts)


def _units(text: str, articles: list[Article] | None) -> list[_Unit]:
    """Paragraphs of each scope: each article is a scope; text outside articles is scope -1."""
    if articles:
        segs: list[tuple[int, int, int]] = []
        pos = 0
        for k, a in enumerate(sorted(articles, key=lambda a: a.start)):
            if a.start > pos:
                segs.append((pos, a.start, -1))
            segs.append((max(a.start, pos), a.end, k))
            pos = max(pos, a.end)
        if pos < len(text):
            segs.append((pos, len(text), -1))
    else:
        segs = [(0, len(text), 0)]
    out = []
    for s, e, scope in segs:
        if s >= e:
            continue
        p = s
        for m in _BLANK_LINE.finditer(text, s, e):
            out.append(_squeeze(text, p, m.start(), scope))
            p = m.end()
        out.append(_squeeze(text, p, e, scope))
    return [u for u in out if u.sq]


# ---------------------------------------------------------------------------
# Shared character classes
# ---------------------------------------------------------------------------

def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF or ch == "〇"


_D = "[0-9０-９]"
_CN_DIGIT = "〇零一二三四五六七八九"
_CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿"


def _protected(sq: str) -> list[tuple[int, int]]:
    """Ranges where dates and amounts name something instead of measuring it.

    Document titles in 《…》, and short quoted names without sentence
    punctuation (“5.18”经贸洽谈会, “2023年…启动仪式”, “四个意识”): ANNOTATION.md 14.
    """
    out = []
    for m in re.finditer(r"《[^《》]{1,80}》", sq):
        out.append((m.start(), m.end()))
    for m in re.finditer(r"[“\"‘「『]([^“”\"‘’「」『』]{1,40})[”\"’」』]", sq):
        if not re.search(r"[，。；！？,;!?：:]", m.group(1)):
            out.append((m.start(), m.end()))
    return out


def _inside(ranges: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in ranges)


# ---------------------------------------------------------------------------
# DATE
# ---------------------------------------------------------------------------

_RANGE = "(?:至|到|[-－—–~～―]{1,3})"  # 7月17日―――7月19日: dashes come in runs
_YEAR = rf"(?:(?:{_D}{{4}}|[{_CN_DIGIT}]{{4}})(?:{_RANGE}{_D}{{4}})?年)"
_MONTH_N = rf"(?:{_D}{{1,2}}(?:{_RANGE}{_D}{{1,2}})?|十[一二]?|[一二三四五六七八九])"
_MONTH = rf"(?:{_MONTH_N}月(?:份)?)"
_DAY_N = rf"(?:{_D}{{1,2}}(?:{_RANGE}{_D}{{1,2}})?|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_DAY = rf"(?:{_DAY_N}[日号曰])"  # 曰: OCR's 日 (ANNOTATION.md 37)
_REL_YEAR = "(?:今年|去年|明年|前年|后年|上年|本年度?|当年|全年)"
# Parts of the year that stand alone (gold: 岁末年初 is a DATE, like 今年).
_SEASON = "(?:岁末年初|年末岁初|岁末|年初|年底|年末|年中|月初|月底|月末)"
_QUARTER = r"(?:第?[一二三四1-4１-４]季度|前三季度|上半年|下半年|年初|年底|年末|年中|初|底|末)"
_PART = "(?:上旬|中旬|下旬|初|底|末)"
_REL_DAY = "(?:今天|昨天|明天|前天|后天|今日|昨日|明日|今晨|昨晚|今晚|昨夜|今早|本周|上周|下周|本月|上月|下月|当月)"
# 许 and 约 after a time stay outside the date (ANNOTATION.md 31).
_TIME = rf"(?:上午|下午|中午|晚上|晚间|早上|早晨|清晨|凌晨|傍晚|夜间|深夜|夜里|一早|晚|早)?(?:{_D}{{1,2}}(?:点钟|[时点]|[:：]{_D}{{2}})(?:{_D}{{1,2}}分|半)?)?"

# A full date: year with optional month/day (or a quarter), a relative year with
# the same, or a month with optional day. The time of day only follows a day.
_DATE_CORE = (
    rf"(?:(?:{_YEAR}|{_REL_YEAR})(?:{_MONTH}(?:{_DAY}|{_PART})?|{_QUARTER})?"
    rf"|{_MONTH}(?:{_DAY}|{_PART})?"
    rf"|第?[一二三四1-4１-４]季度|上半年|下半年|前三季度"
    rf"|{_REL_DAY}|{_SEASON})"
)
_DATE_RE = re.compile(
    rf"(?<![0-9０-９.．\-－/A-Za-z第每个])(?:{_DATE_CORE}(?:{_RANGE}(?:{_DATE_CORE}|{_DAY}))?)"
)
# A bare day takes 日 only: "9号" is far more often a seam, a line or a house number.
_BARE_DAY_RE = re.compile(rf"(?<![0-9０-９.．\-－/A-Za-z第每个近连续历为期周])({_D}{{1,2}}(?:{_RANGE}{_D}{{1,2}})?)日")
_TIME_AFTER_RE = re.compile(_TIME)
# Counted time ago (三年前, 一千八百多年前, 两个月前) is a DATE; a vague 多年前 is not (ANNOTATION.md 35).
_AGO_RE = re.compile(rf"(?<![0-9０-９.．第每多几数])(?:{_D}+|[一二两三四五六七八九十百千]+)多?(?:年|个多?月|天|周|个星期)前(?![后者面排列方端台线往景途沿提所])")
# Decades and centuries: 90年代, 上世纪 90年代初期, 本世纪中叶 (ANNOTATION.md 31, 35).
_ERA_RE = re.compile(rf"(?<![0-9０-９一二三四五六七八九十])(?:(?:上|本|20|二十)世纪)?(?:{_D}0|[一二三四五六七八九]{{1,2}}十)年代(?![表理价])(?:初期|中期|末期|初|中|末)?"
                     r"|(?:上|本)世纪(?:中叶|初期|中期|末期|初|末)")
# A page header's date in dots: 2021.10.21.
_DOT_DATE_RE = re.compile(r"(?<![0-9.．A-Za-z本号])(?:19|20)[0-9]{2}\.(?:1[0-2]|0?[1-9])\.(?:3[01]|[12][0-9]|0?[1-9])(?![0-9.．])")
# After a year: 年度 and 全年 are inside (2017年度, 去年全年: ANNOTATION.md 31, 39), and so
# is the first months of it (今年前5个月).
_YEAR_TAIL_RE = re.compile(rf"度(?![过假])|代(?![表理价])|全年|前(?:{_D}{{1,2}}|[一二两三四五六七八九十]{{1,2}})个?月|前[一二三1-3]季度")
_RANGE_TAIL_RE = re.compile(rf"{_RANGE}(?:{_DATE_CORE}|{_DAY})")
# Durations and non-dates: "18年来" never matches (two digits), but a four-digit
# year followed by these is a length of time, not a point in it.
_AFTER_YEAR_BAD = ("来", "历史", "之久", "的历史", "多")
_AFTER_DAY_BAD = ("内", "以内", "之内", "左右", "以上", "来", "游")
_DATE_STOP_FOLLOW = {"今日": ("头条",), "明日": ("之星",), "当年": ("的",)}


def _dates(u: _Unit, protected: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    sq = u.sq
    out: list[tuple[int, int]] = []
    for m in _DATE_RE.finditer(sq):
        s, e = m.span()
        frag = m.group(0)
        if frag in ("初", "底", "末", "当年", "当月") or (frag == "全年" and sq.startswith(("无休", "365", "不间断"), e)):
            continue
        if re.fullmatch(_SEASON, frag) and (sq[s - 1:s] == "大" or re.match("[一二三四五六七八九十]", sq[e:e + 1])):
            # 大年初七 is a festival day, not the start of the year.
            continue
        if any(frag == k and sq.startswith(v, e) for k, vs in _DATE_STOP_FOLLOW.items() for v in vs):
            continue
        if re.fullmatch(rf"{_D}{{4}}年", frag):
            if sq.startswith(_AFTER_YEAR_BAD, e) or not 1000 <= int(_ascii_digits(frag[:4])) <= 2199:
                continue
        if re.fullmatch(rf"[{_CN_DIGIT}]{{4}}年", frag) and not re.match(r"[一二][〇零九]", frag):
            continue
        if re.fullmatch(r"[一二三四五六七八九十]+月份?", frag):
            # A bare Chinese-numeral month is too often "一月一次"-style prose.
            if not (s > 0 and sq[s - 1] in "年今去明"):
                continue
        if out and s < out[-1][1]:
            continue  # 全年 after 去年 was taken in by the year before it
        if frag.endswith("年"):
            e = _after_year(sq, e)
        e = _time_of_day(sq, e, frag)
        # 12月22日8时至23日8时: a range whose first end carries a time of day.
        m2 = _RANGE_TAIL_RE.match(sq, e)
        if m2 and e > m.end():
            e = m2.end()
            if m2.group(0).endswith("年"):
                e = _after_year(sq, e)  # 2017年度至2018年度
            e = _time_of_day(sq, e, m2.group(0))
        out.append((s, e))
    for m in _BARE_DAY_RE.finditer(sq):
        s, e = m.start(), m.end()
        day = int(_ascii_digits(re.match(rf"{_D}{{1,2}}", m.group(1)).group(0)))
        if not 1 <= day <= 31 or sq.startswith(_AFTER_DAY_BAD, e):
            continue
        if s > 0 and (sq[s - 1] in "月" or sq[s - 1].isdigit()):
            continue
        if any(a < e and s < b for a, b in out):
            continue
        e = _time_of_day(sq, e, m.group(0))
        m2 = _RANGE_TAIL_RE.match(sq, e)
        if m2:
            e = _time_of_day(sq, m2.end(), m2.group(0))
        out.append((s, e))
    for rx in (_AGO_RE, _ERA_RE, _DOT_DATE_RE):
        for m in rx.finditer(sq):
            s, e = m.span()
            if not any(a < e and s < b for a, b in out):
                out.append((s, e))
    out.sort()
    return [(s, e, "DATE") for s, e in out if not _inside(protected, s, e)]


def _after_year(sq: str, e: int) -> int:
    """Extend a date that ends in 年 over what belongs to it (年度, 全年, 前5个月)."""
    t = _YEAR_TAIL_RE.match(sq, e)
    return t.end() if t else e


def _time_of_day(sq: str, e: int, frag: str) -> int:
    """Extend a date that ends in a day (日/号/天, 今晨…) over an attached time of day."""
    if not re.search(r"[日号曰天晨晚夜早]$", frag):
        return e
    m = _TIME_AFTER_RE.match(sq, e)
    return m.end() if m and m.end() > e else e


def _ascii_digits(s: str) -> str:
    return s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))


# ---------------------------------------------------------------------------
# AMOUNT
# ---------------------------------------------------------------------------

_NUM = rf"(?:{_D}+(?:[,，]{_D}{{3}})*(?:[.．]{_D}+)?)"
_MAG = "(?:万亿|千万|百万|十万|千亿|百亿|[十百千万亿])"
_APPROX = "(?:余|多)"
_NUMX = rf"(?:{_NUM}{_APPROX}?(?:{_MAG}{_APPROX}?)*)"
_CN_NUMX = rf"(?:[{_CN_NUM_CHARS}]+{_APPROX}?(?:{_MAG}{_APPROX}?)*)"

_MONEY = ["元人民币", "美元", "美金", "欧元", "英镑", "日元", "港元", "港币", "澳元", "韩元", "卢布", "人民币", "元"]
# Latin units after digits (150.6mm, 1.84mg/ml); never read when a letter follows.
_UNITS_LATIN = ["mg/100ml", "mg/ml", "mg/L", "km", "kg", "cm", "mm", "mg", "ml", "kW", "MW", "GB", "TB"]
_UNITS_ANY = _MONEY + [
    "人次", "个百分点", "平方公里", "平方千米", "平方米", "立方米", "千瓦时", "万千瓦", "标准箱",
    "平米", "公顷", "千克", "公斤", "千米", "公里", "厘米", "毫米", "千瓦", "兆瓦", "毫升",
    "人", "名", "位", "户", "个", "家", "所", "项", "件", "座", "辆", "台", "套", "条", "场", "批",
    "类", "种", "支", "只", "头", "株", "棵", "册", "张", "篇", "部", "处", "间", "栋", "幢", "架",
    "艘", "枚", "颗", "吨", "斤", "亩", "米", "升", "倍", "床", "例", "起", "宗", "次", "轮", "层",
    "片", "块钱", "毛钱", "块", "本", "份", "克", "股", *_UNITS_LATIN,
    # Measurements (ANNOTATION.md 33) and counts the hand-labelled pages kept showing.
    "㎡", "千伏安", "度", "发", "字", "步",
]
# Chinese numerals read as amounts only with units that seldom form idioms.
_UNITS_CN = _MONEY + ["人次", "个百分点", "平方米", "平方公里", "公里", "公顷", "吨", "亩", "点",
                      "人", "名", "位", "户", "个", "家", "所", "项", "件", "座", "辆", "台", "套", "批",
                      "类", "种", "艘", "架", "倍",
                      # Counts the annotators kept finding (两次, 三条, 七八十米); a lone 一
                      # is still never read, and 四处/四起/二次 are words, not counts.
                      "次", "条", "起", "层", "米", "颗", "本", "根", "双", "处", "篇", "组", "支",
                      "块钱", "毛钱"]
# A unit character that begins a longer word is not the unit (二支队, 三部门, 个人所得).
_UNIT_BAD_FOLLOW = {
    "支": "队部", "部": "门分署长委", "个": "人体性案月小工星年季多半亿", "度": "过假",
    "发": "展布现生出放挥言表送行", "步": "骤伐行入", "字": "样号母", "名": "单义额称", "家": "庭长具乡园",
    "所": "长有属在以", "处": "长理置", "台": "湾风阶账", "条": "例件款", "件": "事",
    "场": "景面所馆", "次": "日序数全产会", "位": "于置", "间": "隔", "层": "面次级", "本": "地报市区土",
    "起": "来步点草", "块": "钱", "份": "额子", "头": "条部", "床": "位", "片": "区",
    "座": "谈", "项": "目", "点": "赞击评播阅", "种": "植类子", "批": "准示复", "类": "似",
    "股": "东权份票市民价本息",
}
_SLOGANS = ("四个意识", "四个自信", "两个维护", "两个确立", "四个全面", "五位一体", "三个代表",
            "两个毫不动摇", "三个一百年", "两个一百年", "四个全面")


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_PCT = rf"(?:{_NUMX}[%％]|百分之[{_CN_NUM_CHARS}]+(?:点[{_CN_DIGIT}]+)?|千分之[{_CN_NUM_CHARS}]+)"
# A range joins two amounts of one kind only: 3.7%至7.42亿港元 is two amounts.
_AMOUNT_DIGIT_RE = re.compile(
    rf"(?<![0-9０-９.．\-－/A-Za-z#＃第])"
    rf"(?:(?:{_NUMX}[%％]?{_RANGE})?{_PCT}"
    rf"|(?:{_NUMX}(?:{_alt(_UNITS_ANY)})?{_RANGE})?{_NUMX}(?:{_alt(_UNITS_ANY)}))"
)
# A sum in 万 or 亿 with its unit left out (花 18万, 出资1.8亿): the guide's amount all the same.
# Read only after the unit-bearing patterns, which win where both match.
_AMOUNT_MAG_RE = re.compile(
    rf"(?<![0-9０-９.．\-－/A-Za-z#＃第])(?:{_NUM}{_APPROX}?(?:{_MAG}{_APPROX}?)*个?[万亿]{_APPROX}?)"  # 29.5个亿
)
_AMOUNT_CN_RE = re.compile(
    rf"(?<![{_CN_NUM_CHARS}第初周期每之礼拜星唯数几前])"  # 数十名, 几十米: vague; 前十名: a rank
    rf"(?:{_CN_NUMX}(?:{_alt(_UNITS_CN)})?{_RANGE})?{_CN_NUMX}(?:{_alt(_UNITS_CN)})"
)


_FROM_TO_RE = re.compile(rf"((?:{_NUMX}|{_CN_NUMX})(?:{_alt(_UNITS_ANY)}|[%％]))({_RANGE})(.+)")


def _amounts(u: _Unit, protected: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    sq = u.sq
    out = []
    for rx, cn in ((_AMOUNT_DIGIT_RE, False), (_AMOUNT_MAG_RE, False), (_AMOUNT_CN_RE, True)):
        for m in rx.finditer(sq):
            s, e = m.span()
            frag = m.group(0)
            if _inside(protected, s, e):
                continue
            unit_char = frag[-1]
            if e < len(sq) and sq[e] in _UNIT_BAD_FOLLOW.get(unit_char, ""):
                continue
            if cn:
                num = re.match(rf"[{_CN_NUM_CHARS}]+", frag).group(0)
                # 一个/一批 are articles; 千家万户/百名 are idioms; a lone magnitude
                # character never measures anything here.
                if num in ("一", "万", "千", "百", "亿") and not frag.startswith("百分之"):
                    continue
                if num[0] in "零〇":
                    continue  # 零件, 零点: no count starts at zero
                if len(num) > 1 and len(set(num)) == 1:
                    continue  # 唯一一家, 一一对应
                if any(sq.startswith(sl, s) for sl in _SLOGANS):
                    continue
                if frag in ("四处", "四起", "二次", "二组", "一本", "二本", "三本") \
                        or sq.startswith(("三番两次", "三番五次"), max(0, s - 2)) or sq.startswith("三支一扶", s):
                    continue
                # 社区二组, 村三组 are places; 办公厅二处 an office; 里三层外三层 an idiom.
                if (frag[-1] == "组" and sq[s - 1:s] in ("村", "区", "队")) \
                        or (frag[-1] == "处" and sq[s - 1:s] in ("厅", "局", "部", "委")) \
                        or (frag.endswith("三层") and sq[s - 1:s] in ("里", "外")):
                    continue
                # 三点意见 counts points; 下午三点, 三点钟 are clock times.
                if frag.endswith("点") and (sq[max(0, s - 1):s] in ("午", "晚", "早", "晨", "上", "下", "零")
                                           or sq.startswith(("钟", "半", "多", "左右", "整", "前", "后", "时"), e)):
                    continue
            elif e < len(sq) and sq[e] in "0123456789０１２３４５６７８９-－" and u.idx[e] == u.idx[e - 1] + 1:
                continue  # a numbered code (2018-15号), not a measure; 376户 1473人 are two
            elif e < len(sq) and frag[-1].isascii() and sq[e].isascii() and sq[e].isalpha():
                continue  # 5mmol is not 5mm
            elif rx is _AMOUNT_MAG_RE and e < len(sq) and _is_cjk(sq[e]) and sq[e] not in "的":
                continue  # 3000万笔: a unit the lists lack follows; better no span than half of one
            # 从 400吨到 900吨: a start and an end value are two amounts (ANNOTATION.md 40);
            # 5亿到10亿美元, whose first value has no unit of its own, is one uncertain quantity.
            two = _FROM_TO_RE.fullmatch(frag) if sq[s - 1:s] in ("从", "由") else None
            if two:
                out += [(s, s + two.end(1), "AMOUNT"), (s + two.start(3), e, "AMOUNT")]
                continue
            out.append((s, e, "AMOUNT"))
    return out


# ---------------------------------------------------------------------------
# OFFICIAL
# ---------------------------------------------------------------------------

_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁"
    "任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫阎段雷黎史龙陶贺顾毛郝龚邵钱严覃"
    "武戴莫孔汤常温康施文牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘包宁尚符舒阮柯纪"
    "梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍华喻祁蒲房滕屈饶牟艾尤穆卓吉缪简项芦麦褚娄窦戚岑"
    "景宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬卞姬栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池麻苑迟邝官封匡鞠惠荆"
    "冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘厉伊仝郜阚帅屠豆朴练廉禹井祖漆巴丰卿狄晋芮扈晁阙浦戈伏鹿"
    "薄邸雍辜羊母裘亓邰赫杭况宿鲜逯茹诸慕嵇湛宾戎勾茅揭尉檀衣昝植习谯贠"
)
_DOUBLE_SURNAMES = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
                    "宇文", "夏侯", "端木", "西门", "南宫", "独孤", "司徒", "申屠", "轩辕", "呼延", "澹台"}
# Characters that do not occur in given names but do occur right after a title
# (区委书记处, 主任科员, 代表团) or in the words that follow one.
_NON_NAME = set(
    "市区县省州镇乡村局委部会院所司厅处科队站团组室们性制路街业企府政长员书记导席某年月日时个项号第"
    "这那此该各其每度于的了在和与及等是也就都已将把被让给从对向为以今昨近期质务人们门面线报网社说"
    "届次位、，。；：！？（）()“”‘’《》"
)
# A third character that cannot end a name: the name is two characters and a
# verb or particle follows (刘斌主持, 李华等).
_STOP3 = set("在对和与及说讲等的了是向就从把被将于也都已曾还又并则而但让给很最更称率陪为今昨所以到一"
             "出作做谈问答指要主参提表带看听致宣召随再亲担兼认希视签获告透感针督莅赴仔详充一解")
_STOP3_WORDS = ("强调", "来到", "来自", "同志", "同时", "调研", "深入", "走访", "走进", "检查", "慰问", "回答",
                "考察", "接见", "接受", "当选", "通报", "解读", "结合", "现场", "代表", "首先", "分别", "总结",
                "部署", "点评", "专程", "高度", "前往", "先后", "正在", "发言", "发表", "发布", "会见", "会上",
                "会议", "会同", "一行", "查看", "察看", "听取", "介绍", "强化", "深刻", "特别", "开展", "进行",
                "还", "立即", "坚持", "积极", "全面", "同", "率队", "带队", "主持", "出席", "日前", "近日",
                "根据", "利用")

# Office titles after which a name follows. Longer first, so 副市长 → 市长 and
# 支队长 are read whole. 代表 only as a deputy (人大代表), never as "企业家代表".
_TITLES = [
    "总书记", "书记", "省长", "市长", "区长", "县长", "州长", "镇长", "乡长", "旗长", "盟长",
    "局长", "厅长", "处长", "科长", "部长", "司长", "署长", "主任", "主席", "委员", "常委", "人大代表",
    "党代表", "院长", "检察长", "庭长", "所长", "支队长", "大队长", "中队长", "政委", "教导员",
    "秘书长", "巡视员", "调研员", "总理", "副总理", "国务委员", "大使", "总领事", "司令员", "参谋长",
    "政治委员", "校长", "审计长", "行长", "关长", "站长",
    # Police officers named in that role are officials (ANNOTATION.md 27).
    "民警", "警官",
]
# Titles that are as often a sentence's subject (民警马上赶到): a name after them must be
# followed by a stop (民警马水平说, 民警朱建光向记者).
_SUBJECT_TITLES = ("民警", "警官")
# Titles that do not make a public official when their holder is named right after
# (company officers, commercial bankers): handled by never being titles at all;
# these prefixes turn a listed title into a non-public one.
_PRIVATE_BEFORE = ("董事会", "董事局", "班", "车间", "公司", "集团", "商会", "协会", "学会", "基金会", "球队", "俱乐部")
_TITLE_PREFIX = ("常务副", "副", "代理", "代", "原", "前", "执行", "名誉", "第一")
_TITLE_RE = re.compile(rf"(?=({_alt(_TITLES)}))")
_LEADERS_RE = re.compile(r"(?:[省市区县州镇乡]|中央|国家)领导(?:人)?(?:有)?")
_REPORTER_BEFORE = ("记者", "通讯员", "编辑", "实习生", "摄影", "责编", "校对", "文/", "图/", "文／", "图／")


_HONORIFICS = ("先生", "女士", "小姐", "老师", "师傅", "教授", "博士", "医生", "律师", "大夫", "同学", "阿姨",
               "大爷", "大妈", "老人", "某")
_TITLE_WORDS = ("主任", "书记", "局长", "院长", "部长", "主席", "委员", "市长", "省长", "区长", "县长", "镇长",
                "厅长", "处长", "科长", "所长", "校长", "队长", "政委", "代表")
# What follows a place name, never a person's (江大道派出所, 李家村委会).
_NAME_NOT_BEFORE = ("派出所", "街道", "社区", "大道", "路", "街", "村", "镇", "乡", "县", "市", "区", "公司",
                    "集团", "医院", "学校", "中学", "小学", "大学", "银行", "广场", "小区", "花园", "大厦")


def _name_chars_ok(name: str) -> bool:
    return all(_is_cjk(c) and c not in _NON_NAME for c in name)


def _name_at(sq: str, p: int, limit: int | None = None) -> int:
    """Length of a personal name starting at ``p`` (0 when none): surname + 1-2 characters."""
    n = len(sq) if limit is None else limit
    if sq[p:p + 2] in _DOUBLE_SURNAMES:
        base = 2
    elif p < n and sq[p] in _SURNAMES:
        base = 1
    else:
        return 0
    if sq[p] in "任兼" and sq.startswith(("总", "常务", "副", "组长", "主任", "书记", "指挥", "第一", "组"), p + 1):
        return 0  # 区长任总指挥: 任 is "serves as" here
    two = p + base + 1
    # 胡和平: 和 is a conjunction almost everywhere, but a given name's first character when
    # a name character follows it (the caller has a title or list in front).
    mid_he = sq[p + base:two] == "和" and two < n and _name_chars_ok(sq[two]) and sq[two] not in _STOP3 \
        and sq[two] not in _SURNAMES and not sq.startswith(_HONORIFICS + _TITLE_WORDS, two) \
        and (two + 1 >= n or not _is_cjk(sq[two + 1]) or sq[two + 1] in _STOP3
             or sq.startswith(_STOP3_WORDS, two + 1))  # 王和同|事们 is 王 and his colleagues
    if two > n or not (_name_chars_ok(sq[p + base:two]) or mid_he) or sq.startswith(_HONORIFICS, p + base):
        return 0  # 董先生, 王女士: a surname with a courtesy title, not a name
    if p > 0 and sq[p - 1] in "·•":
        return 0  # inside a transliterated name (苏来曼·托合提)
    if mid_he or two < n and _name_chars_ok(sq[two]) and sq[two] not in _STOP3 and not sq.startswith(_STOP3_WORDS, two) \
            and not sq.startswith(_HONORIFICS + _TITLE_WORDS, two):
        # Two given-name characters, unless the fourth character would make the
        # pair a common word (王强调研 is not handled; 3-char names dominate).
        return base + 2
    if two < n and sq[two] in "·•":
        return 0
    return base + 1


def _segment_name(seg: str) -> bool:
    """A whole list segment (between 、) that is one name."""
    if not 2 <= len(seg) <= 4 or not _name_chars_ok(seg) or "某" in seg:
        return False
    if seg[:2] in _DOUBLE_SURNAMES:
        return len(seg) >= 3
    return seg[0] in _SURNAMES and len(seg) <= 3


def _reporter_context(sq: str, s: int) -> bool:
    head = sq[max(0, s - 4):s]
    return head.endswith(_REPORTER_BEFORE)


def _stop_after_name(sq: str, e: int) -> bool:
    """What follows a name at ``e`` ends it: punctuation, the end, or a word that follows a
    person (说, 介绍, 向记者); not 到 or 了, which end verbs as often (陆续赶|到)."""
    return e < len(sq) and not _is_cjk(sq[e]) \
        or sq.startswith(("说", "介绍", "表示", "告诉", "称", "向", "对", "和", "与", "等", "在", "立即", "带领"), e)


def _name_list(u: _Unit, p: int, found: list[tuple[int, int]]) -> None:
    """Names separated by 、 from ``p`` on (中原区领导薛晓军、刘守斌、马素华等)."""
    sq = u.sq
    while p < len(sq):
        m = re.compile(r"[、，,。；;：:！？（）()“”\s]|等|和|及").search(sq, p)
        end = m.start() if m else len(sq)
        delim = m.group(0) if m else ""
        seg = sq[p:end]
        if delim == "、" and _segment_name(seg):
            found.append((p, end))
            p = end + 1
            continue
        # Last element: no delimiter right after it, so read a name off its front.
        k = _name_at(sq, p, end)
        if k and (p + k == end or sq[p + k] in _STOP3 or sq.startswith(_STOP3_WORDS, p + k)
                  or sq.startswith(("参加", "出席", "陪同", "一同", "先后", "分别"), p + k)):
            found.append((p, p + k))
        return


# National leaders named without a title in every paper (习近平同志指出, 穆勒向特朗普…): OFFICIAL
# (ANNOTATION.md 34, 45), except inside a doctrine's or an administration's name.
_NATIONAL_LEADERS = ("习近平", "李克强", "王沪宁", "赵乐际", "栗战书", "王岐山", "特朗普", "普京", "拜登",
                     "奥巴马", "马克龙", "默克尔", "安倍晋三", "文在寅", "蔡英文")
_NATIONAL_LEADERS_RE = re.compile(_alt(_NATIONAL_LEADERS))
_LEADER_NOT_BEFORE = ("新时代", "思想", "政府", "当局", "时代", "主义", "经济学", "式")


def _leaders(u: _Unit) -> list[tuple[int, int]]:
    sq = u.sq
    return [m.span() for m in _NATIONAL_LEADERS_RE.finditer(sq)
            if not sq.startswith(_LEADER_NOT_BEFORE, m.end()) and not _reporter_context(sq, m.start())]


def _officials_anchored(u: _Unit) -> list[tuple[int, int]]:
    sq = u.sq
    found: list[tuple[int, int]] = []
    for m in _TITLE_RE.finditer(sq):
        ts, title = m.start(), m.group(1)
        te = ts + len(title)
        if title in ("委员", "常委") and sq.startswith("会", te):
            continue
        before = sq[max(0, ts - 4):ts]
        if before.endswith(_PRIVATE_BEFORE):
            continue
        if title == "行长" and not before.endswith(("人民银行", "央行")):
            continue
        # 所长 and 关长 head a public body only after its name (派出所所长, 海关关长).
        if title in ("所长", "关长") and not re.search(r"(派出所|司法所|海关|税务所|财政所)(?:常务副|副)?$", sq[max(0, ts - 8):ts]):
            continue
        # Title → name (郑州市副市长潘开名, 中原区委书记\n李晓雷).
        k = _name_at(sq, te)
        if k and sq.startswith(_NAME_NOT_BEFORE, te + k):
            k = 0  # 局长江大道派出所: a place, not a name
        if k and title in _SUBJECT_TITLES and not _stop_after_name(sq, te + k):
            k = 0  # 民警马上赶到, 民警陆续赶到: the police are the subject, no name follows
        if k and not _reporter_context(sq, ts) and "某" not in sq[te:te + k]:
            found.append((te, te + k))
            if te + k < len(sq) and sq[te + k] == "、":
                _name_list(u, te + k + 1, found)
            continue
        # Name → title (黄太文副市长): the name needs a clean left edge, so that
        # 李书记 (one character) and 全市长期 (not a name) stay out.
        ps = ts
        for pre in _TITLE_PREFIX:
            if sq[:ps].endswith(pre):
                ps -= len(pre)
                break
        for k in (3, 2, 4):
            s = ps - k
            if s < 0:
                continue
            cand = sq[s:ps]
            if not _segment_name(cand):
                continue
            left = sq[s - 1] if s > 0 else ""
            if left == "" or not _is_cjk(left) or left in "和与及、同由对向在是请为给让把被":
                found.append((s, ps))
                break
    for m in _LEADERS_RE.finditer(sq):
        _name_list(u, m.end(), found)
    return found


# ---------------------------------------------------------------------------
# ORG
# ---------------------------------------------------------------------------

# Well-known bodies whose names carry no suffix the rules below could find.
_ORG_LEXICON = [
    "国务院", "全国人大", "全国人大常委会", "全国政协", "中共中央", "党中央", "中央军委", "中纪委", "中央纪委",
    "国家监委", "中组部", "中宣部", "中央统战部", "中央编办", "外交部", "国防部", "国家发改委", "教育部", "科技部",
    "工信部", "公安部", "国家安全部", "民政部", "司法部", "财政部", "人社部", "自然资源部", "生态环境部", "住建部",
    "交通运输部", "水利部", "农业农村部", "商务部", "文旅部", "国家卫健委", "退役军人事务部", "应急管理部",
    "中国人民银行", "人民银行", "央行", "审计署", "国资委", "海关总署", "国家税务总局", "市场监管总局",
    "国家统计局", "国家医保局", "证监会", "银保监会", "国家金融监督管理总局", "国家外汇管理局",
    "最高人民法院", "最高法", "最高人民检察院", "最高检", "新华社", "人民日报", "中央电视台", "央视",
    "中央广播电视总台", "新华网", "人民网", "中新社", "中国新闻社", "光明日报", "经济日报", "中国日报",
    "澎湃新闻", "中国青年报", "法制日报", "工人日报", "环球时报", "参考消息", "中国银行", "工商银行",
    "中国工商银行", "中国建设银行", "建设银行", "农业银行", "中国农业银行", "交通银行", "招商银行", "浦发银行",
    "中信银行", "民生银行", "兴业银行", "光大银行", "邮储银行", "国家开发银行", "国开行", "58同城", "阿里巴巴",
    "腾讯", "华为", "百度", "京东", "美团", "小米集团", "字节跳动", "国家电网", "中国移动", "中国联通",
    "中国电信", "中石油", "中石化", "中国石化", "中国石油", "中粮集团", "联合国", "世界卫生组织", "世卫组织",
    "世界银行", "国际货币基金组织", "世贸组织", "世界贸易组织", "欧盟", "东盟", "北约", "武警", "共青团中央",
    "团中央", "全国总工会", "全国妇联", "中国科协", "中国科学院", "中科院", "中国工程院", "中国社科院",
    "中国社会科学院", "三只松鼠", "苹果公司", "微软", "谷歌", "亚马逊", "特斯拉", "比亚迪", "万科",
    "恒大集团", "碧桂园", "富士康", "海尔集团", "格力电器", "中国铁路总公司", "国铁集团", "中国中铁", "中国铁建",
    "中国建筑", "国家铁路局", "民航局", "中国民航局", "国家能源局", "国家林草局", "国家文物局",
    "国家知识产权局", "国家邮政局", "国家烟草专卖局", "国家体育总局", "国家广电总局", "国台办", "国务院台办",
    "港澳办", "国务院新闻办", "国新办", "中国证监会", "中国银保监会", "全国工商联", "中国侨联",
    # Media (rule 26) whose names end in no suffix below.
    "中新网", "央视网", "环球网", "凤凰网", "凤凰卫视", "新浪", "搜狐", "网易", "光明网", "中青网",
    "东方网", "大河网", "荆楚网", "红网", "北青网", "界面新闻", "财新网", "第一财经", "每日经济新闻",
    "21世纪经济报道", "新京报", "南方周末", "华商报", "中国天气网", "观察者网", "封面新闻", "红星新闻",
    "上游新闻", "中国之声", "中央人民广播电台", "中国国际电视台", "路透社", "美联社", "法新社", "彭博社",
    "共同社", "塔斯社", "现代快报", "法制网", "央广网", "国际在线", "中国经济网",
    # Companies and bodies known by a short name; words that also mean something
    # else (美的, 联想, 万达, 绿地, 快手) are left to the tagger.
    "中国人寿", "中国平安", "平安保险", "中国人保", "太平洋保险", "中国太保", "阳光保险", "泰康人寿", "新华保险",
    "中国中车", "东方航空", "东航", "南方航空", "中国国航", "海南航空", "顺丰", "拼多多", "携程", "苏宁",
    "中兴通讯", "海信", "中金公司", "中信证券", "国泰君安", "海通证券", "华泰证券", "招商证券", "软银",
    "红杉资本", "高瓴资本", "中国知网", "知网", "蒙牛", "娃哈哈", "农夫山泉", "中芯国际", "宁德时代",
    "中国邮政", "中国铁塔", "中国广电", "中核集团", "中国商飞", "中国一汽", "东风汽车", "上汽集团", "吉利汽车",
    "长城汽车", "奇瑞", "蔚来", "奔驰", "大众汽车", "索尼", "英特尔", "脸书",
    "推特", "优步", "星巴克", "麦当劳", "肯德基", "沃尔玛", "家乐福", "宜家", "耐克", "阿迪达斯",
    "复旦", "北航", "浙大", "中科大", "哈工大",
    "中国进出口银行", "进出口银行", "中国农业发展银行", "农业发展银行", "农发行", "北京青年报", "北青报",
    "海外网", "中国江苏网", "中国台湾网", "新华每日电讯",
    "美联储", "白宫", "五角大楼", "欧洲央行", "国际奥委会", "国际足联", "亚投行", "联邦调查局",
]

# Org-name endings, longest first. Each maps to the smallest stem it needs:
# 0 = a short form that names one body by itself (区委, 市政府, 公安部);
# 1 = one place character is enough (省供销社, 区法院); 2 = a real name is needed.
_SUFFIX_MIN: dict[str, int] = {}
for _w in ("区委", "市委", "县委", "省委", "州委", "区政府", "市政府", "县政府", "省政府", "镇政府", "乡政府",
           "区人大", "市人大", "县人大", "省人大", "区政协", "市政协", "县政协", "省政协", "区纪委", "市纪委",
           "县纪委", "省纪委", "区监委", "市监委", "区委办", "市委办", "县委办", "省委办", "区政府办", "市政府办",
           "县政府办", "省供销社", "市供销社", "区供销社", "县供销社", "党中央", "区人大常委会", "市人大常委会",
           "县人大常委会", "省人大常委会", "区法院", "市法院", "县法院", "区检察院", "市检察院", "县检察院",
           "市公安局", "县公安局", "区公安局", "省公安厅", "区委组织部", "市委组织部", "区委宣传部", "市委宣传部",
           "区委统战部", "市委统战部", "区委政法委", "市委政法委", "区总工会", "市总工会", "区妇联", "市妇联",
           "县妇联", "团区委", "团市委", "团县委", "团省委", "区人武部", "市人武部", "县人武部", "区委编办",
           "市委编办", "省委办公厅", "省政府办公厅", "市委办公室", "区委办公室", "市政府办公室", "区政府办公室",
           "区安委会", "市安委会", "区安委办", "市安委办", "安委会", "安委办"):
    _SUFFIX_MIN[_w] = 0
for _w in ("人民政府", "政府", "人大常委会", "常委会", "人大", "政协", "纪委", "监委", "党委", "党工委", "工委",
           "人民法院", "中级人民法院", "法院", "人民检察院", "检察院", "公安局", "公安厅", "分局", "局", "厅",
           "供销社", "委员会", "管委会", "办公室", "办公厅", "办事处", "总工会", "妇联", "残联", "科协", "文联",
           "侨联", "工商联", "团委", "医院", "人武部", "武装部", "组织部", "宣传部", "统战部", "政法委",
           "发改委", "卫健委", "教委", "编办", "信访办", "综治办", "扶贫办", "台办", "侨办", "外办", "网信办",
           "金融办", "文明办", "安委办", "安委会", "国资委", "法制办", "审改办", "住建委", "卫计委", "计生委",
           "经信委", "建委", "爱卫办", "应急办", "财政所", "司法所", "税务所", "电视台", "广播电视台", "报社",
           "日报社", "日报", "晚报", "中院", "海关", "总局", "指挥部", "新闻网", "卫视"):
    _SUFFIX_MIN.setdefault(_w, 1)
_SUFFIX_MIN["公司"] = 3  # 信贷公司, 电梯公司: a bare 公司 after two characters is mostly a kind of firm
for _w in ("有限责任公司", "股份有限公司", "有限公司", "集团", "银行", "分行", "支行", "农商行", "信用社",
           "学校", "大学", "学院", "中学", "小学", "幼儿园", "党校", "卫生院", "研究院", "研究所", "设计院",
           "科学院", "中心", "协会", "学会", "商会", "联合会", "基金会", "促进会", "研究会", "红十字会",
           "事务所", "派出所", "支队", "大队", "中队", "杂志社", "出版社", "通讯社", "合作社", "工会",
           "俱乐部", "检验所", "看守所", "监狱", "出入境边防检查站", "时报", "早报", "晨报", "商报", "今报",
           "都市报", "法治报", "法制报", "青年报", "快报", "周刊",
           # Party cells and working groups named after their body (方家集村党支部, 县政府党组,
           # 省委省政府工作检查组); a bare 检查组 points back and gets nothing.
           "党支部", "党总支", "党组", "工作组", "督导组", "检查组", "巡视组", "巡察组", "调查组", "专家组",
           "领导小组", "栏目组", "教研组", "药业", "实业", "乳业"):
    _SUFFIX_MIN.setdefault(_w, 2)

_SUFFIX_RE = re.compile(rf"(?=({_alt(_SUFFIX_MIN)}))")
_PAPER_SUFFIXES = {"日报", "晚报", "时报", "早报", "晨报", "商报", "今报", "都市报", "法治报", "法制报", "青年报",
                   "快报", "周刊", "新闻网", "卫视", "电视台", "广播电视台", "报社", "日报社", "杂志社"}
_LEXICON_RE = re.compile(rf"(?=({_alt(_ORG_LEXICON)}))")

# A suffix followed by these is part of a longer word, not an org name's end
# (局长, 局面, 委员, 部署, 中心城市, 办事, 公司化).
_SUFFIX_BAD_FOLLOW = {
    "局": "长面部势限促", "厅": "长", "委": "员会托屈婉实", "部": "长署分门位件", "办": "法理事公好学案",
    "中心": ("城", "工作", "任务", "地带", "位置", "环节", "思想", "组"), "集团": "化", "公司": "化",
    "学院": "派", "大队": "长委", "支队": "长", "中队": "长委", "院": "长士线子落内", "所": "长有属在以",
    "政府": "性", "工会": "员", "日报": "道", "晚报": "道", "社": "长会区员交", "医院": "长", "大学": "生",
    "中学": "部长生", "小学": "生", "学校": "部长园方", "法院": "长网", "会": "长员议上", "党委": "会员",
    "监委": "员", "纪委": "员", "人大": "系", "总局": "长", "妇联": "主", "海关": "关", "指挥部": "长",
    "联": "主", "银行": "卡业家账", "组": "长员织建成合", "小组": "长员", "党组": "织", "业": "务主内界绩态者余权发", "时报": "道价告警案到名送修报批请", "早报": "到名", "快报": "道", "周刊": "上",
}
# Characters before 局/厅 that make a common word, not an office (格局, 开局, 餐厅).
_BAD_BEFORE = {"小学": set("中"), "局": set("格布开大结全时胜终棋骗困破新变危僵残赌饭政战定出入平败赢牌当药邮书"),
               "厅": set("大餐客展门舞歌宴前后音乐"),
               "中心": set("为市")}
# Words that end a left extension: the org name starts after them. Only
# characters that (almost) never occur inside a name are single-character stops;
# verbs that do (发展, 管理, 建设, 服务) cannot be stops at all, which is why long
# stems are checked again below.
_ORG_STOP1 = set("与和及在由的对向为是了将把被从到等给让据该其这那此并或也即就已要各于曾又还却但而则着过们个说称请赴随跟凭靠按依受经若"
                 "系且如次求很每问想我么怎帮以率")
_ORG_STOP_WORDS = (
    "包括", "围绕", "落实", "贯彻", "深入", "来到", "走进", "前往", "参观", "考察", "调研", "检查", "督导", "慰问",
    "看望", "视察", "观摩", "听取", "汇报", "联合", "会同", "配合", "协调", "推动", "支持", "帮助", "协助",
    "邀请", "依托", "通过", "利用", "借助", "对接", "引进", "引入", "签约", "签订", "签署", "达成", "合作",
    "牵手", "携手", "成为", "入选", "获评", "获批", "批准", "批复", "授予", "命名", "认定", "评为", "荣获",
    "获得", "收到", "接到", "发出", "下发", "印发", "发布", "出台", "制定", "要求", "强调", "提出", "指出",
    "表示", "认为", "介绍", "透露", "显示", "根据", "按照", "依据", "依照", "有关", "相关", "全体", "所有",
    "其他", "其它", "多家", "多个", "作为", "属于", "位于", "隶属", "分别", "共同", "一起", "主办", "承办",
    "协办", "举办", "召开", "举行", "成立", "组建", "设立", "已有", "还有", "拥有", "没有", "共有", "设有",
    "成功", "正式", "目前", "近日", "日前", "近期", "同时", "此外", "另外", "其中", "以及", "不仅", "而且",
    "只有", "除了", "针对", "关于", "面向", "各级", "全区", "全市", "全省", "全县", "全镇", "全乡", "辖区",
    "我区", "我市", "我省", "我县", "本区", "本市", "本省", "本县", "感受", "意向", "投资", "企业家", "负责人",
    "领导", "同志", "主要", "分管", "市民", "群众", "当地", "本地", "地方", "基层", "上级", "下级", "主管",
    "职能", "属地", "一线", "参加", "出席", "服务于", "报道", "记者", "通讯员", "获悉", "了解", "发现", "介入",
    "督促", "责令", "指导", "召集", "联系", "咨询", "拨打", "局委", "被告", "原告", "上诉人", "申请人",
    "第三人", "不服", "撤销", "感谢", "想起", "前述", "进一步", "做好", "应当", "驳回", "认可", "送往", "送到",
    "送至", "赶往", "赶到", "移交", "诉至", "单位", "同属", "联手", "和解", "免除", "选址", "抓住", "大多数",
    "譬如", "如果", "员工", "信任", "走出", "限于", "引起", "到达", "事发", "涉事", "当事", "知名", "著名",
    "国内", "国外", "境内", "境外", "各地", "所在", "旗下", "下属", "直属", "入驻", "落户", "注册", "负责",
    "投诉", "举报", "报警", "起诉", "状告", "调查", "约谈", "处罚", "查处", "查封", "曝光", "通报", "回应",
    "声明", "证实", "确认", "得知", "致电", "采访", "来自", "就职", "就读", "毕业", "任职", "供职", "考入",
    "考上", "进入", "加入", "离开", "受聘", "聘请", "委托", "授权", "宣布", "公布", "披露", "统计", "组织",
    "动员", "号召", "鼓励", "推荐", "选派", "派出", "抽调", "牵头", "主导", "打造", "建成", "筹建", "挂牌",
    "揭牌", "授牌", "设在", "坐落", "入围", "晋级", "对阵", "战胜", "击败", "不敌", "迎战", "本案", "该案",
    "多所", "带领", "率领", "团结", "推开", "推进", "推行", "实施", "开展", "加强", "完善", "建立", "健全",
    "深化", "优化", "规范", "引导", "扶持", "整治", "清理", "取缔", "关闭", "新建", "改建", "扩建", "打击",
    "完成", "超额", "实现", "帮扶", "薄弱", "随后", "然后", "之后", "此后", "最后", "以后", "今后", "先后",
    "结合", "紧密", "时任", "现任", "新任", "曾任", "历任", "原任", "新一届", "给予", "各家", "几家", "一家", "两家", "这家", "那家", "每家", "周末", "期内", "期间", "年内", "控诉",
    "变成", "提升", "提高", "增强", "降低", "影响", "导致", "造成", "通知", "及时", "担任", "兼任", "出任", "并报", "预计", "预期", "估计",
    # A page header's weekday runs into the paper's name after it (星期三 宁波时报).
    "星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日", "星期天",
    "周一", "周二", "周三", "周四", "周五", "周六", "周日",
    # Verbs that put a group together (组成检查组, 安排专业工作组).
    "组成", "安排", "符合", "一件", "看出", "形容", "看待", "补偿", "尽快",
)
# Multi-character pieces of real names that contain a stop character or word.
_ORG_KEEP = ("住房和城乡建设", "文化和旅游", "工业和信息化", "人力资源和社会保障", "人力资源与社会保障", "自然资源和规划",
             "自然资源与规划", "共和国", "和平", "科学技术", "经济和信息化", "发展和改革", "卫生和计划生育",
             "新闻出版广电", "广播电视和旅游", "国家", "对外", "为民", "经济", "经开", "经贸", "经营", "经销", "经侦",
             "组织部", "联合会", "合作社", "通讯社", "系统", "以色列")
# Stems that name a kind of body, not one body (街道办事处, 中小学校, 商业银行).
_GENERIC_STEMS = {
    "街道", "社区", "乡镇", "村", "相关", "有关", "各", "各级", "基层", "地方", "上级", "下级", "主管", "职能",
    "行政", "执法", "监管", "政府", "国有", "大型", "小型", "中小", "民营", "私营", "外资", "重点", "骨干",
    "龙头", "一些", "部分", "多家", "该", "商业", "中小学", "公立", "定点", "三甲", "综合", "专科", "行业",
    "律师", "会计师", "专业", "农民专业", "公办", "民办", "高等", "重点中", "职业", "技工", "幼儿", "村镇",
    "农村商业", "子", "分", "总", "母", "上市", "科技", "文化", "投资", "建筑", "物业", "房地产", "保险",
    "证券", "金融", "互联网", "跨国", "国企", "央企", "名校", "高校", "本", "其", "我", "此", "级", "全国",
    "居委", "村委", "党", "工作", "领导", "政法", "司法", "公安", "交警", "消防", "税务", "财政", "教育",
    "人民", "中级人民", "各地", "市县", "省市", "区县", "市区", "县区", "两级", "三级", "镇村", "乡村",
    "社区卫生服务", "卫生服务", "新闻", "媒体", "研究", "服务", "管理", "培训", "检测", "数据", "指挥",
    "运营", "调度", "控制", "信息", "物流", "配送", "会展", "活动", "展示", "体验", "交易", "创新", "孵化",
    "电商", "营运", "运行", "演艺", "消费", "政务服务", "便民服务", "党群服务", "文明实践", "融媒体",
    "很多", "许多", "不少", "大多数", "每家", "这家", "那家", "一家", "两家", "几家", "恶势力", "犯罪",
    "黑社会", "诈骗", "传销", "皮包", "空壳", "家庭", "家长", "优质", "知名", "著名", "大", "小", "新",
    "老", "国内", "国外", "外国", "境外", "海外", "当地", "本地", "外地", "事发", "涉事", "涉案", "第三方",
    "合作", "下属", "所属", "关联", "控股", "参股", "全资", "独资", "合资", "外商", "医疗", "卫生", "药品",
    "医药", "教学", "公共", "私人", "个人", "集体", "政府部门", "机关", "事业", "企业", "一", "两", "三",
    "一审", "二审", "原审", "再审", "业主", "业主委员", "总支部", "支部", "党支部", "党总支", "直辖市", "上一级", "县级",
    "市级", "省级", "区县级", "乡级", "镇级", "小组", "领导小组", "山区", "农村", "城市", "县乡", "乡镇级", "有限", "有限责任", "股份有限", "股份", "责任", "刑警", "特警", "治安", "巡警", "交巡警", "经侦", "法制", "市民", "家长", "老年",
}
# Where an org name begins: a province, a large city, or a national prefix.
_PLACES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
    "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "郑州", "洛阳", "开封", "新乡", "南阳",
    "许昌", "商丘", "周口", "信阳", "驻马店", "平顶山", "安阳", "焦作", "鹤壁", "濮阳", "漯河", "三门峡",
    "济源", "石家庄", "太原", "沈阳", "大连", "长春", "哈尔滨", "南京", "苏州", "无锡", "常州", "徐州", "杭州",
    "宁波", "温州", "合肥", "福州", "厦门", "南昌", "济南", "青岛", "武汉", "长沙", "广州", "深圳", "珠海",
    "东莞", "佛山", "海口", "三亚", "成都", "贵阳", "昆明", "西安", "兰州", "西宁", "呼和浩特", "南宁", "拉萨",
    "银川", "乌鲁木齐", "包头", "鄂尔多斯", "唐山", "保定", "邯郸", "烟台", "潍坊", "临沂", "泉州", "扬州",
    "南通", "绍兴", "嘉兴", "金华", "台州", "芜湖", "宜昌", "襄阳", "岳阳", "衡阳", "常德", "汕头", "中山",
    "惠州", "柳州", "桂林", "绵阳", "遵义", "大理", "宝鸡", "延安", "天水", "十堰", "湖州", "株洲", "湘潭",
    *(_NATIONAL_HEADS := ("中国", "中华", "全国", "国家", "中共", "中央", "国际", "亚洲", "世界", "国务院")),
)
_PLACES_RE = re.compile(_alt(_PLACES))
# A carrier's provincial or city company (湖南移动, 上海电信): ORG by rule 26; not 移动支付.
_OPERATOR_RE = re.compile(
    rf"(?=((?:{_alt(p for p in _PLACES if p not in _NATIONAL_HEADS)})"
    rf"(?:移动|电信|联通)))"
)
_OPERATOR_BAD_FOLLOW = set("支互通设终端应网办业务诈电式性")  # 移动支付, 移动互联网, 电信诈骗, 移动电话
# Department words before 厅 (教育厅, 公安厅): a hall (大厅, 餐厅, 会议厅) is not a body.
_TING_DEPTS = ("教育", "财政", "民政", "公安", "商务", "司法", "水利", "交通运输", "交通", "科技", "科学技术",
               "住房和城乡建设", "住建", "建设", "自然资源", "人力资源和社会保障", "人社", "审计", "文化和旅游",
               "文旅", "生态环境", "环保", "农业农村", "农业", "林业", "应急管理", "工业和信息化", "工信",
               "卫生健康", "卫健", "卫生", "发展和改革", "国资", "市场监督管理", "市场监管", "统计", "体育",
               "广电", "粮食", "外事", "侨务", "民族宗教", "退役军人事务", "医保", "信访", "金融", "海洋",
               "地质", "国土资源", "国土", "监狱管理", "戒毒管理", "经信", "经济和信息化", "宣传", "办公")
_PLACE_END = set("省市区县州镇乡村旗盟")
# Words that start with a level character but name no level (市场经济, 区域发展, 县域经济).
_NOT_OWN_LEVEL = ("市场", "市民", "市区", "市内", "区域", "区内", "县域", "县城", "县内", "省份", "省内", "州长")
# Services that, after a place, name that place's own body (吉县交警大队).
_PLACE_SERVICES = {"交警", "消防", "公安", "税务", "刑警", "特警", "治安", "巡警", "交巡警", "经侦", "财政", "教育", "司法"}
# What ends a stem before 政府 that is no place (法治|政府, 服务型|政府, 拥护|政府).
_GOVT_NOT_NAMES = ("型", "届", "法治", "转变", "公示", "拥护", "无视", "考验", "一条", "党委", "依靠", "有为", "有效",
                   "数字", "透明", "廉洁", "责任", "阳光", "诚信", "满意的", "整体", "电子", "网上", "智慧")
_VERB_BEFORE_PLACE = set("任兼去望来往回系赴在到向对经据由于是为")
_MAX_STEM = 20
_SHORT_STEM = 6  # a stem longer than this must start at a known place


# Indexed by last character: the left extension asks at every character, and
# scanning all the stop words each time was a tenth of prediction time.
_STOP_WORDS_BY_LAST: dict[str, tuple[str, ...]] = {}
for _w in _ORG_STOP_WORDS:
    _STOP_WORDS_BY_LAST[_w[-1]] = _STOP_WORDS_BY_LAST.get(_w[-1], ()) + (_w,)


def _clean_left_edge(sq: str, s: int) -> bool:
    """A name starting at ``s`` does not cut a word: text starts, or a non-CJK or stop character/word precedes."""
    return s == 0 or not _is_cjk(sq[s - 1]) or _org_stop_at(sq, s, set())


def _org_stop_at(sq: str, j: int, keep: set[int]) -> bool:
    """True when the left extension must not take ``sq[j-1]``."""
    if j - 1 in keep:
        return False
    if sq[j - 1] in _ORG_STOP1:
        return True
    for w in _STOP_WORDS_BY_LAST.get(sq[j - 1], ()):
        if j >= len(w) and sq.startswith(w, j - len(w)) and all(k not in keep for k in range(j - len(w), j)):
            return True
    return False


_NOT_PLACE_AREA = ("园区", "社区", "景区", "小区", "辖区", "片区", "校区", "营区", "库区", "矿区", "灾区", "山区",
                   "市区", "城区", "街区", "专区", "分区", "城市", "都市", "超市", "门市", "上市", "县城", "县域",
                   "发区", "新区", "验区", "范区", "税区", "贸区", "聚区", "业区", "技区")


# A short name and a development zone (浦口经济开发区…, 郑东新区…) opens an org name too.
_ZONE_HEAD_RE = re.compile(
    "^[\u4e00-\u9fff]{2,4}(?:经济技术开发区|经济开发区|高新技术产业开发区|高新技术开发区|高新区|开发区|新区"
    "|产业集聚区|工业园区|产业园区|自贸区|综合保税区|保税区|试验区|示范区|经开区|街道)"
)


def _place_head(stem: str, sizes: tuple[int, ...] = (2,)) -> bool:
    """The stem opens with a two-character place name and its level (进贤县…, 株洲市…).

    Longer place names are in ``_PLACES``; allowing any three characters here
    would let a verb in (任|上饶市…).
    """
    for k in sizes:
        if len(stem) > k and stem[k] in "省市县区" and stem[k - 1:k + 1] not in _NOT_PLACE_AREA:
            return all(_is_cjk(c) for c in stem[:k])
    return False


def _keep_positions(sq: str) -> set[int]:
    keep: set[int] = set()
    for w in _ORG_KEEP:
        for m in re.finditer(re.escape(w), sq):
            keep.update(range(m.start(), m.end()))
    return keep


def _bad_follow(sq: str, e: int, suf: str) -> bool:
    """True when the character(s) after a suffix make it part of a longer word (局长, 部门, 中心城市)."""
    if e >= len(sq):
        return False
    bad = _SUFFIX_BAD_FOLLOW.get(suf)
    if bad is None:
        bad = _SUFFIX_BAD_FOLLOW.get(suf[-2:]) if len(suf) > 1 and suf[-2:] in _SUFFIX_BAD_FOLLOW else None
    if bad is None:
        bad = _SUFFIX_BAD_FOLLOW.get(suf[-1], "")
    if isinstance(bad, tuple):
        return sq.startswith(bad, e)
    return sq[e] in bad


def _org_start(sq: str, i: int, suf: str, keep: set[int], blocked_ends: set[int]) -> int | None:
    """Where the org name ending in the suffix at ``i`` starts, or None when it is not a name."""
    j = i
    while j > 0 and i - j <= _MAX_STEM:
        c = sq[j - 1]
        if c in ")）" and j > 1:
            # A place in brackets inside a company name: 中铁大桥局集团（武汉）有限公司.
            m = re.search(r"[(（]([\u4e00-\u9fff]{1,6})$", sq[max(0, j - 9):j - 1])
            if m and j - 1 - len(m.group(0)) > 0 and _is_cjk(sq[j - 2 - len(m.group(0))]):
                j -= len(m.group(0)) + 1
                continue
        if not (_is_cjk(c) or c == "·" or (c.isascii() and c.isalpha())):
            break
        if j in blocked_ends or _org_stop_at(sq, j, keep):
            break
        j -= 1
    if i - j > _MAX_STEM:
        return None
    stem = re.sub(r"^[(（][^()（）]*[)）]", "", sq[j:i])  # a bracket the name did not reach
    stem = _strip_generic_prefix(stem)
    if re.match(r"[原前新老][省市县区镇乡街]", stem) or (stem[:1] == "原" and (_place_head(stem[1:])
                                                                      or stem.startswith(_PLACES, 1))):
        stem = stem[1:]  # 原镇党委, 原亳州市…: the former body, named without 原
    j = i - len(stem)
    core = re.sub(r"[(（][^()（）]*[)）]", "", stem)
    # A government body of the writer's own place starts with its level alone (省安全生产监督管理局).
    own_level = _SUFFIX_MIN[suf] < 2 and core[:1] in "省市县区州" and not core.startswith(_NOT_OWN_LEVEL) \
        and (j == 0 or not _is_cjk(sq[j - 1]) or _org_stop_at(sq, j, keep))
    if len(core) > _SHORT_STEM and not core.startswith(_PLACES) and not _place_head(core) \
            and not _ZONE_HEAD_RE.match(core) and not own_level:
        # Prose ran into the stem without a stop word between: start at the
        # first known place (or two characters before 省/市/县) inside it, or give up.
        inner = {k for b in re.finditer(r"[(（][^()（）]*[)）]", stem) for k in range(b.start(), b.end())}
        starts = [m.start() for m in _PLACES_RE.finditer(stem)]
        starts += [k for k in range(1, len(stem)) if _place_head(stem[k:])]
        k = min((k for k in starts if k not in inner), default=None)
        if k is None:
            return None
        if k == 1 and stem[0] not in _VERB_BEFORE_PLACE:
            k = 0  # 秦|皇岛市: the first character belongs to the place
        j += k
        stem = stem[k:]
    if _SUFFIX_MIN[suf] < 2 and stem and not stem.startswith(_PLACES) and not _place_head(stem) \
            and not _ZONE_HEAD_RE.match(stem):
        # A government body is named by its place: what comes before the first
        # place name (转移归|进贤县公安局) is prose, not part of the name.
        # Two-character place names are the common case: prefer them over three.
        st = next((k for k in range(1, len(stem)) if _place_head(stem[k:]) or stem.startswith(_PLACES, k)), None)
        if st is None:
            # 超额完成|省政府: four or more characters before a level character are no place name.
            lv = next((k for k, c in enumerate(stem) if c in "省市县区州"), None)
            if lv is not None and lv >= 4:
                st = lv
        # One character before a place may belong to it (秦|皇岛市): cut it only when it is a verb.
        if st is not None and stem[st - 1] not in _PLACE_END and (st >= 2 or stem[0] in _VERB_BEFORE_PLACE):
            j += st
            stem = stem[st:]
    if stem and _SUFFIX_MIN[suf] >= 2 and _all_generic(stem):
        return None  # 汽车租赁公司, 网络科技有限公司: a kind of firm, not a firm
    if re.fullmatch(r".[省市县区镇乡]", stem) or re.search(r"[一二三四五六七八九十两几]大$", stem):
        return None  # 予市局, 三大集团
    if "某" in stem or stem.endswith("副") or re.search(r"[司局委院会团部厅府行][原副前]$", stem) or (stem and stem.isascii() and not stem.isupper()):
        # 某 anonymises; 公司原党委 is a company's former officer, not a body.
        return None
    need = _SUFFIX_MIN[suf]
    if suf[-1] in _BAD_BEFORE and stem and stem[-1] in _BAD_BEFORE[suf[-1]]:
        return None
    if suf in _BAD_BEFORE and stem and stem[-1] in _BAD_BEFORE[suf]:
        return None
    if stem.endswith(tuple(_TITLES)) or stem.endswith(("级", "大" if suf == "学校" else "级")):
        # 副镇长办公室 is a person's office; 县级人民政府 is a level; 大学校园 is no 学校.
        return None
    if suf == "厅" and not stem.endswith(_TING_DEPTS):
        return None
    # 法治政府, 服务型政府, 本届政府, 转变政府职能: a kind of government or a verb's object, not a body.
    if suf in ("政府", "人民政府") and stem.endswith(_GOVT_NOT_NAMES):
        return None
    # 中心 names a body only with a place in front (市政务服务中心, 郑州…中心);
    # alone it is a facility or an activity (活动中心, 灾备中心).
    if suf == "中心" and not (stem and (stem.startswith(_PLACES) or stem[0] in "省市区县" or _place_head(stem))):
        return None
    if need == 0:
        # A short form (区委, 市政府): keep a prefix only when it looks like a place.
        if stem and not (len(stem) <= 3 or stem[-1] in _PLACE_END or stem.startswith(_PLACES)):
            # 辞去来安|县委: place names before a level are mostly two characters.
            tail = stem[-2:]
            if len(stem) <= 5 and not any(w.endswith(tail[-1]) and tail.endswith(w[-len(tail):])
                                          for w in _ORG_STOP_WORDS if len(w) >= 2):
                return i - 2
            return i
        return j
    if not stem or stem in _GENERIC_STEMS:
        return None
    # 有关部门 is generic, and so is 郑州市有关部门; but a place's own service is one body
    # (吉县交警大队, 市消防支队).
    core_stem = _strip_place(stem)
    if core_stem in _GENERIC_STEMS and not (core_stem != stem and core_stem in _PLACE_SERVICES):
        return None
    if len(stem) < need or (need == 1 and len(stem) == 1 and stem not in _PLACE_END):
        return None
    if re.fullmatch(r"[一二三四五六七八九十两]+", stem):
        return None
    return j


_PARTY_AND_GOVT_RE = re.compile(r"(.*[省市区县州镇乡]委)([省市区县州镇乡]政府)")


def _orgs(u: _Unit, protected_titles: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    sq = u.sq
    keep = _keep_positions(sq)
    blocked_ends = {e for _, e, _ in u.spans}
    cands: list[tuple[int, int, int]] = []  # (start, end, priority)
    for m in _LEXICON_RE.finditer(sq):
        s, e = m.start(), m.start() + len(m.group(1))
        if _inside(protected_titles, s, e) and not (sq[s - 1:s] == "《" and sq[e:e + 1] == "》"):
            continue
        if _bad_follow(sq, e, m.group(1)):
            continue
        if e - s == 2 and not _clean_left_edge(sq, s):
            continue  # 北京东路 holds no 京东, 集中建设 no 中建: short names need a clean left edge
        cands.append((s, e, 1))
    for m in _OPERATOR_RE.finditer(sq):
        s, e = m.span(1)
        if (e < len(sq) and sq[e] in _OPERATOR_BAD_FOLLOW) or sq[s - 1:s] in ("向", "往", "朝"):
            continue  # 冷空气向湖南移动 is weather, not a carrier
        if not _inside(protected_titles, s, e) and _clean_left_edge(sq, s):
            cands.append((s, e, 1))
    for m in _SUFFIX_RE.finditer(sq):
        i, suf = m.start(), m.group(1)
        e = i + len(suf)
        if _inside(protected_titles, i, e) or _bad_follow(sq, e, suf):
            continue
        j = _org_start(sq, i, suf, keep, blocked_ends)
        if j is not None and suf in _PAPER_SUFFIXES:
            # A paper's name sits on its own line in headers and datelines: the line
            # above (a section label, a byline, 星期三) is no part of it.
            j = max([j] + [k for k in u.line_starts if j < k <= i - 2])
        if j is not None:
            cands.append((j, e, 2))
    # Longest first; a lexicon entry loses to a longer suffix-based name that
    # contains it (中国农业银行股份有限公司).
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2]))
    chosen: list[tuple[int, int]] = []
    for s, e, _ in cands:
        if any(s < b and a < e for a, b in chosen) or u.taken(s, e):
            continue
        chosen.append((s, e))
    out = []
    for s, e in chosen:
        # 市委市政府 written without a break is two bodies, as 区委、区政府 is.
        m = _PARTY_AND_GOVT_RE.fullmatch(sq, s, e)
        out += [(s, m.end(1), "ORG"), (m.start(2), e, "ORG")] if m else [(s, e, "ORG")]
    return out


_GENERIC_PREFIXES = ("全区", "全市", "全省", "全县", "全镇", "辖区", "我区", "我市", "我省", "我县", "本区", "本市",
                     "各级", "各", "该", "本", "其", "多")


def _strip_generic_prefix(stem: str) -> str:
    """Drop leading words that only qualify the body (全区, 各) and are no part of its name."""
    changed = True
    while changed and stem:
        changed = False
        for p in _GENERIC_PREFIXES:
            if stem.startswith(p) and len(stem) > len(p) + 1:
                stem = stem[len(p):]
                changed = True
                break
    return stem


_INDUSTRY = sorted(set(
    "出租车 网约车 汽车 租赁 传统 网络 科技 信息 技术 投资 管理 咨询 服务 物流 贸易 建筑 工程 房地产 开发 物业 保险 "
    "证券 基金 信贷 小额 贷款 担保 电商 互联网 快递 外卖 餐饮 酒店 旅游 旅行 文化 传媒 广告 影视 教育 培训 医疗 "
    "医药 生物 环保 能源 电力 电气 电子 通信 软件 数据 运输 货运 客运 公交 出租 装修 装饰 家政 保洁 安保 保安 劳务 "
    "人力资源 中介 房产 置业 农业 食品 商贸 实业 发展 国际 控股 有限 责任 股份 大型 小型 私人 民营 外资 合资 国有 "
    "跨国 上市 知名 本地 外地 相关 共享 单车 手机 电梯 物资 钢铁 煤炭 化工 石油 天然气 水务 燃气 供热 热力 环卫 "
    "绿化 园林 市政 建设 施工 监理 设计 规划 勘察 测绘 检测 认证 评估 审计 会计 律师 法律 税务 财务 代理 经纪 "
    "拍卖 典当 小贷 支付 金融 理财 资产 创投 风投 私募 公募 信托 期货 外贸 进出口 跨境 零售 批发 超市 百货 商场 "
    "连锁 加盟 视频 安装 维修 清洁 清淤 印务 印刷 包装 纸业 家具 家居 建材 陶瓷 玻璃 服装 纺织 鞋业 制造 机械 设备 "
    "仪器 材料 新材料 基因 正规 新型 龙头 消费 网贷 平台 游戏 娱乐 演艺 体育 健身 美容 整形 养老 母婴 电器 家电 "
    "数码 通讯 卫星 航空 航运 港口 铁路 公路 交通 水利 电网 供电 供水 排水 污水 垃圾 回收 再生 新能源 光伏 风电 "
    "储能 芯片 半导体 集成电路 人工智能 大数据 云计算 区块链 物联网 智能 自动化 机器人 无人机 食品安全 保健品 "
    "药品 器械 化妆品 日化 酒业 白酒 啤酒 饮料 乳业 肉类 水产 粮油 种业 农资 化肥 农药 养殖 种植 林业 牧业 渔业 "
    "矿业 采矿 冶金 有色 稀土 水泥 混凝土 砂石 公关 策划 营销 会展 展览 搬家 运营 独资 全资 合资 外商 "
    "分 子 总 大 小 多 各".split()),
    key=len, reverse=True)


def _all_generic(stem: str) -> bool:
    """The stem is nothing but industry words (汽车租赁, 网络科技): it names no one firm."""
    i = 0
    while i < len(stem):
        w = next((w for w in _INDUSTRY if stem.startswith(w, i)), None)
        if w is None:
            return False
        i += len(w)
    return True


def _strip_place(stem: str) -> str:
    """The stem without a leading place (郑州市…, 中原区…), to test it for genericness."""
    m = re.match(r"^(?:.{1,4}?[省市区县州镇乡])+", stem)
    return stem[m.end():] if m and m.end() < len(stem) else stem


# ---------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------

def _later_mentions(u: _Unit, names: set[str]) -> list[tuple[int, int]]:
    """Every other occurrence of an official's full name in the unit (李晓雷表示)."""
    sq = u.sq
    out: list[tuple[int, int]] = []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(re.escape(name), sq):
            s, e = m.span()
            if u.taken(s, e) or any(s < b and a < e for a, b in out) or _reporter_context(sq, s):
                continue
            if len(name) == 2 and _name_at(sq, s) > 2:
                continue  # 李华 inside 李华强 is someone else
            if s > 0 and sq[s - 1] in "·•":
                continue
            if sq.startswith(_LEADER_NOT_BEFORE, e):
                continue  # 习近平新时代…思想, 特朗普政府: a doctrine's or an administration's name
            out.append((s, e))
    return out


def _add(u: _Unit, spans: Iterable[tuple[int, int, str]]) -> None:
    for s, e, t in sorted(spans, key=lambda x: (-(x[1] - x[0]), x[0])):
        if s < e and not u.taken(s, e):
            u.spans.append((s, e, t))


def preannotate(text: str, articles: list[Article] | None = None) -> list[Entity]:
    """Entities found by rules: sorted, non-overlapping, trimmed, within one article each.

    With ``articles``, no entity crosses an article edge and a name found in one
    article is looked for again only in that article; without, the whole page is
    one scope.
    """
    units = _units(text, articles)
    names: dict[int, set[str]] = {}
    prot: list[list[tuple[int, int]]] = []
    for u in units:
        p = _protected(u.sq)
        prot.append(p)
        # Dates first: an amount never overlaps one (1月13日 is not "13日" of anything).
        _add(u, _dates(u, p))
        _add(u, _amounts(u, p))
        offs = []
        for s, e in _officials_anchored(u) + _leaders(u):
            if not u.taken(s, e) and not any(a < e and s < b for a, b, _ in offs):
                offs.append((s, e, "OFFICIAL"))
                names.setdefault(u.scope, set()).add(u.sq[s:e])
        _add(u, offs)
    for u in units:
        _add(u, [(s, e, "OFFICIAL") for s, e in _later_mentions(u, names.get(u.scope, set()))])
    for u, p in zip(units, prot):
        books = [(a, b) for a, b in p if u.sq[a] == "《"]
        _add(u, _orgs(u, books))
    out: list[Entity] = []
    for u in units:
        for s, e, t in u.spans:
            rs, re_ = u.idx[s], u.idx[e - 1] + 1
            out.append(Entity(rs, re_, t))
    out.sort(key=lambda x: (x.start, x.end))
    return out


def preannotate_page(page: Page) -> Page:
    """The page with its entities replaced by the rules' (articles, date and source kept)."""
    return Page(page.id, page.text, list(page.articles), preannotate(page.text, page.articles or None),
                page.date, page.source)


def preannotate_file(src: str | Path, dst: str | Path, force: bool = False) -> int:
    """Pre-annotate every page of a JSONL file (``{"id", "text"}`` or labelled pages) into ``dst``.

    Existing entities are replaced; articles, date and source are kept. Every
    input problem is reported at once and nothing is written then. ``dst`` is
    only replaced with ``force``, and atomically. Returns the page count.
    """
    src, dst = check_src_dst(src, dst, force)
    pages: list[Page] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for position, (lineno, obj, problem) in enumerate(iter_jsonl(src), 1):
        if problem:
            problems.append(f"{src}:{lineno}: {problem}")
            continue
        if isinstance(obj, dict) and "id" not in obj:
            # As `baokan convert` does: FILENAME-N, N the page's position in the file.
            obj = {**obj, "id": f"{src.stem}-{position}"}
        page, errs = page_from_dict(obj)
        pid = obj.get("id", "?") if isinstance(obj, dict) else "?"
        problems += [f"{src}:{lineno} {pid}: {p}" for p in errs]
        if page is None:
            continue
        if page.id in seen:
            problems.append(f"{src}:{lineno} {page.id}: duplicate id (first on line {seen[page.id]})")
        seen.setdefault(page.id, lineno)
        pages.append(page)
    if problems:
        raise DataError(problems)
    return write_pages((preannotate_page(p) for p in pages), dst)
