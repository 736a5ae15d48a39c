"""Attainment levels and the yearbook's years per level."""

from __future__ import annotations

from eduanalytics.labels import LABELS
from eduanalytics.tables.attainment import DEFAULT_YEARS, LEVELS


def test_levels_in_order_lowest_first():
    assert LEVELS[0] == "none" and LEVELS[-1] == "postgraduate"
    assert LEVELS.index("junior_secondary") < LEVELS.index("senior_secondary") < LEVELS.index("bachelor")
    assert all(lv in LABELS for lv in LEVELS)


def test_default_years_are_the_yearbook_convention():
    # none 0, preschool 0, primary 6, junior 9, senior 12, every tertiary level 16
    assert list(DEFAULT_YEARS) == list(LEVELS)
    assert [DEFAULT_YEARS[lv] for lv in LEVELS] == [0, 0, 6, 9, 12, 16, 16, 16]
    # never decreasing up the ladder
    ys = [DEFAULT_YEARS[lv] for lv in LEVELS]
    assert ys == sorted(ys)
