"""Print the code-point offsets of a quote in an article: ``python scripts/locate_quote.py QUOTE [ARTICLE]``.

Line breaks inside the quote may be typed as ``\\n``. Used when curating seeds (docs/seeds.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from graph.seeds.evidence import find_quote

DEFAULT = Path(__file__).resolve().parent.parent / "seeds" / "articles" / "shangrao-edz-2023.txt"


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    quote = argv[0].replace("\\n", "\n")
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    text = path.read_text(encoding="utf-8")
    hits = find_quote(text, quote)
    if not hits:
        print(f"not found in {path}: {quote!r}", file=sys.stderr)
        return 1
    for start in hits:
        print(f"start: {start}, end: {start + len(quote)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
