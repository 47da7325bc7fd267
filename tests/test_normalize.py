"""Normalised values: amounts, dates and officials' titles.

Every expectation is written by hand from the span (not computed by the code
under test). Spans come from the brief, ANNOTATION_GUIDE.md, data/ANNOTATION.md
and the seed page.
"""
from __future__ import annotations

import re

import pytest
from conftest import SEED_PAGE

from model.normalize import UNITS, assign_official_titles, normalize_amount, normalize_date, official_title

SEED_DATE = "2023-01-16"


def amount(value, unit, approximate=False, known=True):
    return {"value": value, "unit": unit, "unit_known": known, "approximate": approximate}


def amount_range(lo, hi, unit, approximate=False):
    return {"value": None, "unit": unit, "unit_known": True, "approximate": approximate, "range": [lo, hi]}


# --------------------------------------------------------------------------- amounts

AMOUNTS = [
    # the guide's AMOUNT section and the brief
    ("180亿元", amount(18_000_000_000, "CNY")),
    ("180亿\n元", amount(18_000_000_000, "CNY")),
    ("1942万余元", amount(19_420_000, "CNY", approximate=True)),
    ("10亿美元", amount(1_000_000_000, "USD")),
    ("53.03亿元", amount(5_303_000_000, "CNY")),
    ("9万亿元人民币", amount(9_000_000_000_000, "CNY")),
    ("2万人", amount(20_000, "person")),
    ("400名", amount(400, "person")),
    ("32个", amount(32, "item")),
    ("53家", amount(53, "org")),
    ("三家", amount(3, "org")),
    ("852所", amount(852, "item")),
    ("383平方米", amount(383, "m2")),
    ("46.01%", amount(46.01, "percent")),
    ("15%", amount(15, "percent")),
    ("420亿元", amount(42_000_000_000, "CNY")),
    ("6家", amount(6, "org")),
    ("14个", amount(14, "item")),
    ("百分之三十", amount(30, "percent")),
    ("1.2万亩", amount(12_000, "mu")),
    ("3公里", amount(3, "km")),
    ("500吨", amount(500, "t")),
    ("500万元", amount(5_000_000, "CNY")),
    ("300港元", amount(300, "HKD")),
    ("20亿欧元", amount(2_000_000_000, "EUR")),
    ("1000日元", amount(1000, "JPY")),
    ("5万英镑", amount(50_000, "GBP")),
    ("两千余人", amount(2000, "person", approximate=True)),
    ("5项", amount(5, "item")),
    ("2座", amount(2, "item")),
    ("10台", amount(10, "item")),
    # whitespace inside, full-width digits, thousands separators
    ("180 亿元", amount(18_000_000_000, "CNY")),
    ("１２３元", amount(123, "CNY")),
    ("1,200万元", amount(12_000_000, "CNY")),
    # magnitudes cn2an does not read on its own
    ("1.2万亿元", amount(1_200_000_000_000, "CNY")),
    ("一点五亿元", amount(150_000_000, "CNY")),
    ("百万人", amount(1_000_000, "person")),
    ("十三个", amount(13, "item")),
    # 千 of 千克 is the unit's, not the number's
    ("500千克", amount(500, "kg")),
    ("3千米", amount(3, "km")),
    ("三个百分点", amount(3, "percentage_point")),
    ("三成", amount(30, "percent")),
    ("2.5倍", amount(2.5, "fold")),
    ("1.5万人次", amount(15_000, "person_time")),
    ("120户", amount(120, "household")),
    # modifiers the guide keeps out of the span, in case a prediction has them
    ("约420亿元", amount(42_000_000_000, "CNY", approximate=True)),
    ("2万人以上", amount(20_000, "person", approximate=True)),
    ("达180亿元", amount(18_000_000_000, "CNY")),
    ("上万人", amount(10_000, "person", approximate=True)),
    ("二十多个", amount(20, "item", approximate=True)),
    ("10余万元", amount(100_000, "CNY", approximate=True)),
    # vague numerals: approximate, no value
    ("数十亿元", amount(None, "CNY", approximate=True)),
    ("十几个", amount(None, "item", approximate=True)),
    # a unit with no number
    ("万元", amount(None, "CNY")),
    ("-5%", amount(-5, "percent")),
]


