"""The command line: clear one-line errors (exit 2), bugs with a traceback (exit 70), the
argument checks, one set of counts, the briefing export."""

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
    assert main(["clean", "--config", "no_such_region"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("eduanalytics clean: error:") and "no_such_region" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(("args", "words"), [
    (["--as-of", "2023-13-45"], "not a real date"),
    (["--as-of", "2023/31/12"], "not a real date"),
    (["--as-of", "2023-02-29"], "not a real date"),  # 2023 is not a leap year
    (["--year", "23"], "four-digit"),
    (["--year", "1899"], "plausible"),
    (["--year", "twenty"], "four-digit"),
])
def test_bad_dates_and_years_stop_before_anything_runs(capsys, monkeypatch, args, words):
    import eduanalytics.cli as cli

    ran = []
    monkeypatch.setattr(cli, "cmd_clean", lambda a: ran.append(a) or 0)
    with pytest.raises(SystemExit) as exc:
        main(["clean", *args])
    assert exc.value.code == 2 and not ran
    assert words in capsys.readouterr().err


def test_good_date_is_normalised():
    from eduanalytics.cli import build_parser

    a = build_parser().parse_args(["report", "--as-of", "2024-02-29", "--year", "2024"])
    assert a.as_of == "2024-02-29" and a.year == 2024


def test_user_error_exits_2_without_traceback_and_masked(capsys, monkeypatch):
    import eduanalytics.cli as cli
    from eduanalytics.errors import InputError

    def boom(args):
        raise InputError("bad ID 33100419900101123X", file="r.xlsx", row=4)

    monkeypatch.setattr(cli, "cmd_clean", boom)
    assert main(["clean", "--as-of", "2023-12-31"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "r.xlsx, row 4: bad ID 331004********123X" in err
    assert "33100419900101123X" not in err


def test_a_bug_prints_the_traceback_and_exits_70(capsys, monkeypatch):
    import eduanalytics.cli as cli

    def bug(args):
        return {}["no such key"]

    monkeypatch.setattr(cli, "cmd_clean", bug)
    assert main(["clean", "--as-of", "2023-12-31"]) == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and "KeyError" in err and "bug" in err


def test_value_error_is_no_longer_taken_for_a_user_error(capsys, monkeypatch):
    import eduanalytics.cli as cli

    def bug(args):
        raise ValueError("an internal slip")

    monkeypatch.setattr(cli, "cmd_clean", bug)
    assert main(["clean", "--as-of", "2023-12-31"]) == 70


def test_clean_prints_the_counts_of_the_log(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["clean", "--out", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    line = [ln for ln in out.splitlines() if " rows in, " in ln][0]
    counts = line.split(" Log: ")[0]
    log = (tmp_path / "p" / "cleaning_log.md").read_text(encoding="utf-8")
    assert counts in log  # the log heads with the very same line
    import pandas as pd

    rec = pd.read_csv(tmp_path / "p" / "reconciliation.csv", encoding="utf-8-sig")
    f = pd.read_csv(tmp_path / "p" / "findings.csv", encoding="utf-8-sig")
    disagree = int((~f["kind"].isin(["total_matches", "sources_agree"])).sum())
    assert f"; {disagree} reconciliation finding(s) disagree" in counts
    assert int(rec["findings_disagree"].sum()) == disagree
    assert f"{disagree} disagreement(s)" in log


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


def test_clean_with_the_dask_engine_writes_enrolments_as_parts(tmp_path, capsys):
    """``clean --engine dask`` has the workers write the clean register as Parquet parts
    into the output folder. The hand-built register (_support.register_parts): 18 rows in 5
    parts, 10 clean, 8 rejected; with the task table's 3 rows, 21 in and 13 clean."""
    from _support.register_parts import make_region

    from eduanalytics.catalog import read_table

    config = make_region(tmp_path / "region")
    out = tmp_path / "processed"
    assert main(["clean", "--config", str(config), "--year", "2023", "--as-of", "2023-12-31",
                 "--engine", "dask", "--scheduler", "synchronous", "--out", str(out)]) == 0
    assert "21 rows in, 13 clean, 8 rejected" in capsys.readouterr().out
    assert len(list((out / "enrolments.parquet").glob("part-*.parquet"))) == 5
    assert len(read_table(out, "enrolments")) == 10


def test_check_with_the_dask_engine_counts_without_keeping_the_table(tmp_path, capsys, monkeypatch):
    """``check --engine dask`` cleans the register on Dask, as ``report --engine dask`` will
    (the report runs this check first): the hand-built register's 18 rows give 10 clean and
    8 rejected, and nothing is left behind (the parts go to a temporary folder). The parts
    of the register folder are its input, not unused files."""
    import tempfile

    from _support.register_parts import make_region

    from eduanalytics.ingest import register

    engines = []
    real = register.ingest_register
    monkeypatch.setattr(register, "ingest_register",
                        lambda *a, **k: engines.append(k.get("engine")) or real(*a, **k))
    config = make_region(tmp_path / "region")
    before = set(Path(tempfile.gettempdir()).glob("eduanalytics-check-*"))
    main(["check", "--config", str(config), "--year", "2023", "--engine", "dask",
          "--scheduler", "synchronous"])
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.split()[:1] == ["register"])
    assert line.split()[2:5] == ["18", "10", "8"]
    assert engines == ["dask"]
    assert "(no input)" not in out
    assert set(Path(tempfile.gettempdir()).glob("eduanalytics-check-*")) == before
    # no clean parts written anywhere: the only Parquet files are the register's own
    register = tmp_path / "region" / "data" / "raw" / "parts" / "2023" / "register"
    assert set((tmp_path / "region").rglob("*.parquet")) == set(register.glob("*.parquet"))
