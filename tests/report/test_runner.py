"""One notebook in a process of its own: IPC kernel (no TCP warning), failures as JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat

from eduanalytics.report import runner


def test_failing_cell_is_reported_as_json_over_an_ipc_kernel(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("year = 0", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("assert year == 2023\nraise LookupError('on purpose')")]
    nbformat.write(nb, tmp_path / "n.ipynb")
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"input": str(tmp_path / "n.ipynb"), "output": str(tmp_path / "o.ipynb"),
                               "cwd": str(tmp_path), "parameters": {"year": 2023}}))
    proc = subprocess.run([sys.executable, "-m", "eduanalytics.report.runner", str(job)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 3
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    assert res["ok"] is False and res["ename"] == "LookupError" and res["evalue"] == "on purpose"
    assert res["cell_index"] == 2  # papermill's injected-parameters cell comes first
    assert "TCP without encryption" not in proc.stderr
    assert (tmp_path / "o.ipynb").exists()
    assert not list(tmp_path.glob("kernel-ipc*"))  # no socket files in the working folder


def test_kernel_manager_uses_ipc(tmp_path):
    km = runner.ipc_kernel_manager(str(tmp_path))(kernel_name="python3")
    assert km.transport == "ipc" and km.ip == str(tmp_path / "k")


def test_skip_slow_imports_keeps_a_loaded_module(monkeypatch):
    monkeypatch.setitem(sys.modules, "rfc3987_syntax", "loaded")
    runner.skip_slow_imports()
    assert sys.modules["rfc3987_syntax"] == "loaded"
    monkeypatch.delitem(sys.modules, "rfc3987_syntax")
    runner.skip_slow_imports()
    assert sys.modules["rfc3987_syntax"] is None
