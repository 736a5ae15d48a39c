"""The names the README shows researchers still import (issue 9: public names keep working)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_python_imports_resolve():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    imports = [line for b in blocks for line in b.splitlines()
               if line.startswith(("from eduanalytics", "import eduanalytics"))]
    assert imports, "the README shows no eduanalytics import"
    namespace: dict = {}
    for line in imports:
        exec(line, namespace)  # noqa: S102 - the README's own import lines
    names = {n.strip() for line in imports if " import " in line
             for n in line.split(" import ", 1)[1].split(",")}
    missing = sorted(n for n in names if n.split(" as ")[-1] not in namespace)
    assert missing == []
