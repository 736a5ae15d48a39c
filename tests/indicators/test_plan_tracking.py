"""Indicators against figures worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.indicators.plan_tracking import interpolate_path, plan_path


def test_plan_path_and_interpolation():
    plan = pd.DataFrame({"indicator": "x", "indicator_name": "X", "unit": "percent",
                         "year": [2023, 2024], "target_value": [70.0, 70.8]})
    act = pd.DataFrame({"indicator": ["x"], "year": [2023], "actual_value": [71.0]})
    p = plan_path(plan, act)
    assert p.loc[0, "gap"] == pytest.approx(1.0) and bool(p.loc[0, "met"])
    assert pd.isna(p.loc[1, "met"])
    path = interpolate_path(2023, 15.15, 2025, 15.3)
    assert path["target_value"].tolist() == pytest.approx([15.15, 15.225, 15.3])
    with pytest.raises(ValueError, match="after the base year"):
        interpolate_path(2025, 1, 2023, 2)
