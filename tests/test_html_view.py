"""The HTML page view rendered by headless Chromium (Debian's ``chromium`` package): DOM and pixels."""
import json
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from model.data import page_from_record
from model.predict import PageInput, PagePrediction, prediction_record
from model.report import HTML_HEAD, HTML_TAIL, _COLOURS, html_page

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (Debian package 'chromium') is not installed")

# Flags for a closed network: without them Chromium keeps trying to reach Google's hosts.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGBA/RGB bytes) of an 8-bit non-interlaced PNG, as Chromium writes them."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, head = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, colour, _, _, interlace = head
    assert depth == 8 and interlace == 0 and colour in (2, 6)
    bpp = 4 if colour == 6 else 3
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, [bytes(r) if bpp == 3 else bytes(x for k, x in enumerate(r) if k % 4 != 3) for r in rows]


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory):
    """The gold-labelled seed page as baokan's page view (labels, not a model's guesses)."""
    rec = json.loads((REPO / "data/gold/seed.jsonl").read_text(encoding="utf-8").splitlines()[0])
    page = page_from_record(rec)
    pred = PagePrediction(list(page.articles), [(e, 1.0) for e in page.entities])
    record = prediction_record(PageInput(page.id, page.text, "seed"), pred, "2023-01-16")
    out = tmp_path_factory.mktemp("html") / "seed.html"
    out.write_text(HTML_HEAD + html_page(record, page.text) + HTML_TAIL, encoding="utf-8")
    return out, record


class _Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.marks, self.articles, self.text = [], set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "mark":
            self.marks.append((a.get("class"), a.get("title")))
        if "data-article" in a:
            self.articles.add(a["data-article"])

    def handle_data(self, data):
        self.text.append(data)


def test_chromium_dom_has_every_article_and_entity(seed_html, tmp_path):
    html, record = seed_html
    r = chromium(tmp_path, "--dump-dom", html.as_uri())
    assert r.returncode == 0, r.stderr[-2000:]
    dom = _Dom()
    dom.feed(r.stdout)
    assert len(dom.articles) == len(record["articles"]) == 4
    assert sorted(c for c, _ in dom.marks) == sorted(e["type"] for e in record["entities"])
    hovers = [t for c, t in dom.marks if c == "AMOUNT"]
    assert any("value 18000000000 CNY" in t for t in hovers)
    assert any("title 郑州市副市长" in t for c, t in dom.marks if c == "OFFICIAL")
    # The page text survives rendering, line breaks inside entities included.
    joined = "".join(dom.text)
    assert all(e["text"] in joined for e in record["entities"])


def test_chromium_screenshot_shows_entity_colours(seed_html, tmp_path):
    html, _ = seed_html
    png = tmp_path / "seed.png"
    r = chromium(tmp_path, f"--screenshot={png}", "--window-size=900,1400", html.as_uri())
    assert r.returncode == 0 and png.is_file(), r.stderr[-2000:]
    w, h, rows = read_png(png)
    assert (w, h) == (900, 1400)
    counts = {t: 0 for t in _COLOURS}
    want = {t: bytes.fromhex(c[1:]) for t, c in _COLOURS.items()}
    for row in rows[::2]:
        for x in range(0, len(row), 6):
            px = row[x:x + 3]
            for t, c in want.items():
                if px == c:
                    counts[t] += 1
    # Each entity type's background colour is on screen: the marks were laid out and painted.
    assert all(n > 20 for n in counts.values()), counts
