"""The Dask engine gives the pandas engine's answer on a partitioned Parquet register.

The registers are hand-built (:mod:`_support.register_parts`, whose notes work out the
figures): ``register`` (3 parts, 12 rows: 3 rejected, 9 clean; a duplicate across
partitions) and ``harder`` (5 parts, 18 rows: 8 rejected, 10 clean; part d's records must
be ordered by row (1, 3, 4, 4) although its duplicates are found after its other checks;
part e's clean rows are empty).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _support.register_parts import (
    HEAD,
    LEVEL_HEAD,
    harder_rows,
    register_rows,
    with_levels,
    write_parts,
)

from eduanalytics.config import load_config
from eduanalytics.ingest.register import ingest_register

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    return write_parts(tmp_path_factory.mktemp("parts") / "register", register_rows())


@pytest.fixture(scope="module")
def harder(tmp_path_factory):
    return write_parts(tmp_path_factory.mktemp("harder") / "register", harder_rows())


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


def test_dask_out_dir_parts_share_one_schema(cfg, tmp_path):
    """A coded column blank in the first part (part a: 原学历 and 未注册原因, see
    ``with_levels``) is written with the type it has in the other parts: readers of the
    folder take its schema from one part, and used to read the other parts' values of such
    a column as blanks. Read back as one table, the values are the hand-worked ones and the
    pandas engine's."""
    import pyarrow.parquet as pq

    reg = write_parts(tmp_path / "register", with_levels(harder_rows()), LEVEL_HEAD)
    by_pandas = ingest_register(reg, cfg, engine="pandas", salt="test-salt")
    out = tmp_path / "clean"
    res = ingest_register(reg, cfg, engine="dask", scheduler="synchronous", salt="test-salt",
                          out_dir=out)
    first, *others = [pq.read_schema(p).remove_metadata() for p in sorted(out.glob("*.parquet"))]
    assert len(others) == 4 and all(s.equals(first) for s in others)
    back = pd.read_parquet(out)
    assert back["level_from"].isna().sum() == 3
    assert back["level_from"].value_counts().to_dict() == {"junior_secondary": 4,
                                                         "senior_secondary": 3}
    assert back["register_fail_reason"].value_counts().to_dict() == {"no_id_card": 1}
    assert back["registered"].value_counts().to_dict() == {True: 9, False: 1}
    pd.testing.assert_frame_equal(_as_text(back), _as_text(by_pandas.tables["enrolments"]))
    # the lazy frame computes too (part a's blank columns: categoricals without categories)
    lazy = res.tables["enrolments"].compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(_as_text(lazy), _as_text(back), check_dtype=False)


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

    def spy(rules, files, rows_in, clean, rejected, changes, order):
        rej = pd.concat([r for r in rejected if r is not None and len(r)], ignore_index=True)
        seen.append(rej[["file", "row"]].assign(part=rej["file"].map(order)))
        return original(rules, files, rows_in, clean, rejected, changes, order)

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


def test_each_task_hands_its_memory_back(harder, cfg, harder_pandas, monkeypatch):
    """Both passes of every partition end by handing freed memory back (5 parts: 10
    calls), and the answer is unchanged."""
    from eduanalytics.ingest import dask_engine

    calls = []
    monkeypatch.setattr(dask_engine, "release_memory", lambda: calls.append(1))
    _same(harder_pandas, ingest_register(harder, cfg, engine="dask", scheduler="synchronous",
                                         salt="test-salt"))
    assert len(calls) == 10


