"""The cleaning step: raw files named by a region config -> tidy tables + cleaning log.

``run_clean`` is what ``eduanalytics clean`` and notebook 01 call. It writes, into
``data/processed/<region>/<year>/``: one Parquet file per tidy table, ``rejected.csv``
(masked), ``changes.csv``, ``findings.csv``, ``reconciliation.csv``, ``cleaning_log.md``
and ``provenance.json`` (source files with SHA-256, synthetic flags, row counts).

With the Dask engine the ``enrolments`` table is instead a folder of Parquet parts,
``enrolments.parquet/part-00000.parquet`` ..., written by the workers straight into the
run's temporary folder: no process holds a province's table. The run's result then holds
it as a lazy Dask frame over those parts, and nothing here loads it (its row count is the
register step's ``rows_clean``). :func:`eduanalytics.catalog.read_table` reads either form.

The folder is written atomically under its lock (:func:`eduanalytics.atomic_dir.atomic_dir`):
a second run of the same region and year stops with ``LockError``, an interrupted or failed
run leaves the previous folder as it was. CSV files go through
:func:`eduanalytics.safe_output.write_csv` (formulas neutralised) and free text through
:func:`eduanalytics.privacy.mask_text`. Every count (log, command line, notebook 01) comes
from one table, :attr:`CleanResult.summary`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from eduanalytics.atomic_dir import atomic_dir
from eduanalytics.catalog import PROVENANCE_FILE, table_path, write_table
from eduanalytics.config import RegionConfig
from eduanalytics.ingest.cleaning_log import (
    mask_columns,
    reconciliation_summary,
    render_log,
    summary_totals,
)
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
from eduanalytics.safe_output import write_csv

log = logging.getLogger(__name__)


@dataclass
class CleanResult:
    """What :func:`run_clean` produced.

    ``tables`` holds pandas frames, except a table the Dask workers wrote as Parquet parts
    (``enrolments`` with the Dask engine): a lazy ``dask.dataframe`` over those parts (see
    :func:`is_lazy`).
    """

    out_dir: Path
    steps: list[StepResult]
    tables: dict[str, pd.DataFrame]
    rejected: pd.DataFrame
    changes: pd.DataFrame
    findings: pd.DataFrame
    #: The one table of counts (rows and findings per step); see ``reconciliation_summary``.
    summary: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        if self.summary is None:
            self.summary = reconciliation_summary(self.steps, self.findings)

    @property
    def sheets(self) -> pd.DataFrame:
        """Files, sheets and tables each step found, and which it used."""
        parts = [s.sheets for s in self.steps if len(getattr(s, "sheets", ()))]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    @property
    def totals(self) -> dict[str, int]:
        """Totals of the summary's counts (what the log and the command line print)."""
        return summary_totals(self.summary)

    def table_rows(self) -> dict[str, int]:
        """Rows of each table, a lazy one counted without loading it.

        Returns
        -------
        dict
            Table name -> rows. A lazy table (the Dask engine's ``enrolments``) counts the
            clean rows of its steps (``rows_clean`` of the steps named after it), which is
            what the workers wrote.
        """
        return {name: (sum(s.rows_clean for s in self.steps if s.step.split("[")[0] == name)
                       if is_lazy(df) else int(len(df)))
                for name, df in self.tables.items()}


