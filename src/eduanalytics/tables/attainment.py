"""Attainment levels: the ordered category every table uses, and years per level."""

from __future__ import annotations

#: The ordered attainment levels (lowest first). See DESIGN.md.
LEVELS: tuple[str, ...] = (
    "none",
    "preschool",
    "primary",
    "junior_secondary",
    "senior_secondary",
    "junior_college",
    "bachelor",
    "postgraduate",
)

#: Years credited per level: the convention that reproduces the census yearbook's
#: 平均受教育年限 (none 0, preschool 0, primary 6, junior secondary 9, senior secondary 12,
#: every tertiary level 16).
DEFAULT_YEARS: dict[str, float] = {
    "none": 0.0,
    "preschool": 0.0,
    "primary": 6.0,
    "junior_secondary": 9.0,
    "senior_secondary": 12.0,
    "junior_college": 16.0,
    "bachelor": 16.0,
    "postgraduate": 16.0,
}
