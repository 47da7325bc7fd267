"""Render a page view of baokan's HTML output with headless Chromium and save a PNG.

    python scripts/page_screenshot.py ../shared/seeds/000_3c26ed271553d5f2.txt docs/seed_page.png

Runs ``baokan predict --format html`` with the shipped model (or --model) and
screenshots the result; needs Debian's ``chromium`` (and ``fonts-noto-cjk`` for
the Chinese glyphs).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import typer

from model.predict import run_predict

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def main(page: Path, png: Path, model: Path = typer.Option(None, help="model directory (default: the shipped one)"),
         date: str = typer.Option("2023-01-16", help="page date for relative dates"),
         width: int = 1000, height: int = 1500, force: bool = False) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise typer.BadParameter("headless Chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)")
    if png.exists() and not force:
        raise typer.BadParameter(f"{png} exists; pass --force to overwrite it")
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "page.html"
        run_predict(model, [page], html, progress=False, fmt="html", date=date)
        png.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp}/profile", f"--screenshot={png.resolve()}",
                        f"--window-size={width},{height}", html.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"{png}: {width}x{height}")


if __name__ == "__main__":
    typer.run(main)
