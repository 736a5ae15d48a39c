"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

import pandas as pd

from eduanalytics.normalise import (
    normalise_percent,
)


def test_percent_seed002_rule():
    # indicator 1 prints bare numbers (79.8, 84 ...) in a percent column: > 1 -> percent
    assert normalise_percent(pd.Series(["79.8", "84", "90", "91", "91"]))["value"].tolist() == [79.8, 84, 90, 91, 91]
    assert normalise_percent(pd.Series(["57%", "60%", "88.9%"]))["value"].tolist() == [57, 60, 88.9]
    assert normalise_percent(pd.Series(["0.57", "0.6"]))["value"].round(6).tolist() == [57, 60]
    over = normalise_percent(pd.Series(["100%", "163%"]))
    assert over.loc[0, "value"] == 100 and "above 100" in over.loc[1, "error"]
    assert normalise_percent(pd.Series(["110%"]), max_value=None)["value"].tolist() == [110]
