"""Benchmark (not a test): how the register normalisers scale with the number of rows.

Replicates the bundled synthetic register's cells to N rows and times each normaliser and
the learner-key hashing, printing rows per second. Run: ``python scripts/benchmark_ingest.py
--rows 10000 100000 1000000``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from stdnum.cn import ric

from eduanalytics.config import load_config
from eduanalytics.ingest.readers import read_xlsx_table
from eduanalytics.normalise.dates import normalise_dates
from eduanalytics.normalise.idnumber import parse_id_numbers
from eduanalytics.normalise.units import normalise_unit_names
from eduanalytics.privacy import learner_key


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = ap.parse_args()
    cfg = load_config("luqiao")
    t0 = time.perf_counter()
    raw = read_xlsx_table(cfg.file("register"), sheet="学历提升",
                          header_keywords=["身份证号", "所属单位", "项目类别"])
    print(f"read_xlsx_table: {len(raw)} rows in {time.perf_counter() - t0:.2f} s")
    units = cfg.units()
    rng = np.random.default_rng(0)
    print(f"{'rows':>10} {'step':<22} {'seconds':>8} {'rows/s':>12}")
    for n in args.rows:
        idx = rng.integers(0, len(raw), n)
        # distinct ID numbers, as in a real province register (check digits from stdnum;
        # building them is setup, not timed)
        birth = pd.Timestamp("1960-01-01") + pd.to_timedelta(rng.integers(0, 15000, n), unit="D")
        bodies = ("331004" + birth.strftime("%Y%m%d") + pd.Series(rng.integers(0, 1000, n)).map("{:03d}".format)).tolist()
        ids = np.array([b + ric.calc_check_digit(b + "0") for b in bodies])
        dates = pd.Series(raw["报名日期"].to_numpy()[idx])
        unit = pd.Series(raw["所属单位"].to_numpy()[idx])
        id_s = pd.Series(ids)
        steps = (("parse_id_numbers", parse_id_numbers, (id_s, "2023-12-31")),
                 ("normalise_dates", normalise_dates, (dates,)),
                 ("normalise_unit_names", normalise_unit_names, (unit, units)),
                 ("learner_key", learner_key, (id_s, "bench-salt")))
        for name, fn, fn_args in steps:
            t = time.perf_counter()
            fn(*fn_args)
            dt = time.perf_counter() - t
            print(f"{n:>10} {name:<22} {dt:>8.2f} {n / dt:>12,.0f}")


if __name__ == "__main__":
    main()
