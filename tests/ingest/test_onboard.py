"""``eduanalytics init``: a starting config from a folder of a new county's files."""

from __future__ import annotations

import pytest
import yaml
from _support.county import TASK_HEADER, TASK_ROWS, write_docx_table, write_survey_xlsx

from eduanalytics.cli import main
from eduanalytics.errors import ConfigError
from eduanalytics.ingest.onboard import unit_kind, write_config


def _folder(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    write_docx_table(folder / "通知.docx", TASK_HEADER, TASK_ROWS)
    write_survey_xlsx(folder / "摸排.xlsx")
    (folder / "readme.txt").write_text("说明文字\n", encoding="utf-8")
    return folder


def test_unit_kinds():
    assert [unit_kind(n) for n in ("东城街道", "南山镇", "北山乡", "甲县职业中专", "自学考试",
                                   "西城街道办事处", "南山镇人民政府")] == [
        "street", "town", "township", "school", "other", "street", "town"]


def test_init_writes_a_starting_config(tmp_path):
    out = write_config(_folder(tmp_path), tmp_path / "config/jia.yaml", region="jia",
                       name="某市甲县", year=2024)
    text = out.read_text(encoding="utf-8")
    cfg = yaml.safe_load(text)
    names = [(u["name"], u["kind"]) for u in cfg["units"]]
    assert names == [("甲县东城街道", "street"), ("西城街道办事处", "street"),
                     ("南山镇人民政府", "town"), ("北山乡", "township"), ("甲县职业中专", "school")]
    assert list(cfg["programmes"]) == ["secondary_upgrade", "tertiary_upgrade"]
    task = cfg["inputs"]["task_table"]
    assert task["path"].endswith("通知.docx") and task["table"] == 0
    assert task["fields"] == {"unit": ["责任镇街"]}  # no known unit header: the first column
    assert [p["column"] for p in task["populations"]] == ["常住人口", "其中初中及以下学历人口"]
    assert task["populations"][0]["base"] == "resident"
    survey = cfg["inputs"]["survey"]
    assert survey["sheet"] == "摸排汇总" and survey["header_rows"] == [3] and survey["form"] == "wide"
    assert survey["columns"] == {"unit": "乡镇", "census": "七普人数", "survey": "摸排人数"}
    assert cfg["level_word"] == "县" and cfg["default_year"] == 2024
    # what it could not decide is listed as comments
    assert "# Not decided" in text and "其中初中及以下学历人口" in text.split("region:")[0]
    assert "survey: give its age band" in text and "no file for register" in text


def test_init_never_overwrites(tmp_path, capsys):
    folder = _folder(tmp_path)
    target = tmp_path / "jia.yaml"
    target.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not overwritten"):
        write_config(folder, target, region="jia")
    assert target.read_text(encoding="utf-8") == "# mine\n"
    assert main(["init", str(folder), "--region", "jia", "--out", str(target)]) == 2
    assert "not overwritten" in capsys.readouterr().err
    assert main(["init", str(folder), "--region", "jia", "--out", str(tmp_path / "new.yaml")]) == 0
