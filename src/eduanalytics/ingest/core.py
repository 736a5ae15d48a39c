"""Shared machinery of the ingest steps: results that account for every row.

Every step reads one raw file and returns a :class:`StepResult`: the clean tidy rows, the
rejected source rows (each with its file, row number, column, masked value and reason),
the rows set aside as published totals (compared with their parts), counts of what the
normalisers changed, and reconciliation findings. ``rows_in == rows_clean +
rows_rejected + rows_total`` is checked for every step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from eduanalytics.errors import IngestError

#: Columns of the rejected-rows table.
REJECT_COLUMNS = ["step", "file", "row", "column", "value", "reason", "original"]
#: Columns of the changes table.
CHANGE_COLUMNS = ["step", "column", "change", "n"]
#: Columns of the findings table.
FINDING_COLUMNS = ["step", "file", "row", "column", "kind", "published", "computed", "difference",
                   "message"]


@dataclass
class StepResult:
    """Outcome of one ingest step.

    Attributes
    ----------
    step : str
        Step name (``"targets"``, ``"enrolments"``, ...).
    files : list of Path
        Raw files read.
    tables : dict of str to DataFrame
        Clean tidy tables this step produced (a file may feed two tables).
    rows_in : int
        Data rows read from the source (header rows excluded).
    rows_clean : int
        Source rows that made it into the clean tables.
    rows_total : int
        Source rows recognised as published totals (compared, not loaded).
    rejected : DataFrame
        One row per problem of a rejected source row (``REJECT_COLUMNS``).
    changes : DataFrame
        What the normalisers changed, how often (``CHANGE_COLUMNS``).
    findings : DataFrame
        Reconciliation findings (``FINDING_COLUMNS``).
    synthetic : bool
        Whether the source is generated example data.
    """

    step: str
    files: list[Path]
    tables: dict[str, pd.DataFrame]
    rows_in: int
    rows_clean: int
    rows_total: int = 0
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FINDING_COLUMNS))
    synthetic: bool = False

    @property
    def rows_rejected(self) -> int:
        """Number of distinct source rows rejected."""
        if self.rejected.empty:
            return 0
        return int(self.rejected[["step", "file", "row"]].drop_duplicates().shape[0])

    def check_reconciles(self) -> None:
        """Raise ``AssertionError`` unless rows in = clean + rejected + totals."""
        total = self.rows_clean + self.rows_rejected + self.rows_total
        if total != self.rows_in:
            raise AssertionError(
                f"{self.step}: rows do not reconcile: in {self.rows_in} != clean "
                f"{self.rows_clean} + rejected {self.rows_rejected} + totals {self.rows_total}"
            )


def require_columns(df: pd.DataFrame, required: dict[str, str], file: str | Path) -> None:
    """Raise :class:`IngestError` naming every required column the file lacks.

    Parameters
    ----------
    df : DataFrame
        The table after header mapping (internal column names).
    required : dict
        Internal column name -> what a user's file should call it (for the message).
    file : path-like
        The file, named in the message.
    """
    missing = [c for c in required if c not in df.columns]
    if missing:
        wanted = ", ".join(f"{c} ({required[c]})" for c in missing)
        raise IngestError(
            f"{file}: header row: missing required column(s) {wanted}; "
            f"found columns {[c for c in df.columns if not str(c).startswith('_')]}"
        )


def map_headers(raw: pd.DataFrame, aliases: dict[str, list[str]]) -> pd.DataFrame:
    """Rename a raw table's header texts to internal column names.

    Parameters
    ----------
    raw : DataFrame
        As returned by a reader (header texts as columns plus ``_file``/``_row``).
    aliases : dict
        Internal name -> accepted header texts (Chinese and English). Matching ignores
        whitespace, full-width forms and the parent part of a flattened two-row header
        (``"学员信息/姓名"`` matches ``"姓名"``).

    Returns
    -------
    DataFrame
        Same rows; recognised columns renamed, others kept as they were.
    """
    from eduanalytics.normalise.text import clean_text

    lookup: dict[str, str] = {}
    for internal, names in aliases.items():
        for n in [internal, *names]:
            lookup[_header_key(n, clean_text)] = internal
    rename: dict[str, str] = {}
    for col in raw.columns:
        if str(col).startswith("_"):
            continue
        key = _header_key(str(col), clean_text)
        tail = _header_key(str(col).split("/")[-1], clean_text)
        target = lookup.get(key) or lookup.get(tail)
        if target and target not in rename.values():
            rename[col] = target
    return raw.rename(columns=rename)


def _header_key(text: str, clean_text) -> str:
    cleaned = clean_text(pd.Series([text])).iloc[0]
    return "".join(str(cleaned).split()).lower()


def rejections(
    step: str,
    frame: pd.DataFrame,
    mask: pd.Series,
    column: str,
    reason: pd.Series | str,
    value: pd.Series | None = None,
    original_cols: list[str] | None = None,
) -> pd.DataFrame:
    """Build rejected-row records for the rows where ``mask`` is true.

    Parameters
    ----------
    step : str
        Step name.
    frame : DataFrame
        Rows with ``_file`` and ``_row`` columns.
    mask : Series of bool
        Which rows are rejected for this reason.
    column : str
        The column at fault (as the user's file names it, where known).
    reason : Series or str
        Reason per row (or one for all).
    value : Series, optional
        The (already masked) offending value per row; defaults to ``frame[column]``.
    original_cols : list of str, optional
        Columns (already free of personal data) to record as the row's original values.
    """
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return pd.DataFrame(columns=REJECT_COLUMNS)
    sub = frame.loc[mask]
    if value is None:
        value = sub[column] if column in sub.columns else pd.Series("", index=sub.index)
    else:
        value = value.loc[sub.index]
    reasons = reason.loc[sub.index] if isinstance(reason, pd.Series) else pd.Series(reason, index=sub.index)
    cols = [c for c in (original_cols or []) if c in sub.columns]
    original = (
        sub[cols].astype(str).apply(lambda r: json.dumps(dict(r), ensure_ascii=False), axis=1)
        if cols
        else pd.Series("", index=sub.index)
    )
    return pd.DataFrame(
        {
            "step": step,
            "file": sub["_file"].astype(str).to_numpy(),
            "row": sub["_row"].astype(int).to_numpy(),
            "column": column,
            "value": value.astype(str).to_numpy(),
            "reason": reasons.astype(str).to_numpy(),
            "original": original.to_numpy(),
        }
    )


def concat_frames(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """Concatenate (possibly empty) frames into one with the given columns."""
    frames = [f for f in frames if f is not None and not f.empty]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def change_counts(step: str, column: str, changed: pd.Series, change: str) -> pd.DataFrame:
    """One ``changes`` record: how many cells of ``column`` a normaliser changed."""
    n = int(changed.fillna(False).astype(bool).sum())
    if n == 0:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    return pd.DataFrame([{"step": step, "column": column, "change": change, "n": n}])
