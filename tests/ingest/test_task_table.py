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
from eduanalytics.errors import InputError
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


# -- a county's own task table (tests/_support/county.py has the hand-worked figures) --------

def test_county_docx_task_table_with_other_header_words(tmp_path):
    """北山乡's blank 初高中 cell is rejected (blank is not 0); — and 无 are read as 0.

    Without 北山乡 (4000, 1500, blank, 5): 常住人口 12345+8000+6000 = 26345 against the
    合计 30345 (+4000); 其中初中及以下 5000+3000+2500 = 10500 against 13200 (+2700);
    初高中 30+20+15+10 = 75 = 合计; 大专 10+0+0 = 10 against 15 (+5).
    """
    from _support.county import load_county, make_county

    cfg = load_county(make_county(tmp_path))
    spec = cfg.input("task_table")
    res = ingest_task_table(spec.path, cfg, spec=spec)
    t, b = res.tables["targets"], res.tables["bases"]
    sec = t[t["programme"] == "secondary_upgrade"].set_index("unit_id")["target"].to_dict()
    assert sec == {"dongcheng": 30, "xicheng": 20, "nanshan": 15, "zhizhong": 10}
    ter = t[t["programme"] == "tertiary_upgrade"].set_index("unit_id")["target"].to_dict()
    assert ter == {"dongcheng": 10, "xicheng": 0, "nanshan": 0}  # '/' is no row
    low = b[b["base"] == "low_jsec_20_59"].set_index("unit_id")["count"].to_dict()
    assert low == {"dongcheng": 5000, "xicheng": 3000, "nanshan": 2500}
    assert _sum(b, "count", "base", "resident") == 26345  # 12,345 with its separator
    rej = res.rejected
    assert len(rej) == 1 and rej["column"].iloc[0] == "初高中学历提升任务（人）"
    assert rej["reason"].iloc[0] == "target blank; expected a number, 0, — or /"
    f = res.findings.set_index("column")
    row = f.loc["其中初中及以下学历人口"]
    assert (row["kind"], row["published"], row["computed"], row["difference"]) == (
        "total_mismatch", 13200, 10500, 2700)
    assert "13,200" in row["message"] and "10,500" in row["message"]
    assert f.loc["常住人口", "difference"] == 4000
    assert f.loc["初高中学历提升任务（人）", "kind"] == "total_matches"
    assert f.loc["大专及以上学历提升任务（人）", "difference"] == 5
    zeros = res.changes[res.changes["change"].str.contains("read as 0")]
    assert zeros.set_index("column")["n"].to_dict() == {"大专及以上学历提升任务（人）": 2}
    assert res.rows_in == 6 and res.rows_clean == 4 and res.rows_total == 1
    assert res.rows_rejected == 1
    assert res.sheets["used"].tolist() == [True] and res.sheets["sheet"].iloc[0] == "table 0"


def test_county_unit_header_unknown_without_fields_names_the_key(tmp_path):
    from _support.county import CONFIG, load_county, make_county

    entry = {k: v for k, v in CONFIG["inputs"]["task_table"].items() if k != "fields"}
    cfg = load_county(make_county(tmp_path, task_table=entry))
    with pytest.raises(InputError) as exc:
        ingest_task_table(cfg.input("task_table").path, cfg, spec=cfg.input("task_table"))
    assert "inputs.task_table" in str(exc.value)


def test_declared_population_column_absent_is_an_input_error(tmp_path):
    from _support.county import CONFIG, load_county, make_county

    entry = {**CONFIG["inputs"]["task_table"],
             "populations": [{"column": "15-59岁人口", "base": "age_15_59"}]}
    cfg = load_county(make_county(tmp_path, task_table=entry))
    with pytest.raises(InputError) as exc:
        ingest_task_table(cfg.input("task_table").path, cfg, spec=cfg.input("task_table"))
    msg = str(exc.value)
    assert "notice.docx" in msg and "15-59岁人口" in msg
    assert "inputs.task_table.populations" in msg and "其中初中及以下学历人口" in msg


def test_declared_targets_map_columns_to_programmes(tmp_path):
    from _support.county import CONFIG, TASK_ROWS, load_county, make_county, write_docx_table

    entry = {**CONFIG["inputs"]["task_table"],
             "targets": [{"column": "学历提升(初高中段)", "programme": "secondary_upgrade"}]}
    root = make_county(tmp_path, task_table=entry)
    header = ["责任镇街", "常住人口", "其中初中及以下学历人口", "学历提升（初高中段）", "备注"]
    write_docx_table(root / "data/raw/jia/2024/notice.docx", header, TASK_ROWS)
    cfg = load_county(root)
    res = ingest_task_table(cfg.input("task_table").path, cfg, spec=cfg.input("task_table"))
    t = res.tables["targets"]
    # the declared header matches across full-width brackets; 备注 is no target
    assert t["programme"].unique().tolist() == ["secondary_upgrade"]
    assert int(t["target"].sum()) == 75


def test_target_words():
    from eduanalytics.ingest.task_table import target_programme

    assert target_programme("初高中学历提升任务（人）") == "secondary_upgrade"
    assert target_programme("大专及以上学历提升人数") == "tertiary_upgrade"
    assert target_programme("职业技能培训任务（人次）") == "vocational_training"
    assert target_programme("常住人口") is None


# -- bad input: each fix worked by hand on the seed-000 CSV -----------------------------------