def is_lazy(df: object) -> bool:
    """Whether a table of a :class:`CleanResult` is a lazy Dask frame (parts already written
    by the workers) rather than a pandas frame."""
    return not isinstance(df, pd.DataFrame)


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def register_steps(reg: StepResult) -> list[StepResult]:
    """The register's steps as the log counts them: one per sheet when it has several (so
    rows reconcile per sheet), the register's own findings and sheet records on the first."""
    if len(reg.parts) < 2:
        return [reg]
    first = reg.parts[0]
    first.findings = concat_frames([first.findings, reg.findings], FINDING_COLUMNS)
    first.sheets = reg.sheets
    return list(reg.parts)


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

    Raises
    ------
    LockError
        When another run is writing the same folder.
    """
    out = Path(out_dir) if out_dir else config.processed_dir
    with atomic_dir(out) as tmp:
        result = _clean(config, as_of, out, write_to=tmp, engine=engine, scheduler=scheduler)
    _moved_in(result, out)
    return result


def _moved_in(result: CleanResult, folder: Path) -> None:
    """Point the lazy tables of a run at their parts in the final ``folder`` (they were
    read from the temporary folder, which the swap has renamed)."""
    for name, df in list(result.tables.items()):
        if not is_lazy(df):
            continue
        from eduanalytics.ingest.dask_engine import read_parts

        moved = read_parts(table_path(folder, name))
        result.tables[name] = moved
        for step in [*result.steps, *(p for s in result.steps for p in s.parts)]:
            step.tables.update({k: moved for k, v in step.tables.items() if v is df})


def _clean(config: RegionConfig, as_of: str | None, out_dir: Path, write_to: Path,
           engine: str | None = None, scheduler: str | None = None) -> CleanResult:
    """The cleaning steps of :func:`run_clean`, writing into ``write_to`` (a temporary folder)."""
    as_of = str(as_of or config.default_as_of)
    synth_keys = {k for k, spec in config.inputs().items() if spec.synthetic}
    steps: list[StepResult] = []
    extra_findings: list[pd.DataFrame] = []

    task_spec = config.input("task_table", required=True)
    task = ingest_task_table(task_spec.path, config, spec=task_spec)
    task.synthetic = task.synthetic or task_spec.synthetic
    steps.append(task)
    copy_spec = config.input("task_table_copy")
    if copy_spec is not None and copy_spec.path.exists():
        task_docx = ingest_task_table(copy_spec.path, config, spec=copy_spec)
        task_docx.step = "task_table[docx]"
        task_docx.findings = task_docx.findings.assign(step=task_docx.step)
        task_docx.sheets = task_docx.sheets.assign(step=task_docx.step)
        steps.append(task_docx)
        extra_findings.append(compare_task_tables(task, task_docx))

    engine = engine or os.environ.get("EDUANALYTICS_ENGINE") or "pandas"
    scheduler = scheduler or os.environ.get("EDUANALYTICS_SCHEDULER") or None
    # Dask: the workers write the clean table as parts where write_outputs would put it
    reg = ingest_register(config.file("register"), config, synthetic="register" in synth_keys,
                          as_of=as_of, engine=engine, scheduler=scheduler,
                          out_dir=table_path(write_to, "enrolments") if engine == "dask" else None)
    steps += register_steps(reg)
    pops = []
    for key, source, year in (("census_streets", "census", config.get("census_year", 2020)),
                              ("survey", "survey", config.get("survey_year", config.year))):
        spec = config.input(key)
        if spec is not None:
            res = ingest_population(spec.path, config, source=source,
                                    year=int(spec.get("year") or year),
                                    synthetic=spec.synthetic, spec=spec)
            steps.append(res)
            pops.append(res.tables["population"])
    tables: dict[str, pd.DataFrame] = {
        "units": config.units(),
        "targets": task.tables["targets"],
        "bases": task.tables["bases"],
        "enrolments": reg.tables["enrolments"],
        "population": pd.concat(pops, ignore_index=True) if pops else pd.DataFrame(),
    }
    census = config.input("census_county")
    if census is not None:
        res = ingest_county_census(census.path, config, spec=census)
        steps.append(res)
        tables["census_county"] = res.tables["population"]
        tables["census_reported"] = res.tables["census_reported"]
    plan = config.input("plan_indicators")
    if plan is not None:
        res = ingest_plan_indicators(plan.path, spec=plan, region=str(
            plan.get("region") or config.get("plan_region", config.name)))
        steps.append(res)
        tables["plan_indicators"] = res.tables["plan_indicators"]
    ce = config.input("ce_targets")
    if ce is not None:
        res = ingest_ce_targets(ce.path, spec=ce, region=str(
            ce.get("region") or config.get("ce_targets_region", config.name)),
            year=int(ce.get("year") or config.get("ce_targets_year", config.year)))
        steps.append(res)
        tables["ce_targets"] = res.tables["ce_targets"]

    for s in steps:
        s.check_reconciles()
    rejected = mask_columns(concat_frames([s.rejected for s in steps], REJECT_COLUMNS),
                            ("value", "reason", "original"))
    changes = concat_frames([s.changes for s in steps], CHANGE_COLUMNS)
    findings = mask_columns(concat_frames([s.findings for s in steps] + extra_findings,
                                          FINDING_COLUMNS), ("message",))
    result = CleanResult(out_dir=out_dir, steps=steps, tables=tables, rejected=rejected,
                         changes=changes, findings=findings)
    write_outputs(result, write_to, config, as_of)
    return result


def write_outputs(result: CleanResult, folder: Path, config: RegionConfig, as_of: str) -> None:
    """Write a cleaning run's tables, CSV files, log and provenance into ``folder``.

    A lazy table whose parts are already in ``folder`` (the Dask workers wrote them there)
    is left as it is; a lazy table elsewhere is written part by part
    (:func:`eduanalytics.catalog.write_table`), never gathered.
    """
    out, summary = Path(folder), result.summary
    for name, df in result.tables.items():
        if is_lazy(df) and table_path(out, name).is_dir():
            continue
        write_table(df, out, name)
    write_csv(result.rejected, out / "rejected.csv", mask=("value", "reason", "original"))
    write_csv(result.changes, out / "changes.csv")
    write_csv(result.findings, out / "findings.csv", mask=("message",))
    write_csv(summary, out / "reconciliation.csv")
    (out / "cleaning_log.md").write_text(
        render_log(config.name, config.year, as_of, summary, result.rejected, result.changes,
                   result.findings, sheets=result.sheets), encoding="utf-8")
    (out / PROVENANCE_FILE).write_text(json.dumps(
        _provenance(config, as_of, result.steps, result.table_rows()), ensure_ascii=False,
        indent=2),
        encoding="utf-8")
    t = result.totals
    log.info("cleaned %s %s: %d steps, %d rows in, %d rejected", config.region, config.year,
             len(result.steps), t["rows_in"], t["rows_rejected"])


def _provenance(config: RegionConfig, as_of: str, steps: list[StepResult],
                rows: dict[str, int]) -> dict:
    root = config.root
    files = {}
    for s in steps:
        for p in s.files:
            rel = str(Path(p).resolve().relative_to(root)) if Path(p).resolve().is_relative_to(root) else str(p)
            files[rel] = {"sha256": sha256(Path(p)), "synthetic": s.synthetic, "step": s.step}
    table_synth = {
        "enrolments": any(s.synthetic for s in steps if s.step.startswith("enrolments")),
        "population": any(s.synthetic for s in steps if s.step.startswith("population")),
        "targets": any(s.synthetic for s in steps if s.step.startswith("task_table")),
        "bases": any(s.synthetic for s in steps if s.step.startswith("task_table")),
    }
    return {
        "region": config.region, "name": config.name, "year": config.year, "as_of": as_of,
        "config": str(config.path.relative_to(root)) if config.path.is_relative_to(root) else str(config.path),
        "inputs": files,
        "tables": {name: {"rows": int(n), "synthetic": bool(table_synth.get(name, False))}
                   for name, n in rows.items()},
    }
