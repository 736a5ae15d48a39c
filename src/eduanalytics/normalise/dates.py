"""Dates as registers hold them: 2023-03-06 · 2023/3/6 · 2023.3.6 · 2023年3月6日 · 20230306 ·
Excel serial numbers · datetime cells.

Parsed in bulk: a register column holds few distinct dates, so the cells are factorised and
only the distinct values are parsed (no Python function per cell), then spread back by
their codes.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from eduanalytics.normalise.text import to_halfwidth

#: Excel's 1900 date system: serial 1 = 1900-01-01, with the fictitious 1900-02-29,
#: so serials from 61 on count from 1899-12-30.
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Serials accepted as dates: 1950-01-01 (18264) to 2100-12-31 (73415).
SERIAL_RANGE = (18264, 73415)

_PATTERNS = [
    (r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$", "ymd"),
    (r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$", "ymd"),
    (r"^(\d{4})(\d{2})(\d{2})$", "ymd"),
]


def normalise_dates(s: pd.Series) -> pd.DataFrame:
    """Normalise date cells (each distinct value parsed once).

    Parameters
    ----------
    s : Series
        Raw cells: strings in the formats above (full-width digits allowed), Excel serial
        numbers (int/float or numeric strings within 1950-2100), or date/datetime objects.

    Returns
    -------
    DataFrame
        ``value`` (datetime64[ns]), ``error`` (string; impossible dates such as
        2023-02-30 and unknown formats name what was expected), ``changed`` (bool: the
        cell was not already an ISO date or a date object).
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    parsed = _normalise_distinct(u)
    blank_row = pd.DataFrame({"value": [pd.NaT], "error": pd.array([pd.NA], dtype="string"),
                              "changed": [False]}).astype({"value": "datetime64[ns]"})
    table = pd.concat([parsed, blank_row], ignore_index=True)
    take = np.where(codes < 0, len(u), codes)
    out = table.iloc[take]
    out.index = s.index
    return out.astype({"changed": bool})


def _normalise_distinct(s: pd.Series) -> pd.DataFrame:
    obj = s.astype(object)
    is_dateobj = obj.map(lambda v: isinstance(v, (dt.date, pd.Timestamp))).astype(bool)
    is_num = obj.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).astype(bool)
    text = to_halfwidth(obj.where(~is_dateobj & ~is_num).astype("string")).str.strip()
    blank = (text.isna() | text.eq("")) & ~is_dateobj & ~is_num

    value = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    matched = pd.Series(False, index=s.index)
    # date cells outside 1900-2100 cannot be a learner's date (and some no timestamp holds)
    year = obj.where(is_dateobj).map(lambda v: v.year if isinstance(v, (dt.date, pd.Timestamp)) else None)
    odd_obj = is_dateobj & ~pd.to_numeric(year, errors="coerce").between(1900, 2100)
    if (is_dateobj & ~odd_obj).any():
        ok = is_dateobj & ~odd_obj
        value[ok] = pd.to_datetime(obj[ok].map(pd.Timestamp)).dt.normalize().astype("datetime64[ns]")
    matched |= is_dateobj
    # numbers: Excel serials (also numeric strings like "44991")
    serial = pd.to_numeric(obj.where(is_num), errors="coerce")
    num_text = text.str.fullmatch(r"\d{5}(\.\d+)?").fillna(False)
    serial = serial.astype(float).fillna(pd.to_numeric(text.where(num_text), errors="coerce").astype(float))
    in_range = serial.between(*SERIAL_RANGE)
    if in_range.any():
        value[in_range] = EXCEL_EPOCH + pd.to_timedelta(serial[in_range].astype(float).floordiv(1), unit="D")
    matched |= serial.notna()
    error = pd.Series(pd.NA, index=s.index, dtype="string")
    error = error.mask(odd_obj, "date cell in year " + year.astype("string").fillna("") +
                       " is outside 1900-2100; expected a real date")
    error = error.mask(serial.notna() & ~in_range,
                       "number " + serial.astype("string").fillna("") + " is not a date; expected an "
                       "Excel date serial between 18264 (1950) and 73415 (2100) or a written date")
    todo = ~matched & ~blank
    for pattern, _ in _PATTERNS:
        parts = text.where(todo).str.extract(pattern)
        hit = parts[0].notna() & todo
        if not hit.any():
            continue
        iso = parts.loc[hit, 0] + "-" + parts.loc[hit, 1].str.zfill(2) + "-" + parts.loc[hit, 2].str.zfill(2)
        parsed = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
        value[hit] = parsed
        error = error.mask(hit & parsed.reindex(s.index).isna(),
                           "'" + text.fillna("") + "' is not a real calendar date")
        todo &= ~hit
    error = error.mask(todo, "'" + text.fillna("") + "' is not a date; expected 2023-03-06, "
                       "2023.3.6, 2023年3月6日 or an Excel date")
    iso_already = s.astype("string").str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fillna(False)
    changed = value.notna() & ~iso_already & ~is_dateobj
    return pd.DataFrame({"value": value, "error": error, "changed": changed.astype(bool)},
                        index=s.index)
