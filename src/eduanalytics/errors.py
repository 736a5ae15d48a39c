"""The one exception hierarchy of eduanalytics.

Every error a user can act on derives from :class:`EduError`; the command line prints
these as one message without a traceback and exits nonzero. Any other exception reaching
the command line is a bug: it prints the traceback and says so.

::

    EduError
    ├── ConfigError          a region config key is missing or holds a value not allowed
    ├── InputError           a raw file, sheet, row or cell cannot be used
    │   ├── MissingFileError a file the run needs does not exist
    │   ├── IngestError      (the same, raised by an ingest step; kept for old imports)
    │   └── DataError        an analysis was given a table it cannot use (no file/row)
    ├── ReportError          a notebook failed or the report could not be assembled
    ├── LockError            another run holds the same region/year
    └── SetupError           the installation lacks a font or a kernel

``InputError`` and ``DataError`` also derive from :class:`ValueError` and ``ConfigError``
too, so code written against the old bare ``ValueError`` keeps working; new code catches
the specific class.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class EduError(Exception):
    """Base of every error whose message tells the user what to fix."""


#: Kept for code and tests written against the first release.
UserFacingError = EduError


class ConfigError(EduError, ValueError):
    """A region config cannot be used.

    Parameters
    ----------
    message : str
        What is wrong.
    file : path-like, optional
        The config file.
    key : str, optional
        Dotted key at fault (``inputs.register.sheet``).
    allowed : str, optional
        What the key may hold.
    """

    def __init__(self, message: str, *, file: str | Path | None = None, key: str | None = None,
                 allowed: str | None = None) -> None:
        self.file, self.key, self.allowed = file, key, allowed
        parts = [str(file)] if file else []
        if key:
            parts.append(f"key {key}")
        head = ": ".join(parts)
        text = f"{head}: {message}" if head else message
        if allowed:
            text += f" (allowed: {allowed})"
        super().__init__(text)


@dataclass(frozen=True)
class Location:
    """Where in a raw input a problem sits (every part optional).

    ``row`` is the row number a person sees in the file (Excel row, CSV line counting the
    header as line 1, DOCX table row).
    """

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


class InputError(EduError, ValueError):
    """A raw input (file, sheet, row or cell) cannot be used.

    Parameters
    ----------
    message : str
        What is wrong, in words a user can act on.
    file, sheet, row, column : optional
        Where: the file, the sheet (xlsx), the row number a person sees, the column header.
    expected : str, optional
        What the tool expected there.
    found : Any, optional
        What it found (masked by the caller when it may be personal data).
    """

    def __init__(self, message: str, *, file: str | Path | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None, expected: str | None = None,
                 found: Any = None) -> None:
        self.location = Location(None if file is None else str(file), sheet, row, column)
        self.expected, self.found = expected, found
        where = str(self.location)
        text = f"{where}: {message}" if where else message
        if expected is not None:
            text += f"; expected {expected}"
        if found is not None:
            text += f"; found {found!r}"
        super().__init__(text)

    @property
    def file(self) -> str | None:
        """The file at fault."""
        return self.location.file


class IngestError(InputError):
    """An input file cannot be used at all (missing column, unreadable file)."""


class DataError(InputError):
    """An analysis function was given a table it cannot use (negative counts, NaN, an
    unknown column, stacked units without a grouping column)."""


class ReportError(EduError):
    """A notebook of the report failed, or the report could not be assembled."""


class LockError(EduError):
    """Another run holds the lock of the same region and year."""


class MissingFileError(InputError):
    """A file the run needs does not exist: a raw input the config names, or a processed
    table (run ``eduanalytics clean`` first)."""


class SetupError(EduError):
    """The installation lacks something the tool needs (a font with Chinese glyphs, a
    Jupyter kernel); the message says what to install."""
