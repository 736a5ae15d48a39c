"""Every chart on the bundled data: Chinese that renders, exports that open."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402

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


# font and export tests live in test_fonts.py and test_export.py


def test_chart_input_errors():
    import pandas as pd

    with pytest.raises(ValueError, match="missing column"):
        charts.target_completion(pd.DataFrame({"unit_id": ["a"]}), "secondary_upgrade")
    assert callable(summary.year_end_tables)  # the analyses import without data
