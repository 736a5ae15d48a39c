"""Output safety: what the tool writes for people to open must not run anything.

Two hazards, two helpers:

- **Formula injection** (OWASP "CSV injection"): a spreadsheet treats a cell starting with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula. Every CSV and XLSX the
  tool writes goes through :func:`neutralise_formulas`, which prefixes such *text* cells with
  a single quote ``'``. Numbers stored as numbers (a genuine ``-3``) are left alone.
- **HTML injection**: a unit name or a table cell holding ``<script>`` must reach
  ``report.html`` as text. :func:`escape_html` escapes a string, :func:`escape_markdown`
  makes a Markdown string safe to render (raw HTML in it shows as text).

:func:`write_csv` is the one way the tool writes a CSV for people: formulas neutralised,
personal data masked (:func:`eduanalytics.privacy.mask_text`) in free-text columns.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

#: First characters a spreadsheet reads as the start of a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE = r"^[=+\-@\t\r]"


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or isinstance(s.dtype, pd.StringDtype) or isinstance(
        s.dtype, pd.CategoricalDtype)


def neutralise_text(s: pd.Series) -> pd.Series:
    """Prefix text cells that a spreadsheet would read as a formula with ``'``.

    Non-text values in an object column (numbers, dates, missing) are kept as they are.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    try:  # the .str accessor only looks at the text values of an object column
        risky = s.str.contains(_FORMULA_RE, regex=True, na=False).astype(bool)
    except AttributeError:  # no text at all
        return s
    if not risky.any():
        return s
    out = s.astype(object).copy()
    out[risky] = "'" + s[risky].astype(str)
    return out


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` in which no text cell or header starts a spreadsheet formula.

    Parameters
    ----------
    df : DataFrame

    Returns
    -------
    DataFrame
        Text cells (and column names) starting with ``= + - @``, a tab or a carriage
        return get a leading ``'`` (OWASP); numeric columns and non-text values are
        unchanged, so a genuine negative number stays a number.
    """
    out = df.copy()
    for i in range(out.shape[1]):  # by position: relabelled headers may repeat
        col = out.iloc[:, i]
        if _is_text(col):
            out.isetitem(i, neutralise_text(col))
    out.columns = [("'" + c) if isinstance(c, str) and c.startswith(FORMULA_START) else c
                   for c in out.columns]
    return out


def defuse_markup(s: pd.Series) -> pd.Series:
    """Text cells with ``<`` replaced by the full-width ``＜``: markup copied from a raw
    file (``<script>``) can then never be rendered by whatever opens the output."""
    if not _is_text(s):
        return s
    try:
        risky = s.str.contains("<", regex=False, na=False).astype(bool)
    except AttributeError:
        return s
    if not risky.any():
        return s
    out = s.astype(object).copy()
    out[risky] = s[risky].astype(str).str.replace("<", "＜", regex=False)
    return out


def write_csv(df: pd.DataFrame, path: str | Path, mask: Iterable[str] = ()) -> Path:
    """Write a CSV for people: masked free text, neutralised formulas, defused markup,
    UTF-8 with BOM.

    Parameters
    ----------
    df : DataFrame
    path : path-like
    mask : iterable of str
        Free-text columns to pass through :func:`eduanalytics.privacy.mask_text`.

    Returns
    -------
    Path
    """
    from eduanalytics.privacy import mask_text

    out = df.copy()
    for col in mask:
        if col in out.columns:
            out[col] = mask_text(out[col])
    for i in range(out.shape[1]):
        out.isetitem(i, defuse_markup(out.iloc[:, i]))
    path = Path(path)
    neutralise_formulas(out).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def escape_html(text: object) -> str:
    """``text`` as HTML text: ``<``, ``>``, ``&`` and quotes escaped."""
    return html.escape("" if text is None else str(text), quote=True)


def escape_markdown(text: object) -> str:
    """Make a Markdown string render raw HTML as text (``<b>`` shows as ``<b>``).

    Only ``&`` and ``<`` need escaping: Markdown renders ``&lt;`` and ``&amp;`` as the
    characters, while ``>`` keeps its block-quote meaning at the start of a line.
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;")
