"""Every chart on the bundled data: Chinese that renders, exports that open."""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import pytest  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from eduanalytics import charts  # noqa: E402
from eduanalytics.config import load_config  # noqa: E402
from eduanalytics.ingest.pipeline import run_clean  # noqa: E402
from eduanalytics.report import analyses as summary
from eduanalytics.report.briefing import briefing_figures  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cfg(tmp_path_factory):
    cfg = load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)
    if not (cfg.processed_dir / "enrolments.parquet").exists():
        run_clean(cfg)
    return cfg


def _texts(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_renders_without_missing_glyphs(cfg, lang, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figs = briefing_figures(cfg, "2023-12-31", lang=lang)
        for name, fig in figs.items():
            fig.savefig(tmp_path / f"{name}.png", dpi=50)
    glyph = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]
    assert not glyph, glyph[:3]
    assert len(figs) == 9
    for name, fig in figs.items():
        text = _texts(fig)
        if name != "plan_indicators":  # the reference plan is published data, not synthetic
            assert ("示例数据" in text) if lang == "zh" else ("synthetic data" in text), name
        assert "2023-12-31" in text, name
    if lang == "zh":
        assert "目标完成情况" in _texts(figs["target_completion_secondary"])
        assert "路南街道" in _texts(figs["target_completion_secondary"])
    else:
        assert "Target completion" in _texts(figs["target_completion_secondary"])


def test_font_is_found_and_renders_chinese():
    info = charts.chinese_font()
    assert info.name and Path(info.path).exists()
    from matplotlib.font_manager import FontProperties, findfont

    assert Path(findfont(FontProperties(family=info.name), fallback_to_default=False)).exists()


def test_exports_open_with_embedded_font(cfg, tmp_path):
    fig = briefing_figures(cfg, "2023-12-31")["target_completion_secondary"]
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
    fonts = page["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        desc = font.get("/FontDescriptor")
        if desc is None and "/DescendantFonts" in font:
            desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        if desc is not None:
            d = desc.get_object()
            embedded.append(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert embedded and all(embedded)
    slide = charts.export_figure(fig, tmp_path, "t", formats=["png"], size="slide")[0]
    assert mpimg.imread(slide).shape[:2] == (2250, 3999) or mpimg.imread(slide).shape[:2] == (2250, 3998)


def test_export_rejects_unknown_format(cfg, tmp_path):
    fig = briefing_figures(cfg, "2023-12-31")["plan_indicators"]
    with pytest.raises(ValueError, match="unsupported format"):
        charts.export_figure(fig, tmp_path, "x", formats=["gif"])


def test_chart_input_errors():
    import pandas as pd

    with pytest.raises(ValueError, match="missing column"):
        charts.target_completion(pd.DataFrame({"unit_id": ["a"]}), "secondary_upgrade")
    assert callable(summary.year_end_tables)  # the analyses import without data
