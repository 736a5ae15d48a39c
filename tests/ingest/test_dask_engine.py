"""The Dask engine gives the pandas engine's answer on a partitioned Parquet register.

Hand-built register (3 parts, one per town, 4 rows each = 12 rows):
- part a (路南街道): row 3 has a wrong check digit;
- part b (金清镇): row 2 has a blank 报名日期;
- part c (蓬街镇): row 2 is learner A again (first seen in part a, row 1) in the same
  programme -> a duplicate across partitions, found only by looking at every part.
So 12 in, 3 rejected, 9 clean; the duplicate's reason names row 1 of part a.

A harder register adds two parts to those three:
- part d (4 rows): row 1 is learner 戊 of part b row 1 again (same programme) -> duplicate
  of row 1 of b; row 2 is a new learner; row 3 repeats row 2 -> duplicate of row 2 of the
  same part; row 4 has a wrong check digit AND a blank unit (two records, one row), so the
  part's records must be ordered by row (1, 3, 4, 4) although the duplicates are found
  after the other checks;
- part e (2 rows): every row rejected (unknown unit 椒江区; 2023-02-30 is no date), so its
  clean part is empty.
So 18 in, 3 + 3 + 2 = 8 rejected, 10 clean.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from stdnum.cn import ric

from eduanalytics.config import load_config
from eduanalytics.ingest.register import ingest_register

ROOT = Path(__file__).resolve().parents[2]
HEAD = ["姓名", "身份证号", "所属单位", "项目类别", "报名日期", "学籍状态", "学习方式"]


def _id(birth: str, seq: str) -> str:
    body = "331004" + birth + seq
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("parts")
    a_id = _id("19850306", "123")
    rows = {
        "a": [["甲", a_id, "路南街道", "初高中学历提升", "2023-03-06", "在读", "线下"],
              ["乙", _id("19800101", "111"), "路南", "初高中学历提升", "2023-03-07", "在读", "线上"],
              ["丙", _id("19900512", "345")[:-1] + "0" if _id("19900512", "345")[-1] != "0"
               else _id("19900512", "345")[:-1] + "1", "路南街道", "初高中学历提升", "2023-03-08",
               "在读", "线下"],
              ["丁", _id("19750101", "222"), "路南街道", "大专及以上学历提升", "2023-09-01", "已结业", "线下"]],
        "b": [["戊", _id("19860101", "333"), "金清镇", "初高中学历提升", "2023-03-06", "在读", "线下"],
              ["己", _id("19870101", "444"), "金清镇", "初高中学历提升", None, "在读", "线下"],
              ["庚", _id("19880101", "555"), "金清", "大专及以上学历提升", "2023/9/6", "在读", "线上线下"],
              ["辛", _id("19890101", "666"), "金清镇", "初高中学历提升", "2023年3月6日", "退学", "线下"]],
        "c": [["壬", _id("19910101", "777"), "蓬街镇", "初高中学历提升", "2023-03-06", "在读", "线下"],
              ["甲", a_id, "蓬街镇", "初高中学历提升", "2023-03-09", "在读", "线下"],
              ["癸", _id("19920101", "888"), "蓬街镇", "初高中学历提升", "2023-03-06", "在读", "线下"],
              ["子", _id("19930101", "999"), "蓬街镇", "大专及以上学历提升", "2023-09-06", "在读", "线上"]],
    }
    folder = tmp_path / "register"
    folder.mkdir()
    for part, body in rows.items():
        pd.DataFrame(body, columns=HEAD).to_parquet(folder / f"{part}.parquet")
    return folder


@pytest.fixture(scope="module")
def harder(tmp_path_factory, register):
    folder = tmp_path_factory.mktemp("harder") / "register"
    folder.mkdir()
    for p in register.glob("*.parquet"):
        (folder / p.name).write_bytes(p.read_bytes())
    b1 = pd.read_parquet(register / "b.parquet").iloc[0].tolist()
    new = ["丑", _id("19940101", "123"), "金清镇", "大专及以上学历提升", "2023-03-06", "在读", "线下"]
    bad = _id("19970101", "456")
    bad = bad[:-1] + ("1" if bad[-1] != "1" else "2")
    d = [b1[:4] + ["2023-04-01", "在读", "线上"], new, list(new),
         ["辰", bad, None, "初高中学历提升", "2023-03-06", "在读", "线下"]]
    e = [["寅", _id("19950101", "234"), "椒江区", "初高中学历提升", "2023-03-06", "在读", "线下"],
         ["卯", _id("19960101", "345"), "金清镇", "初高中学历提升", "2023-02-30", "在读", "线下"]]
    for part, body in (("d", d), ("e", e)):
        pd.DataFrame(body, columns=HEAD).to_parquet(folder / f"{part}.parquet")
    return folder


@pytest.fixture(scope="module")
def harder_pandas(harder, cfg):
    return ingest_register(harder, cfg, engine="pandas", salt="test-salt")


@pytest.fixture(scope="module")
def by_pandas(register, cfg):
    return ingest_register(register, cfg, engine="pandas", salt="test-salt")


def _same(a, b):
    pd.testing.assert_frame_equal(a.tables["enrolments"], b.tables["enrolments"])
    pd.testing.assert_frame_equal(a.rejected.reset_index(drop=True), b.rejected.reset_index(drop=True))
    pd.testing.assert_frame_equal(a.changes.reset_index(drop=True), b.changes.reset_index(drop=True))
    assert (a.rows_in, a.rows_clean, a.rows_rejected) == (b.rows_in, b.rows_clean, b.rows_rejected)


def test_pandas_engine_on_parts_hand_checked(by_pandas):
    res = by_pandas
    assert (res.rows_in, res.rows_clean, res.rows_rejected) == (12, 9, 3)
    rej = res.rejected.assign(part=res.rejected["file"].map(lambda f: Path(f).stem))
    got = {(p, r): why for p, r, why in rej[["part", "row", "reason"]].itertuples(index=False)}
    assert set(got) == {("a", 3), ("b", 2), ("c", 2)}
    assert "check digit" in got[("a", 3)]
    assert "报名日期: blank" in got[("b", 2)]
    assert got[("c", 2)].startswith("duplicate of row 1 of ") and "a.parquet" in got[("c", 2)]
    assert res.tables["enrolments"]["unit_id"].value_counts().to_dict() == {
        "lunan": 3, "jinqing": 3, "pengjie": 3}


def test_dask_synchronous_identical(register, cfg, by_pandas):
    b = ingest_register(register, cfg, engine="dask", scheduler="synchronous", salt="test-salt")
    _same(by_pandas, b)


def test_harder_register_hand_checked(harder_pandas):
    res = harder_pandas
    assert (res.rows_in, res.rows_clean, res.rows_rejected) == (18, 10, 8)
    rej = res.rejected.assign(part=res.rejected["file"].map(lambda f: Path(f).stem))
    assert rej.loc[rej["part"] == "d", "row"].tolist() == [1, 3, 4, 4]
    got = {(p, r): why for p, r, why in rej[["part", "row", "reason"]].itertuples(index=False)}
    assert set(got) == {("a", 3), ("b", 2), ("c", 2), ("d", 1), ("d", 3), ("d", 4), ("e", 1),
                        ("e", 2)}
    assert got[("d", 1)].startswith("duplicate of row 1 of ") and "b.parquet" in got[("d", 1)]
    assert got[("d", 3)] == "duplicate of row 2 (same learner, same programme)"
    assert "椒江区" in got[("e", 1)] and "2023-02-30" in got[("e", 2)]


@pytest.mark.parametrize("buckets", [1, 2, 32])
def test_dask_identical_any_buckets(harder, cfg, harder_pandas, monkeypatch, buckets):
    """However the duplicate keys are bucketed, the answer is the pandas engine's (part e's
    clean rows are empty and leave the dtypes alone)."""
    from eduanalytics.ingest import dask_engine

    monkeypatch.setattr(dask_engine, "MAX_BUCKETS", buckets)
    b = ingest_register(harder, cfg, engine="dask", scheduler="synchronous", salt="test-salt")
    _same(harder_pandas, b)


def _run_dask(path, cfg, **kw):
    from eduanalytics.ingest import register as reg
    from eduanalytics.ingest.dask_engine import run_dask

    spec = reg.register_spec(cfg, path)
    return run_dask(path, lambda cols: reg.make_rules(cfg, spec, "register", f"enrolments[{path.name}]",
                                                      "test-salt", False, None, cols),
                    lambda raw: reg.prepare(raw, "register", spec, str(path)), **kw)


def _as_text(df: pd.DataFrame) -> pd.DataFrame:
    return df.astype({c: "str" for c in df.columns
                      if isinstance(df[c].dtype, pd.CategoricalDtype) or df[c].dtype == object})


def test_dask_out_dir_writes_parts_identical(harder, cfg, harder_pandas, tmp_path):
    """With an output folder the workers write the clean table as one Parquet part per
    partition (in partition order; part e's is empty); read back in order they are the
    pandas engine's table, and the rejected rows and log are unchanged."""
    out = tmp_path / "clean"
    res = _run_dask(harder, cfg, scheduler="synchronous", out_dir=out)
    files = sorted(p.name for p in out.glob("*.parquet"))
    assert files == [f"part-{i:05d}.parquet" for i in range(5)]
    assert not (out / "_candidates").exists()
    parts = [pd.read_parquet(out / f) for f in files]
    assert [len(p) for p in parts] == [3, 3, 3, 1, 0]  # d: row 2 only
    table = pd.concat(parts, ignore_index=True)
    # each part holds its own categories: compared as text with the pandas engine's table
    pd.testing.assert_frame_equal(_as_text(table), _as_text(harder_pandas.tables["enrolments"]))
    pd.testing.assert_frame_equal(res.rejected, harder_pandas.rejected)
    pd.testing.assert_frame_equal(res.changes, harder_pandas.changes)
    assert (res.rows_in, res.rows_clean, res.rows_rejected) == (18, 10, 8)
    lazy = res.tables["enrolments"]
    assert len(lazy.compute()) == 10


def test_dask_out_dir_must_be_new(harder, cfg, tmp_path):
    from eduanalytics.errors import ConfigError

    out = tmp_path / "clean"
    out.mkdir()
    (out / "part-00000.parquet").write_bytes(b"old")
    with pytest.raises(ConfigError, match="already holds Parquet"):
        _run_dask(harder, cfg, scheduler="synchronous", out_dir=out)


def test_dask_cluster_by_address_identical(register, cfg, by_pandas):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        b = ingest_register(register, cfg, engine="dask", scheduler=cluster.scheduler_address,
                            salt="test-salt")
    _same(by_pandas, b)


def test_dask_needs_parquet_and_cli_takes_engine(cfg, tmp_path):
    from eduanalytics.cli import build_parser
    from eduanalytics.errors import ConfigError

    csv = tmp_path / "register.csv"
    pd.DataFrame([["x"] * len(HEAD)], columns=HEAD).to_csv(csv, index=False)
    with pytest.raises(ConfigError, match="Parquet"):
        ingest_register(csv, cfg, engine="dask", salt="s")
    with pytest.raises(ConfigError, match="engine"):
        ingest_register(csv, cfg, engine="spark", salt="s")
    for cmd in ("clean", "report"):
        args = build_parser().parse_args([cmd, "--engine", "dask", "--scheduler", "tcp://10.0.0.1:8786"])
        assert (args.engine, args.scheduler) == ("dask", "tcp://10.0.0.1:8786")
    assert build_parser().parse_args(["clean"]).engine == "pandas"


def test_dask_hands_rejected_rows_in_order(harder, cfg, monkeypatch):
    """The rejected records reach ``finish`` already ordered by part and row (the records of
    one row in the order of the checks), so its stable sort is the identity: the client
    never makes a second copy of them. Part d's duplicates (rows 1, 3) are found after its
    other checks (row 4) and still come first."""
    from eduanalytics.ingest import register as reg

    seen = []
    original = reg.finish

    def spy(rules, files, rows_in, clean, rejected, changes, dups, order):
        rej = pd.concat([r for r in rejected if r is not None and len(r)], ignore_index=True)
        seen.append(rej[["file", "row"]].assign(part=rej["file"].map(order)))
        return original(rules, files, rows_in, clean, rejected, changes, dups, order)

    monkeypatch.setattr(reg, "finish", spy)
    _run_dask(harder, cfg, scheduler="synchronous")
    got = seen[0]
    assert got[["part", "row"]].apply(tuple, axis=1).is_monotonic_increasing
    assert got.loc[got["file"].str.endswith("d.parquet"), "row"].tolist() == [1, 3, 4, 4]


def test_ingest_register_passes_out_dir_to_the_workers(harder, cfg, harder_pandas, tmp_path):
    from eduanalytics.errors import ConfigError

    res = ingest_register(harder, cfg, engine="dask", scheduler="synchronous", salt="test-salt",
                          out_dir=tmp_path / "clean")
    assert len(list((tmp_path / "clean").glob("*.parquet"))) == 5
    assert (res.rows_in, res.rows_clean, res.rows_rejected) == (18, 10, 8)
    assert len(res.tables["enrolments"].compute()) == 10
    with pytest.raises(ConfigError, match="Dask engine"):
        ingest_register(harder, cfg, engine="pandas", out_dir=tmp_path / "other")
