"""Processed tables written and read back; a missing table is a clear user error."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from eduanalytics.catalog import is_synthetic, load_tables, read_provenance, read_table, write_table
from eduanalytics.errors import EduError, MissingFileError


def test_write_read_round_trip(tmp_path):
    df = pd.DataFrame({"unit_id": ["a", "b"], "target": [3, 4]})
    path = write_table(df, tmp_path / "p", "targets")
    assert path.name == "targets.parquet"
    pd.testing.assert_frame_equal(read_table(tmp_path / "p", "targets"), df)


def test_missing_table_is_a_user_error(tmp_path):
    with pytest.raises(MissingFileError, match="eduanalytics clean") as exc:
        read_table(tmp_path, "enrolments")
    assert isinstance(exc.value, EduError) and "enrolments.parquet" in str(exc.value)
    with pytest.raises(MissingFileError, match="no processed tables"):
        load_tables(tmp_path)


def test_load_tables_reads_what_exists_and_the_provenance(tmp_path):
    write_table(pd.DataFrame({"learner_key": ["k1"]}), tmp_path, "enrolments")
    write_table(pd.DataFrame({"unit_id": ["a"]}), tmp_path, "units")
    (tmp_path / "provenance.json").write_text(json.dumps(
        {"tables": {"enrolments": {"synthetic": True}, "units": {"synthetic": False}}}))
    t = load_tables(tmp_path)
    assert set(t) == {"enrolments", "units", "provenance"}
    assert is_synthetic(t["provenance"]) and not is_synthetic(t["provenance"], "units")
    assert read_provenance(tmp_path / "nowhere") == {"tables": {}}


def _part(values: list[str], n: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": pd.Categorical(values, categories=list(dict.fromkeys(values))),
                         "n": n})


def test_read_table_reads_a_folder_of_parts(tmp_path):
    """A table written as Parquet parts (as the Dask workers write ``enrolments``) reads
    back as one frame: parts in name order whatever order they were written in, the
    ``_``-prefixed folder a run leaves skipped, the categories (met in the order b, a, c)
    sorted as in a table written as one file."""
    folder = tmp_path / "p" / "enrolments.parquet"
    (folder / "_candidates").mkdir(parents=True)
    _part(["c", "a"], [3, 4]).to_parquet(folder / "part-00001.parquet", index=False)
    _part(["b", "a"], [1, 2]).to_parquet(folder / "part-00000.parquet", index=False)
    _part(["x"], [9]).to_parquet(folder / "_candidates" / "part-00000.parquet", index=False)
    want = pd.DataFrame({"unit_id": pd.Categorical(["b", "a", "c", "a"], categories=["a", "b", "c"]),
                         "n": [1, 2, 3, 4]})
    pd.testing.assert_frame_equal(read_table(tmp_path / "p", "enrolments"), want)
    assert set(load_tables(tmp_path / "p")) == {"enrolments", "provenance"}


def test_write_table_writes_a_lazy_frame_as_parts(tmp_path):
    """A lazy Dask frame is written as a folder of parts, one per partition."""
    dd = pytest.importorskip("dask.dataframe")
    df = pd.DataFrame({"unit_id": ["a", "b", "c"], "n": [1, 2, 3]})
    path = write_table(dd.from_pandas(df, npartitions=2), tmp_path, "enrolments")
    assert path.is_dir() and len(list(path.glob("*.parquet"))) == 2
    # dask hands text back as its own string dtype: the values are compared
    pd.testing.assert_frame_equal(read_table(tmp_path, "enrolments"), df, check_dtype=False)