@pytest.mark.parametrize("text,expected", AMOUNTS, ids=[t for t, _ in AMOUNTS])
def test_amount(text, expected):
    assert normalize_amount(text) == expected


RANGES = [
    ("5亿到10亿美元", amount_range(500_000_000, 1_000_000_000, "USD")),
    ("70%至80%", amount_range(70, 80, "percent")),
    # the low end borrows the high end's unit and magnitude
    ("5到10亿美元", amount_range(500_000_000, 1_000_000_000, "USD")),
    ("70至80%", amount_range(70, 80, "percent")),
    ("三到五万人", amount_range(30_000, 50_000, "person")),
    # ... but not a magnitude that would turn the range upside down
    ("1000至1万元", amount_range(1000, 10_000, "CNY")),
    ("百分之七十至八十", amount_range(70, 80, "percent")),
    ("100-200名", amount_range(100, 200, "person")),
    ("300余至500人", amount_range(300, 500, "person", approximate=True)),
]


@pytest.mark.parametrize("text,expected", RANGES, ids=[t for t, _ in RANGES])
def test_amount_range(text, expected):
    assert normalize_amount(text) == expected


@pytest.mark.parametrize("text,unit", [("6家单位", "家单位"), ("3桶", "桶"), ("abc", "abc")])
def test_unknown_unit_is_kept_as_written(text, unit):
    out = normalize_amount(text)
    assert out["unit"] == unit and out["unit_known"] is False


@pytest.mark.parametrize("text", ["", "   ", "元", "-", "至", "到10亿", "亿亿亿", "1.2.3元", "%%", "\x00", "第一", "五年"])
def test_amount_never_crashes(text):
    out = normalize_amount(text)
    assert set(out) >= {"value", "unit", "unit_known", "approximate"}


def test_unparseable_amount_has_no_value():
    assert normalize_amount("许多人")["value"] is None
    assert normalize_amount("")["value"] is None


def test_bare_number_has_no_unit():
    assert normalize_amount("32") == amount(32, None, known=False)


def test_unit_codes_are_listed():
    assert {"CNY", "USD", "HKD", "EUR", "JPY", "GBP", "person", "org", "item", "m2", "mu", "km", "t",
            "percent"} <= UNITS


def test_values_are_exact_not_float_noise():
    # 53.03 × 10^8 in floats is 5303000000.000001
    assert normalize_amount("53.03亿元")["value"] == 5_303_000_000
    assert isinstance(normalize_amount("53.03亿元")["value"], int)
    assert normalize_amount("0.1亿元")["value"] == 10_000_000


# --------------------------------------------------------------------------- dates

def d(value, resolved=True):
    return {"value": value, "resolved": resolved}


