"""Formula neutralising and HTML escaping on made-up cells."""

from __future__ import annotations

import pandas as pd

from eduanalytics.safe_output import (
    escape_html,
    escape_markdown,
    neutralise_formulas,
    neutralise_text,
    write_csv,
)


def test_text_cells_that_start_a_formula_get_a_quote():
    df = pd.DataFrame({"unit": ["=1+1", "+86", "-x", "@SUM(A1)", "\tTAB", "\rCR", "路南", None],
                       "n": [-3, 4, -5, 6, 7, 8, 9, 10]})
    out = neutralise_formulas(df)
    assert out["unit"].tolist()[:7] == ["'=1+1", "'+86", "'-x", "'@SUM(A1)", "'\tTAB", "'\rCR", "路南"]
    assert pd.isna(out["unit"].iloc[7])
    # genuine negative numbers stored as numbers stay numbers
    assert out["n"].tolist() == [-3, 4, -5, 6, 7, 8, 9, 10] and out["n"].dtype.kind == "i"
    assert df["unit"].iloc[0] == "=1+1"  # the input is not changed


def test_mixed_object_column_keeps_numbers_and_headers_are_neutralised():
    s = pd.Series(["=A1", -2, 3.5, "ok"], dtype=object)
    out = neutralise_text(s)
    assert out.tolist() == ["'=A1", -2, 3.5, "ok"]
    assert neutralise_text(pd.Series([1, 2], dtype=object)).tolist() == [1, 2]
    df = pd.DataFrame({"=bad": ["x"], "good": ["=y"]})
    assert list(neutralise_formulas(df).columns) == ["'=bad", "good"]
    twice = pd.DataFrame([["=a", 1, "@b"]], columns=["目标", "n", "目标"])  # repeated header
    assert neutralise_formulas(twice).iloc[0].tolist() == ["'=a", 1, "'@b"]


def test_write_csv_masks_and_neutralises(tmp_path):
    df = pd.DataFrame({"value": ["33100419900101123X", "=cmd|' /C calc'!A0"], "reason": ["x", "y"],
                       "n": [-1, 2]})
    path = write_csv(df, tmp_path / "r.csv", mask=("value",))
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert back["value"].tolist() == ["331004********123X", "'=cmd|' /C calc'!A0"]
    assert back["n"].tolist() == [-1, 2]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_escape_helpers():
    assert escape_html('<script>alert("1")</script> & co') == \
        "&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; co"
    assert escape_html(None) == ""
    assert escape_markdown("> **示例** <b>x</b> & y") == "> **示例** &lt;b>x&lt;/b> &amp; y"
