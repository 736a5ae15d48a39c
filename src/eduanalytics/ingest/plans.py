"""Ingest plan tables: a multi-year indicator plan (seed 002) and targets from a plan's text
(seed 003)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from eduanalytics.config import InputSpec
from eduanalytics.errors import InputError
from eduanalytics.ingest.core import (
    CHANGE_COLUMNS,
    REJECT_COLUMNS,
    StepResult,
    change_counts,
    concat_frames,
    map_headers,
    rejections,
    require_columns,
    sheet_records,
)
from eduanalytics.ingest.readers import read_table_file
from eduanalytics.ingest.templates import aliases, header_words, required
from eduanalytics.normalise.numbers import normalise_numbers
from eduanalytics.normalise.percent import normalise_percent
from eduanalytics.normalise.text import clean_text
from eduanalytics.tables.schemas import validate

#: Keyword in a (cleaned) indicator name -> indicator id. First match wins.
INDICATOR_IDS: list[tuple[str, str]] = [
    ("优质幼儿园", "quality_kindergarten_share"),
    ("公办园在园幼儿覆盖", "public_kindergarten_coverage"),
    ("学前教育普及普惠", "preschool_universal_evaluation_rate"),
    ("义务教育优质均衡", "compulsory_balanced_evaluation_rate"),
    ("随迁子女", "migrant_children_public_school_rate"),
    ("教共体", "education_community_share"),
    ("平均预期受教育年限", "school_life_expectancy"),
    ("新增劳动年龄人口平均受教育年限", "new_labour_force_mean_years"),
    ("长学制", "long_programme_enrolment_share"),
    ("高等教育毛入学率", "tertiary_gross_enrolment_ratio"),
    ("成人学历教育", "adult_degree_education"),
    ("非学历资格认证", "non_degree_certification"),
    ("非学历教育", "non_degree_education"),
    ("社区教育参与率", "community_education_participation"),
    ("从业人员继续教育参与率", "employee_ce_participation"),
]


#: A text cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) or
#: that holds markup tags (``<script>``).
UNSAFE_TEXT = r"^\s*[=+\-@]|<\s*/?\s*[A-Za-z!][^<>]*>"
UNSAFE_NAME = "indicator name holds markup/formula-like text"


def unsafe_text(s: pd.Series) -> pd.Series:
    """Which text cells start like a formula or hold markup tags.

    Both the raw text and its cleaned form (full-width ``＝`` becomes ``=``) are looked at.

    Parameters
    ----------
    s : Series
        Text cells (missing allowed).

    Returns
    -------
    Series of bool
    """
    text = s.astype("string")
    hit = text.str.contains(UNSAFE_TEXT, regex=True).fillna(False)
    hit |= clean_text(text).str.contains(UNSAFE_TEXT, regex=True).fillna(False)
    return hit.astype(bool)


def schema_rejections(step: str, frame: pd.DataFrame, failures: pd.DataFrame, column: str,
                      prefix: pd.Series | str = "", value: pd.Series | None = None) -> pd.DataFrame:
    """Rejected-row records for the rows :func:`~eduanalytics.tables.schemas.validate` failed.

    Parameters
    ----------
    step : str
        Step name.
    frame : DataFrame
        The rows validated (``_file``, ``_row``), indexed as the validated table.
    failures : DataFrame
        ``validate``'s failures (``index``, ``column``, ``check``).
    column : str
        Column named in the records.
    prefix : Series or str
        Put before the failed checks in each reason.
    value : Series, optional
        The offending value per row.

    Returns
    -------
    DataFrame
        ``REJECT_COLUMNS``, one record per failed row, its reason naming every failed check.
    """
    if failures.empty:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    checks = failures.groupby("index")["check"].agg(lambda c: "; ".join(dict.fromkeys(c)))
    mask = pd.Series(frame.index.isin(checks.index), index=frame.index)
    reason = prefix + checks.reindex(frame.index).fillna("")
    return rejections(step, frame, mask, column, reason, value=value)


def _read(path: Path, kind: str, spec: InputSpec | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The raw table and its header-mapped copy, with a region's layout and field names."""
    fields = spec.fields if spec is not None else {}
    raw = read_table_file(path, header_keywords=header_words(kind, fields),
                          **(spec.layout if spec is not None else {}))
    df = map_headers(raw, aliases(kind, fields))
    require_columns(df, required(kind), path, key=None if spec is None else spec.key("fields"))
    return raw, df


