"""One count, one source: the log, the command line and the report read the same table."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from eduanalytics.ingest.cleaning_log import (
    reconciliation_summary,
    render_log,
    summary_line,
    summary_totals,
)
from eduanalytics.ingest.core import FINDING_COLUMNS, REJECT_COLUMNS, StepResult


def _finding(step: str, kind: str, message: str = "m") -> dict:
    return {"step": step, "file": "f", "row": 1, "column": "c", "kind": kind, "published": 1.0,
            "computed": 1.0, "difference": 0.0, "message": message}


def _steps():
    rej = pd.DataFrame([
        {"step": "enrolments", "file": "r.xlsx", "row": 5, "column": "身份证号",
         "value": "33100419900101123X", "reason": "bad check digit", "original": '{"姓名": "张三"}'},
        {"step": "enrolments", "file": "r.xlsx", "row": 5, "column": "街道", "value": "=x",
         "reason": "unknown unit", "original": ""},
        {"step": "enrolments", "file": "r.xlsx", "row": 9, "column": "备注",
         "value": "姓名：李四", "reason": "blank date", "original": ""}], columns=REJECT_COLUMNS)
    task = StepResult("task_table", [Path("t.csv")], {}, rows_in=16, rows_clean=15, rows_total=1,
                      findings=pd.DataFrame([_finding("task_table", "total_matches"),
                                             _finding("task_table", "total_matches"),
                                             _finding("task_table", "total_mismatch")],
                                            columns=FINDING_COLUMNS))
    reg = StepResult("enrolments", [Path("r.xlsx")], {}, rows_in=10, rows_clean=8, rejected=rej,
                     synthetic=True)
    census = StepResult("census_county", [Path("c.csv")], {}, rows_in=3, rows_clean=3,
                        findings=pd.DataFrame([_finding("census_county", "missing_code")],
                                              columns=FINDING_COLUMNS))
    return [task, reg, census]


def test_summary_counts_findings_per_step_including_those_made_outside_steps():
    steps = _steps()
    # the pipeline compares the two task-table copies outside any step: two agreeing checks,
    # and a step name ("task_table[docx]") that no StepResult carries: one disagreement
    extra = pd.DataFrame([_finding("task_table", "sources_agree"), _finding("task_table", "sources_agree"),
                          _finding("task_table[docx]", "sources_disagree")], columns=FINDING_COLUMNS)
    findings = pd.concat([s.findings for s in steps] + [extra], ignore_index=True)
    s = reconciliation_summary(steps, findings).set_index("step")
    assert s.loc["task_table", ["findings_agree", "findings_disagree"]].tolist() == [4, 1]
    assert s.loc["census_county", ["findings_agree", "findings_disagree"]].tolist() == [0, 1]
    assert s.loc["task_table[docx]", ["rows_in", "findings_disagree"]].tolist() == [0, 1]
    assert s.loc["enrolments", "rows_rejected"] == 2  # rows 5 and 9; row 5 has two problems
    t = summary_totals(s.reset_index())
    # by hand: rows 16+10+3, clean 15+8+3, rejected 2, totals 1; findings agree 2+2,
    # disagree 1 (task) + 1 (census) + 1 (docx comparison)
    assert t == {"rows_in": 29, "rows_clean": 26, "rows_rejected": 2, "rows_total": 1,
                 "findings_agree": 4, "findings_disagree": 3}


def test_log_and_command_line_line_print_the_same_counts():
    steps = _steps()
    extra = pd.DataFrame([_finding("task_table", "sources_agree")], columns=FINDING_COLUMNS)
    findings = pd.concat([s.findings for s in steps] + [extra], ignore_index=True)
    summary = reconciliation_summary(steps, findings)
    rejected = pd.concat([s.rejected for s in steps], ignore_index=True)
    log = render_log("X区", 2023, "2023-12-31", summary, rejected,
                     pd.DataFrame(columns=["step", "column", "change", "n"]), findings)
    line = summary_line(summary)
    assert line == ("29 rows in, 26 clean, 2 rejected, 1 totals rows; 2 reconciliation "
                    "finding(s) disagree, 3 check(s) agree.")
    assert line in log
    assert "2 disagreement(s); 3 check(s) that agree." in log
    assert "2 source row(s), 3 problem(s)" in log
    # the counts in the log's text all agree with the summary
    assert set(re.findall(r"(\d+) disagreement", log)) == {"2"}


def test_log_masks_ids_and_names_in_rejected_rows():
    steps = _steps()
    rejected = pd.concat([s.rejected for s in steps], ignore_index=True)
    log = render_log("X区", 2023, "2023-12-31", steps, rejected,
                     pd.DataFrame(columns=["step", "column", "change", "n"]),
                     pd.DataFrame(columns=FINDING_COLUMNS))
    assert "33100419900101123X" not in log and "331004********123X" in log
    assert "李四" not in log and "姓名：**" in log
    assert "张三" not in log
