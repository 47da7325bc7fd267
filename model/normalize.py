"""Normalised values for entity spans: amounts, dates and the titles of officials.

The tagger finds spans; an analyst wants spreadsheet cells. These functions turn
one span's text into a value, and never raise on odd span text (a model can emit
anything): what cannot be read gives ``None``. ``docs/values.md`` describes the
formats with examples; in short:

``normalize_amount("1942万余元")``
    ``{"value": 19420000, "unit": "CNY", "unit_known": True, "approximate": True}``.
    Whitespace inside the span is ignored. Percentages are in percent (``46.01``,
    not ``0.4601``). A range (``5亿到10亿美元``) has ``"value": None`` and
    ``"range": [lo, hi]``, so that a column of values never mixes a bound in with
    exact figures. An unknown unit is kept as written with ``"unit_known": False``.

``normalize_date("1\\n月 13日", "2023-01-16")``
    ``{"value": "2023-01-13", "resolved": True}``. Values are ISO 8601: day
    ``2023-01-13``, month ``2023-01``, year ``2023``, ranges ``start/end``
    (quarters, half-years and 上/中/下旬 become day ranges). Time of day and
    weekdays are dropped. A date whose year (or month) is missing and cannot be
    resolved from the page date keeps only what is written, in ISO 8601's
    truncated forms ``--01-13`` (month-day), ``--01`` (month), ``---13`` (day),
    with ``"resolved": False``. A missing year is resolved to the one that puts
    the date nearest the page date (``12月28日`` on 2023-01-03 is 2022-12-28).

``official_title`` / ``assign_official_titles``
    The title written next to an official's name (``郑州市副市长潘开名`` →
    ``郑州市副市长``); names in a ``、`` list take the list's title; later
    mentions without a title of their own take the first titled mention's.

Chinese numerals are read by cn2an; the code here only splits numbers from
units and multiplies out magnitudes cn2an does not take (``1.2万亿``).
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Sequence

import cn2an

__all__ = [
    "UNITS",
    "normalize_amount",
    "normalize_date",
    "official_title",
    "assign_official_titles",
]

# --------------------------------------------------------------------------- amounts

_CURRENCIES = {
    "元": "CNY", "人民币": "CNY", "元人民币": "CNY", "人民币元": "CNY", "块钱": "CNY",
    "美元": "USD", "美金": "USD", "港元": "HKD", "港币": "HKD", "欧元": "EUR",
    "日元": "JPY", "英镑": "GBP", "澳元": "AUD", "加元": "CAD", "加拿大元": "CAD",
    "韩元": "KRW", "卢布": "RUB", "新台币": "TWD", "澳门元": "MOP", "澳门币": "MOP",
    "新加坡元": "SGD", "瑞士法郎": "CHF", "泰铢": "THB",
}

# unit as written → (code, factor). The factor only serves 成 (tenths, reported in
# percent); every other unit keeps the number as written, so no conversion error
# (斤 vs kg, 亩 vs m2) can creep into a figure the analyst will quote.
_UNIT_TABLE: dict[str, tuple[str, int]] = {
    **{k: (v, 1) for k, v in _CURRENCIES.items()},
    # people and bodies
    "人": ("person", 1), "名": ("person", 1), "位": ("person", 1), "人次": ("person_time", 1),
    "户": ("household", 1), "家": ("org", 1),
    # counts of things (classifiers)
    **{k: ("item", 1) for k in (
        "个", "项", "所", "座", "台", "件", "处", "条", "批", "辆", "套", "间", "栋", "幢",
        "部", "架", "艘", "只", "头", "张", "本", "册", "份", "宗", "起", "枚", "株", "棵",
        "盏", "根", "块", "场", "篇", "支", "种", "类", "片", "口", "眼", "道", "笔",
    )},
    "次": ("occurrence", 1), "倍": ("fold", 1),
    # area, length, mass, volume, power, energy
    "平方米": ("m2", 1), "平米": ("m2", 1), "平方": ("m2", 1), "m2": ("m2", 1),
    "平方公里": ("km2", 1), "平方千米": ("km2", 1), "km2": ("km2", 1),
    "亩": ("mu", 1), "公顷": ("ha", 1),
    "米": ("m", 1), "m": ("m", 1), "公里": ("km", 1), "千米": ("km", 1), "km": ("km", 1),
    "厘米": ("cm", 1), "cm": ("cm", 1), "毫米": ("mm", 1), "mm": ("mm", 1),
    "吨": ("t", 1), "公斤": ("kg", 1), "千克": ("kg", 1), "kg": ("kg", 1), "克": ("g", 1),
    "斤": ("jin", 1),
    "立方米": ("m3", 1), "方": ("m3", 1), "m3": ("m3", 1), "升": ("L", 1), "毫升": ("mL", 1),
    "瓦": ("W", 1), "千瓦": ("kW", 1), "kW": ("kW", 1), "兆瓦": ("MW", 1), "MW": ("MW", 1),
    "千瓦时": ("kWh", 1), "kWh": ("kWh", 1), "标准箱": ("TEU", 1), "TEU": ("TEU", 1),
    # shares
    "%": ("percent", 1), "成": ("percent", 10), "‰": ("permille", 1),
    "个百分点": ("percentage_point", 1), "百分点": ("percentage_point", 1),
}

#: Every unit code normalize_amount can report with ``unit_known: True``.
UNITS: frozenset[str] = frozenset(code for code, _ in _UNIT_TABLE.values())

_NUM_CHARS = "0-9.,〇零一二三四五六七八九十百千万亿两廿卅点壹贰叁肆伍陆柒捌玖拾佰仟余多几数"
_NUM_PREFIX = re.compile(f"[{_NUM_CHARS}]+")
_MAGNITUDES = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10**4, "亿": 10**8}
_TRAILING_MAGS = re.compile("[十拾百佰千仟万亿]+$")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")

# Modifiers the guide keeps outside the span, but a model's span may still carry them.
_LEAD_APPROX = ("大约", "将近", "接近", "超过", "不足", "不到", "约", "近", "超", "逾", "上")
_LEAD_EXACT = ("共计", "累计", "总计", "合计", "高达", "多达", "总共", "达到", "达", "共", "计", "仅", "总")
_TRAIL_APPROX = ("以上", "以下", "以内", "左右", "上下", "之多", "有余", "多", "余")
_RANGE_SEP = re.compile(r"^(.+?)(?:到|至|~|〜|—+|–|-)(.+)$")


def _to_number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def _decimal(x: Any) -> Decimal:
    return Decimal(str(x))


def _parse_number(s: str, bare_magnitude: bool = False) -> tuple[bool, int | float | None, bool]:
    """(is a numeral, value, approximate) for a numeral without unit, e.g. ``1942万余``.

    A vague numeral (``数十``, ``十几``) is a numeral with value None. A lone
    magnitude (万) is a numeral only with ``bare_magnitude`` (after 上/近: 上万人).
    """
    if not s:
        return False, None, False
    approx = False
    # 余/多 after a numeral mark "more than" (1942万余, 两千多); they carry no digits.
    stripped = re.sub("(?<=[0-9〇零一二三四五六七八九十百千万亿两拾佰仟])[余多]", "", s)
    if stripped != s:
        approx, s = True, stripped
    if re.search("[几数余多]", s):
        return bool(re.search("[0-9〇零一二三四五六七八九十百千万亿两]", s)), None, True
    s = re.sub(r"(?<=\d),(?=\d{3})", "", s)
    if _DIGITS.fullmatch(s):
        return True, _to_number(Decimal(s)), approx
    try:
        return True, _to_number(_decimal(cn2an.cn2an(s, "smart"))), approx
    except (ValueError, KeyError, IndexError, TypeError, InvalidOperation):
        pass
    # cn2an reads 9万亿 but not 1.2万亿, 一点五亿 or 百万: multiply the magnitudes out.
    m = _TRAILING_MAGS.search(s)
    if not m:
        return False, None, approx
    head, mags = s[:m.start()], m.group()
    if not head and len(mags) < 2 and not bare_magnitude:  # 万 alone is a unit word (万元), not a number
        return False, None, approx
    factor = Decimal(1)
    for ch in mags:
        factor *= _MAGNITUDES[ch]
    if not head:
        return True, _to_number(factor), approx
    try:
        base = Decimal(head) if _DIGITS.fullmatch(head) else _decimal(cn2an.cn2an(head, "smart"))
    except (ValueError, KeyError, IndexError, TypeError, InvalidOperation):
        return False, None, approx
    return True, _to_number(base * factor), approx


def _strip_modifiers(s: str) -> tuple[str, bool]:
    approx = False
    changed = True
    while changed and s:
        changed = False
        for word in _LEAD_APPROX + _LEAD_EXACT:
            # 上 and 近 lead only before a numeral (上万人); as units they never lead.
            if s.startswith(word) and len(s) > len(word) and _NUM_PREFIX.match(s[len(word):]):
                approx |= word in _LEAD_APPROX
                s, changed = s[len(word):], True
                break
        for word in _TRAIL_APPROX:
            if s.endswith(word) and len(s) > len(word):
                approx, s, changed = True, s[: -len(word)], True
                break
    return s, approx


@dataclass
class _Side:
    value: int | float | None
    unit: str | None  # as written, after the number
    approx: bool
    number_text: str = ""


def _parse_side(s: str) -> _Side:
    s, approx = _strip_modifiers(s)
    sign = 1
    if s[:1] in ("-", "负") and _NUM_PREFIX.match(s[1:]):
        sign, s = -1, s[1:]
    side = _parse_unsigned(s, approx)
    if sign < 0 and side.value is not None:
        side.value = -side.value
    return side


def _parse_unsigned(s: str, approx: bool) -> _Side:
    prefix_unit = None
    for word, unit in (("百分之", "%"), ("千分之", "‰")):
        if s.startswith(word):
            s, prefix_unit = s[len(word):], unit
            break
    m = _NUM_PREFIX.match(s)
    num_end = m.end() if m else 0
    if prefix_unit is not None:
        ok, value, a = _parse_number(s[:num_end])
        rest = s[num_end:]
        return _Side(value, prefix_unit + rest if rest else prefix_unit, approx or a, s[:num_end])
    # The numeral and the unit share characters (千 in 500千克, 万 in 2万人): take the
    # shortest numeral whose remainder is a known unit, so 千克 stays a unit.
    for i in range(1, num_end + 1):
        rest = s[i:]
        if rest in _UNIT_TABLE:
            ok, value, a = _parse_number(s[:i], bare_magnitude=approx)
            if ok:
                return _Side(value, rest, approx or a, s[:i])
    ok, value, a = _parse_number(s[:num_end], bare_magnitude=approx)
    return _Side(value, s[num_end:] or None, approx or a, s[:num_end])


def _apply_unit(side: _Side) -> tuple[int | float | None, str | None, bool]:
    """(value in the unit's terms, unit code or raw text, unit known)."""
    if side.unit is None:
        return side.value, None, False
    if side.unit in _UNIT_TABLE:
        code, factor = _UNIT_TABLE[side.unit]
        value = side.value
        if value is not None and factor != 1:
            value = _to_number(_decimal(value) * factor)
        return value, code, True
    return side.value, side.unit, False


def normalize_amount(text: str) -> dict[str, Any]:
    """Value and unit of an AMOUNT span.

    Returns ``{"value", "unit", "unit_known", "approximate"}``, plus ``"range": [lo, hi]``
    for a range, whose ``value`` is None. Never raises.
    """
    try:
        return _normalize_amount(text)
    except Exception:  # one odd span must not stop a run over an archive
        return {"value": None, "unit": None, "unit_known": False, "approximate": False}


def _normalize_amount(text: str) -> dict[str, Any]:
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    m = _RANGE_SEP.match(s)
    if m:
        left, right = _parse_side(m.group(1)), _parse_side(m.group(2))
        if left.value is not None and right.value is not None:
            return _range(left, right)
    side = _parse_side(s)
    value, unit, known = _apply_unit(side)
    return {"value": value, "unit": unit, "unit_known": known, "approximate": side.approx}


def _range(left: _Side, right: _Side) -> dict[str, Any]:
    # 5到10亿 is read 5亿到10亿, the usual Chinese shorthand, unless that
    # would put the low end above the high end (1000至1万).
    mags = _TRAILING_MAGS.search(right.number_text)
    if (left.unit is None and mags and not re.search("[十拾百佰千仟万亿]", left.number_text)):
        ok, v, a = _parse_number(left.number_text + mags.group())
        if ok and v is not None and v <= right.value:
            left = replace(left, value=v)
    if left.unit is None:
        left = replace(left, unit=right.unit)
    if right.unit is None:
        right = replace(right, unit=left.unit)
    lo, lu, lk = _apply_unit(left)
    hi, ru, rk = _apply_unit(right)
    unit, known = (ru, rk) if lu == ru else (None, False)
    return {"value": None, "unit": unit, "unit_known": known,
            "approximate": left.approx or right.approx, "range": [lo, hi]}


# --------------------------------------------------------------------------- dates

_CN_NUM_BEFORE_UNIT = re.compile("[〇零一二三四五六七八九十两廿卅]+(?=年|月|日|号|个?季度)")

_TOKENS: list[tuple[str, str]] = [
    ("ISO", r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)"),
    ("ISOM", r"(\d{4})[-./](\d{1,2})(?![\d日号])"),
    ("DR", r"大前天|大后天|今天|今日|昨天|昨日|前天|前日|明天|明日|后天|后日"),
    ("YR", r"今年|本年|去年|上年|前年|明年|来年|后年"),
    ("MR", r"本月|这个月|上个?月|下个?月"),
    ("QN", r"前(\d)个?季度"),
    ("Q", r"第?(\d)个?季度|[Qq](\d)"),
    ("H", r"([上下])半年"),
    ("X", r"([上中下])旬"),
    ("Y", r"(\d{4}|\d{2})年(?:度)?"),
    ("M", r"(\d{1,2})月份?"),
    ("D", r"(\d{1,2})[日号]"),
    ("SEP", r"至|到|~|〜|—+|–|-"),
    # Time of day, weekdays and vague edges place nothing finer than the date itself.
    ("IGN", r"[(（]?(?:星期|礼拜|周)[一二三四五六日天1-7][)）]?"
            r"|\d{1,2}(?:[时点](?:\d{1,2}分)?(?:\d{1,2}秒)?|:\d{2}(?::\d{2})?)(?:许|左右)?"
            r"|上午|下午|中午|晚上|早上|早晨|凌晨|傍晚|夜间|夜里|当晚|晚|早"
            r"|年初|年底|年末|年中|月初|月底|月末|月中|以来|期间|前后|左右|起|间|时"),
    ("N", r"(\d{1,4})(?![\d年月日号])"),
]
_TOKEN_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _TOKENS))
_REL_DAYS = {"大前天": -3, "前天": -2, "前日": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0,
             "明天": 1, "明日": 1, "后天": 2, "后日": 2, "大后天": 3}
