"""Row-level register helpers: rejected rows' JSON."""

from __future__ import annotations

import json

import pandas as pd

from eduanalytics.ingest.register_rows import original_json


def test_original_json_round_trips():
    f = pd.DataFrame({"id_number": ["331004********123X"], "unit": ['路"南\\'], "mode": [None]})
    text = original_json(f).iloc[0]
    assert json.loads(text) == {"id_number": "331004********123X", "unit": '路"南\\', "mode": ""}


def test_original_json_escapes_only_the_cells_that_need_it():
    # one cell with every escaped character, its neighbours plain; categoricals and
    # missing cells as the register's pieces hold them
    f = pd.DataFrame({"unit": pd.Categorical(["a\tb", "c"]),
                      "programme": pd.Series(['x"y\\z\nw\r', None], dtype="string"),
                      "status": ["在读", "退学"]})
    rows = [json.loads(t) for t in original_json(f)]
    assert rows == [{"unit": "a\tb", "programme": 'x"y\\z\nw\r', "status": "在读"},
                    {"unit": "c", "programme": "", "status": "退学"}]
    assert original_json(f.iloc[:0]).empty
