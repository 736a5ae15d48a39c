"""The pandas engine of the register: clean a register piece by piece, in bounded memory.

A register is cleaned as a stream of consecutive pieces (:data:`BATCH_ROWS` rows each,
``inputs.register.batch_rows`` to change it). Each piece goes through
:func:`~eduanalytics.ingest.register_rows.normalise_rows` (row-local, so the answer does not
depend on where the pieces are cut) and is let go; its clean rows are kept COMPACT (the
coded text columns as categoricals: a handful of distinct values whatever the row count),
and so is the ``enrolments`` table this engine returns (a million learners cost tens of
megabytes, not hundreds). Duplicates are found over all rows at the end. The raw cells of
the few duplicate rows, shown in their rejected-row records, are kept while streaming:
:class:`Repeats` marks every clean row whose learner was seen before (a superset of the
duplicates), and only those raw rows are held. The file is read a second time only when
the end needs raw rows that were not kept (rows failing the schema check).

Peak memory is therefore one piece's working set plus the compact clean rows, not a
multiple of the whole register. The Dask engine (:mod:`eduanalytics.ingest.dask_engine`)
shares :func:`finish`.
"""

from __future__ import annotations

import ctypes
import itertools
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.types import union_categoricals

from eduanalytics.arrow_text import dictionary_codes
from eduanalytics.ingest.columnar import BATCH_ROWS, iter_columnar, parquet_parts
from eduanalytics.ingest.core import CHANGE_COLUMNS, REJECT_COLUMNS, StepResult, concat_frames
from eduanalytics.ingest.register_duplicates import find_duplicates
from eduanalytics.ingest.register_rows import (
    RegisterRules,
    duplicate_rejections,
    normalise_rows,
    schema_check,
)
from eduanalytics.privacy import unhex16

#: Clean columns held as categoricals between pieces (few distinct values each).
COMPACT = ("unit_id", "programme", "level_from", "level_to", "batch", "status",
           "register_fail_reason", "mode", "sex", "school_unit_id", "_file")


def _str_category(s: pd.Series) -> pd.Series:
    """A text column as a categorical whose categories are ``str`` (whatever it held)."""
    coded = dictionary_codes(s)
    if coded is not None:
        cats = pd.Index(coded[1].to_pylist(), dtype="str")
        return pd.Series(pd.Categorical.from_codes(coded[0], dtype=pd.CategoricalDtype(cats),
                                                   validate=False), index=s.index)
    if not isinstance(s.dtype, pd.CategoricalDtype):
        return s.astype("str").astype("category")
    if s.cat.categories.dtype != "str":
        return s.cat.rename_categories(pd.Index(s.cat.categories.astype(str), dtype="str"))
    return s


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its :data:`COMPACT` columns as categoricals of ``str`` (the others
    untouched)."""
    cols = {c: _str_category(frame[c]) for c in COMPACT if c in frame.columns}
    return frame.assign(**cols) if cols else frame


def concat_compact(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate compact pieces, uniting the categories of each categorical column, in
    sorted order (a plain ``pd.concat`` would fall back to Python objects when the
    categories differ; sorting makes the result independent of where pieces are cut)."""
    cats = {c: union_categoricals([f[c] for f in frames], sort_categories=True)
            for c in frames[0].columns if isinstance(frames[0][c].dtype, pd.CategoricalDtype)}
    rest = pd.concat([f.drop(columns=list(cats)) for f in frames], ignore_index=True)
    return rest.assign(**{c: pd.Categorical(v) for c, v in cats.items()})[list(frames[0].columns)]


def _sorted_str(s: pd.Series) -> pd.Series:
    """A categorical whose categories are the values present, as sorted ``str``."""
    s = _str_category(s)
    codes, cats = s.cat.codes.to_numpy(), s.cat.categories
    used = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(cats)))  # O(rows), no sort
    order = sorted(range(len(used)), key=lambda i: cats[used[i]])
    recode = np.full(len(cats) + 1, -1, dtype=codes.dtype)  # the last entry: code -1 stays -1
    recode[used[order]] = np.arange(len(order))
    dtype = pd.CategoricalDtype(pd.Index([cats[used[i]] for i in order], dtype="str"))
    return pd.Series(pd.Categorical.from_codes(recode[codes], dtype=dtype, validate=False),
                     index=s.index, name=s.name)


