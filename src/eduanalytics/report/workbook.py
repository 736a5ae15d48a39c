"""``indicators.xlsx``: every indicator table of the report, a sheet each, Chinese headers."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from eduanalytics.labels import relabel_columns
from eduanalytics.safe_output import neutralise_formulas


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (31 characters, no ``[]*?/\\:``)."""
    base = re.sub(r"[\[\]\*\?/\\:]", "_", name)[:31]
    out, i = base, 2
    while out in used:
        suffix = f"~{i}"
        out, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(out)
    return out


def _flatten(df: pd.DataFrame) -> pd.DataFrame:
    """Lists as comma-joined text, dates as ``YYYY-MM-DD`` (what a workbook can hold)."""
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if col.dtype == object:
            is_seq = col.map(lambda v: isinstance(v, (list, tuple)), na_action="ignore")
            if bool(is_seq.fillna(False).any()):
                out[c] = col.map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
        elif isinstance(col.dtype, pd.DatetimeTZDtype) or str(col.dtype).startswith("datetime"):
            out[c] = col.dt.strftime("%Y-%m-%d")
    return out


def build_workbook(tables: list[Path], path: Path, synthetic: bool) -> Path:
    """Every indicator table in one workbook: a sheet each, Chinese headers, number formats.

    Text cells that a spreadsheet would read as a formula are neutralised
    (:func:`eduanalytics.safe_output.neutralise_formulas`) and xlsxwriter is told never to
    turn strings into formulas or links.
    """
    used: set[str] = set()
    opts = {"options": {"strings_to_formulas": False, "strings_to_urls": False}}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs=opts) as xw:
        wb = xw.book
        fmt_int = wb.add_format({"num_format": "#,##0"})
        fmt_float = wb.add_format({"num_format": "#,##0.00"})
        fmt_pct = wb.add_format({"num_format": "0.0"})
        notes = pd.DataFrame({"说明": [
            "每个工作表是一张指标表（英文列名已换成中文标签）。",
            "示例数据：部分输入为合成数据 (synthetic)。" if synthetic else "输入均为公开数据。",
            "Each sheet is one indicator table; percentages are in percent units."]})
        notes.to_excel(xw, sheet_name=sheet_name("说明", used), index=False)
        for p in tables:
            df = _flatten(pd.read_parquet(p))
            shown = neutralise_formulas(relabel_columns(df))
            sheet = sheet_name(p.stem, used)
            shown.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            for j, c in enumerate(df.columns):
                kind = df[c].dtype.kind if hasattr(df[c].dtype, "kind") else "O"
                fmt = (fmt_pct if ("pct" in c or "rate" in c or "%" in str(c)) and kind == "f"
                       else fmt_int if kind in "iu" else fmt_float if kind == "f" else None)
                ws.set_column(j, j, max(10, min(40, len(str(shown.columns[j])) * 2)), fmt)
    return path
