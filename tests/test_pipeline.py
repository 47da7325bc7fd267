"""End to end on a tiny random-init encoder: train, evaluate, predict, save/load, CLI."""
import json
import shutil

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from conftest import SEED_PAGE, write_config
from model.cli import app
from model.config import load_train_config
from model.evaluate import evaluate, score_pages
from model.heads import ModelFileError, load_tagger
from model.predict import Predictor, decode_bytes, iter_inputs, run_predict
from model.textmap import CharEncoder
from model.train import TrainError, train

runner = CliRunner()


def test_model_directory_is_hf_style(tiny_model):
    names = {p.name for p in tiny_model.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "metrics.json"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pkl")) for n in names)
    cfg = json.loads((tiny_model / "config.json").read_text())
    assert cfg["zone_labels"][0] == "O" and "B-OFFICIAL" in cfg["entity_labels"]
    assert cfg["baokan"]["window"] == 64 and cfg["baokan"]["stride"] == 48
    assert "auto_map" not in cfg


def test_encoder_loads_with_plain_automodel(tiny_model):
    from transformers import AutoModel, AutoTokenizer

    enc = AutoModel.from_pretrained(str(tiny_model))
    tok = AutoTokenizer.from_pretrained(str(tiny_model))
    out = enc(**tok("中原区", return_tensors="pt"))
    assert out.last_hidden_state.shape[-1] == 32


def test_training_learned_something(tiny_model, pages):
    """30 steps take the dev loss well below that of the same tagger with fresh weights."""
    from transformers import AutoTokenizer

    from model.heads import BaokanTagger
    from model.train import Collator, window_features

    metrics = json.loads((tiny_model / "metrics.json").read_text())
    assert metrics["train_steps"] == 30
    trained = load_tagger(tiny_model).eval()
    torch.manual_seed(0)
    fresh = BaokanTagger(trained.config).eval()
    enc = CharEncoder.from_tokenizer(AutoTokenizer.from_pretrained(str(tiny_model)))
    batch = Collator(enc.pad_id)(list(window_features(pages, enc, 64, 64)))
    with torch.no_grad():
        after, before = (m(**batch).loss.item() for m in (trained, fresh))
    # The recorded figure is this loss (bf16 and the trainer's batching move the fourth digit).
    assert abs(metrics["dev_loss"] - after) < 1e-2 * max(1.0, after)
    assert after < 0.6 * before, (after, before)


def test_save_load_round_trip_gives_same_predictions(tiny_model, pages):
    p1 = Predictor(tiny_model)
    texts = [p.text for p in pages[:3]]
    first = p1.predict_texts(texts)
    copy = tiny_model.parent / "copy"
    shutil.copytree(tiny_model, copy, dirs_exist_ok=True)
    second = Predictor(copy).predict_texts(texts)
    assert [(a.articles, a.entities) for a in first] == [(b.articles, b.entities) for b in second]


def test_evaluate_report(tiny_model, pages_file, tmp_path):
    out = tmp_path / "r.json"
    report = evaluate(tiny_model, [pages_file], output=out)
    saved = json.loads(out.read_text())
    assert set(saved["entities"]) >= {"OFFICIAL", "ORG", "DATE", "AMOUNT", "micro avg"}
    assert set(saved["zones"]) >= {"TITLE", "BODY", "BYLINE"}
    assert {"span", "start", "pk", "windowdiff"} <= set(saved["articles"])
    assert "precision" in report["entities_text"]
    with pytest.raises(FileExistsError):
        evaluate(tiny_model, [pages_file], output=out)


def test_perfect_predictions_score_one(pages, tiny_encoder):
    from transformers import AutoTokenizer

    enc = CharEncoder.from_tokenizer(AutoTokenizer.from_pretrained(str(tiny_encoder)))
    report = score_pages(pages, [(p.articles, p.entities) for p in pages], enc)
    assert report["entities"]["micro avg"]["f1-score"] == 1.0
    assert report["zones"]["micro avg"]["f1-score"] == 1.0
    assert report["articles"]["span"]["f1"] == 1.0 and report["articles"]["pk"] == 0.0
    # dropping one article costs recall, not precision
    cut = [(p.articles[1:], p.entities) for p in pages]
    worse = score_pages(pages, cut, enc)
    assert worse["articles"]["span"]["precision"] == 1.0 and worse["articles"]["span"]["recall"] < 1.0


def test_predict_cli_on_seed_page(tiny_model, tmp_path):
    out = tmp_path / "pred.jsonl"
    r = runner.invoke(app, ["predict", str(tiny_model), str(SEED_PAGE), "-o", str(out)])
    assert r.exit_code == 0, r.output
    (rec,) = [json.loads(line) for line in out.read_text().splitlines()]
    text = SEED_PAGE.read_text(encoding="utf-8")
    assert rec["id"] == SEED_PAGE.stem and rec["length"] == len(text)
    for e in rec["entities"]:
        assert text[e["start"]:e["end"]] == e["text"] and 0 <= e["score"] <= 1
    for a in rec["articles"]:
        assert 0 <= a["start"] < a["end"] <= len(text)
        for e in a["entities"]:
            assert a["start"] <= e["start"] and e["end"] <= a["end"]
    # refuses to overwrite without --force
    r = runner.invoke(app, ["predict", str(tiny_model), str(SEED_PAGE), "-o", str(out)])
    assert r.exit_code == 1 and "--force" in r.output
    r = runner.invoke(app, ["predict", "--model", str(tiny_model), str(SEED_PAGE), "-o", str(out), "--force"])
    assert r.exit_code == 0


def test_predict_inputs_dirs_jsonl_and_encodings(tiny_model, tmp_path):
    d = tmp_path / "pages"
    d.mkdir()
    (d / "a.txt").write_bytes("中原区召开会议\n记者 鲁燕".encode("gb18030"))
    (d / "b.txt").write_bytes("\ufeff区委书记李晓雷".encode("utf-8"))
    (d / "c.txt").write_bytes("区长邓英文".encode("utf-16"))
    jl = tmp_path / "in.jsonl"
    jl.write_text('{"id": "j1", "text": "区委"}\nnot json\n{"text": "无id"}\n', encoding="utf-8")
    items = list(iter_inputs([d, jl, tmp_path / "missing.txt"]))
    good = [i for i in items if hasattr(i, "text")]
    bad = [i for i in items if not hasattr(i, "text")]
    assert [g.id for g in good] == ["a", "b", "c", "j1"]
    assert good[0].text == "中原区召开会议\n记者 鲁燕" and good[1].text == "区委书记李晓雷" and good[2].text == "区长邓英文"
    assert [b.source for b in bad] == [f"{jl}:2", f"{jl}:3", str(tmp_path / "missing.txt")]
    out = tmp_path / "o.jsonl"
    s = run_predict(tiny_model, [d, jl, tmp_path / "missing.txt"], out, progress=False)
    assert s.pages == 4 and len(s.failed) == 3
    assert len(out.read_text().splitlines()) == 4
    r = runner.invoke(app, ["predict", str(tiny_model), str(d), str(jl), "-o", str(tmp_path / "o2.jsonl")])
    assert r.exit_code == 1 and "2 input(s) failed" in r.output


def test_decode_bytes_gbk():
    assert decode_bytes("报刊".encode("gbk")) == ("报刊", "gb18030")


def test_training_refuses_invalid_data_before_start(tmp_path, tiny_encoder):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "ab", "entities": [{"start": 0, "end": 5, "type": "ORG"}]}\n', encoding="utf-8")
    cfg = write_config(tmp_path / "c.yaml", model=str(tiny_encoder), train_files=[str(bad)], output_dir=str(tmp_path / "m"))
    r = runner.invoke(app, ["train", "--config", str(cfg)])
    assert r.exit_code == 1
    assert f"{bad}:1 x: entity 0 span [0, 5] is empty or out of range" in r.output
    assert not (tmp_path / "m" / "checkpoints").exists()


