"""Rule features: the rules' tags as tagger input (model/features.py), from config to prediction."""
from __future__ import annotations

import json
import random
import shutil

import numpy as np
import pytest
import torch
from conftest import write_config

from model.config import ConfigError, load_train_config
from model.features import rule_spans, rule_tags
from model.heads import ModelFileError, load_tagger
from model.predict import Predictor
from model.schema import ENTITY_LABELS
from model.spans import spans_to_tags, tags_to_token_spans
from model.textmap import CharEncoder


@pytest.fixture(scope="module")
def encoder(tiny_encoder) -> CharEncoder:
    from transformers import AutoTokenizer

    return CharEncoder.from_tokenizer(AutoTokenizer.from_pretrained(str(tiny_encoder)))


@pytest.fixture(scope="module")
def rules_model(tmp_path_factory, tiny_model, pages_file):
    """The tiny tagger trained further with rule features (what configs/default-rules.yaml does)."""
    from model.train import train

    tmp = tmp_path_factory.mktemp("rules")
    cfg = write_config(tmp / "c.yaml", model=str(tiny_model), train_files=[str(pages_file)], output_dir=str(tmp / "m"),
                       window=64, stride=48, max_steps=12, batch_size=8, learning_rate=5e-3, logging_steps=6,
                       patience=None, rule_features=True, rule_dropout=0.3)
    train(load_train_config(cfg))
    return tmp / "m"


def test_rule_tags_are_the_rules_spans_on_tokens(pages, encoder):
    found = 0
    for page in pages:
        enc = encoder.encode(page.text)
        spans = rule_spans(page.text)
        found += len(spans)
        assert (rule_tags(page.text, enc) == spans_to_tags(spans, enc, ENTITY_LABELS)).all()
    assert found > len(pages)  # the test pages carry dates, amounts and titled officials the rules know


def test_rule_dropout_hides_whole_spans_and_is_seeded(pages, encoder):
    page = max(pages, key=lambda p: len(rule_spans(p.text)))
    enc = encoder.encode(page.text)
    full = set(tags_to_token_spans(rule_tags(page.text, enc), ENTITY_LABELS))
    kept = set(tags_to_token_spans(rule_tags(page.text, enc, 0.5, random.Random(3)), ENTITY_LABELS))
    assert kept < full  # a strict subset: spans go whole or not at all
    again = set(tags_to_token_spans(rule_tags(page.text, enc, 0.5, random.Random(3)), ENTITY_LABELS))
    assert kept == again


def test_gaining_rule_features_starts_from_the_same_outputs(tmp_path, tiny_model, pages_file, pages, encoder):
    """The rule embeddings start at zero, so continuing a tagger with rule features changes nothing before training."""
    from model.train import build_model, load_tokenizer

    cfg = load_train_config(write_config(tmp_path / "c.yaml", model=str(tiny_model), train_files=[str(pages_file)],
                                         output_dir=str(tmp_path / "o"), window=64, stride=48, rule_features=True))
    model = build_model(cfg, load_tokenizer(cfg.model)).eval()
    plain = load_tagger(tiny_model)
    enc = encoder.encode(pages[0].text)
    ids = torch.as_tensor(enc.ids[:60])[None]
    tags = torch.as_tensor(rule_tags(pages[0].text, enc)[:60])[None]
    assert tags.any()
    with torch.no_grad():
        a = model(input_ids=ids, rule_tags=tags).entity_logits
        b = plain(input_ids=ids).entity_logits
    assert torch.allclose(a, b, atol=1e-5)
    with pytest.raises(ValueError, match="rule_tags"):
        model(input_ids=ids)


def test_a_rule_feature_tagger_saves_loads_and_reads_the_rules(rules_model, pages):
    model = load_tagger(rules_model)
    assert model.rule_embeddings is not None and model.rule_embeddings.weight.abs().sum() > 0
    p = Predictor(rules_model, precision="fp32")
    assert p.rule_features and not p.propagate  # the rules already copy names to later mentions
    text = pages[0].text
    enc = p.encoder.encode(text)
    ids = [enc.ids[:60]]
    with_rules = p._run(ids, [rule_tags(text, enc)[:60]])[0][1]
    without = p._run(ids, [np.zeros(60, np.int64)])[0][1]
    assert not np.allclose(with_rules, without)
    with pytest.raises(ValueError, match="texts"):
        p.page_logprobs([enc])
    (pred,) = p.predict_texts([text])
    assert all(0 <= e.start < e.end <= len(text) for e, _ in pred.entities)


def test_a_config_that_promises_rule_features_without_their_weights_is_refused(tmp_path, tiny_model):
    bad = tmp_path / "m"
    shutil.copytree(tiny_model, bad)
    cfg = json.loads((bad / "config.json").read_text(encoding="utf-8"))
    cfg["baokan"]["rule_features"] = True
    (bad / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ModelFileError, match="rule_embeddings"):
        load_tagger(bad)


@pytest.mark.parametrize("values, problem", [
    ({"rule_features": True, "rule_dropout": 1.0}, "'rule_dropout': expected a number from 0"),
    ({"rule_features": True, "rule_dropout": -0.1}, "'rule_dropout': expected a number from 0"),
    ({"rule_dropout": 0.2}, "'rule_dropout' is set but 'rule_features' is false"),
])
def test_rule_settings_are_checked(tmp_path, pages_file, values, problem):
    path = write_config(tmp_path / "c.yaml", model=str(tmp_path), train_files=[str(pages_file)],
                        output_dir=str(tmp_path / "o"), **values)
    with pytest.raises(ConfigError, match=problem):
        load_train_config(path)


