"""The standard analyses of the year-end report, each a function of the processed tables.

Notebooks 02-06 and ``eduanalytics charts`` call these, so the report, the briefing charts
and a researcher's session in JupyterLab get the same numbers from the same code. Each
function takes the region config and a dict of processed tables (see :func:`eduanalytics.catalog.load_tables`)
and returns a dict of indicator tables; none of them reads or writes files.
"""

from __future__ import annotations

import pandas as pd

from eduanalytics.config import RegionConfig
from eduanalytics.indicators.census_survey import (
    closest_units,
    compare_counts,
    funnel_table,
    target_group,
)
from eduanalytics.indicators.pacing import monthly_board, pacing_table
from eduanalytics.indicators.participation import participation_rates, rank_units
from eduanalytics.indicators.plan_tracking import plan_path
from eduanalytics.indicators.process_rates import failure_reasons, process_rates
from eduanalytics.indicators.projection import completions_from_programmes, scenarios
from eduanalytics.indicators.schooling import mean_years, mean_years_15plus
from eduanalytics.indicators.target_gaps import target_gaps
from eduanalytics.indicators.targets_needed import completions_needed

LOW_LEVELS = ["none", "preschool", "primary", "junior_secondary", "senior_secondary"]


def unit_names(cfg: RegionConfig) -> dict[str, str]:
    """unit_id -> display name (plus the district total)."""
    return {**dict(zip(cfg.units()["unit_id"], cfg.units()["name"], strict=True)), "total": "全区合计"}


def street_ids(cfg: RegionConfig) -> list[str]:
    """Units with a resident population (streets and towns)."""
    u = cfg.units()
    return u.loc[u["kind"].isin(["street", "town"]), "unit_id"].tolist()


def calendars(cfg: RegionConfig) -> dict[str, dict | None]:
    """Intake calendar per programme: batches for degree upgrades, flat for training."""
    cal = cfg.get("intake_calendar")
    return {p: (None if s.get("measure") == "person_times" else cal) for p, s in cfg.programmes().items()}


def target_tables(cfg: RegionConfig, t: dict, as_of: str) -> dict[str, pd.DataFrame]:
    """Targets: gaps and pacing as of the date, the monthly board."""
    gaps = target_gaps(t["targets"], t["enrolments"], as_of=as_of)
    pace = pacing_table(gaps, as_of, calendars(cfg), year=cfg.year)
    board = monthly_board(t["enrolments"], t["targets"], cfg.year)
    board = board[board["month"] <= pd.Timestamp(as_of).month] if pd.Timestamp(as_of).year == cfg.year else board
    return {"target_gaps": gaps, "pacing": pace, "monthly_board": board}


def participation_tables(cfg: RegionConfig, t: dict) -> dict[str, pd.DataFrame]:
    """Participation by street (persons programmes), by sex and age band, process rates."""
    streets = street_ids(cfg)
    enr = t["enrolments"][t["enrolments"]["unit_id"].isin(streets)]
    pop = t["population"]
    progs = [p for p, s in cfg.programmes().items() if s.get("measure") == "persons"]
    rates = rank_units(participation_rates(enr, pop, cfg.programmes(), by=("unit_id",), programme_ids=progs))
    by_sex_age = participation_rates(enr, pop, cfg.programmes(), by=("sex", "age_band"),
                                     programme_ids=progs, age_bands=cfg.get("age_bands"))
    return {"participation": rates, "participation_sex_age": by_sex_age,
            "process_rates": process_rates(t["enrolments"]),
            "failure_reasons": failure_reasons(t["enrolments"])}


def census_survey_tables(cfg: RegionConfig, t: dict, by: tuple[str, ...] = ("unit_id",)) -> dict[str, pd.DataFrame]:
    """七普 vs 摸排 for the target group (20-59, senior secondary or below)."""
    counts = target_group(t["population"], 20, 59, LOW_LEVELS, by=by, age_bands=cfg.get("age_bands"))
    cmp = compare_counts(counts, null_ratio=1.0)
    return {"census_survey": cmp, "census_survey_pooled": compare_counts(counts, null_ratio="pooled"),
            "funnel": funnel_table(cmp), "closest_units": closest_units(cmp)}


