import numpy as np
from hypothesis import given, settings, strategies as st

from model.data import Article, Entity, Page
from model.predict import Predictor
from model.schema import ENTITY_LABELS, ZONE_LABELS
from model.spans import articles_from_zones, decode, page_tags, tags_to_token_spans
from model.textmap import Encoding, segment

Z = {l: i for i, l in enumerate(ZONE_LABELS)}
E = {l: i for i, l in enumerate(ENTITY_LABELS)}


def enc_of(text):
    s, e = segment(text)
    return Encoding(np.arange(len(s)), np.asarray(s), np.asarray(e))


def test_i_without_b_opens_a_span():
    tags = [E[t] for t in ["O", "I-ORG", "I-ORG", "B-DATE", "I-ORG", "O"]]
    assert tags_to_token_spans(tags, ENTITY_LABELS) == [("ORG", 1, 3), ("DATE", 3, 4), ("ORG", 4, 5)]


def test_bridge_joins_zone_gap_only_for_same_type():
    tags = [Z[t] for t in ["B-BODY", "I-BODY", "O", "I-BODY", "O", "I-TITLE"]]
    assert tags_to_token_spans(tags, ZONE_LABELS, bridge=True) == [("BODY", 0, 4), ("TITLE", 5, 6)]
    assert tags_to_token_spans(tags, ZONE_LABELS) == [("BODY", 0, 2), ("BODY", 3, 4), ("TITLE", 5, 6)]


def test_articles_from_zones_orders_and_splits():
    zones = [("TITLE", 0, 5), ("BODY", 9, 20), ("BYLINE", 21, 25), ("BODY", 27, 40), ("TITLE", 42, 45),
             ("TITLE", 47, 50), ("BYLINE", 52, 55)]
    arts = articles_from_zones(zones)
    assert [(a.start, a.end) for a in arts] == [(0, 25), (27, 40), (42, 45), (47, 55)]
    assert arts[0].title == (0, 5) and arts[0].body == (9, 20) and arts[0].byline == (21, 25)
    assert arts[3].title == (47, 50) and arts[3].body is None and arts[3].byline == (52, 55)


def test_decode_trims_and_cuts_entities_at_article_edges():
    text = "标题\n\n正文李晓雷\n记者 鲁燕\n标题二\n正文"
    enc = enc_of(text)
    zone = np.zeros(len(enc), np.int64)
    ent = np.zeros(len(enc), np.int64)
    # body covers "正文李晓雷\n" (trailing newline must be trimmed)
    for i, (s, e) in enumerate(zip(enc.starts, enc.ends)):
        if s < 2:
            zone[i] = Z["B-TITLE"] if s == 0 else Z["I-TITLE"]
        elif 4 <= s <= 9:
            zone[i] = Z["B-BODY"] if s == 4 else Z["I-BODY"]
        elif 10 <= s < 15:
            zone[i] = Z["B-BYLINE"] if s == 10 else Z["I-BYLINE"]
        elif 16 <= s < 19:
            zone[i] = Z["B-TITLE"] if s == 16 else Z["I-TITLE"]
    # an entity running from the name over the article's end
    for i, s in enumerate(enc.starts):
        if 6 <= s < 17:
            ent[i] = E["B-OFFICIAL"] if s == 6 else E["I-OFFICIAL"]
    arts, ents = decode(text, enc, zone, ent)
    assert [(a.start, a.end) for a in arts] == [(0, 15), (16, 19)]
    assert arts[0].body == (4, 9)
    assert [(e.start, e.end, e.type) for e, _ in ents] == [(6, 15, "OFFICIAL")]


def test_page_tags_round_trip(pages):
    for page in pages:
        enc = enc_of(page.text)
        zt, et = page_tags(page, enc)
        arts, ents = decode(page.text, enc, zt, et)
        assert arts == page.articles
        assert [e for e, _ in ents] == page.entities


# Random labelled pages: random text with layout characters, random non-overlapping spans.
CHARS = list("中原区委书记李晓雷１２3ＡbＣ，。、𠀀😀") + [" ", "  ", "\n", "\r\n", "\u3000"]


@st.composite
def random_page(draw):
    pieces = draw(st.lists(st.sampled_from(CHARS), min_size=1, max_size=400))
    text = "".join(pieces)
    n = len(text)
    cuts = sorted(set(draw(st.lists(st.integers(0, n), max_size=30))))
    ents = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        s, e = a, b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e and not (text[s] == "\n" and s > 0 and text[s - 1] == "\r"):
            ents.append(Entity(s, e, draw(st.sampled_from(["OFFICIAL", "ORG", "DATE", "AMOUNT"]))))
    return Page("r", text, [], ents)


