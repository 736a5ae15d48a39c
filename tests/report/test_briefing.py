"""Briefing charts: only those the region's tables support, sources from the config."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402
from _support.mini_county import CONFIG, make_tables  # noqa: E402

from eduanalytics.catalog import write_table  # noqa: E402
from eduanalytics.config import load_config  # noqa: E402
from eduanalytics.ingest.pipeline import run_clean  # noqa: E402
from eduanalytics.report.briefing import briefing_figures, export_briefing_charts  # noqa: E402


@pytest.fixture()
def cfg(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "data").mkdir()
    path = tmp_path / "config" / "mini.yaml"
    path.write_text(CONFIG.replace("level_word: 县", "level_word: 县\nnotice: {number: 某教〔2023〕9号}"),
                    encoding="utf-8")
    cfg = load_config(path, root=tmp_path)
    for name, df in make_tables().items():
        if name not in ("provenance", "population"):
            write_table(df, cfg.processed_dir, name)
    return cfg


def _texts(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def test_only_supported_charts_with_the_notice_as_source(cfg):
    figs = briefing_figures(cfg, "2023-12-31")
    # no street census, survey, projection or plan: those charts are left out
    assert set(figs) == {"target_completion_secondary", "monthly_board_secondary", "participation_secondary"}
    for fig in figs.values():
        text = _texts(fig)
        assert "某教〔2023〕9号" in text
        assert "路教办函" not in text
    assert "全县合计" in _texts(figs["target_completion_secondary"])
    assert "估算" in _texts(figs["participation_secondary"])


def test_english_labels(cfg):
    figs = briefing_figures(cfg, "2023-12-31", lang="en")
    assert "Total" in _texts(figs["target_completion_secondary"])


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def example_cfg():
    cfg = load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)
    if not (cfg.processed_dir / "enrolments.parquet").exists():
        run_clean(cfg)
    return cfg


def test_every_briefing_chart_in_the_format_and_size_asked(example_cfg, tmp_path):
    paths = export_briefing_charts(example_cfg, "2023-12-31", formats=("svg",), size="half_a4",
                                   out_dir=tmp_path)
    names = sorted(p.name for p in paths)
    assert len(names) == 9 and all(n.endswith("_half_a4.svg") for n in names)
    assert "target_completion_secondary_half_a4.svg" in names
    assert sorted(p.name for p in tmp_path.iterdir()) == names
