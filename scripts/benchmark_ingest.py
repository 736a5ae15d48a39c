"""Benchmark (not a test): the register ingest against its floor, by format and engine.

For N rows (1M by default; 10M too with ``--large``) a seeded register is generated
(scripts/make_large_register.py) as CSV, Parquet and a folder of Parquet parts. Each of the
following runs as a WHOLE SUBPROCESS, timed from start to exit, its peak memory read from
``os.wait4`` (ru_maxrss):

- ``import``: importing the package (the post-import memory baseline);
- ``floor``: pyarrow read + vectorised check digit + group-by of the same file;
- ``ingest``: ``ingest_register`` on it (pandas engine);
- ``pandas parts`` / ``dask parts``: the partitioned register on both engines (Dask: a
  LocalCluster of 4 workers, one thread each);
- ``rowloop``: a row-wise Python loop (stdnum check digit, strptime, dict lookups, HMAC per
  row) on a sample, for the "times faster than a row-wise loop" ratio;
- ``xlsx``: a smaller workbook (``--xlsx-rows``), time extrapolated linearly to N.

Prints a table and merges ``{"ingest": ...}`` into ``reports/bench.json``. Targets (reported,
never asserted): CSV/Parquet <= 3x floor; peak memory above post-import <= 3x the Arrow
size; xlsx 1M <= 60 s; Dask >= pandas from 10M rows; >= 50x a row-wise loop.

Run: ``python scripts/benchmark_ingest.py [--rows 1000000] [--large] [--skip-dask]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PRELUDE = textwrap.dedent("""
    import json, os, sys, time
    os.environ.setdefault("EDUANALYTICS_SALT", "bench-salt")
    t0 = time.perf_counter()
