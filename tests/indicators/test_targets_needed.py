"""What it takes: completions needed for a target mean, worked on paper and by trying every n."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _support.toy_population import MIX, toy_population

from eduanalytics.errors import DataError
from eduanalytics.indicators.projection import NotEnoughPeople, completions_from_programmes, project
from eduanalytics.indicators.targets_needed import _first_true, completions_needed

_toy = toy_population


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


KW = dict(age_min=20, age_max=22, entrant_mix=MIX)
STEPS = {"secondary_upgrade": {"primary": "junior_secondary"}}
LM = {"secondary_upgrade": {"primary": 1.0}}
ONE = {"secondary_upgrade": 1.0}


def test_two_years_of_completions_on_paper():
    # n a year in 2021 and 2022. 2021: primary holders 50/100/50 at ages 20/21/22, so n/4,
    # n/2, n/4 move. 2022 (age 22 of 2021 has left): age 21 holds 50 - n/4 primary and
    # 50 + n/4 junior (750 + 0.75n years), age 22 100 - n/2 primary and n/2 junior
    # (600 + 1.5n), entrants 750; the 2022 moves add 3n: (2100 + 5.25n) / 300 = 7 + 0.0175n.
    # 2022 has 200 - 3n/4 primary holders, so n <= 114 (114.3); at most 7 + 1.995 = 8.995.
    need = completions_needed(_toy(), 2020, 2022, 7.5, ONE, STEPS, LM, **KW)
    assert need.reachable and need.per_year == 29  # 0.5 / 0.0175 = 28.6
    assert need.mean_reached == pytest.approx(7 + 0.0175 * 29)
    assert need.mean_without == pytest.approx(7.0) and need.max_per_year == 114
    out = completions_needed(_toy(), 2020, 2022, 9.0, ONE, STEPS, LM, **KW)
    assert not out.reachable and out.per_year is None and out.max_per_year == 114
    assert out.mean_reached == pytest.approx(8.995) and out.shortfall == pytest.approx(0.005)
    zero = completions_needed(_toy(), 2020, 2022, 6.0, ONE, STEPS, LM, **KW)
    assert zero.reachable and zero.per_year == 0 and zero.mean_reached == pytest.approx(7.0)


def test_same_answer_as_trying_every_number():
    # a bent case: survival by age, entrants with no schooling, completions from two levels;
    # the answer must be the smallest n whose projected mean reaches the target, and the
    # most possible the largest n the eligible people allow (the definitions, tried one by one)
    kw = dict(KW, survival=pd.Series([0.9, 0.7, 0.5], index=[20, 21, 22]),
              entrant_mix=pd.Series({"none": 0.2, "primary": 0.4, "junior_secondary": 0.4}))
    steps = {"secondary_upgrade": {"primary": "junior_secondary", "none": "primary"}}
    lm = {"secondary_upgrade": {"primary": 0.6, "none": 0.4}}
    need = completions_needed(_toy(), 2020, 2023, 7.0, ONE, steps, lm, **kw)

    def mean(n):
        c = completions_from_programmes({"secondary_upgrade": n}, steps, lm, [2021, 2022, 2023])
        try:
            return project(_toy(), 2020, 2023, completions=c, **kw)["mean_years"].iloc[-1]
        except NotEnoughPeople:
            return None

    means = {n: mean(n) for n in range(0, 56)}  # 52 and up are out of reach (checked below)
    most = max(n for n, m in means.items() if m is not None)
    assert all(means[n] is not None for n in range(most + 1)) and most < 55
    first = next(n for n in range(0, most + 1) if means[n] >= 7.0)
    assert need.per_year == first > 0 and need.max_per_year == most
    assert need.mean_reached == pytest.approx(means[first])


def test_first_true_matches_a_scan():
    for cut in (1, 2, 63, 64, 65, 999, 1000):
        calls = []

        def pred(c, cut=cut, calls=calls):
            calls.append(len(c))
            return np.asarray(c) >= cut

        assert _first_true(pred, 0, 1000) == cut
        assert max(calls) <= 66
    # a right guess settles it in one pass
    calls = []
    assert _first_true(lambda c: (calls.append(1), np.asarray(c) >= 777)[1], 0, 10**6,
                       guess=777) == 777
    assert len(calls) == 1


def test_bad_inputs_to_completions_needed():
    with pytest.raises(DataError, match="sum"):
        completions_needed(_toy(), 2020, 2022, 7.5, {"secondary_upgrade": 0.5}, STEPS, LM, **KW)
    with pytest.raises(DataError, match="after the base year"):
        completions_needed(_toy(), 2020, 2020, 7.5, ONE, STEPS, LM, **KW)
    with pytest.raises(DataError, match="units stacked"):
        completions_needed(pd.concat([_toy(), _toy().assign(unit_id="y")]), 2020, 2022, 7.5,
                           ONE, STEPS, LM, **KW)
    with pytest.raises(DataError, match="unknown option"):
        completions_needed(_toy(), 2020, 2022, 7.5, ONE, STEPS, LM, by="unit_id", **KW)
