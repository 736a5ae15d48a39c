"""The ``inputs.<kind>`` mapping: options read as written, bad entries name their key."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduanalytics.errors import ConfigError
from eduanalytics.input_spec import InputSpec


def _spec(**options) -> InputSpec:
    return InputSpec(kind="task_table", path=Path("t.docx"), options=options,
                     config_file=Path("config/jia.yaml"))


def test_fields_and_values_as_lists_and_text():
    spec = _spec(fields={"unit": "单位名称", "id_number": ["公民身份号码", "证件号"]},
                 values={"mode": {"线上+线下": "blended"}})
    assert spec.fields == {"unit": ["单位名称"], "id_number": ["公民身份号码", "证件号"]}
    assert spec.values == {"mode": {"线上+线下": "blended"}}
    assert spec.get("missing", 7) == 7


def test_population_entry_without_base_names_its_key():
    spec = _spec(populations=[{"column": "常住人口"}])
    with pytest.raises(ConfigError, match=r"inputs\.task_table\.populations\[0\]") as info:
        _ = spec.populations
    assert "config/jia.yaml" in str(info.value)


def test_workers_default_auto_and_refusal(tmp_path):
    assert InputSpec("register", tmp_path, options={}).workers() == "auto"
    assert InputSpec("register", tmp_path, options={"workers": 3}).workers() == 3
    for bad in (0, -1, 2.5, "two", True):
        with pytest.raises(ConfigError, match="workers"):
            InputSpec("register", tmp_path, options={"workers": bad}).workers()


def test_batch_rows_default_and_refusal(tmp_path):
    from eduanalytics.errors import ConfigError
    from eduanalytics.input_spec import InputSpec

    assert InputSpec("register", tmp_path, options={}).batch_rows(131072) == 131072
    assert InputSpec("register", tmp_path, options={"batch_rows": 5000}).batch_rows(1) == 5000
    for bad in (10, "lots", True, 2.5):
        with pytest.raises(ConfigError, match="batch_rows"):
            InputSpec("register", tmp_path, options={"batch_rows": bad}).batch_rows(131072)
