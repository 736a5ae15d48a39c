"""Numbers as bureaus print them: 628,934 · １３００ · 1.2万 · 一千三百 · 5000人以上 · ``/``."""

from __future__ import annotations

import re

import cn2an
import pandas as pd

from eduanalytics.normalise.text import clean_text

#: Cells that mean "not applicable" (kept distinct from a blank, which is missing).
NOT_APPLICABLE = frozenset({"/", "／", "—", "-", "--", "–", "——", "\\"})
_QUALIFIER = re.compile(r"(以上|以下|左右|余)$")
_UNIT_SUFFIX = re.compile(r"(人次|人|个|所|场|项|次|名|户)$")
_ARABIC = re.compile(r"^([+-]?\d+(?:\.\d+)?)(万|亿)?$")
_CN_DIGITS = set("零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟点")


def _parse_one(text: str) -> tuple[float | None, str | None, str | None]:
    """Parse one cleaned cell: (value, qualifier, error)."""
    t = text.replace(",", "").replace("，", "").replace(" ", "")
    qualifier = None
    for _ in range(2):  # "100万人次以上": strip qualifier, then unit
        m = _QUALIFIER.search(t)
        if m:
            qualifier = qualifier or m.group(1)
            t = t[: m.start()]
        t = _UNIT_SUFFIX.sub("", t)
    m = _ARABIC.match(t)
    if m:
        v = float(m.group(1))
        mult = {"万": 1e4, "亿": 1e8}.get(m.group(2) or "", 1.0)
        return v * mult, qualifier, None
    if t and set(t) <= _CN_DIGITS | set("0123456789."):
        try:
            return float(cn2an.cn2an(t, "smart")), qualifier, None
        except (ValueError, KeyError):
            pass
    return None, None, (f"'{text}' is not a number; expected digits (628934, 628,934), "
                        "万, a Chinese numeral, or '/' for not applicable")


def normalise_numbers(s: pd.Series) -> pd.DataFrame:
    """Normalise numeric cells.

    Parameters
    ----------
    s : Series
        Raw cells (str, int, float; any mix).

    Returns
    -------
    DataFrame
        ``value`` (Float64), ``error`` (string, <NA> when fine), ``changed`` (bool: the
        text was not already a plain number), ``not_applicable`` (bool: ``/``, ``—``...),
        ``qualifier`` (以上/以下/左右/<NA>). A blank cell is missing: value <NA>, no error,
        not_applicable False.
    """
    raw = s.astype("string")
    text = clean_text(raw)
    blank = text.isna() | text.eq("")
    na = text.isin(list(NOT_APPLICABLE)).fillna(False)
    todo = text[~blank & ~na]
    parsed = {u: _parse_one(u) for u in todo.unique()}  # unique values only
    value = todo.map(lambda u: parsed[u][0]).reindex(s.index).astype("Float64")
    qual = todo.map(lambda u: parsed[u][1]).reindex(s.index).astype("string")
    error = todo.map(lambda u: parsed[u][2]).reindex(s.index).astype("string")
    plain = raw.str.strip().str.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?").fillna(False)
    changed = ~blank & ~na & ~plain & error.isna()
    return pd.DataFrame({"value": value, "error": error, "changed": changed.astype(bool),
                         "not_applicable": na.astype(bool), "qualifier": qual}, index=s.index)
