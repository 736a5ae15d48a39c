"""No region's words in the code: every region word comes from its config.

For every ``config/*.yaml``: its name, unit names (three characters or more), notice number
and the regions its reference plan and text targets belong to must not appear anywhere in
``src/`` (the example generator aside, which writes the bundled regions' files) or in
``notebooks/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = sorted((ROOT / "config").glob("*.yaml"))


def region_words(data: dict) -> set[str]:
    """The words of one region config that code must not hard-code."""
    words = {str(data.get("name", ""))}
    words |= {str(u["name"]) for u in data.get("units") or [] if len(str(u["name"])) >= 3}
    words.add(str((data.get("notice") or {}).get("number", "")))
    inputs = data.get("inputs") or {}
    for kind in ("plan_indicators", "ce_targets"):
        entry = inputs.get(kind)
        if isinstance(entry, dict) and entry.get("region"):
            words.add(str(entry["region"]))
    for key in ("plan_region", "ce_targets_region"):
        if data.get(key):
            words.add(str(data[key]))
    return {w for w in words if w}


def code_files() -> list[Path]:
    src = [p for p in (ROOT / "src").rglob("*.py") if "example" not in p.relative_to(ROOT / "src").parts]
    return src + sorted((ROOT / "notebooks").glob("*.ipynb"))


def _hits(words: set[str], files: list[Path]) -> list[str]:
    hits = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        hits += [f"{path.relative_to(ROOT)}: {w}" for w in sorted(words) if w in text]
    return hits


def test_there_is_code_to_check():
    files = code_files()
    assert any(p.name == "analyses.py" for p in files)
    assert any(p.suffix == ".ipynb" for p in files)
    assert not any("example" in p.parts for p in files)


def test_region_words_are_collected():
    words = region_words({"name": "某市某某县", "units": [{"name": "甲镇"}, {"name": "乙街道"}],
                          "notice": {"number": "某教〔2023〕1号"},
                          "inputs": {"plan_indicators": {"path": "p.csv", "region": "某某区"}}})
    assert words == {"某市某某县", "乙街道", "某教〔2023〕1号", "某某区"}


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.stem)
def test_no_region_word_in_src_or_notebooks(config):
    words = region_words(yaml.safe_load(config.read_text(encoding="utf-8")))
    assert words, f"{config.name}: no region words found"
    hits = _hits(words, code_files())
    assert not hits, hits