def test_training_refuses_unwritable_output(tmp_path, tiny_encoder, pages_file):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cfg = write_config(tmp_path / "c.yaml", model=str(tiny_encoder), train_files=[str(pages_file)],
                       output_dir=str(blocker / "sub"))
    with pytest.raises(TrainError, match="not writable"):
        train(load_train_config(cfg))


def test_resume_continues_from_checkpoint(tmp_path, tiny_encoder, pages_file):
    base = dict(model=str(tiny_encoder), train_files=[str(pages_file)], output_dir=str(tmp_path / "m"),
                window=64, stride=48, batch_size=8, learning_rate=5e-3, save_steps=5, init="random", patience=None)
    train(load_train_config(write_config(tmp_path / "a.yaml", **base, max_steps=5)))
    assert (tmp_path / "m" / "checkpoints" / "checkpoint-5").is_dir()
    m = train(load_train_config(write_config(tmp_path / "b.yaml", **base, max_steps=10)), resume=True)
    assert m["train_steps"] == 10
    with pytest.raises(TrainError, match="no complete checkpoint"):
        train(load_train_config(write_config(tmp_path / "c.yaml", **{**base, "output_dir": str(tmp_path / "n")})), resume=True)


def test_disk_full_mid_save_keeps_the_previous_checkpoint(tmp_path, tiny_encoder, pages_file, monkeypatch):
    import errno

    from transformers import Trainer

    real = Trainer._save_optimizer_and_scheduler

    def full_disk(self, output_dir):
        if output_dir.endswith("checkpoint-8"):
            with open(f"{output_dir}/optimizer.pt", "wb") as f:
                f.write(b"\x80\x02half")  # a torn file, as a full disk leaves it
            raise OSError(errno.ENOSPC, "No space left on device", f"{output_dir}/optimizer.pt")
        return real(self, output_dir)

    base = dict(model=str(tiny_encoder), train_files=[str(pages_file)], output_dir=str(tmp_path / "m"),
                window=64, stride=48, batch_size=8, learning_rate=5e-3, save_steps=4, init="random",
                patience=None, max_steps=12, save_total_limit=1)
    cfg = load_train_config(write_config(tmp_path / "a.yaml", **base))
    monkeypatch.setattr(Trainer, "_save_optimizer_and_scheduler", full_disk)
    with pytest.raises(TrainError, match="No space left on device.*checkpoint-4.*intact.*--resume"):
        train(cfg)
    ckpts = tmp_path / "m" / "checkpoints"
    before = {p.name: p.read_bytes() for p in (ckpts / "checkpoint-4").iterdir() if p.is_file()}
    assert {"model.safetensors", "optimizer.pt", "trainer_state.json"} <= set(before)
    monkeypatch.setattr(Trainer, "_save_optimizer_and_scheduler", real)
    m = train(cfg, resume=True)  # resumes from checkpoint-4, not from the torn checkpoint-8
    assert m["train_steps"] == 12
    assert (ckpts / "incomplete-checkpoint-8").is_dir()
    assert json.loads((ckpts / "checkpoint-12" / "trainer_state.json").read_text())["global_step"] == 12


