"""A font with Chinese glyphs on any machine.

Order: the usual system fonts (Windows: Microsoft YaHei, SimHei, DengXian; macOS:
PingFang SC, Hiragino Sans GB, Heiti SC; Linux: Noto Sans CJK SC, Source Han Sans SC,
WenQuanYi Micro Hei), then the fallback installed by the project's own dependencies:
Noto Sans CJK from the PyPI package ``noto-cjk-sans-otc`` (SIL Open Font License),
registered with matplotlib at run time — matplotlib's own install and cache are never
modified, and only openly licensed fonts are registered.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from matplotlib import font_manager

from eduanalytics.errors import SetupError

SYSTEM_FAMILIES: tuple[str, ...] = (
    "Microsoft YaHei", "SimHei", "DengXian",
    "PingFang SC", "Hiragino Sans GB", "Heiti SC",
    "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
)
#: Face of the fallback collection to use (Simplified Chinese glyph shapes).
FALLBACK_FAMILY = "Noto Sans CJK SC"


@dataclass(frozen=True)
class FontInfo:
    """The font the charts use."""

    name: str
    path: str
    source: str  # "system" or "package:noto-cjk-sans-otc"


def fallback_font_path() -> str | None:
    """Path of the collection shipped by ``noto-cjk-sans-otc``, if installed."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(noto_cjk_sans_otc.__file__), "NotoSansCJK-Regular.ttc")
    return path if os.path.exists(path) else None


@lru_cache(maxsize=1)
def chinese_font(prefer_system: bool = True) -> FontInfo:
    """Find (and register, for the fallback) a font that renders Chinese.

    Raises
    ------
    SetupError
        When neither a system font nor the packaged fallback is available.
    """
    if prefer_system:
        installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
        for fam in SYSTEM_FAMILIES:
            if fam in installed:
                return FontInfo(fam, installed[fam], "system")
    path = fallback_font_path()
    if path is None:
        raise SetupError("no font with Chinese glyphs: install the project's dependencies "
                           "(noto-cjk-sans-otc) or a system CJK font")
    font_manager.fontManager.addfont(path)
    return FontInfo(FALLBACK_FAMILY, path, "package:noto-cjk-sans-otc")
