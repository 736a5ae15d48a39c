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


# -- the Dask engine through run_clean: enrolments written as parts by the workers ---------
# The region of _support.register_parts: its register is the hand-built 18-row register in
# 5 Parquet parts (8 rejected, 10 clean: a 3, b 3, c 3, d 1, e 0), with 原学历 and 未注册原因
# blank in part a and filled in the others (see with_levels for the figures).
FILES = ("rejected.csv", "changes.csv", "findings.csv", "reconciliation.csv", "cleaning_log.md",
         "provenance.json")


@pytest.fixture(scope="module")
def parts_region(tmp_path_factory):
    from _support.register_parts import make_region

    from eduanalytics.config import load_config

    return load_config(make_region(tmp_path_factory.mktemp("parts_region")), 2023)


@pytest.fixture(scope="module")
def by_engine(parts_region, tmp_path_factory):
    """The region cleaned by each engine into its own folder."""
    from eduanalytics.ingest.pipeline import run_clean

    out = tmp_path_factory.mktemp("by_engine")
    return {e: run_clean(parts_region, out_dir=out / e, engine=e, scheduler="synchronous")
            for e in ("pandas", "dask")}


def _as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Coded columns as text: a column left blank throughout is a categorical without
    categories in a folder of parts, plain objects in a one-file table."""
    return df.astype({c: "string" for c in df.columns
                      if isinstance(df[c].dtype, pd.CategoricalDtype) or df[c].dtype == object})


def test_dask_clean_writes_enrolments_as_parts(by_engine):
    from eduanalytics.ingest.pipeline import is_lazy

    res = by_engine["dask"]
    folder = res.out_dir / "enrolments.parquet"
    assert folder.is_dir()
    assert sorted(p.name for p in folder.iterdir()) == [f"part-{i:05d}.parquet" for i in range(5)]
    assert not list(res.out_dir.parent.glob(f".{res.out_dir.name}.*"))  # no temporary folder, no lock
    assert (by_engine["pandas"].out_dir / "enrolments.parquet").is_file()
    # the run's table stays lazy, over the parts in the final folder (the temporary one is gone)
    lazy = res.tables["enrolments"]
    assert is_lazy(lazy) and not is_lazy(by_engine["pandas"].tables["enrolments"])
    assert int(lazy.map_partitions(len).sum().compute()) == 10
    # computed (gathered: only on a table this small), the pandas engine's rows; Dask has its
    # own string dtype
    pd.testing.assert_frame_equal(_as_text(lazy.compute().reset_index(drop=True)),
                                  _as_text(by_engine["pandas"].tables["enrolments"]),
                                  check_dtype=False)
    assert res.table_rows()["enrolments"] == 10
    prov = json.loads((res.out_dir / "provenance.json").read_text(encoding="utf-8"))
    assert prov["tables"]["enrolments"]["rows"] == 10


def test_dask_clean_reads_back_as_the_pandas_engines_table(by_engine):
    """Read back through the catalog, the parts are the pandas engine's table: exactly its
    in-memory table (dtypes and categories too), and its written file's values; every other
    table is the same."""
    from eduanalytics.catalog import TABLES, read_table, table_path

    folder = {e: r.out_dir for e, r in by_engine.items()}
    enr = read_table(folder["dask"], "enrolments")
    pd.testing.assert_frame_equal(enr, by_engine["pandas"].tables["enrolments"])
    pd.testing.assert_frame_equal(_as_text(enr), _as_text(read_table(folder["pandas"], "enrolments")))
    # the hand-worked figures (with_levels on the harder register)
    assert enr["unit_id"].value_counts().to_dict() == {"jinqing": 4, "lunan": 3, "pengjie": 3}
    assert enr["level_from"].isna().sum() == 3
    assert enr["level_from"].value_counts().to_dict() == {"junior_secondary": 4, "senior_secondary": 3}
    assert enr["register_fail_reason"].value_counts().to_dict() == {"no_id_card": 1}
    for name in TABLES:
        if name != "enrolments" and table_path(folder["pandas"], name).exists():
            pd.testing.assert_frame_equal(read_table(folder["dask"], name),
                                          read_table(folder["pandas"], name))


def test_dask_clean_writes_the_pandas_engines_files(by_engine):
    """Rejected rows, changes, findings, reconciliation, log and provenance: byte for byte
    the pandas engine's."""
    a, b = (by_engine[e].out_dir for e in ("pandas", "dask"))
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    rec = pd.read_csv(b / "reconciliation.csv")
    reg = rec[rec["step"] == "enrolments"].iloc[0]
    assert (reg["rows_in"], reg["rows_clean"], reg["rows_rejected"]) == (18, 10, 8)


def test_clean_on_worker_processes_writes_the_same_files(parts_region, by_engine, tmp_path):
    """``inputs.register.workers: 2`` (forked workers, the pipeline's lock and temporary
    folder around them): the same tables and files as one process."""
    from eduanalytics.catalog import read_table
    from eduanalytics.config import load_config
    from eduanalytics.ingest.pipeline import run_clean

    path = parts_region.path.parent / "parts_workers.yaml"
    path.write_text(parts_region.path.read_text(encoding="utf-8").replace(
        "register: {path: register}", "register: {path: register, workers: 2}"), encoding="utf-8")
    cfg = load_config(path, 2023)
    assert cfg.input("register").workers() == 2
    res = run_clean(cfg, out_dir=tmp_path / "out")
    one = by_engine["pandas"].out_dir
    for name in ("rejected.csv", "changes.csv", "findings.csv", "reconciliation.csv"):
        assert (one / name).read_bytes() == (res.out_dir / name).read_bytes(), name
    pd.testing.assert_frame_equal(read_table(res.out_dir, "enrolments"), read_table(one, "enrolments"))
    assert not list(res.out_dir.parent.glob(f".{res.out_dir.name}.*"))  # no temporary folder, no lock


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_dask_clean_leaves_the_previous_folder(tmp_path):
    """A part that is no Parquet file stops the run on the workers of a (threaded, local)
    cluster, after they have written other parts into the temporary folder: the error is
    ours, and the previous folder, its lock and its siblings are as they were."""
    distributed = pytest.importorskip("distributed")
    from _support.register_parts import make_region

    from eduanalytics.config import load_config
    from eduanalytics.errors import IngestError
    from eduanalytics.ingest.pipeline import run_clean

    cfg = load_config(make_region(tmp_path / "region"), 2023)
    out = tmp_path / "processed"
    run_clean(cfg, out_dir=out, engine="dask", scheduler="synchronous")
    before = _snapshot(out)
    assert "enrolments.parquet/part-00004.parquet" in before
    (cfg.file("register") / "f.parquet").write_bytes(b"not a Parquet file")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            pytest.raises(IngestError, match="cannot read as Parquet"):
        run_clean(cfg, out_dir=out, engine="dask", scheduler=cluster.scheduler_address)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "region"]
