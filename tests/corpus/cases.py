"""The bad-input corpus's cases (declared in ``scripts/make_bad_inputs.py``) as test params.

``KNOWN_FAILING`` lists the cases whose DECLARED fate today's code does not yet give; they
run as ``xfail(strict=False)`` and leave this set as the code is fixed. Never weaken a
declared fate to move a case out of here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def load_script(name: str):
    """Import ``scripts/<name>.py`` (scripts/ is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


gen = load_script("make_bad_inputs")
CASES = gen.load_cases()
BY_ID = {c.id: c for c in CASES}

#: Cases whose declared fate the code does not give yet, with today's behaviour. The
#: integrator empties this set as the fixes land.
KNOWN_FAILING: set[str] = set()

PARAMS = [
    pytest.param(c, id=c.id, marks=pytest.mark.xfail(strict=False, reason="KNOWN_FAILING: declared fate not given yet"))
    if c.id in KNOWN_FAILING else pytest.param(c, id=c.id)
    for c in CASES
]

#: Seconds per case (printed at the end of the run, never asserted).
TIMES: dict[str, float] = {}


def run_clean_on(config_path: Path, out: Path):
    """Load a case's config (root = its folder) and run the cleaning step into ``out``."""
    from eduanalytics.config import load_config
    from eduanalytics.ingest.pipeline import run_clean

    cfg = load_config(config_path, gen.YEAR, root=config_path.parent)
    return run_clean(cfg, as_of=gen.AS_OF, out_dir=out)


def read_outputs(out: Path) -> dict:
    """The cleaning step's outputs as tables and texts (missing ones empty)."""
    def csv(name: str) -> pd.DataFrame:
        p = out / name
        return pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig") if p.exists() else pd.DataFrame()

    recon = csv("reconciliation.csv")
    for c in ("rows_in", "rows_clean", "rows_rejected", "rows_total", "rows_duplicate"):
        if c in recon.columns:
            recon[c] = pd.to_numeric(recon[c])
    changes = csv("changes.csv")
    if "n" in changes.columns:
        changes["n"] = pd.to_numeric(changes["n"])
    log = out / "cleaning_log.md"
    return {"recon": recon, "rejected": csv("rejected.csv"), "changes": changes,
            "findings": csv("findings.csv"), "log": log.read_text(encoding="utf-8") if log.exists() else ""}
