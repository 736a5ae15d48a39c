"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.privacy import learner_key, mask_id


def test_mask_and_key():
    assert mask_id(pd.Series(["11010519491231002X"])).iloc[0] == "110105********002X"
    k = learner_key(pd.Series(["11010519491231002X", "11010519491231002X", None]), "salt")
    assert k.iloc[0] == k.iloc[1] and len(k.iloc[0]) == 16 and pd.isna(k.iloc[2])
    assert learner_key(pd.Series(["11010519491231002X"]), "other").iloc[0] != k.iloc[0]
    with pytest.raises(ValueError):
        learner_key(pd.Series(["x"]), "")


def test_mask_text_ids_anywhere_in_a_string():
    from eduanalytics.privacy import mask_message, mask_text

    s = pd.Series(["身份证33100419900101123X有误", "15位 331004900101123 旧证", "编号12345678901234567890",
                   "0.123456789012345678", None, "已掩码 331004********123X"])
    out = mask_text(s).tolist()
    assert out[0] == "身份证331004********123X有误"
    assert out[1] == "15位 331004*****1123 旧证"  # 331004 90010 1123
    assert out[2] == "编号12345678901234567890"  # 20 digits: not an ID number
    assert out[3] == "0.123456789012345678"  # the digits of a decimal
    assert pd.isna(out[4]) and out[5] == "已掩码 331004********123X"
    assert mask_message("row 5: 11010519491231002X bad") == "row 5: 110105********002X bad"


def test_mask_text_names_after_labels_and_json_fields():
    from eduanalytics.privacy import mask_text

    s = pd.Series(["姓名：张三，年龄不符", "name: 王小明 enrolled twice", "联系人李四",
                   '{"id_number": "331004********123X", "姓名": "赵六", "备注": "本人 33100419900101123X 电话"}',
                   "路南街道 target 120"])
    out = mask_text(s).tolist()
    assert out[0] == "姓名：**，年龄不符"
    assert out[1] == "name: *** enrolled twice"
    assert out[2] == "联系人**"
    assert out[3] == '{"id_number": "331004********123X", "姓名": "***", "备注": "***"}'
    assert out[4] == "路南街道 target 120"


def test_masking_filter_masks_log_lines(caplog):
    import logging

    from eduanalytics.privacy import MaskingFilter

    log = logging.getLogger("eduanalytics.test_mask")
    handler_filter = MaskingFilter()
    record = log.makeRecord(log.name, logging.WARNING, __file__, 1,
                            "row %d: ID %s, 姓名：%s", (4, "33100419900101123X", "张三"), None)
    assert handler_filter.filter(record) is True
    assert record.getMessage() == "row 4: ID 331004********123X, 姓名：**"
    plain = log.makeRecord(log.name, logging.INFO, __file__, 1, "%d rows", (5,), None)
    handler_filter.filter(plain)
    assert plain.getMessage() == "5 rows" and plain.args == (5,)
