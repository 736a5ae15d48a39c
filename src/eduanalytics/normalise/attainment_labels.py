"""Attainment labels (未上过学, 初中, 中专, 大学专科, 本科及以上, ...) to ordered level ids."""

from __future__ import annotations

import pandas as pd

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


def normalise_attainment(s: pd.Series) -> pd.DataFrame:
    """Map attainment labels to level ids (:data:`eduanalytics.tables.attainment.LEVELS`).

    Returns
    -------
    DataFrame
        ``value`` (level id), ``error`` (unknown label), ``changed`` (label was not an id).
    """
    key = clean_text(s.astype("string")).str.replace(" ", "", regex=False).str.replace("（", "(").str.replace("）", ")")
    value = key.map(ATTAINMENT_LABELS).astype("string")
    blank = key.isna() | key.eq("")
    unknown = value.isna() & ~blank
    error = pd.Series(pd.NA, index=s.index, dtype="string").mask(
        unknown, "unknown attainment '" + s.astype("string").fillna("") +
        "'; expected 未上过学, 学前教育, 小学, 初中, 高中/中专, 大专, 本科 or 研究生")
    changed = value.notna() & ~key.isin(list(LEVELS)).fillna(False)
    return pd.DataFrame({"value": value, "error": error, "changed": changed.astype(bool)},
                        index=s.index)