DATES = [
    # the guide's DATE section and section 3
    ("2023年", None, d("2023")),
    ("1月13日", "2023-01-14", d("2023-01-13")),
    ("1月12日至13日", "2023-01-14", d("2023-01-12/2023-01-13")),
    ("1月 14日上午", "2023-01-16", d("2023-01-14")),
    ("今年", "2023-01-16", d("2023")),
    ("去年", "2023-01-16", d("2022")),
    ("昨天", "2023-01-16", d("2023-01-15")),
    ("一季度", "2023-01-16", d("2023-01-01/2023-03-31")),
    ("上半年", "2023-01-16", d("2023-01-01/2023-06-30")),
    ("2018年4月21日-23日", None, d("2018-04-21/2018-04-23")),
    ("6月14日（星期五）", "2024-06-20", d("2024-06-14")),
    # the brief
    ("明年", "2023-01-16", d("2024")),
    ("昨日", "2023-01-16", d("2023-01-15")),
    ("今天", "2023-01-16", d("2023-01-16")),
    ("今日", "2023-01-16", d("2023-01-16")),
    ("前天", "2023-01-01", d("2022-12-30")),
    ("上月", "2023-01-16", d("2022-12")),
    ("本月", "2023-01-16", d("2023-01")),
    ("二〇二三年一月十三日", None, d("2023-01-13")),
    ("二○二三年一月十三日", None, d("2023-01-13")),  # OCR's ○ for 〇
    ("2023年1月", None, d("2023-01")),
    ("2022年12月31日", None, d("2022-12-31")),
    ("12月30日至1月2日", "2023-01-05", d("2022-12-30/2023-01-02")),
    ("12月28日", "2023-01-03", d("2022-12-28")),
    # more forms
    ("下半年", "2023-08-01", d("2023-07-01/2023-12-31")),
    ("2023年第一季度", None, d("2023-01-01/2023-03-31")),
    ("今年一季度", "2023-04-10", d("2023-01-01/2023-03-31")),
    ("前三季度", "2023-10-20", d("2023-01-01/2023-09-30")),
    ("1月上旬", "2023-01-16", d("2023-01-01/2023-01-10")),
    ("2月下旬", "2024-03-05", d("2024-02-21/2024-02-29")),
    ("2022年至2023年", None, d("2022/2023")),
    ("2022-2023年", None, d("2022/2023")),
    ("1-3月", "2023-05-01", d("2023-01/2023-03")),
    ("4月21-23日", "2023-05-01", d("2023-04-21/2023-04-23")),
    ("1月12日至13", "2023-01-16", d("2023-01-12/2023-01-13")),
    ("2023年1至3月", None, d("2023-01/2023-03")),
    ("12月30日至2023年1月2日", None, d("2022-12-30/2023-01-02")),
    ("去年12月", "2023-01-16", d("2022-12")),
    ("十二月三十一日", "2023-01-02", d("2022-12-31")),
    ("二十三日", "2023-01-25", d("2023-01-23")),
    ("30日", "2023-01-02", d("2022-12-30")),
    ("2023-01-13", None, d("2023-01-13")),
    ("2023.1.13", None, d("2023-01-13")),
    ("2023年1月份", None, d("2023-01")),
    ("2022年度", None, d("2022")),
    ("1月13日上午10时30分", "2023-01-16", d("2023-01-13")),
    ("1月13日10:30", "2023-01-16", d("2023-01-13")),
    ("13号", "2023-01-16", d("2023-01-13")),
    ("2月29日", "2024-03-01", d("2024-02-29")),
    # the year nearest the page: a month-day ahead of the page in the same year
    ("1月20日", "2023-01-16", d("2023-01-20")),
    ("1月5日", "2023-12-20", d("2024-01-05")),
    ("四季度", "2023-01-10", d("2022-10-01/2022-12-31")),
]


@pytest.mark.parametrize("text,page,expected", DATES, ids=[f"{t}@{p}" for t, p, _ in DATES])
def test_date(text, page, expected):
    assert normalize_date(text, page) == expected


PARTIAL = [
    ("1月13日", d("--01-13", False)),
    ("1\n月 13日", d("--01-13", False)),
    ("13日", d("---13", False)),
    ("12月", d("--12", False)),
    ("1月12日至13日", d("--01-12/--01-13", False)),
    ("12月30日至1月2日", d("--12-30/--01-02", False)),
    ("一季度", d("--01-01/--03-31", False)),
    ("今年1月13日", d("--01-13", False)),
    ("本月13日", d("---13", False)),
    # relative words alone say nothing without the page's date
    ("今年", d(None, False)),
    ("昨天", d(None, False)),
    ("上月", d(None, False)),
    # a two-digit year needs the page's date for its century
    ("23年", d(None, False)),
]


@pytest.mark.parametrize("text,expected", PARTIAL, ids=[t for t, _ in PARTIAL])
def test_date_without_page_date_is_never_guessed(text, expected):
    assert normalize_date(text, None) == expected


def test_two_digit_year_takes_the_century_nearest_the_page():
    assert normalize_date("98年", "2023-05-01") == d("1998")
    assert normalize_date("23年", "2023-05-01") == d("2023")


@pytest.mark.parametrize("text", ["5年内", "18年来", "24小时", "春节", "近日", "上午10时", "2月30日", "13月",
                                  "", "abc", "2023年13日", "昨天1月3日", "1月2日至3日至4日"])
def test_not_a_calendar_date_has_no_value(text):
    assert normalize_date(text, "2023-01-16") == d(None, False)


def test_feb_29_in_a_non_leap_year_is_not_moved_to_a_leap_year():
    assert normalize_date("2月29日", "2023-03-01") == d(None, False)


