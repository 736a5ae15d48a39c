"""Generate a large synthetic learner register (benchmark input; not a test fixture).

Seeded and numpy-vectorised (no Python loop per row), so 10 million rows take seconds:
valid 18-digit ID numbers (check digits computed over the digit matrix), units of the
region config written as people write them (canonical names and aliases), mixed date
formats, and a few per cent of faults: wrong check digits, blank and unknown units,
impossible dates, learners outside the age band, exact duplicates. Every row is
示例数据: nobody here is a real person. ID numbers are drawn at random from about 88
million possible ones (6 areas x the birth dates x 1000 sequence numbers), so at 10M rows
6.3 % of the rows repeat an earlier row's ID and 3.8 % its ID and programme (duplicates,
against 1.3 % at 1M rows: the planted 1 % plus chance).

Writes any of: ``register.csv``, ``register.parquet``, ``register.xlsx`` (sheet 学历提升),
``parts/part-XXX.parquet`` (one file per county-sized chunk). Run::

    python scripts/make_large_register.py --rows 1000000 --out /tmp/reg --formats csv,parquet,parts
    python scripts/make_large_register.py --resplit /tmp/reg/register.parquet --part-rows 250000 --out /tmp/reg/parts_250k

(the second splits an existing Parquet register into smaller parts, streaming).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from eduanalytics.normalise.idnumber import CHECK_CHARS, WEIGHTS

HEAD = ["序号", "姓名", "身份证号", "所属单位", "项目类别", "原学历", "报读层次", "批次", "报名日期",
        "学籍状态", "学籍注册", "学习方式"]
AREAS = np.array([331004, 331003, 331002, 331081, 332603, 331082], dtype=np.int64)
FAULTS = {"wrong_check_digit": 0.01, "blank_unit": 0.005, "unknown_unit": 0.005,
          "impossible_date": 0.003, "age_outside_band": 0.005, "duplicate_exact": 0.01}


def _choice(rng: np.random.Generator, values: list[str], n: int, p=None) -> pa.Array:
    codes = rng.choice(len(values), n, p=p).astype(np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(values)).cast(pa.string())


def id_numbers(rng: np.random.Generator, birth: np.ndarray) -> np.ndarray:
    """Valid ID numbers (``S18``) for birth dates (datetime64[D])."""
    n = len(birth)
    ymd = birth.astype("datetime64[D]").astype(str).astype("S10")  # b"1985-03-06"
    b = np.frombuffer(ymd.tobytes(), dtype=np.uint8).reshape(n, 10)
    m = np.empty((n, 18), dtype=np.uint8)
    area = AREAS[rng.integers(0, len(AREAS), n)]
    for i in range(6):
        m[:, i] = 48 + (area // 10 ** (5 - i)) % 10
    m[:, 6:10], m[:, 10:12], m[:, 12:14] = b[:, 0:4], b[:, 5:7], b[:, 8:10]
    seq = rng.integers(0, 1000, n)
    for i in range(3):
        m[:, 14 + i] = 48 + (seq // 10 ** (2 - i)) % 10
    m[:, 17] = CHECK_CHARS[((m[:, :17].astype(np.int64) - 48) @ WEIGHTS) % 11]
    return m.view("S18").ravel()


def make_register(n: int, seed: int = 20230306, unit_names: list[str] | None = None) -> pa.Table:
    """An ``n``-row register as an Arrow table (all columns strings)."""
    rng = np.random.default_rng(seed)
    units = unit_names or ["路南街道", "路南", "路桥街道", "路北街道", "螺洋街道", "桐屿街道", "峰江街道",
                           "新桥镇", "横街镇", "金清镇", "金清", "蓬街镇", "路桥街道办事处"]
    enrol = np.datetime64("2023-03-01") + rng.integers(0, 240, n).astype("timedelta64[D]")
    age_days = rng.integers(20 * 366, 59 * 365, n).astype("timedelta64[D]")
    birth = enrol - age_days
    pick = rng.random(n)
    edges = np.cumsum(list(FAULTS.values()))
    fault = np.searchsorted(edges, pick, side="right")  # index into FAULTS, len = none
    names = list(FAULTS)
    is_f = {k: fault == i for i, k in enumerate(names)}
    birth = np.where(is_f["age_outside_band"], enrol - np.timedelta64(14 * 365, "D"), birth)
    ids = id_numbers(rng, birth)
    wrong = np.flatnonzero(is_f["wrong_check_digit"])
    ids_m = ids.view(np.uint8).reshape(n, 18).copy()
    ids_m[wrong, 17] = np.where(ids_m[wrong, 17] == ord("1"), ord("2"), ord("1"))
    ids = ids_m.view("S18").ravel()
    # unit names as dictionary codes (no 10M Python strings): blank -> null, unknown -> 椒江区
    unit_codes = rng.choice(len(units), n).astype(np.int32)
    unit_codes[is_f["unknown_unit"]] = len(units)
    unit = pa.DictionaryArray.from_arrays(
        pa.array(unit_codes, mask=is_f["blank_unit"]), pa.array([*units, "椒江区"])).cast(pa.string())
    fmt = rng.random(n)
    dates = pa.array(enrol).cast(pa.string())
    import pyarrow.compute as pc

    ts = pa.array(enrol.astype("datetime64[s]"))
    slash = pc.strftime(ts, format="%Y/%m/%d")
    cn = pc.strftime(ts, format="%Y年%m月%d日")
    dates = pc.if_else(pa.array(fmt < 0.1), slash, pc.if_else(pa.array(fmt > 0.9), cn, dates))
    dates = pc.if_else(pa.array(is_f["impossible_date"]), pa.scalar("2023-02-30"), dates)
    sec = rng.random(n) < 0.6
    cols = {
        "序号": pa.array(np.arange(1, n + 1)).cast(pa.string()),
        "姓名": _choice(rng, ["学员甲", "学员乙", "学员丙", "学员丁"], n),
        "身份证号": pa.array(ids, type=pa.binary(18)).cast(pa.string()),
        "所属单位": unit,
        "项目类别": pc.if_else(pa.array(sec), pa.scalar("初高中学历提升"), pa.scalar("大专及以上学历提升")),
        "原学历": pc.if_else(pa.array(sec), pa.scalar("初中"), pa.scalar("高中")),
        "报读层次": pc.if_else(pa.array(sec), pa.scalar("高中（中专）"), pa.scalar("大专")),
        "批次": _choice(rng, ["春季", "秋季", ""], n, p=[0.5, 0.45, 0.05]),
        "报名日期": dates,
        "学籍状态": _choice(rng, ["在读", "已结业", "退学"], n, p=[0.7, 0.28, 0.02]),
        "学籍注册": _choice(rng, ["是", "否"], n, p=[0.98, 0.02]),
        "学习方式": _choice(rng, ["线上", "线下", "线上线下"], n, p=[0.4, 0.35, 0.25]),
    }
    table = pa.table(cols)
    dup = np.flatnonzero(is_f["duplicate_exact"])
    src = rng.integers(0, n, len(dup))
    if len(dup):  # row i becomes a copy of an earlier or later row (same learner, programme)
        take = np.arange(n)
        take[dup] = src
        copied = table.take(pa.array(take))
        table = copied.set_column(0, "序号", cols["序号"])
    return table


def write(table: pa.Table, out: Path, formats: list[str], parts: int) -> dict[str, Path]:
    """Write the register in the given formats; returns the paths."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    if "csv" in formats:
        paths["csv"] = out / "register.csv"
        pacsv.write_csv(table, paths["csv"])
    if "parquet" in formats:
        paths["parquet"] = out / "register.parquet"
        pq.write_table(table, paths["parquet"])
    if "parts" in formats:
        folder = out / "parts"
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.parquet"):
            old.unlink()
        edges = np.linspace(0, table.num_rows, parts + 1).astype(int)
        for i in range(parts):
            pq.write_table(table.slice(edges[i], edges[i + 1] - edges[i]), folder / f"part-{i:03d}.parquet")
        paths["parts"] = folder
    if "xlsx" in formats:
        import xlsxwriter

        paths["xlsx"] = out / "register.xlsx"
        wb = xlsxwriter.Workbook(str(paths["xlsx"]), {"constant_memory": True})
        ws = wb.add_worksheet("学历提升")
        ws.write_row(0, 0, table.column_names)
        row_no = 1
        for b in table.to_batches(100_000):
            for row in zip(*[c.to_pylist() for c in b.columns], strict=True):
                ws.write_row(row_no, 0, row)
                row_no += 1
        wb.close()
    return paths


