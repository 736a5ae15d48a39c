"""Benchmark (not a test): the xlsx reader (python-calamine) against openpyxl, and unit-name
matching as the register grows. Prints seconds; asserts nothing.

Run: ``python scripts/benchmark_readers.py --rows 100000 1000000``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from eduanalytics.config import load_config
from eduanalytics.ingest.readers import read_xlsx_table
from eduanalytics.normalise.units import normalise_unit_names


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    args = ap.parse_args()
    cfg = load_config("luqiao")
    path = cfg.file("register")
    t0 = time.perf_counter()
    raw = read_xlsx_table(path, sheet="学历提升", header_keywords=["身份证号", "所属单位", "项目类别"])
    print(f"read_xlsx_table (calamine): {len(raw)} rows in {time.perf_counter() - t0:.2f} s")
    import openpyxl

    t0 = time.perf_counter()
    wb = openpyxl.load_workbook(path, data_only=True)
    n = sum(1 for _ in wb["学历提升"].iter_rows(values_only=True))
    print(f"openpyxl load + iter_rows:  {n} rows in {time.perf_counter() - t0:.2f} s")
    units = cfg.units()
    forms = pd.Series([*units["name"], "台州市路桥区路南街道", "路南街道办事处", "新桥镇人民政府",
                       "路 北 街 道", "金清", "无此单位"])
    rng = np.random.default_rng(0)
    for rows in args.rows:
        s = forms.iloc[rng.integers(0, len(forms), rows)].reset_index(drop=True)
        t0 = time.perf_counter()
        normalise_unit_names(s, units)
        dt = time.perf_counter() - t0
        print(f"normalise_unit_names: {rows:>9} rows in {dt:.2f} s ({rows / dt:,.0f} rows/s)")


if __name__ == "__main__":
    main()
