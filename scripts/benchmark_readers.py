"""Benchmark (not a test): reading an xlsx register, against python-calamine's own floor.

For each workbook, each measurement runs in a fresh process (``--repeat`` times):

- ``calamine``: the floor, python-calamine alone: open, parse the sheet, ``to_python``;
- ``read``: :func:`eduanalytics.ingest.readers.read_xlsx_table` as the register step calls
  it (header found by its words), columns built;
- ``ingest``: :func:`eduanalytics.ingest.register.ingest_register` end to end (config
  ``luqiao``, no training sheet), extrapolated linearly to ``--target`` rows.

Workbooks: the generated register (``scripts/make_large_register.py``: every cell text,
inline strings), and a *typed* copy written here once (``--typed``: 序号 as numbers,
ISO dates as date cells, shared strings, as Excel saves a register). Wall and CPU seconds
of the call are printed, and merged into ``reports/bench.json`` as ``{"xlsx_reader": ...}``.
Asserts nothing; the machine's load shows in wall time, less in CPU time.

Run: ``python scripts/benchmark_readers.py --rows 200000 --repeat 2``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: kind -> (setup, timed call); imports and config are set up before the clock starts.
CHILD = {
    "calamine": ("from python_calamine import CalamineWorkbook", """
        ws = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
        n = len(ws.to_python(skip_empty_area=False)) - 1
    """),
    "read": ("""
        from eduanalytics.ingest.readers import read_xlsx_table
        from eduanalytics.ingest.templates import TEMPLATES
        from eduanalytics.normalise import text
        words = [h for c in TEMPLATES["register"] if c.required for h in c.headers[:1]]
    """, """
        n = len(read_xlsx_table(path, sheet="学历提升", header_keywords=words))
    """),
    "ingest": ("""
        from eduanalytics.config import load_config
        from eduanalytics.ingest.register import ingest_register
        cfg = load_config("luqiao")
    """, """
        n = ingest_register(path, cfg, training_sheet=None).rows_in
    """),
}
CLOCK = """
t0, c0 = time.perf_counter(), time.process_time()
"""
EPILOGUE = """
print(json.dumps({"rows": n, "wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}))
"""


def measure(kind: str, path: Path) -> dict:
    """One measurement in a fresh process (this worktree's ``src`` first on the path)."""
    setup, call = CHILD[kind]
    code = ("import json, sys, time\npath = sys.argv[1]\n" + textwrap.dedent(setup) + CLOCK
            + textwrap.dedent(call) + EPILOGUE)
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT / "src"))}
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=False)
    if out.returncode:
        raise SystemExit(f"{kind} on {path} failed:\n{out.stderr[-3000:]}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in res.items()}


def typed_copy(src: Path, dest: Path) -> Path:
    """The register as Excel would save it: 序号 a number, ISO dates date cells, other
    dates and every other cell text (shared strings)."""
    import datetime as dt

    import xlsxwriter
    from python_calamine import CalamineWorkbook

    if dest.exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    rows = CalamineWorkbook.from_path(str(src)).get_sheet_by_index(0).to_python()
    head = rows[0]
    num, date = head.index("序号"), head.index("报名日期")
    wb = xlsxwriter.Workbook(str(dest))
    ws = wb.add_worksheet("学历提升")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, head)
    for i, row in enumerate(rows[1:], start=1):
        ws.write_row(i, 0, row)
        if str(row[num]).isdigit():
            ws.write_number(i, num, int(row[num]))
        text = str(row[date])
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                ws.write_datetime(i, date, dt.datetime.fromisoformat(text), fmt)
            except ValueError:
                pass
    wb.close()
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000, help="size of the generated workbook")
    ap.add_argument("--target", type=int, default=1_000_000, help="rows to extrapolate to")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--kinds", default="calamine,read,ingest")
    ap.add_argument("--no-typed", action="store_true", help="skip the typed workbook")
    ap.add_argument("--data", type=Path, default=Path("/tmp/eduanalytics_bench"))
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench.json")
    args = ap.parse_args()
    plain = args.data / f"xlsx_{args.rows}" / "register.xlsx"
    if not plain.exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_large_register.py"),
                        "--rows", str(args.rows), "--out", str(plain.parent), "--formats", "xlsx"],
                       check=True)
    books = {"text": plain}
    if not args.no_typed:
        books["typed"] = typed_copy(plain, args.data / f"xlsx_typed_{args.rows}" / "register.xlsx")
    result: dict = {"rows": args.rows, "target": args.target, "cpus": os.cpu_count()}
    for name, path in books.items():
        for kind in args.kinds.split(","):
            runs = [measure(kind, path) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["wall_s"])
            entry = {"wall_s": [r["wall_s"] for r in runs], "cpu_s": [r["cpu_s"] for r in runs],
                     "rows": best["rows"],
                     "per_target_s": round(best["wall_s"] * args.target / best["rows"], 1)}
            result[f"{name}.{kind}"] = entry
            print(f"{name:5} {kind:8} rows {best['rows']:>8}  wall {entry['wall_s']} s  "
                  f"cpu {entry['cpu_s']} s  -> {args.target:,} rows: {entry['per_target_s']} s")
        if "calamine" in args.kinds and "read" in args.kinds:
            ratio = min(result[f"{name}.read"]["cpu_s"]) / min(result[f"{name}.calamine"]["cpu_s"])
            result[f"{name}.read_over_calamine_cpu"] = round(ratio, 2)
            print(f"{name:5} read / calamine (CPU): {ratio:.2f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    bench = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    bench["xlsx_reader"] = result
    args.out.write_text(json.dumps(bench, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
