"""Example profiles: each region's generator parameters; the config picks one."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduanalytics.config import load_config
from eduanalytics.errors import ConfigError
from eduanalytics.example import profiles
from eduanalytics.example.generate import profile_for

ROOT = Path(__file__).resolve().parents[2]


def test_each_bundled_config_has_its_profile():
    assert profile_for(load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)) is profiles.LUQIAO
    assert profile_for(load_config(ROOT / "config/xianju.yaml", 2023, root=ROOT)) is profiles.XIANJU


def test_profiles_are_complete():
    assert profiles.LUQIAO["layout"] == "district" and profiles.XIANJU["layout"] == "county"
    assert sum(u[1] for u in profiles.XIANJU["units"]) == pytest.approx(1.0)
    for prof in (profiles.LUQIAO, profiles.XIANJU):
        assert "示例数据" in prof["register_title"]
        assert {"local", "migrant", "retired", "retired_before"} <= set(prof["areas"])


def test_unknown_profile_is_a_config_error(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "data").mkdir()
    path = tmp_path / "config" / "other.yaml"
    path.write_text("region: other\nname: 某县\ndefault_year: 2023\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="example profile"):
        profile_for(load_config(path, root=tmp_path))
