from model.data import Entity, Page
from model.errors import error_kinds

TEXT = "郑州市副市长潘开名出席。潘开名表示，中原区商务局和河南国创文化发展有限公司投资180亿元。"


def span(s, k=0):
    i = -1
    for _ in range(k + 1):
        i = TEXT.index(s, i + 1)
    return i, i + len(s)


def test_each_kind_is_recognised():
    gold = [Entity(*span("潘开名"), "OFFICIAL"), Entity(*span("潘开名", 1), "OFFICIAL"),
            Entity(*span("中原区商务局"), "ORG"), Entity(*span("河南国创文化发展有限公司"), "ORG"),
            Entity(*span("180亿元"), "AMOUNT")]
    pred = [Entity(*span("副市长潘开名"), "OFFICIAL"),       # title included
            Entity(*span("商务局"), "ORG"),                  # partial
            Entity(*span("河南国创文化发展有限公司"), "AMOUNT"),  # wrong type
            Entity(*span("180亿"), "AMOUNT"),                # off by one
            Entity(*span("出席"), "DATE")]                   # spurious
    kinds = error_kinds(Page("p", TEXT, [], gold), pred)
    assert kinds == {("OFFICIAL", "title included"): 1, ("OFFICIAL", "missed"): 1, ("ORG", "partial"): 1,
                     ("ORG", "wrong type"): 1, ("AMOUNT", "off by one"): 1, ("DATE", "spurious"): 1}


def test_missed_repeated_mention():
    gold = [Entity(*span("潘开名"), "OFFICIAL"), Entity(*span("潘开名", 1), "OFFICIAL")]
    kinds = error_kinds(Page("p", TEXT, [], gold), [gold[0]])
    assert kinds == {("OFFICIAL", "missed repeated mention"): 1}


def test_article_error_kinds():
    from model.data import Article
    from model.errors import article_error_kinds

    text = "标题一\n正文一。\n\n标题二\n正文二。\n\n▲图片说明\n标题三\n正文三。\n"
    starts = [text.index(x) for x in ("标题一", "标题二", "标题三")]
    gold = [Article(starts[0], starts[1] - 2), Article(starts[1], text.index("▲") - 2),
            Article(starts[2], len(text) - 1)]
    page = Page("p", text, gold, [])
    pred = [
        Article(starts[0], starts[1] - 2),             # right
        Article(starts[1], text.index("▲图") + 5),      # start right, runs on over the caption
        Article(text.index("正文三"), len(text) - 1),    # starts a line late
    ]
    assert article_error_kinds(page, pred) == {"end wrong": 1, "start shifted": 1}
    # Two gold articles found as one: the second is merged; a caption far from any start is spurious.
    far = "说明" * 60
    page2 = Page("q", text + far, gold, [])
    merged = [Article(starts[0], text.index("▲") - 2), Article(starts[2], len(text) - 1)]
    kinds = article_error_kinds(page2, merged + [Article(len(text) + 100, len(text) + len(far))])
    assert kinds == {"end wrong": 1, "merged": 1, "spurious": 1}
