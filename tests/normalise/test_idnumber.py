"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

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

