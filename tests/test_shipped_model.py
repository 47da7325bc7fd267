"""End-to-end checks with the model that ships in the package (model/default)."""
import json

import pytest
from typer.testing import CliRunner

from conftest import SEED_PAGE
from model.cli import app
from model.normalize import UNITS
from model.predict import DEFAULT_MODEL_DIR

pytestmark = pytest.mark.skipif(not (DEFAULT_MODEL_DIR / "model.safetensors").is_file(),
                                reason="no shipped model in model/default")


def test_predict_without_model_argument(tmp_path):
    out = tmp_path / "seed.jsonl"
    r = CliRunner().invoke(app, ["predict", str(SEED_PAGE), "-o", str(out), "--date", "2023-01-16"])
    assert r.exit_code == 0, r.output
    (rec,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    text = SEED_PAGE.read_text(encoding="utf-8")
    assert rec["length"] == len(text) and rec["date"] == "2023-01-16"
    # The real page has four articles; a model that finds none or one per paragraph is broken.
    assert 2 <= len(rec["articles"]) <= 12
    types = {e["type"] for e in rec["entities"]}
    assert {"ORG", "DATE", "AMOUNT"} <= types
    for e in rec["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
        if e["type"] == "AMOUNT" and e["value"] is not None:
            # A bare number has a value but no unit to read; a unit is a known code, or flagged as
            # the text's own word (unit_known false) when the span's unit is not one we know.
            assert isinstance(e["value"], (int, float))
            assert e["unit"] is None or e["unit"] in UNITS or e["unit_known"] is False
        if e["type"] == "DATE" and e["resolved"]:
            assert e["value"][:4].isdigit()


def test_shipped_model_directory_is_safe_and_complete():
    names = {p.name for p in DEFAULT_MODEL_DIR.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pkl", ".ckpt")) for n in names)
    size_mb = (DEFAULT_MODEL_DIR / "model.safetensors").stat().st_size / 2**20
    assert size_mb < 60
