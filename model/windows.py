"""Windowing: cut a long token sequence into overlapping windows, and merge them back.

A page of 3,000–12,000 characters is far longer than an encoder's window, so
it is read as overlapping windows. Each token takes its label from the window
where it has the most context on its *short* side (the window in which it sits
furthest from an edge); for evenly strided windows that is the half of each
overlap nearer to the window's centre. Nothing is truncated: every token is
owned by exactly one window.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    """Tokens ``[start, end)`` are fed to the model; tokens ``[own_start, own_end)`` take its labels."""

    start: int
    end: int
    own_start: int
    own_end: int


def make_windows(n: int, size: int, stride: int) -> list[Window]:
    """Windows of at most ``size`` tokens every ``stride`` tokens, the last one flush with the end."""
    if size < 1:
        raise ValueError(f"window size must be at least 1, got {size}")
    if not 1 <= stride <= size:
        raise ValueError(f"stride must be between 1 and the window size {size}, got {stride}")
    if n <= 0:
        return []
    if n <= size:
        return [Window(0, n, 0, n)]
    starts = list(range(0, n - size, stride))
    starts.append(n - size)
    spans = [(s, s + size) for s in starts]
    # Ownership boundary between neighbours: a token belongs to the later window
    # once its distance from that window's start exceeds its distance from the
    # earlier window's end.
    bounds = [0]
    for (s0, e0), (s1, e1) in zip(spans, spans[1:]):
        bounds.append((e0 - 1 + s1) // 2 + 1)
    bounds.append(n)
    return [Window(s, e, bounds[k], bounds[k + 1]) for k, (s, e) in enumerate(spans)]