def finish(rules: RegisterRules, files: list[Path], rows_in: int, clean: pd.DataFrame,
           rejected: list[pd.DataFrame], changes: list[pd.DataFrame], dups: pd.DataFrame,
           order: dict[str, int]) -> StepResult:
    """Drop duplicates from the clean rows, order and total everything, reconcile.

    The table's :data:`COMPACT` columns come back categorical, categories being the values
    present, sorted (both engines end here, so they agree on dtypes too)."""
    if len(dups):
        maybe = clean["_row"].isin(dups["_row"])
        gone = pd.MultiIndex.from_frame(dups[["_file", "_row"]].astype({"_file": str, "_row": "int64"}))
        here = pd.MultiIndex.from_arrays([clean.loc[maybe, "_file"].astype(str),
                                          clean.loc[maybe, "_row"].astype("int64")])
        drop = maybe.copy()
        drop[maybe] = here.isin(gone)
        clean = clean.loc[~drop]
    table = compact(clean.drop(columns=[c for c in clean.columns if c.startswith("_")])
                    .reset_index(drop=True))
    # the same categories whichever engine or piece size: the values present, sorted
    table = table.assign(**{c: _sorted_str(table[c]) for c in COMPACT if c in table.columns})
    rej = concat_frames(rejected, REJECT_COLUMNS)
    if len(rej):
        rej = (rej.assign(_part=rej["file"].map(order)).sort_values(["_part", "row"], kind="stable")
               .drop(columns="_part").reset_index(drop=True))
    ch = concat_frames(changes, CHANGE_COLUMNS)
    if len(ch):
        ch = (ch.groupby(["step", "column", "change"], as_index=False)["n"].sum()
              .astype({"n": "int64"})[CHANGE_COLUMNS])
    res = StepResult(step=rules.step, files=list(files), tables={"enrolments": table},
                     rows_in=int(rows_in), rows_clean=len(table), rejected=rej, changes=ch,
                     synthetic=rules.synthetic)
    res.check_reconciles()
    return res


class Repeats:
    """Which clean rows repeat a learner of an earlier row, as a superset: a bitmap of
    ``2**bits`` bits set by the learners' 64-bit keys (one hash, a Bloom filter's simplest
    form; 8 MB by default, whatever the register's size).

    A duplicate (same learner and programme, or the training key) is always marked; a row
    of a new learner is marked by mistake with the chance that its bit is already set (1.5 %
    after a million learners, 14 % after ten million). The marked rows are the ones whose
    raw cells are worth keeping.
    """

    def __init__(self, bits: int = 26) -> None:
        self.bitmap = np.zeros(1 << (bits - 3), dtype=np.uint8)
        self.mask = np.uint64((1 << bits) - 1)

    def mark(self, keys: np.ndarray) -> np.ndarray:
        """True for each key whose bit was set by an earlier call or an earlier key of
        ``keys`` (equal keys always); sets the bits of ``keys``."""
        keys = np.asarray(keys, dtype=np.uint64)
        slot = keys & self.mask
        byte = (slot >> np.uint64(3)).astype(np.intp)
        bit = np.left_shift(1, (slot & np.uint64(7)).astype(np.uint8), dtype=np.uint8)
        seen = (self.bitmap[byte] & bit) != 0
        seen |= pd.Index(keys).duplicated(keep="first")
        while len(byte):  # keys sharing a byte: one write wins per pass, so repeat for the rest
            self.bitmap[byte] |= bit
            lost = (self.bitmap[byte] & bit) == 0
            byte, bit = byte[lost], bit[lost]
        return seen


