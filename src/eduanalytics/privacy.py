"""Personal data handling: masking for messages, salted keys for learners.

ID numbers and names never leave ingest. A learner is identified downstream by
``learner_key``: a keyed 64-bit hash of the ID (SipHash-2-4, a pseudo-random function
designed as a MAC for short inputs, keyed with 112 bits derived from the salt by
HMAC-SHA256), as 16 hex characters. SipHash is what pandas' public
:func:`pandas.util.hash_array` computes in C over a whole column (followed by pandas' fixed
bijective 64-bit finaliser), so a million IDs take a fraction of a second. The salt must stay
secret: the space of valid ID numbers is small enough (area x birth date x sequence) that
anyone holding the salt could rebuild IDs from keys by brute force, so it is never
committed: it comes from ``$EDUANALYTICS_SALT`` or a git-ignored ``.eduanalytics_salt``
file created on first use.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eduanalytics.arrow_text import arrow_strings, fixed_width_bytes, text_array

SALT_ENV = "EDUANALYTICS_SALT"
SALT_FILE = ".eduanalytics_salt"


def mask_id(s: pd.Series) -> pd.Series:
    """Mask ID numbers for display: ``331004********123X``.

    15- and 18-character values keep their first 6 and last 4 characters (8 or 5 stars in
    between); anything else is masked whole except its length (``****(7 chars)``).
    """
    t = pc.fill_null(arrow_strings(s).cast(pa.large_string()), "")
    n = pc.utf8_length(t)
    head, tail = pc.utf8_slice_codeunits(t, 0, 6), pc.utf8_slice_codeunits(t, -4)

    def text(v) -> pa.Scalar | pa.Array:
        return pa.scalar(v, pa.large_string()) if isinstance(v, str) else v

    def join(*parts) -> pa.Array:
        return pc.binary_join_element_wise(*map(text, parts), text(""))

    out = pc.case_when(
        pc.make_struct(pc.equal(n, 18), pc.equal(n, 15), pc.equal(n, 0)),
        join(head, "********", tail), join(head, "*****", tail), text(""),
        join("****(", pc.cast(n, pa.large_string()), " chars)"))
    return pd.Series(pd.arrays.ArrowStringArray(out.cast(pa.large_string())), index=s.index,
                     dtype="string")


#: An ID number inside any text: 18 characters (17 digits + digit/X) or 15 digits, not part
#: of a longer run of digits.
_ID_IN_TEXT = re.compile(r"(?<![0-9.])([0-9]{6})([0-9]{8}|[0-9]{5})([0-9]{3}[0-9Xx]|[0-9]{4})(?![0-9A-Za-z])")
#: Labels after which a person's name is written (姓名：张三, name: 李四, "学员":"王五").
NAME_LABELS = ("姓名", "名字", "学员姓名", "联系人", "name")
_NAME_AFTER_LABEL = re.compile(
    r"((?:" + "|".join(NAME_LABELS) + r")[\"'”’]?\s*[:：=为是]?\s*[\"'“‘]?\s*)([\u3400-\u9fff·]{2,4})",
    re.IGNORECASE)
#: Fields of a JSON record (the ``original`` column of rejected rows) whose values are
#: personal or free text: masked whole.
PERSONAL_FIELDS = ("name", "姓名", "remark", "remarks", "note", "notes", "备注", "说明", "comment")
_PERSONAL_FIELD = re.compile(
    r'("(?:' + "|".join(PERSONAL_FIELDS) + r')"\s*:\s*")((?:[^"\\]|\\.)*)(")', re.IGNORECASE)


def _mask_id_match(m: re.Match) -> str:
    return m.group(1) + "*" * len(m.group(2)) + m.group(3)


def mask_text(s: pd.Series) -> pd.Series:
    """Mask personal data inside free text (messages, remarks, rejected rows, logs).

    - ID numbers anywhere in a string (18 or 15 digits, not part of a longer number) keep
      their first 6 and last 4 characters: ``33100419900101123X`` -> ``331004********123X``;
    - a run of 2-4 Chinese characters after a name label (``姓名``, ``name`` ...; see
      :data:`NAME_LABELS`) becomes stars of the same length: ``姓名：张三`` -> ``姓名：**``;
    - in JSON records, the values of name and remark fields (:data:`PERSONAL_FIELDS`) are
      replaced whole: ``"备注": "…"`` -> ``"备注": "***"``.

    Names written without a label cannot be told from ordinary words, which is why the
    register's name column is dropped as soon as the header is read.

    Parameters
    ----------
    s : Series
        Text (other values are turned to text; missing stays missing).

    Returns
    -------
    Series of string
    """
    t = s.astype("string")
    t = t.str.replace(_PERSONAL_FIELD, r"\1***\3", regex=True)
    t = t.str.replace(_ID_IN_TEXT, _mask_id_match, regex=True)
    t = t.str.replace(_NAME_AFTER_LABEL, lambda m: m.group(1) + "*" * len(m.group(2)), regex=True)
    return t


def mask_message(text: str) -> str:
    """:func:`mask_text` for one string (error messages, log lines)."""
    return str(mask_text(pd.Series([str(text)])).iloc[0])


class MaskingFilter(logging.Filter):
    """A logging filter that passes every message through :func:`mask_text`.

    The command line installs it on its log handlers, so a log line that happens to quote
    a cell (an ID number, ``姓名：张三``) is masked like the cleaning log.
    """

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: A003
        text = record.getMessage()
        masked = mask_message(text)
        if masked != text:
            record.msg, record.args = masked, None
        return True


def _siphash_key(salt: str) -> str:
    """The 16-character SipHash key of a salt: HMAC-SHA256(salt, purpose), 7 bits per byte
    (pandas takes the key as text it encodes as UTF-8, so every byte must be ASCII)."""
    digest = hmac.new(salt.encode("utf-8"), b"eduanalytics learner_key v2", hashlib.sha256).digest()
    return "".join(chr(b & 0x7F) for b in digest[:16])


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def hex16(h: np.ndarray) -> pa.Array:
    """64-bit integers as 16 lower-case hex characters (an Arrow string array), vectorised."""
    b = np.ascontiguousarray(h, dtype=">u8").view(np.uint8).reshape(-1, 8)
    out = np.empty((len(b), 16), dtype=np.uint8)
    out[:, 0::2] = _HEX[b >> 4]
    out[:, 1::2] = _HEX[b & 15]
    offsets = np.arange(0, 16 * (len(b) + 1), 16, dtype=np.int32)
    return pa.StringArray.from_buffers(len(b), pa.py_buffer(offsets), pa.py_buffer(out))


_UNHEX = np.zeros(256, dtype=np.uint8)
_UNHEX[_HEX] = np.arange(16, dtype=np.uint8)


def unhex16(keys: pd.Series) -> np.ndarray:
    """The 64-bit integers written by :func:`hex16` (its inverse), read from the bytes of
    the Arrow data: 16 hexadecimal characters per value, none missing. For readers of the
    processed ``enrolments`` (its ``learner_key``), e.g. to join tables on integers; the
    engines themselves keep the integers (:func:`learner_hashes`) and never parse text.

    Raises
    ------
    DataError
        When a value is missing or not 16 characters long.
    """
    from eduanalytics.errors import DataError

    m = fixed_width_bytes(arrow_strings(keys), 16)
    if m is None:
        raise DataError("learner keys missing or of another length", column="learner_key",
                        expected="16 hex characters")
    nib = _UNHEX[m].reshape(-1, 8, 2)
    return ((nib[:, :, 0] << 4) | nib[:, :, 1]).copy().view(">u8").ravel().astype(np.uint64)


def learner_hashes(ids: pd.Series, salt: str, chunk: int = 1 << 18) -> np.ndarray:
    """The keyed hashes behind :func:`learner_key`, as 64-bit integers (what the register
    engines group and bucket duplicates on; :func:`hex16` writes them as text).

    Parameters
    ----------
    ids : Series
        Normalised ID numbers; a missing value's entry means nothing.
    salt : str
        The secret salt (:func:`get_salt`); empty is refused.
    chunk : int
        Values hashed per call (bounds the temporary Python strings).

    Returns
    -------
    numpy.ndarray
        uint64, aligned with ``ids``.
    """
    from pandas.util import hash_array

    if not salt:
        from eduanalytics.errors import ConfigError

        raise ConfigError("an empty salt would make learner keys reversible", key="EDUANALYTICS_SALT")
    key = _siphash_key(salt)
    arr = arrow_strings(ids)  # the Arrow data itself, no copy
    hashes = np.zeros(len(arr), dtype=np.uint64)
    for i in range(0, len(arr), chunk):
        part = arr.slice(i, chunk).fill_null("").to_numpy(zero_copy_only=False)
        hashes[i:i + len(part)] = hash_array(part, hash_key=key, categorize=False)
    return hashes


def key_text(hashes: np.ndarray, valid: np.ndarray, index: pd.Index) -> pd.Series:
    """:func:`learner_hashes` as learner keys: 16 hex characters in pandas' default text
    dtype (``str``, what the ``enrolments`` schema holds), missing where not ``valid``."""
    keys = hex16(hashes)
    if not valid.all():
        keys = pa.StringArray.from_buffers(len(keys), keys.buffers()[1], keys.buffers()[2],
                                           pa.array(valid).buffers()[1])
    return pd.Series(text_array(keys), index=index)


def learner_key(ids: pd.Series, salt: str, chunk: int = 1 << 18) -> pd.Series:
    """Keyed hash of normalised ID numbers (see the module docstring): :func:`learner_hashes`
    (same parameters) as 16 hex characters, Arrow-backed and aligned with ``ids``; a
    missing ID gives a missing key."""
    return key_text(learner_hashes(ids, salt, chunk), ids.notna().to_numpy(dtype=bool), ids.index)


def get_salt(root: Path | None = None) -> str:
    """The salt: ``$EDUANALYTICS_SALT``, else ``<root>/.eduanalytics_salt`` (created once)."""
    env = os.environ.get(SALT_ENV)
    if env:
        return env
    if root is None:
        from eduanalytics.config import project_root

        root = project_root()
    path = Path(root) / SALT_FILE
    if not path.exists():
        path.write_text(secrets.token_hex(16), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
