"""Resident ID numbers (GB 11643-1999): check digit, birth date, sex, age.

The check digit comes from python-stdnum (``stdnum.cn.ric.calc_check_digit``; ISO 7064
MOD 11-2). We deliberately do NOT call ``stdnum.cn.ric.validate`` as a whole: it also
requires the area code (first 6 digits) to be in its list of divisions valid in the birth
year, and real registers hold many people whose area code was renamed or retired since
(e.g. 332603, Huangyan county before Taizhou became a city in 1994). A number whose check
digit and birth date are valid is accepted whatever its area code.
"""

from __future__ import annotations

import pandas as pd
from stdnum.cn import ric

from eduanalytics.normalise.text import to_halfwidth
from eduanalytics.privacy import mask_id


def _check_digit(body17: str) -> str:
    # stdnum expects the number WITH a check digit position and ignores its last character
    return ric.calc_check_digit(body17 + "0")


def parse_id_numbers(s: pd.Series, reference_date: str | pd.Timestamp) -> pd.DataFrame:
    """Validate ID numbers and derive birth date, sex and age.

    Parameters
    ----------
    s : Series
        Raw ID cells (full-width digits, spaces and a lower-case x are normalised).
    reference_date : str or Timestamp
        Date at which ``age`` is computed (whole years).

    Returns
    -------
    DataFrame
        ``value`` (normalised 18-character ID, <NA> if invalid), ``error`` (reason; the
        number is always shown masked), ``changed``, ``birth_date``, ``sex``
        (male/female: 17th digit odd/even), ``age`` (Int64), ``area_code``.
    """
    ref = pd.Timestamp(reference_date)
    raw = s.astype("string")
    text = to_halfwidth(raw).str.replace(r"[\s\-]", "", regex=True).str.upper()
    blank = text.isna() | text.eq("")
    masked = mask_id(text.fillna(""))
    error = pd.Series(pd.NA, index=s.index, dtype="string")
    fifteen = text.str.fullmatch(r"[0-9]{15}").fillna(False)
    form_ok = text.str.fullmatch(r"[0-9]{17}[0-9X]").fillna(False)
    error = error.mask(blank, "blank; expected an 18-character resident ID number")
    error = error.mask(fifteen, masked + ": 15-digit first-generation number; expected 18 characters")
    wrong = ~blank & ~fifteen & ~form_ok
    length = text.str.len().astype("Int64").astype("string").fillna("0")
    error = error.mask(wrong, masked + ": " + length + " characters or characters other than "
                       "digits and a final X; expected 17 digits and a check digit")
    body = text.where(form_ok).str[:17]
    uniq = body.dropna().unique()
    expected = body.map({b: _check_digit(b) for b in uniq})  # stdnum over unique values
    bad_check = form_ok & expected.ne(text.str[17]).fillna(False)
    error = error.mask(bad_check, masked + ": check digit is " + text.str[17].fillna("") +
                       ", expected " + expected.fillna(""))
    birth = pd.to_datetime(text.where(form_ok).str[6:14], format="%Y%m%d", errors="coerce")
    bad_date = form_ok & ~bad_check & birth.isna()
    error = error.mask(bad_date, masked + ": birth date digits " + text.str[6:14].fillna("") +
                       " are not a real date")
    future = form_ok & birth.gt(ref).fillna(False)
    error = error.mask(future & ~bad_check, masked + f": birth date after the reference date {ref.date()}")
    ok = error.isna() & ~blank
    birth = birth.where(ok)
    age = (ref.year - birth.dt.year - ((birth.dt.month > ref.month) |
           ((birth.dt.month == ref.month) & (birth.dt.day > ref.day))).astype(int)).astype("Int64")
    sex = pd.Series(pd.NA, index=s.index, dtype="string").mask(
        ok, text.str[16].astype("float").mod(2).map({1.0: "male", 0.0: "female"}).astype("string"))
    changed = ok & text.ne(raw.str.strip())
    return pd.DataFrame({
        "value": text.where(ok), "error": error, "changed": changed.fillna(False).astype(bool),
        "birth_date": birth.astype("datetime64[ns]"), "sex": sex,
        "age": age.where(ok), "area_code": text.str[:6].where(ok),
    }, index=s.index)
