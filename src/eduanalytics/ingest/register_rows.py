"""The register's row-level work: one pandas function for every engine.

:func:`normalise_rows` takes a block of register rows (header-mapped, names dropped) and
returns the candidate clean rows, the rejected rows with reasons and the change counts. It
only looks at one row at a time (vectorised), so it gives the same answer on a whole
register as on each of its pieces: the pandas engine calls it once per piece of the
stream, the Dask engine once per partition. Duplicates need every row and are found
afterwards (:mod:`eduanalytics.ingest.register_duplicates`, one function for both engines);
their rejected-row records are built here (:func:`duplicate_rejections`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eduanalytics.arrow_text import arrow_strings, repeated_text, text_array, value_bytes
from eduanalytics.ingest.core import CHANGE_COLUMNS, REJECT_COLUMNS
from eduanalytics.ingest.register_duplicates import file_positions
from eduanalytics.ingest.register_values import by_distinct, map_attainment, map_values
from eduanalytics.normalise.dates import normalise_dates
from eduanalytics.normalise.idnumber import parse_id_numbers, whole_years
from eduanalytics.normalise.text import clean_text
from eduanalytics.normalise.units import normalise_unit_names
from eduanalytics.privacy import key_text, learner_hashes, mask_id
from eduanalytics.tables.schemas import validate

#: Columns kept (masked) as a rejected row's original values.
ORIGINAL_COLS = ["id_number", "unit", "programme", "level_from", "level_to", "batch", "enrol_date",
                 "status", "completed_date", "registered", "register_fail_reason", "mode", "course",
                 "home_unit", "completed"]
ENROLMENT_COLS = ["learner_key", "unit_id", "programme", "level_from", "level_to", "batch",
                  "enrol_date", "status", "completed_date", "registered", "register_fail_reason",
                  "mode", "sex", "birth_date", "age", "synthetic"]
UNKNOWN_KEPT = "not recognised: kept as unknown (optional column)"
#: Columns of few distinct values, normalised once per distinct value (``by_distinct``):
#: worth reading dictionary-encoded where the file stores them so (Parquet).
FEW_VALUES = ("unit", "programme", "level_from", "level_to", "batch", "enrol_date", "status",
              "completed_date", "registered", "register_fail_reason", "mode", "completed")


@dataclass(frozen=True)
class RegisterRules:
    """Everything :func:`normalise_rows` needs (picklable, sent to every worker)."""

    kind: str                       # "register" | "training"
    step: str
    headers: dict[str, str]         # internal column -> header shown in messages
    units: pd.DataFrame
    values: dict[str, dict[str, object]]
    expected: dict[str, str]
    age_band: tuple[int, int]
    reference: pd.Timestamp         # the ``age`` column is at this date
    as_of: pd.Timestamp             # enrolments after it are quarantined
    salt: str
    synthetic: bool = False
    programme_from: dict | None = None
    school_col: str | None = None
    key_cols: list[str] = field(default_factory=list)
    #: per column, the distinct values already normalised (kept across the pieces of a
    #: register: each piece normalises only the values no earlier piece held)
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def remembered(self, column: str) -> dict:
        """The memo of one column (see :func:`eduanalytics.ingest.core.by_distinct`)."""
        return self.memo.setdefault(column, {})


@dataclass
class RowsOutcome:
    """What :func:`normalise_rows` returns."""

    clean: pd.DataFrame
    rejected: pd.DataFrame
    changes: pd.DataFrame
    rows_in: int = 0


def _empty(index: pd.Index, dtype: str | type = object) -> pd.DataFrame:
    """The result of a normaliser for an absent optional column: every value missing (a
    ``"category"`` without categories, of text)."""
    if dtype == "category":
        dtype = pd.CategoricalDtype(pd.Index([], dtype="str"))
    return pd.DataFrame({"value": pd.Series(None, index=index, dtype=dtype),
                         "error": pd.Series(pd.NA, index=index, dtype="string"),
                         "changed": False, "unknown": False}, index=index)


#: Characters a JSON string must escape here, and their escapes (backslash first).
_JSON_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))


#: True for the bytes of :data:`_JSON_ESCAPES`' characters.
_ESCAPED_BYTES = np.zeros(256, dtype=bool)
_ESCAPED_BYTES[[ord(c) for c, _ in _JSON_ESCAPES]] = True


def _json_text(s: pd.Series) -> pa.Array:
    """Cells as JSON string contents (missing as empty), an Arrow array; escaped only when
    a cell needs it (looked for in the bytes of the Arrow data, no pattern per cell)."""
    arr = pc.fill_null(arrow_strings(s).cast(pa.large_string()), "")
    if _ESCAPED_BYTES[value_bytes(arr)].any():
        for char, escaped in _JSON_ESCAPES:
            arr = pc.replace_substring(arr, char, escaped)
    return arr


def original_json(frame: pd.DataFrame) -> pd.Series:
    """The row's original (already masked) cells as one JSON object per row, joined by
    Arrow's string kernels (no serialisation per row)."""
    cols = [c for c in ORIGINAL_COLS if c in frame.columns]
    if not cols or frame.empty:
        return pd.Series("", index=frame.index, dtype="string")
    parts: list = []
    for i, c in enumerate(cols):
        parts += [pa.scalar(("{" if i == 0 else '", ') + f'"{c}": "', pa.large_string()),
                  _json_text(frame[c])]
    parts.append(pa.scalar('"}', pa.large_string()))
    joined = pc.binary_join_element_wise(*parts, pa.scalar("", pa.large_string()))
    return pd.Series(pd.arrays.ArrowStringArray(joined), index=frame.index, dtype="string")


