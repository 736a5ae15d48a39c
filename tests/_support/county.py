"""A made-up county (某市甲县) with its own file layouts, written into a tmp folder.

Figures (worked by hand, used by the tests):

Task table (notice.docx, unit header 责任镇街, targets …任务（人）):

============  ========  ===========  ========  ========
unit          常住人口   其中初中及以下  初高中任务  大专任务
============  ========  ===========  ========  ========
甲县东城街道   12,345    ５０００       30        10
西城街道办事处  8000      3000         20        —
南山镇人民政府  6000      2500         15        无
北山乡         4000      1500         (blank)   5
甲县职业中专    /         /            10        /
合计           30345     13200        75        15
============  ========  ===========  ========  ========

常住人口 12345+8000+6000+4000 = 30345 (matches); 其中初中及以下 5000+3000+2500+1500 =
12000 but the 合计 prints 13200 (difference +1,200); 初高中 30+20+15+0+10 = 75; 大专
10+0+0+5 = 15. Two target cells (—, 无) read as 0; 北山乡's blank cell quarantines its row.

Survey (survey.xlsx, wide, 15-59, 初中及以下; title row and 填报单位 row above the header):
七普 4000+2500+2000+1200 = 9700 (= 合计); 摸排 3600+2600+1900+1000 = 9100, 合计 prints 9000
(difference -100).
"""

from __future__ import annotations

from pathlib import Path

import yaml

CONFIG = {
    "region": "jia", "name": "某市甲县", "level_word": "县", "default_year": 2024,
    "units": [
        {"id": "dongcheng", "name": "东城街道", "kind": "street"},
        {"id": "xicheng", "name": "西城街道", "kind": "street"},
        {"id": "nanshan", "name": "南山镇", "kind": "town"},
        {"id": "beishan", "name": "北山乡", "kind": "township"},
        {"id": "zhizhong", "name": "甲县职业中专", "kind": "school"},
    ],
    "total_labels": ["合计", "全县"],
    "programmes": {"secondary_upgrade": {"measure": "persons"},
                   "tertiary_upgrade": {"measure": "persons"}},
    "inputs": {
        "task_table": {
            "path": "notice.docx",
            "fields": {"unit": ["责任镇街"]},
            "populations": [
                {"column": "常住人口", "base": "resident"},
                {"column": "其中初中及以下学历人口", "base": "low_jsec_20_59", "age": [20, 59],
                 "levels": ["none", "preschool", "primary", "junior_secondary"]},
            ],
        },
        "survey": {"path": "survey.xlsx", "form": "wide", "year": 2024, "age": [15, 59],
                   "levels": "初中及以下",
                   "columns": {"unit": "乡镇", "census": "七普人数", "survey": "摸排人数"}},
    },
}

TASK_HEADER = ["责任镇街", "常住人口", "其中初中及以下学历人口", "初高中学历提升任务（人）",
               "大专及以上学历提升任务（人）"]
TASK_ROWS = [
    ["甲县东城街道", "12,345", "５０００", "30", "10"],
    ["西城街道办事处", "8000", "3000", "20", "—"],
    ["南山镇人民政府", "6000", "2500", "15", "无"],
    ["北山乡", "4000", "1500", "", "5"],
    ["甲县职业中专", "/", "/", "10", "/"],
    ["合计", "30345", "13200", "75", "15"],
]
SURVEY_ROWS = [["东城街道", 4000, 3600], ["西城街道", 2500, 2600], ["甲县南山镇", 2000, 1900],
               ["北山乡人民政府", 1200, 1000], ["合计", 9700, 9000]]


def write_docx_table(path: Path, header: list[str], rows: list[list[str]], title: str = "") -> Path:
    """A Word notice with a paragraph and one table."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(title or "关于做好学历提升工作的通知")
    t = doc.add_table(rows=1 + len(rows), cols=len(header))
    for j, h in enumerate(header):
        t.cell(0, j).text = h
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    doc.save(path)
    return path


def write_survey_xlsx(path: Path, rows: list[list] | None = None) -> Path:
    """The wide survey: title row (merged), 填报单位 row, header on row 3."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "摸排汇总"
    ws.append(["甲县初中及以下学历人口摸排表（15-59岁）"])
    ws.merge_cells("A1:C1")
    ws.append(["填报单位：甲县教育局"])
    ws.append(["乡镇", "七普人数", "摸排人数"])
    for r in rows if rows is not None else SURVEY_ROWS:
        ws.append(r)
    wb.create_sheet("说明").append(["本表由各乡镇填报"])
    wb.save(path)
    return path


def make_county(tmp_path: Path, **input_overrides) -> Path:
    """Write config/jia.yaml and data/raw/jia/2024/* under tmp_path; return the root."""
    root = tmp_path / "county"
    raw = root / "data" / "raw" / "jia" / "2024"
    raw.mkdir(parents=True)
    (root / "config").mkdir()
    write_docx_table(raw / "notice.docx", TASK_HEADER, TASK_ROWS)
    write_survey_xlsx(raw / "survey.xlsx")
    cfg = {**CONFIG, "inputs": {**CONFIG["inputs"], **input_overrides}}
    (root / "config" / "jia.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True),
                                              encoding="utf-8")
    return root


def load_county(root: Path):
    """The county's RegionConfig."""
    from eduanalytics.config import load_config

    return load_config(root / "config" / "jia.yaml", 2024, root=root)
