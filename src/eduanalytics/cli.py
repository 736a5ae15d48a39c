"""Command line: ``eduanalytics clean|generate|report|charts|templates``.

Expected problems (a missing config, a file that cannot be used, a failing notebook) print
one clear line on stderr and exit with status 1, no traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from eduanalytics import __version__


def _config(args: argparse.Namespace):
    from eduanalytics.config import load_config

    return load_config(args.config, args.year)


def cmd_clean(args: argparse.Namespace) -> int:
    """Run the cleaning step and print the reconciliation summary."""
    from eduanalytics.ingest.pipeline import run_clean

    cfg = _config(args)
    res = run_clean(cfg, as_of=args.as_of, out_dir=args.out, engine=args.engine,
                    scheduler=args.scheduler)
    s = res.summary
    print(s.to_string(index=False))
    mism = res.findings[~res.findings["kind"].isin(["total_matches", "sources_agree"])]
    print(f"\n{int(s['rows_in'].sum())} rows in, {int(s['rows_clean'].sum())} clean, "
          f"{int(s['rows_rejected'].sum())} rejected, {int(s['rows_total'].sum())} totals rows; "
          f"{len(mism)} reconciliation finding(s). Log: {res.out_dir / 'cleaning_log.md'}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    """Regenerate the synthetic example inputs."""
    from eduanalytics.example.generate import generate_example

    cfg = _config(args)
    out = generate_example(cfg, out_dir=Path(args.out) if args.out else None, seed=args.seed)
    for key in ("census_streets", "survey", "register", "faults"):
        print(f"{key}: {out[key]}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Run the notebooks through papermill and assemble the report."""
    from eduanalytics.report.build import run_report

    cfg = _config(args)
    # the notebooks' run_clean reads these (papermill kernels inherit the environment)
    os.environ["EDUANALYTICS_ENGINE"] = args.engine
    if args.scheduler:
        os.environ["EDUANALYTICS_SCHEDULER"] = args.scheduler
    nbs = args.notebooks.split(",") if args.notebooks else None
    out = run_report(cfg, as_of=args.as_of, out_dir=Path(args.out) if args.out else None,
                     notebooks=nbs, progress=not args.no_progress)
    print(f"report written to {out}")
    return 0


def cmd_charts(args: argparse.Namespace) -> int:
    """Export the briefing charts only."""
    from eduanalytics.report.briefing import export_briefing_charts

    cfg = _config(args)
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    paths = export_briefing_charts(cfg, as_of=args.as_of, formats=formats, size=args.size,
                                   out_dir=Path(args.out) if args.out else None, lang=args.lang)
    for p in paths:
        print(p)
    return 0


def cmd_templates(args: argparse.Namespace) -> int:
    """Write an example file of each input template."""
    from eduanalytics.ingest.templates import template_frames, templates_markdown

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for kind, df in template_frames().items():
        df.to_csv(out / f"{kind}.csv", index=False, encoding="utf-8-sig")
    (out / "input_templates.md").write_text(templates_markdown(), encoding="utf-8")
    print(f"templates written to {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the tests)."""
    p = argparse.ArgumentParser(prog="eduanalytics", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"eduanalytics {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser, as_of: bool = True) -> None:
        sp.add_argument("--config", default="config/luqiao.yaml", help="region config (YAML or region id)")
        sp.add_argument("--year", type=int, default=None, help="reporting year (default: the config's)")
        if as_of:
            sp.add_argument("--as-of", dest="as_of", default=None, help="as-of date, YYYY-MM-DD")
        sp.add_argument("--out", default=None, help="output folder (default: the standard one)")

    def engine(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--engine", default="pandas", choices=["pandas", "dask"],
                        help="register engine (dask: a partitioned Parquet register)")
        sp.add_argument("--scheduler", default=None,
                        help="Dask scheduler address (default: a local cluster)")

    sp = sub.add_parser("clean", help="raw files -> data/processed/<region>/<year>/ + cleaning log")
    common(sp)
    engine(sp)
    sp.set_defaults(func=cmd_clean)
    sp = sub.add_parser("generate", help="regenerate the synthetic example inputs (seeded)")
    common(sp, as_of=False)
    sp.add_argument("--seed", type=int, default=20230306)
    sp.set_defaults(func=cmd_generate)
    sp = sub.add_parser("report", help="run the notebooks and build reports/<region>/<year>/")
    common(sp)
    sp.add_argument("--notebooks", default=None, help="comma-separated prefixes, e.g. 01,02")
    engine(sp)
    sp.add_argument("--no-progress", action="store_true")
    sp.set_defaults(func=cmd_report)
    sp = sub.add_parser("charts", help="export the briefing charts only")
    common(sp)
    sp.add_argument("--format", default="png,svg,pdf", help="png,svg,pdf")
    sp.add_argument("--size", default="slide", choices=["slide", "half_a4"])
    sp.add_argument("--lang", default="zh", choices=["zh", "en"])
    sp.set_defaults(func=cmd_charts)
    sp = sub.add_parser("templates", help="write example input files of every template")
    sp.add_argument("--out", default="templates")
    sp.set_defaults(func=cmd_templates)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``eduanalytics`` command."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from eduanalytics.errors import UserFacingError

    try:
        if hasattr(args, "as_of") and args.as_of is None:
            from eduanalytics.config import load_config

            args.as_of = str(load_config(args.config, args.year).get("default_as_of", "")) or None
        return int(args.func(args) or 0)
    except (UserFacingError, ValueError, FileNotFoundError) as exc:  # user-fixable problems
        print(f"eduanalytics {args.command}: error: {exc}", file=sys.stderr)
        return 1

if __name__ == "__main__":
    sys.exit(main())
