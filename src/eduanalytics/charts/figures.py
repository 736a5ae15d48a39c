"""The charts of the year-end summary: indicator table in, matplotlib Figure out.

Every chart takes the table an indicator function returns, shows Chinese labels by
default (``lang="en"`` for English; all labels from :mod:`eduanalytics.labels`), carries a
source line and the as-of date, and says 示例数据 (synthetic) when any input was generated.
No chart saves or shows itself: see :mod:`eduanalytics.charts.export`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from eduanalytics.charts.theme import COLOURS, PALETTE, SIZES, themed
from eduanalytics.errors import DataError
from eduanalytics.labels import label
from eduanalytics.tables.checks import require


def _names(ids: pd.Series, names: Mapping[str, str] | None, lang: str) -> list[str]:
    names = names or {}
    return [names.get(str(i), label(str(i), lang)) for i in ids]


def _finish(fig: Figure, source: str | None, as_of: str | None, synthetic: bool, lang: str) -> Figure:
    """Source line, as-of date and the synthetic notice at the foot of the figure."""
    parts = []
    if source:
        parts.append(f"{label('source', lang)}: {source}")
    if as_of:
        parts.append(f"{label('as_of', lang)} {as_of}")
    if synthetic:
        parts.append(f"{label('synthetic', lang)}" + (" (示例数据)" if lang == "en" else "（合成数据）"))
    with themed(lang):  # the footer is drawn after the chart's own themed block
        if parts:
            fig.text(0.01, 0.005, "  |  ".join(parts), fontsize=8, color="#555555", ha="left",
                     va="bottom")
        if synthetic:
            fig.text(0.99, 0.99, label("synthetic", lang), fontsize=11, color=COLOURS["target"],
                     ha="right", va="top", fontweight="bold")
    fig.get_layout_engine().set(rect=(0, 0.03, 1, 0.95)) if fig.get_layout_engine() else None
    return fig


def _figure(size: str | tuple[float, float] = "half_a4", **kw) -> tuple:
    fig, ax = _subplots(size, **kw)
    return fig, ax


def _subplots(size, nrows: int = 1, ncols: int = 1, **kw):
    """A Figure not managed by pyplot (so notebooks display it once, and it is freed)."""
    w, h = SIZES[size] if isinstance(size, str) else size
    fig = Figure(figsize=(w, h))
    return fig, fig.subplots(nrows, ncols, **kw)


def target_completion(gaps: pd.DataFrame, programme: str, names: Mapping[str, str] | None = None,
                      lang: str = "zh", source: str | None = None, as_of: str | None = None,
                      synthetic: bool = False, size="half_a4") -> Figure:
    """Percent complete by unit (bars) against the target (the 100 % marker).

    ``gaps``: :func:`eduanalytics.indicators.target_gaps.target_gaps` output (unit_id, programme,
    target, achieved, pct_complete); the region total row is drawn last, darker.
    """
    require(gaps, ["unit_id", "programme", "target", "achieved", "pct_complete"], "gaps")
    d = gaps[gaps["programme"] == programme]
    if d.empty:
        raise DataError(f"gaps: no rows for programme {programme!r}", column="programme",
                        expected="a programme with a target", found=programme)
    total = d[d["unit_id"] == "total"]
    d = pd.concat([d[d["unit_id"] != "total"].sort_values("pct_complete"), total])
    with themed(lang):
        fig, ax = _figure(size)
        y = np.arange(len(d))
        colours = [COLOURS["neutral"] if u == "total" else COLOURS["achieved"] for u in d["unit_id"]]
        ax.barh(y, d["pct_complete"], color=colours, height=0.65)
        ax.axvline(100, color=COLOURS["target"], lw=1.5, ls="--", label=label("target_line", lang))
        ax.scatter(np.full(len(d), 100.0), y, marker="|", s=200, color=COLOURS["target"], zorder=3)
        for yi, (a, t, p) in enumerate(zip(d["achieved"], d["target"], d["pct_complete"], strict=True)):
            ax.text(p + 1, yi, f"{int(a)}/{int(t)}", va="center", fontsize=8)
        ax.set_yticks(y, _names(d["unit_id"], names, lang))
        ax.set_xlabel(label("pct_complete", lang))
        ax.set_xlim(0, max(110.0, float(d["pct_complete"].max()) * 1.15))
        ax.set_title(f"{label('title_target_completion', lang)}：{label(programme, lang)}")
        ax.legend(loc="lower right", frameon=False)
    return _finish(fig, source, as_of, synthetic, lang)


def board_heatmap(board: pd.DataFrame, names: Mapping[str, str] | None = None, lang: str = "zh",
                  source: str | None = None, as_of: str | None = None, synthetic: bool = False,
                  size="slide") -> Figure:
    """The monthly 晾晒 board: cumulative percent complete, unit x month, annotated."""
    import seaborn as sns

    require(board, ["unit_id", "month", "pct_complete"], "board")
    grid = board.pivot_table(index="unit_id", columns="month", values="pct_complete", aggfunc="mean").astype(float)
    grid = grid.loc[grid.iloc[:, -1].sort_values(ascending=False).index]
    with themed(lang):
        fig, ax = _figure(size)
        sns.heatmap(grid, annot=True, fmt=".0f", cmap="YlGnBu", vmin=0, vmax=max(100, float(np.nanmax(grid.to_numpy()))),
                    cbar_kws={"label": label("pct_complete", lang)}, ax=ax, annot_kws={"fontsize": 8})
        ax.set_yticks(np.arange(len(grid)) + 0.5, _names(pd.Series(grid.index), names, lang), rotation=0)
        ax.set_xlabel(label("month", lang))
        ax.set_ylabel("")
        ax.set_title(label("title_board", lang))
    return _finish(fig, source, as_of, synthetic, lang)


def participation_intervals(rates: pd.DataFrame, names: Mapping[str, str] | None = None,
                            lang: str = "zh", source: str | None = None, as_of: str | None = None,
                            synthetic: bool = False, size="half_a4") -> Figure:
    """Rates with their intervals, sorted; small denominators drawn hollow."""
    require(rates, ["unit_id", "rate", "ci_low", "ci_high"], "rates")
    d = rates.sort_values("rate")
    small = d.get("small_denominator", pd.Series(False, index=d.index)).astype(bool)
    with themed(lang):
        fig, ax = _figure(size)
        y = np.arange(len(d))
        pct = 100 * d[["rate", "ci_low", "ci_high"]].astype(float)
        ax.errorbar(pct["rate"], y, xerr=[pct["rate"] - pct["ci_low"], pct["ci_high"] - pct["rate"]],
                    fmt="none", ecolor=COLOURS["neutral"], capsize=3)
        ax.scatter(pct["rate"][~small], y[~small.to_numpy()], color=COLOURS["achieved"], zorder=3)
        if small.any():
            ax.scatter(pct["rate"][small], y[small.to_numpy()], facecolors="white",
                       edgecolors=COLOURS["achieved"], zorder=3, label=label("small_denominator", lang))
            ax.legend(frameon=False)
        ax.set_yticks(y, _names(d["unit_id"], names, lang))
        ax.set_xlabel(label("rate_pct", lang))
        title = label("title_participation", lang)
        if "programme" in d and d["programme"].nunique() == 1:
            title += f"：{label(str(d['programme'].iloc[0]), lang)}"
        ax.set_title(title)
    return _finish(fig, source, as_of, synthetic, lang)


def funnel_plot(funnel: pd.DataFrame, names: Mapping[str, str] | None = None, lang: str = "zh",
                source: str | None = None, as_of: str | None = None, synthetic: bool = False,
                size="half_a4") -> Figure:
    """Coverage ratio against census size with 95 % / 99.8 % control limits."""
    require(funnel, ["unit_id", "census_count", "ratio", "target_ratio"], "funnel")
    t = float(funnel["target_ratio"].iloc[0])
    n = np.linspace(max(1.0, funnel["census_count"].min() * 0.5), funnel["census_count"].max() * 1.1, 200)
    with themed(lang):
        fig, ax = _figure(size)
        for z, key, ls in ((1.959964, "control_95", "--"), (3.090232, "control_998", ":")):
            ax.plot(n, t + z * np.sqrt(t / n), color=COLOURS["neutral"], ls=ls, label=label(key, lang))
            ax.plot(n, t - z * np.sqrt(t / n), color=COLOURS["neutral"], ls=ls)
        ax.axhline(t, color=COLOURS["target"], lw=1, label=label("pooled_ratio", lang))
        ax.scatter(funnel["census_count"], funnel["ratio"], color=COLOURS["achieved"], zorder=3)
        for x, yv, u in zip(funnel["census_count"], funnel["ratio"], _names(funnel["unit_id"], names, lang),
                            strict=True):
            ax.annotate(u, (x, yv), fontsize=8, xytext=(3, 3), textcoords="offset points")
        ax.set_xlabel(label("census_count", lang))
        ax.set_ylabel(label("coverage_ratio", lang))
        ax.set_title(label("title_funnel", lang))
        ax.legend(frameon=False, fontsize=8)
    return _finish(fig, source, as_of, synthetic, lang)


def census_survey_scatter(compared: pd.DataFrame, names: Mapping[str, str] | None = None,
                          lang: str = "zh", source: str | None = None, as_of: str | None = None,
                          synthetic: bool = False, size="half_a4") -> Figure:
    """Survey against census counts with the equality line; labels kept apart (adjustText)."""
    from adjustText import adjust_text

    require(compared, ["unit_id", "census_count", "survey_count"], "compared")
    d = compared.dropna(subset=["census_count", "survey_count"])
    with themed(lang):
        fig, ax = _figure(size)
        hi = float(max(d["census_count"].max(), d["survey_count"].max())) * 1.05
        ax.plot([0, hi], [0, hi], color=COLOURS["target"], ls="--", lw=1, label=label("equality_line", lang))
        ax.scatter(d["census_count"], d["survey_count"], color=COLOURS["achieved"], zorder=3)
        texts = [ax.text(x, yv, u, fontsize=8) for x, yv, u in
                 zip(d["census_count"], d["survey_count"], _names(d["unit_id"], names, lang), strict=True)]
        ax.set_xlim(0, hi)
        ax.set_ylim(0, hi)
        ax.set_xlabel(label("census_count", lang))
        ax.set_ylabel(label("survey_count", lang))
        ax.set_title(label("title_census_survey", lang))
        ax.legend(frameon=False, loc="upper left")
        adjust_text(texts, ax=ax, arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.5})
    return _finish(fig, source, as_of, synthetic, lang)


def schooling_paths(paths: pd.DataFrame, target: float | None = None, target_year: int | None = None,
                    lang: str = "zh", source: str | None = None, as_of: str | None = None,
                    synthetic: bool = False, size="slide", decomposition_scenario: str = "plan") -> Figure:
    """Scenario paths of the mean with the target line, and the decomposition of the change.

    ``paths``: :func:`eduanalytics.indicators.projection.scenarios` output.
    """
    require(paths, ["scenario", "year", "mean_years", "cohort_replacement", "programmes"], "paths")
    with themed(lang):
        fig, (ax, ax2) = _subplots(size, 1, 2, gridspec_kw={"width_ratios": [3, 2]})
        for i, (name, g) in enumerate(paths.groupby("scenario", sort=False)):
            ax.plot(g["year"], g["mean_years"], marker="o", color=PALETTE[i % len(PALETTE)],
                    label=label(f"{name}_scenario", lang) if label(f"{name}_scenario", lang) != f"{name}_scenario" else name)
        if target is not None:
            ax.axhline(target, color=COLOURS["target"], ls="--", lw=1.5,
                       label=f"{label('target_line', lang)} {target:g}")
            if target_year is not None:
                ax.scatter([target_year], [target], color=COLOURS["target"], marker="*", s=120, zorder=4)
        ax.set_xlabel(label("year", lang))
        ax.set_ylabel(label("mean_years", lang))
        ax.set_title(label("title_schooling", lang))
        ax.legend(frameon=False)
        dec = paths[paths["scenario"] == decomposition_scenario]
        if dec.empty:
            dec = paths[paths["scenario"] == paths["scenario"].iloc[0]]
        ax2.bar(dec["year"], dec["cohort_replacement"], color=PALETTE[0], label=label("cohort_replacement", lang))
        ax2.bar(dec["year"], dec["programmes"], bottom=dec["cohort_replacement"], color=PALETTE[1],
                label=label("programmes", lang))
        ax2.set_title(label("title_decomposition", lang))
        ax2.set_xlabel(label("year", lang))
        ax2.legend(frameon=False)
    return _finish(fig, source, as_of, synthetic, lang)


def attainment_pyramid(population: pd.DataFrame, lang: str = "zh", source: str | None = None,
                       as_of: str | None = None, synthetic: bool = False, size="half_a4") -> Figure:
    """Population pyramid by age band (males left, females right), stacked by attainment."""
    from eduanalytics.tables.attainment import LEVELS

    require(population, ["age_min", "age_max", "sex", "attainment", "count"], "population")
    p = population[population["attainment"].notna() & population["sex"].isin(["male", "female"])]
    p = p.assign(band=[f"{a}+" if pd.isna(b) else f"{a}-{b}" for a, b in zip(p["age_min"], p["age_max"], strict=True)])
    order = p.drop_duplicates("band").sort_values("age_min")["band"].tolist()
    t = p.pivot_table(index=["band", "sex"], columns="attainment", values="count", aggfunc="sum",
                      observed=True).fillna(0)
    levels = [lv for lv in LEVELS if lv in t.columns]
    with themed(lang):
        fig, ax = _figure(size)
        y = np.arange(len(order))
        for sex, sign in (("male", -1), ("female", 1)):
            left = np.zeros(len(order))
            sub = t.xs(sex, level="sex").reindex(order).fillna(0) if sex in t.index.get_level_values("sex") else None
            if sub is None:
                continue
            for i, lv in enumerate(levels):
                vals = sub[lv].to_numpy() * sign
                ax.barh(y, vals, left=left, color=PALETTE[i % len(PALETTE)],
                        label=label(lv, lang) if sex == "male" else None, height=0.85)
                left = left + vals
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, order)
        ticks = ax.get_xticks()
        ax.set_xticks(ticks, [f"{abs(int(v)):,}" for v in ticks])
        ax.set_xlabel(f"{label('male', lang)} ←  {label('persons_axis', lang)}  → {label('female', lang)}")
        ax.set_ylabel(label("age_band_axis", lang))
        ax.set_title(label("title_pyramid", lang))
        ax.legend(frameon=False, fontsize=7, ncols=2, loc="upper right")
    return _finish(fig, source, as_of, synthetic, lang)


def plan_vs_target(plan: pd.DataFrame, lang: str = "zh", source: str | None = None,
                   as_of: str | None = None, synthetic: bool = False, size="slide") -> Figure:
    """Small multiples: each plan indicator's target path (and actuals where known)."""
    require(plan, ["indicator", "indicator_name", "year", "target_value"], "plan")
    inds = list(dict.fromkeys(plan["indicator"]))
    cols = 3
    rows = int(np.ceil(len(inds) / cols))
    with themed(lang):
        fig, axes = _subplots(size, rows, cols, squeeze=False)
        for ax, ind in zip(axes.flat, inds, strict=False):
            g = plan[plan["indicator"] == ind].sort_values("year")
            ax.plot(g["year"], g["target_value"], marker="o", color=COLOURS["target"], label=label("target_value", lang))
            if "actual_value" in g and g["actual_value"].notna().any():
                ax.plot(g["year"], g["actual_value"], marker="s", color=COLOURS["achieved"],
                        label=label("actual_value", lang))
            name = str(g["indicator_name"].iloc[0]) if lang == "zh" else ind.replace("_", " ")
            ax.set_title(name if len(name) <= 22 else name[:21] + "…", fontsize=9)
            ax.set_xticks(g["year"].tolist(), [str(y) for y in g["year"]], fontsize=7)
            ax.tick_params(axis="y", labelsize=7)
        for ax in list(axes.flat)[len(inds):]:
            ax.set_visible(False)
        fig.suptitle(label("title_plan", lang))
    return _finish(fig, source, as_of, synthetic, lang)
