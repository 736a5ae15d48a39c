"""Percentages printed three ways (57%, 57, 0.57) brought to one convention: percent units.

The rule, applied to one column (one indicator's values) at a time:

1. a cell carrying ``%`` (or ``％``) is a percent: ``57%`` -> 57.0;
2. a bare number is a percent too when ANY cell of the column carries ``%`` or ANY bare
   value of the column is above 1 (``79.8`` beside ``84``, ``90`` -> 79.8);
3. only when EVERY non-missing bare value of the column lies within [0, 1] and no cell
   carries ``%`` are the values fractions, multiplied by 100 (``0.57`` -> 57.0).

So a column of ``1``/``0.5`` is read as fractions; a single cell cannot be judged alone.
Values above ``max_value`` (100 by default) and negative values are errors.
"""

from __future__ import annotations

import pandas as pd

from eduanalytics.normalise.numbers import normalise_numbers
from eduanalytics.normalise.text import clean_text


def normalise_percent(s: pd.Series, max_value: float | None = 100.0) -> pd.DataFrame:
    """Normalise a column of percentages to percent units (see the module rule).

    Parameters
    ----------
    s : Series
        Raw cells of ONE column (one indicator).
    max_value : float or None
        Upper bound (100); ``None`` allows more (a gross enrolment ratio may exceed 100).

    Returns
    -------
    DataFrame
        ``value`` (Float64, percent units), ``error``, ``changed``, ``not_applicable``.
    """
    text = clean_text(s.astype("string"))
    has_pct = text.str.contains("%", regex=False).fillna(False)
    num = normalise_numbers(text.str.replace("%", "", regex=False))
    bare = num["value"].where(~has_pct)
    fractions = (not has_pct.any()) and bare.notna().any() and bool(bare.dropna().between(0, 1).all())
    value = (num["value"] * 100).round(10) if fractions else num["value"]
    error = num["error"].astype("string")
    no_number = has_pct & num["value"].isna() & error.isna()
    error = error.mask(no_number, "'" + text.fillna("") + "' holds no number; expected a "
                       "percentage such as 57%")
    neg = value.lt(0).fillna(False)
    error = error.mask(neg, "'" + text.fillna("") + "' is negative; expected a percentage between 0 and "
                       + (str(int(max_value)) if max_value is not None else "any upper bound"))
    if max_value is not None:
        over = value.gt(max_value).fillna(False)
        error = error.mask(over, "'" + text.fillna("") + f"' is above {max_value:g}; expected a "
                           f"percentage between 0 and {max_value:g}")
    bad = error.notna()
    changed = (has_pct | num["changed"] | pd.Series(fractions, index=s.index)) & value.notna() & ~bad
    return pd.DataFrame({"value": value.mask(bad).astype("Float64"), "error": error,
                         "changed": changed.astype(bool), "not_applicable": num["not_applicable"]},
                        index=s.index)
