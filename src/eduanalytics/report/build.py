"""The year-end report: the notebooks run in order through papermill with one parameter
set, assembled into ``reports/<region>/<year>/``:

- ``notebooks/``   the executed notebooks;
- ``report.html``  one page a person reads top to bottom (code hidden, images embedded);
- ``charts/``      every chart the notebooks published (PNG, SVG, PDF);
- ``tables/``      every indicator table (Parquet) and ``indicators.xlsx`` (one sheet each,
  Chinese headers, number formats);
- ``manifest.json`` parameters, input files with SHA-256, package versions, timings.

The report is built in a hidden ``.<year>.partial-*`` folder and moved into place only when
every notebook succeeded; a failure raises :class:`ReportError` naming the notebook and the
cell and leaves the partial folder renamed ``<year>.FAILED`` (never a complete-looking one).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import sys
import time
from importlib import metadata
from pathlib import Path

import nbformat
import pandas as pd

from eduanalytics.catalog import is_synthetic, read_provenance
from eduanalytics.config import RegionConfig, notebooks_dir
from eduanalytics.errors import ReportError
from eduanalytics.ingest.pipeline import sha256
from eduanalytics.labels import relabel_columns

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


def run_notebook(path: Path, out: Path, params: dict, cwd: Path) -> float:
    """Execute one notebook with papermill; returns seconds. Failures raise ReportError."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    try:
        pm.execute_notebook(str(path), str(out), parameters=parameters_for(path, params),
                            cwd=str(cwd), progress_bar=False, kernel_name="python3",
                            log_output=False)
    except PapermillExecutionError as exc:
        raise ReportError(
            f"notebook {path.name} failed in cell {exc.exec_count} (cell index {exc.cell_index}): "
            f"{exc.ename}: {exc.evalue}. The executed copy with the error is {out.name}"
        ) from exc
    return time.perf_counter() - t0


def _strip_remote_scripts(html: str) -> str:
    """Drop <script src="http..."> tags so the report is self-contained offline."""
    return re.sub(r'<script[^>]+src="https?://[^"]*"[^>]*>\s*</script>', "", html)


def build_html(executed: list[Path], title: str, subtitle: str, synthetic: bool) -> str:
    """One HTML page from the executed notebooks: code hidden, images embedded."""
    from nbconvert import HTMLExporter

    merged = nbformat.v4.new_notebook()
    merged.metadata = nbformat.read(executed[0], as_version=4).metadata
    head = [f"# {title}", subtitle]
    if synthetic:
        head.append("> **示例数据 (synthetic)**：本报告部分输入（学员登记册、街道人口、摸排数据）为合成数据，"
                    "非真实个人信息。Parts of the input are generated example data.")
    toc = ["## 目录 / Contents"] + [f"- {p.stem}" for p in executed]
    merged.cells.append(nbformat.v4.new_markdown_cell("\n\n".join(head + ["\n".join(toc)])))
    for p in executed:
        nb = nbformat.read(p, as_version=4)
        for cell in nb.cells:
            if "parameters" in cell.metadata.get("tags", []) or "injected-parameters" in cell.metadata.get("tags", []):
                continue
            merged.cells.append(cell)
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    html, _ = exporter.from_notebook_node(merged)
    style = ("<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;}"
             "table{border-collapse:collapse;font-size:12px}th,td{padding:2px 6px;border-bottom:1px solid #ddd}"
             "th{background:#f3f6fa;white-space:nowrap}td{white-space:nowrap}</style>")
    html = html.replace("</head>", style + "</head>", 1)
    html = html.replace("<title>Notebook</title>", f"<title>{title}</title>")
    return _strip_remote_scripts(html)


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]\*\?/\\:]", "_", name)[:31]
    out, i = base, 2
    while out in used:
        suffix = f"~{i}"
        out, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(out)
    return out


