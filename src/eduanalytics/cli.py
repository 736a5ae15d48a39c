"""Command line: ``eduanalytics clean|report|charts|generate``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``eduanalytics`` command."""
    parser = argparse.ArgumentParser(prog="eduanalytics")
    parser.add_argument("--version", action="store_true")
    args, _ = parser.parse_known_args(argv)
    if args.version:
        from eduanalytics import __version__

        print(__version__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
