"""The county example: a task notice (.docx), a register and a wide survey of other shapes.

A county's files rarely look like a district's. This layout generates, from a profile
(:mod:`eduanalytics.example.profiles`) and the county's real census row:

- :func:`task_table`: 单位名称, 初高中学历提升任务（人）, 大专及以上学历提升任务（人）,
  职业技能培训任务（人次）, 常住人口, 其中初中及以下学历人口, with a 合计 row whose
  其中初中及以下学历人口 is off by the profile's offset; written into a Word notice;
- :func:`county_register`: one sheet with a title row, a 填报单位 row and a two-row merged
  header, no programme column (the level applied for, 报读层次, says it), town names with
  the county prefix, a 报读学校 column naming the schools that hold targets;
- :func:`wide_survey`: one row per town, census and survey counts of one age band and level
  group side by side, and a 合计 row (GBK on disk).

Residents and low-attainment counts are whole-number splits of the census row; everything
else is drawn from seeded generators. All of it is labelled 示例数据.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from eduanalytics.config import RegionConfig
from eduanalytics.example.census_extract import census_row
from eduanalytics.example.documents import add_table, fix_properties, fixed_zip_bytes
from eduanalytics.example.people import date_cells, finish, people
from eduanalytics.example.workbook import register_workbook_bytes
from eduanalytics.indicators.allocation import hamilton_split

LOW_COLUMNS = ("edu6p_未上过学", "edu6p_学前教育", "edu6p_小学", "edu6p_初中")
TASK_COLUMNS = ["序号", "单位名称", "初高中学历提升任务（人）", "大专及以上学历提升任务（人）",
                "职业技能培训任务（人次）", "常住人口", "其中初中及以下学历人口"]
REGISTER_PARENTS = {"基本信息": ["姓名", "公民身份号码", "所在乡镇（街道）"],
                    "学历信息": ["现有学历", "报读层次"],
                    "学习信息": ["报读学校", "报名日期", "学习方式", "学籍状态", "结业日期"]}
#: Tertiary 报读层次 as written (bracketed qualifiers) -> weight; the last is not in the
#: config's map (an unknown value). Secondary learners: 初中（成人） after 小学 (20 %),
#: else 高中（成人双证制）.
TERTIARY_LEVELS = {"大专（函授）": 0.5, "大专（业余）": 0.3, "本科（函授）": 0.18, "大专（网络教育）": 0.02}
MODES = {"线下": 0.45, "线上": 0.35, "线上+线下": 0.20}
#: Share of a town's junior-secondary-or-below residents aged 15-59 (assumed).
SURVEY_AGE_SHARE = 0.52


def prefixed(prof: dict[str, Any], name: str) -> str:
    """A unit's name with the county prefix (县… schools: the prefix replaces 县)."""
    return prof["prefix"] + (name[1:] if name.startswith("县") else name)


def task_table(prof: dict[str, Any], row: pd.Series) -> pd.DataFrame:
    """The task table as printed (strings; ``/`` where a column does not apply).

    Parameters
    ----------
    prof : dict
        The county profile (``units``, ``schools``, ``sum_row_offset``).
    row : Series
        The county's census row.

    Returns
    -------
    DataFrame
        :data:`TASK_COLUMNS`; towns, then schools, then 合计.
    """
    units = prof["units"]
    resident = hamilton_split(int(row["pop_total"]), np.array([u[1] for u in units]))
    low_total = int(sum(int(row[c]) for c in LOW_COLUMNS))
    low = hamilton_split(low_total, np.array([u[1] * u[2] for u in units]))
    rows = [[str(i), name, str(sec), str(ter), "/", str(r), str(lo)]
            for i, ((name, _, _, sec, ter, _), r, lo) in enumerate(zip(units, resident, low, strict=True), 1)]
    for k, (name, sec, ter, train) in enumerate(prof["schools"], len(units) + 1):
        rows.append([str(k), name, str(sec) if sec else "/", str(ter) if ter else "/", str(train), "/", "/"])
    tot = [sum(u[3] for u in units) + sum(s[1] for s in prof["schools"]),
           sum(u[4] for u in units) + sum(s[2] for s in prof["schools"]), sum(s[3] for s in prof["schools"])]
    rows.append(["", "合计", *map(str, tot), str(int(resident.sum())),
                 str(int(low.sum()) + int(prof["sum_row_offset"]))])
    return pd.DataFrame(rows, columns=TASK_COLUMNS)


