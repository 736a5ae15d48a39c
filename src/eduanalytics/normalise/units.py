"""Unit names as people write them -> one unit id from the config.

东城 / 东城街道 / 东城街道办事处 / 東城街道 / 某市某县东城街道 / ＂东城　街道＂ all map to
``dongcheng`` without listing each form: full-width and space variants are cleaned, the
region's prefixes (``unit_prefixes`` and the parts of the region name) are stripped, and
the 街道/镇/乡 suffixes and 办事处/人民政府 forms reduce to one stem. A name whose stem
fits two units (南山镇 and 南山街道 written 南山) is ambiguous; a name that fits none is
unknown; both are errors listing the candidates it nearly matched.

The lookup is built once and applied to the unique values (a register has millions of
rows but a few dozen distinct unit names).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from eduanalytics.errors import ConfigError
from eduanalytics.normalise.text import clean_text

#: Endings reduced away to get a unit's stem, longest first.
_SUFFIX = re.compile(r"(街道办事处|街道办|街道|办事处|人民政府|政府|镇|乡|社区)$")


def _key(s: pd.Series) -> pd.Series:
    return clean_text(s).str.replace(" ", "", regex=False)


def _strip_prefixes(key: str, prefixes: Sequence[str]) -> str:
    """Remove region prefixes (repeatedly: 某市甲县东城街道 -> 东城街道), never to nothing."""
    changed = True
    while changed:
        changed = False
        for p in prefixes:
            if p and key.startswith(p) and len(key) > len(p):
                key, changed = key[len(p):], True
    return key


_OFFICE = re.compile(r"(?<=[街道镇乡])(办事处|人民政府|政府|办)$")


def _formal(key: str) -> str:
    """The unit's name without its office form: 南山街道办事处 -> 南山街道, 南山镇人民政府 ->
    南山镇 (the 街道/镇/乡 word is kept, so a street and a town of one stem stay apart)."""
    return _OFFICE.sub("", key)


def _stem(key: str) -> str:
    for _ in range(2):  # 东城街道办事处 -> 东城
        stem = _SUFFIX.sub("", key)
        if not stem:
            return key
        key = stem
    return key


def _prefix_keys(units: pd.DataFrame, prefixes: Iterable[str] | None) -> list[str]:
    words = list(prefixes if prefixes is not None else units.attrs.get("unit_prefixes", []))
    keys = [k for k in _key(pd.Series(words, dtype="string")).dropna().tolist() if k]
    return sorted(set(keys), key=lambda k: (-len(k), k))


def build_unit_lookup(units: pd.DataFrame) -> dict[str, str]:
    """Cleaned name or alias -> unit_id (exact forms only).

    Parameters
    ----------
    units : DataFrame
        The ``units`` table (unit_id, name, aliases).

    Raises
    ------
    ConfigError
        When one name or alias points to two units.
    """
    pairs = units[["unit_id", "name", "aliases"]].assign(
        alias=lambda d: [[n, *a] for n, a in zip(d["name"], d["aliases"], strict=True)]
    ).explode("alias")
    pairs["key"] = _key(pairs["alias"].astype("string"))
    clash = pairs.drop_duplicates(["key", "unit_id"]).duplicated("key", keep=False)
    if clash.any():
        bad = pairs.loc[clash].groupby("key")["unit_id"].apply(sorted).to_dict()
        raise ConfigError(f"unit aliases point to more than one unit: {bad}", key="units")
    return dict(zip(pairs["key"], pairs["unit_id"], strict=True))


def _layered_lookup(units: pd.DataFrame, prefixes: list[str]) -> tuple[dict, dict, dict]:
    """Exact keys, prefix-stripped keys and stems -> set of unit ids."""
    exact = build_unit_lookup(units)
    stripped: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    for key, uid in exact.items():
        s = _strip_prefixes(key, prefixes)
        stripped.setdefault(s, set()).add(uid)
        stripped.setdefault(_formal(s), set()).add(uid)
        stems.setdefault(_stem(s), set()).add(uid)
    return exact, stripped, stems


def match_unit(text: str, exact: dict, stripped: dict, stems: dict, prefixes: list[str],
               ) -> tuple[str | None, list[str], bool]:
    """One cleaned name -> (unit_id or None, candidate unit ids, ambiguous)."""
    if text in exact:
        return exact[text], [], False
    key = _strip_prefixes(text, prefixes)
    for table, k in ((stripped, key), (stripped, _formal(key)), (stems, _stem(key))):
        ids = table.get(k, set())
        if len(ids) == 1:
            return next(iter(ids)), [], False
        if len(ids) > 1:
            return None, sorted(ids), True
    near = difflib.get_close_matches(_stem(key), list(stems), n=3, cutoff=0.5)
    return None, sorted({uid for n in near for uid in stems[n]}), False


def normalise_unit_names(s: pd.Series, units: pd.DataFrame,
                         prefixes: Iterable[str] | None = None) -> pd.DataFrame:
    """Map unit names (with variants) to unit ids.

    Parameters
    ----------
    s : Series
        Raw unit names.
    units : DataFrame
        The ``units`` table from the region config.
    prefixes : iterable of str, optional
        Region prefixes stripped before matching; default ``units.attrs["unit_prefixes"]``
        (set by :meth:`RegionConfig.units`).

    Returns
    -------
    DataFrame
        ``value`` (unit_id), ``name`` (canonical name), ``error`` (unknown or ambiguous
        names, with the candidates it nearly matched), ``changed`` (the raw text was not
        the canonical name), ``candidates`` (canonical names, ``、``-joined; <NA> when
        matched).
    """
    codes, uniques = pd.factorize(s.astype("string"), use_na_sentinel=False)
    if len(uniques) < len(s):  # work on the distinct names, then spread back
        small = normalise_unit_names(pd.Series(uniques, dtype="string"), units, prefixes)
        return small.take(codes).set_axis(s.index)
    pref = _prefix_keys(units, prefixes)
    exact, stripped, stems = _layered_lookup(units, pref)
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    raw = s.astype("string")
    key = _key(raw)
    uniq = key.dropna().unique()
    matched = {u: match_unit(u, exact, stripped, stems, pref) for u in uniq if u}
    value = key.map({u: m[0] for u, m in matched.items()}).astype("string")
    cands = key.map({u: "、".join(names[c] for c in m[1]) for u, m in matched.items()
                     if m[0] is None and m[1]}).astype("string")
    ambiguous = key.map({u: m[2] for u, m in matched.items()}).fillna(False).astype(bool)
    blank = key.isna() | key.eq("")
    unknown = value.isna() & ~blank
    shown = "'" + raw.fillna("") + "'"
    error = pd.Series(pd.NA, index=s.index, dtype="string")
    error = error.mask(unknown & cands.isna(), "unknown unit name " + shown +
                       "; expected one of the config's units or aliases (" +
                       "、".join(list(units["name"])[:6]) + ", …)")
    error = error.mask(unknown & cands.notna() & ~ambiguous, "unknown unit name " + shown +
                       "; nearly matches " + cands.fillna("") + "; add it to that unit's aliases")
    error = error.mask(unknown & ambiguous, "ambiguous unit name " + shown + "; could be " +
                       cands.fillna("") + "; write the full name or add an alias")
    canon = value.map(names).astype("string")
    changed = value.notna() & canon.ne(raw.str.strip())
    return pd.DataFrame({"value": value, "name": canon, "error": error,
                         "changed": changed.fillna(False).astype(bool),
                         "candidates": cands.where(unknown)}, index=s.index)


def is_total_label(s: pd.Series, labels: Iterable[str] = ("合计", "总计")) -> pd.Series:
    """True where a cell is a totals-row label such as 合计 (whitespace ignored)."""
    keys = set(_key(pd.Series(list(labels), dtype="string")).dropna())
    return _key(s.astype("string")).isin(keys).fillna(False).astype(bool)
