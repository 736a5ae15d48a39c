"""The pandas engine of the register: clean a register piece by piece, in bounded memory.

A register is cleaned as a stream of consecutive pieces (:data:`BATCH_ROWS` rows each,
:data:`WORKER_BATCH_ROWS` on worker processes, ``inputs.register.batch_rows`` to change
it). Each piece goes through
:func:`~eduanalytics.ingest.register_rows.normalise_rows` (row-local, so the answer does not
depend on where the pieces are cut) and is let go; its clean rows are kept COMPACT (the
coded text columns as categoricals: a handful of distinct values whatever the row count),
and so is the ``enrolments`` table this engine returns (a million learners cost tens of
megabytes, not hundreds). Duplicates are found over all rows at the end. The raw cells of
the few duplicate rows, shown in their rejected-row records, are kept while streaming:
:class:`Repeats` marks every clean row whose learner was seen before (a superset of the
duplicates), and only those raw rows are held (every other rejected row gets its record,
schema check included, while its piece is at hand). The file would be read a second time
only for a duplicate whose raw row was not kept, which the bitmap rules out.

Peak memory is therefore one piece's working set plus the compact clean rows, not a
multiple of the whole register.

A long register's pieces are cleaned on several processes at once
(:class:`~eduanalytics.ingest.register_workers.SpanCleaner`, ``inputs.register.workers``;
by default one per core from five million rows): each worker reads spans of the file
(:func:`~eduanalytics.ingest.spans.plan_spans`) and cleans them with its own copy of
the rules, holding their raw rows until this process, which takes the outcomes in file
order and marks repeats, says which to send back; this process does everything after the
last piece. The answer is the same on any number of workers. Duplicates are searched only
among the learners :class:`Repeats` saw more than once.

The Dask engine (:mod:`eduanalytics.ingest.dask_engine`) shares :func:`finish`.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from eduanalytics.arrow_text import TEXT, arrow_strings, text_array
from eduanalytics.errors import EduError
from eduanalytics.ingest.clean_table import COMPACT, _sorted_str, by_column, compact, concat_compact
from eduanalytics.ingest.columnar import (
    BATCH_ROWS,
    WORKER_BATCH_ROWS,
    csv_columns,
    estimate_rows,
    is_parquet,
    iter_columnar,
    parquet_columns,
    parquet_parts,
)
from eduanalytics.ingest.core import CHANGE_COLUMNS, REJECT_COLUMNS, StepResult, concat_frames
from eduanalytics.ingest.register_duplicates import among, file_positions, find_duplicates
from eduanalytics.ingest.register_rows import (
    FEW_VALUES,
    RegisterRules,
    duplicate_rejections,
    normalise_rows,
)
from eduanalytics.ingest.register_workers import (
    Here,
    SpanCleaner,
    prefetched,
    release_memory,
    rows_numbered,
    worker_count,
)
from eduanalytics.ingest.spans import Span, plan_spans, read_span


def in_file_order(rej: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """Rejected records ordered by file (``order``), then row, stably (a row's records
    keep their order); the frame itself when they already are. Text columns are taken
    as whole Arrow arrays."""
    codes, files = pd.factorize(rej["file"])
    part = np.array([order.get(f, len(order)) for f in files], dtype=np.int64)[codes]
    at = np.lexsort((rej["row"].to_numpy(dtype=np.int64), part))
    if (at == np.arange(len(at))).all():
        return rej.reset_index(drop=True)
    taken = pa.array(at)
    return pd.DataFrame(by_column(lambda c: text_array(arrow_strings(rej[c]).take(taken))
                                  if rej[c].dtype == TEXT else rej[c].to_numpy()[at], list(rej.columns)),
                        copy=False)


def finish(rules: RegisterRules, files: list[Path], rows_in: int, clean: pd.DataFrame,
           rejected: list[pd.DataFrame], changes: list[pd.DataFrame],
           order: dict[str, int]) -> StepResult:
    """Order and total everything, reconcile: the clean rows (duplicates already left out)
    and the rejected records of every piece.

    The table's :data:`COMPACT` columns come back categorical, categories being the values
    present, sorted (both engines end here, so they agree on dtypes too)."""
    table = clean.drop(columns=[c for c in clean.columns if c.startswith("_")])
    table = compact(table.reset_index(drop=True))
    # the same categories whichever engine or piece size: the values present, sorted
    table = table.assign(**by_column(lambda c: _sorted_str(table[c]), [c for c in COMPACT if c in table.columns]))
    rej = concat_frames(rejected, REJECT_COLUMNS)
    if len(rej):
        rej = in_file_order(rej, order)
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
    form).

    A duplicate (same learner and programme, or the training key) is always marked; a row
    of a new learner is marked by mistake with the chance that its bit is already set: about
    ``n / 2**bits`` after ``n`` learners (:meth:`for_rows` sizes the bitmap for 3 % or less
    up to eight million). The marked rows are the ones whose raw cells are worth keeping,
    and the only learners among whom duplicates are searched.
    """

    def __init__(self, bits: int = 26) -> None:
        self.bitmap = np.zeros(1 << (bits - 3), dtype=np.uint8)
        self.mask = np.uint64((1 << bits) - 1)

    @classmethod
    def for_rows(cls, rows: int) -> Repeats:
        """A bitmap of about 32 bits per expected row: 4 MB for a million rows, at most
        32 MB (2**28 bits; 4 % marked by mistake after ten million learners), at least
        128 kB."""
        return cls(bits=min(max(int(rows).bit_length() + 5, 20), 28))

    def _slots(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        slot = np.asarray(keys, dtype=np.uint64) & self.mask
        byte = (slot >> np.uint64(3)).astype(np.intp)
        return byte, np.left_shift(1, (slot & np.uint64(7)).astype(np.uint8), dtype=np.uint8)

    def contains(self, keys: np.ndarray) -> np.ndarray:
        """True for each key whose bit is set (every key added, and some others)."""
        byte, bit = self._slots(keys)
        return (self.bitmap[byte] & bit) != 0

    def add(self, keys: np.ndarray) -> None:
        """Set the bits of ``keys``."""
        byte, bit = self._slots(keys)
        while len(byte):  # keys sharing a byte: one write wins per pass, so repeat for the rest
            self.bitmap[byte] |= bit
            lost = (self.bitmap[byte] & bit) == 0
            byte, bit = byte[lost], bit[lost]

    def mark(self, keys: np.ndarray, twice: np.ndarray | None = None) -> np.ndarray:
        """True for each key whose bit was set by an earlier call or an earlier key of
        ``keys`` (equal keys always); sets the bits of ``keys``. ``twice``, when given, says
        which keys repeat an earlier key of ``keys`` (found where the piece was cleaned)."""
        keys = np.asarray(keys, dtype=np.uint64)
        if twice is None:
            twice = pd.Index(keys).duplicated(keep="first")
        seen = self.contains(keys) | np.asarray(twice, dtype=bool)
        self.add(keys)
        return seen


def repeated_learners(learner: np.ndarray, marked: np.ndarray) -> np.ndarray:
    """Rows whose learner is among the ``marked`` rows' learners (a superset, through a
    second bitmap): every row of any learner with a repeat, so every duplicate and the row
    it repeats."""
    again = Repeats.for_rows(int(marked.sum()))
    again.add(learner[marked])
    return again.contains(learner)


def clean_piece(piece: pd.DataFrame, rules: RegisterRules) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                     pd.DataFrame]:
    """One piece through :func:`normalise_rows` (schema check included): its clean rows
    compact, with ``_twice`` true where a learner (``_learner``) already had a row in the
    piece; rejected records; change counts."""
    out = normalise_rows(piece, rules)
    twice = pd.Index(out.clean["_learner"]).duplicated(keep="first")
    return compact(out.clean).assign(_twice=twice), out.rejected, out.changes


