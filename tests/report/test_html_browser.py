"""The HTML report in a real headless browser (Debian's chromium, installed by `make test`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (make browser-deps)")]


def shot(url: str, png: Path, tmp: Path, size: str = "1280,2400") -> np.ndarray:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--hide-scrollbars", f"--user-data-dir={tmp / 'profile'}", f"--screenshot={png}",
           f"--window-size={size}", url]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return mpimg.imread(png)[..., :3]


def test_chinese_renders_as_glyphs_not_boxes(tmp_path):
    style = "font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;font-size:48px"
    chinese = "台州市路桥区学历提升"
    # private-use characters: no font has them, so they show the missing-glyph box
    boxes = "".join(chr(0xE000 + i) for i in range(len(chinese)))
    pages = {}
    for name, text in (("zh", chinese), ("boxes", boxes), ("blank", "")):
        html = tmp_path / f"{name}.html"
        html.write_text(f'<html><body style="margin:10px"><h1 style="{style}">{text}</h1></body></html>',
                        encoding="utf-8")
        pages[name] = shot(html.as_uri(), tmp_path / f"{name}.png", tmp_path, "800,120")
    ink = {k: float((v < 0.5).mean()) for k, v in pages.items()}
    assert ink["zh"] > 0.01, "no text drawn"
    # real glyphs differ from a run of missing-glyph boxes, pixel for pixel
    assert np.abs(pages["zh"] - pages["boxes"]).mean() > 0.01, "Chinese rendered as boxes"


def test_report_html_screenshot(report, tmp_path):
    png = tmp_path / "report.png"
    img = shot((report / "report.html").as_uri(), png, tmp_path, "1280,9000")
    assert img.shape[0] >= 8900 and img.shape[1] == 1280
    assert float(img.std()) > 0.05  # not a blank page
    # the title region is dark text on white
    assert float((img[:200] < 0.5).mean()) > 0.002
    # the charts are drawn: the palette's blue (#0072B2) covers a visible area
    blue = np.array([0x00, 0x72, 0xB2]) / 255
    near = (np.abs(img - blue) < 0.06).all(axis=2)
    assert near.sum() > 2000, "no chart pixels in the first 9000 px of the report"