class _FakePredictor(Predictor):
    """Windowing and merging of the real Predictor; the 'model' reads gold tags back."""

    line_zones = False  # random pages put zone edges anywhere; line decoding is tested below
    split_penalty = 0.0  # random pages put mentions side by side

    def __init__(self, gold_zone, gold_ent, window, stride):
        self.window, self.stride = window, stride
        self.gold_zone, self.gold_ent = gold_zone, gold_ent

    def _run(self, chunks, rules=None):
        # ids are token positions, so each chunk says which gold tags it covers;
        # the gold tag gets nearly all the probability
        def logp(tags, k):
            p = np.full((len(tags), k), 1e-4)
            p[np.arange(len(tags)), tags] = 1.0
            return np.log(p / p.sum(1, keepdims=True)).astype(np.float32)

        return [(logp(self.gold_zone[c], len(ZONE_LABELS)), logp(self.gold_ent[c], len(ENTITY_LABELS))) for c in chunks]


@given(random_page(), st.integers(2, 64), st.floats(0.2, 1.0))
@settings(max_examples=200, deadline=None)
def test_offsets_survive_windowing_and_merging(page, window, frac):
    enc = enc_of(page.text)
    zt, et = page_tags(page, enc)
    fake = _FakePredictor(zt, et, window, max(1, int(window * frac)))
    (z, t, s), = fake.predict_encoded([enc])
    assert (z == zt).all() and (t == et).all()
    _, ents = decode(page.text, enc, z, t, s)
    assert [e for e, _ in ents] == page.entities
    for e, _ in ents:
        assert page.text[e.start:e.end] == page.text[e.start:e.end].strip()


def test_window_metrics_score_repaired_tags():
    from types import SimpleNamespace

    from model.train import window_metrics

    gold_e = np.array([[-100, E["B-ORG"], E["I-ORG"], E["O"], -100]])
    pred_e = np.array([[0, E["I-ORG"], E["I-ORG"], E["O"], 0]])  # no B-: the decoder still reads one ORG
    zone = np.array([[-100, Z["B-BODY"], Z["I-BODY"], Z["I-BODY"], -100]])
    m = window_metrics(SimpleNamespace(predictions=(zone, pred_e), label_ids=(zone, gold_e)))
    assert m["entity_f1"] == 1.0 and m["zone_f1"] == 1.0


def _logp(rows):
    p = np.asarray(rows, dtype=np.float64) + 1e-6
    return np.log(p / p.sum(1, keepdims=True))


def test_viterbi_keeps_a_span_whole_that_argmax_breaks():
    from model.spans import viterbi

    labels = ENTITY_LABELS
    o, b, i = 0, labels.index("B-DATE"), labels.index("I-DATE")

    def row(**p):
        r = [0.01] * len(labels)
        for k, v in p.items():
            r[{"o": o, "b": b, "i": i}[k]] = v
        return r

    # argmax: B I O I O, i.e. "12月" "11日凌" "晨" read as two dates with a gap.
    rows = [row(b=0.5), row(i=0.5), row(o=0.5, i=0.4), row(i=0.5, b=0.1), row(o=0.9)]
    tags = viterbi(_logp(rows), labels)
    assert [labels[t] for t in tags] == ["B-DATE", "I-DATE", "I-DATE", "I-DATE", "O"]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(0, 10_000), st.sampled_from(["zone", "entity"]))
def test_viterbi_obeys_the_schema_and_matches_valid_argmax(n, seed, layer):
    from model.spans import viterbi

    labels = ZONE_LABELS if layer == "zone" else ENTITY_LABELS
    rng = np.random.default_rng(seed)
    logp = _logp(rng.random((n, len(labels))) ** 4)
    tags = [labels[t] for t in viterbi(logp, labels)]
    for prev, cur in zip(["O", *tags], tags):
        if cur.startswith("I-"):
            assert prev[2:] == cur[2:] and prev != "O", (prev, cur)
    # When per-token argmax is already a valid sequence, it is the best path.
    arg = [labels[t] for t in logp.argmax(1)]
    if all(not c.startswith("I-") or (p != "O" and p[2:] == c[2:]) for p, c in zip(["O", *arg], arg)):
        assert tags == arg


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([0.1, 0.5, 2.0]), st.sampled_from(["zone", "entity"]))
def test_chunked_viterbi_agrees_with_the_whole_page_path(seed, concentration, layer):
    from model.spans import _viterbi_batch, viterbi

    labels = ZONE_LABELS if layer == "zone" else ENTITY_LABELS
    rng = np.random.default_rng(seed)
    logp = np.log(rng.dirichlet(np.ones(len(labels)) * concentration, size=3000) + 1e-9)
    exact = _viterbi_batch(logp[None], labels, np.array([True]))[0]
    assert (viterbi(logp, labels, chunk=128, margin=32) == exact).all()