def run_batches(cleaner: Here | SpanCleaner, rules: RegisterRules, files: list[Path],
                raw_rows: Callable[[pd.DataFrame], pd.DataFrame],
                expected_rows: int = 1_000_000) -> StepResult:
    """The register pipeline (pandas engine) over consecutive pieces of a register.

    Parameters
    ----------
    cleaner : Here or SpanCleaner
        Cleans the pieces with :func:`clean_piece` (here, or on worker processes that read
        them) and hands back, at the end, the raw rows asked for; the answer is the same
        either way.
    rules : RegisterRules
        As for :func:`~eduanalytics.ingest.register_rows.normalise_rows`.
    files : list of Path
        The files in order ("earlier" among duplicates follows it).
    raw_rows : callable
        A frame of ``_file``/``_row`` pairs -> those raw (header-mapped) rows (more do no
        harm), for the rejected-row records of duplicates;
        called only for rows that were not kept while streaming (see :class:`Repeats`).
    expected_rows : int
        About how many rows the register holds (sizes :class:`Repeats`; any guess is safe).

    Returns
    -------
    StepResult
        ``tables["enrolments"]`` (the :data:`COMPACT` columns categorical, categories
        sorted); rejected rows; change counts.
    """
    order = {str(f): i for i, f in enumerate(files)}
    clean, rejected, changes, rows_in = [], [], [], 0
    repeats = Repeats.for_rows(expected_rows)
    for n, (rows, rej, change), offset, keep in cleaner.cleaned():
        if offset:  # numbered from where the piece's span starts
            rows["_row"] += offset
            rej["row"] = rej["row"].to_numpy(dtype=np.int64) + offset
        again = repeats.mark(rows["_learner"].to_numpy(), rows.pop("_twice").to_numpy())
        if again.any():  # the raw cells of rows that may turn out to be duplicates
            keep(rows["_row"].to_numpy()[again])
        clean.append(rows.assign(_again=again))
        rejected.append(rej)
        changes.append(change)
        rows_in += n
    held = kept_rows(cleaner.kept(), raw_rows, order)
    # searched among the learners seen more than once only, grouped on the learner keys'
    # integers (no hashing of a million strings)
    learner = np.concatenate([p["_learner"].to_numpy() for p in clean])
    maybe = repeated_learners(learner, np.concatenate([p["_again"].to_numpy() for p in clean]))
    bounds = np.cumsum([0] + [len(p) for p in clean])
    pieces_of = functools.partial(np.split, indices_or_sections=bounds[1:-1])
    keys = concat_compact(clean, pieces_of(maybe), [*rules.key_cols, "_file", "_row"])
    dups = find_duplicates(keys.assign(learner_key=learner[maybe]), rules.key_cols, order)
    release_memory()
    if len(dups):
        rejected.append(duplicate_rejections(held(dups[["_file", "_row"]]), dups, rules))
    # one copy of the rows kept, without the working columns nor the duplicates
    drop = np.zeros(len(learner), dtype=bool)
    drop[np.flatnonzero(maybe)[among(file_positions(keys, order), file_positions(dups, order))]] = True
    table = concat_compact(clean, pieces_of(~drop), [c for c in clean[0].columns if not c.startswith("_")])
    del clean
    return finish(rules, files, rows_in, table, rejected, changes, order)


