"""Indicators: pure computations on tidy tables, one module per family.

No module here reads or writes files, and none imports ``ingest``, ``report``,
``example`` or ``cli`` (``tests/test_architecture.py`` checks it). Public functions are
importable from this package directly, e.g. ``from eduanalytics.indicators import
participation_rates``; their modules load on first use.
"""

from eduanalytics._lazy import lazy_exports

_EXPORTS = {
    "allocate": "allocation", "best_base": "allocation", "compare_allocation": "allocation",
    "hamilton_split": "allocation", "largest_remainder": "allocation",
    "closest_units": "census_survey", "compare_counts": "census_survey",
    "funnel_table": "census_survey", "target_group": "census_survey",
    "adjust_pvalues": "intervals", "funnel_limits": "intervals",
    "poisson_rate_interval": "intervals", "wilson_interval": "intervals",
    "expected_share": "pacing", "monthly_board": "pacing", "pacing_table": "pacing",
    "ce_participation": "participation", "eligible_population": "participation",
    "participants": "participation", "participation_rates": "participation",
    "rank_units": "participation",
    "gross_enrolment_ratio": "plan_indicators", "school_life_expectancy": "plan_indicators",
    "interpolate_path": "plan_tracking", "plan_path": "plan_tracking",
    "failure_reasons": "process_rates", "process_rates": "process_rates",
    "completions_from_programmes": "projection", "project": "projection",
    "scenarios": "projection", "single_years": "projection",
    "mean_years": "schooling", "mean_years_15plus": "schooling", "years_mapping": "schooling",
    "achieved": "target_gaps", "target_gaps": "target_gaps",
    "completions_needed": "targets_needed",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
