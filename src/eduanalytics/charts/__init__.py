"""Charts: one theme with a Chinese font, the summary's chart functions, export."""

from eduanalytics.charts.export import export_figure
from eduanalytics.charts.figures import (
    attainment_pyramid,
    board_heatmap,
    census_survey_scatter,
    funnel_plot,
    participation_intervals,
    plan_vs_target,
    schooling_paths,
    target_completion,
)
from eduanalytics.charts.fonts import chinese_font
from eduanalytics.charts.theme import apply_theme, themed

__all__ = ["apply_theme", "attainment_pyramid", "board_heatmap", "census_survey_scatter",
           "chinese_font", "export_figure", "funnel_plot", "participation_intervals",
           "plan_vs_target", "schooling_paths", "target_completion", "themed"]