def test_local_cluster_workers_keep_malloc_defaults(monkeypatch):
    """The engine's own local cluster starts its workers without dask's
    ``MALLOC_TRIM_THRESHOLD_`` (it fixes glibc's mmap threshold at 128 kB: measured on 10M
    rows, 43 s against 26 s); dask's other variables still reach them. And each worker has
    imported the pipeline (pandera included) as it started, before any task."""
    pytest.importorskip("distributed")
    import os
    import sys

    from eduanalytics.ingest.dask_engine import dask_client

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with dask_client(None, n_workers=1) as client:
        env = client.run(lambda: (os.environ.get("MALLOC_TRIM_THRESHOLD_"),
                                  os.environ.get("OMP_NUM_THREADS"),
                                  {"pandera", "eduanalytics.ingest.register",
                                   "eduanalytics.tables.schemas"} <= set(sys.modules)))
    assert list(env.values()) == [(None, "1", True)]


def test_local_cluster_workers_forked_from_a_server_that_imported_the_pipeline():
    """Where the platform has a fork server, the local cluster's workers come from it (their
    parent process is not this one) and hold what it imported (pandera's checks for pandas included,
    which nothing before a first validation imports), and the start method is set back when
    the cluster is closed."""
    pytest.importorskip("distributed")
    import multiprocessing
    import os
    import sys

    import dask

    from eduanalytics.ingest.dask_engine import dask_client

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform")
    before = dask.config.get("distributed.worker.multiprocessing-method")
    with dask_client(None, n_workers=1) as client:
        held = client.run(lambda: "pandera.backends.pandas.builtin_checks" in sys.modules)
        parent = client.run(os.getppid)  # spawned: this process; forked: the fork server
    assert list(held.values()) == [True]
    assert list(parent.values()) != [os.getpid()]
    assert dask.config.get("distributed.worker.multiprocessing-method") == before


def test_no_fork_server_keeps_dasks_start_method(monkeypatch):
    """Without a fork server (Windows) the workers start as dask starts them."""
    import multiprocessing

    import dask

    from eduanalytics.ingest import dask_engine

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    before = dask.config.get("distributed.worker.multiprocessing-method")
    with dask_engine._forked_workers():
        assert dask.config.get("distributed.worker.multiprocessing-method") == before


@pytest.mark.parametrize("out", [False, True])
def test_duplicates_raw_rows_read_again_only_with_out_dir(harder, cfg, harder_pandas, monkeypatch,
                                                          tmp_path, out):
    """In memory, the duplicates' records take their raw rows from the rows the first pass
    read (part d's 1 and 3, part c's 2: three duplicates, never a second read); with an
    output folder each part holding duplicates is read again for them, so that no worker
    holds a partition's raw rows beyond its first pass."""
    from eduanalytics.ingest import dask_engine

    reads = []
    original = dask_engine._raw_rows
    monkeypatch.setattr(dask_engine, "_raw_rows", lambda name, rows, prepare: (
        reads.append((Path(name).stem, sorted(rows.tolist()))) or original(name, rows, prepare)))
    res = _run_dask(harder, cfg, scheduler="synchronous", out_dir=tmp_path / "clean" if out else None)
    pd.testing.assert_frame_equal(res.rejected, harder_pandas.rejected)
    assert sorted(reads) == ([("c", [2]), ("d", [1, 3])] if out else [])
    if not out:
        _same(harder_pandas, res)


def test_client_receives_clean_rows_with_duplicates_left_out(harder, cfg, harder_pandas, monkeypatch):
    """The second pass sends back which clean rows to keep, not the rows again: the client
    puts the first pass's rows together leaving out the duplicates (part c's row 2, part
    d's rows 1 and 3; part e has none) and ``_row``."""
    from eduanalytics.ingest import dask_engine

    seen = []
    original = dask_engine._concat_clean

    def spy(pieces, keep):
        seen.append(([len(p) for p in pieces], [None if k is None else k.tolist() for k in keep],
                     "_row" in pieces[0].columns))
        return original(pieces, keep)

    monkeypatch.setattr(dask_engine, "_concat_clean", spy)
    res = _run_dask(harder, cfg, scheduler="synchronous")
    assert seen == [([3, 3, 4, 3, 0], [None, None, [True, False, True, True], [False, True, False], None],
                     True)]
    assert "_row" not in res.tables["enrolments"].columns
    _same(harder_pandas, res)
