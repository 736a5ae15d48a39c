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

Bad input: a unit's second row is rejected as a duplicate; a blank target cell is rejected
(``—``, ``无`` or ``0`` mean 0, ``/`` means not applicable); a column that maps to nothing
but holds numbers, and a population base above the unit's resident population, are
findings; a table without unit rows is an :class:`~eduanalytics.errors.InputError`.
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
#: A blank target cell is none of these: it is rejected (nobody said 0).
ZERO_WORDS = frozenset({"—", "——", "-", "--", "–", "无", "0"})
NOT_APPLICABLE_TARGET = frozenset({"/", "／", "\\"})
#: Headers of running numbers, not data: never reported as unused columns.
RUNNING_NUMBER_HEADERS = frozenset({"序号", "编号", "序", "no", "no.", "#"})
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
        Tables ``targets`` and ``bases``; rejected rows (unknown unit, a unit's second
        row, a number that is not a number, a negative count, a blank target cell);
        findings comparing the totals row with the sum of its parts, column by column,
        with both numbers, a population base above the unit's resident population
        (``base_exceeds_resident``) and a column that maps to nothing but holds numbers
        (``column_unused``); ``sheets``.

    Raises
    ------
    InputError
        When the table holds no unit rows (a header only, or only totals rows).
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

    total_mask = is_total_label(df["unit"], config.total_labels)
    if not (~total_mask).any():
        raise InputError("the task table holds no unit rows", file=path,
                         expected="one row per responsible unit under the header",
                         found=f"{len(df)} row(s), all totals" if len(df) else "a header only")
    units = normalise_unit_names(df["unit"], config.units())
    rejected = [rejections(step, df, ~total_mask & units["error"].notna(), header["unit"],
                           units["error"]),
                duplicate_units(step, df, units["value"], ~total_mask & units["error"].isna(),
                                header["unit"])]
    changes = [change_counts(step, header["unit"], units["changed"] & ~total_mask,
                             "unit name mapped to its canonical name")]

    values: dict[str, pd.DataFrame] = {}
    for col in [*base_cols, *target_cols]:
        cells = clean_text(df[col].astype("string")).fillna("")
        is_target = pd.Series(col in target_cols, index=df.index)
        zero = cells.isin(ZERO_WORDS - {"0"}) & is_target
        blank = cells.eq("") & is_target & ~total_mask
        na = cells.isin(NOT_APPLICABLE_TARGET)
        num = normalise_numbers(df[col].astype("string").mask(zero, "0").mask(na, "/"))
        values[col] = num
        rejected.append(rejections(step, df, blank, header[col],
                                   "target blank; expected a number, 0, — or /"))
        bad = num["error"].notna()
        neg = num["value"].lt(0).fillna(False)
        frac = (num["value"] % 1).ne(0).fillna(False)
        reason = num["error"].astype("string")
        reason = reason.mask(neg, "negative count " + df[col].astype(str) + "; expected a whole number >= 0")
        reason = reason.mask(frac & ~neg, "'" + df[col].astype(str) + "' is not a whole number of people")
        rejected.append(rejections(step, df, bad | neg | frac, header[col], reason))
        changes.append(change_counts(step, header[col], num["changed"], "number normalised"))
        changes.append(change_counts(step, header[col], zero & ~total_mask,
                                     "— / 无 target read as 0"))
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

    findings = concat_frames([
        compare_totals(step, path, df, total_mask, ok, values, [*base_cols, *target_cols],
                       header),
        bases_over_resident(step, path, df, ok, values, base_cols, header),
        unused_columns(step, path, df.loc[~total_mask],
                       {"unit", *aliases("task_table", opts["fields"]), *base_cols,
                        *target_cols}, key=opts["key"]),
    ], FINDING_COLUMNS)
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