def test_unreadable_page_date_counts_as_none():
    assert normalize_date("1月13日", "not a date") == d("--01-13", False)
    assert normalize_date("1月13日", "20230116") == d("2023-01-13")


def test_date_object_is_a_page_date():
    from datetime import date

    assert normalize_date("昨天", date(2023, 3, 1)) == d("2023-02-28")


# --------------------------------------------------------------------------- the seed page

@pytest.fixture(scope="module")
def seed_text():
    if not SEED_PAGE.is_file():
        pytest.skip("seed page not available")
    return SEED_PAGE.read_text(encoding="utf-8")


def find(text: str, span: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of a span written exactly as on the page."""
    starts = [m.start() for m in re.finditer(re.escape(span), text)]
    assert len(starts) > nth, f"{span!r} not on the seed page"
    return starts[nth], starts[nth] + len(span)


SEED_DATES = [
    ("1\n月 13日", "2023-01-13"),
    ("2023年", "2023"),
    ("2022年", "2022"),
    ("今天", "2023-01-16"),
    ("1月12日至13日", "2023-01-12/2023-01-13"),
    ("一季度", "2023-01-01/2023-03-31"),
    ("第一季度", "2023-01-01/2023-03-31"),
    ("1月 11日", "2023-01-11"),
    ("1月 14日上\n午", "2023-01-14"),
]


@pytest.mark.parametrize("span,value", SEED_DATES, ids=[s for s, _ in SEED_DATES])
def test_seed_page_dates(seed_text, span, value):
    s, e = find(seed_text, span)
    assert normalize_date(seed_text[s:e], SEED_DATE) == d(value)


SEED_AMOUNTS = [
    ("180亿元", amount(18_000_000_000, "CNY")),
    ("180亿\n元", amount(18_000_000_000, "CNY")),
    ("32\n个", amount(32, "item")),
    ("6\n个", amount(6, "item")),
    ("100亿元", amount(10_000_000_000, "CNY")),
    ("420亿\n元", amount(42_000_000_000, "CNY")),
    ("2万人", amount(20_000, "person")),
    ("53家", amount(53, "org")),
    ("7个", amount(7, "item")),
    ("6家", amount(6, "org")),
    ("13个", amount(13, "item")),
    ("14个", amount(14, "item")),
    ("18家", amount(18, "org")),
]


@pytest.mark.parametrize("span,expected", SEED_AMOUNTS, ids=[s for s, _ in SEED_AMOUNTS])
def test_seed_page_amounts(seed_text, span, expected):
    s, e = find(seed_text, span)
    assert normalize_amount(seed_text[s:e]) == expected


# --------------------------------------------------------------------------- officials' titles

def title_of(text: str, name: str, article_start: int = 0) -> str | None:
    s = text.index(name)
    return official_title(text, s, s + len(name), article_start)


@pytest.mark.parametrize("text,name,title", [
    ("郑州市副市长潘开名出席签约仪式", "潘开名", "郑州市副市长"),
    ("会议。\n\n区委常委、常务副区长刘斌主持会议。", "刘斌", "区委常委、常务副区长"),
    ("中原西路街道办事处主任张丽娜出席", "张丽娜", "中原西路街道办事处主任"),
    ("全体会议，区长\n邓英文出席会议", "邓英文", "区长"),
    ("签约仪式上，中原区委书记\n李晓雷向企业家表示感谢", "李晓雷", "中原区委书记"),
    ("中原西路街道办事\n处主任张丽娜", "张丽娜", "中原西路街道办事处主任"),
    ("举行，中原区副区\n长樊效恺对全区", "樊效恺", "中原区副区长"),
    ("原主席项俊波", "项俊波", "原主席"),
    # a clause word before the title is not part of it
    ("昨天，市委书记会见了郑州市副市长潘开名", "潘开名", "郑州市副市长"),
    ("活动由区商务局局长刘增峰主持", "刘增峰", "区商务局局长"),
    ("国家发展和改革委员会主任何立峰", "何立峰", "国家发展和改革委员会主任"),
    # nothing before: the title after the name
    ("潘开名副市长出席", "潘开名", "副市长"),
    ("会上，黄太文副市长指出", "黄太文", "副市长"),
    # no title at all
    ("推进会上，李晓雷提出", "李晓雷", None),
    ("吴卫涛代表辖区发言", "吴卫涛", None),
])
def test_official_title(text, name, title):
    assert title_of(text, name) == title


def test_title_stops_at_the_start_of_the_article():
    text = "区长\n邓英文"
    assert official_title(text, 3, 6, article_start=0) == "区长"
    assert official_title(text, 3, 6, article_start=3) is None


def test_title_stops_at_a_blank_line():
    text = "中原区人民政府\n\n邓英文讲话"
    assert title_of(text, "邓英文") is None


def test_title_stops_after_a_name_before_a_list_comma():
    # 、 after a name ends the title; 、 after a title word joins two posts
    text = "中原西路街道办事处主任张丽娜、区商务局\n局长刘增峰"
    assert title_of(text, "刘增峰") == "区商务局局长"


def test_list_member_takes_the_list_title_when_the_names_are_known():
    text = "发言。\n\n中原区领导薛晓军、刘守斌、\n马素华等参加"
    names = [find(text, n) for n in ("薛晓军", "刘守斌", "马素华")]
    for s, e in names:
        assert official_title(text, s, e, others=names) == "中原区领导"
    # without the other names the list cannot be read
    s, e = names[1]
    assert official_title(text, s, e) is None


def test_assign_titles_inherit_within_the_article_only():
    text = ("区长\n邓英文出席会议。\n\n邓英文在讲话中提出要求。"
            "\n\n另一篇\n\n邓英文参加活动。")
    first = find(text, "邓英文", 0)
    second = find(text, "邓英文", 1)
    third = find(text, "邓英文", 2)
    split = text.index("另一篇")
    articles = [(0, split - 2), (split, len(text))]
    assert assign_official_titles(text, [third, first, second], articles) == [None, "区长", "区长"]


def test_assign_titles_own_title_wins_over_inherited():
    text = "区领导李华参加。区委常委、副区长李华讲话。李华表示"
    spans = [find(text, "李华", k) for k in range(3)]
    assert assign_official_titles(text, spans, [(0, len(text))]) == ["区领导", "区委常委、副区长", "区领导"]


SEED_TITLES = [
    # (name as on the page, occurrence, title)
    ("潘开名", 0, "郑州市副市长"),
    ("李晓雷", 0, "中原区委书记"),
    ("李晓雷", 1, "区委书记"),
    ("李晓雷", 2, "区委书记"),  # 推进会上，李晓雷提出 inherits in its article
    ("薛晓军", 0, "中原区领导"),
    ("刘守斌", 0, "中原区领导"),
    ("马素华", 0, "中原区领导"),
    ("施小武", 0, "中原区领导"),
    ("邓英文", 0, "区长"),
    ("邓英文", 1, "区长"),
    ("刘斌", 1, "区委常委、常务副区长"),
    ("李华", 1, "区领导"),
    ("王东甫", 0, "区领导"),
    ("樊效恺", 0, "区领导"),
    ("李华", 2, "区委常委、副区长"),
    ("樊效恺", 1, "中原区副区长"),
    ("张丽娜", 0, "中原西路街道办事处主任"),
    ("刘增峰", 0, "区商务局局长"),
]


def test_seed_page_titles(seed_text):
    names = sorted({n for n, _, _ in SEED_TITLES} | {"任大同", "曹勇", "闫凯", "赵洪印"})
    spans = sorted(find(seed_text, n, k) for n in names for k in range(seed_text.count(n)))
    # articles end at their bylines (记者 鲁燕 …); the first starts at the first headline
    ends = [m.end() for m in re.finditer(r"记者 鲁燕(\n通讯员[^\n]*)?", seed_text)]
    starts = [seed_text.index("聚力赋能")] + [seed_text.index(h) for h in (
        "中原区召开今年重点项目", "中原区组织召开第一季度", "中原区\n新春消费季")]
    articles = list(zip(starts, ends))
    titles = dict(zip(spans, assign_official_titles(seed_text, spans, articles)))
    for name, k, title in SEED_TITLES:
        assert titles[find(seed_text, name, k)] == title, (name, k)
