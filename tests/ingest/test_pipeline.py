"""End to end: notebook 01 through papermill on the bundled data writes the processed
tables and a cleaning log that accounts for every row and exposes nobody."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
ID_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    nb_out = out / "01_clean.out.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks/01_clean.ipynb"), str(nb_out),
        parameters={"config": "config/luqiao.yaml", "year": 2023, "as_of": "2023-12-31",
                    "processed_dir": str(out / "luqiao/2023"), "charts_dir": ""},
        cwd=str(ROOT), progress_bar=False, kernel_name="python3",
    )
    return out / "luqiao/2023", nb_out


def test_processed_tables_written(cleaned):
    folder, _ = cleaned
    for name in ("units", "targets", "bases", "enrolments", "population", "census_county",
                 "census_reported", "plan_indicators", "ce_targets"):
        assert (folder / f"{name}.parquet").exists(), name
    for name in ("cleaning_log.md", "rejected.csv", "findings.csv", "reconciliation.csv",
                 "provenance.json"):
        assert (folder / name).exists(), name


def test_every_row_accounted_for(cleaned):
    folder, _ = cleaned
    rec = pd.read_csv(folder / "reconciliation.csv")
    assert (rec["rows_in"] == rec["rows_clean"] + rec["rows_rejected"] + rec["rows_total"]).all()
    rej = pd.read_csv(folder / "rejected.csv")
    enr = pd.read_parquet(folder / "enrolments.parquet")
    # the register reconciles per sheet: one row for 学历提升, one for 职业培训
    reg = rec[rec["step"].str.startswith("enrolments")]
    assert sorted(reg["step"]) == ["enrolments[学历提升]", "enrolments[职业培训]"]
    assert reg["rows_clean"].sum() == len(enr)
    assert reg["rows_rejected"].sum() == rej[rej["step"].str.startswith("enrolments")][["step", "file", "row"]].drop_duplicates().shape[0]


def test_no_personal_data_in_processed(cleaned):
    folder, nb_out = cleaned
    for path in [*folder.iterdir(), nb_out]:
        if path.suffix == ".parquet":
            text = pd.read_parquet(path).astype(str).to_csv()
        else:
            text = path.read_text(encoding="utf-8-sig", errors="ignore")
        assert not ID_RE.search(text), f"an 18-digit ID number in {path.name}"
    enr = pd.read_parquet(folder / "enrolments.parquet")
    assert not {"name", "id_number", "姓名", "身份证号"} & set(enr.columns)


def test_provenance_marks_synthetic(cleaned):
    folder, _ = cleaned
    prov = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    assert prov["tables"]["enrolments"]["synthetic"] is True
    assert prov["tables"]["targets"]["synthetic"] is False
    log = (folder / "cleaning_log.md").read_text(encoding="utf-8")
    assert "示例数据" in log
    assert "405,026" in log and "427,715" in log  # the 20-59 total that does not add up


def test_census_unit_without_code_is_reported(cleaned):
    folder, _ = cleaned
    f = pd.read_csv(folder / "findings.csv")
    row = f[f["kind"] == "missing_code"]
    assert len(row) == 1 and "温州经济技术开发区" in row["message"].iloc[0]
    rep = pd.read_parquet(folder / "census_reported.parquet")
    assert "温州经济技术开发区" in set(rep["unit_id"]) and len(rep) == 103


def test_processed_tables_follow_the_contract(cleaned):
    from eduanalytics.tables.columns import COLUMNS

    folder, _ = cleaned
    for name, cols in COLUMNS.items():
        assert sorted(pd.read_parquet(folder / f"{name}.parquet").columns) == sorted(cols), name
