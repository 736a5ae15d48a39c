"""Display labels: Chinese by default, English on request, region words from the config."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.errors import ConfigError
from eduanalytics.labels import (
    COLUMN_LABELS,
    LABELS,
    label,
    relabel_columns,
    relabel_values,
    total_label,
)


def test_label_both_languages_and_unknown_ids():
    assert label("secondary_upgrade") == "初高中学历提升"
    assert label("secondary_upgrade", "en") == "Secondary upgrade"
    assert label("no_such_id") == "no_such_id"
    with pytest.raises(ConfigError):
        label("total", "fr")


def test_total_label_follows_the_level_word():
    assert total_label("县") == "全县合计"
    assert total_label("区") == "全区合计"
    assert total_label("市", "en") == "Total"
    with pytest.raises(ConfigError):
        total_label("省")


def test_no_level_word_in_the_static_labels():
    for zh, _ in LABELS.values():
        assert not any(w in zh for w in ("全区", "全县", "全市")), zh


def test_column_labels_differ_from_value_labels():
    df = pd.DataFrame({"enrolled": [1], "status": ["enrolled"], "programme": ["tertiary_upgrade"]})
    cols = relabel_columns(df)
    assert list(cols.columns) == [COLUMN_LABELS["enrolled"][0], "状态", "项目"]
    assert relabel_values(df["status"]).tolist() == ["在读"]
    assert relabel_values(pd.Series(["bachelor", None]), "en").tolist()[0] == "Bachelor"
