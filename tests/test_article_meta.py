"""Article records: headline and sub-titles, dateline and reporters, against hand-written expectations."""
import json
from pathlib import Path

import pytest

from model.article_meta import article_meta, dateline_and_credit, headline, names_in_credit

REPO = Path(__file__).resolve().parents[1]


def _seed_articles():
    page = json.loads((REPO / "data/gold/seed.jsonl").read_text(encoding="utf-8").splitlines()[0])
    text = page["text"]
    return [article_meta(text, a["title"] and tuple(a["title"]), tuple(a["body"]), a["byline"] and tuple(a["byline"]))
            for a in page["articles"]]


def test_seed_page_articles_read_as_an_editor_would():
    metas = _seed_articles()
    assert [(m.title, m.subtitles) for m in metas] == [
        ("中原区32个“重磅”项目集中签约 预计总投资额累计达180亿元", ["聚力赋能 共创未来"]),
        ("中原区召开今年重点项目建设第一次观摩推进会", ["树牢“项目为王”理念 全力冲刺一季度“开门红”"]),
        ("中原区组织召开第一季度 安委会全体（扩大）会议", ["牢固树立“大安全”理念 时刻紧绷安全生产这根弦"]),
        ("中原区 新春消费季系列活动启动", []),
    ]
    assert [m.dateline for m in metas] == ["本报讯"] * 4
    assert [m.reporters for m in metas] == [
        ["鲁燕"], ["鲁燕", "杨贺威", "孙婧"], ["鲁燕", "王文成", "贺上淇"], ["鲁燕", "张方方"],
    ]


@pytest.mark.parametrize("body, dateline, names", [
    ("本报讯（记者 李富生）1月13日，区委书记邓英文……", "本报讯", ["李富生"]),
    ("新华社北京6月14日电 国务院……", "新华社北京6月14日电", []),
    ("新华社合肥 12月 12日电 \n（通讯员 秦琴瑞）日前，重庆市……", "新华社合肥12月12日电", ["秦琴瑞"]),
    ("本报杭州 12月 12日电 \n(记者 高云岩) 对于桂骏考场……", "本报杭州12月12日电", ["高云岩"]),
    ("-南国今报柳州讯(记者黄真真通讯员郭澔)外地男子……", "南国今报柳州讯", ["黄真真", "郭澔"]),
    ("本报讯（记者柴壮莎 通讯员闫岚兰 李树） 大数据……", "本报讯", ["柴壮莎", "闫岚兰", "李树"]),
    ("本报讯记者\u3000戴钧梦 扫除黑恶……", "本报讯", ["戴钧梦"]),
    ("□本报合肥 7月 2日电本人投诉……", "本报合肥7月2日电", []),
    ("【本报讯】近日，……", "【本报讯】", []),
    ("1月 11日，中原区组织召开……", None, []),
    ("据悉，本次巡察工作将聚焦……", None, []),
    ("据本报通讯员李四报道，……", None, []),
    ("日前电视台传来喜讯，……", None, []),
    ("大河网讯 （记者 张三\n李四）近日，……", "大河网讯", ["张三", "李四"]),
    ("本报讯（记者黄真\n真）外地男子……", "本报讯", ["黄真真"]),
])
def test_dateline_and_credit(body, dateline, names):
    assert dateline_and_credit(body, (0, len(body))) == (dateline, names)


@pytest.mark.parametrize("credit, names", [
    ("记者 鲁燕", ["鲁燕"]),
    ("通讯员 王文成 贺上淇", ["王文成", "贺上淇"]),  # 文 inside a name is not the role 文/
    ("(文/汤厚 图/谭梦祥)", ["汤厚", "谭梦祥"]),
    ("本报记者：樊晨树 通讯员：方凤", ["樊晨树", "方凤"]),
    ("(记者 董善树 实习生 姜乐晶)", ["董善树", "姜乐晶"]),
    ("记者\u3000康文艳", ["康文艳"]),
    ("记者 阿依古丽·买买提", ["阿依古丽·买买提"]),
    ("本报记者 张三 报道", ["张三"]),
    ("责任编辑：张三", ["张三"]),
    ("记者 张三 发自北京", ["张三"]),
    ("记者 张三 摄", ["张三"]),
])
def test_names_in_credit(credit, names):
    assert names_in_credit(credit) == names


def test_headline_groups_and_dashes():
    text = "市委召开全会\n——访市委书记王某\n"
    assert headline(text, (0, len(text))) == ("市委召开全会", ["访市委书记王某"])
    # Without blank lines a block is one (possibly wrapped) title.
    text = "中原区\n新春消费季系列活动启动"
    assert headline(text, (0, len(text))) == ("中原区 新春消费季系列活动启动", [])
    assert headline("x", None) == (None, [])
    text = "引题\r\n\r\n很长很长的主标题在这里\r\n———记一位老党员"
    assert headline(text, (0, len(text))) == ("很长很长的主标题在这里", ["引题", "记一位老党员"])
