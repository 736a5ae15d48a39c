"""Participation rates: participants / eligible population, with intervals.

The eligible population of each programme is defined in the region config
(``programmes.<id>.eligible``: age range and attainment levels). Learners of a persons
programme are counted once (distinct ``learner_key``); person-times are counted as rows,
and their rate (person-times per eligible person) gets an exact Poisson interval, since it
may exceed 1. Withdrawn learners are not participants.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.indicators.intervals import poisson_rate_interval, wilson_interval
from eduanalytics.tables.checks import (
    band_of_ages,
    band_of_ranges,
    known_programmes,
    non_negative,
    require,
    rows_in_age_range,
)


def eligible_population(population: pd.DataFrame, programme: str,
                        programmes: dict[str, dict[str, Any]], by: Sequence[str] = ("unit_id",),
                        source: str = "census", age_bands: list | None = None) -> pd.DataFrame:
    """Eligible population of a programme, summed over ``by``.

    Parameters
    ----------
    population : DataFrame
        The ``population`` table.
    programme : str
        Programme id (a key of ``programmes``).
    programmes : dict
        The config's ``programmes`` section.
    by : sequence of str
        Grouping columns among unit_id, sex, age_band, attainment.
    source : str
        Which counts (``census`` or ``survey``).
    age_bands : list, optional
        Bands for ``age_band`` (e.g. the config's ``age_bands``).

    Returns
    -------
    DataFrame
        ``by`` columns and ``eligible``.

    Raises
    ------
    ValueError
        Unknown programme; a population row whose age range straddles the eligible range
        (it cannot be counted without an assumption).
    """
    known_programmes([programme], programmes)
    require(population, ["unit_id", "source", "age_min", "age_max", "sex", "attainment", "count"],
            "population")
    non_negative(population, ["count"], "population")
    rule = programmes[programme].get("eligible") or {}
    lo, hi = int(rule.get("age_min", 0)), int(rule.get("age_max", 200))
    pop = rows_in_age_range(population[population["source"] == source], lo, hi,
                            f"population for {programme}")
    levels = rule.get("attainment", "all")
    if levels != "all":
        pop = pop[pop["attainment"].isin(list(levels))]
    if "sex" not in by:
        pop = pop[pop["sex"].isin(["male", "female"])] if pop["sex"].isin(["male", "female"]).any() else pop
    if "age_band" in by:
        if not age_bands:
            raise DataError("age_band requested but no age_bands given", column="age_band",
                            expected="age_bands from the config", found=None)
        pop = pop.assign(age_band=band_of_ranges(pop["age_min"], pop["age_max"], age_bands))
    return pop.groupby(list(by), as_index=False, observed=True)["count"].sum().rename(
        columns={"count": "eligible"})


def participants(enrolments: pd.DataFrame, programme: str, measure: str,
                 by: Sequence[str] = ("unit_id",), age_bands: list | None = None) -> pd.DataFrame:
    """Participants of one programme (distinct learners, or person-times) over ``by``."""
    require(enrolments, ["learner_key", "unit_id", "programme", "status", "sex", "age"], "enrolments")
    e = enrolments[(enrolments["programme"] == programme) & (enrolments["status"] != "withdrawn")]
    if "age_band" in by:
        e = e.assign(age_band=band_of_ages(e["age"], age_bands or []))
    g = e.groupby(list(by), as_index=False, observed=True)
    out = (g["learner_key"].nunique() if measure == "persons" else g.size().rename(
        columns={"size": "learner_key"}))
    return out.rename(columns={"learner_key": "participants"})


def participation_rates(enrolments: pd.DataFrame, population: pd.DataFrame,
                        programmes: dict[str, dict[str, Any]], by: Sequence[str] = ("unit_id",),
                        programme_ids: Sequence[str] | None = None, age_bands: list | None = None,
                        confidence: float = 0.95, min_denominator: int = 500) -> pd.DataFrame:
    """Participation rate per programme and group, with confidence intervals.

    Parameters
    ----------
    enrolments, population : DataFrame
        Tidy tables. Only units present in the population's eligible counts are rated;
        participants of units without a population base (schools, exam boards) must be
        left out by the caller — passing them raises.
    programmes : dict
        The config's ``programmes`` section.
    by : sequence of str
        Groups among unit_id, sex, age_band.
    programme_ids : sequence of str, optional
        Programmes to rate (default: all in ``programmes``).
    age_bands : list, optional
        The config's ``age_bands`` when ``age_band`` is in ``by``.
    confidence : float
        Interval coverage.
    min_denominator : int
        Groups with fewer eligible people are flagged ``small_denominator``.

    Returns
    -------
    DataFrame
        programme, ``by``, participants, eligible, rate, ci_low, ci_high, interval
        (wilson / poisson), small_denominator.
    """
    ids = list(programme_ids or programmes)
    known_programmes(ids, programmes)
    frames = []
    for prog in ids:
        measure = programmes[prog].get("measure", "persons")
        elig = eligible_population(population, prog, programmes, by, age_bands=age_bands)
        part = participants(enrolments, prog, measure, by, age_bands)
        m = elig.merge(part, on=list(by), how="outer", indicator=True)
        orphan = m[m["_merge"] == "right_only"]
        if len(orphan):
            raise DataError(f"{prog}: participants in group(s) with no eligible population: "
                             f"{orphan[list(by)].to_dict('records')[:5]}; filter them out first",
                            column=by[0], expected="groups with an eligible population",
                            found=orphan[list(by)].to_dict('records')[:5])
        m = m.drop(columns="_merge").fillna({"participants": 0})
        m["participants"] = m["participants"].astype(int)
        if (m["eligible"] <= 0).any():
            bad = m.loc[m["eligible"] <= 0, list(by)].to_dict("records")[:5]
            raise DataError(f"{prog}: eligible population is 0 for {bad}; a rate needs a denominator",
                            column="count", expected="an eligible population > 0", found=bad)
        if measure == "persons":
            ci = wilson_interval(m["participants"], m["eligible"], confidence)
            kind = "wilson"
        else:
            ci = poisson_rate_interval(m["participants"], m["eligible"], confidence)
            kind = "poisson"
        m = pd.concat([m, ci.set_index(m.index)], axis=1).assign(programme=prog, interval=kind)
        frames.append(m)
    out = pd.concat(frames, ignore_index=True)
    out["small_denominator"] = out["eligible"] < min_denominator
    return out[["programme", *by, "participants", "eligible", "rate", "ci_low", "ci_high",
                "interval", "small_denominator"]]


def rank_units(rates: pd.DataFrame, by: str = "ci_low") -> pd.DataFrame:
    """Rank groups within each programme by the lower interval bound (default).

    Ranking on ``ci_low`` rather than the point rate keeps a unit with a tiny denominator
    (and so a wide interval) from looking like a leader.
    """
    require(rates, ["programme", by], "rates")
    out = rates.copy()
    out["rank"] = out.groupby("programme")[by].rank(ascending=False, method="min").astype(int)
    return out.sort_values(["programme", "rank"]).reset_index(drop=True)


def ce_participation(counts: pd.DataFrame, targets: pd.DataFrame | None = None,
                     confidence: float = 0.95) -> pd.DataFrame:
    """Continuing-education participation rates (社区教育参与率, 从业人员继续教育参与率).

    Parameters
    ----------
    counts : DataFrame
        indicator, participants, population (e.g. residents who took part in community
        education / all residents; employees in continuing education / all employees).
    targets : DataFrame, optional
        ``ce_targets`` rows (indicator, target_value in percent).

    Returns
    -------
    DataFrame
        indicator, participants, population, rate_pct, ci_low_pct, ci_high_pct and, with
        targets, target_pct and gap_pct (rate minus target, percentage points).
    """
    require(counts, ["indicator", "participants", "population"], "counts")
    non_negative(counts, ["participants", "population"], "counts")
    ci = wilson_interval(counts["participants"], counts["population"], confidence)
    out = counts.assign(rate_pct=ci["rate"].to_numpy() * 100, ci_low_pct=ci["ci_low"].to_numpy() * 100,
                        ci_high_pct=ci["ci_high"].to_numpy() * 100)
    if targets is not None:
        t = targets[targets["unit"] == "percent"][["indicator", "target_value"]]
        out = out.merge(t.rename(columns={"target_value": "target_pct"}), on="indicator", how="left")
        out["gap_pct"] = out["rate_pct"] - out["target_pct"]
    return out
