"""Declared schemas of the tidy tables (pandera), validated lazily: all failures at once.

:func:`validate` never raises for bad rows: it splits a table into the rows that pass and
one record per failure (row index, column, check, value) so ingest can quarantine them
with a reason. A schema-level failure (a missing column, a wrong dtype that cannot be
coerced) is a programming or file error and raises
:class:`~eduanalytics.errors.DataError` naming the column and the check.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow.compute as pc
from pandera.errors import SchemaErrors

from eduanalytics.arrow_text import arrow_strings, fixed_width_bytes
from eduanalytics.errors import DataError
from eduanalytics.tables.attainment import LEVELS
from eduanalytics.tables.columns import BASES, FAIL_REASONS, MODES, PROGRAMMES, SEXES, STATUSES

_nonneg = pa.Check.ge(0, error="count must be >= 0")

#: 16-bit words (two bytes, in either order) whose bytes are both lowercase hexadecimal digits.
_HEX = np.zeros(256, dtype=bool)
_HEX[np.frombuffer(b"0123456789abcdef", dtype=np.uint8)] = True
_HEX_PAIRS = (_HEX[np.arange(1 << 16) & 0xFF] & _HEX[np.arange(1 << 16) >> 8]).astype(np.uint8)


def _hex16(s: pd.Series) -> pd.Series:
    """True where a value is 16 lowercase hexadecimal characters (a learner key). When
    every value is 16 bytes long, a lookup of the Arrow bytes two at a time (a register's
    millions of keys in a fraction of a second: the eight answers of a row read as one
    64-bit word); Arrow's regular expression otherwise."""
    arr = arrow_strings(s)
    m = fixed_width_bytes(arr, 16)
    if m is None:
        ok = pc.fill_null(pc.match_substring_regex(arr, "^[0-9a-f]{16}$"), False)
        return pd.Series(ok.to_numpy(zero_copy_only=False), index=s.index)
    pairs = _HEX_PAIRS[np.ascontiguousarray(m).view(np.uint16)]
    return pd.Series(pairs.view(np.uint64).ravel() == np.uint64(0x0101010101010101), index=s.index)