def _seed_gold():
    import json
    from pathlib import Path

    from model.data import page_from_record

    rec = json.loads((Path(__file__).resolve().parents[1] / "data/gold/seed.jsonl").read_text(encoding="utf-8"))
    return page_from_record(rec)


def test_line_viterbi_recovers_line_zones_that_token_noise_breaks():
    from model.spans import line_viterbi, viterbi
    from model.textmap import CharEncoder

    page = _seed_gold()
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[NL]", "[SP]"])}
    enc = CharEncoder(vocab).encode(page.text)  # only the layout ids matter here
    gold, _ = page_tags(page, enc)
    rng = np.random.default_rng(0)
    p = np.full((len(enc), len(ZONE_LABELS)), 0.02)
    p[np.arange(len(enc)), gold] = 0.9
    # One token in twenty inside a line (not the first of its line) is read wrongly with confidence.
    starts_line = np.r_[True, enc.ids[:-1] == vocab["[NL]"]]
    noisy = (rng.random(len(enc)) < 0.05) & ~starts_line
    p[noisy] = 0.02
    p[noisy, rng.integers(0, len(ZONE_LABELS), noisy.sum())] = 0.9
    logp = np.log(p / p.sum(1, keepdims=True))
    lines = line_viterbi(logp, ZONE_LABELS, enc.ids, CharEncoder(vocab).nl_id, CharEncoder(vocab).sp_id)
    assert (lines == gold).all()
    tokens = viterbi(logp, ZONE_LABELS)
    assert (tokens != gold).sum() > 10  # the token-level path is broken where the noise is
    arts = articles_from_zones([(t, int(enc.starts[a]), int(enc.ends[b - 1]))
                                for t, a, b in tags_to_token_spans(lines, ZONE_LABELS)])
    assert [(a.start, a.end) for a in arts] == [(a.start, a.end) for a in page.articles]


def test_chunked_viterbi_falls_back_when_a_span_crosses_the_seams():
    from model.spans import _viterbi_batch, viterbi

    labels = ZONE_LABELS
    logp = np.full((1000, len(labels)), -20.0)
    logp[0, labels.index("B-TITLE")] = 0.0
    # After one B-TITLE, I-TITLE and I-BODY are nearly tied all the way: only the start decides.
    logp[1:, labels.index("I-TITLE")] = -0.70
    logp[1:, labels.index("I-BODY")] = -0.69
    exact = _viterbi_batch(logp[None], labels, np.array([True]))[0]
    assert set(exact[1:]) == {labels.index("I-TITLE")}
    assert (viterbi(logp, labels, chunk=128, margin=32) == exact).all()


def test_line_viterbi_ends_a_zone_at_its_last_character_across_blank_lines():
    from model.spans import line_viterbi

    labels = ZONE_LABELS
    nl, sp, x = 5, 6, 10
    ids = np.array([x, x, sp, nl, nl, sp, nl, x])  # "ab \n\n \nc": a body, blank lines, a title
    want = ["B-BODY", "I-BODY", "O", "O", "O", "O", "O", "B-TITLE"]
    logp = np.full((len(ids), len(labels)), -20.0)
    for t, lab in enumerate(["B-BODY", "I-BODY", "I-BODY", "I-BODY", "I-BODY", "I-BODY", "I-BODY", "B-TITLE"]):
        logp[t, labels.index(lab)] = 0.0
    assert [labels[t] for t in line_viterbi(logp, labels, ids, nl, sp)] == want


def test_zone_split_penalty_keeps_a_weakly_reopened_body_in_its_article():
    from model.spans import line_viterbi

    labels = ZONE_LABELS
    nl, x = 5, 10
    ids = np.array([x, x, nl, x, x, nl, x, x])  # three lines of body text
    logp = np.full((len(ids), len(labels)), -20.0)
    logp[:, labels.index("I-BODY")] = -0.5
    logp[:2, labels.index("B-BODY")] = 0.0
    # The third line's first character leans to opening a new body, a little.
    logp[6, labels.index("B-BODY")] = -0.2
    tags = lambda pen: [labels[t] for t in line_viterbi(logp, labels, ids, nl, 6, split_penalty=pen)]  # noqa: E731
    assert tags(0.0)[6] == "B-BODY"  # without the penalty: a second article
    assert tags(2.0)[6] == "I-BODY" and tags(2.0).count("B-BODY") == 1
    strong = logp.copy()
    strong[6, labels.index("B-BODY")], strong[6, labels.index("I-BODY")] = 0.0, -8.0
    assert [labels[t] for t in line_viterbi(strong, labels, ids, nl, 6, split_penalty=2.0)][6] == "B-BODY"


