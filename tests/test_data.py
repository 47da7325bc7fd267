import json

import pytest

from model.data import DataError, load_dataset, page_from_record, read_pages, validate_file, write_pages


def _write(tmp_path, lines, name="d.jsonl"):
    p = tmp_path / name
    with open(p, "wb") as f:
        for line in lines:
            f.write(line if isinstance(line, bytes) else (json.dumps(line, ensure_ascii=False) + "\n").encode())
    return p


GOOD = {"id": "a", "text": "标题\n正文李晓雷", "articles": [{"start": 0, "end": 8, "title": [0, 2], "body": [3, 8], "byline": None}],
        "entities": [{"start": 5, "end": 8, "type": "OFFICIAL", "text": "李晓雷"}]}


def test_round_trip(tmp_path, pages):
    p = tmp_path / "x.jsonl"
    write_pages(pages, p)
    assert read_pages(p) == pages


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d["entities"].append({"start": 5, "end": 99, "type": "ORG"}), "out of range"),
    (lambda d: d["entities"].append({"start": 3, "end": 3, "type": "ORG"}), "empty or out of range"),
    (lambda d: d["entities"].append({"start": 4, "end": 6, "type": "ORG"}), "overlap"),
    (lambda d: d["entities"].append({"start": 3, "end": 4, "type": "PERSON"}), "unknown type 'PERSON'"),
    (lambda d: d["entities"][0].update(text="晓雷"), "does not match"),
    (lambda d: d["articles"].append({"start": 6, "end": 7, "body": [6, 7]}), "overlap"),
    (lambda d: d["articles"][0].update(title=[0, 3], body=[2, 8]), "zones title and body overlap"),
    (lambda d: d["articles"][0].update(end=5), "outside its article"),
    (lambda d: d["articles"][0].update(title=None, body=None), "no title, body or byline"),
    (lambda d: d["articles"][0].update(title=[0]), "must be [start, end]"),
    (lambda d: d.pop("text"), "missing or invalid 'text'"),
    (lambda d: d.pop("id"), "missing or invalid 'id'"),
    (lambda d: d["articles"][0].update(kicker=[0, 1]), "unknown field"),
])
def test_each_problem_is_named(tmp_path, mutate, message):
    d = json.loads(json.dumps(GOOD))
    mutate(d)
    p = _write(tmp_path, [GOOD, d])
    pages, problems = validate_file(p)
    assert not any(f"{p}:1" in x for x in problems)
    assert any(message in x and f"{p}:2" in x for x in problems), problems


def test_all_problems_listed_at_once(tmp_path):
    bad_json = b'{"id": "b", "text": \n'
    not_utf8 = '{"id": "c", "text": "\xd6\xd0"}\n'.encode("latin-1")
    dup = dict(GOOD)
    p = _write(tmp_path, [GOOD, bad_json, not_utf8, dup, {**GOOD, "id": "d", "entities": [{"start": 0, "end": 1, "type": "X"}]}])
    with pytest.raises(DataError) as info:
        read_pages(p)
    probs = info.value.problems
    assert any(f"{p}:2: invalid JSON" in x for x in probs)
    assert any(f"{p}:3: not valid UTF-8" in x for x in probs)
    assert any(f"{p}:4 a: duplicate id" in x for x in probs)
    assert any(f"{p}:5 d: entity 0 has unknown type" in x for x in probs)


def test_missing_file_is_a_problem(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_pages(tmp_path / "nope.jsonl")


def test_loads_through_datasets(pages_file, pages):
    ds = load_dataset(pages_file)
    assert len(ds) == len(pages)
    assert page_from_record(ds[0]) == pages[0]
    streamed = load_dataset(pages_file, streaming=True)
    assert page_from_record(next(iter(streamed))) == pages[0]


def test_cli_validate_and_stats(tmp_path, pages_file, pages):
    from typer.testing import CliRunner

    from model.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["data", "validate", str(pages_file)])
    assert r.exit_code == 0 and f"{len(pages)} page(s), 0 problem(s)" in r.output
    bad = _write(tmp_path, [GOOD, {**GOOD, "id": "b", "entities": [{"start": 0, "end": 1, "type": "X"}]}])
    r = runner.invoke(app, ["data", "validate", str(bad)])
    assert r.exit_code == 1 and f"{bad}:2 b: entity 0 has unknown type 'X'" in r.output
    r = runner.invoke(app, ["data", "stats", str(pages_file)])
    n_off = sum(e.type == "OFFICIAL" for p in pages for e in p.entities)
    row = [line for line in r.output.splitlines() if str(pages_file) in line][0].split("|")
    assert r.exit_code == 0 and int(row[2]) == len(pages) and int(row[6]) == n_off


def test_datasets_fills_missing_fields_with_null(tmp_path):
    # Records that differ in optional fields come back from datasets with None in the gaps.
    p = _write(tmp_path, [GOOD, {"id": "b", "text": "区委", "entities": [{"start": 0, "end": 2, "type": "ORG"}], "date": "2023-01-16"}])
    ds = load_dataset(p)
    got = [page_from_record(r) for r in ds]
    assert got == read_pages(p)


def test_dataset_sees_edited_file(tmp_path):
    p = _write(tmp_path, [GOOD])
    assert load_dataset(p)[0]["id"] == "a"
    _write(tmp_path, [{**GOOD, "id": "z"}])
    assert load_dataset(p)[0]["id"] == "z"
