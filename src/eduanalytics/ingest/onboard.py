"""``eduanalytics init``: a starting region config from a folder of a new region's files.

Reads every CSV/XLSX/DOCX in the folder, decides which file fills which input by its
header words, and writes a YAML config: the units and their kinds from the task table
(街道 -> street, 镇 -> town, 乡 -> township, 学校/学院/中职/技校 -> school, else other),
the programmes found (target columns), the populations the task table publishes, each
input's file, sheet/table and header rows, and — as YAML comments — what it could not
decide. An existing config is never overwritten.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from eduanalytics.errors import ConfigError, EduError
from eduanalytics.ingest.core import find_column, map_headers
from eduanalytics.ingest.readers import list_sheets, read_docx_tables, read_table_file
from eduanalytics.ingest.task_table import target_programme
from eduanalytics.ingest.templates import aliases, header_words
from eduanalytics.normalise.text import clean_text
from eduanalytics.normalise.units import is_total_label

#: Header words that say which input a table is (any one counts once).
SIGNS: dict[str, tuple[str, ...]] = {
    "register": ("身份证号", "身份证号码", "公民身份号码", "学籍状态", "报读层次"),
    "survey": ("摸排", "七普"),
    "census_streets": ("受教育程度", "年龄段", "年龄组"),
    "plan_indicators": ("指标", "指标名称", "2025", "2027"),
    "task_table": ("任务", "人数", "人次", "常住人口", "责任单位"),
}
_TOTALS = ("合计", "总计", "全区", "全县", "全市")


def unit_kind(name: str) -> str:
    """street / town / township / school / other, from a unit name's ending."""
    if re.search(r"(学校|学院|中职|技校|中专|职校|大学)", name):
        return "school"
    if re.search(r"街道(办事处)?$", name):
        return "street"
    if re.search(r"镇(人民政府)?$", name):
        return "town"
    if re.search(r"乡(人民政府)?$", name):
        return "township"
    return "other"


def _tables(path: Path) -> list[tuple[Any, pd.DataFrame]]:
    """(sheet or table spec, frame) of every table in a file, header detected."""
    words = sorted({w for k in ("task_table", "register", "population", "plan_indicators")
                    for w in header_words(k)} | {w for ws in SIGNS.values() for w in ws})
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        out = []
        for name in list_sheets(path):
            try:
                out.append((name, read_table_file(path, sheet=name, header_keywords=words)))
            except EduError:
                continue
        return out
    if suffix == ".docx":
        return [(i, t) for i, t in enumerate(read_docx_tables(path, header_keywords=words))]
    return [(None, read_table_file(path))]


def _score(df: pd.DataFrame) -> dict[str, int]:
    heads = "|".join(clean_text(pd.Series([str(c) for c in df.columns
                                            if not str(c).startswith("_")])).fillna(""))
    return {kind: sum(1 for w in words if w in heads) for kind, words in SIGNS.items()}


def _task_table_entry(df: pd.DataFrame, todo: list[str]) -> tuple[dict, list[dict], list[str]]:
    """The task table's mapping, units and programmes."""
    entry: dict[str, Any] = {}
    mapped = map_headers(df, aliases("task_table"))
    unit_col = "unit" if "unit" in mapped.columns else None
    if unit_col is None:
        first = [c for c in df.columns if not str(c).startswith("_")][0]
        entry["fields"] = {"unit": [str(first)]}
        todo.append(f"task table: no known unit header; took the first column {first!r}")
        mapped = mapped.rename(columns={first: "unit"})
    names = mapped["unit"].astype("string").str.strip()
    names = names[names.notna() & names.ne("") & ~is_total_label(names, _TOTALS)]
    units = [{"id": f"u{i + 1:02d}", "name": str(n), "kind": unit_kind(str(n))}
             for i, n in enumerate(dict.fromkeys(names))]
    for u in units:
        if u["kind"] == "other":
            todo.append(f"unit {u['name']}: kind not clear from its name (street/town/township/school/other)")
    programmes, targets, populations = [], [], []
    for col in df.columns:
        if str(col).startswith("_"):
            continue
        prog = target_programme(str(col))
        if prog:
            programmes.append(prog)
            targets.append({"column": str(col), "programme": prog})
        elif "人口" in str(col):
            base = {"常住人口": "resident", "20-59周岁人口": "age_20_59"}.get(str(col))
            if base is None:
                todo.append(f"task table population column {col!r}: give its base id, age band "
                            "and level group")
                base = f"population_{len(populations) + 1}"
            populations.append({"column": str(col), "base": base})
    if targets:
        entry["targets"] = targets
    else:
        todo.append("task table: no target column recognised; declare inputs.task_table.targets")
    if populations:
        entry["populations"] = populations
    return entry, units, list(dict.fromkeys(programmes))


