"""The column contract: the names every stage agrees on."""

from __future__ import annotations

from eduanalytics.labels import LABELS
from eduanalytics.tables.columns import (
    BASES,
    COLUMNS,
    FAIL_REASONS,
    MODES,
    PROGRAMMES,
    SEXES,
    STATUSES,
)


def test_population_tables_share_one_layout():
    # the county census extract is read by the same functions as the units' population
    # (``levels`` names a level group such as 初中及以下 in a wide survey; the census has none)
    assert [c for c in COLUMNS["population"] if c != "levels"] == COLUMNS["census_county"]
    assert {"unit_id", "age_min", "age_max", "sex", "attainment", "count"} <= set(COLUMNS["population"])


def test_no_personal_data_in_the_contract():
    every = {c for cols in COLUMNS.values() for c in cols}
    assert not every & {"id_number", "name_person", "person_name", "id_card"}
    assert "learner_key" in COLUMNS["enrolments"]


def test_columns_are_snake_case_and_unique():
    for name, cols in COLUMNS.items():
        assert len(cols) == len(set(cols)), name
        assert all(c == c.lower() and " " not in c for c in cols), name


def test_value_sets():
    assert PROGRAMMES == ("secondary_upgrade", "tertiary_upgrade", "vocational_training")
    assert set(SEXES) == {"male", "female", "total"}
    assert STATUSES == ("enrolled", "completed", "withdrawn")
    assert len(FAIL_REASONS) == 3 and len(MODES) == 3 and len(BASES) == 3
    # every programme has a display label
    assert all(p in LABELS for p in PROGRAMMES)
