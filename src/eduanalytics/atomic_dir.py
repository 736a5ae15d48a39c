"""Atomic, single-writer output folders (the cleaning step's and the report's).

``with atomic_dir(final) as tmp:`` takes the folder's lock, hands out a fresh temporary
sibling folder to write into and, when the block ends without an exception, swaps it in
for ``final`` with renames — a reader sees the old folder or the new one, never half of
one. On an exception, SIGINT or SIGTERM the temporary folder is removed and ``final`` is
left exactly as it was.

The lock is a file beside the folder, ``.<name>.lock``, created with
``O_CREAT | O_EXCL`` and holding the writer's pid, host and start time. A second run of
the same folder gets a :class:`~eduanalytics.errors.LockError` naming that run; a lock
left by a process that no longer exists (on this host) is taken over with a warning.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from eduanalytics.errors import LockError

log = logging.getLogger(__name__)

#: Seconds after which an unreadable (half-written) lock file counts as stale.
UNREADABLE_LOCK_GRACE = 60.0


def lock_path(final: str | Path) -> Path:
    """The lock file of an output folder: ``<parent>/.<name>.lock``."""
    final = Path(final)
    return final.parent / f".{final.name}.lock"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def read_lock(path: str | Path) -> dict | None:
    """The lock's content (``pid``, ``host``, ``started``), or None if unreadable."""
    try:
        info = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and "pid" in info else None


def _stale(path: Path, info: dict | None) -> bool:
    if info is None:
        try:
            age = time.time() - path.stat().st_mtime
        except FileNotFoundError:
            return True
        return age > UNREADABLE_LOCK_GRACE
    if info.get("host") not in (None, socket.gethostname()):
        return False  # another machine's process: cannot tell, so respect it
    return not _pid_alive(int(info.get("pid", 0)))


def acquire_lock(final: str | Path) -> Path:
    """Take the lock of ``final`` or raise :class:`LockError`.

    Returns
    -------
    Path
        The lock file (pass it to :func:`release_lock`).
    """
    path = lock_path(final)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                          "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
    for _ in range(3):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            info = read_lock(path)
            if not _stale(path, info):
                who = (f"process {info['pid']} on {info.get('host', '?')}, started "
                       f"{info.get('started', '?')}" if info else "a run that is starting")
                raise LockError(
                    f"{final} is being written by another run ({who}). Wait for it to finish; "
                    f"if that process is gone, delete {path}.") from None
            log.warning("taking over the stale lock %s (%s no longer runs)", path,
                        f"process {info['pid']}" if info else "its writer")
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(payload)
        return path
    raise LockError(f"could not take the lock {path}; another run keeps taking it")


def release_lock(path: str | Path) -> None:
    """Remove a lock this process holds (a lock of another pid is left alone)."""
    info = read_lock(path)
    if info is not None and int(info.get("pid", -1)) != os.getpid():
        return
    with contextlib.suppress(FileNotFoundError):
        Path(path).unlink()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return rc == 0


def swap_in(tmp: Path, final: Path) -> None:
    """Put ``tmp`` in the place of ``final`` (whose old content is removed)."""
    if not final.exists():
        os.rename(tmp, final)
        return
    if _exchange(tmp, final):  # tmp now holds the old content
        shutil.rmtree(tmp, ignore_errors=True)
        return
    old = final.parent / f".{final.name}.old-{os.getpid()}-{secrets.token_hex(3)}"
    os.rename(final, old)
    try:
        os.rename(tmp, final)
    except OSError:
        os.rename(old, final)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _sweep(final: Path, keep: Path) -> None:
    """Remove temporary siblings of ``final`` left by earlier, interrupted runs.

    Called while holding the lock, so no other run can own any of them.
    """
    for pattern in (f".{final.name}.tmp-*", f".{final.name}.old-*", f".{final.name}.partial-*"):
        for p in final.parent.glob(pattern):
            if p != keep and p.is_dir():
                log.info("removing %s, left by an interrupted run", p)
                shutil.rmtree(p, ignore_errors=True)


class _SignalCleanup:
    """Turn SIGINT/SIGTERM into exceptions for the duration of a run (main thread only)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.previous: dict[int, object] = {}
        self.quiet = False

    def _handler(self, signum, frame):  # noqa: ARG002
        if self.quiet:
            return
        self.quiet = True
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    def __enter__(self) -> _SignalCleanup:
        if threading.current_thread() is threading.main_thread():
            for sig in self.SIGNALS:
                self.previous[sig] = signal.signal(sig, self._handler)
        return self

    def __exit__(self, *exc) -> None:
        self.quiet = True
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def atomic_dir(final: str | Path, on_failure: Callable[[Path, BaseException], None] | None = None,
               ) -> Iterator[Path]:
    """Write a folder atomically under its lock (see the module notes).

    Parameters
    ----------
    final : path-like
        The folder the run produces, e.g. ``reports/<region>/<year>``.
    on_failure : callable, optional
        ``on_failure(tmp, exc)`` is called with the temporary folder before it is removed
        when the block raises an :class:`Exception` (not on SIGINT/SIGTERM), e.g. to keep
        the executed notebooks somewhere clearly named as failed.

    Yields
    ------
    Path
        The empty temporary folder to write into (``<parent>/.<name>.tmp-<pid>-<hex>``).

    Raises
    ------
    LockError
        When another live run holds the folder's lock.
    """
    final = Path(final)
    lock = acquire_lock(final)
    tmp = final.parent / f".{final.name}.tmp-{os.getpid()}-{secrets.token_hex(3)}"
    try:
        _sweep(final, keep=tmp)
        tmp.mkdir()
        with _SignalCleanup() as guard:
            try:
                yield tmp
                guard.quiet = True  # a signal now would leave the swap half done
                swap_in(tmp, final)
            except BaseException as exc:
                guard.quiet = True
                if on_failure is not None and isinstance(exc, Exception):
                    with contextlib.suppress(Exception):
                        on_failure(tmp, exc)
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        release_lock(lock)
