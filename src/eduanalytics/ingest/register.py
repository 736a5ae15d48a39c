"""Ingest learner registers (学历提升 and 职业培训 sheets) into ``enrolments``.

Personal data stays here: names are never read past the header mapping; ID numbers give
birth date, sex and age, then become a salted ``learner_key``; every message and rejected
row shows IDs masked (``331004********123X``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from eduanalytics.config import RegionConfig
from eduanalytics.ingest.core import (
    CHANGE_COLUMNS,
    REJECT_COLUMNS,
    StepResult,
    change_counts,
    concat_frames,
    map_headers,
    rejections,
    require_columns,
)
from eduanalytics.ingest.readers import read_xlsx_table
from eduanalytics.ingest.templates import TEMPLATES, aliases, required
from eduanalytics.normalise.attainment_labels import normalise_attainment
from eduanalytics.normalise.dates import normalise_dates
from eduanalytics.normalise.idnumber import parse_id_numbers
from eduanalytics.normalise.text import clean_text
from eduanalytics.normalise.units import normalise_unit_names
from eduanalytics.privacy import get_salt, learner_key, mask_id
from eduanalytics.tables.schemas import validate

PROGRAMME_VALUES = {
    "初高中学历提升": "secondary_upgrade", "初高中": "secondary_upgrade",
    "成人初高中学历提升": "secondary_upgrade", "secondary_upgrade": "secondary_upgrade",
    "大专及以上学历提升": "tertiary_upgrade", "大专及以上": "tertiary_upgrade",
    "高等学历继续教育": "tertiary_upgrade", "tertiary_upgrade": "tertiary_upgrade",
}
STATUS_VALUES = {"在读": "enrolled", "在籍": "enrolled", "已结业": "completed", "结业": "completed",
                 "已毕业": "completed", "毕业": "completed", "退学": "withdrawn",
                 "已退学": "withdrawn", "退出": "withdrawn"}
BATCH_VALUES = {"春季": "spring", "春": "spring", "秋季": "autumn", "秋": "autumn"}
YESNO_VALUES = {"是": True, "否": False, "y": True, "n": False, "yes": True, "no": False,
                "已注册": True, "未注册": False}
REASON_VALUES = {"缺身份证": "no_id_card", "无身份证": "no_id_card",
                 "缺户口簿": "no_household_register", "缺户口册": "no_household_register",
                 "缺户口本": "no_household_register", "无户口簿": "no_household_register",
                 "缺标准像": "no_photo", "缺照片": "no_photo", "无标准像": "no_photo"}
MODE_VALUES = {"线上": "online", "线下": "offline", "线上线下": "blended", "线上线下结合": "blended",
               "混合": "blended"}

_NON_PERSONAL = ["unit", "programme", "level_from", "level_to", "batch", "enrol_date", "status",
                 "completed_date", "registered", "register_fail_reason", "mode", "course",
                 "home_unit", "completed"]


def map_values(s: pd.Series, mapping: dict[str, object], header: str, expected: str,
               required: bool = False) -> pd.DataFrame:
    """Map coded cells (在读, 是, 线上 ...) to ids; unknown cells get a reason.

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

    Returns
    -------
    DataFrame
        ``value``, ``error``, ``changed`` (the raw text differed from a canonical key).
    """
    text = clean_text(s.astype("string"))
    blank = text.isna() | text.eq("")
    value = text.map(mapping)  # dict lookups, no Python function per cell
    value = value.where(value.notna(), text.str.lower().map(mapping))
    error = pd.Series(pd.NA, index=s.index, dtype="string")
    unknown = value.isna() & ~blank
    error = error.mask(unknown, header + ": '" + text.fillna("") + "' is not recognised; expected " + expected)
    if required:
        error = error.mask(blank, header + ": blank; expected " + expected)
    changed = ~blank & ~unknown & text.ne(s.astype("string").str.strip())
    return pd.DataFrame({"value": value.where(~unknown), "error": error, "changed": changed.fillna(False)})


def _read(path: Path, sheet: str, kind: str) -> pd.DataFrame:
    keywords = [h for c in TEMPLATES[kind] if c.required for h in c.headers[:1]]
    raw = read_xlsx_table(path, sheet=sheet, header_keywords=keywords)
    df = map_headers(raw, aliases(kind))
    require_columns(df, required(kind), f"{path} [sheet {sheet}]")
    # names are never used: drop them before anything else touches the frame
    return df.drop(columns=[c for c in ("name",) if c in df.columns])


def ingest_register(path: str | Path, config: RegionConfig, sheet: str = "学历提升",
                    training_sheet: str | None = "职业培训", synthetic: bool = False,
                    salt: str | None = None) -> StepResult:
    """Read a learner register workbook into the ``enrolments`` table.

    Parameters
    ----------
    path : path-like
        The .xlsx export.
    config : RegionConfig
        Units, eligible age band (``register.eligible_age``) and reference date.
    sheet : str
        Sheet of degree-upgrade learners (one row per learner and programme).
    training_sheet : str or None
        Sheet of vocational training person-times (skipped when None or absent).
    synthetic : bool
        Mark the rows as generated example data.
    salt : str, optional
        Salt for ``learner_key`` (default: :func:`eduanalytics.privacy.get_salt`).

    Returns
    -------
    StepResult
        ``tables["enrolments"]``; rejected rows with masked values and reasons.
    """
    path = Path(path)
    salt = salt or get_salt(config.root)
    reg = config.get("register", {}) or {}
    ref = pd.Timestamp(reg.get("reference_date", f"{config.year}-12-31"))
    lo, hi = (reg.get("eligible_age") or [16, 64])
    units = config.units()

    parts = [_ingest_sheet(path, sheet, "register", units, ref, (lo, hi), salt, synthetic)]
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    sheets = wb.sheetnames
    wb.close()
    if training_sheet and training_sheet in sheets:
        parts.append(_ingest_sheet(path, training_sheet, "training", units, ref, (lo, hi), salt,
                                   synthetic))
    enrol = pd.concat([p.tables["enrolments"] for p in parts], ignore_index=True)
    res = StepResult(
        step="enrolments", files=[path], tables={"enrolments": enrol},
        rows_in=sum(p.rows_in for p in parts), rows_clean=sum(p.rows_clean for p in parts),
        rejected=concat_frames([p.rejected for p in parts], REJECT_COLUMNS),
        changes=concat_frames([p.changes for p in parts], CHANGE_COLUMNS), synthetic=synthetic,
    )
    res.check_reconciles()
    return res


def _ingest_sheet(path: Path, sheet: str, kind: str, units: pd.DataFrame, ref: pd.Timestamp,
                  age_band: tuple[int, int], salt: str, synthetic: bool) -> StepResult:
    step = f"enrolments[{sheet}]"
    df = _read(path, sheet, kind)
    hdr = {c.name: c.headers[0] for c in TEMPLATES[kind]}
    n = len(df)
    ids = parse_id_numbers(df["id_number"], ref)
    masked = mask_id(ids["value"].fillna(df["id_number"].astype("string")).fillna(""))
    df = df.assign(id_number=masked)  # from here on only the masked form is in the frame
    orig_cols = ["id_number", *[c for c in _NON_PERSONAL if c in df.columns]]

    checks: list[tuple[str, pd.DataFrame]] = []
    checks.append((hdr["id_number"], ids))
    unit = normalise_unit_names(df["unit"], units)
    unit_err = unit["error"].mask(df["unit"].isna() | df["unit"].astype("string").str.strip().eq(""),
                                  hdr["unit"] + ": blank; expected a unit of the config")
    checks.append((hdr["unit"], unit.assign(error=unit_err)))
    dates = normalise_dates(df["enrol_date"])
    d_err = dates["error"].mask(dates["value"].isna() & dates["error"].isna(),
                                hdr["enrol_date"] + ": blank; expected a date")
    checks.append((hdr["enrol_date"], dates.assign(error=d_err)))

    out = pd.DataFrame(index=df.index)
    if kind == "register":
        prog = map_values(df["programme"], PROGRAMME_VALUES, hdr["programme"],
                          "初高中学历提升 or 大专及以上学历提升", required=True)
        status = map_values(df["status"], STATUS_VALUES, hdr["status"], "在读 / 已结业 / 退学",
                            required=True)
        checks += [(hdr["programme"], prog), (hdr["status"], status)]
        lvl_from = _optional(df, "level_from", normalise_attainment)
        lvl_to = _optional(df, "level_to", normalise_attainment)
        batch = _optional(df, "batch", lambda s: map_values(s, BATCH_VALUES, hdr["batch"], "春季 / 秋季"))
        done = _optional(df, "completed_date", normalise_dates)
        regd = _optional(df, "registered", lambda s: map_values(s, YESNO_VALUES, hdr["registered"], "是 / 否"))
        why = _optional(df, "register_fail_reason",
                        lambda s: map_values(s, REASON_VALUES, hdr["register_fail_reason"],
                                             "缺身份证 / 缺户口簿 / 缺标准像"))
        checks += [(hdr["level_from"], lvl_from), (hdr["level_to"], lvl_to), (hdr["batch"], batch),
                   (hdr["completed_date"], done), (hdr["registered"], regd),
                   (hdr["register_fail_reason"], why)]
        out["programme"] = prog["value"]
        out["level_from"] = lvl_from["value"]
        out["level_to"] = lvl_to["value"]
        month = dates["value"].dt.month
        inferred = pd.Series(pd.NA, index=df.index, dtype="string").mask(month.le(6), "spring").mask(month.gt(6), "autumn")
        out["batch"] = batch["value"].astype("string").fillna(inferred)
        out["status"] = status["value"]
        out["completed_date"] = done["value"]
        out["registered"] = regd["value"].astype("boolean")
        out["register_fail_reason"] = why["value"]
        batch_inferred = batch["value"].isna() & inferred.notna()
    else:
        comp = _optional(df, "completed", lambda s: map_values(s, YESNO_VALUES, hdr["completed"], "是 / 否"))
        checks.append((hdr["completed"], comp))
        out["programme"] = "vocational_training"
        out["level_from"] = pd.NA
        out["level_to"] = pd.NA
        out["batch"] = dates["value"].dt.strftime("%Y-%m")
        done_flag = comp["value"].astype("boolean").fillna(False)
        out["status"] = done_flag.map({True: "completed", False: "enrolled"})
        out["completed_date"] = dates["value"].where(done_flag)
        out["registered"] = pd.array([pd.NA] * n, dtype="boolean")
        out["register_fail_reason"] = pd.NA
        batch_inferred = pd.Series(False, index=df.index)
    mode = _optional(df, "mode", lambda s: map_values(s, MODE_VALUES, hdr["mode"], "线上 / 线下 / 线上线下"))
    checks.append((hdr["mode"], mode))

    # quarantine: one record per failing cell, a row is out if any cell fails
    rejected = []
    changes = []
    for header, res in checks:
        rejected.append(rejections(step, df, res["error"].notna(), header, res["error"],
                                   value=df[_col_of(header, hdr)].astype("string") if _col_of(header, hdr) in df.columns else None,
                                   original_cols=orig_cols))
        if "changed" in res:
            changes.append(change_counts(step, header, res["changed"], "normalised"))
    changes.append(change_counts(step, hdr.get("batch", "批次"), batch_inferred,
                                 "batch blank: inferred from enrolment month"))
    age = ids["age"]
    out_of_band = age.notna() & ~age.between(*age_band)
    rejected.append(rejections(
        step, df, out_of_band, hdr["id_number"],
        "age " + age.astype("string").fillna("") + f" at {ref.date()} is outside the eligible band "
        f"{age_band[0]}-{age_band[1]}", original_cols=orig_cols))
    rej = concat_frames(rejected, REJECT_COLUMNS)
    bad = df["_row"].isin(set(rej["row"].tolist()))

    out = out.assign(
        learner_key=learner_key(ids["value"].where(~bad), salt) if (~bad).any() else pd.NA,
        unit_id=unit["value"], enrol_date=dates["value"], mode=mode["value"],
        sex=ids["sex"], birth_date=ids["birth_date"], age=age, synthetic=bool(synthetic),
        _row=df["_row"], _file=df["_file"],
    )
    clean = out.loc[~bad]
    # duplicates: the same learner twice in the same programme (persons), or the very same
    # person-time twice (training)
    key_cols = (["learner_key", "programme"] if kind == "register"
                else ["learner_key", "unit_id", "enrol_date", "_course"])
    if kind == "training":
        clean = clean.assign(_course=clean_text(df.loc[clean.index, "course"].astype("string"))
                             if "course" in df.columns else "")
    dup = clean.duplicated(subset=key_cols, keep="first")
    if dup.any():
        first_row = clean.groupby(key_cols, dropna=False)["_row"].transform("first")
        what = "same learner, same programme" if kind == "register" else "same person-time"
        dup_rej = rejections(step, df.loc[clean.index], dup, hdr["id_number"],
                             "duplicate of row " + first_row.astype(str) + f" ({what})",
                             original_cols=orig_cols)
        rej = concat_frames([rej, dup_rej], REJECT_COLUMNS)
        clean = clean.loc[~dup]
    cols = ["learner_key", "unit_id", "programme", "level_from", "level_to", "batch", "enrol_date",
            "status", "completed_date", "registered", "register_fail_reason", "mode", "sex",
            "birth_date", "age", "synthetic"]
    table, failures = validate(clean[cols], "enrolments")
    if len(failures):
        fail_rows = clean.loc[failures["index"].unique()]
        rej = concat_frames([rej, rejections(
            step, fail_rows, pd.Series(True, index=fail_rows.index), "<row>",
            "schema check failed: " + failures.groupby("index")["check"].agg("; ".join).reindex(fail_rows.index).astype(str))],
            REJECT_COLUMNS)
    result = StepResult(step=step, files=[path], tables={"enrolments": table.reset_index(drop=True)},
                        rows_in=n, rows_clean=len(table), rejected=rej,
                        changes=concat_frames(changes, CHANGE_COLUMNS), synthetic=synthetic)
    result.check_reconciles()
    return result


def _optional(df: pd.DataFrame, col: str, fn) -> pd.DataFrame:
    """Run a normaliser on an optional column; all-missing when the file lacks it."""
    if col in df.columns:
        return fn(df[col])
    return pd.DataFrame({"value": pd.Series(pd.NA, index=df.index, dtype="object"),
                         "error": pd.Series(pd.NA, index=df.index, dtype="string"),
                         "changed": False}, index=df.index)


def _col_of(header: str, hdr: dict[str, str]) -> str:
    for k, v in hdr.items():
        if v == header:
            return k
    return header