def indicator_ids(names: pd.Series) -> pd.Series:
    """Map cleaned indicator names to ids (``indicator_<n>`` when none matches)."""
    cleaned = clean_text(names.astype("string"))
    out = pd.Series(pd.NA, index=names.index, dtype="string")
    for key, ident in INDICATOR_IDS:
        out = out.mask(out.isna() & cleaned.str.contains(key, regex=False).fillna(False), ident)
    fallback = "indicator_" + pd.Series(range(1, len(names) + 1), index=names.index).astype(str)
    return out.fillna(fallback)


def ingest_plan_indicators(path: str | Path, region: str, spec: InputSpec | None = None) -> StepResult:
    """Read a wide plan table (indicator x year) into the long ``plan_indicators`` table.

    The unit of each indicator comes from its name (``(%`` -> percent, ``(年`` -> years) or
    from a ``%`` in any of its cells; percentages follow
    :func:`eduanalytics.normalise.percent.normalise_percent`'s rule row by row (one
    indicator's cells are one column of values), so ``79.8`` and ``57%`` both mean percent.
    """
    path = Path(path)
    step = "plan_indicators"
    raw, df = _read(path, "plan_indicators", spec)
    year_cols = [c for c in df.columns if re.fullmatch(r"\s*(19|20)\d{2}\s*(年)?", str(c))]
    if not year_cols:
        raise InputError("header row: no year columns", file=path, expected="columns 2023, 2024, …",
                         found=[str(c) for c in raw.columns if not str(c).startswith("_")])
    names = df["indicator_name"].astype("string")
    ids = indicator_ids(names)
    cells = df[year_cols].astype("string")
    has_pct = names.str.contains("%|％", regex=True).fillna(False) | cells.apply(
        lambda c: c.str.contains("%|％", regex=True)).any(axis=1)
    is_years = names.str.contains(r"[(（]\s*年", regex=True).fillna(False)
    unit = pd.Series("count", index=df.index).mask(has_pct, "percent").mask(is_years, "years")

    long = cells.assign(_idx=df.index).melt(id_vars="_idx", var_name="year", value_name="raw_value")
    values = pd.Series(pd.NA, index=long.index, dtype="Float64")
    errors = pd.Series(pd.NA, index=long.index, dtype="string")
    changed = pd.Series(False, index=long.index)
    for idx, grp in long.groupby("_idx"):  # one indicator at a time: the percent rule is per indicator
        if unit[idx] == "percent":
            res = normalise_percent(grp["raw_value"])
        else:
            res = normalise_numbers(grp["raw_value"])
        values.loc[grp.index] = res["value"].astype("Float64")
        errors.loc[grp.index] = res["error"]
        changed.loc[grp.index] = res["changed"]
    long = long.assign(value=values, error=errors, _row=df.loc[long["_idx"], "_row"].to_numpy(),
                       _file=str(path))
    blank = long["value"].isna() & long["error"].isna()
    long["error"] = long["error"].mask(blank, "blank cell; expected a value")
    rej = rejections(step, long, long["error"].notna(), "year", "year " + long["year"].astype(str)
                     + ": " + long["error"].fillna(""), value=long["raw_value"])
    unsafe = unsafe_text(names)
    rej = concat_frames([rej, rejections(step, df, unsafe, "指标", UNSAFE_NAME,
                                         value=df["indicator_name"])], REJECT_COLUMNS)
    ok = long["error"].isna() & ~unsafe.loc[long["_idx"]].to_numpy()
    table = pd.DataFrame({
        "region": region, "indicator": ids[long["_idx"]].to_numpy(),
        "indicator_name": clean_text(names[long["_idx"]]).to_numpy(),
        "year": long["year"].str.extract(r"(\d{4})")[0].astype(int).to_numpy(),
        "target_value": long["value"].astype(float).to_numpy(),
        "unit": unit[long["_idx"]].to_numpy(), "raw_value": long["raw_value"].fillna("").to_numpy(),
    }, index=long.index).loc[ok]
    table, failures = validate(table, "plan_indicators")
    prefix = "year " + long["year"].astype(str) + ": value " + long["raw_value"].astype(str) + ": "
    rej = concat_frames([rej, schema_rejections(step, long, failures, "year", prefix,
                                                value=long["raw_value"])], REJECT_COLUMNS)
    # a source row is clean if all its cells are; rows_in counts source rows
    bad_rows = set(rej["row"].tolist())
    changes = concat_frames([change_counts(step, "year cells", changed, "value normalised"),
                             change_counts(step, "指标", clean_text(names).ne(names.str.strip()),
                                           "indicator name cleaned")], CHANGE_COLUMNS)
    # an indicator is loaded only when every cell of its source row is clean, so a partly
    # broken row never passes silently
    clean_rows = ~df["_row"].isin(bad_rows)
    table = table.loc[table["indicator"].isin(set(ids[clean_rows]))].reset_index(drop=True)
    res = StepResult(step=step, files=[path], tables={"plan_indicators": table},
                     rows_in=len(df), rows_clean=int(clean_rows.sum()), rejected=rej,
                     changes=changes, sheets=sheet_records(step, raw, path))
    res.check_reconciles()
    return res


