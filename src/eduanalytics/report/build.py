"""The year-end report: the notebooks run in order through papermill with one parameter
set, assembled into ``reports/<region>/<year>/``:

- ``notebooks/``   the executed notebooks;
- ``report.html``  one page a person reads top to bottom (code hidden, images embedded);
- ``charts/``      every chart the notebooks published (PNG, SVG, PDF);
- ``tables/``      every indicator table (Parquet) and ``indicators.xlsx`` (one sheet each,
  Chinese headers, number formats);
- ``manifest.json`` parameters, input files with SHA-256, package versions, timings.

The report is written under the folder's lock into a hidden temporary sibling and swapped
in only when every notebook succeeded (:func:`eduanalytics.atomic_dir.atomic_dir`): a second
run of the same region and year stops with :class:`LockError`, SIGINT/SIGTERM removes the
temporary folder, and a failure leaves the previous report untouched. A failure raises
:class:`ReportError` naming the notebook and the cell; the executed notebooks are kept in
``<year>.FAILED/`` (notebooks and ``FAILED.txt`` only — no report.html, nothing that looks
complete), removed by the next successful run.

Notebooks run each in its own process and kernel (:mod:`eduanalytics.report.runner`): the
first (cleaning) alone, then every notebook between the first and the last in parallel
(they only read the processed tables), then the last (the year-end summary, which reads
what the others published).
"""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from eduanalytics.atomic_dir import atomic_dir
from eduanalytics.catalog import is_synthetic, read_provenance
from eduanalytics.config import RegionConfig, notebooks_dir
from eduanalytics.errors import LockError, ReportError
from eduanalytics.ingest.pipeline import sha256
from eduanalytics.privacy import mask_message
from eduanalytics.report.html import build_html
from eduanalytics.report.runner import skip_slow_imports
from eduanalytics.report.workbook import build_workbook

__all__ = ["LockError", "ReportError", "build_html", "build_workbook", "find_notebooks",
           "parameters_for", "run_notebook", "run_notebooks", "run_report", "waves"]

REQUIRED_PARAMETERS = ("config", "year", "as_of")
PACKAGES = ("eduanalytics", "pandas", "numpy", "scipy", "matplotlib", "seaborn", "papermill",
            "nbconvert", "pyarrow", "openpyxl", "xlsxwriter", "python-docx", "pandera",
            "python-stdnum", "cn2an", "opencc", "noto-cjk-sans-otc")




def find_notebooks(folder: Path, only: list[str] | None = None) -> list[Path]:
    """``NN_*.ipynb`` in run order, optionally only those whose prefix is listed."""
    nbs = sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))
    if only:
        wanted = {str(o).strip()[:2] for o in only}
        nbs = [p for p in nbs if p.name[:2] in wanted]
    if not nbs:
        raise ReportError(f"no notebooks to run in {folder}")
    return nbs


def declared_parameters(path: Path) -> set[str]:
    """Names the notebook's ``parameters`` cell declares (papermill.inspect_notebook)."""
    skip_slow_imports()
    import papermill as pm

    return set(pm.inspect_notebook(str(path)).keys())


def parameters_for(path: Path, params: dict) -> dict:
    """The subset of ``params`` a notebook declares; missing required names raise.

    papermill only logs a warning for an unknown name, so names are checked here.
    """
    declared = declared_parameters(path)
    missing = [k for k in REQUIRED_PARAMETERS if k not in declared]
    if missing:
        raise ReportError(f"{path.name}: the parameters cell does not declare {missing}")
    return {k: v for k, v in params.items() if k in declared}


