"""``eduanalytics check``: validate a region's config and files without running notebooks.

Per input the config names: the file, the sheet/table and header rows chosen, the template
fields matched and missing, rows in / clean / rejected / totals, and what is wrong with
how to fix it. The report would fail when the task table cannot be used or the config
itself is wrong; :func:`check_failed` says so and the command exits nonzero.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from eduanalytics.config import INPUT_KINDS, InputSpec, RegionConfig
from eduanalytics.errors import ConfigError, EduError
from eduanalytics.ingest.core import StepResult, map_headers
from eduanalytics.ingest.readers import read_table_file
from eduanalytics.ingest.templates import TEMPLATES, aliases, header_words

#: Columns of the check table, one row per input.
CHECK_COLUMNS = ["input", "file", "status", "sheet", "header_rows", "fields_matched",
                 "fields_missing", "rows_in", "rows_clean", "rows_rejected", "rows_total",
                 "problem", "fix"]
#: Template each input's file follows (None: a fixed layout read by its own step).
TEMPLATE_OF = {"task_table": "task_table", "task_table_copy": "task_table",
               "register": "register", "census_streets": "population", "survey": "population",
               "census_county": None, "plan_indicators": "plan_indicators",
               "ce_targets": "ce_targets"}


def _run_step(kind: str, spec: InputSpec, config: RegionConfig, engine: str = "pandas",
              scheduler: str | None = None) -> StepResult:
    """Run the ingest step of one input (nothing is kept: with the Dask engine the workers
    write the register's clean parts into a temporary folder, removed afterwards, so no
    process gathers a province's table just to count it)."""
    if kind in ("task_table", "task_table_copy"):
        from eduanalytics.ingest.task_table import ingest_task_table

        return ingest_task_table(spec.path, config, spec=spec)
    if kind in ("census_streets", "survey"):
        from eduanalytics.ingest.population import ingest_population

        source = "census" if kind == "census_streets" else "survey"
        default = config.get("census_year", 2020) if source == "census" else config.year
        return ingest_population(spec.path, config, source=source,
                                 year=int(spec.get("year") or default), spec=spec)
    if kind == "census_county":
        from eduanalytics.ingest.population import ingest_county_census

        return ingest_county_census(spec.path, config, spec=spec)
    if kind == "plan_indicators":
        from eduanalytics.ingest.plans import ingest_plan_indicators

        return ingest_plan_indicators(spec.path, region=str(spec.get("region") or config.name),
                                      spec=spec)
    if kind == "ce_targets":
        from eduanalytics.ingest.plans import ingest_ce_targets

        return ingest_ce_targets(spec.path, region=str(spec.get("region") or config.name),
                                 year=int(spec.get("year") or config.year), spec=spec)
    from eduanalytics.ingest.register import ingest_register

    if engine != "dask":
        return ingest_register(spec.path, config, synthetic=spec.synthetic)
    with tempfile.TemporaryDirectory(prefix="eduanalytics-check-") as tmp:
        return ingest_register(spec.path, config, synthetic=spec.synthetic, engine="dask",
                               scheduler=scheduler, out_dir=Path(tmp) / "enrolments.parquet")


def _fields(kind: str, spec: InputSpec) -> tuple[str, str]:
    """Template fields the file's header matches and those it lacks (required marked *)."""
    template = TEMPLATE_OF.get(kind)
    if template is None or spec.path.is_dir():
        return "", ""
    if kind in ("census_streets", "survey") and str(spec.get("form") or "long") == "wide":
        return ", ".join(f"{k}={v}" for k, v in (spec.get("columns") or {}).items()), ""
    layout = dict(spec.layout)
    if kind == "register":
        sheets = spec.get("sheets") or [{}]
        layout.setdefault("sheet", sheets[0].get("sheet") if isinstance(sheets[0], dict) else None)
        layout.setdefault("header_rows", sheets[0].get("header_rows")
                          if isinstance(sheets[0], dict) else None)
        layout = {k: v for k, v in layout.items() if v is not None}
    try:
        raw = read_table_file(spec.path, header_keywords=header_words(template, spec.fields),
                              **layout)
    except EduError:
        return "", ""
    cols = set(map_headers(raw, aliases(template, spec.fields)).columns)
    matched = [c.name for c in TEMPLATES[template] if c.name in cols]
    missing = [c.name + ("*" if c.required else "") for c in TEMPLATES[template]
               if c.name not in cols]
    return ", ".join(matched), ", ".join(missing)


def _fix(kind: str, exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, ConfigError):
        return "correct the config key named in the problem (docs/region_config.md)"
    if "not found" in text:
        return f"put the file in place or correct inputs.{kind}.path"
    if "sheet" in text or "table" in text:
        return f"set inputs.{kind}.sheet (xlsx) or .table (docx): a name, an index or {{has_columns: [...]}}"
    if "header" in text or "column" in text:
        return (f"name the file's header under inputs.{kind}.fields.<field>, or give "
                f"inputs.{kind}.header_rows")
    return "see the problem; docs/input_templates.md lists what each file needs"


def check_input(kind: str, spec: InputSpec, config: RegionConfig, engine: str = "pandas",
                scheduler: str | None = None) -> dict[str, Any]:
    """Check one input: run its step (the register on ``engine``), report what was chosen
    and what is wrong."""
    row: dict[str, Any] = {"input": kind, "file": str(spec.path), "status": "ok", "sheet": "",
                           "header_rows": "", "fields_matched": "", "fields_missing": "",
                           "rows_in": 0, "rows_clean": 0, "rows_rejected": 0, "rows_total": 0,
                           "problem": "", "fix": ""}
    if not spec.path.exists():
        return {**row, "status": "error", "problem": f"file not found: {spec.path}",
                "fix": f"put the file in place or correct inputs.{kind}.path"}
    row["fields_matched"], row["fields_missing"] = _fields(kind, spec)
    try:
        res = _run_step(kind, spec, config, engine, scheduler)
    except EduError as exc:
        return {**row, "status": "error", "problem": str(exc), "fix": _fix(kind, exc)}
    used = res.sheets[res.sheets["used"].astype(bool)] if len(res.sheets) else res.sheets
    found = [s for s in res.sheets["sheet"].tolist() if s] if len(res.sheets) else []
    row.update(sheet=(", ".join(s for s in used["sheet"] if s) +
                      (f" (of {', '.join(found)})" if len(found) > 1 else "")),
               header_rows=", ".join(h for h in used["header_rows"] if h),
               rows_in=res.rows_in, rows_clean=res.rows_clean,
               rows_rejected=res.rows_rejected, rows_total=res.rows_total)
    notes, fixes = [], []
    if res.rows_rejected:
        notes.append(f"{res.rows_rejected} row(s) rejected (first: "
                     f"{res.rejected['reason'].iloc[0]})")
        fixes.append("rejected rows are quarantined with their reasons; an unknown unit name "
                     "goes under units[].aliases")
    mism = res.findings[res.findings["kind"] == "total_mismatch"] if len(res.findings) else []
    if len(mism):
        notes.append(f"{len(mism)} total(s) disagree with their parts (e.g. "
                     f"{mism['message'].iloc[0]})")
        fixes.append("totals that disagree are reported, not fixed: check the transcription")
    if res.rows_clean == 0:
        # an empty optional input leaves its section with a note; an empty task table
        # leaves nothing to report on
        row.update(status="error" if kind == "task_table" else "warning",
                   problem="no usable row; " + "; ".join(notes),
                   fix="see the rejected rows' reasons")
    elif notes:
        row.update(status="warning", problem="; ".join(notes), fix="; ".join(fixes))
    return row


def check_region(config: RegionConfig, engine: str = "pandas",
                 scheduler: str | None = None) -> pd.DataFrame:
    """Check every input a region config names.

    Parameters
    ----------
    config : RegionConfig
    engine : {"pandas", "dask"}
        The register's engine (``eduanalytics report --engine dask`` checks a province's
        register on Dask, as it will clean it).
    scheduler : str, optional
        Dask scheduler address (default: a local cluster).

    Returns
    -------
    DataFrame
        One row per input (``CHECK_COLUMNS``); ``status`` is ok / warning / error. A
        missing ``task_table`` entry or a config error is a row with status ``error``.
    """
    rows = []
    for kind in INPUT_KINDS:
        try:
            spec = config.input(kind, required=kind == "task_table")
        except ConfigError as exc:
            rows.append({"input": kind, "file": "", "status": "error", "problem": str(exc),
                         "fix": "correct the config key named in the problem"})
            continue
        if spec is not None:
            rows.append(check_input(kind, spec, config, engine, scheduler))
    rows += unused_files(config, [r["file"] for r in rows])
    try:
        config.units()
        config.programmes()
    except EduError as exc:
        rows.append({"input": "config", "file": str(config.path), "status": "error",
                     "problem": str(exc), "fix": "see docs/region_config.md"})
    blank = {c: 0 if c.startswith("rows_") else "" for c in CHECK_COLUMNS}
    return pd.DataFrame([{**blank, **r} for r in rows], columns=CHECK_COLUMNS)


def unused_files(config: RegionConfig, used: list[str]) -> list[dict[str, Any]]:
    """Table files in ``data/raw/<region>/<year>/`` that no input names (status ``note``)."""
    if not config.raw_dir.is_dir():
        return []
    named = [Path(u).resolve() for u in used if u]
    return [{"input": "(no input)", "file": str(p), "status": "note",
             "problem": "this file is not read by any input",
             "fix": "name it under inputs.<kind>.path if it should be used"}
            for p in sorted(config.raw_dir.rglob("*"))
            if p.is_file() and p.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".docx", ".parquet")
            # a file is read when an input names it or the folder of parts holding it
            and not any(p.resolve().is_relative_to(n) for n in named)]


def check_failed(table: pd.DataFrame) -> bool:
    """True when the report would fail: the config wrong or an input that cannot be read
    (the cleaning step stops on any input it cannot use, optional or not)."""
    return bool(table["status"].eq("error").any())


def check_config_file(path: str | Path, year: int | None = None, engine: str = "pandas",
                      scheduler: str | None = None) -> pd.DataFrame:
    """Load a region config and check it (a config that cannot be loaded is one row)."""
    from eduanalytics.config import load_config

    try:
        cfg = load_config(path, year)
    except EduError as exc:
        row = {c: 0 if c.startswith("rows_") else "" for c in CHECK_COLUMNS}
        row.update({"input": "config", "file": str(path), "status": "error",
                    "problem": str(exc), "fix": "see docs/region_config.md"})
        return pd.DataFrame([row], columns=CHECK_COLUMNS)
    return check_region(cfg, engine, scheduler)