def test_complete_checkpoint_sets_torn_saves_aside_without_clobbering(tmp_path):
    from model.train import CHECKPOINT_FILES, complete_checkpoint

    for name, files in (("checkpoint-4", CHECKPOINT_FILES), ("checkpoint-8", CHECKPOINT_FILES[:1]),
                        ("incomplete-checkpoint-8", ("model.safetensors",))):
        (tmp_path / name).mkdir()
        for f in files:
            (tmp_path / name / f).write_text("x")
    assert complete_checkpoint(tmp_path) == tmp_path / "checkpoint-4"
    # An earlier torn save of the same step is kept; the new one goes beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "checkpoint-4", "incomplete-checkpoint-8", "incomplete-checkpoint-8.1"]
    (tmp_path / "empty").mkdir()
    assert complete_checkpoint(tmp_path / "empty") is None


def test_unsafe_or_inconsistent_model_dirs_are_refused(tiny_model, tmp_path):
    d = tmp_path / "m"
    shutil.copytree(tiny_model, d)
    (d / "model.safetensors").rename(d / "pytorch_model.bin")
    with pytest.raises(ModelFileError, match="pickle files are never loaded"):
        load_tagger(d)
    shutil.rmtree(d)
    shutil.copytree(tiny_model, d)
    cfg = json.loads((d / "config.json").read_text())
    cfg["entity_labels"] = cfg["entity_labels"][:5]
    (d / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelFileError, match="entity_head.weight has shape"):
        load_tagger(d)
    cfg = json.loads((tiny_model / "config.json").read_text())
    cfg["vocab_size"] += 3
    (d / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelFileError, match="word_embeddings"):
        load_tagger(d)
    cfg["auto_map"] = {"AutoModel": "x.Y"}
    (d / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelFileError, match="remote code"):
        load_tagger(d)