def rows_of(frame: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` whose row number is among ``rows``' (a small superset of the
    ``_file``/``_row`` pairs wanted: the rejected-record builders match the pairs)."""
    return frame.loc[frame["_row"].isin(rows["_row"])]


def release_memory() -> None:
    """Hand freed memory back to the system between pieces: Arrow's pool, then the C heap
    (glibc's ``malloc_trim``, as Dask's workers do); otherwise each piece's freed working
    set would stay in the process and count towards its peak."""
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (macOS, Windows, musl): nothing to trim
        return None


_LIBC = _glibc()


def run_batches(batches: Iterable[pd.DataFrame], rules: RegisterRules, files: list[Path],
                raw_rows: Callable[[pd.DataFrame], pd.DataFrame]) -> StepResult:
    """The register pipeline (pandas engine) over consecutive pieces of a register.

    Parameters
    ----------
    batches : iterable of DataFrame
        Header-mapped pieces (names dropped) in file order; at least one (maybe empty).
    rules : RegisterRules
        As for :func:`~eduanalytics.ingest.register_rows.normalise_rows`.
    files : list of Path
        The files in order ("earlier" among duplicates follows it).
    raw_rows : callable
        A frame of ``_file``/``_row`` pairs -> those raw (header-mapped) rows (more do no
        harm), for the rejected-row records of duplicates and of rows failing the schema;
        called only for rows that were not kept while streaming (see :class:`Repeats`).

    Returns
    -------
    StepResult
        ``tables["enrolments"]`` (the :data:`COMPACT` columns categorical, categories
        sorted); rejected rows; change counts.
    """
    order = {str(f): i for i, f in enumerate(files)}
    clean, rejected, changes, kept, rows_in = [], [], [], [], 0
    repeats = Repeats()
    for piece in batches:
        out = normalise_rows(piece, rules, check_schema=False)
        # learner keys as their 64-bit integers (one-to-one with the text), kept with the rows
        learners = unhex16(out.clean["learner_key"])
        again = repeats.mark(learners)
        if again.any():  # the raw cells of rows that may turn out to be duplicates
            kept.append(rows_of(piece, out.clean.loc[again, ["_row"]]))
        clean.append(compact(out.clean).assign(_learner=learners))
        rejected.append(out.rejected)
        changes.append(out.changes)
        rows_in += len(piece)
        del piece, out
        release_memory()
    table = concat_compact(clean)
    del clean
    held = kept_rows(kept, raw_rows)
    # the schema checked once over every piece's rows (row by row, so the same answer)
    table, failed = schema_check(table, rules, held)
    rejected.append(failed)
    # grouped on the learner keys' integers: no hashing of a million strings
    keys = table[[*rules.key_cols, "_file", "_row"]].assign(learner_key=table["_learner"])
    dups = find_duplicates(keys, rules.key_cols, order)
    release_memory()
    if len(dups):
        rejected.append(duplicate_rejections(held(dups[["_file", "_row"]]), dups, rules))
    return finish(rules, files, rows_in, table, rejected, changes, dups, order)


def _pairs(frame: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([frame["_file"].astype(str).to_numpy(),
                                      frame["_row"].to_numpy(dtype=np.int64)])


def kept_rows(kept: list[pd.DataFrame], raw_rows: Callable[[pd.DataFrame], pd.DataFrame]
              ) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """``_file``/``_row`` pairs -> raw rows: from the rows kept while streaming, and from
    ``raw_rows`` (a second read) only for pairs that were not kept."""
    held = pd.concat(kept, ignore_index=True) if kept else None

    def rows(wanted: pd.DataFrame) -> pd.DataFrame:
        if held is None:
            return raw_rows(wanted[["_file", "_row"]])
        missing = wanted.loc[~_pairs(wanted).isin(_pairs(held))]
        if not len(missing):
            return held
        return pd.concat([held, raw_rows(missing[["_file", "_row"]])], ignore_index=True)

    return rows


def run_pandas(df: pd.DataFrame, rules: RegisterRules, files: list[Path],
               batch_rows: int = BATCH_ROWS) -> StepResult:
    """The register pipeline on a frame already in memory (an xlsx sheet), in slices."""
    slices = (df.iloc[i:i + batch_rows] for i in range(0, max(len(df), 1), batch_rows))
    return run_batches(slices, rules, files, lambda rows: df)


def prefetched(items: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """``items`` in order, each read one step ahead on a background thread: while one
    piece is cleaned, the next is read and parsed (pyarrow does that without holding
    Python's global lock, so a second core does it). At most one piece waits, and an
    error while reading is raised here, in order."""
    ready: queue.Queue = queue.Queue(maxsize=1)
    turn, stop, end = threading.Semaphore(0), threading.Event(), object()

    def read() -> None:
        try:
            for item in items:
                ready.put(item)
                turn.acquire()  # the next piece only once this one has been taken
                if stop.is_set():
                    return
            ready.put(end)
        except BaseException as exc:  # handed to the consumer, raised there
            ready.put(_Failed(exc))

    worker = threading.Thread(target=read, name="eduanalytics-prefetch", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not end:
            turn.release()
            if isinstance(item, _Failed):
                raise item.exc
            yield item
            del item
    finally:
        stop.set()
        turn.release()
        while worker.is_alive():  # unblock a reader waiting to hand over a piece
            try:
                ready.get(timeout=0.05)
            except queue.Empty:
                pass
            turn.release()


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def run_streamed(path: Path, encoding: str | None, batch_rows: int,
                 prepare: Callable[[pd.DataFrame], pd.DataFrame],
                 make_rules: Callable[[list[str]], RegisterRules]) -> StepResult:
    """A CSV / Parquet register (file or folder of parts), streamed piece by piece.

    Parameters
    ----------
    path : Path
        The register.
    encoding : str, optional
        CSV only (default sniffed).
    batch_rows : int
        Rows per piece.
    prepare : callable
        Raw piece -> header-mapped piece, names dropped (raises for a missing column).
    make_rules : callable
        The prepared columns -> :class:`RegisterRules`.

    Returns
    -------
    StepResult
    """
    def pieces() -> Iterator[pd.DataFrame]:
        return (prepare(raw) for raw in iter_columnar(path, encoding, batch_rows))

    stream = prefetched(pieces())
    first = next(stream)
    rules = make_rules(list(first.columns))
    files = (parquet_parts(path) if path.is_dir() or path.suffix.lower() in (".parquet", ".pq")
             else [path])

    def again(rows: pd.DataFrame) -> pd.DataFrame:
        found = []
        for piece in pieces():
            found.append(rows_of(piece, rows))
            del piece
            release_memory()
        return pd.concat(found, ignore_index=True)

    return run_batches(itertools.chain([first], stream), rules, files, again)