""")

CHILD = {
    "import": """
        import pandas, pyarrow, numpy
        import eduanalytics.ingest.register, eduanalytics.ingest.columnar
        out = {}
    """,
    "floor": """
        import numpy as np, pyarrow as pa, pyarrow.compute as pc
        import pyarrow.csv as pacsv, pyarrow.parquet as pq
        import eduanalytics.ingest.register, eduanalytics.ingest.columnar
        from eduanalytics.normalise.idnumber import check_characters
        p = sys.argv[1]
        if p.endswith(".csv"):
            names = open(p, encoding="utf-8").readline().strip().replace('"', "").split(",")
            t = pacsv.read_csv(p, convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}))
        else:
            t = pq.read_table(p)
        ids = t.column("身份证号").combine_chunks()
        ok = pc.match_substring_regex(ids, "^[0-9]{17}[0-9X]$").to_numpy(zero_copy_only=False)
        good = ids.filter(pa.array(ok))
        off = np.frombuffer(good.buffers()[1], dtype=np.int32)[good.offset:good.offset + len(good) + 1]
        m = np.frombuffer(good.buffers()[2], dtype=np.uint8)[off[0]:off[-1]].reshape(-1, 18)
        valid = check_characters(m) == m[:, 17]
        g = pa.table({"unit": t.column("所属单位").filter(pa.array(ok)), "v": valid}).group_by("unit").aggregate([("v", "sum")])
        out = {"arrow_bytes": t.nbytes, "rows": t.num_rows, "groups": g.num_rows}
    """,
    "ingest": """
        from eduanalytics.config import load_config
        from eduanalytics.ingest.register import ingest_register
        cfg = load_config("luqiao")
        t1 = time.perf_counter()
        r = ingest_register(sys.argv[1], cfg, engine=sys.argv[2] if len(sys.argv) > 2 else "pandas",
                            training_sheet=None)
        out = {"call_s": time.perf_counter() - t1, "rows_in": r.rows_in, "clean": r.rows_clean,
               "rejected": r.rows_rejected}
    """,
    "dask": """
        from distributed import LocalCluster
        from eduanalytics.config import load_config
        from eduanalytics.ingest.register import ingest_register
        cfg = load_config("luqiao")
        with LocalCluster(n_workers=4, threads_per_worker=1, dashboard_address=None) as c:
            t1 = time.perf_counter()
            r = ingest_register(sys.argv[1], cfg, engine="dask", scheduler=c.scheduler_address)
            out = {"call_s": time.perf_counter() - t1, "rows_in": r.rows_in, "clean": r.rows_clean,
                   "rejected": r.rows_rejected}
    """,
    "rowloop": """
        import csv, datetime as dt, hashlib, hmac, itertools
        from stdnum.cn import ric
        from eduanalytics.config import load_config
        from eduanalytics.normalise.units import build_unit_lookup
        lookup = build_unit_lookup(load_config("luqiao").units())
        n = int(sys.argv[2])
        key = b"bench-salt"
        seen, clean = set(), 0
        t1 = time.perf_counter()
        with open(sys.argv[1], encoding="utf-8") as fh:
            for row in itertools.islice(csv.DictReader(fh), n):
                i = row["身份证号"].strip().upper()
                if len(i) != 18 or ric.calc_check_digit(i) != i[17]:
                    continue
                d = None
                for f in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"):
                    try:
                        d = dt.datetime.strptime(row["报名日期"], f)
                        break
                    except ValueError:
                        pass
                u = lookup.get((row["所属单位"] or "").replace(" ", ""))
                k = hmac.new(key, i.encode(), hashlib.sha256).hexdigest()[:16]
                if d is None or u is None or (k, row["项目类别"]) in seen:
                    continue
                seen.add((k, row["项目类别"]))
                clean += 1
        out = {"call_s": time.perf_counter() - t1, "rows": n, "clean": clean}
    """,
}


def run_child(kind: str, *args: str) -> dict:
    """Run one measurement as a subprocess; wall time and peak RSS (``os.wait4``) of the
    whole process."""
    import tempfile

    code = PRELUDE + textwrap.dedent(CHILD[kind]) + "\nprint(json.dumps(out))\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=out, stderr=err,
                                cwd=ROOT, env=env, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"{kind} {args} failed:\n{errors[-3000:]}")
    res = json.loads(text.strip().splitlines()[-1])
    res.update(wall_s=round(wall, 2), peak_mb=usage.ru_maxrss)  # KiB on Linux
    return res


def _mb(kb: int | None) -> float | None:
    return None if kb is None else round(kb / 1024, 1)


def generate(n: int, folder: Path, formats: str, parts: int) -> None:
    """Generate the input in a subprocess: this process must stay small, because a child's
    peak RSS (ru_maxrss) starts from the parent's RSS at fork time on Linux."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_large_register.py"), "--rows", str(n),
                    "--out", str(folder), "--formats", formats, "--parts", str(parts)],
                   check=True, env=env, cwd=ROOT)


def bench_size(n: int, data: Path, skip_dask: bool, parts: int) -> dict:
    folder = data / f"{n}"
    if not (folder / "register.csv").exists():
        generate(n, folder, "csv,parquet,parts", parts)
    base = run_child("import")
    res: dict = {"rows": n, "import": {"wall_s": base["wall_s"], "peak_mb": _mb(base["peak_mb"])}}
    for fmt, path in (("csv", folder / "register.csv"), ("parquet", folder / "register.parquet")):
        floor = run_child("floor", str(path))
        ing = run_child("ingest", str(path))
        arrow_mb = floor["arrow_bytes"] / 2**20
        above = (ing["peak_mb"] - base["peak_mb"]) / 1024
        res[fmt] = {
            "floor_s": floor["wall_s"], "ingest_s": ing["wall_s"], "call_s": round(ing["call_s"], 2),
            "ratio_to_floor": round(ing["wall_s"] / floor["wall_s"], 2),
            "rows_per_s": round(n / ing["wall_s"]), "arrow_mb": round(arrow_mb, 1),
            "peak_mb": _mb(ing["peak_mb"]), "floor_peak_mb": _mb(floor["peak_mb"]),
            "peak_above_import_mb": round(above, 1),
            "memory_ratio_to_arrow": round(above / arrow_mb, 2),
            "rows_in": ing["rows_in"], "clean": ing["clean"], "rejected": ing["rejected"],
        }
    sample = min(n, 50_000)
    loop = run_child("rowloop", str(folder / "register.csv"), str(sample))
    loop_rate = sample / loop["call_s"]
    res["rowloop"] = {"rows": sample, "rows_per_s": round(loop_rate),
                      "extrapolated_s": round(n / loop_rate, 1),
                      "speedup_csv_call": round((n / res["csv"]["call_s"]) / loop_rate, 1),
                      "speedup_csv_whole_process": round((n / res["csv"]["ingest_s"]) / loop_rate, 1)}
    pp = run_child("ingest", str(folder / "parts"), "pandas")
    res["parts"] = {"n_parts": parts, "pandas_s": pp["wall_s"], "pandas_call_s": round(pp["call_s"], 2)}
    if not skip_dask:
        dk = run_child("dask", str(folder / "parts"))
        same = (dk["rows_in"], dk["clean"], dk["rejected"]) == (pp["rows_in"], pp["clean"], pp["rejected"])
        res["parts"].update(dask_s=dk["wall_s"], dask_call_s=round(dk["call_s"], 2),
                            dask_over_pandas=round(pp["call_s"] / dk["call_s"], 2), same_counts=same)
    return res


