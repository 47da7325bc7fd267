"""predict under messy archives: legacy encodings, odd characters, huge pages, hostile ids."""
import json

import pytest

from conftest import SEED_PAGE
from model.predict import decode_bytes, iter_inputs, run_predict

SIMPLIFIED = "本报讯 1月 13日，中原区政府与河南国创文化发展有限公司举行项目集中签约，总投资额达 180亿元。\n记者 鲁燕\n"
TRADITIONAL = "本報訊 強化項目引領，發動經濟新引擎。中原區政府與河南國創文化發展有限公司在二砂文化創意園聯合舉行項目集中簽約儀式。\n記者 魯燕\n"
PURE_CJK = "区委书记李晓雷主持召开区委常委会会议传达学习全省经济工作会议精神研究部署我区贯彻落实意见"


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL, PURE_CJK], ids=["simplified", "traditional", "no-ascii"])
@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "big5", "utf_16_le", "utf_16_be", "utf-16", "utf-8-sig", "utf-8"])
def test_encodings_are_detected(text, encoding):
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"{encoding} cannot write this text")
    assert decode_bytes(raw)[0] == text


def test_seed_page_in_every_encoding_reads_back(tmp_path):
    text = SEED_PAGE.read_text(encoding="utf-8")
    for enc in ("gb18030", "utf_16_le", "utf_16_be"):
        f = tmp_path / f"{enc}.txt"
        f.write_bytes(text.encode(enc))
        (page,) = iter_inputs([f])
        assert page.text == text, enc


def _check_record(rec, text):
    assert rec["length"] == len(text)
    for e in rec["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    for a in rec["articles"]:
        assert 0 <= a["start"] < a["end"] <= len(text)


def test_line_ends_control_and_astral_characters_keep_offsets(tmp_path):
    """With the shipped model, which finds entities here (the tiny test model finds none)."""
    from transformers import AutoTokenizer

    from model.predict import DEFAULT_MODEL_DIR
    from model.textmap import CharEncoder

    pages = {
        "crlf": "中原区召开会议\r\n\r\n本报讯 1月 13日，区长邓英文出席。\r\n记者 鲁燕\r\n",
        "cr": "中原区召开会议\r\r本报讯 1月 13日，区长邓英文出席。\r记者 鲁燕",
        # A few stray controls in a page of text (a wall of them is a binary file, tested elsewhere).
        "controls": "中原区\x0c召开\x1b会议\x7f\n本报讯\u200b 1月 13日，\u2028区长\x07邓英文出席。\x85记者 鲁燕\n" + SIMPLIFIED * 3,
        "astral": "𠮷野家🎉中原区召开会议\n本报讯 1月 13日，区长邓英文出席🇨🇳。\n記者 魯燕 \U000e0001",
        "unknown": "ꙮ᚛ᚁᚂ᚜中原区召开会议\n本报讯 ①②③ 1月 13日，区长邓英文出席ｱｲｳ。\n记者 鲁燕",
    }
    for name, text in pages.items():
        (tmp_path / f"{name}.txt").write_bytes(text.encode("utf-8"))
    out = tmp_path / "o.jsonl"
    s = run_predict(None, [tmp_path], out, progress=False)
    assert s.pages == len(pages) and not s.failed
    recs = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    enc = CharEncoder.from_tokenizer(AutoTokenizer.from_pretrained(str(DEFAULT_MODEL_DIR)))
    for name, text in pages.items():
        _check_record(recs[name], text)
        # Every character is covered by exactly one token, in order: offsets cannot drift.
        e = enc.encode(text)
        assert e.starts[0] == 0 and e.ends[-1] == len(text) and (e.starts[1:] == e.ends[:-1]).all()
    assert sum(len(r["entities"]) for r in recs.values()) > 0  # the offsets check above was not vacuous


def test_a_page_of_a_million_characters(tiny_model, tmp_path):
    seed = SEED_PAGE.read_text(encoding="utf-8")
    text = (seed * (1_000_000 // len(seed) + 1))[:1_000_000]
    (tmp_path / "huge.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    s = run_predict(tiny_model, [tmp_path / "huge.txt"], out, progress=False)
    assert s.pages == 1 and s.characters == 1_000_000
    (rec,) = map(json.loads, out.read_text(encoding="utf-8").splitlines())
    _check_record(rec, text)


def test_ids_never_become_paths(tiny_model, tmp_path):
    ids = ["../../escape", "/etc/passwd", "a/b\\c", "..", "名字 with spaces\t<b>&", "CON", ""]
    jl = tmp_path / "in.jsonl"
    jl.write_text("".join(json.dumps({"id": i, "text": "中原区召开会议"}, ensure_ascii=False) + "\n" for i in ids),
                  encoding="utf-8")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    before = {p for p in tmp_path.parent.rglob("*")}
    for fmt, name in (("jsonl", "o.jsonl"), ("csv", "o.csv"), ("html", "o.html")):
        run_predict(tiny_model, [jl], run_dir / name, progress=False, fmt=fmt)
    created = {p for p in tmp_path.parent.rglob("*")} - before
    # One output file per run, whatever the ids say; nothing appears anywhere else.
    assert created == {run_dir / "o.jsonl", run_dir / "o.csv", run_dir / "o.html"}
    recs = [json.loads(x) for x in (run_dir / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == [i for i in ids if i]  # an empty id is an input error
    assert "<b>&" not in (run_dir / "o.html").read_text(encoding="utf-8")  # escaped in the page view


def test_gbk_tables_of_numbers_are_not_read_as_big5():
    # Few characters and many digits: statistics alone took this for Big5.
    text = "股票 600519 贵州茅台 1680.50 +2.31%\n" * 3 + "12345 67890 3.14 2.71\n" * 20
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")


def test_short_legacy_bytes_prefer_the_mainland_encoding():
    # Four bytes of GBK are also valid Big5; a mainland archive means GB18030.
    assert decode_bytes("报刊".encode("gbk")) == ("报刊", "gb18030")


def test_unreadable_file_in_a_directory_is_reported_and_the_rest_processed(tiny_model, tmp_path, monkeypatch):
    from pathlib import Path

    d = tmp_path / "pages"
    d.mkdir()
    for name in ("a", "locked", "c"):
        (d / f"{name}.txt").write_text("中原区召开会议\n记者 鲁燕", encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self):
        # Root reads files whatever their mode bits, so the refusal is simulated.
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    out = tmp_path / "o.jsonl"
    s = run_predict(tiny_model, [d], out, progress=False)
    assert s.pages == 2
    assert [(f.source, f.message) for f in s.failed] == [(str(d / "locked.txt"), "cannot read: Permission denied")]
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["a", "c"]


def test_empty_and_whitespace_only_pages_get_empty_records(tiny_model, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    blank = "  \n\n\t \u3000\r\n"
    (tmp_path / "blank.txt").write_bytes(blank.encode("utf-8"))
    out = tmp_path / "o.jsonl"
    s = run_predict(tiny_model, [tmp_path / "empty.txt", tmp_path / "blank.txt"], out, progress=False)
    assert s.pages == 2 and not s.failed
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["length"], r["articles"], r["entities"]) for r in recs] == [
        ("empty", 0, [], []), ("blank", len(blank), [], [])]
