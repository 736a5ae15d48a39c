"""Normalisers: each takes a Series of raw cells and returns value / error / changed."""

from eduanalytics.normalise.attainment_labels import normalise_attainment
from eduanalytics.normalise.dates import normalise_dates
from eduanalytics.normalise.idnumber import parse_id_numbers
from eduanalytics.normalise.numbers import normalise_numbers
from eduanalytics.normalise.percent import normalise_percent
from eduanalytics.normalise.text import clean_text, to_halfwidth
from eduanalytics.normalise.units import is_total_label, normalise_unit_names

__all__ = ["clean_text", "is_total_label", "normalise_attainment", "normalise_dates",
           "normalise_numbers", "normalise_percent", "normalise_unit_names", "parse_id_numbers",
           "to_halfwidth"]
