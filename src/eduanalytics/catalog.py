"""The data catalog: reading and writing processed tables (as kedro's catalog does).

The only file I/O the analysis side needs. Indicator, schooling, chart and analysis
functions take DataFrames and never call this module; notebooks (through
:mod:`eduanalytics.report.session`), the pipeline and the report do.

A table is ``<folder>/<name>.parquet``: one Parquet file, or a folder of Parquet parts
(``part-00000.parquet`` ...; what the Dask engine's workers write for ``enrolments``).
pyarrow, and so ``pd.read_parquet``, reads such a folder as one table, skipping names that
start with ``_`` or ``.``; :func:`read_table` reads either form into one pandas frame.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from eduanalytics.config import RegionConfig
from eduanalytics.errors import MissingFileError

PROVENANCE_FILE = "provenance.json"


def table_path(folder: Path, name: str) -> Path:
    """Path of processed table ``name`` in ``folder``."""
    return Path(folder) / f"{name}.parquet"


def write_table(df: pd.DataFrame, folder: str | Path, name: str) -> Path:
    """Write a tidy table as Parquet; returns the path written.

    A pandas frame becomes one file. A lazy Dask frame becomes a folder of parts, one per
    partition, written where its partitions are computed (it is never gathered).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = table_path(folder, name)
    if isinstance(df, pd.DataFrame):
        df.to_parquet(path, index=False)
    else:
        df.to_parquet(str(path), write_index=False)
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
        The whole table in memory, also when it is a folder of parts (parts in name order;
        the categories of a categorical column sorted, as in a table written as one file
        by the pandas engine, where the reader would list them in the order met).

    Raises
    ------
    MissingFileError
        When the table has not been written (run ``eduanalytics clean`` first).
    """
    folder = source.processed_dir if isinstance(source, RegionConfig) else Path(source)
    path = table_path(folder, name)
    if not path.exists():
        raise MissingFileError(f"processed table {name!r} not found", file=path,
                               expected="the output of `eduanalytics clean` (run it first)")
    df = pd.read_parquet(path)
    if path.is_dir():
        df = df.assign(**{c: df[c].cat.set_categories(_sorted_categories(df[c].cat.categories))
                          for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})
    return df


def _sorted_categories(cats: pd.Index) -> pd.Index:
    """Categories sorted; text as ``str`` (also when there are none), as the engines hold them."""
    if all(isinstance(c, str) for c in cats):
        return pd.Index(sorted(cats), dtype="str")
    return pd.Index(sorted(cats))


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
    """Every processed table that exists, plus ``provenance`` (a dict) under that key.

    Parameters
    ----------
    source : RegionConfig or path-like
        A region config (its ``data/processed/<region>/<year>``) or a folder.

    Returns
    -------
    dict
        Table name -> DataFrame for each table written by the cleaning step.

    Raises
    ------
    MissingFileError
        When the folder holds no processed tables.
    """
    folder = source.processed_dir if isinstance(source, RegionConfig) else Path(source)
    if not table_path(folder, "enrolments").exists():
        raise MissingFileError("no processed tables found", file=folder,
                               expected="the output of `eduanalytics clean` (run it first)")
    out: dict = {name: read_table(folder, name) for name in TABLES
                 if table_path(folder, name).exists()}
    out["provenance"] = read_provenance(folder)
    return out


def previous_results(cfg: RegionConfig) -> pd.DataFrame | None:
    """Last year's year-end ``results`` table from its report folder, or None."""
    from eduanalytics.config import reports_dir

    path = reports_dir(cfg.region, cfg.year - 1, cfg.root) / "tables" / "06_results.parquet"
    return pd.read_parquet(path) if path.exists() else None
