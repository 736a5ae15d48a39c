"""Shared machinery of the ingest steps: results that account for every row.

Every step reads one raw file and returns a :class:`StepResult`: the clean tidy rows, the
rejected source rows (each with its file, row number, column, masked value and reason),
the rows set aside as published totals (compared with their parts), counts of what the
normalisers changed, and reconciliation findings. ``rows_in == rows_clean +
rows_rejected + rows_total`` is checked for every step.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from eduanalytics.errors import IngestError, InputError
from eduanalytics.normalise.text import clean_text

#: Columns of the rejected-rows table.
REJECT_COLUMNS = ["step", "file", "row", "column", "value", "reason", "original"]
#: Columns of the changes table.
CHANGE_COLUMNS = ["step", "column", "change", "n"]
#: Columns of the findings table.
FINDING_COLUMNS = ["step", "file", "row", "column", "kind", "published", "computed", "difference",
                   "message"]
#: Columns of the sheets table: every sheet/table found in a file, and which one was used.
SHEET_COLUMNS = ["step", "file", "sheet", "used", "header_rows"]


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
    sheets : DataFrame
        Every sheet (xlsx) or table (docx) found in the files read, whether it was used,
        and the header rows chosen (``SHEET_COLUMNS``).
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
    sheets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SHEET_COLUMNS))
    #: The per-sheet results a multi-sheet step was built from (each reconciles on its own).
    parts: list[StepResult] = field(default_factory=list)

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


def sheet_records(step: str, raw: pd.DataFrame, file: str | Path) -> pd.DataFrame:
    """The ``sheets`` records of one reading: every sheet/table found, the one used.

    Parameters
    ----------
    step : str
        Step name.
    raw : DataFrame
        As returned by a reader (``attrs``: ``sheet``, ``sheets``, ``header_rows``).
    file : path-like
        The file read.
    """
    used = raw.attrs.get("sheet")
    found = list(raw.attrs.get("sheets") or ([] if used is None else [used]))
    hr = ",".join(str(r) for r in raw.attrs.get("header_rows") or [])
    if not found:  # csv / parquet: the file is the table
        return pd.DataFrame([{"step": step, "file": str(file), "sheet": "", "used": True,
                              "header_rows": hr}], columns=SHEET_COLUMNS)
    return pd.DataFrame([{"step": step, "file": str(file), "sheet": n, "used": n == used,
                          "header_rows": hr if n == used else ""} for n in found],
                        columns=SHEET_COLUMNS)


def value_map(builtin: dict[str, object], spec=None, field: str | None = None) -> dict[str, object]:
    """A built-in value map extended by a region's ``inputs.<kind>.values.<field>``.

    Keys are cleaned the way :func:`map_values` cleans cells (full-width, traditional,
    whitespace), so ``线上+线下`` written in the config matches ``线上＋线下`` in a file.

    Parameters
    ----------
    builtin : dict
        Raw text -> canonical id.
    spec : InputSpec, optional
        The input's config entry; its ``values[field]`` entries win over built-ins.
    field : str, optional
        Template field whose map to extend.

    Returns
    -------
    dict
    """
    from eduanalytics.normalise.text import clean_text

    extra = (spec.values.get(field, {}) if spec is not None and field else {})
    merged = {**builtin, **extra}
    keys = clean_text(pd.Series(list(merged), dtype="string"))
    out = dict(merged)
    out.update({k: v for k, v in zip(keys, merged.values(), strict=True) if isinstance(k, str)})
    return out


def by_distinct(s: pd.Series, fn: Callable[[pd.Series], pd.DataFrame],
                categorical: bool = False, memo: dict | None = None) -> pd.DataFrame:
    """Apply a Series -> DataFrame normaliser to the distinct values of ``s`` only.

    Missing cells give the normaliser's result for a missing value. A categorical ``s``
    (a column read dictionary-encoded) is taken as its codes and categories, and ``fn``
    sees the categories' values in their own dtype. ``memo`` (a dict kept
    by the caller across the pieces of one register) remembers the results per distinct
    value, so each piece only normalises the values no earlier piece held: ``fn`` must
    treat each value on its own, as every distinct-value normaliser here does. With
    ``categorical=True`` the text columns of the result come back as categoricals (each
    distinct text stored once; what the register's millions of rows use) and yes/no
    columns as ``boolean``; others keep the normaliser's dtypes.

    Threads may share a memo (a threaded Dask worker runs several pieces with one set of
    rules): it holds one state, replaced whole and never changed in place, so each call
    works on a consistent state; of two calls adding values at once, one's additions may
    be lost to the memo (normalised again later), never mixed up.
    """
    memo = {} if memo is None else memo
    if isinstance(s.dtype, pd.CategoricalDtype):  # already coded (read dictionary-encoded)
        codes, uniques, kind = s.cat.codes.to_numpy(), s.cat.categories, s.cat.categories.dtype
    else:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        kind = s.dtype if s.dtype != object else object
    values = pd.Index(uniques, dtype=object)
    # (distinct values, their results, the missing value's result, spreadable columns)
    state: tuple | None = memo.get("state")
    pos = state[0].get_indexer(values) if state is not None else np.full(len(values), -1)
    if state is None or (pos < 0).any():
        new = values[pos < 0]
        res = fn(pd.Series(list(new) + [pd.NA], dtype=kind))
        fresh = res.iloc[:-1]
        state = ((new, fresh, res.iloc[-1:], {}) if state is None else
                 (state[0].append(new), pd.concat([state[1], fresh], ignore_index=True),
                  res.iloc[-1:], {}))
        memo["state"] = state
        pos = state[0].get_indexer(values)
    index, table, missing, spread = state
    if categorical not in spread:  # the same for any call on this state: a race is harmless
        spread[categorical] = _spreadable(pd.concat([table, missing], ignore_index=True),
                                          categorical)
    # each row's result row: its value's, or (code -1) the last one, the missing value's
    take = np.append(pos, len(index))[codes]
    cols = {c: (pd.Categorical.from_codes(col[0][take], dtype=col[1], validate=False)
                if isinstance(col, tuple) else col.take(take))
            for c, col in spread[categorical].items()}
    return pd.DataFrame(cols, index=s.index)


def _spreadable(res: pd.DataFrame, categorical: bool) -> dict:
    """The normalised distinct values' columns, ready to be spread over rows by position:
    an array, or (codes, dtype) for a categorical."""
    out: dict = {}
    for c in res.columns:
        col = res[c]
        vals = col.dropna()
        if categorical and len(vals) and (col.dtype == object or pd.api.types.is_string_dtype(col.dtype)) \
                and all(isinstance(v, str) for v in vals):
            cat = pd.Categorical(col.astype("str"))
            out[c] = (cat.codes, cat.dtype)
        elif categorical and len(vals) and col.dtype == object \
                and all(isinstance(v, bool | np.bool_) for v in vals):
            out[c] = pd.array(col, dtype="boolean")  # yes/no codes: not Python objects per row
        elif categorical and isinstance(col.dtype, pd.CategoricalDtype):
            out[c] = (col.cat.codes.to_numpy(), col.dtype)
        else:
            out[c] = col.array
    return out


def map_values(s: pd.Series, mapping: dict[str, object], header: str, expected: str,
               required: bool = False, categorical: bool = False,
               memo: dict | None = None) -> pd.DataFrame:
    """Map coded cells (在读, 是, 线上 ...) to ids.

    Parameters
    ----------
    s : Series
        Raw cells.
    mapping : dict
        Cleaned text -> id.
    header : str
        Column header for messages.
    expected : str
        What the column may hold, for messages.
    required : bool
        A blank cell is an error when true.
    categorical : bool
        Text results as categoricals (see :func:`by_distinct`).
    memo : dict, optional
        Results remembered across calls (see :func:`by_distinct`).

    Returns
    -------
    DataFrame
        ``value``, ``error`` (unknown or, when required, blank), ``changed`` (the raw text
        differed from a canonical key), ``unknown`` (a non-blank cell not recognised).
    """
    return by_distinct(s, lambda u: _map_distinct(u, mapping, header, expected, required),
                       categorical, memo)


def _map_distinct(s: pd.Series, mapping: dict[str, object], header: str, expected: str,
                  required: bool) -> pd.DataFrame:
    text = clean_text(s.astype("string"))
    blank = text.isna() | text.eq("")
    keys = text.astype(object)
    value = pd.Series([mapping.get(k, mapping.get(str(k).lower())) if isinstance(k, str) else None
                       for k in keys], index=s.index, dtype=object)
    unknown = value.isna() & ~blank
    error = pd.Series(pd.NA, index=s.index, dtype="string")
    error = error.mask(unknown, header + ": '" + text.fillna("") + "' is not recognised; expected " + expected)
    if required:
        error = error.mask(blank, header + ": blank; expected " + expected)
    changed = ~blank & ~unknown & text.ne(s.astype("string").str.strip())
    return pd.DataFrame({"value": value.where(~unknown), "error": error,
                         "changed": changed.fillna(False).astype(bool),
                         "unknown": unknown.astype(bool)}, index=s.index)


def find_column(df: pd.DataFrame, header: str) -> str | None:
    """The column of ``df`` whose header is ``header`` (full-width, spaces and the parent
    part of a two-row header ignored), or None."""
    from eduanalytics.normalise.text import clean_text

    want = _header_key(header, clean_text)
    for col in df.columns:
        if str(col).startswith("_"):
            continue
        if want in (_header_key(str(col), clean_text),
                    _header_key(str(col).split("/")[-1], clean_text)):
            return col
    return None


def declared_column(df: pd.DataFrame, header: str, file: str | Path, key: str) -> str:
    """The column a config declares; an :class:`InputError` naming the file, the headers
    found and the config key when the file has none."""
    col = find_column(df, header)
    if col is None:
        raise InputError(f"no column {header!r} (declared in the config, key {key})", file=file,
                         expected=f"a column headed {header}, or correct {key}",
                         found=headers_found(df))
    return col


def headers_found(df: pd.DataFrame) -> list[str]:
    """The header texts of a table read from a file (bookkeeping columns left out)."""
    return [str(c) for c in df.columns if not str(c).startswith("_")]


def require_columns(df: pd.DataFrame, required: dict[str, str], file: str | Path,
                    key: str | None = None) -> None:
    """Raise :class:`IngestError` naming every required column the file lacks.

    Parameters
    ----------
    df : DataFrame
        The table after header mapping (internal column names).
    required : dict
        Internal column name -> what a user's file should call it (for the message).
    file : path-like
        The file, named in the message.
    key : str, optional
        The config key where a user names other headers (``inputs.register.fields``).
    """
    missing = [c for c in required if c not in df.columns]
    if missing:
        wanted = ", ".join(f"{c} ({required[c]})" for c in missing)
        hint = f"; name the header under {key}.<field> in the region config" if key else ""
        raise IngestError(
            f"{file}: header row: missing required column(s) {wanted}; "
            f"found columns {headers_found(df)}{hint}"
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


def _header_key(text: str, clean_text=None) -> str:
    from eduanalytics.normalise.text import clean_one

    return "".join(clean_one(str(text)).split()).lower()


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
