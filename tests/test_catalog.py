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
