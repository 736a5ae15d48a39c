"""A register cut into spans that worker processes read on their own.

:func:`plan_spans` cuts a register into :class:`Span` s: byte ranges of a CSV cut just
after a line end, runs of a Parquet file's row groups; :func:`read_span` reads one, its
rows numbered from 0 (the reader of the whole adds where the span starts). The frames are
those of :mod:`eduanalytics.ingest.columnar`.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from eduanalytics.errors import IngestError
from eduanalytics.ingest.columnar import (
    BATCH_ROWS,
    BLOCK_BYTES,
    COLUMNAR_SUFFIXES,
    CSV_CODES,
    STREAM_BLOCK_BYTES,
    _arrow_encoding,
    _convert_options,
    _csv_options,
    _strip_bom,
    arrow_to_frame,
    is_parquet,
    parquet_file,
    parquet_parts,
)


@dataclass(frozen=True)
class Span:
    """A consecutive run of a register's records that a process can read on its own.

    Attributes
    ----------
    path : str
        The file.
    files : tuple of str
        Every file of the register, in order (the categories of ``_file``).
    names : tuple of str
        CSV: the header's column names. Parquet: empty.
    encoding : str
        CSV: the file's encoding (as :func:`~eduanalytics.ingest.columnar.sniff_encoding` names it).
    start, stop : int
        CSV: the bytes ``[start, stop)``, cut just after a line end (a span from byte 0
        holds the header line, skipped).
    row_groups : tuple of int
        Parquet: the row groups, consecutive.
    first_row : int
        The row number a person sees of the file's first record (2 for CSV, counting the
        header as line 1; 1 for Parquet): :func:`read_span` numbers from 0, whoever
        reads the spans in order adds this plus the rows of the file's earlier spans.
    dictionary : tuple of str
        Columns read dictionary-encoded, as categoricals (from Parquet, :func:`parquet_file`).
    """

    path: str
    files: tuple[str, ...]
    names: tuple[str, ...] = ()
    encoding: str = "utf-8"
    start: int = 0
    stop: int = 0
    row_groups: tuple[int, ...] = ()
    first_row: int = 1
    dictionary: tuple[str, ...] = ()


def plan_spans(path: str | Path, encoding: str | None = None,
               batch_rows: int = BATCH_ROWS) -> list[Span]:
    """A register cut into spans of about ``batch_rows`` rows (at least one span).

    CSV: byte ranges cut just after a line end near every ``batch_rows`` rows' worth of
    bytes (the bytes per line measured on the first megabyte); pyarrow reads a register CSV
    without line ends inside quoted values, so every line end ends a record. A file whose
    first megabyte holds no line feed, or in UTF-16/32, is one span. Parquet (a file or a folder of parts):
    each part's row groups, consecutive ones together up to about ``batch_rows`` rows (a
    larger row group is a span of its own); parts without rows are left out unless none
    has any.

    Raises
    ------
    IngestError
        The file is missing, empty, of an unsupported type, or its header or footer
        cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise IngestError("file not found", file=path)
    if is_parquet(path):
        return _parquet_spans(path, batch_rows)
    if path.suffix.lower() not in (".csv", ".txt"):
        raise IngestError(f"unsupported file type {path.suffix!r}", file=path,
                          expected=f"one of {COLUMNAR_SUFFIXES} or a folder of Parquet parts")
    from pyarrow import csv as pacsv

    enc, read, convert = _csv_options(path, encoding, STREAM_BLOCK_BYTES)
    try:
        names = tuple(_strip_bom(pacsv.open_csv(path, read_options=read,
                                                convert_options=convert).schema.empty_table()).column_names)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read as CSV ({enc}): {exc}", file=path) from exc
    size = path.stat().st_size
    span = Span(str(path), (str(path),), names, enc, 0, size, first_row=2)
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
        lines = head.count(b"\n")
        if not lines or codecs.lookup(enc).name.startswith(("utf-16", "utf-32")):
            return [span]  # nowhere to cut, or a line feed byte may be half a character
        step = max(len(head) // lines * max(int(batch_rows), 1), 1)
        cuts = [0]
        while cuts[-1] + step < size:
            fh.seek(cuts[-1] + step)
            at = _next_line_end(fh)
            if at is None or at >= size:
                break
            cuts.append(at)
    cuts.append(size)
    return [Span(str(path), (str(path),), names, enc, a, b, first_row=2)
            for a, b in zip(cuts, cuts[1:], strict=False)]


def _next_line_end(fh) -> int | None:
    """The offset just after the next line feed from ``fh``'s position, or None."""
    while chunk := fh.read(1 << 16):
        at = chunk.find(b"\n")
        if at >= 0:
            return fh.tell() - len(chunk) + at + 1
    return None


def _parquet_spans(path: Path, batch_rows: int) -> list[Span]:
    import pyarrow.parquet as pq

    parts = parquet_parts(path)
    names = tuple(str(p) for p in parts)
    spans = []
    for part in parts:
        try:
            meta = pq.read_metadata(part)
        except (pa.ArrowInvalid, OSError) as exc:
            raise IngestError(f"cannot read as Parquet: {exc}", file=part) from exc
        run, rows = [], 0
        for g in range(meta.num_row_groups):
            n = meta.row_group(g).num_rows
            if run and rows + n > batch_rows:
                spans.append(Span(str(part), names, row_groups=tuple(run)))
                run, rows = [], 0
            run.append(g)
            rows += n
        if rows:
            spans.append(Span(str(part), names, row_groups=tuple(run)))
    return spans or [Span(names[0], names)]


def read_span(span: Span) -> pd.DataFrame:
    """One span's records: Arrow-backed text columns, ``_file``, and ``_row`` counting
    from 0 within the span.

    Raises
    ------
    IngestError
        The bytes do not parse as CSV in the span's encoding, or the Parquet file fails.
    """
    if span.names:
        return _read_csv_span(span)
    try:
        pf = parquet_file(span.path, span.dictionary)
        table = (pf.read_row_groups(list(span.row_groups), use_threads=False) if span.row_groups
                 else pf.schema_arrow.empty_table())
    except (pa.ArrowInvalid, OSError) as exc:
        raise IngestError(f"cannot read as Parquet: {exc}", file=span.path) from exc
    return arrow_to_frame(table, span.path, 0, list(span.files), span.dictionary)


def _read_csv_span(span: Span) -> pd.DataFrame:
    from pyarrow import csv as pacsv

    if span.stop <= span.start:  # no bytes: the columns alone
        empty = [pa.array([], CSV_CODES if n in span.dictionary else pa.string()) for n in span.names]
        return arrow_to_frame(pa.Table.from_arrays(empty, names=list(span.names)), span.path, 0,
                              dictionary=span.dictionary)
    with open(span.path, "rb") as fh:
        fh.seek(span.start)
        data = fh.read(span.stop - span.start)
    read = pacsv.ReadOptions(encoding=_arrow_encoding(span.encoding), use_threads=False,
                             column_names=list(span.names), skip_rows=1 if span.start == 0 else 0,
                             block_size=BLOCK_BYTES)
    try:
        table = pacsv.read_csv(pa.BufferReader(data), read_options=read,
                               convert_options=_convert_options(span.names, span.dictionary))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read as CSV ({span.encoding}): {exc}", file=span.path) from exc
    return arrow_to_frame(table, span.path, 0, dictionary=span.dictionary)
