"""Attainment labels (未上过学, 初中, 中专, 大学专科, 本科及以上, ...) to ordered level ids."""

from __future__ import annotations

import pandas as pd

from eduanalytics.errors import ConfigError
from eduanalytics.normalise.text import clean_text
from eduanalytics.tables.attainment import LEVELS

#: Cleaned label -> level id. 本科及以上 maps to bachelor: every tertiary level counts 16
#: years, so the census's merged column needs no split for mean years.
ATTAINMENT_LABELS: dict[str, str] = {
    **{lvl: lvl for lvl in LEVELS},
    "未上过学": "none", "未上学": "none", "文盲": "none", "无": "none", "没上过学": "none",
    "学前教育": "preschool", "学前": "preschool", "幼儿园": "preschool",
    "小学": "primary", "小学及以下": "primary",
    "初中": "junior_secondary", "初级中学": "junior_secondary",
    "高中": "senior_secondary", "普通高中": "senior_secondary", "中专": "senior_secondary",
    "中职": "senior_secondary", "职高": "senior_secondary", "技校": "senior_secondary",
    "高中(含中专)": "senior_secondary", "高中(中专)": "senior_secondary",
    "高中及中专": "senior_secondary", "高中/中专": "senior_secondary", "中等职业教育": "senior_secondary",
    "大专": "junior_college", "大学专科": "junior_college", "专科": "junior_college",
    "高职": "junior_college", "高职(专科)": "junior_college",
    "本科": "bachelor", "大学本科": "bachelor", "本科及以上": "bachelor",
    "研究生": "postgraduate", "硕士": "postgraduate", "博士": "postgraduate",
    "硕士研究生": "postgraduate", "博士研究生": "postgraduate",
}


#: Level groups as tables print them -> the levels they hold.
LEVEL_GROUPS: dict[str, tuple[str, ...]] = {
    "初中及以下": ("none", "preschool", "primary", "junior_secondary"),
    "高中及以下": ("none", "preschool", "primary", "junior_secondary", "senior_secondary"),
    "大专及以上": ("junior_college", "bachelor", "postgraduate"),
}


def level_group(levels: object) -> tuple[str, ...]:
    """The levels of a group written as a list of level ids or labels, or as a group word
    (``初中及以下``); raises ``ValueError`` naming what is allowed."""
    if isinstance(levels, str):
        key = clean_text(pd.Series([levels])).iloc[0].replace(" ", "")
        if key in LEVEL_GROUPS:
            return LEVEL_GROUPS[key]
        levels = [levels]
    items = [str(x) for x in (levels or [])]
    out = normalise_attainment(pd.Series(items, dtype="string"))
    if out["error"].notna().any() or not items:
        raise ConfigError(f"level group {levels!r} not understood", key="levels",
                          allowed=f"level ids ({', '.join(LEVELS)}) or one of "
                                  f"{', '.join(LEVEL_GROUPS)}")
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    return tuple(sorted(dict.fromkeys(out["value"].tolist()), key=order.__getitem__))


def group_id(levels: tuple[str, ...]) -> str:
    """The id of a level group: its levels joined by ``+`` in order
    (``none+preschool+primary+junior_secondary``)."""
    return "+".join(levels)


def normalise_attainment(s: pd.Series, extra: dict[str, str] | None = None) -> pd.DataFrame:
    """Map attainment labels to level ids (:data:`eduanalytics.tables.attainment.LEVELS`).

    ``extra`` (a region's ``values.attainment``) adds labels to the built-in ones.

    Returns
    -------
    DataFrame
        ``value`` (level id), ``error`` (unknown label), ``changed`` (label was not an id).
        A qualifier in brackets is dropped when the rest names a level
        (``大专（网络教育）`` -> ``junior_college``).
    """
    key = clean_text(s.astype("string")).str.replace(" ", "", regex=False).str.replace("（", "(").str.replace("）", ")")
    labels = ATTAINMENT_LABELS
    if extra:
        ekeys = clean_text(pd.Series(list(extra), dtype="string")).str.replace(" ", "", regex=False)
        labels = {**labels, **dict(zip(ekeys, extra.values(), strict=True))}
    value = key.map(labels).astype("string")
    # a qualifier in brackets (大专（网络教育）, 本科(函授)) does not change the level
    bare = key.str.replace(r"\([^()]*\)", "", regex=True)
    value = value.fillna(bare.where(bare.ne(key)).map(labels).astype("string"))
    blank = key.isna() | key.eq("")
    unknown = value.isna() & ~blank
    error = pd.Series(pd.NA, index=s.index, dtype="string").mask(
        unknown, "unknown attainment '" + s.astype("string").fillna("") +
        "'; expected 未上过学, 学前教育, 小学, 初中, 高中/中专, 大专, 本科 or 研究生")
    changed = value.notna() & ~key.isin(list(LEVELS)).fillna(False)
    return pd.DataFrame({"value": value, "error": error, "changed": changed.astype(bool)},
                        index=s.index)
