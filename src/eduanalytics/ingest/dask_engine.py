"""The register pipeline on Dask: a partitioned Parquet register, one partition per file.

Identical to the pandas engine by construction, and built so that only small things travel
between processes. One task per partition reads the file, maps its headers and runs the
SAME pandas function as the pandas engine
(:func:`eduanalytics.ingest.register_rows.normalise_rows`); it returns its change counts,
keeps its rejected rows, its raw rows and its clean rows (in the worker's memory, or, when
an output folder is given, the clean rows as a Parquet file and the raw rows not at all)
and splits the clean rows' duplicate keys (``key_cols``, part number, row number) into a
fixed number of buckets by a hash of ``learner_key``. Every row of a learner lands in the
same bucket, so one task per bucket finds the duplicates exactly, with the same
:func:`find_duplicates`, and hands each partition its own. A last task per partition says
which of its clean rows are duplicates, writes their rejected-row records from their raw
rows (held, or read again from the file by row number) and orders all its rejected records
as the pandas engine does, so that the client only chains the parts' records.

The clean rows travel to the client as soon as their first pass ends, while the duplicates
are searched, and the client puts them together in part order leaving the duplicates out
as it copies (:func:`~eduanalytics.ingest.clean_table.concat_compact`; Arrow-backed text
is not copied: measured at 10M rows, dictionary-encoding the text for the trip and
decoding it on the client cost 4.8 CPU-s there, chaining plain frames 0.6 s). With
``out_dir`` the workers drop the duplicates and write the clean table as Parquet parts
(``part-00000.parquet`` ... in partition order), never held by one process: a worker
holds one partition at a time, so the register may be larger than any process's memory.
The client gathers each task's result as it completes, never all of them in one message.

Runs on a local cluster (``distributed.LocalCluster``) by default, an existing cluster
given its address, or one of dask's own schedulers (``"synchronous"`` for tests).
"""

from __future__ import annotations

import functools
import importlib
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from eduanalytics.errors import ConfigError
from eduanalytics.ingest.core import StepResult
from eduanalytics.ingest.register_duplicates import ROW_BITS, among, file_positions, find_duplicates
from eduanalytics.ingest.register_rows import (
    RegisterRules,
    duplicate_rejections,
    normalise_rows,
)
from eduanalytics.ingest.register_workers import release_memory, rows_numbered

#: Most buckets of the duplicate search (at most one per partition).
MAX_BUCKETS = 32
#: Under out_dir during a run. "_" prefixed: pyarrow (and so pandas) skips it when reading
#: the folder, but dask.dataframe.read_parquet (2026.8) reads it: removed before that.
_CANDIDATES = "_candidates"
#: Arrow type of the coded columns in the written parts (the same in every part).
TEXT_CODES = pa.dictionary(pa.int32(), pa.large_string())
#: Settings of the clusters this module starts (a batch job of long single-threaded tasks):
#: no per-task statistical profiler, and the event-loop tick, system and memory monitors
#: and work stealing checked every second instead of every 20-500 ms. Measured on 2 cores:
#: an idle local cluster of 4 workers then burns 0.04 CPU-s per second instead of 0.24.
#: And glibc's malloc left to its defaults in the workers (dask sets
#: ``MALLOC_TRIM_THRESHOLD_``, which also fixes the size from which malloc maps fresh pages
#: at 128 kB, so every array of a partition is faulted in from the system and handed back
#: when freed); each task hands its freed memory back once, as it ends, instead.
LOCAL_CLUSTER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing-interval": "1s",
    # each worker imports the pipeline as it starts (:func:`dask_setup`), not in its first task
    "distributed.worker.preload": [__name__],
}


#: What the tasks run, imported by each worker before its first task: header mapping, rules
#: and finish (pandas, pyarrow), the schemas (pandera) and pandera's checks for pandas
#: (otherwise imported at a process's first validation).
WORKER_MODULES = ("pyarrow.parquet", "eduanalytics.ingest.register", "eduanalytics.tables.schemas",
                  "pandera.backends.pandas.builtin_checks")


