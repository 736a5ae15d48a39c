"""The hand-worked toy population of the projection and inverse-search tests."""

from __future__ import annotations

import pandas as pd


def toy_population() -> pd.DataFrame:
    """Ages 19-22 of one unit; levels none 0, primary 6, junior 9 years."""
    rows = [(19, "primary", 100), (20, "primary", 100), (21, "none", 50), (21, "primary", 50),
            (22, "none", 100)]
    return pd.DataFrame([{"unit_id": "x", "source": "census", "year": 2020, "age_min": a,
                          "age_max": a, "sex": "total", "attainment": lv, "count": n}
                         for a, lv, n in rows]).astype({"age_max": "Int64"})


#: Entrants' attainment mix used with the toy population.
MIX = pd.Series({"primary": 0.5, "junior_secondary": 0.5})
