"""Target gaps: target, achieved (enrolled and completed), gap and percent complete."""

from __future__ import annotations

import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.tables.checks import known_programmes, non_negative, require

TOTAL_ID = "total"


def achieved(enrolments: pd.DataFrame, as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Achievement per unit and programme.

    ``enrolled``: learners (distinct ``learner_key``) for persons programmes, rows for
    person-times, not counting withdrawals; ``completed``: those with status completed.
    With ``as_of``, only enrolments (and completions) on or before that date count.
    """
    require(enrolments, ["learner_key", "unit_id", "programme", "status", "enrol_date"], "enrolments")
    e = enrolments[enrolments["status"] != "withdrawn"]
    if as_of is not None:
        ts = pd.Timestamp(as_of)
        e = e[e["enrol_date"] <= ts]
        done = e["status"].eq("completed") & (e["completed_date"].isna() | (e["completed_date"] <= ts))
    else:
        done = e["status"].eq("completed")
    e = e.assign(_done=done)
    persons = e[e["programme"] != "vocational_training"]
    times = e[e["programme"] == "vocational_training"]
    keys = ["unit_id", "programme"]
    p = persons.groupby(keys, as_index=False)["learner_key"].nunique().rename(
        columns={"learner_key": "enrolled"})
    pc = persons[persons["_done"]].groupby(keys, as_index=False)["learner_key"].nunique()
    p = p.merge(pc.rename(columns={"learner_key": "completed"}), on=keys, how="left").fillna(
        {"completed": 0})
    t = times.groupby(["unit_id", "programme"], as_index=False).agg(
        enrolled=("learner_key", "size"), completed=("_done", "sum"))
    return pd.concat([p, t], ignore_index=True).astype({"enrolled": int, "completed": int})


def target_gaps(targets: pd.DataFrame, enrolments: pd.DataFrame,
                as_of: str | pd.Timestamp | None = None, basis: str = "enrolled",
                total: bool = True) -> pd.DataFrame:
    """Per unit and programme: target, enrolled, completed, gap and percent complete.

    Parameters
    ----------
    targets : DataFrame
        The ``targets`` table.
    enrolments : DataFrame
        The ``enrolments`` table.
    as_of : date, optional
        Count only what happened by this date.
    basis : {"enrolled", "completed"}
        What counts as achieved for ``gap`` and ``pct_complete`` (both columns are shown
        either way). 民生实事 tasks count participants, so ``enrolled`` is the default.
    total : bool
        Append a district row per programme (unit_id ``"total"``) computed from the parts.

    Returns
    -------
    DataFrame
        unit_id, programme, measure, target, enrolled, completed, achieved, gap
        (target - achieved; negative = over-achieved), pct_complete.

    Raises
    ------
    ValueError
        Negative targets, unknown programmes, a target of zero (no percentage), or
        enrolments for a unit/programme that has no target.
    """
    require(targets, ["unit_id", "programme", "target", "measure"], "targets")
    if basis not in ("enrolled", "completed"):
        raise DataError(f"basis must be 'enrolled' or 'completed', got {basis!r}", column="basis",
                        expected="'enrolled' or 'completed'", found=basis)
    non_negative(targets, ["target"], "targets")
    known_programmes(targets["programme"])
    known_programmes(enrolments["programme"])
    zero = targets[targets["target"] == 0]
    if len(zero):
        raise DataError(f"target of zero for {zero[['unit_id', 'programme']].to_dict('records')}; "
                        "percent complete is undefined", column="target", expected="targets > 0",
                        found=0)
    a = achieved(enrolments, as_of)
    m = targets[["unit_id", "programme", "measure", "target"]].merge(
        a, on=["unit_id", "programme"], how="outer", indicator=True)
    orphan = m[m["_merge"] == "right_only"]
    if len(orphan):
        raise DataError("enrolments for unit/programme without a target: "
                        f"{orphan[['unit_id', 'programme']].to_dict('records')}", column="unit_id",
                        expected="a target for every unit/programme enrolled",
                        found=orphan[['unit_id', 'programme']].to_dict('records')[:5])
    m = m.drop(columns="_merge").fillna({"enrolled": 0, "completed": 0})
    m = m.astype({"enrolled": int, "completed": int, "target": int})
    if total:
        tot = m.groupby(["programme", "measure"], as_index=False)[["target", "enrolled", "completed"]].sum()
        m = pd.concat([m, tot.assign(unit_id=TOTAL_ID)], ignore_index=True)
    m["achieved"] = m[basis]
    m["gap"] = m["target"] - m["achieved"]
    m["pct_complete"] = 100 * m["achieved"] / m["target"]
    return m[["unit_id", "programme", "measure", "target", "enrolled", "completed", "achieved", "gap",
              "pct_complete"]]