def notice_docx_bytes(prof: dict[str, Any], table: pd.DataFrame) -> bytes:
    """The task table inside a Word notice (title, number, addressees, table, sign-off)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = docx.Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(prof["notice_title"]).bold = True
    doc.add_paragraph(prof["notice_number"])
    doc.add_paragraph("各乡镇人民政府、街道办事处，县属各学校：")
    doc.add_paragraph("现将2023年成人学历提升和职业技能培训任务下达如下（示例数据·合成，非真实文件）。")
    add_table(doc, table)
    doc.add_paragraph(prof["issuer"])
    doc.add_paragraph(prof["notice_date"])
    fix_properties(doc, "eduanalytics.example (示例数据·合成 SYNTHETIC)")
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip_bytes(buf.getvalue())


def _pick(rng: np.random.Generator, options: dict[str, float], n: int) -> np.ndarray:
    return rng.choice(list(options), n, p=np.array(list(options.values())) / sum(options.values()))


def county_register(prof: dict[str, Any], rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The register sheet: learners by town, the school column, no programme column.

    Each town gets 85-115 % (seeded) of its secondary and tertiary targets; of those
    learners, about each school's target (90-110 %) name that school under 报读学校 (with
    the county prefix), some name schools holding no target, the rest leave it blank.

    Returns
    -------
    (DataFrame, dict)
        The rows and what a test needs: ``rows_total``, ``by_school`` (learners naming each
        target-holding school), ``unmapped_level`` (报读层次 values outside the config map),
        ``blended`` (学习方式 线上+线下), ``withdrawn``.
    """
    parts = []
    for name, _, _, sec, ter, _ in prof["units"]:
        for prog, target in (("secondary", sec), ("tertiary", ter)):
            n = int(np.rint(target * rng.uniform(0.85, 1.15)))
            parts.append(pd.DataFrame({"town": name, "prog": [prog] * n}))
    df = pd.concat(parts, ignore_index=True)
    n = len(df)
    person = people(rng, rng.integers(20, 60, n), prof["areas"])
    sec = df["prog"].eq("secondary").to_numpy()
    u = rng.random(n)
    out = pd.DataFrame({
        "姓名": person["姓名"], "公民身份号码": person["身份证号"],
        "所在乡镇（街道）": np.where(rng.random(n) < 0.7, [prefixed(prof, t) for t in df["town"]], df["town"]),
        "现有学历": np.where(sec, np.where(u < 0.2, "小学", "初中"), rng.choice(["高中", "中专", "职高"], n)),
        "报读层次": np.where(sec, np.where(u < 0.2, "初中（成人）", "高中（成人双证制）"),
                         _pick(rng, TERTIARY_LEVELS, n)),
    })
    school = np.full(n, None, dtype=object)
    by_school = {}
    for name, s_sec, s_ter, _ in prof["schools"]:
        pool = np.flatnonzero((sec if s_sec else ~sec) & pd.isna(school))
        k = min(len(pool), int(np.rint((s_sec or s_ter) * rng.uniform(0.9, 1.1))))
        chosen = rng.choice(pool, k, replace=False)
        school[chosen] = prefixed(prof, name)
        by_school[name] = int(k)
    rest = np.flatnonzero(pd.isna(school))
    other = rng.choice(rest, len(rest) // 4, replace=False)
    school[other] = rng.choice(prof["other_schools"], len(other))
    out["报读学校"] = school
    spring = rng.random(n) < 0.6
    start = np.where(spring, np.datetime64("2023-03-01", "D"), np.datetime64("2023-09-01", "D"))
    enrol = pd.Series(start + rng.integers(0, 61, n).astype("timedelta64[D]")).astype("datetime64[ns]")
    out["报名日期"], _ = date_cells(rng, enrol)
    out["学习方式"] = _pick(rng, MODES, n)
    r = rng.random(n)
    status = np.where(r < 0.03, "退学", np.where(r < np.where(spring, 0.45, 0.12), "已结业", "在读"))
    done = (enrol + pd.to_timedelta(rng.integers(100, 240, n), unit="D")).clip(upper=pd.Timestamp("2023-12-20"))
    out["学籍状态"] = status
    out["结业日期"] = [f"{x:%Y-%m-%d}" if s == "已结业" else None for x, s in zip(done, status, strict=True)]
    out = out.astype(object)
    out, _ = finish(out, np.full(n, "", dtype=object), rng, {})
    facts = {"rows_total": int(n), "by_school": by_school,
             "unmapped_level": int(out["报读层次"].eq("大专（网络教育）").sum()),
             "blended": int(out["学习方式"].eq("线上+线下").sum()),
             "withdrawn": int(out["学籍状态"].eq("退学").sum())}
    return out, facts


def wide_survey(prof: dict[str, Any], table: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per town: census and survey counts of the profile's band and level group.

    The census count is the town's 其中初中及以下学历人口 times :data:`SURVEY_AGE_SHARE`
    (rounded); the survey count is drawn binomially with the town's coverage factor (over
    1: plus a binomial excess). A 合计 row closes the table.
    """
    towns = table[table["单位名称"].isin([u[0] for u in prof["units"]])]
    census = np.floor(towns["其中初中及以下学历人口"].astype(int).to_numpy() * SURVEY_AGE_SHARE + 0.5).astype(int)
    cov = np.array([u[5] for u in prof["units"]])
    survey = rng.binomial(census, np.minimum(cov, 1.0)) + rng.binomial(census, np.clip(cov - 1.0, 0, 1))
    out = pd.DataFrame({"乡镇（街道）": towns["单位名称"].to_numpy(), "七普人数": census, "摸排人数": survey})
    total = pd.DataFrame({"乡镇（街道）": ["合计"], "七普人数": [int(census.sum())], "摸排人数": [int(survey.sum())]})
    return pd.concat([out, total], ignore_index=True)


def generate_county(config: RegionConfig, prof: dict[str, Any], out_dir: Path | None,
                    seed: int) -> dict[str, Path]:
    """Write the county example's files (paths as the config's inputs name them).

    Parameters
    ----------
    config : RegionConfig
        The county's config: its ``census_county`` input and code, and the paths of its
        ``task_table``, ``register`` and ``survey`` inputs.
    prof : dict
        The county profile.
    out_dir : Path, optional
        Write here instead of the region's raw folder (same relative paths).
    seed : int
        Seed of the three streams (register, survey, spare).

    Returns
    -------
    dict
        Paths written: ``task_table``, ``register``, ``survey``, ``facts`` (facts.json).
    """
    from eduanalytics.example.county_notes import source_md
    from eduanalytics.example.generate import SYNTHETIC_LABEL, component_rngs

    def target(kind: str) -> Path:
        p = config.file(kind)
        return Path(out_dir) / p.relative_to(config.raw_dir) if out_dir else p

    county = pd.read_csv(config.file("census_county"), dtype={"code": str}, encoding="utf-8")
    row = census_row(county, str(config.census_code))
    reg_rng, survey_rng, _ = component_rngs(seed)
    table = task_table(prof, row)
    reg, facts = county_register(prof, reg_rng)
    survey = wide_survey(prof, table, survey_rng)
    paths = {k: target(k) for k in ("task_table", "register", "survey")}
    folder = Path(out_dir) if out_dir else config.raw_dir
    paths["facts"], paths["source"] = folder / "facts.json", folder / "SOURCE.md"
    for p in paths.values():
        p.parent.mkdir(parents=True, exist_ok=True)
    paths["task_table"].write_bytes(notice_docx_bytes(prof, table))
    paths["register"].write_bytes(register_workbook_bytes(
        {prof["register_sheet"]: reg}, prof["register_title"], REGISTER_PARENTS, [prof["filler_row"]]))
    survey.to_csv(paths["survey"], index=False, encoding="gbk", lineterminator="\n")
    facts = {"label": SYNTHETIC_LABEL, "seed": seed, "task_table": table.to_dict("records"),
             "register": facts, "survey_total": survey.iloc[-1].to_dict()}
    paths["facts"].write_text(json.dumps(facts, ensure_ascii=False, indent=1, default=int) + "\n",
                              encoding="utf-8")
    paths["source"].write_text(source_md(config, prof, seed, table, facts), encoding="utf-8")
    return paths
