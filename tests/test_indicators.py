"""Indicators against figures worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eduanalytics.allocation import allocate, best_base, compare_allocation, largest_remainder
from eduanalytics.census_survey import closest_units, compare_counts, funnel_table, target_group
from eduanalytics.intervals import adjust_pvalues, poisson_rate_interval, wilson_interval
from eduanalytics.pacing import expected_share, monthly_board, pacing_table
from eduanalytics.participation import eligible_population, participation_rates, rank_units
from eduanalytics.plan_tracking import interpolate_path, plan_path
from eduanalytics.process_rates import failure_reasons, process_rates
from eduanalytics.target_gaps import target_gaps

# Seed 000, the ten streets: (unit, 常住人口, 20-59, 高中及以下, 初高中 target, 大专 target)
SEED000 = [
    ("lunan", 54719, 37580, 32587, 106, 26), ("luqiao", 72705, 49449, 39637, 141, 35),
    ("lubei", 66199, 47222, 34667, 128, 32), ("luoyang", 51925, 36482, 29119, 100, 25),
    ("tongyu", 45017, 29978, 25660, 88, 21), ("fengjiang", 53357, 35470, 31936, 104, 25),
    ("xinqiao", 35736, 23868, 21317, 69, 17), ("hengjie", 37520, 25416, 22890, 73, 18),
    ("jinqing", 123722, 82718, 73885, 239, 59), ("pengjie", 88034, 59532, 53614, 171, 42),
]
OTHER_TARGETS = [("zhongzhi", "secondary_upgrade", 30), ("hengbo", "secondary_upgrade", 70),
                 ("zikao", "tertiary_upgrade", 200), ("chenggao", "tertiary_upgrade", 1600),
                 ("ouluqiao", "tertiary_upgrade", 850), ("zhongzhi", "vocational_training", 6800),
                 ("hengbo", "vocational_training", 500)]
PROGRAMMES = {
    "secondary_upgrade": {"measure": "persons", "eligible": {"age_min": 20, "age_max": 59,
                          "attainment": ["none", "preschool", "primary", "junior_secondary"]}},
    "tertiary_upgrade": {"measure": "persons", "eligible": {"age_min": 20, "age_max": 59,
                         "attainment": ["senior_secondary"]}},
    "vocational_training": {"measure": "person_times", "eligible": {"age_min": 20, "age_max": 59,
                            "attainment": "all"}},
}


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


def _enrol(unit, programme, n, status="enrolled", start=0, month=3, **kw):
    return pd.DataFrame({
        "learner_key": [f"{unit}{programme}{i:04d}" for i in range(start, start + n)],
        "unit_id": unit, "programme": programme, "status": status,
        "enrol_date": pd.Timestamp(2023, month, 10), "completed_date": pd.NaT,
        "registered": True, "register_fail_reason": None, "mode": "offline", "sex": "male", "age": 40, **kw,
    })


# --- intervals -------------------------------------------------------------------------

def test_wilson_textbook_value():
    # x=81, n=263 (Newcombe 1998; Brown-Cai-DasGupta 2001): p = 0.30798, z = 1.95996,
    # centre = (p + z²/2n)/(1 + z²/n) = 0.315283/1.014606 = 0.31074,
    # half = z*sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n) = 1.95996*0.028710/1.014606 = 0.05546
    ci = wilson_interval(pd.Series([81]), pd.Series([263])).iloc[0]
    assert ci["rate"] == pytest.approx(0.30798, abs=1e-5)
    assert ci["ci_low"] == pytest.approx(0.2553, abs=1e-4)
    assert ci["ci_high"] == pytest.approx(0.3662, abs=1e-4)


def test_wilson_rejects_bad_counts():
    with pytest.raises(ValueError, match="above its population"):
        wilson_interval([5], [3])
    with pytest.raises(ValueError, match="denominator"):
        wilson_interval([0], [0])
    with pytest.raises(ValueError, match=">= 0"):
        wilson_interval([-1], [3])


def test_poisson_interval_zero_events():
    # Garwood: 0 events -> upper = chi2(0.975, 2)/2 = 3.689 (the "rule of 3.7")
    ci = poisson_rate_interval([0], [1]).iloc[0]
    assert ci["ci_low"] == 0 and ci["ci_high"] == pytest.approx(3.689, abs=1e-3)


def test_holm_by_hand():
    # p sorted 0.01, 0.02, 0.04 with m=3: 3*0.01=0.03, max(0.03, 2*0.02)=0.04, max(0.04, 1*0.04)=0.04
    assert adjust_pvalues([0.04, 0.01, 0.02]).tolist() == pytest.approx([0.04, 0.03, 0.04])


# --- target gaps and pacing ---------------------------------------------------------------

def test_luqiao_district_totals_and_made_up_achieved(targets):
    # made-up achieved: every street reaches exactly half of its secondary target rounded
    # down; 区中职校 30 of 30; 恒勃 0.  Streets: 53+70+64+50+44+52+34+36+119+85 = 607, + 30 = 637.
    halves = [(u, s // 2) for u, *_, s, _ in SEED000]
    enr = pd.concat([_enrol(u, "secondary_upgrade", n) for u, n in halves]
                    + [_enrol("zhongzhi", "secondary_upgrade", 30)], ignore_index=True)
    g = target_gaps(targets, enr)
    tot = g[(g["unit_id"] == "total")].set_index("programme")
    assert tot.loc["secondary_upgrade", "target"] == 1319
    assert tot.loc["tertiary_upgrade", "target"] == 2950
    assert tot.loc["vocational_training", "target"] == 7300
    assert tot.loc["secondary_upgrade", "achieved"] == 637
    assert tot.loc["secondary_upgrade", "gap"] == 1319 - 637
    # 637 / 1319 = 48.294 %
    assert tot.loc["secondary_upgrade", "pct_complete"] == pytest.approx(48.294, abs=1e-3)
    lunan = g[(g["unit_id"] == "lunan") & (g["programme"] == "secondary_upgrade")].iloc[0]
    assert lunan["achieved"] == 53 and lunan["pct_complete"] == pytest.approx(50.0)
    parts = g[(g["unit_id"] != "total") & (g["programme"] == "secondary_upgrade")]
    assert parts["achieved"].sum() == tot.loc["secondary_upgrade", "achieved"]


def test_learners_counted_once_withdrawn_excluded(targets):
    e = pd.concat([_enrol("lunan", "secondary_upgrade", 10), _enrol("lunan", "secondary_upgrade", 4),
                   _enrol("lunan", "secondary_upgrade", 3, status="withdrawn", start=50)])
    g = target_gaps(targets, e, total=False).set_index(["unit_id", "programme"])
    assert g.loc[("lunan", "secondary_upgrade"), "enrolled"] == 10


def test_target_gaps_errors(targets):
    with pytest.raises(ValueError, match="target of zero"):
        target_gaps(targets.assign(target=0), _enrol("lunan", "secondary_upgrade", 1))
    with pytest.raises(ValueError, match="unknown programme"):
        target_gaps(targets, _enrol("lunan", "yoga", 1))
    with pytest.raises(ValueError, match="negative"):
        target_gaps(targets.assign(target=-1), _enrol("lunan", "secondary_upgrade", 1))
    with pytest.raises(ValueError, match="without a target"):
        target_gaps(targets, _enrol("lunan", "vocational_training", 1))


def test_expected_share_calendar():
    cal = {"spring": {"month": 3, "share": 0.5}, "autumn": {"month": 9, "share": 0.5}}
    assert expected_share("2023-02-28", cal) == 0
    assert expected_share("2023-03-31", cal) == pytest.approx(0.5)
    assert expected_share("2023-09-15", cal) == pytest.approx(0.5 + 0.5 * 15 / 30)
    assert expected_share("2023-12-31", cal) == 1
    # flat line: 30 June = 181 of 365 days
    assert expected_share("2023-06-30", None) == pytest.approx(181 / 365)
    with pytest.raises(ValueError, match="sum"):
        expected_share("2023-06-30", {"a": {"month": 3, "share": 0.7}})


def test_pacing_status_rule():
    gaps = pd.DataFrame({"unit_id": ["a", "b", "c"], "programme": "secondary_upgrade",
                         "target": 100, "achieved": [60, 50, 40]})
    cal = {"spring": {"month": 3, "share": 0.5}, "autumn": {"month": 9, "share": 0.5}}
    p = pacing_table(gaps, "2023-06-30", {"secondary_upgrade": cal}).set_index("unit_id")
    # expected 50: 60 >= 52.5 ahead; 50 on track; 40 < 47.5 behind
    assert p["status"].tolist() == ["ahead", "on_track", "behind"]
    # 6 months left: (100-40)/6 = 10 a month; forecast 40 / 0.5 = 80
    assert p.loc["c", "monthly_rate_needed"] == pytest.approx(10)
    assert p.loc["c", "year_end_forecast"] == pytest.approx(80)


def test_monthly_board_ranks(targets):
    e = pd.concat([_enrol("lunan", "secondary_upgrade", 53, month=3),
                   _enrol("luqiao", "secondary_upgrade", 141, month=9)])
    b = monthly_board(e, targets, 2023, "secondary_upgrade").set_index(["unit_id", "month"])
    assert b.loc[("lunan", 3), "rank"] == 1 and b.loc[("lunan", 3), "pct_complete"] == pytest.approx(50)
    assert b.loc[("luqiao", 9), "rank"] == 1 and b.loc[("luqiao", 12), "pct_complete"] == pytest.approx(100)


# --- allocation -------------------------------------------------------------------------

def test_largest_remainder_on_paper():
    # 7 over 4:3:2 -> quotas 3.111, 2.333, 1.556 -> floors 3,2,1 (6); the one left goes to
    # the largest remainder (0.556, the third) -> 3,2,2
    assert largest_remainder(7, pd.Series([4, 3, 2], index=list("abc"))).tolist() == [3, 2, 2]
    # fixed: 100 with school 30 first; 70 over 1:1:1 = 23.33 each -> 23,23,23 + 1 to the first
    r = largest_remainder(100, pd.Series([1, 1, 1], index=list("xyz")), fixed={"school": 30})
    assert r.to_dict() == {"school": 30, "x": 24, "y": 23, "z": 23}
    assert r.sum() == 100


def test_seed000_secondary_follows_resident_population(targets, bases):
    # the ten streets' secondary targets sum to 1219; split on 常住人口 (628934):
    # 路南 1219*54719/628934 = 106.06 -> 106 (published 106)
    alloc = allocate(1219, bases, "resident", units=[u for u, *_ in SEED000])
    assert alloc.sum() == 1219 and alloc["lunan"] == 106
    bb = best_base(targets, bases, "secondary_upgrade")
    assert bb.iloc[0]["base"] == "resident"
    cmp = compare_allocation(targets[targets["programme"] == "secondary_upgrade"].set_index("unit_id")
                             ["target"].loc[alloc.index], alloc)
    assert cmp["difference"].abs().max() <= 2


# --- participation ----------------------------------------------------------------------

def _population():
    rows = []
    for unit, low, high in (("a", 900, 100), ("b", 40, 10)):
        rows += [(unit, "census", 2020, 20, 39, "male", "junior_secondary", low // 2),
                 (unit, "census", 2020, 20, 39, "female", "junior_secondary", low - low // 2),
                 (unit, "census", 2020, 40, 59, "male", "senior_secondary", high),
                 (unit, "census", 2020, 60, None, "male", "primary", 500)]
    return pd.DataFrame(rows, columns=["unit_id", "source", "year", "age_min", "age_max", "sex",
                                       "attainment", "count"]).astype({"age_max": "Int64"})


def test_participation_rate_and_small_unit_not_a_leader():
    pop = _population()
    e = pd.concat([_enrol("a", "secondary_upgrade", 90), _enrol("b", "secondary_upgrade", 6)])
    r = participation_rates(e, pop, PROGRAMMES, programme_ids=["secondary_upgrade"], min_denominator=100)
    r = r.set_index("unit_id")
    # a: 90 of 900 eligible (20-59, junior secondary or below) = 10 %; b: 6 of 40 = 15 %
    assert r.loc["a", "rate"] == pytest.approx(0.10) and r.loc["b", "rate"] == pytest.approx(0.15)
    assert bool(r.loc["b", "small_denominator"]) and not bool(r.loc["a", "small_denominator"])
    ranked = rank_units(r.reset_index())
    assert ranked.iloc[0]["unit_id"] == "a"  # b's higher point rate has a wide interval


def test_participation_errors():
    pop = _population()
    with pytest.raises(ValueError, match="unknown programme"):
        participation_rates(_enrol("a", "secondary_upgrade", 1), pop, PROGRAMMES, programme_ids=["x"])
    with pytest.raises(ValueError, match="above its population"):
        participation_rates(_enrol("b", "secondary_upgrade", 41), pop, PROGRAMMES,
                            programme_ids=["secondary_upgrade"])
    with pytest.raises(ValueError, match="no eligible population"):
        participation_rates(_enrol("zz", "secondary_upgrade", 1), pop, PROGRAMMES,
                            programme_ids=["secondary_upgrade"])
    bad = pop.copy()
    bad.loc[0, "count"] = -3
    with pytest.raises(ValueError, match="negative"):
        eligible_population(bad, "secondary_upgrade", PROGRAMMES)
    straddle = pop.copy()
    straddle.loc[0, "age_max"] = 64
    with pytest.raises(ValueError, match="straddles"):
        eligible_population(straddle, "secondary_upgrade", PROGRAMMES)


def test_process_rates_by_hand():
    e = pd.concat([
        _enrol("a", "secondary_upgrade", 8),
        _enrol("a", "secondary_upgrade", 2, start=8, registered=False, register_fail_reason="no_photo"),
        _enrol("a", "secondary_upgrade", 1, start=20, registered=False, register_fail_reason="no_id_card"),
    ], ignore_index=True)
    e.loc[e.index[:3], "mode"] = "online"
    p = process_rates(e, classes=pd.DataFrame({"unit_id": ["a"], "programme": ["secondary_upgrade"],
                                               "classes_planned": [4], "classes_opened": [3]})).iloc[0]
    # 11 learners, 8 registered = 72.73 %, online 3/11 = 27.27 %, classes 3/4 = 75 %
    assert p["learners"] == 11 and p["registered"] == 8
    assert p["registration_rate"] == pytest.approx(800 / 11)
    assert p["no_photo"] == 2 and p["no_id_card"] == 1
    assert p["online_share"] == pytest.approx(300 / 11)
    assert p["class_opening_rate"] == pytest.approx(75)
    fr = failure_reasons(e).set_index("reason")
    assert fr.loc["no_photo", "share_pct"] == pytest.approx(200 / 3)


# --- census vs survey -------------------------------------------------------------------

def _cs():
    rows = [("a", "census", 100), ("a", "survey", 90), ("b", "census", 1000), ("b", "survey", 800),
            ("c", "census", 50)]
    return pd.DataFrame([(u, s, 2020, 20, 59, "total", "primary", n) for u, s, n in rows],
                        columns=["unit_id", "source", "year", "age_min", "age_max", "sex", "attainment", "count"])


def test_census_survey_small_case_by_hand():
    c = compare_counts(target_group(_cs()), null_ratio=1.0).set_index("unit_id")
    # a: S=90, C=100, N=190, under H0 S ~ Bin(190, 1/2): z = (90.5 - 95)/sqrt(47.5) = -0.653,
    # two-sided p ≈ 0.514 (normal approximation; the exact test gives 0.5133)
    assert c.loc["a", "difference"] == -10 and c.loc["a", "ratio"] == pytest.approx(0.9)
    assert c.loc["a", "relative_gap"] == pytest.approx(-0.1)
    assert c.loc["a", "p_value"] == pytest.approx(0.514, abs=0.005)
    # b: 800 of 1800 vs 900 expected, z = (800.5-900)/sqrt(450) = -4.69 -> p < 1e-5
    assert c.loc["b", "p_value"] < 1e-5
    # Holm over 2 tests: b first (2 x p_b), then a: max(2 p_b, 1 x p_a) = p_a
    assert c.loc["a", "p_adjusted"] == pytest.approx(c.loc["a", "p_value"])
    assert c.loc["c", "present"] == "census_only" and pd.isna(c.loc["c", "p_value"])
    ranked = closest_units(c.reset_index())
    assert ranked["unit_id"].tolist() == ["a", "b", "c"]
    f = funnel_table(c.reset_index())
    assert set(f["unit_id"]) == {"a", "b"}
    # pooled ratio 890/1100 = 0.809
    assert f["target_ratio"].iloc[0] == pytest.approx(890 / 1100)


def test_plan_path_and_interpolation():
    plan = pd.DataFrame({"indicator": "x", "indicator_name": "X", "unit": "percent",
                         "year": [2023, 2024], "target_value": [70.0, 70.8]})
    act = pd.DataFrame({"indicator": ["x"], "year": [2023], "actual_value": [71.0]})
    p = plan_path(plan, act)
    assert p.loc[0, "gap"] == pytest.approx(1.0) and bool(p.loc[0, "met"])
    assert pd.isna(p.loc[1, "met"])
    path = interpolate_path(2023, 15.15, 2025, 15.3)
    assert path["target_value"].tolist() == pytest.approx([15.15, 15.225, 15.3])
    with pytest.raises(ValueError, match="after the base year"):
        interpolate_path(2025, 1, 2023, 2)


def test_continuing_education_participation_against_seed003_targets():
    # seed 003 targets: 社区教育参与率 35 %, 从业人员继续教育参与率 25 %. Made-up counts:
    # 3,150 of 10,000 residents -> 31.5 % (3.5 points short); 600 of 2,000 employees -> 30 %
    counts = pd.DataFrame({"indicator": ["community_education_participation", "employee_ce_participation"],
                           "participants": [3150, 600], "population": [10000, 2000]})
    targets = pd.DataFrame({"indicator": ["community_education_participation", "employee_ce_participation"],
                            "target_value": [35.0, 25.0], "unit": "percent"})
    from eduanalytics.participation import ce_participation

    r = ce_participation(counts, targets).set_index("indicator")
    assert r.loc["community_education_participation", "rate_pct"] == pytest.approx(31.5)
    assert r.loc["community_education_participation", "gap_pct"] == pytest.approx(-3.5)
    assert r.loc["employee_ce_participation", "gap_pct"] == pytest.approx(5.0)
    assert r.loc["employee_ce_participation", "ci_low_pct"] < 30 < r.loc["employee_ce_participation", "ci_high_pct"]
    with pytest.raises(ValueError, match="negative"):
        ce_participation(counts.assign(participants=[-1, 2]))
