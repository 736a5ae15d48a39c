"""The standard analyses of the year-end report, each a function of the processed tables.

Notebooks 02-06 and ``eduanalytics charts`` call these, so the report, the briefing charts
and a researcher's session in JupyterLab get the same numbers from the same code. Each
function takes the region config and a dict of processed tables (see :func:`load_tables`)
and returns a dict of indicator tables; none of them reads or writes files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from eduanalytics.census_survey import closest_units, compare_counts, funnel_table, target_group
from eduanalytics.config import RegionConfig
from eduanalytics.io import read_provenance, read_table
from eduanalytics.pacing import monthly_board, pacing_table
from eduanalytics.participation import participation_rates, rank_units
from eduanalytics.plan_tracking import plan_path
from eduanalytics.process_rates import failure_reasons, process_rates
from eduanalytics.projection import completions_from_programmes, scenarios
from eduanalytics.schooling import mean_years, mean_years_15plus
from eduanalytics.target_gaps import target_gaps
from eduanalytics.targets_needed import completions_needed

TABLES = ("units", "targets", "bases", "enrolments", "population", "census_county",
          "census_reported", "plan_indicators", "ce_targets")
LOW_LEVELS = ["none", "preschool", "primary", "junior_secondary", "senior_secondary"]


def load_tables(source: RegionConfig | str | Path) -> dict[str, pd.DataFrame]:
    """Every processed table that exists, plus ``provenance`` (a dict) under that key."""
    out: dict = {}
    for name in TABLES:
        try:
            out[name] = read_table(source, name)
        except FileNotFoundError:
            continue
    if "enrolments" not in out:
        raise FileNotFoundError("no processed tables found; run `eduanalytics clean` first")
    out["provenance"] = read_provenance(source)
    return out


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
    """Whether any of the named processed tables holds generated data."""
    from eduanalytics.io import is_synthetic as _is

    return _is(t.get("provenance", {}), *names)