def _edited(tmp_path, name, edit):
    """The seed-000 CSV (all cells text) after ``edit(df)``, written as ``name``."""
    df = pd.read_csv(TASK_CSV, dtype=str, keep_default_na=False)
    df = edit(df) if edit is not None else df
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path


def test_second_row_of_a_unit_is_rejected_as_duplicate(cfg, tmp_path):
    # 路南 (line 2) printed again on line 3: the copy is rejected, the sums stay 1319 / 628934
    bad = _edited(tmp_path, "dup.csv", lambda df: pd.concat([df.iloc[:1], df]).reset_index(drop=True))
    res = ingest_task_table(bad, cfg)
    rej = res.rejected
    assert rej["row"].tolist() == [3] and rej["column"].tolist() == ["责任单位"]
    assert rej["reason"].iloc[0] == "duplicate of row 2 (same unit)"
    assert rej["value"].iloc[0] == "路南街道"
    t, b = res.tables["targets"], res.tables["bases"]
    assert _sum(t, "target", "programme", "secondary_upgrade") == 1319
    assert _sum(b, "count", "base", "resident") == 628934
    assert res.rows_in == 17 and res.rows_clean == 15 and res.rows_rejected == 1
    assert (res.findings.set_index("column").loc["初高中学历提升人数", "kind"]) == "total_matches"


def test_blank_target_is_rejected_but_dash_none_and_zero_are_zero(cfg, tmp_path):
    def edit(df):
        col = "初高中学历提升人数"
        df.loc[df["责任单位"] == "路南街道", col] = ""    # line 2: rejected
        df.loc[df["责任单位"] == "路桥街道", col] = "—"   # line 3: 0, counted
        df.loc[df["责任单位"] == "路北街道", col] = "无"   # line 4: 0, counted
        df.loc[df["责任单位"] == "螺洋街道", col] = "0"   # line 5: 0, not a change
        return df

    res = ingest_task_table(_edited(tmp_path, "blank.csv", edit), cfg)
    rej = res.rejected
    assert rej["row"].tolist() == [2] and rej["column"].tolist() == ["初高中学历提升人数"]
    assert rej["reason"].iloc[0] == "target blank; expected a number, 0, — or /"
    sec = res.tables["targets"].query("programme == 'secondary_upgrade'").set_index("unit_id")
    assert "lunan" not in sec.index
    assert sec.loc[["luqiao", "lubei", "luoyang"], "target"].tolist() == [0, 0, 0]
    # 1319 - 106 - 141 - 128 - 100 = 844
    assert int(sec["target"].sum()) == 844
    zeros = res.changes[res.changes["change"].str.contains("read as 0")]
    assert zeros.set_index("column")["n"].to_dict() == {"初高中学历提升人数": 2}
    assert res.rows_in == 16 and res.rows_clean == 14 and res.rows_rejected == 1


def test_column_mapping_to_nothing_is_a_finding(cfg, tmp_path):
    def edit(df):
        df = df.rename(columns={"初高中学历提升人数": "初高中提升任务数"})
        df.insert(0, "序号", [str(i) for i in range(1, 16)] + [""])
        return df.assign(备注="见附件")

    res = ingest_task_table(_edited(tmp_path, "renamed.csv", edit), cfg)
    unused = res.findings[res.findings["kind"] == "column_unused"]
    # 序号 is a running number and 备注 holds no number: only the renamed target column,
    # whose 12 unit rows (10 streets, 2 schools) hold a number
    assert unused["column"].tolist() == ["初高中提升任务数"]
    assert unused["published"].iloc[0] == 12
    assert "初高中提升任务数" in unused["message"].iloc[0]
    assert "inputs.task_table.targets" in unused["message"].iloc[0]
    assert "secondary_upgrade" not in set(res.tables["targets"]["programme"])
    assert res.rows_rejected == 0


def test_base_above_resident_population_is_a_finding(cfg, tmp_path):
    def edit(df):
        df.loc[df["责任单位"] == "路南街道", "20-59周岁人口"] = "60000"
        return df

    res = ingest_task_table(_edited(tmp_path, "over.csv", edit), cfg)
    over = res.findings[res.findings["kind"] == "base_exceeds_resident"]
    assert len(over) == 1
    f = over.iloc[0]
    # 60000 aged 20-59 against 54719 residents: 5281 too many
    assert (f["row"], f["column"], f["published"], f["computed"], f["difference"]) == (
        2, "20-59周岁人口", 60000, 54719, 5281)
    assert "60,000" in f["message"] and "54,719" in f["message"] and "路南街道" in f["message"]
    assert res.rows_rejected == 0 and res.rows_clean == 15


def test_seed_table_has_no_unused_column_or_base_above_resident(cfg):
    res = ingest_task_table(TASK_CSV, cfg)
    assert not res.findings["kind"].isin(["column_unused", "base_exceeds_resident"]).any()


@pytest.mark.parametrize("keep", [0, 1], ids=["header_only", "totals_only"])
def test_table_without_unit_rows_is_an_input_error(cfg, tmp_path, keep):
    bad = _edited(tmp_path, "empty.csv", lambda df: df.iloc[len(df) - keep:])
    with pytest.raises(InputError) as exc:
        ingest_task_table(bad, cfg)
    msg = str(exc.value)
    assert "empty.csv" in msg and "holds no unit rows" in msg
