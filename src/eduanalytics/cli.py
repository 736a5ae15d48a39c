"""Command line: ``eduanalytics clean|generate|report|charts|templates``.

Problems a user can fix (an :class:`~eduanalytics.errors.EduError`: a missing config, a file
that cannot be used, a failing notebook, another run holding the lock) print one clear
message on stderr, no traceback, and exit with status 2 — as do bad arguments (an
``--as-of`` that is not a real date, an implausible ``--year``), checked before anything
runs. Any other exception is a bug: the traceback is printed with a line asking to report
it, and the exit status is 70 (``EX_SOFTWARE``). An interrupted run exits 130.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import re
import sys
import traceback
from pathlib import Path

from eduanalytics import __version__


def _config(args: argparse.Namespace):
    from eduanalytics.config import load_config

    return load_config(args.config, args.year)


def cmd_clean(args: argparse.Namespace) -> int:
    """Run the cleaning step and print the reconciliation summary."""
    from eduanalytics.ingest.cleaning_log import summary_line
    from eduanalytics.ingest.pipeline import run_clean

    cfg = _config(args)
    res = run_clean(cfg, as_of=args.as_of, out_dir=args.out, engine=args.engine,
                    scheduler=args.scheduler)
    print(res.summary.to_string(index=False))
    print(f"\n{summary_line(res.summary)} Log: {res.out_dir / 'cleaning_log.md'}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    """Regenerate the synthetic example inputs."""
    from eduanalytics.example.generate import generate_example

    cfg = _config(args)
    out = generate_example(cfg, out_dir=Path(args.out) if args.out else None, seed=args.seed)
    for key, path in out.items():
        print(f"{key}: {path}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Run the notebooks through papermill and assemble the report."""
    from eduanalytics.report.build import run_report

    cfg = _config(args)
    from eduanalytics.ingest.check import check_failed, check_region

    # the same check as `eduanalytics check`, before any notebook, on the report's engine
    checked = check_region(cfg, args.engine, args.scheduler)
    if check_failed(checked):
        _print_check(checked, full=False)
        print(f"\nno report: fix the errors above (eduanalytics check --config {args.config})")
        return EXIT_USER
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
    from eduanalytics.safe_output import write_csv

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for kind, df in template_frames().items():
        write_csv(df, out / f"{kind}.csv")
    (out / "input_templates.md").write_text(templates_markdown(), encoding="utf-8")
    print(f"templates written to {out}")
    return 0


#: Exit statuses: a problem the user can fix (and bad arguments), a bug, an interruption.
EXIT_USER, EXIT_BUG, EXIT_INTERRUPTED = 2, 70, 130


def iso_date(text: str) -> str:
    """``--as-of``: a real calendar date, ``YYYY-MM-DD`` (``YYYY/MM/DD`` and ``YYYY.MM.DD``
    are read the same way); returned as ``YYYY-MM-DD`` (argparse type)."""
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", str(text).strip())
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD")
    try:
        day = dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a real date (month 01-12, a day the month has)") from None
    if not 2000 <= day.year <= 2100:
        raise argparse.ArgumentTypeError(f"{text!r}: the year must be between 2000 and 2100")
    return day.isoformat()


def report_year(text: str) -> int:
    """``--year``: a four-digit reporting year between 2000 and 2100 (argparse type)."""
    if not re.fullmatch(r"\d{4}", str(text).strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a four-digit year")
    year = int(text)
    if not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"{year} is not a plausible reporting year (2000-2100)")
    return year


def cmd_check(args: argparse.Namespace) -> int:
    """Check a region's config and files without running notebooks."""
    from eduanalytics.ingest.check import check_config_file, check_failed

    table = check_config_file(args.config, args.year, args.engine, args.scheduler)
    failed = check_failed(table)
    _print_check(table, full=True)
    print("\nthe report would fail: fix the errors above" if failed else "\nthe report can run")
    return EXIT_USER if failed else 0


