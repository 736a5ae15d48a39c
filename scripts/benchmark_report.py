"""Benchmark (not a test): the full report against the bare papermill floor.

The floor is the bare cost of running the same number of notebooks holding only a
parameters cell, each by papermill in its own kernel, timed as whole processes
(``python -m papermill …``, one after the other) in the same benchmark run. A second floor
runs the same empty notebooks through the report's own runner process
(:mod:`eduanalytics.report.runner`: IPC kernel, jsonschema's slow optional import skipped),
so the effect of the runner's trimming can be told from the rest.

Prints every figure and ratio and merges them under the key ``"report"`` into
``reports/bench.json`` (other keys, written by the other benchmarks, are kept).
Run: ``make bench`` or ``python scripts/benchmark_report.py --repeat 2``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from eduanalytics.config import load_config, notebooks_dir
from eduanalytics.report.build import find_notebooks, run_report


def _empty_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell('config = ""\nyear = 0\nas_of = ""',
                                          metadata={"tags": ["parameters"]})]
    src = folder / "empty.ipynb"
    nbformat.write(nb, src)
    return src


def floor_papermill(n: int, cwd: Path) -> float:
    """Seconds for ``n`` ``python -m papermill`` processes on an empty parameterised notebook."""
    with tempfile.TemporaryDirectory() as tmp:
        src = _empty_notebook(Path(tmp))
        t0 = time.perf_counter()
        for i in range(n):
            subprocess.run([sys.executable, "-m", "papermill", str(src), str(Path(tmp) / f"o{i}.ipynb"),
                            "-p", "config", "x", "-p", "year", "2023", "-p", "as_of", "2023-12-31",
                            "--cwd", str(cwd), "--no-progress-bar"],
                           check=True, capture_output=True)
        return time.perf_counter() - t0


def floor_runner(n: int, cwd: Path) -> float:
    """Seconds for ``n`` report-runner processes on the same empty notebook, one after another."""
    with tempfile.TemporaryDirectory() as tmp:
        src = _empty_notebook(Path(tmp))
        t0 = time.perf_counter()
        for i in range(n):
            job = Path(tmp) / f"job{i}.json"
            job.write_text(json.dumps({"input": str(src), "output": str(Path(tmp) / f"r{i}.ipynb"),
                                       "cwd": str(cwd), "parameters": {"year": 2023}}))
            subprocess.run([sys.executable, "-m", "eduanalytics.report.runner", str(job)],
                           check=True, capture_output=True)
        return time.perf_counter() - t0


def merge_json(path: Path, key: str, value: dict) -> None:
    """Write ``value`` under ``key`` in the JSON file at ``path``, keeping its other keys."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--config", default="config/luqiao.yaml")
    ap.add_argument("--year", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the best is reported")
    ap.add_argument("--json", default="reports/bench.json", help="where the figures are merged")
    args = ap.parse_args()
    cfg = load_config(args.config, args.year)
    n = len(find_notebooks(notebooks_dir(cfg.root)))
    reports, floors, runner_floors, per_nb = [], [], [], None
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            out = run_report(cfg, out_dir=Path(tmp) / cfg.region / str(cfg.year), progress=False)
            reports.append(time.perf_counter() - t0)
            per_nb = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["notebooks"]
        floors.append(floor_papermill(n, cfg.root))
        runner_floors.append(floor_runner(n, cfg.root))
    r, f, fr = min(reports), min(floors), min(runner_floors)
    result = {"notebooks": n, "repeat": args.repeat, "report_s": round(r, 2),
              "floor_papermill_s": round(f, 2), "floor_runner_s": round(fr, 2),
              "ratio_report_floor": round(r / f, 2), "ratio_report_runner_floor": round(r / fr, 2),
              "notebook_s": {x["notebook"]: x["seconds"] for x in per_nb or []}}
    print(f"notebooks:                      {n}")
    print(f"full report:                    {r:7.1f} s  (best of {args.repeat})")
    for name, secs in result["notebook_s"].items():
        print(f"  {name:28s} {secs:7.1f} s")
    print(f"floor, papermill processes:     {f:7.1f} s  (best of {args.repeat})")
    print(f"floor, report-runner processes: {fr:7.1f} s  (best of {args.repeat})")
    print(f"ratio report / papermill floor: {r / f:7.2f}")
    print(f"ratio report / runner floor:    {r / fr:7.2f}")
    merge_json(Path(args.json), "report", result)
    print(f"written to {args.json} (key 'report')")


if __name__ == "__main__":
    main()
