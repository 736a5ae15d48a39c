"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

import pandas as pd

from eduanalytics.normalise import (
    clean_text,
)


def test_clean_text_seed003_traditional_with_pinyin():
    s = pd.Series(["達州經(jīng)開區(qū)管委會", "社區(qū)教育參與率", "高中(含中专)", "优质幼儿园(一、二级)在园幼儿占比(%",
                   "　路南街道\u00a0", None])
    out = clean_text(s).tolist()
    assert out[:5] == ["达州经开区管委会", "社区教育参与率", "高中(含中专)", "优质幼儿园(一、二级)在园幼儿占比(%",
                       "路南街道"]
    assert pd.isna(out[5])
