"""Thin wrapper: pretrain the encoder (see `python scripts/pretrain.py --help`)."""
import sys

from model.pretrain import main

if __name__ == "__main__":
    sys.exit(main())
