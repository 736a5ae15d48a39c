"""The register pipeline on Dask: a partitioned Parquet register, one partition per file.

Identical to the pandas engine by construction: each partition goes through the SAME
pandas function (:func:`eduanalytics.ingest.register_rows.normalise_rows`); duplicates,
which need every row, are found exactly by shuffling the clean rows' keys on
``learner_key`` (every row of a learner lands in one partition) and running the same
:func:`find_duplicates` there; the duplicates' rejected-row records come from a second,
filtering pass over the raw partitions. Runs on a local cluster
(``distributed.LocalCluster``) by default, an existing cluster given its address, or
``scheduler="synchronous"`` (in-process, for tests).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from eduanalytics.ingest.core import StepResult
from eduanalytics.ingest.register_rows import (
    RegisterRules,
    RowsOutcome,
    duplicate_rejections,
    find_duplicates,
    normalise_rows,
)


@contextmanager
def dask_client(scheduler: str | None = None, n_workers: int | None = None):
    """A Dask client: a new local cluster (default), an existing one by address, or none
    for ``"synchronous"``/``"threads"``/``"processes"`` (dask's own schedulers)."""
    import dask

    if scheduler in ("synchronous", "threads", "processes"):
        with dask.config.set(scheduler=scheduler):
            yield None
        return
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


def _read_prepared(path: str, prepare: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
    from eduanalytics.ingest.columnar import read_parquet_part

    return prepare(read_parquet_part(path))


def _rows_of(prepared: pd.DataFrame, dups: pd.DataFrame) -> pd.DataFrame:
    keys = dups[["_file", "_row"]]
    return prepared.assign(_file=prepared["_file"].astype(str)).merge(keys, on=["_file", "_row"])


def run_dask(path: str | Path, make_rules: Callable[[list[str]], RegisterRules],
             prepare: Callable[[pd.DataFrame], pd.DataFrame], scheduler: str | None = None,
             n_workers: int | None = None) -> StepResult:
    """Run the register pipeline over a partitioned Parquet register on Dask.

    Parameters
    ----------
    path : path-like
        A folder of Parquet parts (or one Parquet file: one partition).
    make_rules : callable
        Columns of the prepared frame -> :class:`RegisterRules`.
    prepare : callable
        Raw part -> header-mapped part (names dropped); raises for a missing column.
    scheduler : str, optional
        Scheduler address; ``"synchronous"`` for in-process; default a new LocalCluster.
    n_workers : int, optional
        Workers of the local cluster.

    Returns
    -------
    StepResult
        The same as the pandas engine's on the same files.
    """
    import dask
    import dask.dataframe as dd
    import pyarrow.parquet as pq

    from eduanalytics.ingest.columnar import arrow_to_frame, parquet_parts
    from eduanalytics.ingest.register import finish

    files = parquet_parts(path)
    names = [str(p) for p in files]
    order = {f: i for i, f in enumerate(names)}
    meta = prepare(arrow_to_frame(pq.read_schema(files[0]).empty_table(), files[0], 1))
    rules = make_rules(list(meta.columns))
    with dask_client(scheduler, n_workers):
        ddf = dd.from_map(_read_prepared, names, prepare=prepare, meta=meta,
                          divisions=[None] * (len(names) + 1), enforce_metadata=False)
        ddf = ddf.persist()  # read and header-mapped once; the duplicates' pass reuses it
        outcomes = [dask.delayed(normalise_rows)(part, rules) for part in ddf.to_delayed()]
        outcomes = dask.persist(*outcomes)
        key_cols = [*rules.key_cols, "_file", "_row"]
        key_meta = normalise_rows(meta, rules).clean[key_cols]
        keys = dd.from_delayed([dask.delayed(_clean_keys)(o, key_cols) for o in outcomes],
                               meta=key_meta, verify_meta=False)
        if keys.npartitions > 1:
            keys = keys.shuffle(on="learner_key", npartitions=keys.npartitions, shuffle_method="tasks")
        dup_meta = find_duplicates(key_meta, rules.key_cols, order)
        dups = keys.map_partitions(find_duplicates, rules.key_cols, order, meta=dup_meta).compute()
        dups = dups.astype({"_file": str, "_row": "int64"})
        raw_dups = ddf.map_partitions(_rows_of, dups, meta=_rows_of(meta, dups.head(0))).compute()
        results = dask.compute(*[dask.delayed(_parts)(o) for o in outcomes])
    clean = pd.concat([r[0] for r in results], ignore_index=True)
    rows_in = sum(r[3] for r in results)
    dup_rej = duplicate_rejections(_sorted(raw_dups, order), dups, rules)
    return finish(rules, files, rows_in, clean, [r[1] for r in results] + [dup_rej],
                  [r[2] for r in results], dups, order)


def _clean_keys(outcome: RowsOutcome, cols: list[str]) -> pd.DataFrame:
    return outcome.clean[cols]


def _parts(outcome: RowsOutcome) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    return outcome.clean, outcome.rejected, outcome.changes, outcome.rows_in


def _sorted(rows: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    return (rows.assign(_part=rows["_file"].astype(str).map(order))
            .sort_values(["_part", "_row"], kind="stable").drop(columns="_part"))
