"""Indicators against figures worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from _support.seed000 import _enrol

from eduanalytics.indicators.process_rates import failure_reasons, process_rates


def test_process_rates_by_hand():
    e = pd.concat([
        _enrol("a", "secondary_upgrade", 8),
        _enrol("a", "secondary_upgrade", 2, start=8, registered=False, register_fail_reason="no_photo"),
        _enrol("a", "secondary_upgrade", 1, start=20, registered=False, register_fail_reason="no_id_card"),
    ], ignore_index=True)
    e.loc[e.index[:3], "mode"] = "online"
    p = process_rates(e, classes=pd.DataFrame({"unit_id": ["a"], "programme": ["secondary_upgrade"],
                                               "classes_planned": [4], "classes_opened": [3]})).iloc[0]
    # 11 learners, 8 registered = 72.73 %, online 3/11 = 27.27 %, classes 3/4 = 75 %
    assert p["learners"] == 11 and p["registered"] == 8
    assert p["registration_rate"] == pytest.approx(800 / 11)
    assert p["no_photo"] == 2 and p["no_id_card"] == 1
    assert p["online_share"] == pytest.approx(300 / 11)
    assert p["class_opening_rate"] == pytest.approx(75)
    fr = failure_reasons(e).set_index("reason")
    assert fr.loc["no_photo", "share_pct"] == pytest.approx(200 / 3)
