"""Spans: a register cut where a worker can read on its own, read back as the whole."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.ingest.columnar import read_columnar


def _joined(spans) -> pd.DataFrame:
    """The spans read one by one and numbered as a reader of the whole numbers them: the
    file's first row number plus the rows of its earlier spans."""
    from eduanalytics.ingest.spans import read_span

    frames, before = [], {}
    for span in spans:
        frame = read_span(span)
        assert frame["_row"].tolist() == list(range(len(frame)))  # numbered from 0
        frame["_row"] += span.first_row + before.get(span.path, 0)
        before[span.path] = before.get(span.path, 0) + len(frame)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    return out.assign(_file=out["_file"].astype(str))


@pytest.mark.parametrize("encoding,newline", [("utf-8", "\n"), ("utf-8-sig", "\r\n"),
                                              ("gb18030", "\n")])
def test_csv_spans_cut_at_line_ends_read_as_the_whole(tmp_path, encoding, newline):
    """Eleven records (one blank line among them, which pyarrow skips, and no line end
    after the last), cut into spans of about two lines: every span starts just after a
    line end, they cover the file, and read one by one they are the whole file's frame."""
    from eduanalytics.ingest.spans import plan_spans

    lines = ["身份证号,所属单位,报名日期"] + [f"33100419850306{i:04d},路南{i},2023-03-0{i % 9 + 1}"
                                            for i in range(6)]
    lines += [""] + [f"X{i},\"金清,{i}\",44991" for i in range(5)]
    path = tmp_path / "r.csv"
    path.write_bytes(newline.join(lines).encode(encoding))
    spans = plan_spans(path, batch_rows=2)
    data = path.read_bytes()
    assert len(spans) >= 4
    assert spans[0].start == 0 and spans[-1].stop == len(data)
    assert all(a.stop == b.start for a, b in zip(spans, spans[1:], strict=False))
    assert all(data[s.start - 1:s.start] == b"\n" for s in spans[1:])
    whole = read_columnar(path)
    got = _joined(spans)
    pd.testing.assert_frame_equal(got, whole.assign(_file=whole["_file"].astype(str)))
    assert len(got) == 11 and got["_row"].tolist()[-1] == 12
    assert got["所属单位"].tolist()[-1] == "金清,4"


def test_csv_spans_read_named_columns_dictionary_encoded(tmp_path):
    """A CSV span's ``dictionary`` columns come as categoricals, an empty span's too; as
    text again, the spans are the whole file's frame."""
    from dataclasses import replace

    from eduanalytics.ingest.columnar import as_text
    from eduanalytics.ingest.spans import plan_spans, read_span

    path = tmp_path / "r.csv"
    path.write_bytes("身份证号,学籍状态\n".encode() + "".join(
        f"x{i},{'在读' if i % 3 else '退学'}\n" for i in range(9)).encode())
    spans = [replace(s, dictionary=("学籍状态",)) for s in plan_spans(path, batch_rows=2)]
    assert len(spans) >= 3
    frames = [read_span(s) for s in spans]
    assert all(isinstance(f["学籍状态"].dtype, pd.CategoricalDtype) for f in frames)
    assert str(frames[0]["身份证号"].dtype) == "string"
    whole = read_columnar(path)
    got = _joined(spans)
    pd.testing.assert_frame_equal(as_text(got), whole.assign(_file=whole["_file"].astype(str)))
    empty = read_span(replace(spans[1], stop=spans[1].start))
    assert len(empty) == 0 and isinstance(empty["学籍状态"].dtype, pd.CategoricalDtype)


def test_csv_spans_of_a_file_without_line_feeds_or_rows(tmp_path):
    from eduanalytics.ingest.spans import plan_spans, read_span

    cr = tmp_path / "cr.csv"  # old Mac line ends: no line feed to cut at, one span
    cr.write_bytes(b"a,b\r1,2\r3,4\r")
    assert len(plan_spans(cr, batch_rows=1)) == 1
    assert _joined(plan_spans(cr, batch_rows=1))["a"].tolist() == ["1", "3"]
    head = tmp_path / "head.csv"  # a header alone: one span, no rows, the columns
    head.write_bytes(b"a,b\n")
    [span] = plan_spans(head, batch_rows=1)
    assert list(read_span(span).columns) == ["a", "b", "_file", "_row"]
    assert len(read_span(span)) == 0


def test_parquet_spans_group_row_groups_per_part(tmp_path):
    """Part a: row groups of 3, 3, 3, 1 rows -> spans (0, 1), (2, 3) for 6 rows a span;
    part b: no rows (left out); part c: one row group of 8 rows (larger: a span alone)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from eduanalytics.ingest.spans import plan_spans

    folder = tmp_path / "reg"
    folder.mkdir()
    table = pa.table({"身份证号": [f"a{i}" for i in range(10)], "n": list(range(10))})
    pq.write_table(table, folder / "a.parquet", row_group_size=3)
    pq.write_table(table.slice(0, 0), folder / "b.parquet")
    pq.write_table(pa.table({"身份证号": [f"c{i}" for i in range(8)], "n": list(range(8))}),
                   folder / "c.parquet")
    spans = plan_spans(folder, batch_rows=6)
    assert [(s.path.rsplit("/", 1)[-1], s.row_groups) for s in spans] == [
        ("a.parquet", (0, 1)), ("a.parquet", (2, 3)), ("c.parquet", (0,))]
    assert all(s.first_row == 1 and len(s.files) == 3 for s in spans)
    whole = read_columnar(folder)
    pd.testing.assert_frame_equal(_joined(spans), whole.assign(_file=whole["_file"].astype(str)))
    empty = tmp_path / "empty"
    empty.mkdir()
    pq.write_table(table.slice(0, 0), empty / "only.parquet")
    assert len(plan_spans(empty)) == 1 and _joined(plan_spans(empty)).empty


def test_csv_in_utf16_is_one_span(tmp_path):
    """In UTF-16 a line feed byte can be half of another character: not cut."""
    from eduanalytics.ingest.spans import plan_spans

    path = tmp_path / "r.csv"
    path.write_bytes("身份证号,所属单位\n".encode("utf-16") + "".join(
        f"X{i},单位{i}\n" for i in range(50)).encode("utf-16-le"))
    [span] = plan_spans(path, encoding="utf-16", batch_rows=2)
    got = _joined([span])
    assert got["所属单位"].tolist() == [f"单位{i}" for i in range(50)]
