"""The standard analyses of the year-end report, each a function of the processed tables.

Notebooks 02-06 and ``eduanalytics charts`` call these, so the report, the briefing charts
and a researcher's session in JupyterLab get the same numbers from the same code. Each
``*_tables(cfg, t, ...)`` takes the region config and a dict of processed tables (see
:func:`eduanalytics.catalog.load_tables`) and returns a dict of indicator tables plus
``notes``: a list of sentences saying what was missing and what was done instead. Only the
task table (``targets``, ``bases``) and the register (``enrolments``) are assumed; every
other table may be absent and the section then says so. None of them reads or writes files.
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
from eduanalytics.indicators.intervals import poisson_rate_interval, wilson_interval
from eduanalytics.indicators.pacing import monthly_board, pacing_table
from eduanalytics.indicators.participation import participants, participation_rates, rank_units
from eduanalytics.indicators.plan_tracking import plan_path
from eduanalytics.indicators.process_rates import failure_reasons, process_rates
from eduanalytics.indicators.target_gaps import target_gaps
from eduanalytics.labels import label, total_label
from eduanalytics.report.county_share import METHOD, county_share, estimate_eligible
from eduanalytics.report.school_targets import RULE, attribute_to_schools, split_targeted
from eduanalytics.report.schooling_section import level_mix, schooling_tables, street_census
from eduanalytics.report.year_end import year_end_tables, year_over_year

LOW_LEVELS = ["none", "preschool", "primary", "junior_secondary", "senior_secondary"]
__all__ = ["LOW_LEVELS", "allocation_tables", "calendars", "census_survey_tables", "has_table",
           "is_synthetic", "level_mix", "participation_tables", "plan_tables", "schooling_tables",
           "street_census", "street_ids", "target_tables", "unit_names", "year_end_tables", "year_over_year"]


def has_table(t: dict, name: str, source: str | None = None) -> bool:
    """Whether processed table ``name`` exists and has rows (of ``source`` for population)."""
    df = t.get(name)
    if not isinstance(df, pd.DataFrame) or df.empty:
        return False
    return source is None or ("source" in df.columns and df["source"].eq(source).any())


def unit_names(cfg: RegionConfig) -> dict[str, str]:
    """unit_id -> display name (plus the region total, 全区合计 / 全县合计 …)."""
    u = cfg.units()
    return {**dict(zip(u["unit_id"], u["name"], strict=True)), "total": total_label(cfg.level_word)}


def street_ids(cfg: RegionConfig) -> list[str]:
    """Units with a resident population (streets, towns and townships)."""
    u = cfg.units()
    return u.loc[u["kind"].isin(["street", "town", "township"]), "unit_id"].tolist()


def calendars(cfg: RegionConfig) -> dict[str, dict | None]:
    """Intake calendar per programme: batches for degree upgrades, flat for training."""
    cal = cfg.intake_calendar
    return {p: (None if s.get("measure") == "person_times" else cal) for p, s in cfg.programmes().items()}


def target_tables(cfg: RegionConfig, t: dict, as_of: str) -> dict:
    """Targets: gaps and pacing as of the date, the monthly board, and notes.

    Learners at a unit without a target for their programme are left out (and counted in
    a note); learners attributed to a school holding its own target count for the school
    and for their town, once in the total (:mod:`eduanalytics.report.school_targets`).
    """
    notes: list[str] = []
    targets, enr = t["targets"], t["enrolments"].reset_index(drop=True)
    unset = targets["target"].isna() | targets["target"].eq(0)
    if unset.any():
        names = unit_names(cfg)
        listed = "、".join(f"{names.get(r.unit_id, r.unit_id)}({label(r.programme)})"
                          for r in targets[unset].head(5).itertuples())
        notes.append(f"{int(unset.sum())} 项任务为0或空白，不计完成率：{listed}")
        targets = targets[~unset]
    with_school, copied = attribute_to_schools(cfg.units(), targets, enr)
    if copied:
        notes.append(RULE.format(whole=cfg.whole_word) + f"（{copied} 条学员记录同时计入学校）")
    else:
        u = cfg.units()
        held = set(targets["unit_id"]) & set(u.loc[u["kind"].isin(["school", "other"]), "unit_id"])
        empty = sorted(held - set(enr["unit_id"]))
        if empty:
            names = unit_names(cfg)
            notes.append("、".join(names.get(x, x) for x in empty) + " 持有任务，但登记册中没有登记在其名下"
                         "或注明报读该校的学员，完成数为0")
    counted, orphans = split_targeted(targets, with_school)
    lost = orphans[~orphans.index.isin(counted.index)]
    if len(lost):
        notes.append(f"{len(lost)} 条学员记录所在单位没有该项目任务，未计入完成情况"
                     f"（{', '.join(sorted(map(str, lost['unit_id'].unique()))[:5])}）")
    gaps = target_gaps(targets, counted, as_of=as_of, total=False)
    tot_t = targets.groupby(["programme", "measure"], as_index=False)["target"].sum().assign(unit_id="total")
    once = enr.loc[counted.index.unique()].assign(unit_id="total")
    total = target_gaps(tot_t, once, as_of=as_of, total=False)
    gaps = pd.concat([gaps, total], ignore_index=True)
    pace = pacing_table(gaps, as_of, calendars(cfg), year=cfg.year)
    board = monthly_board(counted, targets, cfg.year)
    if pd.Timestamp(as_of).year == cfg.year:
        board = board[board["month"] <= pd.Timestamp(as_of).month]
    return {"target_gaps": gaps, "pacing": pace, "monthly_board": board, "notes": notes}


def _programme_levels(spec: dict) -> list[str] | str:
    return (spec.get("eligible") or {}).get("attainment", "all")


def _published_base(cfg: RegionConfig, levels) -> dict | None:
    """The task table's population column whose levels are the programme's eligible ones."""
    spec = cfg.input("task_table")
    for entry in (spec.get("populations") or []) if spec else []:
        if entry.get("levels") and levels != "all" and set(entry["levels"]) == set(levels):
            return entry
    return None


def _estimated_rates(cfg: RegionConfig, t: dict, enr: pd.DataFrame, progs: list[str],
                     notes: list[str]) -> pd.DataFrame:
    """Participation by unit against published or county-share denominators."""
    frames = []
    code = cfg.census_code
    for prog in progs:
        spec = cfg.programmes()[prog]
        levels = _programme_levels(spec)
        pub = _published_base(cfg, levels)
        if pub is not None:
            b = t["bases"][t["bases"]["base"] == pub["base"]]
            elig = b.groupby("unit_id", as_index=False)["count"].sum().rename(columns={"count": "eligible"})
            band = "-".join(map(str, pub["age"])) + "岁" if pub.get("age") else "全年龄"
            how = f"分母为任务表公布的“{pub['column']}”（{band}，口径以公布为准）"
        elif has_table(t, "census_county") and code and has_table(t, "bases"):
            rep = t.get("census_reported")
            pop_total = None
            if isinstance(rep, pd.DataFrame) and "pop_total" in rep.columns:
                row = rep[rep["unit_id"].astype(str) == str(code)]
                pop_total = float(row["pop_total"].iloc[0]) if len(row) else None
            share = county_share(t["census_county"], code, levels, pop_total)
            elig = estimate_eligible(t["bases"], share, "resident")[["unit_id", "eligible"]]
            lv = "、".join(label(x) for x in levels) if levels != "all" else "各学历"
            how = METHOD.format(base_label=label("resident"), level=cfg.level_word, levels_label=lv,
                                share=share)
        else:
            notes.append(f"{label(prog)}：无街道七普数据、无全{cfg.level_word}七普行，未计算参与率")
            continue
        notes.append(f"{label(prog)}：{how}")
        elig = elig[elig["unit_id"].isin(street_ids(cfg)) & (elig["eligible"] > 0)]
        part = participants(enr[enr["unit_id"].isin(elig["unit_id"])], prog, spec.get("measure", "persons"))
        m = elig.merge(part, on="unit_id", how="left").fillna({"participants": 0})
        m["participants"] = m["participants"].astype(int)
        persons = spec.get("measure", "persons") == "persons"
        ci = (wilson_interval if persons else poisson_rate_interval)(m["participants"], m["eligible"])
        m = pd.concat([m, ci.set_index(m.index)], axis=1).assign(
            programme=prog, interval="wilson" if persons else "poisson", estimate=pub is None)
        frames.append(m.assign(small_denominator=m["eligible"] < 500))
    return rank_units(pd.concat(frames, ignore_index=True)) if frames else pd.DataFrame()


def participation_tables(cfg: RegionConfig, t: dict) -> dict:
    """Participation by unit (persons programmes), by sex and age band, process rates.

    With a street census the denominators are its eligible counts; without one, a
    population the task table publishes for exactly the eligible levels, or else the
    county census row's shares applied to each unit's resident population (an estimate,
    see :mod:`eduanalytics.report.county_share`); the notes say which and ``denominator``
    names it for a chart's source line.
    """
    notes: list[str] = []
    enr = t["enrolments"][t["enrolments"]["unit_id"].isin(street_ids(cfg))]
    progs = [p for p, s in cfg.programmes().items() if s.get("measure") == "persons"]
    rates = by_sex_age = pd.DataFrame()
    pop = street_census(t.get("population"))
    if not pop.empty:
        try:
            rates = rank_units(participation_rates(enr, pop, cfg.programmes(), by=("unit_id",),
                                                   programme_ids=progs))
            by_sex_age = participation_rates(enr, pop, cfg.programmes(), by=("sex", "age_band"),
                                             programme_ids=progs, age_bands=cfg.age_bands)
        except ValueError as exc:
            notes.append(f"街道七普数据不能用作参与率分母（{exc}），改用估算")
            rates = pd.DataFrame()
    denominator = "七普街道数据"
    if rates.empty:
        rates = _estimated_rates(cfg, t, enr, progs, notes)
        notes.append("无按性别、年龄、学历分列的街道七普数据，未计算分性别、年龄段参与率")
        denominator = "分母为任务表人口或七普构成估算"
    return {"participation": rates, "participation_sex_age": by_sex_age, "denominator": denominator,
            "process_rates": register_rates(process_rates, t["enrolments"], notes),
            "failure_reasons": register_rates(failure_reasons, t["enrolments"], notes), "notes": notes}


def register_rates(fn, enrolments: pd.DataFrame, notes: list[str], **kw) -> pd.DataFrame:
    """A process-rate table of the register, or an empty one and a note naming what the
    register lacks (e.g. no 学籍注册 column)."""
    try:
        return fn(enrolments, **kw)
    except (ValueError, KeyError) as exc:
        notes.append(f"登记册缺少所需信息，未计算{fn.__name__}（{exc}）")
        return pd.DataFrame()


def _survey_group(pop: pd.DataFrame) -> tuple[int, int | None, str] | None:
    """The band and level group of a wide survey (rows without attainment), if any."""
    s = pop[pop["source"] == "survey"]
    if "levels" not in pop.columns or s["attainment"].notna().any():
        return None
    hi = s["age_max"].dropna()
    return int(s["age_min"].min()), (int(hi.max()) if len(hi) else None), str(s["levels"].dropna().iloc[0]) \
        if s["levels"].notna().any() else "全部学历"


def census_survey_tables(cfg: RegionConfig, t: dict, by: tuple[str, ...] = ("unit_id",)) -> dict:
    """七普 vs 摸排: the programme target group (20-59, senior secondary or below), or the
    survey's own band and level group when it counts a different one (shown by its name)."""
    empty = {"census_survey": pd.DataFrame(), "census_survey_pooled": pd.DataFrame(),
             "funnel": pd.DataFrame(), "closest_units": pd.DataFrame(), "group": ""}
    if not has_table(t, "population", "survey"):
        return {**empty, "notes": ["无摸排数据，未比较七普与摸排"]}
    if not has_table(t, "population", "census"):
        return {**empty, "notes": ["摸排数据没有对应的七普人数，未比较七普与摸排"]}
    pop, notes = t["population"], []
    grp = _survey_group(pop)
    try:
        if grp is None:
            lo, hi, name = 20, 59, "20-59岁高中及以下"
            counts = target_group(pop, lo, hi, LOW_LEVELS, by=by, age_bands=cfg.age_bands)
        else:
            lo, hi, lv = grp
            name = f"{lo}-{hi}岁{lv}" if hi is not None else f"{lo}岁及以上{lv}"
            notes.append(f"摸排口径为{name}，与项目对象口径不同，按摸排自身口径比较")
            if "age_band" in by or "sex" in by:
                return {**empty, "group": name, "notes": notes + ["摸排未分性别、年龄段，未作分组比较"]}
            p = pop[pop["attainment"].isna() & pop["levels"].astype("string").eq(lv)]
            counts = target_group(p, lo, 200 if hi is None else hi, None, by=by)
        counts = counts[counts["present"] == "both"]
        if counts.empty:
            return {**empty, "group": name, "notes": notes + ["七普与摸排没有共同的单位，未比较"]}
        cmp = compare_counts(counts, null_ratio=1.0)
        return {"census_survey": cmp, "census_survey_pooled": compare_counts(counts, null_ratio="pooled"),
                "funnel": funnel_table(cmp), "closest_units": closest_units(cmp), "group": name,
                "notes": notes}
    except ValueError as exc:
        return {**empty, "notes": notes + [f"七普与摸排口径无法对齐，未比较：{exc}"]}


