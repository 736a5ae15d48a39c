"""``eduanalytics check`` on a made-up county folder (tests/_support/county.py)."""

from __future__ import annotations

from _support.county import CONFIG, load_county, make_county

from eduanalytics.cli import main
from eduanalytics.ingest.check import check_config_file, check_failed, check_region


def test_check_reports_each_input(tmp_path):
    root = make_county(tmp_path)
    (root / "data/raw/jia/2024/old_register.xlsx").write_bytes(b"")
    cfg = load_county(root)
    table = check_region(cfg).set_index("input")
    assert list(table.index) == ["task_table", "survey", "(no input)"]
    assert table.loc["(no input)", "file"].endswith("old_register.xlsx")
    assert table.loc["(no input)", "status"] == "note"
    task = table.loc["task_table"]
    # 6 rows: 5 units + 合计; 其中初中及以下's 合计 is off by 1,200
    # 北山乡's blank target cell quarantines its row: 6 in = 4 clean + 1 rejected + 1 total
    assert (task["rows_in"], task["rows_clean"], task["rows_rejected"], task["rows_total"]) == (6, 4, 1, 1)
    assert task["status"] == "warning" and "disagree" in task["problem"]
    assert task["sheet"] == "table 0" and task["header_rows"] == "1"
    assert "unit" in task["fields_matched"].split(", ")
    survey = table.loc["survey"]
    assert survey["sheet"] == "摸排汇总 (of 摸排汇总, 说明)" and survey["header_rows"] == "3"
    assert (survey["rows_in"], survey["rows_clean"], survey["rows_total"]) == (5, 4, 1)
    assert not check_failed(check_region(cfg))


def test_check_fails_when_the_task_table_is_unusable(tmp_path, capsys):
    entry = {**CONFIG["inputs"]["task_table"], "path": "missing.docx"}
    root = make_county(tmp_path, task_table=entry,
                       survey={**CONFIG["inputs"]["survey"], "sheet": "汇总表"})
    table = check_region(load_county(root)).set_index("input")
    assert table.loc["task_table", "status"] == "error"
    assert "missing.docx" in table.loc["task_table", "problem"]
    assert "inputs.task_table.path" in table.loc["task_table", "fix"]
    # a missing sheet names the sheets that exist, and says where to set it
    assert "摸排汇总" in table.loc["survey", "problem"] and "说明" in table.loc["survey", "problem"]
    assert "inputs.survey.sheet" in table.loc["survey", "fix"]
    assert check_failed(table.reset_index())
    assert main(["check", "--config", str(root / "config/jia.yaml")]) == 2
    out = capsys.readouterr().out
    assert "the report would fail" in out and "missing.docx" in out


def test_check_command_ok_and_bad_config(tmp_path, capsys):
    root = make_county(tmp_path)
    assert main(["check", "--config", str(root / "config/jia.yaml")]) == 0
    assert "the report can run" in capsys.readouterr().out
    bad = check_config_file(tmp_path / "nowhere.yaml")
    assert check_failed(bad) and bad.loc[0, "input"] == "config"
