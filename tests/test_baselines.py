from model.baselines import line_articles, rule_entities
from model.compare import compare, format_table

PAGE = "政 务\n\n中原区召开推进会\n\n本报讯 1月12日，区长邓英文出席会议，\n强调要抓好项目。\n记者 鲁燕\n\n新春消费季启动\n\n本报讯 活动由区商务局主办。"


def test_line_articles_split_at_headline_blocks():
    arts = line_articles(PAGE)
    assert [PAGE[a.title[0]:a.title[1]] for a in arts] == ["中原区召开推进会", "新春消费季启动"]
    assert PAGE[arts[0].byline[0]:arts[0].byline[1]] == "记者 鲁燕"
    assert arts[1].byline is None and PAGE[arts[1].body[0]:arts[1].body[1]].startswith("本报讯")
    # the spaced section label is furniture, not a headline
    assert all(a.start > PAGE.index("政 务") + 3 for a in arts)


def test_rule_baseline_finds_entities_without_gold_help():
    found = {(e.type, PAGE[e.start:e.end]) for e in rule_entities(PAGE)}
    assert ("OFFICIAL", "邓英文") in found and ("DATE", "1月12日") in found


def test_compare_scores_each_system_on_its_own_scope(tiny_model, pages_file):
    r = compare({"tiny": tiny_model}, [pages_file], tiny_model)
    rows = r["systems"]
    assert rows["line heuristic (articles)"]["ORG"] is None and rows["line heuristic (articles)"]["article span F1"] is not None
    assert rows["rules (pre-annotator)"]["article span F1"] is None and rows["rules (pre-annotator)"]["OFFICIAL"] is not None
    assert all(rows["tiny"][k] is not None for k in rows["tiny"])
    if "jionlp money/time" in rows:
        assert rows["jionlp money/time"]["ORG"] is None and rows["jionlp money/time"]["AMOUNT"] is not None
    table = format_table(r)
    assert "| tiny |" in table and "—" in table
