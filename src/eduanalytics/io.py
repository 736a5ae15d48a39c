"""Reading and writing processed tables (the only file I/O the analysis side needs).

Indicator, schooling and chart functions take DataFrames and never call this module;
notebooks, the pipeline and the report do.
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