def test_split_penalty_keeps_a_weakly_split_mention_whole():
    from model.spans import transitions, viterbi

    labels = ENTITY_LABELS
    b, i = labels.index("B-DATE"), labels.index("I-DATE")
    # "2023年" where the tagger likes B- on every "2": B I B(0.68)/I(0.25) I I
    p = np.full((5, len(labels)), 0.01)
    p[0, b] = p[1, i] = p[3, i] = p[4, i] = 0.9
    p[2, b], p[2, i] = 0.68, 0.25
    logp = np.log(p / p.sum(1, keepdims=True))
    assert [labels[t] for t in viterbi(logp, labels)] == ["B-DATE", "I-DATE", "B-DATE", "I-DATE", "I-DATE"]
    assert [labels[t] for t in viterbi(logp, labels, split_penalty=2.0)] == ["B-DATE"] + ["I-DATE"] * 4
    # A confident second mention still opens (市委|市政府: B- 0.95 against I- 0.02).
    p[2, b], p[2, i] = 0.95, 0.02
    logp = np.log(p / p.sum(1, keepdims=True))
    assert labels[viterbi(logp, labels, split_penalty=2.0)[2]] == "B-DATE"
    t = transitions(labels, 2.0)
    assert t[labels.index("O"), i] == -np.inf and t[i, b] == -2.0 and t[labels.index("I-ORG"), b] == 0.0


def test_propagate_mentions_tags_every_other_occurrence_of_a_name():
    from model.spans import propagate_mentions

    text = "区长邓英文出席。邓英文强调，邓英文化馆和区政府。邓"
    first = text.index("邓英文")
    found = [(Entity(first, first + 3, "OFFICIAL"), 0.9), (Entity(text.index("区政府"), text.index("区政府") + 3, "ORG"), 0.8)]
    # An ORG already found over the third 邓英文 would block it; here a made-up span covers 文化馆.
    blocker = text.index("文化馆")
    found.append((Entity(blocker, blocker + 3, "ORG"), 0.5))
    out = propagate_mentions(text, found)
    officials = [(e.start, text[e.start:e.end], s) for e, s in out if e.type == "OFFICIAL"]
    second = text.index("邓英文", first + 1)
    assert officials == [(first, "邓英文", 0.9), (second, "邓英文", 0.9)]  # the third overlaps an ORG: left alone
    orgs = sorted((e for e, _ in found if e.type == "ORG"), key=lambda e: e.start)
    assert [e for e, _ in out if e.type == "ORG"] == orgs  # ORG is not copied
    assert out == sorted(out, key=lambda es: (es[0].start, es[0].end))


def test_propagate_mentions_respects_articles_and_short_names():
    from model.spans import propagate_mentions

    text = "李明说。\n\n新闻李\n明说。李明到场。王说，王到场。"
    a1_end = text.index("\n\n")
    articles = [Article(0, a1_end, None, (0, a1_end), None), Article(a1_end + 2, len(text), None, (a1_end + 2, len(text)), None)]
    found = [(Entity(0, 2, "OFFICIAL"), 0.7), (Entity(text.index("王"), text.index("王") + 1, "OFFICIAL"), 0.6)]
    out = propagate_mentions(text, found, articles)
    spans = [(text[e.start:e.end], e.start) for e, _ in out]
    # 李明 in the second article is found again (a page-wide name); 李\n明 is another string;
    # one-character 王 is not copied.
    assert spans == [("李明", 0), ("李明", text.index("李明到场")), ("王", text.index("王"))]
    crossing = "甲乙丙"
    arts = [Article(0, 1, None, (0, 1), None), Article(1, 3, None, (1, 3), None)]
    assert propagate_mentions(crossing + crossing, [(Entity(3, 6, "OFFICIAL"), 1.0)], arts + [Article(3, 6, None, (3, 6), None)]) \
        == [(Entity(3, 6, "OFFICIAL"), 1.0)]  # the copy at 0-3 would cross the article edge at 1


def test_name_copying_follows_the_predictors_setting():
    """A rule-feature tagger's config turns propagation off; the predictor must then return the decoded spans only."""
    text = "区长邓英文出席。\n\n邓英文表示，项目推进。"
    page = Page("p", text, [Article(0, len(text), None, (0, len(text)), None)], [Entity(2, 5, "OFFICIAL")])
    enc = enc_of(text)
    zt, et = page_tags(page, enc)
    fake = _FakePredictor(zt, et, 64, 48)
    lp = fake.page_logprobs([enc])[0]
    copied = [e for e, _ in fake.page_prediction(text, enc, *lp).entities]
    assert copied == [Entity(2, 5, "OFFICIAL"), Entity(10, 13, "OFFICIAL")]
    fake.propagate = False
    assert [e for e, _ in fake.page_prediction(text, enc, *lp).entities] == [Entity(2, 5, "OFFICIAL")]
