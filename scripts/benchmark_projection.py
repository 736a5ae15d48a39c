"""Benchmark (not a test): the schooling projection over many units, and the inverse search.

Builds N synthetic units by rescaling the bundled example's census streets (5-year bands by
sex and attainment, ages 6-59), then times

* ``project(..., by="unit_id")`` of all N units over 10 years (target: <= 2 s for 40,000,
  scaled to N; best of two runs), printed with its ratio to the target and units/s, split
  into the checks + single-year array (``prepare``) and the yearly steps (``run``);
* the same batched call as it was at ``--batched-before`` (default: the revision before
  the input checks were vectorised over the stacked table), in the same run, with a check
  that both give the same figures;
* the one-unit call, on the example district pooled;
* a loop of one-unit calls (the only way before ``by``), extrapolated to N units;
* ``completions_needed`` now, and — when ``--before`` names a git revision holding the
  bisection version (default: the revision before this change) — the same call then.

Prints the figures and merges them under the key ``"projection"`` into
``reports/bench.json`` (created when absent; other keys are kept). Run:
``python scripts/benchmark_projection.py --units 40000`` (after ``make clean-data``, or with
``--processed <folder>``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np
import pandas as pd

from eduanalytics.catalog import load_tables
from eduanalytics.config import load_config
from eduanalytics.indicators.projection import project
from eduanalytics.indicators.projection_arrays import moves_from_frame, prepare, run
from eduanalytics.indicators.targets_needed import completions_needed

ROOT = Path(__file__).resolve().parents[1]
STEPS = {"secondary_upgrade": {"primary": "junior_secondary", "junior_secondary": "senior_secondary"},
         "tertiary_upgrade": {"senior_secondary": "junior_college"}}
LEVEL_MIX = {"secondary_upgrade": {"primary": 0.3, "junior_secondary": 0.7},
             "tertiary_upgrade": {"senior_secondary": 1.0}}
MIX = {"secondary_upgrade": 0.3, "tertiary_upgrade": 0.7}
TARGET_S, TARGET_UNITS = 2.0, 40_000  # issue 12: 40,000 units x 10 years in <= 2 s


def _census(source) -> pd.DataFrame:
    pop = load_tables(source)["population"]
    return pop[(pop["source"] == "census") & pop["attainment"].notna()]


def _units(census: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """n units: the example's streets repeated, each count scaled by a random factor."""
    c = census[census["age_min"].le(59)]
    streets = [g for _, g in c.groupby("unit_id")]
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(streets), n)
    sizes = np.array([len(streets[i]) for i in pick])
    rows = pd.concat([streets[i] for i in range(len(streets))], ignore_index=True)
    start = np.cumsum([0] + [len(s) for s in streets])
    idx = np.concatenate([np.arange(start[i], start[i + 1]) for i in pick])
    out = rows.iloc[idx].reset_index(drop=True)
    out["unit_id"] = np.repeat([f"u{i:06d}" for i in range(n)], sizes)
    scale = np.repeat(rng.uniform(0.05, 2.0, n), sizes)
    out["count"] = np.round(out["count"].to_numpy(dtype=float) * scale).astype(np.int64)
    return out


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _before(rev: str):
    """The projection and targets_needed modules as they were at ``rev`` (or None)."""
    try:
        src_p = subprocess.run(["git", "show", f"{rev}:src/eduanalytics/indicators/projection.py"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout
        src_t = subprocess.run(["git", "show",
                                f"{rev}:src/eduanalytics/indicators/targets_needed.py"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    if "projection_arrays" in src_p:
        return None  # already the vectorised version
    mods = []
    for name, src in (("_bench_old_projection", src_p), ("_bench_old_targets", src_t)):
        src = src.replace("eduanalytics.indicators.projection import",
                          "_bench_old_projection import")
        mod = types.ModuleType(name)
        sys.modules[name] = mod
        exec(compile(src, name, "exec"), mod.__dict__)  # noqa: S102 - our own file at rev
        mods.append(mod)
    return mods


def _batched_before(rev: str):
    """``project`` with ``by`` as it was at ``rev`` (None when not there)."""
    names = ("projection_input", "projection_arrays", "projection")
    srcs = {}
    for name in names:
        try:
            srcs[name] = subprocess.run(
                ["git", "show", f"{rev}:src/eduanalytics/indicators/{name}.py"], cwd=ROOT,
                capture_output=True, text=True, check=True).stdout
        except (subprocess.CalledProcessError, FileNotFoundError):
            if name != "projection_input":  # a later module
                return None
    if "by: str | None" not in srcs["projection"]:
        return None  # no batched call yet
    mod = None
    for name in names:
        if name not in srcs:
            continue
        src = srcs[name]
        for dep in names:
            src = src.replace(f"eduanalytics.indicators.{dep} import", f"_bench_b_{dep} import")
        mod = types.ModuleType(f"_bench_b_{name}")
        sys.modules[mod.__name__] = mod
        exec(compile(src, mod.__name__, "exec"), mod.__dict__)  # noqa: S102 - our file at rev
    return mod


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--units", type=int, default=40_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--before", default="5b0bd72", help="git revision of the earlier version")
    ap.add_argument("--batched-before", default="d1e8f2e",
                    help="git revision of the earlier batched projection ('' to skip)")
    ap.add_argument("--out", default=str(ROOT / "reports" / "bench.json"))
    ap.add_argument("--processed", default=None,
                    help="folder of processed tables (default: the example's, after make clean-data)")
    args = ap.parse_args()
    cfg = load_config("luqiao")
    census = _census(args.processed or cfg)
    pop = _units(census, args.units)
    target = 2020 + args.years
    comp = pd.DataFrame({"year": [2021, 2022, 2023], "level_from": ["primary"] * 3,
                         "level_to": ["junior_secondary"] * 3, "count": [5.0, 5.0, 5.0]})
    res: dict[str, object] = {"units": args.units, "years": args.years, "rows": len(pop)}

    t_all, many = _timed(lambda: project(pop, 2020, target, completions=comp, by="unit_id"),
                         repeat=2)
    t_prep, base = _timed(lambda: prepare(pop, 20, 59, by="unit_id", completions=[comp]),
                          repeat=2)
    moves = moves_from_frame(comp, base)
    t_run, _ = _timed(lambda: run(base, moves, 2020, target), repeat=3)
    target_s = TARGET_S * args.units / TARGET_UNITS
    res.update(many_units_s=round(t_all, 3), many_units_prepare_s=round(t_prep, 3),
               many_units_run_s=round(t_run, 3), many_units_target_s=round(target_s, 3),
               many_units_vs_target=round(t_all / target_s, 3),
               units_per_s=round(args.units / t_all))
    print(f"project(by='unit_id'): {args.units:,} units ({len(pop):,} rows) x {args.years} years "
          f"in {t_all:.2f} s = {t_all / target_s:.2f} x the target of {target_s:.2f} s "
          f"({args.units / t_all:,.0f} units/s; checks + single-year array {t_prep:.2f} s, "
          f"yearly steps {t_run:.2f} s)")
    old_b = _batched_before(args.batched_before) if args.batched_before else None
    if old_b is not None:
        t_b, many_b = _timed(lambda: old_b.project(pop, 2020, target, completions=comp,
                                                   by="unit_id"), repeat=2)
        diff = float(np.abs(many_b["mean_years"].to_numpy() - many["mean_years"].to_numpy()).max())
        res.update(batched_before_rev=args.batched_before, batched_before_s=round(t_b, 3),
                   batched_speedup=round(t_b / t_all, 2), batched_max_abs_diff=diff)
        print(f"  the same at {args.batched_before}: {t_b:.2f} s ({t_b / t_all:.1f}x slower; "
              f"largest difference in mean_years {diff:.1e})")
        del many_b

    district = census.assign(unit_id="district")
    t_one, _ = _timed(lambda: project(district, 2020, target, completions=comp), repeat=5)
    res["one_unit_ms"] = round(1000 * t_one, 1)
    print(f"project, one unit (example district pooled): {1000 * t_one:.1f} ms")

    sample = [g for _, g in pop.groupby("unit_id", sort=False)][:50]
    t_loop, _ = _timed(lambda: [project(g, 2020, target, completions=comp) for g in sample])
    per = t_loop / len(sample)
    res["loop_per_unit_ms"] = round(1000 * per, 1)
    res["loop_extrapolated_s"] = round(per * args.units, 1)
    print(f"one call per unit: {1000 * per:.1f} ms each -> {per * args.units:,.0f} s for "
          f"{args.units:,} units (extrapolated from {len(sample)})")
    chk = project(sample[0], 2020, target, completions=comp)
    got = many[many["unit_id"] == sample[0]["unit_id"].iloc[0]]["mean_years"].to_numpy()
    res["max_abs_diff_vs_alone"] = float(np.abs(got - chk["mean_years"].to_numpy()).max())

    kw = {"age_min": 20, "age_max": 59, "start_year": 2023}
    t_need, need = _timed(lambda: completions_needed(district, 2020, 2027, 11.0, MIX, STEPS,
                                                     LEVEL_MIX, **kw), repeat=3)
    res["completions_needed_s"] = round(t_need, 3)
    print(f"completions_needed: {t_need:.3f} s (per year {need.per_year}, most "
          f"{need.max_per_year})")
    old = _before(args.before)
    if old is not None:
        old_proj, old_tn = old
        t_old1, _ = _timed(lambda: old_proj.project(district, 2020, target, completions=comp),
                           repeat=5)
        t_oldn, old_need = _timed(lambda: old_tn.completions_needed(
            district, 2020, 2027, 11.0, MIX, STEPS, LEVEL_MIX, **kw))
        same = (old_need.per_year, old_need.max_per_year) == (need.per_year, need.max_per_year)
        res.update(before_rev=args.before, before_one_unit_ms=round(1000 * t_old1, 1),
                   before_loop_extrapolated_s=round(t_old1 * args.units, 1),
                   before_completions_needed_s=round(t_oldn, 3), completions_needed_same=same)
        print(f"before ({args.before}): one unit {1000 * t_old1:.1f} ms (x {args.units:,} units "
              f"= {t_old1 * args.units:,.0f} s); completions_needed {t_oldn:.2f} s; same answer: "
              f"{same}")
    else:
        print(f"before: revision {args.before!r} not available; skipped")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    data["projection"] = res
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"merged 'projection' into {out}")


if __name__ == "__main__":
    main()
