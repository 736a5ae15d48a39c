"""The tidy tables: the contract between ingest, indicators, charts and the report.

Each processed table is written as ``data/processed/<region>/<year>/<name>.parquet``.
``provenance.json`` in the same folder records, per table, its source files (with
SHA-256), whether any of it is synthetic, and the row reconciliation.

Columns (English snake_case; display labels live in :mod:`eduanalytics.labels`):

``units``
    unit_id, name (canonical simplified Chinese), kind (street/town/school/other), aliases.
``population``
    unit_id, source (census/survey/...), year, age_min, age_max (<NA> = open-ended, "6+"),
    sex (male/female/total), attainment (ordered level id; <NA> = all levels together),
    count (int >= 0), synthetic (bool), levels (a level group that cannot be split, such
    as a wide survey's 初中及以下: ``none+preschool+primary+junior_secondary`` with
    attainment <NA>; <NA> on rows of one level or of all levels): the region's own units
    (streets/towns).
``census_county``
    The same columns for the county census extract (unit_id = the 6-digit division code,
    or the unit's name where the table prints none): 6+ rows by attainment and the
    published age groups (attainment <NA>).
``bases``
    year, unit_id, base (resident / age_20_59 / low_attainment_20_59), count, source.
    The population figures a published task table carries per unit (allocation bases).
``targets``
    year, unit_id, programme (secondary_upgrade / tertiary_upgrade / vocational_training),
    target (int >= 0), measure (persons / person_times).  Cells printed as ``/`` (not
    applicable) are not rows; the published 合计 row is not a row either (it is compared
    with the parts and reported in the cleaning log).
``enrolments``
    learner_key (salted hash; never the ID number), unit_id, programme, level_from,
    level_to, batch (spring/autumn/<month for training>), enrol_date, status
    (enrolled/completed/withdrawn), completed_date, registered (bool), register_fail_reason
    (no_id_card/no_household_register/no_photo/<NA>), mode (online/offline/blended),
    sex, birth_date, age (at the config's reference date), synthetic (bool).
    For vocational_training each row is one person-time.
``plan_indicators``
    region, indicator (id), indicator_name (as published), year, target_value (float),
    unit (percent / years / count), raw_value (the cell as printed).
``ce_targets``
    region, year, indicator, indicator_name, target_value, unit, raw_value: continuing
    education targets stated in a plan's text (seed 003).
``census_reported``
    unit_id, name, city, year, population ("6+"), mys_reported, mys_male, mys_female,
    illiterate_15p, illiteracy_rate_15p_pct, pop_total: figures the census yearbook publishes, kept
    to check the package's own computations against.
"""

from __future__ import annotations

COLUMNS: dict[str, list[str]] = {
    "units": ["unit_id", "name", "kind", "aliases"],
    "population": ["unit_id", "source", "year", "age_min", "age_max", "sex", "attainment", "count",
                   "synthetic", "levels"],
    "census_county": ["unit_id", "source", "year", "age_min", "age_max", "sex", "attainment",
                      "count", "synthetic"],
    "bases": ["year", "unit_id", "base", "count", "source"],
    "targets": ["year", "unit_id", "programme", "target", "measure"],
    "enrolments": [
        "learner_key", "unit_id", "programme", "level_from", "level_to", "batch", "enrol_date",
        "status", "completed_date", "registered", "register_fail_reason", "mode", "sex",
        "birth_date", "age", "synthetic",
    ],
    "plan_indicators": ["region", "indicator", "indicator_name", "year", "target_value", "unit",
                        "raw_value"],
    "ce_targets": ["region", "year", "indicator", "indicator_name", "target_value", "unit",
                   "raw_value"],
    "census_reported": ["unit_id", "name", "city", "year", "population", "mys_reported",
                        "mys_male", "mys_female", "illiterate_15p", "illiteracy_rate_15p_pct",
                        "pop_total"],
}

PROGRAMMES: tuple[str, ...] = ("secondary_upgrade", "tertiary_upgrade", "vocational_training")
SEXES: tuple[str, ...] = ("male", "female", "total")
STATUSES: tuple[str, ...] = ("enrolled", "completed", "withdrawn")
FAIL_REASONS: tuple[str, ...] = ("no_id_card", "no_household_register", "no_photo")
MODES: tuple[str, ...] = ("online", "offline", "blended")
BASES: tuple[str, ...] = ("resident", "age_20_59", "low_attainment_20_59")
