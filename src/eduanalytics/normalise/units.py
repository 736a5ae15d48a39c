"""Unit names: 路南 / 路南街道 / 路南街道办事处 / 路橋街道 -> one unit id from the config."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from eduanalytics.normalise.text import clean_text


def _key(s: pd.Series) -> pd.Series:
    return clean_text(s).str.replace(" ", "", regex=False)


def build_unit_lookup(units: pd.DataFrame) -> dict[str, str]:
    """Cleaned name or alias -> unit_id.

    Parameters
    ----------
    units : DataFrame
        The ``units`` table (unit_id, name, aliases).

    Raises
    ------
    ValueError
        When one name or alias points to two units.
    """
    pairs = units[["unit_id", "name", "aliases"]].assign(
        alias=lambda d: [[n, *a] for n, a in zip(d["name"], d["aliases"], strict=True)]
    ).explode("alias")
    pairs["key"] = _key(pairs["alias"].astype("string"))
    clash = pairs.drop_duplicates(["key", "unit_id"]).duplicated("key", keep=False)
    if clash.any():
        bad = pairs.loc[clash].groupby("key")["unit_id"].apply(sorted).to_dict()
        raise ValueError(f"unit aliases point to more than one unit: {bad}")
    return dict(zip(pairs["key"], pairs["unit_id"], strict=True))


def normalise_unit_names(s: pd.Series, units: pd.DataFrame) -> pd.DataFrame:
    """Map unit names (with variants) to unit ids.

    Parameters
    ----------
    s : Series
        Raw unit names.
    units : DataFrame
        The ``units`` table from the region config.

    Returns
    -------
    DataFrame
        ``value`` (unit_id), ``name`` (canonical name), ``error`` (unknown names, listing
        some expected ones), ``changed`` (the raw text was not the canonical name).
    """
    lookup = build_unit_lookup(units)
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    key = _key(s.astype("string"))
    value = key.map(lookup).astype("string")
    blank = key.isna() | key.eq("")
    unknown = value.isna() & ~blank
    some = "、".join(list(units["name"])[:6])
    error = pd.Series(pd.NA, index=s.index, dtype="string").mask(
        unknown, "unknown unit name '" + s.astype("string").fillna("") +
        f"'; expected one of the config's units or aliases ({some}, …)")
    canon = value.map(names).astype("string")
    changed = value.notna() & canon.ne(s.astype("string").str.strip())
    return pd.DataFrame({"value": value, "name": canon, "error": error,
                         "changed": changed.fillna(False).astype(bool)}, index=s.index)


def is_total_label(s: pd.Series, labels: Iterable[str] = ("合计", "总计")) -> pd.Series:
    """True where a cell is a totals-row label such as 合计 (whitespace ignored)."""
    keys = set(_key(pd.Series(list(labels), dtype="string")).dropna())
    return _key(s.astype("string")).isin(keys).fillna(False).astype(bool)
