"""The cleaning log a person can read: what changed and how often, every rejected row and
why, every reconciliation finding.  Pure functions over the ingest results."""

from __future__ import annotations

import pandas as pd

from eduanalytics.ingest.core import StepResult


def reconciliation_summary(steps: list[StepResult]) -> pd.DataFrame:
    """One row per step: file, rows in, clean, rejected, totals rows, and whether it adds up.

    Parameters
    ----------
    steps : list of StepResult

    Returns
    -------
    DataFrame
        Columns ``step, file, synthetic, rows_in, rows_clean, rows_rejected, rows_total,
        reconciles``.
    """
    rows = [{
        "step": s.step,
        "file": ", ".join(p.name for p in s.files),
        "synthetic": s.synthetic,
        "rows_in": s.rows_in,
        "rows_clean": s.rows_clean,
        "rows_rejected": s.rows_rejected,
        "rows_total": s.rows_total,
        "reconciles": s.rows_in == s.rows_clean + s.rows_rejected + s.rows_total,
    } for s in steps]
    return pd.DataFrame(rows)


def _md_table(df: pd.DataFrame) -> str:
    if df.empty:
        return "_none_\n"
    cols = list(df.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    for rec in df.astype(object).fillna("").itertuples(index=False):
        lines.append("| " + " | ".join(str(v).replace("|", "\\|").replace("\n", " ") for v in rec) + " |")
    return "\n".join(lines) + "\n"


def render_log(region: str, year: int, as_of: str, steps: list[StepResult],
               rejected: pd.DataFrame, changes: pd.DataFrame, findings: pd.DataFrame) -> str:
    """Render the cleaning log as Markdown.

    The rejected-row values are already masked by the ingest steps (IDs shown as
    ``331004********123X``; names never read), so the log can be shared.
    """
    summary = reconciliation_summary(steps)
    synthetic = bool(summary["synthetic"].any()) if len(summary) else False
    out = [f"# Cleaning log: {region} {year} (as of {as_of})", ""]
    if synthetic:
        out += ["> 示例数据 (synthetic): the steps marked synthetic read generated example data, "
                "not real people.", ""]
    out += ["## Rows: in = clean + rejected + published totals", "", _md_table(summary)]
    sheets = [s.sheets for s in steps if len(getattr(s, "sheets", ()))]
    if sheets:
        out += ["## Files, sheets and tables: found and used", "",
                _md_table(pd.concat(sheets, ignore_index=True))]
    out += ["## What was changed, how often", "",
            _md_table(changes.groupby(["step", "column", "change"], as_index=False)["n"].sum()
                      if len(changes) else changes)]
    mism = findings[findings["kind"] != "total_matches"] if len(findings) else findings
    out += ["## Reconciliation findings", "",
            f"{len(mism)} disagreement(s); {len(findings) - len(mism)} check(s) that agree.", "",
            _md_table(findings[["step", "file", "row", "column", "kind", "published", "computed",
                                "difference", "message"]] if len(findings) else findings)]
    out += ["## Rejected rows and why", "",
            f"{rejected[['step', 'file', 'row']].drop_duplicates().shape[0] if len(rejected) else 0} "
            f"source row(s), {len(rejected)} problem(s). Fix them at the source (file and row "
            "given) and rerun.", ""]
    if len(rejected):
        by_reason = (rejected.assign(kind=rejected["reason"].str.replace(r"'[^']*'", "'…'", regex=True)
                                     .str.replace(r"\d+", "N", regex=True))
                     .groupby(["step", "column", "kind"], as_index=False).size()
                     .sort_values("size", ascending=False))
        out += ["### By kind", "", _md_table(by_reason), "### Every rejected row", "",
                _md_table(rejected[["step", "file", "row", "column", "value", "reason"]])]
    return "\n".join(out)
