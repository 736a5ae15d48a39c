"""The county census extract (wide, one row per county) as tidy tables."""

from __future__ import annotations

import pandas as pd

from eduanalytics.errors import DataError

#: Wide census column -> attainment level. 本科及以上 (bachelor and above) maps to
#: ``bachelor``: every tertiary level is credited 16 years, so mean years need no split.
EDU_COLUMNS: dict[str, str] = {
    "edu6p_未上过学": "none", "edu6p_学前教育": "preschool", "edu6p_小学": "primary",
    "edu6p_初中": "junior_secondary", "edu6p_高中": "senior_secondary",
    "edu6p_大学专科": "junior_college", "edu6p_本科及以上": "bachelor",
}
#: Published age-group columns -> (age_min, age_max); <NA> = open-ended.
AGE_COLUMNS: dict[str, tuple[int, int | None]] = {
    "pop_0_4": (0, 4), "pop_5_9": (5, 9), "pop_10_14": (10, 14), "pop_60p": (60, None),
}
REPORTED = ["mys_reported", "mys_male", "mys_female", "illiterate_15p", "illiteracy_rate_15p_pct",
            "pop_total"]


def census_wide_to_tidy(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn the wide county census table into ``population`` and ``census_reported``.

    Parameters
    ----------
    df : DataFrame
        Columns ``year, code, city, county`` and the ``edu6p_*``, ``pop_*`` and reported
        columns of ``data/raw/census/2020/zhejiang_2020_county_education.csv``, numbers
        already numeric.

    Returns
    -------
    population : DataFrame
        Tidy rows: unit_id (6-digit code; the name where the table gives no code), source ``census``, year, age_min, age_max, sex
        ``total``, attainment (<NA> for the age-group rows: all levels), count.
    census_reported : DataFrame
        unit_id, name, city, year, population ``6+``, and the published figures.
    """
    missing = [c for c in ("code", "year", *EDU_COLUMNS) if c not in df.columns]
    if missing:
        raise DataError(f"census table lacks column(s) {missing}", expected=", ".join(missing))
    # a unit published without a division code (温州经济技术开发区 in the 2020 tables) is
    # identified by its name instead
    code = pd.to_numeric(df["code"], errors="coerce").astype("Int64").astype("string")
    if "county" in df.columns:
        code = code.fillna(df["county"].astype("string"))
    if code.isna().any():
        raise DataError(f"census table: no division code or name in row(s) {list(df.index[code.isna()])}")
    base = df.assign(unit_id=code.astype(str))
    edu = base.melt(id_vars=["unit_id", "year"], value_vars=list(EDU_COLUMNS),
                    var_name="column", value_name="count")
    edu = edu.assign(attainment=edu["column"].map(EDU_COLUMNS), age_min=6, age_max=pd.NA)
    age_cols = [c for c in AGE_COLUMNS if c in df.columns]
    ages = base.melt(id_vars=["unit_id", "year"], value_vars=age_cols, var_name="column",
                     value_name="count")
    ages = ages.assign(attainment=pd.NA, age_min=ages["column"].map(lambda c: AGE_COLUMNS[c][0]),
                       age_max=ages["column"].map(lambda c: AGE_COLUMNS[c][1]))
    pop = pd.concat([edu, ages], ignore_index=True)
    population = pd.DataFrame({
        "unit_id": pop["unit_id"].astype(str), "source": "census",
        "year": pop["year"].astype("Int64"), "age_min": pop["age_min"].astype("Int64"),
        "age_max": pd.to_numeric(pop["age_max"]).astype("Int64"), "sex": "total",
        "attainment": pop["attainment"].astype("string"), "count": pop["count"].round().astype("Int64"),
    })
    reported = base[["unit_id", "county", "city", "year", *[c for c in REPORTED if c in df.columns]]]
    reported = reported.rename(columns={"county": "name"}).assign(population="6+")
    return population, reported.reset_index(drop=True)
