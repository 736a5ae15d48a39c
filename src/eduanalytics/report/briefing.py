"""``eduanalytics charts``: the briefing charts alone, as files ready for a slide or a page."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from eduanalytics import charts
from eduanalytics.catalog import load_tables
from eduanalytics.config import RegionConfig
from eduanalytics.report import analyses as summary
from eduanalytics.report import schooling_section
from eduanalytics.report.session import source_line


def briefing_figures(cfg: RegionConfig, as_of: str, lang: str = "zh") -> dict:
    """Build the briefing charts from the processed tables: stem -> Figure.

    A chart whose input the region lacks (no street census, no survey, no plan) is left
    out; every region word (name, notice, target year and mean) comes from the config.
    """
    t = load_tables(cfg)
    en = lang != "zh"
    names = {u: u for u in cfg.units()["unit_id"]} | {"total": "Total"} if en else summary.unit_names(cfg)
    syn = summary.is_synthetic(t)
    src = source_line(cfg, "learner register" if en else "学员登记册")
    tg = summary.target_tables(cfg, t, as_of)
    pt = summary.participation_tables(cfg, t)
    cs = summary.census_survey_tables(cfg, t)
    st = summary.schooling_tables(cfg, t)
    pl = summary.plan_tables(cfg, t)
    kw = {"lang": lang, "as_of": as_of, "synthetic": syn, "source": src}
    gaps, board, rates = tg["target_gaps"], tg["monthly_board"], pt["participation"]
    figs = {}
    for prog, stem in (("secondary_upgrade", "secondary"), ("tertiary_upgrade", "tertiary")):
        if (gaps["programme"] == prog).any():
            figs[f"target_completion_{stem}"] = charts.target_completion(gaps, prog, names, **kw)
    if (board["programme"] == "secondary_upgrade").any():
        figs["monthly_board_secondary"] = charts.board_heatmap(
            board[board["programme"] == "secondary_upgrade"], names, **kw)
    if not rates.empty and (rates["programme"] == "secondary_upgrade").any():
        src_p = src if en else source_line(cfg, "学员登记册", pt["denominator"])
        figs["participation_secondary"] = charts.participation_intervals(
            rates[rates["programme"] == "secondary_upgrade"], names, **{**kw, "source": src_p})
    if not cs["census_survey"].empty:
        figs["census_survey_scatter"] = charts.census_survey_scatter(cs["census_survey"], names, **kw)
        figs["census_survey_funnel"] = charts.funnel_plot(cs["funnel"], names, **kw)
    if not st["schooling_paths"].empty:
        figs["schooling_projection"] = charts.schooling_paths(
            st["schooling_paths"], target=st["target_mean"], target_year=st["target_year"], **kw)
    census = schooling_section.street_census(t.get("population"))
    if not census.empty:
        figs["attainment_pyramid"] = charts.attainment_pyramid(census, **kw)
    if "plan_path" in pl:
        figs["plan_indicators"] = charts.plan_vs_target(pl["plan_path"], lang=lang, as_of=as_of,
                                                        source=pl["plan_region"])
    return figs


def export_briefing_charts(cfg: RegionConfig, as_of: str, formats: Iterable[str] = ("png", "svg", "pdf"),
                           size: str = "slide", out_dir: Path | None = None, lang: str = "zh") -> list[Path]:
    """Export every briefing chart in the given formats and size.

    Files go to ``reports/<region>/<year>/briefing/`` by default, named
    ``<chart>_<size>.<format>`` (e.g. ``target_completion_secondary_slide.png``).
    """
    folder = Path(out_dir) if out_dir else cfg.reports_dir.parent / f"{cfg.year}-briefing"
    paths: list[Path] = []
    for stem, fig in briefing_figures(cfg, as_of, lang).items():
        paths += charts.export_figure(fig, folder, stem if lang == "zh" else f"{stem}_en", formats, size)
    return paths
