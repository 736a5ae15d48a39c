"""Years of schooling: the yearbook reproduced, 15+ for Zhejiang, projections by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.indicators.targets_needed import completions_needed


def _toy():
    # ages 19-22; levels none 0, primary 6, junior 9
    rows = [(19, "primary", 100), (20, "primary", 100), (21, "none", 50), (21, "primary", 50),
            (22, "none", 100)]
    return pd.DataFrame([{"unit_id": "x", "source": "census", "year": 2020, "age_min": a,
                          "age_max": a, "sex": "total", "attainment": lv, "count": n}
                         for a, lv, n in rows]).astype({"age_max": "Int64"})


MIX = pd.Series({"primary": 0.5, "junior_secondary": 0.5})


def test_inverse_on_paper():
    # each primary -> junior completion adds 3 years / 300 people = 0.01 to the 2021 mean of 5.5:
    # reaching 5.795 needs 30 (29 gives 5.79); at most 200 primary holders -> 7.5 at best
    kw = dict(age_min=20, age_max=22, entrant_mix=MIX)
    steps = {"secondary_upgrade": {"primary": "junior_secondary"}}
    lm = {"secondary_upgrade": {"primary": 1.0}}
    need = completions_needed(_toy(), 2020, 2021, 5.795, {"secondary_upgrade": 1.0}, steps, lm, **kw)
    assert need.reachable and need.per_year == 30
    out = completions_needed(_toy(), 2020, 2021, 8.0, {"secondary_upgrade": 1.0}, steps, lm, **kw)
    assert not out.reachable and out.max_per_year == 200
    assert out.shortfall == pytest.approx(0.5)
