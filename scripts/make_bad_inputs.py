"""A corpus of damaged inputs: one case per kind of damage, each with its declared fate.

Builds a REDUCED copy of the bundled example (``config/luqiao.yaml``'s inputs; register cut
to ``rows`` clean rows per sheet), then, per case, a folder holding a damaged copy and a
``config.yaml`` that points at it with absolute paths (nothing is written into the repo).

Each case (:class:`Case`) names the input it damages, the damage, and the fate a mature
tool SHOULD give it (README "Bring your own data", docs/region_config.md, issue 11):

- ``error``      the run stops with an ``eduanalytics.errors.EduError`` naming the file
  (and, where it applies, sheet/row/column: ``mentions``);
- ``quarantine`` ``rows`` source rows land in rejected.csv with a reason;
- ``accept``     the value is normalised (counted in changes.csv unless ``changed=False``);
- ``flag``       a finding in findings.csv / cleaning_log.md (holding ``mentions``).

Run: ``python scripts/make_bad_inputs.py --out /tmp/bad_inputs`` (prints one line per case).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
CONFIG = ROOT / "config" / "luqiao.yaml"
YEAR = 2023
AS_OF = "2023-12-31"
FATES = ("error", "quarantine", "accept", "flag")
MAIN, TRAIN = "学历提升", "职业培训"

#: input kind -> (file name in a case folder, source file)
FILES: dict[str, tuple[str, Path]] = {
    "task_table": ("task_table.csv", RAW / "luqiao/2023/task_table/luqiao_2023_task_table.csv"),
    "task_table_copy": ("task_table.docx", RAW / "luqiao/2023/task_table/luqiao_2023_task_table.docx"),
    "register": ("register.xlsx", RAW / "luqiao/2023/synthetic/learner_register.xlsx"),
    "census_streets": ("census_streets.csv", RAW / "luqiao/2023/synthetic/census_street_attainment.csv"),
    "survey": ("survey.csv", RAW / "luqiao/2023/synthetic/survey_counts.csv"),
    "census_county": ("census_county.csv", RAW / "census/2020/zhejiang_2020_county_education.csv"),
    "plan_indicators": ("plan.csv", RAW / "dongtou/2023/plan/dongtou_2023_2027_plan_indicators.csv"),
    "ce_targets": ("ce_targets.csv", RAW / "dazhou/2014/dazhou_2014_continuing_education_targets.csv"),
}


@dataclass(frozen=True)
class Case:
    """One kind of damage and what a mature tool does with it.

    Attributes
    ----------
    id : str
        Short stable id (test ids, folder names).
    description : str
        The damage, in words.
    input : str
        Which input it damages: a key of :data:`FILES` (``register`` with ``sheet``), or
        ``config`` / ``cli``.
    damage : callable or None
        ``damage(folder)`` edits the case folder's files in place.
    fate : str
        One of :data:`FATES`.
    rows : int
        ``quarantine``: source rows expected in rejected.csv.
    changed : bool
        ``accept``: the normalisation is counted in changes.csv.
    mentions : tuple of str
        ``error``: words the message holds besides the file name; ``flag``: words the
        cleaning log holds.
    sheet : str, optional
        The register sheet damaged.
    argv : tuple of str
        ``cli``: arguments after ``clean --config <case config> --out <dir>``.
    sees : str, optional
        What the user sees (README table); a default is derived from the fate.
    """

    id: str
    description: str
    input: str
    damage: Callable[[Path], None] | None
    fate: str
    rows: int = 0
    changed: bool = True
    mentions: tuple[str, ...] = ()
    sheet: str | None = None
    argv: tuple[str, ...] = ()
    sees: str = ""
    file_name: str = ""

    @property
    def file(self) -> str:
        """File name the error message must name."""
        if self.file_name:
            return self.file_name
        if self.input == "config":
            return "config.yaml"
        if self.input == "cli":
            return ""
        return FILES[self.input][0]

    @property
    def where(self) -> str:
        """The input, as the README table shows it."""
        if self.input == "cli":
            return "command line"
        if self.input == "config":
            return "region config"
        return f"{self.input} ({self.sheet})" if self.sheet else self.input

    @property
    def kinds(self) -> tuple[str, ...]:
        """Inputs its config names: the required ones plus the one it damages."""
        extra = (self.input,) if self.input in FILES else ()
        return tuple(dict.fromkeys(("task_table", "register", *extra)))

    @property
    def what_user_sees(self) -> str:
        """One line: what the user sees."""
        if self.sees:
            return self.sees
        return {
            "error": "the run stops; the message names " + (
                ", ".join([self.file or "the argument", *self.mentions])),
            "quarantine": ("the row" if self.rows == 1 else f"{self.rows} rows") + " in rejected.csv with the reason",
            "accept": "read and normalised" + (", counted in changes.csv" if self.changed else ""),
            "flag": "a finding in cleaning_log.md" + (
                f" naming {', '.join(self.mentions)}" if self.mentions else ""),
        }[self.fate]


# ---- the reduced example -----------------------------------------------------------------

def _id_ok(text: str) -> bool:
    from stdnum.cn import ric

    if len(text) != 18 or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        return False
    try:
        dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return ric.calc_check_digit(text[:17] + "0") == text[17]


def _age(born: dt.date, at: dt.date) -> int:
    return at.year - born.year - ((at.month, at.day) < (born.month, born.day))


def _clean_rows(rows: list[tuple], header: list[str], units: set[str], n: int) -> list[tuple]:
    """The first ``n`` rows every reader would accept as they are (valid ID, canonical unit,
    a date cell, aged 18-62 at enrolment and at the as-of date, each ID once)."""
    col = {h: i for i, h in enumerate(header)}
    unit_col = "所属单位" if "所属单位" in col else "培训单位"
    date_col = "报名日期" if "报名日期" in col else "培训日期"
    ok_values = {
        "项目类别": {"初高中学历提升", "大专及以上学历提升"}, "学籍状态": {"在读", "已结业", "退学"},
        "批次": {"春季", "秋季", None}, "学籍注册": {"是", "否", None}, "结业": {"是", "否", None},
        "学习方式": {"线上", "线下", "线上线下", None}, "所属街道": units | {None},
        "未注册原因": {"缺身份证", "缺户口簿", "缺标准像", None},
        "原学历": {"未上过学", "小学", "初中", "高中", "中专", None},
        "报读层次": {"小学", "初中", "高中", "高中（中专）", "大专", "本科", None},
    }
    out, seen = [], set()
    as_of = dt.date.fromisoformat(AS_OF)
    for r in rows:
        ident, unit, date = r[col["身份证号"]], r[col[unit_col]], r[col[date_col]]
        if not (isinstance(ident, str) and _id_ok(ident)) or ident in seen or unit not in units:
            continue
        if not isinstance(date, dt.datetime) or date.year != YEAR:
            continue
        born = dt.date(int(ident[6:10]), int(ident[10:12]), int(ident[12:14]))
        if not all(18 <= _age(born, d) <= 62 for d in (date.date(), as_of)):
            continue
        if any(h in col and r[col[h]] not in vals for h, vals in ok_values.items()):
            continue
        done = r[col["结业日期"]] if "结业日期" in col else None
        if done is not None and not (isinstance(done, str) and len(done) == 10 and done[:4] == str(YEAR)):
            continue
        seen.add(ident)
        out.append(r)
        if len(out) == n:
            break
    return out


def _reduced_register(src: Path, dest: Path, n: int, units: set[str]) -> None:
    """Copy the workbook's title/header rows (with their merges) and ``n`` clean rows per sheet."""
    import re
    import zipfile

    import openpyxl

    wb_in = openpyxl.load_workbook(src, read_only=True)
    wb_out = openpyxl.Workbook()
    wb_out.remove(wb_out.active)
    for ws in wb_in.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        head = [rows[2][i] or rows[1][i] for i in range(len(rows[1]))]
        out = wb_out.create_sheet(ws.title)
        for r in [*rows[:3], *_clean_rows(rows[3:], head, units, n)]:
            out.append(list(r))
    wb_in.close()
    # read-only workbooks do not expose merged ranges: take the header merges from the XML
    with zipfile.ZipFile(src) as z:
        names = sorted(x for x in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", x))
        for ws, name in zip(wb_out.worksheets, names, strict=True):
            for ref in re.findall(r'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"', z.read(name).decode("utf-8")):
                if int(re.findall(r"\d+", ref)[-1]) <= 3:
                    ws.merge_cells(ref)
    wb_out.save(dest)


def make_base(dest: Path, rows: int = 150) -> Path:
    """Write the reduced example inputs into ``dest`` and return ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    cfg = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    units = {u["name"] for u in cfg["units"]}
    for kind, (name, src) in FILES.items():
        if kind == "register":
            _reduced_register(src, dest / name, rows, units)
        elif kind == "census_streets":  # the first 300 data rows are plenty
            lines = src.read_text(encoding="utf-8-sig").splitlines(keepends=True)
            (dest / name).write_text("".join(lines[:301]), encoding="utf-8")
        else:
            shutil.copyfile(src, dest / name)
    return dest


def write_config(folder: Path, kinds: Iterable[str] = tuple(FILES),
                 edit: Callable[[dict], None] | None = None, name: str = "config.yaml") -> Path:
    """``folder/<name>``: the example's config naming the inputs ``kinds`` (every other
    input left out), each pointing into ``folder``."""
    cfg = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    kinds = set(kinds)
    for kind, (file, _) in FILES.items():
        if kind not in kinds:
            del cfg["inputs"][kind]
            continue
        cfg["inputs"][kind]["path"] = str((folder / file).resolve())
    if edit:
        edit(cfg)
    path = folder / name
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ---- damage helpers (each returns a function of the case folder) -------------------------

def _read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _write_csv(path: Path, rows: Iterable[list], encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def csv_edit(kind: str, fn: Callable[[list[list[str]]], list[list[str]] | None]) -> Callable[[Path], None]:
    """Edit a CSV input's rows (header = rows[0]) with ``fn``."""
    def damage(folder: Path) -> None:
        path = folder / FILES[kind][0]
        rows = _read_csv(path)
        _write_csv(path, fn(rows) or rows)
    return damage


