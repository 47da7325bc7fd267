import pytest

from conftest import write_config
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
])
def test_bad_values_are_named(tmp_path, pages_file, values, message):
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
