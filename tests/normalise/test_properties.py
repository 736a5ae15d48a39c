"""Property-based tests of every normaliser in ``eduanalytics.normalise``.

For any cells (text of any script, None, NaN, infinities, huge integers, dates and
datetimes of any year) each normaliser returns a value or a reason for every cell and
never raises; its output keeps the input's index; a valid value, written the ways people
write it, comes back as itself.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from eduanalytics.normalise import (
    clean_text,
    is_total_label,
    normalise_attainment,
    normalise_dates,
    normalise_numbers,
    normalise_percent,
    normalise_unit_names,
    parse_id_numbers,
    to_halfwidth,
)
from eduanalytics.normalise.attainment_labels import ATTAINMENT_LABELS
from eduanalytics.tables.attainment import LEVELS

SETTINGS = settings(max_examples=200, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
#: Properties that once failed: each carries the failing cell as an explicit example, so a
#: regression fails every run; no shrinking.
NO_SHRINK = settings(SETTINGS, phases=[Phase.explicit, Phase.generate])
#: Round trips draw from regular spaces: fewer examples suffice.
ROUND_TRIP = settings(SETTINGS, max_examples=100)
REF = pd.Timestamp("2023-12-31")

# ---- what a cell may hold ----------------------------------------------------------------------

_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))
_TEXTISH = st.one_of(
    st.text(_CHARS, max_size=25),
    st.text(st.sampled_from("0123456789０１２３４５６７８９.,-/年月日万%％ Xx：:T"), max_size=20),
    st.from_regex(r"[0-9]{17}[0-9Xx]", fullmatch=True),
    st.from_regex(r"(19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}", fullmatch=True),
    st.sampled_from(["/", "—", "合计", "=1+1", "+cmd", "-2+3", "@SUM(A1)",
                     "<script>alert(1)</script>", "1,234", "１２３４", "12.6", "1e400", "nan", ""]),
)
CELLS = st.one_of(
    _TEXTISH, st.none(), st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20), st.booleans(),
    st.datetimes(), st.dates(),
)


@st.composite
def series(draw, cells=CELLS):
    """A Series of mixed cells with a non-default index (strings, shuffled)."""
    values = draw(st.lists(cells, min_size=0, max_size=12))
    index = [f"r{7 * i + 3}" for i in range(len(values))][::-1]
    return pd.Series(values, index=index, dtype=object)


def _units() -> pd.DataFrame:
    return pd.DataFrame({
        "unit_id": ["lunan", "jinqing", "zhongzhi"],
        "name": ["路南街道", "金清镇", "区中职校"],
        "kind": ["street", "town", "school"],
        "aliases": [["路南", "路南街道办事处"], ["金清", "金清镇人民政府"], ["中职校"]],
    })


def _value_or_reason(res: pd.DataFrame, s: pd.Series, blank_ok: pd.Series | None = None) -> None:
    """Same index; never both a value and a reason; a non-blank cell gets one of them."""
    assert res.index.equals(s.index)
    has_value, has_error = res["value"].notna(), res["error"].notna()
    assert not (has_value & has_error).any(), res[has_value & has_error]
    neither = ~has_value & ~has_error
    blank = s.map(lambda v: v is None or (isinstance(v, float) and v != v)
                  or (isinstance(v, str) and not v.strip().strip("\u3000")))
    if blank_ok is not None:
        blank = blank | blank_ok
    assert not (neither & ~blank).any(), f"no value and no reason for {s[neither & ~blank].tolist()}"


# ---- any cells in: a value or a reason out, never an exception -----------------------------------

@SETTINGS
@given(series())
def test_text_cleaners_keep_the_index_and_are_idempotent(s):
    once = clean_text(s)
    assert once.index.equals(s.index)
    assert clean_text(once).equals(once)
    assert to_halfwidth(s).index.equals(s.index)
    assert is_total_label(s, ["合计", "总计"]).index.equals(s.index)


@SETTINGS
@given(series())
def test_numbers_any_cell(s):
    res = normalise_numbers(s)
    _value_or_reason(res, s, blank_ok=res["not_applicable"])


@NO_SHRINK
@given(series())
@example(pd.Series(["%"], dtype=object))
def test_percent_any_cell(s):
    res = normalise_percent(s)
    _value_or_reason(res, s, blank_ok=res["not_applicable"])
    assert res["value"].dropna().between(0, 100).all()


@NO_SHRINK
@given(series())
@example(pd.Series([dt.date(2263, 1, 1)], dtype=object))
def test_dates_any_cell(s):
    _value_or_reason(normalise_dates(s), s)


@NO_SHRINK
@given(series())
@example(pd.Series([" "], dtype=object))
def test_id_numbers_any_cell(s):
    res = parse_id_numbers(s, REF)
    _value_or_reason(res, s)
    ok = res["value"].notna()
    assert res.loc[ok, "birth_date"].notna().all() and res.loc[ok, "sex"].isin(["male", "female"]).all()
    assert not res["error"].dropna().str.contains(r"\d{17}[\dX]", regex=True).any(), "unmasked ID in a reason"


@SETTINGS
@given(series())
def test_units_any_cell(s):
    _value_or_reason(normalise_unit_names(s, _units()), s)


@SETTINGS
@given(series())
def test_attainment_any_cell(s):
    _value_or_reason(normalise_attainment(s), s)


# ---- a valid value round-trips --------------------------------------------------------------------

_FW = {i: i + 0xFEE0 for i in range(0x30, 0x3A)}


@ROUND_TRIP
@given(st.integers(min_value=0, max_value=10**12))
def test_numbers_round_trip(n):
    s = pd.Series([str(n), f"{n:,}", str(n).translate(_FW), n, float(n) if n < 2**53 else n])
    assert normalise_numbers(s)["value"].tolist() == [n] * 5


@ROUND_TRIP
@given(st.integers(min_value=0, max_value=1000))
def test_percent_round_trip(tenths):
    x = tenths / 10
    res = normalise_percent(pd.Series([f"{x:g}%", f"{x:g}％", f"{x:g}"]))
    assert res["value"].tolist() == [x, x, x]


@ROUND_TRIP
@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_dates_round_trip(d):
    serial = (d - dt.date(1899, 12, 30)).days
    cells = [d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month:02d}.{d.day:02d}",
             f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y%m%d"), d,
             dt.datetime(d.year, d.month, d.day, 14, 30), serial, d.isoformat().translate(_FW)]
    res = normalise_dates(pd.Series(cells, dtype=object))
    assert res["error"].isna().all(), res["error"].dropna().tolist()
    assert (res["value"] == pd.Timestamp(d)).all(), res["value"].tolist()


@st.composite
def resident_ids(draw):
    born = draw(st.dates(min_value=dt.date(1930, 1, 1), max_value=REF.date()))
    area = draw(st.sampled_from(["331004", "332603", "110101", "450481"]))
    seq = draw(st.integers(min_value=0, max_value=999))
    body = f"{area}{born:%Y%m%d}{seq:03d}"
    # ISO 7064 MOD 11-2, worked out here rather than taken from the code under test
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check, born, seq


@ROUND_TRIP
@given(resident_ids())
def test_id_numbers_round_trip(case):
    ident, born, seq = case
    spaced = f"{ident[:6]} {ident[6:14]} {ident[14:]}"
    s = pd.Series([ident, ident.lower(), ident.translate(_FW), spaced])
    res = parse_id_numbers(s, REF)
    assert res["error"].isna().all(), res["error"].tolist()
    assert res["value"].tolist() == [ident] * 4
    assert (res["birth_date"] == pd.Timestamp(born)).all()
    assert res["sex"].tolist() == ["male" if seq % 2 else "female"] * 4
    age = REF.year - born.year - ((REF.month, REF.day) < (born.month, born.day))
    assert res["age"].tolist() == [age] * 4


@ROUND_TRIP
@given(st.sampled_from([(n, uid) for uid, n, a in zip(_units()["unit_id"], _units()["name"],
                                                      _units()["aliases"], strict=True)
                        for n in [n, *a]]), st.sampled_from(["", " ", "\u3000"]))
def test_units_round_trip(pair, pad):
    name, uid = pair
    res = normalise_unit_names(pd.Series([name, pad + name + pad]), _units())
    assert res["value"].tolist() == [uid, uid]


@pytest.mark.parametrize("label", sorted(ATTAINMENT_LABELS))
def test_attainment_round_trip(label):
    res = normalise_attainment(pd.Series([label, f" {label} "]))
    assert res["value"].tolist() == [ATTAINMENT_LABELS[label]] * 2
    assert ATTAINMENT_LABELS[label] in LEVELS