def duplicate_units(step: str, df: pd.DataFrame, unit_ids: pd.Series, candidates: pd.Series,
                    column: str) -> pd.DataFrame:
    """Reject every row of a unit after its first (the first row is kept).

    Parameters
    ----------
    step : str
        Step name.
    df : DataFrame
        The table, with ``unit`` (as printed), ``_file`` and ``_row``.
    unit_ids : Series
        Canonical unit id per row.
    candidates : Series of bool
        Rows to compare (unit rows whose unit is known; totals rows left out).
    column : str
        The unit column's header as printed.

    Returns
    -------
    DataFrame
        ``REJECT_COLUMNS``; reason ``duplicate of row N (same unit)``, N the first row's
        number as a person sees it.
    """
    ids = unit_ids.where(candidates)
    dup = ids.notna() & ids.duplicated(keep="first")
    first_row = df["_row"].where(candidates).groupby(ids).transform("first")
    reason = "duplicate of row " + first_row.astype("Int64").astype(str) + " (same unit)"
    return rejections(step, df, dup, column, reason, value=df["unit"].astype(str))


def bases_over_resident(step: str, path: Path, df: pd.DataFrame, ok: pd.Series,
                        values: dict[str, pd.DataFrame], base_cols: list[str],
                        header: dict[str, str]) -> pd.DataFrame:
    """Findings for each clean unit row whose population base exceeds its resident population.

    Parameters
    ----------
    step : str
        Step name.
    path : Path
        The file read.
    df : DataFrame
        The table, with ``unit`` and ``_row``.
    ok : Series of bool
        Clean unit rows.
    values : dict of str to DataFrame
        Normalised numbers per column (``value``).
    base_cols : list of str
        Population base columns present; ``resident`` among them is the yardstick.
    header : dict
        Internal column -> header as printed.

    Returns
    -------
    DataFrame
        ``FINDING_COLUMNS``, kind ``base_exceeds_resident``: ``published`` the base,
        ``computed`` the resident population, ``difference`` base minus resident.
    """
    if "resident" not in base_cols:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    resident = values["resident"]["value"]
    frames = []
    for col in [c for c in base_cols if c != "resident"]:
        base = values[col]["value"]
        over = (ok & base.gt(resident)).fillna(False).astype(bool)
        if not over.any():
            continue
        b, r = base[over].astype(float), resident[over].astype(float)
        name, res_name = header.get(col, col), header.get("resident", "resident")
        frames.append(pd.DataFrame({
            "step": step, "file": str(path), "row": df.loc[over, "_row"].astype(int),
            "column": name, "kind": "base_exceeds_resident", "published": b, "computed": r,
            "difference": b - r,
            "message": (df.loc[over, "unit"].astype(str) + ": " + name + " "
                        + b.map("{:,.0f}".format) + " exceeds its " + res_name + " "
                        + r.map("{:,.0f}".format)),
        }))
    return concat_frames(frames, FINDING_COLUMNS)


def unused_columns(step: str, path: Path, units: pd.DataFrame, used: set[str],
                   key: str = "inputs.task_table") -> pd.DataFrame:
    """Findings for columns that map to nothing yet hold numbers (targets lost otherwise).

    Parameters
    ----------
    step : str
        Step name.
    path : Path
        The file read.
    units : DataFrame
        The unit rows (totals left out), columns after mapping: unmapped ones keep their
        printed header.
    used : set of str
        Internal columns read (unit, bases, targets, other template fields).
    key : str
        The config entry where a user would declare the column (for the message).

    Returns
    -------
    DataFrame
        ``FINDING_COLUMNS``, kind ``column_unused``, one per column; ``published`` is the
        number of unit rows holding a number there. Running numbers (序号) and text-only
        columns (备注) are not reported.
    """
    records = []
    for col in units.columns:
        name = str(col)
        if (name.startswith("_") or col in used
                or name.split("/")[-1].strip().lower() in RUNNING_NUMBER_HEADERS):
            continue
        n = int(normalise_numbers(units[col].astype("string"))["value"].notna().sum())
        if n == 0:
            continue
        records.append({
            "step": step, "file": str(path), "row": 0, "column": name, "kind": "column_unused",
            "published": float(n), "computed": 0.0, "difference": float(n),
            "message": (f"column '{name}' maps to no field, population or target: its {n} "
                        f"number(s) were not read; declare it under {key}.targets or "
                        f"{key}.populations if it holds targets or a population"),
        })
    return pd.DataFrame(records, columns=FINDING_COLUMNS)
