"""Invented people and the cell-level faults shared by the register generators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from stdnum.cn import ric

from eduanalytics.errors import DataError
from eduanalytics.example.people import (
    DATE_KINDS,
    FULLWIDTH,
    Picker,
    date_cells,
    people,
    wrong_check,
)

AREAS = {"local": ["111111"], "migrant": ["222222"], "retired": "333333", "retired_before": 1994,
         "retired_share": 1.0}


def test_people_ages_ids_and_retired_code():
    ages = np.array([25, 40, 55, 30, 45] * 20)
    p = people(np.random.default_rng(1), ages, AREAS, ref_year=2023)
    assert (2023 - p["出生日期"].dt.year == ages).all()
    assert all(ric.calc_check_digit(i[:17] + "0") == i[17] for i in p["身份证号"])
    assert p["身份证号"].is_unique
    born_before = p["出生日期"].dt.year < 1994
    area = p["身份证号"].str[:6]
    # every local person born before 1994 carries the retired code (share 1.0); none after
    assert set(area[~born_before]) <= {"111111", "222222"}
    assert set(area[born_before]) <= {"333333", "222222"} and (area[born_before] == "333333").any()
    # the 17th digit is odd for men, even for women: both occur
    assert {int(i[16]) % 2 for i in p["身份证号"]} == {0, 1}


def test_wrong_check_digit_is_wrong():
    # 11010519491231002X is the standard's own example; its check digit is X
    assert ric.is_valid("11010519491231002X")
    assert wrong_check(pd.Series(["11010519491231002X"])) == ["110105194912310020"]
    assert not ric.is_valid("110105194912310020")
    # a valid ID ending in 0 gets 1 instead
    body = "33100419900101004"
    valid = body + ric.calc_check_digit(body + "0")
    bad = wrong_check(pd.Series([valid]))[0]
    assert bad[:17] == body and bad[17] != valid[17]


def test_fullwidth_digits():
    assert "2023-03-06".translate(FULLWIDTH) == "２０２３-０３-０６"


def test_date_cells_write_each_kind_as_its_form():
    d = pd.Series(pd.to_datetime(["2023-03-06"] * 400))
    cells, kinds = date_cells(np.random.default_rng(3), d)
    forms = {"iso_text": "2023-03-06", "dotted": "2023.3.6", "chinese": "2023年3月6日",
             "slash": "2023/3/6", "excel_serial": 44991}
    for cell, kind in zip(cells, kinds, strict=True):
        if kind in forms:
            assert cell == forms[kind]
    assert set(kinds) <= set(DATE_KINDS)
    assert (kinds == "excel_date").mean() > 0.8


def test_picker_hands_out_disjoint_rows_and_refuses_too_many():
    pick = Picker(np.random.default_rng(0), np.arange(10))
    a, b = pick.take(4), pick.take(4)
    assert not set(a) & set(b)
    with pytest.raises(DataError):
        pick.take(3)
