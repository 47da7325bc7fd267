from hypothesis import given, settings, strategies as st

from model.textmap import CharEncoder, build_tokenizer, build_vocab, normalize_char, segment

LAYOUT_TEXT = st.text(
    alphabet=st.sampled_from(list("中原区委书记李晓雷12３ＡｂA \t\u3000\n\r，。𠀀😀\x07é")), max_size=200
)


@given(LAYOUT_TEXT)
@settings(max_examples=300, deadline=None)
def test_segment_covers_text_exactly(text):
    starts, ends = segment(text)
    # Tokens tile the text: no gap, no overlap, nothing dropped.
    assert (starts[:1] or [0]) == [0]
    assert all(e == s2 for e, s2 in zip(ends, starts[1:]))
    assert (ends[-1] if ends else 0) == len(text)
    assert "".join(text[s:e] for s, e in zip(starts, ends)) == text


def test_layout_tokens():
    text = "月  13日\r\n达\t180亿\n\n元"
    starts, ends = segment(text)
    toks = [text[s:e] for s, e in zip(starts, ends)]
    assert toks == ["月", "  ", "1", "3", "日", "\r\n", "达", "\t", "1", "8", "0", "亿", "\n", "\n", "元"]


def test_encoder_ids_for_layout_unknown_and_fullwidth(tmp_path):
    tok = build_tokenizer(["中原区 1 a"], tmp_path)
    enc = CharEncoder.from_tokenizer(tok)
    v = tok.get_vocab()
    e = enc.encode("中\n  １Ａ𠀀")
    assert e.ids.tolist() == [v["中"], v["[NL]"], v["[SP]"], v["1"], v["a"], v["[UNK]"]]
    assert list(zip(e.starts.tolist(), e.ends.tolist())) == [(0, 1), (1, 2), (2, 4), (4, 5), (5, 6), (6, 7)]


def test_vocab_counts_lookup_forms():
    vocab = build_vocab(["ＡＡａ", "b"], min_freq=2)
    assert "a" in vocab and "b" not in vocab and "Ａ" not in vocab
    assert vocab[:7] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[NL]", "[SP]"]
    assert normalize_char("１") == "1" and normalize_char("中") == "中"


def test_encoder_rejects_vocab_without_layout_tokens():
    import pytest

    with pytest.raises(ValueError, match=r"\[NL\]"):
        CharEncoder({"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "[PAD]": 3})


def test_tokenizer_loads_with_plain_transformers(tmp_path):
    from transformers import AutoTokenizer

    build_tokenizer(["新闻"], tmp_path)
    tok = AutoTokenizer.from_pretrained(str(tmp_path))
    assert tok.convert_tokens_to_ids("[NL]") != tok.unk_token_id
    assert tok.tokenize("新[NL]闻") == ["新", "[NL]", "闻"]