def test_random_init_differs_from_pretrained(tmp_path, tiny_encoder, pages_file):
    from model.train import build_model, load_tokenizer

    base = dict(model=str(tiny_encoder), train_files=[str(pages_file)], output_dir="o")
    tok = load_tokenizer(str(tiny_encoder))
    pre = build_model(load_train_config(write_config(tmp_path / "a.yaml", **base)), tok)
    rnd = build_model(load_train_config(write_config(tmp_path / "b.yaml", **base, init="random")), tok)
    from transformers import AutoModel

    enc = AutoModel.from_pretrained(str(tiny_encoder))
    w = enc.embeddings.word_embeddings.weight
    assert torch.equal(pre.bert.embeddings.word_embeddings.weight, w)
    assert not torch.equal(rnd.bert.embeddings.word_embeddings.weight, w)


def _pages_dir(tmp_path, n=6):
    d = tmp_path / "pages"
    d.mkdir()
    for i in range(n):
        (d / f"p{i}.txt").write_text(f"中原区第{i}次会议\n\n本报讯 区长邓英文出席。\n记者 鲁燕", encoding="utf-8")
    return d


def test_resume_skips_written_pages_and_repairs_torn_line(tiny_model, tmp_path):
    d = _pages_dir(tmp_path)
    out = tmp_path / "o.jsonl"
    run_predict(tiny_model, [d], out, progress=False)
    full = out.read_text(encoding="utf-8").splitlines()
    # a killed run: two complete lines and half of a third, under the .part name
    part = tmp_path / "o.jsonl.part"
    part.write_text("\n".join(full[:2]) + "\n" + full[2][:15], encoding="utf-8")
    out.unlink()
    with pytest.raises(FileExistsError, match="--resume"):
        run_predict(tiny_model, [d], out, progress=False)
    s = run_predict(tiny_model, [d], out, resume=True, progress=False)
    assert s.skipped == 2 and s.pages == 4
    lines = out.read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == sorted(full) and not part.exists()


def test_shards_partition_the_inputs(tiny_model, tmp_path):
    d = _pages_dir(tmp_path, n=9)
    ids = []
    for k in (1, 2, 3):
        out = tmp_path / f"s{k}.jsonl"
        run_predict(tiny_model, [d], out, shard=f"{k}/3", progress=False)
        ids += [json.loads(x)["id"] for x in out.read_text().splitlines()]
    assert sorted(ids) == sorted(f"p{i}" for i in range(9))
    for bad in ("0/3", "4/3", "x"):
        with pytest.raises(ValueError, match="--shard"):
            run_predict(tiny_model, [d], tmp_path / "z.jsonl", shard=bad, progress=False)


def test_bad_inputs_are_reported_and_the_rest_processed(tiny_model, tmp_path):
    d = _pages_dir(tmp_path, n=2)
    (d / "bin.txt").write_bytes(bytes(range(256)) * 4)
    jl = tmp_path / "in.jsonl"
    jl.write_text('{"id": "a", "text": "区委"}\n{"id": "a", "text": "重复"}\n', encoding="utf-8")
    out = tmp_path / "o.jsonl"
    s = run_predict(tiny_model, [d, jl], out, progress=False)
    assert s.pages == 3
    msgs = {f.source: f.message for f in s.failed}
    assert msgs[str(d / "bin.txt")] == "binary file, not text"
    assert "duplicate id 'a'" in msgs[f"{jl}:2"]


