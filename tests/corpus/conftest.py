"""Fixtures of the bad-input corpus: the reduced example, its baseline run, the case folders.

Everything is written under pytest's tmp_path (configs use absolute paths and a tmp root),
so nothing lands in the repository. To keep the corpus fast, an ingest step whose input
file is byte-identical to the baseline's (and whose config section is the same) is not
recomputed: :func:`_memoise` returns a copy of the baseline's result for it, pointed at
the case's file. Set ``EDUANALYTICS_CORPUS_NO_CACHE=1`` to recompute every step.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from corpus.cases import TIMES, read_outputs, run_clean_on
from corpus.cases import gen as corpus


@pytest.fixture(scope="session")
def salted():
    """A fixed salt, so no salt file is created anywhere."""
    mp = pytest.MonkeyPatch()
    mp.setenv("EDUANALYTICS_SALT", "corpus-test-salt-0123456789abcdef")
    yield
    mp.undo()


def _memoise(fn, cache: dict):
    def wrapper(path, config, *args, **kwargs):
        path = Path(path)
        if not path.is_file():
            return fn(path, config, *args, **kwargs)
        section = {k: v for k, v in config.data.items() if k != "inputs"}
        key = (path.name, hashlib.sha256(path.read_bytes()).hexdigest(),
               json.dumps(section, sort_keys=True, default=str), repr(args), repr(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = fn(path, config, *args, **kwargs)
        res = copy.deepcopy(cache[key])
        res.files = [path]
        if len(res.rejected):
            res.rejected["file"] = str(path)
        return res
    return wrapper


@pytest.fixture(scope="session")
def memoised_steps(salted):
    """Reuse the register and task-table steps when their input did not change."""
    if os.environ.get("EDUANALYTICS_CORPUS_NO_CACHE"):
        yield
        return
    from eduanalytics.ingest import pipeline

    mp = pytest.MonkeyPatch()
    for name in ("ingest_register", "ingest_task_table"):
        if hasattr(pipeline, name):
            mp.setattr(pipeline, name, _memoise(getattr(pipeline, name), {}))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def base(tmp_path_factory, memoised_steps) -> Path:
    """The reduced example (150 clean register rows per sheet), undamaged."""
    t0 = time.perf_counter()
    folder = corpus.make_base(tmp_path_factory.mktemp("corpus") / "base")
    corpus.write_config(folder)
    TIMES["(build reduced example)"] = time.perf_counter() - t0
    return folder


@pytest.fixture(scope="session")
def baselines(base, tmp_path_factory):
    """``get(kinds)``: outputs of the undamaged reduced example read with the inputs
    ``kinds`` only (what a case naming the same inputs is compared with); run once each."""
    cache: dict[tuple[str, ...], dict] = {}

    def get(kinds: tuple[str, ...]) -> dict:
        if kinds not in cache:
            t0 = time.perf_counter()
            config = corpus.write_config(base, kinds, name=f"config-{len(cache)}.yaml")
            out = tmp_path_factory.mktemp("baseline")
            run_clean_on(config, out)
            cache[kinds] = read_outputs(out)
            TIMES[f"(baseline {'+'.join(kinds)})"] = time.perf_counter() - t0
        return cache[kinds]
    return get


@pytest.fixture(scope="session")
def baseline(baselines) -> dict:
    """The baseline with every input."""
    return baselines(tuple(corpus.FILES))


@pytest.fixture(scope="session")
def personal(base) -> dict:
    """Names of the register (those not also words of the config or other inputs)."""
    import openpyxl

    wb = openpyxl.load_workbook(base / corpus.FILES["register"][0], read_only=True)
    names = set()
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        col = [i for i, v in enumerate(rows[1]) if v == "姓名"]
        names |= {r[col[0]] for r in rows[2:] if col and isinstance(r[col[0]], str)}
    wb.close()
    other = corpus.CONFIG.read_text(encoding="utf-8") + "".join(
        (base / name).read_text(encoding="utf-8-sig") for kind, (name, _) in corpus.FILES.items()
        if name.endswith(".csv"))
    return {"names": sorted(n for n in names if len(n) >= 2 and n not in other)}


@pytest.fixture
def case_folder(base, tmp_path):
    """Build one case's folder (a copy of the base, damaged) and return its config path."""
    def build(case) -> Path:
        folder = tmp_path / case.id
        shutil.copytree(base, folder, ignore=shutil.ignore_patterns("config*.yaml"))
        if case.input != "config" and case.damage is not None:
            case.damage(folder)
        return corpus.write_config(folder, case.kinds, case.damage if case.input == "config" else None)
    return build


def pytest_terminal_summary(terminalreporter):
    """Print the per-case times (measured, never asserted)."""
    if not TIMES:
        return
    cases = {k: v for k, v in TIMES.items() if not k.startswith("(")}
    terminalreporter.write_sep("-", "bad-input corpus: seconds per case")
    for k, v in TIMES.items():
        if k.startswith("("):
            terminalreporter.write_line(f"{k:34} {v:6.2f}")
    if cases:
        vals = sorted(cases.values())
        terminalreporter.write_line(
            f"{len(vals)} cases: total {sum(vals):.1f} s, median {vals[len(vals) // 2]:.2f} s, "
            f"slowest {max(cases, key=cases.get)} {vals[-1]:.2f} s")
