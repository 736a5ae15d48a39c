"""Targets held by schools whose learners are listed by town.

Some task tables give a school (or an exam board) a target of its own while the register
lists every learner under the town they live in, with the school in a separate column
(``enrolments.school_unit_id``). Progress of such a school is counted from the learners
attributed to it; the same learners still count for their town; the region's total
counts each learner once. Pure functions: tables in, tables out.
"""

from __future__ import annotations

import pandas as pd

#: The rule, as the report states it.
RULE = ("持有自身任务的学校（或其他单位）按报读该校的学员计算完成数；这些学员同时计入其所在"
        "乡镇/街道；{whole}合计中每名学员只计一次。")

SCHOOL_KINDS = ("school", "other")


def attribute_to_schools(units: pd.DataFrame, targets: pd.DataFrame,
                         enrolments: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Add a copy of each learner attributed to a target-holding school under that school.

    Parameters
    ----------
    units : DataFrame
        The ``units`` table (unit_id, kind).
    targets : DataFrame
        The ``targets`` table.
    enrolments : DataFrame
        The ``enrolments`` table; ``school_unit_id`` is optional (without it nothing is
        added).

    Returns
    -------
    (DataFrame, int)
        Enrolments with the school copies appended (each copy keeps the index label of
        the row it copies, so a learner can be counted once in a total), and how many rows
        were copied.
    """
    if "school_unit_id" not in enrolments.columns:
        return enrolments, 0
    schools = set(units.loc[units["kind"].isin(SCHOOL_KINDS), "unit_id"])
    held = targets[targets["unit_id"].isin(schools)][["unit_id", "programme"]].drop_duplicates()
    sid = enrolments["school_unit_id"].astype("string")
    cand = enrolments[sid.notna() & (sid != enrolments["unit_id"].astype("string"))]
    cand = cand.assign(unit_id=cand["school_unit_id"].astype(str))
    keep = cand.reset_index().merge(held, on=["unit_id", "programme"], how="inner").set_index("index")
    if keep.empty:
        return enrolments, 0
    extra = keep[list(enrolments.columns)]
    return pd.concat([enrolments, extra]), int(len(extra))


def split_targeted(targets: pd.DataFrame, enrolments: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Enrolments whose unit holds a target for their programme, and the rest.

    Parameters
    ----------
    targets, enrolments : DataFrame
        Tidy tables.

    Returns
    -------
    (DataFrame, DataFrame)
        (with a target, without one).
    """
    keys = targets[["unit_id", "programme"]].drop_duplicates().assign(_t=True)
    m = enrolments.merge(keys, on=["unit_id", "programme"], how="left")
    has = m["_t"].fillna(False).astype(bool).to_numpy()
    return enrolments[has], enrolments[~has]
