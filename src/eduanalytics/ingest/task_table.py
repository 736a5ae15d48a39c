"""Ingest a published task table (seed 000) into ``targets`` and ``bases``.

The table has one row per responsible unit with population bases (常住人口, 20-59周岁人口,
其中高中及以下学历人口, or whatever populations the region's config declares) and targets per
programme, ``/`` for "not applicable", and a 合计 row. The same file may come as CSV, XLSX
or as a table inside a DOCX notice; all give the same tidy tables.

The mapping is the region's ``inputs.task_table`` entry: ``fields`` (other header words),
``populations`` (population columns with their base id, age band and level group, each
compared with its 合计 row), ``targets`` (target column -> programme); without
``targets``, target columns are recognised by their words (初高中学历提升人数,
…任务（人）, …人次).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from eduanalytics.config import InputSpec, RegionConfig
from eduanalytics.errors import ConfigError, InputError
from eduanalytics.ingest.core import (
    CHANGE_COLUMNS,
    FINDING_COLUMNS,
    REJECT_COLUMNS,
    StepResult,
    change_counts,
    concat_frames,
    declared_column,
    map_headers,
    rejections,
    require_columns,
    sheet_records,
)
from eduanalytics.ingest.readers import read_docx_tables, read_table_file
from eduanalytics.ingest.templates import aliases, header_words, required
from eduanalytics.normalise.numbers import normalise_numbers
from eduanalytics.normalise.text import clean_text
from eduanalytics.normalise.units import is_total_label, normalise_unit_names
from eduanalytics.tables.columns import BASES, PROGRAMMES
from eduanalytics.tables.schemas import SCHEMAS, validate

#: Target cells that mean "no target" (0, counted in the log); ``/`` stays "not applicable".
ZERO_WORDS = frozenset({"", "—", "——", "-", "--", "–", "无", "0"})
NOT_APPLICABLE_TARGET = frozenset({"/", "／", "\\"})
#: Words a target header is recognised by (after its 人数 / 任务（人） / 人次 ending).
TARGET_STEMS: dict[str, str] = {
    "初高中学历提升": "secondary_upgrade", "初中高中学历提升": "secondary_upgrade",
    "成人初高中学历提升": "secondary_upgrade", "高中学历提升": "secondary_upgrade",
    "大专及以上学历提升": "tertiary_upgrade", "大专以上学历提升": "tertiary_upgrade",
    "高等学历继续教育": "tertiary_upgrade",
    "职业教育培训": "vocational_training", "职业技能培训": "vocational_training",
}
_ENDING = re.compile(r"(任务数|任务|人数|人次|目标|\(人\)|\(人次\)|\(个\))$")


def target_programme(header: str) -> str | None:
    """The programme a target header names, by its words (``初高中学历提升任务（人）`` ->
    ``secondary_upgrade``), or None."""
    text = "".join(str(clean_text(pd.Series([header])).iloc[0] or "").split())
    text = text.split("/")[-1]
    for _ in range(3):
        text = _ENDING.sub("", text)
    return TARGET_STEMS.get(text)


def _options(spec: InputSpec | None, config: RegionConfig) -> dict:
    """The mapping to use: the spec's own, falling back to ``inputs.task_table``'s (a copy
    of the task table shares its mapping unless it declares its own)."""
    main = config.input("task_table")
    out = {"fields": {}, "populations": [], "targets": [], "layout": {}, "key": "inputs.task_table"}
    for s in (main, spec):
        if s is None:
            continue
        out["key"] = f"inputs.{s.kind}"
        if s is spec:
            out["layout"] = s.layout
        out["fields"] = s.fields or out["fields"]
        out["populations"] = s.populations or out["populations"]
        out["targets"] = s.targets or out["targets"]
    return out


def _read(path: Path, opts: dict) -> pd.DataFrame:
    words = header_words("task_table", opts["fields"])
    words += [p["column"] for p in opts["populations"]] + [t["column"] for t in opts["targets"]]
    layout = dict(opts["layout"])
    if path.suffix.lower() == ".docx" and "table" not in layout:
        # the notice's table: the first whose header names a unit column
        unit_words = aliases("task_table", opts["fields"])["unit"]
        for t in read_docx_tables(path, header_keywords=words,
                                  header_rows=layout.get("header_rows")):
            if map_headers(t, {"unit": unit_words}).columns.isin(["unit"]).any():
                return t
        raise InputError("no table with a unit column", file=path,
                         expected=f"a table headed {' / '.join(unit_words)}, or set "
                                  f"{opts['key']}.table / .fields.unit")
    return read_table_file(path, header_keywords=words, **layout)


def ingest_task_table(path: str | Path, config: RegionConfig, year: int | None = None,
                      spec: InputSpec | None = None) -> StepResult:
    """Read a task table (CSV/XLSX/DOCX) into ``targets`` and ``bases``.

    Parameters
    ----------
    path : path-like
        The raw file.
    config : RegionConfig
        Supplies units, aliases, programme measures and the totals labels.
    year : int, optional
        Year of the targets (default: the config's year).
    spec : InputSpec, optional
        The input's config entry (``inputs.task_table`` or ``inputs.task_table_copy``);
        default: ``inputs.task_table``'s mapping.

    Returns
    -------
    StepResult
        Tables ``targets`` and ``bases``; rejected rows (unknown unit, a number that is
        not a number, a negative count); findings comparing the totals row with the sum
        of its parts, column by column, with both numbers; ``sheets``.
    """
    path = Path(path)
    year = int(year or config.year)
    step = "task_table"
    opts = _options(spec, config)
    raw = _read(path, opts)
    df = map_headers(raw, aliases("task_table", opts["fields"]))
    require_columns(df, required("task_table"), path, key=f"{opts['key']}.fields")
    header = {c: str(c) for c in df.columns}
    header.update({internal: str(orig) for orig, internal in zip(raw.columns, df.columns,
                                                                 strict=True)})
    rename: dict[str, str] = {}
    position = {c: i for i, c in enumerate(raw.columns)}
    for p in opts["populations"]:
        col = declared_column(raw, p["column"], path, f"{opts['key']}.populations")
        rename[df.columns[position[col]]] = p["base"]
    for t in opts["targets"]:
        if t["programme"] not in PROGRAMMES:
            raise ConfigError(f"unknown programme {t['programme']!r}", file=config.path,
                              key=f"{opts['key']}.targets", allowed=", ".join(PROGRAMMES))
        col = declared_column(raw, t["column"], path, f"{opts['key']}.targets")
        rename[df.columns[position[col]]] = t["programme"]
    if not opts["targets"]:
        for col in df.columns:
            prog = None if str(col).startswith("_") or col in PROGRAMMES else target_programme(col)
            if prog and prog not in df.columns and prog not in rename.values():
                rename[col] = prog
    header.update({new: header.get(old, str(old)) for old, new in rename.items()})
    df = df.rename(columns=rename)
    bases = [*BASES, *[p["base"] for p in opts["populations"] if p["base"] not in BASES]]
    base_cols = [c for c in bases if c in df.columns]
    target_cols = [c for c in PROGRAMMES if c in df.columns]
    if not base_cols and not target_cols:
        raise InputError("no population or target column found", file=path,
                         expected=f"target columns such as 初高中学历提升人数 / …任务（人）, or "
                                  f"declare them under {opts['key']}.targets",
                         found=[c for c in raw.columns if not str(c).startswith("_")])

    total_mask = is_total_label(df["unit"], config.get("total_labels", ["合计"]))
    units = normalise_unit_names(df["unit"], config.units())
    rejected = [rejections(step, df, ~total_mask & units["error"].notna(), header["unit"],
                           units["error"])]
    changes = [change_counts(step, header["unit"], units["changed"] & ~total_mask,
                             "unit name mapped to its canonical name")]

    values: dict[str, pd.DataFrame] = {}
    for col in [*base_cols, *target_cols]:
        cells = clean_text(df[col].astype("string")).fillna("")
        zero = cells.isin(ZERO_WORDS - {"0"}) if col in target_cols else pd.Series(False, index=df.index)
        na = cells.isin(NOT_APPLICABLE_TARGET)
        num = normalise_numbers(df[col].astype("string").mask(zero, "0").mask(na, "/"))
        values[col] = num
        bad = num["error"].notna()
        neg = num["value"].lt(0).fillna(False)
        frac = (num["value"] % 1).ne(0).fillna(False)
        reason = num["error"].astype("string")
        reason = reason.mask(neg, "negative count " + df[col].astype(str) + "; expected a whole number >= 0")
        reason = reason.mask(frac & ~neg, "'" + df[col].astype(str) + "' is not a whole number of people")
        rejected.append(rejections(step, df, bad | neg | frac, header[col], reason))
        changes.append(change_counts(step, header[col], num["changed"], "number normalised"))
        changes.append(change_counts(step, header[col], zero & ~total_mask,
                                     "blank / — / 无 target read as 0"))
        changes.append(change_counts(step, header[col], num["not_applicable"] & ~total_mask,
                                     "'/' kept as not applicable (no row)"))
    rej = concat_frames(rejected, REJECT_COLUMNS)
    bad_rows = set(rej["row"].tolist())
    ok = ~total_mask & ~df["_row"].isin(bad_rows)

    measures = {p: s.get("measure", "persons") for p, s in config.programmes().items()}
    long_parts = []
    for col in [*base_cols, *target_cols]:
        part = pd.DataFrame({"unit_id": units["value"], "column": col,
                             "value": values[col]["value"], "_row": df["_row"]})
        long_parts.append(part.loc[ok & values[col]["value"].notna()])
    long = pd.concat(long_parts)
    is_target = long["column"].isin(PROGRAMMES)
    targets = pd.DataFrame({
        "year": year,
        "unit_id": long.loc[is_target, "unit_id"].astype(str),
        "programme": long.loc[is_target, "column"].astype(str),
        "target": long.loc[is_target, "value"].round().astype("Int64"),
    })
    targets["measure"] = targets["programme"].map(measures).fillna("persons")
    base_tab = pd.DataFrame({
        "year": year,
        "unit_id": long.loc[~is_target, "unit_id"].astype(str),
        "base": long.loc[~is_target, "column"].astype(str),
        "count": long.loc[~is_target, "value"].round().astype("Int64"),
        "source": f"published:{path.name}",
    })
    targets, tfail = validate(targets.reset_index(drop=True), "targets")
    # declared populations carry the region's own base ids: check all but the id list
    base_tab = SCHEMAS["bases"].update_column("base", checks=[]).validate(
        base_tab.reset_index(drop=True))
    if len(tfail):  # already screened above; a failure here is a bug
        raise AssertionError(f"{path}: schema failures after screening: {tfail}")

    findings = compare_totals(step, path, df, total_mask, ok, values,
                              [*base_cols, *target_cols], header)
    res = StepResult(
        step=step, files=[path], tables={"targets": targets, "bases": base_tab},
        rows_in=len(df), rows_clean=int(ok.sum()), rows_total=int(total_mask.sum()),
        rejected=rej, changes=concat_frames(changes, CHANGE_COLUMNS), findings=findings,
        sheets=sheet_records(step, raw, path),
    )
    res.check_reconciles()
    return res


def compare_totals(step: str, path: Path, df: pd.DataFrame, total_mask: pd.Series,
                   ok: pd.Series, values: dict[str, pd.DataFrame], cols: list[str],
                   header: dict[str, str]) -> pd.DataFrame:
    """Compare each totals row with the sum of the clean unit rows, column by column.

    Returns
    -------
    DataFrame
        ``FINDING_COLUMNS``; ``column`` is the header as printed; ``kind`` is
        ``total_matches`` or ``total_mismatch`` with both numbers and the difference.
    """
    records = []
    for idx in df.index[total_mask]:
        for col in cols:
            published = values[col]["value"].loc[idx]
            if pd.isna(published):
                continue
            parts = values[col]["value"].loc[ok]
            computed = float(parts.sum(skipna=True))
            diff = float(published) - computed
            name = header.get(col, col)
            records.append({
                "step": step, "file": str(path), "row": int(df.loc[idx, "_row"]),
                "column": name, "kind": "total_matches" if diff == 0 else "total_mismatch",
                "published": float(published), "computed": computed, "difference": diff,
                "message": (f"{name}: published total {published:,.0f} equals the sum of "
                            f"{int(parts.notna().sum())} units" if diff == 0 else
                            f"{name}: published total {published:,.0f} but the units sum "
                            f"to {computed:,.0f} (difference {diff:+,.0f})"),
            })
    return pd.DataFrame(records, columns=FINDING_COLUMNS)