def csv_cell(kind: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    """Set data row ``row`` (0-based, header excluded), column ``column`` to ``value``."""
    def fn(rows: list[list[str]]) -> None:
        rows[row + 1][rows[0].index(column)] = value
    return csv_edit(kind, fn)


def csv_dup(kind: str, row: int) -> Callable[[Path], None]:
    """Repeat data row ``row`` right after itself."""
    return csv_edit(kind, lambda rows: [*rows[: row + 2], list(rows[row + 1]), *rows[row + 2:]])


def csv_drop_col(kind: str, column: str) -> Callable[[Path], None]:
    def fn(rows: list[list[str]]) -> list[list[str]]:
        i = rows[0].index(column)
        return [r[:i] + r[i + 1:] for r in rows]
    return csv_edit(kind, fn)


def csv_rename_col(kind: str, column: str, new: str) -> Callable[[Path], None]:
    def fn(rows: list[list[str]]) -> None:
        rows[0][rows[0].index(column)] = new
    return csv_edit(kind, fn)


def csv_add_col(kind: str, column: str, value: str) -> Callable[[Path], None]:
    return csv_edit(kind, lambda rows: [rows[0] + [column]] + [r + [value] for r in rows[1:]])


def encode(kind: str, encoding: str) -> Callable[[Path], None]:
    """Re-encode a text input."""
    def damage(folder: Path) -> None:
        path = folder / FILES[kind][0]
        path.write_bytes(path.read_text(encoding="utf-8-sig").encode(encoding))
    return damage


def raw_bytes(kind: str, fn: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    """Replace a file's bytes by ``fn(bytes)`` (truncation, zero bytes, garbage)."""
    def damage(folder: Path) -> None:
        path = folder / FILES[kind][0]
        path.write_bytes(fn(path.read_bytes()))
    return damage


def header_only(kind: str) -> Callable[[Path], None]:
    return csv_edit(kind, lambda rows: rows[:1])


def xlsx_edit(fn: Callable) -> Callable[[Path], None]:
    """Edit the register workbook with ``fn(workbook)``."""
    def damage(folder: Path) -> None:
        import openpyxl

        path = folder / FILES["register"][0]
        wb = openpyxl.load_workbook(path)
        fn(wb)
        wb.save(path)
    return damage


def column_of(ws, header: str) -> int:
    """1-based column of a header text in rows 2-3 of a register sheet."""
    for c in range(1, ws.max_column + 1):
        if header in (ws.cell(3, c).value, ws.cell(2, c).value):
            return c
    raise KeyError(header)


def xlsx_cell(sheet: str, row: int, header: str, value) -> Callable[[Path], None]:
    """Set data row ``row`` (0-based; Excel row ``row + 4``) under ``header`` to ``value``."""
    def fn(wb) -> None:
        ws = wb[sheet]
        ws.cell(row + 4, column_of(ws, header)).value = value
    return xlsx_edit(fn)


def xlsx_number(sheet: str, row: int, header: str, value: float) -> Callable[[Path], None]:
    """Set a cell to a bare number (format General, so no reader sees a date)."""
    def fn(wb) -> None:
        ws = wb[sheet]
        cell = ws.cell(row + 4, column_of(ws, header))
        cell.value, cell.number_format = value, "General"
    return xlsx_edit(fn)


def xlsx_cells(sheet: str, edits: list[tuple[int, str, object]]) -> Callable[[Path], None]:
    def fn(wb) -> None:
        ws = wb[sheet]
        for row, header, value in edits:
            ws.cell(row + 4, column_of(ws, header)).value = value
    return xlsx_edit(fn)


def xlsx_copy_row(sheet: str, src: int, dest: int, keep: Iterable[str] = ()) -> Callable[[Path], None]:
    """Overwrite data row ``dest`` with row ``src`` (columns in ``keep`` stay ``dest``'s)."""
    def fn(wb) -> None:
        ws = wb[sheet]
        keep_cols = {column_of(ws, h) for h in keep}
        for c in range(1, ws.max_column + 1):
            if c not in keep_cols:
                ws.cell(dest + 4, c).value = ws.cell(src + 4, c).value
    return xlsx_edit(fn)


def valid_id(area: str, born: str, seq: str = "123") -> str:
    """A valid 18-character ID number (check digit by ISO 7064 MOD 11-2)."""
    from stdnum.cn import ric

    body = area + born.replace("-", "") + seq
    return body + ric.calc_check_digit(body + "0")


def valid_id_ending_x(area: str = "331004", born: str = "19850101") -> str:
    """A valid ID whose check digit is X."""
    for seq in range(100, 1000):
        ident = valid_id(area, born, str(seq))
        if ident.endswith("X"):
            return ident
    raise RuntimeError("no X check digit found")


# ---- the corpus --------------------------------------------------------------------------

def load_cases() -> list[Case]:
    """The declared cases (:func:`build_cases`), checked: unique ids, known fates."""
    cases = build_cases()
    ids = [c.id for c in cases]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise ValueError(f"case ids listed twice: {sorted(dup)}")
    bad = [c.id for c in cases if c.fate not in FATES or (c.fate == "quarantine" and c.rows < 1)]
    if bad:
        raise ValueError(f"cases with an unknown fate or no row count: {bad}")
    return cases


def make_bad_inputs(out: str | Path, cases: list[Case] | None = None, rows: int = 150) -> dict[str, Path]:
    """Write the corpus into ``out``.

    Parameters
    ----------
    out : path-like
        Folder to write into (``base/`` holds the undamaged reduced example).
    cases : list of Case, optional
        Default: every case of :func:`load_cases`.
    rows : int
        Clean register rows kept per sheet.

    Returns
    -------
    dict
        Case id -> path of its ``config.yaml``; ``"base"`` -> the undamaged one's.
    """
    out = Path(out)
    cases = load_cases() if cases is None else cases
    base = make_base(out / "base", rows)
    configs = {"base": write_config(base)}
    for case in cases:
        folder = out / case.id
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(base, folder, ignore=shutil.ignore_patterns("config*.yaml"))
        edit = None
        if case.input == "config":
            edit = case.damage  # edits the parsed YAML
        elif case.damage is not None:
            case.damage(folder)
        configs[case.id] = write_config(folder, case.kinds, edit)
    return configs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="folder to write the corpus into")
    ap.add_argument("--rows", type=int, default=150, help="register rows kept per sheet")
    args = ap.parse_args()
    cases = load_cases()
    configs = make_bad_inputs(args.out, cases, args.rows)
    for c in cases:
        print(f"{c.id:32} {c.fate:10} {c.where:28} {configs[c.id]}")
    print(f"{len(cases)} cases in {args.out}")


def _rename_sheet(old: str, new: str) -> Callable[[Path], None]:
    def fn(wb) -> None:
        wb[old].title = new
    return xlsx_edit(fn)


def _delete_sheet(name: str) -> Callable[[Path], None]:
    return xlsx_edit(lambda wb: wb.remove(wb[name]))


def _add_sheet(name: str) -> Callable[[Path], None]:
    def fn(wb) -> None:
        ws = wb.create_sheet(name)
        ws.append(["填表说明"])
        ws.append(["身份证号填18位；日期填2023-03-06"])
    return xlsx_edit(fn)


def _delete_col(sheet: str, header: str) -> Callable[[Path], None]:
    def fn(wb) -> None:
        ws = wb[sheet]
        c = column_of(ws, header)
        for rng in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(rng))
        ws.delete_cols(c)
    return xlsx_edit(fn)


