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

from eduanalytics.normalise.text import to_halfwidth
from eduanalytics.privacy import mask_id

#: Weights of the 17 body digits: 2**(17-i) mod 11.
WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
#: Check character for (weighted sum mod 11).
CHECK_CHARS = np.frombuffer(b"10X98765432", dtype=np.uint8)

_NUMBER_TYPES = (int, float, np.integer, np.floating)


def id_matrix(ids: pd.Series) -> np.ndarray:
    """The ASCII codes of 18-character IDs as an ``(n, 18)`` uint8 matrix (no Python loop
    per value where the Series is Arrow-backed).

    Parameters
    ----------
    ids : Series
        18-character ASCII strings, no missing values.
    """
    n = len(ids)
    if n == 0:
        return np.zeros((0, 18), dtype=np.uint8)
    arr = getattr(ids.array, "_pa_array", None)
    if arr is not None:
        a = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        width = np.int64 if pa.types.is_large_string(a.type) else np.int32
        offsets = np.frombuffer(a.buffers()[1], dtype=width)[a.offset:a.offset + n + 1]
        if offsets[-1] - offsets[0] == 18 * n:
            data = np.frombuffer(a.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
            return data.reshape(n, 18)
    return np.frombuffer(np.asarray(ids.to_numpy(dtype=object), dtype="S18").tobytes(),
                         dtype=np.uint8).reshape(n, 18)


def check_characters(m: np.ndarray) -> np.ndarray:
    """Expected check character (ASCII code) of each row of an ID matrix."""
    digits = m[:, :17].astype(np.int64) - 48
    return CHECK_CHARS[(digits @ WEIGHTS) % 11]


def ymd_to_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Build ``datetime64[D]`` from integer parts; impossible dates (2023-02-30, month 13)
    give NaT."""
    year = np.asarray(year, dtype=np.int64)
    month = np.asarray(month, dtype=np.int64)
    day = np.asarray(day, dtype=np.int64)
    ok = (month >= 1) & (month <= 12) & (day >= 1) & (year >= 1) & (year <= 9999)
    m0 = ((np.where(ok, year, 1970) - 1970) * 12 + np.where(ok, month, 1) - 1).astype("datetime64[M]")
    length = ((m0 + 1).astype("datetime64[D]") - m0.astype("datetime64[D]")).astype(np.int64)
    ok &= day <= length
    out = m0.astype("datetime64[D]") + (np.where(ok, day, 1) - 1)
    return np.where(ok, out, np.datetime64("NaT"))


def whole_years(birth: pd.Series, ref: pd.Series | pd.Timestamp) -> pd.Series:
    """Age in whole years at ``ref`` (a date or a Series of dates), Int64."""
    b = pd.to_datetime(birth)
    if isinstance(ref, pd.Series):
        r = pd.to_datetime(ref)
        ry, rm, rd = r.dt.year, r.dt.month, r.dt.day
    else:
        ry, rm, rd = ref.year, ref.month, ref.day
    before = (b.dt.month > rm) | ((b.dt.month == rm) & (b.dt.day > rd))
    return (ry - b.dt.year - before.astype("Int64")).astype("Int64")


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
        (male/female: 17th digit odd/even), ``age`` (Int64), ``area_code``.
    """
    numeric = _numeric_cells(s).to_numpy(dtype=bool)
    raw = s.astype("string")
    n = len(s)
    # only cells that are not already 17 digits and a check character may need rewriting
    # (spaces, dashes, a lower-case x, full-width forms)
    plain = raw.str.fullmatch(r"[0-9]{17}[0-9X]").fillna(False).to_numpy(dtype=bool)
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
    digits = m[:, :17].astype(np.int64) - 48
    births = ymd_to_dates(digits[:, 6:10] @ [1000, 100, 10, 1], digits[:, 10:12] @ [10, 1],
                          digits[:, 12:14] @ [10, 1])
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
    sex_digit = np.zeros(n, dtype=np.int64)
    sex_digit[idx] = digits[:, 16] % 2
    sexes = pa.array(["female", "male"]).take(pa.array(sex_digit))
    sex = pd.Series(pd.arrays.ArrowStringArray(sexes), index=s.index, dtype="string").where(ok)
    changed = np.zeros(n, dtype=bool)
    if odd.any():
        changed[odd] = (text[odd] != raw[odd].str.strip()).fillna(False).to_numpy(dtype=bool)
    okS = pd.Series(ok, index=s.index)
    return pd.DataFrame({
        "value": text.where(okS), "error": error, "changed": changed & ok,
        "birth_date": birth, "sex": sex,
        "age": whole_years(birth, ref).where(okS), "area_code": text.str[:6].where(okS),
    }, index=s.index)
