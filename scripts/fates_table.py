"""Print the README's "What happens to bad input" table from the bad-input corpus.

Each row is one case of ``scripts/make_bad_inputs.py`` with its DECLARED fate (what the
tool does with that damage; ``tests/corpus`` checks it). Regenerate the README section
between ``<!-- fates:start -->`` and ``<!-- fates:end -->`` with
``python scripts/fates_table.py --write-readme`` (or paste the printed table).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
START, END = "<!-- fates:start -->", "<!-- fates:end -->"
FATE_WORDS = {"error": "stops with an error", "quarantine": "row quarantined",
              "accept": "accepted", "flag": "flagged"}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def fates_table(cases=None) -> str:
    """The Markdown table: damage, input, fate, what the user sees (one row per case)."""
    if cases is None:
        sys.path.insert(0, str(HERE))
        import make_bad_inputs

        cases = make_bad_inputs.load_cases()
    lines = ["| damage | input | fate | what the user sees |", "|---|---|---|---|"]
    for c in cases:
        lines.append(f"| {_cell(c.description)} | {_cell(c.where)} | {FATE_WORDS[c.fate]} | "
                     f"{_cell(c.what_user_sees)} |")
    return "\n".join(lines) + "\n"


def readme_section(text: str) -> str:
    """What the README holds between the markers (without them)."""
    if START not in text or END not in text:
        raise ValueError(f"README.md lacks the markers {START} / {END}")
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write-readme", action="store_true", help="replace the README section")
    args = ap.parse_args()
    table = fates_table()
    if args.write_readme:
        text = README.read_text(encoding="utf-8")
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        README.write_text(f"{head}{START}\n{table}{END}{tail}", encoding="utf-8")
    else:
        sys.stdout.write(table)


if __name__ == "__main__":
    main()
