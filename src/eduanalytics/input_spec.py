"""How one raw input maps onto its tidy table: the ``inputs.<kind>`` entry of a region config.

:class:`InputSpec` is what :meth:`eduanalytics.config.RegionConfig.input` returns; the
schema is documented in ``docs/region_config.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eduanalytics.errors import ConfigError

#: Inputs a region config may name under ``inputs:``; only ``task_table`` is required.
INPUT_KINDS = ("task_table", "task_table_copy", "register", "census_streets", "survey",
               "census_county", "plan_indicators", "ce_targets")
#: Keys an ``inputs.<kind>`` entry may hold (see docs/region_config.md).
INPUT_KEYS = {"path", "synthetic", "sheet", "sheets", "header_rows", "header_join", "fields",
              "values", "populations", "targets", "programme_from", "school_field", "form",
              "year", "age", "levels", "columns", "code", "region", "encoding", "table",
              "census_year", "batch_rows", "workers"}


@dataclass(frozen=True)
class InputSpec:
    """How one raw input maps onto its tidy table (the ``inputs.<kind>`` entry).

    Layout words follow the Frictionless Table Dialect (``sheet``, ``headerRows`` as
    ``header_rows``, ``headerJoin`` as ``header_join``). See ``docs/region_config.md``.

    Attributes
    ----------
    kind : str
        Which input this is (one of :data:`INPUT_KINDS`).
    path : Path
        The file (or folder, for a partitioned Parquet register), resolved.
    synthetic : bool
        Generated example data (labelled 示例数据 wherever it is shown).
    options : dict
        Every other key of the entry, as written (``sheet``, ``sheets``, ``header_rows``,
        ``fields``, ``values``, ``populations``, ``targets``, ``programme_from``,
        ``school_field``, ``form``, ``year``, ``age``, ``levels``, ``columns``, ``code``,
        ``region``, ``encoding``, ``table``).
    config_file : Path, optional
        The region config it comes from (named in errors).
    """

    kind: str
    path: Path
    synthetic: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    config_file: Path | None = None

    def key(self, name: str) -> str:
        """The dotted config key of one of this input's options (for messages)."""
        return f"inputs.{self.kind}.{name}"

    def get(self, key: str, default: Any = None) -> Any:
        """An option of this input (``None``/default when not set)."""
        return self.options.get(key, default)

    @property
    def fields(self) -> dict[str, list[str]]:
        """Template field -> extra header texts accepted (added to the built-in aliases)."""
        return {str(k): [str(x) for x in (v if isinstance(v, list) else [v])]
                for k, v in (self.options.get("fields") or {}).items()}

    @property
    def values(self) -> dict[str, dict[str, str]]:
        """Field -> {raw text: canonical id}, extending the built-in value maps."""
        return {str(k): {str(a): str(b) for a, b in (v or {}).items()}
                for k, v in (self.options.get("values") or {}).items()}

    @property
    def layout(self) -> dict[str, Any]:
        """Reader keywords of this input: ``sheet``, ``table``, ``header_rows``,
        ``header_join``, ``encoding`` (only those set)."""
        out = {k: self.options[k] for k in ("sheet", "table", "header_rows", "header_join",
                                             "encoding") if self.options.get(k) is not None}
        if "header_rows" in out:
            hr = out["header_rows"]
            out["header_rows"] = [int(x) for x in (hr if isinstance(hr, list) else [hr])]
        return out

    def batch_rows(self, default: int | None) -> int | None:
        """Rows cleaned at a time for a register (``batch_rows``; a whole number >= 1000)."""
        raw = self.options.get("batch_rows")
        if raw is None:
            return default
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1000:
            _spec_error(self, "batch_rows", f"must be a whole number of at least 1000, not {raw!r}",
                        "e.g. 131072 (the default on one process; 262144 on several)")
        return int(raw)

    def workers(self) -> int | str:
        """Processes cleaning a CSV/Parquet register's pieces (``workers``: a whole number
        >= 1, or ``auto``, the default: one per core, up to four, from five million rows)."""
        raw = self.options.get("workers", "auto")
        if raw == "auto":
            return "auto"
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
            _spec_error(self, "workers", f"must be a whole number of at least 1 or auto, not {raw!r}",
                        "auto (the default), 1 (this process only), or e.g. 4")
        return int(raw)

    @property
    def populations(self) -> list[dict[str, Any]]:
        """Declared population columns of a task table: ``column``, ``base``, ``age``
        (``[min, max]`` or None), ``levels`` (list or None)."""
        out = []
        for i, p in enumerate(self.options.get("populations") or []):
            if not isinstance(p, dict) or "column" not in p or "base" not in p:
                _spec_error(self, f"populations[{i}]", "needs column and base",
                            "{column: <header>, base: <id>, age: [min, max], levels: [...]}")
            out.append({"column": str(p["column"]), "base": str(p["base"]),
                        "age": p.get("age"), "levels": p.get("levels")})
        return out

    @property
    def targets(self) -> list[dict[str, str]]:
        """Declared target columns of a task table: ``column`` -> ``programme``."""
        out = []
        for i, t in enumerate(self.options.get("targets") or []):
            if not isinstance(t, dict) or "column" not in t or "programme" not in t:
                _spec_error(self, f"targets[{i}]", "needs column and programme",
                            "{column: <header>, programme: <programme id>}")
            out.append({"column": str(t["column"]), "programme": str(t["programme"])})
        return out


def _spec_error(spec: InputSpec, key: str, message: str, allowed: str) -> None:
    raise ConfigError(message, file=spec.config_file, key=spec.key(key), allowed=allowed)
