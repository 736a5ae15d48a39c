"""Where a table sits in a sheet: the header row(s), merged parents, the sheet or table a
spec names (the Frictionless Table Dialect's ``sheet``, ``headerRows``, ``headerJoin``).

Pure functions over a grid of cell values (row 0 = the file's first row); the readers in
:mod:`eduanalytics.ingest.readers` get the grid from calamine, python-docx or CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from eduanalytics.errors import InputError

#: How far down a sheet the header is looked for.
MAX_HEADER_ROW = 30


def cell_text(v: Any) -> str:
    """A cell as header text: blank for None/NaN, ``3`` for 3.0, whitespace removed."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "".join(str(v).split())


def header_key(text: str) -> str:
    """Matching key of a header text (cleaned, no whitespace, lower case)."""
    from eduanalytics.normalise.text import clean_one

    return "".join(clean_one(str(text)).split()).lower()


def _unique(names: list[str], parents: list[str], join: str = "/") -> list[str]:
    """Child names; the parent where the child is empty; ``parent/child`` where a child
    name repeats; ``_2``, ``_3`` for what still repeats."""
    out = []
    counts = pd.Series(names).value_counts()
    for i, (n, p) in enumerate(zip(names, parents, strict=True)):
        if not n:
            n = p or f"column_{i + 1}"
        elif counts.get(n, 0) > 1 and p and p != n:
            n = f"{p}{join}{n}"
        out.append(n)
    seen: dict[str, int] = {}
    final = []
    for n in out:
        seen[n] = seen.get(n, 0) + 1
        final.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return final


def fill_merged(grid: list[list[Any]], merged: list[tuple[tuple[int, int], tuple[int, int]]],
                 top: int) -> list[list[str]]:
    """Header texts of the first ``top`` rows with merged ranges filled with their value."""
    texts = [[cell_text(v) for v in row] for row in grid[:top]]
    for (r0, c0), (r1, c1) in merged:
        if r0 >= top or r0 >= len(texts):
            continue
        v = texts[r0][c0] if c0 < len(texts[r0]) else ""
        for r in range(r0, min(r1, top - 1) + 1):
            for c in range(c0, min(c1, len(texts[r]) - 1) + 1):
                texts[r][c] = v
    return texts


def find_header(texts: list[list[str]], keywords: list[str] | None = None) -> int:
    """0-based index of the header row among the top rows' texts.

    With keywords: the row holding the most of them (at least two; or one when the row has
    nothing else but headers), the lower of two adjacent rows that tie (a row whose cells
    were merged down from the parent row above). Without: the first row whose distinct
    non-empty cells are at least 60 % of the widest row's (a title merged across the width
    counts once). Returns -1 when no row holds two keywords.
    """
    if not texts:
        return 0
    if keywords:
        keys = {header_key(k) for k in keywords}
        scores = [len({header_key(t) for t in row if t} & keys) for row in texts]
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        if scores[best] < min(2, len(keys)):
            return -1
        while best + 1 < len(scores) and scores[best + 1] == scores[best]:
            best += 1
        return best
    counts = [len({t for t in row if t}) for row in texts]
    widest = max(counts)
    return next((i for i, n in enumerate(counts) if widest and n >= 0.6 * widest), 0)


@dataclass(frozen=True)
class Header:
    """Where a table's header sits: ``row`` (0-based, the row naming the columns; the body
    starts below it), the column ``names``, ``rows`` (1-based header rows, for ``attrs``)."""

    row: int
    names: list[str]
    rows: list[int]


def locate_header(top: list[list[Any]], width: int, nrows: int, *, file: str | Path,
                  sheet: str | None = None, merged: list | None = None,
                  header_rows: list[int] | None = None, header_keywords: list[str] | None = None,
                  header_join: str = "/", max_header_row: int = MAX_HEADER_ROW) -> Header:
    """Find the header among a table's top rows and name its columns.

    Parameters
    ----------
    top : list of list
        The table's first rows (at least ``max(max_header_row, *header_rows)`` of them, or
        all the table has), row 0 = the file's first row.
    width, nrows : int
        The table's width and its number of rows.
    file, sheet, merged, header_rows, header_keywords, header_join, max_header_row
        As in :func:`frame_from_grid`.

    Returns
    -------
    Header
    """
    if not width:
        raise InputError("the sheet/table is empty", file=file, sheet=sheet,
                         expected="a header row and data rows")
    n_top = min(nrows, max(max_header_row, max(header_rows or [0])))
    grid = [list(r) + [None] * (width - len(r)) for r in top[:n_top]]
    texts = fill_merged(grid, merged or [], n_top)
    if header_rows:
        rows = [int(r) - 1 for r in header_rows]
        if len(rows) > 2 or any(r < 0 or r >= nrows for r in rows):
            raise InputError(f"header_rows {header_rows} lie outside the table's {nrows} rows",
                             file=file, sheet=sheet, expected="one or two 1-based row numbers")
        best = rows[-1]
        parent = texts[rows[0]] if len(rows) == 2 else [""] * width
    else:
        best = find_header(texts, header_keywords)
        if best < 0:
            raise InputError(f"no header row with the expected columns in the first {n_top} rows",
                             file=file, sheet=sheet, expected=" / ".join(header_keywords or []))
        parent = texts[best - 1] if best > 0 else [""] * width
        # a parent row only groups: several distinct texts, none of them already a header
        # word, e.g. 基本信息 / 学习情况 over their columns (a title merged across counts once)
        keys = {header_key(k) for k in header_keywords or []}
        if len({p for p in parent if p}) <= 1 or any(header_key(p) in keys for p in parent if p
                                                      and p not in texts[best]):
            parent = [""] * width
    header = texts[best]
    if not header_rows or len(header_rows) == 1:
        # a cell merged down from the parent row repeats its text: not a parent/child pair
        parent = [p if p != h else "" for p, h in zip(parent, header, strict=True)]
    hr = [int(r) for r in header_rows] if header_rows else (
        [best, best + 1] if any(parent) else [best + 1])
    return Header(row=best, names=_unique(header, parent, header_join), rows=hr)


