"""Columnar readers for large registers: CSV and Parquet through pyarrow.

Every column is read as a string (no type guessing: an ID number stays 18 characters, a
date stays as written), into pandas' Arrow-backed ``string`` dtype, so a million-row
register costs about its Arrow size in memory. Empty CSV cells are missing. Two columns
are added, as the other readers do: ``_file`` (the path, categorical) and ``_row`` (the
row number a person sees: the CSV line counting the header as line 1; the 1-based record
number in a Parquet file).

A folder is read as a partitioned Parquet register: its ``*.parquet`` files (searched
recursively, in sorted path order), one partition per file.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from eduanalytics.errors import IngestError

#: File suffixes read by :func:`read_columnar`.
COLUMNAR_SUFFIXES = (".csv", ".txt", ".parquet", ".pq")
_STRING = pd.StringDtype("pyarrow")


def arrow_to_frame(table: pa.Table, path: str | Path, first_row: int) -> pd.DataFrame:
    """An Arrow table as a frame of Arrow-backed strings plus ``_file`` and ``_row``."""
    cols = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            col = col.cast(pa.string())
        cols[str(name).strip()] = pd.Series(pd.arrays.ArrowStringArray(col), dtype=_STRING)
    df = pd.DataFrame(cols) if cols else pd.DataFrame(index=range(table.num_rows))
    df["_file"] = pd.Categorical.from_codes(np.zeros(len(df), dtype=np.int8), [str(path)])
    df["_row"] = np.arange(first_row, first_row + len(df), dtype=np.int64)
    return df


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
    enc = encoding or sniff_encoding(path)
    with open(path, encoding=enc, newline="") as fh:
        header = next(csv.reader(io.StringIO(fh.readline())), [])
    if not header:
        raise IngestError("empty file; expected a header row", file=path, row=1)
    arrow_enc = "utf8" if enc in ("utf-8", "utf-8-sig") else enc
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding=arrow_enc, block_size=16 << 20),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header}, strings_can_be_null=True,
                null_values=[""], quoted_strings_can_be_null=True),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read as CSV ({enc}): {exc}", file=path) from exc
    if table.column_names and table.column_names[0].startswith("\ufeff"):
        table = table.rename_columns([table.column_names[0][1:], *table.column_names[1:]])
    return arrow_to_frame(table, path, first_row=2)


def read_parquet_part(path: str | Path) -> pd.DataFrame:
    """Read one Parquet file, every column as a string, with ``_file`` and ``_row``."""
    import pyarrow.parquet as pq

    path = Path(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise IngestError(f"cannot read as Parquet: {exc}", file=path) from exc
    return arrow_to_frame(table, path, first_row=1)


def parquet_parts(path: str | Path) -> list[Path]:
    """The Parquet files of a register: the file itself, or a folder's parts (sorted)."""
    path = Path(path)
    if path.is_dir():
        parts = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".parquet", ".pq"))
        if not parts:
            raise IngestError("folder holds no .parquet files", file=path,
                              expected="a Parquet register split into parts")
        return parts
    return [path]


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
    if path.is_dir() or path.suffix.lower() in (".parquet", ".pq"):
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
