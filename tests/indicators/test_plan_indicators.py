"""Years of schooling: the yearbook reproduced, 15+ for Zhejiang, projections by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.indicators.plan_indicators import gross_enrolment_ratio, school_life_expectancy


def test_school_life_expectancy_and_ger_by_hand():
    # ages 6, 7, 8 with 100 people each and 100, 90, 50 enrolled: 1 + 0.9 + 0.5 = 2.4 years
    pop = pd.DataFrame({"age": [6, 7, 8], "count": [100, 100, 100]})
    enr = pd.DataFrame({"age": [6, 7, 8], "count": [100, 90, 50]})
    assert school_life_expectancy(enr, pop) == pytest.approx(2.4)
    with pytest.raises(ValueError, match="more than once"):
        school_life_expectancy(pd.concat([enr, enr.head(1)]), pop)
    # tertiary GER: 725 students / 1000 people aged 18-22 = 72.5 % (Dongtou's 2027 target)
    assert gross_enrolment_ratio(725, 1000) == pytest.approx(72.5)
    assert gross_enrolment_ratio(1100, 1000) == pytest.approx(110.0)
    with pytest.raises(ValueError):
        gross_enrolment_ratio(1, 0)
