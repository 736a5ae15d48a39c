"""Benchmark (not a test): the full report against its floor.

The floor is the bare cost of starting a kernel and running the same number of EMPTY
notebooks (one parameters cell each) through papermill. Prints both times and their ratio.
Run: ``make bench`` or ``python scripts/benchmark_report.py --repeat 2``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

from eduanalytics.config import load_config, notebooks_dir
from eduanalytics.report.build import find_notebooks, run_report


def floor(n: int, cwd: Path) -> float:
    """Seconds to run ``n`` empty parameterised notebooks through papermill."""
    with tempfile.TemporaryDirectory() as tmp:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_code_cell('config = ""\nyear = 0\nas_of = ""',
                                              metadata={"tags": ["parameters"]})]
        src = Path(tmp) / "empty.ipynb"
        nbformat.write(nb, src)
        t0 = time.perf_counter()
        for i in range(n):
            pm.execute_notebook(str(src), str(Path(tmp) / f"out{i}.ipynb"),
                                parameters={"config": "x", "year": 2023, "as_of": "2023-12-31"},
                                cwd=str(cwd), progress_bar=False, kernel_name="python3")
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--config", default="config/luqiao.yaml")
    ap.add_argument("--year", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the best is reported")
    args = ap.parse_args()
    cfg = load_config(args.config, args.year)
    n = len(find_notebooks(notebooks_dir(cfg.root)))
    reports, floors = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            run_report(cfg, out_dir=Path(tmp) / cfg.region / str(cfg.year), progress=False)
            reports.append(time.perf_counter() - t0)
        floors.append(floor(n, cfg.root))
    r, f = min(reports), min(floors)
    print(f"notebooks:            {n}")
    print(f"full report:          {r:7.1f} s  (best of {args.repeat})")
    print(f"floor (empty nbs):    {f:7.1f} s  (best of {args.repeat})")
    print(f"ratio report / floor: {r / f:7.2f}")


if __name__ == "__main__":
    main()
