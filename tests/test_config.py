"""The typed config API: inputs, layouts, declared columns, region words, errors that name
the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from eduanalytics.config import load_config
from eduanalytics.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path, **data):
    base = {"region": "jia", "name": "某市甲县", "default_year": 2024,
            "units": [{"id": "dongcheng", "name": "东城街道", "kind": "street"}],
            "inputs": {"task_table": {"path": "t.csv"}}}
    base.update(data)
    p = tmp_path / "jia.yaml"
    p.write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    return load_config(p, root=tmp_path)


def test_input_spec_layout_and_declared_columns(tmp_path):
    cfg = _write(tmp_path, inputs={"task_table": {
        "path": "notice.docx", "table": {"has_columns": ["单位名称"]}, "header_rows": 2,
        "fields": {"unit": "单位名称"},
        "populations": [{"column": "其中初中及以下学历人口", "base": "low_jsec_20_59",
                         "age": [20, 59], "levels": ["none", "primary"]}],
        "targets": [{"column": "初高中学历提升任务（人）", "programme": "secondary_upgrade"}]},
        "survey": {"path": "@raw/shared/survey.xlsx", "sheet": 0}})
    spec = cfg.input("task_table")
    assert spec.path == tmp_path / "data/raw/jia/2024/notice.docx"
    assert spec.layout == {"table": {"has_columns": ["单位名称"]}, "header_rows": [2]}
    assert spec.fields == {"unit": ["单位名称"]}
    assert spec.populations[0]["base"] == "low_jsec_20_59" and spec.populations[0]["age"] == [20, 59]
    assert spec.targets == [{"column": "初高中学历提升任务（人）", "programme": "secondary_upgrade"}]
    assert spec.key("targets") == "inputs.task_table.targets"
    survey = cfg.input("survey")
    assert survey.path == tmp_path / "data/raw/shared/survey.xlsx" and survey.layout == {"sheet": 0}
    assert cfg.input("register") is None
    assert cfg.level_word == "县" and cfg.whole_word == "全县"


def test_config_errors_name_file_and_key(tmp_path):
    cfg = _write(tmp_path, inputs={"task_table": {"path": "t.csv", "sheeet": 1}})
    with pytest.raises(ConfigError) as exc:
        cfg.input("task_table")
    assert "jia.yaml" in str(exc.value) and "inputs.task_table" in str(exc.value)
    assert "sheeet" in str(exc.value)
    cfg = _write(tmp_path, inputs={"task_table": {"path": "t.csv",
                                                  "populations": [{"column": "常住人口"}]}})
    with pytest.raises(ConfigError, match=r"inputs.task_table.populations\[0\]"):
        _ = cfg.input("task_table").populations
    with pytest.raises(ConfigError, match="inputs.census"):
        cfg.input("census")
    cfg = _write(tmp_path, inputs={})
    with pytest.raises(ConfigError, match="inputs.task_table"):
        cfg.input("task_table", required=True)


def test_units_carry_the_prefixes(tmp_path):
    cfg = _write(tmp_path, unit_prefixes=["甲县教育局"])
    assert cfg.units().attrs["unit_prefixes"] == ["甲县教育局", "某市甲县", "某市", "甲县"]


def test_bundled_example_inputs():
    cfg = load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)
    assert set(cfg.inputs()) == {"task_table", "task_table_copy", "register", "census_streets",
                                 "survey", "census_county", "plan_indicators", "ce_targets"}
    assert cfg.input("register").synthetic and not cfg.input("task_table").synthetic
    assert cfg.census_code == "331004"