_REL_YEARS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1, "来年": 1, "后年": 2}


@dataclass
class _Point:
    """One end of a date expression, as written (None = not written)."""
    y: int | None = None
    y2: int | None = None  # a two-digit year, resolved against the page date
    yrel: int | None = None
    m: int | None = None
    mrel: int | None = None
    d: int | None = None
    drel: int | None = None
    period: tuple[str, int] | None = None  # ("Q", 1) quarter, ("QN", 3) first n quarters, ("H", 1), ("X", 1)
    n: int | None = None  # a bare number; its meaning comes from the other end of the range


def _cn_numerals(m: re.Match) -> str:
    try:
        return str(int(cn2an.cn2an(m.group(), "normal")))
    except (ValueError, KeyError, IndexError, TypeError):
        return m.group()


def _tokenize(s: str) -> list[tuple[str, re.Match]] | None:
    out = []
    pos = 0
    while pos < len(s):
        m = _TOKEN_RE.match(s, pos)
        if not m or m.end() == pos:
            return None
        out.append((m.lastgroup, m))
        pos = m.end()
    return out


def _groups(m: re.Match, kind: str) -> list[str]:
    start, end = m.span(kind)
    return [g for i, g in enumerate(m.groups(), 1) if g is not None and m.start(i) >= start and m.end(i) <= end
            and m.re.groupindex.get(kind) != i]


