"""The cleaning step: raw files named by a region config -> tidy tables + cleaning log.

``run_clean`` is what ``eduanalytics clean`` and notebook 01 call. It writes, into
``data/processed/<region>/<year>/``: one Parquet file per tidy table, ``rejected.csv``
(masked), ``changes.csv``, ``findings.csv``, ``reconciliation.csv``, ``cleaning_log.md``
and ``provenance.json`` (source files with SHA-256, synthetic flags, row counts).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from eduanalytics.catalog import PROVENANCE_FILE, write_table
from eduanalytics.config import RegionConfig
from eduanalytics.ingest.cleaning_log import reconciliation_summary, render_log
from eduanalytics.ingest.core import (
    CHANGE_COLUMNS,
    FINDING_COLUMNS,
    REJECT_COLUMNS,
    StepResult,
    concat_frames,
)
from eduanalytics.ingest.plans import ingest_ce_targets, ingest_plan_indicators
from eduanalytics.ingest.population import ingest_county_census, ingest_population
from eduanalytics.ingest.register import ingest_register
from eduanalytics.ingest.task_table import ingest_task_table

log = logging.getLogger(__name__)


@dataclass
class CleanResult:
    """What :func:`run_clean` produced."""

    out_dir: Path
    steps: list[StepResult]
    tables: dict[str, pd.DataFrame]
    rejected: pd.DataFrame
    changes: pd.DataFrame
    findings: pd.DataFrame

    @property
    def summary(self) -> pd.DataFrame:
        """Reconciliation summary, one row per step."""
        return reconciliation_summary(self.steps)


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def compare_task_tables(a: StepResult, b: StepResult) -> pd.DataFrame:
    """Findings comparing two readings of the same task table (e.g. CSV and DOCX)."""
    records = []
    for name in ("targets", "bases"):
        x = a.tables[name].sort_values(list(a.tables[name].columns[:3])).reset_index(drop=True)
        y = b.tables[name].sort_values(list(b.tables[name].columns[:3])).reset_index(drop=True)
        x = x.drop(columns=["source"], errors="ignore")
        y = y.drop(columns=["source"], errors="ignore")
        same = x.shape == y.shape and x.astype(str).equals(y.astype(str))
        records.append({
            "step": "task_table", "file": f"{a.files[0].name} vs {b.files[0].name}", "row": 0,
            "column": name, "kind": "sources_agree" if same else "sources_disagree",
            "published": float(len(x)), "computed": float(len(y)), "difference": 0.0 if same else float(len(x) - len(y)),
            "message": (f"{name}: the {a.files[0].suffix} and {b.files[0].suffix} copies give the same "
                        f"{len(x)} rows" if same else
                        f"{name}: the {a.files[0].suffix} and {b.files[0].suffix} copies differ"),
        })
    return pd.DataFrame(records, columns=FINDING_COLUMNS)


def run_clean(config: RegionConfig, as_of: str | None = None, out_dir: str | Path | None = None,
              engine: str | None = None, scheduler: str | None = None) -> CleanResult:
    """Clean every raw file the region config names and write the processed tables.

    Parameters
    ----------
    config : RegionConfig
        The region config (files, units, programmes).
    as_of : str, optional
        As-of date of the run (recorded in the log); default the config's ``default_as_of``.
    out_dir : path-like, optional
        Output folder; default ``data/processed/<region>/<year>``.
    engine : {"pandas", "dask"}, optional
        Engine of the register step (``"dask"``: a partitioned Parquet register); default
        ``$EDUANALYTICS_ENGINE`` or ``"pandas"`` (``eduanalytics report --engine`` sets it
        for the notebooks it runs).
    scheduler : str, optional
        Dask scheduler address; default ``$EDUANALYTICS_SCHEDULER`` or a local cluster.

    Returns
    -------
    CleanResult
    """
    as_of = str(as_of or config.get("default_as_of", f"{config.year}-12-31"))
    out = Path(out_dir) if out_dir else config.processed_dir
    synth_keys = {k for k, spec in config.inputs().items() if spec.synthetic}
    steps: list[StepResult] = []
    extra_findings: list[pd.DataFrame] = []

    task = ingest_task_table(config.file("task_table"), config)
    steps.append(task)
    docx = config.file("task_table_docx", required=False)
    if docx is not None and docx.exists():
        task_docx = ingest_task_table(docx, config)
        task_docx.step = "task_table[docx]"
        task_docx.findings = task_docx.findings.assign(step=task_docx.step)
        steps.append(task_docx)
        extra_findings.append(compare_task_tables(task, task_docx))

    engine = engine or os.environ.get("EDUANALYTICS_ENGINE") or "pandas"
    scheduler = scheduler or os.environ.get("EDUANALYTICS_SCHEDULER") or None
    reg = ingest_register(config.file("register"), config, synthetic="register" in synth_keys,
                          as_of=as_of, engine=engine, scheduler=scheduler)
    steps.append(reg)
    pops = []
    for key, source, year in (("census_streets", "census", config.get("census_year", 2020)),
                              ("survey", "survey", config.get("survey_year", config.year))):
        path = config.file(key, required=False)
        if path is not None:
            res = ingest_population(path, config, source=source, year=int(year),
                                    synthetic=key in synth_keys)
            steps.append(res)
            pops.append(res.tables["population"])
    tables: dict[str, pd.DataFrame] = {
        "units": config.units(),
        "targets": task.tables["targets"],
        "bases": task.tables["bases"],
        "enrolments": reg.tables["enrolments"],
        "population": pd.concat(pops, ignore_index=True) if pops else pd.DataFrame(),
    }
    census = config.file("census_county", required=False)
    if census is not None:
        res = ingest_county_census(census, config)
        steps.append(res)
        tables["census_county"] = res.tables["population"]
        tables["census_reported"] = res.tables["census_reported"]
    plan = config.file("plan_indicators", required=False)
    if plan is not None:
        res = ingest_plan_indicators(plan, region=str(config.get("plan_region", config.name)))
        steps.append(res)
        tables["plan_indicators"] = res.tables["plan_indicators"]
    ce = config.file("continuing_education_targets", required=False)
    if ce is not None:
        res = ingest_ce_targets(ce, region=str(config.get("ce_targets_region", config.name)),
                                year=int(config.get("ce_targets_year", config.year)))
        steps.append(res)
        tables["ce_targets"] = res.tables["ce_targets"]

    for s in steps:
        s.check_reconciles()
    rejected = concat_frames([s.rejected for s in steps], REJECT_COLUMNS)
    changes = concat_frames([s.changes for s in steps], CHANGE_COLUMNS)
    findings = concat_frames([s.findings for s in steps] + extra_findings, FINDING_COLUMNS)

    # write: clear the folder first so no stale table survives a rerun
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name, df in tables.items():
        write_table(df, out, name)
    rejected.to_csv(out / "rejected.csv", index=False, encoding="utf-8-sig")
    changes.to_csv(out / "changes.csv", index=False, encoding="utf-8-sig")
    findings.to_csv(out / "findings.csv", index=False, encoding="utf-8-sig")
    summary = reconciliation_summary(steps)
    summary.to_csv(out / "reconciliation.csv", index=False, encoding="utf-8-sig")
    (out / "cleaning_log.md").write_text(
        render_log(config.name, config.year, as_of, steps, rejected, changes, findings),
        encoding="utf-8")
    (out / PROVENANCE_FILE).write_text(json.dumps(
        _provenance(config, as_of, steps, tables), ensure_ascii=False, indent=2), encoding="utf-8")
    log.info("cleaned %s %s: %d steps, %d rows in, %d rejected", config.region, config.year,
             len(steps), int(summary["rows_in"].sum()), int(summary["rows_rejected"].sum()))
    return CleanResult(out_dir=out, steps=steps, tables=tables, rejected=rejected,
                       changes=changes, findings=findings)


def _provenance(config: RegionConfig, as_of: str, steps: list[StepResult],
                tables: dict[str, pd.DataFrame]) -> dict:
    root = config.root
    files = {}
    for s in steps:
        for p in s.files:
            rel = str(Path(p).resolve().relative_to(root)) if Path(p).resolve().is_relative_to(root) else str(p)
            files[rel] = {"sha256": sha256(Path(p)), "synthetic": s.synthetic, "step": s.step}
    table_synth = {
        "enrolments": any(s.synthetic for s in steps if s.step.startswith("enrolments")),
        "population": any(s.synthetic for s in steps if s.step.startswith("population")),
    }
    return {
        "region": config.region, "name": config.name, "year": config.year, "as_of": as_of,
        "config": str(config.path.relative_to(root)) if config.path.is_relative_to(root) else str(config.path),
        "inputs": files,
        "tables": {name: {"rows": int(len(df)), "synthetic": bool(table_synth.get(name, False))}
                   for name, df in tables.items()},
    }