def kept_rows(kept: list[pd.DataFrame], raw_rows: Callable[[pd.DataFrame], pd.DataFrame],
              order: dict[str, int]) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """``_file``/``_row`` pairs -> raw rows: from the rows kept while streaming, and from
    ``raw_rows`` (a second read) only for pairs that were not kept (pairs compared as
    :func:`file_positions` of the files in ``order``)."""
    held = pd.concat(kept, ignore_index=True) if kept else None

    def rows(wanted: pd.DataFrame) -> pd.DataFrame:
        if held is None:
            return raw_rows(wanted[["_file", "_row"]])
        missing = wanted.loc[~among(file_positions(wanted, order), file_positions(held, order))]
        if not len(missing):
            return held
        return pd.concat([held, raw_rows(missing[["_file", "_row"]])], ignore_index=True)

    return rows


def run_pandas(df: pd.DataFrame, rules: RegisterRules, files: list[Path],
               batch_rows: int = BATCH_ROWS) -> StepResult:
    """The register pipeline on a frame already in memory (an xlsx sheet), in slices."""
    slices = (df.iloc[i:i + batch_rows] for i in range(0, max(len(df), 1), batch_rows))
    return run_batches(Here(clean_piece, rules, slices), rules, files, lambda rows: df,
                       expected_rows=len(df))


