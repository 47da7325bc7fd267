"""Thin wrapper: the same as `baokan evaluate` (see `python scripts/evaluate.py --help`)."""
import sys

from model.cli import app

if __name__ == "__main__":
    sys.exit(app(["evaluate", *sys.argv[1:]]))
