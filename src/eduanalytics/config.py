"""The one place that resolves region configs and project paths.

Every other module asks this one where things are: the project root, ``data/raw``,
``data/processed/<region>/<year>``, ``reports/<region>/<year>`` and the files a region
config names. Nothing else in the package builds a path from strings.

Path rules for ``files:`` entries in a region config
----------------------------------------------------
- ``"@raw/..."`` is relative to ``data/raw/``;
- an absolute path is used as is;
- anything else is relative to ``data/raw/<region>/<year>/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from eduanalytics.errors import ConfigError
from eduanalytics.input_spec import INPUT_KEYS, INPUT_KINDS, InputSpec

__all__ = ["INPUT_KEYS", "INPUT_KINDS", "InputSpec", "RegionConfig", "load_config", "project_root"]

#: Environment variable that overrides the project root (the folder holding data/, config/).
ROOT_ENV = "EDUANALYTICS_HOME"


def project_root() -> Path:
    """Return the project root.

    Resolution order: ``$EDUANALYTICS_HOME``; else the nearest folder, from the current
    working directory upwards, that holds both ``config/`` and ``data/``; else the
    source checkout this package was installed from (editable installs).

    Returns
    -------
    pathlib.Path
        Absolute path of the project root.
    """
    env = os.environ.get(ROOT_ENV)
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for cand in (here, *here.parents):
        if (cand / "config").is_dir() and (cand / "data").is_dir():
            return cand
    src_root = Path(__file__).resolve().parents[2]
    if (src_root / "config").is_dir():
        return src_root
    return here


def raw_dir(root: Path | None = None) -> Path:
    """Folder of raw inputs, ``<root>/data/raw``."""
    return (root or project_root()) / "data" / "raw"


def processed_dir(region: str, year: int, root: Path | None = None) -> Path:
    """Folder of tidy outputs, ``<root>/data/processed/<region>/<year>``."""
    return (root or project_root()) / "data" / "processed" / region / str(year)


def reports_dir(region: str, year: int, root: Path | None = None) -> Path:
    """Folder of a report, ``<root>/reports/<region>/<year>``."""
    return (root or project_root()) / "reports" / region / str(year)


def notebooks_dir(root: Path | None = None) -> Path:
    """Folder of the parameterised notebooks."""
    return (root or project_root()) / "notebooks"


@dataclass(frozen=True)
class RegionConfig:
    """A region config resolved against the project root.

    Attributes
    ----------
    path : Path
        The YAML file it was read from.
    region : str
        Short id used in folder names (``luqiao``).
    name : str
        Display name (``某市某某区``).
    year : int
        Reporting year.
    root : Path
        Project root the paths are resolved against.
    data : dict
        The whole parsed YAML, for sections that modules read themselves.
    """

    path: Path
    region: str
    name: str
    year: int
    root: Path
    data: dict[str, Any] = field(repr=False)

    # -- paths -----------------------------------------------------------------
    @property
    def raw_dir(self) -> Path:
        """``data/raw/<region>/<year>``."""
        return raw_dir(self.root) / self.region / str(self.year)

    @property
    def processed_dir(self) -> Path:
        """``data/processed/<region>/<year>``."""
        return processed_dir(self.region, self.year, self.root)

    @property
    def reports_dir(self) -> Path:
        """``reports/<region>/<year>``."""
        return reports_dir(self.region, self.year, self.root)

    def resolve_path(self, value: str) -> Path:
        """Resolve a path written in the config (``@raw/`` prefix, absolute, or relative to
        ``data/raw/<region>/<year>``)."""
        value = str(value)
        if value.startswith("@raw/"):
            return raw_dir(self.root) / value[len("@raw/") :]
        p = Path(value)
        return p if p.is_absolute() else self.raw_dir / p

    def input(self, kind: str, required: bool = False) -> InputSpec | None:
        """The mapping of one raw input (``inputs.<kind>``), or None when not configured.

        Parameters
        ----------
        kind : str
            One of :data:`INPUT_KINDS`.
        required : bool
            Raise :class:`ConfigError` when the entry is absent.

        Returns
        -------
        InputSpec or None
        """
        if kind not in INPUT_KINDS:
            raise ConfigError(f"unknown input {kind!r}", file=self.path, key=f"inputs.{kind}",
                              allowed=", ".join(INPUT_KINDS))
        entry = (self.data.get("inputs") or {}).get(kind)
        if entry is None:
            if required:
                raise ConfigError("is not set", file=self.path, key=f"inputs.{kind}.path")
            return None
        if isinstance(entry, str):
            entry = {"path": entry}
        if not isinstance(entry, dict) or "path" not in entry:
            raise ConfigError("needs a path", file=self.path, key=f"inputs.{kind}.path")
        unknown = sorted(set(entry) - INPUT_KEYS)
        if unknown:
            raise ConfigError(f"unknown key(s) {unknown}", file=self.path, key=f"inputs.{kind}",
                              allowed=", ".join(sorted(INPUT_KEYS)))
        opts = {k: v for k, v in entry.items() if k not in ("path", "synthetic")}
        return InputSpec(kind=kind, path=self.resolve_path(entry["path"]),
                         synthetic=bool(entry.get("synthetic", False)), options=opts,
                         config_file=self.path)

    def inputs(self) -> dict[str, InputSpec]:
        """Every configured input, by kind."""
        return {k: spec for k in INPUT_KINDS if (spec := self.input(k)) is not None}

    def file(self, key: str, required: bool = True) -> Path | None:
        """Resolve the path of a ``files:`` entry.

        Parameters
        ----------
        key : str
            Entry name, e.g. ``"register"``.
        required : bool
            Raise :class:`ConfigError` when the entry is absent.

        Returns
        -------
        Path or None
        """
        kind = _OLD_FILE_KEYS.get(key, key)
        spec = self.input(kind, required=required)
        return None if spec is None else spec.path

    # -- sections --------------------------------------------------------------
    def units(self) -> pd.DataFrame:
        """The ``units`` tidy table: unit_id, name, kind, aliases (list of str).

        ``attrs["unit_prefixes"]`` holds the prefixes stripped before matching unit names
        (``unit_prefixes`` plus the parts of the region ``name``: 某市, 某某区).
        """
        rows = self.data.get("units") or []
        if not rows:
            raise ConfigError(f"{self.path}: no units listed")
        df = pd.DataFrame(
            {
                "unit_id": [str(u["id"]) for u in rows],
                "name": [str(u["name"]) for u in rows],
                "kind": [str(u.get("kind", "other")) for u in rows],
                "aliases": [list(map(str, u.get("aliases") or [])) for u in rows],
            }
        )
        dup = df["unit_id"][df["unit_id"].duplicated()]
        if len(dup):
            raise ConfigError(f"{self.path}: unit id(s) listed twice: {sorted(set(dup))}")
        df.attrs["unit_prefixes"] = self.unit_prefixes
        return df

    @property
    def unit_prefixes(self) -> list[str]:
        """Prefixes stripped from unit names before matching: ``unit_prefixes`` and the
        parts of ``name`` (``某市甲县`` gives ``某市``, ``甲县``), longest first."""
        import re

        parts = re.findall(r".+?(?:自治州|自治县|省|市|州|盟|区|县|旗)", self.name)
        extra = [str(p) for p in (self.data.get("unit_prefixes") or [])]
        words = {w for w in [*extra, self.name, *parts] if w}
        return sorted(words, key=lambda w: (-len(w), w))

    def programmes(self) -> dict[str, dict[str, Any]]:
        """The ``programmes`` section (programme id -> settings)."""
        progs = self.data.get("programmes") or {}
        if not progs:
            raise ConfigError(f"{self.path}: no programmes listed")
        return dict(progs)

    # -- region words (never written into src/ or notebooks/) -------------------
    @property
    def level_word(self) -> str:
        """The region's level: ``区``, ``县`` or ``市`` (``level_word``; default from the
        last character of ``name``)."""
        word = str(self.data.get("level_word") or self.name[-1:])
        if word not in ("区", "县", "市", "旗"):
            raise ConfigError(f"{word!r} is not a level word", file=self.path, key="level_word",
                              allowed="区, 县, 市, 旗")
        return word

    @property
    def whole_word(self) -> str:
        """``全区`` / ``全县`` / ``全市``: the label of the region's total row."""
        return "全" + self.level_word

    @property
    def notice(self) -> dict[str, str]:
        """The task-table notice (``number``, ``title``, ``issuer``, ``date``); empty when
        the config names none."""
        raw = self.data.get("notice") or {}
        if not isinstance(raw, dict):
            raise ConfigError("must be a mapping", file=self.path, key="notice",
                              allowed="number, title, issuer, date")
        return {k: str(v) for k, v in raw.items() if v is not None}

    @property
    def target_year(self) -> int:
        """Year of the schooling target (``target_year``; default year + 4)."""
        return int(self.data.get("target_year") or self.year + 4)

    @property
    def target_mean_years(self) -> float | None:
        """Target mean years of schooling of the working-age population, if the plan sets one."""
        v = self.data.get("target_mean_years")
        return None if v is None else float(v)

    @property
    def age_bands(self) -> list[list[int]] | None:
        """Age bands for tables by age (``age_bands``: ``[[20, 29], [30, 39], ...]``)."""
        bands = self.data.get("age_bands")
        if bands is None:
            return None
        if not all(isinstance(b, list | tuple) and len(b) == 2 for b in bands):
            raise ConfigError("must be a list of [min, max] pairs", file=self.path, key="age_bands",
                              allowed="e.g. [[20, 29], [30, 39]]")
        return [[int(a), int(b)] for a, b in bands]

    @property
    def intake_calendar(self) -> dict[str, dict[str, float]] | None:
        """Batches of the intake calendar (``intake_calendar``: batch -> month, share)."""
        return self.data.get("intake_calendar")

    @property
    def total_labels(self) -> list[str]:
        """Labels of a published table's totals row (``total_labels``; default 合计, 总计
        and the region's 全区/全县 word)."""
        return [str(x) for x in (self.data.get("total_labels") or ["合计", "总计", self.whole_word])]

    @property
    def default_as_of(self) -> str:
        """The as-of date used when none is given (``default_as_of``; else 31 Dec)."""
        return str(self.data.get("default_as_of") or f"{self.year}-12-31")

    @property
    def census_year(self) -> int:
        """Year of the street census (``inputs.census_streets.year``, ``census_year``; 2020)."""
        spec = self.input("census_streets")
        return int((spec.get("year") if spec else None) or self.data.get("census_year") or 2020)

    @property
    def census_code(self) -> str | None:
        """Division code of the region's row in the county census table."""
        spec = self.input("census_county")
        code = (spec.get("code") if spec else None) or self.data.get("census_code")
        return None if code is None else str(code)

    def years_of_schooling(self) -> dict[str, float]:
        """Years credited per attainment level (defaults to the yearbook convention)."""
        from eduanalytics.tables.attainment import DEFAULT_YEARS

        return {**DEFAULT_YEARS, **(self.data.get("years_of_schooling") or {})}

    def get(self, key: str, default: Any = None) -> Any:
        """A top-level config value."""
        return self.data.get(key, default)