def dask_setup(worker: object) -> None:
    """Run by each worker of the engine's local cluster as it starts (dask's preload hook):
    import :data:`WORKER_MODULES` (nothing left to do for a worker forked from the fork
    server, :func:`_forked_workers`). Measured on 2 cores, 10M rows: four workers importing
    them in their first tasks held the first pass up by about 5 s."""
    for module in WORKER_MODULES:
        importlib.import_module(module)


@contextmanager
def dask_client(scheduler: str | None = None, n_workers: int | None = None,
                memory_limit: str | int | None = None):
    """A Dask client: a new local cluster (default), an existing one by address, or none
    for ``"synchronous"``/``"threads"``/``"processes"`` (dask's own schedulers).

    Parameters
    ----------
    scheduler : str, optional
        ``tcp://host:port`` of a running scheduler, a dask scheduler name, or None for a
        new ``LocalCluster`` (one thread per worker, no dashboard,
        :data:`LOCAL_CLUSTER_CONFIG`).
    n_workers : int, optional
        Workers of the new local cluster (default: dask's choice from the cores).
    memory_limit : str or int, optional
        Per-worker memory limit of the new local cluster (dask's ``"auto"`` by default).
    """
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
    with dask.config.set(LOCAL_CLUSTER_CONFIG), _forked_workers(), \
            LocalCluster(n_workers=n_workers, threads_per_worker=1, dashboard_address=None,
                         memory_limit=memory_limit or "auto") as cluster, Client(cluster) as client:
        yield client


#: Modules the local cluster's fork server imports once for all its workers.
FORK_SERVER_PRELOAD = ("distributed", *WORKER_MODULES, __name__)


@contextmanager
def _forked_workers():
    """Start the local cluster's workers from a fork server that has imported the pipeline
    (:data:`FORK_SERVER_PRELOAD`) once, where the platform has one (Linux, macOS), instead of
    each worker starting a new interpreter and importing it again (dask's default, "spawn").

    The fork server is a fresh single-threaded process (forking this process, whose client
    runs threads, could deadlock), started at the first cluster and reused by later ones.
    Measured on 2 cores, 4 workers: the cluster up in 1.5 s instead of 3.9 s, each worker
    0.07 CPU-s instead of 1.6-1.8. Elsewhere (Windows) dask's default stays.
    """
    import multiprocessing

    import dask

    if "forkserver" not in multiprocessing.get_all_start_methods():
        yield
        return
    from distributed.utils import get_mp_context

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        # dask sets its own preload list at its first forkserver context: ours replaces it
        # (a fork server already running keeps the list it started with)
        get_mp_context().set_forkserver_preload(list(FORK_SERVER_PRELOAD))
        yield


