"""The rule pre-annotator: every example of ANNOTATION_GUIDE.md, wrapped spans, scopes, the file command."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from model.data import Article, DataError, Entity, read_pages
from model.preannotate import preannotate, preannotate_file

from conftest import SEED_PAGE



def found(text: str, articles: list[Article] | None = None) -> list[tuple[str, str]]:
    return [(e.type, text[e.start:e.end]) for e in preannotate(text, articles)]


def of_type(text: str, typ: str) -> list[str]:
    return [s for t, s in found(text) if t == typ]


# --- OFFICIAL ---------------------------------------------------------------

@pytest.mark.parametrize("text, names", [
    ("郑州市副市长潘开名出席签约仪式。", ["潘开名"]),
    ("中原区委书记\n李晓雷向企业家表示感谢。", ["李晓雷"]),
    ("区委常委、常务副区\n长刘斌主持会议。", ["刘斌"]),
    ("区长\n邓英文出席会议并讲话。", ["邓英文"]),
    ("区商务局局长刘增峰出席。", ["刘增峰"]),
    ("中原西路街道办事处主任张丽娜、区商务局局长刘增峰出席。", ["张丽娜", "刘增峰"]),
    ("原主席项俊波受到处分。", ["项俊波"]),
    ("会上，黄太文副市长指出，要抓好落实。", ["黄太文"]),
    ("国务院总理李克强在会上讲话。", ["李克强"]),
    ("省人大代表王建中提出建议。", ["王建中"]),
    ("派出所民警马水平说", ["马水平"]),                  # police officers (ANNOTATION.md 27)
    ("派出所副所长王刚说", ["王刚"]),
    ("省委书记、省长胡和平利用一天时间", ["胡和平"]),    # 和 inside a name
    ("司法所所长欧艳根据当事各方", ["欧艳"]),            # 所长 after the body's name
    ("县林业局局长谯谅说。", ["谯谅"]),
    ("习近平同志指出，如果", ["习近平"]),                # ANNOTATION.md 45
    ("穆勒向特朗普抛出近50个问题", ["特朗普"]),
    ("习近平总书记曾说，", ["习近平"]),                  # and 曾说 is no name
    ("习近平总书记说。学习习近平新时\n代中国特色社会主义思想", ["习近平"]),  # not in the doctrine
])
def test_official_after_or_before_a_title(text, names):
    assert of_type(text, "OFFICIAL") == names


def test_official_title_is_not_part_of_the_name():
    text = "郑州市副市长潘开名出席"
    (e,) = [e for e in preannotate(text) if e.type == "OFFICIAL"]
    assert text[e.start:e.end] == "潘开名"


def test_later_mentions_of_a_full_name():
    text = "中原区委书记李晓雷出席会议。李晓雷表示，要抓项目。会后，李晓雷强调安全。"
    assert of_type(text, "OFFICIAL") == ["李晓雷", "李晓雷", "李晓雷"]


def test_two_character_name_stops_before_a_verb():
    assert of_type("区委常委刘斌主持会议。刘斌强调，要抓落实。", "OFFICIAL") == ["刘斌", "刘斌"]


def test_list_after_leaders_is_labelled_name_by_name():
    text = "中原区领导薛晓军、刘守斌、\n马素华、曹勇、闫凯等参加。"
    assert of_type(text, "OFFICIAL") == ["薛晓军", "刘守斌", "马素华", "曹勇", "闫凯"]
    assert of_type("区领导李华、王东甫、樊效恺参加会议。", "OFFICIAL") == ["李华", "王东甫", "樊效恺"]


@pytest.mark.parametrize("text", [
    "李书记来到现场。",                      # surname plus title
    "记者 吴某添 报道",                      # anonymised, and a reporter
    "书记吴某添被查处。",                    # anonymised even after a title
    "中原万达总经理吴卫涛代表商超发言。",    # company executive
    "公司董事长张伟出席。",                  # company executive
    "记者 鲁燕\n通讯员 杨贺威 孙婧",         # reporters
    "多位企业家代表表示感谢。",              # 代表 as "representative", not deputy
    "全市长期坚持这一做法。",                # 市长 inside another word
    "孟先生和董先生反映情况。",              # courtesy titles
    "副市长王和李局长",                      # 和 between a surname and a title is a conjunction
    "民警马上赶到", "民警陆续赶到现场", "民警严格执法", "民警尚未发现",  # 民警 as the subject
    "副县长王和同事们", "书记张和有关部门",                            # 和 as a conjunction
])
def test_not_official(text):
    assert of_type(text, "OFFICIAL") == []


def test_reporter_who_shares_an_officials_name_is_not_repeated():
    text = "副区长李华讲话。\n记者 李华"
    assert of_type(text, "OFFICIAL") == ["李华"]


def test_later_mentions_stay_in_their_article():
    a = "区长邓英文出席。"
    b = "邓英文是谁？"
    text = a + "\n\n" + b
    arts = [Article(0, len(a), body=(0, len(a))), Article(len(a) + 2, len(text), body=(len(a) + 2, len(text)))]
    assert of_type(text, "OFFICIAL") == ["邓英文", "邓英文"]  # one page scope
    assert [s for t, s in found(text, arts) if t == "OFFICIAL"] == ["邓英文"]


# --- ORG --------------------------------------------------------------------

@pytest.mark.parametrize("text, orgs", [
    ("1月13日，中原区政府与河南国创\n文化发展有限公司在二砂文化\n创意园举行签约仪式。",
     ["中原区政府", "河南国创\n文化发展有限公司"]),
    ("由中原区商务局主办", ["中原区商务局"]),
    ("郑州市中原区商务局发布通知。", ["郑州市中原区商务局"]),
    ("中原公安分局、交警\n二支队参加。", ["中原公安分局", "交警\n二支队"]),
    ("中原西路街道办事处及商户承办", ["中原西路街道办事处"]),
    ("同时，还有 58同城等企业。", ["58同城"]),
    ("区委、区政府高度重视。", ["区委", "区政府"]),
    ("公安部发布通知。", ["公安部"]),
    ("省供销社召开会议。", ["省供销社"]),
    ("国务院、新华社、人民日报", ["国务院", "新华社", "人民日报"]),
    ("中国农业银行股份有限公司发布公告。", ["中国农业银行股份有限公司"]),
    ("浦口经济开发区与江苏恒瑞医药科技有限公司签署协议", ["江苏恒瑞医药科技有限公司"]),
    ("浦口经济开发区管委会发布通知。", ["浦口经济开发区管委会"]),
    ("扶沟县委召开会议。", ["扶沟县委"]),
    ("大虞街道党工委书记讲话。", ["大虞街道党工委"]),
    ("深入贯彻落实中央及省委、市委经济工作会议精神", ["省委", "市委"]),
    ("区商务局局长刘增峰", ["区商务局"]),
    ("河南省郑州市中原区人民法院审理", ["河南省郑州市中原区人民法院"]),
    ("2018年 4月 29日 星期三\n宁波时报\nB07 国内", ["宁波时报"]),  # the weekday is not part of the paper
    ("据中新网报道，中国人寿与东方航空签约。", ["中新网", "中国人寿", "东方航空"]),
    ("巧家新闻网讯（通讯员 王某）", ["巧家新闻网"]),
    ("湖南移动、湖北移动和武汉电信", ["湖南移动", "湖北移动", "武汉电信"]),
    ("方家集村党支部召开会议", ["方家集村党支部"]),
    ("收好\n现代快报讯（记者 王某）", ["现代快报"]),          # the line above is no part of the name
    ("县政府党组成员", ["县政府党组"]),
    ("省委省政府工作检查组到达", ["省委省政府工作检查组"]),
    ("记者从省安全生产监督管理局了解到", ["省安全生产监督管理局"]),   # own level, long name
    ("茶陵县人力资源与社会保障局贯彻落实", ["茶陵县人力资源与社会保障局"]),
    ("座谈会上，市国资委及市属企业", ["市国资委"]),                    # not the national 国资委
    ("本人投诉湖南国资委下属国企", ["湖南国资委"]),
    ("国务院审改办会同有关部门", ["国务院审改办"]),
    ("记者从市住建委获悉", ["市住建委"]),
    ("意大利政府表示", ["意大利政府"]),
    ("事故的发生，吉县交警大队宣传民警", ["吉县交警大队"]),   # a place's own service
    ("记者\n从宜春袁州公安分局获悉", ["宜春袁州公安分局"]),
    ("可以看出\n辉山乳业的债务危机", ["辉山乳业"]),
    ("包括国开行、进出口银行、农发行", ["国开行", "进出口银行", "农发行"]),
    ("认真贯彻市委市政府安排部署", ["市委", "市政府"]),       # two bodies, as 区委、区政府
    ("目前，育才中学校方正在", ["育才中学"]),                  # 校方 is no part of the name
    ("的主权责任，若美国政府拒绝", ["美国政府"]),
    ("近日，金凤区公安分局经侦大队破获了", ["金凤区公安分局经侦大队"]),  # a sub-body at full length (rule 30)
    ("西安市应急办被通报", ["西安市应急办"]),
])
def test_org(text, orgs):
    assert of_type(text, "ORG") == orgs


def test_org_with_a_person_gives_both():
    assert found("中原区委书记李晓雷出席") == [("ORG", "中原区委"), ("OFFICIAL", "李晓雷")]


@pytest.mark.parametrize("text", [
    "各部门、相关单位、有关企业要落实责任。",   # generic
    "各街道主要负责同志参加。",
    "在二砂文化创意园举行",                      # facility
    "在中原万达广场举行",
    "包括均和云谷·郑州中小微产业园项目",        # project
    "扶沟县成立了工作专班。",                    # place
    "开发区、科工园负责人参加。",
    "到大虞街道调研",
    "区长邓英文出席",                            # title without a body
    "形成高质量发展格局",                        # 格局 is no 局
    "开局就是决战",
    "打造国家中心城市",                          # 中心 in a longer word
    "安排部署重点工作",
    "14个街道办事处分管领导",                    # a kind of office, not one
    "一网通办、一次办成",
    "相关13个局委和全区14个街道",
    "请大家准时报到。",                          # 准时|报到, no paper 时报
    "考生同时报名。",
    "上海移动互联网大会开幕",                    # 移动互联网 is no carrier
    "冷空气向湖南移动",                          # weather, not a carrier
    "北京移动电话用户增加",
    "检查组组长介绍情况",                        # a bare 检查组 points back
    "协调交警大队处理",                          # no place: a kind of body
    "经侦大队民警赶到",
    "县域经济发展工作委员会",                    # 县域 names no level
    "他说，市场经济条件下政府管理局",
    "建设人民满意的服务型政府。",                # kinds of government, not a body
    "加快推进法治政府建设",
    "推动转变政府职能",
    "提前完成本届政府目标",
])
def test_not_org(text):
    assert of_type(text, "ORG") == []


# --- DATE -------------------------------------------------------------------

@pytest.mark.parametrize("text, dates", [
    ("实现 2023年招商引资工作开门红", ["2023年"]),
    ("1月13日，中原区", ["1月13日"]),
    ("本报讯 1\n月 13日，中原区", ["1\n月 13日"]),
    ("1月12日至13日，中原区召开", ["1月12日至13日"]),
    ("1月 14日上\n午，由区商务局主办", ["1月 14日上\n午"]),
    ("2018年4月21日-23日举办", ["2018年4月21日-23日"]),
    ("今年以来", ["今年"]),
    ("去年同期", ["去年"]),
    ("昨天下午", ["昨天下午"]),
    ("全力冲刺一季度开门红", ["一季度"]),
    ("2023年第一季度安委会", ["2023年第一季度"]),
    ("今年上半年", ["今年上半年"]),
    ("二〇二三年一月", ["二〇二三年一月"]),
    ("6月14日（星期五）", ["6月14日"]),
    ("2023年底前完成", ["2023年底"]),
    ("13日上午，会议召开", ["13日上午"]),
    # ANNOTATION.md 31, 35, 37, 39: the written decisions the rules follow.
    ("当事人于 2018年 2月 21日14时许，饮酒", ["2018年 2月 21日14时"]),   # 许 outside
    ("表彰2017年度计划生育工作", ["2017年度"]),
    ("被评为2008—2009年度先进", ["2008—2009年度"]),
    ("去年全年大病保险累计", ["去年全年"]),
    ("今年前5\n个月，固定资产投资", ["今年前5\n个月"]),
    ("此案案发于 21\n年前，造成", ["21\n年前"]),
    ("早在一千八百多年前，", ["一千八百多年前"]),
    ("他们在两个月前便发现", ["两个月前"]),
    ("始建于上世纪 90年代初期，", ["上世纪 90年代初期"]),
    ("在本世纪中叶成为", ["本世纪中叶"]),
    ("1997年4月10曰，时任", ["1997年4月10曰"]),                           # OCR's 曰
    ("7月 17日―――7月 19日，中央电视台", ["7月 17日―――7月 19日"]),
    ("15 日一早，贵阳市", ["15 日一早"]),
    ("12月 10号下午 5 点钟走在", ["12月 10号下午 5 点钟"]),
    ("2021.10.21 星期四", ["2021.10.21"]),
    ("他们去年度过了难关", ["去年"]),                                     # 度过, not 年度
    ("2017年度至2018年度", ["2017年度至2018年度"]),
    ("今年前两个月", ["今年前两个月"]),
    ("七八十年代", ["七八十年代"]),
    ("三天前来到", ["三天前"]),
])
def test_date(text, dates):
    assert of_type(text, "DATE") == dates


@pytest.mark.parametrize("text", [
    "5年内完成", "24小时值班", "18年来坚持", "用五年时间", "“5.18”经贸洽谈会",
    "很多年前的事", "多年前", "3年前后对比", "版本2020.10.1发布", "子曰：学而时习之",
    "他两天前往北京", "五年前景广阔", "这30年代表着巨变",
    "会议下发了《2023年中原区推进项目建设扩大有效投资工作实施方案》",
    "“2023年郑州市中原区新春消费季启动仪式”在万达广场举行",
    "近日，记者获悉", "日前，区里召开", "近期寒潮天气", "上午10时召开", "春节即将来临",
    "30日内办结", "开采9号煤层", "河南今日头条区域总部",
])
def test_not_date(text):
    assert of_type(text, "DATE") == []


# --- AMOUNT -----------------------------------------------------------------

@pytest.mark.parametrize("text, amounts", [
    ("总投资额累计达180亿元", ["180亿元"]),
    ("达 180亿\n元", ["180亿\n元"]),
    ("营收约 420亿\n元", ["420亿\n元"]),
    ("拉动就业人数 2万人以\n上", ["2万人"]),
    ("涉案金额1942万余元", ["1942万余元"]),
    ("贷款10亿美元", ["10亿美元"]),
    ("投资53.03亿元", ["53.03亿元"]),
    ("9万亿元人民币", ["9万亿元人民币"]),
    ("400名干部", ["400名"]),
    ("32个项目、53家企业、852所学校", ["32个", "53家", "852所"]),
    ("面积383平方米", ["383平方米"]),
    ("占46.01%，增长15%", ["46.01%", "15%"]),
    ("总投资5亿到10亿美元", ["5亿到10亿美元"]),
    ("占比70%至80%", ["70%至80%"]),
    ("三家企业", ["三家"]),
    ("6家单位", ["6家"]),
    ("全区 14个街道", ["14个"]),
    ("1.2万亩耕地", ["1.2万亩"]),
    ("百分之三十", ["百分之三十"]),
    ("共计 32\n个", ["32\n个"]),
    ("增长3.7%至7.42亿港元", ["3.7%", "7.42亿港元"]),
    ("他两次上门，修了三条路，七八十米高", ["两次", "三条", "七八十米"]),
    ("只花了2毛钱和十块钱", ["2毛钱", "十块钱"]),
    ("有贫困户376户 1473人", ["376户", "1473人"]),              # two counts a space apart
    ("签约贷款总金额29.5个亿。", ["29.5个亿"]),
    ("最低气温 10 度，", ["10 度"]),                             # ANNOTATION.md 33
    ("总建筑面积28303.39㎡，总容量718550千伏安", ["28303.39㎡", "718550千伏安"]),
    ("黄思华 从 400吨到 900吨", ["400吨", "900吨"]),              # ANNOTATION.md 40
    ("从10%到20%，从三百吨到五百吨", ["10%", "20%", "三百吨", "五百吨"]),
    ("预计5亿到10亿美元", ["5亿到10亿美元"]),                    # one uncertain quantity
])
def test_amount(text, amounts):
    assert of_type(text, "AMOUNT") == amounts


@pytest.mark.parametrize("text", [
    "用五年时间", "24小时值班", "第一次观摩推进会", "一是认清形势", "第一", "2018-15号地块",
    "一个时期", "经过3个月的蹲守", "树牢“四个意识”", "1月13日", "2023年", "他今年45岁",
    "二支队", "千家万户", "下午三点钟",
    "打死数十名极端分子", "几十米高的球罐", "人群四处奔走", "谣言四起", "中央纪委五次全会", "三番两次",
    "三番五次", "三支一扶人员", "第三次产业", "区政协三次会议", "赵湾社区三组", "里三层外三层", "考上二本",
    "约 1个半小时", "现场零件散落", "进入全省前十名", "10千伏线路", "编号2018-15号",
    "拨打110发现", "2023发展论坛", "5步骤",
])
def test_not_amount(text):
    assert of_type(text, "AMOUNT") == []


# --- boundaries -------------------------------------------------------------

def test_nothing_is_joined_across_a_blank_line():
    assert of_type("投资180亿\n\n元", "AMOUNT") == ["180亿"]  # the bare sum, its unit left behind
    assert of_type("副市长潘开\n名出席", "OFFICIAL") == ["潘开\n名"]
    assert "潘开\n\n名" not in of_type("副市长潘开\n\n名出席", "OFFICIAL")


def test_entities_are_cut_at_article_edges():
    text = "投资180亿元整"
    arts = [Article(0, 6, body=(0, 6)), Article(6, len(text), body=(6, len(text)))]
    for e in preannotate(text, arts):
        assert not any(a.start < e.start < a.end < e.end or e.start < a.start < e.end for a in arts)
    assert found(text, arts) == [("AMOUNT", "180亿")]  # the bare sum; 元 lies in the next article


def test_bare_sums_in_wan_and_yi_are_amounts_unless_an_unknown_unit_follows():
    assert of_type("张先生花了 18万，再获赔55万。", "AMOUNT") == ["18万", "55万"]
    assert of_type("集团出资1.8亿，股权比例", "AMOUNT") == ["1.8亿"]
    assert of_type("360万的法拉利", "AMOUNT") == ["360万"]
    assert of_type("交易笔数超过3000万笔。", "AMOUNT") == []  # 笔 is no listed unit: no half span
    assert of_type("解禁股数为 52.14 亿股，总金额2.78亿美金。", "AMOUNT") == ["52.14 亿股", "2.78亿美金"]
    assert of_type("股东持有3亿股权", "AMOUNT") == []  # 股权 is no unit
    assert of_type("降水量达150.6mm。含量为1.84mg/ml，或5mmol", "AMOUNT") == ["150.6mm", "1.84mg/ml"]


def test_spans_keep_inner_spaces_and_not_outer():
    text = "本报讯 1\n月 13日， 达 180亿\n元 。"
    got = found(text)
    assert ("DATE", "1\n月 13日") in got and ("AMOUNT", "180亿\n元") in got


def test_crlf_and_fullwidth_spaces():
    text = "1\r\n月\u300013日，郑州市副市长潘开\r\n名出席"
    assert found(text) == [("DATE", "1\r\n月\u300013日"), ("OFFICIAL", "潘开\r\n名")]


_ALPHABET = list("中原区委书记李晓雷副市长潘开名出席政府公司有限集团局委会年月日至今去1234567890.%亿万元个家人名"
                 "、，。“”《》（）：的和与在由等第一二三四五") + [" ", "\n", "\n\n", "\u3000", "\r\n"]
_WORDS = ["郑州市副市长潘开名", "中原区政府", "河南国创文化发展有限公司", "1月13日", "180亿元", "2023年",
          "区领导李华、王东甫", "《2023年方案》", "“5.18”", "58同城", "46.01%", "记者 鲁燕"]


def _trimmed(text: str, e: Entity) -> bool:
    def bad(ch: str) -> bool:
        return ch.isspace() or (unicodedata.category(ch).startswith("P") and ch not in "%％")
    return not bad(text[e.start]) and not bad(text[e.end - 1])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_ALPHABET), st.sampled_from(_WORDS)), max_size=60),
       st.lists(st.integers(min_value=0, max_value=400), max_size=4))
def test_spans_are_valid_for_any_text(parts, cuts):
    text = "".join(parts)
    bounds = sorted({c for c in cuts if 0 < c < len(text)})
    edges = [0, *bounds, len(text)]
    arts = [Article(s, e, body=(s, e)) for s, e in zip(edges, edges[1:]) if s < e] if bounds else None
    ents = preannotate(text, arts)
    assert ents == sorted(ents, key=lambda e: (e.start, e.end))
    for a, b in zip(ents, ents[1:]):
        assert a.end <= b.start
    for e in ents:
        assert 0 <= e.start < e.end <= len(text)
        assert e.type in ("OFFICIAL", "ORG", "DATE", "AMOUNT")
        assert _trimmed(text, e), (text[e.start:e.end], e)
        assert "\n\n" not in text[e.start:e.end].replace("\r", "")
        if arts:
            assert any(a.start <= e.start and e.end <= a.end for a in arts)


# --- the seed page and the file command ------------------------------------

@pytest.mark.skipif(not SEED_PAGE.is_file(), reason="seed page not present")
def test_seed_page_has_the_guide_examples():
    text = SEED_PAGE.read_text(encoding="utf-8")
    got = set(found(text))
    for pair in [("OFFICIAL", "潘开名"), ("OFFICIAL", "李晓雷"), ("ORG", "中原区政府"), ("ORG", "中原公安分局"),
                 ("DATE", "1\n月 13日"), ("AMOUNT", "180亿\n元"), ("AMOUNT", "420亿\n元")]:
        assert pair in got
    assert ("OFFICIAL", "吴卫涛") not in got and ("OFFICIAL", "鲁燕") not in got


def _write(path: Path, objs: list) -> None:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs), encoding="utf-8")


def test_preannotate_file_fills_entities_and_keeps_articles(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    text = "标题\n\n郑州市副市长潘开名出席。"
    _write(src, [{"id": "a", "text": "1月13日，中原区政府投资180亿元。"},
                 {"id": "b", "text": text, "date": "2023-01-14",
                  "articles": [{"start": 0, "end": len(text), "title": [0, 2], "body": [4, len(text)], "byline": None}],
                  "entities": [{"start": 0, "end": 2, "type": "ORG"}]}])
    assert preannotate_file(src, dst) == 2
    a, b = read_pages(dst)
    assert [(e.type, a.text[e.start:e.end]) for e in a.entities] == [
        ("DATE", "1月13日"), ("ORG", "中原区政府"), ("AMOUNT", "180亿元")]
    assert b.date == "2023-01-14" and len(b.articles) == 1 and b.articles[0].title == (0, 2)
    assert [(e.type, b.text[e.start:e.end]) for e in b.entities] == [("OFFICIAL", "潘开名")]
    assert json.loads(dst.read_text(encoding="utf-8").splitlines()[1])["entities"][0]["text"] == "潘开名"


def test_preannotate_file_refuses_to_overwrite_without_force(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, [{"id": "a", "text": "区长邓英文"}])
    dst.write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        preannotate_file(src, dst)
    assert dst.read_text(encoding="utf-8") == "keep me"
    assert preannotate_file(src, dst, force=True) == 1
    assert read_pages(dst)[0].entities
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]  # no temp file left


def test_preannotate_file_reports_every_bad_line_and_writes_nothing(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text('{"id": "a", "text": "ok"}\nnot json\n{"id": "c"}\n{"id": "a", "text": "dup"}\n', encoding="utf-8")
    with pytest.raises(DataError) as err:
        preannotate_file(src, dst)
    assert len(err.value.problems) == 3
    assert not dst.exists()
    with pytest.raises(FileNotFoundError):
        preannotate_file(tmp_path / "missing.jsonl", dst)


def test_preannotate_file_names_pages_without_an_id(tmp_path):
    src, dst = tmp_path / "raw.jsonl", tmp_path / "out.jsonl"
    _write(src, [{"text": "今年"}, {"text": "区长邓英文"}])
    assert preannotate_file(src, dst) == 2
    assert [p.id for p in read_pages(dst)] == ["raw-1", "raw-2"]