def reject_records(step: str, df: pd.DataFrame, checks: list, hdr: dict[str, str],
                   bad_pos: np.ndarray, orig: pd.Series) -> pd.DataFrame:
    """Rejected-row records (:data:`REJECT_COLUMNS`) of every failed check, in one frame.

    ``checks`` holds ``(column, result, shown)``: a row fails the check where
    ``result["error"]`` is set (the reason), and its value is ``shown`` (default: the
    column of ``df``, blank if there is none). Records come per check, each in row
    order. Everything is positional: ``bad_pos`` lists the positions failing any check,
    sorted, and ``orig`` holds their original cells as JSON, in that order. The text
    columns are built as Arrow arrays (no Python string per record)."""
    pos, column, count, value, reason = [], [], [], [], []
    for col, res, shown in checks:
        err = res["error"]
        p = np.flatnonzero(err.notna().to_numpy(dtype=bool))
        if not len(p):
            continue
        val = shown if shown is not None else (df[col] if col in df.columns else None)
        pos.append(p)
        column.append(hdr.get(col, col))
        count.append(len(p))
        value.append(arrow_strings(val.iloc[p]) if val is not None
                     else pa.nulls(len(p), pa.large_string()))
        reason.append(arrow_strings(err.iloc[p]))
    if not pos:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    at = np.concatenate(pos)

    def text(arr: pa.Array | pa.ChunkedArray) -> pd.api.extensions.ExtensionArray:
        return text_array(pc.fill_null(arr, ""))

    return pd.DataFrame({
        "step": text(repeated_text([step], [len(at)])),
        "file": text(arrow_strings(df["_file"].iloc[at])),
        "row": df["_row"].to_numpy(dtype=np.int64)[at],
        "column": text(repeated_text(column, count)),
        "value": text(pa.chunked_array([v.cast(pa.large_string()) for v in value])),
        "reason": text(pa.chunked_array([r.cast(pa.large_string()) for r in reason])),
        "original": text(arrow_strings(orig).take(pa.array(np.searchsorted(bad_pos, at))))},
        copy=False)


def _filled(values: pd.Series, fill: pd.Categorical) -> pd.Categorical:
    """``values`` as a categorical, with ``fill`` where it is missing."""
    have = values.array if isinstance(values.dtype, pd.CategoricalDtype) \
        else pd.Categorical(values.astype("string"))
    cats = have.categories.union(fill.categories)
    a, b = have.set_categories(cats).codes, fill.set_categories(cats).codes
    return pd.Categorical.from_codes(np.where(a >= 0, a, b), dtype=pd.CategoricalDtype(cats))


def _message(mask: pd.Series, build) -> pd.Series:
    """A message where ``mask`` holds (built for those rows only), <NA> elsewhere."""
    out = pd.Series(pd.NA, index=mask.index, dtype="string")
    pos = np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))
    if len(pos):
        out.iloc[pos] = build(pos).astype("string").to_numpy()
    return out


def _changes(step: str, records: list[tuple[str, pd.Series, str]]) -> pd.DataFrame:
    rows = [{"step": step, "column": col, "change": what, "n": int(mask.fillna(False).sum())}
            for col, mask, what in records]
    out = pd.DataFrame([r for r in rows if r["n"] > 0], columns=CHANGE_COLUMNS)
    return out.astype({"n": "int64"})


