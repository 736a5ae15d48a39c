"""Atomic, locked output folders: swap, lock, stale lock, failure, SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from eduanalytics.atomic_dir import acquire_lock, atomic_dir, lock_path, release_lock
from eduanalytics.errors import LockError

SRC = Path(__file__).resolve().parents[1] / "src"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_folder_replaces_old_one_whole(tmp_path):
    final = tmp_path / "2023"
    before = signal.getsignal(signal.SIGTERM)
    with atomic_dir(final) as tmp:
        assert signal.getsignal(signal.SIGTERM) is not before  # installed for the run
        assert tmp.parent == tmp_path and tmp.name.startswith(".2023.tmp-") and not final.exists()
        (tmp / "a.txt").write_text("one")
    with atomic_dir(final) as tmp:
        (tmp / "b.txt").write_text("two")
    assert _snapshot(final) == {"b.txt": b"two"}  # nothing of the old run survives
    assert signal.getsignal(signal.SIGTERM) is before  # restored
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023"]  # no temp folder, no lock


def test_failed_run_leaves_previous_folder_byte_identical(tmp_path):
    final = tmp_path / "2023"
    with atomic_dir(final) as tmp:
        (tmp / "report.html").write_bytes(b"<p>old</p>")
        (tmp / "sub").mkdir()
        (tmp / "sub" / "t.parquet").write_bytes(b"\x00\x01")
    before = _snapshot(final)
    kept = []
    with pytest.raises(RuntimeError, match="boom"), \
            atomic_dir(final, on_failure=lambda t, e: kept.append((t.name, str(e)))) as tmp:
        (tmp / "report.html").write_bytes(b"<p>half</p>")
        raise RuntimeError("boom")
    assert _snapshot(final) == before
    assert kept and kept[0][1] == "boom"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023"]


def test_second_run_gets_a_lock_error_naming_the_first(tmp_path):
    final = tmp_path / "2023"
    with atomic_dir(final), pytest.raises(LockError) as exc, atomic_dir(final):
        pass
    msg = str(exc.value)
    assert str(os.getpid()) in msg and "another run" in msg and str(lock_path(final)) in msg
    assert not lock_path(final).exists()  # released after the first run


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path, caplog):
    final = tmp_path / "2023"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    lock_path(final).write_text(json.dumps({"pid": pid, "host": os.uname().nodename,
                                            "started": "2023-01-01T00:00:00"}))
    (tmp_path / ".2023.tmp-99999-abcdef").mkdir()  # left by that run
    with caplog.at_level("WARNING"), atomic_dir(final) as tmp:
        (tmp / "x").write_text("1")
    assert "stale lock" in caplog.text and str(pid) in caplog.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023"]


def test_lock_of_a_live_process_is_respected(tmp_path):
    final = tmp_path / "2023"
    path = acquire_lock(final)
    try:
        with pytest.raises(LockError, match="another run"):
            acquire_lock(final)
    finally:
        release_lock(path)
    assert not path.exists()


def test_sigterm_removes_the_temporary_folder(tmp_path):
    final = tmp_path / "2023"
    with atomic_dir(final) as tmp:
        (tmp / "old.txt").write_text("previous")
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(SRC)!r})
        from eduanalytics.atomic_dir import atomic_dir
        with atomic_dir({str(final)!r}) as tmp:
            (tmp / "half.txt").write_text("half")
            print("ready", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    assert any(p.name.startswith(".2023.tmp-") for p in tmp_path.iterdir())
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    time.sleep(0.1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023"]  # no temp folder, no lock
    assert _snapshot(final) == {"old.txt": b"previous"}
