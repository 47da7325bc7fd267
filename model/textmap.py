"""Text → tokens → ids, with exact character offsets. The one owner of offset mapping.

The model reads pages one character at a time, except for layout: each line
break (``\\n``, ``\\r\\n`` or ``\\r``) is one ``[NL]`` token and each run of
horizontal whitespace is one ``[SP]`` token, because line breaks and spacing
carry most of the signal for where an article starts. Every token records the
``[start, end)`` characters it covers, so labels map back to the original text
exactly, whatever the vocabulary knows: unknown, full-width and astral-plane
characters all become one token of their own.

We never let a WordPiece tokenizer split the text; the tokenizer is only a
vocabulary here. That is what keeps offsets exact for any BERT-family
vocabulary (``bert-base-chinese``, ``hfl/chinese-roberta-wwm-ext`` or ours).
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

NL_TOKEN = "[NL]"
SP_TOKEN = "[SP]"
LAYOUT_TOKENS = (NL_TOKEN, SP_TOKEN)
SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")

_NEWLINES = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _is_hspace(ch: str) -> bool:
    return ch in " \t\u3000\xa0" or (unicodedata.category(ch) == "Zs")


@dataclass
class Encoding:
    """Token ids and the character span of each token (numpy arrays of equal length)."""

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def segment(text: str) -> tuple[list[int], list[int]]:
    """Split text into token spans: one per character, one per line break, one per space run."""
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        j = i + 1
        if ch == "\r" and j < n and text[j] == "\n":
            j += 1
        elif _is_hspace(ch):
            while j < n and _is_hspace(text[j]):
                j += 1
        starts.append(i)
        ends.append(j)
        i = j
    return starts, ends


def normalize_char(ch: str) -> str:
    """Lookup form of one character: full-width to half-width, Latin lower-cased."""
    norm = unicodedata.normalize("NFKC", ch)
    if len(norm) != 1:
        return ch
    return norm.lower()


class CharEncoder:
    """Maps text to vocabulary ids through :func:`segment`; offsets are exact by construction."""

    def __init__(self, vocab: dict[str, int]):
        missing = [t for t in ("[UNK]", "[CLS]", "[SEP]", "[PAD]", *LAYOUT_TOKENS) if t not in vocab]
        if missing:
            raise ValueError(
                f"tokenizer vocabulary lacks {missing}; call model.textmap.add_layout_tokens(tokenizer) "
                "and resize the model's embeddings before training"
            )
        self.vocab = vocab
        self.unk_id = vocab["[UNK]"]
        self.cls_id = vocab["[CLS]"]
        self.sep_id = vocab["[SEP]"]
        self.pad_id = vocab["[PAD]"]
        self.nl_id = vocab[NL_TOKEN]
        self.sp_id = vocab[SP_TOKEN]
        self._cache: dict[str, int] = {}

    @classmethod
    def from_tokenizer(cls, tokenizer) -> "CharEncoder":
        return cls(tokenizer.get_vocab())

    def char_id(self, ch: str) -> int:
        cached = self._cache.get(ch)
        if cached is not None:
            return cached
        if ch in _NEWLINES:
            tid = self.nl_id
        elif _is_hspace(ch):
            tid = self.sp_id
        else:
            tid = self.vocab.get(ch)
            if tid is None:
                tid = self.vocab.get(normalize_char(ch), self.unk_id)
        self._cache[ch] = tid
        return tid

    def encode(self, text: str) -> Encoding:
        starts, ends = segment(text)
        ids = [self.char_id(text[s]) for s in starts]
        return Encoding(
            np.asarray(ids, dtype=np.int64),
            np.asarray(starts, dtype=np.int64),
            np.asarray(ends, dtype=np.int64),
        )


def add_layout_tokens(tokenizer) -> int:
    """Add ``[NL]``/``[SP]`` to a hub tokenizer that lacks them; returns how many were added.

    The caller must then ``model.resize_token_embeddings(len(tokenizer))``.
    """
    missing = [t for t in LAYOUT_TOKENS if t not in tokenizer.get_vocab()]
    if missing:
        tokenizer.add_special_tokens({"additional_special_tokens": missing}, replace_extra_special_tokens=False)
    return len(missing)


def build_vocab(texts: Iterable[str], min_freq: int = 1, max_size: int | None = None) -> list[str]:
    """Character vocabulary from a corpus: special and layout tokens, then characters by frequency.

    Characters are counted in their lookup form (:func:`normalize_char`), so
    full-width digits and capitals share the half-width lower-case entry.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(normalize_char(ch) for ch in text if not (ch in _NEWLINES or _is_hspace(ch)))
    chars = [c for c, k in counts.most_common() if k >= min_freq and c not in SPECIAL_TOKENS]
    head = [*SPECIAL_TOKENS, *LAYOUT_TOKENS]
    if max_size is not None:
        chars = chars[: max(0, max_size - len(head))]
    return head + chars


def build_tokenizer(texts: Iterable[str], out_dir: str | Path | None = None, min_freq: int = 1,
                    max_size: int | None = None):
    """A character-level ``BertTokenizerFast`` whose vocabulary comes from ``texts``."""
    from transformers import BertTokenizerFast

    vocab = build_vocab(texts, min_freq=min_freq, max_size=max_size)
    # transformers 5 takes the vocabulary as a dict; 4.x wanted a vocab.txt path.
    try:
        tok = BertTokenizerFast(
            vocab={t: i for i, t in enumerate(vocab)}, do_lower_case=True,
            tokenize_chinese_chars=True, strip_accents=False,
        )
    except TypeError:  # pragma: no cover - transformers 4.x
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            vocab_file = Path(tmp) / "vocab.txt"
            vocab_file.write_text("\n".join(vocab) + "\n", encoding="utf-8")
            tok = BertTokenizerFast(vocab_file=str(vocab_file), do_lower_case=True,
                                    tokenize_chinese_chars=True, strip_accents=False)
    # Layout tokens are never split or lower-cased by the tokenizer itself.
    tok.add_special_tokens({"additional_special_tokens": list(LAYOUT_TOKENS)})
    if out_dir is not None:
        tok.save_pretrained(str(out_dir))
    return tok
