"""The data catalog: reading and writing processed tables (as kedro's catalog does).

The only file I/O the analysis side needs. Indicator, schooling, chart and analysis
functions take DataFrames and never call this module; notebooks (through
:mod:`eduanalytics.report.session`), the pipeline and the report do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from eduanalytics.config import RegionConfig

PROVENANCE_FILE = "provenance.json"


def table_path(folder: Path, name: str) -> Path:
    """Path of processed table ``name`` in ``folder``."""
    return Path(folder) / f"{name}.parquet"


def write_table(df: pd.DataFrame, folder: str | Path, name: str) -> Path:
    """Write a tidy table as Parquet; returns the path written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = table_path(folder, name)
    df.to_parquet(path, index=False)
    return path


def read_table(source: RegionConfig | str | Path, name: str) -> pd.DataFrame:
    """Read processed table ``name``.

    Parameters
    ----------
    source : RegionConfig or path-like
        A region config (reads ``data/processed/<region>/<year>``) or a folder.
    name : str
        Table name, e.g. ``"enrolments"``.

    Returns
    -------
    pandas.DataFrame
    """
    folder = source.processed_dir if isinstance(source, RegionConfig) else Path(source)
    path = table_path(folder, name)
    if not path.exists():
        raise FileNotFoundError(
            f"processed table {name!r} not found at {path}; run `eduanalytics clean` first"
        )
    return pd.read_parquet(path)


def read_provenance(source: RegionConfig | str | Path) -> dict[str, Any]:
    """Read ``provenance.json`` (sources, hashes, synthetic flags) of a processed folder."""
    folder = source.processed_dir if isinstance(source, RegionConfig) else Path(source)
    path = Path(folder) / PROVENANCE_FILE
    if not path.exists():
        return {"tables": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def is_synthetic(provenance: dict[str, Any], *tables: str) -> bool:
    """True when any of ``tables`` (all tables if none named) holds generated data."""
    entries = provenance.get("tables", {})
    names = tables or tuple(entries)
    return any(bool(entries.get(t, {}).get("synthetic")) for t in names)


#: Processed tables the analyses may use, in the order the pipeline writes them.
TABLES = ("units", "targets", "bases", "enrolments", "population", "census_county",
          "census_reported", "plan_indicators", "ce_targets")


def load_tables(source: RegionConfig | str | Path) -> dict[str, pd.DataFrame]:
    """Every processed table that exists, plus ``provenance`` (a dict) under that key.\n\n    Parameters\n    ----------\n    source : RegionConfig or path-like\n        A region config (its ``data/processed/<region>/<year>``) or a folder.\n\n    Returns\n    -------\n    dict\n        Table name -> DataFrame for each table written by the cleaning step.\n    """
    out: dict = {}
    for name in TABLES:
        try:
            out[name] = read_table(source, name)
        except FileNotFoundError:
            continue
    if "enrolments" not in out:
        raise FileNotFoundError("no processed tables found; run `eduanalytics clean` first")
    out["provenance"] = read_provenance(source)
    return out


def previous_results(cfg: RegionConfig) -> pd.DataFrame | None:
    """Last year's year-end ``results`` table from its report folder, or None."""
    from eduanalytics.config import reports_dir

    path = reports_dir(cfg.region, cfg.year - 1, cfg.root) / "tables" / "06_results.parquet"
    return pd.read_parquet(path) if path.exists() else None
