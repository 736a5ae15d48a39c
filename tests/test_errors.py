"""The one error hierarchy: where each class sits and what its message says."""

from __future__ import annotations

import pytest

from eduanalytics.errors import (
    ConfigError,
    DataError,
    EduError,
    IngestError,
    InputError,
    LockError,
    MissingFileError,
    ReportError,
)


@pytest.mark.parametrize("cls", [ConfigError, InputError, IngestError, DataError, MissingFileError,
                                 ReportError, LockError])
def test_every_error_is_an_edu_error(cls):
    assert issubclass(cls, EduError)


def test_input_errors_are_value_errors_for_old_callers():
    assert issubclass(MissingFileError, InputError) and issubclass(InputError, ValueError)
    assert not issubclass(ReportError, ValueError)


def test_messages_name_the_place_and_what_was_expected():
    e = InputError("negative count", file="t.csv", sheet="S", row=7, column="目标",
                   expected="a count >= 0", found="-3")
    assert str(e) == "t.csv, sheet S, row 7, column 目标: negative count; expected a count >= 0; found '-3'"
    assert e.file == "t.csv" and e.location.row == 7
    c = ConfigError("is not set", file="config/x.yaml", key="inputs.register.path", allowed="a path")
    assert str(c) == "config/x.yaml: key inputs.register.path: is not set (allowed: a path)"
    m = MissingFileError("file not found", file="data/raw/x.csv")
    assert str(m) == "data/raw/x.csv: file not found"


def test_no_bare_builtin_raise_for_bad_input():
    """Bad input raises the project's errors: no ``raise ValueError/KeyError/TypeError`` in
    src/ (AssertionError stays for internal invariants, which are bugs if they fire)."""
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "eduanalytics"
    pattern = re.compile(r"raise (ValueError|KeyError|TypeError|IndexError)\b")
    hits = [f"{p.relative_to(src)}:{i}" for p in src.rglob("*.py")
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
            if pattern.search(line)]
    assert hits == []
