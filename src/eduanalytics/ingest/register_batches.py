"""The pandas engine of the register: clean a register piece by piece, in bounded memory.

A register is cleaned as a stream of consecutive pieces (:data:`BATCH_ROWS` rows each,
``inputs.register.batch_rows`` to change it). Each piece goes through
:func:`~eduanalytics.ingest.register_rows.normalise_rows` (row-local, so the answer does not
depend on where the pieces are cut) and is let go; its clean rows are kept COMPACT (the
coded text columns as categoricals: a handful of distinct values whatever the row count),
and so is the ``enrolments`` table this engine returns (a million learners cost tens of
megabytes, not hundreds). Duplicates are found over all rows at the end. The raw cells of the few duplicate rows, shown in their
rejected-row records, are read again in a second pass rather than held for every row.

Peak memory is therefore one piece's working set plus the compact clean rows, not a
multiple of the whole register. The Dask engine (:mod:`eduanalytics.ingest.dask_engine`)
shares :func:`finish`.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pandas.api.types import union_categoricals

from eduanalytics.ingest.columnar import BATCH_ROWS, iter_columnar, parquet_parts
from eduanalytics.ingest.core import CHANGE_COLUMNS, REJECT_COLUMNS, StepResult, concat_frames
from eduanalytics.ingest.register_rows import (
    RegisterRules,
    duplicate_rejections,
    find_duplicates,
    normalise_rows,
    schema_check,
)

#: Clean columns held as categoricals between pieces (few distinct values each).
COMPACT = ("unit_id", "programme", "level_from", "level_to", "batch", "status",
           "register_fail_reason", "mode", "sex", "school_unit_id", "_file")


def _str_category(s: pd.Series) -> pd.Series:
    """A text column as a categorical whose categories are ``str`` (whatever it held)."""
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
    s = _str_category(s).cat.remove_unused_categories()
    return s.cat.reorder_categories(sorted(s.cat.categories))


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
        A frame of ``_file``/``_row`` pairs -> those raw (header-mapped) rows, for the
        rejected-row records of duplicates and of rows failing the schema.

    Returns
    -------
    StepResult
        ``tables["enrolments"]`` (the :data:`COMPACT` columns categorical, categories
        sorted); rejected rows; change counts.
    """
    order = {str(f): i for i, f in enumerate(files)}
    clean, rejected, changes, rows_in = [], [], [], 0
    for piece in batches:
        out = normalise_rows(piece, rules, check_schema=False)
        clean.append(compact(out.clean))
        rejected.append(out.rejected)
        changes.append(out.changes)
        rows_in += len(piece)
        del piece, out
        release_memory()
    table = concat_compact(clean)
    del clean
    # the schema checked once over every piece's rows (row by row, so the same answer)
    table, failed = schema_check(table, rules, raw_rows)
    rejected.append(failed)
    dups = find_duplicates(table[[*rules.key_cols, "_file", "_row"]], rules.key_cols, order)
    release_memory()
    if len(dups):
        rejected.append(duplicate_rejections(raw_rows(dups[["_file", "_row"]]), dups, rules))
    return finish(rules, files, rows_in, table, rejected, changes, dups, order)


def run_pandas(df: pd.DataFrame, rules: RegisterRules, files: list[Path],
               batch_rows: int = BATCH_ROWS) -> StepResult:
    """The register pipeline on a frame already in memory (an xlsx sheet), in slices."""
    slices = (df.iloc[i:i + batch_rows] for i in range(0, max(len(df), 1), batch_rows))
    return run_batches(slices, rules, files, lambda rows: df)


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

    stream = pieces()
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
