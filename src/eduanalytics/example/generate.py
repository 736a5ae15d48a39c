"""Seeded generator of the example data that no one publishes (SYNTHETIC, 示例数据(合成)).

Individual registers, street-level attainment and door-to-door survey (摸排) counts are not
public. For the bundled examples they are generated from a fixed seed, consistent with
what IS published (a task table and the region's 2020 census row). One module per file
kind, region words in :mod:`eduanalytics.example.profiles`:

- :mod:`~eduanalytics.example.census_extract`: street x age band x sex x attainment;
- :mod:`~eduanalytics.example.survey`: 摸排 counts, long or wide;
- :mod:`~eduanalytics.example.register`: the district example's register sheets;
- :mod:`~eduanalytics.example.county`: the county example's task notice, register and
  survey (other layouts, other header words);
- :mod:`~eduanalytics.example.workbook` / :mod:`~eduanalytics.example.documents`: xlsx
  and docx writers with fixed bytes.

This module is the driver: :func:`generate_example` reads the region config, picks the
profile (``example.profile`` in the config, default the region id) and writes the files.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from eduanalytics.config import RegionConfig
from eduanalytics.errors import ConfigError
from eduanalytics.example import profiles
from eduanalytics.example.census_extract import district_check, street_census_attainment
from eduanalytics.example.luqiao_notes import REGISTER_TITLE, source_md
from eduanalytics.example.register import learner_register, training_register
from eduanalytics.example.survey import survey_counts
from eduanalytics.example.workbook import register_workbook_bytes
from eduanalytics.indicators.allocation import hamilton_split as largest_remainder

__all__ = ["DEFAULT_SEED", "REGISTER_TITLE", "SYNTHETIC_LABEL", "component_rngs", "district_check",
           "generate_example", "largest_remainder", "learner_register", "profile_for",
           "street_census_attainment", "survey_counts", "training_register"]

DEFAULT_SEED = 20230306
#: Words every synthetic output carries.
SYNTHETIC_LABEL = "示例数据(合成) SYNTHETIC"


def component_rngs(seed: int = DEFAULT_SEED, n: int = 3) -> tuple[np.random.Generator, ...]:
    """Independent generators, one per output (survey, register sheets …).

    Spawned from ``numpy.random.SeedSequence(seed)``, so changing one component (say
    the census profiles, which change how many draws the survey's binomials use) does
    not change the others.
    """
    return tuple(np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(n))


def profile_for(config: RegionConfig) -> dict:
    """The example profile of a region (``example.profile`` in its config, else its id).

    Raises
    ------
    ConfigError
        No profile of that name in :mod:`eduanalytics.example.profiles`.
    """
    name = str((config.get("example") or {}).get("profile", config.region))
    prof = getattr(profiles, name.upper(), None)
    if not isinstance(prof, dict):
        known = sorted(k.lower() for k, v in vars(profiles).items() if isinstance(v, dict) and "layout" in v)
        raise ConfigError(f"no example profile {name!r}: the generator only writes the bundled "
                          "examples", file=config.path, key="example.profile", allowed=", ".join(known))
    return prof


def generate_example(config: RegionConfig, out_dir: Path | None = None,
                     seed: int | None = None) -> dict[str, Path]:
    """Generate and write the synthetic inputs of a bundled example region.

    Parameters
    ----------
    config : RegionConfig
        The region's config (its task table, its census row, its example profile).
    out_dir : Path, optional
        Output folder (default: ``synthetic/`` under the region's raw folder for the
        district layout, the raw folder itself for the county layout).
    seed : int, optional
        Seed of the :class:`numpy.random.SeedSequence` the streams are spawned from
        (:func:`component_rngs`); default the profile's. The same seed gives the same data.

    Returns
    -------
    dict
        Paths written, by kind.
    """
    prof = profile_for(config)
    seed = int(prof["seed"] if seed is None else seed)
    if prof["layout"] == "county":
        from eduanalytics.example.county import generate_county

        return generate_county(config, prof, out_dir, seed)
    return _generate_district(config, prof, out_dir, seed)


def _generate_district(config: RegionConfig, prof: dict, out_dir: Path | None, seed: int) -> dict[str, Path]:
    """The district layout: street census, long survey, two-sheet register."""
    out = Path(out_dir) if out_dir else config.raw_dir / "synthetic"
    out.mkdir(parents=True, exist_ok=True)
    task = pd.read_csv(config.file("task_table"), dtype=str, keep_default_na=False, encoding="utf-8")
    county = pd.read_csv(config.file("census_county"), dtype={"code": str}, encoding="utf-8")
    code = str(config.census_code)
    survey_rng, register_rng, training_rng = component_rngs(seed)
    census = street_census_attainment(task, county, code)
    survey = survey_counts(census, survey_rng, prof["survey_coverage"])
    reg, f_reg = learner_register(task, register_rng, prof)
    train, f_train = training_register(task, training_rng, prof)
    check = district_check(census, county, code)
    paths = {"census_streets": out / "census_street_attainment.csv", "survey": out / "survey_counts.csv",
             "register": out / "learner_register.xlsx", "faults": out / "faults.json",
             "source": out / "SOURCE.md"}
    census.to_csv(paths["census_streets"], index=False, encoding="utf-8", lineterminator="\n")
    survey.to_csv(paths["survey"], index=False, encoding="utf-8-sig", lineterminator="\n")
    paths["register"].write_bytes(register_workbook_bytes({"学历提升": reg, "职业培训": train},
                                                          prof["register_title"]))
    faults = {"label": SYNTHETIC_LABEL, "seed": seed, "学历提升": f_reg, "职业培训": f_train,
              "district_check": check}
    paths["faults"].write_text(json.dumps(faults, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    paths["source"].write_text(source_md(seed, check, f_reg, f_train), encoding="utf-8")
    return paths
