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