def test_records_carry_values_titles_and_page_date():
    from model.data import Article, Entity
    from model.predict import PageInput, PagePrediction, page_date, prediction_record

    text = "标题\n\n本报讯 1月13日，郑州市副市长潘开名出席，投资 180亿\n元。潘开名表示。\n记者 鲁燕"
    def span(s, k=0):
        i = -1
        for _ in range(k + 1):
            i = text.index(s, i + 1)
        return i, i + len(s)
    arts = [Article(0, len(text), (0, 2), (4, text.index("\n记者")), span("记者 鲁燕"))]
    ents = [Entity(*span("1月13日"), "DATE"), Entity(*span("潘开名"), "OFFICIAL"), Entity(*span("180亿\n元"), "AMOUNT"),
            Entity(*span("潘开名", 1), "OFFICIAL")]
    page = PageInput("zy_20230116_a01", text, "/archive/zy_20230116_a01.txt")
    rec = prediction_record(page, PagePrediction(arts, [(e, 0.9) for e in ents]))
    assert rec["date"] == "2023-01-16"
    by_text = {(e["text"], e["start"]): e for e in rec["entities"]}
    assert by_text[("1月13日", ents[0].start)]["value"] == "2023-01-13"
    amount = by_text[("180亿\n元", ents[2].start)]
    assert amount["value"] == 18000000000 and amount["unit"] == "CNY"
    assert [e["title"] for e in rec["entities"] if e["type"] == "OFFICIAL"] == ["郑州市副市长", "郑州市副市长"]
    assert rec["articles"][0]["byline"] == "记者 鲁燕"
    # --date wins over the file name; no date anywhere leaves partial values
    assert prediction_record(page, PagePrediction(arts, []), "2024-02-02")["date"] == "2024-02-02"
    nodate = PageInput("x", text, "x.txt")
    assert page_date(nodate) is None
    rec = prediction_record(nodate, PagePrediction(arts, [(ents[0], 1.0)]))
    assert rec["entities"][0]["value"] == "--01-13" and rec["entities"][0]["resolved"] is False


