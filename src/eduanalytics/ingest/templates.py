"""Input templates: the columns a user's own file must have, with the headers accepted.

A new region is added with a config and files alone: each raw input kind below lists its
columns (internal name, accepted Chinese/English headers, required or not, meaning).
``eduanalytics templates`` writes an example file of each kind (see
:func:`template_frames`); ``docs/input_templates.md`` is generated from the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Col:
    """One column of an input template."""

    name: str
    headers: tuple[str, ...]
    required: bool
    meaning: str
    example: str


TEMPLATES: dict[str, tuple[Col, ...]] = {
    # A published task table (seed 000): one row per responsible unit, plus a totals row.
    "task_table": (
        Col("unit", ("责任单位", "单位", "单位名称", "镇(街道)", "乡镇(街道)", "镇街", "街道"), True, "responsible unit (name or alias in the config)", "东城街道"),
        Col("resident", ("常住人口",), False, "resident population (allocation base)", "54719"),
        Col("age_20_59", ("20-59周岁人口", "20-59岁人口"), False, "population aged 20-59", "37580"),
        Col("low_attainment_20_59", ("其中高中及以下学历人口", "高中及以下学历人口"), False, "of whom senior secondary or below", "32587"),
        Col("secondary_upgrade", ("初高中学历提升人数", "初高中学历提升", "初高中学历提升任务（人）"), False, "target: secondary upgrade (persons)", "106"),
        Col("tertiary_upgrade", ("大专及以上学历提升人数", "大专及以上学历提升", "大专及以上学历提升任务（人）"), False, "target: tertiary upgrade (persons)", "26"),
        Col("vocational_training", ("职业教育培训人次", "职业技能培训人次", "职业技能培训任务（人次）"), False, "target: vocational training (person-times); '/' = not applicable", "/"),
    ),
    # Learner register (学历提升 sheet): one row per learner and programme.
    "register": (
        Col("seq", ("序号",), False, "running number (ignored)", "1"),
        Col("name", ("姓名",), False, "learner name: read for nothing, dropped at once", "张三"),
        Col("id_number", ("身份证号", "身份证号码", "公民身份号码"), True, "18-digit resident ID number (GB 11643)", "331004********123X"),
        Col("unit", ("所属单位", "所属街道", "责任单位", "单位"), True, "responsible unit", "东城街道"),
        Col("programme", ("项目类别", "项目", "提升类别"), True, "初高中学历提升 / 大专及以上学历提升", "初高中学历提升"),
        Col("level_from", ("原学历", "原有学历"), False, "attainment before the programme", "初中"),
        Col("level_to", ("报读层次", "提升层次", "报读学历"), False, "level studied for", "高中"),
        Col("batch", ("批次", "招生批次"), False, "春季 / 秋季", "春季"),
        Col("enrol_date", ("报名日期", "入学日期"), True, "enrolment date (any common format)", "2023-03-06"),
        Col("status", ("学籍状态", "状态"), True, "在读 / 已结业 / 退学", "在读"),
        Col("completed_date", ("结业日期", "毕业日期"), False, "completion date", ""),
        Col("registered", ("学籍注册", "是否注册"), False, "是 / 否", "是"),
        Col("register_fail_reason", ("未注册原因",), False, "缺身份证 / 缺户口簿 / 缺标准像", ""),
        Col("mode", ("学习方式",), False, "线上 / 线下 / 线上线下", "线下"),
    ),
    # Training register (职业培训 sheet): one row per person-time.
    "training": (
        Col("seq", ("序号",), False, "running number (ignored)", "1"),
        Col("name", ("姓名",), False, "learner name: dropped at once", "李四"),
        Col("id_number", ("身份证号", "身份证号码", "公民身份号码"), True, "18-digit resident ID number", "331004********456X"),
        Col("unit", ("培训单位", "责任单位"), True, "training provider (a unit of the config)", "某某中职校"),
        Col("home_unit", ("所属街道", "所属单位"), False, "learner's street/town", "西山镇"),
        Col("course", ("培训项目", "培训专业"), False, "course", "电工"),
        Col("enrol_date", ("培训日期", "开班日期"), True, "training date", "2023-05-10"),
        Col("completed", ("结业", "是否结业"), False, "是 / 否", "是"),
        Col("mode", ("学习方式",), False, "线上 / 线下 / 线上线下", "线下"),
    ),
    # Population by age band, sex and attainment (census or survey).
    "population": (
        Col("unit", ("街道", "乡镇(街道)", "单位", "责任单位"), True, "unit", "东城街道"),
        Col("age_band", ("年龄段", "年龄组"), True, "'20-24', '85+'", "20-24"),
        Col("sex", ("性别",), True, "男 / 女 / 合计", "男"),
        Col("attainment", ("受教育程度", "学历"), True, "attainment label ('/' for ages under 6)", "初中"),
        Col("count", ("人数", "摸排人数", "七普人数"), True, "persons", "1234"),
        Col("date", ("摸排日期", "调查日期"), False, "date of the survey", "2023年3月15日"),
    ),
    # A multi-year indicator plan (seed 002): one row per indicator, one column per year.
    "plan_indicators": (
        Col("seq", ("序号",), False, "running number", "1"),
        Col("indicator_name", ("指标", "指标名称"), True, "indicator as printed; '(%)' or '(年)' gives its unit", "公办园在园幼儿覆盖面(%)"),
    ),
    # Targets stated in a plan's text (seed 003).
    "ce_targets": (
        Col("indicator_name", ("指标",), True, "indicator as printed", "社区教育参与率"),
        Col("target", ("目标", "目标值"), True, "target as printed ('35%', '1万人')", "35%"),
        Col("quote", ("原文",), False, "the sentence it comes from", ""),
    ),
}


def aliases(kind: str, extra: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Internal column name -> accepted headers, for :func:`ingest.core.map_headers`.

    ``extra`` (a region's ``inputs.<kind>.fields``) adds header texts per field; a field
    the template does not list is added as an optional column.
    """
    out = {c.name: list(c.headers) for c in TEMPLATES[kind]}
    for name, headers in (extra or {}).items():
        out[name] = [*headers, *out.get(name, [])]
    return out