def _print_check(table, full: bool) -> None:
    """Print a check table (all rows when ``full``) and its problems with their fixes."""
    import pandas as pd

    cols = ["input", "status", "sheet", "header_rows", "rows_in", "rows_clean", "rows_rejected",
            "rows_total", "fields_missing"]
    if full:
        with pd.option_context("display.width", 200, "display.max_colwidth", 60):
            print(table[cols].to_string(index=False))
    shown = table[table["problem"].ne("") & (table["status"].eq("error") | full)]
    for r in shown.itertuples():
        print(f"\n[{r.status}] {r.input}: {r.problem}\n  fix: {r.fix}")


def cmd_init(args: argparse.Namespace) -> int:
    """Write a starting config for a new region from its folder of files."""
    from eduanalytics.ingest.onboard import write_config

    out = Path(args.out) if args.out else Path("config") / f"{args.region}.yaml"
    path = write_config(args.folder, out, region=args.region, name=args.name, year=args.year)
    print(f"config written to {path}; read its comments, then run eduanalytics check")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the tests)."""
    p = argparse.ArgumentParser(prog="eduanalytics", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"eduanalytics {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser, as_of: bool = True) -> None:
        sp.add_argument("--config", default="config/luqiao.yaml", help="region config (YAML or region id)")
        sp.add_argument("--year", type=report_year, default=None,
                        help="reporting year, e.g. 2023 (default: the config's)")
        if as_of:
            sp.add_argument("--as-of", dest="as_of", type=iso_date, default=None,
                            help="as-of date, YYYY-MM-DD")
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
    sp.add_argument("--seed", type=int, default=None,
                    help="seed (default: the example profile's)")
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
    sp = sub.add_parser("check", help="validate a region's config and files (no notebooks)")
    sp.add_argument("--config", default="config/luqiao.yaml", help="region config (YAML or region id)")
    sp.add_argument("--year", type=int, default=None, help="reporting year (default: the config's)")
    engine(sp)
    sp.set_defaults(func=cmd_check)
    sp = sub.add_parser("init", help="write a starting config from a folder of a region's files")
    sp.add_argument("folder", help="folder holding the region's files")
    sp.add_argument("--region", required=True, help="short id of the region (folder names)")
    sp.add_argument("--name", default=None, help="full name, e.g. 某市某县")
    sp.add_argument("--year", type=int, default=None, help="year of the files")
    sp.add_argument("--out", default=None, help="config to write (default config/<region>.yaml)")
    sp.set_defaults(func=cmd_init)
    sp = sub.add_parser("templates", help="write example input files of every template")
    sp.add_argument("--out", default="templates")
    sp.set_defaults(func=cmd_templates)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``eduanalytics`` command (returns the exit status)."""
    args = build_parser().parse_args(argv)  # bad arguments: usage + message, exit 2
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from eduanalytics.errors import EduError
    from eduanalytics.privacy import MaskingFilter, mask_message

    for handler in logging.getLogger().handlers:
        handler.addFilter(MaskingFilter())

    try:
        if hasattr(args, "as_of") and args.as_of is None:
            from eduanalytics.config import load_config

            default = str(load_config(args.config, args.year).get("default_as_of", "")) or None
            args.as_of = iso_date(default) if default else None
        return int(args.func(args) or 0)
    except EduError as exc:  # a problem the user can fix: the message says what
        print(f"eduanalytics {args.command}: error: {mask_message(str(exc))}", file=sys.stderr)
        return EXIT_USER
    except argparse.ArgumentTypeError as exc:  # the config's default_as_of
        print(f"eduanalytics {args.command}: error: default_as_of: {exc}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print(f"eduanalytics {args.command}: interrupted; nothing was half-written",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:  # anything else is a bug in eduanalytics
        print(mask_message(traceback.format_exc()), file=sys.stderr, end="")
        print(f"eduanalytics {args.command}: internal error: this is a bug in eduanalytics "
              f"{__version__}, not a problem with your files. Please report it with the "
              "traceback above.", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
