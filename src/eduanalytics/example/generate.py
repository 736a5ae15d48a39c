"""Seeded generator of the example data that no one publishes (SYNTHETIC, 示例数据(合成)).

Individual registers, street-level attainment and door-to-door survey (摸排) counts are not
public. For the bundled Luqiao 2023 example they are generated here, from a fixed seed,
consistent with what IS published (the seed-000 task table and Luqiao's 2020 census row):

- :func:`street_census_attainment`: population by street x age band x sex x attainment
  whose street totals equal the task table's 常住人口, whose 20-59 totals equal its
  20-59周岁人口 and whose 20-59 senior-secondary-or-below totals equal its
  其中高中及以下学历人口, exactly. Ages 0-14 and 60+ follow the census row; the attainment
  profiles by age are raked (iterative proportional fitting) so that the district's 6+
  distribution matches the census row as closely as the street constraints allow (see
  :func:`district_check`). No random numbers: whole-number allocation only.
- :func:`survey_counts`: 摸排 counts of the programme target group (20-59, senior secondary
  or below) per street: the census-consistent counts thinned or inflated binomially by a
  street-specific coverage factor (:data:`SURVEY_COVERAGE`, what a researcher would try
  to recover).
- :func:`learner_register` / :func:`training_register`: learners near each unit's target,
  with the faults real exports have (duplicates, wrong check digits, full-width digits,
  unit-name variants, mixed date formats, blanks, ages outside the band, an unknown
  unit), each counted and located (序号) in the returned ``faults`` so tests can check
  that the cleaning catches exactly them.

Names are invented from short lists; ID numbers carry a correct GB 11643 check digit
(python-stdnum) unless a fault says otherwise. Nothing here is a real person.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from stdnum.cn import ric

from eduanalytics.config import RegionConfig
from eduanalytics.example.documents import fixed_zip_bytes
from eduanalytics.indicators.allocation import hamilton_split as largest_remainder
from eduanalytics.normalise.attainment_labels import ATTAINMENT_LABELS
from eduanalytics.tables.attainment import DEFAULT_YEARS

DEFAULT_SEED = 20230306
#: Words every synthetic output carries.
SYNTHETIC_LABEL = "示例数据(合成) SYNTHETIC"
#: Title row of both register sheets.
REGISTER_TITLE = "路桥区2023年学历提升学员名册（示例数据·合成，非真实个人信息）"
#: Fixed creation/modification time written into generated workbooks.
FIXED_TIME = dt.datetime(2023, 12, 31, 0, 0, 0)

LEVEL_LABELS = ["未上过学", "学前教育", "小学", "初中", "高中", "大学专科", "大学本科", "研究生"]
LOW = LEVEL_LABELS[:5]
HIGH = LEVEL_LABELS[5:]
#: Census column of each attainment label (本科 and 研究生 share 本科及以上).
CENSUS_COLUMNS = {"未上过学": "edu6p_未上过学", "学前教育": "edu6p_学前教育", "小学": "edu6p_小学",
                  "初中": "edu6p_初中", "高中": "edu6p_高中", "大学专科": "edu6p_大学专科",
                  "大学本科": "edu6p_本科及以上", "研究生": "edu6p_本科及以上"}
#: Years credited per label (the yearbook convention also used by eduanalytics.tables.attainment).
YEARS = {lbl: DEFAULT_YEARS[ATTAINMENT_LABELS[lbl]] for lbl in LEVEL_LABELS}

BANDS_YOUNG = ["0-5", "6-9", "10-14", "15-19"]
BANDS_WORK = [f"{a}-{a + 4}" for a in range(20, 60, 5)]
BANDS_OLD = [f"{a}-{a + 4}" for a in range(60, 85, 5)] + ["85+"]
BANDS = BANDS_YOUNG + BANDS_WORK + BANDS_OLD
#: Assumed split of the census's 60+ over 60-64 … 85+.
OLD_SPLIT = np.array([0.29, 0.25, 0.18, 0.13, 0.09, 0.06])
#: Assumed relative size of the 20-59 five-year bands (the census row gives only 15-59).
WORK_WEIGHTS = np.array([0.12, 0.14, 0.14, 0.13, 0.13, 0.12, 0.11, 0.11])
#: Relative chance of being above senior secondary, by 20-59 band (younger: more).
HIGH_SHARE = np.array([0.30, 0.28, 0.22, 0.15, 0.10, 0.07, 0.05, 0.04])
#: Within the 20-59 above-senior-secondary: junior college, bachelor, postgraduate.
HIGH_PROFILE = np.array([0.58, 0.395, 0.025])
#: Starting attainment profile (before raking) within "senior secondary or below" for the
#: 20-59 bands: none, preschool, primary, junior, senior.
LOW_PROFILE = {
    "20-24": [0.005, 0, 0.06, 0.45, 0.485], "25-29": [0.005, 0, 0.08, 0.50, 0.415],
    "30-34": [0.01, 0, 0.14, 0.55, 0.30], "35-39": [0.01, 0, 0.25, 0.54, 0.20],
    "40-44": [0.02, 0, 0.38, 0.47, 0.13], "45-49": [0.03, 0, 0.45, 0.42, 0.10],
    "50-54": [0.05, 0, 0.52, 0.35, 0.08], "55-59": [0.08, 0, 0.56, 0.29, 0.07],
}
#: Attainment profile (all eight levels) of the other bands; the low levels of 60+ are
#: raked with the 20-59 ones, children's are fixed (6-14 at primary or junior secondary).
OTHER_PROFILE = {
    "6-9": [0, 0.11, 0.89, 0, 0, 0, 0, 0],
    "10-14": [0, 0, 0.45, 0.55, 0, 0, 0, 0],
    "15-19": [0, 0, 0.02, 0.28, 0.60, 0.06, 0.04, 0],
    "60-64": [0.10, 0, 0.56, 0.27, 0.060, 0.007, 0.003, 0],
    "65-69": [0.15, 0, 0.58, 0.21, 0.053, 0.005, 0.002, 0],
    "70-74": [0.24, 0, 0.55, 0.15, 0.053, 0.005, 0.002, 0],
    "75-79": [0.35, 0, 0.50, 0.10, 0.046, 0.003, 0.001, 0],
    "80-84": [0.50, 0, 0.40, 0.07, 0.028, 0.002, 0, 0],
    "85+": [0.65, 0, 0.28, 0.05, 0.019, 0.001, 0, 0],
}
#: Share of men by attainment for ages 20+ (older women less schooled); 0.53 under 20.
MALE_SHARE = {"未上过学": 0.30, "学前教育": 0.50, "小学": 0.50, "初中": 0.57, "高中": 0.58,
              "大学专科": 0.54, "大学本科": 0.52, "研究生": 0.55}
MALE_SHARE_YOUNG = 0.53
#: Levels whose profile is raked to the census (20-59 low part and 60+).
RAKED = ["未上过学", "小学", "初中", "高中"]

#: 摸排 coverage relative to the census count, per street: three close, most 7-14 % under
#: (people working away), one over.
SURVEY_COVERAGE = {"路南街道": 0.99, "路桥街道": 0.91, "路北街道": 0.88, "螺洋街道": 1.012,
                   "桐屿街道": 0.86, "峰江街道": 0.93, "新桥镇": 0.985, "横街镇": 0.90,
                   "金清镇": 0.87, "蓬街镇": 1.06}

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
                "于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玲建国红梅志文斌辉燕琴云海林波宁飞鹏凤兰晶")
#: Area codes: Luqiao (most), neighbouring Taizhou districts/cities, other provinces.
AREA_LOCAL = ["331004"] * 6 + ["331002", "331003", "331081", "331082", "331083"]
AREA_MIGRANT = ["522601", "341221", "362330", "512501", "411323", "430523", "450481", "532101"]
#: 黄岩市 (Huangyan, Taizhou prefecture; python-stdnum's numdb: 1989-1994), abolished when
#: Taizhou became a city in 1994: valid for people born before 1994.
AREA_RETIRED = "332603"
COURSES = ["电工", "中式烹调", "电子商务", "汽车维修", "养老护理", "育婴员", "焊工", "模具制造"]
#: Unit-name variants used in the registers (all are aliases in config/luqiao.yaml).
ALIASES = {"路南街道": ["路南", "路南街道办事处"], "路桥街道": ["路桥", "路桥街道办事处"],
           "路北街道": ["路北", "路北街道办事处"], "螺洋街道": ["螺洋", "螺洋街道办事处"],
           "桐屿街道": ["桐屿", "桐屿街道办事处"], "峰江街道": ["峰江", "峰江街道办事处"],
           "新桥镇": ["新桥", "新桥镇人民政府"], "横街镇": ["横街", "横街镇人民政府"],
           "金清镇": ["金清", "金清镇人民政府"], "蓬街镇": ["蓬街", "蓬街镇人民政府"],
           "区中职校": ["路桥区中等职业学校", "中职校"], "恒勃技工学校": ["台州恒勃技工学校", "恒勃技校"]}
UNKNOWN_UNIT = "椒江区"
#: Faults injected into the 学历提升 sheet (rows affected; one fault per row).
REGISTER_FAULTS = {"unit_variant": 50, "unit_traditional": 22, "unit_stray_space": 21,
                   "id_fullwidth": 30, "date_fullwidth": 25, "wrong_check_digit": 25,
                   "blank_unit": 21, "blank_enrol_date": 21, "unknown_unit": 21,
                   "age_outside_band": 30, "duplicate_exact": 25, "duplicate_unit_variant": 21}
#: Faults injected into the 职业培训 sheet.
TRAINING_FAULTS = {"unit_variant": 40, "wrong_check_digit": 37, "duplicate_exact": 37}
#: Date cell kinds and their shares (real Excel date cells, then text variants).
DATE_KINDS = {"excel_date": 0.905, "iso_text": 0.02, "dotted": 0.02, "chinese": 0.02,
              "excel_serial": 0.02, "slash": 0.015}
_FW = str.maketrans("0123456789", "０１２３４５６７８９")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_REF = pd.Timestamp("2023-12-31")


def street_figures(task: pd.DataFrame) -> pd.DataFrame:
    """The streets' published figures from the raw task table (strings as transcribed).

    Parameters
    ----------
    task : DataFrame
        The task-table transcription read with ``dtype=str`` (all rows, ``/`` kept).

    Returns
    -------
    DataFrame
        Indexed by 责任单位 (the ten streets/towns, in table order), int columns 常住人口,
        20-59周岁人口, 其中高中及以下学历人口.
    """
    cols = ["常住人口", "20-59周岁人口", "其中高中及以下学历人口"]
    missing = [c for c in ["责任单位", *cols] if c not in task.columns]
    if missing:
        raise ValueError(f"task table: missing column(s) {missing}")
    t = task.set_index("责任单位")[cols]
    t = t[t["常住人口"].str.fullmatch(r"\d+") & (t.index != "合计")]
    bad = t[~t[cols[1]].str.fullmatch(r"\d+") | ~t[cols[2]].str.fullmatch(r"\d+")]
    if len(bad):
        raise ValueError(f"task table: streets {list(bad.index)} lack whole-number 20-59 figures")
    return t.astype(int)


def census_row(census: pd.DataFrame, code: str) -> pd.Series:
    """One unit's row of the county census table (``code`` column)."""
    row = census[census["code"].astype(str) == str(code)]
    if len(row) != 1:
        raise ValueError(f"census table: expected one row with code {code}, found {len(row)}")
    return row.iloc[0]


