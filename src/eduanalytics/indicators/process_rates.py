"""Process rates from the register, as a county's year-end summary reports them (seed 004):
学籍录入率, successful registration with failure reasons, online share, class opening rate,
completion and withdrawal rates. Learners are counted once per programme."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from eduanalytics.tables.checks import non_negative, require
from eduanalytics.tables.columns import FAIL_REASONS


def process_rates(enrolments: pd.DataFrame, by: Sequence[str] = ("unit_id", "programme"),
                  expected: pd.DataFrame | None = None,
                  classes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Register process rates per group.

    Parameters
    ----------
    enrolments : DataFrame
        The ``enrolments`` table (persons programmes; person-time rows of training are
        counted per row).
    by : sequence of str
        Grouping columns.
    expected : DataFrame, optional
        ``by`` columns and ``expected`` (learners planned, e.g. the surveyed cohort): gives
        ``entry_rate`` = learners entered in the register / expected (学籍录入率).
    classes : DataFrame, optional
        ``by`` columns, ``classes_planned``, ``classes_opened``: gives ``class_opening_rate``.

    Returns
    -------
    DataFrame
        learners, registered, not_registered, no_id_card, no_household_register, no_photo,
        registration_rate (registered / learners whose registration is recorded), online
        (mode online or blended — blended counts as online, as the county summary's
        线上培训 share does), online_share, completed, completion_rate, withdrawn,
        withdrawal_rate, and entry_rate / class_opening_rate when given (all rates in %).
    """
    require(enrolments, ["learner_key", "programme", "status", "registered", "register_fail_reason",
                         "mode", *by], "enrolments")
    e = enrolments.drop_duplicates([*by, "learner_key", "programme"]) if "programme" in by else enrolments
    persons = e[e["programme"] != "vocational_training"]
    times = enrolments[enrolments["programme"] == "vocational_training"]
    e = pd.concat([persons, times], ignore_index=True)
    reg = e["registered"].astype("boolean")
    flags = pd.DataFrame({
        **{k: e[k] for k in by},
        "learners": 1,
        "registered": reg.fillna(False).astype(int),
        "registration_recorded": reg.notna().astype(int),
        "not_registered": reg.eq(False).fillna(False).astype(int),
        **{r: e["register_fail_reason"].eq(r).fillna(False).astype(int) for r in FAIL_REASONS},
        "online": e["mode"].isin(["online", "blended"]).astype(int),
        "mode_recorded": e["mode"].notna().astype(int),
        "completed": e["status"].eq("completed").astype(int),
        "withdrawn": e["status"].eq("withdrawn").astype(int),
    })
    out = flags.groupby(list(by), as_index=False).sum()

    def pct(num: pd.Series, den: pd.Series) -> pd.Series:
        return (100 * num / den.where(den > 0)).astype("Float64")

    out["registration_rate"] = pct(out["registered"], out["registration_recorded"])
    out["online_share"] = pct(out["online"], out["mode_recorded"])
    out["completion_rate"] = pct(out["completed"], out["learners"])
    out["withdrawal_rate"] = pct(out["withdrawn"], out["learners"])
    if expected is not None:
        require(expected, [*by, "expected"], "expected")
        non_negative(expected, ["expected"], "expected")
        out = out.merge(expected, on=list(by), how="left")
        out["entry_rate"] = pct(out["learners"], out["expected"])
    if classes is not None:
        require(classes, [*by, "classes_planned", "classes_opened"], "classes")
        non_negative(classes, ["classes_planned", "classes_opened"], "classes")
        out = out.merge(classes, on=list(by), how="left")
        out["class_opening_rate"] = pct(out["classes_opened"], out["classes_planned"])
    return out.drop(columns=["registration_recorded", "mode_recorded"])


def failure_reasons(enrolments: pd.DataFrame, by: Sequence[str] = ("programme",)) -> pd.DataFrame:
    """Registration failures broken down by reason (long format, with shares in %)."""
    require(enrolments, ["registered", "register_fail_reason", *by], "enrolments")
    f = enrolments[enrolments["registered"].astype("boolean").eq(False).fillna(False)]
    reason = f["register_fail_reason"].astype("string").fillna("unrecorded")
    out = f.assign(reason=reason).groupby([*by, "reason"], as_index=False).size().rename(
        columns={"size": "learners"})
    total = out.groupby(list(by))["learners"].transform("sum") if by else out["learners"].sum()
    out["share_pct"] = 100 * out["learners"] / total
    return out