def normalise_rows(df: pd.DataFrame, rules: RegisterRules) -> RowsOutcome:
    """Normalise and validate a block of register rows (see the module docstring).

    Parameters
    ----------
    df : DataFrame
        Header-mapped rows with ``_file``/``_row`` (names already dropped).
    rules : RegisterRules
        Units, value maps, age band, dates, salt.

    Returns
    -------
    RowsOutcome
        ``clean``: enrolment columns plus ``_file``, ``_row``, ``_learner`` (the learner
        keys as the 64-bit integers they are written from) and the duplicate-key columns;
        ``rejected``: one record per failing cell (IDs masked); ``changes``: counts.
    """
    df = df.reset_index(drop=True)
    hdr, kind, idx = rules.headers, rules.kind, df.index
    checks: list[tuple[str, pd.DataFrame, pd.Series | None]] = []
    optional: list[tuple[str, pd.DataFrame]] = []

    dates = by_distinct(df["enrol_date"], normalise_dates, memo=rules.remembered("enrol_date"))
    ids = parse_id_numbers(df["id_number"], rules.reference)
    masked_id = pd.Series(pd.NA, index=idx, dtype="string")  # filled for rejected rows below
    checks.append(("id_number", ids, masked_id))

    def units_of(u: pd.Series) -> pd.DataFrame:
        res = normalise_unit_names(u, rules.units)
        blank = (u.isna() | u.astype("string").str.strip().eq("")).to_numpy(dtype=bool)
        return res.assign(error=res["error"].astype("string").mask(
            blank, hdr["unit"] + ": blank; expected a unit of the config"))

    unit = by_distinct(df["unit"], units_of, categorical=True, memo=rules.remembered("unit"))
    checks.append(("unit", unit, None))
    d_err = dates["error"].mask(dates["value"].isna() & dates["error"].isna(),
                                hdr["enrol_date"] + ": blank; expected a date")
    checks.append(("enrol_date", dates.assign(error=d_err), None))

    def opt(col: str, fn, dtype: str | type = "category") -> pd.DataFrame:
        res = fn(df[col]) if col in df.columns else _empty(idx, dtype)
        optional.append((col, res))
        return res

    def coded(col: str, required: bool = False):
        return lambda s: map_values(s, rules.values.get(col, {}), hdr.get(col, col),
                                    rules.expected.get(col, ""), required=required, categorical=True,
                                    memo=rules.remembered(col))

    out = pd.DataFrame(index=idx)
    if kind == "register":
        lvl_from = opt("level_from", lambda s: map_attainment(s, rules.values.get("level_from", {}),
                                                              rules.remembered("level_from")))
        lvl_to = opt("level_to", lambda s: map_attainment(s, rules.values.get("level_to", {}),
                                                          rules.remembered("level_to")))
        if "programme" in df.columns:
            prog = coded("programme", required=True)(df["programme"])
        else:  # programme_from: {field: level_to, map: {level id: programme}}
            src = rules.programme_from or {}
            base = {"level_to": lvl_to, "level_from": lvl_from}[src.get("field", "level_to")]
            value = base["value"].astype("string").map(src.get("map") or {})
            err = pd.Series(pd.NA, index=idx, dtype="string").mask(
                value.isna(), hdr["programme"] + ": cannot be derived from " +
                hdr.get(src.get("field", "level_to"), "") + " '" +
                df.get(src.get("field", "level_to"), pd.Series("", index=idx)).astype("string").fillna("") +
                "'; expected a level named in programme_from.map")
            prog = pd.DataFrame({"value": value, "error": err, "changed": False}, index=idx)
        status = coded("status", required=True)(df["status"])
        checks += [("programme", prog, None), ("status", status, None)]
        batch = opt("batch", coded("batch"))
        done = opt("completed_date", lambda s: by_distinct(
            s, normalise_dates, memo=rules.remembered("completed_date")), "datetime64[ns]")
        done = done.assign(unknown=done["error"].notna())
        optional[-1] = ("completed_date", done)
        regd = opt("registered", coded("registered"), "boolean")
        why = opt("register_fail_reason", coded("register_fail_reason"))
        out["programme"] = prog["value"]
        out["level_from"] = lvl_from["value"]
        out["level_to"] = lvl_to["value"]
        month = dates["value"].dt.month.to_numpy(dtype=float, na_value=np.nan)
        inferred = pd.Categorical.from_codes(np.where(month <= 6, 0, np.where(month > 6, 1, -1)),
                                             categories=["spring", "autumn"])
        out["batch"] = _filled(batch["value"], inferred)
        out["status"] = status["value"]
        out["completed_date"] = done["value"].astype("datetime64[ns]")
        out["registered"] = regd["value"].astype("boolean")
        out["register_fail_reason"] = why["value"]
        batch_inferred = batch["value"].isna() & ~batch["unknown"] & (inferred.codes >= 0)
    else:
        comp = opt("completed", coded("completed"), object)
        out["programme"] = pd.Series("vocational_training", index=idx, dtype="string")
        out["level_from"] = pd.Series(pd.NA, index=idx, dtype="string")
        out["level_to"] = pd.Series(pd.NA, index=idx, dtype="string")
        out["batch"] = dates["value"].dt.strftime("%Y-%m").astype("string")
        done_flag = comp["value"].astype("boolean").fillna(False)
        out["status"] = pd.Series(np.where(done_flag, "completed", "enrolled"), index=idx, dtype="string")
        out["completed_date"] = dates["value"].where(done_flag.to_numpy(dtype=bool))
        out["registered"] = pd.array([pd.NA] * len(idx), dtype="boolean")
        out["register_fail_reason"] = pd.Series(pd.NA, index=idx, dtype="string")
        batch_inferred = pd.Series(False, index=idx)
    mode = opt("mode", coded("mode"))

    # ages and dates: age at ENROLMENT against the band; impossible orders quarantined
    birth, enrol = ids["birth_date"], dates["value"]
    age_enrol = whole_years(birth, enrol)
    both = birth.notna() & enrol.notna()
    lo, hi = rules.age_band
    before_birth = both & enrol.lt(birth)
    after_as_of = enrol.gt(rules.as_of).fillna(False)
    out_of_band = both & ~before_birth & ~age_enrol.between(lo, hi).fillna(True)
    ymd = "%Y-%m-%d"
    date_err = _message(before_birth, lambda p: hdr["enrol_date"] + ": " + enrol.iloc[p].dt.strftime(ymd)
                        + " is before the birth date in the ID number")
    date_err = date_err.fillna(_message(after_as_of, lambda p: hdr["enrol_date"] + ": " +
                               enrol.iloc[p].dt.strftime(ymd) + f" is after the as-of date {rules.as_of.date()}"))
    checks.append(("enrol_date", pd.DataFrame({"error": date_err}), None))
    age_err = _message(out_of_band, lambda p: "age " + age_enrol.iloc[p].astype("string") + " at enrolment "
                       + enrol.iloc[p].dt.strftime(ymd) + f" is outside the eligible band {lo}-{hi}")
    checks.append(("id_number", pd.DataFrame({"error": age_err}), masked_id))

    bad = pd.Series(False, index=idx)
    for _, res, _ in checks:
        bad |= res["error"].notna()
    rejected = []
    bad_pos = np.flatnonzero(bad.to_numpy())
    masked_id.iloc[bad_pos] = mask_id(ids["value"].iloc[bad_pos].fillna(
        df["id_number"].iloc[bad_pos].astype("string")).fillna("")).to_numpy()
    # only the masked ID is ever shown
    shown = df.iloc[bad_pos].assign(id_number=masked_id.iloc[bad_pos])
    orig = original_json(shown)  # indexed by the failing rows only
    rejected.append(reject_records(rules.step, df, checks, hdr, bad_pos, orig))
    changes = [(hdr.get(c, c), r["changed"], "normalised") for c, r, _ in checks if "changed" in r]
    changes += [(hdr.get(c, c), r["changed"], "normalised") for c, r in optional]
    changes += [(hdr.get(c, c), r["unknown"], UNKNOWN_KEPT) for c, r in optional]
    changes.append((hdr.get("batch", "批次"), batch_inferred, "batch blank: inferred from enrolment month"))

    keep = ~bad.to_numpy()
    hashes = learner_hashes(ids["value"], rules.salt)  # a rejected row's is never used
    out = out.assign(
        learner_key=key_text(hashes, keep, idx),
        _learner=hashes,  # the same keys as integers, for the duplicate search
        unit_id=unit["value"], enrol_date=enrol, mode=mode["value"],
        sex=ids["sex"], birth_date=birth, age=ids["age"], synthetic=bool(rules.synthetic))
    extra = ["_file", "_row"]
    if rules.school_col:
        school = by_distinct(df[rules.school_col], lambda u: normalise_unit_names(u, rules.units),
                             memo=rules.remembered("school"))
        out["school_unit_id"] = school["value"].astype("string")
        changes.append((hdr.get(rules.school_col, rules.school_col), school["error"].notna(),
                        "school not a unit of the config: school_unit_id left blank"))
    if kind == "training":
        course = df["course"] if "course" in df.columns else pd.Series("", index=idx)
        out["_course"] = clean_text(course.astype("string")).fillna("")
    cand = pd.concat([out.loc[keep], df.loc[keep, extra]], axis=1)
    # the schema, row by row too (rows failing it are rejected with their reasons)
    cand, failed = schema_check(cand, rules, lambda rows: df)
    rejected.append(failed)
    return RowsOutcome(clean=cand.reset_index(drop=True),
                       rejected=_concat(rejected, REJECT_COLUMNS),
                       changes=_changes(rules.step, changes), rows_in=len(df))


