"""Street census extract: input checks name what is wrong (DataError)."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.errors import DataError
from eduanalytics.example.census_extract import BANDS, census_row, street_figures

TASK = pd.DataFrame({"责任单位": ["甲街道", "乙镇", "合计"], "常住人口": ["100", "50", "150"],
                     "20-59周岁人口": ["60", "30", "90"], "其中高中及以下学历人口": ["40", "25", "60"]})


def test_street_figures_drop_the_total_row_and_cast():
    f = street_figures(TASK)
    assert list(f.index) == ["甲街道", "乙镇"]
    assert f.loc["乙镇"].tolist() == [50, 30, 25]


def test_missing_column_and_non_numeric_figures_raise_data_error():
    with pytest.raises(DataError, match="missing column"):
        street_figures(TASK.drop(columns="20-59周岁人口"))
    bad = TASK.assign(**{"20-59周岁人口": ["60", "/", "90"]})
    with pytest.raises(DataError, match="乙镇"):
        street_figures(bad)


def test_census_row_needs_exactly_one_row():
    census = pd.DataFrame({"code": ["1", "2", "2"], "pop_total": [1, 2, 3]})
    assert census_row(census, "1")["pop_total"] == 1
    with pytest.raises(DataError, match="found 2"):
        census_row(census, "2")


def test_bands_cover_every_age_once():
    lows = [int(b.split("-")[0].rstrip("+")) for b in BANDS]
    assert lows == sorted(lows) and lows[0] == 0 and BANDS[-1] == "85+"
    assert len(BANDS) == 18
