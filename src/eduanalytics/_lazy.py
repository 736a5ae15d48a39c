"""Lazy re-exports for sub-package ``__init__`` modules (PEP 562).

A sub-package lists which of its modules holds each public name; the module is imported
only when the name is first used, so ``import eduanalytics.indicators`` stays cheap in a
notebook kernel that needs one function.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, table: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Build ``__getattr__`` and ``__dir__`` for a package.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    table : dict
        Public name -> module (relative to the package) that defines it. A name equal
        to its module's name exports the module itself.

    Returns
    -------
    (getattr, dir)
        Functions to assign to the package's ``__getattr__`` and ``__dir__``.
    """

    def __getattr__(name: str) -> Any:
        if name not in table:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(f"{package}.{table[name]}")
        return module if name == table[name] else getattr(module, name)

    def __dir__() -> list[str]:
        return sorted(table)

    return __getattr__, __dir__
