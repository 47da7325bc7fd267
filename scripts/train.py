"""Thin wrapper: the same as `baokan train` (see `python scripts/train.py --help`)."""
import sys

from model.cli import app

if __name__ == "__main__":
    sys.exit(app(["train", *sys.argv[1:]]))