def schema_check(cand: pd.DataFrame, rules: RegisterRules,
                 raw_rows) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate candidate clean rows against the ``enrolments`` schema (pandera, lazily).

    Parameters
    ----------
    cand : DataFrame
        Enrolment columns plus ``_file``, ``_row`` and the duplicate-key extras.
    rules : RegisterRules
        For the step name, headers and the reference date.
    raw_rows : callable
        ``_file``/``_row`` pairs -> raw rows including those (more do no harm), for the
        failing rows' rejected records (their original cells, ID masked).

    Returns
    -------
    clean : DataFrame
        The passing rows, coerced to the schema's dtypes, extras kept.
    rejected : DataFrame
        One record per failing row, naming every failed check.
    """
    cols = ENROLMENT_COLS + (["school_unit_id"] if rules.school_col else [])
    table, failures = validate(cand[cols], "enrolments")
    extras = [c for c in cand.columns if c not in cols]
    if not len(failures):  # every row passed: the extras as they are (no copy)
        return table.assign(**{c: cand[c] for c in extras}), pd.DataFrame(columns=REJECT_COLUMNS)
    clean = pd.concat([table, cand.loc[table.index, extras]], axis=1)
    why = ("schema check failed: " + failures.groupby("index")["check"].agg("; ".join)).rename("_why")
    bad = cand.loc[why.index, ["_file", "_row"]].join(why)
    rows = _matched(raw_rows(bad), bad)
    shown = rows.assign(id_number=_masked_ids(rows, rules))
    return clean, reject_records(rules.step, rows, [("<row>", rows["_why"].to_frame("error"), None)],
                                 {}, np.arange(len(rows)), original_json(shown))


def _matched(raw: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """The raw rows named by ``keys`` (``_file``, ``_row``), with ``keys``' other columns
    (joined on :func:`~eduanalytics.ingest.register_duplicates.file_positions`, file and
    row as one integer: no text compared per row)."""
    raw = raw.loc[raw["_row"].isin(keys["_row"])]
    order = {f: i for i, f in enumerate(pd.unique(np.concatenate([_file_names(raw["_file"]),
                                                                  _file_names(keys["_file"])])))}
    left = raw.assign(_file=raw["_file"].astype(str), _at=file_positions(raw, order))
    right = keys.drop(columns=["_file", "_row"]).assign(_at=file_positions(keys, order))
    return left.merge(right, on="_at", how="inner").drop(columns="_at")


def _file_names(files: pd.Series) -> np.ndarray:
    """The distinct file names of a ``_file`` column, as text."""
    values = files.cat.categories if isinstance(files.dtype, pd.CategoricalDtype) else files.unique()
    return np.asarray([str(f) for f in values], dtype=object)


def _masked_ids(rows: pd.DataFrame, rules: RegisterRules) -> pd.Series:
    """The rows' ID numbers masked for display (normalised first where they parse)."""
    ids = parse_id_numbers(rows["id_number"], rules.reference)
    return mask_id(ids["value"].fillna(rows["id_number"].astype("string")).fillna(""))


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def duplicate_rejections(rows: pd.DataFrame, dups: pd.DataFrame, rules: RegisterRules) -> pd.DataFrame:
    """Rejected-row records for duplicates, from their raw (header-mapped) rows."""
    if dups.empty:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    rows = _matched(rows, dups)
    masked = _masked_ids(rows, rules)
    shown = rows.assign(id_number=masked)
    what = "same learner, same programme" if rules.kind == "register" else "same person-time"
    where = pd.Series("", index=rows.index, dtype="string").mask(
        rows["first_file"].ne(rows["_file"]), " of " + rows["first_file"].astype("string"))
    reason = "duplicate of row " + rows["first_row"].astype("string") + where + f" ({what})"
    return reject_records(rules.step, rows, [(rules.headers["id_number"], reason.to_frame("error"), masked)],
                          {}, np.arange(len(rows)), original_json(shown))
