"""The package's one chart theme: the Chinese font, minus signs, palette and sizes."""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib as mpl

from eduanalytics.charts.fonts import chinese_font

#: One palette (Okabe-Ito, colour-blind safe).
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
                            "#F0E442", "#000000")
#: Colours with a meaning.
COLOURS = {"target": "#D55E00", "achieved": "#0072B2", "completed": "#009E73",
           "census": "#0072B2", "survey": "#E69F00", "neutral": "#7F7F7F",
           "ahead": "#009E73", "on_track": "#0072B2", "behind": "#D55E00"}
#: Sizes in inches: a 16:9 slide and half an A4 page (A4 is 8.27 x 11.69 in).
SIZES: dict[str, tuple[float, float]] = {"slide": (13.33, 7.5), "half_a4": (8.27, 5.85)}


def rc_params(lang: str = "zh") -> dict:
    """rcParams of the theme (font with fallbacks, minus signs, palette, sizes)."""
    font = chinese_font()
    return {
        # concrete family names (not the generic "sans-serif"), so a figure keeps its font
        # when it is saved outside the theme's context
        "font.family": [font.name, "DejaVu Sans"],
        "axes.unicode_minus": False,  # the CJK font's hyphen-minus, not U+2212
        "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 14,
        "axes.labelsize": 11,
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "pdf.fonttype": 42,  # embed TrueType/OpenType outlines, text stays text
        "svg.fonttype": "path",
        "svg.hashsalt": "eduanalytics",
        "figure.constrained_layout.use": True,
    }


def apply_theme(lang: str = "zh") -> None:
    """Apply the theme globally (notebooks)."""
    mpl.rcParams.update(rc_params(lang))


@contextmanager
def themed(lang: str = "zh"):
    """Context manager applying the theme for the figures made inside it."""
    with mpl.rc_context(rc_params(lang)):
        yield
