"""Ingest learner registers (学历提升 and 职业培训) into ``enrolments``: xlsx, CSV, Parquet.

Personal data stays here: names are dropped right after the header mapping; ID numbers
give birth date, sex and age, then become a salted ``learner_key``
(:func:`eduanalytics.privacy.learner_key`); every message and rejected row shows IDs
masked (``331004********123X``).

The row-level work is :func:`eduanalytics.ingest.register_rows.normalise_rows`, the same
function for both engines: ``engine="pandas"`` (:mod:`eduanalytics.ingest.register_batches`)
streams the register piece by piece through it, ``engine="dask"``
(:mod:`eduanalytics.ingest.dask_engine`) runs it on each partition of a partitioned Parquet
register. Duplicates are then found over all rows.
"""

from __future__ import annotations

from functools import lru_cache, partial
from pathlib import Path

import pandas as pd

from eduanalytics.config import InputSpec, RegionConfig
from eduanalytics.errors import ConfigError, IngestError
from eduanalytics.ingest.columnar import BATCH_ROWS, is_parquet
from eduanalytics.ingest.core import (
    CHANGE_COLUMNS,
    FINDING_COLUMNS,
    REJECT_COLUMNS,
    SHEET_COLUMNS,
    StepResult,
    change_counts,
    concat_frames,
    map_headers,
    require_columns,
)
from eduanalytics.ingest.register_batches import (  # noqa: F401  (finish re-exported)
    finish,
    run_pandas,
    run_streamed,
)
from eduanalytics.ingest.register_rows import RegisterRules
from eduanalytics.ingest.register_values import (  # noqa: F401  (re-exported)
    BATCH_VALUES,
    MODE_VALUES,
    PROGRAMME_VALUES,
    REASON_VALUES,
    STATUS_VALUES,
    VALUE_FIELDS,
    YESNO_VALUES,
    map_values,
    value_maps,
)
from eduanalytics.ingest.templates import TEMPLATES, aliases, required
from eduanalytics.privacy import get_salt

XLSX_SUFFIXES = (".xlsx", ".xlsm")
DEFAULT_SHEETS = [{"sheet": "学历提升", "template": "register"},
                  {"sheet": "职业培训", "template": "training", "optional": True}]
_KEEP = object()  # "not given": use the config's sheets


def register_spec(config: RegionConfig, path: str | Path | None = None) -> InputSpec:
    """The register's :class:`InputSpec` (``inputs.register``), with ``path`` if given."""
    spec = config.input("register")
    if spec is None:
        if path is None:
            raise ConfigError("is not set", file=config.path, key="inputs.register.path")
        return InputSpec(kind="register", path=Path(path))
    if path is not None:
        spec = InputSpec(kind=spec.kind, path=Path(path), synthetic=spec.synthetic,
                         options=spec.options)
    return spec


def sheet_entries(spec: InputSpec, sheet=_KEEP, training_sheet=_KEEP) -> list[dict]:
    """The sheets to read: ``spec.get("sheets")`` (or the defaults), with the register
    sheet replaced by ``sheet`` and the training sheet by ``training_sheet`` (None drops it)."""
    entries = [dict(e) for e in (spec.get("sheets") or DEFAULT_SHEETS)]
    if spec.get("sheet") is not None and not spec.get("sheets"):
        entries[0]["sheet"] = spec.get("sheet")
    out = []
    for e in entries:
        template = e.get("template", "register")
        if template not in ("register", "training"):
            raise ConfigError(f"unknown template {template!r}", key="inputs.register.sheets",
                              allowed="register, training")
        override = sheet if template == "register" else training_sheet
        if override is None:
            continue
        if override is not _KEEP:
            e["sheet"] = override
        out.append(e)
    return out


def resolve_sheet(path: Path, which, optional: bool = False) -> str | None:
    """A sheet name from a name, a 0-based index or ``{has_columns: [...]}``.

    Returns None for a missing optional sheet; a missing required one is an
    :class:`IngestError` naming the sheets that exist.
    """
    from eduanalytics.ingest.readers import open_workbook

    wb = open_workbook(Path(path))
    names = list(wb.sheet_names)
    found: str | None = None
    if isinstance(which, int) and not isinstance(which, bool):
        found = names[which] if 0 <= which < len(names) else None
    elif isinstance(which, dict) and which.get("has_columns"):
        wanted = {str(c) for c in which["has_columns"]}
        for name in names:
            top = wb.get_sheet_by_name(name).to_python(nrows=30)
            cells = {str(c).strip() for row in top for c in row if c not in (None, "")}
            if wanted <= cells:
                found = name
                break
    elif str(which) in names:
        found = str(which)
    if found is None and not optional:
        raise IngestError(f"no sheet {which!r}", file=path, expected="a sheet named in "
                          "inputs.register.sheets", found=names)
    return found


