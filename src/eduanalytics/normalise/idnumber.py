"""Resident ID numbers (GB 11643-1999): check digit, birth date, sex, age — vectorised.

The check digit (ISO 7064 MOD 11-2) is computed with numpy over the digit columns of all
numbers at once: the 17 body digits times the weights ``2**(17-i) mod 11``, summed, mod 11,
give the check character ``"10X98765432"[sum % 11]``. (The tests keep python-stdnum as
the oracle.) We deliberately do NOT require the area code (first 6 digits) to be a
division valid in the birth year: real registers hold many people whose area code was
renamed or retired since (e.g. 332603, Huangyan county before Taizhou became a city in
1994). A number whose check digit and birth date are valid is accepted whatever its area.

A number stored by Excel as a number (``3.31004199001011e+17`` or an int) has lost its
last digits (Excel keeps 15 significant digits) and is one quarantined row, never an
exception; so is a letter anywhere but the last place.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eduanalytics.arrow_text import arrow_strings, fixed_width_bytes
from eduanalytics.normalise.text import to_halfwidth
from eduanalytics.privacy import mask_id

#: Weights of the 17 body digits: 2**(17-i) mod 11.
WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
#: Check character for (weighted sum mod 11).
CHECK_CHARS = np.frombuffer(b"10X98765432", dtype=np.uint8)

_NUMBER_TYPES = (int, float, np.integer, np.floating)
#: The ``sex`` an ID number gives: a categorical of text (codes 0 female, 1 male).
SEX_DTYPE = pd.CategoricalDtype(pd.Index(["female", "male"], dtype="str"))


def id_matrix(ids: pd.Series) -> np.ndarray:
    """The ASCII codes of 18-character IDs as an ``(n, 18)`` uint8 matrix (no Python loop
    per value where the Series is Arrow-backed).

    Parameters
    ----------
    ids : Series
        18-character ASCII strings, no missing values.
    """
    n = len(ids)
    if getattr(ids.array, "_pa_array", None) is not None:
        m = fixed_width_bytes(arrow_strings(ids), 18)
        if m is not None:
            return m
    return np.frombuffer(np.asarray(ids.to_numpy(dtype=object), dtype="S18").tobytes(),
                         dtype=np.uint8).reshape(n, 18)


def check_characters(m: np.ndarray) -> np.ndarray:
    """Expected check character (ASCII code) of each row of an ID matrix."""
    total = np.zeros(len(m), dtype=np.int32)
    for i, w in enumerate(WEIGHTS):  # 17 column passes, not a matrix product in int64
        total += (m[:, i].astype(np.int32) - 48) * int(w)
    return CHECK_CHARS[total % 11]


def _number(m: np.ndarray, start: int, stop: int) -> np.ndarray:
    """The decimal number written in columns ``start:stop`` of an ID matrix."""
    out = np.zeros(len(m), dtype=np.int32)
    for i in range(start, stop):
        out = out * 10 + (m[:, i].astype(np.int32) - 48)
    return out


def _plain(raw: pd.Series) -> np.ndarray:
    """True where a cell is already 17 digits and a check character (0-9 or X), checked
    on the bytes of the Arrow data (no regular expression per cell)."""
    arr = arrow_strings(raw)
    length = pc.binary_length(arr).to_numpy(zero_copy_only=False)
    out = np.zeros(len(raw), dtype=bool)
    idx = np.flatnonzero(np.nan_to_num(length, nan=0) == 18)
    if len(idx):
        m = fixed_width_bytes(arr, 18) if len(idx) == len(arr) else None  # all 18: no copy
        if m is None:
            m = id_matrix(pd.Series(pd.arrays.ArrowStringArray(arr.take(pa.array(idx)))))
        body = ((m[:, :17] >= 48) & (m[:, :17] <= 57)).all(axis=1)
        last = ((m[:, 17] >= 48) & (m[:, 17] <= 57)) | (m[:, 17] == ord("X"))
        out[idx] = body & last
    return out


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def ymd_to_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Build ``datetime64[D]`` from integer parts; impossible dates (2023-02-30, month 13)
    give NaT. Integer arithmetic only (H. Hinnant's ``days_from_civil``)."""
    y = np.asarray(year, dtype=np.int64)
    m = np.asarray(month, dtype=np.int64)
    d = np.asarray(day, dtype=np.int64)
    ok = (m >= 1) & (m <= 12) & (y >= 1) & (y <= 9999) & (d >= 1)
    mm = np.where(ok, m, 1)
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    ok &= d <= _MONTH_DAYS[mm] + ((mm == 2) & leap)
    y = y - (mm <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * np.where(mm > 2, mm - 3, mm + 9) + 2) // 5 + d - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    return np.where(ok, days, np.iinfo(np.int64).min).astype("datetime64[D]")


