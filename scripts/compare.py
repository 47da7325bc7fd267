"""The default model against every baseline on the same labelled pages, in one run.

    python scripts/compare.py data/gold/test.jsonl \
        --model default=model/default --model pretrained=runs/default-pretrained -o docs/compare.json

Prints a Markdown table (F1 per entity type, micro F1, article span and start F1).
"""
import argparse
import math
import sys
from pathlib import Path

from model.compare import against_rules, compare, split_spec, format_against_rules, format_table, write_json


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="+", help="labelled JSONL files (gold-test)")
    ap.add_argument("--model", action="append", default=[], metavar="NAME=DIR[@RULE_BIAS]",
                    help="a trained tagger to include (repeatable), decoded with its own rule bias or the one "
                         "after @ (model/default@0: the tagger alone); default: default=model/default")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--against-rules", action="store_true",
                    help="instead: split the first model's exact spans against the rules' and gold, per type")
    ap.add_argument("-o", "--output", help="also write the figures as JSON")
    ap.add_argument("--force", action="store_true", help="overwrite --output")
    args = ap.parse_args(argv)
    models = {}
    for spec in args.model or ["default=model/default"]:
        name, sep, path = spec.partition("=")
        path, at, bias = path.rpartition("@") if "@" in path else (path, "", "")
        if not sep or not Path(path, "config.json").is_file():
            ap.error(f"--model {spec}: expected NAME=DIR[@RULE_BIAS] with a model directory")
        try:
            models[name] = (path, float(bias)) if at else path
        except ValueError:
            ap.error(f"--model {spec}: the rule bias after @ must be a number, got {bias!r}")
        if at and not (math.isfinite(float(bias)) and float(bias) >= 0):
            ap.error(f"--model {spec}: the rule bias after @ must be a finite number >= 0, got {bias!r}")
    if args.output and Path(args.output).exists() and not args.force:
        ap.error(f"{args.output} exists; pass --force to overwrite it")
    if args.against_rules:
        print(format_against_rules(against_rules(next(iter(models.values())), args.data)))
        return 0
    result = compare(models, args.data, split_spec(next(iter(models.values())))[0],
                     with_baselines=not args.no_baselines)
    print(format_table(result))
    if args.output:
        write_json(result, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
