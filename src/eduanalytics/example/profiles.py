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