def level_mix(enrolments: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Observed ``level_from`` shares per persons programme (non-withdrawn learners)."""
    e = enrolments[(enrolments["status"] != "withdrawn") & enrolments["level_from"].notna()]
    out = {}
    for prog, g in e.groupby("programme"):
        shares = g["level_from"].value_counts(normalize=True)
        out[str(prog)] = {str(k): float(v) for k, v in shares.items()}
    return out


def schooling_tables(cfg: RegionConfig, t: dict, target_year: int = 2027, target_mean: float = 11.0,
                     mix_secondary: float = 0.3, age_min: int = 20, age_max: int = 59) -> dict:
    """Current means, scenario projections with decomposition, completions needed."""
    census = t["population"][t["population"]["source"] == "census"].assign(unit_id="district")
    base_year = int(cfg.get("census_year", 2020))
    years = cfg.years_of_schooling()
    current = pd.concat([
        mean_years(census, years),
        mean_years(census, years, age_min=15),
        mean_years(census, years, age_min=age_min, age_max=age_max),
    ], ignore_index=True)
    county = t.get("census_county")
    if county is not None:
        code = str(cfg.get("census_code", ""))
        cc = county[county["unit_id"] == code]
        if len(cc):
            published = pd.concat([mean_years(cc, years), mean_years_15plus(cc, years)], ignore_index=True)
            current = pd.concat([current, published.assign(unit_id=f"{code} (census)")], ignore_index=True)
    steps = {p: s["steps"] for p, s in cfg.programmes().items() if s.get("steps")}
    lm = {p: m for p, m in level_mix(t["enrolments"]).items() if p in steps}
    lm = {p: {lv: v for lv, v in m.items() if lv in steps[p]} for p, m in lm.items()}
    lm = {p: {lv: v / sum(m.values()) for lv, v in m.items()} for p, m in lm.items() if m}
    start = int(cfg.year)
    run_years = range(start, target_year + 1)
    tg = t["targets"].groupby("programme")["target"].sum()
    plan = completions_from_programmes({p: float(tg.get(p, 0)) for p in lm}, steps, lm, run_years)
    done = t["enrolments"][t["enrolments"]["status"] == "completed"].groupby("programme")["learner_key"].nunique()
    pace = completions_from_programmes({p: float(done.get(p, 0)) for p in lm}, steps, lm, run_years)
    kw = {"age_min": age_min, "age_max": age_max, "years": years}
    paths = scenarios(census, base_year, target_year, {"plan": plan, "pace": pace}, **kw)
    mix = {"secondary_upgrade": mix_secondary, "tertiary_upgrade": 1 - mix_secondary}
    need = completions_needed(census, base_year, target_year, target_mean, mix, steps, lm,
                              start_year=start, **kw)
    needed = pd.DataFrame([{
        "target_year": target_year, "target_mean": target_mean, "reachable": need.reachable,
        "completions_per_year": need.per_year, **{f"per_year_{k}": v for k, v in need.by_programme.items()},
        "mean_reached": need.mean_reached, "mean_without_programmes": need.mean_without,
        "shortfall_years": need.shortfall, "max_completions_per_year": need.max_per_year}])
    return {"mean_years_current": current, "schooling_paths": paths, "completions_needed": needed}


def plan_tables(cfg: RegionConfig, t: dict) -> dict[str, pd.DataFrame]:
    """The reference plan's indicator paths and the text targets."""
    out = {}
    if "plan_indicators" in t:
        out["plan_path"] = plan_path(t["plan_indicators"])
    if "ce_targets" in t:
        out["ce_targets"] = t["ce_targets"]
    return out


def is_synthetic(t: dict, *names: str) -> bool:
    """Whether any of the named processed tables holds generated data (from the
    ``provenance`` entry that :func:`eduanalytics.catalog.load_tables` adds)."""
    entries = (t.get("provenance") or {}).get("tables", {})
    return any(bool(entries.get(n, {}).get("synthetic")) for n in (names or tuple(entries)))


def allocation_tables(cfg: RegionConfig, t: dict) -> dict[str, pd.DataFrame]:
    """Which base each published programme allocation follows, and the departures from a
    largest-remainder split on that base (streets only: the schools' quotas are fixed)."""
    from eduanalytics.indicators.allocation import allocate, best_base, compare_allocation

    streets = street_ids(cfg)
    rows, cmps = [], []
    tg = t["targets"]
    for prog in ("secondary_upgrade", "tertiary_upgrade"):
        sub = tg[(tg["programme"] == prog) & tg["unit_id"].isin(streets)]
        if sub.empty:
            continue
        bb = best_base(sub, t["bases"], prog).assign(programme=prog)
        rows.append(bb)
        base = bb.iloc[0]["base"]
        pub = sub.set_index("unit_id")["target"].astype(int)
        comp = allocate(int(pub.sum()), t["bases"], base, units=list(pub.index))
        cmps.append(compare_allocation(pub, comp).assign(programme=prog, base=base))
    return {"best_base": pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(),
            "compare": pd.concat(cmps, ignore_index=True) if cmps else pd.DataFrame()}


def year_end_tables(cfg: RegionConfig, t: dict, as_of: str) -> dict[str, pd.DataFrame]:
    """Headline figures organised like a county year-end summary (seed 004):
    基本情况 (background), 工作成效 (results), 问题短板 (shortfalls)."""
    from eduanalytics.labels import label

    b = t["bases"].groupby("base")["count"].sum()
    cs = census_survey_tables(cfg, t)["census_survey"]
    tg = target_tables(cfg, t, as_of)
    gaps, pace = tg["target_gaps"], tg["pacing"]
    tot = gaps[gaps["unit_id"] == "total"].set_index("programme")
    background = [("常住人口(七普)", b.get("resident")), ("20-59周岁人口(各街道之和)", b.get("age_20_59")),
                  ("其中高中及以下学历人口(各街道之和)", b.get("low_attainment_20_59")),
                  ("对象人口：七普(20-59岁高中及以下)", cs["census_count"].sum()),
                  ("对象人口：摸排", cs["survey_count"].sum())]
    rep = t.get("census_reported")
    if rep is not None:
        row = rep[rep["unit_id"] == str(cfg.get("census_code", ""))]
        if len(row):
            background.append(("平均受教育年限(6岁及以上，七普)", float(row["mys_reported"].iloc[0])))
    for prog, r in tot.iterrows():
        background.append((f"{label(prog)}目标({label(r['measure'])})", int(r["target"])))
    background = pd.DataFrame(background, columns=["指标", "数值"])
    pr = process_rates(t["enrolments"], by=("programme",)).set_index("programme")
    results = []
    for prog, r in tot.iterrows():
        p = pr.loc[prog] if prog in pr.index else None
        results.append({"项目": label(prog), "programme": prog, "目标": int(r["target"]),
                        "已报名": int(r["enrolled"]), "已结业": int(r["completed"]),
                        "完成率(%)": round(float(r["pct_complete"]), 1),
                        "学籍注册率(%)": None if p is None or pd.isna(p["registration_rate"]) else round(float(p["registration_rate"]), 1),
                        "线上学习占比(%)": None if p is None else round(float(p["online_share"]), 1),
                        "退学率(%)": None if p is None else round(float(p["withdrawal_rate"]), 1)})
    results = pd.DataFrame(results)
    behind = pace[(pace["status"] == "behind") & (pace["unit_id"] != "total")]
    short = [{"问题": "进度滞后", "单位": unit_names(cfg).get(r.unit_id, r.unit_id), "项目": label(r.programme),
              "说明": f"完成 {int(r.achieved)}/{int(r.target)}，应完成 {r.expected_by_now:.0f}"}
             for r in behind.itertuples()]
    fr = failure_reasons(t["enrolments"], by=())
    short += [{"问题": "学籍未注册", "单位": "全区", "项目": "学历提升",
               "说明": f"{label(r.reason)} {int(r.learners)} 人 ({r.share_pct:.0f}%)"} for r in fr.itertuples()]
    far = cs[cs["significant"].fillna(False)].sort_values("relative_gap")
    short += [{"问题": "摸排与七普差距显著", "单位": unit_names(cfg).get(r.unit_id, r.unit_id), "项目": "对象摸排",
               "说明": f"摸排 {int(r.survey_count)} / 七普 {int(r.census_count)} ({r.relative_gap:+.1%})"}
              for r in far.head(5).itertuples()]
    return {"background": background, "results": results,
            "shortfalls": pd.DataFrame(short, columns=["问题", "单位", "项目", "说明"])}


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
