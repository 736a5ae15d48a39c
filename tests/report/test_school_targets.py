"""Targets held by schools: learners counted for the school and their town."""

from __future__ import annotations

import pandas as pd
import pytest
from _support.mini_county import make_tables

from eduanalytics.report.school_targets import attribute_to_schools, split_targeted

UNITS = pd.DataFrame({"unit_id": ["a", "b", "s"], "kind": ["town", "town", "school"]})


@pytest.fixture()
def tables():
    return make_tables()


def test_attribute_to_schools_without_the_column_adds_nothing(tables):
    enr = tables["enrolments"].drop(columns="school_unit_id")
    out, n = attribute_to_schools(pd.DataFrame({"unit_id": ["s"], "kind": ["school"]}), tables["targets"], enr)
    assert n == 0 and len(out) == len(enr)


def test_copies_keep_the_index_of_the_row_they_copy(tables):
    out, n = attribute_to_schools(UNITS, tables["targets"], tables["enrolments"])
    # learners 0, 1 (town a) and 6 (town b) name the school s, which holds a target
    assert n == 3
    assert out.index[-3:].tolist() == [0, 1, 6]
    assert (out.iloc[-3:]["unit_id"] == "s").all()


def test_a_school_without_a_target_gets_no_copies(tables):
    targets = tables["targets"][tables["targets"]["unit_id"] != "s"]
    out, n = attribute_to_schools(UNITS, targets, tables["enrolments"])
    assert n == 0 and len(out) == 15


def test_split_targeted(tables):
    targets = tables["targets"][tables["targets"]["unit_id"] != "b"]
    has, rest = split_targeted(targets, tables["enrolments"])
    assert len(has) == 6 and len(rest) == 9 and set(rest["unit_id"]) == {"b"}