_learner_key = pa.Check(_hex16, name="learner_key_format",
                        error="16 lowercase hexadecimal characters")

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "population": pa.DataFrameSchema(
        {
            "unit_id": pa.Column(str, nullable=False),
            "source": pa.Column(str, pa.Check.isin(["census", "survey"])),
            "year": pa.Column("Int64", pa.Check.in_range(1950, 2100)),
            "age_min": pa.Column("Int64", pa.Check.in_range(0, 120)),
            "age_max": pa.Column("Int64", pa.Check.in_range(0, 120), nullable=True),
            "sex": pa.Column(str, pa.Check.isin(list(SEXES))),
            "attainment": pa.Column(str, pa.Check.isin(list(LEVELS)), nullable=True),
            "count": pa.Column("Int64", _nonneg),
        },
        checks=[pa.Check(lambda d: d["age_max"].isna() | (d["age_max"] >= d["age_min"]),
                         error="age_max must be >= age_min")],
        coerce=True,
    ),
    "bases": pa.DataFrameSchema(
        {
            "year": pa.Column("Int64"),
            "unit_id": pa.Column(str),
            "base": pa.Column(str, pa.Check.isin(list(BASES))),
            "count": pa.Column("Int64", _nonneg),
            "source": pa.Column(str),
        },
        coerce=True,
    ),
    "targets": pa.DataFrameSchema(
        {
            "year": pa.Column("Int64"),
            "unit_id": pa.Column(str),
            "programme": pa.Column(str, pa.Check.isin(list(PROGRAMMES))),
            "target": pa.Column("Int64", pa.Check.ge(0, error="target must be >= 0")),
            "measure": pa.Column(str, pa.Check.isin(["persons", "person_times"])),
        },
        coerce=True,
    ),
    # the coded columns of a register's millions of rows are categoricals (each text once)
    "enrolments": pa.DataFrameSchema(
        {
            "learner_key": pa.Column(str, _learner_key),
            "unit_id": pa.Column("category"),
            "programme": pa.Column("category", pa.Check.isin(list(PROGRAMMES))),
            "level_from": pa.Column("category", pa.Check.isin(list(LEVELS)), nullable=True),
            "level_to": pa.Column("category", pa.Check.isin(list(LEVELS)), nullable=True),
            "batch": pa.Column("category", nullable=True),
            "enrol_date": pa.Column("datetime64[ns]"),
            "status": pa.Column("category", pa.Check.isin(list(STATUSES))),
            "completed_date": pa.Column("datetime64[ns]", nullable=True),
            "registered": pa.Column("boolean", nullable=True),
            "register_fail_reason": pa.Column("category", pa.Check.isin(list(FAIL_REASONS)),
                                              nullable=True),
            "mode": pa.Column("category", pa.Check.isin(list(MODES)), nullable=True),
            "sex": pa.Column("category", pa.Check.isin(["male", "female"])),
            "birth_date": pa.Column("datetime64[ns]"),
            "age": pa.Column("Int64", pa.Check.in_range(0, 120)),
            "synthetic": pa.Column(bool),
        },
        checks=[
            pa.Check(lambda d: d["completed_date"].isna() | (d["completed_date"] >= d["enrol_date"]),
                     error="completed_date must not be before enrol_date"),
        ],
        coerce=True,
    ),
    "plan_indicators": pa.DataFrameSchema(
        {
            "region": pa.Column(str),
            "indicator": pa.Column(str),
            "indicator_name": pa.Column(str),
            "year": pa.Column("Int64"),
            "target_value": pa.Column(float, nullable=False),
            "unit": pa.Column(str, pa.Check.isin(["percent", "years", "count"])),
            "raw_value": pa.Column(str),
        },
        checks=[pa.Check(lambda d: (d["unit"] != "percent") | d["target_value"].between(0, 100),
                         error="a percentage must lie between 0 and 100")],
        coerce=True,
    ),
    "ce_targets": pa.DataFrameSchema(
        {
            "region": pa.Column(str),
            "year": pa.Column("Int64"),
            "indicator": pa.Column(str),
            "indicator_name": pa.Column(str),
            "target_value": pa.Column(float, pa.Check.ge(0)),
            "unit": pa.Column(str, pa.Check.isin(["percent", "persons", "person_times"])),
            "raw_value": pa.Column(str),
        },
        coerce=True,
    ),
}


def validate(df: pd.DataFrame, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate a tidy table lazily and split it into passing rows and failures.

    Parameters
    ----------
    df : DataFrame
        The table; its index identifies rows (keep it aligned with the source rows).
    name : str
        Schema name (a key of :data:`SCHEMAS`).

    Returns
    -------
    clean : DataFrame
        Rows with no failure, coerced to the schema's dtypes.
    failures : DataFrame
        Columns ``index``, ``column``, ``check``, ``value``: one record per failed cell
        (``column`` is ``"<row>"`` for a check across columns).
    """
    if name not in SCHEMAS:
        raise DataError(f"no schema named {name!r}", expected=f"one of {sorted(SCHEMAS)}",
                        found=name)
    schema = SCHEMAS[name]
    try:
        out = schema.validate(df, lazy=True)
        return out, pd.DataFrame(columns=["index", "column", "check", "value"])
    except SchemaErrors as exc:
        fc = exc.failure_cases
        row_level = fc["index"].notna()
        schema_level = fc.loc[~row_level]
        if len(schema_level):
            first = schema_level.iloc[0]
            col = first["column"] if pd.notna(first["column"]) else first["failure_case"]
            raise DataError(
                f"table {name!r} does not match its schema: "
                + "; ".join(f"{r.column if pd.notna(r.column) else r.failure_case}: {r.check}"
                            for r in schema_level.itertuples()),
                column=str(col), expected=f"the {name} schema", found=str(first["check"]),
            ) from exc
        failures = pd.DataFrame(
            {
                "index": fc["index"].to_numpy(),
                "column": fc["column"].fillna("<row>").astype(str).to_numpy(),
                "check": fc["check"].astype(str).to_numpy(),
                "value": fc["failure_case"].astype(str).to_numpy(),
            }
        )
        bad = set(failures["index"].tolist())
        keep = df.loc[~df.index.isin(list(bad))]
        return schema.validate(keep, lazy=False), failures
