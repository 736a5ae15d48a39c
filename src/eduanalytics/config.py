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

#: Environment variable that overrides the project root (the folder holding data/, config/).
ROOT_ENV = "EDUANALYTICS_HOME"


class ConfigError(ValueError):
    """A region config is missing something or holds a value that cannot be used."""


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
        Display name (``台州市路桥区``).
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
        files = self.data.get("files") or {}
        if key not in files:
            if required:
                raise ConfigError(f"{self.path}: files.{key} is not set")
            return None
        value = str(files[key])
        if value.startswith("@raw/"):
            return raw_dir(self.root) / value[len("@raw/") :]
        p = Path(value)
        return p if p.is_absolute() else self.raw_dir / p

    # -- sections --------------------------------------------------------------
    def units(self) -> pd.DataFrame:
        """The ``units`` tidy table: unit_id, name, kind, aliases (list of str)."""
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
        return df

    def programmes(self) -> dict[str, dict[str, Any]]:
        """The ``programmes`` section (programme id -> settings)."""
        progs = self.data.get("programmes") or {}
        if not progs:
            raise ConfigError(f"{self.path}: no programmes listed")
        return dict(progs)

    def years_of_schooling(self) -> dict[str, float]:
        """Years credited per attainment level (defaults to the yearbook convention)."""
        from eduanalytics.attainment import DEFAULT_YEARS

        return {**DEFAULT_YEARS, **(self.data.get("years_of_schooling") or {})}

    def get(self, key: str, default: Any = None) -> Any:
        """A top-level config value."""
        return self.data.get(key, default)


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
        Project root; defaults to :func:`project_root`.

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
    with open(p, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    for key in ("region", "name"):
        if key not in data:
            raise ConfigError(f"{p}: '{key}' is required")
    yr = int(year if year is not None else data.get("default_year", 0))
    if not yr:
        raise ConfigError(f"{p}: no year given and no default_year set")
    return RegionConfig(path=p.resolve(), region=str(data["region"]), name=str(data["name"]),
                        year=yr, root=root_p, data=data)
