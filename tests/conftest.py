"""Shared fixtures: the full report on the bundled example is built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def report(tmp_path_factory):
    from eduanalytics.config import load_config
    from eduanalytics.report.build import run_report

    cfg = load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)
    out = tmp_path_factory.mktemp("reports") / "luqiao" / "2023"
    return run_report(cfg, as_of="2023-12-31", out_dir=out, progress=False)
