"""Street-level census extract: population by street x age band x sex x attainment.

No region publishes it; the example generates it, with no random numbers, consistent with
what IS published — the task table's street figures (常住人口, 20-59周岁人口,
其中高中及以下学历人口, matched exactly) and the county census row (the district's 6+
attainment, matched as closely as the street constraints allow by iterative proportional
fitting; see :func:`district_check`). Whole-number allocation by largest remainder.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.indicators.allocation import hamilton_split as largest_remainder
from eduanalytics.normalise.attainment_labels import ATTAINMENT_LABELS
from eduanalytics.tables.attainment import DEFAULT_YEARS

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
        raise DataError(f"task table: missing column(s) {missing}")
    t = task.set_index("责任单位")[cols]
    t = t[t["常住人口"].str.fullmatch(r"\d+") & (t.index != "合计")]
    bad = t[~t[cols[1]].str.fullmatch(r"\d+") | ~t[cols[2]].str.fullmatch(r"\d+")]
    if len(bad):
        raise DataError(f"task table: streets {list(bad.index)} lack whole-number 20-59 figures")
    return t.astype(int)


def census_row(census: pd.DataFrame, code: str) -> pd.Series:
    """One unit's row of the county census table (``code`` column)."""
    row = census[census["code"].astype(str) == str(code)]
    if len(row) != 1:
        raise DataError(f"census table: expected one row with code {code}, found {len(row)}")
    return row.iloc[0]


def _other_weights(row: pd.Series, work_total: int) -> np.ndarray:
    """District size of 0-5, 6-9, 10-14, 15-19, 60-64 … 85+ from the census row."""
    p04, p59, p1014, p60 = (float(row[c]) for c in ("pop_0_4", "pop_5_9", "pop_10_14", "pop_60p"))
    p1519 = float(row["pop_total"]) - work_total - p04 - p59 - p1014 - p60
    if p1519 < 0:
        raise DataError(f"census row {row['code']}: pop_total minus 20-59 ({work_total}) minus "
                         f"0-14 and 60+ leaves {p1519:.0f} aged 15-19; expected >= 0")
    return np.array([p04 + p59 / 5, p59 * 4 / 5, p1014, p1519, *(p60 * OLD_SPLIT)])


def _band_sizes(fig: pd.DataFrame, other_w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whole-number band sizes (streets x 18 bands) and 20-59 tertiary (streets x 8)."""
    sizes, highs = [], []
    for street, (resident, work, low) in fig.iterrows():
        if not resident >= work >= low >= 0:
            raise DataError(f"task table, {street}: expected 常住人口 >= 20-59周岁人口 >= "
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


