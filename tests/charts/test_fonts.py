"""A font with Chinese glyphs on any machine: system first, the packaged fallback second."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.font_manager import FontProperties, findfont

from eduanalytics.charts import fonts
from eduanalytics.errors import SetupError


def test_font_is_found_and_renders_chinese():
    info = fonts.chinese_font()
    assert info.name and Path(info.path).exists()
    assert info.source in ("system", "package:noto-cjk-sans-otc")
    assert Path(findfont(FontProperties(family=info.name), fallback_to_default=False)).exists()


def test_packaged_fallback_is_registered_when_no_system_font_is_preferred():
    path = fonts.fallback_font_path()
    assert path is not None and path.endswith("NotoSansCJK-Regular.ttc")
    fonts.chinese_font.cache_clear()
    try:
        info = fonts.chinese_font(prefer_system=False)
        assert info.name == "Noto Sans CJK SC" and info.source == "package:noto-cjk-sans-otc"
    finally:
        fonts.chinese_font.cache_clear()


def test_no_font_at_all_is_a_setup_error(monkeypatch):
    monkeypatch.setattr(fonts, "fallback_font_path", lambda: None)
    fonts.chinese_font.cache_clear()
    try:
        with pytest.raises(SetupError, match="noto-cjk-sans-otc"):
            fonts.chinese_font(prefer_system=False)
    finally:
        fonts.chinese_font.cache_clear()
