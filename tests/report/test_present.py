"""present(): labels and unit names for people, every cell and header escaped."""

from __future__ import annotations

import pandas as pd

from eduanalytics.report.present import present


def test_unit_names_labels_and_rounding():
    df = pd.DataFrame({"unit_id": ["lunan", "total"], "programme": ["secondary_upgrade"] * 2,
                       "target": [1319, 20000], "pct_complete": [95.7543, 80.0]})
    html = present(df, {"lunan": "路南街道"}, decimals=1).to_html()
    assert "路南街道" in html and "20,000" in html and "95.8" in html
    assert "目标" in html  # column label
    assert df["unit_id"].tolist() == ["lunan", "total"]  # the table itself is not changed


def test_cells_headers_and_unit_names_are_escaped():
    df = pd.DataFrame({"unit_id": ["u1", "u2"], "<i>col</i>": ["<b>x</b>", "a & b"]})
    html = present(df, {"u1": "<script>alert(1)</script>"}).to_html()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "&lt;i&gt;col&lt;/i&gt;" in html and "a &amp; b" in html