def bench_xlsx(n_target: int, rows: int, data: Path) -> dict:
    folder = data / f"xlsx_{rows}"
    if not (folder / "register.xlsx").exists():
        generate(rows, folder, "xlsx", 1)
    r = run_child("ingest", str(folder / "register.xlsx"))
    return {"rows": rows, "wall_s": r["wall_s"], "call_s": round(r["call_s"], 2),
            "extrapolated_s": round(r["call_s"] * n_target / rows, 1),
            "peak_mb": _mb(r["peak_mb"])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--large", action="store_true", help="also 10M rows")
    ap.add_argument("--xlsx-rows", type=int, default=50_000)
    ap.add_argument("--parts", type=int, default=8)
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--skip-xlsx", action="store_true", help="keep the xlsx figures of bench.json")
    ap.add_argument("--data", type=Path, default=Path("/tmp/eduanalytics_bench"))
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench.json")
    args = ap.parse_args()
    sizes = [args.rows] + ([10_000_000] if args.large else [])
    result: dict = {"cpus": os.cpu_count(), "sizes": {}}
    for n in sizes:
        result["sizes"][str(n)] = r = bench_size(n, args.data, args.skip_dask, args.parts)
        print(json.dumps(r, indent=1, ensure_ascii=False))
    old = json.loads(args.out.read_text(encoding="utf-8")).get("ingest", {}) if args.out.exists() else {}
    if args.skip_xlsx and "xlsx" in old:
        result["xlsx"] = old["xlsx"]
    else:
        result["xlsx"] = bench_xlsx(args.rows, args.xlsx_rows, args.data)
    print("xlsx:", result["xlsx"])
    first = result["sizes"][str(sizes[0])]
    targets = {
        f"csv_parquet_le_3x_floor_{n}": all(result["sizes"][str(n)][f]["ratio_to_floor"] <= 3
                                             for f in ("csv", "parquet")) for n in sizes}
    targets.update({
        "memory_le_3x_arrow": all(result["sizes"][str(n)][f]["memory_ratio_to_arrow"] <= 3
                                  for n in sizes for f in ("csv", "parquet")),
        "xlsx_1m_le_60s (extrapolated)": result["xlsx"]["extrapolated_s"] * 1_000_000 / args.rows <= 60,
        "ge_50x_rowloop": first["rowloop"]["speedup_csv_call"] >= 50,
    })
    if not args.skip_dask and args.large:
        targets["dask_ge_pandas_10m"] = result["sizes"]["10000000"]["parts"]["dask_over_pandas"] >= 1
    result["targets_met"] = targets
    print("targets:", json.dumps(targets, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    merged = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    merged["ingest"] = result
    args.out.write_text(json.dumps(merged, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