def build_workbook(tables: list[Path], path: Path, synthetic: bool) -> Path:
    """Every indicator table in one workbook: a sheet each, Chinese headers, number formats."""
    used: set[str] = set()
    with pd.ExcelWriter(path, engine="xlsxwriter") as xw:
        wb = xw.book
        fmt_int = wb.add_format({"num_format": "#,##0"})
        fmt_float = wb.add_format({"num_format": "#,##0.00"})
        fmt_pct = wb.add_format({"num_format": "0.0"})
        notes = pd.DataFrame({"说明": [
            "每个工作表是一张指标表（英文列名已换成中文标签）。",
            "示例数据：部分输入为合成数据 (synthetic)。" if synthetic else "输入均为公开数据。",
            "Each sheet is one indicator table; percentages are in percent units."]})
        notes.to_excel(xw, sheet_name=_sheet_name("说明", used), index=False)
        for p in tables:
            df = pd.read_parquet(p)
            df = df.map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
            for c in df.columns:
                if isinstance(df[c].dtype, pd.DatetimeTZDtype) or str(df[c].dtype).startswith("datetime"):
                    df[c] = df[c].dt.strftime("%Y-%m-%d")
            shown = relabel_columns(df)
            sheet = _sheet_name(p.stem, used)
            shown.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            for j, c in enumerate(df.columns):
                kind = df[c].dtype.kind if hasattr(df[c].dtype, "kind") else "O"
                fmt = (fmt_pct if ("pct" in c or "rate" in c or "%" in str(c)) and kind == "f"
                       else fmt_int if kind in "iu" else fmt_float if kind == "f" else None)
                ws.set_column(j, j, max(10, min(40, len(str(shown.columns[j])) * 2)), fmt)
    return path


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
    as_of = str(as_of or cfg.get("default_as_of", f"{cfg.year}-12-31"))
    final = Path(out_dir) if out_dir else cfg.reports_dir
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.parent / f".{final.name}.partial-{os.getpid()}"
    failed = final.parent / f"{final.name}.FAILED"
    shutil.rmtree(partial, ignore_errors=True)
    for sub in ("notebooks", "charts", "tables"):
        (partial / sub).mkdir(parents=True)
    nbs = find_notebooks(notebook_folder or notebooks_dir(cfg.root), notebooks)
    rel_config = str(cfg.path.relative_to(cfg.root)) if cfg.path.is_relative_to(cfg.root) else str(cfg.path)
    params = {"config": rel_config, "year": int(cfg.year), "as_of": as_of,
              "processed_dir": str(cfg.processed_dir), "charts_dir": str(partial / "charts")}
    runs, executed = [], []
    bar = tqdm(nbs, desc="report", unit="notebook", disable=not progress, file=sys.stderr)
    try:
        for nb in bar:
            bar.set_postfix_str(nb.stem)
            out = partial / "notebooks" / nb.name
            secs = run_notebook(nb, out, params, cfg.root)
            runs.append({"notebook": nb.name, "seconds": round(secs, 2)})
            executed.append(out)
        synthetic = is_synthetic(read_provenance(cfg.processed_dir))
        html = build_html(executed, f"{cfg.name} {cfg.year}年 学历提升工作年终报告",
                          f"截至 {as_of}　|　eduanalytics", synthetic)
        (partial / "report.html").write_text(html, encoding="utf-8")
        tables = sorted((partial / "tables").glob("*.parquet"))
        build_workbook(tables, partial / "indicators.xlsx", synthetic)
        params_out = {**params, "charts_dir": str(final / "charts"), "processed_dir": str(cfg.processed_dir)}
        manifest = build_manifest(cfg, params_out, runs, started, partial)
        (partial / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                               encoding="utf-8")
    except Exception:
        bar.close()
        shutil.rmtree(failed, ignore_errors=True)
        partial.rename(failed)
        raise
    bar.close()
    shutil.rmtree(failed, ignore_errors=True)
    shutil.rmtree(final, ignore_errors=True)
    partial.rename(final)
    return final
