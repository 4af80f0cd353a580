"""Reading YAML seed files with line numbers, and collecting every problem before reporting them together."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["LineDict", "LineList", "Problems", "read_yaml", "MAX_TEXT", "MAX_NAME", "MAX_DIGITS"]

# Limits far above any real seed, low enough that a pasted book or a runaway number is refused at once.
MAX_BYTES = 20_000_000  # one seed file
MAX_TEXT = 10_000  # characters in any text (quotes and notes included)
MAX_NAME = 500  # characters in a name or title
MAX_DIGITS = 30  # digits in a whole number
_NAMES = frozenset({"name", "name_full", "name_en", "title"})
# Text that the offline view would refuse as a link to the network (graph/view/page.py checks the page the same way).
_EXTERNAL = re.compile(r'(?:src|href)\s*=\s*["\']?https?:', re.I)


class LineDict(dict):
    """A YAML mapping that remembers the line of itself (``line``) and of each key (``lines``)."""

    line: int = 0
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    """A YAML sequence that remembers the line of each item (``lines``)."""

    line: int = 0
    lines: list[int]


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps line numbers (1-based), leaves dates as strings and notes what a seed must not hold.

    Problems (a key repeated in one mapping, an over-long text, a number beyond range) go to ``found`` as
    ``(line, field, message)`` instead of stopping the parse, so that every problem is reported at once.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.found: list[tuple[int, str, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key, line = str(key_node.value), key_node.start_mark.line + 1
            if key in seen:
                self.found.append(
                    (line, key, f"duplicate key (also at line {seen[key]}); write each field once")
                )
            seen.setdefault(key, line)
            if isinstance(value_node, yaml.ScalarNode):
                self._check_text(value_node, key)
        result = LineDict(super().construct_mapping(node, deep=True))
        result.line = node.start_mark.line + 1
        result.lines = seen
        for key, value in result.items():
            if isinstance(value, str) and len(value) > _limit(str(key)):
                result[key] = value[: _limit(str(key))]
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:  # type: ignore[override]
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                self._check_text(item, "")
        result = LineList(super().construct_sequence(node, deep=True))
        result.line = node.start_mark.line + 1
        result.lines = [item.start_mark.line + 1 for item in node.value]
        return result

    def _check_text(self, node: yaml.ScalarNode, key: str) -> None:
        value, line = node.value, node.start_mark.line + 1
        if node.tag == "tag:yaml.org,2002:int" and _too_many_digits(value):
            digits = sum(ch.isdigit() for ch in value)
            self.found.append((line, key, f"a number of {digits:,} digits; at most {MAX_DIGITS}"))
        elif node.tag == "tag:yaml.org,2002:float" and not math.isfinite(super().construct_yaml_float(node)):
            self.found.append((line, key, f'"{value[:40]}" is beyond the range of numbers'))
        elif len(value) > _limit(key):
            what = "a name" if key in _NAMES else "a text"
            self.found.append((line, key, f"{len(value):,} characters; {what} holds at most {_limit(key):,}"))
        elif _EXTERNAL.search(value):
            self.found.append(
                (line, key, "looks like an HTML link to the network (src=/href=http…), which the offline view "
                 "refuses; write the address alone, or put it under url in sources.yaml")
            )  # fmt: skip

    # The two constructors below only keep Python from failing (int() refuses over 4,300 digits) or from making
    # inf; _check_text reports the value with its field.
    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        return 0 if _too_many_digits(node.value) else super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        value = super().construct_yaml_float(node)
        return value if math.isfinite(value) else 0.0


def _too_many_digits(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) > MAX_DIGITS


def _limit(key: str) -> int:
    return MAX_NAME if key in _NAMES else MAX_TEXT


# Dates stay text: seeds write "2023-12" and "2023-01-01" alike, and the builder types them itself.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)


@dataclass
class Problems:
    """Problems found in seed files, each ``FILE:LINE: field: message``; reported together, sorted."""

    items: list[tuple[str, int, str]] = field(default_factory=list)
    unreadable: bool = False  # a file could not be parsed: cross-file checks would only add noise

    def add(self, path: Path | str, line: int, where: str, message: str) -> None:
        prefix = f"{where}: " if where else ""
        self.items.append((str(path), line, f"{prefix}{message}"))

    def __bool__(self) -> bool:
        return bool(self.items)

    def lines(self) -> list[str]:
        unique = sorted(set(self.items), key=lambda item: (item[0], item[1], item[2]))
        return [f"{path}:{line}: {message}" for path, line, message in unique]


def read_yaml(path: Path, problems: Problems) -> Any:
    """Parse one YAML file with line numbers; a syntax error becomes a problem and the result is None.

    Duplicate keys, over-long texts and out-of-range numbers are problems too (the parse goes on, so that all of
    them are reported).
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            problems.add(
                path, 1, "", f"{path.stat().st_size:,} bytes; a seed file holds at most {MAX_BYTES:,}"
            )
            problems.unreadable = True
            return None
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        problems.add(path, 1, "", f"not UTF-8 text ({err.reason} at byte {err.start}); save it as UTF-8")
        return None
    except OSError as err:
        problems.add(path, 1, "", f"cannot be read ({err.strerror})")
        return None
    loader = None
    try:
        loader = _Loader(text)  # the reader refuses control characters already here
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        problems.add(path, line, "", f"YAML syntax error: {err.problem or err.context}")
        problems.unreadable = True
        return None
    except (yaml.YAMLError, ValueError) as err:  # ValueError: a value YAML resolves but Python cannot build
        problems.add(path, 1, "", f"YAML error: {err}")
        problems.unreadable = True
        return None
    finally:
        if loader is not None:
            loader.dispose()
    for line, where, message in loader.found:
        problems.add(path, line, where, message)
    return data
