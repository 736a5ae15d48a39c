"""``eduanalytics charts``: the briefing charts as files, in the formats and size asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduanalytics.config import load_config
from eduanalytics.ingest.pipeline import run_clean
from eduanalytics.report.briefing import export_briefing_charts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cfg():
    cfg = load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)
    if not (cfg.processed_dir / "enrolments.parquet").exists():
        run_clean(cfg)
    return cfg


def test_every_briefing_chart_in_the_format_and_size_asked(cfg, tmp_path):
    paths = export_briefing_charts(cfg, "2023-12-31", formats=("svg",), size="half_a4",
                                   out_dir=tmp_path)
    names = sorted(p.name for p in paths)
    assert len(names) == 9 and all(n.endswith("_half_a4.svg") for n in names)
    assert "target_completion_secondary_half_a4.svg" in names
    assert sorted(p.name for p in tmp_path.iterdir()) == names
