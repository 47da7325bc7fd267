"""Hypothesis fuzzing of the readers: page files, JSONL inputs and labelled-page files.

Whatever the bytes, a reader gives pages or per-file/per-line problems, never a traceback.
"""
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from model.data import page_from_dict, validate_file
from model.predict import InputProblem, PageInput, iter_inputs

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
texty = st.text(alphabet=st.sampled_from(list("中原区委书记鲁燕报讯亿元月日 \n\r\t\u3000，。1234567890ABCabc“”（）𠮷🎉\x0c")),
                min_size=1, max_size=300)


@SETTINGS
@given(texty, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "utf_16_le", "utf_16_be"]))
def test_text_pages_read_back_exactly_in_any_encoding(tmp_path, text, encoding):
    f = tmp_path / "p.txt"
    f.write_bytes(text.encode(encoding))
    (item,) = iter_inputs([f])
    if isinstance(item, PageInput):
        # UTF-8 and BOM'd UTF-16 are certain; GB18030 wins for legacy bytes unless statistics say Big5.
        if encoding.startswith("utf-8") or encoding == "utf-16" or (encoding == "gb18030" and len(text) > 20):
            assert item.text == text
    else:
        assert isinstance(item, InputProblem) and item.source == str(f) and item.message


@SETTINGS
@given(st.binary(min_size=0, max_size=2000))
def test_arbitrary_bytes_never_crash_the_reader(tmp_path, raw):
    f = tmp_path / "p.txt"
    f.write_bytes(raw)
    items = list(iter_inputs([f]))
    assert len(items) == 1 and isinstance(items[0], (PageInput, InputProblem))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 50) | st.text(max_size=8),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.sampled_from(
        ["id", "text", "articles", "entities", "start", "end", "type", "title", "body", "byline", "date"]), c, max_size=5),
    max_leaves=20)


json_lines = st.lists(json_values | st.text(max_size=30), min_size=1, max_size=6)


def _write_lines(f, lines):
    """Each item as a line: JSON values dumped, strings as they are (often not JSON)."""
    f.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                 encoding="utf-8")
    return f


@SETTINGS
@given(json_lines)
def test_labelled_page_files_give_problems_not_tracebacks(tmp_path, lines):
    f = _write_lines(tmp_path / "pages.jsonl", lines)
    pages, problems = validate_file(f)
    for p in problems:
        assert p.startswith(f"{f}:") and len(p) > len(str(f)) + 3
    for page in pages:
        again, more = page_from_dict(page.to_dict())
        assert not more and again == page  # a page that passes validation round-trips


@SETTINGS
@given(json_lines)
def test_jsonl_inputs_give_pages_or_line_problems(tmp_path, lines):
    f = _write_lines(tmp_path / "in.jsonl", lines)
    for item in iter_inputs([f]):
        if isinstance(item, InputProblem):
            assert item.source.startswith(f"{f}:") and item.message
        else:
            assert isinstance(item.text, str) and item.id
