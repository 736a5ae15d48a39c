"""Ingest population tables (census by street, survey counts, the county census extract)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from eduanalytics.config import RegionConfig
from eduanalytics.ingest.core import (
    CHANGE_COLUMNS,
    FINDING_COLUMNS,
    REJECT_COLUMNS,
    StepResult,
    change_counts,
    concat_frames,
    map_headers,
    rejections,
    require_columns,
)
from eduanalytics.ingest.readers import read_table_file
from eduanalytics.ingest.register import map_values
from eduanalytics.ingest.templates import TEMPLATES, aliases, required
from eduanalytics.normalise.attainment_labels import normalise_attainment
from eduanalytics.normalise.numbers import normalise_numbers
from eduanalytics.normalise.units import normalise_unit_names
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


def ingest_population(path: str | Path, config: RegionConfig, source: str, year: int,
                      synthetic: bool = False) -> StepResult:
    """Read a population table (unit x age band x sex x attainment) into ``population`` rows.

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
    """
    path = Path(path)
    step = f"population[{source}]"
    raw = read_table_file(path)
    df = map_headers(raw, aliases("population"))
    require_columns(df, required("population"), path)
    unit = normalise_unit_names(df["unit"], config.units())
    ages = parse_age_bands(df["age_band"])
    sex = map_values(df["sex"], SEX_VALUES, _HDR["sex"], "男 / 女 / 合计", required=True)
    att_raw = df["attainment"].astype("string").str.strip()
    not_applicable = att_raw.isin(["/", "／", "—", "-"])
    att = normalise_attainment(df["attainment"].where(~not_applicable))
    att_err = att["error"].mask(att["value"].isna() & att["error"].isna() & ~not_applicable,
                                _HDR["attainment"] + ": blank; expected a level or '/'")
    num = normalise_numbers(df["count"])
    n_err = num["error"].astype("string")
    n_err = n_err.mask(num["value"].isna() & num["error"].isna(), _HDR["count"] + ": blank; expected a count")
    n_err = n_err.mask(num["value"].lt(0).fillna(False),
                       "negative count " + df["count"].astype(str) + "; expected a whole number >= 0")
    checks = [("unit", unit["error"]), ("age_band", ages["error"]), ("sex", sex["error"]),
              ("attainment", att_err), ("count", n_err)]
    rejected = [rejections(step, df, err.notna(), _HDR[col], err) for col, err in checks]
    rej = concat_frames(rejected, REJECT_COLUMNS)
    bad = df["_row"].isin(set(rej["row"].tolist()))
    pop = pd.DataFrame({
        "unit_id": unit["value"], "source": source, "year": int(year),
        "age_min": ages["age_min"], "age_max": ages["age_max"], "sex": sex["value"],
        "attainment": att["value"], "count": num["value"].round().astype("Int64"),
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
                     rows_clean=len(pop), rejected=rej, changes=changes, synthetic=synthetic)
    res.check_reconciles()
    return res


def ingest_county_census(path: str | Path, config: RegionConfig) -> StepResult:
    """Read the county census extract (wide, one row per county) into ``population`` rows
    and the yearbook's published figures (``census_reported``).

    Every county's ``edu6p_sum`` is compared with the sum of its attainment columns; each
    disagreement is a finding with both numbers.
    """
    from eduanalytics.ingest.census import census_wide_to_tidy

    path = Path(path)
    step = "census_county"
    raw = read_table_file(path)
    data = raw.drop(columns=["_file", "_row"])
    numeric = data.columns.difference(["code", "city", "county"])
    conv = data.copy()
    bad_cells = []
    for col in numeric:
        num = normalise_numbers(data[col])
        conv[col] = num["value"]
        bad_cells.append(rejections(step, raw, num["error"].notna(), col, num["error"]))
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
                     findings=pd.DataFrame(findings, columns=FINDING_COLUMNS))
    res.check_reconciles()
    return res
