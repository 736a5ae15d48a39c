"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduanalytics.normalise import (
    parse_id_numbers,
)


def test_id_numbers_gb11643():
    # the standard's own example: 11010519491231002X. By hand: digits x weights
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167,
    # 167 mod 11 = 2 -> check character 'X'.
    ok = "11010519491231002X"
    retired = "33260319700101456"  # Huangyan's pre-1994 code, still a valid person
    from stdnum.cn import ric

    retired += ric.calc_check_digit(retired + "0")
    s = pd.Series([ok, ok.lower(), retired, ok[:-1] + "3", "110105491231002", "12345", ""])
    r = parse_id_numbers(s, "2023-12-31")
    assert r["value"].tolist()[:3] == [ok, ok, retired]
    assert r.loc[0, "birth_date"] == pd.Timestamp("1949-12-31") and r.loc[0, "age"] == 74
    assert r.loc[0, "sex"] == "female"  # 17th digit 2: even
    assert r.loc[2, "area_code"] == "332603"
    assert "check digit is 3, expected X" in r.loc[3, "error"]
    assert "110105********" in r.loc[3, "error"] and ok not in r.loc[3, "error"]
    assert "15-digit" in r.loc[4, "error"] and "expected 17 digits" in r.loc[5, "error"]
    assert "blank" in r.loc[6, "error"]



def test_vectorised_check_digit_agrees_with_stdnum():
    # python-stdnum is the oracle: 3000 seeded random bodies, every check character equal
    import numpy as np
    from stdnum.cn import ric

    from eduanalytics.normalise.idnumber import check_characters, id_matrix

    rng = np.random.default_rng(11643)
    bodies = ["".join(map(str, rng.integers(0, 10, 17))) for _ in range(3000)]
    m = id_matrix(pd.Series([b + "0" for b in bodies], dtype="string"))
    got = check_characters(m).view("S1").astype(str)
    assert list(got) == [ric.calc_check_digit(b + "0") for b in bodies]


def test_letter_inside_and_excel_numbers_are_one_bad_row_each():
    ok = "11010519491231002X"
    s = pd.Series([ok, "1101051949123C002X", 3.31004199001011e17, 331004199001011234,
                   "3.31004199001011E+17"], dtype=object)
    r = parse_id_numbers(s, "2023-12-31")
    assert r["value"].notna().tolist() == [True, False, False, False, False]
    assert "characters other than digits" in r.loc[1, "error"]
    for i in (2, 3, 4):
        assert "stored as a number" in r.loc[i, "error"]
    assert "331004199001011234" not in " ".join(r["error"].dropna())


def test_age_at_a_date_per_row():
    # born 1949-12-31: on 2023-12-30 still 73, on 2023-12-31 74
    ok = "11010519491231002X"
    ref = pd.Series(pd.to_datetime(["2023-12-30", "2023-12-31"]))
    r = parse_id_numbers(pd.Series([ok, ok]), ref)
    assert r["age"].tolist() == [73, 74]


def test_impossible_birth_dates():
    import numpy as np

    from eduanalytics.normalise.idnumber import ymd_to_dates

    # 2023 is not a leap year, 2024 and 2000 are, 1900 is not (divisible by 100, not 400)
    d = ymd_to_dates(np.array([2023, 2024, 2000, 1900, 2023, 2023]), np.array([2, 2, 2, 2, 13, 4]),
                     np.array([29, 29, 29, 29, 1, 31]))
    assert pd.isna(d).tolist() == [True, False, False, True, True, True]
    assert str(d[1]) == "2024-02-29"


def test_calendar_arithmetic_against_pandas():
    """Integer calendar arithmetic agrees with pandas' calendar on 200,000 random dates
    from year 1422 to 2517 (both directions), and with hand-worked ages."""
    from eduanalytics.normalise.idnumber import _ymd, whole_years, ymd_to_dates

    days = np.random.default_rng(7).integers(-200_000, 200_000, 200_000).astype("datetime64[D]")
    y, m, d = _ymd(days)
    ref = pd.DatetimeIndex(days)
    assert (y == ref.year).all() and (m == ref.month).all() and (d == ref.day).all()
    assert (ymd_to_dates(y, m, d) == days).all()
    # born on a leap day: 22 on 2023-02-28 (the birthday has not come), 24 on 2024-02-29
    born = pd.Series(pd.to_datetime(["2000-02-29", "2000-02-29", None, "1990-06-15"]))
    on = pd.Series(pd.to_datetime(["2023-02-28", "2024-02-29", "2024-01-01", "2023-06-14"]))
    assert whole_years(born, on).tolist()[:2] == [22, 24]
    assert pd.isna(whole_years(born, on).iloc[2]) and whole_years(born, on).iloc[3] == 32
