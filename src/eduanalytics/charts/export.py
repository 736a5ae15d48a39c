"""Export figures for briefings: PNG at print resolution, SVG, PDF with the font embedded."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from matplotlib.figure import Figure

from eduanalytics.charts.theme import SIZES, themed

FORMATS = ("png", "svg", "pdf")


def export_figure(fig: Figure, folder: str | Path, stem: str, formats: Iterable[str] = FORMATS,
                  size: str | tuple[float, float] | None = "slide", dpi: int = 300) -> list[Path]:
    """Save a figure in several formats at a briefing size.

    Parameters
    ----------
    fig : Figure
    folder : path-like
        Output folder (created).
    stem : str
        Meaningful, stable file name without suffix, e.g. ``"target_completion"``; the
        size is appended (``target_completion_slide.png``).
    formats : iterable of {"png", "svg", "pdf"}
    size : {"slide", "half_a4"} or (w, h) in inches or None
        None keeps the figure's own size and adds no size tag to the file name.
        16:9 slide is 13.33 x 7.5 in; half an A4 page 8.27 x 5.85 in.
    dpi : int
        PNG resolution (300 for print).

    Returns
    -------
    list of Path
        Files written. PDF embeds the font (TrueType/OpenType, ``pdf.fonttype`` 42); PDF
        and SVG carry no creation date, so reruns give the same files.
    """
    formats = [f.lower().lstrip(".") for f in formats]
    bad = sorted(set(formats) - set(FORMATS))
    if bad:
        raise ValueError(f"unsupported format(s) {bad}; expected some of {FORMATS}")
    if isinstance(size, str):
        if size not in SIZES:
            raise ValueError(f"size must be one of {sorted(SIZES)} or (width, height), got {size!r}")
        fig.set_size_inches(*SIZES[size])
        tag = size
    elif size is not None:
        fig.set_size_inches(*size)
        tag = f"{size[0]:g}x{size[1]:g}in"
    else:
        tag = ""
    out_dir = Path(folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    with themed():
        for fmt in formats:
            path = out_dir / (f"{stem}_{tag}.{fmt}" if tag else f"{stem}.{fmt}")
            meta = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}[fmt]
            fig.savefig(path, format=fmt, dpi=dpi if fmt == "png" else None, metadata=meta)
            paths.append(path)
    return paths