#: Numeric top-level keys and the range each may take.
_NUMBER_RANGES = {"target_mean_years": (0.0, 25.0), "target_year": (2000, 2100),
                  "default_year": (2000, 2100), "census_year": (1950, 2100),
                  "survey_year": (2000, 2100)}


def _check_numbers(data: dict[str, Any], path: Path) -> None:
    """Raise :class:`ConfigError` for a numeric key that is not a number in its range."""
    for key, (lo, hi) in _NUMBER_RANGES.items():
        v = data.get(key)
        if v is None:
            continue
        try:
            ok = lo <= float(v) <= hi
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ConfigError(f"{v!r} is not a number from {lo} to {hi}", file=path, key=key)


#: Names the first release used under ``files:`` -> input kinds.
_OLD_FILE_KEYS = {"task_table_docx": "task_table_copy", "continuing_education_targets": "ce_targets"}


def load_config(
    path: str | os.PathLike[str] | None = None,
    year: int | None = None,
    root: str | os.PathLike[str] | None = None,
) -> RegionConfig:
    """Read a region config.

    Parameters
    ----------
    path : path-like, optional
        YAML file, or a bare region id (``"luqiao"`` means ``config/luqiao.yaml``).
        Defaults to ``config/luqiao.yaml``.
    year : int, optional
        Reporting year; defaults to the config's ``default_year``.
    root : path-like, optional
        Project root; defaults to the folder holding ``config/`` when the config sits in
        ``<root>/config/`` next to ``<root>/data/``, else :func:`project_root`.

    Returns
    -------
    RegionConfig
    """
    root_p = Path(root).resolve() if root else project_root()
    if path is None:
        path = "luqiao"
    p = Path(path)
    if p.suffix not in (".yaml", ".yml") and not p.exists():
        p = root_p / "config" / f"{path}.yaml"
    elif not p.is_absolute() and not p.exists():
        p = root_p / p
    if not p.exists():
        raise ConfigError(f"region config not found: {p}")
    if root is None and p.resolve().parent.name == "config" and (p.resolve().parents[1] / "data").is_dir():
        root_p = p.resolve().parents[1]  # <root>/config/<region>.yaml next to <root>/data
    with open(p, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    for key in ("region", "name"):
        if key not in data:
            raise ConfigError(f"{p}: '{key}' is required")
    yr = int(year if year is not None else data.get("default_year", 0))
    if not yr:
        raise ConfigError(f"{p}: no year given and no default_year set")
    _check_numbers(data, p)
    return RegionConfig(path=p.resolve(), region=str(data["region"]), name=str(data["name"]),
                        year=yr, root=root_p, data=data)
