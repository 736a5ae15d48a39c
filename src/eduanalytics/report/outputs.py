"""Where notebooks put what the report collects: charts and indicator tables.

When the report runs a notebook it sets ``charts_dir`` (``reports/<region>/<year>/charts``);
:func:`publish` then writes the figure there (PNG, SVG, PDF) and the table as Parquet into
the sibling ``tables/`` folder, from which the report builds its Excel workbook. With an
empty ``charts_dir`` (interactive use) nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from eduanalytics.charts.export import export_figure


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
    """
    if not charts_dir:
        return None
    written: list[Path] = []
    if table is not None:
        folder = tables_dir(charts_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.parquet"
        table.to_parquet(path, index=False)
        written.append(path)
    if figure is not None:
        written += export_figure(figure, charts_dir, name, size=None)
    return None
