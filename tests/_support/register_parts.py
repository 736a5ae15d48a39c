"""A hand-built register split into Parquet parts (one per town), for the Dask engine.

Parts a, b, c (4 rows each = 12 rows):

- part a (路南街道): row 3 has a wrong check digit;
- part b (金清镇): row 2 has a blank 报名日期;
- part c (蓬街镇): row 2 is learner 甲 again (first seen in part a, row 1) in the same
  programme -> a duplicate across partitions, found only by looking at every part.

So 12 in, 3 rejected, 9 clean (3 per town); the duplicate's reason names row 1 of part a.

:func:`harder_rows` adds two parts to those three:

- part d (4 rows): row 1 is learner 戊 of part b row 1 again (same programme) -> duplicate
  of row 1 of b; row 2 is a new learner; row 3 repeats row 2 -> duplicate of row 2 of the
  same part; row 4 has a wrong check digit AND a blank unit (two records, one row);
- part e (2 rows): every row rejected (unknown unit 椒江区; 2023-02-30 is no date), so its
  clean part is empty.

So 18 in, 3 + 3 + 2 = 8 rejected, 10 clean (a 3, b 3, c 3, d 1, e 0).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from stdnum.cn import ric

HEAD = ["姓名", "身份证号", "所属单位", "项目类别", "报名日期", "学籍状态", "学习方式"]


def ident(birth: str, seq: str) -> str:
    """A valid 18-digit ID number of area 331004 (check digit computed)."""
    body = "331004" + birth + seq
    return body + ric.calc_check_digit(body + "0")


def bad_check_digit(number: str) -> str:
    """``number`` with a wrong check digit."""
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def register_rows() -> dict[str, list[list]]:
    """Parts a, b, c (see the module notes): part name -> rows under :data:`HEAD`."""
    a_id = ident("19850306", "123")
    return {
        "a": [["甲", a_id, "路南街道", "初高中学历提升", "2023-03-06", "在读", "线下"],
              ["乙", ident("19800101", "111"), "路南", "初高中学历提升", "2023-03-07", "在读", "线上"],
              ["丙", bad_check_digit(ident("19900512", "345")), "路南街道", "初高中学历提升",
               "2023-03-08", "在读", "线下"],
              ["丁", ident("19750101", "222"), "路南街道", "大专及以上学历提升", "2023-09-01", "已结业", "线下"]],
        "b": [["戊", ident("19860101", "333"), "金清镇", "初高中学历提升", "2023-03-06", "在读", "线下"],
              ["己", ident("19870101", "444"), "金清镇", "初高中学历提升", None, "在读", "线下"],
              ["庚", ident("19880101", "555"), "金清", "大专及以上学历提升", "2023/9/6", "在读", "线上线下"],
              ["辛", ident("19890101", "666"), "金清镇", "初高中学历提升", "2023年3月6日", "退学", "线下"]],
        "c": [["壬", ident("19910101", "777"), "蓬街镇", "初高中学历提升", "2023-03-06", "在读", "线下"],
              ["甲", a_id, "蓬街镇", "初高中学历提升", "2023-03-09", "在读", "线下"],
              ["癸", ident("19920101", "888"), "蓬街镇", "初高中学历提升", "2023-03-06", "在读", "线下"],
              ["子", ident("19930101", "999"), "蓬街镇", "大专及以上学历提升", "2023-09-06", "在读", "线上"]],
    }


def harder_rows() -> dict[str, list[list]]:
    """Parts a to e (see the module notes)."""
    rows = register_rows()
    b1 = rows["b"][0]
    new = ["丑", ident("19940101", "123"), "金清镇", "大专及以上学历提升", "2023-03-06", "在读", "线下"]
    rows["d"] = [b1[:4] + ["2023-04-01", "在读", "线上"], new, list(new),
                 ["辰", bad_check_digit(ident("19970101", "456")), None, "初高中学历提升",
                  "2023-03-06", "在读", "线下"]]
    rows["e"] = [["寅", ident("19950101", "234"), "椒江区", "初高中学历提升", "2023-03-06", "在读", "线下"],
                 ["卯", ident("19960101", "345"), "金清镇", "初高中学历提升", "2023-02-30", "在读", "线下"]]
    return rows


def write_parts(folder: Path, rows: dict[str, list[list]], head: list[str] | None = None) -> Path:
    """Write each part as ``<folder>/<part>.parquet`` (text columns); returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for part, body in rows.items():
        pd.DataFrame(body, columns=head or HEAD).to_parquet(folder / f"{part}.parquet")
    return folder


#: A region of the three towns above, its register the parts of :func:`with_levels`.
REGION = """
region: parts
name: 某某区
level_word: 区
default_year: 2023
default_as_of: "2023-12-31"
units:
  - {id: lunan, name: 路南街道, kind: street, aliases: [路南]}
  - {id: jinqing, name: 金清镇, kind: town, aliases: [金清]}
  - {id: pengjie, name: 蓬街镇, kind: town, aliases: [蓬街]}
programmes:
  secondary_upgrade: {measure: persons}
  tertiary_upgrade: {measure: persons}
register: {eligible_age: [16, 64], reference_date: "2023-12-31"}
inputs:
  task_table: {path: task.csv}
  register: {path: register}
"""
TASK_CSV = ("单位,常住人口,初高中学历提升人数,大专及以上学历提升人数\n"
            "路南街道,1000,5,2\n金清镇,2000,6,3\n蓬街镇,3000,7,4\n")
LEVEL_HEAD = [*HEAD, "原学历", "是否注册", "未注册原因"]


def with_levels(rows: dict[str, list[list]]) -> dict[str, list[list]]:
    """``rows`` with 原学历, 是否注册 and 未注册原因: blank 原学历 and 未注册原因 on every row
    of part a (so its clean part holds those coded columns empty); elsewhere 原学历 初中 for
    初高中 and 高中 for 大专 learners; all registered (是) except row 4 of part b (辛: 否,
    缺身份证).

    On :func:`harder_rows` the 10 clean rows then hold level_from blank 3 (a1, a2, a4),
    junior_secondary 4 (b1, b4, c1, c3), senior_secondary 3 (b3, c4, d2); one row not
    registered, for no_id_card.
    """
    out = {}
    for part, body in rows.items():
        out[part] = []
        for i, row in enumerate(body, start=1):
            level = None if part == "a" else ("初中" if row[3] == "初高中学历提升" else "高中")
            registered, reason = ("否", "缺身份证") if (part, i) == ("b", 4) else ("是", None)
            out[part].append([*row, level, registered, reason])
    return out


def make_region(root: Path, rows: dict[str, list[list]] | None = None) -> Path:
    """Write ``config/parts.yaml``, the task table and the register (default
    ``with_levels(harder_rows())``) under ``root``; returns the config's path."""
    raw = root / "data" / "raw" / "parts" / "2023"
    raw.mkdir(parents=True)
    (root / "config").mkdir()
    (raw / "task.csv").write_text(TASK_CSV, encoding="utf-8")
    write_parts(raw / "register", rows or with_levels(harder_rows()), LEVEL_HEAD)
    path = root / "config" / "parts.yaml"
    path.write_text(REGION, encoding="utf-8")
    return path
