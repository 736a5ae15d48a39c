"""Fixtures of seed-000 targets and bases shared by the indicator tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _support.seed000 import OTHER_TARGETS, SEED000


@pytest.fixture
def targets():
    rows = [(u, "secondary_upgrade", s) for u, *_, s, _ in SEED000]
    rows += [(u, "tertiary_upgrade", t) for u, *_, t in SEED000]
    rows += OTHER_TARGETS
    df = pd.DataFrame(rows, columns=["unit_id", "programme", "target"])
    df["measure"] = np.where(df["programme"] == "vocational_training", "person_times", "persons")
    return df.assign(year=2023)


@pytest.fixture
def bases():
    rows = []
    for u, r, a, low, *_ in SEED000:
        rows += [(u, "resident", r), (u, "age_20_59", a), (u, "low_attainment_20_59", low)]
    return pd.DataFrame(rows, columns=["unit_id", "base", "count"])