class _Job:
    """One notebook running in its own process (see :mod:`eduanalytics.report.runner`)."""

    def __init__(self, path: Path, out: Path, params: dict, cwd: Path, scratch: Path) -> None:
        self.path, self.out = path, out
        job_file = scratch / f"{path.stem}.job.json"
        job_file.write_text(json.dumps({"input": str(path), "output": str(out), "cwd": str(cwd),
                                        "parameters": parameters_for(path, params)}),
                            encoding="utf-8")
        self.stderr = scratch / f"{path.stem}.stderr.txt"
        self.t0 = time.perf_counter()
        with open(self.stderr, "w", encoding="utf-8") as err:
            self.proc = subprocess.Popen([sys.executable, "-m", "eduanalytics.report.runner", str(job_file)],
                                         stdout=subprocess.PIPE, stderr=err, text=True)

    def result(self) -> float:
        """Wait for the notebook; seconds it took in its process (imports included), or
        :class:`ReportError` naming the cell."""
        stdout, _ = self.proc.communicate()
        stderr = self.stderr.read_text(encoding="utf-8", errors="replace")
        secs = time.perf_counter() - self.t0
        lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
        res = json.loads(lines[-1]) if lines else None
        if res is None or self.proc.returncode not in (0, 3):
            tail = "\n".join(stderr.strip().splitlines()[-15:])
            raise ReportError(mask_message(
                f"notebook {self.path.name} could not be run (exit {self.proc.returncode}):\n{tail}"))
        if not res["ok"]:
            raise ReportError(mask_message(
                f"notebook {self.path.name} failed in cell {res['exec_count']} (cell index "
                f"{res['cell_index']}): {res['ename']}: {res['evalue']}. The executed copy with "
                f"the error is {self.out.name}"))
        return float(res.get("seconds", secs))

    def stop(self) -> None:
        """Stop the notebook's process (its kernel is shut down by the runner)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def waves(nbs: list[Path]) -> list[list[Path]]:
    """Run order: the first notebook alone, those in between together, the last alone."""
    if len(nbs) <= 2:
        return [[p] for p in nbs]
    return [[nbs[0]], nbs[1:-1], [nbs[-1]]]


def run_notebooks(nbs: list[Path], out_dir: Path, params: dict, cwd: Path,
                  on_done=None) -> list[dict]:
    """Run notebooks in :func:`waves`, each in its own process; returns ``[{notebook, seconds}]``.

    A failing notebook raises :class:`ReportError` once its wave has finished; an
    interruption (an exception in this thread: SIGINT, SIGTERM) stops every running
    notebook before it propagates.
    """
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="edu-jobs-") as scratch:
        for wave in waves(nbs):
            jobs: list[_Job] = []
            try:
                for nb in wave:
                    jobs.append(_Job(nb, out_dir / nb.name, params, cwd, Path(scratch)))
                errors = []
                for job in jobs:
                    try:
                        runs.append({"notebook": job.path.name, "seconds": round(job.result(), 2)})
                    except ReportError as exc:
                        errors.append(exc)
                    if on_done:
                        on_done(job.path)
                if errors:
                    raise errors[0]
            except BaseException:
                for job in jobs:
                    job.stop()
                raise
    order = {p.name: i for i, p in enumerate(nbs)}
    return sorted(runs, key=lambda r: order[r["notebook"]])


def run_notebook(path: Path, out: Path, params: dict, cwd: Path) -> float:
    """Execute one notebook in its own process; returns seconds. Failures raise ReportError."""
    with tempfile.TemporaryDirectory(prefix="edu-jobs-") as scratch:
        job = _Job(path, out, params, cwd, Path(scratch))
        try:
            return job.result()
        except BaseException:
            job.stop()
            raise


def _versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def build_manifest(cfg: RegionConfig, params: dict, runs: list[dict], started: float,
                   report_dir: Path) -> dict:
    """Parameters, inputs with SHA-256, outputs, versions and times."""
    prov = read_provenance(cfg.processed_dir)
    root = cfg.root
    inputs = {}
    for rel in prov.get("inputs", {}):
        p = root / rel
        if p.exists():
            inputs[rel] = {"sha256": sha256(p), "synthetic": prov["inputs"][rel].get("synthetic", False)}
    inputs[str(cfg.path.relative_to(root)) if cfg.path.is_relative_to(root) else str(cfg.path)] = {
        "sha256": sha256(cfg.path), "synthetic": False}
    outputs = {str(p.relative_to(report_dir)): sha256(p) for p in sorted(report_dir.rglob("*"))
               if p.is_file() and p.suffix in (".parquet",)}
    return {
        "region": cfg.region, "name": cfg.name, "year": cfg.year, "parameters": params,
        "inputs": inputs, "tables": outputs, "notebooks": runs,
        "synthetic_inputs": is_synthetic(prov),
        "versions": _versions(), "python": sys.version.split()[0], "platform": platform.platform(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }


def run_report(cfg: RegionConfig, as_of: str | None = None, out_dir: Path | None = None,
               notebooks: list[str] | None = None, progress: bool = True,
               notebook_folder: Path | None = None) -> Path:
    """Run the notebooks and assemble the report (see the module notes).

    Parameters
    ----------
    cfg : RegionConfig
    as_of : str, optional
        As-of date (default: the config's ``default_as_of``).
    out_dir : Path, optional
        Report folder (default ``reports/<region>/<year>``).
    notebooks : list of str, optional
        Two-digit prefixes to run (default: all, in order).
    progress : bool
        Show a progress bar.
    notebook_folder : Path, optional
        Where the notebooks are (default ``notebooks/``).

    Returns
    -------
    Path
        The report folder.
    """
    from tqdm.auto import tqdm

    started = time.time()
    as_of = str(as_of or cfg.default_as_of)
    final = Path(out_dir) if out_dir else cfg.reports_dir
    failed = final.parent / f"{final.name}.FAILED"
    nbs = find_notebooks(notebook_folder or notebooks_dir(cfg.root), notebooks)
    for nb in nbs:  # refuse before anything runs
        parameters_for(nb, {})
    rel_config = str(cfg.path.relative_to(cfg.root)) if cfg.path.is_relative_to(cfg.root) else str(cfg.path)

    def keep_failed(tmp: Path, exc: BaseException) -> None:
        shutil.rmtree(failed, ignore_errors=True)
        failed.mkdir(parents=True)
        if (tmp / "notebooks").exists():
            shutil.move(str(tmp / "notebooks"), str(failed / "notebooks"))
        (failed / "FAILED.txt").write_text(
            f"This report run failed; it is not a report. The executed notebooks are kept for "
            f"inspection.\n\n{mask_message(str(exc))}\n", encoding="utf-8")

    with atomic_dir(final, on_failure=keep_failed) as partial:
        for sub in ("notebooks", "charts", "tables"):
            (partial / sub).mkdir(parents=True)
        params = {"config": rel_config, "year": int(cfg.year), "as_of": as_of,
                  "processed_dir": str(cfg.processed_dir), "charts_dir": str(partial / "charts")}
        bar = tqdm(total=len(nbs), desc="report", unit="notebook", disable=not progress, file=sys.stderr)
        try:
            runs = run_notebooks(nbs, partial / "notebooks", params, cfg.root,
                                 on_done=lambda p: bar.update(1))
        except ReportError as exc:
            raise ReportError(f"{exc} (the executed notebooks are kept in {failed / 'notebooks'})") from exc
        finally:
            bar.close()
        executed = [partial / "notebooks" / nb.name for nb in nbs]
        synthetic = is_synthetic(read_provenance(cfg.processed_dir))
        html = build_html(executed, f"{cfg.name} {cfg.year}年 学历提升工作年终报告",
                          f"截至 {as_of}　|　eduanalytics", synthetic, charts_dir=partial / "charts")
        (partial / "report.html").write_text(html, encoding="utf-8")
        tables = sorted((partial / "tables").glob("*.parquet"))
        build_workbook(tables, partial / "indicators.xlsx", synthetic)
        params_out = {**params, "charts_dir": str(final / "charts"), "processed_dir": str(cfg.processed_dir)}
        manifest = build_manifest(cfg, params_out, runs, started, partial)
        (partial / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                               encoding="utf-8")
    shutil.rmtree(failed, ignore_errors=True)
    return final
