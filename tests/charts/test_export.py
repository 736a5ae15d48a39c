"""Export for briefings: sizes, formats, embedded fonts, the title kept in the metadata."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from eduanalytics import charts  # noqa: E402
from eduanalytics.charts.export import figure_title  # noqa: E402
from eduanalytics.errors import DataError  # noqa: E402


def _figure(title: str = "目标完成情况：初高中学历提升") -> Figure:
    with charts.themed():
        fig = Figure()
        ax = fig.subplots()
        ax.bar(["路南街道", "路北街道"], [95.8, 80.1])
        ax.set_title(title)
    return fig


def test_exports_open_with_embedded_font(tmp_path):
    fig = _figure()
    paths = charts.export_figure(fig, tmp_path, "target_completion", size="half_a4")
    names = sorted(p.name for p in paths)
    assert names == ["target_completion_half_a4.pdf", "target_completion_half_a4.png",
                     "target_completion_half_a4.svg"]
    png = mpimg.imread(tmp_path / "target_completion_half_a4.png")
    # half an A4 page at 300 dpi: 8.27 x 5.85 in -> 2481 x 1755 px
    assert png.shape[1] == 2481 and png.shape[0] == 1755
    ET.parse(tmp_path / "target_completion_half_a4.svg")
    reader = PdfReader(tmp_path / "target_completion_half_a4.pdf")
    page = reader.pages[0]
    assert page.mediabox.width == pytest.approx(8.27 * 72, abs=1)
    embedded = []
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        desc = font.get("/FontDescriptor")
        if desc is None and "/DescendantFonts" in font:
            desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        if desc is not None:
            d = desc.get_object()
            embedded.append(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert embedded and all(embedded)
    slide = charts.export_figure(fig, tmp_path, "t", formats=["png"], size="slide")[0]
    # 13.33 x 7.5 in at 300 dpi
    assert mpimg.imread(slide).shape[:2] in ((2250, 3999), (2250, 3998))


def test_title_is_kept_in_the_metadata(tmp_path):
    fig = _figure("完成率 <i>x</i>")
    png, svg, pdf = charts.export_figure(fig, tmp_path, "c", formats=["png", "svg", "pdf"], size=None,
                                         dpi=50)
    assert png.name == "c.png"  # size None: no size tag
    with Image.open(png) as im:
        assert im.info["Title"] == "完成率 <i>x</i>"
    assert "完成率 &lt;i&gt;x&lt;/i&gt;" in svg.read_text(encoding="utf-8")
    assert PdfReader(pdf).metadata.title == "完成率 <i>x</i>"


def test_figure_title_prefers_the_suptitle():
    fig = Figure()
    a, b = fig.subplots(1, 2)
    a.set_title("甲")
    b.set_title("乙")
    assert figure_title(fig) == "甲；乙"
    fig.suptitle("总标题")
    assert figure_title(fig) == "总标题"
    assert figure_title(Figure()) == ""


def test_export_rejects_unknown_format_and_size(tmp_path):
    fig = _figure()
    with pytest.raises(DataError, match="unsupported format"):
        charts.export_figure(fig, tmp_path, "x", formats=["gif"])
    with pytest.raises(DataError, match="slide"):
        charts.export_figure(fig, tmp_path, "x", formats=["png"], size="poster")
    assert not list(tmp_path.iterdir())
