"""The setup every report notebook shares, as one call.

``start(config, year, as_of, processed_dir)`` resolves the region config, reads the
processed tables once, applies the chart theme and shows the notebook's heading (region,
year, as-of date, and the 示例数据 note when any input was generated).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from eduanalytics.catalog import load_tables
from eduanalytics.config import RegionConfig, load_config

#: The note shown under every heading when an input is generated example data.
SYNTHETIC_NOTE = "> 示例数据：登记册、街道人口与摸排数据为合成数据 (synthetic), 非真实个人信息。"


@dataclass
class Session:
    """What a report notebook works with.

    Attributes
    ----------
    cfg : RegionConfig
        The region config.
    tables : dict
        Processed tables by name (plus ``provenance``), read once.
    names : dict
        unit_id -> display name.
    synthetic : bool
        Whether any processed table holds generated data.
    as_of : str
        The report's as-of date.
    """

    cfg: RegionConfig
    tables: dict[str, pd.DataFrame] = field(repr=False)
    names: dict[str, str]
    synthetic: bool
    as_of: str

    def heading(self) -> str:
        """Markdown heading: region, year, as-of date and the synthetic note."""
        note = SYNTHETIC_NOTE if self.synthetic else ""
        return f"**{self.cfg.name} {self.cfg.year}年**，截至 {self.as_of}\n\n{note}"

    def source(self, *parts: str) -> str:
        """A chart's source line: the region's task-table notice, then ``parts``."""
        return source_line(self.cfg, *parts)

    def notes(self, result: Mapping | list | None, display: bool = True) -> str | None:
        """Show a section's ``notes`` as a Markdown quote (nothing when there are none).

        With ``display=False`` the Markdown is returned instead of shown; shown notes
        return None, so a notebook cell ending in ``s.notes(...)`` does not print them twice.
        """
        text = notes_markdown(result)
        if not display:
            return text
        if text:
            from IPython.display import Markdown
            from IPython.display import display as show

            show(Markdown(text))
        return None


def source_line(cfg: RegionConfig, *parts: str) -> str:
    """Source line of a chart: the notice number (or title) from ``cfg.notice``, then ``parts``.

    Parameters
    ----------
    cfg : RegionConfig
    *parts : str
        Further sources (``学员登记册`` …).

    Returns
    -------
    str
        ``"<notice number>; <part>; …"``; the task table when the config names no notice.
    """
    n = cfg.notice
    doc = n.get("number") or n.get("title") or "目标任务表"
    return "; ".join([doc, *[p for p in parts if p]])


def notes_markdown(result: Mapping | list | None) -> str:
    """A section's notes (a ``*_tables`` result or a list of strings) as a Markdown quote."""
    items = result.get("notes", []) if isinstance(result, Mapping) else list(result or [])
    return "\n".join(f"> 说明：{n}  " for n in items)


def start(config: str, year: int, as_of: str, processed_dir: str = "", display: bool = True) -> Session:
    """Open a notebook session: config, tables, unit names, chart theme, heading.

    Parameters
    ----------
    config : str
        Region config path or id (the notebook's ``config`` parameter).
    year : int
        Reporting year.
    as_of : str
        As-of date (``YYYY-MM-DD``).
    processed_dir : str
        Folder of processed tables; empty means ``data/processed/<region>/<year>``.
    display : bool
        Show the heading in the notebook (False outside IPython).

    Returns
    -------
    Session
    """
    from eduanalytics import charts
    from eduanalytics.report import analyses

    cfg = load_config(config, year)
    tables = load_tables(processed_dir or cfg)
    session = Session(cfg=cfg, tables=tables, names=analyses.unit_names(cfg),
                      synthetic=analyses.is_synthetic(tables), as_of=str(as_of))
    charts.apply_theme()
    if display:
        from IPython.display import Markdown
        from IPython.display import display as show

        show(Markdown(session.heading()))
    return session