def header_words(kind: str, extra: dict[str, list[str]] | None = None) -> list[str]:
    """Every header text of a template (plus a region's extras): words that find the
    header row of a sheet."""
    return [h for hs in aliases(kind, extra).values() for h in hs]


def required(kind: str) -> dict[str, str]:
    """Required internal column -> its preferred Chinese header (for error messages)."""
    return {c.name: c.headers[0] for c in TEMPLATES[kind] if c.required}


def template_frames() -> dict[str, pd.DataFrame]:
    """One example row per input kind, with the preferred Chinese headers."""
    return {
        kind: pd.DataFrame([{c.headers[0]: c.example for c in cols}])
        for kind, cols in TEMPLATES.items()
    }


def templates_markdown() -> str:
    """The input templates as a Markdown document."""
    out = ["# Input templates", "",
           "Columns a region's own files must have. Headers may be any of the accepted ones; "
           "extra columns are ignored; `/` or `—` means not applicable, a blank cell missing.",
           "",
           "A file that uses other header words, other sheets, title rows or a two-row header "
           "needs no edit: say so in the region config (`inputs.<kind>.fields`, `sheet`/`table`, "
           "`header_rows`; docs/region_config.md). A census/survey table with one row per unit "
           "and census and survey counts side by side is read with `form: wide`. "
           "`eduanalytics check` shows, per file, which columns were matched and which are "
           "missing.", ""]
    for kind, cols in TEMPLATES.items():
        out += [f"## {kind}", "", "| column | accepted headers | required | meaning | example |",
                "|---|---|---|---|---|"]
        out += [f"| {c.name} | {' / '.join(c.headers)} | {'yes' if c.required else 'no'} | "
                f"{c.meaning} | {c.example} |" for c in cols]
        out.append("")
    return "\n".join(out)
