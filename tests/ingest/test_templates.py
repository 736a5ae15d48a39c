"""The input-template document and example files agree with the code."""

from pathlib import Path

import pandas as pd

from eduanalytics.ingest.templates import TEMPLATES, templates_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_doc_is_current():
    assert (ROOT / "docs/input_templates.md").read_text(encoding="utf-8") == templates_markdown()


def test_example_files_have_every_column():
    for kind, cols in TEMPLATES.items():
        df = pd.read_csv(ROOT / "docs/templates" / f"{kind}.csv", dtype=str, encoding="utf-8-sig")
        assert list(df.columns) == [c.headers[0] for c in cols]