def _rename_col(sheet: str, header: str, new: str) -> Callable[[Path], None]:
    def fn(wb) -> None:
        ws = wb[sheet]
        ws.cell(3, column_of(ws, header)).value = new
    return xlsx_edit(fn)


def _xlsx_header_only(wb) -> None:
    for ws in wb.worksheets:
        ws.delete_rows(4, ws.max_row)


def _merge_units(wb) -> None:
    """Rows 0 and 1 hold the same unit, typed once in a cell merged over both."""
    ws = wb[MAIN]
    c = column_of(ws, "所属单位")
    ws.cell(5, c).value = None
    ws.merge_cells(start_row=4, start_column=c, end_row=5, end_column=c)


def _remark_on_rejected_row(wb) -> None:
    """A 备注 column holding a name and an ID, on a row rejected for its unit."""
    ws = wb[MAIN]
    col = ws.max_column + 1
    ws.cell(3, col).value = "备注"
    name, ident = ws.cell(5, column_of(ws, "姓名")).value, ws.cell(5, column_of(ws, "身份证号")).value
    ws.cell(4, col).value = f"联系人{name}，身份证{ident}"
    ws.cell(4, column_of(ws, "所属单位")).value = "路东街道"


def _reason_with_id(wb) -> None:
    ws = wb[MAIN]
    name, ident = ws.cell(5, column_of(ws, "姓名")).value, ws.cell(5, column_of(ws, "身份证号")).value
    ws.cell(4, column_of(ws, "学籍注册")).value = "否"
    ws.cell(4, column_of(ws, "未注册原因")).value = f"缺身份证（{name} {ident}）"


