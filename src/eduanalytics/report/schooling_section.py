"""The years-of-schooling section: current means, scenario projections, completions needed.

With a street census by age and attainment the section projects the working-age mean
to the target year; without one it shows the means the county census row supports and
says why the projection is skipped. Pure: tables in, tables out (plus ``notes``).
"""

from __future__ import annotations

import pandas as pd

from eduanalytics.config import RegionConfig
from eduanalytics.indicators.projection import completions_from_programmes, scenarios
from eduanalytics.indicators.schooling import mean_years, mean_years_15plus
from eduanalytics.indicators.targets_needed import completions_needed


def street_census(population: pd.DataFrame | None) -> pd.DataFrame:
    """Census rows by attainment of the street table (not the group counts of a wide survey)."""
    if not isinstance(population, pd.DataFrame) or population.empty or "source" not in population:
        return pd.DataFrame()
    c = population[population["source"] == "census"]
    if "levels" in c.columns:
        c = c[c["levels"].isna()]
    return c if c["attainment"].notna().any() else pd.DataFrame()


def level_mix(enrolments: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Observed ``level_from`` shares per persons programme (non-withdrawn learners)."""
    e = enrolments[(enrolments["status"] != "withdrawn") & enrolments["level_from"].notna()]
    out = {}
    for prog, g in e.groupby("programme"):
        shares = g["level_from"].value_counts(normalize=True)
        out[str(prog)] = {str(k): float(v) for k, v in shares.items()}
    return out


def _county_means(cfg: RegionConfig, t: dict, years: dict) -> pd.DataFrame:
    county, code = t.get("census_county"), cfg.census_code
    if not isinstance(county, pd.DataFrame) or county.empty or not code:
        return pd.DataFrame()
    cc = county[county["unit_id"].astype(str) == str(code)]
    if cc.empty:
        return pd.DataFrame()
    parts = []
    for fn in (mean_years, mean_years_15plus):
        try:
            parts.append(fn(cc, years))
        except ValueError:  # the row lacks what the 15+ estimate needs: show what it supports
            continue
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True).assign(unit_id=f"{code} (census)")


def schooling_tables(cfg: RegionConfig, t: dict, target_year: int | None = None,
                     target_mean: float | None = None, mix_secondary: float = 0.3,
                     age_min: int = 20, age_max: int = 59) -> dict:
    """Current means, scenario projections with decomposition, completions needed.

    Parameters
    ----------
    cfg : RegionConfig
    t : dict
        Processed tables.
    target_year, target_mean : optional
        Default ``cfg.target_year`` and ``cfg.target_mean_years``.
    mix_secondary : float
        Share of the needed completions from the secondary programme.
    age_min, age_max : int
        The working-age population the projection is for.

    Returns
    -------
    dict
        ``mean_years_current``, ``schooling_paths``, ``completions_needed`` (empty tables
        when a section cannot be computed), ``target_year``, ``target_mean`` and ``notes``.
    """
    notes: list[str] = []
    target_year = int(target_year or cfg.target_year)
    target_mean = cfg.target_mean_years if target_mean is None else float(target_mean)
    years = cfg.years_of_schooling()
    census = street_census(t.get("population"))
    county = _county_means(cfg, t, years)
    out = {"mean_years_current": pd.DataFrame(), "schooling_paths": pd.DataFrame(),
           "completions_needed": pd.DataFrame(), "target_year": target_year,
           "target_mean": target_mean, "notes": notes}
    if census.empty:
        out["mean_years_current"] = county
        notes.append("无按年龄、学历分列的街道七普数据：只列全" + cfg.level_word
                     + "七普的平均受教育年限，未作预测和达标测算")
        if county.empty:
            notes.append("也无全" + cfg.level_word + "七普行（census_county），现状从略")
        return out
    census = census.assign(unit_id="district")
    base_year = cfg.census_year
    out["mean_years_current"] = pd.concat([
        mean_years(census, years), mean_years(census, years, age_min=15),
        mean_years(census, years, age_min=age_min, age_max=age_max), county], ignore_index=True)
    steps = {p: s["steps"] for p, s in cfg.programmes().items() if s.get("steps")}
    lm = {p: m for p, m in level_mix(t["enrolments"]).items() if p in steps}
    lm = {p: {lv: v for lv, v in m.items() if lv in steps[p]} for p, m in lm.items()}
    lm = {p: {lv: v / sum(m.values()) for lv, v in m.items()} for p, m in lm.items() if m}
    start = int(cfg.year)
    run_years = range(start, target_year + 1)
    kw = {"age_min": age_min, "age_max": age_max, "years": years}
    try:
        tg = t["targets"].groupby("programme")["target"].sum()
        plan = completions_from_programmes({p: float(tg.get(p, 0)) for p in lm}, steps, lm, run_years)
        e = t["enrolments"]
        done = e[e["status"] == "completed"].groupby("programme")["learner_key"].nunique()
        pace = completions_from_programmes({p: float(done.get(p, 0)) for p in lm}, steps, lm, run_years)
        out["schooling_paths"] = scenarios(census, base_year, target_year, {"plan": plan, "pace": pace}, **kw)
    except (ValueError, KeyError, ArithmeticError) as exc:
        notes.append(f"预测未能计算（{exc}）")
        return out
    if target_mean is None:
        notes.append("配置未给出平均受教育年限目标（target_mean_years），未测算达标所需")
        return out
    mix = {"secondary_upgrade": mix_secondary, "tertiary_upgrade": 1 - mix_secondary}
    mix = {p: v for p, v in mix.items() if p in steps}
    try:
        need = completions_needed(census, base_year, target_year, target_mean, mix, steps, lm,
                                  start_year=start, **kw)
    except (ValueError, KeyError, ArithmeticError, RuntimeError) as exc:
        notes.append(f"达标所需未能测算（{exc}）")
        return out
    out["completions_needed"] = pd.DataFrame([{
        "target_year": target_year, "target_mean": target_mean, "reachable": need.reachable,
        "completions_per_year": need.per_year, **{f"per_year_{k}": v for k, v in need.by_programme.items()},
        "mean_reached": need.mean_reached, "mean_without_programmes": need.mean_without,
        "shortfall_years": need.shortfall, "max_completions_per_year": need.max_per_year}])
    return out
