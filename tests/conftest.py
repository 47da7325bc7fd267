"""Shared fixtures: small labelled pages and a tiny random-init encoder, made on the spot."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from model.data import Article, Entity, Page, write_pages

REPO = Path(__file__).resolve().parents[1]
SEED_PAGE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_3c26ed271553d5f2.txt"

_NAMES = ["李晓雷", "邓英文", "潘开名", "刘斌", "王东甫", "张丽娜"]
_ORGS = ["中原区政府", "郑州市商务局", "河南国创文化发展有限公司", "区委", "中原公安分局"]
_DATES = ["1月13日", "2023年", "今年", "1月 14日上午"]
_AMOUNTS = ["180亿元", "32个", "2万人", "46.01%"]


def make_page(rng: random.Random, pid: str, n_articles: int = 3, width: int = 14) -> Page:
    """A small page laid out like extracted text, with exact labels."""
    text = ""
    articles: list[Article] = []
    entities: list[Entity] = []

    def add(s: str) -> tuple[int, int]:
        nonlocal text
        start = len(text)
        text += s
        return start, len(text)

    add("政 务\n\n")
    for a in range(n_articles):
        t0, t1 = add(f"中原区召开第{a + 1}次推进会")
        add("\n\n")
        b0 = len(text)
        add("本报讯 ")
        for _ in range(rng.randint(2, 5)):
            kind = rng.choice(["OFFICIAL", "ORG", "DATE", "AMOUNT"])
            surface = rng.choice({"OFFICIAL": _NAMES, "ORG": _ORGS, "DATE": _DATES, "AMOUNT": _AMOUNTS}[kind])
            if kind == "OFFICIAL":
                add("区委书记")
            s, e = add(surface)
            entities.append(Entity(s, e, kind))
            add(rng.choice(["出席会议，", "表示，", "在会上指出。", "共计 "]))
            if rng.random() < 0.4:
                add("\n")
        add("推动项目建设。")
        b1 = len(text)
        add("\n")
        y0, y1 = add("记者 鲁燕")
        articles.append(Article(t0, y1, (t0, t1), (b0, b1), (y0, y1)))
        add("\n\n")
    return Page(pid, text, articles, entities)


@pytest.fixture(scope="session")
def pages() -> list[Page]:
    rng = random.Random(0)
    return [make_page(rng, f"p{i}", n_articles=rng.randint(1, 4)) for i in range(12)]


@pytest.fixture(scope="session")
def pages_file(tmp_path_factory, pages) -> Path:
    path = tmp_path_factory.mktemp("data") / "pages.jsonl"
    write_pages(pages, path)
    return path


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory, pages) -> Path:
    """A random-init 2-layer BERT with a character vocabulary from the test pages."""
    from transformers import BertConfig, BertModel

    from model.textmap import build_tokenizer

    out = tmp_path_factory.mktemp("encoder")
    texts = [p.text for p in pages]
    if SEED_PAGE.is_file():
        texts.append(SEED_PAGE.read_text(encoding="utf-8"))
    tok = build_tokenizer(texts, out)
    cfg = BertConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=72)
    BertModel(cfg, add_pooling_layer=False).save_pretrained(out)
    return out


def write_config(path: Path, **values) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, tiny_encoder, pages_file) -> Path:
    """A tagger trained for a few steps on the test pages (shared by the slower tests)."""
    from model.config import load_train_config
    from model.train import train

    tmp = tmp_path_factory.mktemp("run")
    cfg = write_config(tmp / "c.yaml", model=str(tiny_encoder), train_files=[str(pages_file)],
                       dev_files=[str(pages_file)], output_dir=str(tmp / "model"), window=64, stride=48,
                       max_steps=30, batch_size=8, learning_rate=5e-3, logging_steps=10, eval_steps=15,
                       patience=None)
    train(load_train_config(cfg))
    return tmp / "model"