def frame_from_grid(grid: list[list[Any]], *, file: str | Path, sheet: str | None = None,
                    merged: list | None = None, header_rows: list[int] | None = None,
                    header_keywords: list[str] | None = None, header_join: str = "/",
                    max_header_row: int = MAX_HEADER_ROW) -> pd.DataFrame:
    """Turn a grid of cells (rows of values, row 0 = the file's first row) into a table.

    Parameters
    ----------
    grid : list of list
        Cell values, row by row.
    file, sheet : optional
        Named in errors and kept in ``_file``.
    merged : list, optional
        Merged ranges ``((row0, col0), (row1, col1))``, 0-based inclusive.
    header_rows : list of int, optional
        1-based header rows (one, or parent and child). Omitted: detected.
    header_keywords : list of str, optional
        Known header texts used to detect the header row.
    header_join : str
        Joins parent and child where a child name repeats.
    max_header_row : int
        How far down to look for the header.

    Returns
    -------
    DataFrame
        Header texts as columns, ``_file``, ``_row``; ``attrs["header_rows"]``.
    """
    width = max((len(r) for r in grid), default=0)
    head = locate_header(grid, width, len(grid), file=file, sheet=sheet, merged=merged,
                         header_rows=header_rows, header_keywords=header_keywords,
                         header_join=header_join, max_header_row=max_header_row)
    grid = [list(r) + [None] * (width - len(r)) for r in grid]
    best = head.row
    body, filled = _fill_body_merges(grid, merged or [], best + 1)
    keep = [i for i, row in enumerate(body)
            if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in row)]
    rows_kept = [body[i] for i in keep]
    df = (pd.DataFrame(rows_kept, columns=head.names, dtype=object) if rows_kept
          else pd.DataFrame(columns=head.names))
    df = df.assign(_file=str(file), _row=[best + 2 + i for i in keep])
    df.attrs.update({"header_rows": head.rows, "sheet": sheet, "merged_filled": filled})
    return df


def _fill_body_merges(grid: list[list[Any]], merged: list, start: int) -> tuple[list[list[Any]], int]:
    """The rows from ``start`` on, each cell of a merged range below the header holding the
    range's value (a unit typed once over several learners' rows); and how many cells
    were filled that way."""
    body = [list(r) for r in grid[start:]]
    filled = 0
    for (r0, c0), (r1, c1) in merged:
        if r0 < start or r0 - start >= len(body):
            continue
        top = body[r0 - start]
        v = top[c0] if c0 < len(top) else None
        for r in range(r0 - start, min(r1 - start, len(body) - 1) + 1):
            for c in range(c0, min(c1, len(body[r]) - 1) + 1):
                if (r, c) != (r0 - start, c0):
                    body[r][c] = v
                    filled += 1
    return body, filled


def has_columns(texts: list[list[str]], wanted: list[str]) -> bool:
    """True when the top rows' texts hold every wanted header."""
    found = {header_key(t) for row in texts for t in row if t}
    return all(header_key(w) in found for w in wanted)


def pick_table(names: list[str], spec: Any, texts_of, file: Path, what: str) -> int:
    """Index of the sheet/table a spec names (name, 0-based index, {has_columns: [...]})."""
    if spec is None:
        return 0
    if isinstance(spec, bool):
        raise InputError(f"{what} {spec!r} is not a name or an index", file=file)
    if isinstance(spec, int):
        if not 0 <= spec < len(names):
            raise InputError(f"no {what} with index {spec} (0-based)", file=file,
                             expected=f"0..{len(names) - 1}", found=names)
        return spec
    if isinstance(spec, dict) and "has_columns" in spec:
        wanted = [str(w) for w in spec["has_columns"]]
        for i in range(len(names)):
            if has_columns(texts_of(i), wanted):
                return i
        raise InputError(f"no {what} whose header holds {wanted}", file=file,
                         expected=f"a {what} with columns {' / '.join(wanted)}",
                         found=f"{what}s {names}")
    name = str(spec)
    if name in names:
        return names.index(name)
    keyed = [header_key(n) for n in names]
    if header_key(name) in keyed:
        return keyed.index(header_key(name))
    raise InputError(f"no {what} {name!r}; the {what}s are {names}", file=file,
                     expected=f"a {what} named {name!r}, or set its name or index in the config")
