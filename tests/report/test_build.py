"""The year-end report end to end on the bundled example, and its failure modes: escaping,
formulas, alternative text, the lock, a failed run that leaves the previous report alone."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from eduanalytics.config import load_config
from eduanalytics.report.build import ReportError, run_report

ROOT = Path(__file__).resolve().parents[2]
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_RE = re.compile(r"(?<![0-9.])[0-9]{17}[0-9Xx](?![0-9])")  # not the digits of a decimal


def _valid_id(s: str) -> bool:
    return "10X98765432"[sum(int(d) * w for d, w in zip(s[:17], W, strict=True)) % 11] == s[17].upper()


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)


def test_report_folder_complete(report):
    for name in ("report.html", "indicators.xlsx", "manifest.json"):
        assert (report / name).exists(), name
    assert len(list((report / "notebooks").glob("*.ipynb"))) == 6
    charts = list((report / "charts").iterdir())
    assert {p.suffix for p in charts} == {".png"}  # SVG/PDF only through `eduanalytics charts`
    assert len(charts) == 9
    assert not [p.name for p in report.parent.iterdir() if p.name.startswith(".")]  # no temp, no lock


def test_every_image_has_alternative_text_from_the_chart_title(report):
    html = (report / "report.html").read_text(encoding="utf-8")
    imgs = re.findall(r"<img[^>]*>", html)
    assert len(imgs) >= 9
    alts = [re.search(r'alt="([^"]*)"', i) for i in imgs]
    assert all(alts) and not [a for a in alts if "No description" in a.group(1)]
    assert any("目标完成情况" in a.group(1) for a in alts)  # the chart's own title


def test_html_reads_top_to_bottom(report):
    html = (report / "report.html").read_text(encoding="utf-8")
    assert "台州市路桥区 2023年 学历提升工作年终报告" in html
    assert "示例数据" in html
    assert html.count("data:image/png") >= 9  # charts embedded, the file stands alone
    assert "summary.load_tables" not in html and "publish(" not in html  # code hidden
    assert "一、基本情况" in html and "三、问题短板" in html
    assert not re.search(r'<script[^>]+src="https?://', html)


def test_workbook_reopens_with_the_same_numbers(report):
    gaps = pd.read_parquet(report / "tables/04_target_gaps.parquet")
    sheet = pd.read_excel(report / "indicators.xlsx", sheet_name="04_target_gaps", engine="calamine")
    assert "目标" in sheet.columns and "完成率(%)" in sheet.columns
    assert sheet["目标"].tolist() == gaps["target"].tolist()
    assert sheet["完成率(%)"].round(6).tolist() == gaps["pct_complete"].round(6).tolist()
    # district totals by hand from seed 000: 1319, 2950, 7300
    tot = gaps[gaps["unit_id"] == "total"].set_index("programme")["target"].to_dict()
    assert tot == {"secondary_upgrade": 1319, "tertiary_upgrade": 2950, "vocational_training": 7300}
    xl = pd.ExcelFile(report / "indicators.xlsx", engine="calamine")
    assert xl.sheet_names[0] == "说明" and len(xl.sheet_names) == 1 + len(list((report / "tables").glob("*.parquet")))


def test_manifest_hashes_match_inputs(report, cfg):
    man = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert man["parameters"]["as_of"] == "2023-12-31" and man["parameters"]["year"] == 2023
    assert "data/raw/luqiao/2023/task_table/luqiao_2023_task_table.csv" in man["inputs"]
    for rel, info in man["inputs"].items():
        assert hashlib.sha256((ROOT / rel).read_bytes()).hexdigest() == info["sha256"], rel
    assert man["synthetic_inputs"] is True
    assert {n["notebook"] for n in man["notebooks"]} >= {"01_clean.ipynb", "06_year_end.ipynb"}
    assert man["versions"]["pandas"]


def test_no_id_number_or_name_under_reports(report):
    for path in report.rglob("*"):
        if not path.is_file() or path.suffix in (".png", ".pdf", ".xlsx"):
            continue
        if path.suffix == ".parquet":
            text = pd.read_parquet(path).astype(str).to_csv()
        else:
            text = path.read_text(encoding="utf-8", errors="ignore")
        hits = [m for m in ID_RE.findall(text) if _valid_id(m)]
        assert not hits, f"{path.name} holds ID-like numbers"
    xl = pd.read_excel(report / "indicators.xlsx", sheet_name=None, engine="calamine")
    for df in xl.values():
        assert not [m for m in ID_RE.findall(df.astype(str).to_csv()) if _valid_id(m)]


def test_register_names_do_not_reach_the_report(report, cfg):
    import openpyxl

    wb = openpyxl.load_workbook(cfg.file("register"), read_only=True)
    ws = wb["学历提升"]
    names = {r[1] for r in ws.iter_rows(min_row=4, max_row=60, values_only=True) if r[1]}
    html = (report / "report.html").read_text(encoding="utf-8")
    # two-character names can collide with ordinary words; check the longer ones
    assert not [n for n in names if len(n) >= 3 and n in html]


def _nb(path: Path, params: str, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(body)]
    nbformat.write(nb, path)


def test_broken_notebook_names_notebook_and_cell(cfg, tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    p = 'config = ""\nyear = 0\nas_of = ""\nprocessed_dir = ""\ncharts_dir = ""'
    _nb(folder / "01_ok.ipynb", p, "x = 1")
    _nb(folder / "02_broken.ipynb", p, "raise RuntimeError('deliberately broken')")
    out = tmp_path / "reports" / "luqiao" / "2023"
    with pytest.raises(ReportError) as exc:
        run_report(cfg, out_dir=out, progress=False, notebook_folder=folder)
    msg = str(exc.value)
    assert "02_broken.ipynb" in msg and "cell" in msg and "deliberately broken" in msg
    assert not out.exists()  # nothing that looks like a complete report
    failed = out.parent / "2023.FAILED"
    assert sorted(p.name for p in failed.iterdir()) == ["FAILED.txt", "notebooks"]
    assert "not a report" in (failed / "FAILED.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.parent.iterdir()) == ["2023.FAILED"]  # no temp, no lock


def test_failed_run_leaves_the_previous_report_byte_identical(cfg, tmp_path):
    from eduanalytics.atomic_dir import atomic_dir

    out = tmp_path / "reports" / "luqiao" / "2023"
    with atomic_dir(out) as tmp:
        (tmp / "report.html").write_text("<p>last good report</p>", encoding="utf-8")
        (tmp / "tables").mkdir()
        (tmp / "tables" / "04_target_gaps.parquet").write_bytes(b"PAR1-old")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    folder = tmp_path / "nbs"
    folder.mkdir()
    p = 'config = ""\nyear = 0\nas_of = ""\nprocessed_dir = ""\ncharts_dir = ""'
    _nb(folder / "01_broken.ipynb", p, "raise ValueError('no')")
    with pytest.raises(ReportError, match="01_broken"):
        run_report(cfg, out_dir=out, progress=False, notebook_folder=folder)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_second_run_of_the_same_year_is_refused(cfg, tmp_path):
    from eduanalytics.atomic_dir import acquire_lock, release_lock
    from eduanalytics.errors import LockError

    out = tmp_path / "reports" / "luqiao" / "2023"
    lock = acquire_lock(out)  # as if another run were writing this report
    try:
        with pytest.raises(LockError, match="another run"):
            run_report(cfg, out_dir=out, progress=False, notebooks=["06"])
    finally:
        release_lock(lock)
    assert not out.exists()


def test_user_text_is_escaped_and_formulas_neutralised(cfg, tmp_path):
    """A tiny report through the real builder: a unit called <script>, cells starting with =."""
    import openpyxl

    folder = tmp_path / "nbs"
    folder.mkdir()
    p = 'config = ""\nyear = 0\nas_of = ""\nprocessed_dir = ""\ncharts_dir = ""'
    body = "\n".join([
        "%matplotlib inline",
        "import pandas as pd",
        "from IPython.display import Markdown, display",
        "from matplotlib.figure import Figure",
        "from eduanalytics.report.outputs import publish",
        "from eduanalytics.report.present import present",
        "display(Markdown('**单位** <script>alert(1)</script>'))",
        "t = pd.DataFrame({'unit_id': ['u1', 'u2'], 'target': [-3, 5],",
        "                  'reason': ['=HYPERLINK(\"http://x\")', '<b>x</b>']})",
        "fig = Figure(); ax = fig.subplots(); ax.set_title('完成率 <i>图</i>')",
        "publish('01_units', charts_dir, table=t, figure=fig)",
        "display(present(t, {'u1': '<script>alert(2)</script>', 'u2': '<b>路南</b>'}))",
        "display(t)",
        "fig",
    ])
    _nb(folder / "01_units.ipynb", p, body)
    out = run_report(cfg, out_dir=tmp_path / "r" / "luqiao" / "2023", progress=False,
                     notebook_folder=folder)
    html = (out / "report.html").read_text(encoding="utf-8")
    for raw in ("<script>alert(1)</script>", "<script>alert(2)</script>", "<b>路南</b>", "<b>x</b>"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;b&gt;路南&lt;/b&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert 'alt="图表：完成率 &lt;i&gt;图&lt;/i&gt;"' in html
    ws = openpyxl.load_workbook(out / "indicators.xlsx")["01_units"]
    cells = {c.value for row in ws.iter_rows(min_row=2) for c in row}
    assert "'=HYPERLINK(\"http://x\")" in cells and -3 in cells  # text quoted, number kept
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)  # no formula at all
    assert [p.name for p in (out / "charts").iterdir()] == ["01_units.png"]


def test_notebook_without_required_parameters_is_refused(cfg, tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    _nb(folder / "01_x.ipynb", 'config = ""\nyear = 0', "x = 1")
    with pytest.raises(ReportError, match="as_of"):
        run_report(cfg, out_dir=tmp_path / "r" / "2023", progress=False, notebook_folder=folder)


def test_rerun_gives_the_same_tables(cfg, report, tmp_path):
    again = run_report(cfg, as_of="2023-12-31", out_dir=tmp_path / "again" / "2023", progress=False,
                       notebooks=["01", "04", "05"])
    for name in ("04_target_gaps", "04_pacing", "05_census_survey"):
        pd.testing.assert_frame_equal(pd.read_parquet(report / "tables" / f"{name}.parquet"),
                                      pd.read_parquet(again / "tables" / f"{name}.parquet"))


def test_year_over_year_uses_last_years_outputs(tmp_path):
    from eduanalytics.catalog import previous_results
    from eduanalytics.report.analyses import year_over_year

    cfg = load_config(ROOT / "config/luqiao.yaml", 2023, root=tmp_path)
    now = pd.DataFrame({"programme": ["secondary_upgrade"], "目标": [1319], "已报名": [1263],
                        "已结业": [398], "完成率(%)": [95.8]})
    assert previous_results(cfg) is None
    assert "无2022年报告输出" in year_over_year(now, previous_results(cfg), 2023).iloc[0, 0]
    prev = tmp_path / "reports/luqiao/2022/tables"
    prev.mkdir(parents=True)
    now.assign(目标=[1200], 已报名=[1100], 已结业=[300], **{"完成率(%)": [91.7]}).to_parquet(prev / "06_results.parquet")
    yoy = year_over_year(now, previous_results(cfg), 2023).iloc[0]
    assert yoy["目标_变化"] == 119 and yoy["已报名_变化"] == 163 and yoy["已结业_变化"] == 98


def test_sigterm_during_a_report_stops_the_kernels_and_leaves_nothing(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import textwrap
    import time

    folder = tmp_path / "nbs"
    folder.mkdir()
    p = 'config = ""\nyear = 0\nas_of = ""\nprocessed_dir = ""\ncharts_dir = ""'
    _nb(folder / "01_slow.ipynb", p, "import os, pathlib, time\n"
        "pathlib.Path(charts_dir).parent.joinpath('kernel.pid').write_text(str(os.getpid()))\n"
        "time.sleep(120)")
    out = tmp_path / "reports" / "luqiao" / "2023"
    script = textwrap.dedent(f"""
        from pathlib import Path
        from eduanalytics.config import load_config
        from eduanalytics.report.build import run_report
        cfg = load_config({str(ROOT / 'config/luqiao.yaml')!r}, 2023, root=Path({str(ROOT)!r}))
        run_report(cfg, out_dir=Path({str(out)!r}), progress=False, notebook_folder=Path({str(folder)!r}))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    deadline = time.time() + 240
    pid_files: list[Path] = []
    while time.time() < deadline and not pid_files:
        time.sleep(0.5)
        pid_files = list(out.parent.glob(".2023.tmp-*/kernel.pid"))
    assert pid_files, "the notebook never started"
    kernel_pid = int(pid_files[0].read_text())
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    assert list(out.parent.iterdir()) == []  # no temp folder, no lock, no report
    time.sleep(2)
    with pytest.raises(ProcessLookupError):  # the kernel was shut down too
        os.kill(kernel_pid, 0)
