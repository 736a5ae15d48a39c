"""Pacing against the calendar, year-end forecasts and the monthly 晾晒 board.

Expected-by-now follows the programme's intake calendar (config ``intake_calendar``:
batches with a month and a share of the year's intake). A batch is due in full by the end
of its month and pro rata by day within it. Without a calendar (e.g. training, which runs
all year) the fallback is a flat line: the share of the year's days elapsed.

Status rule: ``ahead`` when achieved >= expected x (1 + tolerance); ``behind`` when
achieved < expected x (1 - tolerance); ``on_track`` otherwise (tolerance 5 % by default).
Before anything is due (expected 0) a unit is ``on_track``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.tables.checks import require


def expected_share(as_of: str | pd.Timestamp, calendar: dict[str, dict[str, Any]] | None = None,
                   year: int | None = None) -> float:
    """Share of the year's target due by ``as_of`` (0..1).

    Parameters
    ----------
    as_of : date
        The date.
    calendar : dict, optional
        ``{batch: {"month": m, "share": s}}`` with shares summing to 1; ``None`` = flat.
    year : int, optional
        The programme year (default: the year of ``as_of``).
    """
    ts = pd.Timestamp(as_of)
    year = int(year or ts.year)
    if ts.year < year:
        return 0.0
    if ts.year > year:
        return 1.0
    if not calendar:
        start = pd.Timestamp(year=year, month=1, day=1)
        days = 366 if start.is_leap_year else 365
        return min(1.0, (ts - start).days / days + 1 / days)
    shares = np.array([float(b["share"]) for b in calendar.values()])
    if abs(shares.sum() - 1) > 1e-9:
        raise DataError(f"intake calendar shares sum to {shares.sum():g}; expected 1",
                        column="share", expected="shares summing to 1", found=float(shares.sum()))
    due = 0.0
    for b in calendar.values():
        m = int(b["month"])
        if not 1 <= m <= 12:
            raise DataError(f"intake calendar month {m} is not a month", column="month",
                            expected="1-12", found=m)
        if ts.month > m:
            due += float(b["share"])
        elif ts.month == m:
            due += float(b["share"]) * ts.day / ts.days_in_month
    return due


def pacing_table(gaps: pd.DataFrame, as_of: str | pd.Timestamp,
                 calendars: dict[str, dict | None], year: int | None = None,
                 tolerance: float = 0.05) -> pd.DataFrame:
    """Add pacing columns to a :func:`target_gaps` table.

    Parameters
    ----------
    gaps : DataFrame
        unit_id, programme, target, achieved.
    as_of : date
    calendars : dict
        Programme id -> intake calendar (``None`` = flat line).
    year : int, optional
    tolerance : float
        Band around expected counted as on track.

    Returns
    -------
    DataFrame
        ``gaps`` plus expected_share, expected_by_now, status, months_left,
        monthly_rate_needed (still to do / months left, whole-year-end basis) and
        year_end_forecast (achieved / expected_share: the pace so far, calendar-aware).
    """
    require(gaps, ["unit_id", "programme", "target", "achieved"], "gaps")
    ts = pd.Timestamp(as_of)
    share = gaps["programme"].map(lambda p: expected_share(ts, calendars.get(p), year))
    out = gaps.assign(expected_share=share.astype(float))
    out["expected_by_now"] = out["target"] * out["expected_share"]
    hi = out["expected_by_now"] * (1 + tolerance)
    lo = out["expected_by_now"] * (1 - tolerance)
    out["status"] = np.select([out["expected_by_now"] == 0, out["achieved"] >= hi, out["achieved"] < lo],
                              ["on_track", "ahead", "behind"], "on_track")
    months_left = max(0, 12 - ts.month) + (1 - ts.day / ts.days_in_month)
    out["months_left"] = round(months_left, 2)
    remaining = (out["target"] - out["achieved"]).clip(lower=0)
    out["monthly_rate_needed"] = remaining / months_left if months_left > 0 else remaining.astype(float)
    out["year_end_forecast"] = (out["achieved"] / out["expected_share"]).where(out["expected_share"] > 0)
    return out


def monthly_board(enrolments: pd.DataFrame, targets: pd.DataFrame, year: int,
                  programme: str | None = None) -> pd.DataFrame:
    """The monthly 晾晒 board: cumulative percent complete by unit and month, ranked.

    Returns
    -------
    DataFrame
        unit_id, programme, month (1..12), cumulative, target, pct_complete, rank (1 = the
        highest percent complete that month among the programme's units).
    """
    require(enrolments, ["learner_key", "unit_id", "programme", "status", "enrol_date"], "enrolments")
    e = enrolments[(enrolments["status"] != "withdrawn") & (enrolments["enrol_date"].dt.year == year)]
    if programme:
        e = e[e["programme"] == programme]
    first = e.sort_values("enrol_date")
    persons = first["programme"] != "vocational_training"
    first = pd.concat([first[persons].drop_duplicates(["unit_id", "programme", "learner_key"]),
                       first[~persons]])
    first = first.assign(month=first["enrol_date"].dt.month)
    counts = first.groupby(["unit_id", "programme", "month"]).size()
    t = targets[targets["target"] > 0]
    if programme:
        t = t[t["programme"] == programme]
    grid = pd.MultiIndex.from_product([t.set_index(["unit_id", "programme"]).index.unique(),
                                       range(1, 13)])
    grid = pd.MultiIndex.from_tuples([(u, p, m) for (u, p), m in grid],
                                     names=["unit_id", "programme", "month"])
    c = counts.reindex(grid, fill_value=0).groupby(level=[0, 1]).cumsum().rename("cumulative").reset_index()
    c = c.merge(t[["unit_id", "programme", "target"]], on=["unit_id", "programme"])
    c["pct_complete"] = 100 * c["cumulative"] / c["target"]
    c["rank"] = c.groupby(["programme", "month"])["pct_complete"].rank(ascending=False, method="min").astype(int)
    return c
