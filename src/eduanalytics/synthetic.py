"""Seeded generator of the example data that no one publishes (SYNTHETIC, 示例数据).

Individual registers, street-level attainment and door-to-door survey (摸排) counts are not
public. For the bundled Luqiao 2023 example they are generated here, from a fixed seed,
consistent with what IS published:

- ``street_census_attainment``: population by street x age band x sex x attainment whose
  street totals equal the task table's 常住人口, whose 20-59 totals equal its 20-59周岁人口
  and whose 20-59 senior-secondary-or-below totals equal its 其中高中及以下学历人口, exactly;
  the attainment profile by age is chosen so that the district's 6+ distribution is close
  to Luqiao's published 2020 census row (see :func:`district_check`).
- ``survey_counts``: 摸排 counts of the programme target group (20-59, senior secondary or
  below) per street, from the census-consistent counts times a street-specific coverage
  factor (:data:`SURVEY_COVERAGE`, what a researcher would try to recover).
- ``learner_register`` / ``training_register``: learners near each unit's target with the
  faults real exports have (duplicates, wrong check digits, full-width digits, unit-name
  variants, mixed date formats, blanks, ages outside the band, an unknown unit), each
  counted in the returned ``faults`` so tests can check the cleaning catches them.

Names are invented from short lists; ID numbers are generated with a correct GB 11643
check digit (python-stdnum) unless a fault says otherwise. Nothing here is a real person.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from stdnum.cn import ric

from eduanalytics.config import RegionConfig

DEFAULT_SEED = 20230306
SYNTHETIC_LABEL = "示例数据(合成，非真实个人信息) SYNTHETIC"

STREETS = ["路南街道", "路桥街道", "路北街道", "螺洋街道", "桐屿街道", "峰江街道", "新桥镇",
           "横街镇", "金清镇", "蓬街镇"]
BANDS_YOUNG = [("0-5", 0, 5), ("6-9", 6, 9), ("10-14", 10, 14), ("15-19", 15, 19)]
BANDS_WORK = [(f"{a}-{a + 4}", a, a + 4) for a in range(20, 60, 5)]
BANDS_OLD = [(f"{a}-{a + 4}", a, a + 4) for a in range(60, 85, 5)] + [("85+", 85, None)]
#: Relative size of the non-working-age bands (district; 0-5 = 0-4 + a fifth of 5-9,
#: 6-9 = four fifths of 5-9 and 10-14 from the Luqiao census row; 15-19 and 60+ spread
#: assumed).
YOUNG_OLD_WEIGHTS = [33679, 24471, 30333, 25000, 30000, 25000, 20000, 14000, 9000, 6249]
#: Relative size of the 20-59 five-year bands.
WORK_WEIGHTS = [0.12, 0.14, 0.14, 0.13, 0.13, 0.12, 0.11, 0.11]
MALE_SHARE = 0.525
LEVEL_LABELS = ["未上过学", "学前教育", "小学", "初中", "高中", "大学专科", "大学本科", "研究生"]
LOW = LEVEL_LABELS[:5]
HIGH = LEVEL_LABELS[5:]
#: Attainment profile within "senior secondary or below" by age band (none, preschool,
#: primary, junior, senior).
LOW_PROFILE = {
    "20-24": [0.005, 0.0, 0.06, 0.45, 0.485], "25-29": [0.005, 0.0, 0.08, 0.50, 0.415],
    "30-34": [0.01, 0.0, 0.14, 0.55, 0.30], "35-39": [0.01, 0.0, 0.25, 0.54, 0.20],
    "40-44": [0.02, 0.0, 0.38, 0.47, 0.13], "45-49": [0.03, 0.0, 0.45, 0.42, 0.10],
    "50-54": [0.05, 0.0, 0.52, 0.35, 0.08], "55-59": [0.08, 0.0, 0.56, 0.29, 0.07],
}
#: Share of 20-59 people above senior secondary, relative, by band (scaled per street).
HIGH_SHARE = [0.30, 0.28, 0.22, 0.15, 0.10, 0.07, 0.05, 0.04]
#: Within tertiary: junior college, bachelor, postgraduate.
HIGH_PROFILE = [0.55, 0.42, 0.03]
#: Attainment of the other bands (all eight levels).
OTHER_PROFILE = {
    "6-9": [0.0, 0.10, 0.90, 0, 0, 0, 0, 0], "10-14": [0.0, 0.0, 0.45, 0.55, 0, 0, 0, 0],
    "15-19": [0.0, 0.0, 0.03, 0.32, 0.52, 0.10, 0.03, 0],
    "old": [0.22, 0.0, 0.52, 0.18, 0.065, 0.01, 0.005, 0.0],
}
#: 摸排 coverage relative to the census count, per street: a few close, most under
#: (people working away), one over.
SURVEY_COVERAGE = {"路南街道": 0.99, "路桥街道": 0.91, "路北街道": 0.88, "螺洋街道": 1.012,
                   "桐屿街道": 0.86, "峰江街道": 0.93, "新桥镇": 0.985, "横街镇": 0.90,
                   "金清镇": 0.87, "蓬街镇": 1.06}

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷黎史龙陶贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玲建国红梅志文斌辉燕琴云海林波宁飞鹏凤兰晶")
AREA_LOCAL = ["331004"] * 6 + ["331002", "331003", "331081", "331082", "331083"]
AREA_MIGRANT = ["522601", "341221", "362330", "512501", "411323", "430523", "450481", "532101"]
AREA_RETIRED = "332603"  # Huangyan county, Taizhou prefecture, before 1994
COURSES = ["电工", "中式烹调", "电子商务", "汽车维修", "养老护理", "育婴员", "焊工", "模具制造"]
ALIASES = {"路南街道": ["路南", "路南街道办事处"], "路桥街道": ["路桥", "路橋街道"],
           "路北街道": ["路北", "路北街道办事处"], "螺洋街道": ["螺洋"], "桐屿街道": ["桐屿"],
           "峰江街道": ["峰江"], "新桥镇": ["新桥"], "横街镇": ["横街"], "金清镇": ["金清"],
           "蓬街镇": ["蓬街"]}
_FW = str.maketrans("0123456789", "０１２３４５６７８９")


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into whole numbers proportional to ``weights`` (Hamilton's method;
    ties go to the earlier position)."""
    w = np.asarray(weights, dtype=float)
    if total == 0 or w.sum() == 0:
        return np.zeros(len(w), dtype=int)
    quota = total * w / w.sum()
    base = np.floor(quota).astype(int)
    rest = total - base.sum()
    order = np.lexsort((np.arange(len(w)), -(quota - base)))
    base[order[:rest]] += 1
    return base