def _parse_points(s: str) -> list[_Point] | None:
    tokens = _tokenize(s)
    if tokens is None:
        return None
    points: list[_Point] = [_Point()]
    for kind, m in tokens:
        p = points[-1]
        g = _groups(m, kind)
        if kind == "SEP":
            points.append(_Point())
        elif kind == "ISO":
            p.y, p.m, p.d = int(g[0]), int(g[1]), int(g[2])
        elif kind == "ISOM":
            p.y, p.m = int(g[0]), int(g[1])
        elif kind == "DR":
            p.drel = _REL_DAYS[m.group()]
        elif kind == "YR":
            p.yrel = _REL_YEARS[m.group()]
        elif kind == "MR":
            p.mrel = {"本": 0, "这": 0, "上": -1, "下": 1}[m.group()[0]]
        elif kind == "QN":
            p.period = ("QN", int(g[0]))
        elif kind == "Q":
            p.period = ("Q", int(g[0]))
        elif kind == "H":
            p.period = ("H", 1 if g[0] == "上" else 2)
        elif kind == "X":
            p.period = ("X", "上中下".index(g[0]) + 1)
        elif kind == "Y":
            if len(g[0]) == 4:
                p.y = int(g[0])
            else:
                p.y2 = int(g[0])
        elif kind == "M":
            p.m = int(g[0])
        elif kind == "D":
            p.d = int(g[0])
        elif kind == "N":
            p.n = int(g[0])
    if any(_empty(p) for p in points):
        return None
    # A bare number takes its meaning from the other end: the coarsest field of the
    # end after it (2022-2023年, 4月21-23日), or the finest of the end before it (1月12日至13).
    for i, p in enumerate(points):
        if p.n is None:
            continue
        if i + 1 < len(points):
            field = _first_field(points[i + 1])
        else:
            field = _last_field(points[i - 1]) if i else None
        if field is None or getattr(p, field) is not None:
            return None
        setattr(p, field, p.n)
        p.n = None
    return points


