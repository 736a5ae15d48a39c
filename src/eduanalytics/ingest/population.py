"""Ingest population tables (census by street, survey counts, the county census extract).

Two forms of a street/town table: *long* (the ``population`` template: unit x age band x
sex x attainment, one count per row) and *wide* (one row per unit with census and survey
counts side by side for one age band and one level group, e.g. 初中及以下 aged 15-59,
often with a 合计 row). Both give the same tidy ``population`` rows. A wide table's level
group cannot be split into levels: its rows carry ``attainment`` <NA> and ``levels`` = the
group id (``none+preschool+primary+junior_secondary``); long rows carry ``levels`` <NA>.
A file's age band is whatever it is (15-59 is not an error); analyses decide what a band
that differs from a programme's can be used for.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from eduanalytics.config import InputSpec, RegionConfig
from eduanalytics.errors import ConfigError
from eduanalytics.ingest.core import (
    CHANGE_COLUMNS,
    FINDING_COLUMNS,
    REJECT_COLUMNS,
    StepResult,
    change_counts,
    concat_frames,
    declared_column,
    map_headers,
    map_values,
    rejections,
    require_columns,
    sheet_records,
    value_map,
)
from eduanalytics.ingest.readers import read_table_file
from eduanalytics.ingest.task_table import compare_totals
from eduanalytics.ingest.templates import TEMPLATES, aliases, header_words, required
from eduanalytics.normalise.attainment_labels import group_id, level_group, normalise_attainment
from eduanalytics.normalise.numbers import normalise_numbers
from eduanalytics.normalise.units import is_total_label, normalise_unit_names
from eduanalytics.tables.schemas import validate

SEX_VALUES = {"男": "male", "女": "female", "合计": "total", "总计": "total", "男女合计": "total",
              "male": "male", "female": "female", "total": "total"}
_HDR = {c.name: c.headers[0] for c in TEMPLATES["population"]}


def parse_age_bands(s: pd.Series) -> pd.DataFrame:
    """Parse age-band labels into ``age_min``/``age_max``.

    Accepts ``"20-24"``, ``"20—24"``, ``"20~24岁"``, ``"85+"``, ``"85岁及以上"``, ``"20"``
    (a single year). Open-ended bands get ``age_max`` <NA>.

    Returns
    -------
    DataFrame
        ``age_min``, ``age_max`` (Int64) and ``error``.
    """
    text = s.astype("string").str.strip().str.replace(r"\s+", "", regex=True)
    text = text.str.replace("岁", "", regex=False).str.replace("周", "", regex=False)
    rng = text.str.extract(r"^(\d{1,3})[-—–~至到](\d{1,3})$")
    opn = text.str.extract(r"^(\d{1,3})(?:\+|及以上|以上)$")[0]
    one = text.str.extract(r"^(\d{1,3})$")[0]
    age_min = rng[0].fillna(opn).fillna(one).astype("Int64")
    age_max = rng[1].fillna(one).astype("Int64")
    error = pd.Series(pd.NA, index=s.index, dtype="string")
    error = error.mask(age_min.isna(), "age band '" + text.fillna("") + "' not understood; expected '20-24' or '85+'")
    error = error.mask(age_max.notna() & age_min.notna() & (age_max < age_min),
                       "age band '" + text.fillna("") + "' ends before it starts")
    return pd.DataFrame({"age_min": age_min, "age_max": age_max, "error": error})


def fractional(values: pd.Series) -> pd.Series:
    """Which numbers are not whole (``12.6``); missing values are not.

    Parameters
    ----------
    values : Series
        Numbers (missing allowed).

    Returns
    -------
    Series of bool
    """
    v = pd.to_numeric(values, errors="coerce").astype("Float64")
    return v.ne(v.round()).fillna(False).astype(bool)


def duplicate_rows(step: str, frame: pd.DataFrame, keys: pd.DataFrame, candidates: pd.Series,
                   column: str, what: str) -> pd.DataFrame:
    """Rejected-row records for rows repeating an earlier row's key.

    Parameters
    ----------
    step : str
        Step name.
    frame : DataFrame
        The source rows (``_file``, ``_row``), in file order.
    keys : DataFrame
        The duplicate key, one row per row of ``frame`` (same index); missing values are
        compared as equal.
    candidates : Series of bool
        Rows that take part (rows already rejected for another reason do not).
    column : str
        Column named in the records.
    what : str
        What makes two rows the same, for the reason.

    Returns
    -------
    DataFrame
        ``REJECT_COLUMNS``: every later row of a key, "duplicate of row N (what)", N being
        the key's first row.
    """
    k = keys.loc[candidates.fillna(False).astype(bool)]
    if k.empty:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    group = k.groupby(list(k.columns), dropna=False, sort=False).ngroup()
    first = frame.loc[k.index, "_row"].groupby(group).transform("first")
    dup = group.duplicated(keep="first").reindex(frame.index, fill_value=False)
    reason = ("duplicate of row " + first.astype(int).astype(str) + f" ({what})").reindex(frame.index)
    return rejections(step, frame, dup, column, reason)


def no_data_findings(step: str, path: str | Path, df: pd.DataFrame) -> pd.DataFrame:
    """A ``no_data_rows`` finding when a file holds a header and no data rows.

    Parameters
    ----------
    step : str
        Step name.
    path : path-like
        The file read.
    df : DataFrame
        Its data rows.

    Returns
    -------
    DataFrame
        ``FINDING_COLUMNS``: one finding, or none when the file has data rows.
    """
    if len(df):
        return pd.DataFrame(columns=FINDING_COLUMNS)
    return pd.DataFrame([{"step": step, "file": str(path), "row": 0, "column": "",
                          "kind": "no_data_rows", "published": float("nan"),
                          "computed": float("nan"), "difference": float("nan"),
                          "message": f"{Path(path).name}: a header row and no data rows; "
                                     "nothing loaded from it"}], columns=FINDING_COLUMNS)


def ingest_population(path: str | Path, config: RegionConfig, source: str, year: int,
                      synthetic: bool = False, spec: InputSpec | None = None) -> StepResult:
    """Read a population table (unit x age band x sex x attainment) into ``population`` rows.

    A ``spec`` with ``form: wide`` is read by :func:`ingest_population_wide` instead. A
    count that is not a whole number (``12.6``) is rejected, never rounded; a row repeating
    an earlier row's unit, sex, age band and attainment is rejected as its duplicate; a file
    with a header and no data rows gives a ``no_data_rows`` finding.

    Parameters
    ----------
    path : path-like
        CSV/XLSX/DOCX with the ``population`` template's columns.
    config : RegionConfig
        Units and aliases.
    source : {"census", "survey"}
        What the counts are.
    year : int
        Reference year of the counts.
    synthetic : bool
        Generated example data.
    spec : InputSpec, optional
        The input's config entry (layout, ``fields``, ``values`` for sex and attainment).
    """
    if spec is not None and str(spec.get("form") or "long") == "wide":
        return ingest_population_wide(path, config, spec, synthetic=synthetic)
    path = Path(path)
    step = f"population[{source}]"
    fields = spec.fields if spec is not None else {}
    layout = spec.layout if spec is not None else {}
    raw = read_table_file(path, header_keywords=header_words("population", fields), **layout)
    df = map_headers(raw, aliases("population", fields))
    require_columns(df, required("population"), path,
                    key=None if spec is None else spec.key("fields"))
    unit = normalise_unit_names(df["unit"], config.units())
    ages = parse_age_bands(df["age_band"])
    sex = map_values(df["sex"], value_map(SEX_VALUES, spec, "sex"), _HDR["sex"],
                     "男 / 女 / 合计", required=True)
    att_raw = df["attainment"].astype("string").str.strip()
    not_applicable = att_raw.isin(["/", "／", "—", "-"])
    att = normalise_attainment(df["attainment"].where(~not_applicable),
                               extra=(spec.values.get("attainment") if spec is not None else None))
    att_err = att["error"].mask(att["value"].isna() & att["error"].isna() & ~not_applicable,
                                _HDR["attainment"] + ": blank; expected a level or '/'")
    num = normalise_numbers(df["count"])
    n_err = num["error"].astype("string")
    n_err = n_err.mask(num["value"].isna() & num["error"].isna(), _HDR["count"] + ": blank; expected a count")
    n_err = n_err.mask(num["value"].lt(0).fillna(False),
                       "negative count " + df["count"].astype(str) + "; expected a whole number >= 0")
    n_err = n_err.mask(n_err.isna() & fractional(num["value"]),
                       "count " + df["count"].astype("string").str.strip()
                       + " is not a whole number of persons")
    checks = [("unit", unit["error"]), ("age_band", ages["error"]), ("sex", sex["error"]),
              ("attainment", att_err), ("count", n_err)]
    rejected = [rejections(step, df, err.notna(), _HDR[col], err) for col, err in checks]
    bad = df["_row"].isin(set(concat_frames(rejected, REJECT_COLUMNS)["row"].tolist()))
    keys = pd.DataFrame({"unit": unit["value"], "age_min": ages["age_min"], "age_max": ages["age_max"],
                         "sex": sex["value"], "attainment": att["value"]})
    rejected.append(duplicate_rows(step, df, keys, ~bad, "<row>",
                                   "same unit, sex, age band and attainment"))
    rej = concat_frames(rejected, REJECT_COLUMNS)
    bad = df["_row"].isin(set(rej["row"].tolist()))
    pop = pd.DataFrame({
        "unit_id": unit["value"], "source": source, "year": int(year),
        "age_min": ages["age_min"], "age_max": ages["age_max"], "sex": sex["value"],
        "attainment": att["value"], "count": num["value"].round().astype("Int64"),
        "levels": pd.Series(pd.NA, index=df.index, dtype="string"),
    }).loc[~bad]
    pop, failures = validate(pop, "population")
    if len(failures):
        rows = df.loc[failures["index"].unique()]
        rej = concat_frames([rej, rejections(step, rows, pd.Series(True, index=rows.index), "<row>",
                                             "schema check failed")], REJECT_COLUMNS)
    pop = pop.assign(synthetic=bool(synthetic)).reset_index(drop=True)
    changes = concat_frames([
        change_counts(step, _HDR["unit"], unit["changed"], "unit name mapped to its canonical name"),
        change_counts(step, _HDR["attainment"], att["changed"], "attainment label mapped to a level"),
        change_counts(step, _HDR["attainment"], not_applicable, "'/' (ages under 6): all levels"),
        change_counts(step, _HDR["count"], num["changed"], "number normalised"),
    ], CHANGE_COLUMNS)
    res = StepResult(step=step, files=[path], tables={"population": pop}, rows_in=len(df),
                     rows_clean=len(pop), rejected=rej, changes=changes,
                     findings=no_data_findings(step, path, df), synthetic=synthetic,
                     sheets=sheet_records(step, raw, path))
    res.check_reconciles()
    return res


def _wide_settings(spec: InputSpec, config: RegionConfig) -> dict:
    """Check a wide population entry: ``columns`` (unit and census and/or survey), ``age``
    ([min, max]), ``levels`` (level ids or a group word; omitted = all levels)."""
    cols = spec.get("columns") or {}
    if not isinstance(cols, dict) or "unit" not in cols or not ({"census", "survey"} & set(cols)):
        raise ConfigError("a wide table needs columns: {unit: …, census: …, survey: …}",
                          file=config.path, key=spec.key("columns"),
                          allowed="unit, census, survey, sex (header texts)")
    age = spec.get("age")
    if not (isinstance(age, list) and len(age) == 2 and all(isinstance(a, int) for a in age)
            and 0 <= age[0] <= age[1] <= 120):
        raise ConfigError(f"age {age!r} is not a band", file=config.path, key=spec.key("age"),
                          allowed="[min, max] in whole years, e.g. [15, 59]")
    levels = spec.get("levels")
    try:
        group = None if levels in (None, "all") else level_group(levels)
    except ValueError as exc:
        raise ConfigError(str(exc), file=config.path, key=spec.key("levels")) from None
    return {"columns": {k: str(v) for k, v in cols.items()}, "age": age, "levels": group}


def ingest_population_wide(path: str | Path, config: RegionConfig, spec: InputSpec,
                           synthetic: bool = False) -> StepResult:
    """Read a wide census/survey table (one row per unit, census and survey side by side).

    Parameters
    ----------
    path : path-like
        CSV/XLSX/DOCX.
    config : RegionConfig
        Units, aliases, totals labels.
    spec : InputSpec
        ``columns`` ({unit, census, survey[, sex]} -> header texts), ``age`` ([15, 59]),
        ``levels`` (level ids or 初中及以下), ``year`` (the survey's), ``census_year``
        (default 2020), layout keys.
    synthetic : bool
        Generated example data.

    Returns
    -------
    StepResult
        ``population``: one row per unit and source (census / survey) with the file's age
        band, sex ``total`` (or the sex column's), ``attainment`` = the level when the group
        is one level, else <NA> with ``levels`` = the group id. A 合计 row is compared with
        the sum of its parts (a finding with both numbers), not loaded.
    """
    path = Path(path)
    step = "population[wide]"
    cfg = _wide_settings(spec, config)
    cols = cfg["columns"]
    raw = read_table_file(path, header_keywords=list(cols.values()), **spec.layout)
    found = {k: declared_column(raw, v, path, spec.key(f"columns.{k}")) for k, v in cols.items()}
    sources = [s for s in ("census", "survey") if s in found]
    df = raw.rename(columns={v: k for k, v in found.items()})
    header = {k: cols[k] for k in found}
    total = is_total_label(df["unit"], config.total_labels)
    unit = normalise_unit_names(df["unit"], config.units())
    unit_err = unit["error"].mask(unit["value"].isna() & unit["error"].isna(),
                                  cols["unit"] + ": blank; expected a unit name")
    rejected = [rejections(step, df, ~total & unit_err.notna(), cols["unit"], unit_err)]
    sex = (map_values(df["sex"], value_map(SEX_VALUES, spec, "sex"), cols["sex"], "男 / 女 / 合计",
                      required=True) if "sex" in found else None)
    if sex is not None:
        rejected.append(rejections(step, df, ~total & sex["error"].notna(), cols["sex"], sex["error"]))
    values, changes = {}, [change_counts(step, cols["unit"], unit["changed"] & ~total,
                                         "unit name mapped to its canonical name")]
    for src in sources:
        num = normalise_numbers(df[src])
        err = num["error"].astype("string")
        err = err.mask(num["value"].isna() & err.isna() & ~num["not_applicable"],
                       cols[src] + ": blank; expected a count")
        err = err.mask(num["value"].lt(0).fillna(False),
                       "negative count " + df[src].astype(str) + "; expected a whole number >= 0")
        err = err.mask(err.isna() & fractional(num["value"]),
                       cols[src] + ": count " + df[src].astype("string").str.strip()
                       + " is not a whole number of persons")
        values[src] = num
        rejected.append(rejections(step, df, ~total & err.notna(), cols[src], err))
        changes.append(change_counts(step, cols[src], num["changed"], "number normalised"))
    ok = ~total & ~df["_row"].isin(set(concat_frames(rejected, REJECT_COLUMNS)["row"].tolist()))
    keys = pd.DataFrame({"unit": unit["value"],
                         "sex": sex["value"] if sex is not None else "total"}, index=df.index)
    rejected.append(duplicate_rows(step, df, keys, ok, cols["unit"], "same unit and sex"))
    rej = concat_frames(rejected, REJECT_COLUMNS)
    ok = ~total & ~df["_row"].isin(set(rej["row"].tolist()))
    group = cfg["levels"]
    one_level = group is not None and len(group) == 1
    years = {"census": int(spec.get("census_year") or config.get("census_year", 2020)),
             "survey": int(spec.get("year") or config.get("survey_year", config.year))}
    parts = []
    for src in sources:
        v = values[src]["value"]
        keep = ok & v.notna()
        parts.append(pd.DataFrame({
            "unit_id": unit["value"][keep], "source": src, "year": years[src],
            "age_min": cfg["age"][0], "age_max": cfg["age"][1],
            "sex": sex["value"][keep] if sex is not None else "total",
            "attainment": group[0] if one_level else pd.NA,
            "count": v[keep].round().astype("Int64"),
            "levels": pd.NA if group is None or one_level else group_id(group),
        }))
    pop = pd.concat(parts, ignore_index=True).astype({"attainment": "string", "levels": "string"})
    pop, failures = validate(pop, "population")
    if len(failures):  # screened above: a failure here is a bug
        raise AssertionError(f"{path}: schema failures after screening: {failures}")
    findings = concat_frames([compare_totals(step, path, df, total, ok, values, sources, header),
                              no_data_findings(step, path, df)], FINDING_COLUMNS)
    res = StepResult(step=step, files=[path],
                     tables={"population": pop.assign(synthetic=bool(synthetic))},
                     rows_in=len(df), rows_clean=int(ok.sum()), rows_total=int(total.sum()),
                     rejected=rej, changes=concat_frames(changes, CHANGE_COLUMNS),
                     findings=findings, synthetic=synthetic, sheets=sheet_records(step, raw, path))
    res.check_reconciles()
    return res


def ingest_county_census(path: str | Path, config: RegionConfig,
                         spec: InputSpec | None = None) -> StepResult:
    """Read the county census extract (wide, one row per county) into ``population`` rows
    and the yearbook's published figures (``census_reported``).

    Every county's ``edu6p_sum`` is compared with the sum of its attainment columns; each
    disagreement is a finding with both numbers.
    """
    from eduanalytics.ingest.census import census_wide_to_tidy

    path = Path(path)
    step = "census_county"
    raw = read_table_file(path, **(spec.layout if spec is not None else {}))
    data = raw.drop(columns=["_file", "_row"])
    numeric = data.columns.difference(["code", "city", "county"])
    conv = data.copy()
    bad_cells = []
    for col in numeric:
        num = normalise_numbers(data[col])
        conv[col] = num["value"]
        bad_cells.append(rejections(step, raw, num["error"].notna(), col, num["error"]))
    bad = raw["_row"].isin(set(concat_frames(bad_cells, REJECT_COLUMNS)["row"].tolist()))
    code = pd.to_numeric(data["code"], errors="coerce").astype("Int64").astype("string")
    unit_key = code.fillna(data["county"].astype("string").str.strip()
                           if "county" in data.columns else pd.NA)
    bad_cells.append(duplicate_rows(step, raw, unit_key.to_frame("unit"), ~bad, "code",
                                    "same division code / name"))
    rej = concat_frames(bad_cells, REJECT_COLUMNS)
    bad = raw["_row"].isin(set(rej["row"].tolist()))
    conv = conv.loc[~bad]
    conv["code"] = conv["code"].astype(str)
    population, reported = census_wide_to_tidy(conv)
    population = population.assign(synthetic=False)
    edu_cols = [c for c in conv.columns if c.startswith("edu6p_") and c != "edu6p_sum"]
    findings = []
    if "edu6p_sum" in conv.columns:
        parts = conv[edu_cols].sum(axis=1)
        diff = conv["edu6p_sum"] - parts
        for i in conv.index[diff.ne(0)]:
            findings.append({"step": step, "file": str(path), "row": int(raw.loc[i, "_row"]),
                             "column": "edu6p_sum", "kind": "total_mismatch",
                             "published": float(conv.loc[i, "edu6p_sum"]), "computed": float(parts[i]),
                             "difference": float(diff[i]),
                             "message": f"{conv.loc[i, 'county']}: edu6p_sum {conv.loc[i, 'edu6p_sum']:,.0f}"
                                        f" but its levels sum to {parts[i]:,.0f}"})
        findings.append({"step": step, "file": str(path), "row": 0, "column": "edu6p_sum",
                         "kind": "total_matches" if not findings else "total_mismatch",
                         "published": float(conv["edu6p_sum"].sum()), "computed": float(parts.sum()),
                         "difference": float(diff.sum()),
                         "message": f"{int(diff.eq(0).sum())} of {len(conv)} rows: edu6p_sum equals "
                                    "the sum of the attainment columns"})
    for i in conv.index[pd.to_numeric(conv["code"], errors="coerce").isna()]:  # "NA" as printed
        findings.append({"step": step, "file": str(path), "row": int(raw.loc[i, "_row"]),
                         "column": "code", "kind": "missing_code", "published": float("nan"),
                         "computed": float("nan"), "difference": float("nan"),
                         "message": f"{conv.loc[i, 'county']} ({conv.loc[i, 'city']}) has no division "
                                    f"code (printed {conv.loc[i, 'code']!r}); identified by its name"})
    res = StepResult(step=step, files=[path],
                     tables={"population": population, "census_reported": reported},
                     rows_in=len(raw), rows_clean=int((~bad).sum()), rejected=rej,
                     findings=pd.DataFrame(findings, columns=FINDING_COLUMNS),
                     sheets=sheet_records(step, raw, path))
    res.check_reconciles()
    return res
