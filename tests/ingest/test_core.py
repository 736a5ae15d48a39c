"""Shared ingest machinery: value maps, header lookups, sheet records, rows reconcile."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from eduanalytics.config import InputSpec
from eduanalytics.errors import InputError
from eduanalytics.ingest.core import (
    FINDING_COLUMNS,
    StepResult,
    declared_column,
    map_headers,
    map_values,
    require_columns,
    sheet_records,
    value_map,
)


def test_value_map_extends_builtins_and_cleans_keys():
    spec = InputSpec(kind="register", path=Path("r.xlsx"),
                     options={"values": {"mode": {"线上＋线下": "blended", "网课": "online"}}})
    m = value_map({"线上": "online", "线下": "offline"}, spec, "mode")
    r = map_values(pd.Series(["线上+线下", "网课", "线下", "函授", None]), m, "学习方式", "线上 / 线下")
    assert r["value"].tolist()[:3] == ["blended", "online", "offline"]
    assert pd.isna(r.loc[3, "value"]) and "'函授' is not recognised" in r.loc[3, "error"]
    assert pd.isna(r.loc[4, "error"])  # blank, not required
    assert value_map({"a": "x"}) == {"a": "x"}  # no spec: the built-in map


def test_map_headers_child_of_two_row_header_and_extra_fields():
    raw = pd.DataFrame(columns=["基本信息/姓名", "公民身份号码", "所属单位", "_row"])
    df = map_headers(raw, {"name": ["姓名"], "id_number": ["身份证号", "公民身份号码"],
                           "unit": ["所属单位"]})
    assert list(df.columns) == ["name", "id_number", "unit", "_row"]
    with pytest.raises(InputError) as exc:
        require_columns(df.drop(columns="unit"), {"unit": "所属单位"}, "r.xlsx",
                        key="inputs.register.fields")
    assert "所属单位" in str(exc.value) and "inputs.register.fields" in str(exc.value)


def test_declared_column_names_file_headers_and_key():
    raw = pd.DataFrame(columns=["单位", "常住人口（人）", "_row"])
    assert declared_column(raw, "常住人口(人)", "t.csv", "inputs.task_table.populations") == "常住人口（人）"
    with pytest.raises(InputError) as exc:
        declared_column(raw, "户籍人口", "t.csv", "inputs.task_table.populations")
    msg = str(exc.value)
    assert "t.csv" in msg and "户籍人口" in msg and "inputs.task_table.populations" in msg
    assert "常住人口（人）" in msg and "_row" not in msg


def test_sheet_records_list_found_and_used():
    raw = pd.DataFrame()
    raw.attrs.update(sheet="学员名单", sheets=["说明", "学员名单"], header_rows=[3, 4])
    rec = sheet_records("enrolments", raw, "r.xlsx")
    assert rec[["sheet", "used", "header_rows"]].values.tolist() == [
        ["说明", False, ""], ["学员名单", True, "3,4"]]
    csv = pd.DataFrame()
    csv.attrs.update(header_rows=[1])
    assert sheet_records("x", csv, "t.csv")["used"].tolist() == [True]


def test_step_result_reconciles_or_says_why():
    res = StepResult(step="x", files=[], tables={}, rows_in=3, rows_clean=1, rows_total=1)
    with pytest.raises(AssertionError, match="in 3 != clean 1"):
        res.check_reconciles()
    assert list(res.sheets.columns) == ["step", "file", "sheet", "used", "header_rows"]


def test_cleaning_log_lists_sheets_found_and_used():
    from eduanalytics.ingest.cleaning_log import render_log

    raw = pd.DataFrame()
    raw.attrs.update(sheet="学员名单", sheets=["说明", "学员名单"], header_rows=[3, 4])
    res = StepResult(step="enrolments", files=[Path("r.xlsx")], tables={}, rows_in=0,
                     rows_clean=0, sheets=sheet_records("enrolments", raw, "r.xlsx"))
    empty = pd.DataFrame(columns=["step", "file", "row", "column", "value", "reason"])
    log = render_log("jia", 2024, "2024-12-31", [res], empty,
                     pd.DataFrame(columns=["step", "column", "change", "n"]),
                     pd.DataFrame(columns=FINDING_COLUMNS))
    assert "| enrolments | r.xlsx | 说明 | False |  |" in log
    assert "| enrolments | r.xlsx | 学员名单 | True | 3,4 |" in log


def test_by_distinct_memo_normalises_each_value_once():
    import pandas as pd

    from eduanalytics.ingest.core import by_distinct

    seen: list[list] = []

    def upper(u: pd.Series) -> pd.DataFrame:
        seen.append([v for v in u if isinstance(v, str)])
        return pd.DataFrame({"value": u.str.upper(), "n": u.str.len()}, index=u.index)

    memo: dict = {}
    first = pd.Series(["a", "b", None, "a"], dtype="string")
    second = pd.Series(["b", "c", "c", None], dtype="string")
    got = [by_distinct(x, upper, memo=memo) for x in (first, second)]
    assert seen == [["a", "b"], ["c"]]  # "b" was not normalised again
    assert by_distinct(pd.Series(["a", "b"], dtype="string"), upper, memo=memo)["value"].tolist() == ["A", "B"]
    assert len(seen) == 2  # nothing new: fn not called again
    for x, g in zip((first, second), got, strict=True):
        assert g["value"].tolist() == by_distinct(x, upper)["value"].tolist() == [
            v.upper() if isinstance(v, str) else pd.NA for v in x]


def test_by_distinct_memo_shared_by_threads():
    """A threaded Dask worker cleans several pieces at once with one set of rules: calls
    adding values to one memo at the same time each give their own rows' results."""
    import threading
    import time

    import numpy as np
    import pandas as pd

    from eduanalytics.ingest.core import by_distinct

    def upper(u: pd.Series) -> pd.DataFrame:
        time.sleep(0.002)  # let another thread add values meanwhile
        return pd.DataFrame({"value": u.str.upper()}, index=u.index)

    memo: dict = {}
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    errors: list = []

    def work(seed: int) -> None:
        rng = np.random.default_rng(seed)
        for i in range(15):
            x = pd.Series(rng.choice(letters[: 3 + i + seed % 5], 50), dtype="string")
            try:
                got = by_distinct(x, upper, categorical=True, memo=memo)["value"]
                assert got.astype(str).tolist() == [v.upper() for v in x], seed
            except Exception as exc:  # noqa: BLE001 - reported below, with the thread's seed
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_by_distinct_spreads_yes_no_as_boolean():
    from eduanalytics.ingest.core import map_values

    m = {"是": True, "否": False}
    memo: dict = {}
    first = map_values(pd.Series(["是", None, "否"]), m, "学籍注册", "是 / 否", categorical=True, memo=memo)
    second = map_values(pd.Series([None, None]), m, "学籍注册", "是 / 否", categorical=True, memo=memo)
    assert first["value"].dtype == "boolean" and first["value"].tolist() == [True, pd.NA, False]
    assert second["value"].isna().all() and second["error"].isna().all()


def test_by_distinct_takes_a_categorical_as_its_codes_and_text():
    """A column read dictionary-encoded (a categorical of Arrow text, a category unused and
    a missing cell) gives what the same text gives, and the normaliser sees the text."""
    import pandas as pd

    from eduanalytics.ingest.core import by_distinct

    dtypes: list = []

    def upper(u: pd.Series) -> pd.DataFrame:
        dtypes.append(u.dtype)
        return pd.DataFrame({"value": u.str.upper()}, index=u.index)

    text = pd.StringDtype("pyarrow")
    cats = pd.CategoricalDtype(pd.Index(["b", "a", "unused"], dtype=text))
    coded = pd.Series(pd.Categorical(["a", None, "b", "a"], dtype=cats))
    plain = pd.Series(["a", None, "b", "a"], dtype=text)
    memo: dict = {}
    got = by_distinct(coded, upper, memo=memo)["value"]
    assert got.tolist()[::2] == ["A", "B"] and pd.isna(got.iloc[1]) and got.iloc[3] == "A"
    assert dtypes == [text]
    # the memo is shared with text columns: nothing new to normalise
    assert by_distinct(plain, upper, memo=memo)["value"].tolist() == got.tolist()
    assert len(dtypes) == 1
