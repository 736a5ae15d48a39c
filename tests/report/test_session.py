"""The notebook session: heading, source lines and notes from the region config."""

from __future__ import annotations

import pytest

from eduanalytics.config import load_config
from eduanalytics.report.session import SYNTHETIC_NOTE, Session, notes_markdown, source_line

CONFIG = """
region: mini
name: 某某县
default_year: 2023
{notice}
units: [{{id: a, name: 甲镇, kind: town}}]
programmes: {{secondary_upgrade: {{measure: persons}}}}
inputs: {{task_table: task.csv}}
"""


def _cfg(tmp_path, notice: str = ""):
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "data").mkdir(exist_ok=True)
    path = tmp_path / "config" / "mini.yaml"
    path.write_text(CONFIG.format(notice=notice), encoding="utf-8")
    return load_config(path, root=tmp_path)


def test_source_line_cites_the_configured_notice(tmp_path):
    cfg = _cfg(tmp_path, "notice: {number: 某教〔2023〕1号, title: 关于某事的通知}")
    assert source_line(cfg, "学员登记册") == "某教〔2023〕1号; 学员登记册"
    assert source_line(cfg) == "某教〔2023〕1号"


def test_source_line_without_a_notice_names_the_task_table(tmp_path):
    cfg = _cfg(tmp_path)
    assert source_line(cfg, "学员登记册", "") == "目标任务表; 学员登记册"


def test_notes_markdown():
    assert notes_markdown({"notes": ["无摸排数据", "未提供规划"]}) == "> 说明：无摸排数据  \n> 说明：未提供规划  "
    assert notes_markdown(["甲"]) == "> 说明：甲  "
    assert notes_markdown({"x": 1}) == "" and notes_markdown(None) == ""


@pytest.mark.parametrize("synthetic", [True, False])
def test_heading_and_notes_of_a_session(tmp_path, synthetic):
    cfg = _cfg(tmp_path, "notice: {number: 某教〔2023〕1号}")
    s = Session(cfg=cfg, tables={}, names={}, synthetic=synthetic, as_of="2023-06-30")
    head = s.heading()
    assert head.startswith("**某某县 2023年**，截至 2023-06-30")
    assert (SYNTHETIC_NOTE in head) is synthetic
    assert s.source("登记册") == "某教〔2023〕1号; 登记册"
    assert s.notes({"notes": ["甲"]}, display=False) == "> 说明：甲  "
