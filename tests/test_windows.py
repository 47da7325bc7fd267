import pytest
from hypothesis import given, settings, strategies as st

from model.windows import make_windows


@given(n=st.integers(0, 3000), size=st.integers(1, 300), frac=st.floats(0.01, 1.0))
@settings(max_examples=500, deadline=None)
def test_every_token_owned_by_exactly_one_window(n, size, frac):
    stride = max(1, min(size, int(size * frac)))
    ws = make_windows(n, size, stride)
    owned = [0] * n
    for w in ws:
        assert 0 <= w.start <= w.own_start < w.own_end <= w.end <= n
        assert w.end - w.start <= size
        for i in range(w.own_start, w.own_end):
            owned[i] += 1
    assert owned == [1] * n


@given(n=st.integers(2, 2000), size=st.integers(2, 200), frac=st.floats(0.1, 1.0))
@settings(max_examples=300, deadline=None)
def test_owner_is_window_with_most_context(n, size, frac):
    stride = max(1, min(size, int(size * frac)))
    ws = make_windows(n, size, stride)

    def context(w, i):  # context on the short side, the page edge counting as full context
        left = i - w.start if w.start > 0 else n
        right = w.end - 1 - i if w.end < n else n
        return min(left, right)

    for w in ws:
        for i in (w.own_start, w.own_end - 1):
            best = max(context(v, i) for v in ws if v.start <= i < v.end)
            assert context(w, i) == best


def test_short_sequence_is_one_window():
    (w,) = make_windows(10, 64, 48)
    assert (w.start, w.end, w.own_start, w.own_end) == (0, 10, 0, 10)


@pytest.mark.parametrize("size,stride", [(0, 1), (10, 0), (10, 11)])
def test_bad_settings(size, stride):
    with pytest.raises(ValueError):
        make_windows(100, size, stride)


# --- training windows at random offsets (model/train.py) ------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.integers(1, 3000), st.integers(2, 300), st.floats(0.3, 1.0), st.integers(0, 10_000))
def test_random_offset_windows_cover_every_token_and_keep_their_size(n, size, frac, seed):
    import random

    from model.train import training_windows

    stride = max(1, int(size * frac))
    wins = training_windows(n, size, stride, random.Random(seed))
    covered = [False] * n
    for a, b in wins:
        assert 0 <= a < b <= n and b - a == min(size, n)
        covered[a:b] = [True] * (b - a)
    assert all(covered)
    assert wins == training_windows(n, size, stride, random.Random(seed))  # seeded


def test_random_offsets_move_window_edges_and_fixed_ones_are_inferences_tiling():
    import random

    from model.train import training_windows

    fixed = training_windows(2000, 256, 224)
    assert fixed == [(w.start, w.end) for w in make_windows(2000, 256, 224)]
    starts = {s for seed in range(20) for s, _ in training_windows(2000, 256, 224, random.Random(seed))}
    assert len(starts - {s for s, _ in fixed}) > 20  # edges land elsewhere than inference's


def test_window_features_with_random_offsets_keep_labels_on_their_tokens(pages, tiny_encoder):
    from transformers import AutoTokenizer

    from model.spans import page_tags
    from model.textmap import CharEncoder
    from model.train import window_features

    enc = CharEncoder.from_tokenizer(AutoTokenizer.from_pretrained(str(tiny_encoder)))
    page = max(pages, key=lambda p: len(p.text))
    e = enc.encode(page.text)
    zone, ent = page_tags(page, e)
    feats = list(window_features([page], enc, 32, 24, seed=3, random_offsets=True))
    plain = list(window_features([page], enc, 32, 24, seed=3))
    assert [f["input_ids"] for f in feats] != [f["input_ids"] for f in plain]
    for f in feats:
        body = f["input_ids"][1:-1]
        # find where this window sits on the page and check its labels came from there
        starts = [a for a in range(len(e.ids) - len(body) + 1) if e.ids[a:a + len(body)].tolist() == body]
        assert any(f["zone_labels"][1:-1] == zone[a:a + len(body)].tolist()
                   and f["entity_labels"][1:-1] == ent[a:a + len(body)].tolist() for a in starts)