def _ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of ``datetime64[D]`` values (H. Hinnant's ``civil_from_days``)."""
    z = d.astype(np.int64) + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, day


def whole_years(birth: pd.Series, ref: pd.Series | pd.Timestamp) -> pd.Series:
    """Age in whole years at ``ref`` (a date or a Series of dates), Int64 (<NA> where a
    date is missing)."""
    b = pd.to_datetime(birth).to_numpy(dtype="datetime64[D]")
    if isinstance(ref, pd.Series):
        r = pd.to_datetime(ref).to_numpy(dtype="datetime64[D]")
    else:
        r = np.full(len(b), np.datetime64(pd.Timestamp(ref).date()), dtype="datetime64[D]")
    missing = np.isnat(b) | np.isnat(r)
    by, bm, bd = _ymd(np.where(missing, np.datetime64("2000-01-01"), b))
    ry, rm, rd = _ymd(np.where(missing, np.datetime64("2000-01-01"), r))
    age = ry - by - ((bm > rm) | ((bm == rm) & (bd > rd)))
    index = birth.index if isinstance(birth, pd.Series) else None
    return pd.Series(pd.arrays.IntegerArray(age, missing), index=index)


def _numeric_cells(s: pd.Series) -> pd.Series:
    """True where a cell is a number (Excel stored the ID as a number)."""
    if s.dtype != object:
        return pd.Series(False, index=s.index)
    codes, uniques = pd.factorize(s)
    is_num = np.array([isinstance(u, _NUMBER_TYPES) and not isinstance(u, bool) for u in uniques],
                      dtype=bool)
    return pd.Series(np.append(is_num, False)[codes], index=s.index)


def parse_id_numbers(s: pd.Series, reference_date: str | pd.Timestamp | pd.Series) -> pd.DataFrame:
    """Validate ID numbers and derive birth date, sex and age.

    Parameters
    ----------
    s : Series
        Raw ID cells (full-width digits, spaces and a lower-case x are normalised).
    reference_date : str, Timestamp or Series
        Date at which ``age`` is computed (whole years); a Series gives one date per row
        (e.g. the enrolment date). A birth date after it is an error only for a scalar.

    Returns
    -------
    DataFrame
        ``value`` (normalised 18-character ID, <NA> if invalid), ``error`` (reason; the
        number is always shown masked), ``changed``, ``birth_date``, ``sex``
        (male/female: 17th digit odd/even; a categorical, :data:`SEX_DTYPE`), ``age``
        (Int64), ``area_code``.
    """
    numeric = _numeric_cells(s).to_numpy(dtype=bool)
    raw = s.astype("string")
    n = len(s)
    # only cells that are not already 17 digits and a check character may need rewriting
    # (spaces, dashes, a lower-case x, full-width forms)
    plain = _plain(raw)
    odd = ~plain & raw.notna().to_numpy(dtype=bool)
    text = raw
    if odd.any():
        fixed = to_halfwidth(raw[odd]).str.replace(r"[\s\-]", "", regex=True).str.upper()
        text = raw.copy()
        text[odd] = fixed
    blank = (text.isna() | text.eq("")).to_numpy(dtype=bool)
    form_ok = plain.copy()
    if odd.any():
        form_ok[odd] = text[odd].str.fullmatch(r"[0-9]{17}[0-9X]").fillna(False).to_numpy(dtype=bool)
    form_ok &= ~numeric
    idx = np.flatnonzero(form_ok)
    m = id_matrix(text.iloc[idx])
    expected_chr = check_characters(m)
    check_ok = expected_chr == m[:, 17]
    year, month, day = _number(m, 6, 10), _number(m, 10, 12), _number(m, 12, 14)
    births = ymd_to_dates(year, month, day)
    birth_all = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    birth_all[idx] = np.where(check_ok, births, np.datetime64("NaT"))
    bad_check = np.zeros(n, dtype=bool)
    bad_check[idx] = ~check_ok
    exp_all = np.full(n, ord("?"), dtype=np.uint8)
    exp_all[idx] = expected_chr
    bad_date = form_ok & ~bad_check & np.isnat(birth_all)
    future = np.zeros(n, dtype=bool)
    if not isinstance(reference_date, pd.Series):
        ref = pd.Timestamp(reference_date)
        future = form_ok & ~bad_check & ~bad_date & (birth_all > np.datetime64(ref.date()))
    else:
        ref = reference_date
    ok = form_ok & ~bad_check & ~bad_date & ~future
    # messages are built for the failing cells only
    err_pos = np.flatnonzero(~ok)
    t = text.iloc[err_pos]
    masked = mask_id(t.fillna(""))
    e = pd.Series(pd.NA, index=t.index, dtype="string")
    sub = {k: pd.Series(v[err_pos], index=t.index) for k, v in
           (("blank", blank), ("numeric", numeric), ("bad_check", bad_check), ("bad_date", bad_date),
            ("future", future), ("form_ok", form_ok))}
    sci = sub["numeric"] | (t.str.fullmatch(r"[0-9]+(\.[0-9]+)?E\+?[0-9]+|[0-9]+\.0").fillna(False) & ~sub["blank"])
    fifteen = t.str.fullmatch(r"[0-9]{15}").fillna(False) & ~sci
    wrong = ~sub["blank"] & ~fifteen & ~sub["form_ok"] & ~sci
    length = t.str.len().astype("Int64").astype("string").fillna("0")
    exp_s = pd.Series(exp_all[err_pos].view("S1").astype(str), index=t.index, dtype="string")
    e = e.mask(sub["blank"], "blank; expected an 18-character resident ID number")
    e = e.mask(sci & ~sub["blank"], masked + ": stored as a number, so Excel kept only 15 significant "
               "digits; expected the ID as text (format the column as 文本 and re-export)")
    e = e.mask(fifteen, masked + ": 15-digit first-generation number; expected 18 characters")
    e = e.mask(wrong, masked + ": " + length + " characters or characters other than "
               "digits and a final X; expected 17 digits and a check digit")
    e = e.mask(sub["bad_check"], masked + ": check digit is " + t.str[17].fillna("") + ", expected " + exp_s)
    e = e.mask(sub["bad_date"], masked + ": birth date digits " + t.str[6:14].fillna("") +
               " are not a real date")
    if sub["future"].any():
        e = e.mask(sub["future"], masked + f": birth date after the reference date {ref.date()}")
    error = pd.Series(pd.NA, index=s.index, dtype="string")
    error.iloc[err_pos] = e.to_numpy()
    birth = pd.Series(np.where(ok, birth_all, np.datetime64("NaT")).astype("datetime64[ns]"), index=s.index)
    sex_code = np.full(n, -1, dtype=np.int8)  # 0 female, 1 male, -1 missing
    sex_code[idx] = (m[:, 16] - 48) % 2
    sex = pd.Series(pd.Categorical.from_codes(np.where(ok, sex_code, -1), dtype=SEX_DTYPE),
                    index=s.index)
    changed = np.zeros(n, dtype=bool)
    if odd.any():
        changed[odd] = (text[odd] != raw[odd].str.strip()).fillna(False).to_numpy(dtype=bool)
    okS = pd.Series(ok, index=s.index)
    if isinstance(ref, pd.Series):
        age = whole_years(birth, ref).where(okS)
    else:  # whole years at one date, from the ID's own birth-date digits
        r = ref.date()
        years = np.zeros(n, dtype=np.int64)
        years[idx] = r.year - year - ((month > r.month) | ((month == r.month) & (day > r.day)))
        age = pd.Series(pd.arrays.IntegerArray(years, ~ok), index=s.index)
    return pd.DataFrame({
        "value": text.where(okS), "error": error, "changed": changed & ok,
        "birth_date": birth, "sex": sex,
        "age": age, "area_code": text.str[:6].where(okS),
    }, index=s.index)