def resplit(parquet: Path, folder: Path, part_rows: int) -> int:
    """Split one Parquet register into parts of ``part_rows`` rows (streamed: one part in
    memory at a time); returns the number of parts written."""
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    i, pending, held = 0, [], 0
    for batch in pq.ParquetFile(parquet).iter_batches(batch_size=min(part_rows, 1 << 16)):
        pending.append(batch)
        held += batch.num_rows
        if held >= part_rows:
            table = pa.Table.from_batches(pending)
            pq.write_table(table.slice(0, part_rows), folder / f"part-{i:04d}.parquet")
            rest = table.slice(part_rows)
            pending, held, i = rest.to_batches(), rest.num_rows, i + 1
    if held:
        pq.write_table(pa.Table.from_batches(pending), folder / f"part-{i:04d}.parquet")
        i += 1
    return i


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/eduanalytics_large_register"))
    ap.add_argument("--formats", default="csv,parquet,parts", help="csv,parquet,parts,xlsx")
    ap.add_argument("--parts", type=int, default=8)
    ap.add_argument("--seed", type=int, default=20230306)
    ap.add_argument("--resplit", type=Path, default=None,
                    help="instead of generating: split this Parquet register into --out, "
                    "--part-rows rows per part")
    ap.add_argument("--part-rows", type=int, default=250_000)
    args = ap.parse_args()
    if args.resplit:
        n = resplit(args.resplit, args.out, args.part_rows)
        print(f"{args.resplit} -> {n} parts of <= {args.part_rows:,} rows in {args.out}")
        return
    t = time.perf_counter()
    table = make_register(args.rows, args.seed)
    print(f"generated {args.rows:,} rows in {time.perf_counter() - t:.1f} s "
          f"({table.nbytes / 1e6:.0f} MB as Arrow)")
    t = time.perf_counter()
    for k, p in write(table, args.out, args.formats.split(","), args.parts).items():
        print(f"{k}: {p}")
    print(f"written in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
