"""Finding the header in a grid of cells: title rows, 填报单位 rows, merged parents."""

from __future__ import annotations

import pytest

from eduanalytics.errors import InputError
from eduanalytics.ingest.layout import find_header, frame_from_grid, pick_table

GRID = [
    ["甲县人口摸排表", None, None],
    ["填报单位：甲县教育局", None, None],
    ["乡镇", "人数", None],
    [None, "七普", "摸排"],
    ["东城街道", 4000, 3600],
]
# 乡镇 merged down rows 3-4 (0-based 2-3), 人数 merged across columns 2-3, the title across
MERGED = [((0, 0), (0, 2)), ((2, 0), (3, 0)), ((2, 1), (2, 2))]


def test_child_names_the_column_and_the_parent_joins_repeats():
    df = frame_from_grid(GRID, file="s.xlsx", merged=MERGED, header_keywords=["乡镇", "七普", "摸排"])
    assert [c for c in df.columns if not c.startswith("_")] == ["乡镇", "七普", "摸排"]
    assert df.attrs["header_rows"] == [3, 4] and df["_row"].tolist() == [5]
    grid = [r[:] for r in GRID]
    grid[3] = [None, "人数", "人数"]  # a repeated child: parent/child, then _2
    df = frame_from_grid(grid, file="s.xlsx", header_rows=[3, 4], header_join="·")
    assert list(df.columns[:3]) == ["乡镇", "人数", "人数_2"]


def test_find_header_without_keywords_skips_a_merged_title():
    texts = [["标题", "标题", "标题"], ["a", "b", "c"], ["1", "2", "3"]]
    assert find_header(texts) == 1
    assert find_header(texts, ["x", "y"]) == -1
    with pytest.raises(InputError, match="no header row"):
        frame_from_grid(texts, file="t.xlsx", header_keywords=["x", "y"])
    with pytest.raises(InputError, match="outside"):
        frame_from_grid(texts, file="t.xlsx", header_rows=[9])


def test_pick_table_by_name_index_and_columns():
    names = ["说明", "学员名单"]
    texts = {0: [["本表说明"]], 1: [["姓名", "公民身份号码"]]}
    assert pick_table(names, "学员名单", texts.get, "r.xlsx", "sheet") == 1
    assert pick_table(names, 0, texts.get, "r.xlsx", "sheet") == 0
    assert pick_table(names, {"has_columns": ["公民身份号码"]}, texts.get, "r.xlsx", "sheet") == 1
    with pytest.raises(InputError, match="学员名单"):
        pick_table(names, "学历提升", texts.get, "r.xlsx", "sheet")
