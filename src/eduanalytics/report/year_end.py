"""The year-end summary's tables (seed 004's shape): 基本情况, 工作成效, 问题短板.

Built from the other analyses; each part shows what the region's files support and the
``notes`` say what was left out. Pure: tables in, tables out.
"""

from __future__ import annotations

import pandas as pd

from eduanalytics.config import RegionConfig
from eduanalytics.indicators.process_rates import failure_reasons, process_rates
from eduanalytics.labels import label


def _background(cfg: RegionConfig, t: dict, cs: dict, tot: pd.DataFrame) -> list[tuple]:
    rows: list[tuple] = []
    bases = t.get("bases")
    if isinstance(bases, pd.DataFrame) and not bases.empty:
        spec = cfg.input("task_table")
        named = {e["base"]: e["column"] for e in ((spec.get("populations") if spec else None) or [])}
        for base, n in bases.groupby("base", sort=False)["count"].sum().items():
            rows.append((f"{named.get(base, label(str(base)))}(各单位之和)", int(n)))
    cmp = cs.get("census_survey")
    if isinstance(cmp, pd.DataFrame) and not cmp.empty:
        rows.append((f"对象人口：七普({cs.get('group', '')})", int(cmp["census_count"].sum())))
        rows.append((f"对象人口：摸排({cs.get('group', '')})", int(cmp["survey_count"].sum())))
    rep = t.get("census_reported")
    if isinstance(rep, pd.DataFrame) and not rep.empty and cfg.census_code:
        row = rep[rep["unit_id"].astype(str) == str(cfg.census_code)]
        if len(row):
            rows.append(("平均受教育年限(6岁及以上，七普)", float(row["mys_reported"].iloc[0])))
    for prog, r in tot.iterrows():
        rows.append((f"{label(prog)}目标({label(r['measure'])})", int(r["target"])))
    return rows


def year_end_tables(cfg: RegionConfig, t: dict, as_of: str) -> dict:
    """Headline figures organised like a county year-end summary (seed 004):
    基本情况 (background), 工作成效 (results), 问题短板 (shortfalls), and notes."""
    from eduanalytics.report.analyses import (
        census_survey_tables,
        register_rates,
        target_tables,
        unit_names,
    )

    cs = census_survey_tables(cfg, t)
    tg = target_tables(cfg, t, as_of)
    notes = list(tg["notes"]) + list(cs["notes"])
    gaps, pace = tg["target_gaps"], tg["pacing"]
    tot = gaps[gaps["unit_id"] == "total"].set_index("programme")
    background = pd.DataFrame(_background(cfg, t, cs, tot), columns=["指标", "数值"])
    pr = register_rates(process_rates, t["enrolments"], notes, by=("programme",))
    pr = pr.set_index("programme") if "programme" in pr.columns else pr
    results = []
    for prog, r in tot.iterrows():
        p = pr.loc[prog] if prog in pr.index else None

        def pct(col: str, p=p) -> float | None:
            return None if p is None or pd.isna(p[col]) else round(float(p[col]), 1)

        results.append({"项目": label(prog), "programme": prog, "目标": int(r["target"]),
                        "已报名": int(r["enrolled"]), "已结业": int(r["completed"]),
                        "完成率(%)": round(float(r["pct_complete"]), 1),
                        "学籍注册率(%)": pct("registration_rate"), "线上学习占比(%)": pct("online_share"),
                        "退学率(%)": pct("withdrawal_rate")})
    results = pd.DataFrame(results)
    names = unit_names(cfg)
    behind = pace[(pace["status"] == "behind") & (pace["unit_id"] != "total")]
    short = [{"问题": "进度滞后", "单位": names.get(r.unit_id, r.unit_id), "项目": label(r.programme),
              "说明": f"完成 {int(r.achieved)}/{int(r.target)}，应完成 {r.expected_by_now:.0f}"}
             for r in behind.itertuples()]
    fr = register_rates(failure_reasons, t["enrolments"], notes, by=())
    short += [{"问题": "学籍未注册", "单位": cfg.whole_word, "项目": "学历提升",
               "说明": f"{label(r.reason)} {int(r.learners)} 人 ({r.share_pct:.0f}%)"} for r in fr.itertuples()]
    cmp = cs["census_survey"]
    if not cmp.empty:
        far = cmp[cmp["significant"].fillna(False).astype(bool)].sort_values("relative_gap")
        short += [{"问题": "摸排与七普差距显著", "单位": names.get(r.unit_id, r.unit_id), "项目": "对象摸排",
                   "说明": f"摸排 {int(r.survey_count)} / 七普 {int(r.census_count)} ({r.relative_gap:+.1%})"}
                  for r in far.head(5).itertuples()]
    return {"background": background, "results": results,
            "shortfalls": pd.DataFrame(short, columns=["问题", "单位", "项目", "说明"]), "notes": notes}


def year_over_year(results: pd.DataFrame, previous: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """Change from last year's results table.

    Parameters
    ----------
    results : DataFrame
        This year's ``results`` table of :func:`year_end_tables`.
    previous : DataFrame or None
        Last year's (``reports/<region>/<year-1>/tables/06_results.parquet``, read by
        :func:`eduanalytics.catalog.previous_results`); None when there is none.
    year : int
        This year.

    Returns
    -------
    DataFrame
        Both years' figures and their change, or a one-row note when there is no
        previous table.
    """
    if previous is None:
        return pd.DataFrame([{"说明": f"无{year - 1}年报告输出，未计算同比 (no report for {year - 1})"}])
    cols = ["目标", "已报名", "已结业", "完成率(%)"]
    m = results.merge(previous[["programme", *cols]], on="programme", how="left", suffixes=("", "_上年"))
    for c in cols:
        m[f"{c}_变化"] = m[c] - m[f"{c}_上年"]
    return m