def run_streamed(path: Path, encoding: str | None, batch_rows: int | None,
                 prepare: Callable[[pd.DataFrame], pd.DataFrame],
                 make_rules: Callable[[list[str]], RegisterRules],
                 workers: int | str = 1) -> StepResult:
    """A CSV / Parquet register (file or folder of parts), streamed piece by piece.

    On one process, this process reads the register piece by piece (the next piece on a
    second thread) and cleans each; on several, worker processes read and clean spans of
    it themselves (:class:`SpanCleaner`) and this process puts their outcomes together.

    Parameters
    ----------
    path : Path
        The register.
    encoding : str, optional
        CSV only (default sniffed).
    batch_rows : int, optional
        Rows per piece (default :data:`BATCH_ROWS` on one process,
        :data:`WORKER_BATCH_ROWS` on several).
    prepare : callable
        Raw piece -> header-mapped piece, names dropped (raises for a missing column); a
        ``functools.partial`` of a module-level function where processes are spawned.
    make_rules : callable
        The prepared columns -> :class:`RegisterRules`.
    workers : int or "auto"
        Processes cleaning the pieces (:func:`worker_count`).

    Returns
    -------
    StepResult
    """
    files = parquet_parts(path) if is_parquet(path) else [path]
    # the columns of few distinct values read dictionary-encoded
    coded = few_valued_columns(prepare, parquet_columns(files[0]) if is_parquet(path)
                               else csv_columns(path, encoding))

    def pieces() -> Iterator[pd.DataFrame]:
        return (prepare(raw) for raw in iter_columnar(path, encoding, batch_rows or BATCH_ROWS, coded))

    def again(rows: pd.DataFrame) -> pd.DataFrame:
        found = []
        for piece in pieces():
            # by row number alone: a small superset of the pairs (the record builders match them)
            found.append(rows_numbered(piece, rows["_row"].to_numpy()))
            del piece
            release_memory()
        return pd.concat(found, ignore_index=True)

    expected = estimate_rows(path)
    n_workers = worker_count(workers, expected)
    if n_workers > 1:
        batch_rows = batch_rows or WORKER_BATCH_ROWS
        spans = [replace(s, dictionary=coded) for s in plan_spans(path, encoding, batch_rows)]
        # the rules need the prepared columns: those of the header alone
        rules = make_rules(list(prepare(read_span(replace(spans[0], stop=spans[0].start, row_groups=())))
                                .columns))
        with SpanCleaner(spans, functools.partial(_read_prepared, prepare=prepare), clean_piece,
                         rules, n_workers, batch_rows) as cleaner:
            return run_batches(cleaner, rules, files, again, expected_rows=expected)
    raw = pieces()
    first = next(raw)  # read here: the rules need its columns
    rules = make_rules(list(first.columns))
    return run_batches(Here(clean_piece, rules, prefetched(itertools.chain([first], raw))),
                       rules, files, again, expected_rows=expected)


def few_valued_columns(prepare: Callable[[pd.DataFrame], pd.DataFrame], names: list[str]) -> tuple[str, ...]:
    """The register's columns that ``prepare`` maps to fields of few distinct values
    (:data:`~eduanalytics.ingest.register_rows.FEW_VALUES`), found by preparing one row
    that holds the header itself; none when the header lacks a required column (the
    reading then says so)."""
    try:
        probe = prepare(pd.DataFrame([[n.strip() for n in names]], columns=[n.strip() for n in names]))
    except EduError:
        return ()
    few = {str(probe.iat[0, i]) for i, c in enumerate(probe.columns) if c in FEW_VALUES}
    return tuple(n for n in names if n.strip() in few)


def _read_prepared(span: Span, prepare: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
    """A span read and header-mapped (in a worker process)."""
    return prepare(read_span(span))
