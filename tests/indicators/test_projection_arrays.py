"""The projection engine's arrays, worked by hand on two units with different bands."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eduanalytics.errors import DataError
from eduanalytics.indicators.projection_arrays import moves_from_frame, prepare, run
from eduanalytics.tables.attainment import LEVELS

MIX = pd.Series({"primary": 0.5, "junior_secondary": 0.5})
P, J, N, B = (LEVELS.index(x) for x in ("primary", "junior_secondary", "none", "bachelor"))


def _two():
    rows = [("a", 18, 19, "primary", 10), ("a", 20, 22, "junior_secondary", 30),
            ("b", 19, 19, "primary", 4), ("b", 20, 20, "none", 6), ("b", 21, 21, "primary", 3),
            ("b", 22, 22, "bachelor", 2)]
    return pd.DataFrame(rows, columns=["unit_id", "age_min", "age_max", "attainment", "count"]
                        ).astype({"age_max": "Int64"})


def test_single_year_array_by_hand():
    base = prepare(_two(), 20, 22, by="unit_id", entrant_mix=MIX)
    # ages 18 (one below the youngest band) .. 24 (age_min + 4)
    assert base.lo == 18 and base.arr.shape == (2, len(LEVELS), 7)
    assert list(base.units) == ["a", "b"]
    a, b = base.arr
    assert a[P].tolist() == [5, 5, 0, 0, 0, 0, 0]
    assert a[J].tolist() == [0, 0, 10, 10, 10, 0, 0]
    assert b[P].tolist() == [0, 4, 0, 3, 0, 0, 0] and b[N][2] == 6 and b[B][4] == 2
    assert base.present.tolist() == [[True] * 5 + [False] * 2, [False] + [True] * 4 + [False] * 2]
    assert base.entrants_mean.tolist() == [7.5, 7.5]


def test_two_years_by_hand():
    # a 2021: entrants = the 5 aged 19 as 2.5 primary + 2.5 junior, juniors 10 at 21 and 22:
    #   (15 + 22.5 + 180) / 25 = 8.7; 2022: entrants again from the 5 aged 18:
    #   (2 * 37.5 + 90) / 20 = 8.25
    # b 2021: entrants from the 4 aged 19, none 6 at 21, primary 3 at 22: (30 + 18) / 13;
    #   2022: nobody aged 18 in b's data, so the base year's youngest working-age cohort
    #   (6 at age 20) enters: (45 + 30 + 0) / 16 = 4.6875
    base = prepare(_two(), 20, 22, by="unit_id", entrant_mix=MIX)
    means, persons, ok = run(base, {}, 2020, 2022)
    assert persons.tolist() == [[30, 25, 20], [11, 13, 16]]
    assert means[0].tolist() == pytest.approx([9.0, 8.7, 8.25])
    assert means[1].tolist() == pytest.approx([50 / 11, 48 / 13, 4.6875])
    assert ok.all()


def test_short_units_are_flagged_or_raise():
    base = prepare(_two(), 20, 22, by="unit_id", entrant_mix=MIX)
    # 2021 primary holders: a 2.5 (entrants), b 5 (2 entrants + 3 aged 22)
    moves = {2021: [(P, J, np.array([3.0, 5.0]))]}
    _, _, ok = run(base, moves, 2020, 2021, on_short="flag")
    assert ok.tolist() == [False, True]
    with pytest.raises(DataError, match="unit_id a: 2021: 3 completions from primary but only 2"):
        run(base, moves, 2020, 2021)


def test_moves_per_unit_and_a_stray_unit():
    base = prepare(_two(), 20, 22, by="unit_id", entrant_mix=MIX)
    comp = pd.DataFrame({"unit_id": ["b", "b"], "year": [2021, 2021],
                         "level_from": ["primary"] * 2, "level_to": ["junior_secondary"] * 2,
                         "count": [1.0, 2.0]})
    moves = moves_from_frame(comp, base)
    assert list(moves) == [2021] and moves[2021][0][:2] == (P, J)
    assert moves[2021][0][2].tolist() == [0.0, 3.0]
    with pytest.raises(DataError, match=r"unit_id \['z'\] not in the population"):
        moves_from_frame(comp.assign(unit_id="z"), base)
    # candidates of a search: the first unit repeated
    rep = base.repeat(3)
    assert rep.arr.shape[0] == 3 and (rep.arr == base.arr[:1]).all()


def test_moves_added_up_and_taken_in_name_order():
    base = prepare(_two(), 20, 22, by="unit_id", entrant_mix=MIX)
    S = LEVELS.index("senior_secondary")
    comp = pd.DataFrame({"unit_id": ["a", "b", "a", "a", None],
                         "year": [2021, 2021, 2021, 2022, 2021],
                         "level_from": ["primary", "junior_secondary", "primary", "primary",
                                        "primary"],
                         "level_to": ["junior_secondary", "senior_secondary", "junior_secondary",
                                      "junior_secondary", "junior_secondary"],
                         "count": [1.0, 2.0, 4.0, 8.0, 16.0]})
    moves = moves_from_frame(comp, base)
    # 2021: junior_secondary -> senior before primary -> junior (name order); a's two rows
    # add up to 5; the row without a unit is left out
    assert [(lf, lt) for lf, lt, _ in moves[2021]] == [(J, S), (P, J)]
    assert moves[2021][0][2].tolist() == [0.0, 2.0]
    assert moves[2021][1][2].tolist() == [5.0, 0.0]
    assert moves[2022][0][2].tolist() == [8.0, 0.0]
    # without a unit column every unit gets the same
    pooled = moves_from_frame(comp.drop(columns="unit_id"), base)
    assert pooled[2021][1][2].tolist() == [21.0, 21.0]


def test_bands_that_overlap_within_a_unit_are_named():
    bad = pd.concat([_two(), pd.DataFrame({"unit_id": ["b"], "age_min": [19], "age_max": [20],
                                           "attainment": ["none"], "count": [1]})])
    with pytest.raises(DataError, match="overlap for unit_id b"):
        prepare(bad.astype({"age_max": "Int64"}), 20, 22, by="unit_id", entrant_mix=MIX)
