"""``report.html``: the executed notebooks as one page a person reads top to bottom.

Code is hidden, images are embedded, and nothing a user supplied can act as HTML: tables
come escaped from :func:`eduanalytics.report.present.present` (and pandas' own HTML), the
title and Markdown outputs are escaped here (:func:`eduanalytics.safe_output.escape_markdown`),
and every chart carries alternative text (its title, read from the published PNG).
"""

from __future__ import annotations

import re
from pathlib import Path

from eduanalytics.safe_output import escape_html, escape_markdown

_PUBLISHED = re.compile(r"publish\(\s*['\"]([^'\"]+)['\"]")
STYLE = ("<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;}"
         "table{border-collapse:collapse;font-size:12px}th,td{padding:2px 6px;border-bottom:1px solid #ddd}"
         "th{background:#f3f6fa;white-space:nowrap}td{white-space:nowrap}"
         "img.chart{max-width:100%;height:auto}</style>")


def strip_remote_scripts(html: str) -> str:
    """Drop ``<script src="http...">`` tags so the report is self-contained offline."""
    return re.sub(r'<script[^>]+src="https?://[^"]*"[^>]*>\s*</script>', "", html)


def chart_title(png: Path) -> str | None:
    """The title stored in a published PNG's metadata (see ``charts.export``), if any."""
    try:
        from PIL import Image

        with Image.open(png) as im:
            return im.info.get("Title") or None
    except (OSError, ImportError):
        return None


def _heading(cell) -> str | None:
    if cell.cell_type != "markdown":
        return None
    for line in str(cell.source).splitlines():
        if line.lstrip().startswith("#"):
            return line.lstrip("# ").strip()
    return None


def safe_cells(nb, charts_dir: Path | None, label: str) -> list:
    """The notebook's cells ready to render: parameters dropped, Markdown outputs escaped,
    images turned into ``<img>`` with alternative text."""
    out, heading = [], label
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            continue
        heading = _heading(cell) or heading
        if cell.cell_type == "code":
            pngs = [charts_dir / f"{n}.png" for n in _PUBLISHED.findall(str(cell.source))] if charts_dir else []
            title = next((t for t in map(chart_title, pngs) if t), None)
            for output in cell.get("outputs", []):
                data = output.get("data")
                if not data:
                    continue
                if "text/markdown" in data:
                    data["text/markdown"] = escape_markdown(data["text/markdown"])
                if "image/png" in data:
                    alt = escape_html(f"图表：{title or heading}")
                    png = str(data["image/png"]).replace("\n", "")
                    output["data"] = {"text/html": f'<img class="chart" alt="{alt}" '
                                                   f'src="data:image/png;base64,{png}">'}
                    output["metadata"] = {}
        out.append(cell)
    return out


def build_html(executed: list[Path], title: str, subtitle: str, synthetic: bool,
               charts_dir: Path | None = None) -> str:
    """One HTML page from the executed notebooks: code hidden, images embedded.

    Parameters
    ----------
    executed : list of Path
        Executed notebooks in reading order.
    title, subtitle : str
        Page title and the line under it (escaped here).
    synthetic : bool
        Add the 示例数据 note.
    charts_dir : Path, optional
        The report's ``charts/`` folder, where chart titles are read for alternative text.

    Returns
    -------
    str
    """
    import nbformat
    from nbconvert import HTMLExporter

    merged = nbformat.v4.new_notebook()
    merged.metadata = nbformat.read(executed[0], as_version=4).metadata
    head = [f"# {escape_markdown(title)}", escape_markdown(subtitle)]
    if synthetic:
        head.append("> **示例数据 (synthetic)**：本报告部分输入（学员登记册、街道人口、摸排数据）为合成数据，"
                    "非真实个人信息。Parts of the input are generated example data.")
    toc = ["## 目录 / Contents"] + [f"- {escape_markdown(p.stem)}" for p in executed]
    merged.cells.append(nbformat.v4.new_markdown_cell("\n\n".join(head + ["\n".join(toc)])))
    for p in executed:
        merged.cells += safe_cells(nbformat.read(p, as_version=4), charts_dir, p.stem)
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    html, _ = exporter.from_notebook_node(merged)
    html = html.replace("</head>", STYLE + "</head>", 1)
    html = html.replace("<title>Notebook</title>", f"<title>{escape_html(title)}</title>")
    return strip_remote_scripts(html)
