"""Ingest a published task table (seed 000) into ``targets`` and ``bases``.

The table has one row per responsible unit with population bases (常住人口, 20-59周岁人口,
其中高中及以下学历人口) and targets per programme, ``/`` for "not applicable", and a 合计
row. The same file may come as CSV or as a table inside a DOCX notice; both give the same
tidy tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from eduanalytics.config import RegionConfig
from eduanalytics.ingest.core import (
    CHANGE_COLUMNS,
    FINDING_COLUMNS,
    REJECT_COLUMNS,
    StepResult,
    change_counts,
    concat_frames,
    map_headers,
    rejections,
    require_columns,
)
from eduanalytics.ingest.readers import read_table_file
from eduanalytics.ingest.templates import TEMPLATES, aliases, required
from eduanalytics.normalise.numbers import normalise_numbers
from eduanalytics.normalise.units import is_total_label, normalise_unit_names
from eduanalytics.tables.columns import BASES, PROGRAMMES
from eduanalytics.tables.schemas import validate

_HEADER = {c.name: c.headers[0] for c in TEMPLATES["task_table"]}


def ingest_task_table(path: str | Path, config: RegionConfig, year: int | None = None) -> StepResult:
    """Read a task table (CSV/XLSX/DOCX) into ``targets`` and ``bases``.

    Parameters
    ----------
    path : path-like
        The raw file.
    config : RegionConfig
        Supplies units, aliases, programme measures and the totals labels.
    year : int, optional
        Year of the targets (default: the config's year).

    Returns
    -------
    StepResult
        Tables ``targets`` and ``bases``; rejected rows (unknown unit, a number that is
        not a number, a negative count); findings comparing the totals row with the sum
        of its parts, column by column, with both numbers.
    """
    path = Path(path)
    year = int(year or config.year)
    step = "task_table"
    raw = read_table_file(path, match="责任单位") if path.suffix.lower() == ".docx" else read_table_file(path)
    df = map_headers(raw, aliases("task_table"))
    require_columns(df, required("task_table"), path)
    value_cols = [c for c in (*BASES, *PROGRAMMES) if c in df.columns]
    if not value_cols:
        raise ValueError(f"{path}: no base or target column found; expected some of "
                         f"{[_HEADER[c] for c in (*BASES, *PROGRAMMES)]}")

    total_mask = is_total_label(df["unit"], config.get("total_labels", ["合计"]))
    units = normalise_unit_names(df["unit"], config.units())
    rejected = [rejections(step, df, ~total_mask & units["error"].notna(), _HEADER["unit"],
                           units["error"])]
    changes = [change_counts(step, _HEADER["unit"], units["changed"] & ~total_mask,
                             "unit name mapped to its canonical name")]

    values: dict[str, pd.DataFrame] = {}
    for col in value_cols:
        num = normalise_numbers(df[col])
        values[col] = num
        bad = num["error"].notna()
        neg = num["value"].lt(0).fillna(False)
        frac = (num["value"] % 1).ne(0).fillna(False)
        reason = num["error"].astype("string")
        reason = reason.mask(neg, "negative count " + df[col].astype(str) + "; expected a whole number >= 0")
        reason = reason.mask(frac & ~neg, "'" + df[col].astype(str) + "' is not a whole number of people")
        rejected.append(rejections(step, df, bad | neg | frac, _HEADER[col], reason))
        changes.append(change_counts(step, _HEADER[col], num["changed"], "number normalised"))
        changes.append(change_counts(step, _HEADER[col], num["not_applicable"],
                                     "'/' kept as not applicable (no row)"))
    rej = concat_frames(rejected, REJECT_COLUMNS)
    bad_rows = set(rej["row"].tolist())
    ok = ~total_mask & ~df["_row"].isin(bad_rows)

    measures = {p: s.get("measure", "persons") for p, s in config.programmes().items()}
    long_parts = []
    for col in value_cols:
        part = pd.DataFrame({"unit_id": units["value"], "column": col,
                             "value": values[col]["value"], "_row": df["_row"]})
        long_parts.append(part.loc[ok & values[col]["value"].notna()])
    long = pd.concat(long_parts) if long_parts else pd.DataFrame(columns=["unit_id", "column", "value", "_row"])

    is_target = long["column"].isin(PROGRAMMES)
    targets = pd.DataFrame({
        "year": year,
        "unit_id": long.loc[is_target, "unit_id"].astype(str),
        "programme": long.loc[is_target, "column"].astype(str),
        "target": long.loc[is_target, "value"].round().astype("Int64"),
    })
    targets["measure"] = targets["programme"].map(measures).fillna("persons")
    bases = pd.DataFrame({
        "year": year,
        "unit_id": long.loc[~is_target, "unit_id"].astype(str),
        "base": long.loc[~is_target, "column"].astype(str),
        "count": long.loc[~is_target, "value"].round().astype("Int64"),
        "source": f"published:{path.name}",
    })
    targets, tfail = validate(targets.reset_index(drop=True), "targets")
    bases, bfail = validate(bases.reset_index(drop=True), "bases")
    if len(tfail) or len(bfail):  # already screened above; a failure here is a bug
        raise AssertionError(f"{path}: schema failures after screening: {tfail} {bfail}")

    findings = _compare_totals(step, path, df, total_mask, ok, values, value_cols)
    rows_clean = int(ok.sum())
    res = StepResult(
        step=step, files=[path], tables={"targets": targets, "bases": bases},
        rows_in=len(df), rows_clean=rows_clean, rows_total=int(total_mask.sum()),
        rejected=rej, changes=concat_frames(changes, CHANGE_COLUMNS), findings=findings,
    )
    res.check_reconciles()
    return res


def _compare_totals(step: str, path: Path, df: pd.DataFrame, total_mask: pd.Series,
                    ok: pd.Series, values: dict[str, pd.DataFrame], cols: list[str]) -> pd.DataFrame:
    """Compare each totals row with the sum of the clean unit rows, column by column."""
    records = []
    for idx in df.index[total_mask]:
        for col in cols:
            published = values[col]["value"].loc[idx]
            if pd.isna(published):
                continue
            parts = values[col]["value"].loc[ok]
            computed = float(parts.sum(skipna=True))
            diff = float(published) - computed
            kind = "total_matches" if diff == 0 else "total_mismatch"
            records.append({
                "step": step, "file": str(path), "row": int(df.loc[idx, "_row"]),
                "column": _HEADER[col], "kind": kind, "published": float(published),
                "computed": computed, "difference": diff,
                "message": (f"{_HEADER[col]}: published total {published:,.0f} equals the sum of "
                            f"{int(parts.notna().sum())} units" if diff == 0 else
                            f"{_HEADER[col]}: published total {published:,.0f} but the units sum "
                            f"to {computed:,.0f} (difference {diff:+,.0f})"),
            })
    return pd.DataFrame(records, columns=FINDING_COLUMNS)
