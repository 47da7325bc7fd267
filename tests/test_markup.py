import pytest
from hypothesis import given, settings

from model.data import Entity, Page
from model.markup import MarkupError, export_pages, from_markup, import_pages, to_markup
from test_spans import random_page


def test_round_trip(pages, tmp_path):
    for p in pages:
        assert from_markup(to_markup(p), p.text) == p.entities
    export_pages(pages, tmp_path)
    assert import_pages(tmp_path) == sorted(pages, key=lambda p: p.id)


@given(random_page())
@settings(max_examples=100, deadline=None)
def test_round_trip_random(page):
    assert from_markup(to_markup(page), page.text) == page.entities


def test_edits_become_offsets():
    text = "郑州市副市长潘开\n名出席"
    marked = "⟦郑州市|ORG⟧副市长⟦潘开\n名|OFFICIAL⟧出席"
    assert from_markup(marked, text) == [Entity(0, 3, "ORG"), Entity(6, 10, "OFFICIAL")]


@pytest.mark.parametrize("marked,message", [
    ("⟦郑州市|PLACE⟧副市长潘开\n名出席", "unknown type 'PLACE'"),
    ("⟦郑州市 |ORG⟧副市长潘开\n名出席", "whitespace at an edge"),
    ("郑州市副市长⟦潘开\n名出席", "stray ⟦"),
    ("郑州市付市长潘开\n名出席", "changed at line 1"),
    ("郑州市副市长潘开\n名出 席", "changed at line 2"),
])
def test_problems_are_named(marked, message):
    with pytest.raises(MarkupError, match=message):
        from_markup(marked, "郑州市副市长潘开\n名出席", "x.txt")


def test_unsafe_ids_refused(tmp_path):
    with pytest.raises(MarkupError, match="file name"):
        export_pages([Page("../x", "a")], tmp_path)


def test_cli_markup_unmarkup(pages_file, pages, tmp_path):
    from typer.testing import CliRunner

    from model.cli import app
    from model.data import read_pages

    runner = CliRunner()
    d = tmp_path / "m"
    assert runner.invoke(app, ["data", "markup", str(pages_file), str(d)]).exit_code == 0
    f = d / f"{pages[0].id}.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("|ORG⟧", "|OFFICIAL⟧", 1), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    r = runner.invoke(app, ["data", "unmarkup", str(d), str(out)])
    assert r.exit_code == 0, r.output
    back = {p.id: p for p in read_pages(out)}
    changed = [(a, b) for a, b in zip(pages[0].entities, back[pages[0].id].entities) if a != b]
    assert len(changed) <= 1 and all(b.type == "OFFICIAL" and a.type == "ORG" for a, b in changed)
    assert runner.invoke(app, ["data", "markup", str(pages_file), str(d)]).exit_code == 1
