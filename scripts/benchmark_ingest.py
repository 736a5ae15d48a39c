"""Benchmark (not a test): the register ingest against its floor, by format and engine.

For N rows (1M by default; 10M too with ``--large``) a seeded register is generated
(scripts/make_large_register.py) as CSV, Parquet and a folder of Parquet parts. Each of the
following runs as a WHOLE SUBPROCESS, timed from start to exit, its peak memory read from
``os.wait4`` (ru_maxrss):

- ``import``: importing the package (the post-import memory baseline);
- ``floor``: pyarrow read + vectorised check digit + group-by of the same file;
- ``ingest``: ``ingest_register`` on it (pandas engine); floor and ingest run ``--repeat``
  times each (3 by default), taking turns, and each keeps its fastest run: on a shared
  machine other work only ever adds time, and one run apiece moved the 10M ratios by
  ±0.5 from one hour to the next;
- ``pandas parts`` / ``dask parts``: the partitioned register on both engines (Dask: a
  LocalCluster of ``--workers`` workers, one thread each, started before the timed call;
  the whole-process time includes its start-up), ``--repeat`` times each, taking turns,
  each keeping its fastest call;
- ``rowloop``: a row-wise Python loop (stdnum check digit, strptime, dict lookups, HMAC per
  row) on a sample, for the "times faster than a row-wise loop" ratio;
- ``xlsx``: a smaller workbook (``--xlsx-rows``), time extrapolated linearly to N.

- ``larger than memory`` (the largest size; needs a register larger than the cap, so
  ``--large``): both engines on the register split into parts of ``--cap-part-rows`` rows,
  every process limited to ``--cap-gib`` GiB of data memory (``RLIMIT_DATA``, set in the
  child and inherited by the Dask scheduler and every worker; Arrow's system allocator in
  both runs, so the limit counts memory in use rather than mimalloc's reservations). The pandas engine must hold
  the whole register and fails with ``MemoryError``; the Dask engine holds one partition
  per worker and writes the clean table as Parquet parts (``out_dir``).

Memory figures: ``peak_mb`` is the largest single process of the run (sampled RSS, and
``os.wait4``'s ru_maxrss); ``total_peak_mb`` the largest sum of RSS over the process tree;
``job_peak_mb`` the larger of ``peak_mb`` and the largest sum of PSS over the tree (forked
workers share their parent's pages: PSS counts a shared page once). The memory target uses
``job_peak_mb``, so the pandas engine's worker processes count.

Prints a table and merges ``{"ingest": ...}`` into ``reports/bench.json`` (with
``--parts-only``, only the engine comparison and the larger-than-memory figures are
replaced). Targets (reported, never asserted): CSV/Parquet <= 3x floor; peak memory above
post-import <= 3x the Arrow size; xlsx 1M <= 60 s; Dask >= pandas from 10M rows; Dask
cleans a register larger than the memory cap; >= 50x a row-wise loop.

Run: ``python scripts/benchmark_ingest.py [--rows 1000000] [--large] [--skip-dask]
[--parts-only]``. ``--large`` adds 10M rows: the pandas engine then needs about 12-14 GB
(run it alone on the machine, once).
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
        workers = sys.argv[3] if len(sys.argv) > 3 else "auto"
        r = ingest_register(sys.argv[1], cfg, engine=sys.argv[2] if len(sys.argv) > 2 else "pandas",
                            training_sheet=None, workers=workers if workers == "auto" else int(workers))
        out = {"call_s": time.perf_counter() - t1, "rows_in": r.rows_in, "clean": r.rows_clean,
               "rejected": r.rows_rejected}
    """,
    "dask": """
        import inspect
        from eduanalytics.config import load_config
        from eduanalytics.ingest import register as reg
        from eduanalytics.ingest.dask_engine import dask_client, run_dask
        from pathlib import Path
        cfg = load_config("luqiao")
        p, out, workers = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
        out = None if out == "-" else Path(out)
        with dask_client(None, n_workers=workers) as client:  # the engine's own local cluster
            t1 = time.perf_counter()
            address = client.scheduler.address
            if out is None or "out_dir" in inspect.signature(reg.ingest_register).parameters:
                kw = {} if out is None else {"out_dir": out}
                r = reg.ingest_register(p, cfg, engine="dask", scheduler=address,
                                        training_sheet=None, **kw)
            else:  # what ingest_register does for engine="dask", plus out_dir
                spec, step = reg.register_spec(cfg, p), f"enrolments[{p.name}]"
                r = run_dask(p, lambda cols: reg.make_rules(cfg, spec, "register", step,
                             reg.get_salt(cfg.root), False, None, cols),
                             lambda raw: reg.prepare(raw, "register", spec, str(p)),
                             scheduler=address, out_dir=out)
            out_parts = len(list(out.glob("*.parquet"))) if out is not None else 0
            out = {"call_s": time.perf_counter() - t1, "rows_in": r.rows_in, "clean": r.rows_clean,
                   "rejected": r.rows_rejected, "parts_written": out_parts}
    """,
    "arrow_size": """
        import pyarrow.parquet as pq
        from eduanalytics.ingest.columnar import parquet_parts
        files = parquet_parts(sys.argv[1])
        out = {"arrow_bytes": sum(pq.read_table(f).nbytes for f in files), "parts": len(files),
               "rows": sum(pq.read_metadata(f).num_rows for f in files)}
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


#: Environment of the capped runs: Arrow's system allocator, so that the data limit counts
#: memory in use (mimalloc, Arrow's default, reserves about 1 GiB of address space at once).
CAPPED_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system"}


def run_child(kind: str, *args: str, cap_bytes: int | None = None, allow_fail: bool = False) -> dict:
    """Run one measurement as a subprocess; wall time and peak memory of the whole process
    tree (the largest process and the largest sum, sampled; and ``os.wait4``'s ru_maxrss).

    ``cap_bytes`` limits every process of the run to that much data memory
    (``RLIMIT_DATA``, inherited by its children). With ``allow_fail``, a failing child gives
    ``{"failed": True, "error": <last line of its stderr>, "memory_error": ...}``.
    """
    import resource
    import tempfile
    import threading

    import psutil

    def limit() -> None:
        if cap_bytes:
            resource.setrlimit(resource.RLIMIT_DATA, (cap_bytes, cap_bytes))

    code = PRELUDE + textwrap.dedent(CHILD[kind]) + "\nprint(json.dumps(out))\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(CAPPED_ENV if cap_bytes else {})}
    peak = {"one": 0, "total": 0, "pss": 0}
    load = round(os.getloadavg()[0], 1)  # other work on the machine skews wall times
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=out, stderr=err,
                                cwd=ROOT, env=env, text=True, preexec_fn=limit)
        done = threading.Event()

        def sample() -> None:
            root = psutil.Process(proc.pid)
            while not done.wait(0.2):
                try:
                    procs = [root, *root.children(recursive=True)]
                    rss = [p.memory_info().rss for p in procs]
                    # proportional set size: a page shared by forked workers counts once
                    pss = sum(getattr(p.memory_full_info(), "pss", 0) for p in procs)
                except psutil.Error:
                    continue
                peak["one"], peak["total"] = max(peak["one"], *rss), max(peak["total"], sum(rss))
                peak["pss"] = max(peak["pss"], pss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        done.set()
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    mem = {"peak_mb": max(usage.ru_maxrss, peak["one"] // 1024),  # KiB on Linux
           "total_peak_mb": peak["total"] // 1024,
           # the whole job's memory: the largest process, or all of them together counting
           # each shared page once (sampled PSS), whichever is larger
           "job_peak_mb": max(usage.ru_maxrss, peak["one"] // 1024, peak["pss"] // 1024),
           # CPU seconds of the child and the children it reaped (the Dask workers)
           "cpu_s": round(usage.ru_utime + usage.ru_stime, 1), "load_before": load}
    if proc.returncode != 0:
        if not allow_fail:
            raise SystemExit(f"{kind} {args} failed:\n{errors[-3000:]}")
        log = Path(tempfile.gettempdir()) / f"benchmark_ingest_{kind}_{os.getpid()}.log"
        log.write_text(errors, encoding="utf-8")
        last = next((ln for ln in reversed(errors.strip().splitlines()) if ln.strip()), "")
        ours = re.findall(r'File ".*?/eduanalytics/([\w/]+\.py)", line (\d+), in (\w+)', errors)
        return {"failed": True, "error": last[:300], "wall_s": round(wall, 2), "stderr": str(log),
                "where": "{2} ({0}:{1})".format(*ours[-1]) if ours else "",
                "memory_error": "MemoryError" in errors, **mem}
    res = json.loads(text.strip().splitlines()[-1])
    res.update(wall_s=round(wall, 2), **mem)
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


def parts_for(n: int, parts: int) -> int:
    """Parts of the generated partitioned register: ``--parts``, and at least one per
    625,000 rows (10M rows: 16 parts)."""
    return max(parts, n // 625_000)


def bench_size(n: int, data: Path, skip_dask: bool, parts: int, workers: int,
               parts_only: bool = False, pandas_from: dict | None = None, repeat: int = 1) -> dict:
    folder = data / f"{n}"
    if not (folder / "register.csv").exists():
        generate(n, folder, "csv,parquet,parts", parts_for(n, parts))
    res: dict = {"rows": n}
    if not parts_only:
        res.update(bench_formats(n, folder, repeat))
    res["parts"] = bench_parts(folder / "parts", skip_dask, workers, pandas_from, repeat)
    return res


def bench_formats(n: int, folder: Path, repeat: int = 1) -> dict:
    """CSV and Parquet against their floors, and the row-wise loop.

    With ``repeat`` > 1 the floor and the job run that many times, taking turns, and each
    keeps its fastest run (as ``timeit`` does: on a shared machine the other work only
    ever adds time); memory is the largest peak of all the job's runs."""
    base = run_child("import")
    res: dict = {"import": {"wall_s": base["wall_s"], "peak_mb": _mb(base["peak_mb"])}}
    for fmt, path in (("csv", folder / "register.csv"), ("parquet", folder / "register.parquet")):
        floors, runs = [], []
        for _ in range(max(repeat, 1)):
            floors.append(run_child("floor", str(path)))
            runs.append(run_child("ingest", str(path)))
        floor, ing = (min(r, key=lambda x: x["wall_s"]) for r in (floors, runs))
        job_peak_mb = max(r["job_peak_mb"] for r in runs)
        arrow_mb = floor["arrow_bytes"] / 2**20
        above = (job_peak_mb - base["job_peak_mb"]) / 1024  # worker processes included
        res[fmt] = {
            "runs": len(runs), "floor_runs_s": [f["wall_s"] for f in floors],
            "ingest_runs_s": [r["wall_s"] for r in runs],
            "floor_s": floor["wall_s"], "ingest_s": ing["wall_s"], "call_s": round(ing["call_s"], 2),
            "ratio_to_floor": round(ing["wall_s"] / floor["wall_s"], 2),
            "rows_per_s": round(n / ing["wall_s"]), "arrow_mb": round(arrow_mb, 1),
            "peak_mb": _mb(max(r["peak_mb"] for r in runs)), "job_peak_mb": _mb(job_peak_mb),
            "floor_peak_mb": _mb(floor["peak_mb"]),
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
    return res


def bench_parts(folder: Path, skip_dask: bool, workers: int, pandas_from: dict | None = None,
                repeat: int = 1) -> dict:
    """The same partitioned register on both engines (Dask: a local cluster of ``workers``
    workers, one thread each). ``pandas_from``: the pandas figures of an earlier run to
    reuse (``--reuse-pandas``: at 10M rows the pandas engine needs ~12 GB). With ``repeat``
    > 1 the two engines run that many times, taking turns, each keeping its fastest call
    (as the formats' floor and job do)."""
    reuse = bool(pandas_from and "pandas_call_s" in pandas_from)
    pandas_runs, dask_runs = [], []
    for _ in range(max(repeat, 1)):
        if not reuse:
            pandas_runs.append(run_child("ingest", str(folder), "pandas"))
        if not skip_dask:
            dask_runs.append(run_child("dask", str(folder), "-", str(workers)))
    if reuse:
        res = {k: v for k, v in pandas_from.items() if k.startswith("pandas_")}
        res.update(n_parts=len(list(folder.glob("*.parquet"))), pandas_reused=True)
        pp = {"rows_in": res.get("pandas_rows_in"), "clean": res.get("pandas_clean"),
              "rejected": res.get("pandas_rejected"), "wall_s": res["pandas_s"],
              "call_s": res["pandas_call_s"]}
    else:
        pp = min(pandas_runs, key=lambda r: r["call_s"])
        res = {"n_parts": len(list(folder.glob("*.parquet"))), "pandas_s": pp["wall_s"],
               "pandas_call_runs_s": [round(r["call_s"], 2) for r in pandas_runs],
               "pandas_call_s": round(pp["call_s"], 2), "pandas_peak_mb": _mb(pp["peak_mb"]),
               "pandas_cpu_s": pp["cpu_s"], "pandas_load_before": pp["load_before"],
               "pandas_rows_in": pp["rows_in"], "pandas_clean": pp["clean"],
               "pandas_rejected": pp["rejected"]}
        one = run_child("ingest", str(folder), "pandas", "1")  # without worker processes
        res.update(pandas_one_process_s=one["wall_s"], pandas_one_process_call_s=round(one["call_s"], 2))
    if not skip_dask:
        dk = min(dask_runs, key=lambda r: r["call_s"])
        same = all((d["rows_in"], d["clean"], d["rejected"]) == (pp["rows_in"], pp["clean"], pp["rejected"])
                   for d in dask_runs)
        res.update(dask_workers=workers, dask_s=dk["wall_s"], dask_call_s=round(dk["call_s"], 2),
                   dask_call_runs_s=[round(d["call_s"], 2) for d in dask_runs],
                   dask_over_pandas=round(pp["call_s"] / dk["call_s"], 2),
                   dask_over_pandas_whole_process=round(pp["wall_s"] / dk["wall_s"], 2),
                   dask_over_pandas_one_process=(round(res["pandas_one_process_call_s"] / dk["call_s"], 2)
                                                 if "pandas_one_process_call_s" in res else None),
                   dask_peak_mb=_mb(dk["peak_mb"]), dask_total_peak_mb=_mb(dk["total_peak_mb"]),
                   dask_cpu_s=dk["cpu_s"], dask_load_before=dk["load_before"], same_counts=same)
    return res


def bench_larger_than_memory(n: int, data: Path, cap_gib: float, part_rows: int,
                             workers: int) -> dict:
    """Both engines on an n-row register under the same per-process memory cap."""
    import shutil

    folder = data / f"{n}"
    parts = folder / f"parts_{part_rows}"
    if not parts.exists():
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_large_register.py"), "--resplit",
                        str(folder / "register.parquet"), "--part-rows", str(part_rows),
                        "--out", str(parts)], check=True, env=env, cwd=ROOT)
    size = run_child("arrow_size", str(parts))
    cap = int(cap_gib * 2**30)
    res: dict = {"cap": f"{cap_gib:g} GiB of data memory per process (RLIMIT_DATA), every "
                 "process of the run: the pandas process; the Dask client+scheduler, nannies "
                 "and workers; Arrow's system allocator in both runs",
                 "cap_mb": round(cap / 2**20), "rows": size["rows"],
                 "n_parts": size["parts"], "part_rows": part_rows,
                 "arrow_mb": round(size["arrow_bytes"] / 2**20, 1),
                 "register_over_cap": round(size["arrow_bytes"] / cap, 2)}
    if size["arrow_bytes"] <= cap:
        res["skipped"] = "the register is not larger than the cap (use --large)"
        return res
    pd_run = run_child("ingest", str(parts), "pandas", cap_bytes=cap, allow_fail=True)
    res["pandas"] = ({"ok": False, "memory_error": pd_run["memory_error"], "error": pd_run["error"],
                      "where": pd_run["where"], "failed_after_s": pd_run["wall_s"],
                      "peak_mb": _mb(pd_run["peak_mb"])}
                     if pd_run.get("failed") else
                     {"ok": True, "wall_s": pd_run["wall_s"], "peak_mb": _mb(pd_run["peak_mb"])})
    out = data / f"clean_parts_{n}"
    shutil.rmtree(out, ignore_errors=True)
    dk = run_child("dask", str(parts), str(out), str(workers), cap_bytes=cap, allow_fail=True)
    shutil.rmtree(out, ignore_errors=True)
    res["dask"] = ({"ok": False, "memory_error": dk["memory_error"], "error": dk["error"],
                    "where": dk["where"], "failed_after_s": dk["wall_s"]} if dk.get("failed") else
                   {"ok": True, "workers": workers, "wall_s": dk["wall_s"],
                    "call_s": round(dk["call_s"], 2), "rows_in": dk["rows_in"], "clean": dk["clean"],
                    "rejected": dk["rejected"], "clean_parts_written": dk["parts_written"],
                    "largest_process_peak_mb": _mb(dk["peak_mb"]),
                    "all_processes_peak_mb": _mb(dk["total_peak_mb"])})
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
    ap.add_argument("--large", action="store_true", help="also 10M rows (pandas needs ~12-14 GB)")
    ap.add_argument("--xlsx-rows", type=int, default=50_000)
    ap.add_argument("--parts", type=int, default=8, help="parts of a generated register (at "
                    "least one per 625,000 rows)")
    ap.add_argument("--workers", type=int, default=4, help="Dask workers (one thread each)")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--parts-only", action="store_true", help="only the engines on the "
                    "partitioned register and the larger-than-memory run")
    ap.add_argument("--cap-gib", type=float, default=1.0, help="per-process memory cap of the "
                    "larger-than-memory run")
    ap.add_argument("--cap-part-rows", type=int, default=125_000)
    ap.add_argument("--skip-cap", action="store_true", help="no larger-than-memory run")
    ap.add_argument("--reuse-pandas", action="store_true", help="keep the pandas engine's "
                    "figures on the parts from bench.json (run Dask only)")
    ap.add_argument("--cap-only", action="store_true", help="only the larger-than-memory run "
                    "(on the largest size)")
    ap.add_argument("--skip-xlsx", action="store_true", help="keep the xlsx figures of bench.json")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each floor and job (CSV, "
                    "Parquet), taking turns; each keeps its fastest")
    ap.add_argument("--data", type=Path, default=Path("/tmp/eduanalytics_bench"))
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench.json")
    args = ap.parse_args()
    sizes = [args.rows] + ([10_000_000] if args.large else [])
    old = json.loads(args.out.read_text(encoding="utf-8")).get("ingest", {}) if args.out.exists() else {}
    result: dict = {**old, "cpus": os.cpu_count(), "sizes": dict(old.get("sizes", {}))}
    for n in [] if args.cap_only else sizes:
        before = result["sizes"].get(str(n), {}).get("parts") if args.reuse_pandas else None
        r = bench_size(n, args.data, args.skip_dask, args.parts, args.workers, args.parts_only, before,
                       args.repeat)
        result["sizes"][str(n)] = {**result["sizes"].get(str(n), {}), **r}
        print(json.dumps(r, indent=1, ensure_ascii=False))
        print_parts(r)
    if not args.skip_dask and not args.skip_cap:
        if not (args.data / str(sizes[-1]) / "register.parquet").exists():
            generate(sizes[-1], args.data / str(sizes[-1]), "csv,parquet,parts",
                     parts_for(sizes[-1], args.parts))
        result["larger_than_memory"] = big = bench_larger_than_memory(
            sizes[-1], args.data, args.cap_gib, args.cap_part_rows, args.workers)
        print(json.dumps(big, indent=1, ensure_ascii=False))
        print_cap(big)
    if not (args.parts_only or args.cap_only) and not (args.skip_xlsx and "xlsx" in old):
        result["xlsx"] = bench_xlsx(args.rows, args.xlsx_rows, args.data)
        print("xlsx:", result["xlsx"])
    result["targets_met"] = targets = targets_met(result, args.rows)
    print("targets:", json.dumps(targets, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    merged = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    merged["ingest"] = result
    args.out.write_text(json.dumps(merged, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"written to {args.out}")


def targets_met(result: dict, first_rows: int) -> dict:
    """Each target whose figures exist in ``result`` (old figures kept from bench.json
    count too)."""
    sizes = result["sizes"]
    formats = {n: r for n, r in sizes.items() if "csv" in r and "parquet" in r}
    targets = {f"csv_parquet_le_3x_floor_{n}": all(r[f]["ratio_to_floor"] <= 3 for f in ("csv", "parquet"))
               for n, r in formats.items()}
    if formats:
        targets["memory_le_3x_arrow"] = all(r[f]["memory_ratio_to_arrow"] <= 3 for r in formats.values()
                                            for f in ("csv", "parquet"))
    if "xlsx" in result:
        x = result["xlsx"]  # per 1M rows from its own run (kept figures may come from another --rows)
        targets["xlsx_1m_le_60s (extrapolated)"] = x["call_s"] * 1_000_000 / x["rows"] <= 60
    if "rowloop" in sizes.get(str(first_rows), {}):
        targets["ge_50x_rowloop"] = sizes[str(first_rows)]["rowloop"]["speedup_csv_call"] >= 50
    for n, r in sizes.items():
        if int(n) >= 10_000_000 and "dask_over_pandas" in r.get("parts", {}):
            targets[f"dask_ge_pandas_{int(n) // 1_000_000}m"] = r["parts"]["dask_over_pandas"] >= 1
    big = result.get("larger_than_memory", {})
    if "dask" in big:
        targets["dask_cleans_register_larger_than_memory_cap"] = (
            big["dask"]["ok"] and not big["pandas"]["ok"] and big["register_over_cap"] > 1)
    return targets


def print_parts(r: dict) -> None:
    p = r["parts"]
    line = (f"{r['rows']:,} rows in {p['n_parts']} Parquet parts:\n  pandas: {p['pandas_call_s']} s "
            f"(whole process {p['pandas_s']} s, {p['pandas_cpu_s']} CPU-s, peak "
            f"{p['pandas_peak_mb']} MB; load average before {p['pandas_load_before']}; "
            f"calls {p.get('pandas_call_runs_s')})")
    if "pandas_one_process_call_s" in p:
        line += (f"\n  pandas on one process (workers: 1): {p['pandas_one_process_call_s']} s "
                 f"(whole process {p['pandas_one_process_s']} s)")
    if "dask_call_s" in p:
        line += (f"\n  Dask, {p['dask_workers']} workers x 1 thread on {os.cpu_count()} cores: "
                 f"{p['dask_call_s']} s (whole process with cluster start-up {p['dask_s']} s, "
                 f"{p['dask_cpu_s']} CPU-s, largest process {p['dask_peak_mb']} MB, all "
                 f"{p['dask_total_peak_mb']} MB; load average before {p['dask_load_before']}; "
                 f"calls {p.get('dask_call_runs_s')})\n"
                 f"  Dask/pandas speed {p['dask_over_pandas']}x (whole process "
                 f"{p['dask_over_pandas_whole_process']}x; against pandas on one process "
                 f"{p.get('dask_over_pandas_one_process')}x); same counts: {p['same_counts']}")
    print(line)


def print_cap(big: dict) -> None:
    print(f"larger than memory: {big['rows']:,} rows, {big['arrow_mb']} MB as Arrow, in "
          f"{big['n_parts']} parts of <= {big['part_rows']:,} rows; cap {big['cap']} "
          f"({big['cap_mb']} MB; the register is {big['register_over_cap']}x the cap)")
    if "skipped" in big:
        print("  skipped:", big["skipped"])
        return
    pd_, dk = big["pandas"], big["dask"]
    print("  pandas:", f"FAILED after {pd_['failed_after_s']} s in {pd_['where']}: {pd_['error']}"
          if not pd_["ok"] else f"completed in {pd_['wall_s']} s (the cap did not bind)")
    print("  dask:  ", f"FAILED after {dk['failed_after_s']} s in {dk['where']}: {dk['error']}"
          if not dk["ok"]
          else f"completed in {dk['wall_s']} s ({dk['clean']:,} clean rows written as "
          f"{dk['clean_parts_written']} Parquet parts, {dk['rejected']:,} rejected; largest "
          f"process {dk['largest_process_peak_mb']} MB, all processes together "
          f"{dk['all_processes_peak_mb']} MB)")


if __name__ == "__main__":
    main()
