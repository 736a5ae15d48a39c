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


def _siphash24(key: bytes, msg: bytes) -> int:
    """Reference SipHash-2-4 (Aumasson & Bernstein 2012), written out from the paper."""
    mask = (1 << 64) - 1

    def rotl(x: int, b: int) -> int:
        return ((x << b) | (x >> (64 - b))) & mask

    def rnd(v: list[int]) -> None:
        v[0] = (v[0] + v[1]) & mask; v[1] = rotl(v[1], 13); v[1] ^= v[0]; v[0] = rotl(v[0], 32)  # noqa: E702
        v[2] = (v[2] + v[3]) & mask; v[3] = rotl(v[3], 16); v[3] ^= v[2]  # noqa: E702
        v[0] = (v[0] + v[3]) & mask; v[3] = rotl(v[3], 21); v[3] ^= v[0]  # noqa: E702
        v[2] = (v[2] + v[1]) & mask; v[1] = rotl(v[1], 17); v[1] ^= v[2]; v[2] = rotl(v[2], 32)  # noqa: E702

    k0, k1 = int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little")
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D, k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]
    tail = len(msg) % 8
    blocks = [int.from_bytes(msg[i:i + 8], "little") for i in range(0, len(msg) - tail, 8)]
    blocks.append(int.from_bytes(msg[len(msg) - tail:], "little") | ((len(msg) & 0xFF) << 56))
    for m in blocks:
        v[3] ^= m
        rnd(v)
        rnd(v)
        v[0] ^= m
    v[2] ^= 0xFF
    for _ in range(4):
        rnd(v)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def _finalise(x: int) -> int:
    """pandas' hash_array finaliser (splitmix64's mixer), a bijection on 64-bit integers."""
    mask = (1 << 64) - 1
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & mask
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & mask
    return x ^ (x >> 31)


def test_reference_siphash_matches_the_papers_vector():
    # Appendix A of the SipHash paper: key 00..0f, message 00..0e -> a129ca6149be45e5
    assert _siphash24(bytes(range(16)), bytes(range(15))) == 0xA129CA6149BE45E5


def test_learner_key_is_keyed_siphash_of_the_id():
    import hashlib
    import hmac

    salt, ident = "a-secret-salt", "11010519491231002X"
    digest = hmac.new(salt.encode(), b"eduanalytics learner_key v2", hashlib.sha256).digest()
    key = bytes(b & 0x7F for b in digest[:16])
    want = f"{_finalise(_siphash24(key, ident.encode())):016x}"
    got = learner_key(pd.Series([ident, None, ident]), salt)
    assert got.iloc[0] == want and got.iloc[2] == want and pd.isna(got.iloc[1])


def test_hex16():
    import numpy as np

    from eduanalytics.privacy import hex16

    out = hex16(np.array([0, 0x0123456789ABCDEF, 2**64 - 1], dtype=np.uint64)).to_pylist()
    assert out == ["0000000000000000", "0123456789abcdef", "ffffffffffffffff"]


def test_unhex16_inverts_hex16():
    import numpy as np

    from eduanalytics.errors import DataError
    from eduanalytics.privacy import hex16, unhex16

    h = np.array([0, 0x0123456789ABCDEF, 2**64 - 1], dtype=np.uint64)
    keys = pd.Series(pd.arrays.ArrowStringArray(hex16(h)))
    assert unhex16(keys).tolist() == h.tolist()
    assert unhex16(keys.iloc[1:]).tolist() == h[1:].tolist()  # a slice of the Arrow data
    with pytest.raises(DataError):
        unhex16(pd.Series(["0123", None], dtype="string"))
