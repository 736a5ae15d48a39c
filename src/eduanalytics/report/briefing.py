"""``eduanalytics charts``: the briefing charts alone, as files ready for a slide or a page."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from eduanalytics import charts
from eduanalytics.catalog import load_tables
from eduanalytics.config import RegionConfig
from eduanalytics.report import analyses as summary


def briefing_figures(cfg: RegionConfig, as_of: str, lang: str = "zh") -> dict:
    """Build the briefing charts from the processed tables: stem -> Figure."""
    t = load_tables(cfg)
    names = summary.unit_names(cfg) if lang == "zh" else {u: u for u in cfg.units()["unit_id"]} | {"total": "District"}
    syn = summary.is_synthetic(t)
    number = cfg.notice.get("number", "")
    src = (f"{number or '任务分解表'}; 学员登记册" if lang == "zh"
           else f"task table {cfg.year}; learner register")
    tg = summary.target_tables(cfg, t, as_of)
    pt = summary.participation_tables(cfg, t)
    cs = summary.census_survey_tables(cfg, t)
    st = summary.schooling_tables(cfg, t)
    pl = summary.plan_tables(cfg, t)
    kw = {"lang": lang, "as_of": as_of, "synthetic": syn}
    board = tg["monthly_board"]
    rates = pt["participation"]
    figs = {
        "target_completion_secondary": charts.target_completion(tg["target_gaps"], "secondary_upgrade", names, source=src, **kw),
        "target_completion_tertiary": charts.target_completion(tg["target_gaps"], "tertiary_upgrade", names, source=src, **kw),
        "monthly_board_secondary": charts.board_heatmap(board[board["programme"] == "secondary_upgrade"], names, source=src, **kw),
        "participation_secondary": charts.participation_intervals(rates[rates["programme"] == "secondary_upgrade"], names, source=src, **kw),
        "census_survey_scatter": charts.census_survey_scatter(cs["census_survey"], names, source=src, **kw),
        "census_survey_funnel": charts.funnel_plot(cs["funnel"], names, source=src, **kw),
        "schooling_projection": charts.schooling_paths(st["schooling_paths"], target=cfg.target_mean_years, target_year=cfg.target_year, source=src, **kw),
        "attainment_pyramid": charts.attainment_pyramid(t["population"][t["population"]["source"] == "census"], source=src, **kw),
    }
    if "plan_path" in pl:
        figs["plan_indicators"] = charts.plan_vs_target(pl["plan_path"], lang=lang, as_of=as_of,
                                                        source=str(cfg.get("plan_region", "")))
    return figs


def export_briefing_charts(cfg: RegionConfig, as_of: str, formats: Iterable[str] = ("png", "svg", "pdf"),
                           size: str = "slide", out_dir: Path | None = None, lang: str = "zh") -> list[Path]:
    """Export every briefing chart in the given formats and size.

    Files go to ``reports/<region>/<year>-briefing/`` by default, named
    ``<chart>_<size>.<format>`` (e.g. ``target_completion_secondary_slide.png``).
    """
    folder = Path(out_dir) if out_dir else cfg.reports_dir.parent / f"{cfg.year}-briefing"
    paths: list[Path] = []
    for stem, fig in briefing_figures(cfg, as_of, lang).items():
        paths += charts.export_figure(fig, folder, stem if lang == "zh" else f"{stem}_en", formats, size)
    return paths
