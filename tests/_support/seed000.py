"""Seed 000 (the district task table) figures and a register-row helper for tests."""

from __future__ import annotations

import pandas as pd

# Seed 000, the ten streets: (unit, 常住人口, 20-59, 高中及以下, 初高中 target, 大专 target)
SEED000 = [
    ("lunan", 54719, 37580, 32587, 106, 26), ("luqiao", 72705, 49449, 39637, 141, 35),
    ("lubei", 66199, 47222, 34667, 128, 32), ("luoyang", 51925, 36482, 29119, 100, 25),
    ("tongyu", 45017, 29978, 25660, 88, 21), ("fengjiang", 53357, 35470, 31936, 104, 25),
    ("xinqiao", 35736, 23868, 21317, 69, 17), ("hengjie", 37520, 25416, 22890, 73, 18),
    ("jinqing", 123722, 82718, 73885, 239, 59), ("pengjie", 88034, 59532, 53614, 171, 42),
]


OTHER_TARGETS = [("zhongzhi", "secondary_upgrade", 30), ("hengbo", "secondary_upgrade", 70),
                 ("zikao", "tertiary_upgrade", 200), ("chenggao", "tertiary_upgrade", 1600),
                 ("ouluqiao", "tertiary_upgrade", 850), ("zhongzhi", "vocational_training", 6800),
                 ("hengbo", "vocational_training", 500)]


PROGRAMMES = {
    "secondary_upgrade": {"measure": "persons", "eligible": {"age_min": 20, "age_max": 59,
                          "attainment": ["none", "preschool", "primary", "junior_secondary"]}},
    "tertiary_upgrade": {"measure": "persons", "eligible": {"age_min": 20, "age_max": 59,
                         "attainment": ["senior_secondary"]}},
    "vocational_training": {"measure": "person_times", "eligible": {"age_min": 20, "age_max": 59,
                            "attainment": "all"}},
}


def _enrol(unit, programme, n, status="enrolled", start=0, month=3, **kw):
    return pd.DataFrame({
        "learner_key": [f"{unit}{programme}{i:04d}" for i in range(start, start + n)],
        "unit_id": unit, "programme": programme, "status": status,
        "enrol_date": pd.Timestamp(2023, month, 10), "completed_date": pd.NaT,
        "registered": True, "register_fail_reason": None, "mode": "offline", "sex": "male", "age": 40, **kw,
    })
