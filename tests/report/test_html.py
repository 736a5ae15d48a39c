"""report.html from executed notebooks made by hand (no kernel): escaping and alt text."""

from __future__ import annotations

import base64
import re

import nbformat
from matplotlib.figure import Figure

from eduanalytics.charts import themed
from eduanalytics.charts.export import export_figure
from eduanalytics.report.html import build_html, chart_title, strip_remote_scripts

PNG_1PX = base64.b64encode(base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)).decode()


def _executed(path, charts_dir):
    with themed():
        fig = Figure()
        fig.subplots().set_title("各街道参与率 <b>图</b>")
    export_figure(fig, charts_dir, "02_participation", formats=("png",), size=None, dpi=20)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("charts_dir = ''", metadata={"tags": ["parameters"]})
    md_out = nbformat.v4.new_code_cell("display(Markdown(x))")
    md_out.outputs = [nbformat.v4.new_output("display_data", data={
        "text/markdown": "**路南** <script>alert(1)</script>\n\n> 示例数据", "text/plain": "<md>"})]
    chart = nbformat.v4.new_code_cell("publish('02_participation', charts_dir, figure=fig)\nfig")
    chart.outputs = [nbformat.v4.new_output("execute_result", execution_count=3,
                                            data={"image/png": PNG_1PX, "text/plain": "<Figure>"})]
    heading = nbformat.v4.new_markdown_cell("# 过程指标 / Process rates")
    other = nbformat.v4.new_code_cell("fig2")
    other.outputs = [nbformat.v4.new_output("display_data", data={"image/png": PNG_1PX})]
    nb.cells = [params, md_out, chart, heading, other]
    nbformat.write(nb, path)
    return path


def test_markdown_is_escaped_and_images_carry_alt_text(tmp_path):
    charts = tmp_path / "charts"
    nb = _executed(tmp_path / "02_participation.ipynb", charts)
    html = build_html([nb], "X区 <i>2023</i>年", "截至 2023-12-31", synthetic=True, charts_dir=charts)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>路南</strong>" in html  # Markdown itself still renders
    assert "<title>X区 &lt;i&gt;2023&lt;/i&gt;年</title>" in html
    imgs = re.findall(r"<img[^>]*>", html)
    assert len(imgs) == 2
    alts = [re.search(r'alt="([^"]*)"', i).group(1) for i in imgs]
    assert alts == ["图表：各街道参与率 &lt;b&gt;图&lt;/b&gt;", "图表：过程指标 / Process rates"]
    assert "charts_dir = ''" not in html  # the parameters cell is dropped
    assert "示例数据 (synthetic)" in html


def test_chart_title_and_remote_scripts(tmp_path):
    assert chart_title(tmp_path / "missing.png") is None
    html = '<script src="https://cdn.example/x.js"></script><script>local()</script>'
    assert strip_remote_scripts(html) == "<script>local()</script>"