def _other_weights(row: pd.Series, work_total: int) -> np.ndarray:
    """District size of 0-5, 6-9, 10-14, 15-19, 60-64 … 85+ from the census row."""
    p04, p59, p1014, p60 = (float(row[c]) for c in ("pop_0_4", "pop_5_9", "pop_10_14", "pop_60p"))
    p1519 = float(row["pop_total"]) - work_total - p04 - p59 - p1014 - p60
    if p1519 < 0:
        raise ValueError(f"census row {row['code']}: pop_total minus 20-59 ({work_total}) minus "
                         f"0-14 and 60+ leaves {p1519:.0f} aged 15-19; expected >= 0")
    return np.array([p04 + p59 / 5, p59 * 4 / 5, p1014, p1519, *(p60 * OLD_SPLIT)])


def _band_sizes(fig: pd.DataFrame, other_w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whole-number band sizes (streets x 18 bands) and 20-59 tertiary (streets x 8)."""
    sizes, highs = [], []
    for street, (resident, work, low) in fig.iterrows():
        if not resident >= work >= low >= 0:
            raise ValueError(f"task table, {street}: expected 常住人口 >= 20-59周岁人口 >= "
                             f"其中高中及以下学历人口 >= 0, got {resident}, {work}, {low}")
        other = largest_remainder(resident - work, other_w)
        wb = largest_remainder(work, WORK_WEIGHTS)
        hb = np.minimum(largest_remainder(work - low, WORK_WEIGHTS * HIGH_SHARE), wb)
        for j in np.argsort(-HIGH_SHARE, kind="stable"):  # put any capped excess where room is
            add = min(int(work - low - hb.sum()), int(wb[j] - hb[j]))
            hb[j] += add
        sizes.append(np.concatenate([other[:4], wb, other[4:]]))
        highs.append(hb)
    return np.array(sizes), np.array(highs)


def fit_profiles(sizes: np.ndarray, highs: np.ndarray, row: pd.Series,
                 iterations: int = 60) -> dict[str, np.ndarray]:
    """Rake the age profiles so the district's 6+ attainment matches the census row.

    Parameters
    ----------
    sizes : ndarray
        Streets x bands population (:data:`BANDS` order).
    highs : ndarray
        Streets x 20-59 bands: persons above senior secondary.
    row : Series
        The district's census row (``edu6p_*`` columns).
    iterations : int
        Rounds of iterative proportional fitting.

    Returns
    -------
    dict
        Band label -> eight-level profile; for 20-59 bands the profile of the *low*
        (senior secondary or below) part.
    """
    n = sizes.sum(axis=0)
    h = highs.sum(axis=0)
    idx = [LEVEL_LABELS.index(x) for x in RAKED]
    fixed = np.zeros(len(LEVEL_LABELS))
    seeds, totals, names = [], [], []
    for b, label in enumerate(BANDS):
        if label == "0-5":
            continue
        if label in BANDS_WORK:
            k = BANDS_WORK.index(label)
            p = np.array(LOW_PROFILE[label] + [0, 0, 0], dtype=float)
            mass = n[b] - h[k]
            fixed[5:] += h[k] * HIGH_PROFILE
        else:
            p = np.array(OTHER_PROFILE[label], dtype=float)
            mass = n[b]
            if label in BANDS_YOUNG:
                fixed += mass * p
                continue
            rest = np.delete(np.arange(len(p)), idx)
            fixed[rest] += mass * p[rest]
            mass = mass * p[idx].sum()
        seeds.append(p[idx] / p[idx].sum())
        totals.append(mass)
        names.append(label)
    x = np.array(seeds) * np.array(totals)[:, None]
    target = np.array([float(row[CENSUS_COLUMNS[lvl]]) for lvl in RAKED]) - fixed[idx]
    target = np.clip(target, 1.0, None)
    target = target * x.sum() / target.sum()
    for _ in range(iterations):
        x *= (target / x.sum(axis=0))[None, :]
        x *= (np.array(totals) / x.sum(axis=1))[:, None]
    out: dict[str, np.ndarray] = {}
    for label, xr in zip(names, x, strict=True):
        if label in BANDS_WORK:
            p = np.zeros(len(LEVEL_LABELS))
            p[idx] = xr / xr.sum()
        else:
            p = np.array(OTHER_PROFILE[label], dtype=float)
            p[idx] = p[idx].sum() * xr / xr.sum()
        out[label] = p
    for label in ("6-9", "10-14", "15-19"):
        out[label] = np.array(OTHER_PROFILE[label], dtype=float)
    return out


def street_census_attainment(task: pd.DataFrame, census: pd.DataFrame,
                             code: str = "331004") -> pd.DataFrame:
    """Population by street x age band x sex x attainment, consistent with the task table.

    Parameters
    ----------
    task : DataFrame
        Task-table transcription (``dtype=str``; see :func:`street_figures`).
    census : DataFrame
        The county census table (``zhejiang_2020_county_education.csv``).
    code : str
        The district's census code.

    Returns
    -------
    DataFrame
        ``街道, 年龄段, 性别, 受教育程度, 人数`` (受教育程度 ``/`` for 0-5). Deterministic.
    """
    fig = street_figures(task)
    row = census_row(census, code)
    sizes, highs = _band_sizes(fig, _other_weights(row, int(fig["20-59周岁人口"].sum())))
    prof = fit_profiles(sizes, highs, row)
    male = np.array([MALE_SHARE[lvl] for lvl in LEVEL_LABELS])
    parts = []
    for s, street in enumerate(fig.index):
        counts = np.zeros((len(BANDS), len(LEVEL_LABELS)), dtype=int)
        for b, label in enumerate(BANDS):
            if label == "0-5":
                continue
            if label in BANDS_WORK:
                k = BANDS_WORK.index(label)
                counts[b, :5] = largest_remainder(sizes[s, b] - highs[s, k], prof[label][:5])
                counts[b, 5:] = largest_remainder(highs[s, k], HIGH_PROFILE)
            else:
                counts[b] = largest_remainder(sizes[s, b], prof[label])
        share = np.where(np.array([lab in BANDS_YOUNG for lab in BANDS])[:, None], MALE_SHARE_YOUNG,
                         male[None, :])
        men = np.floor(counts * share + 0.5).astype(int)
        m0 = int(np.floor(sizes[s, 0] * MALE_SHARE_YOUNG + 0.5))
        frame = pd.DataFrame({"年龄段": np.repeat(BANDS, len(LEVEL_LABELS)),
                              "受教育程度": np.tile(LEVEL_LABELS, len(BANDS)),
                              "男": men.ravel(), "女": (counts - men).ravel()})
        frame = frame[frame["年龄段"] != "0-5"]
        head = pd.DataFrame({"年龄段": ["0-5"], "受教育程度": ["/"], "男": [m0],
                             "女": [int(sizes[s, 0]) - m0]})
        frame = pd.concat([head, frame], ignore_index=True)
        long = frame.melt(id_vars=["年龄段", "受教育程度"], value_vars=["男", "女"],
                          var_name="性别", value_name="人数")
        long.insert(0, "街道", street)
        parts.append(long)
    df = pd.concat(parts, ignore_index=True)
    order = {"街道": {n: i for i, n in enumerate(fig.index)}, "年龄段": {b: i for i, b in enumerate(BANDS)},
             "性别": {"男": 0, "女": 1}}
    df = df.sort_values(["街道", "年龄段", "性别"], key=lambda c: c.map(order[c.name]), kind="stable")
    df = df[["街道", "年龄段", "性别", "受教育程度", "人数"]].reset_index(drop=True)
    return df.astype({"人数": "int64"})


def district_check(census_streets: pd.DataFrame, census: pd.DataFrame | None = None,
                   code: str = "331004") -> dict[str, Any]:
    """How close the generated street table is to the census row (6+ shares, mean years).

    Parameters
    ----------
    census_streets : DataFrame
        Output of :func:`street_census_attainment`.
    census : DataFrame, optional
        County census table; when given the published figures are returned alongside.
    code : str
        The district's census code.

    Returns
    -------
    dict
        ``persons_6plus``, ``share_<level>`` (本科 and 研究生 merged as 本科及以上),
        ``mean_years_6plus`` and by sex; with ``census`` also ``census_*`` counterparts.
    """
    c = census_streets[census_streets["受教育程度"] != "/"]
    lvl = c["受教育程度"].replace({"大学本科": "本科及以上", "研究生": "本科及以上"})
    by = c.groupby(lvl)["人数"].sum()
    total = int(by.sum())
    years = c["受教育程度"].map(YEARS) * c["人数"]
    out: dict[str, Any] = {"persons_6plus": total}
    out.update({f"share_{k}": round(float(v) / total, 4) for k, v in by.items()})
    out["mean_years_6plus"] = round(float(years.sum()) / total, 3)
    for sex, key in (("男", "male"), ("女", "female")):
        m = c["性别"] == sex
        out[f"mean_years_6plus_{key}"] = round(float(years[m].sum()) / float(c.loc[m, "人数"].sum()), 3)
    out["male_share_all_ages"] = round(float(census_streets.loc[census_streets["性别"] == "男", "人数"].sum())
                                       / float(census_streets["人数"].sum()), 4)
    if census is not None:
        row = census_row(census, code)
        cols = {k: v for k, v in CENSUS_COLUMNS.items() if k not in ("大学本科", "研究生")}
        cols["本科及以上"] = "edu6p_本科及以上"
        tot = float(row["edu6p_sum"])
        out["census_persons_6plus"] = int(tot)
        out.update({f"census_share_{k}": round(float(row[v]) / tot, 4) for k, v in cols.items()})
        out["census_mean_years_6plus"] = float(row["mys_reported"])
        out["census_mean_years_6plus_male"] = float(row["mys_male"])
        out["census_mean_years_6plus_female"] = float(row["mys_female"])
    return out


def survey_counts(census_streets: pd.DataFrame, rng: np.random.Generator,
                  coverage: dict[str, float] | None = None) -> pd.DataFrame:
    """摸排 counts of the 20-59 with senior secondary or below, by 10-year band, sex, level.

    Parameters
    ----------
    census_streets : DataFrame
        Output of :func:`street_census_attainment`.
    rng : numpy.random.Generator
        Source of the binomial noise and the survey dates.
    coverage : dict, optional
        Street -> coverage factor (default :data:`SURVEY_COVERAGE`).

    Returns
    -------
    DataFrame
        ``街道, 年龄段, 性别, 受教育程度, 摸排人数, 摸排日期``; 学前教育 is recorded as
        未上过学, as a door-to-door survey would.
    """
    coverage = SURVEY_COVERAGE if coverage is None else coverage
    c = census_streets[census_streets["受教育程度"].isin(LOW)].copy()
    lo = c["年龄段"].str.extract(r"^(\d+)")[0].astype(int)
    c = c[(lo >= 20) & (lo < 60)]
    lo = lo[c.index]
    c["年龄段"] = (lo // 10 * 10).astype(str) + "-" + (lo // 10 * 10 + 9).astype(str)
    c["受教育程度"] = c["受教育程度"].replace({"学前教育": "未上过学"})
    g = c.groupby(["街道", "年龄段", "性别", "受教育程度"], sort=False, as_index=False)["人数"].sum()
    unknown = sorted(set(g["街道"]) - set(coverage))
    if unknown:
        raise ValueError(f"survey_counts: no coverage factor for street(s) {unknown}")
    f = g["街道"].map(coverage).to_numpy(dtype=float)
    n = g["人数"].to_numpy()
    g["摸排人数"] = rng.binomial(n, np.minimum(f, 1.0)) + rng.binomial(n, np.clip(f - 1.0, 0, 1))
    start = {s: int(d) for s, d in zip(g["街道"].unique(), rng.integers(6, 20, g["街道"].nunique()),
                                       strict=True)}
    day = g["街道"].map(start).to_numpy() + rng.integers(0, 10, len(g))
    g["摸排日期"] = ["2023年3月" + str(d) + "日" for d in day]
    return g.drop(columns="人数")


# --------------------------------------------------------------------------- people
def _people(rng: np.random.Generator, ages: np.ndarray) -> pd.DataFrame:
    """Invented people with the given ages at 2023-12-31: 姓名, 身份证号 (valid), birth."""
    n = len(ages)
    birth = (pd.to_datetime(pd.Series(2023 - np.asarray(ages)).astype(str), format="%Y")
             + pd.to_timedelta(rng.integers(0, 365, n), unit="D"))
    male = rng.random(n) < 0.55
    local = rng.random(n) < 0.7
    area = np.where(local, rng.choice(AREA_LOCAL, n), rng.choice(AREA_MIGRANT, n))
    area = np.where(local & (birth.dt.year < 1994).to_numpy() & (rng.random(n) < 0.25), AREA_RETIRED, area)
    ymd = birth.dt.strftime("%Y%m%d").to_numpy()
    seq = np.zeros(n, dtype=int)
    todo = np.arange(n)
    while len(todo):  # redraw sequence numbers until every ID is unique
        seq[todo] = rng.integers(0, 100, len(todo)) * 10 + np.where(
            male[todo], rng.choice([1, 3, 5, 7, 9], len(todo)), rng.choice([0, 2, 4, 6, 8], len(todo)))
        body = pd.Series(area).str.cat([pd.Series(ymd), pd.Series(seq).map("{:03d}".format)])
        todo = np.flatnonzero(body.duplicated().to_numpy())
    ids = [b + ric.calc_check_digit(b + "0") for b in body]
    sur = rng.choice(SURNAMES, n)
    g1 = rng.choice(GIVEN, n)
    g2 = np.where(rng.random(n) < 0.6, rng.choice(GIVEN, n), "")
    names = pd.Series(sur).str.cat([pd.Series(g1), pd.Series(g2)])
    return pd.DataFrame({"姓名": names, "身份证号": ids, "出生日期": birth})


def _date_cells(rng: np.random.Generator, d: pd.Series) -> tuple[list, np.ndarray]:
    """Dates as an export holds them: mostly real date cells, some text, some serials."""
    kinds = np.array(list(DATE_KINDS))
    kind = rng.choice(kinds, len(d), p=list(DATE_KINDS.values()))
    out: list = []
    for k, ts in zip(kind, d, strict=True):
        if pd.isna(ts):
            out.append(None)
        elif k == "excel_date":
            out.append(ts.to_pydatetime())
        elif k == "iso_text":
            out.append(f"{ts:%Y-%m-%d}")
        elif k == "dotted":
            out.append(f"{ts.year}.{ts.month}.{ts.day}")
        elif k == "chinese":
            out.append(f"{ts.year}年{ts.month}月{ts.day}日")
        elif k == "excel_serial":
            out.append(int((ts - _EXCEL_EPOCH).days))
        else:
            out.append(f"{ts.year}/{ts.month}/{ts.day}")
    return out, kind


def _wrong_check(ids: pd.Series) -> list[str]:
    """Replace the 18th character by one that is certainly not the right check digit."""
    return [s[:17] + ("0" if s[17] != "0" else "1") for s in ids]


class _Picker:
    """Hands out disjoint random row positions, so every faulty row has one fault."""

    def __init__(self, rng: np.random.Generator, rows: np.ndarray) -> None:
        self.order = rng.permutation(rows)
        self.free = np.ones(len(self.order), dtype=bool)

    def take(self, k: int, among: np.ndarray | None = None) -> np.ndarray:
        ok = self.free if among is None else self.free & np.isin(self.order, among)
        pos = np.flatnonzero(ok)[:k]
        if len(pos) < k:
            raise ValueError(f"cannot place {k} faults: only {len(pos)} eligible rows left")
        self.free[pos] = False
        return self.order[pos]


def _finish(df: pd.DataFrame, tag: np.ndarray, rng: np.random.Generator,
            counts: dict[str, int]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Shuffle, number the rows (序号) and record where each fault went."""
    perm = rng.permutation(len(df))
    df = df.iloc[perm].reset_index(drop=True)
    tag = tag[perm]
    df.insert(0, "序号", np.arange(1, len(df) + 1))
    rows = {k: (np.flatnonzero(tag == k) + 1).tolist() for k in counts}
    return df, {"counts": counts, "rows": rows}


def learner_register(task: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The 学历提升 sheet: one row per learner and programme, with injected faults.

    Parameters
    ----------
    task : DataFrame
        Task-table transcription (``dtype=str``); a unit gets learners for a programme
        when its target cell is a whole number (85-115 % of it, seeded).
    rng : numpy.random.Generator
        All randomness.

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
            raise ValueError(f"task table: missing column {col}")
        targets = t[col][t[col].str.fullmatch(r"\d+")].astype(int)
        ns = np.rint(targets.to_numpy() * rng.uniform(0.85, 1.15, len(targets))).astype(int)
        parts.append(pd.DataFrame({"所属单位": np.repeat(targets.index.to_numpy(), ns), "项目类别": prog}))
    units = pd.concat(parts, ignore_index=True)
    n = len(units)
    counts = dict(REGISTER_FAULTS)
    n_odd = counts["age_outside_band"]
    ages = np.concatenate([rng.integers(20, 60, n), rng.integers(13, 15, n_odd // 2),
                           rng.integers(66, 73, n_odd - n_odd // 2)])
    people = _people(rng, ages)
    spare, people = people.iloc[n:].reset_index(drop=True), people.iloc[:n].reset_index(drop=True)
    df = pd.concat([people[["姓名", "身份证号"]], units], axis=1)
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
    df["报名日期"], kinds = _date_cells(rng, enrol)
    df["学籍状态"] = status
    df["结业日期"] = [f"{x:%Y-%m-%d}" if s == "已结业" else None for x, s in zip(done, status, strict=True)]
    df["学籍注册"] = np.where(reg_fail, "否", "是")
    df["未注册原因"] = np.where(reg_fail, rng.choice(["缺身份证", "缺户口簿", "缺标准像"], n, p=[0.4, 0.35, 0.25]), None)
    df["学习方式"] = rng.choice(["线上", "线下", "线上线下"], n, p=[0.4, 0.35, 0.25])
    df = df.astype(object)
    tag = np.full(n, "", dtype=object)
    pick = _Picker(rng, np.flatnonzero(df["所属单位"].isin(list(SURVEY_COVERAGE)).to_numpy()))
    excel_date = np.flatnonzero(kinds == "excel_date")

    def mark(name: str, among: np.ndarray | None = None) -> np.ndarray:
        idx = pick.take(counts[name], among)
        tag[idx] = name
        return idx

    idx = mark("unit_variant")
    df.loc[idx, "所属单位"] = [ALIASES[v][k % 2] for k, v in enumerate(df.loc[idx, "所属单位"])]
    idx = mark("unit_traditional", np.flatnonzero(df["所属单位"].eq("路桥街道").to_numpy()))
    df.loc[idx, "所属单位"] = "路橋街道"
    idx = mark("unit_stray_space")
    df.loc[idx, "所属单位"] = [v[:2] + " " + v[2:] if k % 3 == 0 else (v + " " if k % 3 == 1 else " " + v)
                           for k, v in enumerate(df.loc[idx, "所属单位"])]
    idx = mark("id_fullwidth")
    df.loc[idx, "身份证号"] = df.loc[idx, "身份证号"].str.translate(_FW)
    idx = mark("date_fullwidth", excel_date)
    df.loc[idx, "报名日期"] = [f"{enrol[i]:%Y-%m-%d}".translate(_FW) for i in idx]
    idx = mark("wrong_check_digit")
    df.loc[idx, "身份证号"] = _wrong_check(df.loc[idx, "身份证号"])
    idx = mark("blank_unit")
    df.loc[idx, "所属单位"] = None
    idx = mark("blank_enrol_date", excel_date)
    df.loc[idx, "报名日期"] = None
    idx = mark("unknown_unit")
    df.loc[idx, "所属单位"] = UNKNOWN_UNIT
    idx = mark("age_outside_band")
    df.loc[idx, ["姓名", "身份证号"]] = spare[["姓名", "身份证号"]].to_numpy()
    dup_exact = df.loc[pick.take(counts["duplicate_exact"])].copy()
    idx = pick.take(counts["duplicate_unit_variant"])
    dup_var = df.loc[idx].copy()
    dup_var["所属单位"] = [ALIASES[v][1] for v in dup_var["所属单位"]]
    df = pd.concat([df, dup_exact, dup_var], ignore_index=True)
    tag = np.concatenate([tag, np.full(len(dup_exact), "duplicate_exact", dtype=object),
                          np.full(len(dup_var), "duplicate_unit_variant", dtype=object)])
    kinds = np.concatenate([kinds, kinds[dup_exact.index], kinds[dup_var.index]])
    normal = ~np.isin(tag, ["date_fullwidth", "blank_enrol_date"])
    df, faults = _finish(df, tag, rng, counts)
    faults["date_formats"] = {k: int((kinds[normal] == k).sum()) for k in DATE_KINDS}
    faults["rows_total"] = len(df)
    faults["withdrawn"] = int(df["学籍状态"].eq("退学").sum())
    faults["registration_failed"] = int(df["学籍注册"].eq("否").sum())
    return df, faults


def training_register(task: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The 职业培训 sheet: one row per training person-time, with injected faults.

    Parameters
    ----------
    task : DataFrame
        Task-table transcription (``dtype=str``); each unit with a whole-number
        职业教育培训人次 gets 92-106 % of it as person-times.
    rng : numpy.random.Generator
        All randomness.

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
        people = _people(rng, rng.integers(20, 60, len(times)))
        home = rng.choice(list(SURVEY_COVERAGE), len(times))
        who = np.repeat(np.arange(len(times)), times)
        # a person's courses on different days: a first day, then gaps of 14-44 days
        first = np.r_[True, who[1:] != who[:-1]]
        gap = np.where(first, rng.integers(0, 200, n), rng.integers(14, 45, n))
        day = pd.Series(gap).groupby(who).cumsum().to_numpy()
        parts.append(pd.DataFrame({
            "姓名": people["姓名"].to_numpy()[who], "身份证号": people["身份证号"].to_numpy()[who],
            "培训单位": unit, "所属街道": home[who], "培训项目": rng.choice(COURSES, n),
            "培训日期": pd.Series(np.datetime64("2023-03-01", "D") + day.astype("timedelta64[D]")
                              ).astype("datetime64[ns]"),
            "结业": np.where(rng.random(n) < 0.85, "是", "否"),
            "学习方式": rng.choice(["线上", "线下", "线上线下"], n, p=[0.3, 0.5, 0.2]),
        }))
    df = pd.concat(parts, ignore_index=True)
    dates, _ = _date_cells(rng, df["培训日期"])
    df = df.astype(object)
    df["培训日期"] = dates
    counts = dict(TRAINING_FAULTS)
    tag = np.full(len(df), "", dtype=object)
    pick = _Picker(rng, np.arange(len(df)))
    idx = pick.take(counts["unit_variant"])
    tag[idx] = "unit_variant"
    df.loc[idx, "培训单位"] = [ALIASES[v][k % 2] for k, v in enumerate(df.loc[idx, "培训单位"])]
    idx = pick.take(counts["wrong_check_digit"])
    tag[idx] = "wrong_check_digit"
    df.loc[idx, "身份证号"] = _wrong_check(df.loc[idx, "身份证号"])
    dup = df.loc[pick.take(counts["duplicate_exact"])].copy()
    df = pd.concat([df, dup], ignore_index=True)
    tag = np.concatenate([tag, np.full(len(dup), "duplicate_exact", dtype=object)])
    df, faults = _finish(df, tag, rng, counts)
    faults["rows_total"] = len(df)
    faults["people"] = int(df["身份证号"].nunique())
    return df, faults


# --------------------------------------------------------------------------- writing
_PARENTS = {"学员信息": ["姓名", "身份证号", "所属单位"], "学历": ["原学历", "报读层次"],
            "学籍": ["学籍状态", "结业日期", "学籍注册", "未注册原因"],
            "培训信息": ["培训单位", "所属街道", "培训项目", "培训日期", "结业"]}


def register_workbook_bytes(sheets: dict[str, pd.DataFrame], title: str = REGISTER_TITLE) -> bytes:
    """An export-like workbook: merged title row, two-row header with merged parents.

    Parameters
    ----------
    sheets : dict
        Sheet name -> rows (columns in order; ``None`` cells stay empty; datetimes become
        real date cells).
    title : str
        Text of the merged row 1 (carries 示例数据·合成).

    Returns
    -------
    bytes
        The .xlsx; byte-identical for identical input (fixed properties and zip times).
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(name)
        cols = list(df.columns)
        width = len(cols)
        ws.cell(1, 1, title).font = Font(bold=True)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        c = 0
        while c < width:
            parent = next((p for p, kids in _PARENTS.items() if cols[c] in kids), None)
            if parent is None:
                ws.cell(2, c + 1, cols[c])
                ws.merge_cells(start_row=2, start_column=c + 1, end_row=3, end_column=c + 1)
                c += 1
                continue
            span = 1
            while c + span < width and cols[c + span] in _PARENTS[parent]:
                span += 1
            ws.cell(2, c + 1, parent)
            if span > 1:
                ws.merge_cells(start_row=2, start_column=c + 1, end_row=2, end_column=c + span)
            for k in range(span):
                ws.cell(3, c + 1 + k, cols[c + k])
            c += span
        for r, values in enumerate(df.itertuples(index=False), start=4):
            for j, v in enumerate(values, start=1):
                if v is None or (isinstance(v, float) and np.isnan(v)):
                    continue
                cell = ws.cell(r, j, v.item() if isinstance(v, np.generic) else v)
                if isinstance(v, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
    wb.properties.creator = "eduanalytics.synthetic (示例数据·合成 SYNTHETIC)"
    wb.properties.title = title
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # openpyxl's save_workbook would stamp "now"
    return fixed_zip_bytes(buf.getvalue())


def _source_md(seed: int, check: dict[str, Any], reg: dict[str, Any], train: dict[str, Any]) -> str:
    """The synthetic folder's SOURCE.md (rules, seed, faults, closeness to the census)."""
    lv = ["未上过学", "学前教育", "小学", "初中", "高中", "大学专科", "本科及以上"]
    share_rows = "\n".join(f"| {k} | {100 * check[f'share_{k}']:.2f} % | {100 * check[f'census_share_{k}']:.2f} % |"
                           for k in lv)
    cov = ", ".join(f"{k} {v:g}" for k, v in SURVEY_COVERAGE.items())
    fr, ft = reg["counts"], train["counts"]
    shown = {"excel_date": "real Excel date cells", "iso_text": "text 2023-03-06",
             "dotted": "text 2023.3.6", "chinese": "text 2023年3月6日",
             "excel_serial": "Excel serial numbers as plain numbers (45000)", "slash": "text 2023/3/6"}
    dfmt = "; ".join(f"{shown[k]} {v}" for k, v in reg["date_formats"].items())
    return f"""# SYNTHETIC example inputs — 示例数据(合成), not real people, not published figures

Luqiao publishes no learner register, no street-level attainment table and no 摸排
counts; the bundled example needs all three, so they are generated by
`eduanalytics.synthetic.generate_example` from seed {seed} (default 20230306): three
independent `numpy.random.default_rng` streams spawned from `SeedSequence({seed})` (survey,
学历提升 sheet, 职业培训 sheet; `component_rngs`). Regenerate with `eduanalytics generate --config
config/luqiao.yaml` (or `make generate`); the same seed gives the same cell values, and
the workbook is byte-identical (fixed properties and zip times). Inputs read: the task
table transcription (`../task_table/luqiao_2023_task_table.csv`) and Luqiao's row (331004)
of the county census table (`data/raw/census/2020/`). Every output carries the label
示例数据 / SYNTHETIC: the workbook in its title rows and properties, the CSVs through this
note, `faults.json` in its `label` field.

## census_street_attainment.csv (UTF-8) — street × age band × sex × attainment
Columns `街道, 年龄段, 性别, 受教育程度, 人数`, the ten streets/towns of the task table; age
bands 0-5 (受教育程度 `/`, not applicable), 6-9, 10-14, 15-19, 20-24 … 80-84, 85+; 性别 男/女;
受教育程度 the census labels 未上过学, 学前教育, 小学, 初中, 高中, 大学专科, 大学本科, 研究生.
No random numbers: whole-number allocation by largest remainder, so for EVERY street:
- the total equals the task table's 常住人口 exactly (sum 628,934 = the census total);
- the 20-59 total equals its 20-59周岁人口 exactly (sum 427,715, not the 合计's 405,026);
- the 20-59 count at 高中 or below equals its 其中高中及以下学历人口 exactly (sum 365,312, not
  the 合计's 368,047).

Rules: each street's population outside 20-59 is split over 0-5, 6-9, 10-14, 15-19 and
60-64 … 85+ in proportion to Luqiao's census row (0-5 = 0-4 + a fifth of 5-9; 6-9 = four
fifths of 5-9; 10-14; 60+ split 29/25/18/13/9/6 % (assumed)); 15-19 is what remains of
the census total after the streets' 20-59 (628,934 − 427,715 − 27,561 − 30,589 − 30,333 −
104,249 = 8,487 — implausibly few, a consequence of the streets' 20-59 figures; the 合计's
405,026 would leave 31,176). 20-59 is split into five-year bands by assumed weights
12/14/14/13/13/12/11/11 %; its above-高中 persons (20-59周岁人口 − 其中高中及以下) go to the
younger bands first (relative chances 30/28/22/15/10/7/5/4), split 58 % 大学专科, 39.5 %
大学本科, 2.5 % 研究生. Children 6-9 are in 学前教育 (11 %) or 小学, 10-14 in 小学 (45 %) or 初中,
15-19 mostly 高中. The low-level profiles of 20-59 and 60+ (younger cohorts more educated)
are raked (iterative proportional fitting, 60 rounds) so the district's 6+ counts of
未上过学 / 小学 / 初中 / 高中 match the census row. Men's share of each level at 20+ is
assumed (未上过学 30 %, 小学 50 %, 初中 57 %, 高中 58 %, 大专 54 %, 本科 52 %, 研究生 55 %;
53 % under 20).

Closeness to the published census row (Luqiao 2020, population 6+):

| 受教育程度 | synthetic | census |
|---|---|---|
{share_rows}

- Persons 6+: synthetic {check['persons_6plus']:,}, census {check['census_persons_6plus']:,}.
- Mean years of schooling of the 6+ (0/0/6/9/12/16/16/16 years): synthetic
  **{check['mean_years_6plus']:.2f}**, yearbook **{check['census_mean_years_6plus']:.2f}**; men
  {check['mean_years_6plus_male']:.2f} vs {check['census_mean_years_6plus_male']:.2f}, women
  {check['mean_years_6plus_female']:.2f} vs {check['census_mean_years_6plus_female']:.2f}. (The census's own counts give
  (6·199,061 + 9·208,816 + 12·88,617 + 16·63,431) / 595,475 = 8.65.)
- Men are {100 * check['male_share_all_ages']:.1f} % of the synthetic population (sex ratio
  {100 * check['male_share_all_ages'] / (1 - check['male_share_all_ages']):.0f}); the census row gives no sex split.

## survey_counts.csv (UTF-8 with BOM) — 摸排 counts
Columns `街道, 年龄段, 性别, 受教育程度, 摸排人数, 摸排日期`: the programme target group (20-59,
高中 or below) in 10-year bands 20-29 … 50-59; 学前教育 recorded as 未上过学. Each count is
drawn binomially from the census-consistent count of the cell with the street's coverage
factor (over 1: the count plus a binomial excess). The factors — what a researcher would
try to recover — are:
{cov}.
So 路南街道, 新桥镇 and 螺洋街道 are within 2 % of the census,
蓬街镇 counts about 6 % over, the others 7-14 % under (people working away). Dates:
2023年3月6日 … 2023年3月28日, one start day per street plus up to nine days.

## learner_register.xlsx — two sheets
Row 1: the merged title `{REGISTER_TITLE}`; rows 2-3: a two-row header with merged parent
cells (学员信息 over 姓名/身份证号/所属单位, 学历 over 原学历/报读层次, 学籍 over
学籍状态/结业日期/学籍注册/未注册原因, 培训信息 over the training columns; single columns
merged down). Data from row 4.

People are INVENTED: names drawn from a short list of common surnames and given-name
characters; 18-digit resident ID numbers with a correct GB 11643 check digit (computed with
python-stdnum `stdnum.cn.ric.calc_check_digit`); area codes 331004 (Luqiao), neighbouring
Taizhou codes (331002, 331003, 331081-331083), other provinces' codes for migrants
(522601, 341221, 362330, 512501, 411323, 430523, 450481, 532101), and the retired code
332603 (黄岩市, abolished in 1994) for a quarter of local people born before 1994. Ages at
2023-12-31 are 20-59 except the injected out-of-band learners.

- `学历提升` ({reg['rows_total']} rows): one row per learner and programme; per unit 85-115 %
  (seeded) of its target — 初高中学历提升 at the ten streets, 区中职校 and 恒勃技工学校,
  大专及以上学历提升 at the ten streets, 自学考试, 成人高校 and 台州开放大学路桥学院. 原学历
  初中 (85 %) → 报读层次 高中（中专）, 小学 (15 %) → 初中; tertiary 高中/中专 (80 %) → 大专,
  大专 (20 %) → 本科. Spring batch (55 %) enrols 1 Mar-30 Apr 2023, autumn 1 Sep-31 Oct;
  已结业 47 % of spring and 14 % of autumn learners, completion 100-240 days after
  enrolment and not after 2023-12-20; withdrawals (退学) {reg['withdrawn']} (~2 %);
  学籍注册=否 {reg['registration_failed']} (~2 %), each with a reason 缺身份证 / 缺户口簿 / 缺标准像.
- `职业培训` ({train['rows_total']} rows, {train['people']} distinct ID numbers): one row
  per person-time at 区中职校 (6,800 × 0.92-1.06) and 恒勃技工学校 (500 × 0.92-1.06); each
  person attends one, two or three courses (45/35/20 %) on different days — person-times,
  not duplicates — and keeps one 所属街道.

## Injected faults
`faults.json` holds, per sheet, `counts` (rows affected by each fault) and `rows` (the
序号 of every affected row; its Excel row is 序号 + 3), so a test can check that the
cleaning catches exactly these rows.

学历提升 (each row carries at most one fault; faults only on street rows):
- exact duplicate rows: {fr['duplicate_exact']}; the same learner entered again under another
  unit-name variant (…街道办事处 / …人民政府): {fr['duplicate_unit_variant']};
- ID numbers with a wrong check digit: {fr['wrong_check_digit']}; ID numbers typed with
  full-width digits (valid once converted): {fr['id_fullwidth']};
- enrolment dates typed with full-width digits (２０２３-０３-０６): {fr['date_fullwidth']};
- unit-name variants that are config aliases (路南 / 路南街道办事处 …): {fr['unit_variant']};
  traditional 路橋街道: {fr['unit_traditional']}; a stray space (leading, trailing or
  inside, 路南 街道): {fr['unit_stray_space']};
- blank unit: {fr['blank_unit']}; blank enrolment date: {fr['blank_enrol_date']};
- learners outside the eligible 16-64 band (aged 13-14 or 66-72 at 2023-12-31):
  {fr['age_outside_band']};
- an unknown unit `{UNKNOWN_UNIT}` (not in the config): {fr['unknown_unit']};
- mixed date formats of 报名日期 (the other rows): {dfmt}.
职业培训: unit variants of the school (台州恒勃技工学校, 路桥区中等职业学校 …):
{ft['unit_variant']}; wrong check digits: {ft['wrong_check_digit']}; exact duplicate rows:
{ft['duplicate_exact']}; 培训日期 in the same mix of formats.
"""


def component_rngs(seed: int = DEFAULT_SEED) -> tuple[np.random.Generator, ...]:
    """Independent generators for the survey, the 学历提升 and the 职业培训 sheets.

    Spawned from ``numpy.random.SeedSequence(seed)``, so changing one component (say
    the census profiles, which change how many draws the survey's binomials use) does
    not change the others.
    """
    return tuple(np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3))


def generate_example(config: RegionConfig, out_dir: Path | None = None,
                     seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Generate and write the synthetic inputs of the bundled example.

    Parameters
    ----------
    config : RegionConfig
        The Luqiao config (reads ``files.task_table`` and ``files.census_county``).
    out_dir : Path, optional
        Output folder (default ``config.raw_dir / "synthetic"``).
    seed : int
        Seed of the :class:`numpy.random.SeedSequence` the streams are spawned from
        (:func:`component_rngs`); the same seed gives the same data.

    Returns
    -------
    dict
        Paths written: ``census_streets``, ``survey``, ``register``, ``faults``
        (``faults.json``: counts and 序号 of every injected fault) and ``source``.
    """
    out = Path(out_dir) if out_dir else config.raw_dir / "synthetic"
    out.mkdir(parents=True, exist_ok=True)
    task = pd.read_csv(config.file("task_table"), dtype=str, keep_default_na=False, encoding="utf-8")
    county = pd.read_csv(config.file("census_county"), dtype={"code": str}, encoding="utf-8")
    code = str(config.get("census_code", "331004"))
    survey_rng, register_rng, training_rng = component_rngs(seed)
    census = street_census_attainment(task, county, code)
    survey = survey_counts(census, survey_rng)
    reg, f_reg = learner_register(task, register_rng)
    train, f_train = training_register(task, training_rng)
    check = district_check(census, county, code)
    paths = {"census_streets": out / "census_street_attainment.csv", "survey": out / "survey_counts.csv",
             "register": out / "learner_register.xlsx", "faults": out / "faults.json",
             "source": out / "SOURCE.md"}
    census.to_csv(paths["census_streets"], index=False, encoding="utf-8", lineterminator="\n")
    survey.to_csv(paths["survey"], index=False, encoding="utf-8-sig", lineterminator="\n")
    paths["register"].write_bytes(register_workbook_bytes({"学历提升": reg, "职业培训": train}))
    faults = {"label": SYNTHETIC_LABEL, "seed": seed, "学历提升": f_reg, "职业培训": f_train,
              "district_check": check}
    paths["faults"].write_text(json.dumps(faults, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    paths["source"].write_text(_source_md(seed, check, f_reg, f_train), encoding="utf-8")
    return paths
