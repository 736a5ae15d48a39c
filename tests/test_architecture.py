"""The package's tree shows its flow, and every import points down it.

ingest -> tables -> indicators -> charts -> report: ``indicators/`` and ``tables/``
import nothing from ``ingest``, ``report``, ``example`` or ``cli``; ``indicators/`` does no
file I/O; no module grows past about 400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "eduanalytics"
STAGES = {"ingest", "normalise", "tables", "indicators", "charts", "report", "example"}
#: sub-package -> sub-packages/modules of eduanalytics it must never import
FORBIDDEN = {
    "tables": {"ingest", "report", "example", "cli", "indicators", "charts", "catalog"},
    "indicators": {"ingest", "report", "example", "cli", "charts", "catalog"},
    "normalise": {"ingest", "report", "example", "cli", "indicators", "charts", "catalog"},
    "charts": {"ingest", "report", "example", "cli", "catalog"},
    "ingest": {"report", "example", "cli", "indicators", "charts"},
}
IO_CALLS = {"open", "read_csv", "read_parquet", "to_parquet", "to_csv", "read_excel", "to_excel",
            "read_text", "write_text", "read_bytes", "write_bytes", "savefig"}


def _modules(sub: str) -> list[Path]:
    return sorted((PKG / sub).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Second-level names of every ``eduanalytics.<x>`` import in a file."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + ([f"{node.module}.{a.name}" for a in node.names]
                                     if node.module == "eduanalytics" else [])
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for n in names:
            parts = n.split(".")
            if parts[0] == "eduanalytics" and len(parts) > 1:
                out.add(parts[1])
    return out


def test_tree_shows_the_stages():
    present = {p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert STAGES <= present


@pytest.mark.parametrize("sub", sorted(FORBIDDEN))
def test_imports_point_down_the_flow(sub):
    bad = {str(p.relative_to(PKG)): sorted(_imports(p) & FORBIDDEN[sub]) for p in _modules(sub)}
    assert {k: v for k, v in bad.items() if v} == {}


def test_indicators_do_no_file_io():
    found = {}
    for p in _modules("indicators"):
        calls = {n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
                 for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)}
        if calls & IO_CALLS:
            found[p.name] = sorted(calls & IO_CALLS)
    assert found == {}


def test_analyses_do_no_file_io():
    p = PKG / "report" / "analyses.py"
    calls = {n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
             for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)}
    assert not calls & IO_CALLS
    assert "catalog" not in _imports(p)


def test_no_module_much_longer_than_400_lines():
    long = {str(p.relative_to(PKG)): n for p in PKG.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450}
    assert long == {}


def test_every_module_has_a_test_module():
    tests = Path(__file__).resolve().parent
    missing = []
    for p in PKG.rglob("*.py"):
        if p.name.startswith("_"):
            continue
        rel = p.relative_to(PKG)
        if not (tests / rel.parent / f"test_{p.stem}.py").exists():
            missing.append(str(rel))
    assert sorted(missing) == []