def _empty(p: _Point) -> bool:
    return all(getattr(p, f) is None for f in ("y", "y2", "yrel", "m", "mrel", "d", "drel", "period", "n"))


def _first_field(p: _Point) -> str | None:
    return next((f for f in ("y", "m", "d") if getattr(p, f) is not None), None)


def _last_field(p: _Point) -> str | None:
    return next((f for f in ("d", "m", "y") if getattr(p, f) is not None), None)


@dataclass
class _Resolved:
    y: int | None
    m: int | None
    d: int | None
    period: tuple[str, int] | None

    def bounds(self) -> tuple[date, date] | None:
        """First and last day covered, when the year is known."""
        if self.y is None:
            return None
        return _bounds(self.y, self.m, self.d, self.period)


def _bounds(y: int, m: int | None, d: int | None, period: tuple[str, int] | None) -> tuple[date, date]:
    if period is not None and m is None:
        kind, k = period
        first, last = {"Q": (3 * k - 2, 3 * k), "QN": (1, 3 * k), "H": (6 * k - 5, 6 * k)}[kind]
        return date(y, first, 1), date(y, last, calendar.monthrange(y, last)[1])
    if m is None:
        return date(y, 1, 1), date(y, 12, 31)
    if d is not None:
        return date(y, m, d), date(y, m, d)
    if period is not None:  # 上/中/下旬 of a month
        k = period[1]
        last = calendar.monthrange(y, m)[1]
        return date(y, m, 10 * k - 9), date(y, m, last if k == 3 else 10 * k)
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _valid(y: int | None, m: int | None, d: int | None, period: tuple[str, int] | None) -> bool:
    if m is not None and not 1 <= m <= 12:
        return False
    if d is not None:
        if m is None and y is not None:
            return False
        longest = calendar.monthrange(y if y is not None else 2000, m)[1] if m is not None else 31
        if not 1 <= d <= longest:
            return False
    if period is not None:
        kind, k = period
        if kind in ("Q", "QN") and not 1 <= k <= 4:
            return False
        if kind == "X" and (m is None or d is not None):
            return False
        if kind in ("Q", "QN", "H") and (m is not None or d is not None):
            return False
    return True


