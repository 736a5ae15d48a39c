"""Export figures for briefings: PNG at print resolution, SVG, PDF with the font embedded."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from matplotlib.figure import Figure

from eduanalytics.charts.theme import SIZES, themed
from eduanalytics.errors import DataError

FORMATS = ("png", "svg", "pdf")


def figure_title(fig: Figure) -> str:
    """What the figure is titled: its suptitle, else its axes' titles joined by "；"."""
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text().strip():
        return sup.get_text().strip()
    titles = [t for ax in fig.axes for t in (ax.get_title(loc) for loc in ("center", "left"))
              if t.strip()]
    return "；".join(dict.fromkeys(titles))


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
        and SVG carry no creation date, so reruns give the same files. Every format
        carries the figure's title (:func:`figure_title`) in its metadata ("Title"), which
        the report uses as the image's alternative text.

    Raises
    ------
    DataError
        For an unknown format or size.
    """
    formats = [f.lower().lstrip(".") for f in formats]
    bad = sorted(set(formats) - set(FORMATS))
    if bad:
        raise DataError(f"unsupported format(s) {bad}", expected=f"some of {FORMATS}")
    if isinstance(size, str):
        if size not in SIZES:
            raise DataError("unknown chart size", expected=f"one of {sorted(SIZES)} or (width, height)",
                            found=size)
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
    title = figure_title(fig) or stem
    with themed():
        for fmt in formats:
            path = out_dir / (f"{stem}_{tag}.{fmt}" if tag else f"{stem}.{fmt}")
            meta = {"png": {"Software": None, "Title": title},
                    "svg": {"Date": None, "Title": title},
                    "pdf": {"CreationDate": None, "ModDate": None, "Title": title}}[fmt]
            fig.savefig(path, format=fmt, dpi=dpi if fmt == "png" else None, metadata=meta)
            paths.append(path)
    return paths
