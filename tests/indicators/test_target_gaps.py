"""Indicators against figures worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from _support.seed000 import SEED000, _enrol

from eduanalytics.indicators.target_gaps import target_gaps


def test_luqiao_district_totals_and_made_up_achieved(targets):
    # made-up achieved: every street reaches exactly half of its secondary target rounded
    # down; 区中职校 30 of 30; 恒勃 0.  Streets: 53+70+64+50+44+52+34+36+119+85 = 607, + 30 = 637.
    halves = [(u, s // 2) for u, *_, s, _ in SEED000]
    enr = pd.concat([_enrol(u, "secondary_upgrade", n) for u, n in halves]
                    + [_enrol("zhongzhi", "secondary_upgrade", 30)], ignore_index=True)
    g = target_gaps(targets, enr)
    tot = g[(g["unit_id"] == "total")].set_index("programme")
    assert tot.loc["secondary_upgrade", "target"] == 1319
    assert tot.loc["tertiary_upgrade", "target"] == 2950
    assert tot.loc["vocational_training", "target"] == 7300
    assert tot.loc["secondary_upgrade", "achieved"] == 637
    assert tot.loc["secondary_upgrade", "gap"] == 1319 - 637
    # 637 / 1319 = 48.294 %
    assert tot.loc["secondary_upgrade", "pct_complete"] == pytest.approx(48.294, abs=1e-3)
    lunan = g[(g["unit_id"] == "lunan") & (g["programme"] == "secondary_upgrade")].iloc[0]
    assert lunan["achieved"] == 53 and lunan["pct_complete"] == pytest.approx(50.0)
    parts = g[(g["unit_id"] != "total") & (g["programme"] == "secondary_upgrade")]
    assert parts["achieved"].sum() == tot.loc["secondary_upgrade", "achieved"]


def test_learners_counted_once_withdrawn_excluded(targets):
    e = pd.concat([_enrol("lunan", "secondary_upgrade", 10), _enrol("lunan", "secondary_upgrade", 4),
                   _enrol("lunan", "secondary_upgrade", 3, status="withdrawn", start=50)])
    g = target_gaps(targets, e, total=False).set_index(["unit_id", "programme"])
    assert g.loc[("lunan", "secondary_upgrade"), "enrolled"] == 10


def test_target_gaps_errors(targets):
    with pytest.raises(ValueError, match="target of zero"):
        target_gaps(targets.assign(target=0), _enrol("lunan", "secondary_upgrade", 1))
    with pytest.raises(ValueError, match="unknown programme"):
        target_gaps(targets, _enrol("lunan", "yoga", 1))
    with pytest.raises(ValueError, match="negative"):
        target_gaps(targets.assign(target=-1), _enrol("lunan", "secondary_upgrade", 1))
    with pytest.raises(ValueError, match="without a target"):
        target_gaps(targets, _enrol("lunan", "vocational_training", 1))
