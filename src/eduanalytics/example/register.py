"""The district example's learner register: the 学历提升 and 职业培训 sheets.

Learners near each unit's target, with the faults real exports have (duplicates, wrong
check digits, full-width digits, unit-name variants, mixed date formats, blanks, ages
outside the band, an unknown unit), each counted and located (序号) in the returned
``faults`` so tests can check that the cleaning catches exactly them. Region words come
from a profile (:mod:`eduanalytics.example.profiles`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.example.people import (
    DATE_KINDS,
    FULLWIDTH,
    Picker,
    date_cells,
    finish,
    people,
    wrong_check,
)
from eduanalytics.example.profiles import LUQIAO

COURSES = ["电工", "中式烹调", "电子商务", "汽车维修", "养老护理", "育婴员", "焊工", "模具制造"]
#: Faults injected into the 学历提升 sheet (rows affected; one fault per row).
REGISTER_FAULTS = {"unit_variant": 50, "unit_traditional": 22, "unit_stray_space": 21,
                   "id_fullwidth": 30, "date_fullwidth": 25, "wrong_check_digit": 25,
                   "blank_unit": 21, "blank_enrol_date": 21, "unknown_unit": 21,
                   "age_outside_band": 30, "duplicate_exact": 25, "duplicate_unit_variant": 21}
#: Faults injected into the 职业培训 sheet.
TRAINING_FAULTS = {"unit_variant": 40, "wrong_check_digit": 37, "duplicate_exact": 37}


def learner_register(task: pd.DataFrame, rng: np.random.Generator,
                     profile: dict[str, Any] = LUQIAO) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The 学历提升 sheet: one row per learner and programme, with injected faults.

    Parameters
    ----------
    task : DataFrame
        Task-table transcription (``dtype=str``); a unit gets learners for a programme
        when its target cell is a whole number (85-115 % of it, seeded).
    rng : numpy.random.Generator
        All randomness.
    profile : dict
        Region words: ``areas``, ``survey_coverage`` (the streets), ``aliases``,
        ``traditional``, ``unknown_unit``.

    Returns
    -------
    (DataFrame, dict)
        The sheet's rows (columns as in the workbook; 报名日期 mixes date cells, text and
        serial numbers) and ``{"counts": {fault: n}, "rows": {fault: [序号, …]},
        "date_formats": {...}, "rows_total": n, "withdrawn": n, "registration_failed": n}``.
    """
    t = task.set_index("责任单位")
    t = t[t.index != "合计"]
    parts = []
    for prog, col in (("初高中学历提升", "初高中学历提升人数"), ("大专及以上学历提升", "大专及以上学历提升人数")):
        if col not in t.columns:
            raise DataError(f"task table: missing column {col}")
        targets = t[col][t[col].str.fullmatch(r"\d+")].astype(int)
        ns = np.rint(targets.to_numpy() * rng.uniform(0.85, 1.15, len(targets))).astype(int)
        parts.append(pd.DataFrame({"所属单位": np.repeat(targets.index.to_numpy(), ns), "项目类别": prog}))
    units = pd.concat(parts, ignore_index=True)
    n = len(units)
    counts = dict(REGISTER_FAULTS)
    n_odd = counts["age_outside_band"]
    ages = np.concatenate([rng.integers(20, 60, n), rng.integers(13, 15, n_odd // 2),
                           rng.integers(66, 73, n_odd - n_odd // 2)])
    drawn = people(rng, ages, profile["areas"])
    spare, drawn = drawn.iloc[n:].reset_index(drop=True), drawn.iloc[:n].reset_index(drop=True)
    df = pd.concat([drawn[["姓名", "身份证号"]], units], axis=1)
    sec = df["项目类别"].eq("初高中学历提升").to_numpy()
    u = rng.random(n)
    df["原学历"] = np.where(sec, np.where(u < 0.15, "小学", "初中"),
                         np.where(u < 0.8, rng.choice(["高中", "中专"], n), "大专"))
    df["报读层次"] = np.where(sec, np.where(u < 0.15, "初中", "高中（中专）"), np.where(u < 0.8, "大专", "本科"))
    spring = rng.random(n) < 0.55
    df["批次"] = np.where(spring, "春季", "秋季")
    start = np.where(spring, np.datetime64("2023-03-01", "D"), np.datetime64("2023-09-01", "D"))
    enrol = pd.Series(start + rng.integers(0, 61, n).astype("timedelta64[D]")).astype("datetime64[ns]")
    r = rng.random(n)
    status = np.where(r < 0.02, "退学", np.where(r < np.where(spring, 0.47, 0.14), "已结业", "在读"))
    done = (enrol + pd.to_timedelta(rng.integers(100, 240, n), unit="D")).clip(upper=pd.Timestamp("2023-12-20"))
    reg_fail = rng.random(n) < 0.02
    df["报名日期"], kinds = date_cells(rng, enrol)
    df["学籍状态"] = status
    df["结业日期"] = [f"{x:%Y-%m-%d}" if s == "已结业" else None for x, s in zip(done, status, strict=True)]
    df["学籍注册"] = np.where(reg_fail, "否", "是")
    df["未注册原因"] = np.where(reg_fail, rng.choice(["缺身份证", "缺户口簿", "缺标准像"], n, p=[0.4, 0.35, 0.25]), None)
    df["学习方式"] = rng.choice(["线上", "线下", "线上线下"], n, p=[0.4, 0.35, 0.25])
    df = df.astype(object)
    tag = np.full(n, "", dtype=object)
    pick = Picker(rng, np.flatnonzero(df["所属单位"].isin(list(profile["survey_coverage"])).to_numpy()))
    excel_date = np.flatnonzero(kinds == "excel_date")

    def mark(name: str, among: np.ndarray | None = None) -> np.ndarray:
        idx = pick.take(counts[name], among)
        tag[idx] = name
        return idx

    idx = mark("unit_variant")
    df.loc[idx, "所属单位"] = [profile["aliases"][v][k % 2] for k, v in enumerate(df.loc[idx, "所属单位"])]
    plain, traditional = profile["traditional"]
    idx = mark("unit_traditional", np.flatnonzero(df["所属单位"].eq(plain).to_numpy()))
    df.loc[idx, "所属单位"] = traditional
    idx = mark("unit_stray_space")
    df.loc[idx, "所属单位"] = [v[:2] + " " + v[2:] if k % 3 == 0 else (v + " " if k % 3 == 1 else " " + v)
                           for k, v in enumerate(df.loc[idx, "所属单位"])]
    idx = mark("id_fullwidth")
    df.loc[idx, "身份证号"] = df.loc[idx, "身份证号"].str.translate(FULLWIDTH)
    idx = mark("date_fullwidth", excel_date)
    df.loc[idx, "报名日期"] = [f"{enrol[i]:%Y-%m-%d}".translate(FULLWIDTH) for i in idx]
    idx = mark("wrong_check_digit")
    df.loc[idx, "身份证号"] = wrong_check(df.loc[idx, "身份证号"])
    idx = mark("blank_unit")
    df.loc[idx, "所属单位"] = None
    idx = mark("blank_enrol_date", excel_date)
    df.loc[idx, "报名日期"] = None
    idx = mark("unknown_unit")
    df.loc[idx, "所属单位"] = profile["unknown_unit"]
    idx = mark("age_outside_band")
    df.loc[idx, ["姓名", "身份证号"]] = spare[["姓名", "身份证号"]].to_numpy()
    dup_exact = df.loc[pick.take(counts["duplicate_exact"])].copy()
    idx = pick.take(counts["duplicate_unit_variant"])
    dup_var = df.loc[idx].copy()
    dup_var["所属单位"] = [profile["aliases"][v][1] for v in dup_var["所属单位"]]
    df = pd.concat([df, dup_exact, dup_var], ignore_index=True)
    tag = np.concatenate([tag, np.full(len(dup_exact), "duplicate_exact", dtype=object),
                          np.full(len(dup_var), "duplicate_unit_variant", dtype=object)])
    kinds = np.concatenate([kinds, kinds[dup_exact.index], kinds[dup_var.index]])
    normal = ~np.isin(tag, ["date_fullwidth", "blank_enrol_date"])
    df, faults = finish(df, tag, rng, counts)
    faults["date_formats"] = {k: int((kinds[normal] == k).sum()) for k in DATE_KINDS}
    faults["rows_total"] = len(df)
    faults["withdrawn"] = int(df["学籍状态"].eq("退学").sum())
    faults["registration_failed"] = int(df["学籍注册"].eq("否").sum())
    return df, faults


def training_register(task: pd.DataFrame, rng: np.random.Generator,
                      profile: dict[str, Any] = LUQIAO) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The 职业培训 sheet: one row per training person-time, with injected faults.

    Parameters
    ----------
    task : DataFrame
        Task-table transcription (``dtype=str``); each unit with a whole-number
        职业教育培训人次 gets 92-106 % of it as person-times.
    rng : numpy.random.Generator
        All randomness.
    profile : dict
        Region words: ``areas``, ``survey_coverage`` (the streets), ``aliases``,
        ``traditional``, ``unknown_unit``.

    Returns
    -------
    (DataFrame, dict)
        Rows (one per person-time; a person attends one to three courses, each on its own
        date) and ``{"counts", "rows", "rows_total", "people"}`` as in
        :func:`learner_register`.
    """
    t = task.set_index("责任单位")
    col = "职业教育培训人次"
    targets = t[col][t[col].str.fullmatch(r"\d+") & (t.index != "合计")].astype(int)
    parts = []
    for unit, target in targets.items():
        n = int(round(target * rng.uniform(0.92, 1.06)))
        times = rng.choice([1, 2, 3], n, p=[0.45, 0.35, 0.20])
        times = times[: int(np.searchsorted(np.cumsum(times), n)) + 1]
        times[-1] -= int(times.sum() - n)
        persons = people(rng, rng.integers(20, 60, len(times)), profile["areas"])
        home = rng.choice(list(profile["survey_coverage"]), len(times))
        who = np.repeat(np.arange(len(times)), times)
        # a person's courses on different days: a first day, then gaps of 14-44 days
        first = np.r_[True, who[1:] != who[:-1]]
        gap = np.where(first, rng.integers(0, 200, n), rng.integers(14, 45, n))
        day = pd.Series(gap).groupby(who).cumsum().to_numpy()
        parts.append(pd.DataFrame({
            "姓名": persons["姓名"].to_numpy()[who], "身份证号": persons["身份证号"].to_numpy()[who],
            "培训单位": unit, "所属街道": home[who], "培训项目": rng.choice(COURSES, n),
            "培训日期": pd.Series(np.datetime64("2023-03-01", "D") + day.astype("timedelta64[D]")
                              ).astype("datetime64[ns]"),
            "结业": np.where(rng.random(n) < 0.85, "是", "否"),
            "学习方式": rng.choice(["线上", "线下", "线上线下"], n, p=[0.3, 0.5, 0.2]),
        }))
    df = pd.concat(parts, ignore_index=True)
    dates, _ = date_cells(rng, df["培训日期"])
    df = df.astype(object)
    df["培训日期"] = dates
    counts = dict(TRAINING_FAULTS)
    tag = np.full(len(df), "", dtype=object)
    pick = Picker(rng, np.arange(len(df)))
    idx = pick.take(counts["unit_variant"])
    tag[idx] = "unit_variant"
    df.loc[idx, "培训单位"] = [profile["aliases"][v][k % 2] for k, v in enumerate(df.loc[idx, "培训单位"])]
    idx = pick.take(counts["wrong_check_digit"])
    tag[idx] = "wrong_check_digit"
    df.loc[idx, "身份证号"] = wrong_check(df.loc[idx, "身份证号"])
    dup = df.loc[pick.take(counts["duplicate_exact"])].copy()
    df = pd.concat([df, dup], ignore_index=True)
    tag = np.concatenate([tag, np.full(len(dup), "duplicate_exact", dtype=object)])
    df, faults = finish(df, tag, rng, counts)
    faults["rows_total"] = len(df)
    faults["people"] = int(df["身份证号"].nunique())
    return df, faults


