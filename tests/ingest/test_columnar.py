"""Columnar readers: CSV (UTF-8, BOM, GB18030) and Parquet files or folders, all strings."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.errors import IngestError
from eduanalytics.ingest.columnar import (
    as_text,
    csv_columns,
    estimate_rows,
    is_parquet,
    iter_columnar,
    read_columnar,
    read_parquet_part,
    sniff_encoding,
)


@pytest.mark.parametrize("encoding,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                               ("gb18030", "gb18030")])
def test_csv_every_cell_a_string(tmp_path, encoding, expected):
    path = tmp_path / "r.csv"
    path.write_bytes("身份证号,所属单位,报名日期\n"
                     "331004198503061230,路南,2023-03-06\n"
                     "000123,,44991\n".encode(encoding))
    assert sniff_encoding(path) == expected
    df = read_columnar(path)
    assert list(df.columns) == ["身份证号", "所属单位", "报名日期", "_file", "_row"]
    # leading zeros kept, numbers not guessed, empty cell missing; header = line 1
    assert df["身份证号"].tolist() == ["331004198503061230", "000123"]
    assert df["报名日期"].tolist() == ["2023-03-06", "44991"]
    assert pd.isna(df.loc[1, "所属单位"])
    assert df["_row"].tolist() == [2, 3]
    assert str(df["身份证号"].dtype) == "string" and df["身份证号"].dtype.storage == "pyarrow"


def test_csv_with_a_bom_said_to_be_utf8_keeps_every_cell_a_string(tmp_path):
    """A file with a UTF-8 BOM whose encoding is given as plain ``utf-8``: its first
    column is still read as text (not guessed as a number: ``000123`` stays), whole, in
    pieces and in spans."""
    from eduanalytics.ingest.spans import plan_spans, read_span

    path = tmp_path / "r.csv"
    path.write_bytes("\ufeff身份证号,所属单位\n000123,路南\n0042,金清\n".encode("utf-8"))
    assert read_columnar(path, "utf-8")["身份证号"].tolist() == ["000123", "0042"]
    assert next(iter(iter_columnar(path, "utf-8")))["身份证号"].tolist() == ["000123", "0042"]
    assert read_span(plan_spans(path, "utf-8")[0])["身份证号"].tolist() == ["000123", "0042"]
    assert csv_columns(path, "utf-8") == ["身份证号", "所属单位"]


def test_parquet_folder_parts_in_order(tmp_path):
    folder = tmp_path / "reg"
    (folder / "sub").mkdir(parents=True)
    pd.DataFrame({"身份证号": ["b1", "b2"], "n": [1, 2]}).to_parquet(folder / "sub" / "b.parquet")
    pd.DataFrame({"身份证号": ["a1"], "n": [7]}).to_parquet(folder / "a.parquet")
    df = read_columnar(folder)
    # sorted paths: a.parquet before sub/b.parquet; record numbers restart in each part
    assert df["身份证号"].tolist() == ["a1", "b1", "b2"]
    assert df["n"].tolist() == ["7", "1", "2"]
    assert df["_row"].tolist() == [1, 1, 2]
    assert [p.rsplit("/", 1)[-1] for p in df["_file"].astype(str)] == ["a.parquet", "b.parquet", "b.parquet"]
    assert isinstance(df["_file"].dtype, pd.CategoricalDtype)


def test_estimate_rows_exact_for_parquet_a_guess_for_csv(tmp_path):
    folder = tmp_path / "reg"
    folder.mkdir()
    pd.DataFrame({"a": range(3)}).to_parquet(folder / "a.parquet")
    pd.DataFrame({"a": range(4)}).to_parquet(folder / "b.parquet")
    assert estimate_rows(folder) == 7  # the footers' row counts, summed
    assert estimate_rows(folder / "b.parquet") == 4
    (tmp_path / "r.csv").write_bytes(b"x" * 1000)
    assert estimate_rows(tmp_path / "r.csv") == 10  # 100 bytes a row
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    assert estimate_rows(tmp_path / "bad.parquet") == 0  # the read says what is wrong


def test_unusable_inputs_name_the_file(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(IngestError, match="no .parquet files"):
        read_columnar(tmp_path / "empty")
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(IngestError, match="x.json"):
        read_columnar(tmp_path / "x.json")


def test_parquet_columns_read_dictionary_encoded_as_categoricals(tmp_path):
    """Named columns come as categoricals of the same text (blank kept missing; a name
    the file lacks ignored); as_text makes them text again, equal to a plain read."""
    path = tmp_path / "r.parquet"
    pd.DataFrame({"身份证号": ["x1", "x2", "x3"], "学籍状态": ["在读", None, "在读"],
                  "n": [1, 2, 3]}).to_parquet(path, row_group_size=2)
    plain = read_parquet_part(path)
    coded = read_parquet_part(path, ("学籍状态", "不存在"))
    col = coded["学籍状态"]
    assert isinstance(col.dtype, pd.CategoricalDtype) and list(col.cat.categories) == ["在读"]
    assert col.cat.categories.dtype == plain["学籍状态"].dtype  # Arrow-backed text
    assert col.isna().tolist() == [False, True, False]
    assert str(coded["身份证号"].dtype) == "string"  # not named: text
    # a column the file itself stores dictionary-encoded is text unless named
    typed = tmp_path / "typed.parquet"
    pd.DataFrame({"学籍状态": pd.Categorical(["在读", "退学"])}).to_parquet(typed)
    assert str(read_parquet_part(typed)["学籍状态"].dtype) == "string"
    assert isinstance(read_parquet_part(typed, ("学籍状态",))["学籍状态"].dtype, pd.CategoricalDtype)
    pd.testing.assert_frame_equal(as_text(coded), plain)
    # streamed in pieces (row groups of 2): the same, piece by piece
    pieces = list(iter_columnar(path, batch_rows=2, dictionary=("学籍状态",)))
    assert [isinstance(p["学籍状态"].dtype, pd.CategoricalDtype) for p in pieces] == [True, True]
    pd.testing.assert_frame_equal(pd.concat([as_text(p) for p in pieces], ignore_index=True), plain)


def test_csv_columns_read_dictionary_encoded_as_categoricals(tmp_path, monkeypatch):
    """From CSV too, named columns come as categoricals of the same text (empty cell
    missing, quoted or not; a name the file lacks ignored), piece by piece; as_text
    gives the plain read back."""
    from eduanalytics.ingest import columnar

    monkeypatch.setattr(columnar, "STREAM_BLOCK_BYTES", 40)  # the header and a line or two a block
    path = tmp_path / "r.csv"
    path.write_bytes("身份证号,学籍状态,批次\n"
                     "x1,在读,春季\nx2,,\"\"\nx3,在读,秋季\nx4,退学,春季\n".encode("gb18030"))
    plain = read_columnar(path)
    pieces = list(iter_columnar(path, batch_rows=2, dictionary=("学籍状态", "批次", "不存在")))
    assert len(pieces) >= 2 and sum(len(p) for p in pieces) == 4
    first = pieces[0]["学籍状态"]
    assert isinstance(first.dtype, pd.CategoricalDtype) and list(first.cat.categories) == ["在读"]
    assert first.isna().tolist()[:2] == [False, True] and pieces[0]["批次"].isna().tolist()[:2] == [False, True]
    assert str(pieces[0]["身份证号"].dtype) == "string"  # not named: text
    assert all(isinstance(p["批次"].dtype, pd.CategoricalDtype) for p in pieces)
    pd.testing.assert_frame_equal(pd.concat([as_text(p) for p in pieces], ignore_index=True), plain)


def test_csv_columns_the_header_or_none(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("\ufeff身份证号,\"学籍,状态\"\nx1,在读\n".encode("utf-8"))
    assert csv_columns(path) == ["身份证号", "学籍,状态"]  # BOM gone, quotes read
    (tmp_path / "empty.csv").write_bytes(b"")
    assert csv_columns(tmp_path / "empty.csv") == []  # the read says what is wrong
    assert csv_columns(tmp_path / "missing.csv") == []


def test_is_parquet_a_folder_or_a_parquet_file(tmp_path):
    assert is_parquet(tmp_path) and is_parquet(tmp_path / "r.PARQUET") and is_parquet(tmp_path / "r.pq")
    assert not is_parquet(tmp_path / "r.csv") and not is_parquet(tmp_path / "r.xlsx")
