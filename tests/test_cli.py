"""The command line: clear one-line errors, the briefing export."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduanalytics import __version__
from eduanalytics.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and __version__ in capsys.readouterr().out


def test_missing_config_is_one_clear_line(capsys):
    assert main(["clean", "--config", "no_such_region"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("eduanalytics clean: error:") and "no_such_region" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_charts_command_exports_files(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["clean"]) == 0
    out = tmp_path / "briefing"
    assert main(["charts", "--format", "png,pdf", "--size", "half_a4", "--out", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert "target_completion_secondary_half_a4.png" in files
    assert "census_survey_scatter_half_a4.pdf" in files
    assert len(files) == 9 * 2


def test_templates_command(tmp_path):
    assert main(["templates", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "register.csv").exists() and (tmp_path / "input_templates.md").exists()
    head = (tmp_path / "task_table.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("责任单位,常住人口")
