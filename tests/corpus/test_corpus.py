"""Every case of the bad-input corpus meets its declared fate, reconciles and leaks nothing.

One parametrised test per case (``scripts/make_bad_inputs.py`` declares them): it damages a
copy of the reduced example, runs ONLY the cleaning step (or ``eduanalytics clean`` for
command-line cases) and checks, against the undamaged baseline run:

- the fate: ``error`` -> an EduError naming the file (and sheet/column words), nothing
  written; ``quarantine`` -> exactly ``rows`` more source rows rejected (or set aside as
  duplicates) for that file, with reasons; ``accept`` -> no row lost or rejected, the
  normalisation counted in changes.csv; ``flag`` -> one more finding for that file and the
  cleaning log naming what it should;
- rows reconcile in reconciliation.csv (in = clean + rejected + duplicates + totals), and
  ``rows_in`` of the damaged file equals the data rows actually in it;
- no output (parquet, csv, md, json) holds a valid 18-digit ID number, a register name or
  raw ``<script``, and no csv cell starts with ``= + - @`` unless it is a plain number.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd
import pytest
from corpus.cases import PARAMS, TIMES, read_outputs, run_clean_on
from corpus.cases import gen as corpus

NOT_FINDINGS = {"total_matches", "sources_agree"}
STEP_OF = {"task_table": "task_table", "task_table_copy": "task_table", "register": "enrolments",
           "census_streets": "population[census]", "survey": "population[survey]",
           "census_county": "census_county", "plan_indicators": "plan_indicators",
           "ce_targets": "ce_targets"}
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


# ---- what an output may not hold ------------------------------------------------------------

def leaks(text: str, names: list[str]) -> list[str]:
    """Valid ID numbers, register names and raw ``<script`` found in ``text``."""
    found = [f"ID {m[:6]}…" for m in _ID.findall(text) if corpus._id_ok(m.upper())]
    found += [f"name {n}" for n in names if n in text]
    if "<script" in text.lower():
        found.append("raw <script")
    return found


def formula_cells(path: Path) -> list[str]:
    """CSV cells a spreadsheet would run as a formula (plain numbers such as -3 are fine)."""
    import csv
    import io

    bad = []
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@") and not _PLAIN_NUMBER.fullmatch(cell):
                bad.append(cell[:30])
    return bad


def output_problems(out: Path, names: list[str]) -> list[str]:
    """Every leak or live formula in the files under ``out``."""
    problems = []
    for p in sorted(out.rglob("*")) if out.exists() else []:
        if not p.is_file():
            continue
        if p.suffix == ".parquet":
            df = pd.read_parquet(p)
            text = df.astype(str).to_csv(index=False) + " ".join(map(str, df.columns))
        elif p.suffix in (".csv", ".md", ".json", ".txt", ".html"):
            text = p.read_text(encoding="utf-8-sig")
        else:
            continue
        problems += [f"{p.name}: {x}" for x in leaks(text, names)]
        if p.suffix == ".csv":
            problems += [f"{p.name}: live formula {c!r}" for c in formula_cells(p)]
    return problems


# ---- rows actually in a damaged file ----------------------------------------------------------

def data_rows(path: Path) -> int | None:
    """Data rows of a CSV (after its header) or of the register's configured sheets."""
    if path.suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        n = sum(1 for ws in wb.worksheets if ws.title in (corpus.MAIN, corpus.TRAIN)
                for r in ws.iter_rows(min_row=4, values_only=True)
                if any(v is not None and str(v).strip() for v in r))
        wb.close()
        return n
    if path.suffix == ".csv":
        import csv
        import io

        data = path.read_bytes()
        enc = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
        return max(len(rows) - 1, 0)
    return None


def per_file(recon: pd.DataFrame, file: str) -> dict[str, int]:
    """Rows in/clean/rejected(+duplicates) of one file, summed over its steps and sheets."""
    if recon.empty or "file" not in recon.columns:
        return {"rows_in": 0, "rows_clean": 0, "rows_out": 0, "steps": 0}
    sub = recon[recon["file"].str.contains(file, regex=False)]
    dup = sub["rows_duplicate"].sum() if "rows_duplicate" in sub.columns else 0
    return {"rows_in": int(sub["rows_in"].sum()), "rows_clean": int(sub["rows_clean"].sum()),
            "rows_out": int(sub["rows_rejected"].sum() + dup), "steps": len(sub)}


def n_findings(findings: pd.DataFrame, file: str) -> int:
    if findings.empty:
        return 0
    mine = findings["file"].str.contains(file, regex=False)
    return int((mine & ~findings["kind"].isin(NOT_FINDINGS)).sum())


def n_changes(changes: pd.DataFrame, step: str) -> int:
    if changes.empty:
        return 0
    return int(changes.loc[changes["step"].str.startswith(step), "n"].sum())


# ---- the test --------------------------------------------------------------------------------

@pytest.mark.parametrize("case", PARAMS)
def test_case_meets_its_declared_fate(case, case_folder, baselines, personal, tmp_path, capsys):
    baseline = baselines(case.kinds)
    t0 = time.perf_counter()
    config_path = case_folder(case)
    out = tmp_path / "out"
    try:
        if case.input == "cli":
            _check_cli(case, config_path, out, capsys)
        else:
            _check_run(case, config_path, out, baseline, personal["names"])
        problems = output_problems(out, personal["names"])
        assert not problems, f"outputs leak or hold live formulas: {problems[:5]}"
    finally:
        TIMES[case.id] = time.perf_counter() - t0


