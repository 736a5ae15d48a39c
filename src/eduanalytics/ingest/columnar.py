"""Columnar readers for large registers: CSV and Parquet through pyarrow.

Every column is read as a string (no type guessing: an ID number stays 18 characters, a
date stays as written), into pandas' Arrow-backed ``string`` dtype, so a million-row
register costs about its Arrow size in memory. Empty CSV cells are missing. Two columns
are added, as the other readers do: ``_file`` (the path, categorical) and ``_row`` (the
row number a person sees: the CSV line counting the header as line 1; the 1-based record
number in a Parquet file). Columns named as ``dictionary`` (the register's columns of few
distinct values) are read dictionary-encoded and come as categoricals of the same text
(:func:`as_text` undoes it): from Parquet as Parquet stores them (:func:`parquet_file`),
from CSV encoded by pyarrow's reader as it parses (measured on 1M rows in pieces of
262,144: reading 0.40-0.48 -> 0.55-0.58 CPU-s, cleaning 2.13-2.58 -> 1.91-2.01, each
distinct value being hashed once in the reader's C++ instead of again in pandas).

A folder is read as a partitioned Parquet register: its ``*.parquet`` files (searched
recursively, in sorted path order), one partition per file.

The register pipeline reads through :func:`iter_columnar`: the same frames cut into
consecutive pieces of about :data:`BATCH_ROWS` rows, so cleaning holds one piece's working
memory at a time whatever the size of the file. Worker processes read their own pieces
instead (:mod:`eduanalytics.ingest.spans`).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eduanalytics.arrow_text import category_text
from eduanalytics.errors import IngestError

#: File suffixes read by :func:`read_columnar`.
COLUMNAR_SUFFIXES = (".csv", ".txt", ".parquet", ".pq")
PARQUET_SUFFIXES = (".parquet", ".pq")
_STRING = pd.StringDtype("pyarrow")
#: Rows per piece when a register is streamed (bounds the working memory of cleaning).
BATCH_ROWS = 1 << 17
#: Rows per piece when worker processes clean a register (from five million rows by
#: default): each piece's fixed costs (a schema check, a few hundred pandas calls) count
#: less; 10M rows on 2 workers took about 12 % less CPU than in pieces of BATCH_ROWS.
WORKER_BATCH_ROWS = 1 << 18
#: Bytes per block of pyarrow's CSV reader (whole-file read / streamed read: the streaming
#: reader decodes several blocks ahead, so small blocks bound what it holds).
BLOCK_BYTES, STREAM_BLOCK_BYTES = 16 << 20, 2 << 20


def arrow_to_frame(table: pa.Table, path: str | Path, first_row: int,
                   files: list[str] | None = None, dictionary: tuple[str, ...] = ()) -> pd.DataFrame:
    """An Arrow table as a frame of Arrow-backed strings plus ``_file`` and ``_row``
    (``_file`` categorical over ``files``, default just ``path``). A ``dictionary`` column
    read dictionary-encoded (:func:`parquet_file`) becomes a categorical whose categories
    are those strings; every other column is text, whatever the file's type."""
    cols = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        if name in dictionary and pa.types.is_dictionary(col.type) \
                and col.type.value_type in (pa.string(), pa.large_string()):
            cols[str(name).strip()] = pd.Series(_text_categorical(col))
            continue
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            col = col.cast(pa.string())
        cols[str(name).strip()] = pd.Series(pd.arrays.ArrowStringArray(col), dtype=_STRING)
    df = pd.DataFrame(cols) if cols else pd.DataFrame(index=range(table.num_rows))
    files = files or [str(path)]
    code = files.index(str(path))
    df["_file"] = pd.Categorical.from_codes(np.full(len(df), code, dtype=np.int32), files)
    df["_row"] = np.arange(first_row, first_row + len(df), dtype=np.int64)
    return df


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the categoricals :func:`arrow_to_frame` made of dictionary-encoded
    columns as Arrow-backed strings again (``_file`` stays categorical): for raw rows
    gathered from many pieces, whose categories differ (``pd.concat`` would make them
    Python objects)."""
    coded = {c: pd.Series(pd.arrays.ArrowStringArray(category_text(frame[c])), index=frame.index,
                          dtype=_STRING)
             for c in frame.columns if c != "_file" and isinstance(frame[c].dtype, pd.CategoricalDtype)}
    return frame.assign(**coded) if coded else frame


def _text_categorical(col: pa.ChunkedArray) -> pd.Categorical:
    """Dictionary-encoded text as a categorical of Arrow-backed strings (no string per
    row is built)."""
    arr = col.unify_dictionaries().combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if isinstance(arr, pa.ChunkedArray):  # no chunks at all
        arr = pa.array([], col.type)
    cats = pd.Index(pd.arrays.ArrowStringArray(arr.dictionary.cast(pa.large_string())), dtype=_STRING)
    codes = pc.fill_null(arr.indices, -1).to_numpy(zero_copy_only=False)
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(cats), validate=False)


def sniff_encoding(path: str | Path, size: int = 1 << 20) -> str:
    """Encoding of a text file from its first ``size`` bytes: a BOM gives ``utf-8-sig``;
    UTF-8 gives ``utf-8``; else ``gb18030`` (what Chinese office software writes)."""
    with open(path, "rb") as fh:
        head = fh.read(size)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _csv_header(path: Path, encoding: str | None) -> tuple[str, list[str]]:
    """A register CSV's encoding (``encoding``, or sniffed) and header names, as pyarrow's
    reader names the columns: without a UTF-8 BOM, which it skips even when the file is
    said to be plain ``utf-8`` (a name keeping it would match no column, and pyarrow would
    guess that column's type: ``000123`` read as the number 123)."""
    enc = encoding or sniff_encoding(path)
    with open(path, encoding=enc, newline="") as fh:
        header = next(csv.reader(io.StringIO(fh.readline())), [])
    if not header:
        raise IngestError("empty file; expected a header row", file=path, row=1)
    return enc, [header[0].removeprefix("\ufeff"), *header[1:]]


def _csv_options(path: Path, encoding: str | None, block_size: int = BLOCK_BYTES,
                 dictionary: tuple[str, ...] = ()):
    """pyarrow read/convert options for a register CSV: every header a string column (the
    ``dictionary`` ones dictionary-encoded)."""
    from pyarrow import csv as pacsv

    enc, header = _csv_header(path, encoding)
    return enc, pacsv.ReadOptions(encoding=_arrow_encoding(enc), block_size=block_size), \
        _convert_options(header, dictionary)


def csv_columns(path: str | Path, encoding: str | None = None) -> list[str]:
    """A register CSV's header names (none when the file has no header: reading it then
    raises the error)."""
    try:
        return _csv_header(Path(path), encoding)[1]
    except (IngestError, OSError, UnicodeDecodeError, LookupError):
        return []


def _arrow_encoding(enc: str) -> str:
    """pyarrow's name of a text encoding (it skips a UTF-8 BOM itself)."""
    return "utf8" if enc in ("utf-8", "utf-8-sig") else enc


#: Arrow type of the CSV columns read dictionary-encoded.
CSV_CODES = pa.dictionary(pa.int32(), pa.string())


def _convert_options(names: list[str] | tuple[str, ...], dictionary: tuple[str, ...] = ()):
    """Every column a string (the ``dictionary`` ones dictionary-encoded), empty cells
    missing (quoted ones too)."""
    from pyarrow import csv as pacsv

    return pacsv.ConvertOptions(column_types={h: CSV_CODES if h in dictionary else pa.string()
                                              for h in names},
                                strings_can_be_null=True, null_values=[""],
                                quoted_strings_can_be_null=True)


def _strip_bom(table):
    names = table.column_names if isinstance(table, pa.Table) else table.schema.names
    if names and names[0].startswith("\ufeff"):
        return table.rename_columns([names[0][1:], *names[1:]])
    return table


def read_csv_columnar(path: str | Path, encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV register with pyarrow, every column a string.

    Parameters
    ----------
    path : path-like
        The file (UTF-8, UTF-8 with BOM or GBK/GB18030).
    encoding : str, optional
        Default: sniffed from the first megabyte.

    Returns
    -------
    DataFrame
        Arrow-backed string columns plus ``_file`` and ``_row``.
    """
    from pyarrow import csv as pacsv

    path = Path(path)
    enc, read, convert = _csv_options(path, encoding)
    try:
        table = pacsv.read_csv(path, read_options=read, convert_options=convert)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read as CSV ({enc}): {exc}", file=path) from exc
    return arrow_to_frame(_strip_bom(table), path, first_row=2)


def iter_csv_batches(path: str | Path, encoding: str | None = None,
                     batch_rows: int = BATCH_ROWS,
                     dictionary: tuple[str, ...] = ()) -> Iterator[pd.DataFrame]:
    """Stream a CSV register in blocks of about ``batch_rows`` rows (pyarrow's streaming
    reader): the same frames as :func:`read_csv_columnar`, cut into consecutive pieces, the
    ``dictionary`` columns as categoricals.

    Always yields at least one frame (an empty one for a header-only file).
    """
    from pyarrow import csv as pacsv

    path = Path(path)
    enc, read, convert = _csv_options(path, encoding, STREAM_BLOCK_BYTES, dictionary)
    first, done = 2, False
    try:
        reader = pacsv.open_csv(path, read_options=read, convert_options=convert)
        schema = _strip_bom(reader.schema.empty_table()).schema
        pending: list[pa.RecordBatch] = []
        n = 0
        for batch in reader:
            pending.append(batch)
            n += batch.num_rows
            if n >= batch_rows:
                yield arrow_to_frame(pa.Table.from_batches(pending).rename_columns(schema.names),
                                     path, first, dictionary=dictionary)
                first, pending, n, done = first + n, [], 0, True
        if pending or not done:
            table = (pa.Table.from_batches(pending) if pending else reader.schema.empty_table())
            yield arrow_to_frame(table.rename_columns(schema.names), path, first,
                                 dictionary=dictionary)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read as CSV ({enc}): {exc}", file=path) from exc


def iter_parquet_batches(path: str | Path, batch_rows: int = BATCH_ROWS,
                         dictionary: tuple[str, ...] = ()) -> Iterator[pd.DataFrame]:
    """Stream a Parquet register (a file or a folder of parts) in pieces of at most
    ``batch_rows`` rows, part by part; ``_row`` counts within each part. Always yields at
    least one frame. The ``dictionary`` columns come as categoricals (see
    :func:`parquet_file`)."""
    done = False
    parts = parquet_parts(path)
    names = [str(p) for p in parts]
    for part in parts:
        try:
            pf = parquet_file(part, dictionary)
            first = 1
            for batch in pf.iter_batches(batch_size=batch_rows):
                yield arrow_to_frame(pa.Table.from_batches([batch]), part, first, names, dictionary)
                first += batch.num_rows
                done = True
        except (pa.ArrowInvalid, OSError) as exc:
            raise IngestError(f"cannot read as Parquet: {exc}", file=part) from exc
        if not done:
            yield arrow_to_frame(pf.schema_arrow.empty_table(), part, 1, names, dictionary)
            done = True


def iter_columnar(path: str | Path, encoding: str | None = None,
                  batch_rows: int = BATCH_ROWS, dictionary: tuple[str, ...] = ()) -> Iterator[pd.DataFrame]:
    """:func:`read_columnar` as a stream of consecutive pieces (bounded memory); the
    ``dictionary`` columns as categoricals."""
    path = Path(path)
    if not path.exists():
        raise IngestError("file not found", file=path)
    if is_parquet(path):
        return iter_parquet_batches(path, batch_rows, dictionary)
    if path.suffix.lower() in (".csv", ".txt"):
        return iter_csv_batches(path, encoding, batch_rows, dictionary)
    raise IngestError(f"unsupported file type {path.suffix!r}", file=path,
                      expected=f"one of {COLUMNAR_SUFFIXES} or a folder of Parquet parts")


def read_parquet_part(path: str | Path, dictionary: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read one Parquet file, every column as a string (the ``dictionary`` columns as
    categoricals, :func:`parquet_file`), with ``_file`` and ``_row``."""
    path = Path(path)
    try:
        table = parquet_file(path, dictionary).read()
    except (pa.ArrowInvalid, OSError) as exc:
        raise IngestError(f"cannot read as Parquet: {exc}", file=path) from exc
    return arrow_to_frame(table, path, first_row=1, dictionary=dictionary)


def parquet_columns(path: str | Path) -> list[str]:
    """A Parquet file's column names (none when its footer cannot be read: reading the
    file then raises the error)."""
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except (pa.ArrowInvalid, OSError):
        return []


def parquet_file(path: str | Path, dictionary: tuple[str, ...] = ()):
    """``pyarrow.parquet.ParquetFile`` reading the ``dictionary`` columns (those of them
    present) dictionary-encoded: columns of few distinct values, stored so by Parquet
    writers, are then never expanded into a string per row (measured: a million-row group
    of a register read and converted in about half the time), and
    :func:`arrow_to_frame` makes them categoricals."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    wanted = [c for c in dictionary if c in pf.schema_arrow.names]
    return pq.ParquetFile(path, read_dictionary=wanted) if wanted else pf


def is_parquet(path: Path) -> bool:
    """A Parquet register: a folder (of parts) or a ``.parquet`` / ``.pq`` file."""
    return path.is_dir() or path.suffix.lower() in PARQUET_SUFFIXES


def parquet_parts(path: str | Path) -> list[Path]:
    """The Parquet files of a register: the file itself, or a folder's parts (sorted)."""
    path = Path(path)
    if path.is_dir():
        parts = sorted(p for p in path.rglob("*") if p.suffix.lower() in PARQUET_SUFFIXES)
        if not parts:
            raise IngestError("folder holds no .parquet files", file=path,
                              expected="a Parquet register split into parts")
        return parts
    return [path]


def estimate_rows(path: str | Path) -> int:
    """About how many rows a register holds, without reading it: exact for Parquet (the
    footers), the file's size over 100 bytes for CSV (a guess, for sizing buffers only)."""
    import pyarrow.parquet as pq

    path = Path(path)
    if is_parquet(path):
        try:
            return sum(pq.read_metadata(p).num_rows for p in parquet_parts(path))
        except (pa.ArrowInvalid, OSError):  # reading it will say what is wrong
            return 0
    return path.stat().st_size // 100 if path.is_file() else 0


def read_columnar(path: str | Path, encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV, a Parquet file or a folder of Parquet parts into one frame.

    Parameters
    ----------
    path : path-like
        The file or folder.
    encoding : str, optional
        CSV only.

    Returns
    -------
    DataFrame
        Arrow-backed string columns plus ``_file`` (categorical) and ``_row``.
    """
    path = Path(path)
    if not path.exists():
        raise IngestError("file not found", file=path)
    if is_parquet(path):
        parts = parquet_parts(path)
        frames = [read_parquet_part(p) for p in parts]
        if len(frames) == 1:
            return frames[0]
        sizes = [len(f) for f in frames]
        out = pd.concat([f.drop(columns="_file") for f in frames], ignore_index=True)
        codes = np.repeat(np.arange(len(parts), dtype=np.int32), sizes)
        out["_file"] = pd.Categorical.from_codes(codes, [str(p) for p in parts])
        return out[frames[0].columns]
    if path.suffix.lower() in (".csv", ".txt"):
        return read_csv_columnar(path, encoding)
    raise IngestError(f"unsupported file type {path.suffix!r}", file=path,
                      expected=f"one of {COLUMNAR_SUFFIXES} or a folder of Parquet parts")
