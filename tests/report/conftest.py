"""The made-up two-town county (tests/_support/mini_county.py) as fixtures for the
analyses' tests: its config (written under tmp_path) and its processed tables."""

from __future__ import annotations

import pytest
from _support.mini_county import make_cfg, make_tables


@pytest.fixture()
def cfg(tmp_path):
    return make_cfg(tmp_path)


@pytest.fixture()
def tables():
    return make_tables()
