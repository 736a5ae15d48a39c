"""Per-region parameters of the example generator (the only place with region words).

Each profile says what the generator cannot read from the region config: the invented
coverage of a door-to-door survey, the register's title, the unit-name variants a
register export carries, ID area codes. ``generate_example`` picks the profile named by
the config's ``example.profile`` (default: the region id).
"""

from __future__ import annotations

from typing import Any

#: The bundled district example (seed 000 task table; 2020 census row 331004).
LUQIAO: dict[str, Any] = {
    "layout": "district",
    "seed": 20230306,
    "register_title": "路桥区2023年学历提升学员名册（示例数据·合成，非真实个人信息）",
    #: 摸排 coverage relative to the census count, per street: three close, most 7-14 % under
    #: (people working away), one over.
    "survey_coverage": {"路南街道": 0.99, "路桥街道": 0.91, "路北街道": 0.88, "螺洋街道": 1.012,
                        "桐屿街道": 0.86, "峰江街道": 0.93, "新桥镇": 0.985, "横街镇": 0.90,
                        "金清镇": 0.87, "蓬街镇": 1.06},
    #: Area codes: Luqiao (most), neighbouring Taizhou districts/cities, other provinces;
    #: 黄岩市 (332603, abolished 1994; python-stdnum numdb 1989-1994) for people born before 1994.
    "areas": {"local": ["331004"] * 6 + ["331002", "331003", "331081", "331082", "331083"],
              "migrant": ["522601", "341221", "362330", "512501", "411323", "430523", "450481", "532101"],
              "retired": "332603", "retired_before": 1994},
    #: Unit-name variants used in the registers (all are aliases in config/luqiao.yaml).
    "aliases": {"路南街道": ["路南", "路南街道办事处"], "路桥街道": ["路桥", "路桥街道办事处"],
                "路北街道": ["路北", "路北街道办事处"], "螺洋街道": ["螺洋", "螺洋街道办事处"],
                "桐屿街道": ["桐屿", "桐屿街道办事处"], "峰江街道": ["峰江", "峰江街道办事处"],
                "新桥镇": ["新桥", "新桥镇人民政府"], "横街镇": ["横街", "横街镇人民政府"],
                "金清镇": ["金清", "金清镇人民政府"], "蓬街镇": ["蓬街", "蓬街镇人民政府"],
                "区中职校": ["路桥区中等职业学校", "中职校"], "恒勃技工学校": ["台州恒勃技工学校", "恒勃技校"]},
    "unknown_unit": "椒江区",
    #: The traditional-character variant of one street.
    "traditional": ("路桥街道", "路橋街道"),
}

#: The bundled county example: a real county's 2020 census row (331024) with invented
#: units and files of another shape (a .docx notice, a register with a two-row merged
#: header and no programme column, a wide GBK survey, schools holding targets).
XIANJU: dict[str, Any] = {
    "layout": "county",
    "seed": 20240115,
    "prefix": "仙居县",
    "issuer": "仙居县教育局（示例）",
    "notice_title": "关于下达2023年成人学历提升和职业技能培训任务的通知（示例数据·合成）",
    "notice_number": "仙教（示例）〔2023〕7号",
    "notice_date": "2023年2月20日",
    "register_title": "仙居县2023年学历提升学员花名册（示例数据·合成，非真实个人信息）",
    "register_sheet": "学员花名册",
    "filler_row": "填报单位：仙居县教育局（示例）　　填报日期：2023年12月31日",
    #: Invented towns and streets: share of the county's residents, relative share of
    #: people with junior secondary or less, targets (secondary, tertiary), survey coverage.
    "units": [
        ("城东街道", 0.17, 0.88, 130, 160, 0.97), ("城西街道", 0.15, 0.92, 120, 140, 0.90),
        ("青石镇", 0.14, 1.04, 110, 70, 0.86), ("白岩镇", 0.13, 1.06, 100, 60, 1.05),
        ("溪口镇", 0.12, 1.08, 90, 50, 0.89), ("杨梅乡", 0.10, 1.12, 80, 40, 0.99),
        ("石门乡", 0.10, 1.10, 70, 40, 0.84), ("下庄镇", 0.09, 1.02, 60, 40, 0.92),
    ],
    #: Schools with targets of their own (secondary, tertiary, training person-times);
    #: learners are listed by town, the school in the 报读学校 column.
    "schools": [("县职业教育中心", 150, 0, 3000), ("县社区学院", 0, 180, 1500)],
    #: Schools learners also name that hold no target (kept as unknown optional values).
    "other_schools": ["浙江开放大学（示例）", "台州学院继续教育学院（示例）"],
    "sum_row_offset": 1200,        # the 合计 row of 其中初中及以下学历人口 prints this much more
    "survey_age": (15, 59),
    "areas": {"local": ["331024"] * 8 + ["331002", "331021", "331023"],
              "migrant": ["522601", "341221", "512501", "430523"],
              "retired": "332624", "retired_before": 1994, "retired_share": 1.0},
}