def _dup_county(rows: list[list[str]]) -> list[list[str]]:
    i = next(i for i, r in enumerate(rows) if len(r) > 1 and r[1] == "331004")
    return [*rows[: i + 1], list(rows[i]), *rows[i + 1:]]


def _mojibake(data: bytes) -> bytes:
    """UTF-8 bytes read as latin-1 and saved again as UTF-8 (è´£ä»»å...)."""
    return data.decode("utf-8-sig").encode("utf-8").decode("latin-1").encode("utf-8")


def _set(key: str, value) -> Callable[[dict], None]:
    def edit(cfg: dict) -> None:
        cfg[key] = value
    return edit


def _input_key(kind: str, key: str, value) -> Callable[[dict], None]:
    def edit(cfg: dict) -> None:
        cfg["inputs"][kind][key] = value
    return edit


HTML = "<script>alert(1)</script>"
Q, A, E, F = "quarantine", "accept", "error", "flag"


def build_cases() -> list[Case]:
    """Every case of the corpus, one per kind of damage."""
    tt, reg, cs, sv = "task_table", "register", "census_streets", "survey"
    tgt, res, age = "初高中学历提升人数", "常住人口", "20-59周岁人口"
    x = valid_id_ending_x()
    born58, born07 = valid_id("331004", "19580601"), valid_id("331004", "20070601")
    future = valid_id("331004", "20250101")
    ident = valid_id("331004", "19850312", "456")

    def r(id_, desc, col, value, fate, rows=0, changed=True, sheet=MAIN):
        return Case(id_, desc, reg, xlsx_cell(sheet, 0, col, value), fate, rows, changed, sheet=sheet)

    def rid(id_, desc, value, fate, rows=0, changed=True):
        return r(id_, desc, "身份证号", value, fate, rows, changed)

    def date(id_, desc, value, fate, rows=0):
        return r(id_, desc, "报名日期", value, fate, rows)

    return [
        # ---- task table: units, counts, formula- and HTML-like text --------------------
        Case("tt_unit_unknown", "unit name not in the config (路东街道)", tt, csv_cell(tt, 0, "责任单位", "路东街道"), Q, 1),
        Case("tt_unit_ambiguous", "unit name that nearly matches three units (路街道)", tt, csv_cell(tt, 0, "责任单位", "路街道"), Q, 1),
        Case("tt_unit_prefixed", "unit name with city and district prefix (台州市路桥区路南街道)", tt, csv_cell(tt, 0, "责任单位", "台州市路桥区路南街道"), A),
        Case("tt_unit_fullwidth_space", "unit name with a full-width space inside", tt, csv_cell(tt, 0, "责任单位", "路南\u3000街道"), A),
        Case("tt_unit_html", "HTML in a unit name", tt, csv_cell(tt, 0, "责任单位", HTML), Q, 1),
        Case("tt_unit_formula_eq", "unit name starting with = (=1+1)", tt, csv_cell(tt, 0, "责任单位", "=1+1"), Q, 1),
        Case("tt_unit_formula_plus", "unit name starting with + (+cmd)", tt, csv_cell(tt, 0, "责任单位", "+cmd|' /C calc'!A0"), Q, 1),
        Case("tt_unit_formula_at", "unit name starting with @ (@SUM)", tt, csv_cell(tt, 0, "责任单位", "@SUM(1+1)"), Q, 1),
        Case("tt_count_formula_minus", "target cell -2+3", tt, csv_cell(tt, 0, tgt, "-2+3"), Q, 1),
        Case("tt_count_negative", "negative target (-106)", tt, csv_cell(tt, 0, tgt, "-106"), Q, 1),
        Case("tt_count_fractional", "fractional persons (12.6)", tt, csv_cell(tt, 0, tgt, "12.6"), Q, 1),
        Case("tt_count_separator", "count with a thousands separator (54,719)", tt, csv_cell(tt, 0, res, "54,719"), A),
        Case("tt_count_fullwidth", "count in full-width digits (１０６)", tt, csv_cell(tt, 0, tgt, "１０６"), A),
        Case("tt_count_over_total", "20-59 population above the unit's resident population", tt, csv_cell(tt, 0, age, "60000"), F),
        Case("tt_total_mismatch", "合计 row disagrees with the sum of its parts", tt, csv_cell(tt, 15, tgt, "1320"), F),
        Case("tt_duplicate_row", "a unit's row twice", tt, csv_dup(tt, 0), Q, 1),
        Case("tt_blank_target", "blank target cell (not '/')", tt, csv_cell(tt, 0, tgt, ""), Q, 1),
        Case("tt_missing_column", "required column 责任单位 missing", tt, csv_drop_col(tt, "责任单位"), E, mentions=("责任单位",)),
        Case("tt_renamed_column", "target column under an unknown header", tt, csv_rename_col(tt, tgt, "初高中提升任务数"), F, mentions=("初高中提升任务数",)),
        Case("tt_extra_column", "an extra 备注 column", tt, csv_add_col(tt, "备注", "见附件"), A, changed=False),
        Case("tt_header_only", "header row only, no units", tt, header_only(tt), E),
        Case("tt_zero_bytes", "empty file (0 bytes)", tt, raw_bytes(tt, lambda b: b""), E),
        Case("tt_gbk", "saved as GBK", tt, encode(tt, "gbk"), A, changed=False),
        Case("tt_gb18030", "saved as GB18030", tt, encode(tt, "gb18030"), A, changed=False),
        Case("tt_utf8_bom", "saved as UTF-8 with BOM", tt, encode(tt, "utf-8-sig"), A, changed=False),
        Case("tt_utf16", "saved as UTF-16 (Excel 'Unicode text')", tt, encode(tt, "utf-16"), A, changed=False),
        Case("tt_latin1_mojibake", "UTF-8 read as latin-1 and saved again (garbled header)", tt, raw_bytes(tt, _mojibake), E, mentions=("责任单位",)),
        # ---- the task table's Word copy ------------------------------------------------
        Case("docx_truncated", "Word copy cut in half", "task_table_copy", raw_bytes("task_table_copy", lambda b: b[: len(b) // 2]), E),
        Case("docx_zero_bytes", "Word copy of 0 bytes", "task_table_copy", raw_bytes("task_table_copy", lambda b: b""), E),
        # ---- register: ID numbers -------------------------------------------------------
        rid("reg_id_letter_inside", "ID with a letter in the middle", "3310041985A3124564", Q, 1),
        rid("reg_id_17_chars", "ID of 17 characters", ident[:17], Q, 1),
        rid("reg_id_19_chars", "ID of 19 characters", ident + "1", Q, 1),
        Case("reg_id_float", "ID stored by Excel as a number (3.31004198503125e17)", reg,
             xlsx_number(MAIN, 0, "身份证号", float(ident)), Q, 1, sheet=MAIN),
        Case("reg_id_int", "ID stored as a number cell (a spreadsheet keeps 15 digits of it)", reg, xlsx_number(MAIN, 0, "身份证号", int(ident)), Q, 1, sheet=MAIN),
        rid("reg_id_wrong_check", "ID with a wrong check digit", ident[:17] + str((int(ident[17]) + 1) % 10), Q, 1),
        rid("reg_id_lowercase_x", "ID ending in a lower-case x", x.lower(), A),
        rid("reg_id_fullwidth", "ID in full-width digits", ident.translate({i: i + 0xFEE0 for i in range(0x30, 0x3A)}), A),
        rid("reg_id_spaces", "ID with spaces inside", f"{ident[:6]} {ident[6:14]} {ident[14:]}", A),
        rid("reg_id_15_digit", "15-digit first-generation ID", ident[:6] + ident[8:17], Q, 1),
        rid("reg_id_future_birth", "ID whose birth date is after the as-of date", future, Q, 1),
        rid("reg_id_blank", "blank ID", None, Q, 1),
        rid("reg_id_space_only", "ID cell holding a single space", " ", Q, 1),
        Case("reg_duplicate_learner", "same learner, same programme twice", reg, xlsx_copy_row(MAIN, 0, 1), Q, 1, sheet=MAIN),
        # ---- register: dates and ages ---------------------------------------------------
        date("reg_date_slash", "date 2023/3/5", "2023/3/5", A),
        date("reg_date_dots", "date 2023.03.05", "2023.03.05", A),
        date("reg_date_chinese", "date 2023年3月5日", "2023年3月5日", A),
        date("reg_date_compact", "date 20230305", "20230305", A),
        Case("reg_date_serial", "date as a bare Excel serial number (45000)", reg,
             xlsx_number(MAIN, 0, "报名日期", 45000), A, sheet=MAIN),
        date("reg_date_us", "date 3/5/2023 (month and day ambiguous)", "3/5/2023", Q, 1),
        date("reg_date_feb30", "impossible date 2023-02-30", "2023-02-30", Q, 1),
        date("reg_date_month13", "impossible date 2023-13-01", "2023-13-01", Q, 1),
        date("reg_date_1899", "date 1899-12-31", "1899-12-31", Q, 1),
        date("reg_enrol_before_birth", "enrolment before the learner's birth", "1960-03-01", Q, 1),
        date("reg_enrol_after_as_of", "enrolment after the as-of date", "2024-03-01", Q, 1),
        Case("reg_age_ok_at_enrolment", "aged 64 at enrolment, 65 at the as-of date", reg,
             xlsx_cells(MAIN, [(0, "身份证号", born58), (0, "报名日期", dt.datetime(2023, 3, 6))]), A, changed=False, sheet=MAIN),
        Case("reg_age_young_at_enrolment", "aged 15 at enrolment, 16 at the as-of date", reg,
             xlsx_cells(MAIN, [(0, "身份证号", born07), (0, "报名日期", dt.datetime(2023, 3, 6))]), Q, 1, sheet=MAIN),
        # ---- register: units, free text, personal data in the wrong place -----------------
        r("reg_unit_unknown", "unit not in the config", "所属单位", "路东街道", Q, 1),
        r("reg_unit_ambiguous", "unit that nearly matches three units (路街道)", "所属单位", "路街道", Q, 1),
        r("reg_unit_prefixed", "unit with city and district prefix", "所属单位", "台州市路桥区路南街道", A),
        r("reg_unit_html", "HTML in the unit cell", "所属单位", HTML, Q, 1),
        r("reg_unit_formula", "=HYPERLINK formula in the unit cell", "所属单位", '=HYPERLINK("http://x","路南")', Q, 1),
        r("reg_status_formula", "@SUM in the status cell", "学籍状态", "@SUM(A1)", Q, 1),
        r("reg_name_html", "HTML in the name cell", "姓名", HTML, A, changed=False),
        r("reg_mode_unknown", "unknown value in the optional 学习方式 column (函授)", "学习方式", "函授", A),
        Case("reg_reason_with_id", "a name and an ID typed into 未注册原因", reg, xlsx_edit(_reason_with_id), A, sheet=MAIN),
        Case("reg_remark_with_id", "a 备注 column with a name and an ID, on a rejected row", reg,
             xlsx_edit(_remark_on_rejected_row), Q, 1, sheet=MAIN),
        Case("reg_merged_unit", "unit typed once in a cell merged over two rows", reg, xlsx_edit(_merge_units), A, sheet=MAIN),
        # ---- register: sheets, columns, whole-file damage --------------------------------
        Case("reg_sheet_renamed_main", "sheet 学历提升 renamed (Sheet1)", reg, _rename_sheet(MAIN, "Sheet1"), E, mentions=(MAIN,), sheet=MAIN),
        Case("reg_sheet_renamed_training", "optional sheet 职业培训 renamed (培训名单)", reg, _rename_sheet(TRAIN, "培训名单"), F, mentions=(TRAIN,), sheet=TRAIN),
        Case("reg_sheet_deleted_training", "optional sheet 职业培训 deleted", reg, _delete_sheet(TRAIN), F, mentions=(TRAIN,), sheet=TRAIN),
        Case("reg_sheet_extra", "an extra sheet of instructions", reg, _add_sheet("填表说明"), A, changed=False),
        Case("reg_col_missing_id", "required column 身份证号 missing", reg, _delete_col(MAIN, "身份证号"), E, mentions=(MAIN, "身份证号"), sheet=MAIN),
        Case("reg_col_renamed_unit", "required column 所属单位 under another header", reg, _rename_col(MAIN, "所属单位", "单位名称X"), E, mentions=(MAIN, "所属单位"), sheet=MAIN),
        Case("reg_truncated", "workbook cut in half", reg, raw_bytes(reg, lambda b: b[: len(b) // 2]), E),
        Case("reg_zero_bytes", "workbook of 0 bytes", reg, raw_bytes(reg, lambda b: b""), E),
        Case("reg_csv_as_xlsx", "a CSV saved under the .xlsx name", reg, raw_bytes(reg, lambda b: "序号,姓名\n1,x\n".encode()), E),
        Case("reg_header_only", "both sheets hold their headers only", reg, xlsx_edit(_xlsx_header_only), F),
        # ---- register: the training sheet ------------------------------------------------
        Case("trn_id_letter_inside", "training ID with a letter in the middle", reg, xlsx_cell(TRAIN, 0, "身份证号", "3310041985A3124564"), Q, 1, sheet=TRAIN),
        Case("trn_duplicate", "the same person-time twice", reg, xlsx_copy_row(TRAIN, 0, 1), Q, 1, sheet=TRAIN),
        Case("trn_unit_html", "HTML in the training unit", reg, xlsx_cell(TRAIN, 0, "培训单位", HTML), Q, 1, sheet=TRAIN),
        # ---- street census ---------------------------------------------------------------
        Case("cs_duplicate_row", "a census row twice", cs, csv_dup(cs, 5), Q, 1),
        Case("cs_count_fractional", "12.6 persons", cs, csv_cell(cs, 5, "人数", "12.6"), Q, 1),
        Case("cs_count_negative", "negative count", cs, csv_cell(cs, 5, "人数", "-5"), Q, 1),
        Case("cs_count_separator", "count with a thousands separator (1,234)", cs, csv_cell(cs, 5, "人数", "1,234"), A),
        Case("cs_unit_unknown", "unknown street", cs, csv_cell(cs, 5, "街道", "路东街道"), Q, 1),
        Case("cs_age_band_bad", "age band '20-'", cs, csv_cell(cs, 5, "年龄段", "20-"), Q, 1),
        Case("cs_attainment_html", "HTML in the attainment label", cs, csv_cell(cs, 5, "受教育程度", HTML), Q, 1),
        Case("cs_header_only", "header row only", cs, header_only(cs), F),
        Case("cs_missing_column", "required column 性别 missing", cs, csv_drop_col(cs, "性别"), E, mentions=("性别",)),
        # ---- survey ----------------------------------------------------------------------
        Case("sv_header_only", "header row only", sv, header_only(sv), F),
        Case("sv_zero_bytes", "empty file (0 bytes)", sv, raw_bytes(sv, lambda b: b""), E),
        Case("sv_unit_formula", "unit cell -2+3", sv, csv_cell(sv, 0, "街道", "-2+3"), Q, 1),
        Case("sv_count_fullwidth", "count in full-width digits", sv, csv_cell(sv, 0, "摸排人数", "１２３４"), A),
        # ---- county census, plan, text targets ---------------------------------------------
        Case("cc_duplicate_row", "the region's census row twice", "census_county", csv_edit("census_county", _dup_county), Q, 1),
        Case("cc_not_a_number", "a count that is not a number", "census_county", csv_cell("census_county", 3, "pop_total", "abc"), Q, 1),
        Case("plan_percent_over_100", "percentage above 100 (120%)", "plan_indicators", csv_cell("plan_indicators", 1, "2024", "120%"), Q, 1),
        Case("plan_blank_cell", "blank year cell", "plan_indicators", csv_cell("plan_indicators", 1, "2024", ""), Q, 1),
        Case("plan_name_html", "HTML in an indicator name", "plan_indicators", csv_cell("plan_indicators", 1, "指标", HTML), Q, 1),
        Case("plan_no_year_columns", "year columns under other headers", "plan_indicators",
             csv_edit("plan_indicators", lambda rows: [[*rows[0][:2], "第一年", "第二年", "第三年", "第四年", "第五年"], *rows[1:]]), E),
        Case("ce_blank_target", "blank target", "ce_targets", csv_cell("ce_targets", 0, "目标", ""), Q, 1),
        Case("ce_negative", "negative target (-5000人)", "ce_targets", csv_cell("ce_targets", 0, "目标", "-5000人"), Q, 1),
        Case("ce_percent_over_100", "percentage above 100 (135%)", "ce_targets", csv_cell("ce_targets", 3, "目标", "135%"), Q, 1),
        Case("ce_name_formula", "indicator name starting with =", "ce_targets", csv_cell("ce_targets", 0, "指标", "=1+1"), Q, 1),
        # ---- the region config and the command line ----------------------------------------
        Case("cfg_negative_target", "target_mean_years negative", "config", _set("target_mean_years", -11.0), E, mentions=("target_mean_years",)),
        Case("cfg_unknown_key", "misspelt key under inputs.register", "config", _input_key("register", "sheeet", MAIN), E, mentions=("sheeet",)),
        Case("cfg_missing_file", "register path names no file", "config", _input_key("register", "path", "/nonexistent/nope.xlsx"), E, file_name="nope.xlsx"),
        Case("cli_as_of_month13", "--as-of 2023-13-45", "cli", None, E, argv=("--as-of", "2023-13-45"), mentions=("2023-13-45",)),
        Case("cli_as_of_feb30", "--as-of 2023-02-30", "cli", None, E, argv=("--as-of", "2023-02-30"), mentions=("2023-02-30",)),
        Case("cli_as_of_words", "--as-of yesterday", "cli", None, E, argv=("--as-of", "yesterday"), mentions=("yesterday",)),
        Case("cli_as_of_slashes", "--as-of 2023/12/31", "cli", None, A, argv=("--as-of", "2023/12/31"), changed=False,
             sees="read as 2023-12-31"),
    ]


if __name__ == "__main__":
    main()