def read_task_table(path: str | Path) -> pd.DataFrame:
    """The ten streets' published figures from the task-table transcription."""
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    t = t[t["责任单位"].isin(STREETS)].set_index("责任单位").loc[STREETS]
    return t[["常住人口", "20-59周岁人口", "其中高中及以下学历人口"]].astype(int)


def street_census_attainment(task: pd.DataFrame) -> pd.DataFrame:
    """Population by street x age band x sex x attainment (see the module notes).

    Deterministic: no random numbers, only proportional whole-number allocation.
    """
    rows = []
    for street, (resident, work, low) in task.iterrows():
        other = largest_remainder(resident - work, np.array(YOUNG_OLD_WEIGHTS))
        work_bands = largest_remainder(work, np.array(WORK_WEIGHTS))
        # 20-59: split the tertiary count (work - low) by band, then the rest is "low"
        high_w = np.array(WORK_WEIGHTS) * np.array(HIGH_SHARE)
        high_bands = largest_remainder(work - low, high_w)
        high_bands = np.minimum(high_bands, work_bands)
        high_bands[0] += (work - low) - high_bands.sum()
        bands = list(zip(BANDS_YOUNG + BANDS_OLD, other, strict=True))
        for (label, _, _), n in bands:
            males = int(round(n * MALE_SHARE))
            for sex, m in (("男", males), ("女", n - males)):
                if label == "0-5":
                    rows.append((street, label, sex, "/", m))
                    continue
                prof = OTHER_PROFILE.get(label, OTHER_PROFILE["old"])
                for lvl, c in zip(LEVEL_LABELS, largest_remainder(m, np.array(prof)), strict=True):
                    rows.append((street, label, sex, lvl, int(c)))
        for (label, _, _), n, h in zip(BANDS_WORK, work_bands, high_bands, strict=True):
            males = int(round(n * MALE_SHARE))
            h_m = int(round(h * MALE_SHARE * 0.96))
            for sex, m, hh in (("男", males, h_m), ("女", n - males, h - h_m)):
                for lvl, c in zip(LOW, largest_remainder(m - hh, np.array(LOW_PROFILE[label])), strict=True):
                    rows.append((street, label, sex, lvl, int(c)))
                for lvl, c in zip(HIGH, largest_remainder(hh, np.array(HIGH_PROFILE)), strict=True):
                    rows.append((street, label, sex, lvl, int(c)))
    df = pd.DataFrame(rows, columns=["街道", "年龄段", "性别", "受教育程度", "人数"])
    order = {b[0]: i for i, b in enumerate(BANDS_YOUNG + BANDS_WORK + BANDS_OLD)}
    df = df.sort_values(["街道", "年龄段", "性别"], key=lambda s: s.map(order) if s.name == "年龄段"
                        else s.map({n: i for i, n in enumerate(STREETS)}) if s.name == "街道" else s,
                        kind="stable").reset_index(drop=True)
    return df


