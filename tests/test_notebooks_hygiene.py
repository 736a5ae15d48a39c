"""Notebooks stay thin and diffable: a parameters cell, no outputs, no logic."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
COMMON = {"config", "year", "as_of", "processed_dir", "charts_dir"}


def test_notebooks_exist():
    names = {p.name[:2] for p in NOTEBOOKS}
    assert "01" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_declares_the_common_set(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    declared = set(re.findall(r"^(\w+)\s*=", tagged[0].source, re.M))
    assert COMMON <= declared, f"missing parameters {COMMON - declared}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_stripped_and_no_definitions(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not cell.get("outputs"), f"{path.name}: outputs must be stripped"
        assert cell.get("execution_count") is None, f"{path.name}: execution counts stripped"
        assert not re.search(r"^\s*(def|class)\s", cell.source, re.M), (
            f"{path.name}: logic belongs in src/eduanalytics")
