"""The one mapping of display labels (Chinese by default, English on request).

Tables use English snake_case ids; charts, the workbook and the HTML report show these
labels. Unit names come from the region config, not from here.
"""

from __future__ import annotations

import pandas as pd

from eduanalytics.errors import ConfigError

#: id -> (中文, English)
LABELS: dict[str, tuple[str, str]] = {
    # attainment levels
    "none": ("未上过学", "No schooling"),
    "preschool": ("学前教育", "Pre-school"),
    "primary": ("小学", "Primary"),
    "junior_secondary": ("初中", "Junior secondary"),
    "senior_secondary": ("高中(含中专)", "Senior secondary"),
    "junior_college": ("大学专科", "Junior college"),
    "bachelor": ("大学本科", "Bachelor"),
    "postgraduate": ("研究生", "Postgraduate"),
    # programmes
    "secondary_upgrade": ("初高中学历提升", "Secondary upgrade"),
    "tertiary_upgrade": ("大专及以上学历提升", "Tertiary upgrade"),
    "vocational_training": ("职业教育培训", "Vocational training"),
    # measures
    "persons": ("人", "persons"),
    "person_times": ("人次", "person-times"),
    # sexes
    "male": ("男", "Male"),
    "female": ("女", "Female"),
    "total": ("合计", "Total"),
    # sources
    "census": ("七普", "Census"),
    "survey": ("摸排", "Survey"),
    # enrolment statuses and modes
    "enrolled": ("在读", "Enrolled"),
    "completed": ("已完成", "Completed"),
    "withdrawn": ("退学", "Withdrawn"),
    "online": ("线上", "Online"),
    "offline": ("线下", "Offline"),
    "blended": ("线上线下结合", "Blended"),
    "no_id_card": ("缺身份证", "No ID card"),
    "no_household_register": ("缺户口簿", "No household register"),
    "no_photo": ("缺标准像", "No photo"),
    # bases for allocation
    "resident": ("常住人口", "Resident population"),
    "age_20_59": ("20-59周岁人口", "Population aged 20-59"),
    "low_attainment_20_59": ("其中高中及以下学历人口", "Of which senior secondary or below"),
    # pacing status
    "ahead": ("超前", "Ahead"),
    "on_track": ("正常", "On track"),
    "behind": ("滞后", "Behind"),
    # common column names
    "unit_id": ("单位代码", "Unit id"),
    "unit": ("责任单位", "Unit"),
    "name": ("单位", "Unit"),
    "programme": ("项目", "Programme"),
    "year": ("年份", "Year"),
    "month": ("月份", "Month"),
    "sex": ("性别", "Sex"),
    "age_band": ("年龄段", "Age band"),
    "attainment": ("受教育程度", "Attainment"),
    "count": ("人数", "Count"),
    "target": ("目标", "Target"),
    "achieved": ("完成", "Achieved"),
    "enrolled_n": ("已报名", "Enrolled"),
    "completed_n": ("已结业", "Completed"),
    "gap": ("差距", "Gap"),
    "pct_complete": ("完成率(%)", "Percent complete"),
    "rate": ("比率", "Rate"),
    "rate_pct": ("比率(%)", "Rate (%)"),
    "ci_low": ("置信下限", "CI low"),
    "ci_high": ("置信上限", "CI high"),
    "participants": ("参与人数", "Participants"),
    "eligible": ("对象人口", "Eligible population"),
    "census_count": ("七普人数", "Census count"),
    "survey_count": ("摸排人数", "Survey count"),
    "difference": ("差值", "Difference"),
    "ratio": ("比值", "Ratio"),
    "relative_gap": ("相对差距", "Relative gap"),
    "p_value": ("p值", "p-value"),
    "p_adjusted": ("校正p值", "Adjusted p-value"),
    "mean_years": ("平均受教育年限(年)", "Mean years of schooling"),
    "population": ("人口", "Population"),
    "indicator": ("指标", "Indicator"),
    "target_value": ("目标值", "Target value"),
    "actual_value": ("实际值", "Actual value"),
    "status": ("状态", "Status"),
    "scenario": ("情景", "Scenario"),
    "reason": ("原因", "Reason"),
    "source_file": ("来源文件", "Source file"),
    "source_row": ("来源行号", "Source row"),
    # indicator table columns
    "learners": ("学员数", "Learners"),
    "registered": ("已注册学籍", "Registered"),
    "not_registered": ("未注册学籍", "Not registered"),
    "registration_rate": ("学籍注册率(%)", "Registration rate (%)"),
    "online_share": ("线上学习占比(%)", "Online share (%)"),
    "completion_rate": ("结业率(%)", "Completion rate (%)"),
    "withdrawn_n": ("退学", "Withdrawn"),
    "withdrawal_rate": ("退学率(%)", "Withdrawal rate (%)"),
    "entry_rate": ("学籍录入率(%)", "Entry rate (%)"),
    "class_opening_rate": ("开班率(%)", "Class opening rate (%)"),
    "share_pct": ("占比(%)", "Share (%)"),
    "expected_share": ("应完成比例", "Expected share"),
    "expected_by_now": ("应完成数", "Expected by now"),
    "months_left": ("剩余月数", "Months left"),
    "monthly_rate_needed": ("每月仍需", "Needed per month"),
    "year_end_forecast": ("年底预计", "Year-end forecast"),
    "cumulative": ("累计完成", "Cumulative"),
    "rank": ("排名", "Rank"),
    "measure": ("计量", "Measure"),
    "interval": ("区间方法", "Interval"),
    "wilson": ("Wilson", "Wilson"),
    "poisson": ("Poisson精确", "exact Poisson"),
    "present": ("数据来源情况", "Present in"),
    "both": ("两者均有", "both"),
    "census_only": ("仅七普", "census only"),
    "survey_only": ("仅摸排", "survey only"),
    "null_ratio": ("原假设比值", "Null ratio"),
    "significant": ("差异显著", "Significant"),
    "abs_gap": ("相对差距绝对值", "|relative gap|"),
    "target_ratio": ("总体比值", "Overall ratio"),
    "zone": ("区域", "Zone"),
    "change": ("较基年变化", "Change from base year"),
    "entrants_mean_years": ("新增劳动年龄人口平均受教育年限", "Entrants' mean years"),
    "level_from": ("原学历", "Level from"),
    "level_to": ("提升至", "Level to"),
    "base": ("分解依据", "Base"),
    "units": ("单位数", "Units"),
    "sum_abs_difference": ("绝对差之和", "Sum of |differences|"),
    "max_abs_difference": ("最大绝对差", "Max |difference|"),
    "unit_max": ("差距最大单位", "Unit departing most"),
    "ratio_cv": ("比例变异系数", "CV of target/base"),
    "published": ("公布值", "Published"),
    "computed": ("计算值", "Computed"),
    "pct_difference": ("相差(%)", "Difference (%)"),
    "met": ("是否达标", "Met"),
    "indicator_name": ("指标名称", "Indicator"),
    "raw_value": ("原文", "As printed"),
    "region": ("地区", "Region"),
    "small_denominator": ("基数较小", "Small denominator"),
    "estimate": ("估算", "Estimate"),
    "base_count": ("基数人口", "Base population"),
    "share": ("比例", "Share"),
    # chart titles and axes
    "title_target_completion": ("目标完成情况", "Target completion"),
    "title_board": ("月度晾晒：累计完成率(%)", "Monthly board: cumulative percent complete"),
    "title_participation": ("参与率及95%置信区间", "Participation rate with 95% interval"),
    "title_funnel": ("摸排覆盖率漏斗图", "Funnel plot of survey coverage"),
    "title_census_survey": ("七普与摸排人数对比", "Census and survey counts"),
    "title_schooling": ("劳动年龄人口平均受教育年限预测", "Projected mean years of schooling, working age"),
    "title_decomposition": ("变化分解", "Decomposition of the change"),
    "title_pyramid": ("分年龄、性别受教育程度", "Attainment by age and sex"),
    "title_plan": ("规划指标目标值", "Plan indicators: targets"),
    "equality_line": ("摸排=七普", "survey = census"),
    "target_line": ("目标", "target"),
    "control_95": ("95%控制限", "95% limits"),
    "control_998": ("99.8%控制限", "99.8% limits"),
    "pooled_ratio": ("总体覆盖率", "overall ratio"),
    "coverage_ratio": ("摸排/七普", "survey / census"),
    "cohort_replacement": ("人口更替", "cohort replacement"),
    "programmes": ("学历提升项目", "programmes"),
    "none_scenario": ("无项目", "no programmes"),
    "plan_scenario": ("完成规划目标", "plan targets met"),
    "pace_scenario": ("按当前进度", "pace so far"),
    "persons_axis": ("人数", "persons"),
    "age_band_axis": ("年龄段", "age band"),
    # chart furniture
    "synthetic": ("示例数据", "synthetic data"),
    "source": ("数据来源", "Source"),
    "as_of": ("截至", "As of"),
}