def propose_config(folder: str | Path, region: str, name: str | None = None,
                   year: int | None = None) -> tuple[dict[str, Any], list[str]]:
    """Work out a starting config from a folder of files.

    Returns
    -------
    config : dict
        The config, ready to be written as YAML.
    todo : list of str
        What could not be decided (written as comments).
    """
    folder = Path(folder)
    todo: list[str] = []
    found: dict[str, tuple[float, dict, pd.DataFrame]] = {}
    files = sorted(p for p in folder.rglob("*") if p.is_file()
                   and p.suffix.lower() in (".csv", ".txt", ".xlsx", ".xlsm", ".docx"))
    for path in files:
        try:
            tables = _tables(path)
        except EduError as exc:
            todo.append(f"{path.name}: cannot be read ({exc})")
            continue
        for where, df in tables:
            scores = _score(df)
            kind = max(scores, key=lambda k: scores[k])
            if scores[kind] == 0:
                todo.append(f"{path.name}{'' if where is None else f' [{where}]'}: not recognised")
                continue
            entry: dict[str, Any] = {"path": str(path.resolve())}
            if where is not None:
                entry["table" if path.suffix.lower() == ".docx" else "sheet"] = where
            hr = df.attrs.get("header_rows")
            if hr and hr != [1]:
                entry["header_rows"] = hr
            if kind in found and found[kind][0] >= scores[kind]:
                todo.append(f"{path.name}: also looks like a {kind}; the config uses "
                            f"{found[kind][1]['path']}")
                continue
            found[kind] = (scores[kind], entry, df)
    if "task_table" not in found:
        raise ConfigError(f"no task table found in {folder}: it is the one required input",
                          key="inputs.task_table", allowed="a table with a unit column and "
                          "target columns (…人数, …任务（人）)")
    inputs: dict[str, Any] = {}
    units: list[dict] = []
    programmes: list[str] = []
    for kind, (_, entry, df) in found.items():
        if kind == "task_table":
            extra, units, programmes = _task_table_entry(df, todo)
            entry.update(extra)
        if kind == "survey":
            unit = find_column(df, "乡镇") or find_column(df, "街道") or str(df.columns[0])
            cols = {"unit": str(unit)}
            for c in df.columns:
                if "七普" in str(c):
                    cols["census"] = str(c)
                elif "摸排" in str(c):
                    cols["survey"] = str(c)
            entry.update(form="wide", columns=cols)
            todo.append("survey: give its age band (age: [min, max]) and level group (levels)")
        inputs[kind] = entry
    for kind in ("register", "census_streets", "survey", "plan_indicators"):
        if kind not in inputs:
            todo.append(f"no file for {kind}: the report says what it lacks")
    cfg = {
        "region": region, "name": name or region, "level_word": (name or "县")[-1:]
        if (name or "")[-1:] in ("区", "县", "市", "旗") else "县",
        "default_year": int(year or pd.Timestamp.today().year),
        "units": units, "unit_prefixes": [], "total_labels": list(_TOTALS),
        "programmes": {p: {"measure": "person_times" if p == "vocational_training" else "persons"}
                       for p in programmes},
        "inputs": inputs,
    }
    if not name:
        todo.append("name: the region's full name (e.g. 某市某县) is not known")
    return cfg, todo


def write_config(folder: str | Path, out: str | Path, region: str,
                 name: str | None = None, year: int | None = None) -> Path:
    """Write a starting config for a new region; never overwrite an existing one.

    Parameters
    ----------
    folder : path-like
        The region's files.
    out : path-like
        The YAML to write.
    region, name : str
        Short id and full name of the region.
    year : int, optional
        The files' year (``default_year``; default this year).

    Returns
    -------
    Path
        The file written.
    """
    out = Path(out)
    if out.exists():
        raise ConfigError("exists already; not overwritten (move it away or choose --out)",
                          file=out)
    cfg, todo = propose_config(folder, region, name, year)
    head = [f"# Starting config for {region}, written by `eduanalytics init` from {folder}.",
            "# Check every entry against docs/region_config.md before the first run.",
            "# File paths are absolute; once the files sit in data/raw/<region>/<year>/ they",
            "# may be written relative to that folder.", "#",
            "# Not decided (fill in by hand):", *([f"#   - {t}" for t in todo] or ["#   (nothing)"]),
            ""]
    body = yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False, width=100)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(head) + "\n" + body, encoding="utf-8")
    return out