def survey_counts(census: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """摸排 counts of 20-59 with senior secondary or below, by 10-year band, sex, level."""
    c = census[census["受教育程度"].isin(LOW)].copy()
    c["lo"] = c["年龄段"].str.extract(r"^(\d+)")[0].astype(int)
    c = c[(c["lo"] >= 20) & (c["lo"] < 60)]
    c["年龄段"] = (c["lo"] // 10 * 10).astype(str) + "-" + (c["lo"] // 10 * 10 + 9).astype(str)
    c["受教育程度"] = c["受教育程度"].replace({"学前教育": "未上过学"})
    g = c.groupby(["街道", "年龄段", "性别", "受教育程度"], sort=False, as_index=False)["人数"].sum()
    f = g["街道"].map(SURVEY_COVERAGE).to_numpy()
    n = g["人数"].to_numpy()
    under = rng.binomial(n, np.minimum(f, 1.0))
    over = rng.binomial(n, np.clip(f - 1.0, 0, 1))
    g["摸排人数"] = under + over
    days = rng.integers(6, 31, size=len(g))
    g["摸排日期"] = [f"2023年3月{d}日" for d in days]
    return g.drop(columns="人数")


def _ids(rng: np.random.Generator, birth: pd.DatetimeIndex, male: np.ndarray) -> list[str]:
    n = len(birth)
    local = rng.random(n)
    area = np.where(local < 0.7, rng.choice(AREA_LOCAL, n), rng.choice(AREA_MIGRANT, n))
    retired = (birth.year < 1994) & (rng.random(n) < 0.25) & (local < 0.7)
    area = np.where(retired, AREA_RETIRED, area)
    seq = rng.integers(0, 100, n) * 10 + np.where(male, rng.choice([1, 3, 5, 7, 9], n),
                                                  rng.choice([0, 2, 4, 6, 8], n))
    bodies = [f"{a}{b:%Y%m%d}{s:03d}" for a, b, s in zip(area, birth, seq, strict=True)]
    return [b + ric.calc_check_digit(b + "0") for b in bodies]


def _names(rng: np.random.Generator, n: int) -> list[str]:
    sur = rng.choice(SURNAMES, n)
    g1 = rng.choice(GIVEN, n)
    g2 = np.where(rng.random(n) < 0.6, rng.choice(GIVEN, n), "")
    return [a + b + c for a, b, c in zip(sur, g1, g2, strict=True)]


def _people(rng: np.random.Generator, n: int, age_lo: int = 20, age_hi: int = 59) -> pd.DataFrame:
    ages = rng.integers(age_lo, age_hi + 1, n)
    doy = rng.integers(0, 365, n)
    birth = pd.DatetimeIndex(pd.to_datetime((2023 - ages - 1).astype(str), format="%Y") + pd.to_timedelta(doy, unit="D"))
    male = rng.random(n) < 0.55
    return pd.DataFrame({"姓名": _names(rng, n), "身份证号": _ids(rng, birth, male)})


def _dates(rng: np.random.Generator, spring: np.ndarray) -> pd.Series:
    start = np.where(spring, np.datetime64("2023-03-01"), np.datetime64("2023-09-01"))
    return pd.Series(start + rng.integers(0, 61, len(spring)).astype("timedelta64[D]")).astype("datetime64[ns]")


def _date_cells(rng: np.random.Generator, d: pd.Series) -> list:
    """Mixed date formats as real exports hold them."""
    kind = rng.choice(6, len(d), p=[0.60, 0.15, 0.08, 0.08, 0.05, 0.04])
    out = []
    for k, ts in zip(kind, d, strict=True):
        if pd.isna(ts):
            out.append(None)
        elif k == 0:
            out.append(ts.to_pydatetime())
        elif k == 1:
            out.append(f"{ts:%Y-%m-%d}")
        elif k == 2:
            out.append(f"{ts.year}.{ts.month}.{ts.day}")
        elif k == 3:
            out.append(f"{ts.year}年{ts.month}月{ts.day}日")
        elif k == 4:
            out.append(int((ts - pd.Timestamp("1899-12-30")).days))
        else:
            out.append(f"{ts.year}/{ts.month}/{ts.day}")
    return out


def learner_register(task_csv: str | Path, rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, int]]:
    """The 学历提升 sheet (one row per learner and programme), with injected faults."""
    t = pd.read_csv(task_csv, dtype=str, keep_default_na=False).set_index("责任单位")
    parts = []
    for prog, col in (("初高中学历提升", "初高中学历提升人数"), ("大专及以上学历提升", "大专及以上学历提升人数")):
        for unit, v in t[col].items():
            if unit == "合计" or not v.isdigit():
                continue
            n = int(round(int(v) * rng.uniform(0.85, 1.15)))
            parts.append(pd.DataFrame({"所属单位": unit, "项目类别": [prog] * n}))
    df = pd.concat(parts, ignore_index=True)
    n = len(df)
    df = pd.concat([_people(rng, n).reset_index(drop=True), df], axis=1)
    sec = df["项目类别"].eq("初高中学历提升").to_numpy()
    up = rng.random(n)
    df["原学历"] = np.where(sec, np.where(up < 0.15, "小学", "初中"), np.where(up < 0.8, rng.choice(["高中", "中专"], n), "大专"))
    df["报读层次"] = np.where(sec, np.where(up < 0.15, "初中", rng.choice(["高中", "中专"], n)), np.where(up < 0.8, "大专", "本科"))
    spring = rng.random(n) < 0.55
    df["批次"] = np.where(spring, "春季", "秋季")
    enrol = _dates(rng, spring)
    status = np.where(rng.random(n) < 0.04, "退学", np.where(rng.random(n) < np.where(spring, 0.45, 0.12), "已结业", "在读"))
    df["学籍状态"] = status
    done = pd.Series(enrol + pd.to_timedelta(rng.integers(100, 240, n), unit="D")).clip(upper=pd.Timestamp("2023-12-20"))
    done = done.where(status == "已结业")
    reg_ok = rng.random(n) >= 0.07
    df["学籍注册"] = np.where(reg_ok, "是", "否")
    df["未注册原因"] = np.where(reg_ok, None, rng.choice(["缺身份证", "缺户口簿", "缺标准像"], n, p=[0.4, 0.35, 0.25]))
    df["学习方式"] = rng.choice(["线上", "线下", "线上线下"], n, p=[0.4, 0.35, 0.25])
    df["报名日期"] = _date_cells(rng, enrol)
    df["结业日期"] = [None if pd.isna(x) else f"{x:%Y-%m-%d}" for x in done]
    faults: dict[str, int] = {}
    street_rows = np.flatnonzero(df["所属单位"].isin(STREETS).to_numpy())
    pick = rng.permutation(street_rows)
    cursor = 0

    def take(k: int) -> np.ndarray:
        nonlocal cursor
        out = pick[cursor: cursor + k]
        cursor += k
        return out

    idx = take(40)  # unit-name variants (valid)
    df.loc[idx, "所属单位"] = [rng.choice(ALIASES[u]) for u in df.loc[idx, "所属单位"]]
    faults["unit_variant"] = len(idx)
    idx = take(8)
    df.loc[idx, "所属单位"] = " " + df.loc[idx, "所属单位"] + " "
    faults["unit_stray_space"] = len(idx)
    idx = take(30)
    df.loc[idx, "身份证号"] = df.loc[idx, "身份证号"].str.translate(_FW)
    faults["id_fullwidth"] = len(idx)
    idx = take(20)
    df.loc[idx, "报名日期"] = [f"{enrol[i]:%Y-%m-%d}".translate(_FW) for i in idx]
    faults["date_fullwidth"] = len(idx)
    idx = take(25)
    df.loc[idx, "身份证号"] = [s[:17] + ("0" if s[17] != "0" else "1") for s in df.loc[idx, "身份证号"]]
    faults["wrong_check_digit"] = len(idx)
    idx = take(8)
    df.loc[idx, "所属单位"] = None
    faults["blank_unit"] = len(idx)
    idx = take(8)
    df.loc[idx, "报名日期"] = None
    faults["blank_enrol_date"] = len(idx)
    idx = take(5)
    df.loc[idx, "所属单位"] = "椒江区"
    faults["unknown_unit"] = len(idx)
    idx = take(15)
    young_old = _people(rng, len(idx), 66, 72)
    young_old.iloc[: len(idx) // 2] = _people(rng, len(idx) // 2, 13, 14).to_numpy()
    df.loc[idx, ["姓名", "身份证号"]] = young_old.to_numpy()
    faults["age_outside_band"] = len(idx)
    dup_exact = df.loc[take(20)].copy()
    faults["duplicate_exact"] = len(dup_exact)
    idx = take(15)
    dup_variant = df.loc[idx].copy()
    dup_variant["所属单位"] = [ALIASES[u][-1] for u in dup_variant["所属单位"]]
    faults["duplicate_unit_variant"] = len(dup_variant)
    df = pd.concat([df, dup_exact, dup_variant], ignore_index=True)
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    df.insert(0, "序号", np.arange(1, len(df) + 1))
    faults["withdrawn"] = int((df["学籍状态"] == "退学").sum())
    faults["registration_failed"] = int((df["学籍注册"] == "否").sum())
    faults["rows"] = len(df)
    return df, faults


def training_register(task_csv: str | Path, rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, int]]:
    """The 职业培训 sheet: one row per training person-time, with injected faults."""
    t = pd.read_csv(task_csv, dtype=str, keep_default_na=False).set_index("责任单位")
    rows = []
    for unit in ("区中职校", "恒勃技工学校"):
        n = int(round(int(t.loc[unit, "职业教育培训人次"]) * rng.uniform(0.9, 1.08)))
        people = _people(rng, max(1, int(n / 1.7)))
        who = rng.integers(0, len(people), n)
        d = pd.Series(np.datetime64("2023-03-01") + rng.integers(0, 290, n).astype("timedelta64[D]")).astype("datetime64[ns]")
        rows.append(pd.DataFrame({
            "姓名": people["姓名"].to_numpy()[who], "身份证号": people["身份证号"].to_numpy()[who],
            "培训单位": unit, "所属街道": rng.choice(STREETS, n), "培训项目": rng.choice(COURSES, n),
            "培训日期": d, "结业": np.where(rng.random(n) < 0.85, "是", "否"),
            "学习方式": rng.choice(["线上", "线下", "线上线下"], n, p=[0.3, 0.5, 0.2]),
        }))
    df = pd.concat(rows, ignore_index=True)
    # a learner attending the same course twice on the same day would be a double entry:
    # make the legitimate rows unique in (person, unit, date, course)
    df = df.loc[~df.duplicated(["身份证号", "培训单位", "培训日期", "培训项目"])].reset_index(drop=True)
    df["培训日期"] = _date_cells(rng, df["培训日期"])
    faults: dict[str, int] = {}
    idx = rng.choice(len(df), 10, replace=False)
    df.loc[idx, "身份证号"] = [s[:17] + ("0" if s[17] != "0" else "1") for s in df.loc[idx, "身份证号"]]
    faults["wrong_check_digit"] = 10
    rest = np.setdiff1d(np.arange(len(df)), idx)
    dup = df.loc[rng.choice(rest, 15, replace=False)].copy()
    faults["duplicate_exact"] = 15
    df = pd.concat([df, dup], ignore_index=True)
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    df.insert(0, "序号", np.arange(1, len(df) + 1))
    faults["rows"] = len(df)
    faults["people"] = int(df["身份证号"].nunique())
    return df, faults


_PARENTS = {"学员信息": ["姓名", "身份证号", "所属单位"], "学历": ["原学历", "报读层次"],
            "学籍": ["学籍状态", "结业日期", "学籍注册", "未注册原因"],
            "培训信息": ["培训单位", "所属街道", "培训项目", "培训日期", "结业"]}


def write_register_xlsx(path: str | Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write register sheets as an export would look: merged title row, two-row header."""
    import datetime as dt

    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(name)
        cols = list(df.columns)
        width = len(cols)
        ws.cell(1, 1, f"路桥区2023年学历提升学员名册（{SYNTHETIC_LABEL}）— {name}").font = Font(bold=True)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        c = 0
        while c < width:
            parent = next((p for p, kids in _PARENTS.items() if cols[c] in kids), None)
            if parent:
                span = 1
                while c + span < width and cols[c + span] in _PARENTS[parent]:
                    span += 1
                ws.cell(2, c + 1, parent)
                if span > 1:
                    ws.merge_cells(start_row=2, start_column=c + 1, end_row=2, end_column=c + span)
                for k in range(span):
                    ws.cell(3, c + 1 + k, cols[c + k])
                c += span
            else:
                ws.cell(2, c + 1, cols[c])
                ws.merge_cells(start_row=2, start_column=c + 1, end_row=3, end_column=c + 1)
                c += 1
        for r, row in enumerate(df.itertuples(index=False), start=4):
            for j, v in enumerate(row, start=1):
                if v is None or (isinstance(v, float) and np.isnan(v)):
                    continue
                cell = ws.cell(r, j, v.item() if isinstance(v, np.generic) else v)
                if isinstance(v, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
    fixed = dt.datetime(2023, 12, 31)
    wb.properties.creator = "eduanalytics.synthetic"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def district_check(census: pd.DataFrame) -> dict[str, float]:
    """District 6+ attainment shares and mean years of the generated street table."""
    from eduanalytics.attainment import DEFAULT_YEARS
    from eduanalytics.normalise.attainment_labels import ATTAINMENT_LABELS

    c = census[census["受教育程度"] != "/"]
    by = c.groupby("受教育程度")["人数"].sum()
    years = sum(DEFAULT_YEARS[ATTAINMENT_LABELS[k]] * v for k, v in by.items())
    out = {f"share_{k}": round(v / by.sum(), 4) for k, v in by.items()}
    out["persons_6plus"] = int(by.sum())
    out["mean_years_6plus"] = round(years / by.sum(), 3)
    return out


def generate_example(config: RegionConfig, out_dir: Path | None = None,
                     seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Generate and write the synthetic inputs of the bundled example.

    Parameters
    ----------
    config : RegionConfig
        The Luqiao config (reads ``files.task_table``).
    out_dir : Path, optional
        Output folder (default ``data/raw/<region>/<year>/synthetic``).
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same data.

    Returns
    -------
    dict
        Paths written (``census_streets``, ``survey``, ``register``, ``faults``) and the
        ``faults`` counts.
    """
    out = Path(out_dir) if out_dir else config.raw_dir / "synthetic"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    task_csv = config.file("task_table")
    census = street_census_attainment(read_task_table(task_csv))
    survey = survey_counts(census, rng)
    reg, f_reg = learner_register(task_csv, rng)
    train, f_train = training_register(task_csv, rng)
    paths: dict[str, object] = {}
    paths["census_streets"] = out / "census_street_attainment.csv"
    census.to_csv(paths["census_streets"], index=False, encoding="utf-8")
    paths["survey"] = out / "survey_counts.csv"
    survey.to_csv(paths["survey"], index=False, encoding="utf-8-sig")
    paths["register"] = write_register_xlsx(out / "learner_register.xlsx", {"学历提升": reg, "职业培训": train})
    faults = {"seed": seed, "学历提升": f_reg, "职业培训": f_train, "district_check": district_check(census)}
    paths["faults"] = out / "faults.json"
    Path(paths["faults"]).write_text(json.dumps(faults, ensure_ascii=False, indent=2), encoding="utf-8")
    paths["faults_counts"] = faults
    return paths
