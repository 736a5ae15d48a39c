"""The cleaning log a person can read: what changed and how often, every rejected row and
why, every reconciliation finding.  Pure functions over the ingest results."""

from __future__ import annotations

import pandas as pd

from eduanalytics.ingest.core import StepResult
from eduanalytics.privacy import mask_text
from eduanalytics.safe_output import escape_markdown


def mask_columns(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """``df`` with free-text ``columns`` passed through :func:`mask_text` (a copy)."""
    present = [c for c in columns if c in df.columns]
    if not present or df.empty:
        return df
    return df.assign(**{c: mask_text(df[c]) for c in present})


#: Finding kinds that are checks which agree; every other kind is a disagreement.
AGREE_KINDS = ("total_matches", "sources_agree")
#: Columns of the reconciliation summary.
SUMMARY_COLUMNS = ["step", "file", "synthetic", "rows_in", "rows_clean", "rows_rejected",
                   "rows_total", "reconciles", "findings_agree", "findings_disagree"]
#: The counts every consumer reads from the summary (log, command line, report).
COUNT_COLUMNS = ["rows_in", "rows_clean", "rows_rejected", "rows_total", "findings_agree",
                 "findings_disagree"]


def reconciliation_summary(steps: list[StepResult], findings: pd.DataFrame | None = None) -> pd.DataFrame:
    """The one table of counts: one row per step, rows and reconciliation findings.

    The cleaning log, the command line and the report all read their counts from this
    table (through :func:`summary_totals`), so they cannot disagree.

    Parameters
    ----------
    steps : list of StepResult
    findings : DataFrame, optional
        Every reconciliation finding of the run (``FINDING_COLUMNS``), including those
        made outside a step (e.g. comparing two copies of the task table). A finding whose
        step is not among ``steps`` gets a row of its own with zero rows.

    Returns
    -------
    DataFrame
        Columns ``step, file, synthetic, rows_in, rows_clean, rows_rejected, rows_total,
        reconciles, findings_agree, findings_disagree``.
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
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS[:8])
    if findings is None:
        findings = pd.concat([s.findings for s in steps if len(s.findings)] or
                             [pd.DataFrame(columns=["step", "kind"])], ignore_index=True)
    agree = findings["kind"].isin(AGREE_KINDS)
    counts = (pd.DataFrame({"step": findings["step"].astype(str), "findings_agree": agree.astype(int),
                            "findings_disagree": (~agree).astype(int)})
              .groupby("step", sort=False, as_index=False).sum())
    extra = counts.loc[~counts["step"].isin(out["step"]), ["step"]].assign(
        file="", synthetic=False, rows_in=0, rows_clean=0, rows_rejected=0, rows_total=0,
        reconciles=True)
    if len(extra):
        out = pd.concat([out, extra], ignore_index=True)
    out = out.merge(counts, on="step", how="left")
    out[["findings_agree", "findings_disagree"]] = (
        out[["findings_agree", "findings_disagree"]].fillna(0).astype(int))
    for c in COUNT_COLUMNS[:4]:
        out[c] = out[c].astype(int)
    return out[SUMMARY_COLUMNS]


def summary_totals(summary: pd.DataFrame) -> dict[str, int]:
    """Sums of the summary's count columns: ``rows_in`` ... ``findings_disagree``."""
    return {c: int(summary[c].sum()) for c in COUNT_COLUMNS}


def summary_line(summary: pd.DataFrame) -> str:
    """One line of totals (the command line prints it; the log heads its sections with it)."""
    t = summary_totals(summary)
    return (f"{t['rows_in']} rows in, {t['rows_clean']} clean, {t['rows_rejected']} rejected, "
            f"{t['rows_total']} totals rows; {t['findings_disagree']} reconciliation finding(s) "
            f"disagree, {t['findings_agree']} check(s) agree.")


def _md_table(df: pd.DataFrame) -> str:
    if df.empty:
        return "_none_\n"
    cols = list(df.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    for rec in df.astype(object).fillna("").itertuples(index=False):
        lines.append("| " + " | ".join(escape_markdown(v).replace("|", "\\|").replace("\n", " ")
                                       for v in rec) + " |")
    return "\n".join(lines) + "\n"


def render_log(region: str, year: int, as_of: str, summary: pd.DataFrame | list[StepResult],
               rejected: pd.DataFrame, changes: pd.DataFrame, findings: pd.DataFrame,
               sheets: pd.DataFrame | None = None) -> str:
    """Render the cleaning log as Markdown.

    Every count comes from ``summary`` (:func:`reconciliation_summary`; a list of steps is
    summarised here). ``sheets`` lists the files, sheets and tables found and which were
    used (``StepResult.sheets`` of every step). Rejected values, reasons, original records and finding messages pass
    through :func:`eduanalytics.privacy.mask_text` (IDs shown as ``331004********123X``,
    labelled names starred), so the log can be shared.
    """
    if not isinstance(summary, pd.DataFrame):
        if sheets is None:
            parts = [s.sheets for s in summary if len(getattr(s, "sheets", ()))]
            sheets = pd.concat(parts, ignore_index=True) if parts else None
        summary = reconciliation_summary(summary, findings)
    totals = summary_totals(summary)
    rejected = mask_columns(rejected, ("value", "reason", "original"))
    findings = mask_columns(findings, ("message",))
    synthetic = bool(summary["synthetic"].any()) if len(summary) else False
    out = [f"# Cleaning log: {region} {year} (as of {as_of})", ""]
    if synthetic:
        out += ["> 示例数据 (synthetic): the steps marked synthetic read generated example data, "
                "not real people.", ""]
    out += [summary_line(summary), "",
            "## Rows: in = clean + rejected + published totals", "", _md_table(summary)]
    if sheets is not None and len(sheets):
        out += ["## Files, sheets and tables: found and used", "", _md_table(sheets)]
    out += ["## What was changed, how often", "",
            _md_table(changes.groupby(["step", "column", "change"], as_index=False)["n"].sum()
                      if len(changes) else changes)]
    out += ["## Reconciliation findings", "",
            f"{totals['findings_disagree']} disagreement(s); {totals['findings_agree']} check(s) "
            "that agree.", "",
            _md_table(findings[["step", "file", "row", "column", "kind", "published", "computed",
                                "difference", "message"]] if len(findings) else findings)]
    out += ["## Rejected rows and why", "",
            f"{totals['rows_rejected']} source row(s), {len(rejected)} problem(s). Fix them at the source (file and row "
            "given) and rerun.", ""]
    if len(rejected):
        by_reason = (rejected.assign(kind=rejected["reason"].str.replace(r"'[^']*'", "'…'", regex=True)
                                     .str.replace(r"\d+", "N", regex=True))
                     .groupby(["step", "column", "kind"], as_index=False).size()
                     .sort_values("size", ascending=False))
        out += ["### By kind", "", _md_table(by_reason), "### Every rejected row", "",
                _md_table(rejected[["step", "file", "row", "column", "value", "reason"]])]
    return "\n".join(out)
