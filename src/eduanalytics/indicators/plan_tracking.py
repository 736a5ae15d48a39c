"""Multi-year plans (seed 002): each indicator's actual against its target path."""

from __future__ import annotations

import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.tables.checks import require


def interpolate_path(base_year: int, base_value: float, target_year: int,
                     target_value: float) -> pd.DataFrame:
    """Straight-line target path between a base year and a target year (inclusive)."""
    if target_year <= base_year:
        raise DataError(f"target year {target_year} must be after the base year {base_year}",
                        column="year", expected=f"> {base_year}", found=target_year)
    years = range(base_year, target_year + 1)
    step = (target_value - base_value) / (target_year - base_year)
    return pd.DataFrame({"year": list(years),
                         "target_value": [base_value + step * (y - base_year) for y in years]})


def plan_path(plan: pd.DataFrame, actuals: pd.DataFrame | None = None,
              lower_is_better: tuple[str, ...] = ()) -> pd.DataFrame:
    """Targets year by year with actuals where known.

    Parameters
    ----------
    plan : DataFrame
        ``plan_indicators`` (indicator, indicator_name, year, target_value, unit).
    actuals : DataFrame, optional
        indicator, year, actual_value.
    lower_is_better : tuple of str
        Indicators where falling short of the target is good.

    Returns
    -------
    DataFrame
        indicator, indicator_name, unit, year, target_value, actual_value, gap (actual -
        target), met (bool or <NA> where no actual is known).
    """
    require(plan, ["indicator", "indicator_name", "year", "target_value", "unit"], "plan")
    out = plan[["indicator", "indicator_name", "unit", "year", "target_value"]].copy()
    if actuals is not None:
        require(actuals, ["indicator", "year", "actual_value"], "actuals")
        unknown = set(actuals["indicator"]) - set(out["indicator"])
        if unknown:
            raise DataError(f"actuals for indicator(s) not in the plan: {sorted(unknown)}",
                            column="indicator", expected="indicators of the plan",
                            found=sorted(unknown))
        out = out.merge(actuals[["indicator", "year", "actual_value"]], on=["indicator", "year"], how="left")
    else:
        out["actual_value"] = pd.NA
    out["actual_value"] = out["actual_value"].astype("Float64")
    out["gap"] = out["actual_value"] - out["target_value"]
    lib = out["indicator"].isin(lower_is_better)
    met = (out["gap"] >= 0).where(~lib, out["gap"] <= 0)
    out["met"] = met.astype("boolean").where(out["actual_value"].notna())
    return out.sort_values(["indicator", "year"]).reset_index(drop=True)