def prepare(raw: pd.DataFrame, kind: str, spec: InputSpec, where: str) -> pd.DataFrame:
    """Map headers (built-in aliases plus ``spec.fields``), check required columns, drop
    names."""
    fields = tuple((f, tuple(v)) for f, v in sorted(spec.fields.items()))
    rename = _header_renames(tuple(str(c) for c in raw.columns), kind, fields)
    df = raw.rename(columns=rename)
    need = required(kind)
    if kind == "register" and spec.get("programme_from"):
        need.pop("programme", None)
    require_columns(df, need, where)
    # names are never used: drop them before anything else touches the frame
    return df.drop(columns=[c for c in ("name", "姓名") if c in df.columns])


@lru_cache(maxsize=64)
def _header_renames(columns: tuple[str, ...], kind: str,
                    fields: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    """Header text -> internal name (cached: every partition of a register has the same
    header, and matching cleans each header text)."""
    names = aliases(kind)
    for f, extra in fields:
        names[f] = [*names.get(f, []), *extra]
    head = pd.DataFrame(columns=list(columns))
    mapped = map_headers(head, names)
    return {a: b for a, b in zip(columns, mapped.columns, strict=True) if a != b}


def make_rules(config: RegionConfig, spec: InputSpec, kind: str, step: str, salt: str,
               synthetic: bool, as_of: str | pd.Timestamp | None,
               columns: list[str]) -> RegisterRules:
    """The :class:`RegisterRules` of one sheet or file."""
    reg = config.get("register", {}) or {}
    ref = pd.Timestamp(reg.get("reference_date", f"{config.year}-12-31"))
    as_of_ts = pd.Timestamp(as_of or config.get("default_as_of", ref))
    lo, hi = reg.get("eligible_age") or [16, 64]
    hdr = {c.name: c.headers[0] for c in TEMPLATES[kind]}
    school = spec.get("school_field")
    school_col = None
    if school and kind == "register":
        if school not in columns:
            raise IngestError(f"no column {school!r} (inputs.register.school_field)", file=spec.path,
                              expected="the school column named in the config")
        school_col = str(school)
    keys = (["learner_key", "programme"] if kind == "register"
            else ["learner_key", "unit_id", "enrol_date", "_course"])
    return RegisterRules(
        kind=kind, step=step, headers=hdr, units=config.units(), values=value_maps(spec.values),
        expected={k: v[1] for k, v in VALUE_FIELDS.items()}, age_band=(int(lo), int(hi)),
        reference=ref, as_of=as_of_ts, salt=salt, synthetic=bool(synthetic),
        programme_from=spec.get("programme_from"), school_col=school_col, key_cols=keys)


def ingest_register(path: str | Path, config: RegionConfig, sheet: object = _KEEP,
                    training_sheet: object = _KEEP,
                    synthetic: bool = False, salt: str | None = None,
                    as_of: str | None = None, engine: str = "pandas",
                    scheduler: str | None = None, out_dir: str | Path | None = None,
                    workers: int | str | None = None) -> StepResult:
    """Read a learner register (xlsx, CSV, Parquet or a folder of Parquet parts).

    Parameters
    ----------
    path : path-like
        The export.
    config : RegionConfig
        Units, ``register.eligible_age`` (checked at the enrolment date),
        ``register.reference_date`` (the ``age`` column), ``inputs.register`` (sheets,
        fields, values, programme_from, school_field).
    sheet, training_sheet : optional
        Override the config's register / training sheet (name, 0-based index or
        ``{has_columns: [...]}``); ``training_sheet=None`` skips the training sheet.
    synthetic : bool
        Mark the rows as generated example data.
    salt : str, optional
        Salt for ``learner_key`` (default: :func:`eduanalytics.privacy.get_salt`).
    as_of : str, optional
        Enrolments after this date are quarantined (default the config's ``default_as_of``).
    engine : {"pandas", "dask"}
        ``"dask"`` runs a Parquet register partition by partition (one per file).
    scheduler : str, optional
        Dask only: a scheduler address; default a local cluster.
    out_dir : path-like, optional
        Dask only: the workers write the clean table there as Parquet parts (a new or empty
        folder) and ``tables["enrolments"]`` is a lazy Dask frame over them, so no process
        holds a province's table.
    workers : int or "auto", optional
        pandas engine, CSV/Parquet: processes cleaning the pieces (default the config's
        ``inputs.register.workers``, else ``"auto"``); the result does not depend on it.

    Returns
    -------
    StepResult
        ``tables["enrolments"]``; rejected rows with masked values and reasons.
    """
    path = Path(path)
    if engine not in ("pandas", "dask"):
        raise ConfigError(f"unknown engine {engine!r}", key="engine", allowed="pandas, dask")
    if out_dir is not None and engine != "dask":
        raise ConfigError("an output folder for the clean table is for the Dask engine",
                          key="out_dir", allowed="engine='dask', or no out_dir")
    spec = register_spec(config, path)
    salt = salt or get_salt(config.root)
    if not path.exists():
        raise IngestError("file not found", file=path)
    parts: list[StepResult] = []
    sheet_rows: list[dict] = []
    flags: list[dict] = []
    if path.is_file() and path.suffix.lower() in XLSX_SUFFIXES:
        if engine == "dask":
            raise ConfigError("the Dask engine reads CSV/Parquet registers, not xlsx",
                              key="engine", allowed="pandas for an xlsx register")
        from eduanalytics.ingest.readers import list_sheets, read_xlsx_table

        names = list_sheets(path)
        used: dict[str, str] = {}
        for e in sheet_entries(spec, sheet, training_sheet):
            kind = e.get("template", "register")
            name = resolve_sheet(path, e.get("sheet"), optional=bool(e.get("optional")))
            if name is None:
                flags.append(finding(path, "sheet_missing", f"optional sheet {e.get('sheet')!r} "
                                     f"({kind}) not found; the workbook's sheets are {names}: "
                                     "its rows are not read (set inputs.register.sheets)"))
                continue
            keywords = [h for c in TEMPLATES[kind] if c.required for h in c.headers[:1]]
            raw = read_xlsx_table(path, sheet=name, header_keywords=keywords,
                                  header_rows=e.get("header_rows"))
            used[name] = ",".join(str(r) for r in raw.attrs.get("header_rows") or [])
            if raw.empty:
                flags.append(finding(path, "no_data_rows", f"sheet {name!r} holds a header and "
                                     "no data rows"))
            df = prepare(raw, kind, spec, f"{path} [sheet {name}]")
            rules = make_rules(config, spec, kind, f"enrolments[{name}]", salt, synthetic, as_of,
                               list(df.columns))
            parts.append(run_pandas(df, rules, [path], spec.batch_rows(BATCH_ROWS)))
            if raw.attrs.get("merged_filled"):
                parts[-1].changes = concat_frames([parts[-1].changes, change_counts(
                    f"enrolments[{name}]", "<merged cells>",
                    pd.Series([True] * int(raw.attrs["merged_filled"])),
                    "cell of a merged range filled with the range's value")], CHANGE_COLUMNS)
        sheet_rows = [{"step": "enrolments", "file": str(path), "sheet": n, "used": n in used,
                       "header_rows": used.get(n, "")} for n in names]
    else:
        kind = (sheet_entries(spec, _KEEP, None) or DEFAULT_SHEETS)[0].get("template", "register")
        step = f"enrolments[{path.name}]"
        if engine == "dask":
            from eduanalytics.ingest.dask_engine import run_dask

            if not is_parquet(path):
                raise ConfigError(f"the Dask engine reads Parquet registers, not {path.name}",
                                  key="engine", allowed="pandas for a CSV register, or convert "
                                  "it to Parquet parts (one file per county)")

            parts.append(run_dask(path, lambda cols: make_rules(
                config, spec, kind, step, salt, synthetic, as_of, cols),
                lambda raw: prepare(raw, kind, spec, str(path)), scheduler=scheduler, out_dir=out_dir))
        else:
            parts.append(run_streamed(  # prepare as a partial: picklable for spawned workers
                path, spec.get("encoding"), spec.batch_rows(None),
                partial(prepare, kind=kind, spec=spec, where=str(path)),
                lambda cols: make_rules(config, spec, kind, step, salt, synthetic, as_of, cols),
                workers=spec.workers() if workers is None else workers))
    if not parts:
        raise IngestError("no register sheet found", file=path, expected="a sheet of inputs.register.sheets")
    enrol = (parts[0].tables["enrolments"] if len(parts) == 1  # maybe a lazy Dask frame
             else pd.concat([p.tables["enrolments"] for p in parts], ignore_index=True))
    files = list(dict.fromkeys(f for p in parts for f in p.files))
    res = StepResult(
        step="enrolments", files=files, tables={"enrolments": enrol},
        rows_in=sum(p.rows_in for p in parts), rows_clean=sum(p.rows_clean for p in parts),
        rejected=concat_frames([p.rejected for p in parts], REJECT_COLUMNS),
        changes=concat_frames([p.changes for p in parts], CHANGE_COLUMNS), synthetic=synthetic,
        findings=pd.DataFrame(flags, columns=FINDING_COLUMNS),
        sheets=pd.DataFrame(sheet_rows, columns=SHEET_COLUMNS), parts=parts,
    )
    if res.rows_in == 0 and not flags:
        res.findings = pd.DataFrame([finding(path, "no_data_rows", "the register holds no data "
                                             "rows")], columns=FINDING_COLUMNS)
    res.check_reconciles()
    return res


def finding(path: Path, kind: str, message: str) -> dict:
    """One register finding (a flag in the cleaning log: nothing was rejected)."""
    return {"step": "enrolments", "file": str(path), "row": 0, "column": "", "kind": kind,
            "published": float("nan"), "computed": float("nan"), "difference": float("nan"),
            "message": message}
