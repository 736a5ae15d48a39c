"""County-share estimates of eligible populations, worked by hand on the mini county."""

from __future__ import annotations

import pandas as pd
import pytest
from _support.mini_county import county, make_tables

from eduanalytics.errors import DataError
from eduanalytics.report.county_share import county_share, estimate_eligible


@pytest.fixture()
def tables():
    return make_tables()


def test_county_share_estimate_by_hand(tables):
    # eligible levels none+preschool+primary+junior = 50+0+250+300 = 600 of a population of 1000
    share = county_share(tables["census_county"], "999999",
                         ["none", "preschool", "primary", "junior_secondary"], pop_total=1000)
    assert share == pytest.approx(0.6)
    est = estimate_eligible(tables["bases"], share)
    assert est.set_index("unit_id")["eligible"].to_dict() == {"a": 600, "b": 1800}
    # without the total population the share is of the 6+ counts: 600 / 900
    assert county_share(tables["census_county"], "999999", ["none", "primary", "junior_secondary"]) == \
        pytest.approx(600 / 900)


def test_estimate_keeps_only_the_units_asked_and_rounds_half_up():
    bases = pd.DataFrame({"unit_id": ["a", "b"], "base": "resident", "count": [5, 15]})
    est = estimate_eligible(bases, 0.5, units=["b"])
    # 15 x 0.5 = 7.5 -> 8
    assert est.to_dict("records") == [{"unit_id": "b", "base_count": 15, "share": 0.5, "eligible": 8}]


def test_unknown_code_is_a_data_error():
    with pytest.raises(DataError, match="123"):
        county_share(county(), "123", "all")
