"""The README's "What happens to bad input" table is the corpus's declared fates."""

from __future__ import annotations

from pathlib import Path

from corpus.cases import CASES, load_script

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_section_equals_the_script_output():
    script = load_script("fates_table")
    section = script.readme_section(README.read_text(encoding="utf-8"))
    assert section == script.fates_table(CASES), (
        "README.md is out of date: run python scripts/fates_table.py --write-readme")


def test_table_has_a_row_per_case_and_escapes_cells():
    script = load_script("fates_table")
    rows = script.fates_table(CASES).splitlines()[2:]
    assert len(rows) == len(CASES)
    assert all(r.count(" | ") == 3 for r in rows)  # no stray | from a description
    assert "<script" not in script.fates_table(CASES)
