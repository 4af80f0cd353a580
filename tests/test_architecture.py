"""The folder tree reads as the pipeline: imports point down it, never in a cycle (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

GRAPH = Path(__file__).resolve().parent.parent / "graph"

# Lower layers first. A module may import its own layer or any layer below it, never one above.
LAYERS = [
    {"graph.errors", "graph.files", "graph.text", "graph.cells"},
    {"graph.vocab"},
    {"graph.seeds"},
    {"graph.rdf"},
    {"graph.inputs"},
    {"graph.analysis"},
    {"graph.sparql"},
    {"graph.reports"},
    {"graph.view"},
    {"graph.build"},
    {"graph.cli", "graph", "graph.__main__"},
]


def _module(path: Path) -> str:
    parts = path.relative_to(GRAPH.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """``(module, inside_a_function)`` for every ``graph.*`` import of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module and child.module.split(".")[0] == "graph":
                for alias in child.names:  # `from graph.cli import build` imports the module graph.cli.build
                    sub = f"{child.module}.{alias.name}"
                    found.append(
                        (
                            sub
                            if (GRAPH.parent / (sub.replace(".", "/") + ".py")).exists()
                            else child.module,
                            inner,
                        )
                    )
            elif isinstance(child, ast.Import):
                found.extend((a.name, inner) for a in child.names if a.name.split(".")[0] == "graph")
            visit(child, inner)

    visit(tree, False)
    return found


def _layer(module: str) -> int:
    for index, layer in enumerate(LAYERS):
        if any(module == name or module.startswith(name + ".") for name in layer if name != "graph"):
            return index
        if module == "graph" and "graph" in layer:
            return index
    raise AssertionError(f"{module} is in no layer of docs/architecture.md")


def _graph() -> tuple[nx.DiGraph, list[tuple[str, str]]]:
    G = nx.DiGraph()
    local = []
    for path in sorted(GRAPH.rglob("*.py")):
        mod = _module(path)
        G.add_node(mod)
        for target, inner in _imports(path):
            G.add_edge(mod, target)
            if inner and not mod.startswith("graph.cli"):
                local.append((mod, target))
    return G, local


def test_no_import_cycle():
    G, _ = _graph()
    cycles = list(nx.simple_cycles(G))
    assert cycles == [], f"import cycles: {cycles}"


def test_imports_point_down_the_pipeline():
    G, _ = _graph()
    upward = [(a, b) for a, b in G.edges if _layer(b) > _layer(a)]
    assert upward == [], f"imports that point up the pipeline: {upward}"


def test_library_code_imports_at_the_top():
    # Only command bodies import lazily (so `chainkg --help` starts fast); library code never hides an import.
    _, local = _graph()
    assert local == [], f"imports inside library functions: {local}"


@pytest.mark.parametrize("folder", sorted(p.name for p in GRAPH.iterdir() if (p / "__init__.py").exists()))
def test_every_module_documents_itself(folder):
    for path in sorted((GRAPH / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path} has no module docstring"
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 700, f"{path} has {lines} lines"
