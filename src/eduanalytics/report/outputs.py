"""Where notebooks put what the report collects: charts and indicator tables.

When the report runs a notebook it sets ``charts_dir`` (the ``charts/`` folder of the
report being written); :func:`publish` then writes the figure there as PNG (its title kept
in the PNG's metadata, which the report uses as the image's alternative text) and the
table as Parquet into the sibling ``tables/`` folder, from which the report builds its
Excel workbook. SVG and PDF are for briefings: ``eduanalytics charts``. With an empty
``charts_dir`` (interactive use) nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from eduanalytics.charts.export import export_figure
from eduanalytics.errors import ReportError

#: Resolution of the report's chart files (the page itself embeds the notebook's images).
REPORT_DPI = 150


def tables_dir(charts_dir: str | Path) -> Path:
    """The ``tables/`` folder beside a report's ``charts/`` folder."""
    return Path(charts_dir).parent / "tables"


def publish(name: str, charts_dir: str | Path, table: pd.DataFrame | None = None,
            figure: Figure | None = None) -> None:
    """Save an indicator table and/or a chart for the report (no-op when ``charts_dir`` is empty).

    Parameters
    ----------
    name : str
        Stable name, prefixed with the notebook number (``"04_target_gaps"``); it becomes the
        file name and the workbook's sheet name.
    charts_dir : path-like
        The report's charts folder, or "" to write nothing.
    table : DataFrame, optional
    figure : Figure, optional
        Saved as ``<name>.png`` only.

    Raises
    ------
    ReportError
        When the report folder holding ``charts_dir`` no longer exists (the run was
        interrupted and its temporary folder removed): nothing is recreated.
    """
    if not charts_dir:
        return None
    report = Path(charts_dir).parent
    if not report.is_dir():
        raise ReportError(f"the report folder {report} is gone (the run was stopped); nothing written")
    if table is not None:
        folder = tables_dir(charts_dir)
        folder.mkdir(exist_ok=True)
        table.to_parquet(folder / f"{name}.parquet", index=False)
    if figure is not None:
        Path(charts_dir).mkdir(exist_ok=True)
        export_figure(figure, charts_dir, name, formats=("png",), size=None, dpi=REPORT_DPI)
    return None