def test_hub_style_encoder_without_layout_tokens_gets_them(tmp_path, pages, pages_file):
    """A BERT vocabulary like bert-base-chinese's (no [NL]/[SP]): tokens added, embeddings resized."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    from model.textmap import build_vocab

    vocab = [t for t in build_vocab(p.text for p in pages) if t not in ("[NL]", "[SP]")] + ["##a", "[unused1]"]
    tok = BertTokenizerFast(vocab={t: i for i, t in enumerate(vocab)})
    enc_dir = tmp_path / "hub-like"
    tok.save_pretrained(str(enc_dir))
    BertModel(BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=64, max_position_embeddings=72)).save_pretrained(enc_dir)
    cfg = write_config(tmp_path / "c.yaml", model=str(enc_dir), train_files=[str(pages_file)],
                       output_dir=str(tmp_path / "m"), window=64, stride=64, max_steps=2, batch_size=4, patience=None)
    train(load_train_config(cfg))
    p = Predictor(tmp_path / "m")
    assert p.model.config.vocab_size == len(vocab) + 2
    e = p.encoder.encode("区\n  委")
    assert e.ids.tolist()[1] == p.encoder.nl_id and e.ids.tolist()[2] == p.encoder.sp_id


def test_csv_output_one_row_per_entity(tiny_model, tmp_path):
    import csv

    d = _pages_dir(tmp_path, n=3)
    out_j, out_c = tmp_path / "o.jsonl", tmp_path / "o.csv"
    run_predict(tiny_model, [d], out_j, progress=False, date="2023-01-16")
    run_predict(tiny_model, [d], out_c, progress=False, date="2023-01-16", fmt="csv")
    records = [json.loads(x) for x in out_j.read_text(encoding="utf-8").splitlines()]
    with open(out_c, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == sum(len(r["entities"]) for r in records)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in d.glob("*.txt")}
    for row in rows:
        assert texts[row["page_id"]][int(row["start"]):int(row["end"])] == row["text"]
        assert row["page_date"] == "2023-01-16"
    with pytest.raises(ValueError, match="--format jsonl"):
        run_predict(tiny_model, [d], out_c, progress=False, fmt="csv", resume=True)
    with pytest.raises(ValueError, match="unknown output format"):
        run_predict(tiny_model, [d], tmp_path / "x.xml", progress=False, fmt="xml")


@pytest.mark.parametrize("precision", ["int8", "bf16"])
def test_low_precision_predictor_agrees_mostly(tiny_model, pages, precision):
    texts = [p.text for p in pages[:4]]
    fp32 = Predictor(tiny_model, device="cpu", precision="fp32")
    full = fp32.predict_encoded([fp32.encoder.encode(t) for t in texts])
    low = Predictor(tiny_model, device="cpu", precision=precision)
    assert low.precision == precision
    quantized = any(type(m).__name__ == "Linear" and "quantized" in type(m).__module__ for m in low.model.modules())
    assert quantized == (precision == "int8")
    out = low.predict_encoded([low.encoder.encode(t) for t in texts])
    same = sum(int((a[0] == b[0]).sum() + (a[1] == b[1]).sum()) for a, b in zip(full, out))
    total = sum(2 * len(a[0]) for a in full)
    assert same / total > 0.9
    # Probabilities are computed in fp32 after the low-precision encoder.
    assert all(s.dtype == np.float32 and ((s > 0) & (s <= 1)).all() for _, _, s in out)


def test_precision_auto_follows_the_hardware(monkeypatch):
    import model.predict as mp

    cpu, gpu = torch.device("cpu"), torch.device("cuda")
    monkeypatch.setattr(mp, "cpu_has_native_bf16", lambda: False)
    assert mp.resolve_precision("auto", cpu) == "fp32"  # emulated bf16 would be slower than fp32
    assert mp.resolve_precision("auto", gpu) == "bf16"
    monkeypatch.setattr(mp, "cpu_has_native_bf16", lambda: True)
    assert mp.resolve_precision("auto", cpu) == "bf16"
    assert mp.resolve_precision("fp32", cpu) == "fp32"
    assert mp.resolve_precision("int8", cpu) == "int8"
    with pytest.raises(ValueError, match="int8 is for the CPU"):
        mp.resolve_precision("int8", gpu)
    with pytest.raises(ValueError, match="precision must be one of auto, fp32, bf16, int8; got 'fp16'"):
        mp.resolve_precision("fp16", cpu)


def test_training_precision_auto_follows_the_hardware(monkeypatch):
    import model.hardware as hw
    from model.train import precision_flags

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(hw, "cpu_has_native_bf16", lambda: True)
    assert precision_flags("auto") == {"bf16": True, "fp16": False}
    monkeypatch.setattr(hw, "cpu_has_native_bf16", lambda: False)
    assert precision_flags("auto") == {"bf16": False, "fp16": False}
    assert precision_flags("bf16") == {"bf16": True, "fp16": False}  # asked for: allowed, if slow
    with pytest.raises(TrainError, match="fp16 needs a GPU"):
        precision_flags("fp16")


def test_cpu_bf16_flag_is_read_from_cpuinfo(monkeypatch, tmp_path):
    import model.hardware as hw

    real = hw.Path
    fake = tmp_path / "cpuinfo"
    monkeypatch.setattr(hw, "Path", lambda p: real(fake) if p == "/proc/cpuinfo" else real(p))
    fake.write_text("flags\t\t: fpu avx512f avx512_vnni\n", encoding="utf-8")
    assert not hw.cpu_has_native_bf16()
    fake.write_text("flags\t\t: fpu avx512f avx512_bf16 avx512_vnni\n", encoding="utf-8")
    assert hw.cpu_has_native_bf16()
    fake.write_text("flags\t\t: fpu amx_bf16 amx_tile\n", encoding="utf-8")
    assert hw.cpu_has_native_bf16()
    fake.unlink()
    assert not hw.cpu_has_native_bf16()  # no /proc/cpuinfo (macOS, Windows): fp32


def test_cli_rejects_an_unknown_precision(tiny_model, tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("标题\n\n正文。\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["predict", str(tiny_model), str(page), "-o", str(tmp_path / "o.jsonl"),
                                 "--precision", "half"])
    assert r.exit_code != 0
    assert "precision must be one of" in r.output
    assert not (tmp_path / "o.jsonl").exists()


def test_html_page_view():
    from html.parser import HTMLParser

    from model.report import HTML_HEAD, html_page

    text = "标题\n\n本报讯 区长邓英文出席，投资<180亿元>。\n记者 鲁燕"
    s = text.index("邓英文")
    a = text.index("180亿元")
    rec = {"id": "p<1>", "articles": [{"start": 0, "end": len(text), "title": "标题", "byline": "记者 鲁燕",
           "zones": {"title": [0, 2], "body": [4, text.index("\n记者")], "byline": [text.index("记者"), len(text)]},
           "entities": []}],
           "entities": [{"start": s, "end": s + 3, "type": "OFFICIAL", "text": "邓英文", "score": 0.9, "title": "区长"},
                        {"start": a, "end": a + 5, "type": "AMOUNT", "text": "180亿元", "score": 0.8,
                         "value": 18000000000, "unit": "CNY"}]}
    html = HTML_HEAD + html_page(rec, text) + "</body></html>"

    class P(HTMLParser):
        def __init__(self):
            super().__init__()
            self.marks, self.stack, self.text, self.in_text = [], [], [], 0

        def handle_starttag(self, tag, attrs):
            if tag in ("meta", "br"):
                return
            self.stack.append((tag, dict(attrs)))
            if tag == "mark":
                self.marks.append(dict(attrs))
            if dict(attrs).get("class") == "text":
                self.in_text = len(self.stack)

        def handle_endtag(self, tag):
            assert self.stack.pop()[0] == tag  # well nested
            if self.in_text and len(self.stack) < self.in_text:
                self.in_text = 0

        def handle_data(self, data):
            if self.in_text and not any(a.get("class") == "article-label" for _, a in self.stack):
                self.text.append(data)

    p = P()
    p.feed(html)
    assert "".join(p.text) == text  # the page text survives escaping, unchanged
    assert [m["class"] for m in p.marks] == ["OFFICIAL", "AMOUNT"]
    assert "title 区长" in p.marks[0]["title"] and "value 18000000000 CNY" in p.marks[1]["title"]
    assert 'id="p&lt;1&gt;"' in html


def test_a_page_gets_the_same_labels_whatever_it_is_read_with(tiny_model, pages):
    q = Predictor(tiny_model, device="cpu", precision="int8")
    texts = [p.text for p in pages[:5]]
    alone = [q.predict_encoded([q.encoder.encode(t)])[0] for t in texts]
    together = q.predict_encoded([q.encoder.encode(t) for t in texts])
    for a, b in zip(alone, together):
        assert (a[0] == b[0]).all() and (a[1] == b[1]).all() and np.allclose(a[2], b[2])


def test_training_from_a_tagger_directory_keeps_its_heads(tmp_path, tiny_model, pages_file):
    """`model: runs/x` with `init: pretrained` continues that tagger (configs/default-continue.yaml)."""
    from model.train import build_model, load_tokenizer

    cfg = load_train_config(write_config(tmp_path / "c.yaml", model=str(tiny_model), train_files=[str(pages_file)],
                                         output_dir=str(tmp_path / "o"), window=64, stride=48))
    model = build_model(cfg, load_tokenizer(cfg.model))
    saved = load_tagger(tiny_model)
    for name in ("zone_head", "entity_head"):
        assert torch.equal(getattr(model, name).weight, getattr(saved, name).weight), name
    fresh = build_model(load_train_config(write_config(tmp_path / "r.yaml", model=str(tiny_model), init="random",
                                                       train_files=[str(pages_file)], output_dir=str(tmp_path / "r"),
                                                       window=64, stride=48)), load_tokenizer(cfg.model))
    assert not torch.equal(fresh.zone_head.weight, saved.zone_head.weight)


def test_decode_sweep_at_the_models_own_settings_matches_evaluate(tiny_model, pages_file):
    """scripts/decode_sweep.py reads and scores pages on its own path; at the model's settings it must agree with evaluate."""
    import importlib.util

    from conftest import REPO

    spec = importlib.util.spec_from_file_location("decode_sweep", REPO / "scripts" / "decode_sweep.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    own = Predictor(tiny_model, precision="fp32")
    rows = mod.sweep(str(tiny_model), [str(pages_file)], zone=[own.zone_split_penalty], entity=[], strides=[own.stride],
                     precision="fp32")
    ref = evaluate(tiny_model, [pages_file], progress=False, precision="fp32")
    for r in rows:
        assert r["entity_f1"] == pytest.approx(ref["entities"]["micro avg"]["f1-score"])
        assert r["span_f1"] == pytest.approx(ref["articles"]["span"]["f1"])
        assert r["start_f1"] == pytest.approx(ref["articles"]["start"]["f1"])
