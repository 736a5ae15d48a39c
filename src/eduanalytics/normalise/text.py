"""Text cleaning shared by every normaliser: width, whitespace, script, pinyin notes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

_WS = re.compile(r"[\s\u3000\u00a0]+")
# a parenthesised run of (toned) latin letters right after a CJK character: 區(qū) -> 區
_PINYIN = re.compile(
    r"(?<=[\u3400-\u9fff])[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\s*[)）]"
)
_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_halfwidth(s: pd.Series) -> pd.Series:
    """Full-width ASCII (１２３, ＡＢ, ％, （）) to half-width; other text unchanged."""
    return s.astype("string").str.translate(_FULLWIDTH)


def _clean_one(text: str) -> str:
    text = text.translate(_FULLWIDTH)
    text = unicodedata.normalize("NFC", text)
    text = _PINYIN.sub("", text)
    text = _converter().convert(text)
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def clean_one(text: str) -> str:
    """:func:`clean_text` of one string (cached: header cells and config words repeat)."""
    return _clean_one(text)


def clean_text(s: pd.Series) -> pd.Series:
    """Clean free text for matching.

    Full-width ASCII to half-width, traditional to simplified (OpenCC ``t2s``), pinyin
    annotations after a character removed (``達州經(jīng)開區(qū)`` -> ``达州经开区``; legitimate
    parentheses such as ``高中(含中专)`` or ``(%`` are kept), whitespace collapsed
    (including U+3000 and NBSP) and stripped.

    Parameters
    ----------
    s : Series
        Raw cells (any dtype; missing stays missing).

    Returns
    -------
    Series
        ``string`` dtype, same index.
    """
    s = s.astype("string")
    uniq = s.dropna().unique()
    mapping = {u: _clean_one(str(u)) for u in uniq}  # over unique values only
    return s.map(mapping).astype("string")
