"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.privacy import learner_key, mask_id


def test_mask_and_key():
    assert mask_id(pd.Series(["11010519491231002X"])).iloc[0] == "110105********002X"
    k = learner_key(pd.Series(["11010519491231002X", "11010519491231002X", None]), "salt")
    assert k.iloc[0] == k.iloc[1] and len(k.iloc[0]) == 16 and pd.isna(k.iloc[2])
    assert learner_key(pd.Series(["11010519491231002X"]), "other").iloc[0] != k.iloc[0]
    with pytest.raises(ValueError):
        learner_key(pd.Series(["x"]), "")
