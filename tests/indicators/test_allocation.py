"""Indicators against figures worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from _support.seed000 import SEED000

from eduanalytics.errors import DataError
from eduanalytics.indicators.allocation import (
    allocate,
    best_base,
    compare_allocation,
    hamilton_split,
    largest_remainder,
)


def test_largest_remainder_on_paper():
    # 7 over 4:3:2 -> quotas 3.111, 2.333, 1.556 -> floors 3,2,1 (6); the one left goes to
    # the largest remainder (0.556, the third) -> 3,2,2
    assert largest_remainder(7, pd.Series([4, 3, 2], index=list("abc"))).tolist() == [3, 2, 2]
    # fixed: 100 with school 30 first; 70 over 1:1:1 = 23.33 each -> 23,23,23 + 1 to the first
    r = largest_remainder(100, pd.Series([1, 1, 1], index=list("xyz")), fixed={"school": 30})
    assert r.to_dict() == {"school": 30, "x": 24, "y": 23, "z": 23}
    assert r.sum() == 100


def test_seed000_secondary_follows_resident_population(targets, bases):
    # the ten streets' secondary targets sum to 1219; split on 常住人口 (628934):
    # 路南 1219*54719/628934 = 106.06 -> 106 (published 106)
    alloc = allocate(1219, bases, "resident", units=[u for u, *_ in SEED000])
    assert alloc.sum() == 1219 and alloc["lunan"] == 106
    bb = best_base(targets, bases, "secondary_upgrade")
    assert bb.iloc[0]["base"] == "resident"
    cmp = compare_allocation(targets[targets["programme"] == "secondary_upgrade"].set_index("unit_id")
                             ["target"].loc[alloc.index], alloc)
    assert cmp["difference"].abs().max() <= 2


def test_bad_allocation_inputs_are_data_errors(bases):
    with pytest.raises(DataError, match="weights must be >= 0") as e:
        largest_remainder(10, pd.Series([1, -1], index=["a", "b"]))
    assert e.value.found == {"b": -1.0}
    with pytest.raises(DataError, match="exceed the total"):
        largest_remainder(10, pd.Series([1, 1], index=["a", "b"]), fixed={"school": 11})
    with pytest.raises(DataError, match="all-zero"):
        hamilton_split(5, [0, 0])
    with pytest.raises(DataError, match="no rows for base 'households'"):
        allocate(10, bases, "households")
    with pytest.raises(DataError, match=r"no resident for unit\(s\) \['atlantis'\]"):
        allocate(10, bases, "resident", units=["lunan", "atlantis"])
    with pytest.raises(DataError, match="missing column"):
        allocate(10, bases.drop(columns="count"))
    with pytest.raises(DataError, match="one allocation only"):
        compare_allocation(pd.Series({"a": 1}), pd.Series({"b": 1}))
