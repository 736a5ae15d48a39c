"""publish(): PNG only inside the report, the title kept for alt text, nothing recreated."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image

from eduanalytics.charts import themed
from eduanalytics.errors import ReportError
from eduanalytics.report.outputs import publish, tables_dir


def _fig():
    with themed():
        fig = Figure()
        fig.subplots().set_title("月度晾晒")
    return fig


def test_publish_writes_png_and_parquet_only(tmp_path):
    charts = tmp_path / "report" / "charts"
    charts.mkdir(parents=True)
    t = pd.DataFrame({"unit_id": ["a"], "target": [3]})
    assert publish("04_board", str(charts), table=t, figure=_fig()) is None
    assert [p.name for p in charts.iterdir()] == ["04_board.png"]
    with Image.open(charts / "04_board.png") as im:
        assert im.info["Title"] == "月度晾晒"
    assert tables_dir(charts) == tmp_path / "report" / "tables"
    pd.testing.assert_frame_equal(pd.read_parquet(tables_dir(charts) / "04_board.parquet"), t)


def test_empty_charts_dir_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    publish("x", "", table=pd.DataFrame({"a": [1]}), figure=_fig())
    assert not list(tmp_path.iterdir())


def test_a_removed_report_folder_is_not_recreated(tmp_path):
    charts = tmp_path / ".2023.tmp-1-abc" / "charts"  # the run was stopped and its folder removed
    with pytest.raises(ReportError, match="gone"):
        publish("x", str(charts), table=pd.DataFrame({"a": [1]}))
    assert not list(tmp_path.iterdir())
