"""Invented people and the cell-level faults of exported registers (shared by the
register generators of every example region).

Names are drawn from short lists; ID numbers carry a correct GB 11643 check digit
(python-stdnum) unless a fault says otherwise. Nothing here is a real person.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from stdnum.cn import ric

from eduanalytics.errors import DataError

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
                "于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玲建国红梅志文斌辉燕琴云海林波宁飞鹏凤兰晶")
#: Date cell kinds and their shares (real Excel date cells, then text variants).
DATE_KINDS = {"excel_date": 0.905, "iso_text": 0.02, "dotted": 0.02, "chinese": 0.02,
              "excel_serial": 0.02, "slash": 0.015}
#: Digits to their full-width forms (a fault of hand-typed cells).
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def people(rng: np.random.Generator, ages: np.ndarray, areas: dict[str, Any],
           ref_year: int = 2023) -> pd.DataFrame:
    """Invented people with the given ages at the end of ``ref_year``.

    Parameters
    ----------
    rng : numpy.random.Generator
        All randomness.
    ages : ndarray
        Age of each person.
    areas : dict
        ``local`` (area codes of residents, repeated to weight them), ``migrant`` (other
        provinces' codes), ``retired`` (a code valid only for people born before
        ``retired_before``), ``retired_before`` and ``retired_share`` (the share of
        such local people given the retired code; default 0.25).
    ref_year : int
        Year the ages refer to (31 December).

    Returns
    -------
    DataFrame
        姓名, 身份证号 (valid check digit), 出生日期.
    """
    n = len(ages)
    birth = (pd.to_datetime(pd.Series(ref_year - np.asarray(ages)).astype(str), format="%Y")
             + pd.to_timedelta(rng.integers(0, 365, n), unit="D"))
    male = rng.random(n) < 0.55
    local = rng.random(n) < 0.7
    area = np.where(local, rng.choice(list(areas["local"]), n), rng.choice(list(areas["migrant"]), n))
    old = (birth.dt.year < int(areas["retired_before"])).to_numpy()
    area = np.where(local & old & (rng.random(n) < float(areas.get("retired_share", 0.25))),
                    areas["retired"], area)
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


def date_cells(rng: np.random.Generator, d: pd.Series) -> tuple[list, np.ndarray]:
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
            out.append(int((ts - EXCEL_EPOCH).days))
        else:
            out.append(f"{ts.year}/{ts.month}/{ts.day}")
    return out, kind


def wrong_check(ids: pd.Series) -> list[str]:
    """Replace the 18th character by one that is certainly not the right check digit."""
    return [s[:17] + ("0" if s[17] != "0" else "1") for s in ids]


class Picker:
    """Hands out disjoint random row positions, so every faulty row has one fault."""

    def __init__(self, rng: np.random.Generator, rows: np.ndarray) -> None:
        self.order = rng.permutation(rows)
        self.free = np.ones(len(self.order), dtype=bool)

    def take(self, k: int, among: np.ndarray | None = None) -> np.ndarray:
        ok = self.free if among is None else self.free & np.isin(self.order, among)
        pos = np.flatnonzero(ok)[:k]
        if len(pos) < k:
            raise DataError(f"cannot place {k} faults: only {len(pos)} eligible rows left")
        self.free[pos] = False
        return self.order[pos]


def finish(df: pd.DataFrame, tag: np.ndarray, rng: np.random.Generator,
            counts: dict[str, int]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Shuffle, number the rows (序号) and record where each fault went."""
    perm = rng.permutation(len(df))
    df = df.iloc[perm].reset_index(drop=True)
    tag = tag[perm]
    df.insert(0, "序号", np.arange(1, len(df) + 1))
    rows = {k: (np.flatnonzero(tag == k) + 1).tolist() for k in counts}
    return df, {"counts": counts, "rows": rows}


