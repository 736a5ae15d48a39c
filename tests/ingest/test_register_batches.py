"""The register cleaned piece by piece gives the answer of the whole register at once.

Hand-built CSV register, 9 rows (CSV lines 2-10):
- line 4 has a wrong check digit (rejected: id_number);
- line 6 has a blank 报名日期 (rejected: enrol_date);
- line 9 is learner A again (first on line 2), same programme: a duplicate whose first
  occurrence lies in an EARLIER piece when the file is cut into pieces of 2 rows.
So 9 in, 3 rejected, 6 clean, whatever the piece size.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from stdnum.cn import ric

from eduanalytics.config import load_config
from eduanalytics.ingest import columnar
from eduanalytics.ingest.register import make_rules, prepare, register_spec
from eduanalytics.ingest.register_batches import (
    Repeats,
    in_file_order,
    kept_rows,
    repeated_learners,
    run_pandas,
    run_streamed,
)
from eduanalytics.ingest.spans import plan_spans

ROOT = Path(__file__).resolve().parents[2]
HEAD = ["姓名", "身份证号", "所属单位", "项目类别", "报名日期", "学籍状态", "学习方式"]


def _id(birth: str, seq: str) -> str:
    body = "331004" + birth + seq
    return body + ric.calc_check_digit(body + "0")


def _bad_check(good: str) -> str:
    return good[:-1] + ("1" if good[-1] == "0" else "0")


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> Path:
    a = _id("19850306", "123")
    rows = [["甲", a, "路南街道", "初高中学历提升", "2023-03-06", "在读", "线下"],
            ["乙", _id("19800101", "111"), "路南", "初高中学历提升", "2023-03-07", "在读", "线上"],
            ["丙", _bad_check(_id("19900512", "345")), "路南街道", "初高中学历提升", "2023-03-08", "在读", "线下"],
            ["丁", _id("19750101", "222"), "金清镇", "大专及以上学历提升", "2023-09-01", "已结业", "线下"],
            ["戊", _id("19860101", "333"), "金清镇", "初高中学历提升", None, "在读", "线下"],
            ["己", _id("19870101", "444"), "金清", "大专及以上学历提升", "2023/9/6", "在读", "线上线下"],
            ["庚", _id("19880101", "555"), "蓬街镇", "初高中学历提升", "2023年3月6日", "退学", "线下"],
            ["甲", a, "蓬街镇", "初高中学历提升", "2023-03-09", "在读", "线下"],
            ["辛", _id("19890101", "666"), "蓬街镇", "大专及以上学历提升", "2023-09-06", "在读", "线上"]]
    path = tmp_path_factory.mktemp("reg") / "register.csv"
    pd.DataFrame(rows, columns=HEAD).to_csv(path, index=False)
    return path


def _run(path: Path, cfg, batch_rows: int, workers: int = 1):
    spec = register_spec(cfg, path)
    return run_streamed(path, None, batch_rows, lambda raw: prepare(raw, "register", spec, str(path)),
                        lambda cols: make_rules(cfg, spec, "register", "enrolments[x]", "salt", False,
                                                None, cols), workers=workers)


def test_pieces_give_the_whole_answer(register, cfg, monkeypatch):
    whole = _run(register, cfg, 1_000_000)
    monkeypatch.setattr(columnar, "STREAM_BLOCK_BYTES", 160)  # about two CSV lines a block
    pieces = list(columnar.iter_csv_batches(register, batch_rows=2))
    assert len(pieces) >= 4 and sum(len(p) for p in pieces) == 9
    assert [p["_row"].iloc[0] for p in pieces][0] == 2  # CSV line numbers carry on
    assert pd.concat(pieces)["_row"].tolist() == list(range(2, 11))
    cut = _run(register, cfg, 2)
    assert (whole.rows_in, whole.rows_clean, whole.rows_rejected) == (9, 6, 3)
    pd.testing.assert_frame_equal(whole.tables["enrolments"], cut.tables["enrolments"])
    pd.testing.assert_frame_equal(whole.rejected, cut.rejected)
    pd.testing.assert_frame_equal(whole.changes, cut.changes)
    rej = dict(zip(cut.rejected["row"], cut.rejected["reason"], strict=True))
    assert set(rej) == {4, 6, 9}
    assert rej[9].startswith("duplicate of row 2")
    assert "331004********" in cut.rejected.loc[cut.rejected["row"] == 9, "original"].iloc[0]


def test_worker_processes_give_the_same_answer(register, cfg):
    whole = _run(register, cfg, 1_000_000)
    assert len(plan_spans(register, batch_rows=2)) >= 4
    # two workers reading spans of about two lines each: spans finish out of order but come
    # back in file order, and the duplicate on line 9 (its first on line 2, read and
    # cleaned by another worker) is found, its raw row sent back by its worker
    two = _run(register, cfg, 2, workers=2)
    pd.testing.assert_frame_equal(whole.tables["enrolments"], two.tables["enrolments"])
    pd.testing.assert_frame_equal(whole.rejected, two.rejected)
    pd.testing.assert_frame_equal(whole.changes, two.changes)
    assert two.rejected["reason"].str.startswith("duplicate of row 2").sum() == 1


def test_in_memory_frame_in_slices(register, cfg):
    spec = register_spec(cfg, register)
    df = prepare(columnar.read_columnar(register), "register", spec, str(register))
    rules = make_rules(cfg, spec, "register", "enrolments[x]", "salt", False, None, list(df.columns))
    one, three = run_pandas(df, rules, [register], 100), run_pandas(df, rules, [register], 3)
    pd.testing.assert_frame_equal(one.tables["enrolments"], three.tables["enrolments"])
    pd.testing.assert_frame_equal(one.rejected, three.rejected)
    assert three.rows_clean == 6


def test_schema_failures_quarantined_alike_in_pieces_and_whole(register, cfg, monkeypatch):
    """A config mapping 在读 to an id the schema does not know ("enroled"): the 5 clean
    在读 rows fail the schema check and are quarantined (ID masked), in pieces as whole."""
    from eduanalytics.input_spec import InputSpec

    spec = InputSpec("register", register, options={"values": {"status": {"在读": "enroled"}}})

    def run(batch_rows: int):
        return run_streamed(register, None, batch_rows,
                            lambda raw: prepare(raw, "register", spec, str(register)),
                            lambda cols: make_rules(cfg, spec, "register", "enrolments[x]", "salt",
                                                    False, None, cols))

    whole = run(1_000_000)
    monkeypatch.setattr(columnar, "STREAM_BLOCK_BYTES", 160)
    cut = run(2)
    # 在读 on lines 2, 3, 7, 9, 10 (4 and 6 fail before, for their ID and date); line 9 is
    # then no duplicate of line 2: a row failing the schema is not a first occurrence
    failed = cut.rejected.loc[cut.rejected["column"] == "<row>"]
    assert sorted(failed["row"]) == [2, 3, 7, 9, 10]
    assert failed["reason"].str.startswith("schema check failed").all()
    assert failed["original"].str.contains("331004\\*{8}").all()
    pd.testing.assert_frame_equal(whole.rejected, cut.rejected)
    pd.testing.assert_frame_equal(whole.tables["enrolments"], cut.tables["enrolments"])
    assert cut.rows_in == cut.rows_clean + cut.rows_rejected == 9


def test_repeats_never_misses_a_repeat():
    # a bitmap of 64 bits: keys 0..63 fill every slot, eight keys to a byte, in one call
    r = Repeats(bits=6)
    keys = np.arange(64, dtype=np.uint64)
    assert not r.mark(keys).any()  # none seen before, none twice in the call
    assert r.mark(keys).all()  # every bit was set, though eight keys shared each byte
    # a repeat inside one call is marked from its second occurrence on
    assert Repeats().mark(np.array([5, 9, 5, 5], dtype=np.uint64)).tolist() == [False, False, True, True]
    # a key sharing a slot with an earlier one is marked too: the superset's price
    r = Repeats(bits=6)
    r.mark(np.array([0], dtype=np.uint64))
    assert r.mark(np.array([64, 1], dtype=np.uint64)).tolist() == [True, False]


def test_repeats_sized_by_rows():
    # 32 bits a row, rounded up to a power of two, between 2**20 and 2**28 bits
    assert len(Repeats.for_rows(1_000_000).bitmap) * 8 == 1 << 25  # 1e6 < 2**20
    assert len(Repeats.for_rows(10).bitmap) * 8 == 1 << 20
    assert len(Repeats.for_rows(10**9).bitmap) * 8 == 1 << 28


def test_repeated_learners_keeps_every_row_of_a_learner_seen_twice():
    # learners 7 and 9 come back (rows 3 and 5 marked); their first rows 0 and 1 must be
    # searched too, and learner 8 (never repeated) need not be
    learner = np.array([7, 9, 8, 7, 100, 9], dtype=np.uint64)
    marked = Repeats(bits=20).mark(learner)
    assert marked.tolist() == [False, False, False, True, False, True]
    assert repeated_learners(learner, marked).tolist() == [True, True, False, True, False, True]
    assert not repeated_learners(learner, np.zeros(6, dtype=bool)).any()


def test_rejected_records_in_file_order_then_row_stably():
    rej = pd.DataFrame({"file": ["b.csv", "a.csv", "b.csv", "a.csv", "a.csv"],
                        "row": [2, 7, 1, 3, 3],
                        "reason": ["b2", "a7", "b1", "a3 first", "a3 second"]}).astype({"file": "str", "reason": "str"})
    out = in_file_order(rej, {"a.csv": 0, "b.csv": 1})
    assert out["reason"].tolist() == ["a3 first", "a3 second", "a7", "b1", "b2"]
    assert out["row"].tolist() == [3, 3, 7, 1, 2] and out.index.tolist() == [0, 1, 2, 3, 4]
    assert out["reason"].dtype == "str"
    pd.testing.assert_frame_equal(in_file_order(out, {"a.csv": 0, "b.csv": 1}), out)


def test_worker_processes_on_parquet_parts_give_the_same_answer(cfg, tmp_path):
    """The 5-part register of the Dask tests (a duplicate across parts, part d's records
    out of check order, part e wholly rejected) on three workers reading a part each, in
    slices of 2 rows, against one process."""
    from _support.register_parts import harder_rows, write_parts

    from eduanalytics.ingest.register import ingest_register

    path = write_parts(tmp_path / "register", harder_rows())
    one = ingest_register(path, cfg, engine="pandas", salt="test-salt", workers=1)
    spec = register_spec(cfg, path)
    three = run_streamed(path, None, 2, lambda raw: prepare(raw, "register", spec, str(path)),
                         lambda cols: make_rules(cfg, spec, "register", f"enrolments[{path.name}]",
                                                 "test-salt", False, None, cols), workers=3)
    assert (three.rows_in, three.rows_clean, three.rows_rejected) == (18, 10, 8)
    pd.testing.assert_frame_equal(one.tables["enrolments"], three.tables["enrolments"])
    pd.testing.assert_frame_equal(one.rejected, three.rejected)
    pd.testing.assert_frame_equal(one.changes, three.changes)


def test_pieces_default_to_larger_ones_on_several_workers(register, cfg, monkeypatch):
    """Unset, ``batch_rows`` is BATCH_ROWS on one process and WORKER_BATCH_ROWS on several
    (spans and slices); a number given is used on both."""
    from eduanalytics.ingest import register_batches

    asked = []
    real_plan, real_stream = register_batches.plan_spans, register_batches.iter_columnar
    monkeypatch.setattr(register_batches, "plan_spans",
                        lambda path, enc, rows: asked.append(("spans", rows)) or real_plan(path, enc, rows))
    monkeypatch.setattr(register_batches, "iter_columnar",
                        lambda path, enc, rows, *more: asked.append(("stream", rows))
                        or real_stream(path, enc, rows, *more))
    for workers in (1, 2):
        assert _run(register, cfg, None, workers=workers).rows_clean == 6
        assert _run(register, cfg, 5000, workers=workers).rows_clean == 6
    assert asked == [("stream", columnar.BATCH_ROWS), ("stream", 5000),
                     ("spans", columnar.WORKER_BATCH_ROWS), ("spans", 5000)]
    assert columnar.WORKER_BATCH_ROWS > columnar.BATCH_ROWS


def test_kept_rows_read_again_only_the_pairs_not_kept():
    order = {"a.csv": 0, "b.csv": 1}
    kept = [pd.DataFrame({"_file": pd.Categorical(["a.csv", "a.csv"]), "_row": [2, 5], "v": ["a2", "a5"]}),
            pd.DataFrame({"_file": pd.Categorical(["b.csv"]), "_row": [2], "v": ["b2"]})]
    asked = []

    def again(pairs: pd.DataFrame) -> pd.DataFrame:
        asked.append(pairs)
        return pairs.assign(v="read again")

    rows = kept_rows(kept, again, order)
    got = rows(pd.DataFrame({"_file": ["a.csv", "b.csv"], "_row": [5, 2]}))
    assert not asked and got["v"].tolist() == ["a2", "a5", "b2"]  # all kept: no second read
    # b.csv row 5 was not kept (a.csv row 5 was): only that pair is read again
    got = rows(pd.DataFrame({"_file": ["a.csv", "b.csv"], "_row": [5, 5]}))
    assert [p.values.tolist() for p in asked] == [[["b.csv", 5]]]
    assert got["v"].tolist() == ["a2", "a5", "b2", "read again"]


def test_csv_few_valued_columns_read_as_categoricals_same_answer(register, cfg, monkeypatch):
    """A CSV register's columns of few distinct values are read dictionary-encoded too; the
    answer, on one process and on two, is the one read as plain text."""
    from eduanalytics.ingest import register_batches

    asked = []
    original = register_batches.iter_columnar
    monkeypatch.setattr(register_batches, "iter_columnar", lambda path, enc, rows, dictionary: (
        asked.append(dictionary) or original(path, enc, rows, dictionary)))
    coded = {w: _run(register, cfg, 2, workers=w) for w in (1, 2)}
    assert asked[0] == ("所属单位", "项目类别", "报名日期", "学籍状态", "学习方式")
    monkeypatch.setattr(register_batches, "few_valued_columns", lambda prepare, names: ())
    plain = _run(register, cfg, 2)
    for got in coded.values():
        pd.testing.assert_frame_equal(got.tables["enrolments"], plain.tables["enrolments"])
        pd.testing.assert_frame_equal(got.rejected, plain.rejected)
        pd.testing.assert_frame_equal(got.changes, plain.changes)


def test_parquet_with_few_valued_columns_as_categoricals_cleans_as_csv(register, cfg, tmp_path):
    """The register as Parquet: its columns of few distinct values (unit, programme, date,
    status, mode) are read dictionary-encoded, and the answer is the CSV's (its rows
    numbered from 1 instead of from line 2), on one process and on two."""
    from eduanalytics.ingest.register_batches import few_valued_columns

    path = tmp_path / "register.parquet"
    pd.read_csv(register, dtype=str).to_parquet(path, row_group_size=4)
    spec = register_spec(cfg, path)
    names = list(pd.read_csv(register, dtype=str, nrows=0).columns)
    coded = few_valued_columns(lambda raw: prepare(raw, "register", spec, str(path)), names)
    assert coded == ("所属单位", "项目类别", "报名日期", "学籍状态", "学习方式")
    assert few_valued_columns(lambda raw: prepare(raw, "register", spec, str(path)), ["姓名"]) == ()
    csv = _run(register, cfg, 1_000_000)
    for workers in (1, 2):
        got = _run(path, cfg, 2, workers=workers)
        pd.testing.assert_frame_equal(got.tables["enrolments"], csv.tables["enrolments"])
        cols = ["column", "value", "original"]
        pd.testing.assert_frame_equal(got.rejected[cols], csv.rejected[cols])
        assert (got.rejected["row"] + 1).tolist() == csv.rejected["row"].tolist()
