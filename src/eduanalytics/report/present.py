"""How indicator tables are shown to a person: Chinese labels, unit names, rounding.

Every cell and header is HTML-escaped (a unit called ``<b>x</b>`` shows those characters),
because pandas' Styler, unlike ``DataFrame.to_html``, does not escape by default.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from eduanalytics.labels import relabel_columns, relabel_values

#: Columns whose values are ids with a display label.
CODED = ("programme", "measure", "status", "sex", "base", "reason", "attainment", "scenario",
         "level_from", "level_to", "source", "interval")


def present(df: pd.DataFrame, names: Mapping[str, str] | None = None, lang: str = "zh",
            decimals: int = 2, hide_index: bool = True):
    """A display version of an indicator table (a pandas Styler).

    Unit ids become unit names, coded values and column names their labels from
    :mod:`eduanalytics.labels`, floats are rounded and large numbers get thousands
    separators. Cell text, column names and index labels are HTML-escaped. The table
    itself is not changed.
    """
    out = df.copy()
    if names and "unit_id" in out.columns:
        out["unit_id"] = out["unit_id"].map(lambda u: names.get(str(u), u))
    for col in CODED:
        if col in out.columns:
            out[col] = relabel_values(out[col].astype("object"), lang)
    out = relabel_columns(out, lang)
    styler = out.style.format(precision=decimals, thousands=",", na_rep="—", escape="html")
    styler = styler.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    return styler.hide(axis="index") if hide_index else styler