def plan_tables(cfg: RegionConfig, t: dict) -> dict:
    """The reference plan's indicator paths and the text targets, each naming whose it is."""
    out: dict = {"notes": []}
    spec = cfg.input("plan_indicators")
    if has_table(t, "plan_indicators"):
        out["plan_path"] = plan_path(t["plan_indicators"])
        out["plan_region"] = str((spec.get("region") if spec else None) or cfg.name)
        if out["plan_region"] != cfg.name:
            out["notes"].append(f"规划指标为{out['plan_region']}的规划，作参照，非本{cfg.level_word}目标")
    else:
        out["notes"].append("未提供规划指标文件，本节从略")
    ce = cfg.input("ce_targets")
    if has_table(t, "ce_targets"):
        out["ce_targets"] = t["ce_targets"]
        out["ce_region"] = str((ce.get("region") if ce else None) or cfg.name)
        if out["ce_region"] != cfg.name:
            out["notes"].append(f"继续教育目标为{out['ce_region']}的文件所列，作参照")
    else:
        out["notes"].append("未提供继续教育目标文件，本节从略")
    return out


def is_synthetic(t: dict, *names: str) -> bool:
    """Whether any of the named processed tables holds generated data (from the
    ``provenance`` entry that :func:`eduanalytics.catalog.load_tables` adds)."""
    entries = (t.get("provenance") or {}).get("tables", {})
    return any(bool(entries.get(n, {}).get("synthetic")) for n in (names or tuple(entries)))


