import re

import pytest

from conftest import REPO, write_config
from model.config import ConfigError, load_train_config


def test_good_config(tmp_path, pages_file):
    p = write_config(tmp_path / "c.yaml", model=str(tmp_path), train_files=str(pages_file), output_dir="out", epochs=2)
    cfg = load_train_config(p)
    assert cfg.train_files == [str(pages_file)] and cfg.epochs == 2.0


@pytest.mark.parametrize("values,message", [
    ({"lerning_rate": 0.1}, "'lerning_rate' is not a setting (did you mean 'learning_rate'?)"),
    ({"epochs": "ten"}, "'epochs': expected a number, got 'ten'"),
    ({"batch_size": 1.5}, "'batch_size': expected an integer"),
    ({"init": "zeros"}, "'init': expected one of 'pretrained', 'random'"),
    ({"train_files": ["missing.jsonl"]}, "'train_files': missing.jsonl does not exist"),
    ({"model": "./no/such/dir"}, "'model': ./no/such/dir is neither an existing directory nor a hub model name"),
    ({"stride": 300, "window": 256}, "'stride': 300 is larger than 'window'"),
    ({"loss_weights": {"zones": 1.0}}, "'loss_weights': keys must be"),
    ({"oversample": {"other.jsonl": 5}}, "'oversample': other.jsonl is not one of 'train_files'"),
    ({"oversample": {"PAGES": 0}}, "repeats 0 times; expected a positive integer"),
])
def test_bad_values_are_named(tmp_path, pages_file, values, message):
    if "oversample" in values:
        values = {"oversample": {k.replace("PAGES", str(pages_file)): v for k, v in values["oversample"].items()}}
    base = {"model": str(tmp_path), "train_files": [str(pages_file)], "output_dir": "out"}
    p = write_config(tmp_path / "c.yaml", **{**base, **values})
    with pytest.raises(ConfigError) as info:
        load_train_config(p)
    assert any(message in x and str(p) in x for x in info.value.problems), info.value.problems


def test_missing_required_and_bad_yaml(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("model: x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'train_files' is required"):
        load_train_config(p)
    p.write_text("model: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_train_config(p)


def test_hub_names_are_accepted_without_a_hub(tmp_path, pages_file):
    p = write_config(tmp_path / "c.yaml", model="hfl/rbt3", train_files=[str(pages_file)], output_dir="o")
    assert load_train_config(p).model == "hfl/rbt3"


def test_oversampled_file_repeats_its_pages_within_the_page_limit(tmp_path, pages, pages_file):
    from model.data import write_pages
    from model.train import training_pages

    gold = tmp_path / "gold.jsonl"
    write_pages(pages[:2], gold)
    got = training_pages([str(pages_file), str(gold)], oversample={str(gold): 3})
    assert [p.id for p in got] == [p.id for p in pages] + [p.id for p in pages[:2]] * 3
    # The page limit counts distinct pages, in file order: the repeats do not use it up.
    limited = training_pages([str(pages_file), str(gold)], limit=len(pages) + 1, oversample={str(gold): 3})
    assert [p.id for p in limited] == [p.id for p in pages] + [pages[0].id] * 3
    assert training_pages([str(pages_file), str(gold)], limit=1, oversample={str(gold): 3}) == pages[:1]


def test_silver_pages_carry_entity_loss_on_their_spans_only(pages, tiny_encoder):
    """On silver pages an O token is no evidence (the rules miss names), a marked span is."""
    from transformers import AutoTokenizer

    from model.schema import ENTITY_LABELS, IGNORE_INDEX
    from model.textmap import CharEncoder
    from model.train import window_features

    enc = CharEncoder.from_tokenizer(AutoTokenizer.from_pretrained(str(tiny_encoder)))
    page = max(pages, key=lambda p: len(p.entities))
    gold, silver = (list(window_features([page], enc, 64, 48, silver=[flag])) for flag in (False, True))
    assert [w["zone_labels"] for w in gold] == [w["zone_labels"] for w in silver]
    o = ENTITY_LABELS.index("O")
    marked = 0
    for g, s in zip(gold, silver):
        for a, b in zip(g["entity_labels"], s["entity_labels"]):
            assert b == (IGNORE_INDEX if a in (o, IGNORE_INDEX) else a)
            marked += a not in (o, IGNORE_INDEX)
    assert marked > 0 and any(a == o for w in gold for a in w["entity_labels"])


@pytest.mark.parametrize("silver, problem", [
    (["elsewhere.jsonl"], "'silver_files': elsewhere.jsonl is not one of 'train_files'"),
    (None, "'silver_files' holds every train file"),
])
def test_silver_files_are_checked(tmp_path, pages_file, silver, problem):
    path = write_config(tmp_path / "c.yaml", model=str(tmp_path), train_files=[str(pages_file)],
                        output_dir=str(tmp_path / "o"), silver_files=silver or [str(pages_file)])
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_train_config(path)


def test_a_page_limit_that_leaves_only_silver_pages_is_refused(tmp_path, pages, pages_file):
    from model.data import write_pages
    from model.train import TrainError, train

    gold = tmp_path / "gold.jsonl"
    write_pages(pages[:2], gold)
    path = write_config(tmp_path / "c.yaml", model=str(tmp_path), train_files=[str(pages_file), str(gold)],
                        output_dir=str(tmp_path / "o"), silver_files=[str(pages_file)], max_train_pages=2)
    with pytest.raises(TrainError, match="takes only pages of 'silver_files'"):
        train(load_train_config(path))


@pytest.mark.parametrize("path", sorted((REPO / "configs").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_configs_are_valid(path, monkeypatch):
    """Every config in configs/ loads; the only problems allowed are inputs a command makes first."""
    from model.pretrain import load_pretrain_config

    monkeypatch.chdir(REPO)
    load = load_pretrain_config if path.name.startswith("pretrain") else load_train_config
    try:
        load(path)
    except ConfigError as err:
        made_later = ("data/train/", "runs/", "out/")  # made by compose, train, convert
        wrong = [p for p in err.problems if not ("does not exist" in p or "neither an existing directory" in p)
                 or not any(m in p for m in made_later)]
        assert not wrong, wrong
