"""Coded register values (在读, 是, 线上 ...) and how they map to ids, on distinct values.

The built-in value maps below are extended by a region's ``inputs.register.values``
(field -> {raw text: id}). Every mapping works on the DISTINCT cells of a column (a
register column holds a handful of codes however many rows it has), then spreads the
result back by the factorised codes: a join against the value map, not a lookup per cell.
"""

from __future__ import annotations

import pandas as pd

from eduanalytics.ingest.core import by_distinct, map_values  # noqa: F401  (re-exported)
from eduanalytics.normalise.attainment_labels import normalise_attainment
from eduanalytics.normalise.text import clean_text

PROGRAMME_VALUES = {
    "初高中学历提升": "secondary_upgrade", "初高中": "secondary_upgrade",
    "成人初高中学历提升": "secondary_upgrade", "secondary_upgrade": "secondary_upgrade",
    "大专及以上学历提升": "tertiary_upgrade", "大专及以上": "tertiary_upgrade",
    "高等学历继续教育": "tertiary_upgrade", "tertiary_upgrade": "tertiary_upgrade",
}
STATUS_VALUES = {"在读": "enrolled", "在籍": "enrolled", "已结业": "completed", "结业": "completed",
                 "已毕业": "completed", "毕业": "completed", "退学": "withdrawn",
                 "已退学": "withdrawn", "退出": "withdrawn"}
BATCH_VALUES = {"春季": "spring", "春": "spring", "秋季": "autumn", "秋": "autumn"}
YESNO_VALUES = {"是": True, "否": False, "y": True, "n": False, "yes": True, "no": False,
                "已注册": True, "未注册": False}
REASON_VALUES = {"缺身份证": "no_id_card", "无身份证": "no_id_card",
                 "缺户口簿": "no_household_register", "缺户口册": "no_household_register",
                 "缺户口本": "no_household_register", "无户口簿": "no_household_register",
                 "缺标准像": "no_photo", "缺照片": "no_photo", "无标准像": "no_photo"}
MODE_VALUES = {"线上": "online", "线下": "offline", "线上线下": "blended", "线上线下结合": "blended",
               "混合": "blended"}

#: Field -> (built-in map, what the column may hold, for messages).
VALUE_FIELDS: dict[str, tuple[dict[str, object], str]] = {
    "programme": (PROGRAMME_VALUES, "初高中学历提升 or 大专及以上学历提升"),
    "status": (STATUS_VALUES, "在读 / 已结业 / 退学"),
    "batch": (BATCH_VALUES, "春季 / 秋季"),
    "registered": (YESNO_VALUES, "是 / 否"),
    "completed": (YESNO_VALUES, "是 / 否"),
    "register_fail_reason": (REASON_VALUES, "缺身份证 / 缺户口簿 / 缺标准像"),
    "mode": (MODE_VALUES, "线上 / 线下 / 线上线下"),
}
_BOOL_TEXT = {"true": True, "false": False}


def value_maps(extra: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, object]]:
    """Built-in value maps extended by a config's ``values`` (later entries win).

    ``registered``/``completed`` values written as ``true``/``false`` in YAML become booleans.
    """
    maps = {k: dict(v[0]) for k, v in VALUE_FIELDS.items()}
    maps["level_from"], maps["level_to"] = {}, {}
    for field_name, mapping in (extra or {}).items():
        target = maps.setdefault(field_name, {})
        for raw, canon in mapping.items():
            value: object = canon
            if field_name in ("registered", "completed"):
                value = _BOOL_TEXT.get(str(canon).lower(), canon)
            target[str(clean_text(pd.Series([raw])).iloc[0])] = value
    return maps


def map_attainment(s: pd.Series, extra: dict[str, object], memo: dict | None = None) -> pd.DataFrame:
    """Attainment labels to level ids (config ``values`` first, then the built-in labels);
    same columns as :func:`map_values`, text as categoricals; ``memo`` as for
    :func:`by_distinct`."""
    def one(u: pd.Series) -> pd.DataFrame:
        res = normalise_attainment(u)
        key = clean_text(u.astype("string"))
        own = key.map(extra) if extra else pd.Series(pd.NA, index=u.index, dtype=object)
        value = own.astype("string").fillna(res["value"])
        unknown = value.isna() & res["error"].notna()
        changed = (res["changed"] | own.notna()) & ~unknown
        return pd.DataFrame({"value": value, "error": res["error"].where(unknown),
                             "changed": changed.astype(bool), "unknown": unknown.astype(bool)},
                            index=u.index)

    return by_distinct(s, one, categorical=True, memo=memo)