def _distance(b: tuple[date, date], page: date) -> int:
    if b[0] <= page <= b[1]:
        return 0
    return min(abs((b[0] - page).days), abs((b[1] - page).days))


def _nearest_year(r: _Resolved, page: date) -> int | None:
    best = None
    for y in (page.year - 1, page.year, page.year + 1):  # tie → the earlier, news reports the past
        # 2月29日 is measured as 2月28日, so that a non-leap nearest year makes it
        # invalid instead of jumping to a leap year further away.
        d = min(r.d, calendar.monthrange(y, r.m)[1]) if r.d is not None and r.m is not None else r.d
        dist = _distance(_bounds(y, r.m, d, r.period), page)
        if best is None or dist < best[0]:
            best = (dist, y)
    return best[1] if best else None


def _nearest_month(d: int, page: date) -> tuple[int, int] | None:
    best = None
    for off in (-1, 0, 1):
        y, m = _shift_month(page.year, page.month, off)
        if d > calendar.monthrange(y, m)[1]:
            continue
        dist = abs((date(y, m, d) - page).days)
        if best is None or dist < best[0]:
            best = (dist, (y, m))
    return best[1] if best else None


def _shift_month(y: int, m: int, off: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + off
    return k // 12, k % 12 + 1


def _resolve_own(p: _Point, page: date | None) -> _Resolved | None:
    """What the point says on its own, relative words resolved; None if it cannot be."""
    if p.drel is not None:
        if any(v is not None for v in (p.y, p.y2, p.yrel, p.m, p.mrel, p.d, p.period)):
            return None
        if page is None:
            return _Resolved(None, None, None, None)
        day = page + timedelta(days=p.drel)
        return _Resolved(day.year, day.month, day.day, None)
    y, m = p.y, p.m
    if p.y2 is not None and page is not None:
        y = min((c + p.y2 for c in (1900, 2000, 2100)), key=lambda c: abs(c - page.year))
    if p.yrel is not None and page is not None:
        y = page.year + p.yrel
    if p.mrel is not None:
        if m is not None or y is not None:
            return None
        if page is not None:
            y, m = _shift_month(page.year, page.month, p.mrel)
    return _Resolved(y, m, p.d, p.period)


def _fill(r: _Resolved, anchor: _Resolved, forward: bool) -> _Resolved:
    """Take the missing year/month from the other end of the range, keeping start ≤ end."""
    if r.y is not None or anchor.y is None:
        return r
    if r.m is None and r.period is None:
        if anchor.m is None:
            return r
        y, m = anchor.y, anchor.m
        step = 1 if forward else -1
        for _ in range(2):
            if _valid(y, m, r.d, r.period):
                cand = _Resolved(y, m, r.d, r.period)
                ab, cb = anchor.bounds(), cand.bounds()
                if (cb[0] >= ab[0]) if forward else (cb[1] <= ab[1]):
                    return cand
            y, m = _shift_month(y, m, step)
        return r
    for y in ((anchor.y, anchor.y + 1) if forward else (anchor.y, anchor.y - 1)):
        if _valid(y, r.m, r.d, r.period):
            cand = _Resolved(y, r.m, r.d, r.period)
            ab, cb = anchor.bounds(), cand.bounds()
            if (cb[0] >= ab[0]) if forward else (cb[1] <= ab[1]):
                return cand
    return r


def _against_page(r: _Resolved, page: date | None) -> _Resolved:
    if r.y is not None or page is None:
        return r
    if r.m is None and r.period is None and r.d is not None:
        ym = _nearest_month(r.d, page)
        return _Resolved(ym[0], ym[1], r.d, None) if ym else r
    if r.m is None and r.period is None:
        return r
    y = _nearest_year(r, page)
    return _Resolved(y, r.m, r.d, r.period) if y is not None else r


def _fmt(r: _Resolved, end: bool) -> str | None:
    """One end of the value; a period (quarter, 上旬) gives its first or last day."""
    if r.period is not None:
        if r.y is not None:
            b = r.bounds()
            return (b[1] if end else b[0]).isoformat()
        if r.m is None:  # quarter or half of an unknown year: month-days
            b = _bounds(2001, None, None, r.period)
            x = b[1] if end else b[0]
            return f"--{x.month:02d}-{x.day:02d}"
        return None
    if r.y is not None:
        if r.m is None:
            return f"{r.y:04d}"
        if r.d is None:
            return f"{r.y:04d}-{r.m:02d}"
        return f"{r.y:04d}-{r.m:02d}-{r.d:02d}"
    if r.m is not None:
        return f"--{r.m:02d}" if r.d is None else f"--{r.m:02d}-{r.d:02d}"
    if r.d is not None:
        return f"---{r.d:02d}"
    return None


def _parse_page_date(page_date: str | date | None) -> date | None:
    if page_date is None:
        return None
    if isinstance(page_date, date):
        return page_date
    m = re.fullmatch(r"\s*(\d{4})[-./年]?(\d{1,2})[-./月]?(\d{1,2})日?\s*", str(page_date))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def normalize_date(text: str, page_date: str | date | None = None) -> dict[str, Any]:
    """ISO 8601 value of a DATE span, resolved against the page's date where the span leaves
    the year (or month) out.

    ``{"value": str | None, "resolved": bool}``; ``resolved`` is True when every end of the
    value has its year. A page date that cannot be read counts as no page date. Never raises.
    """
    try:
        return _normalize_date(text, _parse_page_date(page_date))
    except Exception:  # one odd span must not stop a run over an archive
        return {"value": None, "resolved": False}


def _normalize_date(text: str, page: date | None) -> dict[str, Any]:
    none: dict[str, Any] = {"value": None, "resolved": False}
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    s = s.replace("○", "〇").replace("◯", "〇")
    s = _CN_NUM_BEFORE_UNIT.sub(_cn_numerals, s)
    points = _parse_points(s)
    if not points or len(points) > 2:
        return none
    own = [_resolve_own(p, page) for p in points]
    if any(r is None for r in own):
        return none
    res: list[_Resolved] = own  # type: ignore[assignment]
    if any(not _valid(r.y, r.m, r.d, r.period) for r in res):
        return none
    if len(res) == 2:
        a, b = res
        if a.y is None and b.y is None:
            a = _against_page(a, page)
        if a.y is not None:
            b = _fill(b, a, forward=True)
        elif b.y is not None:
            a = _fill(a, b, forward=False)
        # a day-only end (12日至13日) still takes its month from the other end
        if a.m is None and a.d is not None and b.m is not None and a.y is None and b.y is None:
            a = _Resolved(None, b.m, a.d, a.period)
        if b.m is None and b.d is not None and a.m is not None and b.y is None and a.y is None:
            b = _Resolved(None, a.m, b.d, b.period)
        res = [a, b]
    else:
        res = [_against_page(res[0], page)]
    if any(not _valid(r.y, r.m, r.d, r.period) for r in res):
        return none
    start, end = _fmt(res[0], end=False), _fmt(res[-1], end=True)
    if start is None or end is None:
        return none
    value = start if start == end else f"{start}/{end}"
    return {"value": value, "resolved": all(r.y is not None for r in res)}


# --------------------------------------------------------------------------- titles of officials

_STOP = set("，,。；;：:“”\"‘’「」『』！!？?（）()【】[]《》<>〈〉…|/")
_MAX_TITLE = 40
# Words that end a clause before a title: 会见了 | 副市长X, 由 | 区长X. 和/与 are
# left alone inside 发展和改革委员会 and the like.
_CUT_WORDS = ("本报讯", "网讯", "陪同下", "陪同", "会见", "看望", "慰问", "带领", "率领", "邀请",
              "出席", "参加", "听取", "主持", "以及", "了", "的", "在", "由", "向", "被", "把",
              "让", "请", "给", "及", "和", "与", "是", "为", "据", "等", "对")
_CUT_KEEP = ("发展和改革", "发展与改革", "共和", "和平", "对外", "为民", "高等")
_TITLE_ENDS = ("书记", "长", "主任", "主席", "委员", "常委", "政委", "代表", "领导", "总理", "经理",
               "助理", "官", "负责人", "发言人", "召集人", "专员", "巡视员", "调研员", "干部", "成员",
               "参事", "秘书", "大使", "参赞", "议员", "总监", "总师", "工程师", "主任委员")
_TITLE_AFTER = re.compile(
    r"(?:原)?(?:常务)?(?:副)?(?:书记|省长|市长|区长|县长|州长|镇长|乡长|村长|局长|厅长|部长|处长|科长"
    r"|主任|主席|院长|校长|所长|支队长|大队长|队长|政委|常委|秘书长|检察长|庭长|总理)"
)


def _is_title(t: str) -> bool:
    return 2 <= len(t) <= _MAX_TITLE and t.endswith(_TITLE_ENDS)


def _blank_line_before(text: str, i: int, lo: int) -> bool:
    """True if text[i] is a line break that ends a blank line (a paragraph starts after it)."""
    j = i - 1
    while j >= lo and text[j] in " \t\u3000\r":
        j -= 1
    return j >= lo and text[j] == "\n"


def _prev_nonspace(text: str, i: int, lo: int) -> int:
    while i >= lo and text[i].isspace():
        i -= 1
    return i


def _cut(segment: str) -> str:
    best = -1
    for word in _CUT_WORDS:
        k = segment.rfind(word)
        while k >= 0:
            if not any(segment.startswith(keep, k - keep.index(word)) for keep in _CUT_KEEP
                       if word in keep and k - keep.index(word) >= 0):
                best = max(best, k + len(word))
                break
            k = segment.rfind(word, 0, k)
    return segment[best:] if best >= 0 else segment


def official_title(text: str, start: int, end: int, article_start: int = 0, *,
                   others: Sequence[tuple[int, int]] = ()) -> str | None:
    """The title written next to the name ``text[start:end]``, whitespace removed.

    The title is what precedes the name back to the last clause boundary
    (sentence punctuation, a blank line, ``article_start``, a clause word such as
    会见/由/在, or the end of another name in ``others``): ``区委常委、常务副区\\n长刘斌``
    → ``区委常委、常务副区长``. ``、`` belongs to the title when a title word
    stands before it (two posts of one person), and ends it after a name.
    A name listed after ``、`` (``中原区领导薛晓军、刘守斌``) takes the title of the
    name before it, when ``others`` holds that name. With nothing before the
    name, a title right after it counts (``潘开名副市长`` → ``副市长``).
    Returns None when no text that ends in a title word is found.
    """
    ends = {e: s for s, e in others if e <= start and (s, e) != (start, end)}
    lo = max(article_start, 0)
    # A name in a 、 list: the list's title is on its first name.
    j = _prev_nonspace(text, start - 1, lo)
    if j >= lo and text[j] == "、":
        k = _prev_nonspace(text, j - 1, lo)
        if k + 1 in ends:
            prev_start = ends[k + 1]
            return official_title(text, prev_start, k + 1, article_start, others=others)
    chars: list[str] = []
    i = start - 1
    while i >= lo:
        if i + 1 in ends:
            break
        c = text[i]
        if c in _STOP:
            break
        if c == "\n" and _blank_line_before(text, i, lo):
            break
        if c == "、":
            k = _prev_nonspace(text, i - 1, lo)
            before = "".join(ch for ch in text[max(lo, k - 7):k + 1] if not ch.isspace())
            if k + 1 in ends or not before.endswith(_TITLE_ENDS):
                break
        if not c.isspace():
            chars.append(c)
            if len(chars) > 3 * _MAX_TITLE:
                break
        i -= 1
    title = _cut("".join(reversed(chars))).lstrip("、")
    if _is_title(title):
        return title
    # 代表/委员 are left out of titles after a name: there they are mostly verbs (X代表辖区发言).
    m = _TITLE_AFTER.match("".join(text[end:end + 12].split()))
    return m.group() if m else None


def assign_official_titles(text: str, officials: Sequence[tuple[int, int]],
                           articles: Sequence[tuple[int, int]]) -> list[str | None]:
    """Titles for OFFICIAL spans, in the order given.

    Each mention takes its own title (see :func:`official_title`); a mention
    without one takes the title of the first earlier mention of the same name
    (whitespace ignored) in the same article that has one. Names outside every
    article are looked at on their own and inherit nothing.
    """
    spans = [(int(s), int(e)) for s, e in officials]
    arts = sorted((int(s), int(e)) for s, e in articles)

    def article_of(pos: int) -> tuple[int, int | None]:
        start, idx = 0, None
        for k, (a, b) in enumerate(arts):
            if a <= pos < b:
                return a, k
            if b <= pos:
                start = b
        return start, idx

    titles: dict[int, str | None] = {}
    first_title: dict[tuple[int, str], str] = {}
    for n in sorted(range(len(spans)), key=lambda k: spans[k]):
        s, e = spans[n]
        a_start, a_idx = article_of(s)
        same = [sp for sp in spans if article_of(sp[0])[1] == a_idx and a_idx is not None] or [spans[n]]
        title = official_title(text, s, e, a_start, others=same)
        name = "".join(text[s:e].split())
        if a_idx is not None:
            key = (a_idx, name)
            if title is None:
                title = first_title.get(key)
            elif key not in first_title:
                first_title[key] = title
        titles[n] = title
    return [titles[n] for n in range(len(spans))]
