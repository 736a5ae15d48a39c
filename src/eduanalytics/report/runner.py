"""Run one notebook through papermill in a process of its own.

``python -m eduanalytics.report.runner JOB.json`` executes the notebook the job names and
prints one JSON line on stdout: ``{"ok": true, "seconds": …}`` or, when a cell failed,
``{"ok": false, "exec_count": …, "cell_index": …, "ename": …, "evalue": …}``. The report
builder starts one such process per notebook, so independent notebooks run in parallel
and an interrupted run can stop every kernel (SIGTERM here shuts the kernel down).

The kernel talks to papermill over IPC sockets (Unix domain sockets in a private temporary
folder), not TCP: nothing listens on a network port, and ipykernel has no reason to warn
about unencrypted TCP.

Only papermill and the standard library are imported here, to keep the start cheap; and
:func:`skip_slow_imports` keeps jsonschema from building the RFC 3987 grammar
(``rfc3987_syntax``, seconds of start-up in every process that imports nbformat) for an
"iri" format check that notebook validation never uses.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

#: Optional modules jsonschema tries to import for format checks nbformat never needs.
SLOW_OPTIONAL_MODULES = ("rfc3987_syntax",)


def skip_slow_imports() -> None:
    """Make jsonschema's optional ``rfc3987_syntax`` import fail fast (call before papermill).

    jsonschema imports it inside ``try/except ImportError`` to offer the "iri" format
    check; a ``None`` entry in ``sys.modules`` makes that import raise ImportError at once.
    Does nothing when the module is already imported.
    """
    for name in SLOW_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)


def ipc_kernel_manager(folder: str):
    """An ``AsyncKernelManager`` whose kernels use the IPC transport, sockets in ``folder``."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        """Kernel over Unix domain sockets in a private temporary folder."""

        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

        @default("ip")
        def _default_ip(self) -> str:
            return os.path.join(folder, "k")

    return IPCKernelManager


def execute(job: dict, t0: float | None = None) -> dict:
    """Execute the notebook of ``job`` (``input, output, parameters, cwd``); returns the result.

    ``seconds`` counts from ``t0`` (default: now), so the caller can include the imports.
    """
    t0 = time.perf_counter() if t0 is None else t0
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        with tempfile.TemporaryDirectory(prefix="edu-kernel-") as sockets:
            pm.execute_notebook(job["input"], job["output"], parameters=job["parameters"],
                                cwd=job["cwd"], progress_bar=False, kernel_name="python3",
                                log_output=False, kernel_manager_class=ipc_kernel_manager(sockets))
    except PapermillExecutionError as exc:
        return {"ok": False, "exec_count": exc.exec_count, "cell_index": exc.cell_index,
                "ename": exc.ename, "evalue": exc.evalue}
    return {"ok": True, "seconds": round(time.perf_counter() - t0, 2)}


def _terminate(signum, frame):  # noqa: ARG001
    raise SystemExit(128 + signum)  # unwinds papermill, which shuts the kernel down


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m eduanalytics.report.runner JOB.json``."""
    t0 = time.perf_counter()
    args = sys.argv[1:] if argv is None else argv
    skip_slow_imports()
    signal.signal(signal.SIGTERM, _terminate)
    job = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    result = execute(job, t0)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if result["ok"] else 3


if __name__ == "__main__":
    sys.exit(main())
