"""Reading YAML seed files with line numbers, and collecting every problem before reporting them together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["LineDict", "LineList", "Problems", "read_yaml"]


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
    """SafeLoader that keeps line numbers (1-based) and leaves dates as strings."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        result = LineDict(super().construct_mapping(node, deep=True))
        result.line = node.start_mark.line + 1
        result.lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:  # type: ignore[override]
        result = LineList(super().construct_sequence(node, deep=True))
        result.line = node.start_mark.line + 1
        result.lines = [item.start_mark.line + 1 for item in node.value]
        return result


# Dates stay text: seeds write "2023-12" and "2023-01-01" alike, and the builder types them itself.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


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
    """Parse one YAML file with line numbers; a syntax error becomes a problem and the result is None."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        problems.add(path, 1, "", f"not UTF-8 text ({err.reason} at byte {err.start})")
        return None
    except OSError as err:
        problems.add(path, 1, "", f"cannot be read ({err.strerror})")
        return None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        problems.add(path, line, "", f"YAML syntax error: {err.problem or err.context}")
        problems.unreadable = True
        return None
    except yaml.YAMLError as err:
        problems.add(path, 1, "", f"YAML error: {err}")
        problems.unreadable = True
        return None
