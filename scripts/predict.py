"""Thin wrapper: the same as `baokan predict` (see `python scripts/predict.py --help`)."""
import sys

from model.cli import app

if __name__ == "__main__":
    sys.exit(app(["predict", *sys.argv[1:]]))