def allocation_tables(cfg: RegionConfig, t: dict) -> dict:
    """Which base each published programme allocation follows, and the departures from a
    largest-remainder split on that base (streets only: the schools' quotas are fixed)."""
    from eduanalytics.indicators.allocation import allocate, best_base, compare_allocation

    streets = street_ids(cfg)
    rows, cmps, notes = [], [], []
    tg = t["targets"]
    if not has_table(t, "bases"):
        notes.append("任务表未公布各单位人口，未分析任务分解依据")
    for prog in [p for p, s in cfg.programmes().items() if s.get("measure") == "persons"]:
        sub = tg[(tg["programme"] == prog) & tg["unit_id"].isin(streets)]
        if sub.empty or not has_table(t, "bases"):
            continue
        try:
            bases = tuple(dict.fromkeys(t["bases"]["base"].astype(str)))
            bb = best_base(sub, t["bases"], prog, candidates=bases).assign(programme=prog)
            base = bb.iloc[0]["base"]
            pub = sub.set_index("unit_id")["target"].astype(int)
            comp = allocate(int(pub.sum()), t["bases"], base, units=list(pub.index))
        except (ValueError, KeyError) as exc:  # e.g. the task table publishes no usable base
            notes.append(f"{label(prog)}：任务表公布的人口不足以比较任务分解（{exc}）")
            continue
        rows.append(bb)
        cmps.append(compare_allocation(pub, comp).assign(programme=prog, base=base))
    return {"best_base": pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(),
            "compare": pd.concat(cmps, ignore_index=True) if cmps else pd.DataFrame(), "notes": notes}