def run_dask(path: str | Path, make_rules: Callable[[list[str]], RegisterRules],
             prepare: Callable[[pd.DataFrame], pd.DataFrame], scheduler: str | None = None,
             n_workers: int | None = None, out_dir: str | Path | None = None,
             memory_limit: str | int | None = None) -> StepResult:
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
    out_dir : path-like, optional
        Write the clean table here as Parquet parts, one per partition, instead of
        returning it: for a register larger than memory. Must not hold Parquet files yet.
    memory_limit : str or int, optional
        Per-worker memory limit of the local cluster.

    Returns
    -------
    StepResult
        The same as the pandas engine's on the same files. With ``out_dir``,
        ``tables["enrolments"]`` is a lazy ``dask.dataframe`` over the written parts
        (``rows_clean`` counts them).
    """
    import dask
    import pyarrow.parquet as pq

    from eduanalytics.ingest.columnar import arrow_to_frame, parquet_parts
    from eduanalytics.ingest.register import finish
    from eduanalytics.ingest.register_batches import few_valued_columns

    files = parquet_parts(path)
    names = [str(p) for p in files]
    order = {f: i for i, f in enumerate(names)}
    schema = pq.read_schema(files[0])
    meta = prepare(arrow_to_frame(schema.empty_table(), files[0], 1))
    rules = make_rules(list(meta.columns))
    out = _prepare_out_dir(out_dir)
    n_buckets = max(1, min(len(names), MAX_BUCKETS))
    coded = few_valued_columns(prepare, schema.names)  # read as categoricals
    first = [dask.delayed(_first_pass, nout=_FIRST + n_buckets, pure=False)(
        name, i, prepare, rules, n_buckets, out, coded) for i, name in enumerate(names)]
    dups = [dask.delayed(_bucket_duplicates, nout=len(names), pure=False)(
        [f[_FIRST + b] for f in first], names, rules.key_cols) for b in range(n_buckets)]
    second = [dask.delayed(_second_pass, pure=False)(
        first[i][1], first[i][2], first[i][3], name, i, prepare, rules, [d[i] for d in dups], out)
        for i, name in enumerate(names)]
    # the clean rows (held by the first pass) travel to the client while the duplicates are
    # searched, not after
    held = [f[1] for f in first] if out is None else []
    with dask_client(scheduler, n_workers, memory_limit) as client:
        results = _gather(client, [f[0] for f in first] + held + second)
    summaries, finals = results[:len(names)], results[-len(names):]
    # each part's records come sorted by row, the parts in order: finish's sort moves nothing
    rejected = [f[1] for f in finals]
    changes = [s[0] for s in summaries]
    rows_in = sum(s[1] for s in summaries)
    if out is None:
        clean = _concat_clean(results[len(names):2 * len(names)], [f[0] for f in finals])
        return finish(rules, files, rows_in, clean, rejected, changes, order)
    shutil.rmtree(out / _CANDIDATES, ignore_errors=True)
    n_clean = sum(f[0] for f in finals)
    res = finish(rules, files, rows_in, pd.DataFrame(index=pd.RangeIndex(n_clean)), rejected,
                 changes, order)
    res.tables["enrolments"] = read_parts(out)
    return res


def read_parts(folder: str | Path):
    """A lazy Dask frame over the clean table's parts in ``folder`` (as :func:`run_dask`
    writes them with ``out_dir``).

    A part whose coded column is blank throughout holds it as a categorical without
    categories, which pandas types as ``object`` where the other parts' categories are
    ``str``; Dask refuses to unite the two when it concatenates partitions, so those are
    made ``str`` as each partition is read.

    Returns
    -------
    dask.dataframe.DataFrame
    """
    import dask.dataframe as dd

    return dd.read_parquet(str(folder)).map_partitions(_str_empty_categories)


def _str_empty_categories(part: pd.DataFrame) -> pd.DataFrame:
    empty = {c: pd.CategoricalDtype(pd.Index([], dtype="str")) for c in part.columns
             if isinstance(part[c].dtype, pd.CategoricalDtype) and not len(part[c].cat.categories)}
    return part.astype(empty) if empty else part


def _gather(client, tasks: list) -> list:
    """Compute the tasks; with a distributed client, fetch each result as its task
    completes (the client never receives every part's results in one message)."""
    import dask

    if client is None:
        return list(dask.compute(*tasks))
    from distributed import as_completed

    futures = client.compute(tasks)
    where = {f.key: i for i, f in enumerate(futures)}
    out: list = [None] * len(futures)
    for f in as_completed(futures):
        out[where[f.key]] = f.result()
        f.release()
    return out


def _concat_clean(pieces: list[pd.DataFrame], keep: list[np.ndarray | None]) -> pd.DataFrame:
    """The parts' compact clean rows in part order, each part's ``keep`` rows (None: all;
    the duplicates left out as the rows are copied), their categories united (an empty part
    is left out so that it cannot change a column's dtype)."""
    from eduanalytics.ingest.clean_table import concat_compact

    full = [(p, k) for p, k in zip(pieces, keep, strict=True) if len(p)] or [(pieces[0], None)]
    return concat_compact([p for p, _ in full], [k for _, k in full],
                          [c for c in pieces[0].columns if c != "_row"])


def _prepare_out_dir(out_dir: str | Path | None) -> Path | None:
    if out_dir is None:
        return None
    out = Path(out_dir)
    if out.exists() and any(out.glob("*.parquet")):
        raise ConfigError(f"output folder {out} already holds Parquet files", key="out_dir",
                          allowed="a new or empty folder")
    (out / _CANDIDATES).mkdir(parents=True, exist_ok=True)
    return out


def _part_file(out: Path, i: int, candidate: bool = False) -> Path:
    return (out / _CANDIDATES if candidate else out) / f"part-{i:05d}.parquet"


def _releasing(task: Callable) -> Callable:
    """``task`` handing the memory it freed back to the system as it ends (see
    :data:`LOCAL_CLUSTER_CONFIG`)."""
    @functools.wraps(task)
    def run(*args: object) -> object:
        try:
            return task(*args)
        finally:
            release_memory()

    return run


#: Outputs of :func:`_first_pass` before its buckets.
_FIRST = 4


@_releasing
def _first_pass(name: str, i: int, prepare: Callable[[pd.DataFrame], pd.DataFrame],
                rules: RegisterRules, n_buckets: int, out: Path | None,
                coded: tuple[str, ...] = ()) -> tuple:
    """Read, map and normalise one partition (one task).

    Returns ``(summary, clean, raw, rejected, *buckets)``: ``summary`` = (change counts,
    rows in); ``clean`` = the clean rows, compact, with ``_row`` (or the path they were
    written to, with ``out``); ``raw`` = the header-mapped raw rows, for the duplicates'
    records (None with ``out``: read again then, so that a worker never holds more than
    the partition at hand); ``rejected`` = the rejected-row records; each bucket = the
    duplicate keys of the clean rows whose ``learner_key`` hashes to it.
    """
    from eduanalytics.ingest.clean_table import compact
    from eduanalytics.ingest.columnar import read_parquet_part

    raw = prepare(read_parquet_part(name, coded))
    outcome = normalise_rows(raw, rules)
    clean = outcome.clean
    # learner keys travel as their 64-bit integers (one-to-one with the text, half the bytes)
    learner = clean["_learner"].to_numpy()
    keys = compact(clean[rules.key_cols]).assign(
        learner_key=learner, _part=np.int32(i), _row=clean["_row"].to_numpy(np.int64))
    # equal keys have an equal learner_key, already a keyed hash: they share a bucket
    bucket = (learner % np.uint64(n_buckets)).astype(np.int64)
    sort = np.argsort(bucket, kind="stable")
    bounds = np.searchsorted(bucket[sort], np.arange(n_buckets + 1))
    pieces = [keys.iloc[sort[bounds[b]:bounds[b + 1]]].reset_index(drop=True)
              for b in range(n_buckets)]
    held = clean.drop(columns=[c for c in clean.columns if c.startswith("_") and c != "_row"])
    if out is None:
        held = compact(held)
    else:
        held.to_parquet(_part_file(out, i, candidate=True), index=False)
        held, raw = _part_file(out, i, candidate=True), None
    return ((outcome.changes, outcome.rows_in), held, raw, outcome.rejected, *pieces)


def _bucket_duplicates(pieces: list[pd.DataFrame], names: list[str],
                       key_cols: list[str]) -> tuple[pd.DataFrame, ...]:
    """The duplicates among one bucket's keys (all partitions), split by partition."""
    from eduanalytics.ingest.clean_table import concat_compact

    keys = concat_compact(pieces)  # the programmes' categories united, not Python objects
    keys["_file"] = pd.Categorical.from_codes(keys.pop("_part").to_numpy(), names)
    order = {n: i for i, n in enumerate(names)}
    dups = find_duplicates(keys, key_cols, order)
    if dups.empty:
        return tuple(dups for _ in names)
    part = file_positions(dups, order) >> ROW_BITS  # each name looked up once, not per row
    return tuple(dups.loc[part == p].reset_index(drop=True) for p in range(len(names)))


@_releasing
def _second_pass(clean: pd.DataFrame | Path, raw: pd.DataFrame | None, rejected: pd.DataFrame,
                 name: str, i: int, prepare: Callable[[pd.DataFrame], pd.DataFrame],
                 rules: RegisterRules, dup_pieces: list[pd.DataFrame], out: Path | None) -> tuple:
    """One partition's duplicates: which clean rows to keep, and all its rejected-row records.

    Returns ``(kept, rejected)``: ``kept`` says which of the part's clean rows are not
    duplicates (None: all), for the client, which has the clean rows already and leaves the
    others out as it puts the parts together (one copy of each kept value, not two); with
    ``out``, the number of rows written, without the duplicates, to the part's Parquet file.
    ``rejected``: the records of the first pass and of the duplicates, in the order the
    pandas engine gives them (by row, stably), or None.
    """
    dups = pd.concat(dup_pieces, ignore_index=True) if dup_pieces else pd.DataFrame()
    if out is not None:
        clean = pd.read_parquet(clean)
    keep = None
    if len(dups):
        rows = dups["_row"].to_numpy(np.int64)
        keep = ~among(clean["_row"].to_numpy(np.int64), rows)
        raw = _raw_rows(name, rows, prepare) if raw is None else rows_numbered(raw, rows)
        dup_rej = duplicate_rejections(raw, dups, rules)
        rejected = pd.concat([f for f in (rejected, dup_rej) if not f.empty] or [rejected],
                             ignore_index=True)
    if len(rejected):
        rejected = rejected.iloc[np.argsort(rejected["row"].to_numpy(np.int64), kind="stable")]
    rejected = rejected.reset_index(drop=True) if len(rejected) else None
    if out is None:
        return keep, rejected
    clean = clean.drop(columns="_row")
    clean = clean if keep is None else clean.loc[keep].reset_index(drop=True)
    _write_part(clean, _part_file(out, i))
    return len(clean), rejected


def _write_part(clean: pd.DataFrame, path: Path) -> None:
    """Write one part of the clean table, its coded (:data:`COMPACT`) columns as
    dictionary-encoded text of the values present, whatever the part holds.

    Every part then has one schema: readers of the folder (pyarrow, ``pd.read_parquet``,
    Dask) take the schema of one part, and a coded column left blank in that part would
    otherwise be Arrow's null type there (measured, pyarrow 26: the other parts' values
    of that column then read back as nulls, without an error).
    """
    import pyarrow.parquet as pq

    from eduanalytics.ingest.clean_table import COMPACT

    coded = [c for c in clean.columns if c in COMPACT]
    clean = clean.assign(**{c: clean[c].cat.remove_unused_categories() for c in coded
                            if isinstance(clean[c].dtype, pd.CategoricalDtype)})
    table = pa.Table.from_pandas(clean, preserve_index=False)
    schema = table.schema
    for c in coded:
        schema = schema.set(schema.get_field_index(c), pa.field(c, TEXT_CODES))
    pq.write_table(table.cast(schema), path)


def _raw_rows(name: str, rows: np.ndarray, prepare: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
    """The header-mapped raw rows of a partition with these row numbers (1-based)."""
    import pyarrow.parquet as pq

    from eduanalytics.ingest.columnar import arrow_to_frame

    want = np.unique(rows)
    table = pq.read_table(name).take(pa.array(want - 1))
    frame = arrow_to_frame(table, name, 1)
    frame["_row"] = want
    return prepare(frame)
