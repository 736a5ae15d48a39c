"""Briefing charts: only those the region's tables support, sources from the config."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402
from _support.mini_county import CONFIG, make_tables  # noqa: E402

from eduanalytics.catalog import write_table  # noqa: E402
from eduanalytics.config import load_config  # noqa: E402
from eduanalytics.report.briefing import briefing_figures  # noqa: E402


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