def ingest_ce_targets(path: str | Path, region: str, year: int,
                      spec: InputSpec | None = None) -> StepResult:
    """Read targets quoted from a plan's text (``指标, 目标, 原文``) into ``ce_targets``.

    Traditional characters and pinyin annotations are cleaned; ``1萬人`` becomes 10000
    persons, ``100萬人次以上`` 1,000,000 person-times, ``35%`` 35 percent.
    """
    path = Path(path)
    step = "ce_targets"
    raw, df = _read(path, "ce_targets", spec)
    text = df["target"].astype("string")
    is_pct = text.str.contains("%|％", regex=True).fillna(False)
    unit = pd.Series("persons", index=df.index).mask(
        clean_text(text).str.contains("人次").fillna(False), "person_times").mask(is_pct, "percent")
    pct = normalise_percent(text.where(is_pct))
    num = normalise_numbers(text.where(~is_pct))
    value = pct["value"].where(is_pct, num["value"])
    error = pct["error"].where(is_pct, num["error"])
    error = error.mask(value.isna() & error.isna(), "blank target; expected a number or a percentage")
    error = error.mask(error.isna() & value.lt(0).fillna(False),
                       "negative target " + text.fillna("").str.strip() + "; expected a number >= 0")
    unsafe = unsafe_text(df["indicator_name"])
    rej = concat_frames([rejections(step, df, error.notna(), "目标", error),
                         rejections(step, df, unsafe, "指标", UNSAFE_NAME, value=df["indicator_name"])],
                        REJECT_COLUMNS)
    ok = error.isna() & ~unsafe
    names = clean_text(df["indicator_name"].astype("string"))
    table = pd.DataFrame({"region": region, "year": int(year), "indicator": indicator_ids(names),
                          "indicator_name": names, "target_value": value.astype(float),
                          "unit": unit, "raw_value": text.fillna("")}).loc[ok]
    table, failures = validate(table, "ce_targets")
    rej = concat_frames([rej, schema_rejections(step, df, failures, "<row>", "schema check failed: ",
                                                value=text)], REJECT_COLUMNS)
    changes = concat_frames([
        change_counts(step, "指标", names.ne(df["indicator_name"].astype("string").str.strip()),
                      "traditional to simplified / pinyin removed"),
        change_counts(step, "目标", num["changed"].where(~is_pct, False), "number normalised"),
    ], CHANGE_COLUMNS)
    res = StepResult(step=step, files=[path], tables={"ce_targets": table.reset_index(drop=True)},
                     rows_in=len(df), rows_clean=len(table), rejected=rej, changes=changes,
                     sheets=sheet_records(step, raw, path))
    res.check_reconciles()
    return res