def _check_cli(case, config_path: Path, out: Path, capsys) -> None:
    from eduanalytics import cli

    argv = ["clean", "--config", str(config_path), "--out", str(out), *case.argv]
    try:
        rc = cli.main(argv)
    except SystemExit as exc:  # argparse rejects an argument with exit status 2
        rc = exc.code
    err = capsys.readouterr().err
    if case.fate == "error":
        assert rc not in (0, None), f"eduanalytics {' '.join(case.argv)} succeeded"
        assert "Traceback" not in err, err
        for word in case.mentions:
            assert word in err, f"message does not name {word!r}: {err}"
        assert not out.exists() or not any(out.iterdir()), "outputs written although the run stopped"
    else:
        assert rc == 0, err
        import json

        prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
        assert prov["as_of"] == corpus.AS_OF


def _check_run(case, config_path: Path, out: Path, baseline: dict, names: list[str]) -> None:
    from eduanalytics.errors import EduError

    if case.fate == "error":
        with pytest.raises(Exception) as info:
            run_clean_on(config_path, out)
        exc = info.value
        assert isinstance(exc, EduError), f"{type(exc).__name__} (not an EduError): {exc}"
        msg = str(exc)
        for word in (case.file, *case.mentions):
            assert word in msg, f"message does not name {word!r}: {msg}"
        assert not leaks(msg, names), f"message leaks {leaks(msg, names)}"
        assert not out.exists() or not any(out.iterdir()), "outputs written although the run stopped"
        return

    run_clean_on(config_path, out)
    got = read_outputs(out)
    recon = got["recon"]
    assert not recon.empty, "no reconciliation.csv"
    dup = recon["rows_duplicate"] if "rows_duplicate" in recon.columns else 0
    adds_up = recon["rows_in"] == recon["rows_clean"] + recon["rows_rejected"] + recon["rows_total"] + dup
    assert adds_up.all(), f"rows do not reconcile:\n{recon.loc[~adds_up].to_string()}"

    folder = config_path.parent
    expected_in = data_rows(folder / case.file)
    mine, before = per_file(recon, case.file), per_file(baseline["recon"], case.file)
    if expected_in is not None:
        assert mine["rows_in"] == expected_in, (
            f"{case.file}: {expected_in} data rows in the file but reconciliation.csv counts "
            f"{mine['rows_in']} in (rows lost without a word)")
    for kind in case.kinds:  # the inputs not damaged keep the baseline's figures
        name = corpus.FILES[kind][0]
        if name != case.file:
            assert per_file(recon, name) == per_file(baseline["recon"], name), f"{name} changed"

    if case.fate == "quarantine":
        added = mine["rows_out"] - before["rows_out"]
        assert added == case.rows, f"{case.file}: {added} more row(s) quarantined, expected {case.rows}"
        rej = got["rejected"]
        mine_rej = rej[rej["file"].str.contains(case.file, regex=False)] if len(rej) else rej
        assert len(mine_rej) and mine_rej["reason"].str.strip().ne("").all(), "quarantined without a reason"
    elif case.fate == "accept":
        assert mine["rows_out"] == before["rows_out"], (
            f"{case.file}: {mine['rows_out'] - before['rows_out']} row(s) rejected; expected the value "
            "accepted:\n" + got["rejected"].tail(3).to_string())
        assert mine["rows_clean"] == before["rows_clean"], f"{case.file}: clean rows changed"
        if case.changed:
            step = STEP_OF[case.input]
            assert n_changes(got["changes"], step) > n_changes(baseline["changes"], step), (
                f"{step}: the normalisation is not counted in changes.csv")
    elif case.fate == "flag":
        assert n_findings(got["findings"], case.file) > n_findings(baseline["findings"], case.file), (
            f"{case.file}: no finding reported")
        for word in case.mentions:
            assert word in got["log"], f"cleaning_log.md does not mention {word!r}"


def test_corpus_has_one_case_per_kind_of_damage():
    cases = [p.values[0] for p in PARAMS]
    assert len(cases) >= 60
    assert {c.fate for c in cases} == set(corpus.FATES)
    inputs = {c.input for c in cases}
    assert set(corpus.FILES) | {"config", "cli"} <= inputs
    kinds = {(c.input, c.sheet, c.description) for c in cases}
    assert len(kinds) == len(cases)  # one case per kind of damage and input


def test_baseline_is_clean(baseline):
    """The reduced example itself loses nothing: every row clean or a published total."""
    recon = baseline["recon"]
    assert (recon["rows_in"] == recon["rows_clean"] + recon["rows_total"]).all(), recon.to_string()
    reg = per_file(recon, "register.xlsx")
    assert reg["rows_in"] == 300  # 150 rows of each sheet, chosen clean by hand-checked rules


def test_reconciliation_names_each_register_sheet(baseline):
    recon = baseline["recon"]
    text = recon.astype(str).to_csv(index=False)
    assert corpus.MAIN in text and corpus.TRAIN in text, recon.to_string()
