"""Ingest: the seed-000 task table from CSV and DOCX, bad input quarantined, rows reconcile.

Hand-worked figures (seed 000, 各单位民生实事任务分解):
- 初高中学历提升: streets 106+141+128+100+88+104+69+73+239+171 = 1219, + 区中职校 30 +
  恒勃技工学校 70 = 1319 = the printed 合计.
- 大专及以上: streets 26+35+32+25+21+25+17+18+59+42 = 300, + 自学考试 200 + 成人高校 1600
  + 开放大学路桥学院 850 = 2950 = 合计.
- 职业教育培训人次: 6800 + 500 = 7300 = 合计.
- 常住人口: 54719+72705+66199+51925+45017+53357+35736+37520+123722+88034 = 628934 = 合计.
- 20-59周岁人口: 37580+49449+47222+36482+29978+35470+23868+25416+82718+59532 = 427715,
  but the 合计 prints 405026 (difference -22689).
- 其中高中及以下: 32587+39637+34667+29119+25660+31936+21317+22890+73885+53614 = 365312,
  but the 合计 prints 368047 (difference +2735).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from eduanalytics.config import load_config
from eduanalytics.ingest.core import IngestError
from eduanalytics.ingest.task_table import ingest_task_table

ROOT = Path(__file__).resolve().parents[2]


TASK_CSV = ROOT / "data/raw/luqiao/2023/task_table/luqiao_2023_task_table.csv"


TASK_DOCX = ROOT / "data/raw/luqiao/2023/task_table/luqiao_2023_task_table.docx"


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)


def _sum(df, col, key, value):
    return int(df.loc[df[key] == value, col].sum())


def test_task_table_csv_totals_by_hand(cfg):
    res = ingest_task_table(TASK_CSV, cfg)
    t, b = res.tables["targets"], res.tables["bases"]
    assert _sum(t, "target", "programme", "secondary_upgrade") == 1319
    assert _sum(t, "target", "programme", "tertiary_upgrade") == 2950
    assert _sum(t, "target", "programme", "vocational_training") == 7300
    assert _sum(b, "count", "base", "resident") == 628934
    assert _sum(b, "count", "base", "age_20_59") == 427715
    # '/' cells are not rows: 12 units carry a secondary target, 13 a tertiary one, 2 training
    assert t.groupby("programme").size().to_dict() == {
        "secondary_upgrade": 12, "tertiary_upgrade": 13, "vocational_training": 2}
    assert res.rows_in == 16 and res.rows_total == 1 and res.rows_clean == 15
    assert res.rows_rejected == 0
    f = res.findings.set_index("column")
    assert f.loc["20-59周岁人口", "published"] == 405026
    assert f.loc["20-59周岁人口", "computed"] == 427715
    assert f.loc["20-59周岁人口", "difference"] == -22689
    assert f.loc["其中高中及以下学历人口", "difference"] == 2735
    assert f.loc["常住人口", "kind"] == "total_matches"
    assert f.loc["初高中学历提升人数", "kind"] == "total_matches"


def test_task_table_csv_and_docx_give_the_same_tidy_tables(cfg):
    a = ingest_task_table(TASK_CSV, cfg)
    b = ingest_task_table(TASK_DOCX, cfg)
    for name in ("targets", "bases"):
        x = a.tables[name].drop(columns="source", errors="ignore").sort_values(["unit_id", a.tables[name].columns[2]]).reset_index(drop=True)
        y = b.tables[name].drop(columns="source", errors="ignore").sort_values(["unit_id", b.tables[name].columns[2]]).reset_index(drop=True)
        pd.testing.assert_frame_equal(x, y)


def test_gbk_file_reads_the_same(cfg, tmp_path):
    gbk = tmp_path / "task_gbk.csv"
    gbk.write_bytes(TASK_CSV.read_text(encoding="utf-8").encode("gbk"))
    a = ingest_task_table(TASK_CSV, cfg).tables["targets"]
    b = ingest_task_table(gbk, cfg).tables["targets"]
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_missing_column_is_a_clear_error(cfg, tmp_path):
    bad = tmp_path / "no_unit.csv"
    df = pd.read_csv(TASK_CSV, dtype=str).drop(columns="责任单位")
    df.to_csv(bad, index=False)
    with pytest.raises(IngestError) as exc:
        ingest_task_table(bad, cfg)
    msg = str(exc.value)
    assert "no_unit.csv" in msg and "责任单位" in msg and "missing required column" in msg


def test_negative_count_and_unknown_unit_are_quarantined_not_lost(cfg, tmp_path):
    df = pd.read_csv(TASK_CSV, dtype=str, keep_default_na=False)
    df.loc[df["责任单位"] == "路南街道", "初高中学历提升人数"] = "-106"
    df.loc[df["责任单位"] == "新桥镇", "责任单位"] = "椒江区"
    bad = tmp_path / "bad.csv"
    df.to_csv(bad, index=False)
    res = ingest_task_table(bad, cfg)
    rej = res.rejected
    assert set(rej["row"]) == {2, 8}  # header is line 1: 路南 line 2, 新桥镇 line 8
    neg = rej.loc[rej["row"] == 2].iloc[0]
    assert neg["column"] == "初高中学历提升人数" and "negative" in neg["reason"] and "-106" in neg["reason"]
    unk = rej.loc[rej["row"] == 8].iloc[0]
    assert unk["column"] == "责任单位" and "椒江区" in unk["reason"]
    assert res.rows_in == res.rows_clean + res.rows_rejected + res.rows_total == 16
    assert "lunan" not in set(res.tables["targets"]["unit_id"])