def test_continuing_a_rule_feature_tagger_without_them_is_refused(tmp_path, rules_model, pages_file):
    from model.train import TrainError, build_model, load_tokenizer

    cfg = load_train_config(write_config(tmp_path / "c.yaml", model=str(rules_model), train_files=[str(pages_file)],
                                         output_dir=str(tmp_path / "o"), window=64, stride=48))
    with pytest.raises(TrainError, match="rule_features: true"):
        build_model(cfg, load_tokenizer(cfg.model))


def test_against_rules_accounts_for_every_gold_model_and_rule_span(rules_model, pages_file, pages):
    from model.compare import against_rules

    counts = against_rules(rules_model, [pages_file])
    preds = Predictor(rules_model).predict_texts([p.text for p in pages])
    for t, row in counts.items():
        gold = sum(len({(e.start, e.end) for e in p.entities if e.type == t}) for p in pages)
        model = sum(len({(e.start, e.end) for e, _ in q.entities if e.type == t}) for q in preds)
        rules = sum(len({(s, e) for typ, s, e in rule_spans(p.text) if typ == t}) for p in pages)
        assert row["both right"] + row["model adds"] + row["model drops right"] + row["neither"] == gold
        assert row["both right"] + row["model adds"] + row["model spurious"] + row["copied wrong"] == model
        assert row["both right"] + row["model drops right"] + row["model drops wrong"] + row["copied wrong"] == rules
    # What the tiny tagger learns in 12 steps varies between machines, so only the rules' side is pinned down:
    # the rules get some spans right on these pages, whichever way the model went with them.
    assert sum(r["both right"] + r["model drops right"] for r in counts.values()) > 0


# --- rule bias: decoding that trusts the rules by so many nats -------------------------------

def test_rule_bias_raises_the_rule_tag_and_keeps_distributions():
    from model.predict import apply_rule_bias

    rng = np.random.default_rng(0)
    lp = np.log(rng.dirichlet(np.ones(len(ENTITY_LABELS)), size=20)).astype(np.float32)
    rules = rng.integers(0, len(ENTITY_LABELS), size=20)
    out = apply_rule_bias(lp, rules, 2.0)
    assert np.allclose(np.exp(out).sum(1), 1.0, atol=1e-5)
    rows = np.arange(20)
    # The rule tag's odds against every other tag grow by exactly e^2; two other tags keep their odds.
    other, third = (rules + 1) % len(ENTITY_LABELS), (rules + 2) % len(ENTITY_LABELS)
    assert np.allclose((out[rows, rules] - out[rows, other]) - (lp[rows, rules] - lp[rows, other]), 2.0, atol=1e-5)
    assert np.allclose(out[rows, other] - out[rows, third], lp[rows, other] - lp[rows, third], atol=1e-5)
    assert np.allclose(apply_rule_bias(lp, rules, 0.0), lp, atol=1e-5)
    before = lp.copy()  # the input is left as it was
    apply_rule_bias(lp, rules, 3.0)
    assert np.array_equal(lp, before)


def test_a_large_rule_bias_decodes_the_rules_spans(rules_model, pages):
    text = pages[0].text
    rules = sorted((t, s, e) for t, s, e in rule_spans(text))
    assert rules  # the test needs rule spans on the page
    trusting = Predictor(rules_model, precision="fp32", rule_bias=60.0).predict_texts([text])[0]
    got = sorted((e.type, e.start, e.end) for e, _ in trusting.entities)
    assert got == rules
    assert all(0.99 < s <= 1.0 + 1e-6 for _, s in trusting.entities)


def test_rule_bias_comes_from_the_models_config_and_is_checked(tmp_path, rules_model):
    d = tmp_path / "m"
    shutil.copytree(rules_model, d)
    cfg = json.loads((d / "config.json").read_text())
    assert Predictor(d).rule_bias == 0.0  # a model without the key decodes with the tagger alone
    cfg.setdefault("baokan", {})["rule_bias"] = 4
    (d / "config.json").write_text(json.dumps(cfg))
    assert Predictor(d).rule_bias == 4.0
    assert Predictor(d, rule_bias=1.5).rule_bias == 1.5
    for bad in (-1.0, float("inf"), float("nan")):
        with pytest.raises(ValueError, match="rule_bias"):
            Predictor(d, rule_bias=bad)
    for bad in (None, "strong", -3):
        cfg["baokan"]["rule_bias"] = bad
        (d / "config.json").write_text(json.dumps(cfg))
        if bad is None:
            assert Predictor(d).rule_bias == 0.0  # null is the same as absent
            continue
        with pytest.raises(ValueError, match=r"rule_bias .*config\.json"):
            Predictor(d)


def test_the_cli_refuses_a_negative_rule_bias_and_writes_nothing(tmp_path, rules_model):
    from typer.testing import CliRunner

    from model.cli import app

    page = tmp_path / "p.txt"
    page.write_text("区长邓英文出席。", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = CliRunner().invoke(app, ["predict", str(rules_model), str(page), "-o", str(out), "--rule-bias", "-2"])
    assert r.exit_code != 0 and "rule_bias" in r.output and ">= 0" in r.output
    assert not out.exists() and not out.with_name("out.jsonl.part").exists()