#: Column names whose meaning differs from the same id as a value (a status "enrolled"
#: vs a column counting the enrolled).
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "enrolled": ("已报名(不含退学)", "Enrolled (excl. withdrawn)"),
    "completed": ("已结业", "Completed"),
    "withdrawn": ("退学人数", "Withdrawn"),
    "online": ("线上学习人数", "Online"),
}


def label(key: str, lang: str = "zh") -> str:
    """Display label of an id.

    Parameters
    ----------
    key : str
        An id such as ``"secondary_upgrade"`` or ``"junior_college"``.
    lang : {"zh", "en"}
        Chinese (default) or English.

    Returns
    -------
    str
        The label, or the id itself when no label is defined.
    """
    if lang not in ("zh", "en"):
        raise ConfigError(f"unknown language {lang!r}", key="lang", allowed="zh, en")
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


def total_label(level_word: str, lang: str = "zh") -> str:
    """Label of the region's total row: ``全区合计`` / ``全县合计`` … (from ``cfg.level_word``).

    Parameters
    ----------
    level_word : str
        The region's level (``区``, ``县``, ``市``, ``旗``).
    lang : {"zh", "en"}

    Returns
    -------
    str
    """
    if level_word not in ("区", "县", "市", "旗"):
        raise ConfigError(f"{level_word!r} is not a level word", key="level_word", allowed="区, 县, 市, 旗")
    return f"全{level_word}{label('total', lang)}" if lang == "zh" else label("total", lang)



def relabel_columns(df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return a copy of ``df`` with column ids replaced by display labels."""
    idx = 0 if lang == "zh" else 1
    return df.rename(columns={c: COLUMN_LABELS[c][idx] if c in COLUMN_LABELS else label(str(c), lang)
                              for c in df.columns})


def relabel_values(values: pd.Series, lang: str = "zh") -> pd.Series:
    """Map a Series of ids to display labels (ids without a label are kept)."""
    return values.map(lambda v: label(str(v), lang) if pd.notna(v) else v)
