"""The one chart theme: the Chinese font first, embedded PDF fonts, the palette, sizes."""

from __future__ import annotations

import matplotlib as mpl

from eduanalytics.charts import fonts, theme


def test_rc_params_name_the_chinese_font_and_embed_it():
    rc = theme.rc_params()
    assert rc["font.family"][0] == fonts.chinese_font().name
    assert rc["pdf.fonttype"] == 42 and rc["axes.unicode_minus"] is False
    assert rc["axes.prop_cycle"].by_key()["color"][0] == "#0072B2"


def test_themed_applies_inside_and_restores_after():
    before = list(mpl.rcParams["font.family"])
    with theme.themed():
        assert mpl.rcParams["font.family"][0] == fonts.chinese_font().name
    assert list(mpl.rcParams["font.family"]) == before


def test_sizes_are_a_slide_and_half_an_a4_page():
    assert theme.SIZES["slide"] == (13.33, 7.5)
    assert theme.SIZES["half_a4"] == (8.27, 5.85)  # A4 is 8.27 x 11.69 in
    assert len(set(theme.PALETTE)) == len(theme.PALETTE) == 8
