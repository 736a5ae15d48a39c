"""The district example's SOURCE.md states the seed, the faults and the closeness."""

from __future__ import annotations

from eduanalytics.example.luqiao_notes import REGISTER_TITLE, source_md

CHECK = {"persons_6plus": 100, "census_persons_6plus": 101, "mean_years_6plus": 8.5,
         "census_mean_years_6plus": 8.6, "mean_years_6plus_male": 8.9, "census_mean_years_6plus_male": 9.0,
         "mean_years_6plus_female": 8.1, "census_mean_years_6plus_female": 8.2, "male_share_all_ages": 0.52,
         **{f"share_{k}": 0.1 for k in ["未上过学", "学前教育", "小学", "初中", "高中", "大学专科", "本科及以上"]},
         **{f"census_share_{k}": 0.1 for k in ["未上过学", "学前教育", "小学", "初中", "高中", "大学专科", "本科及以上"]}}
FAULTS = {"unit_variant": 1, "unit_traditional": 2, "unit_stray_space": 3, "id_fullwidth": 4,
          "date_fullwidth": 5, "wrong_check_digit": 6, "blank_unit": 7, "blank_enrol_date": 8,
          "unknown_unit": 9, "age_outside_band": 10, "duplicate_exact": 11, "duplicate_unit_variant": 12}


def test_source_md_states_seed_counts_and_shares():
    reg = {"counts": FAULTS, "rows_total": 999, "withdrawn": 3, "registration_failed": 4,
           "date_formats": {"excel_date": 1, "iso_text": 2, "dotted": 3, "chinese": 4, "excel_serial": 5,
                            "slash": 6}}
    train = {"counts": {"unit_variant": 21, "wrong_check_digit": 22, "duplicate_exact": 23},
             "rows_total": 77, "people": 55}
    text = source_md(4242, CHECK, reg, train)
    assert "SeedSequence(4242)" in text and REGISTER_TITLE in text
    assert "`学历提升` (999 rows)" in text and "(77 rows, 55 distinct ID numbers)" in text
    assert "| 小学 | 10.00 % | 10.00 % |" in text
    assert "blank unit: 7" in text
